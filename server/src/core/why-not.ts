/**
 * "Why is this statement not parallel?" (PARALLEL.md section 4), decided from what the planner
 * answered when re-planned under changed settings (db/why-not.ts asks it) and from the static
 * analysis of the statement. Pure: facts in, a verdict and findings out.
 *
 * The checks, in this order; the first that holds is the verdict, later ones that also hold are
 * kept as further findings:
 *  1. the plan the session would run is parallel: nothing to explain;
 *  2. structural: with parallel costs and size thresholds at zero still no Gather, and the static
 *     analysis names what is unsafe or restricted (its reasons are reused, never re-derived);
 *  3. max_parallel_workers_per_gather = 0;
 *  4. a table the statement reads has the storage parameter parallel_workers = 0;
 *  5. size: a Gather appears with the size thresholds at zero, but not with them as set;
 *  6. cost: a Gather appears once the parallel costs are lowered. The value of parallel_setup_cost
 *     (or, if that is not enough, parallel_tuple_cost) at which it wins is computed from the costs,
 *     then checked by re-planning at that value;
 *  7. none of these: the planner finds nothing it could split among workers.
 *
 * Costs are the planner's units (top node Total Cost), comparable only within one statement on one
 * server. What is compared: the serial plan is the best plan with max_parallel_workers_per_gather = 0;
 * the parallel plan is the cheapest plan with parallel_setup_cost = 0 (all else as the session has
 * it) when that plan has a Gather, with parallel_setup_cost added back once per Gather, as the
 * planner charges it (cost_gather: startup cost + parallel_setup_cost).
 */
import type { ParallelSettings } from './catalog-snapshot';
import { formatKilobytes, groupDigits } from './plan';
import type { PlannerProbe } from './plan-types';
import type { Reason, Reference, Severity, StatementResult, TextRange } from './types';

export type WhyNotVerdict =
  | 'parallel-plan-chosen'
  | 'structural'
  | 'parallel-disabled'
  | 'table-parallel-workers-zero'
  | 'table-below-min-parallel-scan-size'
  | 'cost-threshold'
  | 'no-parallel-path'
  | 'probe-failed';

export interface WhyNotFinding {
  /** Stable: the static reason's code for structural blockers (unsafe-function, row-locking ...), else one of the checks' codes. */
  code: string;
  severity: Severity;
  message: string;
  advice?: string;
  /** Static reasons only: where in the analysed text (UTF-16 offsets, as StatementResult ranges). */
  range?: TextRange;
}

/** A table or index the statement reads, as the planner sizes it now. */
export interface RelationFacts {
  schema: string;
  name: string;
  kind: 'table' | 'index';
  /** Blocks in the main fork now (pg_relation_size / block_size): what the planner's size check reads, not pg_class.relpages. */
  pages: number;
  /** The storage parameter parallel_workers, when set. */
  parallelWorkers?: number;
  /** A partition: the planner considers partial scans of partitions whatever their size. */
  partition?: boolean;
  /** Indexes: the table they index (schema-qualified). */
  table?: string;
}

/** What one re-plan gave. */
export interface PlanOutcome {
  /** The top node's Total Cost. */
  cost: number;
  /** Gather and Gather Merge nodes that are not single-copy. */
  gathers: number;
  /** Workers Planned, summed over those Gathers. */
  workers: number;
  /** Plan Rows of those Gathers, summed: what parallel_tuple_cost is charged on. */
  gatheredRows: number;
}

/** The search for the value of a parallel cost at which the planner switches to a Gather. */
export interface SwitchSearch {
  setting: 'parallel_setup_cost' | 'parallel_tuple_cost';
  /** Settings held while searching, besides the session's own (parallel_setup_cost = 0 for the tuple cost). */
  holding: Record<string, number>;
  /** Where the parallel plan's cost, computed from the costs, equals the serial plan's. */
  breakEven: number;
  /** Where it is 1% below (PLANNER_FUZZ_FACTOR): where the planner should switch, and where the search starts. */
  expectedSwitch: number;
  /** The highest value tried at which re-planning gave a Gather; absent when none did. */
  parallelAt?: number;
  /** The plan re-planned at parallelAt. */
  planAt?: PlanOutcome;
  /** The lowest value tried above parallelAt at which the plan stayed serial. */
  serialAt?: number;
}

/** Re-plans beyond the probe's, each inside the same rolled-back READ ONLY transaction. */
export interface WhyNotEvidence {
  /** min_parallel_table_scan_size = min_parallel_index_scan_size = 0, parallel costs as set. */
  withoutSizeThresholds?: PlanOutcome;
  /** parallel_setup_cost = 0, everything else as set. */
  withoutSetupCost?: PlanOutcome;
  /** parallel_setup_cost = parallel_tuple_cost = 0, size thresholds as set. */
  withoutParallelCosts?: PlanOutcome;
  /** Only when max_parallel_workers_per_gather = 0: the plan with it at 2 (the default). */
  withWorkersEnabled?: PlanOutcome;
  switchSearch?: SwitchSearch;
}

export interface WhyNotInput {
  probe: PlannerProbe;
  /** The static analysis of the statement (its culprits name structural blockers). */
  statement?: StatementResult;
  /** The session's settings, pg_settings base units (sizes in blocks). */
  settings: ParallelSettings;
  /** pg_settings.source of max_parallel_workers_per_gather: database, user, configuration file, session ... */
  workersPerGatherSource?: string;
  /** Tables the statement reads and indexes the zero-cost plan scans in parallel. */
  relations: RelationFacts[];
  evidence: WhyNotEvidence;
}

export interface WhyNotCosts {
  /** Best plan with max_parallel_workers_per_gather = 0 (the probe's serialCost). */
  serial?: number;
  /** The plan with parallel costs and size thresholds at 0: a lower bound for any parallel plan (the probe's parallelCost). */
  parallelLowerBound?: number;
  /** Cheapest plan with parallel_setup_cost = 0, when it is parallel. */
  parallelWithoutSetupCost?: number;
  /** parallelWithoutSetupCost + parallel_setup_cost x its Gathers: the parallel plan at the session's costs. */
  parallel?: number;
  parallelSetupCost: number;
  parallelTupleCost: number;
  switchSearch?: SwitchSearch;
}

export interface WhyNot {
  verdict: WhyNotVerdict;
  /** One sentence. */
  message: string;
  /** What each re-plan answered, in words. */
  details: string[];
  /** The first finding's advice. */
  advice?: string;
  findings: WhyNotFinding[];
  costs?: WhyNotCosts;
}

/**
 * add_path keeps the old path unless the new one is cheaper by this factor (STD_FUZZ_FACTOR in
 * pathnode.c): a parallel plan replaces the serial one only when it costs under serial / 1.01.
 */
export const PLANNER_FUZZ_FACTOR = 1.01;

/**
 * parallel_setup_cost at which the parallel plan (costed without it, each Gather adding it once)
 * costs the serial plan's cost divided by `fuzz`: 1 gives the break-even, PLANNER_FUZZ_FACTOR the
 * value below which the planner should switch.
 */
export function setupCostBreakEven(serialCost: number, withoutSetupCost: PlanOutcome, fuzz = 1): number | undefined {
  if (withoutSetupCost.gathers === 0) return undefined;
  return (serialCost / fuzz - withoutSetupCost.cost) / withoutSetupCost.gathers;
}

/** parallel_tuple_cost (with parallel_setup_cost = 0) at which the parallel plan costs the serial plan's cost divided by `fuzz`. */
export function tupleCostBreakEven(serialCost: number, withoutParallelCosts: PlanOutcome, fuzz = 1): number | undefined {
  if (withoutParallelCosts.gathers === 0 || withoutParallelCosts.gatheredRows <= 0) return undefined;
  return (serialCost / fuzz - withoutParallelCosts.cost) / withoutParallelCosts.gatheredRows;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const cost = (n: number | undefined): string => (n === undefined ? '?' : groupDigits(round2(n)));
/** A tuple cost with enough digits to tell it from its neighbours. */
const smallNumber = (n: number): string => String(Number(n.toPrecision(3)));
const plural = (n: number, one: string, many = `${one}s`): string => `${groupDigits(n)} ${n === 1 ? one : many}`;
const isParallel = (plan: PlanOutcome | undefined): boolean => (plan?.gathers ?? 0) > 0;

function sizeWords(pages: number, settings: ParallelSettings): string {
  const blockSize = typeof settings.block_size === 'number' ? settings.block_size : 8192;
  return `${formatKilobytes((pages * blockSize) / 1024)} (${plural(pages, 'page')})`;
}

const SOURCE_WORDS: Record<string, string> = {
  database: 'set for this database with ALTER DATABASE ... SET',
  user: 'set for this role with ALTER ROLE ... SET',
  'database user': 'set for this role in this database with ALTER ROLE ... IN DATABASE ... SET',
  'configuration file': 'set in the server configuration',
  'command line': "set on the server's command line",
  client: 'set by the client when connecting, e.g. in PGOPTIONS',
  session: 'SET in this session',
};

const UNDO_WORDS: Record<string, string> = {
  database: 'ALTER DATABASE <name> RESET max_parallel_workers_per_gather',
  user: 'ALTER ROLE <name> RESET max_parallel_workers_per_gather',
  'database user': 'ALTER ROLE <name> IN DATABASE <name> RESET max_parallel_workers_per_gather',
  'configuration file': 'remove it from postgresql.conf (or ALTER SYSTEM RESET max_parallel_workers_per_gather) and reload',
};

/** The functions a static reason is about: those of the reference at its range with its label. */
function culpritFunctions(reason: Reason, references: Reference[]): string[] {
  const label = reason.hazard === 'unsafe' ? 'u' : 'r';
  const ref = references.find((r) => r.range.start === reason.range.start && r.range.end === reason.range.end && r.functions.length > 0);
  return (ref?.functions ?? []).filter((fn) => fn.parallel === label).map((fn) => `${fn.schema}.${fn.name}(${fn.argTypes.join(', ')})`);
}

function structuralAdvice(reason: Reason, references: Reference[]): string | undefined {
  switch (reason.code) {
    case 'write-statement':
      return 'Only queries that do not write get parallel plans: if the query part is the expensive part, run it as its own SELECT or CREATE TABLE AS (both can be parallel) and write from its result.';
    case 'row-locking':
      return 'Lock the rows in a separate, small statement (or drop the locking clause if nothing needs the lock), and read the rest with a plain query.';
    case 'cursor':
      return 'Run the query without a cursor: a plain SELECT, or in PL/pgSQL RETURN QUERY or a set-based statement instead of FOR ... IN query LOOP.';
    case 'data-modifying-cte':
      return 'Move the data-modifying CTE into a statement of its own.';
    case 'temporary-table':
      return 'Only the leader can read a temporary table: use an ordinary (or UNLOGGED) table for data big enough to share among workers.';
    case 'materialized-cte':
      return 'Let the planner inline the CTE (remove MATERIALIZED, and reference it once) so its scan can run in workers.';
    case 'correlated-subquery':
      return 'Rewrite the correlated subquery as a join (or LATERAL join), which can run in workers.';
    default:
      break;
  }
  const functions = culpritFunctions(reason, references);
  if (functions.length === 0) return undefined;
  const builtIn = functions.every((fn) => fn.startsWith('pg_catalog.'));
  if (builtIn) return `${functions.join(', ')} ${functions.length === 1 ? 'is' : 'are'} built in and labelled as PostgreSQL needs: compute the value once before the query (a variable or parameter) instead of inside it.`;
  const labels = functions.map((fn) => `ALTER FUNCTION ${fn} PARALLEL SAFE`).join('; ');
  const restrictedToo = reason.hazard === 'unsafe' ? ' (PARALLEL RESTRICTED already allows a parallel plan, with the call kept in the leader)' : '';
  return `If ${functions.join(', ')} writes nothing, uses no temporary tables, cursors, sequences or session state and calls nothing unsafe, label it: ${labels}${restrictedToo}. Otherwise compute its value before the query. The server does not check labels: a wrong SAFE label fails at run time.`;
}

/** The static reasons that block: the unsafe ones if there are any, else the restricted ones. */
function structuralCulprits(statement: StatementResult | undefined): Reason[] {
  if (!statement) return [];
  const unsafe = statement.reasons.filter((r) => r.hazard === 'unsafe');
  if (unsafe.length > 0) return unsafe;
  return statement.reasons.filter((r) => r.hazard === 'restricted');
}

function tableName(r: RelationFacts): string {
  return `${r.schema}.${r.name}`;
}

export function classifyWhyNot(input: WhyNotInput): WhyNot {
  const { probe, statement, settings, evidence, relations } = input;
  const setupCost = settings.parallel_setup_cost;
  const tupleCost = settings.parallel_tuple_cost;
  const costs: WhyNotCosts = {
    ...(probe.serialCost === undefined ? {} : { serial: probe.serialCost }),
    ...(probe.parallelCost === undefined ? {} : { parallelLowerBound: probe.parallelCost }),
    parallelSetupCost: setupCost,
    parallelTupleCost: tupleCost,
  };
  if (probe.error !== undefined) {
    return {
      verdict: 'probe-failed',
      message: `The planner could not be asked: ${probe.error}`,
      details: [],
      findings: [{ code: 'probe-failed', severity: 'error', message: `the why-not-parallel probe failed: ${probe.error}` }],
    };
  }

  const details: string[] = [];
  const verdicts: { verdict: WhyNotVerdict; message: string }[] = [];
  const findings: WhyNotFinding[] = [];
  const serial = probe.serialCost;
  details.push(`serial plan (max_parallel_workers_per_gather = 0): cost ${cost(serial)}`);
  details.push(
    probe.parallelPossible
      ? `zero-cost probe (parallel costs and size thresholds at 0): a Gather appears, cost ${cost(probe.parallelCost)}`
      : 'zero-cost probe (parallel costs and size thresholds at 0): no Gather',
  );
  details.push(`whole-plan probe (debug_parallel_query): ${probe.wholePlanSafe ? 'every part of the plan is parallel safe' : 'some part of the plan is not parallel safe'}`);

  if (probe.chosenParallel) {
    return {
      verdict: 'parallel-plan-chosen',
      message: `The plan the session would run is parallel (cost ${cost(probe.chosenCost)} against ${cost(serial)} for the best serial plan).`,
      details,
      findings: [],
      costs,
    };
  }

  // 2. Structural: the planner cannot build a Gather at any cost, and the analysis says why.
  const culprits = probe.parallelPossible ? [] : structuralCulprits(statement);
  if (culprits.length > 0) {
    const unsafe = culprits[0].hazard === 'unsafe';
    const references = statement?.references ?? [];
    return {
      verdict: 'structural',
      message: unsafe
        ? `No parallel plan is possible at any cost: the statement is parallel unsafe (${plural(culprits.length, 'reason')} below).`
        : `No parallel plan is possible at any cost: what the statement reads or calls is PARALLEL RESTRICTED and stays in the leader (${plural(culprits.length, 'reason')} below).`,
      details,
      advice: structuralAdvice(culprits[0], references),
      findings: culprits.map((reason) => {
        const advice = structuralAdvice(reason, references);
        return { code: reason.code, severity: reason.severity, message: reason.message, ...(advice ? { advice } : {}), range: reason.range };
      }),
      costs,
    };
  }

  // 3. Parallel query switched off for the session.
  if (probe.workersPerGather === 0) {
    const source = input.workersPerGatherSource ? SOURCE_WORDS[input.workersPerGatherSource] : undefined;
    const enabled = evidence.withWorkersEnabled;
    if (enabled) {
      details.push(
        isParallel(enabled)
          ? `with max_parallel_workers_per_gather = 2 the planner chooses a Gather (checked): cost ${cost(enabled.cost)} against ${cost(serial)}`
          : `with max_parallel_workers_per_gather = 2 the plan stays serial (checked), for the reasons below`,
      );
    }
    const undo = input.workersPerGatherSource ? UNDO_WORDS[input.workersPerGatherSource] : undefined;
    const message = `max_parallel_workers_per_gather = 0${source ? ` (${source})` : ''}: the planner considers no parallel plan at all`;
    verdicts.push({ verdict: 'parallel-disabled', message: `Parallel query is off: ${message}.` });
    findings.push({
      code: 'parallel-disabled',
      severity: 'warning',
      message,
      advice: `Try SET max_parallel_workers_per_gather = 2 in the session (SET LOCAL inside a transaction)${undo ? `; to undo it for everyone: ${undo}` : ''}.`,
    });
  }

  // 4. Tables that may never be scanned by workers.
  const neverParallel = relations.filter((r) => r.kind === 'table' && r.parallelWorkers === 0);
  if (neverParallel.length > 0) {
    const names = neverParallel.map(tableName);
    const message = `${names.join(', ')} ${neverParallel.length === 1 ? 'has' : 'have'} the storage parameter parallel_workers = 0: the planner never scans ${neverParallel.length === 1 ? 'it' : 'them'} with workers`;
    verdicts.push({ verdict: 'table-parallel-workers-zero', message: `${message}.` });
    findings.push({
      code: 'table-parallel-workers-zero',
      severity: 'warning',
      message,
      advice: `${names.map((n) => `ALTER TABLE ${n} RESET (parallel_workers)`).join('; ')} lets the planner choose the workers by size again (or SET (parallel_workers = N) to fix their number).`,
    });
  }

  // 5. Size: the Gather needs the thresholds at zero.
  const sizesBlock = probe.parallelPossible && evidence.withoutParallelCosts !== undefined && !isParallel(evidence.withoutParallelCosts);
  const tableThreshold = settings.min_parallel_table_scan_size;
  const indexThreshold = settings.min_parallel_index_scan_size;
  const smallTables = relations.filter((r) => r.kind === 'table' && !r.partition && r.parallelWorkers === undefined && r.pages < tableThreshold);
  const smallIndexes = relations.filter((r) => r.kind === 'index' && r.pages < indexThreshold);
  if (sizesBlock) {
    const withoutSizes = evidence.withoutSizeThresholds;
    let advice: string;
    if (withoutSizes && isParallel(withoutSizes)) {
      details.push(`with min_parallel_table_scan_size and min_parallel_index_scan_size at 0 the planner chooses a Gather (checked): cost ${cost(withoutSizes.cost)} against ${cost(serial)}`);
      advice =
        'Small tables seldom gain from workers. To try anyway for this statement: SET LOCAL min_parallel_table_scan_size = 0 (and min_parallel_index_scan_size = 0), or give the table a fixed number: ALTER TABLE ... SET (parallel_workers = 2); then compare with EXPLAIN ANALYZE.';
    } else {
      if (withoutSizes) details.push(`with the size thresholds at 0 the serial plan is still cheaper (checked): the best plan costs ${cost(withoutSizes.cost)}, the serial one ${cost(serial)}`);
      advice = 'Nothing to change: even a parallel scan of it would cost more than the serial plan.';
    }
    for (const table of smallTables) {
      findings.push({
        code: 'table-below-min-parallel-scan-size',
        severity: 'information',
        message: `${tableName(table)} is ${sizeWords(table.pages, settings)}, below min_parallel_table_scan_size = ${sizeWords(tableThreshold, settings)}: the planner does not consider scanning it with workers`,
        advice,
      });
    }
    for (const index of smallIndexes) {
      findings.push({
        code: 'index-below-min-parallel-scan-size',
        severity: 'information',
        message: `index ${tableName(index)}${index.table ? ` on ${index.table}` : ''} is ${sizeWords(index.pages, settings)}, below min_parallel_index_scan_size = ${sizeWords(indexThreshold, settings)}: the planner does not consider a parallel scan of it`,
        advice,
      });
    }
    if (smallTables.length === 0 && smallIndexes.length === 0) {
      findings.push({
        code: 'table-below-min-parallel-scan-size',
        severity: 'information',
        message: `a Gather appears only with min_parallel_table_scan_size and min_parallel_index_scan_size at 0: a relation the statement scans is below them (${sizeWords(tableThreshold, settings)} for tables, ${sizeWords(indexThreshold, settings)} for indexes)`,
        advice,
      });
    }
    const named = [...smallTables.map(tableName), ...smallIndexes.map((i) => `index ${tableName(i)}`)];
    verdicts.push({
      verdict: 'table-below-min-parallel-scan-size',
      message: named.length
        ? `Too small for workers: ${named.join(', ')} ${named.length === 1 ? 'is' : 'are'} below the size from which the planner considers a parallel scan.`
        : 'Too small for workers: a Gather appears only with the size thresholds at 0.',
    });
  }

  // 6. Cost: a Gather appears once the parallel costs are lowered.
  const withoutSetup = evidence.withoutSetupCost;
  const withoutCosts = evidence.withoutParallelCosts;
  const search = evidence.switchSearch;
  if (serial !== undefined && (isParallel(withoutSetup) || isParallel(withoutCosts))) {
    let message: string;
    let advice: string;
    const checked = (setting: string, held: string): string => {
      if (!search || search.parallelAt === undefined) return `; re-planning found no value at which the planner switches (checked)`;
      const shown = (value: number) => (setting === 'parallel_tuple_cost' ? smallNumber(value) : groupDigits(value));
      const stays = search.serialAt === undefined ? '' : `; at ${shown(search.serialAt)} it keeps the serial plan`;
      return `; at ${held}${setting} = ${shown(search.parallelAt)} the planner switches to a Gather (checked: cost ${cost(search.planAt?.cost)}${stays})`;
    };
    if (withoutSetup && isParallel(withoutSetup)) {
      const parallelCost = withoutSetup.cost + withoutSetup.gathers * setupCost;
      costs.parallelWithoutSetupCost = withoutSetup.cost;
      costs.parallel = parallelCost;
      const breakEven = setupCostBreakEven(serial, withoutSetup)!;
      message =
        `the cheapest parallel plan costs ${cost(parallelCost)} (${cost(withoutSetup.cost)} without the setup cost, plus parallel_setup_cost = ${groupDigits(setupCost)} for ${withoutSetup.gathers === 1 ? 'its Gather' : `each of its ${withoutSetup.gathers} Gathers`}) ` +
        `against ${cost(serial)} for the serial plan. They break even at parallel_setup_cost = ${cost(breakEven)}, and the planner takes the parallel plan only when it is over 1% cheaper (below ${cost(
          setupCostBreakEven(serial, withoutSetup, PLANNER_FUZZ_FACTOR)!,
        )})` +
        checked('parallel_setup_cost', '');
      advice =
        search?.parallelAt !== undefined
          ? `For this statement: SET LOCAL parallel_setup_cost = ${groupDigits(search.parallelAt)} inside its transaction, then compare with EXPLAIN ANALYZE (--analyze): costs are estimates, and a parallel plan that barely wins on cost is often no faster. Lowering it for everyone starts workers for many small queries.`
          : 'Costs are estimates: compare with EXPLAIN ANALYZE before changing parallel_setup_cost.';
    } else {
      const plan = withoutCosts!;
      const breakEven = tupleCostBreakEven(serial, plan);
      message =
        `even at parallel_setup_cost = 0 the serial plan (${cost(serial)}) is cheaper; with parallel_tuple_cost at 0 as well the parallel plan costs ${cost(plan.cost)} ` +
        `(${plural(Math.round(plan.gatheredRows), 'row')} cross the Gather at parallel_tuple_cost = ${tupleCost} each)` +
        (breakEven === undefined
          ? ''
          : `. With parallel_setup_cost = 0 they break even at parallel_tuple_cost = ${smallNumber(breakEven)}, and the planner takes the parallel plan only when it is over 1% cheaper (below ${smallNumber(
              tupleCostBreakEven(serial, plan, PLANNER_FUZZ_FACTOR)!,
            )})`) +
        checked('parallel_tuple_cost', 'parallel_setup_cost = 0 and ');
      advice =
        'Too many rows cross the Gather for workers to pay off: filter or aggregate below it (fewer rows to the leader). Lowering parallel_tuple_cost only hides that cost; compare with EXPLAIN ANALYZE first.';
    }
    if (search) costs.switchSearch = search;
    verdicts.push({
      verdict: 'cost-threshold',
      message: `A parallel plan is possible but costs more than the serial plan at parallel_setup_cost = ${groupDigits(setupCost)}, parallel_tuple_cost = ${tupleCost}.`,
    });
    findings.push({ code: 'cost-threshold', severity: 'information', message, advice });
  }

  // 7. Nothing above explains it.
  if (verdicts.length === 0 && !probe.parallelPossible) {
    const unknown = statement?.verdict === 'unknown';
    verdicts.push({
      verdict: 'no-parallel-path',
      message: unknown
        ? 'Even with parallel costs and size thresholds at 0 the planner builds no Gather, and the static analysis could not judge this statement (see its reasons).'
        : 'Even with parallel costs and size thresholds at 0 the planner builds no Gather, and nothing the statement reaches is unsafe or restricted: there is nothing for workers to share (no table or index scan the planner can split).',
    });
  }
  if (verdicts.length === 0) {
    verdicts.push({ verdict: 'no-parallel-path', message: 'A Gather appears only in the zero-cost probe, and none of the checks tells why the planner does not choose it.' });
  }
  return { verdict: verdicts[0].verdict, message: verdicts[0].message, details, ...(findings[0]?.advice ? { advice: findings[0].advice } : {}), findings, costs };
}

/**
 * The why-not section of a text report. `locate` turns a static reason's range into "file:line:column"
 * (the CLI knows the document; the core does not).
 */
export function renderWhyNot(whyNot: WhyNot, locate?: (range: TextRange) => string | undefined): string {
  const lines = [`Why not parallel? ${whyNot.verdict}`, `  ${whyNot.message}`];
  for (const detail of whyNot.details) lines.push(`  - ${detail}`);
  for (const f of whyNot.findings) {
    const where = f.range && locate ? locate(f.range) : undefined;
    lines.push(`  ${f.severity} ${f.code}${where ? ` at ${where}` : ''}: ${f.message}`);
    if (f.advice) lines.push(`    advice: ${f.advice}`);
  }
  return lines.join('\n') + '\n';
}
