/**
 * A whole document: split into statements, each analysed against the catalog as it stands after the
 * statements before it. Results are cached by statement text and catalog version, so an edit
 * re-analyses only the statements it touched (and, after a changed definition, those that follow).
 */
import { Catalog } from './catalog';
import { analyzeStatement } from './analyze';
import { splitStatements } from './split';
import type { Reason, Reference, StatementResult, TextRange } from './types';

export interface DocumentAnalysis {
  statements: StatementResult[];
  /** The catalog after the document's own DDL (what another file analysed after this one sees). */
  catalogAfter: Catalog;
}

function shiftRange(r: TextRange, by: number): TextRange {
  return { start: r.start + by, end: r.end + by };
}

function shiftResult(result: StatementResult, by: number): StatementResult {
  if (by === 0) return result;
  const shiftReason = (reason: Reason): Reason => ({
    ...reason,
    range: shiftRange(reason.range, by),
    ...(reason.fixes ? { fixes: reason.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: shiftRange(e.range, by) })) })) } : {}),
  });
  const shiftReference = (ref: Reference): Reference => ({ ...ref, range: shiftRange(ref.range, by) });
  return {
    ...result,
    range: shiftRange(result.range, by),
    reasons: result.reasons.map(shiftReason),
    references: result.references.map(shiftReference),
  };
}

interface CacheEntry {
  /** Relative to the statement's start. */
  result: StatementResult;
  /** Catalog version after the statement ran (DDL changes it). */
  versionAfter: string;
}

/**
 * Analyses one document again and again as it changes. Keep one per open document: the cache holds
 * only the statements of the last pass, so memory follows the document's size.
 */
export class DocumentAnalyzer {
  /** catalog version -> statement text -> result; two levels, so no key is ever concatenated. */
  private cache = new Map<string, Map<string, CacheEntry>>();
  /** Statements re-analysed by the last pass (the rest came from the cache); for tests and benchmarks. */
  lastAnalyzed = 0;

  constructor(readonly uri: string) {}

  analyze(text: string, base: Catalog): DocumentAnalysis {
    const catalog = base.derive();
    const next = new Map<string, Map<string, CacheEntry>>();
    const statements: StatementResult[] = [];
    this.lastAnalyzed = 0;
    for (const slice of splitStatements(text)) {
      const sql = text.slice(slice.start, slice.end);
      if (slice.kind === 'psql-meta') {
        statements.push({ range: { start: slice.start, end: slice.end }, kind: 'psql-meta', verdict: 'none', reasons: [], references: [], parsed: true });
        continue;
      }
      const versionBefore = catalog.version;
      let entry = this.cache.get(versionBefore)?.get(sql) ?? next.get(versionBefore)?.get(sql);
      // A statement that changed the catalog (DDL) runs again on every pass: the catalog is rebuilt
      // each pass, and its definitions record where they are in the document.
      if (!entry || entry.versionAfter !== versionBefore) {
        this.lastAnalyzed++;
        const result = analyzeStatement(sql, { catalog, uri: this.uri, documentOffset: slice.start });
        entry = { result, versionAfter: catalog.version };
      }
      let bucket = next.get(versionBefore);
      if (!bucket) next.set(versionBefore, (bucket = new Map()));
      bucket.set(sql, entry);
      statements.push(shiftResult(entry.result, slice.start));
    }
    this.cache = next;
    return { statements, catalogAfter: catalog };
  }
}

/** One-shot analysis (the CLI and tests). */
export function analyzeDocument(text: string, base: Catalog, uri = 'untitled:sql'): DocumentAnalysis {
  return new DocumentAnalyzer(uri).analyze(text, base);
}
