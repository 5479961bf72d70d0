/**
 * The planner as referee (PARALLEL.md section 4): plans a statement - never runs it - inside a
 * READ ONLY transaction that is always rolled back, under a statement timeout.
 *  A. zero parallel costs and size thresholds: does a Gather appear anywhere? (parallel possible)
 *  B. debug_parallel_query = on (force_parallel_mode before 16) with a prohibitive setup cost:
 *     a single-copy Gather on top means every part of the plan is parallel safe.
 */
import type { ClientBase, QueryConfig } from 'pg';
import { checkExplainable, ExplainableCheck } from '../core/explainable';
import { initParser } from '../core/parse';
import type { PlannerProbe } from '../core/plan-types';
import { messageOf } from '../error-message';
import { answeringWithin } from './connection';

export interface PlanNode {
  'Node Type': string;
  'Single Copy'?: boolean;
  'Total Cost'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export type Explainable = Extract<ExplainableCheck, { ok: true }>;

export const PARAMETERS_NEED_16 =
  'the statement has $n parameters: PostgreSQL plans those only from version 16 on (EXPLAIN GENERIC_PLAN); replace them with values to explain it here';

/** Any Gather or Gather Merge in the tree, initplans and subplans included (they are in Plans too). */
export function containsGather(node: PlanNode | undefined): boolean {
  if (!node) return false;
  if (node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge') return true;
  return (node.Plans ?? []).some(containsGather);
}

/** Parses and checks the text; throws before anything reaches the server if it is not one plannable statement. */
export async function requireExplainable(sql: string): Promise<Explainable> {
  await initParser();
  const check = checkExplainable(sql);
  if (!check.ok) throw new Error(check.message);
  return check;
}

export async function serverVersionNum(client: ClientBase): Promise<number> {
  const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
  return Number(rows[0].server_version_num);
}

/**
 * Set first (SET LOCAL) in every transaction that sends the user's statement: the server reads it as
 * the parser did. PostgreSQL's grammar takes a backslash in '...' as itself; a server with
 * standard_conforming_strings off takes \' as a quote inside the literal, so 'a\', '...' would end
 * elsewhere, and over the simple protocol (a statement with $n parameters) what the parser took for
 * a string would reach the server as further statements (COMMIT; DROP TABLE ...).
 */
export const AS_PARSED = { standard_conforming_strings: 'on' } as const;

/** SET LOCAL for several settings in one round trip (set_config(..., true) is SET LOCAL). */
export async function setLocal(client: ClientBase, settings: Record<string, string | number>): Promise<void> {
  const names = Object.keys(settings);
  await client.query('SELECT set_config(name, value, true) FROM unnest($1::text[], $2::text[]) AS s(name, value)', [
    names,
    names.map((name) => String(settings[name])),
  ]);
}

/**
 * EXPLAIN (FORMAT JSON, ...options) of a checked statement; returns the document (one element per
 * planned query). Without parameters it goes through the extended protocol, which refuses a second
 * statement on the server side as well. With parameters it cannot: binding values would plan for
 * those values, not generically, so it uses the simple protocol and relies on the parser's check,
 * which holds only under AS_PARSED (set by every caller).
 */
export async function explainDocument(client: ClientBase, statement: Explainable, options: string[]): Promise<Record<string, unknown>[]> {
  const text = `EXPLAIN (${['FORMAT JSON', ...options, ...(statement.parameters > 0 ? ['GENERIC_PLAN'] : [])].join(', ')}) ${statement.statement}`;
  const query: QueryConfig & { queryMode?: 'extended' } = statement.parameters > 0 ? { text } : { text, queryMode: 'extended' };
  // Again right before each: a function planning folds (IMMUTABLE, constant arguments) may have
  // turned it off with set_config in the plan before.
  if (statement.parameters > 0) await setLocal(client, AS_PARSED);
  const { rows } = await client.query(query);
  const raw = rows[0]?.['QUERY PLAN'];
  const doc: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!Array.isArray(doc) || doc.length === 0 || typeof doc[0] !== 'object' || doc[0] === null || !('Plan' in doc[0])) {
    throw new Error(`${statement.kind} has no plan: EXPLAIN answered ${JSON.stringify(doc)}`);
  }
  return doc as Record<string, unknown>[];
}

async function topPlan(client: ClientBase, statement: Explainable): Promise<PlanNode> {
  const [first] = await explainDocument(client, statement, []);
  return first.Plan as PlanNode;
}

/**
 * Far above any real plan's cost (disable_cost is 1e10 before PostgreSQL 18, and a plan may hold
 * several disabled nodes), so under probe B a real Gather never wins, yet small enough that cost
 * arithmetic stays finite and exact to well below one unit.
 */
const PROHIBITIVE_SETUP_COST = '1e15';

export async function probeParallelism(
  client: ClientBase,
  sql: string,
  options: { timeoutMs?: number; versionNum?: number } = {},
): Promise<PlannerProbe> {
  const failed = (error: unknown): PlannerProbe => ({ parallelPossible: false, wholePlanSafe: false, error: messageOf(error) });
  let statement: Explainable;
  try {
    statement = await requireExplainable(sql);
  } catch (error) {
    return failed(error);
  }
  const timeout = Math.max(1, Math.floor(options.timeoutMs ?? 10_000));
  // A backend that stops answering fails the probe instead of holding it (and a CI job) forever.
  const db = answeringWithin(client, timeout);
  try {
    await db.query('BEGIN READ ONLY');
    const versionNum = options.versionNum ?? (await serverVersionNum(db));
    if (statement.parameters > 0 && versionNum < 160000) return failed(PARAMETERS_NEED_16);
    const force = versionNum >= 160000 ? 'debug_parallel_query' : 'force_parallel_mode';
    // A session that forces parallel mode itself would show a single-copy Gather as "the plan".
    await setLocal(db, { ...AS_PARSED, statement_timeout: timeout, [force]: 'off' });
    const workersPerGather = Number((await db.query('SHOW max_parallel_workers_per_gather')).rows[0].max_parallel_workers_per_gather);

    const chosen = await topPlan(db, statement);
    const chosenParallel = containsGather(chosen);
    let serial = chosen;
    if (chosenParallel) {
      await setLocal(db, { max_parallel_workers_per_gather: 0 });
      serial = await topPlan(db, statement);
    }
    // With no workers per gather the planner never even considers parallel paths.
    await setLocal(db, { max_parallel_workers_per_gather: workersPerGather > 0 ? workersPerGather : 2 });

    await setLocal(db, { parallel_setup_cost: PROHIBITIVE_SETUP_COST, [force]: 'on' });
    const forced = await topPlan(db, statement);

    await setLocal(db, {
      [force]: 'off',
      parallel_setup_cost: 0,
      parallel_tuple_cost: 0,
      min_parallel_table_scan_size: 0,
      min_parallel_index_scan_size: 0,
    });
    const cheap = await topPlan(db, statement);
    const parallelPossible = containsGather(cheap);

    return {
      parallelPossible,
      wholePlanSafe: forced['Node Type'] === 'Gather' && forced['Single Copy'] === true,
      serialCost: serial['Total Cost'],
      ...(parallelPossible ? { parallelCost: cheap['Total Cost'] } : {}),
      chosenCost: chosen['Total Cost'],
      chosenParallel,
      workersPerGather,
    };
  } catch (error) {
    return failed(error);
  } finally {
    await db.query('ROLLBACK').catch(() => undefined);
  }
}
