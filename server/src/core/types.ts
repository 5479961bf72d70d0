/**
 * What the engine returns: plain data, shared by the language server, the CLI and the tests.
 * All ranges are UTF-16 offsets into the document text the engine was given (what JavaScript
 * strings index by); `text.ts` converts them to lines and columns.
 */
import type { CatalogFunction, CatalogRelation, SourceLocation } from './catalog-snapshot';

/** The worst parallel label a statement reaches, as the planner computes it (max_parallel_hazard). */
export type Hazard = 'safe' | 'restricted' | 'unsafe';
/** A statement's verdict: its hazard, `none` for statements never planned, `unknown` when the engine cannot tell. */
export type Verdict = Hazard | 'none' | 'unknown';
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface TextRange {
  start: number;
  end: number;
}

export interface TextEdit {
  range: TextRange;
  newText: string;
}

/** A quick fix the editor can offer; text edits only, nothing is executed. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/** Stable reason codes: CI users filter on them, so never rename one. */
export type ReasonCode =
  | 'unsafe-function'
  | 'restricted-function'
  | 'unsafe-operator'
  | 'restricted-operator'
  | 'unsafe-cast'
  | 'restricted-cast'
  | 'unsafe-aggregate'
  | 'restricted-aggregate'
  | 'aggregate-not-combinable'
  | 'unsafe-view'
  | 'restricted-view'
  | 'unsafe-policy'
  | 'restricted-policy'
  | 'domain-constraint'
  | 'temporary-table'
  | 'foreign-table'
  | 'sample-method'
  | 'materialized-cte'
  | 'correlated-subquery'
  | 'initplan'
  | 'window-function'
  | 'table-function'
  | 'set-operation'
  | 'limited-subquery'
  | 'view-plan-shape'
  | 'write-statement'
  | 'data-modifying-cte'
  | 'row-locking'
  | 'cursor'
  | 'parallel-disabled'
  | 'unknown-function'
  | 'unknown-relation'
  | 'ambiguous-overload'
  | 'syntax-error'
  | 'too-deeply-nested'
  | 'function-default-unsafe'
  | 'function-could-be-safe'
  | 'function-mislabelled'
  | 'function-subtransaction'
  | 'table-parallel-workers-zero'
  | 'table-below-min-parallel-scan-size';

export interface Reason {
  code: ReasonCode;
  severity: Severity;
  message: string;
  range: TextRange;
  /** What this reason does to the statement's hazard (absent for hints that change nothing). */
  hazard?: Hazard;
  /** Further places worth showing: the function's definition, the view it came through. */
  related?: { message: string; location?: SourceLocation }[];
  fixes?: Fix[];
}

/** What kind of statement this is, as far as parallel query cares. */
export type StatementKind =
  | 'select'
  | 'values'
  | 'create-table-as'
  | 'select-into'
  | 'create-materialized-view'
  | 'refresh-materialized-view'
  /** COPY (query) TO: its query is planned like a SELECT; EXPLAIN does not take COPY. */
  | 'copy-to'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'declare-cursor'
  | 'explain'
  | 'create-function'
  | 'ddl'
  | 'utility'
  | 'psql-meta'
  | 'invalid';

/** Something in the text that resolves to catalog objects: what hover and go-to-definition use. */
export interface Reference {
  kind: 'function' | 'aggregate' | 'operator' | 'cast' | 'relation' | 'statement';
  range: TextRange;
  /** The name as written (qualified if written so), or the operator symbol / target type. */
  name: string;
  /** The functions this reference may run: one when resolved, several when the overload is unknown. */
  functions: CatalogFunction[];
  /** True when `functions` holds every overload that could be meant rather than the one resolved. */
  ambiguous?: boolean;
  /** A PARALLEL RESTRICTED SQL function the planner replaces by its body here, which is safe (or a set-returning one made a subquery). */
  inlined?: boolean;
  /** A PARALLEL RESTRICTED function the planner evaluates while planning (IMMUTABLE, constant arguments): a constant here. */
  evaluatedWhenPlanned?: boolean;
  relation?: CatalogRelation;
  /** Where the operator or cast itself was created (CREATE OPERATOR, CREATE CAST in the document or a workspace file); functions and relations carry their own. */
  definedAt?: SourceLocation;
}

export interface StatementResult {
  /** From the first token to the last (a trailing semicolon excluded). */
  range: TextRange;
  kind: StatementKind;
  verdict: Verdict;
  /** Reasons, most severe first, then by position. */
  reasons: Reason[];
  references: Reference[];
  /** False when the statement did not parse and only the scanner's tokens were used. */
  parsed: boolean;
  /**
   * Read with psql variables (:name, :'name', :"name") taken as names: psql fills them in before it
   * sends the statement, so the text as written is not one the server takes (nothing to EXPLAIN).
   */
  psqlVariables?: true;
}

/** Where a statement is and what kind, without its reasons and references. */
export type StatementOutline = Pick<StatementResult, 'range' | 'kind' | 'parsed' | 'psqlVariables'>;
