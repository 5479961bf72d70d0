/**
 * Go to definition: where the objects a reference resolves to were defined in workspace files.
 * Objects from the database or the built-in catalog have no location and give none.
 */
import type { SourceLocation } from './catalog-snapshot';
import { referenceAt } from './positions';
import type { Reference, StatementResult } from './types';

export function definitionsOf(ref: Reference): SourceLocation[] {
  const found: SourceLocation[] = [];
  const seen = new Set<string>();
  const add = (location: SourceLocation | undefined) => {
    if (!location) return;
    const key = `${location.uri}#${location.start}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(location);
  };
  // An operator or cast first (CREATE OPERATOR, CREATE CAST), then the functions it runs.
  add(ref.definedAt);
  add(ref.relation?.definedAt);
  for (const fn of ref.functions) add(fn.definedAt);
  return found;
}

export function definitionsAt(statements: readonly StatementResult[], offset: number): SourceLocation[] {
  const ref = referenceAt(statements, offset);
  return ref ? definitionsOf(ref) : [];
}
