/**
 * The SQL files of one workspace folder, indexed for their DDL: functions, views, tables, operators,
 * casts defined there are visible to every other file of the folder (with go-to-definition), as if
 * the files had been run in path order. Only DDL statements are kept (the rest is blanked out with
 * offsets and line breaks preserved), so the index stays cheap and locations stay exact.
 */
import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { Catalog, CatalogChange, CatalogNames, Differences, widenBy } from './core/catalog';
import { applyDefinitions } from './core/document';
import { splitStatements } from './core/split';
import { LineIndex } from './core/text';
import { messageOf } from './error-message';

/** Statements that can change what later statements resolve to. */
const DDL_START = /^(create|alter|drop|set|reset)\b/i;
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', 'out', 'dist', 'target']);
/** A workspace with more SQL files than this is indexed only up to it (and says so in the log). */
export const MAX_INDEXED_FILES = 20_000;

/**
 * The text with everything but DDL statements replaced by spaces (line breaks kept), so every offset
 * and line of a definition is the same as in the file.
 */
export function ddlOnlyText(text: string): string {
  const slices = splitStatements(text);
  let out = '';
  let copied = 0;
  const blank = (from: number, to: number) => {
    // Runs of characters at once: one regex match per character made a 1 MB file cost 100 ms.
    if (to > from) out += text.slice(from, to).replace(/[^\r\n]+/g, (run) => ' '.repeat(run.length));
  };
  for (let i = 0; i < slices.length; i++) {
    const slice = slices[i];
    if (slice.kind !== 'sql' || !DDL_START.test(text.slice(slice.start, slice.start + 8))) continue;
    blank(copied, slice.start);
    out += text.slice(slice.start, slice.end);
    copied = slice.end;
    // Keep the terminating semicolon so the statements stay apart.
    const limit = i + 1 < slices.length ? slices[i + 1].start : text.length;
    const semicolon = text.indexOf(';', slice.end);
    if (semicolon >= 0 && semicolon < limit) {
      blank(copied, semicolon);
      out += ';';
      copied = semicolon + 1;
    }
  }
  // Nothing defined: no text at all (no definition can point into it), which costs nothing to keep or test.
  if (copied === 0) return '';
  blank(copied, text.length);
  return out;
}

/** A file path from a file URI; other schemes (untitled:) are keyed by the URI itself. */
export function uriKey(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return path.normalize(fileURLToPath(uri));
  } catch {
    return uri;
  }
}

/** Percent-encodes a path segment the way VS Code does (only unreserved characters stay), so URIs compare equal. */
function encodeSegment(segment: string): string {
  return segment.replace(/[^A-Za-z0-9\-._~]/g, (c) =>
    Array.from(Buffer.from(c, 'utf8'))
      .map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`)
      .join(''),
  );
}

interface IndexedFile {
  uri: string;
  /** DDL-only text from disk, and from the editor while the file is open (which wins). */
  disk?: string;
  /** Length and digest of the disk text: an open file whose text is the disk's is not scanned again. */
  diskLength?: number;
  diskDigest?: string;
  open?: string;
  lines?: LineIndex;
}

/** One file's DDL as applied in a pass. */
interface AppliedFile {
  text: string;
  /** What it changed, to make the same changes again without analysing the text. */
  changes: CatalogChange[];
  /** The functions and relations it looked up (Catalog.dependencyLog). */
  dependencies: CatalogNames;
  /** Applying it threw part way (never expected): what it changed is not known, so nothing after it is replayed. */
  failed?: true;
}

/** The folder's DDL applied for one base catalog and one generation of the index. */
interface FolderPass {
  baseVersion: string;
  generation: number;
  /** The files with DDL, in path order: the others change no catalog. */
  defining: string[];
  position: Map<string, number>;
  /** Derived from the base; the defining files are applied to it in order (`applied`, once asked for). */
  catalog: Catalog;
  applied: AppliedFile[];
  /** The files as the last pass for the same base applied them, to replay where nothing they read differs. */
  before: Map<string, AppliedFile>;
  /** What differs so far from the last pass's catalog at the same point. */
  differences: Differences;
  /** The catalog for a document whose file defines something, by that file's position. */
  perDocument: Map<number, Catalog>;
}

/** Adds what the file defines or drops to `differences`. */
function widen(differences: Differences, file: AppliedFile | undefined): Differences {
  if (!file) return differences;
  return file.failed ? 'everything' : widenBy(differences, file.changes);
}

/** The file read nothing that differs, so replaying its changes gives what applying its text would. */
function unaffected(file: AppliedFile, differences: Differences): boolean {
  return differences !== 'everything' && !file.failed && !file.dependencies.meets(differences);
}

/** Tells two texts apart for a few milliseconds per megabyte, a fraction of scanning them for DDL. */
function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/**
 * The text is the disk text the index last read. The length first: while typing it differs, and the
 * digest of a large file is not free (pass it when it is already made).
 */
function isDiskText(file: IndexedFile | undefined, text: string, digest?: string): file is IndexedFile & { disk: string } {
  return file?.disk !== undefined && file.diskLength === text.length && file.diskDigest === (digest ?? digestOf(text));
}

/** DDL-only text with any statement left (ddlOnlyText gives '' when there is none). */
function hasDefinitions(ddl: string | undefined): boolean {
  return ddl !== undefined && ddl.length > 0;
}

export interface FolderIndexOptions {
  maxFileSize: number;
  log: (message: string) => void;
}

export class FolderIndex {
  readonly path: string;
  private readonly files = new Map<string, IndexedFile>();
  private sortedKeys: string[] | undefined;
  /** Changes whenever the DDL of any file changes: keys the catalogs built from the index. */
  private generationValue = 0;
  private pass: FolderPass | undefined;
  /** The files the last pass applied, and for which base, to replay in the next one. */
  private lastApplied: { baseVersion: string; files: Map<string, AppliedFile> } | undefined;
  /** The catalog without one file, kept across changes of only that file. */
  private kept: { key: string; baseVersion: string; catalog: Catalog } | undefined;
  /** Settles when the first full scan finished. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  indexed = false;

  constructor(
    readonly uri: string,
    private options: FolderIndexOptions,
  ) {
    this.path = uriKey(uri);
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
  }

  get generation(): number {
    return this.generationValue;
  }

  get fileCount(): number {
    return this.files.size;
  }

  setOptions(options: FolderIndexOptions): void {
    this.options = options;
  }

  contains(key: string): boolean {
    const relative = path.relative(this.path, key);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  /** The URI of a file under this folder, spelled as VS Code spells it. */
  uriOf(key: string): string {
    const relative = path.relative(this.path, key).split(path.sep).map(encodeSegment).join('/');
    return `${this.uri.replace(/\/$/, '')}/${relative}`;
  }

  /** Lists every .sql file, then reads them one at a time, yielding between files so requests keep flowing. */
  async indexAll(progress?: (done: number, total: number) => void): Promise<void> {
    try {
      const paths = await this.listSqlFiles();
      for (let i = 0; i < paths.length; i++) {
        await this.readFromDisk(paths[i]);
        progress?.(i + 1, paths.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      this.options.log(`indexing ${this.path}: ${messageOf(error)}`);
    } finally {
      this.indexed = true;
      this.resolveReady();
    }
  }

  private async listSqlFiles(): Promise<string[]> {
    const found: string[] = [];
    const pending = [this.path];
    while (pending.length > 0 && found.length < MAX_INDEXED_FILES) {
      const dir = pending.pop()!;
      let entries: import('fs').Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch {
        continue; // unreadable folders are skipped, as an editor's file search would
      }
      for (const entry of entries) {
        if (entry.name.startsWith('.') && entry.isDirectory()) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(full);
        } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.sql')) {
          found.push(full);
          if (found.length >= MAX_INDEXED_FILES) {
            this.options.log(`${this.path}: more than ${MAX_INDEXED_FILES} SQL files; only the first ${MAX_INDEXED_FILES} are indexed`);
            break;
          }
        }
      }
    }
    return found.sort();
  }

  /** (Re)reads a file; returns true when its DDL changed. */
  async readFromDisk(key: string): Promise<boolean> {
    let text: string;
    try {
      const stat = await fsp.stat(key);
      if (!stat.isFile()) return this.remove(key);
      if (stat.size > this.options.maxFileSize) {
        this.options.log(`${key}: ${stat.size} bytes, larger than pgParallelHints.maxFileSize; not indexed`);
        return this.remove(key);
      }
      text = await fsp.readFile(key, 'utf8');
    } catch {
      return this.remove(key);
    }
    const digest = digestOf(text);
    const existing = this.files.get(key);
    if (existing) {
      if (isDiskText(existing, text, digest)) return false;
      const ddl = ddlOnlyText(text);
      existing.diskLength = text.length;
      existing.diskDigest = digest;
      if (existing.disk === ddl) return false;
      const before = existing.disk;
      existing.disk = ddl;
      if (existing.open !== undefined) return false;
      existing.lines = undefined;
      return this.changed(before, ddl, key);
    }
    const ddl = ddlOnlyText(text);
    this.files.set(key, { uri: this.uriOf(key), disk: ddl, diskLength: text.length, diskDigest: digest });
    this.sortedKeys = undefined;
    return this.changed(undefined, ddl, key);
  }

  remove(key: string): boolean {
    const existing = this.files.get(key);
    if (!existing) return false;
    if (existing.open !== undefined) {
      existing.disk = undefined;
      existing.diskLength = existing.diskDigest = undefined;
      return false;
    }
    this.files.delete(key);
    this.sortedKeys = undefined;
    return this.changed(existing.disk, undefined, key);
  }

  /** The editor's text of an open file replaces the disk's; returns true when the DDL changed. */
  setOpenText(key: string, uri: string, text: string): boolean {
    const existing = this.files.get(key);
    // Opening a file without unsaved changes: its DDL is the disk's, read moments ago by the index.
    const ddl = isDiskText(existing, text) ? existing.disk : ddlOnlyText(text);
    if (existing) {
      const before = existing.open ?? existing.disk;
      if (before === ddl) {
        existing.open = ddl;
        return false;
      }
      existing.open = ddl;
      existing.uri = uri;
      existing.lines = undefined;
      return this.changed(before, ddl, key);
    }
    // A new document that defines nothing (most queries) leaves every catalog as it was.
    this.files.set(key, { uri, open: ddl });
    this.sortedKeys = undefined;
    return this.changed(undefined, ddl, key);
  }

  /** The file was closed in the editor: its disk text counts again. */
  closeOpen(key: string): boolean {
    const existing = this.files.get(key);
    if (!existing || existing.open === undefined) return false;
    const before = existing.open;
    existing.open = undefined;
    if (existing.disk === undefined) {
      this.files.delete(key);
      this.sortedKeys = undefined;
      return this.changed(before, undefined, key);
    }
    if (existing.disk === before) return false;
    existing.lines = undefined;
    return this.changed(before, existing.disk, key);
  }

  /**
   * A file's DDL went from `before` to `after` (undefined: not indexed): the catalogs built from the
   * index are stale unless neither defines anything. Returns whether they are.
   */
  private changed(before: string | undefined, after: string | undefined, key: string): boolean {
    if (!hasDefinitions(before) && !hasDefinitions(after)) return false;
    this.generationValue++;
    // The catalog for the changed file's own document leaves that file out: it stays right (while
    // typing in a file of the folder, its next analysis need not build the folder's catalog again).
    const kept = this.pass && this.builtWithout(this.pass, key);
    this.retire(this.pass);
    this.pass = undefined;
    if (kept) this.kept = { key, ...kept };
    else if (this.kept?.key !== key) this.kept = undefined;
    return true;
  }

  /** The pass's catalog without the file `key`, if it was built. */
  private builtWithout(pass: FolderPass, key: string): { baseVersion: string; catalog: Catalog } | undefined {
    const index = pass.position.get(key);
    const catalog = index === undefined ? (pass.applied.length === pass.defining.length ? pass.catalog : undefined) : pass.perDocument.get(index);
    return catalog && { baseVersion: pass.baseVersion, catalog };
  }

  private keys(): string[] {
    this.sortedKeys ??= [...this.files.keys()].sort();
    return this.sortedKeys;
  }

  /**
   * The base catalog plus the DDL of every indexed file except `excludeKey` (the document being
   * analysed, whose own DDL applies in place), files applied in path order.
   *
   * The files' DDL goes into one derived catalog, file after file, so building it costs the size of
   * the DDL once (a catalog per file made it quadratic). A document whose file defines nothing sees
   * that catalog itself; one that does sees the files before it (their changes replayed) and the
   * files after it made again without it, each kept until the index or the base changes (a
   * document's own, also across changes of its own file only).
   *
   * Making a file's changes again costs little when nothing it looked up differs: its recorded
   * changes are replayed instead of its text analysed. That holds for the files after an excluded
   * one, and for every unchanged file when a new pass follows an edit (the usual case: a function
   * defined in one file is used by a few of the others), so typing DDL in a large folder rebuilds
   * the folder's catalog for the price of the files that read what changed.
   */
  catalogFor(base: Catalog, excludeKey?: string): Catalog {
    if (this.kept) {
      if (this.kept.baseVersion !== base.version) this.kept = undefined;
      else if (this.kept.key === excludeKey) return this.kept.catalog;
    }
    if (!this.pass || this.pass.baseVersion !== base.version || this.pass.generation !== this.generationValue) {
      this.retire(this.pass);
      const defining = this.keys().filter((key) => hasDefinitions(this.textOf(key)));
      const position = new Map(defining.map((key, i) => [key, i]));
      const before = this.lastApplied?.baseVersion === base.version ? this.lastApplied.files : new Map<string, AppliedFile>();
      // A file that no longer defines anything took its definitions with it.
      let differences: Differences = new CatalogNames();
      for (const [key, file] of before) if (!position.has(key)) differences = widen(differences, file);
      this.pass = { baseVersion: base.version, generation: this.generationValue, defining, position, catalog: base.derive(), applied: [], before, differences, perDocument: new Map() };
    }
    const pass = this.pass;
    const index = excludeKey === undefined ? undefined : pass.position.get(excludeKey);
    if (index === undefined) return this.completed(pass).catalog;
    const memo = pass.perDocument.get(index);
    if (memo) return memo;
    // The files before the document are replayed, those after it made again without it (which starts
    // from what it applied in the pass); a document whose file comes last (a folder's newest migration,
    // a folder of one file) needs no more than the files before it: not its own text applied once more.
    this.completed(pass, index < pass.defining.length - 1 ? pass.defining.length : index);
    const catalog = base.derive();
    for (let i = 0; i < index; i++) for (const change of pass.applied[i].changes) catalog.replay(change);
    let differences = widen(new CatalogNames(), pass.applied[index]);
    for (let i = index + 1; i < pass.defining.length; i++) differences = this.makeAgain(catalog, pass.defining[i], pass.applied[i], differences).differences;
    pass.perDocument.set(index, catalog);
    return catalog;
  }

  /** The pass with its first `count` defining files applied (all by default). */
  private completed(pass: FolderPass, count = pass.defining.length): FolderPass {
    while (pass.applied.length < count) {
      const key = pass.defining[pass.applied.length];
      const again = this.makeAgain(pass.catalog, key, pass.before.get(key), pass.differences);
      pass.applied.push(again.file);
      pass.differences = again.differences;
    }
    if (pass.applied.length === pass.defining.length) pass.before = new Map(); // complete: nothing more to replay from the last pass
    return pass;
  }

  /**
   * Makes the changes of file `key` on `catalog` again: those `earlier` recorded, when its text is
   * the same and it read nothing in `differences`; else by applying the text, and then what it
   * defined before and defines now differs from here on.
   */
  private makeAgain(catalog: Catalog, key: string, earlier: AppliedFile | undefined, differences: Differences): { file: AppliedFile; differences: Differences } {
    if (earlier && earlier.text === this.textOf(key) && unaffected(earlier, differences)) {
      for (const change of earlier.changes) catalog.replay(change);
      return { file: earlier, differences };
    }
    const file = this.apply(catalog, key);
    return { file, differences: widen(widen(differences, earlier), file) };
  }

  /** Keeps what a pass being replaced applied, for the next pass over the same base to replay. */
  private retire(pass: FolderPass | undefined): void {
    if (!pass || pass.applied.length === 0) return;
    const files = new Map<string, AppliedFile>();
    for (let i = 0; i < pass.applied.length; i++) files.set(pass.defining[i], pass.applied[i]);
    this.lastApplied = { baseVersion: pass.baseVersion, files };
  }

  private apply(catalog: Catalog, key: string): AppliedFile {
    const file = this.files.get(key)!;
    const text = this.textOf(key);
    const dependencies = new CatalogNames();
    try {
      return { text, changes: applyDefinitions(text, catalog, file.uri, dependencies), dependencies };
    } catch (error) {
      this.options.log(`${key}: ${messageOf(error)}`);
      return { text, changes: [], dependencies, failed: true };
    }
  }

  private textOf(key: string): string {
    const file = this.files.get(key);
    return file ? (file.open ?? file.disk ?? '') : '';
  }

  /** Line index of an indexed file (its DDL-only text has the file's lines). */
  linesOf(key: string): LineIndex | undefined {
    const file = this.files.get(key);
    if (!file) return undefined;
    file.lines ??= new LineIndex(this.textOf(key));
    return file.lines;
  }

  relativePath(key: string): string {
    return path.relative(this.path, key).split(path.sep).join('/');
  }
}
