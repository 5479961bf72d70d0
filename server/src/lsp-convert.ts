/**
 * Engine data to LSP data, in one place: offsets to ranges (through core/text.ts's LineIndex),
 * reasons to diagnostics, engine locations to LSP locations.
 */
import { Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, Position, Range } from 'vscode-languageserver';
import type { SourceLocation } from './core/catalog-snapshot';
import type { LineIndex } from './core/text';
import type { Reason, Severity, TextRange } from './core/types';

export const DIAGNOSTIC_SOURCE = 'pg-parallel-hints';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** The engine's severity (of a reason or an EXPLAIN finding) as the LSP's. */
export function toSeverity(severity: Severity): DiagnosticSeverity {
  return SEVERITY[severity];
}

/** The line index of a document or workspace file by URI; undefined when the server does not know it. */
export type LinesOf = (uri: string) => LineIndex | undefined;

/** Turns an engine location into an LSP one; undefined when its file is unknown. */
export type Locate = (location: SourceLocation) => Location | undefined;

export function toRange(lines: LineIndex, range: TextRange): Range {
  return { start: lines.positionAt(range.start), end: lines.positionAt(range.end) };
}

/** Locations in the document itself use its own lines; others are looked up (indexed workspace files). */
export function locator(selfUri: string, selfLines: LineIndex, linesOf: LinesOf): Locate {
  return (location) => {
    const lines = location.uri === selfUri ? selfLines : linesOf(location.uri);
    return lines ? { uri: location.uri, range: toRange(lines, location) } : undefined;
  };
}

/**
 * A reason as a diagnostic, made afresh to the last nested object and frozen throughout: it never
 * changes, so the transport sends the bytes it was first sent as (lsp-transport.ts).
 */
export function toDiagnostic(reason: Reason, lines: LineIndex, locate: Locate): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(lines, reason.range),
    severity: SEVERITY[reason.severity],
    code: reason.code,
    source: DIAGNOSTIC_SOURCE,
    message: reason.message,
  };
  const related = (reason.related ?? []).flatMap((r) => {
    const location = r.location ? locate(r.location) : undefined;
    return location ? [{ location, message: r.message }] : [];
  });
  if (related.length) diagnostic.relatedInformation = related;
  return deepFreeze(diagnostic);
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
    Object.freeze(value);
  }
  return value;
}

/**
 * The same diagnostics in the same order. Those of statements an edit did not touch are the very
 * objects of the last report (DocumentAnalyzer.convertReasons keeps them), so only the touched
 * statements' are compared field by field, and the first difference ends the comparison. (Node's
 * isDeepStrictEqual took 11 ms for the 3,302 diagnostics of the 1 MB benchmark file made afresh,
 * as after a change of catalog; these comparisons 0.6-2 ms.)
 */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameDiagnostic(a[i], b[i])) return false;
  return true;
}

/** Every field toDiagnostic sets (the tests change each one and expect a difference). */
function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return (
    sameRange(a.range, b.range) &&
    a.severity === b.severity &&
    a.code === b.code &&
    a.source === b.source &&
    a.message === b.message &&
    sameRelated(a.relatedInformation, b.relatedInformation)
  );
}

function sameRelated(a: DiagnosticRelatedInformation[] | undefined, b: DiagnosticRelatedInformation[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].message !== b[i].message || a[i].location.uri !== b[i].location.uri || !sameRange(a[i].location.range, b[i].location.range)) return false;
  }
  return true;
}

function sameRange(a: Range, b: Range): boolean {
  return samePosition(a.start, b.start) && samePosition(a.end, b.end);
}

function samePosition(a: Position, b: Position): boolean {
  return a.line === b.line && a.character === b.character;
}
