/**
 * The planner as referee (PARALLEL.md section 4): plans a statement - never runs it - inside a
 * READ ONLY transaction that is always rolled back, under a statement timeout.
 *  A. zero parallel costs and size thresholds: does a Gather appear anywhere? (parallel possible)
 *  B. debug_parallel_query = on (force_parallel_mode before 16) with a prohibitive setup cost:
 *     a single-copy Gather on top means every part of the plan is parallel safe.
 */
import type { ClientBase } from 'pg';
import { initParser, parseSql } from '../core/parse';
import type { PlannerProbe } from '../core/plan-types';

export interface PlanNode {
  'Node Type': string;
  'Single Copy'?: boolean;
  'Total Cost'?: number;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

export function containsGather(node: PlanNode | undefined): boolean {
  if (!node) return false;
  if (node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge') return true;
  return (node.Plans ?? []).some(containsGather);
}

/** Refuses text with more than one statement before anything reaches the server. */
export async function requireSingleStatement(sql: string): Promise<void> {
  await initParser();
  const parsed = parseSql(sql);
  if (!parsed.ok) throw new Error(`the statement does not parse: ${parsed.message}`);
  if (parsed.statements.length !== 1) throw new Error(`expected exactly one statement, found ${parsed.statements.length}`);
}

async function topPlan(client: ClientBase, sql: string, generic: boolean): Promise<PlanNode> {
  const { rows } = await client.query(`EXPLAIN (FORMAT JSON${generic ? ', GENERIC_PLAN' : ''}) ${sql}`);
  const json = rows[0]['QUERY PLAN'];
  const doc = typeof json === 'string' ? JSON.parse(json) : json;
  return doc[0].Plan as PlanNode;
}

export async function probeParallelism(client: ClientBase, sql: string, options: { timeoutMs?: number } = {}): Promise<PlannerProbe> {
  try {
    await requireSingleStatement(sql);
  } catch (error) {
    return { parallelPossible: false, wholePlanSafe: false, error: (error as Error).message };
  }
  const timeout = Math.max(1, Math.floor(options.timeoutMs ?? 10_000));
  const versionNum = Number((await client.query('SHOW server_version_num')).rows[0].server_version_num);
  const generic = /\$\d/.test(sql);
  if (generic && versionNum < 160000) {
    return { parallelPossible: false, wholePlanSafe: false, error: 'statements with $n parameters can be planned only on PostgreSQL 16 and later (EXPLAIN GENERIC_PLAN)' };
  }
  const force = versionNum >= 160000 ? 'debug_parallel_query' : 'force_parallel_mode';
  await client.query('BEGIN READ ONLY');
  try {
    await client.query(`SET LOCAL statement_timeout = ${timeout}`);
    const serial = await topPlan(client, sql, generic);
    await client.query("SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL min_parallel_index_scan_size = 0");
    const cheap = await topPlan(client, sql, generic);
    await client.query(`SET LOCAL parallel_setup_cost = 1e10; SET LOCAL parallel_tuple_cost = 1e10; SET LOCAL ${force} = on`);
    const forced = await topPlan(client, sql, generic);
    return {
      parallelPossible: containsGather(cheap),
      wholePlanSafe: forced['Node Type'] === 'Gather' && forced['Single Copy'] === true,
      serialCost: serial['Total Cost'],
      parallelCost: cheap['Total Cost'],
    };
  } catch (error) {
    return { parallelPossible: false, wholePlanSafe: false, error: (error as Error).message };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
  }
}
