/**
 * The door to the real PostgreSQL grammar (libpg-query, compiled to WebAssembly). Everything it
 * returns is translated here from UTF-8 byte offsets to UTF-16 offsets into the text it was given,
 * so no other module ever sees a byte offset.
 */
import * as libpg from 'libpg-query';
import { Utf8Offsets } from './text';

// The parse tree is PostgreSQL's own node tree as JSON; typed loosely on purpose: the walker visits
// every node kind generically and looks only at the few it cares about.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AstNode = any;

let ready: Promise<void> | undefined;
let loaded = false;

/** Loads the WebAssembly module once; every parse function needs it. */
export function initParser(): Promise<void> {
  ready ??= libpg.loadModule().then(() => {
    loaded = true;
  });
  return ready;
}

function assertLoaded(): void {
  if (!loaded) throw new Error('parser: call and await initParser() first');
}

export interface ParsedStatement {
  /** The statement node (SelectStmt, InsertStmt, ...), wrapped as { NodeName: {...} }. */
  stmt: AstNode;
  /** UTF-16 offsets of the statement within the parsed text. */
  start: number;
  end: number;
}

export type ParseOutcome =
  | { ok: true; statements: ParsedStatement[]; offsets: Utf8Offsets }
  | { ok: false; message: string; offset: number; tooDeep?: true };

/** Parses SQL text; on a syntax error returns the message and the UTF-16 offset it points at. */
export function parseSql(text: string): ParseOutcome {
  assertLoaded();
  const offsets = new Utf8Offsets(text);
  const byteLength = offsets.byteLength;
  try {
    const result = libpg.parseSync(text);
    const stmts = result.stmts ?? [];
    const statements = stmts.map((raw: AstNode) => {
      const startByte = raw.stmt_location ?? 0;
      const endByte = raw.stmt_len ? startByte + raw.stmt_len : byteLength;
      return { stmt: raw.stmt, start: offsets.toUtf16(startByte), end: offsets.toUtf16(endByte) };
    });
    return { ok: true, statements, offsets };
  } catch (error) {
    // The grammar took it, but its tree is nested deeper than the stack that reads it (JSON.parse).
    if (error instanceof RangeError) return { ok: false, message: error.message, offset: 0, tooDeep: true };
    const details = (error as libpg.SqlError).sqlDetails;
    const message = failureMessage(error);
    // PostgreSQL counts an error's position in characters (scanner_errposition), and libpg-query
    // passes it on 0-based: code points, not bytes or UTF-16 units.
    return { ok: false, message, offset: codePointOffset(text, Math.max(0, details?.cursorPosition ?? 0)) };
  }
}

/** The UTF-16 offset after the first `count` code points of `text` (at most its length). */
function codePointOffset(text: string, count: number): number {
  let offset = 0;
  for (let seen = 0; seen < count && offset < text.length; seen++) offset += (text.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1;
  return offset;
}

export interface Token {
  start: number;
  end: number;
  text: string;
  kind: 'identifier' | 'keyword' | 'string' | 'number' | 'operator' | 'punctuation' | 'comment' | 'parameter' | 'other';
  /** Keyword classification from the grammar: reserved keywords cannot be function names. */
  reserved: boolean;
}

/** An identifier token's name: unquoted ones fold to lower case; quoted ones keep their case. */
export function identifierValue(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toLowerCase();
}

/** The grammar's scanner: tokens with UTF-16 ranges. Never throws; returns [] for text it cannot scan. */
export function scanSql(text: string): Token[] {
  assertLoaded();
  let result: libpg.ScanResult;
  try {
    result = libpg.scanSync(text);
  } catch {
    return [];
  }
  const offsets = new Utf8Offsets(text);
  return result.tokens.map((t) => {
    const start = offsets.toUtf16(t.start);
    const end = offsets.toUtf16(t.end);
    return { start, end, text: text.slice(start, end), kind: tokenKind(t), reserved: t.keywordName === 'RESERVED_KEYWORD' };
  });
}

/**
 * How the grammar classifies a word: undefined when it is no keyword. Only unreserved keywords may
 * stand unquoted as identifiers everywhere (what quote_ident checks).
 */
export function keywordCategory(word: string): 'unreserved' | 'column-name' | 'type-function-name' | 'reserved' | undefined {
  assertLoaded();
  if (!/^[A-Za-z_]+$/.test(word)) return undefined;
  let tokens: libpg.ScanToken[];
  try {
    tokens = libpg.scanSync(word).tokens;
  } catch {
    return undefined;
  }
  if (tokens.length !== 1 || tokens[0].keywordKind === 0) return undefined;
  switch (tokens[0].keywordName) {
    case 'UNRESERVED_KEYWORD':
      return 'unreserved';
    case 'COL_NAME_KEYWORD':
      return 'column-name';
    case 'TYPE_FUNC_NAME_KEYWORD':
      return 'type-function-name';
    default:
      return 'reserved';
  }
}

function tokenKind(t: libpg.ScanToken): Token['kind'] {
  if (t.keywordKind !== 0) return 'keyword';
  switch (t.tokenName) {
    case 'IDENT':
      return 'identifier';
    case 'SCONST':
    case 'USCONST':
    case 'BCONST':
    case 'XCONST':
      return 'string';
    case 'ICONST':
    case 'FCONST':
      return 'number';
    case 'PARAM':
      return 'parameter';
    case 'SQL_COMMENT':
    case 'C_COMMENT':
      return 'comment';
    case 'Op':
    case 'TYPECAST':
    case 'DOT_DOT':
    case 'COLON_EQUALS':
    case 'EQUALS_GREATER':
    case 'LESS_EQUALS':
    case 'GREATER_EQUALS':
    case 'NOT_EQUALS':
      return 'operator';
    default:
      return t.tokenName.startsWith('ASCII_') ? (/[()\[\],;.]/.test(String.fromCharCode(t.tokenType)) ? 'punctuation' : 'operator') : 'other';
  }
}

export type PlpgsqlOutcome = { ok: true; functions: AstNode[] } | { ok: false; message: string };

/** Parses the PL/pgSQL body of a CREATE FUNCTION statement (the whole statement is passed in). */
export function parsePlpgsql(createFunctionSql: string): PlpgsqlOutcome {
  assertLoaded();
  try {
    const result = libpg.parsePlPgSQLSync(createFunctionSql) as unknown as { plpgsql_funcs?: AstNode[] } | AstNode[];
    const functions = Array.isArray(result) ? result : (result.plpgsql_funcs ?? []);
    return { ok: true, functions };
  } catch (error) {
    return { ok: false, message: failureMessage(error) };
  }
}

/** Longest "at or near" excerpt kept: an unterminated quote makes the rest of the file one token. */
const EXCERPT_LENGTH = 40;

/**
 * One short line for a parser failure. The WebAssembly module reports a FATAL error (out of memory on
 * a huge statement) by exiting, which throws an ExitStatus object rather than an Error.
 */
function failureMessage(error: unknown): string {
  if ((error as { name?: unknown } | undefined)?.name === 'ExitStatus') return 'the statement is too large for the parser: it ran out of memory';
  const raw = (error as { message?: unknown } | undefined)?.message;
  const message = typeof raw === 'string' ? raw : String(error);
  return message.replace(/( at or near ")([\s\S]*)"$/, (whole, lead: string, token: string) => {
    const firstLine = token.split(/[\r\n]/)[0];
    if (firstLine === token && token.length <= EXCERPT_LENGTH) return whole;
    return `${lead}${firstLine.slice(0, EXCERPT_LENGTH)}…"`;
  });
}

/**
 * The text with each psql variable's colon made a space (`:lim` reads as the name `lim`, `:'name'` as
 * a string, `:"name"` as a quoted name), so that a statement of a psql script parses; lengths and
 * offsets are unchanged. Only colons the scanner finds right before a name or string (not `::`, and
 * never inside quotes or comments).
 */
export function withoutPsqlVariables(sql: string): string {
  if (!sql.includes(':')) return sql;
  const tokens = scanSql(sql);
  let out = sql;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const colon = tokens[i];
    const next = tokens[i + 1];
    if (colon.text !== ':' || next.start !== colon.end || !['identifier', 'keyword', 'string'].includes(next.kind)) continue;
    out = `${out.slice(0, colon.start)} ${out.slice(colon.end)}`;
  }
  return out;
}

/** Names a pg node list of String nodes as plain strings. */
export function nameList(list: AstNode[] | undefined): string[] {
  return (list ?? []).map((n: AstNode) => n?.String?.sval ?? (n?.A_Star ? '*' : ''));
}

/** The AND-ed conditions of a WHERE, nested ANDs flattened. */
export function conjuncts(qual: AstNode): AstNode[] {
  const bool = qual?.BoolExpr;
  if (bool?.boolop === 'AND_EXPR') return (bool.args ?? []).flatMap(conjuncts);
  return qual ? [qual] : [];
}
