/**
 * One statement in, one verdict out: what kind of statement it is, whether the planner could give
 * it a parallel plan at all (planner.c standard_planner), the worst parallel label it reaches, and
 * every reason, with ranges relative to the statement text.
 */
import type { CatalogFunction, CatalogRelation, SourceLocation } from './catalog-snapshot';
import { Catalog, simpleHash, worseHazard } from './catalog';
import { applyDdl } from './ddl';
import { joined, NONE } from './lists';
import { checkFunctionDefinition } from './function-check';
import { AstNode, identifierValue, parseSql, scanSql, type Token, withoutPsqlVariables } from './parse';
import { Utf8Offsets } from './text';
import type { Hazard, Reason, Reference, StatementKind, StatementResult, TextRange, Verdict } from './types';
import { nodeKind, StatementWalker, typeNameOf } from './walker';

/** Statements the planner may give a parallel plan (the rest never get one, or are never planned). */
const PARALLEL_CAPABLE = new Set<StatementKind>(['select', 'values', 'create-table-as', 'select-into', 'create-materialized-view', 'refresh-materialized-view', 'copy-to']);
const WRITES = new Set<StatementKind>(['insert', 'update', 'delete', 'merge']);

const WRITE_KIND: Record<string, StatementKind> = { InsertStmt: 'insert', UpdateStmt: 'update', DeleteStmt: 'delete', MergeStmt: 'merge' };

export interface StatementContext {
  /** Mutable (derived) catalog: DDL in the statement changes it for the statements after. */
  catalog: Catalog;
  uri: string;
  /** Where the statement starts in its document (for definitions recorded in the catalog). */
  documentOffset: number;
  /** The statement text's simpleHash, if the caller keeps it too (DDL needs it; hashing twice costs). */
  textKey?: () => string;
}

function firstWordRange(sql: string): TextRange {
  const m = /^[A-Za-z_]+/.exec(sql);
  return { start: 0, end: m ? m[0].length : Math.min(1, sql.length) };
}

const KEYWORD_PATTERNS = new Map<string, RegExp>();

/** The statement's own keyword (after EXPLAIN, WITH ...), else its first word. */
function keywordRange(sql: string, keyword: string): TextRange {
  let pattern = KEYWORD_PATTERNS.get(keyword);
  if (!pattern) KEYWORD_PATTERNS.set(keyword, (pattern = new RegExp(`\\b${keyword}\\b`, 'i')));
  const m = pattern.exec(sql);
  return m ? { start: m.index, end: m.index + keyword.length } : firstWordRange(sql);
}

function kindOf(stmt: AstNode): { kind: StatementKind; node: string } {
  const node = nodeKind(stmt) ?? '';
  const n = stmt?.[node];
  switch (node) {
    case 'SelectStmt':
      if (n.intoClause) return { kind: 'select-into', node };
      if (n.valuesLists && (!n.op || n.op === 'SETOP_NONE')) return { kind: 'values', node };
      return { kind: 'select', node };
    case 'CreateTableAsStmt':
      return { kind: n.objtype === 'OBJECT_MATVIEW' ? 'create-materialized-view' : 'create-table-as', node };
    case 'RefreshMatViewStmt':
      return { kind: 'refresh-materialized-view', node };
    case 'CopyStmt':
      // COPY (query) TO plans its query as a SELECT is planned, parallel allowed (copyto.c BeginCopyTo).
      return { kind: n.query ? 'copy-to' : 'utility', node };
    case 'ExplainStmt':
      return { kind: 'explain', node };
    case 'DeclareCursorStmt':
      return { kind: 'declare-cursor', node };
    case 'CreateFunctionStmt':
      return { kind: 'create-function', node };
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'MergeStmt':
      return { kind: WRITE_KIND[node], node };
    default:
      return { kind: /^(Create|Alter|Drop|Define|View|Comment|Grant|Rename|Rule|Index|Composite|Truncate)/.test(node) ? 'ddl' : 'utility', node };
  }
}

/** Analyses one statement (the text between two semicolons, no trailing semicolon). */
export function analyzeStatement(sql: string, ctx: StatementContext): StatementResult {
  // The grammar is C: a NUL byte would silently end the text there. PostgreSQL rejects such a
  // statement, so say so, and still report the calls the scanner finds (NULs read as spaces).
  const nul = sql.indexOf('\u0000');
  if (nul >= 0) return analyzeUnparsed(sql.replace(/\u0000/g, ' '), 'it contains a NUL byte, which PostgreSQL rejects', nul, ctx, 1);
  let parsed = parseSql(sql);
  let psqlVariables = false;
  if (!parsed.ok && parsed.tooDeep) return analyzedTooDeep(sql, ctx);
  if (!parsed.ok) {
    // A psql script's variables (:name, :'name', :"name") are no SQL: read as plain names, same length.
    const plain = withoutPsqlVariables(sql);
    const again = plain === sql ? parsed : parseSql(plain);
    if (!again.ok) return analyzeUnparsed(sql, parsed.message, parsed.offset, ctx);
    parsed = again;
    sql = plain;
    psqlVariables = true;
  }
  const { offsets } = parsed;
  let reasons: Reason[] = NONE;
  let references: Reference[] = NONE;
  let hazard: Hazard = 'safe';
  let unresolved = false;
  let kind: StatementKind = 'utility';

  try {
    for (const { stmt } of parsed.statements) {
      const walker = new StatementWalker(sql, offsets, ctx.catalog);
      const outcome = analyzeNode(stmt, sql, offsets, walker, ctx);
      const walked = walker.result();
      reasons = joined(reasons, walked.reasons, outcome.extraReasons);
      references = joined(references, walked.references);
      unresolved ||= walked.unresolved && outcome.countsUnresolved;
      kind = outcome.kind;
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return analyzedTooDeep(sql, ctx);
  }
  for (const r of reasons) if (r.hazard) hazard = worseHazard(hazard, r.hazard);
  const result: StatementResult = { range: { start: 0, end: sql.length }, kind, verdict: verdictFor(kind, hazard, unresolved), reasons: sortReasons(reasons), references, parsed: true };
  if (psqlVariables) result.psqlVariables = true;
  return result;
}

function verdictFor(kind: StatementKind, hazard: Hazard, unresolved: boolean): Verdict {
  if (!PARALLEL_CAPABLE.has(kind) && !WRITES.has(kind) && kind !== 'declare-cursor' && kind !== 'explain') return 'none';
  if (unresolved && hazard !== 'unsafe') return 'unknown';
  return hazard;
}

interface NodeOutcome {
  kind: StatementKind;
  extraReasons: Reason[];
  /** Unresolved calls make the verdict unknown only where a verdict is given. */
  countsUnresolved: boolean;
}

function analyzeNode(stmt: AstNode, sql: string, offsets: Utf8Offsets, walker: StatementWalker, ctx: StatementContext): NodeOutcome {
  const { kind, node } = kindOf(stmt);
  const n = stmt?.[node];
  const extraReasons: Reason[] = [];
  const location = (start: number, end: number): SourceLocation => ({ uri: ctx.uri, start: ctx.documentOffset + start, end: ctx.documentOffset + end });
  // Definitions (views, CREATE TABLE AS, policies) record what their query reaches; walking it with
  // the statement's own walker also gives its references (hover) and reasons in one pass.
  const walkQuery = (query: AstNode) => walker.definition(query);
  const walkCondition = (expr: AstNode, relation: CatalogRelation) => {
    const before = walker.result().functions.length;
    const shapes = walker.condition(expr, relation);
    return { functions: walker.result().functions.slice(before), shapes };
  };

  const ddlContext = () => ({ catalog: ctx.catalog, location: location(0, sql.length), textKey: ctx.textKey?.() ?? simpleHash(sql), sql, walkQuery, walkCondition });

  switch (kind) {
    case 'select':
    case 'values':
    case 'select-into':
      walker.statement(stmt);
      return { kind, extraReasons, countsUnresolved: true };
    case 'insert':
    case 'update':
    case 'delete':
    case 'merge':
      walker.statement(stmt);
      extraReasons.push({
        code: 'write-statement',
        severity: 'information',
        message: `${kind.toUpperCase()} never uses a parallel plan: only queries that do not write (SELECT, CREATE TABLE AS, ...) do`,
        range: keywordRange(sql, kind),
        hazard: 'unsafe',
      });
      return { kind, extraReasons, countsUnresolved: true };
    case 'create-table-as':
    case 'create-materialized-view':
      applyDdl(stmt, ddlContext());
      return { kind, extraReasons, countsUnresolved: true };
    case 'refresh-materialized-view':
      walker.refreshMaterializedView(n.relation);
      return { kind, extraReasons, countsUnresolved: true };
    case 'copy-to': {
      // The query may write (COPY (INSERT ... RETURNING) TO): then it says so, as the write itself would.
      const inner = analyzeNode(n.query, sql, offsets, walker, ctx);
      return { kind, extraReasons: inner.extraReasons, countsUnresolved: inner.countsUnresolved };
    }
    case 'explain': {
      const inner = analyzeNode(n.query, sql, offsets, walker, ctx);
      extraReasons.push(...inner.extraReasons);
      return { kind: inner.kind === 'utility' || inner.kind === 'ddl' ? inner.kind : inner.kind, extraReasons, countsUnresolved: inner.countsUnresolved };
    }
    case 'declare-cursor':
      walker.statement(n.query);
      extraReasons.push({
        code: 'cursor',
        severity: 'information',
        message: 'a query run through a cursor never uses a parallel plan',
        range: firstWordRange(sql),
        hazard: 'unsafe',
      });
      return { kind, extraReasons, countsUnresolved: true };
    case 'create-function': {
      const def = applyDdl(stmt, ddlContext());
      if (def) extraReasons.push(...checkFunctionDefinition(def, sql, n, ctx.catalog));
      return { kind, extraReasons, countsUnresolved: false };
    }
    default: {
      if (node === 'PrepareStmt') {
        walker.declareParameters((n.argtypes ?? []).map((t: AstNode) => typeNameOf(ctx.catalog, t)));
        const inner = analyzeNode(n.query, sql, offsets, walker, ctx);
        return { kind: inner.kind, extraReasons: inner.extraReasons, countsUnresolved: inner.countsUnresolved };
      }
      applyDdl(stmt, ddlContext());
      return { kind, extraReasons, countsUnresolved: false };
    }
  }
}

/** A statement that does not parse: keep the calls the scanner finds so diagnostics do not flicker. */
function analyzeUnparsed(sql: string, message: string, errorOffset: number, ctx: StatementContext, errorLength?: number): StatementResult {
  // The scanner refuses a text with an unterminated quote or comment (the user is typing one): the
  // text before the error still holds calls worth keeping.
  const scanBefore = errorLength === undefined && errorOffset > 0 ? errorOffset : undefined;
  return analyzeByScanner(sql, ctx, scanBefore, (tokens) => {
    const at = errorLength === undefined ? tokens.find((t) => t.end > errorOffset) : undefined;
    const range =
      errorLength !== undefined
        ? { start: errorOffset, end: errorOffset + errorLength }
        : at && at.start <= errorOffset
          ? { start: at.start, end: at.end }
          : { start: Math.min(errorOffset, sql.length), end: sql.length };
    return { code: 'syntax-error', severity: 'hint', message: `the statement does not parse (${message}): only the calls found by the scanner were checked`, range };
  });
}

/**
 * A statement the grammar accepts but nested deeper (a thousand levels and more of subqueries,
 * CASE, calls, joins or PL/pgSQL blocks) than the walk's stack can follow: said so on its first
 * word, with the calls the scanner finds, instead of failing the whole document's analysis.
 */
function analyzedTooDeep(sql: string, ctx: StatementContext): StatementResult {
  const first = /[^\s(]+/.exec(sql);
  const range = first ? { start: first.index, end: first.index + first[0].length } : { start: 0, end: 0 };
  const tooDeep = (): Reason => ({
    code: 'too-deeply-nested',
    severity: 'information',
    message: 'the statement is nested too deeply for the analysis to follow: only the calls found by the scanner were checked',
    range,
  });
  return { ...analyzeByScanner(sql, ctx, undefined, tooDeep), parsed: true };
}

/**
 * What can be said of a statement without its parse tree: the calls the scanner finds (a name
 * before a parenthesis), checked as calls, and `problem`, the reason there is no more. The scanner
 * refuses a text with an unterminated quote or comment; then the text before `scanBefore` is scanned.
 */
function analyzeByScanner(sql: string, ctx: StatementContext, scanBefore: number | undefined, problem: (tokens: Token[]) => Reason): StatementResult {
  const offsets = new Utf8Offsets(sql);
  const walker = new StatementWalker(sql, offsets, ctx.catalog);
  let scanned = scanSql(sql);
  if (scanned.length === 0 && scanBefore !== undefined) scanned = scanSql(sql.slice(0, scanBefore));
  const tokens = scanned.filter((t) => t.kind !== 'comment');
  const notCalls = new Set(['table', 'into', 'on', 'index', 'references', 'view', 'function', 'procedure', 'type', 'aggregate', 'trigger', 'key', 'using', 'as', 'exists']);
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (tokens[i + 1].text !== '(' || (t.kind !== 'identifier' && (t.kind !== 'keyword' || t.reserved))) continue;
    const before = tokens[i - 1];
    let schema: string | undefined;
    let start = t.start;
    if (before?.text === '.' && tokens[i - 2] && (tokens[i - 2].kind === 'identifier' || tokens[i - 2].kind === 'keyword')) {
      schema = identifierValue(tokens[i - 2].text);
      start = tokens[i - 2].start;
      if (notCalls.has((tokens[i - 3]?.text ?? '').toLowerCase())) continue;
    } else if (before && notCalls.has(before.text.toLowerCase())) {
      continue;
    }
    walker.scannedCall(identifierValue(t.text), schema, { start, end: t.end });
  }
  const walked = walker.result();
  let hazard: Hazard = 'safe';
  for (const r of walked.reasons) if (r.hazard) hazard = worseHazard(hazard, r.hazard);
  const verdict: Verdict = hazard === 'unsafe' ? 'unsafe' : 'unknown';
  return { range: { start: 0, end: sql.length }, kind: 'invalid', verdict, reasons: sortReasons([...walked.reasons, problem(tokens)]), references: joined(walked.references), parsed: false };
}


const SEVERITY_RANK = { error: 0, warning: 1, information: 2, hint: 3 } as const;

export function sortReasons(reasons: Reason[]): Reason[] {
  return reasons.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.range.start - b.range.start);
}

/** Functions reached by a list of references (for hover of a statement). */
export function functionsOf(result: StatementResult): CatalogFunction[] {
  return result.references.flatMap((r) => r.functions);
}
