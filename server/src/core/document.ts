/**
 * A whole document: split into statements, each analysed against the catalog as it stands after the
 * statements before it. Results are cached by statement text and by the chain of catalog-changing
 * statements before it, so an edit re-analyses only the statements it touched (and, after a changed
 * definition, those that follow).
 */
import { Catalog, CatalogChange, CatalogNames, Differences, LookedUp, readsNothingIn, simpleHash, StatementLookups, widenBy } from './catalog';
import type { CatalogFunction, CatalogRelation, SourceLocation } from './catalog-snapshot';
import { analyzeStatement, StatementContext } from './analyze';
import { kept, NONE } from './lists';
import { lastStartingBefore, splitEdited, splitStatements, StatementSlice } from './split';
import { commonEnds, LineIndex } from './text';
import type { Reason, Reference, StatementOutline, StatementResult, TextRange } from './types';

export interface DocumentAnalysis {
  /**
   * Every statement's result, ranges in the document. Built on first use: after an edit, moving the
   * results of every statement after it is the largest cost left, and the language server's
   * diagnostics (DocumentAnalyzer.convertReasons) do not need them.
   */
  readonly statements: StatementResult[];
  /**
   * The statements whose range touches [from, to] (both ends included), placed in the document:
   * what a hover, a definition or the quick fixes of a range need, without placing the thousands of
   * others that an edit moved.
   */
  statementsTouching(from: number, to: number): StatementResult[];
  /** Every statement's range, kind and whether it parsed (code lenses, finding a statement by its text); made on first use. */
  readonly outline: StatementOutline[];
  readonly statementCount: number;
  /** The catalog after the document's own DDL (what another file analysed after this one sees); made on first use too. */
  readonly catalogAfter: Catalog;
}

function shiftRange(r: TextRange, by: number): TextRange {
  return { start: r.start + by, end: r.end + by };
}

function shiftReason(reason: Reason, by: number): Reason {
  const moved: Reason = { ...reason, range: shiftRange(reason.range, by) };
  if (reason.fixes) moved.fixes = reason.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: shiftRange(e.range, by) })) }));
  return moved;
}

function shiftResult(result: StatementResult, by: number): StatementResult {
  if (by === 0) return result;
  const reasons = result.reasons.length === 0 ? NONE : new Array<Reason>(result.reasons.length);
  for (let i = 0; i < reasons.length; i++) reasons[i] = shiftReason(result.reasons[i], by);
  const references = result.references.length === 0 ? NONE : new Array<Reference>(result.references.length);
  for (let i = 0; i < references.length; i++) {
    const ref = result.references[i];
    references[i] = { ...ref, range: shiftRange(ref.range, by) };
  }
  return { ...result, range: shiftRange(result.range, by), reasons, references };
}

/** Every place in a result that points into a document: definitions of what it uses, related places. */
function forEachLocation(result: StatementResult, visit: (location: SourceLocation) => void): void {
  for (const reason of result.reasons) for (const related of reason.related ?? []) if (related.location) visit(related.location);
  for (const ref of result.references) {
    for (const fn of ref.functions) if (fn.definedAt) visit(fn.definedAt);
    if (ref.relation?.definedAt) visit(ref.relation.definedAt);
    if (ref.definedAt) visit(ref.definedAt);
  }
}

/**
 * Where a location in the last pass's text is in this pass's, by the statement that holds it (a
 * location never leaves its statement): a statement before the re-split ones stays, one after them
 * moves by the edit's length change, a re-split one moves to where its entry was reused (same text,
 * same chain) and is lost (undefined) otherwise. The common prefix and suffix of the two texts are
 * not enough: a statement whose text is in them may now be split otherwise, or the same text be a
 * statement elsewhere (a definition X, "CREATE ...", edited into "CX;\n" + X: the common prefix
 * "C" and the empty common suffix took X's old place to the whole new text, not to X in it).
 */
class StatementMoves {
  /**
   * A location ending here or before stays: the end of the statements kept before the re-split
   * ones (-1 if none), then of the re-split ones after them whose entry is reused where it was.
   */
  unmovedEnd: number;
  /** Statements of the last pass before this index stay where they were. */
  private unmovedCount: number;
  /** Start of the first statement kept after them (Infinity if none): a location from there on moves by delta. */
  readonly resumedFrom: number;
  /** Re-split statements (index in the last pass) whose entry serves the statement now starting at the value. */
  private readonly reused = new Map<number, number>();

  constructor(
    private readonly previous: readonly Slot[],
    private readonly keptBefore: number,
    private readonly resumedOld: number,
    private readonly delta: number,
  ) {
    this.unmovedEnd = keptBefore > 0 ? previous[keptBefore - 1].end : -1;
    this.unmovedCount = keptBefore;
    this.resumedFrom = resumedOld < previous.length ? previous[resumedOld].start : Infinity;
  }

  /** The entry of re-split statement `index` serves the statement now at `start`. */
  reuse(index: number, start: number): void {
    this.reused.set(index, start);
    // The user types after a definition: it is split again and stays, and so do the places of it
    // that the statements after it hold (not worth copying them on every key).
    while (this.unmovedCount < this.resumedOld) {
      const slot = this.previous[this.unmovedCount];
      if (slot.kind === 'sql' && this.reused.get(this.unmovedCount) !== slot.start) break;
      this.unmovedEnd = slot.end;
      this.unmovedCount++;
    }
  }

  map(location: SourceLocation): SourceLocation | undefined {
    // The statement holding it: the last one starting at or before it.
    const index = lastStartingBefore(this.previous, location.start + 1);
    if (index < 0 || location.end > this.previous[index].end) return undefined;
    let by: number;
    if (index < this.keptBefore) by = 0;
    else if (index >= this.resumedOld) by = this.delta;
    else {
      const to = this.reused.get(index);
      if (to === undefined) return undefined;
      by = to - this.previous[index].start;
    }
    return by === 0 ? location : { ...location, start: location.start + by, end: location.end + by };
  }
}

interface CacheEntry {
  /** Ranges relative to the statement's start; locations in this document as of the pass that stored it. */
  result: StatementResult;
  /** Where the statement started when its changes were recorded (their "why" names the place). */
  start: number;
  /** The statement changed the catalog (DDL); the changes, to replay them on the next pass. */
  changesCatalog: boolean;
  changes: CatalogChange[];
  /** Chain keys before and after the statement. */
  chainBefore: string;
  chainAfter: string;
  /**
   * The functions and relations the statement looked up, recorded when the base catalog is a derived
   * one (a folder's definitions, which change while the document is open): when the base changes,
   * the entry serves if none of them is defined differently.
   */
  dependencies?: LookedUp;
  /**
   * Nearest start and furthest end of a location in this document that the result or the changes
   * hold, the statement's start included when it has changes (their "why"); -1, -1 if none.
   */
  localFrom: number;
  localReach: number;
  /** A reason's related information points into this document (its converted form moves with the text). */
  reasonsPointHere: boolean;
}

/** Reasons converted by DocumentAnalyzer.convertReasons, valid while the statement's entry and start position stay. */
interface Converted {
  line: number;
  character: number;
  items: unknown[];
}

/** One statement of a pass: its slice, its cache entry (none for psql meta-commands), its result in place once built. */
interface Slot extends StatementSlice {
  entry?: CacheEntry;
  /**
   * The entry's locations in this document lag the text by this much: text that only moved (after
   * an edit) moves them by a number here, and the entry is copied with them moved when it is needed.
   */
  shift: number;
  placed?: StatementResult;
  converted?: Converted;
}

/** The chain key after a statement that changes the catalog: the key before it and the statement's text. */
function chainAfter(chainBefore: string, textKey: string): string {
  return simpleHash(`${chainBefore}\u0000${textKey}`);
}

/** Where a catalog object a change defines (a function, relation, operator, cast, type) was defined, if in a file. */
function definedAtOf(arg: unknown): SourceLocation | undefined {
  return arg && typeof arg === 'object' && !Array.isArray(arg) ? (arg as { definedAt?: SourceLocation }).definedAt : undefined;
}

function metaResult(slice: StatementSlice): StatementResult {
  return { range: { start: slice.start, end: slice.end }, kind: 'psql-meta', verdict: 'none', reasons: NONE, references: NONE, parsed: true };
}

/** Where offsets of the last pass's text are in this pass's; undefined for one inside the changed text. */
interface OffsetMap {
  map(location: SourceLocation): SourceLocation | undefined;
}

function shiftMap(by: number): OffsetMap {
  return { map: (location) => ({ ...location, start: location.start + by, end: location.end + by }) };
}

/** The catalog after the first statements of a pass (their entries, replayed onto the base), to start the next pass from. */
interface Checkpoint {
  /** The base it was made from: the same object, since a derived base made again keeps its version but not its oids. */
  base: Catalog;
  entries: CacheEntry[];
  catalog: Catalog;
}

/**
 * Analyses one document again and again as it changes. Keep one per open document: the cache holds
 * only the statements of the last pass, so memory follows the document's size.
 *
 * A statement's result depends on its text and on the catalog, which is the base catalog changed by
 * the texts of the document's DDL before it (the chain key). An edit changes the text between a
 * common prefix and suffix: the statements before it keep their entries as they are, the text
 * around it is split again only until the splitter meets a statement start it found last time, and
 * the statements after it keep their entries (moved) while their chain key is unchanged. The work
 * left per edit is kept small: locations in moved text are moved by a number until someone reads
 * them, recorded catalog changes are replayed only when a statement is analysed after them (or the
 * catalog after the document is asked for), starting from the catalog of the last pass where the
 * statements before are the same, and results are placed in the document only when read.
 */
export class DocumentAnalyzer {
  private slots: Slot[] = [];
  private lastText = '';
  private lastBase?: string;
  /** Where a statement's lookups are recorded while it is analysed (CacheEntry.dependencies keeps them as lists). */
  private readonly lookups = new StatementLookups();
  /** The last pass's base when it is a derived one: the same base only if the same object, and what a new one is compared with. */
  private lastBaseCatalog?: Catalog;
  private checkpoint?: Checkpoint;
  /** Statements re-analysed by the last pass (the rest came from the cache); for tests and benchmarks. */
  lastAnalyzed = 0;

  /**
   * `followCatalogChanges`: the document stays open while the catalog it is analysed against changes
   * (a language server's document in a folder), so each statement's lookups are recorded (a few
   * percent of a first analysis) to keep the statements that read nothing a new catalog changed.
   */
  constructor(
    readonly uri: string,
    private readonly options: { followCatalogChanges?: boolean } = {},
  ) {}

  /**
   * An analysis a step at a time: after each statement the generator asks `stepDone()` and, if true,
   * stops, yielding where that statement ends; it returns what analyze() would. For a large document,
   * with other work done between the steps (a language server answers other requests; its
   * stepDone() looks at the clock); nothing else may use the analyzer until the generator is done.
   * After a pass against the same base (a fork's), the statements of that pass serve as in analyze();
   * against another base it starts from scratch.
   */
  *analyzeInSteps(text: string, base: Catalog, stepDone: () => boolean): Generator<number, DocumentAnalysis> {
    const sameBase = this.lastBase !== undefined && this.isSameBase(base);
    if (!sameBase) this.forget();
    return yield* this.passInSteps(text, base, sameBase, undefined, stepDone);
  }

  /**
   * A copy that starts where this analyzer's last pass ended, for a pass in steps beside it (after a
   * paste into a large document): the steps reuse what that pass found. Both hold the last pass's
   * slots; what is later written into one (its result placed, its reasons converted, its locations
   * moved once) means the same to both. This analyzer may take edits meanwhile, but not a new base
   * that it rebases onto (rekeyed() changes shared entries in place); the language server analyses
   * nothing of the document while the steps run anyway.
   */
  fork(): DocumentAnalyzer {
    const copy = new DocumentAnalyzer(this.uri, this.options);
    copy.slots = this.slots;
    copy.lastText = this.lastText;
    copy.lastBase = this.lastBase;
    copy.lastBaseCatalog = this.lastBaseCatalog;
    copy.checkpoint = this.checkpoint;
    return copy;
  }

  private forget(): void {
    this.slots = [];
    this.lastText = '';
    this.lastBase = undefined;
    this.lastBaseCatalog = undefined;
    this.checkpoint = undefined;
  }

  /**
   * Whether analyze() against `base` would analyse every statement again, whatever the text: nothing
   * analysed yet, or a new base that is not known to differ only in some definitions.
   */
  analysesEverythingAgainst(base: Catalog): boolean {
    return this.lastBase === undefined || (!this.isSameBase(base) && this.rebaseOnto(base) === undefined);
  }

  /**
   * How far `text` reaches beyond the last pass's, from the start and end the two share (one look at
   * both texts): `newChars`, the text between them (all of it before the first pass; a paste over a
   * selection counts what it put there, whether or not the document grew), and `resplit()`, the
   * statements a pass would split again (asked only if wanted: a split of what was pasted): the few
   * around an edit, or every one after it when the edit ends a comment, quote or dollar quote that
   * had held the rest of the document.
   */
  editReach(text: string): { newChars: number; resplit: () => number } {
    if (this.lastText === text) return { newChars: 0, resplit: () => 0 };
    const { prefix, suffix } = commonEnds(this.lastText, text);
    const resplit = () =>
      this.lastBase === undefined ? 0 : splitEdited(this.slots, text, prefix, this.lastText.length - suffix, text.length - this.lastText.length).middle.length;
    return { newChars: text.length - prefix - suffix, resplit };
  }

  analyze(text: string, base: Catalog): DocumentAnalysis {
    const sameBase = this.isSameBase(base);
    const rebase = sameBase ? undefined : this.rebaseOnto(base);
    if (!rebase || this.lastText === text) return this.pass(text, base, sameBase, rebase);
    // The text changed too: the last text moves onto the new base first, then the edit applies as usual.
    this.pass(this.lastText, base, false, rebase);
    const rebased = this.lastAnalyzed;
    const analysis = this.pass(text, base, true);
    this.lastAnalyzed += rebased;
    return analysis;
  }

  /**
   * The base of the last pass again. A derived base (a folder's definitions) must be the same object
   * too: a file analysed again gives its objects new oids under the same version, and a recorded
   * change naming one by oid (a DROP) must not be replayed where it has another.
   */
  private isSameBase(base: Catalog): boolean {
    return this.lastBase === base.version && (!base.derived || this.lastBaseCatalog === base);
  }

  /**
   * For a new base that defines only some functions and relations differently from the last (a
   * folder's catalog after another file's DDL changed): those differences; the statements that read
   * none of them keep their entries. Undefined when there was no pass or the bases are unrelated.
   */
  private rebaseOnto(base: Catalog): Differences | undefined {
    if (this.lastBase === undefined || !this.lastBaseCatalog || !this.options.followCatalogChanges) return undefined;
    const differences = base.differencesFrom(this.lastBaseCatalog);
    return differences === 'everything' ? undefined : differences;
  }

  /** One pass (passInSteps) run to its end. */
  private pass(text: string, base: Catalog, sameBase: boolean, rebase?: Differences): DocumentAnalysis {
    return completed(this.passInSteps(text, base, sameBase, rebase));
  }

  /**
   * One pass over `text`. `rebase`, only for the text of the last pass and a new base: what the base
   * defines differently; statements that read none of it keep their entries, and what a statement
   * analysed again defines differently is added as the pass goes. With `stepDone`, it stops as
   * analyzeInSteps says; the analyzer's slots and text are replaced only once it is done.
   */
  private *passInSteps(text: string, base: Catalog, sameBase: boolean, rebase?: Differences, stepDone?: () => boolean): Generator<number, DocumentAnalysis> {
    const previous = this.slots;
    const hadPass = this.lastBase !== undefined;
    const changed = hadPass && this.lastText !== text;

    // The new slots: the old ones before the edit, the re-split ones, the old ones after it, moved.
    let middle: StatementSlice[];
    let keptBefore = 0;
    let resumedOld = 0;
    let delta = 0;
    let moves: StatementMoves | undefined;
    let byText: Map<string, { entry: CacheEntry; index: number }[]> | undefined;
    if (!hadPass) {
      middle = splitStatements(text);
      resumedOld = previous.length;
    } else if (!changed) {
      middle = [];
    } else {
      const { prefix, suffix } = commonEnds(this.lastText, text);
      delta = text.length - this.lastText.length;
      const split = splitEdited(previous, text, prefix, this.lastText.length - suffix, delta);
      ({ middle, keptBefore, resumedOld } = split);
      moves = new StatementMoves(previous, keptBefore, resumedOld, delta);
      if (sameBase) {
        // The statements that were split again: an entry of theirs may serve a re-split statement with the same text.
        byText = new Map();
        for (let i = keptBefore; i < resumedOld; i++) {
          const slot = previous[i];
          if (!slot.entry) continue;
          const sql = this.lastText.slice(slot.start, slot.end);
          const list = byText.get(sql);
          const candidate = { entry: this.settled(slot), index: i };
          if (list) list.push(candidate);
          else byText.set(sql, [candidate]);
        }
      }
    }
    const count = keptBefore + middle.length + (previous.length - resumedOld);
    const slots: Slot[] = new Array(count);

    let catalog = base.derive();
    let catalogTouched = false;
    const replayed: CacheEntry[] = [];
    const pending: Slot[] = [];
    // Recorded changes are replayed just before a statement is analysed, and for the catalog after
    // the document when it is asked for; a pass that analyses nothing after them replays nothing.
    const flush = () => {
      if (pending.length === 0) return;
      let from = 0;
      const checkpoint = this.checkpoint;
      if (!catalogTouched && checkpoint && checkpoint.base === base && checkpoint.entries.length <= pending.length) {
        while (from < checkpoint.entries.length && pending[from].shift === 0 && pending[from].entry === checkpoint.entries[from]) from++;
        if (from === checkpoint.entries.length) {
          catalog = checkpoint.catalog.derive();
          for (let k = 0; k < from; k++) replayed.push(checkpoint.entries[k]);
        } else from = 0;
      }
      for (let k = from; k < pending.length; k++) {
        const entry = this.settled(pending[k]);
        for (const recorded of entry.changes) catalog.replay(recorded);
        replayed.push(entry);
      }
      pending.length = 0;
      catalogTouched = true;
    };

    let chain = base.version;
    let replayable = true;
    let freshSeen = false;
    this.lastAnalyzed = 0;
    for (let i = 0; i < count; i++) {
      // Where the statement is now: no object made for it until its slot (thousands move on each key).
      let old: Slot | undefined;
      let start: number;
      let end: number;
      let kind: StatementSlice['kind'];
      if (i < keptBefore + middle.length && i >= keptBefore) {
        ({ start, end, kind } = middle[i - keptBefore]);
      } else {
        old = i < keptBefore ? previous[i] : previous[i - keptBefore - middle.length + resumedOld];
        const by = i < keptBefore ? 0 : delta;
        start = old.start + by;
        end = old.end + by;
        kind = old.kind;
      }
      if (!sameBase && !rebase) old = undefined;
      if (kind === 'psql-meta') {
        slots[i] = { start, end, kind, entry: undefined, shift: 0, placed: old?.placed?.range.start === start ? old.placed : undefined, converted: undefined };
        continue;
      }
      let entry: CacheEntry | undefined;
      let shift = 0;
      let sql: string | undefined;
      let reused = false;
      if (rebase) {
        if (old?.entry && readsNothingIn(old.entry.dependencies, rebase)) {
          entry = this.rekeyed(old.entry, chain, text, start, end);
          shift = old.shift;
        }
      } else if (old) {
        if (old.entry?.chainBefore === chain) {
          entry = old.entry;
          shift = old.shift;
        }
      } else if (byText) {
        sql = text.slice(start, end);
        const candidates = byText.get(sql);
        const found = candidates ? candidates.findIndex((candidate) => candidate.entry.chainBefore === chain) : -1;
        if (found >= 0) {
          // Each old statement serves one new one: where its locations went is then known.
          const [candidate] = candidates!.splice(found, 1);
          entry = candidate.entry;
          reused = true;
          moves!.reuse(candidate.index, start);
        }
      }
      if (entry && moves && entry.localReach >= 0 && entry.localReach + shift > moves.unmovedEnd) {
        // Locations in statements that only moved move by a number; any other location, now.
        if (!reused && entry.localFrom + shift >= moves.resumedFrom) shift += delta;
        else {
          if (shift !== 0) entry = this.relocated(entry, shiftMap(shift), entry.start + shift);
          entry = entry && this.relocated(entry, moves, start);
          shift = 0;
        }
      }
      if (entry?.changesCatalog && !replayable) entry = undefined;
      const same = old !== undefined && old.entry === entry && old.shift === shift;
      // A statement that did not move keeps its slot: in a large document, those before the edit are
      // most of them, and each keystroke would otherwise leave thousands of copies to collect. Every
      // new slot has every field, so the loops over them meet one object shape.
      const kept = same && entry !== undefined && old!.start === start && old!.end === end;
      const slot: Slot = kept ? old! : { start, end, kind, entry, shift, placed: undefined, converted: undefined };
      if (entry) {
        if (!kept && same && old!.placed?.range.start === start) slot.placed = old!.placed;
        if (!kept && old?.entry === entry && (old.shift === shift || !entry.reasonsPointHere)) slot.converted = old.converted;
        if (entry.changes.length > 0) pending.push(slot);
      } else {
        flush();
        if (!freshSeen && hadPass) {
          freshSeen = true;
          // The catalog here is where the next pass most likely starts again (the user types on).
          // Not on a first pass: a one-shot analysis (a workspace file's DDL) would pay for a copy
          // of the catalog it never uses.
          this.checkpoint = { base, entries: replayed.slice(), catalog: catalog.derive() };
        }
        catalogTouched = true;
        sql ??= text.slice(start, end);
        entry = slot.entry = this.analyzeAfresh(sql, start, chain, catalog, this.options.followCatalogChanges === true && base.derived);
        replayed.push(entry);
        if (entry.changesCatalog) replayable = false;
        // What it defined before and defines now differs for the statements after it.
        if (rebase) rebase = widenBy(widenBy(rebase, old?.entry?.changes ?? NONE), entry.changes);
      }
      slots[i] = slot;
      chain = entry.chainAfter;
      if (stepDone?.()) yield end;
    }
    this.slots = slots;
    this.lastText = text;
    this.lastBase = base.version;
    this.lastBaseCatalog = base.derived ? base : undefined;
    let statements: StatementResult[] | undefined;
    let outline: StatementOutline[] | undefined;
    const place = (slot: Slot) => this.placedResult(slot);
    return {
      get statements() {
        return (statements ??= slots.map(place));
      },
      statementsTouching(from: number, to: number) {
        const touching: StatementResult[] = [];
        // Slots come in document order and do not overlap: the first one ending at or after `from`.
        let low = 0;
        let high = slots.length;
        while (low < high) {
          const mid = (low + high) >> 1;
          if (slots[mid].end < from) low = mid + 1;
          else high = mid;
        }
        for (let i = low; i < slots.length && slots[i].start <= to; i++) touching.push(statements ? statements[i] : place(slots[i]));
        return touching;
      },
      get outline() {
        return (outline ??= slots.map((slot) => {
          const result = slot.entry?.result;
          return { range: { start: slot.start, end: slot.end }, kind: result ? result.kind : 'psql-meta', parsed: result ? result.parsed : true, ...(result?.psqlVariables ? { psqlVariables: true } : {}) };
        }));
      },
      statementCount: count,
      get catalogAfter() {
        flush();
        return catalog;
      },
    };
  }

  /**
   * The reasons of every statement of the last pass, in document order, each converted once by
   * `convert` (e.g. to an editor's diagnostic), which must give the same item for the same reason
   * at the same place on every call: a statement whose cached result is the one of the last call
   * and whose start is at the same line and column keeps its converted reasons, so an edit converts
   * only the statements it touched (all after it when it adds or removes a line).
   */
  convertReasons<T>(lines: LineIndex, convert: (reason: Reason, statement: StatementResult) => T): T[] {
    const out: T[] = [];
    for (const slot of this.slots) {
      const entry = slot.entry;
      if (!entry || entry.result.reasons.length === 0) continue;
      const { line, character } = lines.positionAt(slot.start);
      let converted = slot.converted;
      if (!converted || converted.line !== line || converted.character !== character) {
        const placed = this.placedResult(slot);
        converted = slot.converted = { line, character, items: placed.reasons.map((reason) => convert(reason, placed)) };
      }
      for (const item of converted.items as T[]) out.push(item);
    }
    return out;
  }

  private placedResult(slot: Slot): StatementResult {
    if (!slot.placed) slot.placed = slot.entry ? shiftResult(this.settled(slot).result, slot.start) : metaResult(slot);
    return slot.placed;
  }

  /** The slot's entry with its locations where they are now (moved by the slot's shift, once). */
  private settled(slot: Slot): CacheEntry {
    if (slot.shift !== 0) {
      slot.entry = this.relocated(slot.entry!, shiftMap(slot.shift), slot.entry!.start + slot.shift);
      slot.shift = 0;
    }
    return slot.entry!;
  }

  private analyzeAfresh(sql: string, start: number, chain: string, catalog: Catalog, recordLookups: boolean): CacheEntry {
    this.lastAnalyzed++;
    const versionBefore = catalog.version;
    const changes: CatalogChange[] = [];
    let textKey: string | undefined;
    const keyOfText = () => (textKey ??= simpleHash(sql));
    const lookups = recordLookups ? this.lookups : undefined;
    lookups?.clear();
    catalog.dependencyLog = lookups;
    let result: StatementResult;
    try {
      result = analyzeRecordingChanges(sql, { catalog, uri: this.uri, documentOffset: start, textKey: keyOfText }, changes);
    } finally {
      catalog.dependencyLog = undefined;
    }
    const changesCatalog = catalog.version !== versionBefore;
    return this.withLocalPlaces({
      result,
      start,
      changesCatalog,
      changes: changesCatalog ? changes : NONE,
      chainBefore: chain,
      chainAfter: changesCatalog ? chainAfter(chain, keyOfText()) : chain,
      dependencies: lookups?.kept(),
      localFrom: -1,
      localReach: -1,
      reasonsPointHere: false,
    });
  }

  /**
   * The entry, kept across a change of base, keyed by the new chain. Changed in place: the old keys
   * named the old base, which no pass meets again, and the slot keeps its converted diagnostics.
   */
  private rekeyed(entry: CacheEntry, chain: string, text: string, start: number, end: number): CacheEntry {
    entry.chainBefore = chain;
    entry.chainAfter = entry.changesCatalog ? chainAfter(chain, simpleHash(text.slice(start, end))) : chain;
    return entry;
  }

  /** The entry with localFrom, localReach and reasonsPointHere computed. */
  private withLocalPlaces(entry: CacheEntry): CacheEntry {
    let from = Infinity;
    let reach = -1;
    const visit = (location: SourceLocation) => {
      if (location.uri !== this.uri) return;
      if (location.start < from) from = location.start;
      if (location.end > reach) reach = location.end;
    };
    entry.reasonsPointHere = entry.result.reasons.some((reason) => reason.related?.some((r) => r.location?.uri === this.uri));
    forEachLocation(entry.result, visit);
    // A change's places: the defined object's definedAt (see relocated).
    for (const recorded of entry.changes) {
      for (const arg of recorded.args) {
        const definedAt = definedAtOf(arg);
        if (definedAt) visit(definedAt);
      }
    }
    // Each change's "why" (the catalog's version key) names the statement's start: it moves with it.
    if (entry.changes.length > 0) visit({ uri: this.uri, start: entry.start, end: entry.start });
    entry.localFrom = reach < 0 ? -1 : from;
    entry.localReach = reach;
    return entry;
  }

  /**
   * The entry with its locations in this document moved as the text moved (the statement now starts
   * at `start`); none when a location fell inside the changed text.
   */
  private relocated(entry: CacheEntry, change: OffsetMap, start: number): CacheEntry | undefined {
    let lost = false;
    let anyMoved = start !== entry.start;
    const moved = (location: SourceLocation | undefined): SourceLocation | undefined => {
      if (!location || location.uri !== this.uri) return location;
      const mapped = change.map(location);
      if (!mapped) lost = true;
      else if (mapped.start !== location.start || mapped.end !== location.end) anyMoved = true;
      return mapped;
    };
    const movedFunction = (fn: CatalogFunction): CatalogFunction => (fn.definedAt?.uri === this.uri ? { ...fn, definedAt: moved(fn.definedAt) } : fn);
    const movedRelation = (rel: CatalogRelation): CatalogRelation => (rel.definedAt?.uri === this.uri ? { ...rel, definedAt: moved(rel.definedAt) } : rel);
    const result: StatementResult = {
      ...entry.result,
      // Kept as analyze.ts and the walker keep them (lists.ts): map makes lists of the exact length, but [] of their own.
      reasons: entry.result.reasons.length === 0 ? NONE : entry.result.reasons.map((reason) => (reason.related ? { ...reason, related: reason.related.map((r) => ({ ...r, location: moved(r.location) })) } : reason)),
      references: entry.result.references.length === 0 ? NONE : entry.result.references.map((ref) => ({
        ...ref,
        functions: kept(ref.functions.map(movedFunction)),
        ...(ref.relation ? { relation: movedRelation(ref.relation) } : {}),
        ...(ref.definedAt ? { definedAt: moved(ref.definedAt) } : {}),
      })),
    };
    // The catalog's version key names where a definition is (ddl.ts: "uri@start:hash of the text").
    const oldWhere = `${this.uri}@${entry.start}:`;
    const newWhere = `${this.uri}@${start}:`;
    // A change's arguments hold places only as its "why" and as the defined object's definedAt (the
    // catalog's objects have no other SourceLocation: catalog-snapshot.ts): the rest is shared.
    const movedArg = (arg: unknown): unknown => {
      if (typeof arg === 'string') return arg.startsWith(oldWhere) ? newWhere + arg.slice(oldWhere.length) : arg;
      const definedAt = definedAtOf(arg);
      return definedAt?.uri === this.uri ? { ...(arg as object), definedAt: moved(definedAt) } : arg;
    };
    const changes = entry.changes.map((recorded) => ({ method: recorded.method, args: recorded.args.map(movedArg) }) as CatalogChange);
    if (lost) return undefined;
    // The same entry when nothing moved: the catalog checkpoint recognises its entries by identity.
    if (!anyMoved) return entry;
    return this.withLocalPlaces({ ...entry, result, changes, start });
  }
}

/** One-shot analysis (the CLI and tests). */
export function analyzeDocument(text: string, base: Catalog, uri = 'untitled:sql'): DocumentAnalysis {
  return new DocumentAnalyzer(uri).analyze(text, base);
}

/**
 * Applies the statements of `text` to `catalog` in place, in order, as a first pass of
 * analyzeDocument would, but without copying the catalog first or keeping results: many files'
 * DDL applied in turn to one derived catalog costs their size, not their size times the catalog's.
 * The catalog must be mutable (made by derive()). Returns the changes made, which replayed on a
 * catalog equal to the one given make it equal to this one after; `dependencies`, when given,
 * receives every function and relation the text looked up (Catalog.dependencyLog), so the changes
 * can also be replayed on a catalog that differs only in others.
 */
export function applyDefinitions(text: string, catalog: Catalog, uri: string, dependencies?: CatalogNames): CatalogChange[] {
  const changes: CatalogChange[] = [];
  catalog.dependencyLog = dependencies;
  try {
    for (const slice of splitStatements(text)) {
      if (slice.kind === 'sql') analyzeRecordingChanges(text.slice(slice.start, slice.end), { catalog, uri, documentOffset: slice.start }, changes);
    }
  } finally {
    catalog.dependencyLog = undefined;
  }
  return changes;
}

/** Analyses one statement, appending the changes it makes to the catalog to `changes`. */
function analyzeRecordingChanges(sql: string, ctx: StatementContext, changes: CatalogChange[]): StatementResult {
  ctx.catalog.changeLog = changes;
  try {
    return analyzeStatement(sql, ctx);
  } finally {
    ctx.catalog.changeLog = undefined;
  }
}

/** Runs a generator to its end. */
function completed<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
