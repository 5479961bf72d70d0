/**
 * Reads a live catalog into a CatalogSnapshot in a handful of bulk queries (server/src/db/queries).
 * Catalog reads are the only thing run against the user's database without being asked.
 */
import * as fs from 'fs';
import type { ClientBase } from 'pg';
import type {
  CatalogFunction,
  CatalogRelation,
  CatalogSnapshot,
  FunctionKind,
  ParallelLabel,
  ParallelSettings,
  Volatility,
} from '../core/catalog-snapshot';
import { packageFile } from '../package-root';

const queries = new Map<string, string>();

function query(name: string): string {
  let text = queries.get(name);
  if (text === undefined) {
    text = fs.readFileSync(packageFile('server', 'src', 'db', 'queries', `${name}.sql`), 'utf8');
    queries.set(name, text);
  }
  return text;
}

/** Settings worth knowing for parallel plans, their cost, and the settings audit. */
export const PARALLEL_SETTING_NAMES = [
  'max_parallel_workers_per_gather',
  'max_parallel_workers',
  'max_worker_processes',
  'min_parallel_table_scan_size',
  'min_parallel_index_scan_size',
  'parallel_setup_cost',
  'parallel_tuple_cost',
  'parallel_leader_participation',
  'debug_parallel_query',
  'force_parallel_mode',
  'work_mem',
  'hash_mem_multiplier',
  'maintenance_work_mem',
  'max_connections',
  'superuser_reserved_connections',
  'reserved_connections',
  'shared_buffers',
  'effective_cache_size',
  'random_page_cost',
  'seq_page_cost',
  'cpu_tuple_cost',
  'block_size',
];

const DEFAULT_SETTINGS: ParallelSettings = {
  max_parallel_workers_per_gather: 2,
  max_parallel_workers: 8,
  max_worker_processes: 8,
  min_parallel_table_scan_size: 1024,
  min_parallel_index_scan_size: 64,
  parallel_setup_cost: 1000,
  parallel_tuple_cost: 0.1,
};

export async function readSettings(client: ClientBase): Promise<ParallelSettings> {
  const { rows } = await client.query(query('settings'), [PARALLEL_SETTING_NAMES]);
  const settings: ParallelSettings = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    settings[row.name] = row.vartype === 'integer' || row.vartype === 'real' ? Number(row.setting) : row.setting;
  }
  return settings;
}

/** IN-argument names: proargnames covers OUT/TABLE arguments too, proargmodes says which are which. */
function inputNames(names: string[] | null, modes: string[] | null, count: number): string[] {
  if (!names) return Array(count).fill('');
  if (!modes) return names.slice(0, count).map((n) => n ?? '');
  return names.filter((_, i) => modes[i] === 'i' || modes[i] === 'b' || modes[i] === 'v').map((n) => n ?? '');
}

export async function readCatalogSnapshot(client: ClientBase, source: Partial<CatalogSnapshot['source']> = {}): Promise<CatalogSnapshot> {
  const session = (await client.query(query('session'))).rows[0];
  // One connection runs one query at a time; in sequence, as pg expects.
  const functions = await client.query(query('functions'));
  const operators = await client.query(query('operators'));
  const casts = await client.query(query('casts'));
  const types = await client.query(query('types'));
  const relations = await client.query(query('relations'));
  const viewFunctions = await client.query(query('view-functions'));
  const policyFunctions = await client.query(query('policy-functions'));
  const settings = await readSettings(client);
  const byView = new Map<number, number[]>(viewFunctions.rows.map((r) => [Number(r.oid), r.functions.map(Number)]));
  const byPolicy = new Map<number, number[]>(policyFunctions.rows.map((r) => [Number(r.oid), r.functions.map(Number)]));

  return {
    formatVersion: 1,
    source: {
      kind: 'live',
      versionNum: session.version_num,
      version: session.version,
      user: session.user,
      database: session.database,
      ...source,
    },
    searchPath: session.search_path,
    settings,
    functions: functions.rows.map((r): CatalogFunction => {
      const fn: CatalogFunction = {
        oid: Number(r.oid),
        schema: r.schema,
        name: r.name,
        argTypes: r.arg_types,
        argNames: inputNames(r.arg_names, r.arg_modes, r.arg_types.length),
        defaults: r.defaults,
        variadic: r.variadic,
        kind: r.kind as FunctionKind,
        language: r.language,
        volatility: r.volatility as Volatility,
        parallel: r.parallel as ParallelLabel,
        returnType: r.return_type,
        returnsSet: r.returns_set,
      };
      if (r.description) fn.description = r.description;
      if (r.combinable !== null) fn.combinable = r.combinable;
      return fn;
    }),
    operators: operators.rows.map((r) => ({
      oid: Number(r.oid),
      schema: r.schema,
      name: r.name,
      left: r.left,
      right: r.right,
      result: r.result,
      functionOid: Number(r.function_oid),
    })),
    casts: casts.rows.map((r) => ({ source: r.source, target: r.target, functionOid: Number(r.function_oid), context: r.context, method: r.method })),
    types: types.rows.map((r) => ({
      oid: Number(r.oid),
      schema: r.schema,
      name: r.name,
      formatted: r.formatted,
      category: r.category,
      preferred: r.preferred,
      kind: r.kind,
      ...(r.base_type ? { baseType: r.base_type, hasConstraints: r.has_constraints } : {}),
      ...(r.element_type ? { elementType: r.element_type } : {}),
    })),
    relations: relations.rows.map((r): CatalogRelation => {
      const oid = Number(r.oid);
      const rel: CatalogRelation = {
        oid,
        schema: r.schema,
        name: r.name,
        kind: r.kind,
        persistence: r.persistence,
        pages: r.pages,
        rowSecurity: r.row_security,
        columns: r.column_names.map((name: string, i: number) => ({ name, type: r.column_types[i] })),
      };
      if (r.parallel_workers !== null) rel.parallelWorkers = Number(r.parallel_workers);
      if (byView.has(oid)) rel.viewFunctions = byView.get(oid);
      if (byPolicy.has(oid)) rel.policyFunctions = byPolicy.get(oid);
      if (r.foreign_wrapper) rel.foreignWrapper = r.foreign_wrapper;
      return rel;
    }),
  };
}
