/**
 * sameDiagnostics decides whether a client is told "unchanged" instead of getting the list again
 * (diagnostics-service.ts): a difference it misses leaves a stale diagnostic in the editor. Every
 * field a diagnostic made by toDiagnostic carries is changed in turn, so a field added to
 * toDiagnostic without being compared fails here.
 */
import * as assert from 'assert';
import type { Diagnostic } from 'vscode-languageserver';
import { LineIndex } from '../../server/src/core/text';
import type { Reason } from '../../server/src/core/types';
import { locator, sameDiagnostics, toDiagnostic } from '../../server/src/lsp-convert';

const TEXT = 'CREATE FUNCTION slow(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$;\nSELECT slow(a) FROM t;\n';
const URI = 'file:///nowhere/convert.sql';

function made(): Diagnostic {
  const lines = new LineIndex(TEXT);
  const reason: Reason = {
    code: 'unsafe-function',
    severity: 'warning',
    message: 'public.slow(integer) is PARALLEL UNSAFE',
    range: { start: 79, end: 83 },
    hazard: 'unsafe',
    related: [{ message: 'public.slow(integer) is defined here', location: { uri: URI, start: 0, end: 69 } }],
  };
  return toDiagnostic(reason, lines, locator(URI, lines, () => undefined));
}

/** Every path to a number or string in the value, e.g. ['range', 'start', 'line']. */
function leaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, v]) => leaves(v, [...at, Array.isArray(value) ? Number(key) : key]));
  return [at];
}

/** A copy of the diagnostic with the leaf at `path` changed. */
function changedAt(diagnostic: Diagnostic, path: (string | number)[]): Diagnostic {
  const copy = JSON.parse(JSON.stringify(diagnostic));
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key];
  const last = path[path.length - 1];
  parent[last] = typeof parent[last] === 'number' ? parent[last] + 1 : `${parent[last]}!`;
  return copy;
}

describe('lsp: sameDiagnostics', () => {
  it('holds for the same diagnostics made twice, in the same order', () => {
    const [a, b] = [made(), made()];
    assert.notStrictEqual(a, b);
    assert.strictEqual(sameDiagnostics([a, a], [b, b]), true);
  });

  it('tells apart a difference in any field a diagnostic carries, and a different count or order', () => {
    const diagnostic = made();
    const paths = leaves(diagnostic);
    assert.deepStrictEqual(
      paths.map((p) => p.join('.')),
      [
        'range.start.line', 'range.start.character', 'range.end.line', 'range.end.character',
        'severity', 'code', 'source', 'message',
        'relatedInformation.0.location.uri', 'relatedInformation.0.location.range.start.line', 'relatedInformation.0.location.range.start.character',
        'relatedInformation.0.location.range.end.line', 'relatedInformation.0.location.range.end.character', 'relatedInformation.0.message',
      ],
    );
    for (const path of paths) assert.strictEqual(sameDiagnostics([diagnostic], [changedAt(diagnostic, path)]), false, path.join('.'));
    const { relatedInformation: _, ...withoutRelated } = diagnostic;
    assert.strictEqual(sameDiagnostics([diagnostic], [withoutRelated]), false, 'related information gone');
    assert.strictEqual(sameDiagnostics([diagnostic], [diagnostic, diagnostic]), false, 'count');
    const other = changedAt(diagnostic, ['message']);
    assert.strictEqual(sameDiagnostics([diagnostic, other], [other, diagnostic]), false, 'order');
  });
});
