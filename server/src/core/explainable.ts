/**
 * Can this text be given to EXPLAIN, and what would running it do? Decided from the parse tree
 * before anything reaches a server: the EXPLAIN runner and the planner probes send nothing for
 * text that is not exactly one plannable statement.
 */
import { AstNode, parseSql, scanSql, withoutPsqlVariables } from './parse';

/** Why EXPLAIN of a statement did not run or did not finish (the runner's errors, and the protocol's). */
export type ExplainErrorReason =
  | 'not-explainable'
  | 'needs-confirmation'
  | 'parameters-need-16'
  | 'parameters-with-analyze'
  | 'timeout'
  | 'no-answer'
  | 'cancelled'
  | 'server-error';

export type ExplainableCheck =
  | {
      ok: true;
      /** The statement's own text (no trailing semicolon or empty statements), ready to follow EXPLAIN. */
      statement: string;
      /** SELECT, INSERT, UPDATE, DELETE, MERGE, CREATE TABLE AS, ... */
      kind: string;
      /** Highest $n the statement uses (0: none). Such statements need EXPLAIN (GENERIC_PLAN), PostgreSQL 16+. */
      parameters: number;
      /** What the statement would change if it ran (EXPLAIN ANALYZE runs it); empty when it only reads. */
      writes: string[];
    }
  | { ok: false; message: string };

/**
 * The statements EXPLAIN plans (gram.y ExplainableStmt), by parse-tree node. REFRESH MATERIALIZED
 * VIEW is explainable in the grammar but EXPLAIN prints only "Utility Statement" for it.
 */
const PLANNABLE: Record<string, string> = {
  SelectStmt: 'SELECT',
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
  DeclareCursorStmt: 'DECLARE CURSOR',
  CreateTableAsStmt: 'CREATE TABLE AS',
  ExecuteStmt: 'EXECUTE',
};

const MODIFYING: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

const LOCK_STRENGTH: Record<string, string> = {
  LCS_FORUPDATE: 'FOR UPDATE',
  LCS_FORNOKEYUPDATE: 'FOR NO KEY UPDATE',
  LCS_FORSHARE: 'FOR SHARE',
  LCS_FORKEYSHARE: 'FOR KEY SHARE',
};

function visit(node: AstNode, each: (key: string, value: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visit(item, each);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      each(key, value);
      visit(value, each);
    }
  }
}

const UTILITY_NAMES: Record<string, string> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  CreateFunctionStmt: 'CREATE FUNCTION',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  TransactionStmt: 'A transaction command',
};

/** VacuumStmt -> VACUUM, AlterTableStmt -> ALTER TABLE. */
function utilityName(key: string): string {
  return UTILITY_NAMES[key] ?? key.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}

function statementKind(key: string, body: AstNode): string {
  if (key === 'CreateTableAsStmt') return body.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
  if (key === 'SelectStmt' && body.intoClause) return 'SELECT INTO';
  return PLANNABLE[key];
}

/** Why a statement of a psql script that uses its variables cannot be explained as written. */
export const PSQL_VARIABLES = 'the statement uses psql variables (:name), which psql fills in before it sends a statement: EXPLAIN takes the text as written, so put values in their place';

/** Checks `sql` (call initParser() first). */
export function checkExplainable(sql: string): ExplainableCheck {
  const parsed = parseSql(sql);
  if (!parsed.ok && parseSql(withoutPsqlVariables(sql)).ok) return { ok: false, message: PSQL_VARIABLES };
  if (!parsed.ok) return { ok: false, message: `the statement does not parse: ${parsed.message}` };
  if (parsed.statements.length !== 1) {
    return { ok: false, message: parsed.statements.length === 0 ? 'there is no statement to explain' : `expected exactly one statement, found ${parsed.statements.length}` };
  }
  const [only] = parsed.statements;
  const [key] = Object.keys(only.stmt);
  const body = only.stmt[key];
  if (key === 'ExplainStmt') return { ok: false, message: 'the text is already an EXPLAIN statement: give the statement without EXPLAIN' };
  if (key === 'RefreshMatViewStmt') {
    return { ok: false, message: 'EXPLAIN shows no plan for REFRESH MATERIALIZED VIEW (only "Utility Statement"): explain the view\'s query instead' };
  }
  if (key === 'CopyStmt' && body.query) return copyQuery(sql.slice(only.start, only.end));
  if (!PLANNABLE[key]) return { ok: false, message: `${utilityName(key)} is a utility statement: the planner does not plan it, so it has no plan to explain` };
  const kind = statementKind(key, body);

  const writes: string[] = [];
  const note = (what: string) => {
    if (!writes.includes(what)) writes.push(what);
  };
  if (MODIFYING[key]) note(MODIFYING[key]);
  if (kind === 'CREATE TABLE AS' || kind === 'CREATE MATERIALIZED VIEW' || kind === 'SELECT INTO') note(kind);
  let parameters = 0;
  visit(body, (name, value) => {
    if (name === 'ctequery' && value && MODIFYING[Object.keys(value)[0]]) note(`a data-modifying WITH (${MODIFYING[Object.keys(value)[0]]})`);
    else if (name === 'LockingClause') note(`row locking (${LOCK_STRENGTH[value.strength] ?? 'FOR ...'})`);
    else if (name === 'ParamRef' && typeof value.number === 'number') parameters = Math.max(parameters, value.number);
  });
  const statement = sql.slice(only.start, only.end).replace(/[\s;]+$/, '');
  return { ok: true, statement, kind, parameters, writes };
}

/**
 * EXPLAIN does not take COPY, but COPY (query) TO plans its query exactly as the query alone is
 * planned (copyto.c BeginCopyTo: parallel allowed), so the query in its parentheses is explained.
 */
function copyQuery(copy: string): ExplainableCheck {
  const tokens = scanSql(copy).filter((t) => t.kind !== 'comment');
  const open = tokens.findIndex((t) => t.text === '(');
  let depth = 0;
  for (let i = open; open >= 0 && i < tokens.length; i++) {
    if (tokens[i].text === '(') depth++;
    else if (tokens[i].text === ')' && --depth === 0) {
      const query = checkExplainable(copy.slice(tokens[open].end, tokens[i].start));
      return query.ok ? { ...query, kind: `COPY (${query.kind}) TO` } : query;
    }
  }
  return { ok: false, message: 'the query of this COPY was not found' };
}
