/**
 * The catalog snapshot: everything the engine needs to know about a database, as plain,
 * JSON-serialisable data. The database layer (server/src/db) reads it from a live server; built-in
 * snapshots of PostgreSQL 14-18 ship in server/catalogs/; tests and the CLI can load one from a file.
 *
 * Type names are always `format_type()` spellings ("integer", "character varying",
 * "timestamp with time zone", "public.mood"), so they compare as strings.
 */

/** pg_proc.proparallel */
export type ParallelLabel = 's' | 'r' | 'u';
/** pg_proc.provolatile */
export type Volatility = 'i' | 's' | 'v';
/** pg_proc.prokind: function, procedure, aggregate, window */
export type FunctionKind = 'f' | 'p' | 'a' | 'w';

/** Where a catalog object was defined, when it came from a workspace file rather than the database. */
export interface SourceLocation {
  /** Document URI or file path, as given to the engine. */
  uri: string;
  /** UTF-16 offsets into that document. */
  start: number;
  end: number;
}

export interface CatalogFunction {
  oid: number;
  schema: string;
  name: string;
  /** Types of the input arguments (proargtypes), format_type spelling. */
  argTypes: string[];
  /** Names of the input arguments; '' where unnamed. */
  argNames: string[];
  /** How many trailing input arguments have defaults (pronargdefaults). */
  defaults: number;
  /** The last input argument is VARIADIC (provariadic <> 0). */
  variadic: boolean;
  kind: FunctionKind;
  language: string;
  volatility: Volatility;
  parallel: ParallelLabel;
  returnType: string;
  returnsSet: boolean;
  /** RETURNS NULL ON NULL INPUT (proisstrict); absent in snapshots written before it was read. */
  strict?: boolean;
  /** procost, where it is not CREATE FUNCTION's default for the language (1 for C and internal, 100 for the others). */
  cost?: number;
  /**
   * A SQL function the planner may inline (not SECURITY DEFINER, no SET clause): its body as SQL
   * text, a RETURN body as `SELECT expr`. A database's catalog gives only those whose inlining can
   * change a verdict (a scalar one; a set-returning one not VOLATILE or STRICT, inlined in FROM),
   * UNSAFE ones included (inlined inside another's inlined body); a workspace function keeps its
   * body whatever its label, for an ALTER FUNCTION after it. Whether a call is inlined is decided
   * on the body and the call (inline.ts).
   */
  inlineBody?: string;
  /** OUT, INOUT and TABLE parameters: the columns a call in FROM gives (one makes a column of its name). */
  outColumns?: CatalogColumn[];
  /**
   * A workspace SQL function that SECURITY DEFINER or SET clauses keep from being inlined: its body
   * and what keeps it, so that ALTER FUNCTION ... SECURITY INVOKER / RESET gives it back.
   */
  inliningBlocked?: InliningBlocked;
  description?: string;
  /** Aggregates only: pg_aggregate.aggcombinefn is set (partial aggregation possible). */
  combinable?: boolean;
  /**
   * Aggregates only: the oid of pg_aggregate.aggsortop, where set (min, max, bool_and ...): the
   * planner may answer the aggregate from an index ordered by that operator (planagg.c).
   */
  sortOperator?: number;
  /** Set for functions defined in a workspace file. */
  definedAt?: SourceLocation;
  /** Workspace functions only: false when CREATE FUNCTION had no PARALLEL clause (so it defaulted to UNSAFE). */
  labelledExplicitly?: boolean;
}

export interface CatalogOperator {
  oid: number;
  schema: string;
  name: string;
  /** 'none' for a prefix operator's missing left side. */
  left: string;
  right: string;
  result: string;
  /** oid of the function behind the operator (pg_operator.oprcode). */
  functionOid: number;
  definedAt?: SourceLocation;
}

export interface CatalogCast {
  source: string;
  target: string;
  /** 0 for binary-coercible and I/O casts (no function runs; counted as safe). */
  functionOid: number;
  /** pg_cast.castcontext: e explicit, a assignment, i implicit. */
  context: 'e' | 'a' | 'i';
  /** pg_cast.castmethod: f function, i I/O, b binary. */
  method: 'f' | 'i' | 'b';
  definedAt?: SourceLocation;
}

export interface CatalogType {
  oid: number;
  schema: string;
  /** pg_type.typname, e.g. int4. */
  name: string;
  /** format_type(oid, NULL), e.g. integer. */
  formatted: string;
  /** pg_type.typcategory, e.g. N numeric, S string. */
  category: string;
  preferred: boolean;
  /** pg_type.typtype: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  kind: string;
  /** Domains: the base type (formatted) and whether the domain has CHECK/NOT NULL constraints. */
  baseType?: string;
  hasConstraints?: boolean;
  /**
   * A file's domain: its constraints by name (an unnamed NOT NULL as DOMAIN_not_null, its name from
   * PostgreSQL 17), so that ALTER DOMAIN ... DROP and RENAME are followed. A database's domain has
   * none here: what a file drops from it may leave others.
   */
  domainConstraints?: DomainConstraint[];
  /** Array types: the element type (formatted). */
  elementType?: string;
  /**
   * Composite types of CREATE TYPE ... AS (...): their fields, in order, which a ROW(...) cast to
   * the type is coerced to one by one (coerce_record_to_complex). A table's or view's row type has
   * its relation's columns instead (Catalog.compositeFields).
   */
  fields?: CatalogColumn[];
  /**
   * Range types: the subtype (pg_range.rngsubtype) and the multirange type (rngmultitypid),
   * formatted; what a polymorphic anyrange / anymultirange call resolves to. Absent in snapshots
   * written before they were read.
   */
  rangeSubtype?: string;
  multirangeType?: string;
  /**
   * The type's text input and output functions (typinput, typoutput), which a cast through text
   * runs (CoerceViaIO): live, only those not PARALLEL SAFE (every built-in one is SAFE); a file's
   * CREATE TYPE (INPUT = ..., OUTPUT = ...), both.
   */
  inputFunction?: number;
  outputFunction?: number;
  definedAt?: SourceLocation;
}

export interface CatalogColumn {
  name: string;
  type: string;
}

/**
 * What a view's definition can have that PostgreSQL runs only in the leader process (plan shapes
 * and restricted expressions): the view becomes part of every statement that reads it. ('limit':
 * LIMIT / OFFSET of its own query; 'initplan': an uncorrelated subquery, before PostgreSQL 17;
 * 'row-locking': row locks in the body of a set-returning function inlined there, which the
 * planner meets after its statement-wide check: its own FOR UPDATE is viewLocksRows.)
 */
export const VIEW_SHAPES = [
  'window-function',
  'materialized-cte',
  'table-function',
  'set-operation',
  'limit',
  'correlated-subquery',
  'initplan',
  'domain-constraint',
  'foreign-table',
  'sample-method',
  'row-locking',
] as const;
export type ViewShape = (typeof VIEW_SHAPES)[number];

/** What one output column of a view has that runs only in the leader: it counts only where the column is read. */
export interface ViewColumnShapes {
  column: string;
  shapes: ViewShape[];
  /**
   * The PARALLEL RESTRICTED functions (oids) only this column, of all the view, reaches: the planner
   * drops a column nobody reads (pulled up, or remove_unused_subquery_outputs) with its calls.
   */
  functions?: number[];
}

/** A table with row-level security as a live view reads it (CatalogRelation.viewRowSecurity). */
export interface ViewRowSecurity {
  schema: string;
  /** The table's name. */
  name: string;
  /** The role its policies were chosen for. */
  role: string;
  /** Oids of the functions those policies' USING expressions call (and the views they read). */
  functions: number[];
  /** Their USING expressions that have a subquery, as pg_get_expr prints them (see policySubqueries). */
  subqueries?: string[];
}

/** A policy a file's DDL made (CatalogRelation.policies). */
export interface FilePolicy {
  name: string;
  /** PERMISSIVE (the default) or RESTRICTIVE. */
  permissive: boolean;
  /** What its USING calls (oids). */
  functions: number[];
  /** What its USING runs only in the leader. */
  shapes: ViewShape[];
}

/** A constraint of a workspace domain: CHECK, or NOT NULL (which DROP NOT NULL drops whatever its name). */
export interface DomainConstraint {
  name: string;
  notNull?: true;
}

/** What keeps a workspace SQL function from being inlined (inline_function: prosecdef, proconfig). */
export interface InliningBlocked {
  body: string;
  securityDefiner: boolean;
  /** The settings of its SET clauses, by name. */
  settings: string[];
}

/** A partition or inheritance child only the leader can scan (CatalogRelation.leaderOnlyChildren). */
export interface LeaderOnlyChild {
  schema: string;
  name: string;
  /** A foreign table's wrapper; none for a temporary table. */
  foreignWrapper?: string;
  /**
   * Partitions: the bound of the parent's own partition it is, or is under (a partition of a
   * partition), as pg_get_expr prints it: `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
   * `FOR VALUES IN (...)`, `DEFAULT`, `FOR VALUES WITH (...)`. What plan-time pruning decides by.
   */
  bound?: string;
}

/** An index of a table, as far as the planner's MIN / MAX optimization (planagg.c) asks. */
export interface CatalogIndex {
  name: string;
  /** Key columns in order (INCLUDE columns left out); '' for an expression. */
  columns: string[];
  /** The access method (pg_am.amname), where it is not btree. */
  method?: string;
  unique?: boolean;
  /** A partial index (WHERE ...): used only where a statement's conditions imply its predicate. */
  partial?: boolean;
  /** A DEFERRABLE unique constraint's index (not pg_index.indimmediate): it proves nothing unique to the planner. */
  deferrable?: boolean;
  /**
   * An index that returns rows in order (amcanorder: btree): for each key column, the oids of the
   * operators its operator family orders that column by (strategies 1 and 5, one type on both
   * sides), none where the key's collation is not its column's.
   */
  orderedBy?: number[][];
}

export interface CatalogRelation {
  oid: number;
  schema: string;
  name: string;
  /** pg_class.relkind: r table, p partitioned, v view, m matview, f foreign, t toast... */
  kind: string;
  /** pg_class.relpersistence: p permanent, u unlogged, t temporary. */
  persistence: 'p' | 'u' | 't';
  /** pg_class.relpages (the planner's size estimate; -1 or 0 for never-analysed tables). */
  pages: number;
  /** reloptions parallel_workers, when set. */
  parallelWorkers?: number;
  rowSecurity: boolean;
  columns: CatalogColumn[];
  /** Views: oids of every function the view's definition reaches, through views of views too. */
  viewFunctions?: number[];
  /** Views: the definition, or a view it reads, locks rows (FOR UPDATE / SHARE): reading it does too. */
  viewLocksRows?: boolean;
  /** Views: the definition, or a view it reads, reads a temporary table: reading it does too. */
  viewReadsTemporary?: boolean;
  /**
   * Views: the definition (or a view it reads) makes the planner check each expression of a statement
   * reading it (a subquery, a RESTRICTED function inlined): an inlined SAFE function's body counts there.
   */
  viewChecksExpressions?: boolean;
  /** Views: WITH (security_barrier): the planner never pulls one up into a statement reading it. */
  securityBarrier?: boolean;
  /**
   * Views the planner pulls up into a statement reading them, over one table (no aggregate,
   * grouping, DISTINCT, LIMIT, set operation, window, volatile or set-returning select list): the
   * table, and the table's column each output column is (null for an expression), in order;
   * whether its WHERE has a subquery, and the table's columns its WHERE gives one value (`equal`)
   * or a list of values (`listed`). What the MIN / MAX optimization sees through.
   */
  viewOverTable?: { schema: string; name: string; columns: (string | null)[]; subqueryInWhere?: true; equal?: string[]; listed?: string[] };
  /** Views: plan shapes of the definition (or of a view it reads) that run only in the leader, whatever a statement reads of it. */
  viewShapes?: ViewShape[];
  /**
   * Views: what only some output columns have (a window function, a correlated subquery, a cast to
   * a domain ... in the select list): the planner drops a column nobody reads, and what it computes.
   */
  viewColumnShapes?: ViewColumnShapes[];
  /**
   * Views: the RESTRICTED functions (oids) that views it reads have only in columns this view never
   * reads: they never run for it, though viewFunctions (through the views it reads) lists them.
   */
  viewUnreached?: number[];
  /**
   * Views of a live database's own: the definition as pg_get_viewdef prints it under search_path
   * pg_catalog, pg_temp (view-definitions.sql; left out when a relation it reads was locked). The
   * engine walks it, the first time a statement reads the view, for the four fields above (what it
   * reaches is viewFunctions, read from the stored query).
   */
  viewDefinition?: string;
  /**
   * Row-level-security policies: oids of the functions their expressions call (live: of the
   * policies a SELECT by the connected role gets, policy-functions.sql; a file's DDL: of its FOR
   * SELECT and FOR ALL policies, for whatever roles).
   */
  policyFunctions?: number[];
  /**
   * Live: the USING expressions (as pg_get_expr prints them) of those policies that have a subquery,
   * walked when a statement first reads the table (walker.ts policyEffectsOf).
   */
  policySubqueries?: string[];
  /** A file's DDL: what its policies' USING expressions run only in the leader (subqueries). */
  policyShapes?: ViewShape[];
  /** A file's DDL: its FOR SELECT / FOR ALL policies by name, which ALTER and DROP POLICY change (policyFunctions and policyShapes are made of them). */
  policies?: FilePolicy[];
  /**
   * Live: row-level security is on, but not for the connected role (the table's owner without
   * FORCE ROW LEVEL SECURITY, a superuser, BYPASSRLS): its policies add nothing to its statements.
   */
  rowSecurityBypassed?: true;
  /**
   * Live views: the tables with row-level security the view reads (directly or through the views it
   * reads) whose policies apply to the role each read is checked as: the view's owner, the session's
   * role for a security_invoker view (view-row-security.sql). Their policies join every read of the
   * view; a live view's walked definition applies none of the session's own (walker.ts).
   */
  viewRowSecurity?: ViewRowSecurity[];
  /** Foreign tables: the foreign data wrapper's name. */
  foreignWrapper?: string;
  /**
   * Partitioned tables and inheritance parents: their partitions / children, at any depth, that only
   * the leader process can scan (foreign tables, with their wrapper; this session's temporary
   * tables otherwise). The planner then scans none of the parent's children in workers
   * (set_append_rel_size), unless ONLY names the parent.
   */
  leaderOnlyChildren?: LeaderOnlyChild[];
  /** Partitioned tables: PARTITION BY RANGE ('r'), LIST ('l') or HASH ('h'), of these columns (null: an expression). */
  partitionKey?: { strategy: 'r' | 'l' | 'h'; columns: (string | null)[] };
  /** pg_class.relhassubclass: it has (or had: cleared lazily) partitions or inheritance children; a read of it is an append. */
  hasChildren?: boolean;
  /** Tables and materialized views outside pg_catalog: their valid indexes. */
  indexes?: CatalogIndex[];
  definedAt?: SourceLocation;
}

/** The parallel-related settings as the server reports them (pg_settings.setting, in base units). */
export interface ParallelSettings {
  max_parallel_workers_per_gather: number;
  max_parallel_workers: number;
  max_worker_processes: number;
  /** In pages of block_size (pg_settings unit 8kB). */
  min_parallel_table_scan_size: number;
  min_parallel_index_scan_size: number;
  parallel_setup_cost: number;
  parallel_tuple_cost: number;
  [name: string]: number | string;
}

export interface CatalogSnapshot {
  /** Bumped when the shape of this interface changes. */
  formatVersion: 1;
  source: {
    kind: 'live' | 'builtin' | 'file';
    /** server_version_num, e.g. 180004 */
    versionNum: number;
    /** server_version, e.g. "18.4" */
    version: string;
    /** For live snapshots: where it came from (never a password). */
    host?: string;
    database?: string;
    user?: string;
  };
  /** What a live read had to leave out, and why (the language server logs it). */
  warnings?: string[];
  /** The effective search_path (current_schemas(true)): pg_catalog first unless placed elsewhere. */
  searchPath: string[];
  settings: ParallelSettings;
  functions: CatalogFunction[];
  operators: CatalogOperator[];
  casts: CatalogCast[];
  types: CatalogType[];
  relations: CatalogRelation[];
}
