/**
 * CREATE FUNCTION checked against its own body: a function without a PARALLEL clause defaults to
 * UNSAFE even when its body could run in workers (the most common reason a query is not parallel),
 * and a function labelled SAFE whose body writes, calls unsafe functions or opens subtransactions
 * fails or misbehaves at run time.
 */
import type { CatalogFunction } from './catalog-snapshot';
import { Catalog, hazardOf, signatureOf, worseHazard } from './catalog';
import type { FunctionDefinition } from './ddl';
import { labelWord } from './describe';
import { inlineBodyText } from './inline';
import { AstNode, parsePlpgsql, parseSql, scanSql } from './parse';
import { Utf8Offsets } from './text';
import type { Hazard, Reason, TextRange } from './types';
import { nodeKind, Scope, StatementWalker } from './walker';

interface BodyFinding {
  hazard: Hazard;
  /** The reason's code where the finding is one of the walk's (`unsafe-function` ...). */
  code?: string;
  /** Why, in words: "INSERT", "calls public.f(integer), which is PARALLEL UNSAFE", "an EXCEPTION block". */
  what: string;
  range: TextRange;
  subtransaction?: boolean;
}

interface BodyVerdict {
  hazard: Hazard;
  findings: BodyFinding[];
  /** Something the check cannot see through (EXECUTE, an unknown function, a language it does not read). */
  opaque?: string;
  /** The UNSAFE functions the body calls. */
  unsafeCalls: Set<CatalogFunction>;
}

const WRITE_NODES: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

/** Statements that are queries, walked as such (a SELECT ... INTO a new table excepted). */
const QUERY_NODES = new Set(['SelectStmt', ...Object.keys(WRITE_NODES)]);

/** Statements that define or change objects (ALTER TABLE ... RENAME, CREATE TYPE ... AS and CREATE RULE included). */
const DDL_NODES = /^(Create|Alter|Drop|Truncate|Grant|Comment|Define|Index|View|Rename|CompositeType|Rule|Reassign|SecLabel|ImportForeignSchema)/;

/**
 * Utility statements PostgreSQL runs in parallel mode, in a worker or in the leader while workers
 * run: the strictly read-only ones (ClassifyUtilityCommandAsReadOnly; standard_ProcessUtility
 * refuses every other with "cannot execute ... during a parallel operation"). A CALL's procedure
 * runs its own statements, checked as they run: its body is not in the catalog.
 */
const PARALLEL_MODE_UTILITIES = new Set(['DoStmt', 'ExplainStmt', 'VariableShowStmt', 'FetchStmt', 'ClosePortalStmt', 'DeclareCursorStmt', 'CheckPointStmt', 'CallStmt']);

/** How the refused utility statements are named in messages (PostgreSQL's command tags). */
const UTILITY_NAMES: Record<string, string> = {
  VariableSetStmt: 'SET',
  NotifyStmt: 'NOTIFY',
  ListenStmt: 'LISTEN',
  UnlistenStmt: 'UNLISTEN',
  VacuumStmt: 'VACUUM or ANALYZE',
  ClusterStmt: 'CLUSTER',
  ReindexStmt: 'REINDEX',
  DiscardStmt: 'DISCARD',
  PrepareStmt: 'PREPARE',
  ExecuteStmt: 'EXECUTE',
  DeallocateStmt: 'DEALLOCATE',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW',
  ConstraintsSetStmt: 'SET CONSTRAINTS',
  LockStmt: 'LOCK',
  CopyStmt: 'COPY FROM',
  LoadStmt: 'LOAD',
  TransactionStmt: 'a transaction command',
};

/** RowExclusiveLock: LOCK in a weaker mode is strictly read-only, in a stronger one refused in parallel mode. */
const ROW_EXCLUSIVE_LOCK = 3;

/**
 * What a statement of a body is that PostgreSQL refuses in parallel mode, named as it says it
 * ("SET", "SELECT INTO"), or 'DDL'; undefined for queries (walked) and what it runs there.
 */
function refusedInParallelMode(kind: string, stmt: AstNode): string | undefined {
  const n = stmt?.[kind];
  if (QUERY_NODES.has(kind)) return kind === 'SelectStmt' && n?.intoClause ? 'SELECT INTO' : undefined;
  if (DDL_NODES.test(kind)) return 'DDL';
  if (PARALLEL_MODE_UTILITIES.has(kind) || (kind === 'CopyStmt' && !n?.is_from) || (kind === 'LockStmt' && (n?.mode ?? 0) <= ROW_EXCLUSIVE_LOCK)) return undefined;
  return UTILITY_NAMES[kind] ?? kind.replace(/Stmt$/, '');
}

/**
 * Where the body string starts in the statement text, so body ranges can point into it. A body is
 * usually dollar-quoted and so appears verbatim; a single-quoted body with doubled quotes does not,
 * and its findings then point at the function name instead.
 */
function bodyStart(sql: string, body: string): number | undefined {
  if (body.length === 0) return undefined;
  const at = sql.indexOf(body);
  return at >= 0 ? at : undefined;
}

function nameRangeOf(sql: string): TextRange {
  const m = /\b(function|procedure)\s+((?:"(?:[^"]|"")*"|[\w$]+)(?:\s*\.\s*(?:"(?:[^"]|"")*"|[\w$]+))?)/i.exec(sql);
  if (!m) return { start: 0, end: Math.min(6, sql.length) };
  const start = m.index + m[0].length - m[2].length;
  return { start, end: start + m[2].length };
}

/**
 * Reasons that describe the shape of a statement's own plan, not a hazard of running it: inside a
 * function body, executed whole in whichever process calls the function, they restrict nothing.
 */
const PLAN_SHAPE = new Set(['window-function', 'correlated-subquery', 'initplan', 'materialized-cte', 'table-function', 'set-operation', 'limited-subquery', 'view-plan-shape']);

/** What a body's walked statements make of the function: hazards other than plan shapes. */
function bodyFindings(reasons: Reason[], at: (offset: number) => number): BodyFinding[] {
  return reasons
    .filter((r) => r.hazard && r.hazard !== 'safe' && !PLAN_SHAPE.has(r.code))
    .map((r) => ({ hazard: r.hazard!, code: r.code, what: r.message.split(':')[0], range: { start: at(r.range.start), end: at(r.range.end) } }));
}

/** Analyses SQL statements inside a body; `at` maps a body offset to a statement offset; $n are the function's arguments. */
function analyzeSqlText(text: string, fn: CatalogFunction, catalog: Catalog, at: (offset: number) => number, findings: BodyFinding[], verdict: BodyVerdict): void {
  const parsed = parseSql(text);
  if (!parsed.ok) {
    verdict.opaque ??= `part of the body does not parse (${parsed.message})`;
    return;
  }
  for (const { stmt, start } of parsed.statements) {
    const kind = nodeKind(stmt) ?? '';
    const walker = new StatementWalker(text, parsed.offsets, catalog);
    walker.declareParameters(fn.argTypes);
    walker.statement(stmt, new Scope());
    const walked = walker.result();
    const refused = refusedInParallelMode(kind, stmt);
    if (WRITE_NODES[kind] || walked.writes) {
      findings.push({ hazard: 'unsafe', what: `it writes (${WRITE_NODES[kind] ?? 'a data-modifying statement'})`, range: { start: at(start), end: at(start + (WRITE_NODES[kind]?.length ?? 1)) } });
    } else if (refused) {
      findings.push({ hazard: 'unsafe', what: refused === 'DDL' ? 'it runs DDL' : `it runs ${refused}, which PostgreSQL refuses during a parallel operation`, range: { start: at(start), end: at(start + 1) } });
    }
    if (kind === 'CallStmt') verdict.opaque ??= 'it CALLs a procedure, whose body the catalog does not hold';
    // A data-modifying CTE is the write already said.
    findings.push(...bodyFindings(walked.reasons, at).filter((f) => !(walked.writes && f.code === 'data-modifying-cte')));
    for (const called of walked.functions) if (called.parallel === 'u') verdict.unsafeCalls.add(called);
    if (walked.unresolved) verdict.opaque ??= 'it calls a function that is not in the catalog';
  }
}

function plpgsqlVerdict(def: FunctionDefinition, sql: string, catalog: Catalog, bodyOffset: number | undefined): BodyVerdict {
  const verdict: BodyVerdict = { hazard: 'safe', findings: [], unsafeCalls: new Set() };
  // No AS clause yet (still being typed): libpg-query aborts on it, printing to stderr and leaking
  // its WebAssembly memory each time, so it is never asked.
  if (def.body === undefined) {
    verdict.opaque = 'it has no body yet';
    return verdict;
  }
  const parsed = parsePlpgsql(sql);
  if (!parsed.ok) {
    verdict.opaque = `the PL/pgSQL body does not parse (${parsed.message})`;
    return verdict;
  }
  const body = def.body ?? '';
  // Upper-cased once: once per EXCEPTION block made a body of 5,000 of them take 6 s.
  let upperBody: string | undefined;
  let cursor = 0;
  // Queries come back as text; find each in the body (in order) to point at it.
  const locate = (query: string): number => {
    const i = body.indexOf(query, cursor);
    if (i < 0) return -1;
    cursor = i;
    return i;
  };
  const toStatement = (bodyIndex: number) => (bodyOffset === undefined || bodyIndex < 0 ? 0 : bodyOffset + bodyIndex);
  const visit = (node: AstNode): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    for (const [key, value] of Object.entries(node)) {
      // From PostgreSQL 17 a subtransaction may start in parallel mode (one that needs no XID).
      if (key === 'PLpgSQL_stmt_block' && (value as AstNode)?.exceptions && catalog.versionNum < 170000) {
        // The handler's EXCEPTION WHEN, not a RAISE EXCEPTION before it.
        const handler = /\bEXCEPTION\s+WHEN\b/g;
        handler.lastIndex = cursor;
        const i = handler.exec((upperBody ??= body.toUpperCase()))?.index ?? -1;
        const start = toStatement(i);
        verdict.findings.push({ hazard: 'unsafe', what: 'an EXCEPTION block starts a subtransaction', range: { start, end: start + (i >= 0 ? 9 : 1) }, subtransaction: true });
      }
      if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors') verdict.opaque ??= 'it runs dynamic SQL (EXECUTE)';
      if (key === 'PLpgSQL_expr') {
        const query = (value as AstNode).query as string;
        const mode = (value as AstNode).parseMode ?? 0;
        const i = locate(query);
        // Expressions (mode 2) are parsed as SELECT <expr>; assignments (3+) as SELECT <rhs>.
        const asSql = mode === 0 ? query : `SELECT ${mode >= 3 ? query.replace(/^[^:=]*:?=/, '') : query}`;
        const shift = mode === 0 ? 0 : asSql.length - (mode >= 3 ? query.replace(/^[^:=]*:?=/, '').length : query.length);
        const base = toStatement(i);
        analyzeSqlText(asSql, def.fn, catalog, (o) => (i < 0 ? 0 : base + Math.max(0, o - shift) + (mode >= 3 ? query.length - query.replace(/^[^:=]*:?=/, '').length : 0)), verdict.findings, verdict);
        continue;
      }
      visit(value);
    }
  };
  visit(parsed.functions);
  return verdict;
}

function sqlVerdict(def: FunctionDefinition, catalog: Catalog, sql: string, bodyOffset: number | undefined): BodyVerdict {
  const verdict: BodyVerdict = { hazard: 'safe', findings: [], unsafeCalls: new Set() };
  if (def.sqlBody) {
    // SQL-standard body (BEGIN ATOMIC / RETURN): already parsed with the statement.
    const offsets = new Utf8Offsets(sql);
    const walker = new StatementWalker(sql, offsets, catalog);
    walker.declareParameters(def.fn.argTypes);
    const visitBody = (node: AstNode): void => {
      if (!node || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach(visitBody);
      const kind = nodeKind(node) ?? '';
      if (kind === 'List') return visitBody(node.List.items);
      if (kind === 'ReturnStmt') return void walker.expr(node.ReturnStmt.returnval, new Scope());
      if (WRITE_NODES[kind]) verdict.findings.push({ hazard: 'unsafe', what: `it writes (${WRITE_NODES[kind]})`, range: nameRangeOf(sql) });
      walker.statement(node, new Scope());
    };
    visitBody(def.sqlBody);
    const walked = walker.result();
    verdict.findings.push(...bodyFindings(walked.reasons, (offset) => offset));
    for (const called of walked.functions) if (called.parallel === 'u') verdict.unsafeCalls.add(called);
    if (walked.unresolved) verdict.opaque ??= 'it calls a function that is not in the catalog';
    return verdict;
  }
  if (def.body === undefined) {
    verdict.opaque = 'its body is not SQL text';
    return verdict;
  }
  analyzeSqlText(def.body, def.fn, catalog, (o) => (bodyOffset === undefined ? 0 : bodyOffset + o), verdict.findings, verdict);
  return verdict;
}

export function checkFunctionDefinition(def: FunctionDefinition, sql: string, node: AstNode, catalog: Catalog): Reason[] {
  void node;
  const fn: CatalogFunction = def.fn;
  // Procedures are CALLed and trigger functions fired, never part of a parallel plan.
  if (fn.kind === 'p' || fn.returnType === 'trigger' || fn.returnType === 'event_trigger') return [];
  const language = fn.language;
  if (language !== 'sql' && language !== 'plpgsql') return [];
  const bodyOffset = def.body !== undefined ? bodyStart(sql, def.body) : undefined;
  const verdict = language === 'plpgsql' ? plpgsqlVerdict(def, sql, catalog, bodyOffset) : sqlVerdict(def, catalog, sql, bodyOffset);
  for (const f of verdict.findings) verdict.hazard = worseHazard(verdict.hazard, f.hazard);

  const nameRange = nameRangeOf(sql);
  const signature = signatureOf(fn);
  const reasons: Reason[] = [];
  const declared = def.parallelClause;
  if (declared === undefined) {
    if (verdict.opaque || verdict.hazard === 'unsafe') return reasons;
    const could = verdict.hazard === 'safe' ? 'PARALLEL SAFE' : 'PARALLEL RESTRICTED';
    const insertAt = def.sqlBody ? bodyKeywordOffset(sql) : sql.length;
    reasons.push({
      code: verdict.hazard === 'safe' ? 'function-could-be-safe' : 'function-default-unsafe',
      severity: 'information',
      message: `${signature} has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows ${could}`,
      range: nameRange,
      fixes: [{ title: `Mark ${fn.name} ${could}`, edits: [{ range: { start: insertAt, end: insertAt }, newText: def.sqlBody ? `${could} ` : ` ${could}` }] }],
    });
    return reasons;
  }
  const declaredHazard = hazardOf(declared);
  const labelsOnly = labelledOnly(verdict, declaredHazard, catalog);
  for (const finding of verdict.findings) {
    if (worseHazard(finding.hazard, declaredHazard) === declaredHazard) continue;
    if (labelsOnly && UNSAFE_CALLS.has(finding.code ?? '')) {
      const callees = [...verdict.unsafeCalls].map((fn) => signatureOf(fn)).join(', ');
      reasons.push({
        code: 'function-mislabelled',
        severity: 'warning',
        message: `${signature} is labelled ${labelWord(declaredHazard)} but ${finding.what}, whose body allows ${labelWord(labelsOnly)}: it runs as its body does, but the labels disagree; label ${callees} ${labelWord(labelsOnly)} (or this function PARALLEL UNSAFE)`,
        range: finding.range.end > finding.range.start ? finding.range : nameRange,
        related: [{ message: `${signature} is declared here`, location: fn.definedAt }],
      });
      continue;
    }
    // A user's function UNSAFE by its label only, its body unread: PostgreSQL never checks a label
    // when the function runs, so whether this fails depends on what that body does.
    const byLabel = UNSAFE_CALLS.has(finding.code ?? '') && [...verdict.unsafeCalls].every((callee) => callee.schema !== 'pg_catalog');
    // A temporary table is this session's: a worker cannot read it at all.
    const temporaryInWorker = declaredHazard === 'safe' && finding.code === 'temporary-table';
    const error = (finding.hazard === 'unsafe' && !byLabel) || temporaryInWorker;
    const advice = byLabel
      ? `: if that function does what its label says (writes, ...), this one fails ${FAILS_WHERE[declaredHazard]}; label it by its body, or this function PARALLEL UNSAFE`
      : temporaryInWorker
        ? `: it fails ${FAILS_WHERE.safe} ("cannot access temporary tables during a parallel operation"); label it PARALLEL RESTRICTED`
        : error
          ? `: it fails or misbehaves ${FAILS_WHERE[declaredHazard]}; label it PARALLEL UNSAFE`
          : '; label it PARALLEL RESTRICTED';
    reasons.push({
      code: finding.subtransaction ? 'function-subtransaction' : 'function-mislabelled',
      severity: error ? 'error' : 'warning',
      message: `${signature} is labelled ${labelWord(declaredHazard)} but ${finding.what}${advice}`,
      range: finding.range.end > finding.range.start ? finding.range : nameRange,
      related: [{ message: `${signature} is declared here`, location: fn.definedAt }],
    });
  }
  return reasons;
}

/** The reasons a call of an UNSAFE function gives in a body. */
const UNSAFE_CALLS = new Set(['unsafe-function', 'unsafe-aggregate', 'unsafe-operator', 'unsafe-cast']);

/**
 * Whether the body's calls of UNSAFE functions are UNSAFE by their labels only: each a SQL function
 * whose own body (known: one the planner could inline) allows no worse than `declared`, which then
 * says what they allow at worst. A label is a promise PostgreSQL does not check when the function
 * runs: such a call runs in a worker as its body does (the multi-tenant `current_tenant()` over a
 * `tenant_raw()` left without a PARALLEL clause, Supabase's `auth.uid()`).
 */
function labelledOnly(verdict: BodyVerdict, declared: Hazard, catalog: Catalog): Hazard | false {
  if (verdict.unsafeCalls.size === 0 || verdict.opaque) return false;
  let allows: Hazard = 'safe';
  for (const callee of verdict.unsafeCalls) {
    if (callee.language !== 'sql' || callee.inlineBody === undefined) return false;
    const inner: BodyVerdict = { hazard: 'safe', findings: [], unsafeCalls: new Set() };
    analyzeSqlText(inlineBodyText(callee.inlineBody), callee, catalog, () => 0, inner.findings, inner);
    if (inner.opaque || inner.unsafeCalls.size > 0) return false;
    for (const f of inner.findings) allows = worseHazard(allows, f.hazard);
  }
  return worseHazard(allows, declared) === declared ? allows : false;
}

/** Where a function labelled below what its body does fails: a RESTRICTED one runs only in the leader, but in parallel mode. */
const FAILS_WHERE: Record<string, string> = {
  safe: 'when run in a parallel worker',
  restricted: 'when the leader runs it during a parallel query (in parallel mode, as long as workers run)',
};

/**
 * Options must precede a SQL-standard body: insert before BEGIN ATOMIC / RETURN, the keyword (a
 * comment, a string or a quoted name saying "return" is not it; RETURNS is another word).
 */
function bodyKeywordOffset(sql: string): number {
  const tokens = scanSql(sql);
  const at = tokens.findIndex((t, i) => t.kind === 'keyword' && (/^return$/i.test(t.text) || (/^begin$/i.test(t.text) && /^atomic$/i.test(tokens[i + 1]?.text ?? ''))));
  return at >= 0 ? tokens[at].start : sql.length;
}
