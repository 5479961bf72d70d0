/**
 * "Why not parallel?" against a live server: the planner probes, then re-plans under changed
 * settings (never running the statement) inside a READ ONLY transaction that is always rolled back,
 * and hands the answers to the pure classification in core/why-not.ts.
 *
 * Re-plans, each with SET LOCAL on top of the session's own settings:
 *  - size thresholds at 0 (real costs): does a Gather win once the tables count as big enough?
 *  - parallel_setup_cost = 0: the cheapest parallel plan without the setup cost; plus the setup cost
 *    per Gather, that is the parallel plan at the session's costs;
 *  - both parallel costs at 0 (real sizes): does a Gather appear at all without the size thresholds' help?
 *  - with max_parallel_workers_per_gather = 0: the plan with it at 2;
 *  - the cost at which the planner switches, by re-planning: first where the costs say it should
 *    (the planner keeps the serial plan until the parallel one is over 1% cheaper, add_path's fuzz
 *    factor), then by bisection until a Gather and the serial plan are one step apart.
 */
import type { ClientBase } from 'pg';
import { Catalog } from '../core/catalog';
import { analyzeDocument } from '../core/document';
import type { PlannerProbe } from '../core/plan-types';
import type { StatementResult } from '../core/types';
import { classifyWhyNot, PlanOutcome, PLANNER_FUZZ_FACTOR, RelationFacts, setupCostBreakEven, SwitchSearch, tupleCostBreakEven, WhyNot, WhyNotEvidence } from '../core/why-not';
import { catalogQuery, readCatalogSnapshot, readSettings } from './catalog';
import { answeringWithin } from './connection';
import { cancelOnAbort, ExplainError, stoppedOnServer } from './explain';
import { AS_PARSED, Explainable, explainDocument, PlanNode, probeParallelism, requireExplainable, serverVersionNum, setLocal } from './probe';

export interface WhyNotOptions {
  /** statement_timeout for each re-plan, in ms (default 10 s). */
  timeoutMs?: number;
  /** Aborting cancels the query running on the server and rejects with ExplainError 'cancelled'. */
  signal?: AbortSignal;
  /** The static analysis of exactly this statement; analysed against the live catalog when absent. */
  statement?: StatementResult;
  /** A probe of this statement already made on this connection (saves re-planning it). */
  probe?: PlannerProbe;
}

export interface WhyNotReport {
  probe: PlannerProbe;
  whyNot: WhyNot;
  /** What the classification was given, for the JSON report and for tests. */
  relations: RelationFacts[];
  evidence: WhyNotEvidence;
}

/** Enough for parallel_setup_cost to its integer and parallel_tuple_cost to 1/1000 of its value. */
const MAX_SEARCH_PLANS = 24;

/** Gathers that really run in parallel (not debug_parallel_query's single copy), anywhere in the tree. */
function outcomeOf(plan: PlanNode): PlanOutcome {
  const outcome: PlanOutcome = { cost: Number(plan['Total Cost'] ?? 0), gathers: 0, workers: 0, gatheredRows: 0 };
  const visit = (node: PlanNode) => {
    if ((node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge') && !node['Single Copy']) {
      outcome.gathers++;
      outcome.workers += Number(node['Workers Planned'] ?? 0);
      outcome.gatheredRows += Number(node['Plan Rows'] ?? 0);
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return outcome;
}

/** Tables scanned anywhere in the plan, and indexes scanned in parallel, as schema/name pairs (VERBOSE gives Schema). */
function scannedRelations(plan: PlanNode, out: { tables: Set<string>; indexes: Set<string> }): void {
  const schema = typeof plan.Schema === 'string' ? plan.Schema : undefined;
  if (schema && typeof plan['Relation Name'] === 'string') out.tables.add(`${schema}\u0000${plan['Relation Name']}`);
  if (schema && plan['Parallel Aware'] === true && typeof plan['Index Name'] === 'string') out.indexes.add(`${schema}\u0000${plan['Index Name']}`);
  for (const child of plan.Plans ?? []) scannedRelations(child, out);
}

/** The largest number of `digits` significant digits not above `value` (0.0123456 -> 0.0123). */
function roundDownSignificant(value: number, digits: number): number {
  if (!(value > 0)) return 0;
  const scale = 10 ** (digits - 1 - Math.floor(Math.log10(value)));
  return Math.floor(value * scale) / scale;
}

interface RelationRow {
  schema: string;
  name: string;
  kind: string;
  partition: boolean;
  pages: string;
  parallel_workers: string | null;
  indexed_table: string | null;
}

async function analyseStatically(client: ClientBase, sql: string): Promise<StatementResult | undefined> {
  const snapshot = await readCatalogSnapshot(client);
  return analyzeDocument(sql, Catalog.fromSnapshot(snapshot)).statements.find((s) => s.kind !== 'psql-meta');
}

export async function whyNotParallel(client: ClientBase, sql: string, options: WhyNotOptions = {}): Promise<WhyNotReport> {
  let statement: Explainable;
  try {
    statement = await requireExplainable(sql);
  } catch (error) {
    throw new ExplainError('not-explainable', (error as Error).message);
  }
  const { signal } = options;
  const cancelled = () => new ExplainError('cancelled', 'the why-not-parallel probe was cancelled; the planning query was stopped on the server');
  if (signal?.aborted) throw cancelled();
  const cancel = cancelOnAbort(client, signal);
  const timeoutMs = Math.max(1, Math.floor(options.timeoutMs ?? 10_000));
  const db = answeringWithin(client, timeoutMs);
  try {
    // The probe guards its own queries (answeringWithin) and maps its own failures.
    const probe = options.probe ?? (await probeParallelism(client, sql, { timeoutMs }));
    if (signal?.aborted) throw cancelled();
    const staticResult = options.statement ?? (probe.error === undefined ? await analyseStatically(db, sql) : undefined);
    if (signal?.aborted) throw cancelled();
    if (probe.error !== undefined) {
      const settings = await readSettings(db);
      return { probe, relations: [], evidence: {}, whyNot: classifyWhyNot({ probe, statement: staticResult, settings, relations: [], evidence: {} }) };
    }

    await db.query('BEGIN READ ONLY');
    try {
      const versionNum = await serverVersionNum(db);
      const force = versionNum >= 160000 ? 'debug_parallel_query' : 'force_parallel_mode';
      await setLocal(db, { ...AS_PARSED, statement_timeout: timeoutMs, [force]: 'off' });
      const settings = await readSettings(db);
      const source = (await db.query<{ source: string }>("SELECT source FROM pg_settings WHERE name = 'max_parallel_workers_per_gather'")).rows[0]?.source;
      const workersPerGather = settings.max_parallel_workers_per_gather;
      // The session's settings, with workers per gather at the default when off, so the other
      // re-plans still judge the statement itself (as the probe does).
      const base = {
        max_parallel_workers_per_gather: workersPerGather > 0 ? workersPerGather : 2,
        parallel_setup_cost: settings.parallel_setup_cost,
        parallel_tuple_cost: settings.parallel_tuple_cost,
        min_parallel_table_scan_size: settings.min_parallel_table_scan_size,
        min_parallel_index_scan_size: settings.min_parallel_index_scan_size,
      };
      const planWith = async (overrides: Partial<typeof base>): Promise<PlanNode> => {
        if (signal?.aborted) throw cancelled();
        await setLocal(db, { ...base, ...overrides });
        const [first] = await explainDocument(db, statement, ['VERBOSE']);
        return first.Plan as PlanNode;
      };

      const evidence: WhyNotEvidence = {};
      const scanned = { tables: new Set<string>(), indexes: new Set<string>() };
      if (!probe.chosenParallel) {
        const sessionPlan = await planWith({});
        scannedRelations(sessionPlan, scanned);
        // base has 2 workers per gather here, so this is the plan the session would get with them.
        if (workersPerGather === 0 && probe.parallelPossible) evidence.withWorkersEnabled = outcomeOf(sessionPlan);
      }
      if (!probe.chosenParallel && probe.parallelPossible && !(evidence.withWorkersEnabled && evidence.withWorkersEnabled.gathers > 0)) {
        scannedRelations(await planWith({ parallel_setup_cost: 0, parallel_tuple_cost: 0, min_parallel_table_scan_size: 0, min_parallel_index_scan_size: 0 }), scanned);
        evidence.withoutSizeThresholds = outcomeOf(await planWith({ min_parallel_table_scan_size: 0, min_parallel_index_scan_size: 0 }));
        evidence.withoutParallelCosts = outcomeOf(await planWith({ parallel_setup_cost: 0, parallel_tuple_cost: 0 }));
        evidence.withoutSetupCost = outcomeOf(await planWith({ parallel_setup_cost: 0 }));
        const serial = probe.serialCost;
        if (serial !== undefined && evidence.withoutSetupCost.gathers > 0) {
          evidence.switchSearch = await searchSwitch({
            setting: 'parallel_setup_cost',
            holding: {},
            breakEven: setupCostBreakEven(serial, evidence.withoutSetupCost)!,
            expectedSwitch: setupCostBreakEven(serial, evidence.withoutSetupCost, PLANNER_FUZZ_FACTOR)!,
            known: { parallelAt: 0, planAt: evidence.withoutSetupCost, serialAt: base.parallel_setup_cost },
            integer: true,
            plan: async (value) => outcomeOf(await planWith({ parallel_setup_cost: value })),
          });
        } else if (serial !== undefined && evidence.withoutParallelCosts.gathers > 0) {
          const breakEven = tupleCostBreakEven(serial, evidence.withoutParallelCosts) ?? 0;
          const expectedSwitch = tupleCostBreakEven(serial, evidence.withoutParallelCosts, PLANNER_FUZZ_FACTOR) ?? 0;
          evidence.switchSearch = await searchSwitch({
            setting: 'parallel_tuple_cost',
            holding: { parallel_setup_cost: 0 },
            breakEven,
            expectedSwitch,
            known: { parallelAt: 0, planAt: evidence.withoutParallelCosts, serialAt: base.parallel_tuple_cost },
            integer: false,
            plan: async (value) => outcomeOf(await planWith({ parallel_setup_cost: 0, parallel_tuple_cost: value })),
          });
        }
      }

      const relations = await relationFacts(db, staticResult, scanned);
      const whyNot = classifyWhyNot({ probe, statement: staticResult, settings, workersPerGatherSource: source, relations, evidence });
      return { probe, whyNot, relations, evidence };
    } finally {
      // A cancel still on its way must not land on the ROLLBACK.
      await cancel.sent();
      await db.query('ROLLBACK').catch(() => db.query('ROLLBACK').catch(() => undefined));
    }
  } catch (error) {
    if (error instanceof ExplainError) throw error;
    if (cancel.sent() || signal?.aborted) throw cancelled();
    throw stoppedOnServer(error, timeoutMs, 'planning took') ?? new ExplainError('server-error', (error as Error).message);
  } finally {
    cancel.dispose();
  }
}

interface SearchSpec {
  setting: SwitchSearch['setting'];
  holding: Record<string, number>;
  breakEven: number;
  expectedSwitch: number;
  /** Already planned: a Gather at parallelAt (planAt), the serial plan at serialAt. */
  known: { parallelAt: number; planAt: PlanOutcome; serialAt: number };
  /** parallel_setup_cost is searched to the integer; parallel_tuple_cost to 1/1000 of the session's value. */
  integer: boolean;
  plan: (value: number) => Promise<PlanOutcome>;
}

/**
 * The boundary between a Gather (below) and the serial plan (above), by re-planning: first at the
 * computed break-even, then by bisection. Assumes, as the cost model gives, that a lower parallel
 * cost never makes a parallel plan lose.
 */
async function searchSwitch(spec: SearchSpec): Promise<SwitchSearch> {
  let { parallelAt: low, planAt: lowPlan, serialAt: high } = spec.known;
  const resolution = spec.integer ? 1 : Math.max(high / 1000, 1e-9);
  const pick = (candidate: number) => (spec.integer ? Math.floor(candidate) : candidate);
  const tryAt = async (value: number): Promise<boolean> => {
    const outcome = await spec.plan(value);
    if (outcome.gathers > 0) {
      low = value;
      lowPlan = outcome;
      return true;
    }
    high = value;
    return false;
  };
  let plans = 0;
  const inside = (value: number) => value > low && value < high;
  // Where the planner should switch first: if it does, one step up usually closes the interval.
  const first = pick(spec.expectedSwitch);
  if (inside(first)) {
    plans++;
    if ((await tryAt(first)) && inside(pick(first + resolution))) {
      plans++;
      await tryAt(pick(first + resolution));
    }
  }
  while (plans < MAX_SEARCH_PLANS && high - low > resolution) {
    const middle = pick((low + high) / 2);
    if (!inside(middle)) break;
    plans++;
    await tryAt(middle);
  }
  if (!spec.integer && low > 0) {
    // Show a value people can type: rounded down (cheaper still for the parallel plan), and checked.
    const shown = roundDownSignificant(low, 3);
    if (shown !== low) {
      const outcome = await spec.plan(shown);
      if (outcome.gathers > 0) {
        low = shown;
        lowPlan = outcome;
      }
    }
  }
  return { setting: spec.setting, holding: spec.holding, breakEven: spec.breakEven, expectedSwitch: spec.expectedSwitch, parallelAt: low, planAt: lowPlan, serialAt: high };
}

async function relationFacts(client: ClientBase, statement: StatementResult | undefined, scanned: { tables: Set<string>; indexes: Set<string> }): Promise<RelationFacts[]> {
  const oids = (statement?.references ?? []).filter((r) => r.kind === 'relation' && r.relation).map((r) => r.relation!.oid);
  const pairs = [...scanned.tables, ...scanned.indexes].map((key) => key.split('\u0000'));
  if (oids.length === 0 && pairs.length === 0) return [];
  const { rows } = await client.query<RelationRow>(catalogQuery('relation-sizes'), [
    oids,
    pairs.map(([schema]) => schema),
    pairs.map(([, name]) => name),
  ]);
  return rows
    .filter((row) => row.kind !== 'i' || scanned.indexes.has(`${row.schema}\u0000${row.name}`))
    .map((row) => ({
      schema: row.schema,
      name: row.name,
      kind: row.kind === 'i' ? 'index' : 'table',
      pages: Number(row.pages),
      ...(row.parallel_workers === null ? {} : { parallelWorkers: Number(row.parallel_workers) }),
      ...(row.partition ? { partition: true } : {}),
      ...(row.indexed_table ? { table: row.indexed_table } : {}),
    }));
}
