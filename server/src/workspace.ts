/**
 * The SQL files of one workspace folder, indexed for their DDL: functions, views, tables, operators,
 * casts defined there are visible to every other file of the folder (with go-to-definition), as if
 * the files had been run in path order. Only DDL statements are kept (the rest is blanked out with
 * offsets and line breaks preserved), so the index stays cheap and locations stay exact.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import { Catalog } from './core/catalog';
import { analyzeDocument } from './core/document';
import { splitStatements } from './core/split';
import { LineIndex } from './core/text';

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
    if (to > from) out += text.slice(from, to).replace(/[^\r\n]/g, ' ');
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
  open?: string;
  lines?: LineIndex;
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
  private chain: { baseVersion: string; generation: number; prefix: Catalog[]; perDocument: Map<string, Catalog> } | undefined;
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
      this.options.log(`indexing ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
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
    let ddl: string | undefined;
    try {
      const stat = await fsp.stat(key);
      if (!stat.isFile()) return this.remove(key);
      if (stat.size > this.options.maxFileSize) {
        this.options.log(`${key}: ${stat.size} bytes, larger than pgParallelHints.maxFileSize; not indexed`);
        return this.remove(key);
      }
      ddl = ddlOnlyText(await fsp.readFile(key, 'utf8'));
    } catch {
      return this.remove(key);
    }
    const existing = this.files.get(key);
    if (existing) {
      if (existing.disk === ddl) return false;
      existing.disk = ddl;
      if (existing.open !== undefined) return false;
      existing.lines = undefined;
    } else {
      this.files.set(key, { uri: this.uriOf(key), disk: ddl });
      this.sortedKeys = undefined;
    }
    this.changed();
    return true;
  }

  remove(key: string): boolean {
    const existing = this.files.get(key);
    if (!existing) return false;
    if (existing.open !== undefined) {
      existing.disk = undefined;
      return false;
    }
    this.files.delete(key);
    this.sortedKeys = undefined;
    this.changed();
    return true;
  }

  /** The editor's text of an open file replaces the disk's; returns true when the DDL changed. */
  setOpenText(key: string, uri: string, text: string): boolean {
    const ddl = ddlOnlyText(text);
    const existing = this.files.get(key);
    if (existing) {
      if ((existing.open ?? existing.disk) === ddl) {
        existing.open = ddl;
        return false;
      }
      existing.open = ddl;
      existing.uri = uri;
      existing.lines = undefined;
    } else {
      this.files.set(key, { uri, open: ddl });
      this.sortedKeys = undefined;
    }
    this.changed();
    return true;
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
      this.changed();
      return true;
    }
    if (existing.disk === before) return false;
    existing.lines = undefined;
    this.changed();
    return true;
  }

  private changed(): void {
    this.generationValue++;
    this.chain = undefined;
  }

  private keys(): string[] {
    this.sortedKeys ??= [...this.files.keys()].sort();
    return this.sortedKeys;
  }

  /**
   * The base catalog plus the DDL of every indexed file except `excludeKey` (the document being
   * analysed, whose own DDL applies in place), files applied in path order.
   */
  catalogFor(base: Catalog, excludeKey?: string): Catalog {
    if (!this.chain || this.chain.baseVersion !== base.version || this.chain.generation !== this.generationValue) {
      this.chain = { baseVersion: base.version, generation: this.generationValue, prefix: [], perDocument: new Map() };
    }
    const chain = this.chain;
    const memo = chain.perDocument.get(excludeKey ?? '');
    if (memo) return memo;
    const keys = this.keys();
    const index = excludeKey === undefined ? -1 : keys.indexOf(excludeKey);
    const stop = index >= 0 ? index : keys.length;
    // prefix[i] = after files 0..i-1; shared by every document.
    if (chain.prefix.length === 0) chain.prefix.push(base);
    while (chain.prefix.length <= stop) {
      const i = chain.prefix.length - 1;
      chain.prefix.push(this.apply(chain.prefix[i], keys[i]));
    }
    let catalog = chain.prefix[stop];
    if (index >= 0) for (let i = index + 1; i < keys.length; i++) catalog = this.apply(catalog, keys[i]);
    chain.perDocument.set(excludeKey ?? '', catalog);
    return catalog;
  }

  private apply(catalog: Catalog, key: string): Catalog {
    const file = this.files.get(key)!;
    const ddl = file.open ?? file.disk ?? '';
    if (!/\S/.test(ddl)) return catalog;
    try {
      return analyzeDocument(ddl, catalog, file.uri).catalogAfter;
    } catch (error) {
      this.options.log(`${key}: ${error instanceof Error ? error.message : String(error)}`);
      return catalog;
    }
  }

  /** Line index of an indexed file (its DDL-only text has the file's lines). */
  linesOf(key: string): LineIndex | undefined {
    const file = this.files.get(key);
    if (!file) return undefined;
    file.lines ??= new LineIndex(file.open ?? file.disk ?? '');
    return file.lines;
  }

  relativePath(key: string): string {
    return path.relative(this.path, key).split(path.sep).join('/');
  }
}
