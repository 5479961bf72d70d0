/**
 * Walks one parsed statement the way the planner's max_parallel_hazard does (clauses.c): every
 * function the statement reaches - calls, operators, casts, aggregates, window functions, views,
 * row-level-security policies - plus the constructs that are restricted or unsafe by themselves.
 * It collects references (for hover and go-to-definition) and reasons (for diagnostics), with
 * UTF-16 ranges relative to the statement text.
 */
import type { CatalogCast, CatalogColumn, CatalogFunction, CatalogIndex, CatalogRelation, LeaderOnlyChild, SourceLocation, ViewColumnShapes, ViewRowSecurity, ViewShape } from './catalog-snapshot';
import { VIEW_SHAPES } from './catalog-snapshot';
import { Catalog, DependencyLog, InferredType, INTEGER_TYPES, UNKNOWN_LITERAL, hazardOf, isPolymorphic, qualifiedTypeName, signatureOf, worseHazard, worstLabel } from './catalog';
import { describeCulprit, effectSentence } from './describe';
import { InlinedQuery, Inlining, inlinedQueryOf, inliningOf, repeatedArgumentCost, WalkedBody } from './inline';
import { prunedPartitions } from './partitions';
import { AstNode, conjuncts, identifierValue, nameList, parseSql, scanSql, Token } from './parse';
import type { Utf8Offsets } from './text';
import { kept, NONE } from './lists';
import type { Hazard, Reason, ReasonCode, Reference, Severity, TextRange } from './types';

interface ScopeEntry {
  name: string;
  /** undefined when the columns are not known (unknown relation, function without column list). */
  columns?: CatalogColumn[];
  /** A view some of whose columns run only in the leader: what of it is read is reported as it is read. */
  view?: ViewRead;
  /** A join's alias: each of its columns is these columns of the entries joined (a USING column, both sides'). */
  joinColumns?: Map<string, ColumnSource[]>;
  /** A subquery, CTE or view: the planner plans it apart, after the conditions on the tables beside it. */
  derived?: boolean;
  /** The type of its whole row (`SELECT t = u FROM t, u`): a table's or view's row type, else record. */
  rowType?: string;
  /** A table, materialized view or foreign table: it has system columns (ctid, tableoid, xmin ...). */
  systemColumns?: boolean;
  /** A subquery in FROM or an inlined CTE: what only some of its output columns run, by name (counted where read: ColumnOwn). */
  own?: Map<string, ColumnOwn>;
  /**
   * The right side of a LEFT JOIN the planner removes while nothing above the join reads it
   * (removableLeftJoin): what the join's ON runs, counted where one of its columns is read.
   */
  onRead?: ColumnOwn;
  /**
   * A subquery in FROM that query_is_distinct_for proves distinct: on these output columns (all
   * equated by a join's ON), or 'one row' for any (an aggregate or HAVING without GROUP BY).
   */
  distinctFor?: readonly string[] | 'one row';
}

/**
 * What an output column of a subquery in FROM or of a CTE has to itself: the RESTRICTED reasons,
 * plan shapes and functions (not UNSAFE) its expression brings. The planner computes the column
 * only where something reads it (a pulled-up subquery's unread target entries are never used,
 * pull_up_simple_subquery; remove_unused_subquery_outputs makes the others NULL), so they count
 * where it is read (StatementWalker.ownRead).
 */
interface ColumnOwn {
  reasons: Reason[];
  shapes: ViewShape[];
  functions: CatalogFunction[];
}

type ColumnSource = [entry: ScopeEntry, column: string];

/** A column a FROM item gives, in its order, and the entries' columns it is. */
interface OutputColumn extends CatalogColumn {
  sources: ColumnSource[];
}

/**
 * What a FROM item gives, in order: every column of an entry, or columns a join made (USING,
 * NATURAL, an alias's column list). Most items are entries: their columns are never copied.
 */
type FromPart = ScopeEntry | OutputColumn[];

/**
 * The system columns every table, materialized view and foreign table has, and their types
 * (SysAtt in heap.c: not in the catalog the engine reads, which holds the user's columns only).
 */
const SYSTEM_COLUMNS: ReadonlyMap<string, string> = new Map([
  ['ctid', 'tid'],
  ['xmin', 'xid'],
  ['cmin', 'cid'],
  ['xmax', 'xid'],
  ['cmax', 'cid'],
  ['tableoid', 'oid'],
]);

/** The type of `column` as a system column of `entry` (undefined if it is none). */
function systemColumnType(entry: ScopeEntry, column: string): string | undefined {
  return entry.systemColumns ? SYSTEM_COLUMNS.get(column) : undefined;
}

/**
 * UNNEST(a, b, ...) in FROM, undecorated and without a column definition list, is the SQL
 * standard's: pg_catalog.unnest(a), pg_catalog.unnest(b) ... side by side (transformRangeFunction's
 * kluge); undefined for any other call.
 */
function unnestOfEach(call: AstNode, columnDefinitions: AstNode): AstNode[] | undefined {
  const fc = call?.FuncCall;
  const names = nameList(fc?.funcname);
  if (!fc || names.length !== 1 || names[0] !== 'unnest' || (fc.args?.length ?? 0) < 2) return undefined;
  if (fc.agg_order || fc.agg_filter || fc.over || fc.agg_star || fc.agg_distinct || fc.func_variadic || (Array.isArray(columnDefinitions) && columnDefinitions.length > 0)) return undefined;
  const funcname = [{ String: { sval: 'pg_catalog' } }, { String: { sval: 'unnest' } }];
  return fc.args.map((arg: AstNode) => ({ FuncCall: { ...fc, funcname, args: [arg] } }));
}

/**
 * `columns` under an alias's column names: the first ones renamed, the others keeping theirs
 * (FROM (SELECT id, note FROM t) s(x): x and note; buildRelationAliases, analyzeCTETargetList).
 * Columns not known: those the names give, of unknown types.
 */
function renamedColumns(columns: CatalogColumn[] | undefined, names: readonly string[]): CatalogColumn[] | undefined {
  if (names.length === 0) return columns;
  if (!columns) return names.map((name) => ({ name, type: '' }));
  return [...columns.map((c, i) => ({ ...c, name: names[i] ?? c.name })), ...names.slice(columns.length).map((name) => ({ name, type: '' }))];
}

/** The columns of `parts`, one by one. */
function fromColumnsOf(parts: readonly FromPart[]): OutputColumn[] {
  return parts.flatMap((part) => (Array.isArray(part) ? part : (part.columns ?? []).map((c) => ({ ...c, sources: [[part, c.name] as ColumnSource] }))));
}

interface ViewRead {
  relation: CatalogRelation;
  /** Where the view is named in FROM: where a read with no place of its own (USING, NATURAL) is reported. */
  range: TextRange;
  /** By the name the statement reads the column by (an alias's column list renames them). */
  columns: Map<string, ViewColumnShapes>;
  /** Columns already reported. */
  reported: Set<string>;
}

interface CteInfo {
  name: string;
  range: TextRange;
  references: number;
  /** The CTEs whose queries read it (null: the statement's own query, outside every CTE). */
  readBy: Set<CteInfo | null>;
  /** In a WITH RECURSIVE list (a recursive CTE if its query reads itself). */
  recursive: boolean;
  materialized: 'always' | 'never' | 'default';
  writes: boolean;
  volatile: boolean;
  /** Where its query's LIMIT / OFFSET is, when limit_needed() holds for it. */
  limit?: TextRange;
  columns?: CatalogColumn[];
  /** What only some of its output columns run, by position (ColumnOwn): counted where read if inlined, all of them if materialized. */
  own?: Map<number, ColumnOwn>;
  /** What the walk of its query added (taken out if the planner never plans it: finishCtes). */
  walked?: WalkRegion;
}

/** A ROW(...) a cast coerces: each field's type, a ROW in it as its own fields, an untyped parameter null (it takes the field's type). */
interface RowValue {
  fields: (RowValue | InferredType | null)[];
}

/** An ARRAY[ROW(...), ...] a cast coerces: each element a ROW, coerced to the element type as a ROW is. */
interface RowArrayValue {
  rows: RowValue[];
}

/** The lengths of a walk's lists at one point (StatementWalker.marks). */
interface WalkMarks {
  reasons: number;
  shapes: number;
  reached: number;
  entriesRead: number;
}

/** What the walk of a part of a query added: from one mark to the next. */
type WalkRegion = [from: WalkMarks, to: WalkMarks];

/** A call of a SAFE SQL function the planner may inline, judged only where expressions are checked (where it was made: minMaxChecked). */
interface SafeCall {
  judge: () => void;
  scope?: Scope;
  /** In a WHERE or JOIN ON (a view's or a policy's conditions too). */
  inWhere?: boolean;
  /** ... reading a subquery, CTE or view beside it (a condition the planner checks once that is planned). */
  readsDerived?: boolean;
}

interface AggregateCall {
  call: AstNode;
  fn?: CatalogFunction;
  range: TextRange;
}

class Scope {
  readonly entries: ScopeEntry[] = [];
  /** What FROM gives, in order (what `*` stands for). */
  fromParts: readonly FromPart[] = NONE;
  readonly ctes = new Map<string, CteInfo>();
  /** This level's aggregate calls, each with its function where one was found (the MIN / MAX optimization). */
  aggregates?: AggregateCall[];
  /** This level calls a window function. */
  windowed = false;
  /** The types of the columns USING or NATURAL joins merge, by name: what an unqualified name reads. */
  mergedTypes?: Map<string, string>;
  /** This level's WHERE, known as its FROM is walked (plan-time partition pruning reads it). */
  where?: AstNode;
  /** This query level calls an aggregate or window function (hasAggs / hasWindowFuncs). */
  get grouping(): boolean {
    return this.aggregates !== undefined || this.windowed;
  }
  /** The entries of enclosing queries that something inside reads (what a correlation is on). */
  readonly outerReads = new Set<ScopeEntry>();
  /** ... including what the planner throws away (outerReadsKept), which pull_varnos still sees. */
  readonly allOuterReads = new Set<ScopeEntry>();
  /**
   * What convert_EXISTS_sublink_to_join's pull_varnos sees of those: the sublinks nested in this
   * query's WHERE as they are, this query's own select list, GROUP BY ... gone (it simplifies its
   * copy first). Undefined: all of them.
   */
  varnosReads?: ReadonlySet<ScopeEntry>;
  /** Where the walk's log of entries read (StatementWalker.entriesRead) stood when this query's walk began. */
  entriesFrom?: number;
  /** Something inside refers to a column of an enclosing query. */
  get correlated(): boolean {
    return this.outerReads.size > 0;
  }
  /** The clause of this query level being walked, for what keeps an EXISTS from becoming a join. */
  clause?: 'from' | 'target' | 'where' | 'resjunk';
  /** An enclosing query is read from this level's FROM (JOIN ON, LATERAL function arguments). */
  outerReadInFrom = false;
  /** ... from its WHERE (in a sublink there too). */
  outerReadInWhere = false;
  /** ... in or below a join of its FROM other than an inner one. */
  outerReadBelowOuterJoin = false;
  /** How many reads of enclosing queries' columns were met in this level (correlate). */
  outerReadCount = 0;
  /** A sublink at the top of this level's WHERE is made a semi or anti join (pull_up_sublinks). */
  semiJoined = false;
  /** This level's WHERE calls a volatile function. */
  volatileInWhere = false;
  /** This level's select list calls a set-returning function. */
  setReturningInTarget = false;
  /** This level's select list calls a volatile function. */
  volatileInTarget = false;
  /**
   * LIMITs of IN subqueries at the top of this level's WHERE whose left side reads only an enclosing
   * query: made joins, and restricting, if this level is an EXISTS pulled up into that query.
   */
  readonly limitsIfPulledUp: TextRange[] = [];
  /**
   * Correlated sublinks at the top of this level's WHERE that the planner makes joins where this
   * level is planned on its own, but that also read an enclosing query, with what they read (and an
   * IN its left side). If this level is itself pulled up into a join, pull_up_sublinks_qual_recurse
   * offers each either this level's tables or those of the query it joins, not both
   * (convert_EXISTS_sublink_to_join's bms_is_subset(upper_varnos, available_rels)): one reading
   * both stays a SubPlan.
   */
  readonly subPlansIfPulledUp: { range: TextRange; reads: ReadonlySet<ScopeEntry>; left?: AstNode }[] = [];
  /** This level is the query of an EXISTS: simplify_EXISTS_query may throw its select list away. */
  existsQuery = false;
  /** This level is a subquery in FROM or a CTE's query: what only one of its output columns runs, by position (ColumnOwn). */
  ownColumns?: Map<number, ColumnOwn>;
  constructor(readonly parent?: Scope) {}

  findCte(name: string): CteInfo | undefined {
    return this.ctes.get(name) ?? this.parent?.findCte(name);
  }
}

/** The node's kind: its one key when capitalised ({ FuncCall: {...} }). Runs for every node: no allocation. */
export function nodeKind(node: AstNode): string | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  let kind: string | undefined;
  for (const key in node) {
    if (kind !== undefined) return undefined;
    kind = key;
  }
  if (kind === undefined) return undefined;
  const first = kind.charCodeAt(0);
  return first >= 65 && first <= 90 ? kind : undefined;
}

const SQL_VALUE_TYPES: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'date',
  SVFOP_CURRENT_TIME: 'time with time zone',
  SVFOP_CURRENT_TIME_N: 'time with time zone',
  SVFOP_CURRENT_TIMESTAMP: 'timestamp with time zone',
  SVFOP_CURRENT_TIMESTAMP_N: 'timestamp with time zone',
  SVFOP_LOCALTIME: 'time without time zone',
  SVFOP_LOCALTIME_N: 'time without time zone',
  SVFOP_LOCALTIMESTAMP: 'timestamp without time zone',
  SVFOP_LOCALTIMESTAMP_N: 'timestamp without time zone',
};

const WRITE_STATEMENTS = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export interface WalkResult {
  references: Reference[];
  reasons: Reason[];
  /** Functions reached, for view definitions and function bodies. */
  functions: CatalogFunction[];
  /** True when some call could not be resolved against the catalog. */
  unresolved: boolean;
  /** Output columns of the top-level query, when it is a query. */
  columns?: CatalogColumn[];
  writes: boolean;
  /** Row locks met so far: FOR UPDATE / SHARE clauses, and views whose definition locks rows. */
  rowLocks: number;
  /** Temporary tables read so far, directly or through views: a view defined so reads them too. */
  temporaryReads: number;
  /** Plan shapes met so far that run only in the leader (a view defined by the query has them too), but those of its output columns. */
  shapes: ViewShape[];
}

/** A query walked as a definition (a view's, CREATE TABLE AS's): what it reaches and what a view defined by it passes on. */
export interface WalkedQuery {
  functions: CatalogFunction[];
  columns?: CatalogColumn[];
  /** What only some output columns have, by position (see StatementWalker.definition). */
  columnShapes: Map<number, ViewShape[]>;
  /** The functions each output column that PostgreSQL could drop reaches, by position (see StatementWalker.definition). */
  columnFunctions: Map<number, CatalogFunction[]>;
  /** Functions views it reads have only in columns it never reads (oids): they never run (CatalogRelation.viewUnreached). */
  unreached: number[];
  locksRows: boolean;
  readsTemporary: boolean;
  shapes: ViewShape[];
  /** The planner checks each expression of a statement with this query (StatementWalker.expressionsChecked). */
  checksExpressions: boolean;
  /** A query the planner pulls up into one reading it, over one table (CatalogRelation.viewOverTable). */
  overTable?: OverTable;
}

type OverTable = NonNullable<CatalogRelation['viewOverTable']>;

/** The table MIN / MAX reads, as minMaxSource finds it. */
interface MinMaxSource {
  relation: CatalogRelation;
  /** The table's column that a column of the FROM item (by name) is. */
  column: (name: string) => string | undefined;
  /** The table's column a column reference of the query names. */
  columnOf: (node: AstNode) => string | undefined;
  subqueryInWhere?: boolean;
  equal?: string[];
  listed?: string[];
}

/** What a view passes on to the statements that read it, besides the functions it reaches. */
export type ViewTraits = Pick<CatalogRelation, 'viewLocksRows' | 'viewReadsTemporary' | 'viewShapes' | 'viewColumnShapes' | 'viewUnreached' | 'viewChecksExpressions' | 'viewOverTable'>;

/**
 * What a view passes on, from the walk of its query: row locks, temporary tables, and what runs
 * only in the leader, in all of it or in single output columns (`columns`: the view's column
 * names, in order).
 */
export function viewTraits(walked: WalkedQuery, query: AstNode, columns: readonly string[]): ViewTraits {
  const traits: ViewTraits = {};
  if (walked.locksRows) traits.viewLocksRows = true;
  if (walked.readsTemporary) traits.viewReadsTemporary = true;
  if (walked.checksExpressions) traits.viewChecksExpressions = true;
  if (walked.overTable) traits.viewOverTable = walked.overTable;
  if (walked.unreached.length > 0) traits.viewUnreached = walked.unreached;
  // A view read in a statement is a subquery in its FROM: its own LIMIT / OFFSET limits it there.
  const select = query?.SelectStmt;
  const limited = limitNode(select?.limitCount) ?? limitNode(select?.limitOffset);
  const shapes = new Set([...walked.shapes, ...(limited ? (['limit'] as const) : [])]);
  if (shapes.size > 0) traits.viewShapes = VIEW_SHAPES.filter((shape) => shapes.has(shape));
  // A RESTRICTED function that only droppable output columns reach counts where one is read: a
  // column nobody reads is never computed. (An UNSAFE one counts wherever it is: standard_planner
  // checks the whole query before anything is dropped.)
  const occurrences = (fns: Iterable<CatalogFunction>) => {
    const counts = new Map<number, number>();
    for (const fn of fns) counts.set(fn.oid, (counts.get(fn.oid) ?? 0) + 1);
    return counts;
  };
  const everywhere = occurrences(walked.functions);
  const inColumns = occurrences([...walked.columnFunctions.values()].flat());
  const columnOnly = (fn: CatalogFunction) => fn.parallel === 'r' && everywhere.get(fn.oid) === inColumns.get(fn.oid);
  const positions = [...new Set([...walked.columnShapes.keys(), ...walked.columnFunctions.keys()])].sort((a, b) => a - b);
  const columnShapes = positions.flatMap((position): ViewColumnShapes[] => {
    const found = walked.columnShapes.get(position) ?? [];
    const own = VIEW_SHAPES.filter((shape) => found.includes(shape) && !shapes.has(shape));
    const functions = [...new Set((walked.columnFunctions.get(position) ?? []).filter(columnOnly).map((fn) => fn.oid))].sort((a, b) => a - b);
    const column = columns[position];
    if (column === undefined || (own.length === 0 && functions.length === 0)) return [];
    return [{ column, shapes: own, ...(functions.length > 0 ? { functions } : {}) }];
  });
  if (columnShapes.length > 0) traits.viewColumnShapes = columnShapes;
  return traits;
}

/** What live policies with a subquery bring, by what holds them (each walked once). */
const policiesWalked = new WeakMap<object, PolicyEffects>();

/** What the policies a SELECT gets on a table add to the read. */
interface PolicyEffects {
  /** What runs only in the leader (subqueries: a security qual is never pulled up). */
  shapes: readonly ViewShape[];
  /** Functions they call, by oid. */
  functions: readonly number[];
}

/**
 * What the policies a SELECT on `rel` gets add: a file's CREATE POLICY records both (walked when
 * it was created); a live table's come as the functions they call directly and, for those with a
 * subquery, as text (policySubqueries, as pg_get_expr prints them), walked the first time a
 * statement reads the table. That walk also applies the policies of the tables the subquery reads
 * (the rewriter expands them for the same user, fireRIRrules), whose functions count too.
 */
function policyEffectsOf(rel: CatalogRelation, catalog: Catalog): PolicyEffects {
  const direct = rel.policyFunctions ?? NONE;
  if (!rel.policySubqueries?.length) return { shapes: rel.policyShapes ?? NONE, functions: direct };
  return policySubqueries(rel, rel.policySubqueries, rel, direct, catalog);
}

/**
 * The same for a table a live view reads, with the policies of the role it reads it as. The tables
 * its policies' subqueries read are walked with the session's policies, not that role's: only what
 * runs in the leader is taken from that walk.
 */
function viewRowSecurityEffects(read: ViewRowSecurity, catalog: Catalog): PolicyEffects {
  const table = read.subqueries?.length ? catalog.forViewDefinitions().relationNamed(read.name, read.schema) : undefined;
  const direct = read.functions ?? NONE;
  return table ? { shapes: policySubqueries(read, read.subqueries!, table, direct, catalog).shapes, functions: direct } : { shapes: NONE, functions: direct };
}

/** USING expressions with a subquery (`expressions`, on `table`, calling `direct`), walked once per `holder`. */
function policySubqueries(holder: object, expressions: readonly string[], table: CatalogRelation, direct: readonly number[], catalog: Catalog): PolicyEffects {
  let effects = policiesWalked.get(holder);
  if (effects) return effects;
  // A policy reading its own table (PostgreSQL refuses such a recursion when it runs) walks it once.
  policiesWalked.set(holder, { shapes: NONE, functions: direct });
  const shapes: ViewShape[] = [];
  const functions = new Set(direct);
  for (const expression of expressions) {
    // An expression this parser does not take (a newer server's syntax) passes nothing on.
    const text = `SELECT WHERE ${expression}`;
    const parsed = parseSql(text);
    if (!parsed.ok || parsed.statements.length !== 1) continue;
    const where = parsed.statements[0].stmt?.SelectStmt?.whereClause;
    if (!where) continue;
    const walker = new StatementWalker(text, parsed.offsets, catalog.forViewDefinitions());
    shapes.push(...walker.condition(where, table));
    for (const fn of walker.result().functions) functions.add(fn.oid);
  }
  effects = { shapes: VIEW_SHAPES.filter((shape) => shapes.includes(shape)), functions: [...functions] };
  policiesWalked.set(holder, effects);
  return effects;
}

/** Traits of live views walked from their definitions, by relation (each snapshot relation walked once). */
const definedViews = new WeakMap<CatalogRelation, ViewTraits>();

/**
 * A view's traits: a view defined in the workspace carries them (its DDL was walked); a live view
 * of the database's own has its definition walked the first time a statement reads it, against
 * the snapshot (not at the catalog read: a database with thousands of views would pay for each).
 */
export function traitsOf(rel: CatalogRelation, catalog: Catalog): ViewTraits {
  const definition = rel.viewDefinition;
  if (definition === undefined) return rel;
  let traits = definedViews.get(rel);
  if (traits) return traits;
  // A view that reads itself (PostgreSQL forbids it) gets none, instead of walking forever.
  definedViews.set(rel, {});
  // A definition this parser does not take (syntax of a newer server) passes nothing on; a walk
  // that throws is a bug.
  try {
    const parsed = parseSql(definition);
    if (parsed.ok && parsed.statements.length === 1) {
      const query = parsed.statements[0].stmt;
      const walked = new StatementWalker(definition, parsed.offsets, catalog.forViewDefinitions(), 0, true).definition(query);
      traits = viewTraits(walked, query, rel.columns.map((column) => column.name));
    }
  } catch (error) {
    // A bug: it surfaces as any other in a walk does, and nothing half made is kept.
    definedViews.delete(rel);
    throw error;
  }
  definedViews.set(rel, traits ?? {});
  return traits ?? {};
}

/**
 * PostgreSQL's identifier characters (scan.l ident_start / ident_cont): ASCII letters, digits,
 * underscore and dollar, and every non-ASCII character, whatever Unicode calls it. Tested per UTF-16
 * unit, so both halves of a surrogate pair count and a range never ends between them.
 */
function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57) || c === 36;
}

export class StatementWalker {
  private readonly references: Reference[] = [];
  private readonly reasons: Reason[] = [];
  private readonly reached: CatalogFunction[] = [];
  /** Where the last JOIN ... USING (...) list matched ends: a later join's is after it (usingNames). */
  private usingListsEnd = 0;
  /** Positions in `reached` of functions in what the planner throws away (thrownAway). */
  private readonly unreached = new Set<number>();
  /** Expressions eval_const_expressions removes (a decided AND / OR's other arms, CASE / COALESCE arms never reached). */
  private readonly foldedAway = new Set<AstNode>();
  /** The scope entries column references resolved to, in walk order (the level of an aggregate: aggregateLevel). */
  private readonly entriesRead: ScopeEntry[] = [];
  private unresolved = false;
  private writes = false;
  /** Volatile functions seen since the counter was last read (CTE inlining needs it). */
  private volatileSeen = 0;
  /** Set-returning functions seen (a view's column that calls one is never dropped). */
  private setReturningSeen = 0;
  private rowLocks = 0;
  private temporaryReads = 0;
  private readonly shapes: ViewShape[] = [];
  /** Types of $1, $2, ... where they are declared. */
  private parameterTypes: readonly string[] = [];
  /** Types of undeclared $1, $2, ... fixed by their first use (an operator, a function, a cast). */
  private readonly parameterUse = new Map<number, string>();
  /** The statement's tokens, scanned on first need (clauses whose nodes carry no location). */
  private scanned?: Token[];
  /** Set operation keywords placed so far, by keyword. */
  private readonly setOperationsPlaced = new Map<string, number>();
  private rowLocksPlaced = 0;
  /**
   * SubLinks standing alone or AND-ed at the top of a WHERE or a join's ON: the ones the planner may
   * pull up into joins; for a LEFT / RIGHT join's ON, with the entries of its nullable side, the only
   * ones such a sublink may read.
   */
  private readonly atTopOfQual = new Map<AstNode, ReadonlySet<ScopeEntry> | undefined>();
  /** LATERAL subqueries met so far, in the text's order (their keywords carry no location). */
  private lateralsPlaced = 0;
  /** The CTE whose query is being walked (its reads of other CTEs count only if it is read itself). */
  private walkingCte: CteInfo | undefined;
  /** While a view's definition is walked (definition()): its top query level, and what its output columns have. */
  private viewTop?: { scope: Scope; columnShapes: Map<number, ViewShape[]>; columnFunctions: Map<number, CatalogFunction[]> };
  /** Subqueries in FROM the planner pulls up, over one table (overTable), by their RangeSubselect. */
  private subqueriesOverTable?: Map<AstNode, OverTable>;
  /** Shapes of the top query level's window clauses met while walking one output column: they belong to all of the view. */
  private readonly wholeView: ViewShape[] = [];
  /** Where in `reached` those window clauses' functions are ([from, to)): all of the view's too. */
  private readonly wholeViewReached: [number, number][] = [];
  /** Window clauses walked in output columns of subqueries in FROM and CTEs: what they add stays (setAside). */
  private readonly keptInColumn: WalkRegion[] = [];
  /**
   * While a view's definition is walked: what the views it reads have only in some columns or never
   * run (oids): a view's list of functions (live: its stored query's, through the views it reads)
   * has them all, and the columns decide.
   */
  private skippedInViews = new Set<number>();
  /** What inlining SQL functions gave, shared with the walks of the bodies (made on first need). */
  private inlining?: { known: Map<CatalogFunction | string, Inlining | null>; queries: Map<CatalogFunction, InlinedQuery | null>; active: Set<CatalogFunction>; recursions: number };
  /** The call standing alone in FROM being walked (a set-returning SQL function there may be inlined as a subquery). */
  private loneFromCall?: AstNode;
  /**
   * The planner checks each expression for parallel safety though no reason says the statement is
   * restricted: a RESTRICTED function was inlined or evaluated away (the statement's hazard, taken
   * before inlining, is RESTRICTED all the same), or a subquery became an initPlan whose value is a
   * parameter. Otherwise is_parallel_safe takes every expression of a SAFE statement for safe.
   */
  private expressionsChecked = false;
  /**
   * Walking the body of a SQL function the planner inlines (bodyWalker). The statement's hazard,
   * taken before inlining, never saw what the body calls: inline_function runs
   * eval_const_expressions_mutator again over the substituted body (inline_set_returning_function
   * plans the body's query as the statement's), so a call of an inlinable SQL function there is
   * inlined whatever its label, an UNSAFE one too (active_fns keeps a function out of its own
   * body), and nothing inlined or folded there makes the planner check expressions.
   */
  private insideInlinedBody = false;
  /**
   * Calls the planner inlines (or may: a SAFE function's), by their place in `reached`: what each
   * costs once inlined, beyond its arguments' own cost. simplify_function simplifies a call's
   * arguments, inlining those calls, before inline_function judges the cost of one read twice.
   */
  private inlinedCosts?: Map<number, () => number | undefined>;
  /** Places in `reached` of RESTRICTED (in a body, UNSAFE too) calls inlined away: not left to restrict. */
  private inlinedAway?: Set<number>;
  /** Casts by I/O functions (or of a value of unknown type) met: an IMMUTABLE function's body with one is not known to be immutable. */
  private ioCasts = 0;
  /** What the inlined bodies of SAFE functions restrict: only where the planner checks expressions (expressionsChecked, or a reason). */
  private ifNotSafeBeforeInlining?: Reason[];
  /**
   * Calls of SAFE SQL functions the planner may inline, judged only if their bodies can count (at
   * the end, where the planner checks expressions): most statements never need their bodies walked.
   */
  private safeCalls?: SafeCall[];
  /**
   * Query levels whose MIN / MAX the planner can answer from an index, with whether it takes the
   * plain plan there (a lookup answers the WHERE). The initPlans' parameters, made either way, are
   * the plan's: the planner then checks every expression it looks at afterwards (that level's select
   * list, HAVING and ORDER BY, the levels above, later branches), but that level's WHERE only in the
   * plain plan: an inlined SAFE function's body counts there. What the walk met before it (an
   * earlier UNION ALL branch) the planner planned before it too (minMaxFrom).
   */
  private minMaxChecked?: Map<Scope, boolean>;
  /** How many SAFE calls were deferred when the first MIN / MAX level was found: those after it are planned after it. */
  private minMaxFrom = 0;
  /** Walking a set-returning function's body inlined in FROM (walkInlinedQuery): the entry its arguments are. */
  private inlinedArguments?: ScopeEntry;
  /** Subqueries in FROM the planner pulls up (overTable): the query level each becomes part of. */
  private pulledInto?: Map<Scope, Scope>;

  constructor(
    private readonly sql: string,
    private readonly offsets: Utf8Offsets,
    private readonly catalog: Catalog,
    /** Added to every range: where `sql` starts inside the text the offsets were computed for. */
    private readonly base = 0,
    /**
     * Walking a live view's definition: the tables it reads are read as its owner (or, for a
     * security_invoker view, its reader), whose policies the view carries (viewRowSecurity) and
     * which count where a statement reads the view, so no table's policies apply in this walk.
     */
    private readonly liveViewDefinition = false,
  ) {}

  /** Undeclared $n among `nodes` take the types at the same places in `types` (polymorphic ones excepted). */
  private fixParameters(nodes: readonly AstNode[], types: readonly string[]): void {
    nodes.forEach((node, i) => {
      const number: number | undefined = node?.ParamRef?.number;
      const type = types[i];
      if (number === undefined || this.parameterTypes[number - 1] || this.parameterUse.has(number)) return;
      if (type && type !== 'none' && !type.startsWith('any') && type !== '"any"') this.parameterUse.set(number, type);
    });
  }

  /** The types of $1, $2, ...: a function body's arguments, PREPARE's declared list. */
  declareParameters(types: readonly string[]): void {
    this.parameterTypes = types;
  }

  result(columns?: CatalogColumn[]): WalkResult {
    // In an UNSAFE statement nothing is checked: it gets no parallel plan at all.
    const everywhere = this.expressionsChecked || this.reasons.some((r) => r.hazard === 'restricted');
    const checked = (this.safeCalls || this.ifNotSafeBeforeInlining) && (everywhere || this.minMaxChecked) && !this.reasons.some((r) => r.hazard === 'unsafe');
    const conditional = checked ? this.conditionalReasons(everywhere) : NONE;
    return {
      references: this.references,
      reasons: conditional.length ? [...this.reasons, ...conditional] : this.reasons,
      functions: this.reachedSince(0),
      unresolved: this.unresolved,
      columns,
      writes: this.writes,
      rowLocks: this.rowLocks,
      temporaryReads: this.temporaryReads,
      shapes: this.shapes,
    };
  }

  /** Every reference goes through here: its list of functions is kept with the statement's result (lists.ts). */
  private refer(reference: Reference): void {
    reference.functions = kept(reference.functions);
    this.references.push(reference);
  }

  // ---- ranges --------------------------------------------------------------------------------

  /** UTF-16 offset (relative to the statement) of a node's byte location. */
  private at(location: number | undefined): number {
    return this.offsets.toUtf16(location ?? 0) - this.base;
  }

  /** The range of a (possibly qualified, possibly quoted) name that starts at `start`. */
  nameRange(start: number): TextRange {
    const s = this.sql;
    let i = start;
    for (;;) {
      if (s[i] === '"') {
        i++;
        while (i < s.length && !(s[i] === '"' && s[i + 1] !== '"')) i += s[i] === '"' ? 2 : 1;
        i++;
      } else {
        while (i < s.length && isIdentifierPart(s.charCodeAt(i))) i++;
      }
      let j = i;
      while (j < s.length && /\s/.test(s[j])) j++;
      if (s[j] === '.' && j + 1 < s.length) {
        j++;
        while (j < s.length && /\s/.test(s[j])) j++;
        if (s[j] === '*') break;
        i = j;
        continue;
      }
      break;
    }
    return { start, end: Math.max(i, start + 1) };
  }

  /** From an opening parenthesis (or the keyword before it) to its matching close. */
  private parenthesized(start: number): TextRange {
    const s = this.sql;
    let i = s.indexOf('(', start);
    if (i < 0) return { start, end: start + 1 };
    let depth = 0;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === "'" || c === '"') {
        const close = s.indexOf(c, i + 1);
        i = close < 0 ? s.length : close;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return { start, end: i + 1 };
    }
    return { start, end: s.length };
  }

  /** The range of an operator token (or keyword such as IN / LIKE) at `start`. */
  private tokenRange(start: number): TextRange {
    const s = this.sql;
    let i = start;
    if (i < s.length && isIdentifierStart(s.charCodeAt(i))) {
      while (i < s.length && isIdentifierPart(s.charCodeAt(i))) i++;
    } else if (s[i] === '"') {
      // A quoted name (a USING column): to its closing quote ("" is a quote inside it).
      for (i++; i < s.length && !(s[i] === '"' && s[i + 1] !== '"'); i += s[i] === '"' ? 2 : 1);
      i++;
    } else if (s.startsWith('OPERATOR', i) || s.startsWith('operator', i)) {
      i = s.indexOf(')', i) + 1 || s.length;
    } else {
      while (i < s.length && '+-*/<>=~!@#%^&|`?'.includes(s[i])) i++;
    }
    return { start, end: Math.max(i, start + 1) };
  }

  // ---- reporting -----------------------------------------------------------------------------

  private reason(code: ReasonCode, severity: Severity, message: string, range: TextRange, hazard?: Hazard, related?: Reason['related']): void {
    // Row locks the statement-wide check sees make it UNSAFE (WalkedQuery.locksRows); only those of
    // an inlined body, RESTRICTED here, are a plan shape a view passes on.
    const shape = code === 'row-locking' && hazard === 'unsafe' ? undefined : SHAPE_OF[code];
    if (shape) this.shapes.push(shape);
    this.reasons.push({ code, severity, message, range, ...(hazard ? { hazard } : {}), ...(related ? { related } : {}) });
  }

  private relatedFor(functions: readonly CatalogFunction[]): Reason['related'] {
    const located = functions.filter((fn) => fn.definedAt);
    if (located.length === 0) return undefined;
    return located.map((fn) => ({ message: `${signatureOf(fn)} is defined here`, location: fn.definedAt }));
  }

  /** Records the functions a construct runs and reports the worst label if it is not safe. */
  private reach(
    functions: CatalogFunction[],
    ambiguous: boolean,
    range: TextRange,
    what: { kind: 'function' | 'aggregate' | 'operator' | 'cast'; name: string; subject: (culprit: string) => string },
  ): void {
    for (const fn of functions) {
      this.reached.push(fn);
      if (fn.volatility === 'v') this.volatileSeen++;
    }
    const hazard = worstLabel(functions);
    if (hazard === 'safe') return;
    const culprit = describeCulprit(what.name, functions, ambiguous, hazard, what.kind === 'operator' || what.kind === 'cast');
    const code = `${hazard}-${what.kind}` as ReasonCode;
    this.reason(code, hazard === 'unsafe' ? 'warning' : 'information', `${what.subject(culprit)}: ${effectSentence(hazard)}`, range, hazard, this.relatedFor(functions.filter((fn) => hazardOf(fn.parallel) === hazard)));
  }

  /**
   * Arguments whose type differs from the chosen parameter type are converted by an implicit cast;
   * a cast with a function runs that function (pg_cast.castfunc), and its label counts.
   */
  private implicitCasts(argTypes: InferredType[], paramTypes: readonly string[], range: TextRange, rows: readonly (RowValue | RowArrayValue | undefined)[] = []): void {
    const skipped = argTypes.length === paramTypes.length + 1 ? 1 : 0;
    argTypes.slice(skipped).forEach((arg, i) => {
      const param = paramTypes[i];
      if (!arg || !param || arg === param) return;
      this.domainCoercion(rows[i + skipped] ?? arg, param, range);
      if (arg === UNKNOWN_LITERAL || this.catalog.baseTypeOf(arg) === param) return;
      const cast = this.catalog.castBetween(arg, param);
      const fn = cast && cast.context === 'i' && cast.functionOid ? this.catalog.functionByOid(cast.functionOid) : undefined;
      if (!fn) return;
      this.refer({ kind: 'cast', range, name: param, functions: [fn], ...definedAt(cast) });
      this.reach([fn], false, range, { kind: 'cast', name: param, subject: (culprit) => `the implicit cast from ${arg} to ${param} runs ${culprit}` });
    });
  }

  /**
   * A value of another type coerced to a domain that has constraints, or to an array of one (each
   * element), or a ROW(...) to a composite type with such a field, is checked at run time: PARALLEL
   * RESTRICTED (CoerceToDomain). The planner turns the coercion to a domain without constraints
   * into a relabelling, which restricts nothing, and an array literal ('{1,2}'::d[]) is checked as
   * array_in reads it, when the statement is parsed.
   */
  private domainCoercion(from: InferredType | RowValue | RowArrayValue, target: string, range: TextRange): void {
    const check = this.domainCheck(from, target, 0);
    if (!check) return;
    const what = check.path.length ? `coercion of ${check.path.join(' in ')} to domain ${check.domain}` : `coercion to domain ${check.domain}`;
    this.reason('domain-constraint', 'information', `${what}, which has constraints, is PARALLEL RESTRICTED: it runs only in the leader process`, range, 'restricted');
  }

  /**
   * The CoerceToDomain that coercing `from` to `target` leaves after eval_const_expressions
   * (coerce_type): the target domain's own, if it or a domain under it has constraints; else its
   * base type's: an array's elements' (ArrayCoerceExpr: posarr over posint[]), a ROW's fields'
   * (coerce_record_to_complex, also under a domain over the composite type, and nested ROWs). The
   * path to it is innermost first: `each element`, `field a of public.cpos`.
   */
  private domainCheck(from: InferredType | RowValue | RowArrayValue, target: string, depth: number): { domain: string; path: string[] } | undefined {
    if (from === target || depth > 32) return undefined;
    if (this.catalog.domainHasConstraints(target)) return { domain: target, path: [] };
    // An untyped literal is read by the type's input function (array_in, record_in, domain_in):
    // elements and fields are checked when the statement is parsed.
    if (from === UNKNOWN_LITERAL) return undefined;
    const base = this.catalog.rootBaseTypeOf(target);
    if (typeof from === 'object' && 'rows' in from) {
      // Each ROW element is coerced to the array's element type (ArrayCoerceExpr over coerce_record_to_complex).
      if (!base.endsWith('[]')) return undefined;
      for (const row of from.rows) {
        const element = this.domainCheck(row, base.slice(0, -2), depth + 1);
        if (element) return { domain: element.domain, path: [...element.path, 'each element'] };
      }
      return undefined;
    }
    if (typeof from !== 'object') {
      if (!base.endsWith('[]') || (base !== target && from !== undefined && this.catalog.rootBaseTypeOf(from) === base)) return undefined;
      const source = from && this.catalog.rootBaseTypeOf(from);
      const element = this.domainCheck(source?.endsWith('[]') ? source.slice(0, -2) : source, base.slice(0, -2), depth + 1);
      return element && { domain: element.domain, path: [...element.path, 'each element'] };
    }
    const fields = this.catalog.compositeFields(base) ?? [];
    for (let i = 0; i < Math.min(fields.length, from.fields.length); i++) {
      const field = from.fields[i];
      // An untyped parameter takes the field's type (coerce_type's parameter hook).
      const check = field === null ? undefined : this.domainCheck(field, fields[i].type, depth + 1);
      if (check) return { domain: check.domain, path: [...check.path, `field ${fields[i].name} of ${base}`] };
    }
    return undefined;
  }

  /**
   * A value a cast or a call coerces, walked: its type, and for a ROW(...) or an ARRAY[ROW(...), ...]
   * the fields' types too, each coerced to the target's field type (coerce_record_to_complex).
   */
  private coercedValue(node: AstNode, scope: Scope): { type: InferredType; rows?: RowValue | RowArrayValue } {
    if (nodeKind(node) === 'RowExpr') return { type: 'record', rows: this.rowValue(node.RowExpr, scope) };
    const elements: AstNode[] | undefined = node?.A_ArrayExpr?.elements;
    if (elements?.length && elements.every((e) => nodeKind(e) === 'RowExpr')) return { type: 'record[]', rows: { rows: elements.map((e) => this.rowValue(e.RowExpr, scope)) } };
    return { type: this.expr(node, scope) };
  }

  /** A ROW(...) a cast coerces (coerce_record_to_complex): its fields walked, their types kept. */
  private rowValue(row: AstNode, scope: Scope): RowValue {
    return {
      fields: (row.args ?? []).map((arg: AstNode) => {
        if (nodeKind(arg) === 'RowExpr') return this.rowValue(arg.RowExpr, scope);
        const type = this.expr(arg, scope);
        return nodeKind(arg) === 'ParamRef' && type === UNKNOWN_LITERAL ? null : type;
      }),
    };
  }

  /**
   * A JSON constructor's RETURNING or XMLSERIALIZE's AS type (undefined without one): a domain with
   * constraints checks the result (made as text, json or jsonb, its base).
   */
  private returningType(typeName: AstNode): string | undefined {
    const node = typeName?.TypeName ?? typeName;
    if (!node?.names) return undefined;
    const type = typeNameOf(this.catalog, node);
    this.domainCoercion('text', type, this.nameRange(this.at(node.location)));
    return type;
  }

  // ---- statements ----------------------------------------------------------------------------

  /** Walks any statement node; returns the output columns for queries. */
  statement(node: AstNode, scope = new Scope()): CatalogColumn[] | undefined {
    const kind = nodeKind(node);
    if (!kind) return undefined;
    const n = node[kind];
    switch (kind) {
      case 'SelectStmt':
        return this.select(n, scope);
      case 'InsertStmt': {
        this.writes = true;
        this.withClause(n.withClause, scope);
        const target = this.rangeVar(n.relation, scope);
        if (n.selectStmt) this.statement(n.selectStmt, new Scope(scope));
        this.onConflict(n.onConflictClause, scope);
        this.returning(n.returningList ?? n.returningClause?.exprs, scope);
        void target;
        return undefined;
      }
      case 'UpdateStmt':
        this.writes = true;
        this.withClause(n.withClause, scope);
        this.rangeVar(n.relation, scope);
        for (const item of n.fromClause ?? []) this.fromItem(item, scope);
        for (const t of n.targetList ?? []) this.expr(t.ResTarget?.val, scope);
        this.expr(n.whereClause, scope);
        this.returning(n.returningList ?? n.returningClause?.exprs, scope);
        return undefined;
      case 'DeleteStmt':
        this.writes = true;
        this.withClause(n.withClause, scope);
        this.rangeVar(n.relation, scope);
        for (const item of n.usingClause ?? []) this.fromItem(item, scope);
        this.expr(n.whereClause, scope);
        this.returning(n.returningList ?? n.returningClause?.exprs, scope);
        return undefined;
      case 'MergeStmt':
        this.writes = true;
        this.withClause(n.withClause, scope);
        this.rangeVar(n.relation, scope);
        this.fromItem(n.sourceRelation, scope);
        this.expr(n.joinCondition, scope);
        for (const clause of n.mergeWhenClauses ?? []) {
          const c = clause.MergeWhenClause;
          this.expr(c?.condition, scope);
          for (const t of c?.targetList ?? []) this.expr(t.ResTarget?.val, scope);
          for (const v of c?.values ?? []) this.expr(v, scope);
        }
        this.returning(n.returningList ?? n.returningClause?.exprs, scope);
        return undefined;
      default:
        this.generic(n, scope);
        return undefined;
    }
  }

  /**
   * Walks a definition's query (a view's, CREATE TABLE AS's). A plain query's output column that
   * PostgreSQL could drop when nobody reads it (remove_unused_subquery_outputs; a pulled-up view's
   * unread columns are never computed) keeps what it has to itself: not a column of ORDER BY, GROUP
   * BY or DISTINCT, nor one that calls a volatile or set-returning function (such a view is not
   * pulled up and the column stays).
   */
  definition(query: AstNode): WalkedQuery {
    const [functionsBefore, rowLocksBefore, temporaryBefore, shapesBefore] = [this.reached.length, this.rowLocks, this.temporaryReads, this.shapes.length];
    const scope = new Scope();
    const columnShapes = new Map<number, ViewShape[]>();
    const columnFunctions = new Map<number, CatalogFunction[]>();
    const outer = this.viewTop;
    const checkedBefore = this.expressionsChecked;
    const skippedBefore = this.skippedInViews;
    this.skippedInViews = new Set();
    this.viewTop = { scope, columnShapes, columnFunctions };
    this.expressionsChecked = false;
    let columns: CatalogColumn[] | undefined;
    let checksExpressions = false;
    let skipped: Set<number>;
    try {
      columns = this.statement(query, scope);
    } finally {
      this.viewTop = outer;
      // A MIN / MAX in it makes the planner check what comes after, in a statement reading it too.
      checksExpressions = this.expressionsChecked || this.minMaxChecked !== undefined;
      this.expressionsChecked ||= checkedBefore;
      skipped = this.skippedInViews;
      this.skippedInViews = skippedBefore;
    }
    const functions = this.reachedSince(functionsBefore);
    const reachedOids = new Set(functions.map((fn) => fn.oid));
    return {
      functions,
      columns,
      columnShapes,
      columnFunctions,
      unreached: [...skipped].filter((oid) => !reachedOids.has(oid)).sort((a, b) => a - b),
      locksRows: this.rowLocks > rowLocksBefore,
      readsTemporary: this.temporaryReads > temporaryBefore,
      shapes: this.shapes.slice(shapesBefore),
      checksExpressions,
      overTable: query?.SelectStmt ? this.overTable(query.SelectStmt, scope) : undefined,
    };
  }

  /**
   * A query the planner pulls up into the one reading it (is_simple_subquery) that reads one table:
   * the table and the table's column each of its output columns is (null for an expression).
   */
  private overTable(sel: AstNode, scope: Scope): OverTable | undefined {
    if (sel.fromClause?.length !== 1 || sel.withClause || !pulledUpFromFrom(sel, scope)) return undefined;
    const source = this.minMaxSource(sel.fromClause[0], scope);
    if (!source) return undefined;
    const columns: (string | null)[] = [];
    const outer = (scope.entries[0]?.columns ?? []).map((c) => c.name);
    for (const target of sel.targetList ?? []) {
      const names = nameList(target.ResTarget?.val?.ColumnRef?.fields);
      if (names.length === 1 && names[0] === '*') columns.push(...outer.map((name) => source.column(name) ?? null));
      else columns.push(source.columnOf(target.ResTarget?.val) ?? null);
    }
    const { equal, listed } = valuesGiven(sel.whereClause, source.columnOf);
    for (const column of source.equal ?? []) equal.add(column);
    for (const column of source.listed ?? []) listed.add(column);
    return {
      schema: source.relation.schema,
      name: source.relation.name,
      columns,
      ...(source.subqueryInWhere || containsNode(sel.whereClause, 'SubLink') ? { subqueryInWhere: true as const } : {}),
      ...(equal.size ? { equal: [...equal] } : {}),
      ...(listed.size ? { listed: [...listed] } : {}),
    };
  }

  /**
   * A condition over the rows of one relation (a policy's USING): its columns are in scope. Returns
   * what in it runs only in the leader: the planner adds it to the query as a security qual, which
   * it never pulls up (a correlated subquery stays one; an uncorrelated one is an initPlan).
   */
  condition(expr: AstNode, relation: CatalogRelation): ViewShape[] {
    const scope = new Scope();
    scope.entries.push({ name: relation.name, columns: relation.columns });
    const before = this.shapes.length;
    this.expr(expr, scope);
    return this.shapes.slice(before);
  }

  private returning(list: AstNode[] | undefined, scope: Scope): void {
    for (const t of list ?? []) this.expr(t.ResTarget?.val ?? t, scope);
  }

  private onConflict(clause: AstNode, scope: Scope): void {
    if (!clause) return;
    for (const t of clause.targetList ?? []) this.expr(t.ResTarget?.val, scope);
    this.expr(clause.whereClause, scope);
    this.generic(clause.infer, scope);
  }

  private withClause(withClause: AstNode, scope: Scope): void {
    const w = withClause?.WithClause ?? withClause;
    if (!w?.ctes) return;
    for (const c of w.ctes) {
      const cte = c.CommonTableExpr;
      if (!cte) continue;
      const queryKind = nodeKind(cte.ctequery);
      const info: CteInfo = {
        name: cte.ctename,
        range: this.nameRange(this.at(cte.location)),
        references: 0,
        readBy: new Set(),
        recursive: !!w.recursive,
        materialized: cte.ctematerialized === 'CTEMaterializeAlways' ? 'always' : cte.ctematerialized === 'CTEMaterializeNever' ? 'never' : 'default',
        writes: queryKind !== undefined && WRITE_STATEMENTS.has(queryKind),
        volatile: false,
      };
      // A recursive CTE can refer to itself.
      if (info.recursive) scope.ctes.set(info.name, info);
      const before = this.volatileSeen;
      const aliases = nameList(cte.aliascolnames);
      const named = (columns: CatalogColumn[] | undefined) => renamedColumns(columns, aliases);
      // A recursive CTE's columns take their types from its first branch, which its other branches read.
      const query = cte.ctequery?.SelectStmt;
      const outerCte = this.walkingCte;
      this.walkingCte = info;
      const inner = new Scope(scope);
      inner.ownColumns = new Map();
      const walkFrom = this.marks();
      const columns = info.recursive && query
        ? this.select(query, inner, (first) => (info.columns = named(first)))
        : this.statement(cte.ctequery, inner);
      info.walked = [walkFrom, this.marks()];
      this.walkingCte = outerCte;
      if (inner.ownColumns.size > 0) info.own = inner.ownColumns;
      info.volatile = this.volatileSeen > before;
      info.columns = named(resolvedUnknowns(columns));
      info.limit = this.limitNeeded(query);
      scope.ctes.set(info.name, info);
      if (info.writes) {
        this.reason('data-modifying-cte', 'information', `CTE ${info.name} modifies data: a statement with a data-modifying CTE never uses a parallel plan`, info.range, 'unsafe');
      }
    }
  }

  /**
   * Reports CTEs that will be materialized (their scans are PARALLEL RESTRICTED), and those inlined
   * as a subquery that keeps a LIMIT / OFFSET (SS_process_ctes, inline_cte): a subquery whose
   * limit_needed() is never scanned in workers. NOT MATERIALIZED does not inline a recursive CTE or
   * one that calls a volatile function. Call after the statement.
   */
  private finishCtes(scope: Scope): void {
    const ctes = [...scope.ctes.values()];
    // Why the planner does not inline one where it is read (SS_process_ctes).
    const materialized = (cte: CteInfo) =>
      cte.materialized === 'always'
        ? 'MATERIALIZED'
        : cte.recursive && cte.readBy.has(cte)
          ? 'recursive'
          : cte.materialized === 'default' && cte.references > 1
            ? `referenced ${cte.references} times`
            : cte.volatile
              ? 'it calls a VOLATILE function'
              : undefined;
    // SS_process_ctes skips a SELECT's CTE read nowhere (cterefcount 0, a read by another CTE
    // counts, its own recursive one not), and what was inlined into it goes with it; one read only
    // by such CTEs but not inlined is planned all the same (an initPlan nothing runs).
    const planned = new Set<CteInfo>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const cte of ctes) {
        // Read by this level's query (or a CTE of an enclosing level, whose query holds this one),
        // by a CTE planned itself, or by a data-modifying CTE (which runs whether read or not).
        const readHere = (by: CteInfo | null) => by === null || scope.ctes.get(by.name) !== by || planned.has(by) || (by.writes && by !== cte);
        if (planned.has(cte) || !(cte.writes || (cte.references > 0 && materialized(cte)) || [...cte.readBy].some(readHere))) continue;
        planned.add(cte);
        grew = true;
      }
    }
    // What a CTE never planned runs counts nowhere (but UNSAFE: max_parallel_hazard reads the whole
    // query); the last first, so that the regions before stay where they are.
    for (const cte of [...ctes].reverse()) if (!planned.has(cte) && cte.walked) this.takenOut(cte.walked[0], [[cte.walked[1], this.marks()]]);
    for (const cte of ctes) {
      if (cte.writes || !planned.has(cte)) continue;
      const why = materialized(cte);
      // A materialized CTE computes every column, read or not.
      if (why) for (const own of cte.own?.values() ?? []) this.ownRead(own);
      if (why) {
        this.reason('materialized-cte', 'information', `CTE ${cte.name} is materialized (${why}): its scan runs only in the leader process`, cte.range, 'restricted');
      } else if (cte.limit) {
        this.limitedSubquery(`CTE ${cte.name}, inlined as a subquery,`, cte.limit);
      }
    }
  }

  /** A subquery (`what`, as the planner makes it) whose LIMIT / OFFSET at `limit` keeps it out of workers. */
  private limitedSubquery(what: string, limit: TextRange): void {
    this.reason('limited-subquery', 'information', `${what} with LIMIT or OFFSET: the rows it keeps are chosen in the leader process, and the plan above it runs there too`, limit, 'restricted');
  }

  /**
   * Where a query's LIMIT / OFFSET is when it needs a Limit node (limit_needed(): LIMIT ALL, a NULL
   * constant, is none; OFFSET 0 is one, not yet folded to a constant when the planner asks).
   */
  private limitNeeded(query: AstNode): TextRange | undefined {
    const limit = limitNode(query?.limitCount) ?? limitNode(query?.limitOffset);
    if (!limit) return undefined;
    const location = limit[nodeKind(limit) ?? '']?.location;
    return this.limitKeyword(location >= 0 ? this.at(location) : undefined);
  }

  /** `afterFirstBranch`: for a set operation, told the first branch's columns before the others are walked (a recursive CTE's). */
  private select(sel: AstNode, scope: Scope, afterFirstBranch?: (columns: CatalogColumn[] | undefined) => void): CatalogColumn[] | undefined {
    if (!sel) return undefined;
    /** The parts of an EXISTS's query that simplify_EXISTS_query may throw away, as what their walk added. */
    let discardable: WalkRegion[] | undefined;
    const entriesFrom = this.entriesRead.length;
    scope.entriesFrom ??= entriesFrom;
    this.withClause(sel.withClause, scope);
    let columns: CatalogColumn[] | undefined;
    if (sel.op && sel.op !== 'SETOP_NONE') {
      const leaves: SetOperationLeaf[] = [];
      // A UNION ALL in FROM or a CTE, if flattened, gives each leaf's columns as its own (ColumnOwn).
      const ownLeaves = !!scope.ownColumns && !afterFirstBranch && onlyUnionAll(sel);
      columns = this.setOperationBranch(sel.larg, scope, leaves, ownLeaves);
      afterFirstBranch?.(columns);
      const right = this.setOperationBranch(sel.rarg, scope, leaves, ownLeaves);
      // A recursive CTE's columns are its first branch's (the recursive one must give those types).
      if (!afterFirstBranch) columns = this.setOperationColumns(columns, right);
      this.setOperation(sel);
      // A recursive CTE's UNION [ALL] is never flattened.
      const flattened = !afterFirstBranch && this.flattenedUnionAll(sel, leaves);
      const empty = flattened ? leaves.filter(emptyLeaf) : [];
      this.thrownAway(empty.map((leaf) => leaf.walked));
      // Flattened (pull_up_simple_union_all), each leaf is an appendrel member whose unread columns
      // are dropped as a subquery's are; a set operation left a subquery keeps them all
      // (remove_unused_subquery_outputs).
      for (const leaf of ownLeaves ? leaves.filter((leaf) => !empty.includes(leaf)) : []) {
        for (const [position, own] of leaf.scope.ownColumns ?? []) {
          const other = scope.ownColumns!.get(position);
          if (!flattened) this.ownRead(own);
          else scope.ownColumns!.set(position, joinedOwn(other, own));
        }
      }
    } else if (sel.valuesLists) {
      const rows: AstNode[][] = sel.valuesLists.map((row: AstNode) => row.List?.items ?? []);
      if (rows.length === 1) {
        columns = rows[0].map((e, i) => ({ name: `column${i + 1}`, type: this.expr(e, scope) ?? '' }));
      } else {
        // transformValuesClause: each column takes the common type of its values (select_common_type),
        // converting the others by implicit casts, whose functions run.
        columns = [];
        for (let i = 0; i < rows[0].length; i++) {
          const values = rows.map((row) => row[i]).filter((value) => value !== undefined);
          const location = values[0]?.[nodeKind(values[0]) ?? '']?.location;
          const type = this.commonType(values, scope, location >= 0 ? this.nameRange(this.at(location)) : this.firstWord());
          columns.push({ name: `column${i + 1}`, type: type ?? (values.every(untypedLiteral) ? UNKNOWN_LITERAL : '') });
        }
      }
    } else {
      scope.clause = 'from';
      scope.where = sel.whereClause;
      const parts: FromPart[] = [];
      for (const item of sel.fromClause ?? []) for (const part of this.fromItem(item, scope)) parts.push(part);
      scope.fromParts = parts;
      scope.clause = 'target';
      columns = [];
      discardable = scope.existsQuery ? [] : undefined;
      const targetsFrom = this.marks();
      const kept = this.viewTop?.scope === scope ? keptColumns(sel, scope) : undefined;
      // A subquery in FROM or a CTE's query: what a column the planner may drop runs counts where it is read.
      const setAside = scope.ownColumns && this.viewTop?.scope !== scope ? keptColumns(sel, scope) : undefined;
      for (const target of sel.targetList ?? []) {
        const rt = target.ResTarget;
        if (!rt) continue;
        const colName = rt.name ?? this.outputName(rt.val);
        if (!rt.name && isStar(rt.val)) {
          // Each column the star brings (FROM's in order, USING columns once; or t's) keeps what a
          // view it comes from has in that column.
          const location = rt.val?.ColumnRef?.location;
          const fields = rt.val?.ColumnRef?.fields ?? [];
          const parts: readonly FromPart[] = fields.length < 2 ? scope.fromParts : this.starEntries(rt.val, scope);
          for (const part of parts) {
            for (const column of Array.isArray(part) ? part : part.columns ?? []) {
              const [before, reachedBefore] = [this.shapes.length, this.reached.length];
              const marks = setAside ? this.marks() : undefined;
              if (Array.isArray(part)) for (const [source, name] of (column as OutputColumn).sources) this.columnRead(source, name, location);
              else this.columnRead(part, column.name, location);
              if (kept && !kept.has(column.name) && !kept.has(String(columns.length + 1))) this.keepColumnShapes(columns.length, before, reachedBefore);
              if (marks && !setAside!.has(column.name) && !setAside!.has(String(columns.length + 1))) this.setAside(scope, columns.length, marks, this.keptInColumn.length);
              columns.push({ name: column.name, type: column.type });
            }
          }
          continue;
        }
        const name = colName ?? '?column?';
        if (setAside) {
          const [from, keptFrom, volatileBefore, setReturningBefore] = [this.marks(), this.keptInColumn.length, this.volatileSeen, this.setReturningSeen];
          const type = this.expr(rt.val, scope);
          // remove_unused_subquery_outputs keeps a column ORDER BY, GROUP BY or DISTINCT ON names, and
          // one that calls a volatile or set-returning function (a subquery calling one in its select
          // list is not pulled up).
          if (!setAside.has(name) && !setAside.has(String(columns.length + 1)) && this.volatileSeen === volatileBefore && this.setReturningSeen === setReturningBefore) {
            this.setAside(scope, columns.length, from, keptFrom);
          } else this.keptInColumn.length = keptFrom;
          columns.push({ name, type: type ?? '' });
          continue;
        }
        if (this.viewTop?.scope !== scope) {
          columns.push({ name, type: this.expr(rt.val, scope) ?? '' });
          continue;
        }
        const shapesBefore = this.shapes.length;
        const reachedBefore = this.reached.length;
        const volatileBefore = this.volatileSeen;
        const setReturningBefore = this.setReturningSeen;
        const type = this.expr(rt.val, scope);
        const droppable =
          kept && !kept.has(name) && !kept.has(String(columns.length + 1)) && this.volatileSeen === volatileBefore && this.setReturningSeen === setReturningBefore;
        if (droppable) this.keepColumnShapes(columns.length, shapesBefore, reachedBefore);
        if (this.wholeView.length > 0) this.shapes.push(...this.wholeView.splice(0));
        this.wholeViewReached.length = 0;
        columns.push({ name, type: type ?? '' });
      }
      discardable?.push([targetsFrom, this.marks()]);
      this.markTopOfQual(sel.whereClause);
      scope.clause = 'where';
      this.expr(sel.whereClause, scope);
      const groupingFrom = this.marks();
      // GROUP BY, WINDOW, DISTINCT ON and ORDER BY expressions join the select list as resjunk
      // entries: a set-returning or volatile function there is the select list's (hasTargetSRFs).
      scope.clause = 'resjunk';
      for (const g of sel.groupClause ?? []) this.expr(g, scope);
      scope.clause = undefined;
      this.expr(sel.havingClause, scope);
      scope.clause = 'resjunk';
      for (const w of sel.windowClause ?? []) this.windowDef(w.WindowDef ?? w, scope);
      // DISTINCT ON and ORDER BY take a bare name for an output column first (findTargetlistEntrySQL92): walked with it.
      for (const d of sel.distinctClause ?? []) if (nodeKind(d) && !namesOutput(d, columns)) this.expr(d, scope);
      discardable?.push([groupingFrom, this.marks()]);
    }
    const orderFrom = this.marks();
    scope.clause = 'resjunk';
    for (const s of sel.sortClause ?? []) if (!namesOutput(s.SortBy?.node ?? s, columns)) this.expr(s.SortBy?.node ?? s, scope);
    scope.clause = undefined;
    discardable?.push([orderFrom, this.marks()]);
    this.expr(sel.limitCount, scope);
    this.expr(sel.limitOffset, scope);
    if (sel.lockingClause?.length) this.rowLocking(sel.lockingClause);
    if (scope.aggregates) this.minMaxFromIndex(sel, scope);
    this.finishCtes(scope);
    if (discardable && existsSimplified(sel, scope)) {
      this.thrownAway(discardable);
      this.outerReadsKept(scope, entriesFrom, discardable);
    }
    return columns;
  }

  /**
   * An enclosing query's columns read only in what the planner throws away correlate nothing: an
   * EXISTS whose select list alone reads them is uncorrelated (an initPlan, not a join), and so is
   * each query between it and the one they belong to that reads them nowhere else.
   */
  private outerReadsKept(scope: Scope, entriesFrom: number, thrown: readonly WalkRegion[]): void {
    const readKept = (from: number, entry: ScopeEntry) => {
      for (let i = from; i < this.entriesRead.length; i++) {
        if (this.entriesRead[i] === entry && !thrown.some(([start, end]) => i >= start.entriesRead && i < end.entriesRead)) return true;
      }
      return false;
    };
    if (scope.allOuterReads.size > 0) scope.varnosReads = new Set([...scope.allOuterReads].filter((entry) => readKept(entriesFrom, entry)));
    if (!scope.correlated) return;
    for (const entry of [...scope.outerReads]) {
      if (readKept(entriesFrom, entry)) continue;
      for (let level = scope.parent; level && !level.entries.includes(entry); level = level.parent) {
        if (level.entriesFrom !== undefined && !readKept(level.entriesFrom, entry)) level.outerReads.delete(entry);
      }
      scope.outerReads.delete(entry);
    }
  }

  /** The functions reached from position `start` on, but those in what the planner throws away. */
  private reachedSince(start: number): CatalogFunction[] {
    if (this.unreached.size === 0) return start === 0 ? this.reached : this.reached.slice(start);
    return this.reached.filter((_, i) => i >= start && !this.unreached.has(i));
  }

  /** How far the walk's lists are: what a part of a query adds lies between two marks. */
  private marks(): WalkMarks {
    return { reasons: this.reasons.length, shapes: this.shapes.length, reached: this.reached.length, entriesRead: this.entriesRead.length };
  }

  /**
   * eval_const_expressions folds what is made of literals before the planner checks any
   * expression for parallel safety (standard_planner's check of the whole query for UNSAFE
   * functions comes before it): of an AND / OR one arm decides, the other `arms` go.
   */
  private foldAway(arms: readonly AstNode[]): void {
    for (const arm of arms) if (constantTruth(arm) === undefined) this.foldedAway.add(arm);
  }

  /** A searched CASE: an arm whose WHEN is FALSE or NULL goes; one whose WHEN is TRUE ends it (the arms after it and ELSE go). */
  private foldCase(n: AstNode): void {
    let ended = false;
    for (const w of n.args ?? []) {
      const when = w.CaseWhen;
      const truth = ended ? false : constantTruth(when?.expr);
      if ((truth === false || truth === null) && when?.result) this.foldedAway.add(when.result);
      if (truth === true) ended = true;
    }
    if (ended && n.defresult) this.foldedAway.add(n.defresult);
  }

  /** An expression folded away: walked for its references and type, what it would run taken out (but UNSAFE). */
  private foldedAwayExpr(node: AstNode, scope: Scope): InferredType {
    this.foldedAway.delete(node);
    const from = this.marks();
    const type = this.expr(node, scope);
    this.foldedAway.add(node);
    this.takenOut(from);
    return type;
  }

  /**
   * What the planner throws away before it plans (`regions`, in walk order) is never evaluated: the
   * RESTRICTED reasons found there, the plan shapes they make (a view passes them on) and the
   * functions not UNSAFE (a view records them, or a database's view is told they are not run) go;
   * an UNSAFE one still counts (standard_planner checks the whole query first). Functions are left
   * in place, only left out of the result: deferred judgements hold positions in that list.
   */
  private thrownAway(regions: readonly WalkRegion[]): void {
    // Each region's additions taken out and dropped, what the walk added after it kept (the last
    // region first, so the earlier ones' marks still hold).
    for (const [from, to] of [...regions].reverse()) this.takenOut(from, [[to, this.marks()]]);
  }

  /**
   * preprocess_minmax_aggregates (planagg.c): a query whose aggregates are all MIN / MAX-like
   * (pg_aggregate.aggsortop: min, max, bool_and ...) over columns of its one table, each kept in
   * that order by an index (its first key, or one after keys the WHERE fixes to one value), is
   * planned as one initPlan per aggregate that reads the first row of its index (SELECT col ...
   * WHERE col IS NOT NULL ORDER BY col LIMIT 1); before PostgreSQL 17 the plan above an initPlan is
   * PARALLEL RESTRICTED. The planner takes that plan unless another is cheaper, which depends on
   * statistics: reported unless the WHERE has a subquery or gives every key of a unique or hash
   * index (the planner then prefers that lookup; other conditions on another indexed column, or a
   * table of a page, can make it prefer another plan too, a cost the engine cannot weigh: reported,
   * as the likelier plan without statistics). From 17 the initPlans are parallel safe; in every
   * version their parameters, made whichever plan is taken, make the planner check the expressions
   * it looks at afterwards (minMaxChecked).
   */
  private minMaxFromIndex(sel: AstNode, scope: Scope): void {
    const from: AstNode[] = sel.fromClause ?? [];
    const group: AstNode[] = sel.groupClause ?? [];
    if (scope.windowed || sel.withClause || sel.lockingClause?.length || from.length !== 1) return;
    // GROUP BY () groups nothing; any other grouping reads every row anyway.
    if (group.length > 1 || (group.length === 1 && group[0].GroupingSet?.kind !== 'GROUPING_SET_EMPTY')) return;
    const source = this.minMaxSource(from[0], scope);
    const relation = source?.relation;
    if (!source || !relation?.indexes) return;
    const columnOf = source.columnOf;
    // Its WHERE's values, and those of a view or subquery pulled up with it.
    const { equal, listed } = valuesGiven(sel.whereClause, columnOf);
    for (const column of source.equal ?? []) equal.add(column);
    for (const column of source.listed ?? []) listed.add(column);
    // An index returns rows in the order of a key whose keys before it all have one value.
    const orders = (index: CatalogIndex, column: string, sortOperator: number) =>
      !index.partial && index.columns.some((c, k) => c === column && index.orderedBy?.[k]?.includes(sortOperator) && index.columns.slice(0, k).every((before) => before && equal.has(before)));
    // A cast that only renames the type (to the column's own type, or a domain over it without
    // constraints) is a RelabelType the planner sees through (coerce_type): max(id::plain_domain).
    const columnUnderRelabel = (node: AstNode): string | undefined => {
      const cast = node?.TypeCast;
      if (!cast) return columnOf(node);
      const column = columnUnderRelabel(cast.arg);
      const type = column === undefined ? undefined : relation.columns?.find((c) => c.name === column)?.type;
      const target = typeNameOf(this.catalog, cast.typeName);
      const relabels = (to: string): boolean => to === type || (!this.catalog.domainHasConstraints(to) && this.catalog.baseTypeOf(to) !== to && relabels(this.catalog.baseTypeOf(to)));
      return type && target && relabels(target) ? column : undefined;
    };
    const answered: { aggregate: AggregateCall; index: CatalogIndex; column: string }[] = [];
    for (const aggregate of scope.aggregates ?? []) {
      const { call, fn } = aggregate;
      const sortOperator = fn?.sortOperator;
      const column = call.args?.length === 1 && !call.agg_filter && !call.agg_order?.length && !call.agg_within_group ? columnUnderRelabel(call.args[0]) : undefined;
      const index = column && sortOperator ? relation.indexes.find((i) => orders(i, column, sortOperator)) : undefined;
      if (!index || !column) return;
      answered.push({ aggregate, index, column });
    }
    // A unique or hash index the WHERE gives every key of answers it with a lookup, which the planner
    // prefers; it may take the plain plan where the WHERE has a subquery too.
    const given = (column: string) => equal.has(column) || listed.has(column);
    const lookup = relation.indexes.some((index) => (index.unique || index.method === 'hash') && !index.partial && index.columns.every((c) => c && given(c)));
    if (!this.minMaxChecked) this.minMaxFrom = this.safeCalls?.length ?? 0;
    (this.minMaxChecked ??= new Map()).set(scope, lookup);
    if (this.catalog.versionNum >= 170000 || lookup || source.subqueryInWhere || containsNode(sel.whereClause, 'SubLink')) return;
    for (const { aggregate, index, column } of answered) {
      this.reason(
        'initplan',
        'information',
        `${signatureOf(aggregate.fn!)} of ${column} is read from index ${index.name} by an initPlan (the MIN / MAX optimization: the first row in the index's order, no scan, nothing for workers to share); before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED`,
        aggregate.range,
        'restricted',
      );
    }
  }

  /**
   * The one table MIN / MAX reads (TABLESAMPLE is another node, with no index scan), named (not a
   * CTE) or through a view or subquery in FROM the planner pulls up (not a security_barrier view):
   * the table; the table's column a column of the FROM item is (by name, as `scope` has it, an
   * alias's column list included) and a column reference names; and what the view or subquery's
   * own WHERE brings.
   */
  private minMaxSource(item: AstNode, scope: Scope): MinMaxSource | undefined {
    const rv = item.RangeVar;
    const sub = item.RangeSubselect;
    if ((rv && !rv.schemaname && scope.findCte(rv.relname)) || (!rv && !sub) || sub?.lateral) return undefined;
    const named = rv ? this.catalog.relationNamed(rv.relname, rv.schemaname) : undefined;
    const table = named && ['r', 'p', 'm'].includes(named.kind) ? named : undefined;
    const over = table ? undefined : named?.kind === 'v' ? (named.securityBarrier ? undefined : traitsOf(named, this.catalog).viewOverTable) : sub ? this.subqueriesOverTable?.get(sub) : undefined;
    const relation = table ?? (over ? this.catalog.relationNamed(over.name, over.schema) : undefined);
    if (!relation) return undefined;
    // Position by position, as the FROM item gives its columns (FROM t AS w(a, b) renames them).
    const outer = (scope.entries[0]?.columns ?? []).map((c) => c.name);
    const underlying = over ? over.columns : relation.columns.map((c) => c.name);
    const column = (name: string) => underlying[outer.indexOf(name)] ?? undefined;
    // col, t.col, schema.t.col (the last only without an alias).
    const alias: string | undefined = rv ? (rv.alias?.aliasname ?? rv.relname) : (sub.alias?.Alias ?? sub.alias)?.aliasname;
    const qualifiers = rv && !rv.alias ? [alias, `${rv.schemaname ?? named!.schema}.${rv.relname}`] : [alias];
    const columnOf = (node: AstNode): string | undefined => {
      const fields = node?.ColumnRef?.fields;
      const names = nameList(fields);
      const written = names.slice(0, -1).join('.');
      if (!fields || names.includes('*') || (written && !qualifiers.includes(written))) return undefined;
      return column(names[names.length - 1]);
    };
    return { relation, column, columnOf, subqueryInWhere: over?.subqueryInWhere, equal: over?.equal, listed: over?.listed };
  }

  /**
   * A branch of a set operation, walked in its own scope; a set operation nested in it without its
   * own WITH, ORDER BY, LIMIT or row locks is part of the same tree (transformSetOperationTree), any
   * other branch a leaf query, added to `leaves` with its columns.
   */
  private setOperationBranch(branch: AstNode, scope: Scope, leaves: SetOperationLeaf[], ownLeaves = false): CatalogColumn[] | undefined {
    const inner = new Scope(scope);
    if (!isSetOperation(branch) || ownsClauses(branch)) {
      if (ownLeaves) inner.ownColumns = new Map();
      const from = this.marks();
      const columns = this.select(branch, inner);
      leaves.push({ query: branch, columns, scope: inner, walked: [from, this.marks()] });
      return columns;
    }
    const left = this.setOperationBranch(branch.larg, inner, leaves, ownLeaves);
    const right = this.setOperationBranch(branch.rarg, inner, leaves, ownLeaves);
    this.setOperation(branch);
    return this.setOperationColumns(left, right);
  }

  /**
   * The columns of a set operation of two branches: the left one's names, each of the common type
   * of the two branches' columns (transformSetOperationTree: select_common_type, pair by pair, node
   * by node: smallint beside integer is integer, whichever comes first). Two untyped literals stay
   * untyped; a column whose type either branch does not tell is not known.
   */
  private setOperationColumns(left: CatalogColumn[] | undefined, right: CatalogColumn[] | undefined): CatalogColumn[] | undefined {
    if (!left) return undefined;
    return left.map((column, i) => {
      const [a, b] = [column.type, right?.[i]?.type];
      if (!a || !b) return { name: column.name, type: '' };
      const type = a === UNKNOWN_LITERAL && b === UNKNOWN_LITERAL ? UNKNOWN_LITERAL : this.catalog.selectCommonType([a, b]);
      return { name: column.name, type: type ?? '' };
    });
  }

  /**
   * flatten_simple_union_all / pull_up_simple_union_all (prepjointree.c): a tree of UNION ALL only
   * whose leaves give the same column types becomes an append of subqueries, and a leaf with a
   * LIMIT / OFFSET stays a subquery whose limit_needed() keeps it, and the append, out of workers.
   * (With differing types the tree is planned as a set operation, where such a leaf restricts
   * nothing.) Untyped literals and types the walk cannot tell take the others' type.
   */
  private flattenedUnionAll(sel: AstNode, leaves: SetOperationLeaf[]): boolean {
    if (!onlyUnionAll(sel)) return false;
    const typesAt: Set<string>[] = [];
    const untypedAt: boolean[] = [];
    for (const leaf of leaves) {
      (leaf.columns ?? []).forEach((column, i) => {
        if (column.type === UNKNOWN_LITERAL) untypedAt[i] = true;
        else if (column.type) (typesAt[i] ??= new Set()).add(column.type);
      });
    }
    // select_common_type keeps a domain only when every branch has it: an untyped one makes the
    // column the base type, which the domain branches then do not have.
    const differ = (types: Set<string>, i: number) => types.size > 1 || (untypedAt[i] && [...types].some((type) => this.catalog.baseTypeOf(type) !== type));
    if (typesAt.some(differ)) return false;
    for (const leaf of leaves) {
      const limit = this.limitNeeded(leaf.query);
      if (limit && !emptyLeaf(leaf)) this.limitedSubquery('UNION ALL branch', limit);
    }
    return true;
  }

  /**
   * INTERSECT and EXCEPT (and, before PostgreSQL 17, UNION without ALL) combine their branches
   * in the leader: each branch may still use workers below it. (UNION ALL of plain queries is
   * flattened into an append, which workers can run.)
   */
  private setOperation(sel: AstNode): void {
    const keyword = sel.op === 'SETOP_UNION' ? 'UNION' : sel.op === 'SETOP_INTERSECT' ? 'INTERSECT' : 'EXCEPT';
    // SelectStmt carries no location for its keyword: the next one of its kind among the tokens
    // (branches are walked first, so the set operations of a chain come in the text's order).
    const placed = this.setOperationsPlaced.get(keyword) ?? 0;
    this.setOperationsPlaced.set(keyword, placed + 1);
    const distinctUnion = sel.op === 'SETOP_UNION' && !sel.all && this.catalog.versionNum < 170000;
    if (sel.op !== 'SETOP_INTERSECT' && sel.op !== 'SETOP_EXCEPT' && !distinctUnion) return;
    const token = this.tokens().filter((t) => t.text.toUpperCase() === keyword)[placed];
    const range = token ? { start: token.start, end: token.end } : this.firstWord();
    const before = distinctUnion ? ' before PostgreSQL 17' : '';
    this.reason('set-operation', 'information', `${keyword}${sel.all ? ' ALL' : ''} combines its branches only in the leader process${before} (each branch can still use workers)`, range, 'restricted');
  }

  /** The name PostgreSQL gives an output column written without AS (FigureColname); undefined for "?column?". */
  private outputName(val: AstNode): string | undefined {
    return figureColumnName(val)?.name;
  }

  /**
   * The shapes met since `from` belong to output column `position` of the view being defined
   * (definition()), not to all of it; the functions reached since `reachedFrom` are the column's
   * too (they stay among all the view reaches: viewTraits keeps, of the RESTRICTED ones, those the
   * rest of the view does not reach).
   */
  private keepColumnShapes(position: number, from: number, reachedFrom: number): void {
    if (!this.viewTop) return;
    // Not what a window's PARTITION BY / ORDER BY in the column computes: that stays (windowDef).
    const own = this.reached.slice(reachedFrom).filter((_, k) => !this.unreached.has(reachedFrom + k) && !this.wholeViewReached.some(([from, to]) => reachedFrom + k >= from && reachedFrom + k < to));
    if (own.length > 0) {
      const { columnFunctions } = this.viewTop;
      columnFunctions.set(position, [...(columnFunctions.get(position) ?? []), ...own]);
    }
    if (this.shapes.length === from) return;
    const moved = this.shapes.splice(from);
    this.viewTop.columnShapes.set(position, [...(this.viewTop.columnShapes.get(position) ?? []), ...moved]);
  }

  /**
   * What the walk added since `from` belongs to output column `position` of `scope`, a subquery in
   * FROM or a CTE's query (ColumnOwn): its RESTRICTED reasons, plan shapes and functions not UNSAFE
   * (an UNSAFE one counts wherever it is: standard_planner checks the whole query first) are taken
   * out and counted where the column is read (ownRead); a window clause walked in it (keptInColumn
   * from `keptFrom`) stays, as its PARTITION BY / ORDER BY entries keep their sortgroupref. The
   * functions stay in `reached`, only left out of the result (unreached).
   */
  private setAside(scope: Scope, position: number, from: WalkMarks, keptFrom: number): void {
    const own = this.takenOut(from, this.keptInColumn.splice(keptFrom));
    if (own) scope.ownColumns!.set(position, own);
  }

  /**
   * What the walk added since `from` (but in `kept`), taken out: RESTRICTED reasons, plan shapes,
   * functions not UNSAFE (left in `reached`, unreached); undefined if nothing.
   */
  private takenOut(from: WalkMarks, kept: readonly WalkRegion[] = NONE): ColumnOwn | undefined {
    const inKept = (i: number, key: 'reasons' | 'shapes' | 'reached') => kept.some(([a, b]) => i >= a[key] && i < b[key]);
    const own: ColumnOwn = { reasons: [], shapes: [], functions: [] };
    this.reasons.splice(from.reasons).forEach((reason, k) => (reason.hazard === 'restricted' && !inKept(from.reasons + k, 'reasons') ? own.reasons : this.reasons).push(reason));
    this.shapes.splice(from.shapes).forEach((shape, k) => (inKept(from.shapes + k, 'shapes') ? this.shapes : own.shapes).push(shape));
    for (let i = from.reached; i < this.reached.length; i++) {
      const fn = this.reached[i];
      if (fn.parallel === 'u' || this.unreached.has(i) || inKept(i, 'reached')) continue;
      this.unreached.add(i);
      // A database's view lists its functions itself: a walk of its definition passes this on (viewUnreached).
      this.skippedInViews.add(fn.oid);
      own.functions.push(fn);
    }
    return own.reasons.length > 0 || own.shapes.length > 0 || own.functions.length > 0 ? own : undefined;
  }

  /** A column set aside (setAside) is read: what it runs counts here (its reasons once). */
  private ownRead(own: ColumnOwn): void {
    for (const reason of own.reasons) if (!this.reasons.includes(reason)) this.reasons.push(reason);
    this.shapes.push(...own.shapes);
    this.reached.push(...own.functions);
  }

  /** An entry's map of what its columns have to themselves, by `names` (the columns as the entry names them, in order). */
  private static ownByName(own: Map<number, ColumnOwn> | undefined, names: readonly string[]): Map<string, ColumnOwn> | undefined {
    if (!own?.size) return undefined;
    const byName = new Map<string, ColumnOwn>();
    for (const [position, column] of own) {
      const name = names[position];
      if (name === undefined) continue;
      // Two columns of one name: a read of it is ambiguous anyway; both count.
      byName.set(name, joinedOwn(byName.get(name), column));
    }
    return byName;
  }

  /** The FROM entries a star reads: `*` all of this level's, `t.*` the one named t. */
  private starEntries(node: AstNode, scope: Scope): ScopeEntry[] {
    const names = nameList(node?.ColumnRef?.fields);
    if (names.length < 2) return scope.entries;
    return scope.entries.filter((e) => e.name === names[names.length - 2]);
  }

  /**
   * A column of a FROM entry is read. A view's column that runs only in the leader is reported once
   * per entry and column, and its shapes counted at every read (where it is read decides whether a
   * view defined by this query has them in one column or in all of it).
   */
  private columnRead(entry: ScopeEntry, column: string, location: number | undefined): void {
    this.entriesRead.push(entry);
    if (entry.joinColumns) {
      for (const [source, name] of entry.joinColumns.get(column) ?? []) this.columnRead(source, name, location);
      return;
    }
    const own = entry.own?.get(column);
    if (own) this.ownRead(own);
    if (entry.onRead) this.ownRead(entry.onRead);
    const shaped = entry.view?.columns.get(column);
    if (!entry.view || !shaped) return;
    this.shapes.push(...shaped.shapes);
    const functions = this.functionsByOid(shaped.functions ?? []);
    if (entry.view.reported.has(column)) {
      // Reported once; reached at every read (a view defined by this query has them in that column).
      this.reached.push(...functions);
      return;
    }
    entry.view.reported.add(column);
    const qualified = `${entry.view.relation.schema}.${entry.view.relation.name}`;
    const named = shaped.column === column ? `column ${column}` : `column ${shaped.column} (${column} here)`;
    const range = location === undefined ? entry.view.range : this.nameRange(this.at(location));
    this.viewReasons(shaped.shapes, `${named} of view ${qualified}`, ': reading it, that part of a plan runs only in the leader process', range);
    if (functions.length > 0) this.reachThrough(functions, range, (culprit) => `${named} of view ${qualified} calls ${culprit}`, 'view');
  }

  /** The catalog's functions of these oids (one the catalog no longer has is left out). */
  private functionsByOid(oids: readonly number[]): CatalogFunction[] {
    return oids.map((oid) => this.catalog.functionByOid(oid)).filter((fn): fn is CatalogFunction => fn !== undefined);
  }

  /**
   * What a view passes on, reported: plan shapes as view-plan-shape; a cast to a domain and a
   * foreign table under their own codes, as when met directly (a function body's verdict counts
   * those, and not plan shapes), and so an inlined function's row locks.
   */
  private viewReasons(shapes: readonly ViewShape[], subject: string, effect: string, range: TextRange): void {
    const ownCode = (shape: ViewShape): ReasonCode => (shape === 'domain-constraint' || shape === 'foreign-table' || shape === 'row-locking' ? shape : 'view-plan-shape');
    for (const code of new Set(shapes.map(ownCode))) {
      const words = shapes.filter((shape) => ownCode(shape) === code).map((shape) => SHAPE_WORDS[shape]).join(' and ');
      this.reason(code, 'information', `${subject} has ${words}${effect}`, range, 'restricted');
    }
  }

  private rowLocking(clauses: AstNode[]): void {
    const strength = clauses[0]?.LockingClause?.strength as string | undefined;
    const names: Record<string, string> = {
      LCS_FORUPDATE: 'FOR UPDATE',
      LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
      LCS_FORSHARE: 'FOR SHARE',
      LCS_FORKEYSHARE: 'FOR KEY SHARE',
    };
    const clause = names[strength ?? ''] ?? 'FOR UPDATE';
    this.rowLocks++;
    this.reason('row-locking', 'information', `${clause} locks rows: a statement that locks rows never uses a parallel plan`, this.nextLockingClause(), 'unsafe');
  }

  /** LockingClause carries no location: the next FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE among the tokens. */
  private nextLockingClause(): TextRange {
    const tokens = this.tokens();
    const word = (i: number) => tokens[i]?.text.toUpperCase() ?? '';
    const starts = tokens.flatMap((_, i) => (word(i) === 'FOR' && ['UPDATE', 'NO', 'SHARE', 'KEY'].includes(word(i + 1)) ? [i] : []));
    const at = starts[this.rowLocksPlaced++];
    if (at === undefined) return this.firstWord();
    const length = word(at + 1) === 'NO' ? 4 : word(at + 1) === 'KEY' ? 3 : 2;
    return { start: tokens[at].start, end: (tokens[at + length - 1] ?? tokens[at]).end };
  }

  private windowDef(w: AstNode, scope: Scope): void {
    if (!w) return;
    // In a view's select list: what the window's PARTITION BY / ORDER BY computes stays in the
    // view's output (as a hidden column, or keeping the one it matches) whether or not the window
    // function is read; its frame offsets go with the function, but for an initPlan (before 17),
    // which stays. (Named WINDOW clauses and ORDER BY are walked outside the select list: all of
    // the view's anyway.)
    const inViewColumn = this.viewTop?.scope === scope && scope.clause === 'target';
    const [before, reachedBefore] = [this.shapes.length, this.reached.length];
    // In an output column of a subquery in FROM or a CTE: all of the window clause stays (setAside).
    const ownFrom = scope.ownColumns && scope.clause === 'target' ? this.marks() : undefined;
    for (const p of w.partitionClause ?? []) this.expr(p, scope);
    for (const o of w.orderClause ?? []) this.expr(o.SortBy?.node ?? o, scope);
    if (inViewColumn) this.wholeView.push(...this.shapes.splice(before));
    if (inViewColumn && this.reached.length > reachedBefore) this.wholeViewReached.push([reachedBefore, this.reached.length]);
    const offsetsFrom = this.shapes.length;
    this.expr(w.startOffset, scope);
    this.expr(w.endOffset, scope);
    if (inViewColumn) this.wholeView.push(...this.shapes.slice(offsetsFrom).filter((shape) => shape === 'initplan'));
    if (ownFrom) this.keptInColumn.push([ownFrom, this.marks()]);
  }

  // ---- FROM ----------------------------------------------------------------------------------

  /** Walks a FROM item, adds its entries to `scope`, and returns what it gives, in order. */
  private fromItem(item: AstNode, scope: Scope): FromPart[] {
    const kind = nodeKind(item);
    if (!kind) return [];
    const n = item[kind];
    if (kind === 'JoinExpr') return this.join(n, scope);
    if (kind === 'RangeTableSample') {
      const sampled = this.fromItem(n.relation, scope);
      this.sampleMethod(n);
      for (const a of n.args ?? []) this.expr(a, scope);
      // set_rel_consider_parallel checks the method and its arguments, never REPEATABLE: a RESTRICTED
      // call there restricts nothing (measured), while an UNSAFE one still counts (max_parallel_hazard
      // walks the whole query first).
      const before = this.reasons.length;
      this.expr(n.repeatable, scope);
      const added = this.reasons.splice(before);
      this.reasons.push(...added.filter((reason) => reason.hazard !== 'restricted'));
      return sampled;
    }
    const before = scope.entries.length;
    this.fromEntry(kind, n, item, scope);
    return scope.entries.slice(before);
  }

  /**
   * TABLESAMPLE's method is its handler, a function of that name taking internal (ParseTableSample).
   * set_rel_consider_parallel keeps the scan out of workers unless the handler is PARALLEL SAFE, as
   * SYSTEM's and BERNOULLI's are (tsm_system_rows' and tsm_system_time's are not labelled): only the
   * leader samples the table, whatever the statement's hazard (the handler is no call in it).
   */
  private sampleMethod(n: AstNode): void {
    const names = nameList(n.method);
    const name = names[names.length - 1];
    if (name === undefined) return;
    const handler = this.catalog
      .functionsNamed(name, names.length > 1 ? names[names.length - 2] : undefined)
      .find((fn) => fn.argTypes.length === 1 && fn.argTypes[0] === 'internal' && fn.returnType === 'tsm_handler');
    if (!handler || handler.parallel === 's') return;
    const range = this.nameRange(this.at(n.location));
    this.reason('sample-method', 'information', `TABLESAMPLE ${name} samples through ${signatureOf(handler)}, ${labelPlural(hazardOf(handler.parallel), 1)}: only the leader process can scan the sampled table`, range, 'restricted', this.relatedFor([handler]));
  }

  /**
   * A join: USING / NATURAL columns first (each is both sides' column, and read: compared), then the
   * rest of the left side's, then the right side's (transformFromClauseItem); an alias with a column
   * list renames them in that order.
   */
  private join(n: AstNode, scope: Scope): FromPart[] {
    const readsBefore = scope.outerReadCount;
    const parts = this.joinParts(n, scope);
    if (n.jointype !== 'JOIN_INNER' && scope.outerReadCount > readsBefore) scope.outerReadBelowOuterJoin = true;
    return parts;
  }

  private joinParts(n: AstNode, scope: Scope): FromPart[] {
    const before = scope.entries.length;
    const leftFrom = this.marks();
    const leftParts = this.fromItem(n.larg, scope);
    const between = scope.entries.length;
    const rightFrom = this.marks();
    const rightParts = this.fromItem(n.rarg, scope);
    const rightTo = this.marks();
    const alias = n.alias?.Alias ?? n.alias;
    const renamed = nameList(alias?.colnames);
    // pull_up_sublinks also looks into a LEFT or RIGHT join's ON, for sublinks that read only
    // its nullable side, never into a FULL join's.
    const quals = (plain = false) => {
      if (n.jointype === 'JOIN_INNER') this.markTopOfQual(n.quals);
      else if (n.jointype === 'JOIN_LEFT') this.markTopOfQual(n.quals, new Set(scope.entries.slice(between)));
      else if (n.jointype === 'JOIN_RIGHT') this.markTopOfQual(n.quals, new Set(scope.entries.slice(before, between)));
      const removable = plain ? this.removableLeftJoin(n, scope, before, between) : undefined;
      this.expr(n.quals, scope);
      // The nullable side's own read goes with the ON: its row-level security policies are
      // restrictions of that rel (securityQuals), which remove_rel_from_query drops with it.
      const own = !removable ? undefined : n.jointype === 'JOIN_LEFT' ? this.takenOut(rightFrom) : this.takenOut(leftFrom, [[rightFrom, rightTo]]);
      if (removable && own) removable.onRead = own;
    };
    // A plain join gives what its sides give, in turn: nothing to copy.
    if (!n.isNatural && !n.usingClause && !alias?.aliasname) {
      quals(true);
      return [...leftParts, ...rightParts];
    }
    const [left, right] = [fromColumnsOf(leftParts), fromColumnsOf(rightParts)];
    const leftNames = new Set(left.map((c) => c.name));
    const merged: string[] = n.isNatural ? [...new Set(right.map((c) => c.name).filter((name) => leftNames.has(name)))] : nameList(n.usingClause);
    const isMerged = new Set(merged);
    const output: OutputColumn[] = [
      ...merged.map((name) => {
        const [l, r] = [left.find((c) => c.name === name), right.find((c) => c.name === name)];
        // Of the two sides' common type, whichever side it is read from (buildMergedJoinVar's select_common_type).
        const type = l?.type && r?.type ? (this.catalog.selectCommonType([l.type, r.type]) ?? l.type) : l?.type || r?.type || '';
        return { name, type, sources: [...(l?.sources ?? []), ...(r?.sources ?? [])] };
      }),
      ...left.filter((c) => !isMerged.has(c.name)),
      ...right.filter((c) => !isMerged.has(c.name)),
    ];
    for (const column of output.slice(0, merged.length)) {
      for (const [source, name] of column.sources) this.columnRead(source, name, undefined);
      if (column.type) (scope.mergedTypes ??= new Map()).set(column.name, column.type);
    }
    this.mergedColumnsCompared(n, merged, left, right, scope);
    quals();
    // JOIN ... USING (a) AS u: u names the USING columns.
    const usingAlias = n.join_using_alias?.aliasname ?? n.join_using_alias?.Alias?.aliasname;
    if (usingAlias) {
      const usingColumns = output.slice(0, merged.length);
      scope.entries.push({ name: usingAlias, columns: usingColumns.map((c) => ({ name: c.name, type: c.type })), joinColumns: new Map(usingColumns.map((c) => [c.name, c.sources])), rowType: 'record' });
    }
    const columns = renamed.length ? output.map((c, i) => ({ ...c, name: renamed[i] ?? c.name })) : output;
    if (alias?.aliasname) {
      scope.entries.push({ name: alias.aliasname, columns: columns.map((c) => ({ name: c.name, type: c.type })), joinColumns: new Map(columns.map((c) => [c.name, c.sources])), rowType: 'record' });
    }
    return [columns];
  }

  /**
   * A LEFT JOIN the planner removes unless something above it reads its right side (join_is_removable,
   * analyzejoins.c): the right side one plain table (pulledUpTable: a view or a subquery over one
   * pulled up first; no CTE; no inheritance children unless ONLY) whose unique index (btree, not partial, not DEFERRABLE: ind->immediate) has
   * every key column equated at the top of the ON, `right.col = left.col`, by a mergejoinable `=`
   * (one type, or two integer types), or to a literal (`right.col = 5`: a restriction of the right
   * side, which relation_has_unique_index_for adds from baserestrictinfo); what else the ON says
   * does not matter, but for a subquery that reads the right side (pulled up into it, or a
   * parameter of it: not proven here). A RIGHT JOIN is one with its sides swapped. The right side
   * may also be a subquery in FROM, LATERAL too, proven distinct (ScopeEntry.distinctFor: on
   * columns each equated to a left-side column, or one row whatever the ON). Returns the
   * nullable side's entry: what the ON and that side's read (its policies) run counts only where
   * one of its columns is read (ScopeEntry.onRead). Only a join without USING, NATURAL or an alias.
   */
  private removableLeftJoin(n: AstNode, scope: Scope, before: number, between: number): ScopeEntry | undefined {
    if (!n.quals) return undefined;
    // A RIGHT JOIN is a LEFT JOIN with its sides swapped (make_outerjoininfo) before join removal.
    const left = n.jointype === 'JOIN_LEFT';
    if (left ? scope.entries.length !== between + 1 : n.jointype !== 'JOIN_RIGHT' || between !== before + 1) return undefined;
    const right = scope.entries[left ? between : before];
    const nullable = left ? n.rarg : n.larg;
    // A subquery in FROM (LATERAL too) proven distinct (rel_is_distinct_for's RTE_SUBQUERY):
    // what it is distinct on, or one row, which any ON proves unique.
    const subquery = nullable?.RangeSubselect ? right.distinctFor : undefined;
    const table = subquery ? undefined : this.pulledUpTable(nullable, scope);
    if (!subquery && !table) return undefined;
    const sides = [...scope.entries.slice(before)];
    if (!right.columns || sides.some((entry) => !entry.columns)) return undefined;
    const columnOf = (node: AstNode): { entry: ScopeEntry; column: string; type: string } | undefined => {
      const names = nameList(node?.ColumnRef?.fields);
      if (names.length === 0 || names.length > 2 || names.includes('*')) return undefined;
      const column = names[names.length - 1];
      const found = sides.filter((entry) => (names.length === 1 || entry.name === names[0]) && entry.columns!.some((c) => c.name === column));
      const type = found.length === 1 ? found[0].columns!.find((c) => c.name === column)?.type : undefined;
      return type ? { entry: found[0], column, type } : undefined;
    };
    const equated = new Set<string>();
    for (const conjunct of conjuncts(n.quals)) {
      const e = conjunct?.A_Expr;
      const op = nameList(e?.name);
      if (e?.kind !== 'AEXPR_OP' || op[op.length - 1] !== '=' || (op.length === 2 && op[0] !== 'pg_catalog') || op.length > 2) continue;
      const [a, b] = [columnOf(e.lexpr), columnOf(e.rexpr)];
      // `right.col = constant`: a restriction of the right side (an ON clause reading only the
      // nullable side is pushed down to it), which relation_has_unique_index_for adds to the join's.
      // (Not for a subquery: rel_is_distinct_for takes only its join clauses.)
      const constant = table && ((a?.entry === right && !b && constantType(e.rexpr)) || (b?.entry === right && !a && constantType(e.lexpr)));
      if (constant) {
        const column = (a?.entry === right ? a : b)!;
        if (constant === 'unknown' ? !MERGEJOINABLE_EQUALITY.has(column.type) : constant !== column.type && !(INTEGER_TYPES.has(constant) && INTEGER_TYPES.has(column.type))) continue;
        const own = table.columns[right.columns.findIndex((c) => c.name === column.column)];
        if (own) equated.add(own);
        continue;
      }
      if (!a || !b || (a.entry === right) === (b.entry === right)) continue;
      const [inner, outer] = a.entry === right ? [a, b] : [b, a];
      if (inner.type !== outer.type && !(INTEGER_TYPES.has(inner.type) && INTEGER_TYPES.has(outer.type))) continue;
      if (!MERGEJOINABLE_EQUALITY.has(inner.type)) continue;
      // The table's own name for the column (FROM t AS x(a, b) renames by position).
      const position = right.columns.findIndex((c) => c.name === inner.column);
      const own = table ? table.columns[position] : inner.column;
      if (own) equated.add(own);
    }
    const unique = subquery
      ? subquery === 'one row' || subquery.every((column) => equated.has(column))
      : (table!.relation.indexes ?? []).some(
          (index) => index.unique && !index.partial && !index.deferrable && !index.method && index.columns.length > 0 && index.columns.every((c) => c && equated.has(c)),
        );
    if (!unique) return undefined;
    // A subquery in the ON that may read the right side: not removed here.
    const mayReadRight = (node: AstNode, inSubLink: boolean): boolean => {
      if (!node || typeof node !== 'object') return false;
      if (Array.isArray(node)) return node.some((item) => mayReadRight(item, inSubLink));
      if (inSubLink && node.ColumnRef) {
        const names = nameList(node.ColumnRef.fields);
        return (names.length >= 2 && names[names.length - 2] === right.name) || (names.length === 1 && (names[0] === right.name || right.columns!.some((c) => c.name === names[0])));
      }
      const kind = nodeKind(node);
      if (kind === 'SubLink') return mayReadRight(node.SubLink, true);
      for (const key in node) if (mayReadRight(node[key], inSubLink)) return true;
      return false;
    };
    return mayReadRight(n.quals, false) ? undefined : right;
  }

  /**
   * The plain table a LEFT JOIN's nullable side is to join_is_removable, and the table's column
   * each of the side's columns is, by position (null: an expression): a table (no inheritance
   * children unless ONLY), or a view or a subquery in FROM over one such table that the planner
   * pulls up first (is_simple_subquery; not a security barrier, no subquery in its WHERE, which
   * may become a join of its own). Not a CTE, a join, a LATERAL subquery.
   */
  private pulledUpTable(item: AstNode, scope: Scope): { relation: CatalogRelation; columns: (string | null)[] } | undefined {
    const rv = item?.RangeVar;
    let over: OverTable | undefined;
    if (rv?.relname && !(!rv.schemaname && scope.findCte(rv.relname))) {
      const named = this.catalog.relationNamed(rv.relname, rv.schemaname);
      // Without ONLY (libpg-query leaves a false inh out) a parent with children is an append.
      if (named?.kind === 'r') return named.hasChildren && rv.inh === true ? undefined : { relation: named, columns: named.columns.map((c) => c.name) };
      if (named?.kind === 'v' && !named.securityBarrier) over = traitsOf(named, this.catalog).viewOverTable;
    } else if (item?.RangeSubselect) {
      over = this.subqueriesOverTable?.get(item.RangeSubselect);
    }
    if (!over || over.subqueryInWhere) return undefined;
    const relation = this.catalog.relationNamed(over.name, over.schema);
    // Its children unknown (the view may or may not say ONLY): only a table without any.
    return relation?.kind === 'r' && !relation.hasChildren ? { relation, columns: over.columns } : undefined;
  }

  /**
   * USING (a) and NATURAL join on `left.a = right.a` with the operator = between their types
   * (transformJoinUsingClause), which runs as any other. Reported at the column's name in USING, or
   * at NATURAL; not where a side's type is unknown (the relation is, and says so).
   */
  private mergedColumnsCompared(n: AstNode, merged: string[], left: OutputColumn[], right: OutputColumn[], scope: Scope): void {
    const pairs = merged.flatMap((name) => {
      const [l, r] = [left.find((c) => c.name === name), right.find((c) => c.name === name)];
      return l?.type && r?.type ? [{ name, left: l.type, right: r.type }] : [];
    });
    if (pairs.length === 0) return;
    const rightStart = this.at(firstLocation(n.rarg));
    const names = n.isNatural ? undefined : this.usingNames(rightStart);
    const natural = n.isNatural ? this.tokens().filter((t) => t.start < rightStart && t.text.toUpperCase() === 'NATURAL').pop()?.start : undefined;
    for (const pair of pairs) this.operator(['='], undefined, pair.left, pair.right, names?.get(pair.name) ?? natural ?? rightStart, scope);
  }

  /**
   * Where each name of the USING (...) list of the join whose right side starts at `rightStart` is:
   * the first USING at the level of that side, after the lists of the joins walked before it (those
   * inside it, and to its left). From the grammar's tokens: comments, strings and quoted names are
   * not searched.
   */
  private usingNames(rightStart: number): Map<string, number> | undefined {
    const tokens = this.tokens();
    let i = tokens.findIndex((t) => t.start >= Math.max(rightStart, this.usingListsEnd));
    for (let depth = 0, floor = 0; i >= 0 && i < tokens.length; i++) {
      const text = tokens[i].text;
      if (text === '(') depth++;
      else if (text === ')') floor = Math.min(floor, --depth);
      else if (depth === floor && text.toUpperCase() === 'USING' && tokens[i + 1]?.text === '(') break;
    }
    if (i < 0 || i >= tokens.length) return undefined;
    const names = new Map<string, number>();
    for (i += 2; i < tokens.length && tokens[i].text !== ')'; i++) {
      const t = tokens[i];
      if (t.text !== ',') names.set(identifierValue(t.text), t.start);
    }
    this.usingListsEnd = tokens[i]?.end ?? this.sql.length;
    return names;
  }

  /** A FROM item other than a join: its entry (or entries) added to `scope`. */
  private fromEntry(kind: string, n: AstNode, item: AstNode, scope: Scope): void {
    switch (kind) {
      case 'RangeVar': {
        const entry = this.rangeVar(item, scope, 'read');
        if (entry) scope.entries.push(entry);
        return;
      }
      case 'RangeSubselect': {
        // LATERAL keywords are numbered in the text's order: this one before those inside it.
        const lateral = n.lateral ? this.lateralsPlaced++ : -1;
        const inner = new Scope(scope);
        inner.ownColumns = new Map();
        const columns = this.statement(n.subquery, inner);
        const sub = n.subquery?.SelectStmt;
        // allpaths.c: a subquery in FROM whose limit_needed() is never scanned in workers.
        const limit = this.limitNeeded(sub);
        if (limit) this.limitedSubquery('subquery', limit);
        // is_simple_subquery: a LATERAL subquery that reads the rows beside it and cannot be pulled up
        // into the query stays a subquery run for each of them, their values its parameters.
        else if (lateral >= 0 && inner.correlated && (!pulledUpFromFrom(sub, inner) || lateralReadBelowJoin(inner))) {
          // The keyword's place by a search of the text, not the scanner (a long view definition's
          // scan cost more than its whole analysis); a comment saying "lateral" could shift it.
          const keyword = [...this.sql.matchAll(/\blateral\b/gi)][lateral];
          const what = pulledUpFromFrom(sub, inner)
            ? 'LATERAL subquery the planner cannot flatten (it reads the rows beside it below a join of its own other than an inner one: an EXISTS, NOT EXISTS or IN it makes a join, a LEFT or FULL JOIN)'
            : 'LATERAL subquery the planner cannot flatten (an aggregate, DISTINCT, GROUP BY, ORDER BY, a set operation, a window, a volatile or set-returning select list)';
          this.reason('correlated-subquery', 'information', `${what}: it is run again for each outer row in the leader process`, keyword?.index !== undefined ? { start: keyword.index, end: keyword.index + 7 } : this.firstWord(), 'restricted');
        }
        const alias = n.alias?.Alias ?? n.alias;
        const names = nameList(alias?.colnames);
        const entryColumns = resolvedUnknowns(renamedColumns(columns, names));
        const own = StatementWalker.ownByName(inner.ownColumns, (entryColumns ?? []).map((c) => c.name));
        const distinctFor = entryColumns && sub ? distinctness(sub, inner, entryColumns) : undefined;
        scope.entries.push({ name: alias?.aliasname ?? '', columns: entryColumns, derived: true, rowType: 'record', ...(own ? { own } : {}), ...(distinctFor ? { distinctFor } : {}) });
        // What MIN / MAX over it (alone in FROM) and LEFT JOIN removal see through (a LATERAL one
        // reads the rows beside it: neither).
        const over = sub && !n.lateral ? this.overTable(sub, inner) : undefined;
        if (over) {
          (this.subqueriesOverTable ??= new Map()).set(n, over);
          if (scope.entries.length === 1) (this.pulledInto ??= new Map()).set(inner, scope);
        }
        return;
      }
      case 'RangeFunction': {
        // ROWS FROM (f(...), g(...)): the columns of each function in turn, then WITH ORDINALITY's;
        // one function of unknown columns leaves them all unknown.
        const alias = n.alias?.Alias ?? n.alias;
        // inline_set_returning_function: one function, no WITH ORDINALITY.
        const calls: AstNode[][] = (n.functions ?? []).flatMap((pair: AstNode) => {
          const items = pair.List?.items ?? pair;
          // ROWS FROM (f() AS (a int, ...)): each function's column definitions, a List.
          const definitions = items[1]?.List?.items ?? items[1];
          return (unnestOfEach(items[0], n.coldeflist ?? definitions) ?? [items[0]]).map((call) => [call, definitions]);
        });
        if (calls.length === 1 && !n.ordinality) this.loneFromCall = calls[0][0]?.FuncCall;
        const results: InferredType[] = [];
        const perFunction = calls.map((items): CatalogColumn[] | undefined => {
          const referencesBefore = this.references.length;
          const type = this.expr(items[0], scope);
          results.push(type);
          // A record-returning function's columns are declared where it is called: AS t(a int, ...).
          const declared = this.columnDefinitions(n.coldeflist ?? items[1]);
          if (declared) return declared;
          // A composite result (a table's row type too) makes its columns (TYPEFUNC_COMPOSITE).
          const fields = type ? this.catalog.compositeFields(type) : undefined;
          if (fields) return [...fields];
          // Several OUT / TABLE parameters make the columns (unnamed: columnN, build_function_result_tupdesc_d).
          const out = this.calledIn(items[0], referencesBefore)?.outColumns;
          if (out && out.length > 1) return out.map((c, i) => ({ name: c.name || `column${i + 1}`, type: isPolymorphic(c.type) ? '' : c.type }));
          // A scalar result one column, named as its one named OUT parameter, else as the alias (FROM f() AS g: g),
          // else as the function (chooseScalarFunctionAlias).
          const scalarName = out?.[0]?.name || (calls.length === 1 && alias ? alias.aliasname : this.outputName(items[0]) ?? '');
          return type ? [{ name: scalarName, type }] : undefined;
        });
        const columns: CatalogColumn[] | undefined = perFunction.every((c) => c) ? (perFunction as CatalogColumn[][]).flat() : undefined;
        if (columns && n.ordinality) columns.push({ name: 'ordinality', type: 'bigint' });
        const names = nameList(alias?.colnames);
        // Its whole row: one function's result (a scalar one too), else a record (makeWholeRowVar).
        const rowType = calls.length === 1 && !n.ordinality ? results[0] : 'record';
        // Without an alias, a lone function's name names it (FROM generate_series(1, 3): generate_series.*).
        const entryName = alias?.aliasname ?? (calls.length === 1 ? (this.outputName(calls[0][0]) ?? '') : '');
        scope.entries.push({ name: entryName, columns: renamedColumns(columns, names), ...(rowType ? { rowType } : {}) });
        return;
      }
      case 'JsonTable': {
        this.expr(n.context_item?.raw_expr, scope);
        for (const argument of n.passing ?? []) this.expr(argument.JsonArgument?.val?.raw_expr, scope);
        this.reason('table-function', 'information', 'JSON_TABLE is evaluated only in the leader process (table functions are not parallel safe)', this.tokenRange(this.at(n.location)), 'restricted');
        scope.entries.push({ name: n.alias?.aliasname ?? '', columns: this.jsonTableColumns(n.columns, scope) });
        return;
      }
      case 'RangeTableFunc': {
        this.expr(n.docexpr, scope);
        this.expr(n.rowexpr, scope);
        for (const namespace of n.namespaces ?? []) this.expr(namespace.ResTarget?.val ?? namespace, scope);
        this.reason('table-function', 'information', 'XMLTABLE is evaluated only in the leader process (table functions are not parallel safe)', this.tokenRange(this.at(n.location)), 'restricted');
        const columns = (n.columns ?? []).map((c: AstNode) => c.RangeTableFuncCol).filter((c: AstNode) => c?.colname);
        for (const c of columns) this.expr(c.colexpr, scope), this.expr(c.coldefexpr, scope);
        scope.entries.push({
          name: n.alias?.aliasname ?? n.alias?.Alias?.aliasname ?? '',
          // FOR ORDINALITY columns have no type name: they are integers.
          columns: columns.map((c: AstNode) => ({ name: c.colname, type: c.for_ordinality ? 'integer' : typeNameOf(this.catalog, c.typeName) })),
        });
        return;
      }
      default:
        this.generic(n, scope);
    }
  }

  /** The one function a call (`call`, walked after `referencesBefore`) was resolved to, if it was a call and one. */
  private calledIn(call: AstNode, referencesBefore: number): CatalogFunction | undefined {
    const location = call?.FuncCall?.location;
    if (location === undefined) return undefined;
    const start = this.at(location);
    const reference = this.references.slice(referencesBefore).find((r) => r.kind === 'function' && r.range.start === start);
    return reference?.functions.length === 1 ? reference.functions[0] : undefined;
  }

  /** JSON_TABLE's columns, NESTED ones included, with their DEFAULT ... ON EMPTY / ON ERROR walked. */
  private jsonTableColumns(list: AstNode[] | undefined, scope: Scope): CatalogColumn[] {
    const columns: CatalogColumn[] = [];
    for (const column of list ?? []) {
      const c = column.JsonTableColumn;
      if (!c) continue;
      this.expr(c.on_empty?.expr, scope);
      this.expr(c.on_error?.expr, scope);
      if (c.coltype === 'JTC_NESTED') columns.push(...this.jsonTableColumns(c.columns, scope));
      // FOR ORDINALITY columns have no type name: they are integers.
      else if (c.name) columns.push({ name: c.name, type: c.typeName ? typeNameOf(this.catalog, c.typeName) : 'integer' });
    }
    return columns;
  }

  /** The statement's tokens from the grammar's scanner (keywords in strings and comments are no tokens). */
  private tokens(): Token[] {
    return (this.scanned ??= scanSql(this.sql));
  }

  /**
   * The LIMIT, OFFSET or FETCH keyword of a limit whose value is at `offset`: the last before it;
   * FETCH FIRST ROW ONLY has no value and no location (-1): its FETCH.
   */
  private limitKeyword(offset: number | undefined): TextRange {
    const keywords = this.tokens().filter((t) => t.kind === 'keyword' && /^(LIMIT|OFFSET|FETCH)$/i.test(t.text));
    const before = offset === undefined || offset < 0 ? keywords.filter((t) => /^FETCH$/i.test(t.text)).slice(0, 1) : keywords.filter((t) => t.start < offset);
    const token = before[before.length - 1];
    return token ? { start: token.start, end: token.end } : this.firstWord();
  }

  /** Where a clause whose keyword is not among the tokens is reported: the statement's first word. */
  private firstWord(): TextRange {
    return { start: 0, end: Math.min(6, this.sql.length) };
  }

  /** Columns declared by a list of ColumnDefs (a function's AS t(a int, ...)); undefined without one. */
  private columnDefinitions(list: AstNode): CatalogColumn[] | undefined {
    if (!Array.isArray(list) || list.length === 0) return undefined;
    return list.map((d: AstNode) => ({ name: d.ColumnDef?.colname ?? '', type: typeNameOf(this.catalog, d.ColumnDef?.typeName) }));
  }

  /** A table, view or CTE named in FROM ('read') or as a write target. */
  private rangeVar(node: AstNode, scope: Scope, use: 'read' | 'target' = 'target'): ScopeEntry | undefined {
    const rv = node?.RangeVar ?? node;
    if (!rv?.relname) return undefined;
    const aliasName: string = rv.alias?.aliasname ?? rv.alias?.Alias?.aliasname ?? rv.relname;
    const range = this.nameRange(this.at(rv.location));
    if (!rv.schemaname) {
      const cte = scope.findCte(rv.relname);
      if (cte) {
        // cterefcount: a recursive CTE's reads of itself are not counted (addRangeTableEntryForCTE).
        if (this.walkingCte !== cte) cte.references++;
        cte.readBy.add(this.walkingCte ?? null);
        const own = StatementWalker.ownByName(cte.own, (cte.columns ?? []).map((c) => c.name));
        return { name: aliasName, columns: cte.columns, derived: true, rowType: 'record', ...(own ? { own } : {}) };
      }
    }
    const rel = this.catalog.relationNamed(rv.relname, rv.schemaname);
    const written = rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname;
    if (!rel) {
      this.refer({ kind: 'relation', range, name: written, functions: NONE });
      this.reason('unknown-relation', 'hint', `relation ${written} is not in the catalog`, range);
      return { name: aliasName };
    }
    this.refer({ kind: 'relation', range, name: written, functions: NONE, relation: rel });
    const traits: ViewTraits = rel.kind === 'v' ? traitsOf(rel, this.catalog) : {};
    this.relationHazards(rel, traits, range, scope);
    // Without ONLY (libpg-query leaves a false inh out), a read scans the partitions / children too.
    if (use === 'read' && rv.inh === true && rel.leaderOnlyChildren?.length) {
      // Plan-time pruning by this level's WHERE leaves some out (of them all: no reason).
      const qualifiers = rv.alias ? [aliasName] : [rv.relname, `${rel.schema}.${rv.relname}`];
      const pruned = scope.where ? prunedPartitions(rel, rel.leaderOnlyChildren, scope.where, qualifiers, (node) => typeNameOf(this.catalog, node)) : undefined;
      const scanned = pruned?.size ? rel.leaderOnlyChildren.filter((child) => !pruned.has(child)) : rel.leaderOnlyChildren;
      if (scanned.length > 0) this.leaderOnlyChildren(rel, scanned, range);
    }
    // Only where a parallel plan is possible at all: a writing statement never gets one anyway.
    if (use === 'read' && !this.writes && rel.parallelWorkers === 0 && (rel.kind === 'r' || rel.kind === 'm')) {
      this.reason('table-parallel-workers-zero', 'information', `${rel.schema}.${rel.name} has the storage parameter parallel_workers = 0: the planner never scans it with workers`, range);
    }
    // FROM v AS w(a, b): the view's columns under the alias's names, in order.
    const renamed = nameList(rv.alias?.colnames ?? rv.alias?.Alias?.colnames);
    const columns = renamed.length ? rel.columns.map((c, i) => ({ name: renamed[i] ?? c.name, type: c.type })) : rel.columns;
    const columnShapes = traits.viewColumnShapes;
    const derived = { ...(rel.kind === 'v' ? { derived: true } : { systemColumns: true }), rowType: qualifiedTypeName(rel.schema, rel.name) };
    if (!columnShapes?.length) return { name: aliasName, columns, ...derived };
    const byName = new Map<string, ViewColumnShapes>();
    for (const shaped of columnShapes) {
      const position = rel.columns.findIndex((c) => c.name === shaped.column);
      if (position >= 0) byName.set(columns[position].name, shaped);
    }
    return { name: aliasName, columns, ...derived, view: { relation: rel, range, columns: byName, reported: new Set() } };
  }

  /** What reading `rel` in `scope` brings: temporary and foreign tables, and what a view passes on (`view`: its traits, none for other relations). */
  private relationHazards(rel: CatalogRelation, view: ViewTraits, range: TextRange, scope: Scope): void {
    const qualified = `${rel.schema}.${rel.name}`;
    // A temporary view restricts only through the temporary tables it reads.
    if (rel.persistence === 't' && rel.kind !== 'v') {
      this.temporaryReads++;
      this.reason('temporary-table', 'information', `${rel.name} is a temporary table: only the leader process can read it`, range, 'restricted');
    }
    if (view.viewReadsTemporary) {
      this.temporaryReads++;
      this.reason('temporary-table', 'information', `view ${qualified} reads a temporary table: only the leader process can read it`, range, 'restricted');
    }
    if (rel.kind === 'f') {
      this.reason('foreign-table', 'information', `${qualified} is a foreign table${rel.foreignWrapper ? ` (${rel.foreignWrapper})` : ''}: its scan runs only in the leader process`, range, 'restricted');
    }
    if (view.viewChecksExpressions) this.expressionsChecked = true;
    // The view's query becomes part of the statement: its row locks are the statement's.
    if (view.viewLocksRows) {
      this.rowLocks++;
      this.reason('row-locking', 'information', `view ${qualified} locks rows (FOR UPDATE or FOR SHARE in its definition): a statement that locks rows never uses a parallel plan`, range, 'unsafe');
    }
    if (view.viewShapes?.length) {
      this.shapes.push(...view.viewShapes);
      this.viewReasons(view.viewShapes, `view ${qualified}`, ' (there or in a view it reads): that part of a plan runs only in the leader process', range);
    }
    if (rel.kind === 'v' && rel.viewFunctions?.length) {
      // Not what only some of its columns reach (those count where such a column is read:
      // columnRead), nor what the views it reads have only in columns it does not read.
      const skipped = new Set([...(view.viewColumnShapes?.flatMap((shaped) => shaped.functions ?? []) ?? []), ...(view.viewUnreached ?? [])]);
      for (const oid of skipped) this.skippedInViews.add(oid);
      const fns = this.functionsByOid(rel.viewFunctions.filter((oid) => !skipped.has(oid)));
      this.reachThrough(fns, range, (culprit) => `view ${qualified} calls ${culprit}`, 'view', scope);
    }
    // A policy's condition joins every read of the table as a security qual, never pulled up.
    if (this.liveViewDefinition) return;
    if (rel.rowSecurity && !rel.rowSecurityBypassed) {
      this.rowSecurity(`a row-level security policy on ${qualified}`, ' (for roles the policy applies to)', policyEffectsOf(rel, this.catalog), range, scope);
    }
    for (const read of rel.viewRowSecurity ?? NONE) {
      const subject = `a row-level security policy on ${read.schema}.${read.name}, which view ${qualified} reads as role ${read.role},`;
      this.rowSecurity(subject, '', viewRowSecurityEffects(read, this.catalog), range, scope);
    }
  }

  /** What the policies `subject` names (for `whom`) add to a read: what runs only in the leader, the functions they call. */
  private rowSecurity(subject: string, whom: string, { shapes, functions }: PolicyEffects, range: TextRange, scope: Scope): void {
    for (const shape of shapes) {
      this.reason(CODE_OF_SHAPE[shape], 'information', `${subject} has ${SHAPE_WORDS[shape]}: that part of a plan runs only in the leader process`, range, 'restricted');
    }
    if (functions.length) {
      this.reachThrough(this.functionsByOid(functions), range, (culprit) => `${subject} calls ${culprit}${whom}`, 'policy', scope);
    }
  }

  /**
   * A parent some of whose partitions / inheritance children only the leader can scan: the planner
   * scans none of its children in workers then (set_append_rel_size: the parent is parallel safe
   * only if every child it keeps is). Partition pruning may leave such a child out; the engine does
   * not prune.
   */
  private leaderOnlyChildren(rel: CatalogRelation, children: readonly LeaderOnlyChild[], range: TextRange): void {
    const qualified = `${rel.schema}.${rel.name}`;
    const member = rel.kind === 'p' ? 'partition' : 'inheritance child';
    const listed = (some: readonly LeaderOnlyChild[]) =>
      some.slice(0, 3).map((child) => `${child.schema}.${child.name}${child.foreignWrapper ? ` (${child.foreignWrapper})` : ''}`).join(', ') + (some.length > 3 ? ` and ${some.length - 3} more` : '');
    const effect =
      rel.kind === 'p'
        ? `only the leader process can scan it, so no partition of ${qualified} is scanned in workers (unless partition pruning leaves it out)`
        : `only the leader process can scan it, so no child of ${qualified} is scanned in workers (ONLY ${rel.name} reads the parent alone)`;
    const foreign = children.filter((child) => child.foreignWrapper !== undefined);
    const temporary = children.filter((child) => child.foreignWrapper === undefined);
    if (foreign.length > 0) this.reason('foreign-table', 'information', `${member} ${listed(foreign)} of ${qualified} is a foreign table: ${effect}`, range, 'restricted');
    if (temporary.length > 0) {
      this.temporaryReads++;
      this.reason('temporary-table', 'information', `${member} ${listed(temporary)} of ${qualified} is a temporary table: ${effect}`, range, 'restricted');
    }
  }

  /**
   * Functions a view or a policy read in `scope` runs (known by their list only): for MIN / MAX
   * they count as the WHERE's (a view pulled up brings its conditions there; a policy's are conditions).
   */
  private reachThrough(fns: CatalogFunction[], range: TextRange, subject: (culprit: string) => string, via: 'view' | 'policy', scope?: Scope): void {
    for (const fn of fns) this.reached.push(fn);
    // SQL functions inlined wherever they are called: a RESTRICTED one whose body is safe restricts
    // nothing; a SAFE one whose body is not restricts where the planner checks expressions.
    const counted: CatalogFunction[] = [];
    for (const fn of fns) {
      const inlinable = fn.inlineBody !== undefined && !fn.returnsSet;
      if (inlinable && fn.parallel === 's') {
        const judge = () => {
          const inlining = this.inliningAt(fn, fn.argTypes);
          if (inlining && inlining.hazard !== 'safe' && inlining.uses.every((count) => count <= 1)) this.safeBodyRestricts(`restricted-${via}`, subject(signatureOf(fn)), fn, inlining, range);
        };
        (this.safeCalls ??= []).push({ judge, scope, inWhere: true });
      }
      const inlining = inlinable && this.labelInlined(fn) ? this.inliningAt(fn, fn.argTypes) : undefined;
      if (inlining?.hazard === 'safe' && inlining.uses.every((count) => count <= 1)) {
        if (!this.insideInlinedBody) this.expressionsChecked = true;
      } else counted.push(fn);
    }
    const hazard = worstLabel(counted);
    if (hazard === 'safe') return;
    const culprits = counted.filter((fn) => hazardOf(fn.parallel) === hazard);
    const names = culprits.map((fn) => signatureOf(fn));
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
    this.reason(`${hazard}-${via}` as ReasonCode, hazard === 'unsafe' ? 'warning' : 'information', `${subject(`${shown}, ${labelPlural(hazard, culprits.length)}`)}: ${effectSentence(hazard)}`, range, hazard, this.relatedFor(culprits));
  }

  /** REFRESH MATERIALIZED VIEW re-runs the view's query: the functions it reaches count. */
  refreshMaterializedView(node: AstNode): void {
    const rv = node?.RangeVar ?? node;
    const range = this.nameRange(this.at(rv?.location));
    const rel = rv?.relname ? this.catalog.relationNamed(rv.relname, rv.schemaname) : undefined;
    const written = rv?.schemaname ? `${rv.schemaname}.${rv.relname}` : (rv?.relname ?? '');
    this.refer({ kind: 'relation', range, name: written, functions: NONE, ...(rel ? { relation: rel } : {}) });
    const fns = this.functionsByOid(rel?.viewFunctions ?? []);
    this.reachThrough(fns, range, (culprit) => `materialized view ${written} calls ${culprit}`, 'view');
    // Its whole query runs: what runs only in the leader in any part of it, every column included.
    const traits = rel?.kind === 'm' ? traitsOf(rel, this.catalog) : {};
    const shapes = new Set([...(traits.viewShapes ?? []), ...(traits.viewColumnShapes ?? []).flatMap((column) => column.shapes)]);
    if (shapes.size > 0) {
      const ordered = VIEW_SHAPES.filter((shape) => shapes.has(shape));
      this.shapes.push(...ordered);
      this.viewReasons(ordered, `materialized view ${written}`, ' (its query, which REFRESH runs): that part of a plan runs only in the leader process', range);
    }
  }

  /**
   * A call found by the scanner in a statement that does not parse (yet): resolved by name only,
   * so every overload is possible. Unknown names are skipped: the text may be half typed.
   */
  scannedCall(name: string, schema: string | undefined, range: TextRange): void {
    const candidates = this.catalog.functionsNamed(name, schema).filter((fn) => fn.kind !== 'p');
    if (candidates.length === 0) return;
    const written = schema ? `${schema}.${name}` : name;
    const ambiguous = candidates.length > 1;
    const kind = candidates.every((fn) => fn.kind === 'a') ? 'aggregate' : 'function';
    this.refer({ kind, range, name: written, functions: candidates, ...(ambiguous ? { ambiguous: true } : {}) });
    this.reach(candidates, ambiguous, range, { kind, name: written, subject: (culprit) => (kind === 'aggregate' ? `aggregate ${culprit}` : culprit) });
  }

  // ---- expressions ---------------------------------------------------------------------------

  /** Walks an expression and returns its type when it can be known. */
  expr(node: AstNode, scope: Scope): InferredType {
    if (node === null || node === undefined) return undefined;
    if (Array.isArray(node)) {
      let last: InferredType;
      for (const item of node) last = this.expr(item, scope);
      return last;
    }
    if (this.foldedAway.has(node)) return this.foldedAwayExpr(node, scope);
    const kind = nodeKind(node);
    if (!kind) return undefined;
    const n = node[kind];
    switch (kind) {
      case 'A_Const':
        if (n.isnull) return UNKNOWN_LITERAL;
        if (n.ival !== undefined) return 'integer';
        // An integer beyond int4 is an int8 constant while it fits in 64 bits (make_const), numeric
        // beyond; -2147483648, a negated float token to the grammar (doNegate), fits in an int4.
        if (n.fval !== undefined) return !fitsInt8(n.fval.fval) ? 'numeric' : BigInt(n.fval.fval) === -(2n ** 31n) ? 'integer' : 'bigint';
        if (n.boolval !== undefined) return 'boolean';
        if (n.bsval !== undefined) return 'bit';
        return UNKNOWN_LITERAL;
      case 'ColumnRef':
        return this.columnRef(n, scope);
      case 'ParamRef':
        // In a set-returning function's body inlined in FROM, $n is the call's argument there: read
        // as the arguments' entry of the level above (a lateral reference once substituted).
        if (this.inlinedArguments) for (let level: Scope | undefined = scope; level && !level.entries.includes(this.inlinedArguments); level = level.parent) correlate(level, this.inlinedArguments);
        // Typed where declared (a function's arguments, PREPARE's list). An undeclared one is an
        // untyped literal until its first use fixes its type, which its later uses then have.
        return this.parameterTypes[(n.number ?? 0) - 1] || this.parameterUse.get(n.number ?? 0) || UNKNOWN_LITERAL;
      case 'FuncCall':
        return this.funcCall(n, scope);
      case 'A_Expr':
        return this.aExpr(n, scope);
      case 'TypeCast':
        return this.typeCast(n, scope);
      case 'BoolExpr': {
        // An arm that is TRUE decides an OR, one that is FALSE an AND: the others go.
        const args: AstNode[] = n.args ?? [];
        const decisive = n.boolop === 'OR_EXPR' ? true : n.boolop === 'AND_EXPR' ? false : undefined;
        if (decisive !== undefined && args.some((arm) => constantTruth(arm) === decisive)) this.foldAway(args);
        this.expr(args, scope);
        return 'boolean';
      }
      case 'NullTest':
      case 'BooleanTest':
        this.expr(n.arg, scope);
        return 'boolean';
      case 'SubLink':
        return this.subLink(n, scope);
      case 'CaseExpr': {
        if (!n.arg) this.foldCase(n);
        const argType = this.expr(n.arg, scope);
        const results: AstNode[] = [];
        for (const w of n.args ?? []) {
          const when = w.CaseWhen;
          const whenType = this.expr(when?.expr, scope);
          if (n.arg && when) this.operator(['='], undefined, argType, whenType, this.at(when.location), scope);
          results.push(when?.result);
        }
        // transformCaseExpr puts the ELSE result first; without one, NULL.
        return this.commonType([n.defresult ?? NULL_CONSTANT, ...results], scope, this.nameRange(this.at(n.location)));
      }
      case 'CoalesceExpr':
      case 'MinMaxExpr': {
        // COALESCE stops at its first argument that is a literal other than NULL.
        const decided = kind === 'CoalesceExpr' ? (n.args ?? []).findIndex((arg: AstNode) => arg?.A_Const && !arg.A_Const.isnull) : -1;
        if (decided >= 0) for (const arg of n.args.slice(decided + 1)) this.foldedAway.add(arg);
        return this.commonType(n.args ?? [], scope, this.nameRange(this.at(n.location)));
      }
      case 'RowExpr':
        this.expr(n.args, scope);
        return 'record';
      case 'A_ArrayExpr': {
        const element = this.commonType(n.elements ?? [], scope, this.nameRange(this.at(n.location)));
        return element ? this.arrayOf(element) : undefined;
      }
      case 'A_Indirection': {
        // transformIndirection: a run of subscripts is one subscripting (a slice if any of them is
        // one); a field selection, `(address).city`, is that field's type (of a composite, or a
        // domain over one; `.*` is not followed).
        const referencesBefore = this.references.length;
        let type = this.expr(n.arg, scope);
        const list: AstNode[] = n.indirection ?? [];
        for (let i = 0; i < list.length; ) {
          if (!list[i].A_Indices) {
            const field = list[i].String?.sval;
            // A function's record of OUT or TABLE parameters, (jsonb_each(doc)).value, has them as
            // fields (get_expr_result_type, ParseComplexProjection); a polymorphic one is not followed.
            const outColumns = i === 0 && type === 'record' ? this.calledIn(n.arg, referencesBefore)?.outColumns : undefined;
            const fields = outColumns ?? (type ? this.catalog.compositeFields(this.catalog.baseTypeOf(type)) : undefined);
            const fieldType = field !== undefined ? fields?.find((c) => c.name === field)?.type : undefined;
            type = fieldType && !isPolymorphic(fieldType) ? fieldType : undefined;
            i++;
            continue;
          }
          let slice = false;
          for (; i < list.length && list[i].A_Indices; i++) {
            this.expr(list[i].A_Indices.lidx, scope);
            this.expr(list[i].A_Indices.uidx, scope);
            slice ||= !!list[i].A_Indices.is_slice;
          }
          type = this.subscriptedType(type, slice);
        }
        return type;
      }
      case 'CollateClause':
        return this.expr(n.arg, scope);
      case 'NamedArgExpr':
        return this.expr(n.arg, scope);
      case 'SQLValueFunction':
        return SQL_VALUE_TYPES[n.op] ?? 'name';
      case 'XmlExpr':
        // XMLELEMENT, XMLFOREST, XMLCONCAT, XMLPARSE, XMLPI, XMLROOT make xml; IS DOCUMENT tests it.
        this.generic(n, scope);
        return n.op === 'IS_DOCUMENT' ? 'boolean' : 'xml';
      case 'GroupingFunc':
        this.expr(n.args, scope);
        return 'integer';
      case 'SetToDefault':
        return undefined;
      case 'SelectStmt':
        this.select(n, new Scope(scope));
        return undefined;
      case 'List':
        return this.expr(n.items, scope);
      case 'JsonArrayQueryConstructor': {
        // JSON_ARRAY(SELECT ...) is a sublink whose query aggregates with JSON_ARRAYAGG.
        const type = this.returningType(n.output?.typeName);
        this.subLink({ subLinkType: 'EXPR_SUBLINK', subselect: n.query, location: n.location }, scope);
        return type ?? 'json';
      }
      case 'JsonObjectConstructor':
      case 'JsonArrayConstructor':
      case 'JsonSerializeExpr': {
        const type = this.returningType(n.output?.typeName);
        this.generic(n, scope);
        return type ?? (kind === 'JsonSerializeExpr' ? 'text' : 'json');
      }
      case 'JsonFuncExpr':
      case 'JsonScalarExpr':
      case 'JsonParseExpr': {
        // JSON_VALUE is text, JSON_QUERY jsonb, JSON_EXISTS boolean, JSON_SCALAR and JSON() json,
        // unless RETURNING says otherwise (transformJsonFuncExpr, transformJsonScalarExpr,
        // transformJsonParseExpr in parse_expr.c).
        const type = this.returningType(n.output?.typeName);
        this.generic(n, scope);
        if (kind !== 'JsonFuncExpr') return type ?? 'json';
        return type ?? (n.op === 'JSON_VALUE_OP' ? 'text' : n.op === 'JSON_QUERY_OP' ? 'jsonb' : n.op === 'JSON_EXISTS_OP' ? 'boolean' : undefined);
      }
      case 'JsonIsPredicate':
        this.generic(n, scope);
        return 'boolean';
      case 'XmlSerialize': {
        const type = this.returningType(n.typeName);
        this.generic(n, scope);
        return type;
      }
      case 'JsonArrayAgg':
      case 'JsonObjectAgg': {
        const type = this.returningType(n.constructor?.output?.typeName) ?? 'json';
        // Aggregates (hasAggs), and with OVER (...) window functions.
        const over = n.constructor?.over;
        if (!over) {
          const entriesBefore = this.entriesRead.length;
          this.generic(n, scope);
          this.aggregateCalled(scope, entriesBefore, { call: n, range: this.tokenRange(this.at(n.constructor?.location ?? 0)) });
          return type;
        }
        scope.windowed = true;
        const written = kind === 'JsonArrayAgg' ? 'JSON_ARRAYAGG' : 'JSON_OBJECTAGG';
        this.reason('window-function', 'information', `window function ${written}() runs only in the leader process (window functions are PARALLEL RESTRICTED)`, this.tokenRange(this.at(n.constructor.location)), 'restricted');
        this.generic({ ...n, constructor: { ...n.constructor, over: undefined } }, scope);
        this.windowDef(over, scope);
        return type;
      }
      default:
        this.generic(n, scope);
        return undefined;
    }
  }

  /**
   * Walks every one of `nodes` (any of them may reach a function, not only the first) and returns
   * their common type (Catalog.selectCommonType). Each value of another type is converted to it: an
   * implicit cast's function runs, reported at `range` (the CASE, COALESCE, GREATEST or ARRAY).
   */
  private commonType(nodes: AstNode[], scope: Scope, range: TextRange): InferredType {
    const written = nodes.map((node) => this.expr(node, scope));
    const common = this.catalog.selectCommonType(written);
    if (common === undefined) return undefined;
    for (const type of written) {
      const base = this.knownOrUndefined(type) && this.catalog.rootBaseTypeOf(type!);
      if (base && base !== common && type !== common) this.implicitCasts([base], [common], range);
    }
    return common;
  }

  /**
   * The type of a subscripted `container` (transformContainerSubscripts, a domain as its base type):
   * an array's element type, or the array itself for a slice (array_subscript_handler); jsonb for
   * jsonb, either way (jsonb_subscript_handler). A subscript handler's result type is its code's
   * choice, which the catalog does not tell: other types are not known.
   */
  private subscriptedType(container: InferredType, slice: boolean): InferredType {
    if (!this.knownOrUndefined(container)) return undefined;
    const base = this.catalog.rootBaseTypeOf(container!);
    if (base === 'jsonb') return base;
    const element = this.catalog.elementTypeOf(base);
    return element === undefined ? undefined : slice ? base : element;
  }

  /**
   * The array type made of values of `element` by ARRAY[...] or ARRAY(SELECT ...): an array value
   * makes a multidimensional array of its own type (transformArrayExpr's multidims,
   * get_promoted_array_type), ARRAY[[1, 2], [3, 4]] and ARRAY[arr] are integer[]; a domain over an
   * array is no array there (type_is_array), and makes an array of the domain.
   */
  private arrayOf(element: string): string {
    return this.catalog.elementTypeOf(element) !== undefined ? element : `${element}[]`;
  }

  private knownOrUndefined(type: InferredType): InferredType {
    return type === UNKNOWN_LITERAL || type === '' ? undefined : type;
  }

  /** Visits every child node of a node kind the walker has no special rule for. */
  private generic(n: AstNode, scope: Scope): void {
    if (!n || typeof n !== 'object') return;
    for (const key in n) {
      const value = n[key];
      if (Array.isArray(value)) {
        for (const item of value) if (nodeKind(item)) this.expr(item, scope);
      } else if (nodeKind(value)) {
        this.expr(value, scope);
      } else if (value && typeof value === 'object') {
        // A part that is no node of its own (JSON constructors' JsonValueExpr, JsonKeyValue,
        // JsonAggConstructor ...) holds expressions too.
        this.generic(value, scope);
      }
    }
  }

  private columnRef(n: AstNode, scope: Scope): InferredType {
    const fields: AstNode[] = n.fields ?? [];
    const names = fields.map((f) => f.String?.sval as string);
    if (fields.some((f) => f.A_Star)) {
      // t.* in an expression is t's whole row, t of this query or an enclosing one; * alone, this query's rows.
      const entries = fields.length > 1 ? [this.entryNamed(scope, names[names.length - 2])].filter((e) => e !== undefined) : scope.entries;
      for (const entry of entries) this.wholeRowRead(entry, n.location);
      return fields.length > 1 && entries.length === 1 ? entries[0].rowType : undefined;
    }
    const column = names[names.length - 1];
    if (names.length >= 2) {
      const entry = this.entryNamed(scope, names[names.length - 2]);
      if (!entry) return undefined;
      this.columnRead(entry, column, n.location);
      return (entry.columns?.find((c) => c.name === column)?.type ?? systemColumnType(entry, column)) || undefined;
    }
    const crossed: Scope[] = [];
    for (let level: Scope | undefined = scope; level; level = level.parent) {
      let unknownColumns = false;
      for (const entry of level.entries) {
        if (!entry.columns) {
          unknownColumns = true;
          continue;
        }
        const system = systemColumnType(entry, column);
        const hit = entry.columns.find((c) => c.name === column) ?? (system ? { name: column, type: system } : undefined);
        if (hit) {
          crossed.forEach((s) => correlate(s, entry));
          this.columnRead(entry, column, n.location);
          return level.mergedTypes?.get(column) || hit.type || undefined;
        }
      }
      // An unknown relation might own the column: do not guess at correlation.
      if (unknownColumns) return undefined;
      crossed.push(level);
    }
    // No column of that name: a whole row (SELECT v FROM v, row_to_json(v)) reads every column.
    const entry = this.entryNamed(scope, column);
    if (entry) this.wholeRowRead(entry, n.location);
    return entry?.rowType;
  }

  /**
   * The FROM entry called `name` in this query or the nearest enclosing one that has it: read from an
   * enclosing one, it correlates each query in between with that one.
   */
  private entryNamed(scope: Scope, name: string): ScopeEntry | undefined {
    const crossed: Scope[] = [];
    for (let level: Scope | undefined = scope; level; level = level.parent) {
      const entry = level.entries.find((e) => e.name === name);
      if (entry) {
        crossed.forEach((s) => correlate(s, entry));
        return entry;
      }
      crossed.push(level);
    }
    return undefined;
  }

  /**
   * An aggregate belongs to the innermost query level whose columns its arguments read (this one if
   * they read none; parse_agg.c, check_agg_arguments): `(SELECT count(u.x) FROM t)` in a query over u
   * makes that query aggregate, not the subquery, which reads the result as an outer value. Such an
   * aggregate is not one the MIN / MAX optimization takes (it is not in that query's own lists).
   */
  private aggregateCalled(scope: Scope, entriesBefore: number, aggregate: AggregateCall): void {
    let owner = scope;
    let depth = Infinity;
    for (let i = entriesBefore; i < this.entriesRead.length && depth > 0; i++) {
      let level: Scope | undefined = scope;
      for (let d = 0; level && d < depth; d++, level = level.parent) {
        if (level.entries.includes(this.entriesRead[i])) {
          [owner, depth] = [level, d];
          break;
        }
      }
    }
    (owner.aggregates ??= []).push(owner === scope ? aggregate : { ...aggregate, fn: undefined });
  }

  private wholeRowRead(entry: ScopeEntry, location: number | undefined): void {
    this.entriesRead.push(entry);
    if (entry.view || entry.joinColumns || entry.own || entry.onRead) for (const column of entry.columns ?? []) this.columnRead(entry, column.name, location);
  }

  private funcCall(n: AstNode, scope: Scope): InferredType {
    const names = nameList(n.funcname);
    const name = names[names.length - 1];
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    const args: AstNode[] = n.args ?? [];
    const loneInFrom = this.loneFromCall === n;
    if (loneInFrom) this.loneFromCall = undefined;
    const candidates = this.catalog.functionsNamed(name, schema);
    // A call that may be inlined needs what each argument runs: how many functions were reached before each.
    const reachedBefore = candidates.some((fn) => fn.inlineBody !== undefined && (fn.parallel !== 'u' || this.insideInlinedBody)) ? [this.reached.length] : undefined;
    const entriesBefore = this.entriesRead.length;
    // A ROW(...) argument keeps its fields' types: each is coerced to the parameter's field type.
    const rows: (RowValue | RowArrayValue | undefined)[] = [];
    const argTypes = args.map((a) => {
      const { type, rows: value } = this.coercedValue(a, scope);
      rows.push(value);
      reachedBefore?.push(this.reached.length);
      return type;
    });
    const named = args.some((a) => nodeKind(a) === 'NamedArgExpr');
    const argNames = named ? args.map((a) => a?.NamedArgExpr?.name as string | undefined) : [];
    const orderTypes = (n.agg_order ?? []).map((o: AstNode) => this.expr(o.SortBy?.node ?? o, scope));
    // An ordered-set aggregate's arguments in pg_proc: the direct ones, then the WITHIN GROUP ones.
    const matchTypes = n.agg_star ? [] : n.agg_within_group ? [...argTypes, ...orderTypes] : argTypes;
    this.expr(n.agg_filter, scope);
    if (n.over) this.windowDef(n.over.WindowDef ?? n.over, scope);

    const written = names.join('.');
    const range = this.nameRange(this.at(n.location));
    // SQL-syntax calls (EXTRACT, SUBSTRING ... FROM, TRIM, ...) start with a keyword, not the name.
    if (n.funcformat === 'COERCE_SQL_SYNTAX') range.end = this.tokenRange(range.start).end;
    const match = this.catalog.matchFunction(candidates, matchTypes, argNames);
    if (match.candidates.length === 0) {
      this.unresolved = true;
      const shown = `${written}(${matchTypes.map((t) => t ?? '?').join(', ')})`;
      this.refer({ kind: 'function', range, name: written, functions: NONE });
      this.reason(
        'unknown-function',
        'information',
        candidates.length > 0
          ? `no overload of ${written} takes these arguments (${shown}): its parallel label is unknown`
          : `function ${shown} is not in the catalog: its parallel label is unknown`,
        range,
      );
      return undefined;
    }
    const isAggregate = match.candidates.every((fn) => fn.kind === 'a');
    const isWindow = !!n.over;
    if (isWindow) scope.windowed = true;
    else if (isAggregate) this.aggregateCalled(scope, entriesBefore, { call: n, fn: match.candidates.length === 1 ? match.candidates[0] : undefined, range });
    if (match.candidates.some((fn) => fn.volatility === 'v')) {
      if (scope.clause === 'where') scope.volatileInWhere = true;
      else if (scope.clause === 'target' || scope.clause === 'resjunk') scope.volatileInTarget = true;
    }
    if (match.candidates.some((fn) => fn.returnsSet)) {
      this.setReturningSeen++;
      if (scope.clause === 'target' || scope.clause === 'resjunk') scope.setReturningInTarget = true;
    }
    const refKind = isAggregate && !isWindow ? 'aggregate' : 'function';
    const only = match.candidates.length === 1 && !isAggregate && !isWindow ? match.candidates[0] : undefined;
    const folded = only !== undefined && this.evaluatedWhenPlanned(only, args, argTypes);
    const single = reachedBefore && !folded ? only : undefined;
    const inlinedQuery = single && loneInFrom ? this.inlinedInFrom(single, args, reachedBefore!) : undefined;
    const inlined = single && this.labelInlined(single) && !inlinedQuery ? this.inlinedCall(single, args, argTypes, reachedBefore!) : undefined;
    if (single?.parallel === 's' && !inlinedQuery) this.deferSafeCall(single, args, argTypes, reachedBefore, range, signatureOf(single), 'restricted-function', scope);
    const vanishes = folded || inlinedQuery !== undefined || (inlined !== undefined && inlined.hazard === 'safe');
    this.refer({
      kind: refKind,
      range,
      name: written,
      functions: match.candidates,
      ...(match.ambiguous ? { ambiguous: true } : {}),
      ...(folded ? { evaluatedWhenPlanned: true } : vanishes ? { inlined: true } : {}),
    });
    if (match.candidates.length === 1) {
      this.implicitCasts(matchTypes, match.candidates[0].argTypes, range, rows);
      if (!named) this.fixParameters(args, match.candidates[0].argTypes);
    }
    if (folded) {
      // A constant by the time parallel safety is checked; the statement-wide hazard saw the call.
      this.reached.push(only!);
      if (only!.parallel === 'r' && !this.insideInlinedBody) this.expressionsChecked = true;
    } else if (inlinedQuery) {
      this.reached.push(only!);
      this.inlinedQueryReasons(only!, inlinedQuery, range);
      // Its arguments read the rows beside it (LATERAL) or an outer query's: a subquery reading them
      // that cannot be pulled up is run again for each of them (is_simple_subquery).
      if ((!inlinedQuery.pulledUp || inlinedQuery.argumentsBelowJoin) && args.some((a) => containsNode(a, 'ColumnRef'))) {
        this.reason('correlated-subquery', 'information', `${signatureOf(only!)}, inlined here as a subquery the planner cannot flatten, reads the rows beside it: it is run again for each of them in the leader process`, range, 'restricted');
      }
    } else {
      if (inlined) this.noteInlined(single!, () => inlined, args, reachedBefore);
      else if (single?.parallel === 's') this.noteInlined(single, () => this.inlinedCall(single, args, argTypes, reachedBefore), args, reachedBefore);
      if (!inlined || !this.reachInlined(only!, inlined)) {
        this.reach(match.candidates, match.ambiguous, range, {
          kind: refKind,
          name: written,
          subject: (culprit) => (refKind === 'aggregate' ? `aggregate ${culprit}` : culprit),
        });
      }
    }
    if (isWindow) {
      this.reason('window-function', 'information', `window function ${written}() runs only in the leader process (window functions are PARALLEL RESTRICTED)`, range, 'restricted');
    } else if (isAggregate && match.candidates.length === 1 && match.candidates[0].combinable === false) {
      this.reason('aggregate-not-combinable', 'hint', `aggregate ${signatureOf(match.candidates[0])} has no combine function: it cannot be split across workers (no partial aggregation)`, range);
    }
    // A polymorphic result is what the call's arguments make it (enforce_generic_type_consistency).
    const returns = new Set(match.candidates.map((fn) => this.catalog.resultTypeOf(fn, matchTypes, argNames)));
    return returns.size === 1 ? [...returns][0] : undefined;
  }

  /**
   * `fn`'s body as the planner inlines it (inline.ts), found once per statement (for a polymorphic
   * function, once per argument types: its body is resolved with the call's); undefined if it is not
   * inlined, or while it is being inlined (a recursive call).
   */
  private inliningAt(fn: CatalogFunction, callTypes: readonly InferredType[]): Inlining | undefined {
    const state = (this.inlining ??= { known: new Map(), queries: new Map(), active: new Set(), recursions: 0 });
    let types: readonly string[] = fn.argTypes;
    let key: CatalogFunction | string = fn;
    if (fn.argTypes.some(isPolymorphic)) {
      // Each polymorphic parameter is what the call's arguments make it (anyarray the array of their element type ...).
      const actual = fn.argTypes.map((type) => this.catalog.resolvePolymorphic(type, fn.argTypes, callTypes));
      if (actual.some((type) => type === undefined || type === UNKNOWN_LITERAL)) return undefined;
      types = actual as string[];
      key = `${fn.oid}(${types.join(',')})`;
    }
    const shared = `call:${typeof key === 'string' ? key : fn.oid}`;
    return this.once(state.known, key, fn, shared, () => inliningOf(fn, (sql, offsets, expr) => this.bodyWalker(sql, offsets).walkInlineBody(expr, fn, types)));
  }

  /**
   * What `work` gives for `fn`, worked out once per statement and kept in `known` (the walks of the
   * bodies share it), and once per catalog state (keptInlinings, under `shared`), its lookups
   * replayed into each statement's dependency log; undefined while `fn` itself is being inlined:
   * the planner does not inline a function inside its own body (active_fns). What was worked out
   * while another function was (mutual recursion) is kept for this statement only.
   */
  private once<K, T>(known: Map<K, T | null>, key: K, fn: CatalogFunction, shared: string, work: () => T | undefined): T | undefined {
    const state = this.inlining!;
    if (state.active.has(fn)) {
      state.recursions++;
      return undefined;
    }
    let found = known.get(key);
    if (found !== undefined) return found ?? undefined;
    const kept = keptInliningsOf(this.catalog);
    const keptKey = `${this.catalog.version}|${shared}`;
    const before = kept.get(keptKey);
    if (before) {
      replayLookups(before.lookups, this.catalog.dependencyLog);
      found = before.value as T | null;
    } else {
      const recursionsBefore = state.recursions;
      const log = new RecordingLog(this.catalog.dependencyLog);
      this.catalog.dependencyLog = log;
      state.active.add(fn);
      try {
        found = work() ?? null;
      } finally {
        state.active.delete(fn);
        this.catalog.dependencyLog = log.next;
      }
      if (state.recursions === recursionsBefore) {
        if (kept.size >= MAX_KEPT_INLININGS) kept.clear();
        kept.set(keptKey, { value: found, lookups: log.lookups });
      }
    }
    known.set(key, found);
    return found ?? undefined;
  }

  /** A walker for a SQL function's body, sharing this statement's inlining decisions. */
  private bodyWalker(sql: string, offsets: Utf8Offsets): StatementWalker {
    const body = new StatementWalker(sql, offsets, this.catalog);
    body.inlining = this.inlining;
    body.insideInlinedBody = true;
    return body;
  }

  /**
   * The inlining of this call when the planner inlines it (not for an UNSAFE function the statement
   * calls: it gets no parallel plan anyway; one in an inlined body is). An argument the body reads
   * more than once must be cheap, not volatile and no subquery, judged once simplified
   * (argumentCost; `reachedBefore`: this.reached's length before each argument was walked, and
   * after the last); one left to its default is not at hand.
   */
  private inlinedCall(fn: CatalogFunction, args: readonly AstNode[], argTypes: readonly InferredType[], reachedBefore: number[] | undefined): Inlining | undefined {
    if ((fn.parallel === 'u' && !this.insideInlinedBody) || fn.inlineBody === undefined || args.length !== fn.argTypes.length) return undefined;
    const inlining = this.inliningAt(fn, argTypes);
    if (!inlining) return undefined;
    for (let i = 0; i < inlining.uses.length; i++) {
      if (inlining.uses[i] <= 1) continue;
      // One left to its default: its expression is not at hand.
      const at = argumentAt(fn, args, i);
      if (at < 0) return undefined;
      // Without what each argument runs (an operator's operands), only a column, a constant or a parameter.
      const cost = reachedBefore ? this.argumentCost(args[at], reachedBefore[at], reachedBefore[at + 1]) : COSTLESS.has(nodeKind(args[at]) ?? '') ? 0 : Infinity;
      if (cost > 10) return undefined;
    }
    return inlining;
  }

  /**
   * What an argument costs (repeatedArgumentCost), the functions it runs being this.reached from
   * `from` to `to`: a call in it that the planner inlines costs what its body does (inlinedCosts).
   */
  private argumentCost(arg: AstNode, from: number, to: number): number {
    const kept: CatalogFunction[] = [];
    let inlined = 0;
    for (let i = from; i < to; i++) {
      const cost = this.inlinedCosts?.get(i)?.();
      if (cost === undefined) kept.push(this.reached[i]);
      else inlined += cost;
    }
    return repeatedArgumentCost(arg, kept) + inlined;
  }

  /**
   * Records that the call of `fn` about to be reached is inlined with `inlining` (or, for a SAFE
   * function, may be: `inlining` is asked when needed): what it costs then is its body's, with each
   * argument counted as many times as the body reads it (the call's argument list counts it once).
   */
  private noteInlined(fn: CatalogFunction, inlining: () => Inlining | undefined, args: readonly AstNode[], reachedBefore: readonly number[] | undefined): void {
    if (!reachedBefore) return;
    (this.inlinedCosts ??= new Map()).set(this.reached.length, () => {
      const found = inlining();
      if (!found) return undefined;
      let cost = found.cost;
      found.uses.forEach((count, i) => {
        const at = argumentAt(fn, args, i);
        if (count !== 1 && at >= 0) cost += (count - 1) * this.argumentCost(args[at], reachedBefore[at], reachedBefore[at + 1]);
      });
      return cost;
    });
  }

  /**
   * A call of a RESTRICTED function the planner evaluates while planning (evaluate_function): an
   * IMMUTABLE one whose arguments are constants once simplified, a STRICT one with a NULL constant
   * among them. It is a constant by the time parallel safety is checked where it is. A constant
   * here: a literal, or a literal written with its type (`date '...'`, `'...'::date`); converted to
   * the parameter's type by an IMMUTABLE cast or none (eval_const_expressions folds only those).
   */
  private evaluatedWhenPlanned(fn: CatalogFunction, args: readonly AstNode[], argTypes: readonly InferredType[]): boolean {
    if (fn.parallel !== 'r' || fn.kind !== 'f' || fn.returnsSet || fn.returnType === 'record') return false;
    const values = args.map((a) => a?.NamedArgExpr?.arg ?? a);
    if (fn.strict && values.some((v) => (v?.A_Const ?? v?.TypeCast?.arg?.A_Const)?.isnull)) return true;
    if (fn.volatility !== 'i' || args.length !== fn.argTypes.length || args.some((a) => a?.NamedArgExpr)) return false;
    const folds = (from: InferredType, to: string): boolean => {
      if (!from || from === UNKNOWN_LITERAL || from === to || isPolymorphic(to) || this.catalog.baseTypeOf(from) === this.catalog.baseTypeOf(to)) return true;
      const cast = this.catalog.castBetween(from, to);
      const castFn = cast?.functionOid ? this.catalog.functionByOid(cast.functionOid) : undefined;
      return cast?.method === 'b' || castFn?.volatility === 'i';
    };
    return values.every((v, i) => {
      // A typed literal cast (5::numeric) is a call of the cast, folded only if IMMUTABLE; a string
      // literal's type is read by its input function when the statement is parsed.
      const literal = v?.A_Const ?? v?.TypeCast?.arg?.A_Const;
      if (!literal) return false;
      if (v.TypeCast && literal.sval === undefined && !folds(this.literalType(literal), argTypes[i] ?? '')) return false;
      return folds(argTypes[i], fn.argTypes[i]);
    });
  }

  /**
   * Reports a call of a RESTRICTED function (in an inlined body, of an UNSAFE one too) the planner
   * replaces by its body: when the body is safe, it restricts nothing (the statement is RESTRICTED
   * before inlining all the same; what a body calls the statement's check never saw). False where
   * the call is to be reported as labelled. (A SAFE one's body is judged later: deferSafeCall.)
   */
  private reachInlined(fn: CatalogFunction, inlining: Inlining): boolean {
    if (inlining.hazard !== 'safe') return false;
    // The function itself, as the statement-wide checks before inlining see it (a CTE's volatility,
    // a view's list of functions); its body is what it is in the lists' reading (reachThrough).
    (this.inlinedAway ??= new Set()).add(this.reached.length);
    this.reached.push(fn);
    if (fn.volatility === 'v') this.volatileSeen++;
    if (!this.insideInlinedBody) this.expressionsChecked = true;
    return true;
  }

  /**
   * A call of `fn` is inlined, when its body allows, in place of its label: a RESTRICTED one's, and
   * inside an inlined body an UNSAFE one's too (a SAFE one's body counts only where the planner
   * checks expressions: deferSafeCall).
   */
  private labelInlined(fn: CatalogFunction): boolean {
    return fn.parallel === 'r' || (fn.parallel === 'u' && this.insideInlinedBody);
  }

  /** How a SAFE function's restricting body is named where it is called. */
  private static inlinedWhat(fn: CatalogFunction, written: string, kind: 'function' | 'operator' | 'cast'): string {
    return kind === 'operator' ? `operator ${written} runs ${signatureOf(fn)}, which` : kind === 'cast' ? `the cast to ${written} runs ${signatureOf(fn)}, which` : signatureOf(fn);
  }

  /** The type of a literal (A_Const's fields), as expr() gives it. */
  private literalType(literal: AstNode): InferredType {
    return this.expr({ A_Const: literal }, new Scope());
  }

  /**
   * What the bodies of SAFE functions inlined restrict where the planner checks expressions: the
   * deferred calls judged now, all of them (`everywhere`) or those where MIN / MAX made it check.
   */
  private conditionalReasons(everywhere: boolean): Reason[] {
    const calls = this.safeCalls;
    this.safeCalls = undefined;
    const before = everywhere ? 0 : this.ifNotSafeBeforeInlining?.length ?? 0;
    (calls ?? []).forEach(({ judge, scope, inWhere, readsDerived }, position) => {
      // A subquery pulled up into the MIN / MAX query: its calls are that query's, as its WHERE's.
      let level = scope;
      let pulledUp = false;
      while (level && !this.minMaxChecked?.has(level) && this.pulledInto?.has(level)) [level, pulledUp] = [this.pulledInto.get(level), true];
      const plainPlan = level ? this.minMaxChecked?.get(level) : undefined;
      // Elsewhere, what is planned after it: not a condition on the tables beside a subquery
      // (set_base_rel_consider_parallel checks those before the subquery is planned).
      const checked = plainPlan === undefined ? position >= this.minMaxFrom && (!inWhere || !!readsDerived) : plainPlan || !(inWhere || pulledUp);
      if (everywhere || (this.minMaxChecked && checked)) judge();
    });
    return this.ifNotSafeBeforeInlining?.slice(before) ?? NONE;
  }

  /** A call of a SAFE SQL function in `scope`: judged later, if at all (safeCalls). */
  private deferSafeCall(fn: CatalogFunction, args: readonly AstNode[], argTypes: readonly InferredType[], reachedBefore: number[] | undefined, range: TextRange, what: string, code: ReasonCode, scope: Scope): void {
    const judge = () => {
      const inlining = this.inlinedCall(fn, args, argTypes, reachedBefore);
      if (inlining && inlining.hazard !== 'safe') this.safeBodyRestricts(code, what, fn, inlining, range);
    };
    const inWhere = scope.clause === 'where' || scope.clause === 'from';
    (this.safeCalls ??= []).push({ judge, scope, inWhere, readsDerived: inWhere && readsAny(args, scope.entries.filter((entry) => entry.derived)) });
  }

  /** A SAFE function inlined whose body is not safe: it restricts where the planner checks expressions (ifNotSafeBeforeInlining). */
  private safeBodyRestricts(code: ReasonCode, what: string, fn: CatalogFunction, inlining: Inlining, range: TextRange): void {
    const culprits = [...new Set(inlining.culprits.map((f) => signatureOf(f)))];
    const body = culprits.length ? `calls ${culprits.slice(0, 3).join(', ')}, not PARALLEL SAFE` : 'is not parallel safe';
    (this.ifNotSafeBeforeInlining ??= []).push({
      code,
      severity: 'information',
      message: `${what} is PARALLEL SAFE, but the planner inlines its SQL body here, which ${body}, and checks it in a statement that is not PARALLEL SAFE: ${effectSentence('restricted')}`,
      range,
      hazard: 'restricted',
    });
  }

  /**
   * The body of a set-returning SQL function alone in FROM, when the planner makes it a subquery
   * there (inline_set_returning_function): not with a volatile function or a subquery in its
   * arguments. An UNSAFE one the statement calls is left as it is: it gets no parallel plan anyway.
   */
  private inlinedInFrom(fn: CatalogFunction, args: AstNode[], reachedBefore: number[]): InlinedQuery | undefined {
    if ((fn.parallel === 'u' && !this.insideInlinedBody) || fn.inlineBody === undefined || !fn.returnsSet) return undefined;
    if (this.reached.slice(reachedBefore[0]).some((f) => f.volatility === 'v') || args.some((a) => containsNode(a, 'SubLink'))) return undefined;
    const state = (this.inlining ??= { known: new Map(), queries: new Map(), active: new Set(), recursions: 0 });
    return this.once(state.queries, fn, fn, `query:${fn.oid}`, () => inlinedQueryOf(fn, (sql, offsets, query) => this.bodyWalker(sql, offsets).walkInlinedQuery(query, fn)));
  }

  /**
   * What a set-returning function inlined as a subquery in FROM restricts, placed on the call: its
   * LIMIT / OFFSET and its plan shapes; what its body calls only for a RESTRICTED function. For a SAFE
   * one the planner checks nothing it calls (the statement's hazard, taken before inlining, is SAFE,
   * and is_parallel_safe then takes every expression for safe), and a statement that is restricted
   * elsewhere is restricted anyway. An UNSAFE function in the body restricts, as the statement-wide
   * check never saw it.
   */
  private inlinedQueryReasons(fn: CatalogFunction, query: InlinedQuery, range: TextRange): void {
    const subject = `${signatureOf(fn)}, inlined here as a subquery,`;
    // Its subqueries, once it is part of the statement, make the planner check every expression.
    if ((fn.parallel === 'r' && !this.insideInlinedBody) || query.checksExpressions) this.expressionsChecked = true;
    if (query.limited) this.limitedSubquery(subject.slice(0, -1), range);
    for (const r of query.reasons) {
      const hazard = r.hazard === 'unsafe' ? 'restricted' : r.hazard!;
      const code = (r.code.startsWith('unsafe-') ? `restricted-${r.code.slice('unsafe-'.length)}` : r.code) as ReasonCode;
      const colon = r.message.lastIndexOf(': ');
      const reason: Reason = { code, severity: 'information', message: `${subject} has in its body: ${colon > 0 ? r.message.slice(0, colon) : r.message}: ${effectSentence(hazard)}`, range, hazard };
      if (this.labelInlined(fn) || query.checksExpressions || PLAN_SHAPES.has(r.code)) this.reason(reason.code, reason.severity, reason.message, range, hazard);
      else (this.ifNotSafeBeforeInlining ??= []).push(reason);
    }
  }

  /**
   * Walks the query of a set-returning SQL function's body (inline.ts), its arguments by number and,
   * from an enclosing level, by name (a column of the same name wins, as in PostgreSQL).
   */
  walkInlinedQuery(query: AstNode, fn: CatalogFunction): InlinedQuery {
    this.declareParameters(fn.argTypes);
    const outer = new Scope();
    this.inlinedArguments = argumentsEntry(fn, fn.argTypes);
    outer.entries.push(this.inlinedArguments);
    const inner = new Scope(outer);
    this.statement(query, inner);
    // What SAFE functions inlined in the body restrict counts: the body is checked as a whole.
    const reasons = [...this.reasons, ...this.conditionalReasons(true)];
    return {
      reasons: reasons.filter((r) => r.hazard && r.hazard !== 'safe'),
      limited: this.limitNeeded(query.SelectStmt) !== undefined,
      pulledUp: pulledUpFromFrom(query.SelectStmt, inner),
      argumentsBelowJoin: lateralReadBelowJoin(inner),
      checksExpressions: this.expressionsChecked || this.minMaxChecked !== undefined,
      unresolved: this.unresolved,
    };
  }

  /**
   * Walks the one expression of a SQL function's body (inline.ts), its arguments in scope by number
   * and by name (also qualified with the function's name), the result converted to the return type.
   */
  walkInlineBody(expr: AstNode, fn: CatalogFunction, argTypes: readonly string[]): WalkedBody {
    this.declareParameters(argTypes);
    const scope = new Scope();
    scope.entries.push(argumentsEntry(fn, argTypes));
    scope.clause = 'target';
    const type = this.expr(expr, scope);
    if (type && type !== fn.returnType) this.implicitCasts([type], [fn.returnType], { start: 0, end: 0 });
    // A composite result made of a scalar body is a whole-tuple result (check_sql_fn_retval): not inlined.
    const wholeTuple = this.catalog.typeByFormatted(fn.returnType)?.category === 'C' && type !== fn.returnType;
    // What SAFE functions inlined in the body restrict counts: the body is checked as a whole.
    let hazard: Hazard = 'safe';
    for (const r of [...this.reasons, ...this.conditionalReasons(true)]) if (r.hazard) hazard = worseHazard(hazard, r.hazard);
    const culprits = this.reached.filter((f, i) => f.parallel !== 's' && !this.inlinedAway?.has(i));
    return { hazard, functions: this.reached, culprits, unresolved: this.unresolved || wholeTuple, ioCasts: this.ioCasts, cost: this.argumentCost(expr, 0, this.reached.length) };
  }

  private aExpr(n: AstNode, scope: Scope): InferredType {
    const names = nameList(n.name);
    const symbol = names[names.length - 1];
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    const start = this.at(n.location);
    switch (n.kind) {
      case 'AEXPR_OP': {
        if (this.rowComparison(symbol, schema, n.lexpr, [n.rexpr], start, scope)) return 'boolean';
        if (n.lexpr?.RowExpr && n.rexpr?.SubLink?.subLinkType === 'EXPR_SUBLINK') {
          this.subLink(n.rexpr.SubLink, scope, { names, items: n.lexpr.RowExpr.args ?? [], start });
          return 'boolean';
        }
        const reachedBefore = this.reached.length;
        const left = n.lexpr ? this.expr(n.lexpr, scope) : null;
        const reachedBetween = this.reached.length;
        const right = this.expr(n.rexpr, scope);
        return this.operator([symbol], schema, left, right, start, scope, [n.lexpr, n.rexpr], reachedBefore, reachedBetween);
      }
      case 'AEXPR_OP_ANY':
      case 'AEXPR_OP_ALL': {
        const left = this.expr(n.lexpr, scope);
        const right = this.expr(n.rexpr, scope);
        this.operator([symbol], schema, left, right?.endsWith('[]') ? right.slice(0, -2) : right === UNKNOWN_LITERAL ? UNKNOWN_LITERAL : undefined, start, scope);
        return 'boolean';
      }
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT': {
        if (this.rowComparison('=', schema, n.lexpr, [n.rexpr], start, scope)) return 'boolean';
        const left = this.expr(n.lexpr, scope);
        const right = this.expr(n.rexpr, scope);
        this.operator(['='], schema, left, right, start, scope, [n.lexpr, n.rexpr]);
        return 'boolean';
      }
      case 'AEXPR_NULLIF': {
        const left = this.expr(n.lexpr, scope);
        const right = this.expr(n.rexpr, scope);
        this.operator(['='], schema, left, right, start, scope);
        return this.nullIfType(schema, left, right);
      }
      case 'AEXPR_IN': {
        const items: AstNode[] = n.rexpr?.List?.items ?? (Array.isArray(n.rexpr) ? n.rexpr : [n.rexpr]);
        if (this.rowComparison(symbol, schema, n.lexpr, items, start, scope)) return 'boolean';
        const left = this.expr(n.lexpr, scope);
        const types = items.map((i) => this.expr(i, scope));
        const right = types.find((t) => t !== undefined && t !== UNKNOWN_LITERAL) ?? (types.length ? types[0] : undefined);
        this.operator([symbol], schema, left, right, start, scope);
        return 'boolean';
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM': {
        const left = this.expr(n.lexpr, scope);
        const items: AstNode[] = n.rexpr?.List?.items ?? n.rexpr ?? [];
        const [low, high] = items.map((i) => this.expr(i, scope));
        this.operator(['>='], undefined, left, low, start, scope);
        this.operator(['<='], undefined, left, high, start, scope);
        return 'boolean';
      }
      default: {
        // LIKE, ILIKE, SIMILAR TO: the name holds the operator behind the keyword.
        const left = this.expr(n.lexpr, scope);
        const right = this.expr(n.rexpr, scope);
        if (symbol) this.operator([symbol], schema, left, right, start, scope);
        return 'boolean';
      }
    }
  }

  /**
   * NULLIF(a, b)'s type: its first argument's once converted to the = operator's left input type
   * (transformAExprNullIf: the result is the type of make_op's first argument, so varchar compared
   * with text is text); the first argument's type when the operator is not known.
   */
  private nullIfType(schema: string | undefined, left: InferredType, right: InferredType): InferredType {
    const ops = this.catalog.matchOperator('=', schema, left, right);
    if (ops.length !== 1) return left;
    return this.catalog.resolvePolymorphic(ops[0].left, [ops[0].left, ops[0].right], [left, right]) ?? left;
  }

  /**
   * ROW(a, b) op ROW(c, d) (also written as parenthesised lists, and IN with a list of rows):
   * PostgreSQL compares rows column by column, each pair with its own `op` (= for IS DISTINCT FROM
   * and IN), not with the record operator. False, having walked nothing, unless `left` and every
   * one of `rights` are rows of the same length.
   */
  private rowComparison(symbol: string, schema: string | undefined, left: AstNode, rights: AstNode[], start: number, scope: Scope): boolean {
    const leftItems: AstNode[] | undefined = left?.RowExpr?.args;
    const rows: AstNode[][] = rights.map((right) => right?.RowExpr?.args);
    if (!leftItems || rows.length === 0 || rows.some((items) => items?.length !== leftItems.length)) return false;
    const leftTypes = leftItems.map((item) => this.expr(item, scope));
    // Rows of an IN list with the same types compare with the same operators: each is reported once.
    const compared = new Set<string>();
    for (const items of rows) {
      items.forEach((item, i) => {
        const rightType = this.expr(item, scope);
        const pair = `${i}:${rightType}`;
        if (compared.has(pair)) return;
        compared.add(pair);
        this.operator([symbol], schema, leftTypes[i], rightType, start, scope, [leftItems[i], item]);
      });
    }
    return true;
  }

  /**
   * `operands`: the operand nodes, when an undeclared $n among them takes its type from the operator
   * chosen; `reachedBefore`, `reachedBetween`: this.reached's length before they were walked and
   * between them (what each runs, should the operator's function be inlined).
   */
  private operator(
    names: string[],
    schema: string | undefined,
    left: InferredType | null,
    right: InferredType,
    start: number,
    scope: Scope,
    operands?: readonly AstNode[],
    reachedBefore?: number,
    reachedBetween?: number,
  ): InferredType {
    const symbol = names[names.length - 1];
    const ops = this.catalog.matchOperator(symbol, schema, left, right);
    const range = this.tokenRange(start);
    if (ops.length === 0) {
      this.refer({ kind: 'operator', range, name: symbol, functions: NONE });
      return undefined;
    }
    const functions = ops.map((op) => this.catalog.functionByOid(op.functionOid)).filter((f): f is CatalogFunction => !!f);
    const ambiguous = ops.length > 1;
    // An operator's function is inlined as a call's is (an OpExpr is simplified like a FuncExpr).
    let inlined: Inlining | undefined;
    let noteCost: (() => void) | undefined;
    const fn = ops.length === 1 && functions.length === 1 && functions[0].inlineBody !== undefined ? functions[0] : undefined;
    if (fn && (fn.parallel !== 'u' || this.insideInlinedBody) && operands) {
      const prefix = operands[0] === undefined || operands[0] === null;
      const operandsReached = reachedBefore === undefined ? undefined : prefix ? [reachedBetween!, this.reached.length] : [reachedBefore, reachedBetween!, this.reached.length];
      const args = prefix ? operands.slice(1) : operands;
      const types = prefix ? [right] : [left ?? undefined, right];
      if (this.labelInlined(fn)) inlined = this.inlinedCall(fn, args, types, operandsReached);
      else this.deferSafeCall(fn, args, types, operandsReached, range, StatementWalker.inlinedWhat(fn, symbol, 'operator'), 'restricted-operator', scope);
      const found = inlined;
      if (found || fn.parallel === 's') noteCost = () => this.noteInlined(fn, found ? () => found : () => this.inlinedCall(fn, args, types, operandsReached), args, operandsReached);
    }
    const vanishes = inlined !== undefined && inlined.hazard === 'safe';
    this.refer({ kind: 'operator', range, name: symbol, functions, ...(ambiguous ? { ambiguous: true } : definedAt(ops[0])), ...(vanishes ? { inlined: true } : {}) });
    if (ops.length === 1) this.implicitCasts([left ?? undefined, right], ops[0].left === 'none' ? [ops[0].right] : [ops[0].left, ops[0].right], range);
    if (ops.length === 1 && operands) this.fixParameters(operands, [ops[0].left, ops[0].right]);
    noteCost?.();
    if (!inlined || !this.reachInlined(functions[0], inlined)) {
      this.reach(functions, ambiguous, range, { kind: 'operator', name: `operator ${symbol}`, subject: (culprit) => `operator ${symbol} runs ${culprit}` });
    }
    // A polymorphic result is what the operands make it (anyrange * anyrange, anycompatiblearray || anycompatible).
    const results = new Set(ops.map((op) => (op.left === 'none' ? this.catalog.resolvePolymorphic(op.result, [op.right], [right]) : this.catalog.resolvePolymorphic(op.result, [op.left, op.right], [left ?? undefined, right]))));
    return results.size === 1 ? [...results][0] : undefined;
  }

  private typeCast(n: AstNode, scope: Scope): InferredType {
    const reachedBefore = this.reached.length;
    // A ROW(...) keeps its fields' types: each is coerced to the target's field type.
    const { type: argType, rows: row } = this.coercedValue(n.arg, scope);
    const typeName = n.typeName?.TypeName ?? n.typeName;
    const target = typeNameOf(this.catalog, typeName);
    this.fixParameters([n.arg], [target]);
    const typeStart = this.at(typeName?.location ?? n.location);
    const range = this.nameRange(typeStart);
    const source = argType && argType !== UNKNOWN_LITERAL ? argType : undefined;
    if (source && source !== target) {
      const cast = this.castFor(source, target);
      const fn = cast?.functionOid ? this.catalog.functionByOid(cast.functionOid) : undefined;
      // By the types' I/O functions, whose volatility the catalog does not give.
      if (!fn && cast?.method !== 'b' && this.catalog.baseTypeOf(source) !== this.catalog.baseTypeOf(target)) {
        this.ioCasts++;
        this.throughText(source, target, range);
      }
      if (fn) {
        // A cast's function is inlined as a call's is (a FuncExpr); one taking only the value.
        const inlinable = fn.inlineBody !== undefined && fn.argTypes.length === 1;
        const inlined = inlinable && this.labelInlined(fn) ? this.inlinedCall(fn, [n.arg], [source], [reachedBefore, this.reached.length]) : undefined;
        if (inlinable && fn.parallel === 's') this.deferSafeCall(fn, [n.arg], [source], [reachedBefore, this.reached.length], range, StatementWalker.inlinedWhat(fn, target, 'cast'), 'restricted-cast', scope);
        const vanishes = inlined !== undefined && inlined.hazard === 'safe';
        this.refer({ kind: 'cast', range, name: target, functions: [fn], ...definedAt(cast), ...(vanishes ? { inlined: true } : {}) });
        const castReached = [reachedBefore, this.reached.length];
        if (inlined || (inlinable && fn.parallel === 's')) this.noteInlined(fn, inlined ? () => inlined : () => this.inlinedCall(fn, [n.arg], [source], castReached), [n.arg], castReached);
        if (!inlined || !this.reachInlined(fn, inlined)) {
          this.reach([fn], false, range, { kind: 'cast', name: target, subject: (culprit) => `the cast from ${source} to ${target} runs ${culprit}` });
        }
      }
    } else if (!source && argType !== UNKNOWN_LITERAL) {
      this.ioCasts++;
    }
    // An untyped parameter takes the domain as its type (coerce_type's parameter hook): no run-time
    // check, where a literal ('5'::d) keeps its CoerceToDomain.
    if (!(nodeKind(n.arg) === 'ParamRef' && argType === UNKNOWN_LITERAL)) this.domainCoercion(row ?? argType, target, range);
    return target;
  }

  /**
   * A cast through text (CoerceViaIO; for arrays, of each element) runs the source type's output
   * function and the target type's input function, whose labels count (check_functions_in_node).
   */
  private throughText(source: string, target: string, range: TextRange): void {
    const [from, to] = source.endsWith('[]') && target.endsWith('[]') ? [source.slice(0, -2), target.slice(0, -2)] : [source, target];
    const output = this.catalog.typeByFormatted(this.catalog.baseTypeOf(from))?.outputFunction;
    const input = this.catalog.typeByFormatted(this.catalog.baseTypeOf(to))?.inputFunction;
    const functions = this.functionsByOid([output, input].filter((oid): oid is number => oid !== undefined));
    if (functions.length === 0) return;
    this.refer({ kind: 'cast', range, name: target, functions });
    this.reach(functions, false, range, { kind: 'cast', name: target, subject: (culprit) => `the cast from ${source} to ${target} goes through text and runs ${culprit}` });
  }

  /** The cast from `source` to `target`: between them, their domains' base types, or, for arrays, their elements (run on each). */
  private castFor(source: string, target: string): CatalogCast | undefined {
    const cast = this.catalog.castBetween(source, target) ?? this.catalog.castBetween(this.catalog.baseTypeOf(source), this.catalog.baseTypeOf(target));
    if (cast || !source.endsWith('[]') || !target.endsWith('[]')) return cast;
    return this.castFor(source.slice(0, -2), target.slice(0, -2));
  }

  /** pull_up_sublinks looks at the AND-ed items of a WHERE or a (not FULL) join's ON: [NOT] EXISTS and IN / = ANY there may become joins. */
  private markTopOfQual(qual: AstNode, readable?: ReadonlySet<ScopeEntry>): void {
    for (const item of conjuncts(qual)) {
      const bool = item.BoolExpr;
      if (bool?.boolop === 'NOT_EXPR' && bool.args?.[0]?.SubLink?.subLinkType === 'EXISTS_SUBLINK') this.atTopOfQual.set(bool.args[0].SubLink, readable);
      else if (item.SubLink) this.atTopOfQual.set(item.SubLink, readable);
    }
  }

  /**
   * A correlated sublink the planner pulls up into a (semi or anti) join, where it restricts
   * nothing: [NOT] EXISTS at the top of a qual whose query simplify_EXISTS_query accepts (no WITH,
   * aggregates, window functions, set operations, HAVING, OFFSET, row locks, set-returning select
   * list, or LIMIT other than a positive constant or ALL) and that reads the outer query only in a
   * WHERE without volatile functions; and, from PostgreSQL 17, IN / = ANY there whose query can be
   * flattened. Any other correlated sublink stays a SubPlan run per outer row.
   */
  private pulledUp(n: AstNode, inner: Scope): boolean {
    const sub = n.subselect?.SelectStmt;
    // In a LEFT / RIGHT join's ON: only a sublink reading nothing but the nullable side.
    const readable = this.atTopOfQual.get(n);
    if (readable && [...inner.outerReads].some((entry) => !readable.has(entry))) return false;
    if (!this.atTopOfQual.has(n) || !sub || sub.withClause || (sub.op && sub.op !== 'SETOP_NONE') || inner.grouping || sub.havingClause || sub.lockingClause?.length || groupingSetsKept(sub.groupClause)) return false;
    if (n.subLinkType === 'ANY_SUBLINK') {
      // From 17 a correlated IN becomes a lateral join when its query can be flattened and its
      // left side reads the outer query.
      const flat = !sub.groupClause && !sub.distinctClause && !sub.sortClause && !sub.limitCount && !sub.limitOffset && !inner.setReturningInTarget && !lateralReadBelowJoin(inner);
      return this.catalog.versionNum >= 170000 && flat && containsNode(n.testexpr, 'ColumnRef');
    }
    if (n.subLinkType !== 'EXISTS_SUBLINK') return false;
    // convert_EXISTS_sublink_to_join: the outer query read only in WHERE, no volatile function there;
    // simplify_EXISTS_query: no set-returning function in the select list.
    if (inner.outerReadInFrom || inner.volatileInWhere || inner.setReturningInTarget) return false;
    return existsLimitDropped(sub) && !sub.limitOffset;
  }

  /**
   * `rowComparison`: ROW(a, b) op (SELECT x, y ...), which the parser makes a ROWCOMPARE sublink
   * (transformAExprOp): its operator's name, the row's items, where the operator is.
   */
  private subLink(n: AstNode, scope: Scope, rowComparison?: { names: string[]; items: AstNode[]; start: number }): InferredType {
    // Any subquery makes the statement's hazard before inlining RESTRICTED (max_parallel_hazard
    // meets the SubLink before pull_up_sublinks): the planner then checks every expression.
    this.expressionsChecked = true;
    const inner = new Scope(scope);
    const kind = n.subLinkType as string;
    inner.existsQuery = kind === 'EXISTS_SUBLINK';
    const compares = kind === 'ANY_SUBLINK' || kind === 'ALL_SUBLINK' || rowComparison !== undefined;
    const rowItems: AstNode[] | undefined = rowComparison?.items ?? (compares ? n.testexpr?.RowExpr?.args : undefined);
    const volatileBefore = this.volatileSeen;
    const testTypes = rowItems ? rowItems.map((item) => this.expr(item, scope)) : [this.expr(n.testexpr, scope)];
    const volatileTest = this.volatileSeen > volatileBefore;
    const columns = this.statement(n.subselect, inner);
    if (compares) {
      const names = rowComparison?.names ?? nameList(n.operName);
      const symbol = names.length ? names[names.length - 1] : '=';
      const schema = names.length > 1 ? names[names.length - 2] : undefined;
      const start = rowComparison?.start ?? this.at(n.location);
      // A row against the query's columns compares column by column, each pair with its own
      // operator (make_row_comparison_op), ROW(a) against one column too.
      if (rowItems && columns?.length === rowItems.length) rowItems.forEach((_, i) => this.operator([symbol], schema, testTypes[i], columns[i].type || undefined, start, scope));
      else this.operator([symbol], schema, rowItems ? 'record' : testTypes[0], columns?.[0]?.type || undefined, start, scope);
    }
    // A correlated sublink that is not pulled up into a join becomes a SubPlan that takes the outer
    // row as a Param: PARALLEL RESTRICTED.
    // convert_ANY_sublink_to_join: an uncorrelated IN / = ANY at the top of a WHERE or join's ON,
    // whose left side reads this query (in a LEFT / RIGHT join's ON, only its nullable side) and
    // calls nothing volatile, becomes a semi join with its query as a subquery in FROM, which a
    // LIMIT / OFFSET keeps out of workers (as it would in FROM).
    const readable = this.atTopOfQual.get(n);
    const candidate = kind === 'ANY_SUBLINK' && !inner.correlated && this.atTopOfQual.has(n) && !volatileTest && (!readable || readsOnly(n.testexpr, readable));
    const limit = candidate ? this.limitNeeded(n.subselect?.SelectStmt) : undefined;
    if (limit && readsAny(n.testexpr, scope.entries)) this.limitedSubquery('IN subquery, made a join,', limit);
    // Reading only an enclosing query: a join there if this level is an EXISTS pulled up into it
    // (its WHERE becomes that join's condition, whose sublinks are then pulled up in turn).
    else if (limit && containsNode(n.testexpr, 'ColumnRef')) scope.limitsIfPulledUp.push(limit);
    const pulledUp = inner.correlated && this.pulledUp(n, inner);
    if (pulledUp || (candidate && !volatileTest && readsAny(n.testexpr, scope.entries))) scope.semiJoined = true;
    if (pulledUp && kind === 'EXISTS_SUBLINK') for (const range of inner.limitsIfPulledUp) this.limitedSubquery('IN subquery, made a join,', range);
    if (pulledUp) {
      const here = new Set(scope.entries);
      for (const { range, reads, left } of inner.subPlansIfPulledUp) {
        if ([...reads].every((entry) => here.has(entry)) && (!left || readsOnly(left, here))) continue;
        this.reason('correlated-subquery', 'information', 'correlated subquery reading both the subquery around it, which the planner makes a join, and the query that joins: it stays a subplan re-run for each row in the leader process (correlated subplans are PARALLEL RESTRICTED)', range, 'restricted');
      }
      // What it reads before simplify_EXISTS_query throws anything away (pull_varnos): beyond this level's tables, kept for the check above one level up.
      const left = kind === 'ANY_SUBLINK' ? n.testexpr : undefined;
      const reads = inner.varnosReads ?? inner.allOuterReads;
      if ([...reads].some((entry) => !here.has(entry)) || (left && !readsOnly(left, here))) {
        scope.subPlansIfPulledUp.push({ range: this.parenthesized(this.at(n.location)), reads, left });
      }
    }
    if (inner.correlated && !pulledUp) {
      this.reason('correlated-subquery', 'information', 'correlated subquery: it is re-run for each outer row in the leader process (correlated subplans are PARALLEL RESTRICTED)', this.parenthesized(this.at(n.location)), 'restricted');
    } else if (!inner.correlated && (kind === 'EXPR_SUBLINK' || kind === 'ARRAY_SUBLINK' || kind === 'EXISTS_SUBLINK') && this.catalog.versionNum < 170000) {
      // Before PostgreSQL 17, a plan level with an initPlan was never parallel safe (SS_charge_for_initplans).
      this.reason('initplan', 'information', 'uncorrelated subquery: it runs once as an initPlan, and before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED', this.parenthesized(this.at(n.location)), 'restricted');
    }
    // A subquery's untyped literal is text, as in FROM (resolveTargetListUnknowns).
    const type = resolvedUnknowns(columns)?.[0]?.type;
    if (kind === 'EXPR_SUBLINK') return type || undefined;
    if (kind === 'ARRAY_SUBLINK') return type ? this.arrayOf(type) : undefined;
    return 'boolean';
  }
}

/** The reasons that are plan shapes a view keeps (its top-level LIMIT is added by walkQuery's caller). */
/**
 * Reasons the planner finds whatever the statement's hazard (scans it never runs in workers, plans
 * it makes with parameters): an inlined SAFE function's body keeps them. Not those it finds with
 * is_parallel_safe, which takes everything for safe in a statement whose hazard is SAFE (a window
 * function, a domain's check, a view's window: checked against the planner). Row locking in a
 * set-returning function's body is one: max_parallel_hazard, which makes a query's row marks
 * UNSAFE, runs before inline_set_returning_function, and the inlined subquery's LockRows path is
 * never parallel safe (create_lockrows_path); a CTE that locks rows is materialized (contain_dml).
 */
const PLAN_SHAPES = new Set<ReasonCode>(['correlated-subquery', 'initplan', 'materialized-cte', 'table-function', 'set-operation', 'limited-subquery', 'temporary-table', 'foreign-table', 'sample-method', 'row-locking']);

/** A lookup a catalog recorded (Catalog.dependencyLog): a function's name, a function's oid, a relation's name. */
type Lookup = ['function', string] | ['oid', number] | ['relation', string];

/** Passes lookups on to the log in place before it, and keeps them to be replayed (StatementWalker.once). */
class RecordingLog implements DependencyLog {
  readonly lookups: Lookup[] = [];
  readonly functions = { add: (name: string) => (this.lookups.push(['function', name]), this.next?.functions.add(name)) };
  readonly functionOids = { add: (oid: number) => (this.lookups.push(['oid', oid]), this.next?.functionOids.add(oid)) };
  readonly relations = { add: (name: string) => (this.lookups.push(['relation', name]), this.next?.relations.add(name)) };
  constructor(readonly next: DependencyLog | undefined) {}
}

function replayLookups(lookups: readonly Lookup[], log: DependencyLog | undefined): void {
  if (!log) return;
  for (const [kind, value] of lookups) {
    if (kind === 'function') log.functions.add(value);
    else if (kind === 'oid') log.functionOids.add(value);
    else log.relations.add(value);
  }
}

/**
 * Inlining decisions kept across statements, per catalog (its version in each key: a catalog that
 * changes makes new ones): a document calls the same functions in statement after statement.
 */
const keptInlinings = new WeakMap<Catalog, Map<string, { value: unknown; lookups: Lookup[] }>>();
const MAX_KEPT_INLININGS = 4096;

function keptInliningsOf(catalog: Catalog): Map<string, { value: unknown; lookups: Lookup[] }> {
  let kept = keptInlinings.get(catalog);
  if (!kept) keptInlinings.set(catalog, (kept = new Map()));
  return kept;
}

/** A SQL function's named arguments, as the columns of an entry named after the function (`f.x` reads them too). */
function argumentsEntry(fn: CatalogFunction, types: readonly string[]): ScopeEntry {
  return { name: fn.name, columns: fn.argNames.map((name, i) => ({ name, type: types[i] })).filter((c) => c.name !== '') };
}

/** Expressions the planner's cost model counts as free (cost_qual_eval). */
const COSTLESS = new Set(['ColumnRef', 'A_Const', 'ParamRef']);

/** Where among a call's `args` `fn`'s parameter `i` is given: positional arguments come first, then by name; -1 if left to its default. */
function argumentAt(fn: CatalogFunction, args: readonly AstNode[], i: number): number {
  return args[i] && nodeKind(args[i]) !== 'NamedArgExpr' ? i : args.findIndex((a) => a?.NamedArgExpr && a.NamedArgExpr.name === fn.argNames[i]);
}

const SHAPE_OF: Partial<Record<ReasonCode, ViewShape>> = {
  'window-function': 'window-function',
  'materialized-cte': 'materialized-cte',
  'table-function': 'table-function',
  'set-operation': 'set-operation',
  'limited-subquery': 'limit',
  'correlated-subquery': 'correlated-subquery',
  initplan: 'initplan',
  'domain-constraint': 'domain-constraint',
  'foreign-table': 'foreign-table',
  'sample-method': 'sample-method',
  'row-locking': 'row-locking',
};

/** The reason each shape is reported under where it is met (SHAPE_OF the other way). */
const CODE_OF_SHAPE = Object.fromEntries(Object.entries(SHAPE_OF).map(([code, shape]) => [shape, code])) as Record<ViewShape, ReasonCode>;

export const SHAPE_WORDS: Record<ViewShape, string> = {
  'window-function': 'a window function',
  'materialized-cte': 'a materialized CTE (MATERIALIZED, recursive or read twice)',
  'table-function': 'a table function (XMLTABLE, JSON_TABLE)',
  'set-operation': 'INTERSECT or EXCEPT (or UNION, before PostgreSQL 17)',
  limit: 'LIMIT or OFFSET',
  'correlated-subquery': 'a correlated subquery',
  initplan: 'an uncorrelated subquery (an initPlan, before PostgreSQL 17)',
  'domain-constraint': 'a cast to a domain with constraints',
  'foreign-table': 'a foreign table',
  'sample-method': 'a TABLESAMPLE method whose handler is not PARALLEL SAFE',
  'row-locking': 'row locks (FOR UPDATE / SHARE) in an inlined set-returning function',
};

/**
 * FigureColnameInternal (parse_target.c): a name and how strong it is. Most expressions name their
 * column firmly (2); a CASE without a named ELSE only weakly (1), so that a cast of it is named after
 * its type instead.
 */
function figureColumnName(val: AstNode): { name: string; strength: 1 | 2 } | undefined {
  const kind = nodeKind(val);
  const n = kind ? val[kind] : undefined;
  const named = (name: string | undefined, strength: 1 | 2 = 2) => (name === undefined ? undefined : { name, strength });
  switch (kind) {
    case 'ColumnRef': {
      // The last name written (t.* names nothing more than t).
      const strings = (n.fields ?? []).filter((f: AstNode) => f?.String);
      return named(strings[strings.length - 1]?.String?.sval);
    }
    case 'A_Indirection': {
      const strings = (n.indirection ?? []).filter((f: AstNode) => f?.String);
      return strings.length ? named(strings[strings.length - 1].String.sval) : figureColumnName(n.arg);
    }
    case 'FuncCall':
      return named(nameList(n.funcname).pop());
    case 'TypeCast': {
      const inner = figureColumnName(n.arg);
      if (inner && inner.strength > 1) return inner;
      const typeName = n.typeName?.TypeName ?? n.typeName;
      return named(nameList(typeName?.names).pop(), 1) ?? inner;
    }
    case 'CollateClause':
      return figureColumnName(n.arg);
    case 'SubLink':
      if (n.subLinkType === 'EXISTS_SUBLINK') return named('exists');
      if (n.subLinkType === 'ARRAY_SUBLINK') return named('array');
      if (n.subLinkType === 'EXPR_SUBLINK') {
        // The subquery's single output column's name (a star's first column is not known here).
        const target = n.subselect?.SelectStmt?.targetList?.[0]?.ResTarget;
        if (target?.name) return named(target.name);
        if (!target || isStar(target.val)) return undefined;
        const inner = figureColumnName(target.val);
        return inner && named(inner.name);
      }
      return undefined;
    case 'A_Expr':
      return n.kind === 'AEXPR_NULLIF' ? named('nullif') : undefined;
    case 'CaseExpr': {
      const inner = figureColumnName(n.defresult);
      return inner && inner.strength > 1 ? inner : named('case', 1);
    }
    case 'MinMaxExpr':
      return named(n.op === 'IS_LEAST' ? 'least' : 'greatest');
    case 'SQLValueFunction':
      return named(SQL_VALUE_NAMES[n.op]);
    case 'XmlExpr':
      return named(XML_NAMES[n.op]);
    case 'JsonFuncExpr':
      return named(JSON_FUNCTION_NAMES[n.op]);
    default:
      return named(kind === undefined ? undefined : FIXED_COLUMN_NAMES[kind]);
  }
}

/** Expressions that always name their column the same (like a function of that name). */
const FIXED_COLUMN_NAMES: Record<string, string> = {
  A_ArrayExpr: 'array',
  RowExpr: 'row',
  CoalesceExpr: 'coalesce',
  GroupingFunc: 'grouping',
  XmlSerialize: 'xmlserialize',
  JsonObjectConstructor: 'json_object',
  JsonArrayConstructor: 'json_array',
  JsonArrayQueryConstructor: 'json_array',
  JsonObjectAgg: 'json_objectagg',
  JsonArrayAgg: 'json_arrayagg',
  JsonParseExpr: 'json',
  JsonScalarExpr: 'json_scalar',
  JsonSerializeExpr: 'json_serialize',
};

const SQL_VALUE_NAMES: Record<string, string> = {
  SVFOP_CURRENT_DATE: 'current_date',
  SVFOP_CURRENT_TIME: 'current_time',
  SVFOP_CURRENT_TIME_N: 'current_time',
  SVFOP_CURRENT_TIMESTAMP: 'current_timestamp',
  SVFOP_CURRENT_TIMESTAMP_N: 'current_timestamp',
  SVFOP_LOCALTIME: 'localtime',
  SVFOP_LOCALTIME_N: 'localtime',
  SVFOP_LOCALTIMESTAMP: 'localtimestamp',
  SVFOP_LOCALTIMESTAMP_N: 'localtimestamp',
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
};

const XML_NAMES: Record<string, string> = {
  IS_XMLCONCAT: 'xmlconcat',
  IS_XMLELEMENT: 'xmlelement',
  IS_XMLFOREST: 'xmlforest',
  IS_XMLPARSE: 'xmlparse',
  IS_XMLPI: 'xmlpi',
  IS_XMLROOT: 'xmlroot',
  IS_XMLSERIALIZE: 'xmlserialize',
};

const JSON_FUNCTION_NAMES: Record<string, string> = {
  JSON_EXISTS_OP: 'json_exists',
  JSON_QUERY_OP: 'json_query',
  JSON_VALUE_OP: 'json_value',
};

/** A column reference ending in `*` (`*`, `t.*`). */
function isStar(val: AstNode): boolean {
  const fields = val?.ColumnRef?.fields;
  return Array.isArray(fields) && fields.length > 0 && fields[fields.length - 1]?.A_Star !== undefined;
}

/** Where a node starts (a byte offset), as its kind records it; 0 if it does not. */
function nodeLocation(node: AstNode): number {
  const kind = nodeKind(node);
  const location = kind ? node[kind]?.location : undefined;
  return typeof location === 'number' && location >= 0 ? location : 0;
}

/** A bare name among `columns` (a query level's output): ORDER BY and DISTINCT ON take it for that column. */
function namesOutput(node: AstNode, columns: readonly CatalogColumn[] | undefined): boolean {
  const fields = node?.ColumnRef?.fields;
  const name = fields?.length === 1 ? fields[0].String?.sval : undefined;
  return name !== undefined && (columns ?? []).some((c) => c.name === name);
}

/**
 * The output columns of a query level that PostgreSQL keeps whoever reads them (ressortgroupref):
 * those ORDER BY, GROUP BY or DISTINCT ON name by output name or position. (A name GROUP BY finds
 * among the input columns is one of those, not an output column: findTargetlistEntrySQL92. What
 * these clauses name of the input is walked after the select list and belongs to all of the view.)
 * Undefined for a plain DISTINCT, which keeps them all.
 */
function keptColumns(sel: AstNode, scope: Scope): Set<string> | undefined {
  const distinct: AstNode[] = sel.distinctClause ?? [];
  if (distinct.length > 0 && distinct.every((d) => !nodeKind(d))) return undefined;
  const kept = new Set<string>();
  const isInput = (name: string) => scope.entries.some((e) => e.columns?.some((c) => c.name === name));
  // ROLLUP / CUBE / GROUPING SETS name their columns inside (a row for a set of them).
  const grouped = (nodes: AstNode[]): AstNode[] => nodes.flatMap((g) => (g?.GroupingSet ? grouped(g.GroupingSet.content ?? []) : g?.RowExpr ? grouped(g.RowExpr.args ?? []) : [g]));
  const named: [AstNode, boolean][] = [
    ...(sel.sortClause ?? []).map((s: AstNode): [AstNode, boolean] => [s.SortBy?.node, false]),
    ...grouped(sel.groupClause ?? []).map((g: AstNode): [AstNode, boolean] => [g, true]),
    ...distinct.map((d): [AstNode, boolean] => [d, false]),
  ];
  for (const [node, inputFirst] of named) {
    const fields = node?.ColumnRef?.fields;
    const name = fields?.length === 1 ? fields[0].String?.sval : undefined;
    if (name !== undefined && !(inputFirst && isInput(name))) kept.add(name);
    const position = node?.A_Const?.ival?.ival;
    if (position !== undefined) kept.add(String(position));
  }
  return kept;
}

/** A TypeName node as format_type spells it ('' for a %TYPE reference, which names no type itself). */
export function typeNameOf(catalog: Catalog, node: AstNode): string {
  const t = node?.TypeName ?? node;
  if (!t) return '';
  const names = nameList(t.names);
  if (t.pct_type) return '';
  return catalog.resolveTypeName(names, !!t.arrayBounds?.length);
}

interface SetOperationLeaf {
  query: AstNode;
  columns: CatalogColumn[] | undefined;
  scope: Scope;
  walked: WalkRegion;
}

/**
 * A leaf of a flattened UNION ALL that gives no rows before anything runs: a query whose WHERE
 * folds to FALSE or NULL is a dummy rel that set_append_rel_size leaves out of the append, with all
 * it would scan and run. Not with an aggregate or HAVING (a row all the same), a window, DISTINCT,
 * LIMIT, ORDER BY or WITH of its own (a plan node the planner does not see through to the empty scan).
 */
function emptyLeaf(leaf: SetOperationLeaf): boolean {
  const where = constantTruth(leaf.query?.whereClause);
  const query = leaf.query;
  return (where === false || where === null) && !leaf.scope.grouping && !query.groupClause?.length && !query.havingClause && !query.distinctClause?.length && !ownsClauses(query);
}

function isSetOperation(sel: AstNode): boolean {
  return !!sel?.op && sel.op !== 'SETOP_NONE';
}

/** What makes a parenthesized set operation a leaf query of the tree around it. */
function ownsClauses(sel: AstNode): boolean {
  return !!(sel.withClause || sel.sortClause?.length || sel.limitCount || sel.limitOffset || sel.lockingClause?.length);
}

/** A set operation tree of UNION ALL only, down to its leaves. */
function onlyUnionAll(sel: AstNode): boolean {
  if (!isSetOperation(sel) || sel.op !== 'SETOP_UNION' || !sel.all) return false;
  return [sel.larg, sel.rarg].every((branch) => !isSetOperation(branch) || ownsClauses(branch) || onlyUnionAll(branch));
}

/** A LIMIT or OFFSET that limits: not absent, not NULL (LIMIT ALL), for limit_needed. */
export function limitNode(node: AstNode): AstNode | undefined {
  // NULL, or NULL cast straight to bigint (LIMIT's own type: a null constant, no coercion left to fold), is no limit.
  const cast = node?.TypeCast;
  const nullBigint = cast?.arg?.A_Const?.isnull && ['int8', 'bigint'].includes(nameList((cast.typeName?.TypeName ?? cast.typeName)?.names).pop() ?? '');
  return node && !node.A_Const?.isnull && !nullBigint ? node : undefined;
}

/** `scope` reads a column of `entry`, which belongs to an enclosing query. */
function correlate(scope: Scope, entry: ScopeEntry): void {
  scope.outerReads.add(entry);
  scope.allOuterReads.add(entry);
  scope.outerReadCount++;
  if (scope.clause === 'from') scope.outerReadInFrom = true;
  if (scope.clause === 'where') scope.outerReadInWhere = true;
}

/**
 * Types whose `=` with itself is mergejoinable and the equality of their default btree operator
 * class (what a unique index proves distinct), as format_type names them.
 */
const MERGEJOINABLE_EQUALITY: ReadonlySet<string> = new Set([
  'smallint', 'integer', 'bigint', 'numeric', 'text', 'character varying', 'character', 'uuid', 'date',
  'timestamp without time zone', 'timestamp with time zone', 'boolean', 'oid', 'bytea',
]);

/**
 * What eval_const_expressions makes of a boolean expression of literals only: true, false, null
 * (SQL NULL), or undefined when it is not one (or not one the engine folds): TRUE / FALSE / NULL,
 * `literal IS [NOT] NULL`, `literal = literal` and `<>` between integers and quoted strings (unknown
 * = unknown compares as text, a string beside an integer is read as one), and AND / OR / NOT of those.
 */
function constantTruth(node: AstNode): boolean | null | undefined {
  const kind = nodeKind(node);
  const n = kind ? node[kind] : undefined;
  switch (kind) {
    case 'A_Const':
      return n.isnull ? null : n.boolval !== undefined ? n.boolval.boolval === true : undefined;
    case 'BoolExpr': {
      const values = (n.args ?? []).map(constantTruth);
      if (n.boolop === 'NOT_EXPR') return typeof values[0] === 'boolean' ? !values[0] : values[0];
      const decisive = n.boolop === 'OR_EXPR';
      if (values.includes(decisive)) return decisive;
      if (values.includes(undefined)) return undefined;
      return values.includes(null) ? null : !decisive;
    }
    case 'NullTest': {
      const value = literalValue(n.arg);
      if (value === undefined) return undefined;
      return n.nulltesttype === 'IS_NULL' ? value === null : value !== null;
    }
    case 'A_Expr': {
      const op = nameList(n.name);
      if (n.kind !== 'AEXPR_OP' || op.length !== 1 || !['=', '<>', '!='].includes(op[0])) return undefined;
      const [a, b] = [literalValue(n.lexpr), literalValue(n.rexpr)];
      if (a === undefined || b === undefined) return undefined;
      if (a === null || b === null) return null;
      // A quoted string beside an integer is read as one (its text must be an integer).
      const [x, y] = [a, b].map((v) => (typeof a === typeof b || typeof v === 'number' ? v : /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : undefined));
      if (x === undefined || y === undefined) return undefined;
      return op[0] === '=' ? x === y : x !== y;
    }
    default:
      return undefined;
  }
}

/** A literal's value: an integer, a quoted string's text, null for NULL (also cast: NULL::int); undefined for anything else. */
function literalValue(node: AstNode): number | string | null | undefined {
  const c = node?.A_Const ?? (node?.TypeCast?.arg?.A_Const?.isnull ? node.TypeCast.arg.A_Const : undefined);
  if (!c) return undefined;
  if (c.isnull) return null;
  if (c.ival !== undefined) return c.ival.ival ?? 0;
  return c.sval !== undefined ? (c.sval.sval ?? '') : undefined;
}

/**
 * The type of a literal (make_const: an integer, a numeric, a boolean), 'unknown' for a quoted
 * string (it takes the other operand's type); undefined for anything else, and for NULL.
 */
function constantType(node: AstNode): string | undefined {
  const c = node?.A_Const;
  if (!c || c.isnull) return undefined;
  if (c.ival !== undefined) return 'integer';
  if (c.fval !== undefined) return fitsInt8(c.fval.fval) ? 'bigint' : 'numeric';
  if (c.boolval !== undefined) return 'boolean';
  if (c.sval !== undefined) return 'unknown';
  return undefined;
}

/**
 * The output columns (named as `columns`) a subquery in FROM is distinct on, as query_is_distinct_for
 * (analyzejoins.c) proves it: a plain DISTINCT all of them, a GROUP BY without grouping sets the
 * select-list items it names (a column written as in the select list, or a position), UNION,
 * INTERSECT or EXCEPT without ALL all of them; 'one row' for an aggregate of its own level or
 * HAVING without GROUP BY. Not with a set-returning select list (but for DISTINCT).
 */
function distinctness(sel: AstNode, scope: Scope, columns: readonly CatalogColumn[]): readonly string[] | 'one row' | undefined {
  const names = columns.map((c) => c.name);
  if (isSetOperation(sel)) return sel.all ? undefined : names;
  // A plain DISTINCT is [{}]; DISTINCT ON lists its expressions (not followed).
  const distinct: AstNode[] = sel.distinctClause ?? [];
  if (distinct.length > 0 && distinct.every((d) => !nodeKind(d))) return names;
  if (scope.setReturningInTarget) return undefined;
  const group: AstNode[] = sel.groupClause ?? [];
  if (group.length === 0) return scope.aggregates || sel.havingClause ? 'one row' : undefined;
  const targets: AstNode[] = sel.targetList ?? [];
  const keys: string[] = [];
  for (const item of group) {
    const position = item?.A_Const?.ival;
    let index = position !== undefined ? Number(position.ival ?? 0) - 1 : -1;
    if (position === undefined) {
      const written = nameList(item?.ColumnRef?.fields);
      if (written.length === 0 || written.includes('*')) return undefined;
      index = targets.findIndex((t) => sameNames(nameList(t.ResTarget?.val?.ColumnRef?.fields), written));
    }
    const name = names[index];
    if (name === undefined || targets.length !== names.length) return undefined;
    keys.push(name);
  }
  return keys;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** What two columns have to themselves, together (a column of two leaves of a UNION ALL, or of two of one name). */
function joinedOwn(first: ColumnOwn | undefined, second: ColumnOwn): ColumnOwn {
  if (!first) return second;
  return { reasons: [...first.reasons, ...second.reasons], shapes: [...first.shapes, ...second.shapes], functions: [...first.functions, ...second.functions] };
}

/** NULL as the grammar gives it: what a CASE without ELSE results in. */
const NULL_CONSTANT: AstNode = { A_Const: { isnull: true } };

/** A quoted string or NULL: a literal without a type until its use gives it one. */
function untypedLiteral(node: AstNode): boolean {
  const literal = node?.A_Const;
  return !!literal && (literal.isnull || literal.sval !== undefined);
}

/** is_simple_subquery (prepjointree.c): whether a subquery in FROM is pulled up into the query around it. */
/**
 * A query reading an enclosing one in a qual in or below a join other than an inner one, its WHERE
 * below the semi joins its sublinks are made included (pull_up_sublinks puts what is left of the
 * WHERE under them): is_simple_subquery's jointree_contains_lateral_outer_refs keeps such a LATERAL
 * subquery a subquery scan run with the outer row as parameters.
 */
function lateralReadBelowJoin(inner: Scope): boolean {
  return inner.outerReadBelowOuterJoin || (inner.semiJoined && inner.outerReadInWhere);
}

function pulledUpFromFrom(sub: AstNode, inner: Scope): boolean {
  if (!sub || isSetOperation(sub) || ownsClauses(sub) || inner.grouping || inner.setReturningInTarget || inner.volatileInTarget) return false;
  return !(sub.groupClause?.length || sub.havingClause || sub.distinctClause?.length || sub.windowClause?.length);
}

/** Whether a numeric literal's text is an integer within int8's range. */
function fitsInt8(text: string | undefined): boolean {
  if (!text || !/^-?\d+$/.test(text)) return false;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n;
}

/** The names of each column reference in an expression, outside its subqueries. */
function columnRefsOf(node: AstNode, found: string[][] = []): string[][] {
  if (!node || typeof node !== 'object' || node.SubLink) return found;
  if (Array.isArray(node)) {
    for (const item of node) columnRefsOf(item, found);
  } else if (node.ColumnRef) {
    found.push(nameList(node.ColumnRef.fields));
  } else {
    for (const key in node) columnRefsOf(node[key], found);
  }
  return found;
}

/** Whether a column reference names a column of `entry`: by its qualifier or, unqualified, by the column's name. */
function refersTo(names: string[], entry: ScopeEntry): boolean {
  return names.length >= 2 ? entry.name === names[names.length - 2] : !!entry.columns?.some((c) => c.name === names[0]);
}

/** Whether every column an expression reads (outside its subqueries) is one of `entries`'. */
function readsOnly(node: AstNode, entries: ReadonlySet<ScopeEntry>): boolean {
  return columnRefsOf(node).every((names) => [...entries].some((entry) => refersTo(names, entry)));
}

/** Whether an expression reads (outside its subqueries) a column of one of `entries`. */
function readsAny(node: AstNode, entries: readonly ScopeEntry[]): boolean {
  return columnRefsOf(node).some((names) => entries.some((entry) => refersTo(names, entry)));
}

/**
 * The columns a WHERE gives one value (col = value, (a, b) = (1, 2)), and those it gives a list of
 * values (col IN (...), col = ANY (array) as drivers send lists, col = 1 OR col = 2), among those
 * `columnOf` names.
 */
function valuesGiven(where: AstNode, columnOf: (node: AstNode) => string | undefined): { equal: Set<string>; listed: Set<string> } {
  const equal = new Set<string>();
  const listed = new Set<string>();
  const valueOf = (side: AstNode, other: AstNode) => (containsNode(other, 'ColumnRef') ? undefined : columnOf(side));
  const equalities = (e: AstNode): string[] => {
    if (e?.kind !== 'AEXPR_OP' || nameList(e.name).join('.') !== '=') return [];
    const [left, right] = [e.lexpr?.RowExpr?.args, e.rexpr?.RowExpr?.args];
    const pairs: [AstNode, AstNode][] = left && right && left.length === right.length ? left.map((l: AstNode, i: number) => [l, right[i]]) : [[e.lexpr, e.rexpr]];
    return pairs.flatMap(([l, r]) => {
      const column = valueOf(l, r) ?? valueOf(r, l);
      return column ? [column] : [];
    });
  };
  for (const condition of conjuncts(where)) {
    const e = condition?.A_Expr;
    if (e?.kind === 'AEXPR_IN' || (e?.kind === 'AEXPR_OP_ANY' && nameList(e.name).join('.') === '=')) {
      const column = valueOf(e.lexpr, e.rexpr);
      if (column) listed.add(column);
    } else if (e) {
      for (const column of equalities(e)) equal.add(column);
    } else if (condition?.BoolExpr?.boolop === 'OR_EXPR') {
      const columns = condition.BoolExpr.args.map((arm: AstNode) => equalities(arm.A_Expr));
      if (columns.every((c: string[]) => c.length === 1 && c[0] === columns[0][0])) listed.add(columns[0][0]);
    }
  }
  return { equal, listed };
}

/**
 * Whether a GROUP BY keeps grouping sets after parse analysis flattens them: more than one set, or
 * the one empty set of GROUP BY (); GROUP BY a, () or GROUPING SETS ((a)) is a plain GROUP BY a.
 */
function groupingSetsKept(items: AstNode[] | undefined): boolean {
  const sets = (item: AstNode): number => {
    const set = item?.GroupingSet;
    if (!set) return 1;
    const content: AstNode[] = set.content ?? [];
    if (set.kind === 'GROUPING_SET_ROLLUP') return content.length + 1;
    if (set.kind === 'GROUPING_SET_CUBE') return 2 ** content.length;
    if (set.kind === 'GROUPING_SET_SETS') return content.reduce((n, c) => n + sets(c), 0);
    return 1;
  };
  const list = items ?? [];
  const count = list.reduce((n, item) => n * sets(item), 1);
  return count > 1 || (list.length > 0 && list.every((item) => item?.GroupingSet?.kind === 'GROUPING_SET_EMPTY'));
}

/** simplify_EXISTS_query drops a LIMIT that folds to a positive constant or to NULL (LIMIT ALL); any other stays. */
function existsLimitDropped(sel: AstNode): boolean {
  const limit = sel.limitCount?.A_Const ?? sel.limitCount?.TypeCast?.arg?.A_Const;
  // LIMIT is bigint: a fraction rounds (LIMIT 0.4 is LIMIT 0, which is kept).
  return !sel.limitCount || (limit !== undefined && (limit.isnull || Math.round(Number(limit.ival?.ival ?? limit.fval?.fval ?? 0)) > 0));
}

/**
 * Whether simplify_EXISTS_query (subselect.c) throws an EXISTS query's select list away, with its
 * GROUP BY, WINDOW, DISTINCT and ORDER BY, whether or not the EXISTS becomes a join: not with set
 * operations, aggregates, grouping sets, window functions, a set-returning select list, a
 * data-modifying WITH, HAVING, OFFSET, row locks, or a LIMIT it cannot drop.
 */
function existsSimplified(sel: AstNode, scope: Scope): boolean {
  if ((sel.op && sel.op !== 'SETOP_NONE') || sel.valuesLists || scope.grouping || scope.setReturningInTarget) return false;
  if (sel.havingClause || sel.limitOffset || sel.lockingClause?.length || !existsLimitDropped(sel)) return false;
  if (groupingSetsKept(sel.groupClause)) return false;
  return ![...scope.ctes.values()].some((cte) => cte.writes);
}


/** A subquery's or CTE's columns as the query around it sees them: an untyped literal's is text (resolveTargetListUnknowns). */
function resolvedUnknowns(columns: CatalogColumn[] | undefined): CatalogColumn[] | undefined {
  return columns?.some((c) => c.type === UNKNOWN_LITERAL) ? columns.map((c) => (c.type === UNKNOWN_LITERAL ? { ...c, type: 'text' } : c)) : columns;
}

/** The earliest location of any node in `node` (a FROM item: where it starts in the text), or 0. */
function firstLocation(node: AstNode): number {
  let first = Infinity;
  const visit = (value: AstNode) => {
    if (!value || typeof value !== 'object') return;
    if (typeof value.location === 'number' && value.location >= 0 && value.location < first) first = value.location;
    for (const key in value) if (key !== 'location') visit(value[key]);
  };
  visit(node);
  return first === Infinity ? 0 : first;
}

/** Whether a node of this kind is anywhere in an expression, subqueries included (a SubLink: contain_subplans before they become plans). */
function containsNode(node: AstNode, kind: 'ColumnRef' | 'SubLink'): boolean {
  if (!node || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((item) => containsNode(item, kind));
  if (node[kind]) return true;
  for (const key in node) if (containsNode(node[key], kind)) return true;
  return false;
}

/** A reference's own place, when its operator or cast was created in the document or a workspace file (go to definition). */
function definedAt(object: { definedAt?: SourceLocation } | undefined): { definedAt?: SourceLocation } {
  return object?.definedAt ? { definedAt: object.definedAt } : {};
}

function labelPlural(hazard: Hazard, count: number): string {
  const word = hazard === 'unsafe' ? 'PARALLEL UNSAFE' : 'PARALLEL RESTRICTED';
  return count === 1 ? `which is ${word}` : `which are ${word}`;
}

export { Scope };
