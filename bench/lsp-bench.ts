/**
 * The LSP figures of one server on one document, through the same driver for every server:
 * spawn to initialize result, open to first diagnostics, one-character edits to fresh diagnostics,
 * hovers on function names, and the server's peak RSS.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { LineIndex } from '../server/src/core/text';
import { CALLED_FUNCTIONS } from './sql-gen';
import { clientCapabilities, LspClient, nowMs, SpawnSpec } from './lsp-driver';
import { messageOf } from '../server/src/error-message';

export interface ServerSpec {
  name: string;
  spawn: SpawnSpec;
  initializationOptions?: unknown;
  /** Answer to workspace/configuration items (our server asks for its section). */
  configuration?: (item: { section?: string }) => unknown;
  /** The process whose memory counts, when not the spawned one (a daemon behind a proxy). */
  memoryPid?: (client: LspClient) => number | undefined;
  /** Resolves once the server is ready for the measured requests (e.g. its live catalog is loaded). */
  ready?: (client: LspClient) => Promise<void>;
  /** After stop (e.g. stop a daemon). */
  cleanup?: () => void;
}

export interface LspFigures {
  server: string;
  file: string;
  bytes: number;
  diagnosticsMode?: 'pull' | 'push';
  spawnToInitializeMs?: number;
  openToDiagnosticsMs?: number;
  spawnToFirstDiagnosticsMs?: number;
  firstDiagnostics?: number;
  editMedianMs?: number;
  editP95Ms?: number;
  edits?: number;
  /** Edits answered "unchanged" (the client sent the last result id, as VS Code does, and no diagnostic moved). */
  editsUnchanged?: number;
  /** Median of the edits answered with the whole list. */
  editFullMedianMs?: number;
  hoverMedianMs?: number;
  hoverP95Ms?: number;
  hoversWithContent?: number;
  hovers?: number;
  peakRssMB?: number;
  error?: string;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Offsets right after `amount > N` literals, evenly spread: inserting a digit there keeps the SQL valid. */
export function editOffsets(text: string, count: number): number[] {
  const all: number[] = [];
  const re = /amount > (\d+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) all.push(m.index + m[0].length);
  return spread(all, count);
}

/** Offsets inside function names at call sites (one character in), evenly spread. */
export function hoverOffsets(text: string, count: number): number[] {
  const all: number[] = [];
  const re = new RegExp(`\\b(${CALLED_FUNCTIONS.join('|')})\\(`, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) all.push(m.index + 1);
  return spread(all, count);
}

function spread(all: number[], count: number): number[] {
  if (all.length <= count) return all;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(all[Math.floor(((i + 0.5) * all.length) / count)]);
  return out;
}

export interface Workspace {
  dir: string;
  uri: string;
}

export function makeWorkspace(base: string, name: string): Workspace {
  const dir = path.join(base, name);
  fs.mkdirSync(dir, { recursive: true });
  return { dir, uri: pathToFileURL(dir).href };
}

/** Spawns, initializes, and answers configuration requests; returns the client and the time to the initialize result. */
export async function startClient(spec: ServerSpec, workspace: Workspace): Promise<{ client: LspClient; init: any; spawnToInitializeMs: number }> {
  const client = new LspClient({ ...spec.spawn, cwd: spec.spawn.cwd ?? workspace.dir });
  if (spec.configuration) client.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) => params.items.map((item) => spec.configuration!(item)));
  const init = await client.request('initialize', {
    processId: process.pid,
    clientInfo: { name: 'pg-parallel-hints-bench' },
    rootUri: workspace.uri,
    workspaceFolders: [{ uri: workspace.uri, name: path.basename(workspace.dir) }],
    capabilities: clientCapabilities(true),
    initializationOptions: spec.initializationOptions,
  });
  const spawnToInitializeMs = nowMs() - client.spawnedAt;
  client.notify('initialized', {});
  return { client, init, spawnToInitializeMs };
}

export interface DocumentSession {
  uri: string;
  text: string;
  version: number;
  lines: LineIndex;
  /** The last pulled report's result id and item count: sent back as VS Code's client does, kept when answered "unchanged". */
  resultId?: string;
  diagnostics?: number;
  /** The last pull was answered "unchanged". */
  unchanged?: boolean;
}

/** Diagnostics of a document at its current version: a pull request, or the next matching push. */
export async function freshDiagnostics(client: LspClient, pull: boolean, doc: DocumentSession, send: () => void): Promise<number> {
  if (pull) {
    send();
    const previousResultId = doc.resultId;
    const report = await client.request('textDocument/diagnostic', { textDocument: { uri: doc.uri }, ...(previousResultId ? { previousResultId } : {}) });
    doc.unchanged = report?.kind === 'unchanged';
    if (!doc.unchanged) doc.diagnostics = (report?.items ?? []).length;
    doc.resultId = typeof report?.resultId === 'string' ? report.resultId : undefined;
    return doc.diagnostics ?? 0;
  }
  const published = client.waitForNotification<{ uri: string; version?: number; diagnostics: unknown[] }>(
    'textDocument/publishDiagnostics',
    (p) => p.uri === doc.uri && (p.version === undefined || p.version === null || p.version >= doc.version),
  );
  send();
  return (await published).diagnostics.length;
}

/** Inserts one character at `offset` as an incremental (or, if the server wants it, full) change. */
export function editMessage(doc: DocumentSession, offset: number, insert: string, incremental: boolean): unknown {
  const position = doc.lines.positionAt(offset);
  doc.text = doc.text.slice(0, offset) + insert + doc.text.slice(offset);
  doc.lines = new LineIndex(doc.text);
  doc.version++;
  const change = incremental ? { range: { start: position, end: position }, text: insert } : { text: doc.text };
  return { textDocument: { uri: doc.uri, version: doc.version }, contentChanges: [change] };
}

export function syncKind(init: any): number {
  const sync = init?.capabilities?.textDocumentSync;
  return typeof sync === 'number' ? sync : (sync?.change ?? 1);
}

/** A file of the workspace, written to disk, as the driver's document at version 1. */
function workspaceDocument(workspace: Workspace, fileName: string, text: string): DocumentSession {
  const filePath = path.join(workspace.dir, fileName);
  fs.writeFileSync(filePath, text);
  return { uri: pathToFileURL(filePath).href, text, version: 1, lines: new LineIndex(text) };
}

/** didOpen, and the document's first diagnostics (pulled, or the first push): their count. */
function openDocument(client: LspClient, pull: boolean, doc: DocumentSession): Promise<number> {
  return freshDiagnostics(client, pull, doc, () => client.notify('textDocument/didOpen', { textDocument: { uri: doc.uri, languageId: 'sql', version: doc.version, text: doc.text } }));
}

/** Runs `measure` on a started server: what it throws becomes the figures' error, and the server is stopped either way. */
async function withServer<F extends { error?: string }>(
  spec: ServerSpec,
  workspace: Workspace,
  figures: F,
  measure: (started: Awaited<ReturnType<typeof startClient>>) => Promise<void>,
): Promise<F> {
  let client: LspClient | undefined;
  try {
    const started = await startClient(spec, workspace);
    client = started.client;
    await measure(started);
  } catch (error) {
    figures.error = messageOf(error);
  } finally {
    await client?.stop();
    spec.cleanup?.();
  }
  return figures;
}

export async function measureLsp(spec: ServerSpec, fileName: string, text: string, workspace: Workspace, options: { edits: number; hovers: number }): Promise<LspFigures> {
  const figures: LspFigures = { server: spec.name, file: fileName, bytes: Buffer.byteLength(text) };
  const doc = workspaceDocument(workspace, fileName, text);
  return withServer(spec, workspace, figures, async (started) => {
    const client = started.client;
    figures.spawnToInitializeMs = started.spawnToInitializeMs;
    const pull = Boolean(started.init?.capabilities?.diagnosticProvider);
    const incremental = syncKind(started.init) === 2;
    figures.diagnosticsMode = pull ? 'pull' : 'push';
    // Listening before the document opens: readiness may be announced at any time after.
    const ready = spec.ready?.(client);
    ready?.catch(() => undefined);
    const openStart = nowMs();
    figures.firstDiagnostics = await openDocument(client, pull, doc);
    const opened = nowMs();
    figures.openToDiagnosticsMs = opened - openStart;
    figures.spawnToFirstDiagnosticsMs = opened - client.spawnedAt;
    if (spec.ready) {
      // The server connects once a document is open; the figures below are with its catalog loaded,
      // and after the one full analysis against it.
      await ready;
      await freshDiagnostics(client, pull, doc, () => undefined);
    }

    // Edits in document order: each inserts a digit into a literal, shifting later offsets by one.
    const offsets = editOffsets(text, options.edits);
    const editTimes: number[] = [];
    const fullTimes: number[] = [];
    let unchanged = 0;
    let shift = 0;
    for (const offset of offsets) {
      const message = editMessage(doc, offset + shift, '7', incremental);
      shift++;
      const start = nowMs();
      await freshDiagnostics(client, pull, doc, () => client.notify('textDocument/didChange', message));
      editTimes.push(nowMs() - start);
      if (doc.unchanged) unchanged++;
      else fullTimes.push(editTimes[editTimes.length - 1]);
    }
    figures.edits = editTimes.length;
    if (pull) figures.editsUnchanged = unchanged;
    if (fullTimes.length) figures.editFullMedianMs = percentile(fullTimes, 50);
    if (editTimes.length) {
      figures.editMedianMs = percentile(editTimes, 50);
      figures.editP95Ms = percentile(editTimes, 95);
    }

    const hoverTimes: number[] = [];
    let withContent = 0;
    for (const offset of hoverOffsets(doc.text, options.hovers)) {
      const start = nowMs();
      const hover = await client.request('textDocument/hover', { textDocument: { uri: doc.uri }, position: doc.lines.positionAt(offset) });
      hoverTimes.push(nowMs() - start);
      if (hover && hover.contents && JSON.stringify(hover.contents).length > 20) withContent++;
    }
    figures.hovers = hoverTimes.length;
    figures.hoversWithContent = withContent;
    if (hoverTimes.length) {
      figures.hoverMedianMs = percentile(hoverTimes, 50);
      figures.hoverP95Ms = percentile(hoverTimes, 95);
    }
    figures.peakRssMB = LspClient.peakRssMB(spec.memoryPid ? spec.memoryPid(client) : client.pid);
  });
}

export interface WhileOpeningFigures {
  server: string;
  file: string;
  /** From sending a hover on another, small open document to its answer. */
  otherHoverMs?: number;
  /** From opening the large document to its diagnostics, with the hover in between. */
  openToDiagnosticsMs?: number;
  error?: string;
}

/**
 * How long another document's request waits while the server analyses a large document it was just
 * given: a small document is opened and its diagnostics fetched first; then the large one is opened,
 * its diagnostics asked for, and at once a hover sent on the small one.
 */
export async function measureWhileOpening(spec: ServerSpec, fileName: string, text: string, workspace: Workspace): Promise<WhileOpeningFigures> {
  const figures: WhileOpeningFigures = { server: spec.name, file: fileName };
  const large = workspaceDocument(workspace, fileName, text);
  const small = workspaceDocument(workspace, 'small.sql', "SELECT lower('A'), abs(-1);\n");
  return withServer(spec, workspace, figures, async (started) => {
    const client = started.client;
    const pull = Boolean(started.init?.capabilities?.diagnosticProvider);
    const ready = spec.ready?.(client);
    await openDocument(client, pull, small);
    await ready;
    const openStart = nowMs();
    const diagnosed = openDocument(client, pull, large).then(() => nowMs() - openStart);
    const hoverStart = nowMs();
    await client.request('textDocument/hover', { textDocument: { uri: small.uri }, position: { line: 0, character: 8 } });
    figures.otherHoverMs = nowMs() - hoverStart;
    figures.openToDiagnosticsMs = await diagnosed;
  });
}
