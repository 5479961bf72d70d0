/**
 * The workspace's own DDL, applied to the catalog in file order so that each statement sees exactly
 * what was defined before it: functions, procedures, aggregates, operators, casts, views, tables,
 * indexes, domains, policies, ALTER ... PARALLEL / parallel_workers, DROP, and SET search_path.
 */
import { VIEW_SHAPES } from './catalog-snapshot';
import type { CatalogColumn, CatalogFunction, CatalogIndex, CatalogRelation, CatalogType, DomainConstraint, FilePolicy, InliningBlocked, LeaderOnlyChild, ParallelLabel, SourceLocation, ViewShape, Volatility } from './catalog-snapshot';
import { Catalog, allocateLocalOid, qualifiedTypeName } from './catalog';
import { inlineBodyText } from './inline';
import { AstNode, nameList, scanSql } from './parse';
import { boundText } from './partitions';
import { nodeKind, typeNameOf, viewTraits } from './walker';
import type { WalkedQuery } from './walker';

export interface DdlContext {
  catalog: Catalog;
  /** Where the statement is, for definedAt and for the catalog's version key. */
  location: SourceLocation;
  /** Hash of the statement text: part of the version key so that editing a definition invalidates what follows. */
  textKey: string;
  /** The statement's text (a SQL-standard function body is read from it). */
  sql: string;
  /**
   * Walks a query (view definitions, CREATE TABLE AS): the functions it reaches, its columns, and
   * what a view defined by it passes on to statements reading it (row locks, temporary tables,
   * plan shapes that run only in the leader).
   */
  walkQuery(query: AstNode): WalkedQuery;
  /** Walks a condition over the rows of `relation` (a policy's): the functions it reaches, and what in it runs only in the leader. */
  walkCondition(expr: AstNode, relation: CatalogRelation): { functions: CatalogFunction[]; shapes: ViewShape[] };
}

function defElems(options: AstNode[] | undefined): Map<string, AstNode> {
  const map = new Map<string, AstNode>();
  for (const o of options ?? []) {
    const d = o.DefElem;
    if (d?.defname) map.set(d.defname, d.arg);
  }
  return map;
}

function stringArg(arg: AstNode): string | undefined {
  if (!arg) return undefined;
  if (arg.String) return arg.String.sval;
  if (arg.TypeName) return nameList(arg.TypeName.names).pop();
  if (Array.isArray(arg.List?.items)) return stringArg(arg.List.items[0]);
  if (arg.A_Const?.sval) return arg.A_Const.sval.sval;
  if (arg.A_Const?.ival) return String(arg.A_Const.ival.ival ?? 0);
  if (arg.Integer) return String(arg.Integer.ival ?? 0);
  return undefined;
}

const PARALLEL_WORDS: Record<string, ParallelLabel> = { safe: 's', restricted: 'r', unsafe: 'u' };
const VOLATILITY: Record<string, Volatility> = { immutable: 'i', stable: 's', volatile: 'v' };

/** The input argument types of CREATE FUNCTION parameters (OUT and TABLE columns excluded). */
export function inputArguments(catalog: Catalog, parameters: AstNode[] | undefined): { types: string[]; names: string[]; defaults: number; variadic: boolean } {
  const types: string[] = [];
  const names: string[] = [];
  let defaults = 0;
  let variadic = false;
  for (const p of parameters ?? []) {
    const fp = p.FunctionParameter;
    if (!fp) continue;
    const mode = fp.mode as string;
    if (mode === 'FUNC_PARAM_OUT' || mode === 'FUNC_PARAM_TABLE') continue;
    types.push(typeNameOf(catalog, fp.argType));
    names.push(fp.name ?? '');
    if (fp.defexpr) defaults++;
    if (mode === 'FUNC_PARAM_VARIADIC') variadic = true;
  }
  return { types, names, defaults, variadic };
}

export interface FunctionDefinition {
  fn: CatalogFunction;
  /** The PARALLEL clause as written, if any. */
  parallelClause?: ParallelLabel;
  /** The body: the AS string (SQL or PL/pgSQL source), or the parsed SQL-standard body. */
  body?: string;
  sqlBody?: AstNode;
}

/** Reads a CREATE FUNCTION / PROCEDURE statement into a catalog function (not yet added). */
export function readCreateFunction(catalog: Catalog, n: AstNode, location: SourceLocation, sql: string): FunctionDefinition {
  const names = nameList(n.funcname);
  const name = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : catalog.creationSchema;
  const options = defElems(n.options);
  const args = inputArguments(catalog, n.parameters);
  const parallelWord = stringArg(options.get('parallel'))?.toLowerCase();
  const parallelClause = parallelWord ? PARALLEL_WORDS[parallelWord] : undefined;
  const tableColumns = (n.parameters ?? []).some((p: AstNode) => p.FunctionParameter?.mode === 'FUNC_PARAM_TABLE');
  const asItems: AstNode[] = options.get('as')?.List?.items ?? [];
  const body = asItems.length === 1 ? asItems[0]?.String?.sval : undefined;
  const language = (stringArg(options.get('language')) ?? 'sql').toLowerCase();
  // Without RETURNS, OUT parameters say: one its type, several a record.
  const outColumns = outputParameters(catalog, n.parameters);
  const fromOut = outColumns.length === 1 ? outColumns[0].type : outColumns.length > 1 ? 'record' : undefined;
  // RETURNS TABLE: the grammar gives the one column's type, or record (TableFuncTypeName).
  const returnType = n.is_procedure ? 'void' : typeNameOf(catalog, n.returnType) || fromOut || 'void';
  const returnsSet = tableColumns || !!n.returnType?.TypeName?.setof || !!n.returnType?.setof;
  const fn: CatalogFunction = {
    oid: allocateLocalOid(),
    schema,
    name,
    argTypes: args.types,
    argNames: args.names,
    defaults: args.defaults,
    variadic: args.variadic,
    kind: n.is_procedure ? 'p' : 'f',
    language,
    volatility: VOLATILITY[stringArg(options.get('volatility'))?.toLowerCase() ?? ''] ?? 'v',
    parallel: parallelClause ?? 'u',
    returnType,
    returnsSet,
    strict: options.get('strict')?.Boolean?.boolval === true,
    ...costOf(options.get('cost'), language),
    definedAt: location,
    labelledExplicitly: parallelClause !== undefined,
  };
  if (outColumns.length > 0) fn.outColumns = outColumns;
  // Kept whatever the label (an ALTER FUNCTION may make it RESTRICTED): a body the planner could inline.
  const text = language === 'sql' && !n.is_procedure ? (body ?? (n.sql_body ? sqlBodyOf(sql) : undefined)) : undefined;
  if (text !== undefined) {
    const blocked = { body: inlineBodyText(text), securityDefiner: options.get('security')?.Boolean?.boolval === true, settings: [] as string[] };
    for (const o of n.options ?? []) if (o.DefElem?.defname === 'set') blocked.settings = changedSettings(blocked.settings, o.DefElem.arg);
    setInlining(fn, blocked);
  }
  return { fn, parallelClause, body, sqlBody: n.sql_body };
}

/** `settings` after a SET / RESET clause of CREATE or ALTER FUNCTION (a VariableSetStmt). */
function changedSettings(settings: string[], clause: AstNode): string[] {
  const set = clause?.VariableSetStmt ?? clause;
  if (set?.kind === 'VAR_RESET_ALL') return [];
  const name = String(set?.name ?? '').toLowerCase();
  // SET x = DEFAULT (or TO DEFAULT) removes the setting, as RESET x does.
  if (set?.kind === 'VAR_RESET' || set?.kind === 'VAR_SET_DEFAULT') return settings.filter((s) => s !== name);
  return settings.includes(name) ? settings : [...settings, name];
}

/** The function inlinable with `blocked.body`, or kept from it by what `blocked` names (inline_function). */
function setInlining(fn: CatalogFunction, blocked: InliningBlocked): void {
  if (blocked.securityDefiner || blocked.settings.length > 0) {
    delete fn.inlineBody;
    fn.inliningBlocked = blocked;
  } else {
    fn.inlineBody = blocked.body;
    delete fn.inliningBlocked;
  }
}

/** The columns OUT, INOUT and TABLE parameters give a call in FROM (an unnamed one '': the walker names it). */
function outputParameters(catalog: Catalog, parameters: AstNode[] | undefined): CatalogColumn[] {
  const columns: CatalogColumn[] = [];
  for (const p of parameters ?? []) {
    const fp = p.FunctionParameter;
    if (fp?.mode !== 'FUNC_PARAM_OUT' && fp?.mode !== 'FUNC_PARAM_INOUT' && fp?.mode !== 'FUNC_PARAM_TABLE') continue;
    columns.push({ name: fp.name ?? '', type: typeNameOf(catalog, fp.argType) });
  }
  return columns;
}

/** COST n, where it is not the language's default (CatalogFunction.cost). */
function costOf(arg: AstNode, language: string): { cost?: number } {
  const written = arg?.Integer?.ival ?? (arg?.Float?.fval !== undefined ? Number(arg.Float.fval) : undefined);
  if (written === undefined) return {};
  return written === (language === 'internal' || language === 'c' ? 1 : 100) ? {} : { cost: written };
}

/**
 * A SQL-standard body (RETURN ... or BEGIN ATOMIC ... END) as written in its CREATE FUNCTION
 * statement: from the first of those keywords outside quotes and comments. A text search, checked
 * by counting quotes before it; the scanner only where that is not enough (scanning every such
 * statement cost 4% of a pass over PostgreSQL's own SQL).
 */
function sqlBodyOf(sql: string): string | undefined {
  const keyword = /\b(?:return|begin\s+atomic)\b/gi;
  for (let m = keyword.exec(sql); m; m = keyword.exec(sql)) {
    const before = sql.slice(0, m.index);
    const plain = !/--|\/\*|\$/.test(before) && (before.split("'").length - 1) % 2 === 0 && (before.split('"').length - 1) % 2 === 0;
    if (plain) return sql.slice(m.index).replace(/;\s*$/, '');
    break;
  }
  const tokens = scanSql(sql);
  const word = (i: number) => (tokens[i]?.kind === 'keyword' ? tokens[i].text.toUpperCase() : '');
  const start = tokens.findIndex((_, i) => word(i) === 'RETURN' || (word(i) === 'BEGIN' && word(i + 1) === 'ATOMIC'));
  return start < 0 ? undefined : sql.slice(tokens[start].start).replace(/;\s*$/, '');
}

/** Finds a function named in ALTER/DROP FUNCTION (ObjectWithArgs). */
function findFunction(catalog: Catalog, owa: AstNode): CatalogFunction[] {
  const o = owa?.ObjectWithArgs ?? owa;
  if (!o) return [];
  const names = nameList(o.objname);
  const name = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : undefined;
  const candidates = catalog.functionsNamed(name, schema);
  if (o.args_unspecified) return candidates;
  const types = (o.objargs ?? []).map((t: AstNode) => typeNameOf(catalog, t));
  return candidates.filter((fn) => fn.argTypes.length === types.length && fn.argTypes.every((a, i) => a === types[i]));
}

const RELATION_OBJECTS = ['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'];
const FUNCTION_OBJECTS = ['OBJECT_FUNCTION', 'OBJECT_PROCEDURE', 'OBJECT_ROUTINE', 'OBJECT_AGGREGATE'];

/**
 * RENAME TO / SET SCHEMA of a relation, function or type: the object under its new name or in its
 * new schema. A relation gets a new local oid (the old name must find nothing); a function keeps
 * its oid (what calls it still does); a type is added under its new spelling, the old one left for
 * the columns that name it. False for other objects.
 */
function moveObject(catalog: Catalog, objectType: string, relation: AstNode, object: AstNode, to: { name?: string; schema?: string }, why: string): boolean {
  if (RELATION_OBJECTS.includes(objectType)) {
    const rel = relationIn(catalog, relation);
    if (rel) {
      catalog.dropRelation(rel, why);
      catalog.defineRelation({ ...rel, oid: allocateLocalOid(), ...to }, why);
    }
    return true;
  }
  if (FUNCTION_OBJECTS.includes(objectType)) {
    const found = findFunction(catalog, object);
    if (found.length === 1) {
      // Dropped under its old name first: what reads that name is analysed again (namesChangedBy).
      catalog.dropFunction(found[0], why);
      catalog.defineFunction({ ...found[0], ...to }, why);
    }
    return true;
  }
  if (objectType === 'OBJECT_DOMAIN' || objectType === 'OBJECT_TYPE') {
    const type = typeIn(catalog, object?.List?.items);
    if (type && type.kind !== 'p') {
      const [schema, name] = [to.schema ?? type.schema, to.name ?? type.name];
      catalog.defineType({ ...type, schema, name, formatted: qualifiedTypeName(schema, name) }, why);
    }
    return true;
  }
  return false;
}

/** The type (or domain) a statement names by its qualified name's parts. */
function typeIn(catalog: Catalog, names: AstNode[] | undefined): CatalogType | undefined {
  return catalog.typeByFormatted(typeNameOf(catalog, { names: names ?? [] }));
}

function relationIn(catalog: Catalog, rv: AstNode): CatalogRelation | undefined {
  const r = rv?.RangeVar ?? rv;
  return r?.relname ? catalog.relationNamed(r.relname, r.schemaname) : undefined;
}

function newRelation(catalog: Catalog, rv: AstNode, kind: string, location: SourceLocation): CatalogRelation {
  const r = rv?.RangeVar ?? rv;
  const persistence = r?.relpersistence === 't' ? 't' : r?.relpersistence === 'u' ? 'u' : 'p';
  return {
    oid: allocateLocalOid(),
    schema: persistence === 't' ? 'pg_temp' : (r?.schemaname ?? catalog.creationSchema),
    name: r?.relname ?? '',
    kind,
    persistence,
    pages: 0,
    rowSecurity: false,
    columns: [],
    definedAt: location,
  };
}

/**
 * `rel` with `policies` (a file's FOR SELECT / FOR ALL ones, by name) and what a SELECT gets of them:
 * each permissive one's USING, and a restrictive one's only beside a permissive one (without one,
 * add_security_quals adds a constant false: no row, no call).
 */
function withPolicies(rel: CatalogRelation, policies: FilePolicy[]): CatalogRelation {
  const permissive = policies.some((p) => p.permissive);
  const counted = policies.filter((p) => p.permissive || permissive);
  const changed: CatalogRelation = { ...rel, policies, policyFunctions: [...new Set(counted.flatMap((p) => p.functions))] };
  const shapes = VIEW_SHAPES.filter((shape) => counted.some((p) => p.shapes.includes(shape)));
  if (shapes.length > 0) changed.policyShapes = shapes;
  else delete changed.policyShapes;
  return changed;
}

const PARTITION_STRATEGIES: Record<string, 'r' | 'l' | 'h'> = { PARTITION_STRATEGY_RANGE: 'r', PARTITION_STRATEGY_LIST: 'l', PARTITION_STRATEGY_HASH: 'h' };

/**
 * A foreign table, or a temporary one: as a partition or child, it keeps its parent's scans in the
 * leader (unless pruned: a partition's `bound`, FOR VALUES ...).
 */
function leaderOnlyChild(child: CatalogRelation, bound?: AstNode): LeaderOnlyChild | undefined {
  const text = boundText(bound);
  const entry: LeaderOnlyChild | undefined =
    child.kind === 'f' ? { schema: child.schema, name: child.name, foreignWrapper: child.foreignWrapper ?? '' } : child.persistence === 't' ? { schema: child.schema, name: child.name } : undefined;
  return entry && text ? { ...entry, bound: text } : entry;
}

/**
 * `child` became a partition or inheritance child of `parent` (CREATE ... PARTITION OF / INHERITS,
 * ALTER TABLE ... INHERIT): a foreign or temporary one is the parent's leader-only child. (Only the
 * parent named: a file's DDL keeps no tree of partitions to pass it further up.)
 */
function addLeaderOnlyChild(catalog: Catalog, parent: CatalogRelation | undefined, child: CatalogRelation, why: string, bound?: AstNode): void {
  const entry = leaderOnlyChild(child, bound);
  if (!parent || (!entry && parent.hasChildren)) return;
  // relhassubclass: set by the first child, cleared only lazily (never here).
  catalog.defineRelation({ ...parent, hasChildren: true, ...(entry ? { leaderOnlyChildren: [...(parent.leaderOnlyChildren ?? []), entry] } : {}) }, why);
}

/** `child` is no longer a child of `parent` (ALTER TABLE ... NO INHERIT). */
function removeLeaderOnlyChild(catalog: Catalog, parent: CatalogRelation | undefined, child: CatalogRelation, why: string): void {
  const kept = withoutChild(parent?.leaderOnlyChildren, child);
  if (parent && kept) catalog.defineRelation({ ...parent, leaderOnlyChildren: kept }, why);
}

/** `children` without `child` (DETACH PARTITION, NO INHERIT), or undefined when it was not among them. */
function withoutChild(children: readonly LeaderOnlyChild[] | undefined, child: CatalogRelation | undefined): LeaderOnlyChild[] | undefined {
  const kept = children?.filter((entry) => !child || entry.schema !== child.schema || entry.name !== child.name);
  return kept && kept.length !== children!.length ? kept : undefined;
}

/** WITH (security_barrier [= true | false]) among a view's options. */
function securityBarrier(options: Map<string, AstNode>): boolean {
  if (!options.has('security_barrier')) return false;
  const value = options.get('security_barrier');
  const word = value?.Boolean !== undefined ? String(value.Boolean.boolval ?? false) : stringArg(value)?.toLowerCase();
  return word === undefined || ['true', 'on', '1', 'yes'].includes(word);
}

/** TableLikeOption's CREATE_TABLE_LIKE_INDEXES bit (parsenodes.h; INCLUDING ALL sets every bit). */
const CREATE_TABLE_LIKE_INDEXES = 1 << 6;

/** serial, bigserial and smallserial are integer, bigint and smallint columns with a sequence's default. */
const SERIAL_TYPES: Record<string, string> = { serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint', smallserial: 'smallint', serial2: 'smallint' };

/** A column definition's type: as typeNameOf reads it, but the serial pseudo-types as the integers they make. */
function columnTypeOf(catalog: Catalog, typeName: AstNode): string {
  const names = nameList((typeName?.TypeName ?? typeName)?.names);
  const serial = names.length === 1 && !(typeName?.TypeName ?? typeName)?.arrayBounds?.length ? SERIAL_TYPES[names[0]] : undefined;
  return serial ?? typeNameOf(catalog, typeName);
}

/**
 * Applies one DDL statement to the catalog. Returns the function definition for CREATE FUNCTION
 * (the caller checks its body) and nothing otherwise.
 */
export function applyDdl(stmt: AstNode, ctx: DdlContext): FunctionDefinition | undefined {
  const kind = nodeKind(stmt) ?? '';
  const n = stmt?.[kind];
  const { catalog, location } = ctx;
  const why = `${location.uri}@${location.start}:${ctx.textKey}`;
  switch (kind) {
    case 'CreateFunctionStmt': {
      const def = readCreateFunction(catalog, n, location, ctx.sql);
      catalog.defineFunction(def.fn, why);
      return def;
    }
    case 'AlterFunctionStmt': {
      const actions = defElems(n.actions);
      const parallel = PARALLEL_WORDS[stringArg(actions.get('parallel'))?.toLowerCase() ?? ''];
      const volatility = VOLATILITY[stringArg(actions.get('volatility'))?.toLowerCase() ?? ''];
      const strict = actions.get('strict')?.Boolean?.boolval;
      const cost = actions.get('cost');
      // SECURITY DEFINER or a SET clause keeps the planner from inlining the function; SECURITY
      // INVOKER and RESET undo them (a database's function, whose body is known only when inlinable, stays as it is).
      const security = actions.get('security')?.Boolean?.boolval;
      const clauses = (n.actions ?? []).filter((a: AstNode) => a.DefElem?.defname === 'set').map((a: AstNode) => a.DefElem.arg);
      for (const fn of findFunction(catalog, n.func)) {
        const altered: CatalogFunction = { ...fn, ...(parallel ? { parallel, labelledExplicitly: true } : {}), ...(volatility ? { volatility } : {}), ...(strict !== undefined ? { strict } : {}), oid: fn.oid };
        if (cost) {
          delete altered.cost;
          Object.assign(altered, costOf(cost, fn.language));
        }
        const before = fn.inliningBlocked ?? (fn.inlineBody !== undefined ? { body: fn.inlineBody, securityDefiner: false, settings: [] } : undefined);
        if (before && (security !== undefined || clauses.length > 0)) {
          setInlining(altered, { ...before, securityDefiner: security ?? before.securityDefiner, settings: clauses.reduce(changedSettings, before.settings) });
        }
        catalog.defineFunction(altered, why);
      }
      return undefined;
    }
    case 'DefineStmt':
      defineObject(n, ctx, why);
      return undefined;
    case 'CreateCastStmt': {
      const source = typeNameOf(catalog, n.sourcetype);
      const target = typeNameOf(catalog, n.targettype);
      const fn = n.func ? findFunction(catalog, n.func)[0] : undefined;
      const context = n.context === 'COERCION_IMPLICIT' ? 'i' : n.context === 'COERCION_ASSIGNMENT' ? 'a' : 'e';
      catalog.defineCast({ source, target, functionOid: fn?.oid ?? 0, context, method: fn ? 'f' : n.inout ? 'i' : 'b', definedAt: location }, why);
      return undefined;
    }
    case 'ViewStmt': {
      const rel = newRelation(catalog, n.view, 'v', location);
      const walked = ctx.walkQuery(n.query);
      const aliases = nameList(n.aliases);
      rel.columns = (walked.columns ?? []).map((c, i) => ({ name: aliases[i] ?? c.name, type: c.type }));
      rel.viewFunctions = [...new Set(walked.functions.map((f) => f.oid))];
      if (securityBarrier(defElems(n.options))) rel.securityBarrier = true;
      Object.assign(rel, viewTraits(walked, n.query, rel.columns.map((c) => c.name)));
      catalog.defineRelation(rel, why);
      return undefined;
    }
    case 'CreateStmt':
    case 'CreateForeignTableStmt': {
      const base = kind === 'CreateForeignTableStmt' ? n.base?.CreateStmt ?? n.base : n;
      const rel = newRelation(catalog, base.relation, kind === 'CreateForeignTableStmt' ? 'f' : base.partspec ? 'p' : 'r', location);
      for (const elt of base.tableElts ?? []) {
        const col = elt.ColumnDef;
        if (col) rel.columns.push({ name: col.colname, type: columnTypeOf(catalog, col.typeName) });
        // LIKE t: t's columns, in its place among the others; INCLUDING INDEXES (or ALL), its indexes.
        const like = elt.TableLikeClause;
        const source = like ? relationIn(catalog, like.relation) : undefined;
        if (like) rel.columns.push(...(source?.columns ?? []).map((c) => ({ name: c.name, type: c.type })));
        if (like && (like.options ?? 0) & CREATE_TABLE_LIKE_INDEXES) rel.indexes = [...(rel.indexes ?? []), ...copiedIndexes(rel, source)];
      }
      for (const parent of base.inhRelations ?? []) {
        const from = relationIn(catalog, parent);
        rel.columns.push(...(from?.columns ?? []));
        // A partition gets its partitioned table's indexes.
        if (base.partbound && from?.kind === 'p') rel.indexes = [...(rel.indexes ?? []), ...copiedIndexes(rel, from)];
      }
      // PRIMARY KEY and UNIQUE, on a column or the table, make btree indexes.
      for (const elt of base.tableElts ?? []) {
        const column = elt.ColumnDef;
        for (const c of column ? column.constraints ?? [] : [elt]) {
          const index = constraintIndex(catalog, rel, c.Constraint, column ? [column.colname] : undefined);
          if (index) rel.indexes = [...(rel.indexes ?? []), index];
        }
      }
      const workers = stringArg(defElems(base.options).get('parallel_workers'));
      if (workers !== undefined) rel.parallelWorkers = Number(workers);
      if (kind === 'CreateForeignTableStmt') rel.foreignWrapper = n.servername;
      const strategy = PARTITION_STRATEGIES[base.partspec?.strategy];
      if (strategy) rel.partitionKey = { strategy, columns: (base.partspec.partParams ?? []).map((p: AstNode) => p.PartitionElem?.name ?? null) };
      catalog.defineRelation(rel, why);
      for (const parent of base.inhRelations ?? []) addLeaderOnlyChild(catalog, relationIn(catalog, parent), rel, why, base.partbound);
      return undefined;
    }
    case 'CreateTableAsStmt': {
      const into = n.into?.IntoClause ?? n.into;
      const rel = newRelation(catalog, into?.rel, n.objtype === 'OBJECT_MATVIEW' ? 'm' : 'r', location);
      const walked = ctx.walkQuery(n.query);
      const names = nameList(into?.colNames);
      rel.columns = (walked.columns ?? []).map((c, i) => ({ name: names[i] ?? c.name, type: c.type }));
      // A materialized view's query runs again at each REFRESH: what it reaches, and what runs only in the leader.
      if (rel.kind === 'm') {
        rel.viewFunctions = [...new Set(walked.functions.map((f) => f.oid))];
        Object.assign(rel, viewTraits(walked, n.query, rel.columns.map((c) => c.name)));
      }
      catalog.defineRelation(rel, why);
      return undefined;
    }
    case 'AlterTableStmt': {
      const rel = relationIn(catalog, n.relation);
      if (!rel) return undefined;
      const changed: CatalogRelation = { ...rel, columns: [...rel.columns] };
      let touched = false;
      for (const c of n.cmds ?? []) {
        const cmd = c.AlterTableCmd;
        if (!cmd) continue;
        if (cmd.subtype === 'AT_SetRelOptions' || cmd.subtype === 'AT_ResetRelOptions') {
          const opts = defElems(cmd.def?.List?.items);
          if (opts.has('security_barrier')) {
            changed.securityBarrier = cmd.subtype === 'AT_SetRelOptions' && securityBarrier(opts);
            touched = true;
          }
          if (opts.has('parallel_workers')) {
            const value = stringArg(opts.get('parallel_workers'));
            changed.parallelWorkers = cmd.subtype === 'AT_ResetRelOptions' || value === undefined ? undefined : Number(value);
            touched = true;
          }
        } else if (cmd.subtype === 'AT_EnableRowSecurity' || cmd.subtype === 'AT_ForceRowSecurity') {
          changed.rowSecurity = true;
          touched = true;
        } else if (cmd.subtype === 'AT_DisableRowSecurity') {
          changed.rowSecurity = false;
          touched = true;
        } else if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
          changed.columns.push({ name: cmd.def.ColumnDef.colname, type: columnTypeOf(catalog, cmd.def.ColumnDef.typeName) });
          touched = true;
        } else if (cmd.subtype === 'AT_AlterColumnType' && cmd.def?.ColumnDef) {
          const type = typeNameOf(catalog, cmd.def.ColumnDef.typeName);
          changed.columns = changed.columns.map((c) => (c.name === cmd.name ? { ...c, type } : c));
          // Its indexes are rebuilt with the new type's default operator class (one that had another stays unordered).
          if (changed.indexes) {
            changed.indexes = changed.indexes.map((index) => ({
              ...index,
              ...(index.orderedBy && { orderedBy: index.orderedBy.map((ops, k) => (index.columns[k] === cmd.name && ops.length ? orderingOperators(catalog, type) : ops)) }),
            }));
          }
          touched = true;
        } else if (cmd.subtype === 'AT_AddConstraint' || cmd.subtype === 'AT_AddIndex') {
          const index = cmd.def?.IndexStmt ? indexOf(catalog, changed, cmd.def.IndexStmt) : constraintIndex(catalog, changed, cmd.def?.Constraint);
          if (index) {
            changed.indexes = [...(changed.indexes ?? []), index];
            touched = true;
          }
        } else if (cmd.subtype === 'AT_DropConstraint' && changed.indexes?.some((index) => index.name === cmd.name)) {
          // A PRIMARY KEY or UNIQUE constraint's index has its name.
          changed.indexes = changed.indexes.filter((index) => index.name !== cmd.name);
          touched = true;
        } else if (cmd.subtype === 'AT_DropColumn') {
          changed.columns = changed.columns.filter((c) => c.name !== cmd.name);
          touched = true;
        } else if (cmd.subtype === 'AT_AttachPartition') {
          const child = relationIn(catalog, cmd.def?.PartitionCmd?.name);
          const entry = child && leaderOnlyChild(child, cmd.def?.PartitionCmd?.bound);
          if (entry) {
            changed.leaderOnlyChildren = [...(changed.leaderOnlyChildren ?? []), entry];
            touched = true;
          }
        } else if (cmd.subtype === 'AT_DetachPartition' || cmd.subtype === 'AT_DetachPartitionFinalize') {
          const kept = withoutChild(changed.leaderOnlyChildren, relationIn(catalog, cmd.def?.PartitionCmd?.name));
          if (kept) {
            changed.leaderOnlyChildren = kept;
            touched = true;
          }
        } else if (cmd.subtype === 'AT_AddInherit') {
          addLeaderOnlyChild(catalog, relationIn(catalog, cmd.def), changed, why);
        } else if (cmd.subtype === 'AT_DropInherit') {
          removeLeaderOnlyChild(catalog, relationIn(catalog, cmd.def), changed, why);
        }
      }
      if (touched) catalog.defineRelation({ ...changed, oid: rel.oid }, why);
      return undefined;
    }
    case 'AlterObjectSchemaStmt':
      if (n.newschema) moveObject(catalog, n.objectType, n.relation, n.object, { schema: n.newschema }, why);
      return undefined;
    case 'RenameStmt': {
      // ALTER TABLE / VIEW / FUNCTION / DOMAIN / TYPE ... RENAME TO: the object under its new name.
      if (n.newname && moveObject(catalog, n.renameType, n.relation, n.object, { name: n.newname }, why)) return undefined;
      // ALTER DOMAIN d RENAME CONSTRAINT c TO e: a later DROP names it e.
      if (n.renameType === 'OBJECT_DOMCONSTRAINT' && n.subname && n.newname) {
        const domain = typeIn(catalog, n.object?.List?.items);
        const renamed = domain?.domainConstraints?.map((c) => (c.name === n.subname ? { ...c, name: n.newname as string } : c));
        if (domain && renamed) catalog.defineType({ ...domain, domainConstraints: renamed }, why);
        return undefined;
      }
      // ALTER POLICY p ON t RENAME TO q: a later ALTER or DROP names it q.
      if (n.renameType === 'OBJECT_POLICY' && n.subname && n.newname) {
        const rel = relationIn(catalog, n.relation);
        if (rel?.policies?.some((p) => p.name === n.subname)) {
          catalog.defineRelation(withPolicies(rel, rel.policies.map((p) => (p.name === n.subname ? { ...p, name: n.newname as string } : p))), why);
        }
        return undefined;
      }
      // ALTER TABLE / VIEW ... RENAME COLUMN a TO b: the column, and what a view's column has, go by the new name.
      if (n.renameType !== 'OBJECT_COLUMN' || !n.subname || !n.newname) return undefined;
      const rel = relationIn(catalog, n.relation);
      if (!rel?.columns.some((c) => c.name === n.subname)) return undefined;
      const rename = (name: string) => (name === n.subname ? (n.newname as string) : name);
      const changed: CatalogRelation = { ...rel, columns: rel.columns.map((c) => ({ ...c, name: rename(c.name) })) };
      if (rel.indexes) changed.indexes = rel.indexes.map((index) => ({ ...index, columns: index.columns.map((c) => (c ? rename(c) : c)) }));
      if (rel.viewColumnShapes) changed.viewColumnShapes = rel.viewColumnShapes.map((c) => ({ ...c, column: rename(c.column) }));
      catalog.defineRelation(changed, why);
      return undefined;
    }
    case 'IndexStmt': {
      const rel = relationIn(catalog, n.relation);
      const index = rel ? indexOf(catalog, rel, n) : undefined;
      if (rel && index) catalog.defineRelation({ ...rel, indexes: [...(rel.indexes ?? []), index] }, why);
      return undefined;
    }
    case 'CreatePolicyStmt': {
      const rel = relationIn(catalog, n.table);
      if (!rel) return undefined;
      // A SELECT gets the USING of FOR SELECT and FOR ALL policies only (get_policies_for_relation);
      // WITH CHECK and the other commands' policies apply to rows written, never in a parallel plan.
      if (n.cmd_name !== 'all' && n.cmd_name !== 'select') return undefined;
      const { functions, shapes } = ctx.walkCondition(n.qual, rel);
      const policy: FilePolicy = { name: n.policy_name, permissive: n.permissive === true, functions: functions.map((f) => f.oid), shapes };
      catalog.defineRelation(withPolicies(rel, [...(rel.policies ?? []).filter((p) => p.name !== policy.name), policy]), why);
      return undefined;
    }
    case 'AlterPolicyStmt': {
      // A new USING changes what a SELECT gets; TO roles and WITH CHECK do not (roles are unknown here).
      const rel = relationIn(catalog, n.table);
      const old = rel?.policies?.find((p) => p.name === n.policy_name);
      if (!rel || !old || !n.qual) return undefined;
      const { functions, shapes } = ctx.walkCondition(n.qual, rel);
      catalog.defineRelation(withPolicies(rel, rel.policies!.map((p) => (p === old ? { ...old, functions: functions.map((f) => f.oid), shapes } : p))), why);
      return undefined;
    }
    case 'CreateDomainStmt': {
      const names = nameList(n.domainname);
      const name = names[names.length - 1];
      const schema = names.length > 1 ? names[names.length - 2] : catalog.creationSchema;
      const baseType = typeNameOf(catalog, n.typeName);
      // Its own constraints: those of a domain it is based on are looked up through baseType.
      const domainConstraints = (n.constraints ?? []).reduce((list: DomainConstraint[], c: AstNode) => withDomainConstraint(list, name, c.Constraint), []);
      // A domain takes its base type's category (DefineDomain copies typcategory).
      const category = catalog.typeByFormatted(catalog.rootBaseTypeOf(baseType))?.category ?? 'U';
      const type: CatalogType = { oid: allocateLocalOid(), schema, name, formatted: qualifiedTypeName(schema, name), category, preferred: false, kind: 'd', baseType, hasConstraints: domainConstraints.length > 0, domainConstraints, definedAt: location };
      defineWithArray(catalog, type, why);
      return undefined;
    }
    case 'AlterDomainStmt': {
      // ADD CONSTRAINT (C), SET NOT NULL (O) give the domain a constraint; DROP CONSTRAINT (X) and
      // DROP NOT NULL (N) take one away, which for a database's domain may leave others (unknown here).
      const domain = typeIn(catalog, n.typeName);
      if (domain?.kind !== 'd') return undefined;
      const known = domain.domainConstraints;
      if (n.subtype === 'C' || n.subtype === 'O') {
        const added = withDomainConstraint(known ?? [], domain.name, n.subtype === 'O' ? { contype: 'CONSTR_NOTNULL' } : n.def?.Constraint);
        catalog.defineType({ ...domain, hasConstraints: domain.hasConstraints || added.length > 0, ...(known ? { domainConstraints: added } : {}) }, why);
      } else if (known && (n.subtype === 'X' || n.subtype === 'N')) {
        const left = known.filter((c) => (n.subtype === 'N' ? !c.notNull : c.name !== n.name));
        catalog.defineType({ ...domain, hasConstraints: left.length > 0, domainConstraints: left }, why);
      }
      return undefined;
    }
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt': {
      const names = kind === 'CreateEnumStmt' ? nameList(n.typeName) : [n.typevar?.RangeVar?.schemaname ?? n.typevar?.schemaname, n.typevar?.RangeVar?.relname ?? n.typevar?.relname].filter(Boolean);
      const name = names[names.length - 1];
      const schema = names.length > 1 ? names[names.length - 2] : catalog.creationSchema;
      const type: CatalogType = { oid: allocateLocalOid(), schema, name, formatted: qualifiedTypeName(schema, name), category: kind === 'CreateEnumStmt' ? 'E' : 'C', preferred: false, kind: kind === 'CreateEnumStmt' ? 'e' : 'c', definedAt: location };
      // A composite type's fields: a ROW(...) cast to it is coerced to each one's type.
      if (kind === 'CompositeTypeStmt') type.fields = (n.coldeflist ?? []).flatMap((elt: AstNode) => (elt.ColumnDef ? [{ name: elt.ColumnDef.colname, type: columnTypeOf(catalog, elt.ColumnDef.typeName) }] : []));
      defineWithArray(catalog, type, why);
      return undefined;
    }
    case 'CreateRangeStmt':
      defineRangeType(n, catalog, location, why);
      return undefined;
    case 'DropStmt': {
      for (const object of n.objects ?? []) {
        if (n.removeType === 'OBJECT_FUNCTION' || n.removeType === 'OBJECT_PROCEDURE' || n.removeType === 'OBJECT_ROUTINE' || n.removeType === 'OBJECT_AGGREGATE') {
          for (const fn of findFunction(catalog, object)) catalog.dropFunction(fn, why);
        } else if (['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE'].includes(n.removeType)) {
          const names = nameList(object.List?.items ?? []);
          const rel = catalog.relationNamed(names[names.length - 1], names.length > 1 ? names[names.length - 2] : undefined);
          if (rel) catalog.dropRelation(rel, why);
        } else if (n.removeType === 'OBJECT_POLICY') {
          // [schema.]table.policy
          const names = nameList(object.List?.items ?? []);
          const rel = catalog.relationNamed(names[names.length - 2], names.length > 2 ? names[names.length - 3] : undefined);
          const policy = names[names.length - 1];
          if (rel?.policies?.some((p) => p.name === policy)) catalog.defineRelation(withPolicies(rel, rel.policies.filter((p) => p.name !== policy)), why);
        }
      }
      return undefined;
    }
    case 'VariableSetStmt': {
      if (n.name?.toLowerCase() !== 'search_path') return undefined;
      if (n.kind === 'VAR_SET_VALUE') {
        const schemas = (n.args ?? []).map((a: AstNode) => a.A_Const?.sval?.sval ?? '').filter(Boolean);
        catalog.setSearchPath(schemas.map((s: string) => (s === '$user' ? s : s)).filter((s: string) => s !== '$user'), why);
      } else if (n.kind === 'VAR_SET_DEFAULT' || n.kind === 'VAR_RESET') {
        catalog.setSearchPath(['public'], why);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `constraints` with a domain's CHECK or NOT NULL constraint `c` added under its name
 * (ChooseConstraintName: DOMAIN_check, DOMAIN_check1, ... when unnamed; an unnamed NOT NULL as
 * DOMAIN_not_null, and only once).
 */
function withDomainConstraint(constraints: DomainConstraint[], domain: string, c: AstNode): DomainConstraint[] {
  if (c?.contype === 'CONSTR_NOTNULL') return constraints.some((k) => k.notNull) ? constraints : [...constraints, { name: c.conname ?? `${domain}_not_null`, notNull: true }];
  if (c?.contype !== 'CONSTR_CHECK') return constraints;
  let name: string = c.conname ?? `${domain}_check`;
  for (let i = 1; !c.conname && constraints.some((k) => k.name === name); i++) name = `${domain}_check${i}`;
  return [...constraints, { name }];
}

/** The index CREATE INDEX makes (as relations.sql reads one). */
function indexOf(catalog: Catalog, rel: CatalogRelation, n: AstNode): CatalogIndex | undefined {
  const elements: AstNode[] = (n.indexParams ?? []).map((p: AstNode) => p.IndexElem ?? p);
  if (elements.length === 0) return undefined;
  const columns = elements.map((e) => (typeof e.name === 'string' ? e.name : ''));
  const index: CatalogIndex = { name: n.idxname ?? indexName(rel, columns, n.primary ? 'pkey' : n.isconstraint ? 'key' : 'idx'), columns };
  if (n.unique || n.primary) index.unique = true;
  if (n.whereClause) index.partial = true;
  // A btree (the default) orders each key that has its column's own operator class and collation
  // by the type's < and > (the default operator class's strategies 1 and 5).
  const method = (n.accessMethod ?? 'btree').toLowerCase();
  if (method !== 'btree') {
    index.method = method;
    return index;
  }
  index.orderedBy = elements.map((element, i) => {
    const type = rel.columns.find((c) => c.name === columns[i])?.type;
    return !type || element.opclass?.length || element.collation?.length ? [] : orderingOperators(catalog, type);
  });
  return index;
}

/** The < and > between two values of `type` (an enum's, an array's: the polymorphic ones); none if either is not one operator. */
function orderingOperators(catalog: Catalog, type: string): number[] {
  const operators = ['<', '>'].map((op) => catalog.matchOperator(op, 'pg_catalog', type, type));
  return operators.every((candidates) => candidates.length === 1) ? operators.map((candidates) => candidates[0].oid) : [];
}

/** The name PostgreSQL gives an index written without one (ChooseIndexName, without its truncation to 63 bytes). */
function indexName(rel: CatalogRelation, columns: string[], kind: 'pkey' | 'key' | 'idx'): string {
  return kind === 'pkey' ? `${rel.name}_pkey` : `${rel.name}_${columns.map((c) => c || 'expr').join('_')}_${kind}`;
}

/** `source`'s indexes made again on `rel` (LIKE ... INCLUDING INDEXES, a partition of a partitioned table), under names of its own. */
function copiedIndexes(rel: CatalogRelation, source: CatalogRelation | undefined): CatalogIndex[] {
  return (source?.indexes ?? []).map((index) => ({ ...index, name: indexName(rel, index.columns, index.name.endsWith('_pkey') ? 'pkey' : index.unique ? 'key' : 'idx') }));
}

/** The index a PRIMARY KEY or UNIQUE constraint makes (`columns`: the column it is written on). */
function constraintIndex(catalog: Catalog, rel: CatalogRelation, c: AstNode, columns?: string[]): CatalogIndex | undefined {
  const primary = c?.contype === 'CONSTR_PRIMARY';
  if (!primary && c?.contype !== 'CONSTR_UNIQUE') return undefined;
  const keys = c.keys?.length ? nameList(c.keys) : columns ?? [];
  if (keys.length === 0) return undefined;
  const index = indexOf(catalog, rel, { idxname: c.indexname ?? c.conname, indexParams: keys.map((name) => ({ IndexElem: { name } })), unique: true, primary, isconstraint: true });
  if (index && c.deferrable) index.deferrable = true;
  return index;
}

/** The possibly qualified name a CREATE AGGREGATE / OPERATOR option gives (FUNCTION = s.f, SORTOP = >). */
function definitionNames(arg: AstNode): string[] {
  return arg?.TypeName ? nameList(arg.TypeName.names) : arg?.List ? nameList(arg.List.items) : [stringArg(arg) ?? ''];
}

/** The function a CREATE OPERATOR / TYPE option names (FUNCTION = s.f, INPUT = f): the first of that name that `preferred` takes, else the first. */
function definitionFunction(catalog: Catalog, arg: AstNode, preferred: (fn: CatalogFunction) => boolean): CatalogFunction | undefined {
  if (!arg) return undefined;
  const names = definitionNames(arg);
  const found = catalog.functionsNamed(names[names.length - 1], names.length > 1 ? names[names.length - 2] : undefined);
  return found.find(preferred) ?? found[0];
}

/** CREATE AGGREGATE's SORTOP: the operator between two values of its one argument's type. */
function sortOperatorOf(catalog: Catalog, sortop: AstNode, argTypes: string[]): { sortOperator?: number } {
  if (!sortop || argTypes.length !== 1) return {};
  const names = definitionNames(sortop);
  const ops = catalog.matchOperator(names[names.length - 1], names.length > 1 ? names[names.length - 2] : undefined, argTypes[0], argTypes[0]);
  return ops.length === 1 ? { sortOperator: ops[0].oid } : {};
}

/** CREATE AGGREGATE and CREATE OPERATOR. */
function defineObject(n: AstNode, ctx: DdlContext, why: string): void {
  const { catalog, location } = ctx;
  const names = nameList(n.defnames);
  const name = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : catalog.creationSchema;
  const def = defElems(n.definition);
  if (n.kind === 'OBJECT_AGGREGATE') {
    // args: [list of FunctionParameter, number of direct args] (new syntax) or old-style basetype.
    const params: AstNode[] = n.args?.[0]?.List?.items ?? [];
    const args = inputArguments(catalog, params);
    const oldStyle = def.get('basetype');
    const parallelWord = stringArg(def.get('parallel'))?.toLowerCase();
    catalog.defineFunction(
      {
        oid: allocateLocalOid(),
        schema,
        name,
        argTypes: oldStyle ? [typeNameOf(catalog, oldStyle)] : args.types,
        argNames: oldStyle ? [''] : args.names,
        defaults: 0,
        variadic: args.variadic,
        kind: 'a',
        language: 'internal',
        volatility: 'i',
        parallel: PARALLEL_WORDS[parallelWord ?? ''] ?? 'u',
        returnType: typeNameOf(catalog, def.get('finalfunc_type') ?? def.get('stype')) || 'record',
        returnsSet: false,
        combinable: def.has('combinefunc'),
        ...sortOperatorOf(catalog, def.get('sortop'), oldStyle ? [typeNameOf(catalog, oldStyle)] : args.types),
        definedAt: location,
        labelledExplicitly: parallelWord !== undefined,
      },
      why,
    );
  } else if (n.kind === 'OBJECT_OPERATOR') {
    const left = def.has('leftarg') ? typeNameOf(catalog, def.get('leftarg')) : 'none';
    const right = def.has('rightarg') ? typeNameOf(catalog, def.get('rightarg')) : 'none';
    const argTypes = left === 'none' ? [right] : [left, right];
    const fn = definitionFunction(catalog, def.get('function') ?? def.get('procedure'), (f) => f.argTypes.length === argTypes.length && f.argTypes.every((t, i) => t === argTypes[i]));
    catalog.defineOperator({ oid: allocateLocalOid(), schema, name, left, right, result: fn?.returnType ?? 'boolean', functionOid: fn?.oid ?? 0, definedAt: location }, why);
  } else if (n.kind === 'OBJECT_TYPE' && n.definition) {
    // A base type: its text input and output functions are what a cast through text runs.
    const formatted = qualifiedTypeName(schema, name);
    const shell = catalog.typeByFormatted(formatted);
    const category = stringArg(def.get('category'));
    catalog.defineType(
      {
        oid: shell?.oid ?? allocateLocalOid(),
        schema,
        name,
        formatted,
        category: category && category.length === 1 ? category : 'U',
        preferred: false,
        kind: 'b',
        inputFunction: definitionFunction(catalog, def.get('input'), (f) => f.argTypes[0] === 'cstring')?.oid,
        outputFunction: definitionFunction(catalog, def.get('output'), () => true)?.oid,
        definedAt: location,
      },
      why,
    );
    const arrayType = `${formatted}[]`;
    if (!catalog.typeByFormatted(arrayType)) catalog.defineType(arrayTypeOf(catalog.typeByFormatted(formatted)!), why);
  }
}

/** The array type CREATE TYPE and CREATE DOMAIN make beside the type (`_name`, formatted `name[]`). */
function arrayTypeOf(element: CatalogType): CatalogType {
  return { oid: allocateLocalOid(), schema: element.schema, name: `_${element.name}`, formatted: `${element.formatted}[]`, category: 'A', preferred: false, kind: 'b', elementType: element.formatted, definedAt: element.definedAt };
}

function defineWithArray(catalog: Catalog, type: CatalogType, why: string): void {
  catalog.defineType(type, why);
  catalog.defineType(arrayTypeOf(type), why);
}

/**
 * CREATE TYPE ... AS RANGE (DefineRange, typecmds.c): the range type, its multirange
 * (multirange_type_name, or the name with "range" made "multirange", else `_multirange` added), an
 * array of each, and their constructors: range(subtype, subtype [, text]), multirange(),
 * multirange(range), multirange(VARIADIC range[]), built in C, IMMUTABLE and PARALLEL SAFE.
 */
function defineRangeType(n: AstNode, catalog: Catalog, location: SourceLocation, why: string): void {
  const names = nameList(n.typeName);
  const name = names[names.length - 1];
  const schema = names.length > 1 ? names[names.length - 2] : catalog.creationSchema;
  const params = defElems(n.params);
  const subtype = params.has('subtype') ? typeNameOf(catalog, params.get('subtype')) : '';
  const multiNames = params.has('multirange_type_name') ? nameList(params.get('multirange_type_name')?.TypeName?.names ?? params.get('multirange_type_name')?.names) : [];
  const multiName = multiNames.length ? multiNames[multiNames.length - 1] : name.includes('range') ? name.replace('range', 'multirange') : `${name}_multirange`;
  const multiSchema = multiNames.length > 1 ? multiNames[multiNames.length - 2] : schema;
  const range: CatalogType = { oid: allocateLocalOid(), schema, name, formatted: qualifiedTypeName(schema, name), category: 'R', preferred: false, kind: 'r', rangeSubtype: subtype, multirangeType: qualifiedTypeName(multiSchema, multiName), definedAt: location };
  const multirange: CatalogType = { oid: allocateLocalOid(), schema: multiSchema, name: multiName, formatted: qualifiedTypeName(multiSchema, multiName), category: 'R', preferred: false, kind: 'm', definedAt: location };
  defineWithArray(catalog, range, why);
  defineWithArray(catalog, multirange, why);
  const constructor = (owner: CatalogType, argTypes: string[], variadic = false): CatalogFunction => ({
    oid: allocateLocalOid(),
    schema: owner.schema,
    name: owner.name,
    argTypes,
    argNames: argTypes.map(() => ''),
    defaults: 0,
    variadic,
    kind: 'f',
    language: 'internal',
    volatility: 'i',
    parallel: 's',
    returnType: owner.formatted,
    returnsSet: false,
    strict: false,
    definedAt: location,
  });
  for (const fn of [
    constructor(range, [subtype, subtype]),
    constructor(range, [subtype, subtype, 'text']),
    constructor(multirange, []),
    constructor(multirange, [range.formatted]),
    constructor(multirange, [`${range.formatted}[]`], true),
  ]) {
    catalog.defineFunction(fn, why);
  }
}
