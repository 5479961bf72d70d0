/**
 * The language server: a function of its connection. Handlers are thin: positions to offsets
 * (core/text.ts), the pure core, and back. Each open document has its own DocumentAnalyzer, so an
 * edit re-analyses only the statements it touched; nothing on the typing path waits for the
 * database (the built-in catalog serves until a live snapshot arrives, then documents are refreshed).
 * When the database goes away later, the folder's last live catalog keeps serving, marked stale in
 * the status: the user's own functions stay known. Built-ins serve only while a folder's database
 * never answered (or after its settings name another database).
 *
 * Diagnostics are pulled (textDocument/diagnostic) by clients that can, and pushed, debounced, to
 * the others: never both, so no client sees duplicates.
 */
import * as fs from 'fs';
import {
  CancellationToken,
  CodeAction,
  CodeActionKind,
  Connection,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReport,
  FileChangeType,
  Hover,
  InitializeParams,
  InitializeResult,
  Location,
  LSPErrorCodes,
  Range,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
  WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadBuiltinCatalog } from './builtin-catalogs';
import { Catalog } from './core/catalog';
import type { CatalogSnapshot, SourceLocation } from './core/catalog-snapshot';
import { definitionsAt } from './core/definition';
import { DocumentAnalysis, DocumentAnalyzer } from './core/document';
import { bytesText, hoverAt, HoverContext, thousands } from './core/hover';
import { initParser } from './core/parse';
import { alterFunctionFixes } from './core/quick-fixes';
import { LineIndex, utf8Length } from './core/text';
import type { Reason, StatementResult, TextRange } from './core/types';
import { CatalogReader, Connector, DatabaseConnection, databaseConfigured, RetryPolicy } from './db/connection-manager';
import { ExplainService } from './explain-service';
import { packageFile } from './package-root';
import {
  auditSettingsRequest,
  ConnectionResult,
  disconnectRequest,
  explainRequest,
  FolderParams,
  InitializationOptions,
  reconnectRequest,
  refreshCatalogRequest,
  setPasswordNotification,
  statusNotification,
  StatusParams,
  statusRequest,
} from './protocol';
import { connectionKey, parseSettings, Settings, SETTINGS_SECTION } from './settings';
import { FolderIndex, uriKey } from './workspace';

export interface ServerDeps {
  /** Built-in catalog of a PostgreSQL major (default: the shipped server/catalogs/pgN.json). */
  loadBuiltin?: (major: number) => CatalogSnapshot;
  /** Opens a database connection (default: db/connection.ts openConnection). */
  connect?: Connector;
  /** Reads a live catalog snapshot (default: db/catalog.ts readCatalogSnapshot). */
  readCatalog?: CatalogReader;
  /** Milliseconds, for durations in the trace log (default: performance.now). */
  now?: () => number;
  /** The environment for PG* variables and DATABASE_URL (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Backoff after a failed connection (default 1 s doubling to 60 s). */
  retry?: RetryPolicy;
  /** Delay before pushed diagnostics are computed after an edit (default 50 ms). */
  pushDelayMs?: number;
  /** Wall-clock milliseconds, for the time a live catalog was read (default Date.now). */
  clock?: () => number;
}

/** The last catalog a folder's database gave, kept to serve while that database is unreachable. */
interface LastLiveCatalog {
  snapshot: CatalogSnapshot;
  readAt: number;
  /** The target it came from: a folder that switches to another target forgets it. */
  targetKey: string;
}

export const DIAGNOSTIC_SOURCE = 'pg-parallel-hints';
const OVERLAY_DELAY_MS = 300;
/** The first diagnostics of a folder wait this long at most for the folder's first index. */
const INDEX_WAIT_MS = 1500;

const SEVERITY: Record<Reason['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

interface Scope {
  /** Workspace folder URI, '' for files outside every folder. */
  id: string;
  folder?: FolderIndex;
  settings: Settings;
  settingsLoad?: Promise<void>;
  database?: DatabaseConnection;
  databaseKey?: string;
  /** The connection target alone (no password, no timeouts). */
  targetKey?: string;
  lastLive?: LastLiveCatalog;
  lastStatus?: string;
  lastBaseVersion?: string;
}

interface Analysis {
  version: number;
  catalogVersion: string;
  text: string;
  lines: LineIndex;
  statements: StatementResult[];
  /** The catalog after the document's own DDL: view functions and the like are looked up in it. */
  catalog: Catalog;
  diagnostics: Diagnostic[];
  resultId: string;
}

interface OpenDocument {
  uri: string;
  key: string;
  analyzer: DocumentAnalyzer;
  result?: Analysis;
  lastPushedId?: string;
  pushTimer?: NodeJS.Timeout;
  overlayTimer?: NodeJS.Timeout;
}

function readVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
}

export function startServer(connection: Connection, deps: ServerDeps = {}): void {
  const env = deps.env ?? process.env;
  const now = deps.now ?? (() => performance.now());
  const loadBuiltin = deps.loadBuiltin ?? loadBuiltinCatalog;
  const clock = deps.clock ?? Date.now;
  const pushDelayMs = deps.pushDelayMs ?? 50;

  const documents = new TextDocuments(TextDocument);
  const open = new Map<string, OpenDocument>();
  const scopes = new Map<string, Scope>();
  const databases = new Map<string, { database: DatabaseConnection; scopes: Set<Scope>; lastLive?: LastLiveCatalog }>();
  const passwords = new Map<string, string>();
  const builtinCatalogs = new Map<number, Catalog>();
  const liveCatalogs = new WeakMap<CatalogSnapshot, Catalog>();
  let liveSnapshots = 0;

  let trusted = true;
  let initSettings: unknown;
  let pushedSettings: unknown;
  let pushDiagnostics = true;
  let canRefreshDiagnostics = false;
  let canAskConfiguration = false;
  let canWatchFiles = false;
  let canShowProgress = false;
  let canRegisterConfiguration = false;
  let hasFolderChanges = false;
  let refreshTimer: NodeJS.Timeout | undefined;
  let shuttingDown = false;
  const parserReady = initParser();
  const loggedProblems = new Set<string>();

  const log = (message: string) => connection.console.log(message);
  const logOnce = (message: string) => {
    if (loggedProblems.has(message)) return;
    loggedProblems.add(message);
    connection.console.warn(message);
  };

  // ---- settings and scopes ----------------------------------------------------------------------

  function defaultSettings(): Settings {
    return parseSettings(initSettings, pushedSettings).settings;
  }

  function scopeFor(uri: string): Scope {
    const key = uriKey(uri);
    let best: Scope | undefined;
    for (const scope of scopes.values()) {
      if (scope.folder?.contains(key) && (!best || scope.folder.path.length > best.folder!.path.length)) best = scope;
    }
    return best ?? outsideScope();
  }

  function outsideScope(): Scope {
    let scope = scopes.get('');
    if (!scope) {
      scope = { id: '', settings: defaultSettings() };
      scopes.set('', scope);
    }
    return scope;
  }

  function addFolder(folder: WorkspaceFolder): Scope {
    const existing = scopes.get(folder.uri);
    if (existing) return existing;
    const settings = defaultSettings();
    const scope: Scope = { id: folder.uri, settings, folder: new FolderIndex(folder.uri, { maxFileSize: settings.maxFileSize, log }) };
    scopes.set(folder.uri, scope);
    return scope;
  }

  /** Settings of a scope: workspace/configuration for its folder over didChangeConfiguration over initializationOptions. */
  function ensureSettings(scope: Scope): Promise<void> {
    scope.settingsLoad ??= (async () => {
      let fromClient: unknown;
      if (canAskConfiguration) {
        try {
          fromClient = await connection.workspace.getConfiguration(scope.id ? { scopeUri: scope.id, section: SETTINGS_SECTION } : { section: SETTINGS_SECTION });
        } catch (error) {
          logOnce(`workspace/configuration failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      const parsed = parseSettings(initSettings, pushedSettings, fromClient);
      for (const problem of parsed.problems) logOnce(`settings${scope.id ? ` of ${scope.id}` : ''}: ${problem}`);
      applySettings(scope, parsed.settings);
    })();
    return scope.settingsLoad;
  }

  function applySettings(scope: Scope, settings: Settings): void {
    const before = JSON.stringify(scope.settings);
    scope.settings = settings;
    scope.folder?.setOptions({ maxFileSize: settings.maxFileSize, log });
    const password = passwords.get(scope.id) ?? passwords.get('');
    const wanted = trusted && databaseConfigured(settings.connection, env);
    const key = wanted
      ? JSON.stringify([connectionKey(settings.connection), password ?? null, settings.connectTimeoutMs, settings.explain.statementTimeoutMs])
      : undefined;
    if (key !== scope.databaseKey) {
      releaseDatabase(scope);
      if (key) acquireDatabase(scope, key, password);
      // Another password or timeout keeps the last catalog; another database does not.
      if (scope.lastLive && scope.lastLive.targetKey !== scope.targetKey) scope.lastLive = undefined;
      refreshIfBaseChanged(scope);
    }
    if (hasOpenDocuments(scope)) scope.database?.ensureConnected();
    sendStatus(scope);
    if (before !== JSON.stringify(settings)) refreshScope(scope);
  }

  function acquireDatabase(scope: Scope, key: string, password: string | undefined): void {
    const targetKey = connectionKey(scope.settings.connection);
    let entry = databases.get(key);
    if (!entry) {
      const users = new Set<Scope>();
      const database = new DatabaseConnection({
        settings: { ...scope.settings.connection, ...(password ? { password } : {}) },
        env,
        connectTimeoutMs: scope.settings.connectTimeoutMs,
        statementTimeoutMs: scope.settings.explain.statementTimeoutMs,
        connect: deps.connect,
        readCatalog: deps.readCatalog,
        retry: deps.retry,
        log: (message) => connection.console.warn(withFallbackWording(message, users)),
        onChange: (state) => {
          if (state.name === 'live' && entry) entry.lastLive = { snapshot: state.snapshot, readAt: clock(), targetKey };
          for (const user of users) {
            if (entry?.lastLive) user.lastLive = entry.lastLive;
            sendStatus(user);
            refreshIfBaseChanged(user);
          }
        },
      });
      entry = { database, scopes: users };
      databases.set(key, entry);
    }
    entry.scopes.add(scope);
    scope.database = entry.database;
    scope.databaseKey = key;
    scope.targetKey = targetKey;
    // A folder joining a connection that is already live shares what it read.
    if (entry.lastLive) scope.lastLive = entry.lastLive;
  }

  /**
   * The connection manager words an outage as if the built-in catalog took over; where a last live
   * catalog serves instead, the log says so.
   */
  function withFallbackWording(message: string, users: Set<Scope>): string {
    const last = [...users].map(lastLiveOf).find((l) => l !== undefined);
    if (!last) return message;
    return message.replace(/; using the built-in catalog until it is reachable$/, `; keeping the catalog read at ${clockText(last.readAt)} until it is reachable`);
  }

  /** "10:42" today, "2025-01-06 10:42" on another day (local time, as the user reads a clock). */
  function clockText(at: number): string {
    const when = new Date(at);
    const today = new Date(clock());
    const two = (n: number) => String(n).padStart(2, '0');
    const time = `${two(when.getHours())}:${two(when.getMinutes())}`;
    if (when.toDateString() === today.toDateString()) return time;
    return `${when.getFullYear()}-${two(when.getMonth() + 1)}-${two(when.getDate())} ${time}`;
  }

  function releaseDatabase(scope: Scope): void {
    const key = scope.databaseKey;
    scope.database = undefined;
    scope.databaseKey = undefined;
    scope.targetKey = undefined;
    const entry = key === undefined ? undefined : databases.get(key);
    if (!entry || key === undefined) return;
    entry.scopes.delete(scope);
    if (entry.scopes.size === 0) {
      databases.delete(key);
      void entry.database.dispose();
    }
  }

  function hasOpenDocuments(scope: Scope): boolean {
    for (const doc of open.values()) if (scopeFor(doc.uri) === scope) return true;
    return false;
  }

  // ---- catalogs -----------------------------------------------------------------------------------

  function builtinCatalog(major: number): Catalog {
    let catalog = builtinCatalogs.get(major);
    if (!catalog) {
      catalog = Catalog.fromSnapshot(loadBuiltin(major));
      builtinCatalogs.set(major, catalog);
    }
    return catalog;
  }

  /** The last live catalog of the scope's current database, if it ever had one. */
  function lastLiveOf(scope: Scope): LastLiveCatalog | undefined {
    return scope.database && scope.lastLive?.targetKey === scope.targetKey ? scope.lastLive : undefined;
  }

  function baseCatalog(scope: Scope): Catalog {
    const snapshot = scope.database?.snapshot ?? lastLiveOf(scope)?.snapshot;
    if (!snapshot) return builtinCatalog(scope.settings.pgVersion);
    let catalog = liveCatalogs.get(snapshot);
    if (!catalog) {
      // Each snapshot read gets its own id: a refreshed catalog must not hit caches of the old one.
      catalog = Catalog.fromSnapshot(snapshot, `live:${snapshot.source.versionNum}:${++liveSnapshots}`);
      liveCatalogs.set(snapshot, catalog);
    }
    return catalog;
  }

  function documentCatalog(scope: Scope, key: string): Catalog {
    const base = baseCatalog(scope);
    return scope.folder ? scope.folder.catalogFor(base, key) : base;
  }

  function refreshIfBaseChanged(scope: Scope): void {
    const version = baseCatalog(scope).version;
    if (scope.lastBaseVersion === version) return;
    scope.lastBaseVersion = version;
    refreshScope(scope);
  }

  // ---- status -------------------------------------------------------------------------------------

  function statusOf(scope: Scope): StatusParams {
    const offline = `offline: PostgreSQL ${scope.settings.pgVersion} built-ins + workspace`;
    const folder = scope.id ? { folder: scope.id } : {};
    const database = scope.database;
    if (!trusted) return { state: 'offline', text: offline, detail: 'untrusted workspace: no database connection', ...folder };
    if (!database) {
      return { state: 'offline', text: offline, detail: 'no database configured (pgParallelHints.connection, PG* environment variables or DATABASE_URL)', ...folder };
    }
    const state = database.state;
    // Without a connection, the line names the catalog that serves: the last live one, or the built-ins.
    const last = lastLiveOf(scope);
    const serving = last ? `PG ${last.snapshot.source.version} @ ${database.shortTarget} (disconnected, last catalog from ${clockText(last.readAt)})` : offline;
    switch (state.name) {
      case 'idle':
        return { state: 'offline', text: serving, detail: `connects to ${database.target} when a SQL file is opened`, ...folder };
      case 'connecting':
        // Retries in the background do not flicker the status between "connecting" and "offline".
        if (state.lastError) return { state: 'error', text: serving, detail: `${state.lastError}; retrying in the background`, ...folder };
        return { state: 'connecting', text: `connecting to ${database.shortTarget}…`, detail: database.target, ...folder };
      case 'live': {
        const count = baseCatalog(scope).functionCount;
        return { state: 'live', text: `PG ${state.snapshot.source.version} @ ${database.shortTarget}, ${thousands(count)} functions`, detail: `${database.target}: live catalog`, ...folder };
      }
      case 'error':
        return { state: 'error', text: serving, detail: `${state.message}; retrying in the background`, ...folder };
      case 'disconnected':
        return { state: 'offline', text: serving, detail: `disconnected from ${database.target}`, ...folder };
    }
  }

  function sendStatus(scope: Scope): void {
    if (shuttingDown) return;
    const status = statusOf(scope);
    const text = JSON.stringify(status);
    if (text === scope.lastStatus) return;
    scope.lastStatus = text;
    void connection.sendNotification(statusNotification, status);
  }

  // ---- analysis -----------------------------------------------------------------------------------

  function analyze(doc: OpenDocument): Analysis | undefined {
    const textDocument = documents.get(doc.uri);
    if (!textDocument) return undefined;
    const scope = scopeFor(doc.uri);
    scope.database?.ensureConnected();
    const text = textDocument.getText();
    const maxFileSize = scope.settings.maxFileSize;
    if (text.length > maxFileSize / 3 && utf8Length(text) > maxFileSize) {
      // Too large: one note, no analysis (a huge generated dump must not stall the editor).
      if (doc.result?.version === textDocument.version && doc.result.catalogVersion === 'too-large') return doc.result;
      const lines = new LineIndex(text);
      const diagnostic: Diagnostic = {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: DiagnosticSeverity.Information,
        code: 'file-too-large',
        source: DIAGNOSTIC_SOURCE,
        message: `not analysed: the document is ${bytesText(utf8Length(text))}, larger than pgParallelHints.maxFileSize (${bytesText(maxFileSize)})`,
      };
      doc.result = {
        version: textDocument.version,
        catalogVersion: 'too-large',
        text,
        lines,
        statements: [],
        catalog: baseCatalog(scope),
        diagnostics: [diagnostic],
        resultId: `${textDocument.version}:too-large`,
      };
      return doc.result;
    }
    const catalog = documentCatalog(scope, doc.key);
    if (doc.result && doc.result.version === textDocument.version && doc.result.catalogVersion === catalog.version) return doc.result;
    const started = now();
    let analysis: DocumentAnalysis | undefined;
    try {
      analysis = doc.analyzer.analyze(text, catalog);
    } catch (error) {
      connection.console.error(`analysing ${doc.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    // After an edit only the text around it is scanned for lines, and only the statements it moved
    // to another line or column are converted again (the core keeps the rest).
    const lines = doc.result ? doc.result.lines.updated(text) : new LineIndex(text);
    const diagnostics = analysis ? doc.analyzer.convertReasons(lines, (reason) => toDiagnostic(reason, lines, doc.uri)) : [];
    connection.tracer.log(
      `analysed ${doc.uri} v${textDocument.version}: ${doc.analyzer.lastAnalyzed} of ${analysis?.statementCount ?? 0} statements in ${(now() - started).toFixed(1)} ms`,
    );
    doc.result = {
      version: textDocument.version,
      catalogVersion: catalog.version,
      text,
      lines,
      // Built on first use (hover, code actions): diagnostics do not need the statements placed.
      get statements() {
        return analysis?.statements ?? [];
      },
      // Also made on first use: the catalog after the document's DDL is for hover and the like.
      get catalog() {
        return analysis?.catalogAfter ?? catalog;
      },
      diagnostics,
      resultId: `${textDocument.version}:${catalog.version}`,
    };
    return doc.result;
  }

  function toRange(lines: LineIndex, range: TextRange): Range {
    return { start: lines.positionAt(range.start), end: lines.positionAt(range.end) };
  }

  function toDiagnostic(reason: Reason, lines: LineIndex, uri: string): Diagnostic {
    const diagnostic: Diagnostic = {
      range: toRange(lines, reason.range),
      severity: SEVERITY[reason.severity],
      code: reason.code,
      source: DIAGNOSTIC_SOURCE,
      message: reason.message,
    };
    const related = (reason.related ?? []).flatMap((r) => {
      const location = r.location ? toLocation(r.location, uri, lines) : undefined;
      return location ? [{ location, message: r.message }] : [];
    });
    if (related.length) diagnostic.relatedInformation = related;
    return diagnostic;
  }

  /** Converts an engine location to an LSP one: the document itself, or an indexed workspace file. */
  function toLocation(location: SourceLocation, selfUri?: string, selfLines?: LineIndex): Location | undefined {
    const lines = location.uri === selfUri ? selfLines : linesOf(location.uri);
    if (!lines) return undefined;
    return { uri: location.uri, range: toRange(lines, location) };
  }

  function linesOf(uri: string): LineIndex | undefined {
    const key = uriKey(uri);
    for (const scope of scopes.values()) {
      if (scope.folder?.contains(key)) {
        const lines = scope.folder.linesOf(key);
        if (lines) return lines;
      }
    }
    const doc = open.get(uri);
    return doc?.result?.lines;
  }

  function describeLocation(location: SourceLocation, selfUri: string, selfLines: LineIndex): string | undefined {
    const lines = location.uri === selfUri ? selfLines : linesOf(location.uri);
    if (!lines) return undefined;
    const key = uriKey(location.uri);
    const folder = [...scopes.values()].find((s) => s.folder?.contains(key))?.folder;
    const name = folder ? folder.relativePath(key) : (key.split(/[\\/]/).pop() ?? key);
    return `${name}:${lines.positionAt(location.start).line + 1}`;
  }

  // ---- pushing and refreshing -----------------------------------------------------------------------

  function schedulePush(doc: OpenDocument, delay: number): void {
    if (!pushDiagnostics || shuttingDown) return;
    if (doc.pushTimer) clearTimeout(doc.pushTimer);
    // A newer version resets the timer: the older one is never analysed.
    doc.pushTimer = setTimeout(() => {
      doc.pushTimer = undefined;
      void push(doc);
    }, delay);
  }

  async function push(doc: OpenDocument): Promise<void> {
    const scope = scopeFor(doc.uri);
    await ensureSettings(scope);
    await parserReady;
    if (open.get(doc.uri) !== doc || shuttingDown) return;
    const result = analyze(doc);
    if (!result) return;
    const { items, resultId } = explainService.withExplainDiagnostics(doc.uri, result);
    if (resultId === doc.lastPushedId) return;
    doc.lastPushedId = resultId;
    void connection.sendDiagnostics({ uri: doc.uri, version: result.version, diagnostics: items });
  }

  /** The catalog of a scope changed (database, settings, workspace DDL): every open document there is stale. */
  function refreshScope(scope: Scope, except?: OpenDocument): void {
    if (shuttingDown) return;
    let any = false;
    for (const doc of open.values()) {
      if (doc === except || scopeFor(doc.uri) !== scope) continue;
      any = true;
      schedulePush(doc, pushDelayMs);
    }
    if (any && !pushDiagnostics && canRefreshDiagnostics && !refreshTimer) {
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        if (!shuttingDown) connection.languages.diagnostics.refresh();
      }, pushDelayMs);
    }
  }

  /** An open file's DDL is visible to the other files of its folder: update it once typing pauses. */
  function scheduleOverlayUpdate(doc: OpenDocument): void {
    const scope = scopeFor(doc.uri);
    if (!scope.folder?.contains(doc.key)) return;
    if (doc.overlayTimer) clearTimeout(doc.overlayTimer);
    doc.overlayTimer = setTimeout(() => {
      doc.overlayTimer = undefined;
      const textDocument = documents.get(doc.uri);
      if (!textDocument || open.get(doc.uri) !== doc || shuttingDown) return;
      const text = textDocument.getText();
      if (utf8Length(text) > scope.settings.maxFileSize) return;
      if (scope.folder!.setOpenText(doc.key, doc.uri, text)) refreshScope(scope, doc);
    }, OVERLAY_DELAY_MS);
  }

  async function waitForIndex(scope: Scope): Promise<void> {
    if (!scope.folder || scope.folder.indexed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([scope.folder.ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, INDEX_WAIT_MS)))]);
    if (timer) clearTimeout(timer);
  }

  async function indexFolder(scope: Scope): Promise<void> {
    const folder = scope.folder;
    if (!folder) return;
    await ensureSettings(scope);
    await parserReady;
    let progress: Awaited<ReturnType<typeof connection.window.createWorkDoneProgress>> | undefined;
    if (canShowProgress) {
      try {
        progress = await connection.window.createWorkDoneProgress();
        progress.begin('Indexing SQL files', 0, folder.path, false);
      } catch {
        progress = undefined;
      }
    }
    let lastPercent = -1;
    await folder.indexAll((done, total) => {
      const percent = Math.floor((done / total) * 100);
      if (progress && percent !== lastPercent) {
        lastPercent = percent;
        progress.report(percent, `${done}/${total} files`);
      }
    });
    if (folder.generation > 0) refreshScope(scope);
    log(`indexed ${folder.fileCount} SQL ${folder.fileCount === 1 ? 'file' : 'files'} in ${folder.path}`);
    progress?.done();
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = options.trusted !== false;
    initSettings = options.settings;
    const caps = params.capabilities;
    pushDiagnostics = caps.textDocument?.diagnostic === undefined;
    canRefreshDiagnostics = caps.workspace?.diagnostics?.refreshSupport === true;
    canAskConfiguration = caps.workspace?.configuration === true;
    canWatchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canShowProgress = caps.window?.workDoneProgress === true;
    canRegisterConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    hasFolderChanges = caps.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri }] : []);
    for (const folder of folders) addFolder(folder);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: true, workspaceDiagnostics: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'pg-parallel-hints', version: readVersion() },
    };
  });

  connection.onInitialized(() => {
    if (canWatchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.sql' }] });
    }
    if (canRegisterConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (hasFolderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) {
          const scope = scopes.get(removed.uri);
          if (!scope) continue;
          releaseDatabase(scope);
          scopes.delete(removed.uri);
        }
        for (const added of event.added) void indexFolder(addFolder(added));
        for (const doc of open.values()) schedulePush(doc, pushDelayMs);
      });
    }
    for (const scope of scopes.values()) if (scope.folder) void indexFolder(scope);
  });

  connection.onShutdown(async () => {
    shuttingDown = true;
    if (refreshTimer) clearTimeout(refreshTimer);
    for (const doc of open.values()) {
      if (doc.pushTimer) clearTimeout(doc.pushTimer);
      if (doc.overlayTimer) clearTimeout(doc.overlayTimer);
    }
    await Promise.all([...databases.values()].map((entry) => entry.database.dispose()));
    databases.clear();
  });

  connection.onDidChangeConfiguration((params) => {
    const settings = (params as { settings?: unknown }).settings;
    // VS Code sends null (pull model); other editors send the settings themselves.
    if (settings && typeof settings === 'object' && Object.keys(settings).length > 0) pushedSettings = settings;
    for (const scope of scopes.values()) {
      scope.settingsLoad = undefined;
      void ensureSettings(scope);
    }
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    const touched = new Set<Scope>();
    for (const change of params.changes) {
      const key = uriKey(change.uri);
      for (const scope of scopes.values()) {
        if (!scope.folder?.contains(key)) continue;
        const changed = change.type === FileChangeType.Deleted ? scope.folder.remove(key) : await scope.folder.readFromDisk(key);
        if (changed) touched.add(scope);
      }
    }
    for (const scope of touched) refreshScope(scope);
  });

  // ---- documents ----------------------------------------------------------------------------------

  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    let doc = open.get(uri);
    const opening = !doc;
    if (!doc) {
      doc = { uri, key: uriKey(uri), analyzer: new DocumentAnalyzer(uri) };
      open.set(uri, doc);
      // Lazy connect: the first document of a scope loads its settings, which starts the connection.
      const scope = scopeFor(uri);
      scope.database?.ensureConnected();
      void ensureSettings(scope);
    }
    schedulePush(doc, opening ? 0 : pushDelayMs);
    scheduleOverlayUpdate(doc);
  });

  documents.onDidClose((event) => {
    const uri = event.document.uri;
    const doc = open.get(uri);
    if (!doc) return;
    if (doc.pushTimer) clearTimeout(doc.pushTimer);
    if (doc.overlayTimer) clearTimeout(doc.overlayTimer);
    open.delete(uri);
    if (pushDiagnostics && !shuttingDown) void connection.sendDiagnostics({ uri, diagnostics: [] });
    const scope = scopeFor(uri);
    if (scope.folder?.closeOpen(doc.key)) refreshScope(scope);
  });

  /**
   * The analysis of an open document at its current version, after its scope's settings are known.
   * A request the client cancelled meanwhile (the document changed again) is answered as cancelled
   * instead of being analysed.
   */
  async function currentAnalysis(uri: string, token?: CancellationToken): Promise<Analysis | undefined> {
    const doc = open.get(uri);
    if (!doc) return undefined;
    const scope = scopeFor(uri);
    await ensureSettings(scope);
    await parserReady;
    await waitForIndex(scope);
    if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    return open.get(uri) === doc ? analyze(doc) : undefined;
  }

  connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const result = await currentAnalysis(params.textDocument.uri, token);
    if (!result) return { kind: 'full', items: [] };
    const { items, resultId } = explainService.withExplainDiagnostics(params.textDocument.uri, result);
    if (params.previousResultId === resultId) return { kind: 'unchanged', resultId };
    return { kind: 'full', resultId, items };
  });

  connection.onHover(async (params, token): Promise<Hover | null> => {
    const result = await currentAnalysis(params.textDocument.uri, token);
    if (!result) return null;
    const ctx: HoverContext = {
      catalog: result.catalog,
      describeLocation: (location) => describeLocation(location, params.textDocument.uri, result.lines),
    };
    const card = hoverAt(result.text, result.statements, result.lines.offsetAt(params.position), ctx);
    if (!card) return null;
    return { contents: { kind: 'markdown', value: card.markdown }, range: toRange(result.lines, card.range) };
  });

  connection.onDefinition(async (params, token): Promise<Location[]> => {
    const result = await currentAnalysis(params.textDocument.uri, token);
    if (!result) return [];
    const locations = definitionsAt(result.statements, result.lines.offsetAt(params.position));
    return locations.flatMap((location) => toLocation(location, params.textDocument.uri, result.lines) ?? []);
  });

  connection.onCodeAction(async (params, token): Promise<CodeAction[]> => {
    if (params.context.only && !params.context.only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
    const uri = params.textDocument.uri;
    const result = await currentAnalysis(uri, token);
    if (!result) return [];
    const start = result.lines.offsetAt(params.range.start);
    const end = result.lines.offsetAt(params.range.end);
    const actions: CodeAction[] = [];
    for (const statement of result.statements) {
      if (statement.range.end < start || statement.range.start > end) continue;
      for (const reason of statement.reasons) {
        if (reason.range.end < start || reason.range.start > end) continue;
        const fixes = [...(reason.fixes ?? []), ...alterFunctionFixes(result.text, statement, reason)];
        for (const fix of fixes) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [toDiagnostic(reason, result.lines, uri)],
            edit: { changes: { [uri]: fix.edits.map((edit) => TextEdit.replace(toRange(result.lines, edit.range), edit.newText)) } },
          });
        }
      }
    }
    return actions;
  });

  // ---- custom messages ----------------------------------------------------------------------------

  function scopesFor(params: FolderParams | undefined): Scope[] {
    if (params?.folder) {
      const scope = scopes.get(params.folder);
      return scope ? [scope] : [];
    }
    if (scopes.size === 0) outsideScope();
    return [...scopes.values()];
  }

  async function forDatabases(params: FolderParams | undefined, action: (database: DatabaseConnection) => Promise<void>): Promise<ConnectionResult> {
    const targets = scopesFor(params);
    await Promise.all(targets.map((scope) => ensureSettings(scope)));
    const seen = new Set<DatabaseConnection>();
    for (const scope of targets) {
      if (!scope.database || seen.has(scope.database)) continue;
      seen.add(scope.database);
      await action(scope.database);
    }
    return { statuses: targets.map(statusOf) };
  }

  connection.onRequest(reconnectRequest, (params) => forDatabases(params, (database) => database.reconnect()));
  connection.onRequest(disconnectRequest, (params) => forDatabases(params, (database) => database.disconnect()));
  connection.onRequest(refreshCatalogRequest, (params) => forDatabases(params, (database) => database.refresh()));
  connection.onRequest(statusRequest, async () => {
    // Without workspace folders, files live in the scope outside every folder.
    if (scopes.size === 0) outsideScope();
    await Promise.all([...scopes.values()].map((scope) => ensureSettings(scope)));
    return [...scopes.values()].map(statusOf);
  });

  connection.onNotification(setPasswordNotification, (params) => {
    const key = params.folder ?? '';
    if (params.password) passwords.set(key, params.password);
    else passwords.delete(key);
    for (const scope of scopesFor(params.folder ? { folder: params.folder } : undefined)) {
      if (scope.settingsLoad) void scope.settingsLoad.then(() => applySettings(scope, scope.settings));
    }
  });

  // ---- EXPLAIN, the settings audit and their CodeLens (explain-service.ts) -------------------------

  const explainService = new ExplainService({
    connection,
    analysis: currentAnalysis,
    scopeOf: async (uri) => {
      const scope = scopeFor(uri);
      await ensureSettings(scope);
      return { database: scope.database, statementTimeoutMs: scope.settings.explain.statementTimeoutMs };
    },
    scopesOf: async (params) => {
      const targets = scopesFor(params);
      await Promise.all(targets.map((scope) => ensureSettings(scope)));
      return targets.map((scope) => ({ database: scope.database, statementTimeoutMs: scope.settings.explain.statementTimeoutMs }));
    },
    diagnosticsChanged: (uri) => {
      const doc = open.get(uri);
      if (!doc || shuttingDown) return;
      if (pushDiagnostics) schedulePush(doc, 0);
      else if (canRefreshDiagnostics) connection.languages.diagnostics.refresh();
    },
  });

  connection.onRequest(explainRequest, (params, token) => explainService.explain(params, token));
  connection.onRequest(auditSettingsRequest, (params) => explainService.auditSettings(params));
  connection.onCodeLens(async (params, token) => {
    const result = await currentAnalysis(params.textDocument.uri, token);
    if (!result) return [];
    // Without a database the lenses could only fail: they appear once one is configured.
    return explainService.codeLenses(params.textDocument.uri, result, Boolean(scopeFor(params.textDocument.uri).database));
  });
  documents.onDidClose((event) => explainService.forget(event.document.uri));

  documents.listen(connection);
  connection.listen();
}
