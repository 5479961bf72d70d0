/**
 * Quick fixes beyond those the engine attaches to reasons: for a call to a database function labelled
 * UNSAFE or RESTRICTED, an `ALTER FUNCTION ... PARALLEL SAFE` statement inserted after the statement.
 * Text only: nothing is executed, and the inserted comment says the body must be checked first,
 * because a wrong PARALLEL SAFE label gives wrong results or errors at run time.
 */
import type { CatalogFunction } from './catalog-snapshot';
import { hazardOf } from './catalog';
import { keywordCategory } from './parse';
import type { Fix, Reason, StatementResult } from './types';

// Aggregates are left out: ALTER FUNCTION refuses them and ALTER AGGREGATE cannot change the label.
const CALL_REASONS = new Set(['unsafe-function', 'restricted-function', 'unsafe-operator', 'restricted-operator', 'unsafe-cast', 'restricted-cast']);
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema']);

/**
 * `name` or `"Name"`: an identifier as PostgreSQL needs it written, with quote_ident's rules: bare
 * only when it is lower-case letters, digits and underscores, not starting with a digit, and not a
 * keyword other than an unreserved one.
 */
export function quoteIdentifier(name: string): string {
  const bare = /^[a-z_][a-z0-9_]*$/.test(name) && (keywordCategory(name) ?? 'unreserved') === 'unreserved';
  return bare ? name : `"${name.replace(/"/g, '""')}"`;
}

/** `public.f(integer, text)`: the form ALTER FUNCTION accepts (argument types only). */
export function alterableSignature(fn: CatalogFunction): string {
  return `${quoteIdentifier(fn.schema)}.${quoteIdentifier(fn.name)}(${fn.argTypes.join(', ')})`;
}

/** The database functions a reason blames that a user could relabel (not workspace-defined, not built in). */
export function relabelCandidates(statement: StatementResult, reason: Reason): CatalogFunction[] {
  if (!CALL_REASONS.has(reason.code) || !reason.hazard || reason.hazard === 'safe') return [];
  const ref = statement.references.find((r) => r.range.start === reason.range.start && r.range.end === reason.range.end && r.functions.length > 0);
  if (!ref || ref.ambiguous) return [];
  return ref.functions.filter((fn) => hazardOf(fn.parallel) === reason.hazard && !fn.definedAt && !SYSTEM_SCHEMAS.has(fn.schema) && fn.kind !== 'a');
}

export function alterFunctionFixes(text: string, statement: StatementResult, reason: Reason): Fix[] {
  const functions = relabelCandidates(statement, reason);
  if (functions.length === 0) return [];
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  // After the statement's semicolon, at the end of that line.
  let at = statement.range.end;
  while (at < text.length && (text[at] === ' ' || text[at] === '\t')) at++;
  const terminated = text[at] === ';';
  if (terminated) {
    at++;
    while (at < text.length && text[at] !== '\n' && text[at] !== '\r') at++;
  } else {
    at = statement.range.end;
  }
  return functions.map((fn) => {
    const signature = alterableSignature(fn);
    const insertion =
      `${terminated ? '' : ';'}${newline}` +
      `-- Text only, nothing was executed: check that ${signature} is really parallel safe (no writes, no PARALLEL UNSAFE calls, no temporary tables) before running this.${newline}` +
      `ALTER FUNCTION ${signature} PARALLEL SAFE;`;
    return { title: `Insert ALTER FUNCTION ${signature} PARALLEL SAFE (text only; check the function first)`, edits: [{ range: { start: at, end: at }, newText: insertion }] };
  });
}
