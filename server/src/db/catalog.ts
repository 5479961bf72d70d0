/**
 * Reads a live catalog into a CatalogSnapshot with a handful of bulk queries (server/src/db/queries),
 * all inside one read-only REPEATABLE READ transaction so they see the same catalog state. Type names
 * are format_type() spellings, schema-qualified outside pg_catalog.
 */
import * as fs from 'fs';
import type { ClientBase, QueryResultRow } from 'pg';
import type {
  CatalogCast,
  CatalogColumn,
  CatalogFunction,
  CatalogIndex,
  LeaderOnlyChild,
  CatalogOperator,
  CatalogRelation,
  CatalogSnapshot,
  CatalogType,
  FunctionKind,
  ParallelLabel,
  ParallelSettings,
  ViewRowSecurity,
  Volatility,
} from '../core/catalog-snapshot';
import { inlineBodyText } from '../core/inline';
import { packageFile } from '../package-root';
import { messageOf } from '../error-message';

const queryTexts = new Map<string, string>();

/** The text of server/src/db/queries/<name>.sql, found from the package root (tree or bundle alike). */
export function catalogQuery(name: string): string {
  let text = queryTexts.get(name);
  if (text === undefined) {
    text = fs.readFileSync(packageFile('server', 'src', 'db', 'queries', `${name}.sql`), 'utf8');
    queryTexts.set(name, text);
  }
  return text;
}

/**
 * Settings read into the snapshot: those that decide parallel plans and their cost, plus those the
 * settings audit needs (connection slots, memory). Names a version lacks are simply absent
 * (debug_parallel_query is force_parallel_mode before 16, reserved_connections is new in 16).
 * Numbers are in pg_settings base units: *_size, shared_buffers, effective_cache_size in 8kB pages,
 * work_mem and maintenance_work_mem in kB.
 */
export const SETTING_NAMES = [
  'max_parallel_workers_per_gather',
  'max_parallel_workers',
  'max_worker_processes',
  'max_parallel_maintenance_workers',
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

const REQUIRED_NUMERIC_SETTINGS = [
  'max_parallel_workers_per_gather',
  'max_parallel_workers',
  'max_worker_processes',
  'min_parallel_table_scan_size',
  'min_parallel_index_scan_size',
  'parallel_setup_cost',
  'parallel_tuple_cost',
] as const;

interface SettingRow {
  name: string;
  setting: string;
  vartype: string;
}

export async function readSettings(client: ClientBase): Promise<ParallelSettings> {
  const { rows } = await client.query<SettingRow>(catalogQuery('settings'), [SETTING_NAMES]);
  const values: Record<string, number | string> = {};
  for (const row of rows) {
    values[row.name] = row.vartype === 'integer' || row.vartype === 'real' ? Number(row.setting) : row.setting;
  }
  for (const name of REQUIRED_NUMERIC_SETTINGS) {
    if (typeof values[name] !== 'number') throw new Error(`the server did not report the setting ${name}`);
  }
  return values as ParallelSettings;
}

/** IN-argument names: proargnames also names OUT and TABLE arguments; proargmodes says which are which. */
function inputArgNames(names: (string | null)[] | null, modes: string[] | null, count: number): string[] {
  if (!names) return Array<string>(count).fill('');
  const input = modes ? names.filter((_, i) => modes[i] === 'i' || modes[i] === 'b' || modes[i] === 'v') : names.slice(0, count);
  return input.map((name) => name ?? '');
}

/** The columns OUT, INOUT and TABLE parameters give a call in FROM (an unnamed one '': the walker names it). */
export function outputColumns(names: (string | null)[] | null, modes: string[] | null, types: string[] | null): CatalogColumn[] | undefined {
  if (!modes || !types) return undefined;
  const columns: CatalogColumn[] = [];
  modes.forEach((mode, i) => {
    if (mode === 'o' || mode === 'b' || mode === 't') columns.push({ name: names?.[i] ?? '', type: types[i] });
  });
  return columns.length > 0 ? columns : undefined;
}

const oids = (values: string[]): number[] => values.map(Number);

/** A JSON text column, or null when the column is. */
function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

/**
 * One copy of each repeated value: pg gives every row its own strings and arrays, and a catalog of
 * 100,000 functions repeats the same few schemas, languages, types and argument lists (interning
 * them holds such a catalog in about a third less memory). Shared lists are frozen: nobody may
 * change one function's list under another.
 */
class Interner {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly string[]>();
  private readonly jsonLists = new Map<string, string[]>();
  private readonly names = new Map<string | number, string[]>();

  string(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  /** A list sent as JSON text: the same text is the same list, so a repeated one is not parsed again. */
  jsonList(json: string): string[] {
    let known = this.jsonLists.get(json);
    if (!known) this.jsonLists.set(json, (known = this.list(JSON.parse(json) as string[])));
    return known;
  }

  /** The names of a function's arguments when all are IN (proargmodes null): proargnames' JSON text, or none. */
  inputNames(json: string | null, count: number): string[] {
    const key = json ?? count;
    let known = this.names.get(key);
    if (!known) this.names.set(key, (known = this.list(inputArgNames(parseJson(json), null, count))));
    return known;
  }

  list(values: readonly string[]): string[] {
    // The length too: [] and [''] join alike.
    const key = `${values.length}:${values.join('\u0000')}`;
    let known = this.lists.get(key);
    if (!known) this.lists.set(key, (known = Object.freeze(values.map((v) => this.string(v)))));
    return known as string[];
  }
}

/**
 * Rows of functions.sql per FETCH. Small: rows still arriving when V8 collects young objects are
 * moved to the old generation, which is collected late; with 2,000 a language server holding
 * 100,000 functions peaked at 180-200 MB, with 10,000 at 215-220 MB (same read time).
 */
export const FUNCTION_PAGE = 2_000;

function functionFromRow(r: QueryResultRow, interned: Interner): CatalogFunction {
  // kind, volatility, parallel, strict, returns a set, variadic (functions.sql).
  const flags: string = r.flags;
  const argTypes = interned.jsonList(r.arg_types);
  // Argument modes come only with OUT, INOUT, TABLE or VARIADIC arguments. Most functions have
  // none: their arguments' names are known by proargnames' text, parsed once (a 100,000-function
  // read then allocates less than half as much here).
  const modes = parseJson<string[]>(r.arg_modes);
  const names = modes && parseJson<(string | null)[]>(r.arg_names);
  const fn: CatalogFunction = {
    oid: Number(r.oid),
    schema: interned.string(r.schema),
    name: r.name,
    argTypes,
    argNames: modes ? interned.list(inputArgNames(names, modes, argTypes.length)) : interned.inputNames(r.arg_names, argTypes.length),
    defaults: r.defaults,
    variadic: flags[5] === 't',
    kind: flags[0] as FunctionKind,
    language: interned.string(r.language),
    volatility: flags[1] as Volatility,
    parallel: flags[2] as ParallelLabel,
    returnType: interned.string(r.return_type),
    returnsSet: flags[4] === 't',
    strict: flags[3] === 't',
  };
  if (r.cost !== null) fn.cost = r.cost;
  const outColumns = modes && outputColumns(names, modes, parseJson(r.all_arg_types));
  if (outColumns) fn.outColumns = outColumns.map((c) => ({ name: interned.string(c.name), type: interned.string(c.type) }));
  if (r.inline_body !== null) fn.inlineBody = inlineBodyText(r.inline_body);
  if (r.description) fn.description = r.description;
  if (r.combinable !== null) fn.combinable = r.combinable;
  if (r.sort_operator !== null) fn.sortOperator = Number(r.sort_operator);
  return fn;
}

/** relations.sql's indexes column, with only what is set. */
function indexesFromJson(text: string): CatalogIndex[] {
  type Row = { name: string; method: string; columns: string[]; unique: boolean; partial: boolean; deferrable: boolean; orderedBy: number[][] | null };
  return (parseJson<Row[]>(text) ?? []).map((row) => {
    const index: CatalogIndex = { name: row.name, columns: row.columns };
    if (row.method !== 'btree') index.method = row.method;
    if (row.unique) index.unique = true;
    if (row.partial) index.partial = true;
    if (row.deferrable) index.deferrable = true;
    if (row.orderedBy) index.orderedBy = row.orderedBy;
    return index;
  });
}

/** relations.sql's leader_only_children column, with only what is set. */
function leaderOnlyChildrenFromJson(text: string): LeaderOnlyChild[] {
  type Row = { schema: string; name: string; foreignWrapper: string | null; bound: string | null };
  return (parseJson<Row[]>(text) ?? []).map(({ schema, name, foreignWrapper, bound }) => ({
    schema,
    name,
    ...(foreignWrapper !== null ? { foreignWrapper } : {}),
    ...(bound !== null ? { bound } : {}),
  }));
}

const IN_FAILED_TRANSACTION = '25P02';
/** How long the read waits for a lock pg_get_viewdef needs (view-definitions.sql) before it leaves the definitions out. */
const VIEW_DEFINITION_LOCK_TIMEOUT = '200ms';

/**
 * The database's own views' definitions, by oid: the last query of the read, in a savepoint under a
 * short lock_timeout (pg_get_viewdef locks the relations a view reads), rolled back once the rows
 * are in, which lets those locks go at once. A lock that came after the query's check, a view
 * dropped meanwhile, or a lock table too small for so many views fails it: the read then goes on
 * without definitions (those views pass on only the functions they reach) and says so in
 * `warnings`, rather than failing or waiting.
 */
async function readViewDefinitions(client: ClientBase, warnings: string[]): Promise<Map<number, string>> {
  await client.query('SAVEPOINT pg_parallel_hints_views');
  let definitions = new Map<number, string>();
  let failure: unknown;
  try {
    await client.query(`SET LOCAL lock_timeout = '${VIEW_DEFINITION_LOCK_TIMEOUT}'`);
    const rows = (await client.query(catalogQuery('view-definitions'))).rows;
    definitions = new Map(rows.filter((r) => typeof r.definition === 'string').map((r) => [Number(r.oid), r.definition as string]));
  } catch (error) {
    failure = error;
  }
  // Rolled back either way: the locks pg_get_viewdef took go at once. After a failure, its own
  // error is the one to tell (on a connection that is gone, the rollback would only say so).
  const ended = client.query('ROLLBACK TO SAVEPOINT pg_parallel_hints_views; RELEASE SAVEPOINT pg_parallel_hints_views');
  if (failure === undefined) {
    await ended;
    return definitions;
  }
  await ended.catch(() => undefined);
  if (!leavesDefinitionsOut(failure)) throw failure;
  warnings.push(`views' definitions left out of this catalog read (${messageOf(failure)}): those views pass on only the functions they reach until the next read`);
  return new Map();
}

/**
 * lock_not_available, query_canceled (statement_timeout), undefined_table, out of shared memory
 * (the lock table), and a view dropped meanwhile ("could not open relation with OID", XX000).
 */
function leavesDefinitionsOut(error: unknown): boolean {
  const { code } = error as { code?: string };
  return ['55P03', '57014', '42P01', '53200'].includes(code ?? '') || (code === 'XX000' && /could not open relation/.test(messageOf(error)));
}

export interface CatalogReadHooks {
  /** After each page of functions is read (the language server's garbage collection checkpoint, memory.ts). */
  afterPage?: () => void;
}

/**
 * Everything the engine needs about the database `client` is connected to. `source` overrides the
 * recorded origin (kind, host...); by default it is a live snapshot of the client's host, database
 * and user. Reads in a read-only transaction of its own; inside the caller's transaction it reads
 * in a savepoint instead (seeing that transaction's uncommitted DDL) and leaves it as it was.
 */
export async function readCatalogSnapshot(
  client: ClientBase,
  source: Partial<CatalogSnapshot['source']> = {},
  hooks: CatalogReadHooks = {},
): Promise<CatalogSnapshot> {
  const aborted = new Error('cannot read the catalog: the current transaction is aborted');
  // pg rejects a failed query on the error message, before the server's ReadyForQuery has updated
  // the status: an aborted transaction can still look open here, and SAVEPOINT then tells.
  const status = (client as { getTransactionStatus?: () => string | null }).getTransactionStatus?.();
  if (status === 'E') throw aborted;
  const inCallersTransaction = status === 'T';
  try {
    await client.query(inCallersTransaction ? 'SAVEPOINT pg_parallel_hints_catalog' : 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  } catch (error) {
    if ((error as { code?: string }).code === IN_FAILED_TRANSACTION) throw aborted;
    throw error;
  }
  try {
    return await readInTransaction(client, source, hooks);
  } finally {
    // Rolling back also undoes the SET LOCAL settings below and closes the cursor of a failed read.
    const end = inCallersTransaction ? 'ROLLBACK TO SAVEPOINT pg_parallel_hints_catalog; RELEASE SAVEPOINT pg_parallel_hints_catalog' : 'ROLLBACK';
    await client.query(end).catch(() => undefined);
  }
}

async function readInTransaction(client: ClientBase, sourceOverrides: Partial<CatalogSnapshot['source']>, hooks: CatalogReadHooks): Promise<CatalogSnapshot> {
  // One query at a time: pg queues concurrent queries on one client, but deprecates doing so.
  const session = (await client.query(catalogQuery('session'))).rows[0];
  // format_type() qualifies a type only when the search_path does not reach it: with pg_catalog
  // alone, every other type is spelled with its schema ("public.mood") whatever the session's path.
  await client.query("SET LOCAL search_path = pg_catalog, pg_temp");
  const settings = await readSettings(client);
  const interned = new Interner();
  const functions: CatalogFunction[] = [];
  // One query, fetched a page at a time: the rows of 100,000 functions held at once cost more
  // memory than the catalog made of them. Planned for the whole result, as a plain query would be.
  await client.query('SET LOCAL cursor_tuple_fraction = 1');
  await client.query(`DECLARE pg_parallel_hints_functions NO SCROLL CURSOR FOR ${catalogQuery('functions')}`);
  // The next page is asked for before this one is turned into functions, so the server makes it
  // meanwhile: sent as soon as this page's answer ends (one query in flight, none queued).
  const fetchPage = () => client.query(`FETCH ${FUNCTION_PAGE} FROM pg_parallel_hints_functions`);
  let pending = fetchPage();
  for (;;) {
    const page = (await pending).rows;
    const last = page.length < FUNCTION_PAGE;
    if (!last) {
      pending = fetchPage();
      // Left unawaited if this page fails to convert: the rollback after it reports the connection's state.
      pending.catch(() => undefined);
    }
    for (const row of page) functions.push(functionFromRow(row, interned));
    hooks.afterPage?.();
    if (last) break;
  }
  await client.query('CLOSE pg_parallel_hints_functions');
  const operatorRows = (await client.query(catalogQuery('operators'))).rows;
  const castRows = (await client.query(catalogQuery('casts'))).rows;
  const typeRows = (await client.query(catalogQuery('types'))).rows;
  const relationRows = (await client.query(catalogQuery('relations'))).rows;
  const viewRows = (await client.query(catalogQuery('view-functions'))).rows;
  // Views read tables with row security as their owners: those roles' policies are read too.
  const sessionRole = Number(session.user_oid);
  const viewReadRows = (await client.query(catalogQuery('view-row-security'))).rows.filter((r) => r.active);
  const roles = [...new Set([sessionRole, ...viewReadRows.map((r) => Number(r.role))])];
  const policyRows = (await client.query(catalogQuery('policy-functions'), [roles])).rows;

  const viewFunctions = new Map<number, number[]>(viewRows.map((r) => [Number(r.oid), oids(r.functions)]));
  const warnings: string[] = [];
  const viewDefinitions = await readViewDefinitions(client, warnings);
  /** The policies a SELECT by a role gets on a table, by "table oid/role oid". */
  const policiesFor = new Map<string, { functions: number[]; subqueries?: string[] }>();
  for (const r of policyRows) {
    const reached = new Set<number>(oids(r.functions));
    for (const view of oids(r.views)) for (const fn of viewFunctions.get(view) ?? []) reached.add(fn);
    policiesFor.set(`${r.oid}/${r.role}`, { functions: [...reached].sort((a, b) => a - b), ...(r.subqueries !== null ? { subqueries: r.subqueries } : {}) });
  }
  const viewRowSecurity = new Map<number, ViewRowSecurity[]>();
  for (const r of viewReadRows) {
    const policies = policiesFor.get(`${r.table_oid}/${r.role}`);
    if (!policies) continue;
    const reads = viewRowSecurity.get(Number(r.view_oid)) ?? [];
    reads.push({ schema: r.table_schema, name: r.table_name, role: r.role_name, ...policies });
    viewRowSecurity.set(Number(r.view_oid), reads);
  }

  const connectedHost = (client as { host?: unknown }).host;
  const source: CatalogSnapshot['source'] = {
    kind: 'live',
    versionNum: Number(session.version_num),
    version: session.version,
    ...(typeof connectedHost === 'string' && connectedHost ? { host: connectedHost } : {}),
    database: session.database,
    user: session.user,
    ...sourceOverrides,
  };

  return {
    formatVersion: 1,
    source,
    ...(warnings.length > 0 ? { warnings } : {}),
    searchPath: session.search_path,
    settings,
    functions,
    operators: operatorRows.map(
      (r): CatalogOperator => ({
        oid: Number(r.oid),
        schema: r.schema,
        name: r.name,
        left: r.left,
        right: r.right,
        result: r.result,
        functionOid: Number(r.function_oid),
      }),
    ),
    casts: castRows.map(
      (r): CatalogCast => ({ source: r.source, target: r.target, functionOid: Number(r.function_oid), context: r.context, method: r.method }),
    ),
    types: typeRows.map((r): CatalogType => {
      const type: CatalogType = {
        oid: Number(r.oid),
        schema: r.schema,
        name: r.name,
        formatted: r.formatted,
        category: r.category,
        preferred: r.preferred,
        kind: r.kind,
      };
      if (r.base_type !== null) {
        type.baseType = r.base_type;
        type.hasConstraints = r.has_constraints;
      }
      if (r.element_type !== null) type.elementType = r.element_type;
      if (r.input_function !== null) type.inputFunction = Number(r.input_function);
      if (r.output_function !== null) type.outputFunction = Number(r.output_function);
      if (r.fields !== null) type.fields = JSON.parse(r.fields) as CatalogColumn[];
      if (r.range_subtype !== null) {
        type.rangeSubtype = r.range_subtype;
        type.multirangeType = r.multirange_type;
      }
      return type;
    }),
    relations: relationRows.map((r): CatalogRelation => {
      const oid = Number(r.oid);
      const relation: CatalogRelation = {
        oid,
        schema: r.schema,
        name: r.name,
        kind: r.kind,
        persistence: r.persistence,
        pages: r.pages,
        rowSecurity: r.row_security,
        columns: (r.column_names as string[]).map((name, i) => ({ name, type: r.column_types[i] as string })),
      };
      const workers = r.parallel_workers === null ? NaN : Number(r.parallel_workers);
      if (Number.isInteger(workers)) relation.parallelWorkers = workers;
      if (r.security_barrier) relation.securityBarrier = true;
      if (r.kind === 'v' || r.kind === 'm') relation.viewFunctions = viewFunctions.get(oid) ?? [];
      const definition = viewDefinitions.get(oid);
      if (definition !== undefined) relation.viewDefinition = definition;
      const policies = r.row_security ? policiesFor.get(`${oid}/${sessionRole}`) : undefined;
      if (r.row_security) relation.policyFunctions = policies?.functions ?? [];
      if (policies?.subqueries) relation.policySubqueries = policies.subqueries;
      const throughView = viewRowSecurity.get(oid);
      if (throughView) relation.viewRowSecurity = throughView;
      if (r.row_security_bypassed) relation.rowSecurityBypassed = true;
      if (r.has_subclass) relation.hasChildren = true;
      if (r.foreign_wrapper) relation.foreignWrapper = r.foreign_wrapper;
      if (r.indexes !== null) relation.indexes = indexesFromJson(r.indexes);
      if (r.leader_only_children !== null) relation.leaderOnlyChildren = leaderOnlyChildrenFromJson(r.leader_only_children);
      if (r.partition_key !== null) relation.partitionKey = parseJson<NonNullable<CatalogRelation['partitionKey']>>(r.partition_key)!;
      return relation;
    }),
  };
}
