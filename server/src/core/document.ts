/**
 * A whole document: split into statements, each analysed against the catalog as it stands after the
 * statements before it. Results are cached by statement text and by the chain of catalog-changing
 * statements before it, so an edit re-analyses only the statements it touched (and, after a changed
 * definition, those that follow).
 */
import { Catalog, CatalogChange, simpleHash } from './catalog';
import type { CatalogFunction, CatalogRelation, SourceLocation } from './catalog-snapshot';
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

/** Every place in a result that points into a document: definitions of what it uses, related places. */
function forEachLocation(result: StatementResult, visit: (location: SourceLocation) => void): void {
  for (const reason of result.reasons) for (const related of reason.related ?? []) if (related.location) visit(related.location);
  for (const ref of result.references) {
    for (const fn of ref.functions) if (fn.definedAt) visit(fn.definedAt);
    if (ref.relation?.definedAt) visit(ref.relation.definedAt);
  }
}

/**
 * How offsets of the last pass's text map into this pass's: the text changed only between a common
 * prefix and a common suffix. Offsets inside the changed middle have no counterpart (undefined).
 */
class TextChange {
  readonly prefix: number;
  readonly oldSuffixStart: number;
  readonly delta: number;

  constructor(before: string, after: string) {
    const limit = Math.min(before.length, after.length);
    // Whole chunks first (string equality compares memory), then character by character.
    const chunk = 4096;
    let prefix = 0;
    while (prefix + chunk <= limit && before.slice(prefix, prefix + chunk) === after.slice(prefix, prefix + chunk)) prefix += chunk;
    while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix + chunk <= limit - prefix && before.slice(before.length - suffix - chunk, before.length - suffix) === after.slice(after.length - suffix - chunk, after.length - suffix)) suffix += chunk;
    while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
    this.prefix = prefix;
    this.oldSuffixStart = before.length - suffix;
    this.delta = after.length - before.length;
  }

  /** True when nothing at or after `end` (exclusive end of a range) changed place. */
  keeps(end: number): boolean {
    return end <= this.prefix;
  }

  map(location: SourceLocation): SourceLocation | undefined {
    const { start, end } = location;
    const newStart = start < this.prefix ? start : start >= this.oldSuffixStart ? start + this.delta : undefined;
    const newEnd = end <= this.prefix ? end : end >= this.oldSuffixStart ? end + this.delta : undefined;
    if (newStart === undefined || newEnd === undefined) return undefined;
    return { ...location, start: newStart, end: newEnd };
  }
}

interface CacheEntry {
  /** Ranges relative to the statement's start; locations in this document as of the last pass's text. */
  result: StatementResult;
  /** Where the statement started in the last pass's text. */
  start: number;
  /** The statement changed the catalog (DDL); the changes, to replay them on the next pass. */
  changesCatalog: boolean;
  changes: CatalogChange[];
  /** Chain key after the statement. */
  chainAfter: string;
  /** Furthest end of a location in this document that the result or the changes hold, -1 if none. */
  localReach: number;
  /** The result shifted to the start it had in the last pass, reused while the statement stays put. */
  placed?: StatementResult;
}

function isLocation(value: object): value is SourceLocation {
  const v = value as Partial<SourceLocation>;
  return typeof v.uri === 'string' && typeof v.start === 'number' && typeof v.end === 'number';
}

/**
 * Analyses one document again and again as it changes. Keep one per open document: the cache holds
 * only the statements of the last pass, so memory follows the document's size.
 *
 * Cache keys do not contain offsets: a statement's result depends on its text and on the catalog,
 * which is the base catalog changed by the texts of the document's DDL before it (the chain key).
 * Where the document's own definitions moved, the locations a cached result points to are moved too.
 */
export class DocumentAnalyzer {
  /** chain key -> statement text -> entry; two levels, so no key is ever concatenated. */
  private cache = new Map<string, Map<string, CacheEntry>>();
  private lastText = '';
  /** Statements re-analysed by the last pass (the rest came from the cache); for tests and benchmarks. */
  lastAnalyzed = 0;

  constructor(readonly uri: string) {}

  analyze(text: string, base: Catalog): DocumentAnalysis {
    const catalog = base.derive();
    const next = new Map<string, Map<string, CacheEntry>>();
    const statements: StatementResult[] = [];
    const change = this.cache.size > 0 && this.lastText !== text ? new TextChange(this.lastText, text) : undefined;
    let chain = base.version;
    // Recorded changes replay only onto the catalog they were recorded on: once a change is made
    // afresh (new oids), the ones after it are made afresh too.
    let replayable = true;
    this.lastAnalyzed = 0;
    for (const slice of splitStatements(text)) {
      const sql = text.slice(slice.start, slice.end);
      if (slice.kind === 'psql-meta') {
        statements.push({ range: { start: slice.start, end: slice.end }, kind: 'psql-meta', verdict: 'none', reasons: [], references: [], parsed: true });
        continue;
      }
      // Entries of this pass (the same text seen earlier) are current; the last pass's may need moving.
      let entry = next.get(chain)?.get(sql);
      if (!entry) {
        entry = this.cache.get(chain)?.get(sql);
        if (entry && change && entry.localReach >= 0 && !change.keeps(entry.localReach)) entry = this.relocated(entry, change, slice.start);
      }
      if (entry?.changesCatalog && !replayable) entry = undefined;
      if (entry) {
        for (const recorded of entry.changes) catalog.replay(recorded);
      } else {
        this.lastAnalyzed++;
        const versionBefore = catalog.version;
        const changes: CatalogChange[] = [];
        catalog.changeLog = changes;
        let result: StatementResult;
        try {
          result = analyzeStatement(sql, { catalog, uri: this.uri, documentOffset: slice.start });
        } finally {
          catalog.changeLog = undefined;
        }
        const changesCatalog = catalog.version !== versionBefore;
        if (changesCatalog) replayable = false;
        entry = {
          result,
          start: slice.start,
          changesCatalog,
          changes: changesCatalog ? changes : [],
          chainAfter: changesCatalog ? simpleHash(`${chain}\u0000${sql}`) : chain,
          localReach: -1,
        };
        entry.localReach = this.localReach(entry);
      }
      let bucket = next.get(chain);
      if (!bucket) next.set(chain, (bucket = new Map()));
      bucket.set(sql, entry);
      if (entry.placed?.range.start !== slice.start) entry.placed = shiftResult(entry.result, slice.start);
      entry.start = slice.start;
      statements.push(entry.placed);
      chain = entry.chainAfter;
    }
    this.cache = next;
    this.lastText = text;
    return { statements, catalogAfter: catalog };
  }

  private localReach(entry: Pick<CacheEntry, 'result' | 'changes'>): number {
    let reach = -1;
    const visit = (location: SourceLocation) => {
      if (location.uri === this.uri && location.end > reach) reach = location.end;
    };
    forEachLocation(entry.result, visit);
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') {
        if (isLocation(value)) visit(value);
        else for (const v of Object.values(value)) walk(v);
      }
    };
    for (const recorded of entry.changes) walk(recorded.args);
    return reach;
  }

  /**
   * The entry with its locations in this document moved as the text moved (the statement now starts
   * at `start`); none when a location fell inside the changed text.
   */
  private relocated(entry: CacheEntry, change: TextChange, start: number): CacheEntry | undefined {
    let lost = false;
    const moved = (location: SourceLocation | undefined): SourceLocation | undefined => {
      if (!location || location.uri !== this.uri) return location;
      const mapped = change.map(location);
      if (!mapped) lost = true;
      return mapped;
    };
    const movedFunction = (fn: CatalogFunction): CatalogFunction => (fn.definedAt?.uri === this.uri ? { ...fn, definedAt: moved(fn.definedAt) } : fn);
    const movedRelation = (rel: CatalogRelation): CatalogRelation => (rel.definedAt?.uri === this.uri ? { ...rel, definedAt: moved(rel.definedAt) } : rel);
    const result: StatementResult = {
      ...entry.result,
      reasons: entry.result.reasons.map((reason) => (reason.related ? { ...reason, related: reason.related.map((r) => ({ ...r, location: moved(r.location) })) } : reason)),
      references: entry.result.references.map((ref) => ({ ...ref, functions: ref.functions.map(movedFunction), ...(ref.relation ? { relation: movedRelation(ref.relation) } : {}) })),
    };
    // The catalog's version key names where a definition is (ddl.ts: "uri@start:text").
    const oldWhere = `${this.uri}@${entry.start}:`;
    const newWhere = `${this.uri}@${start}:`;
    const deep = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(deep);
      if (typeof value === 'string') return value.startsWith(oldWhere) ? newWhere + value.slice(oldWhere.length) : value;
      if (!value || typeof value !== 'object') return value;
      if (isLocation(value)) return moved(value);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = deep(v);
      return out;
    };
    const changes = entry.changes.map((recorded) => ({ method: recorded.method, args: deep(recorded.args) }) as CatalogChange);
    if (lost) return undefined;
    const relocated: CacheEntry = { ...entry, result, changes, placed: undefined };
    relocated.localReach = this.localReach(relocated);
    return relocated;
  }
}

/** One-shot analysis (the CLI and tests). */
export function analyzeDocument(text: string, base: Catalog, uri = 'untitled:sql'): DocumentAnalysis {
  return new DocumentAnalyzer(uri).analyze(text, base);
}
