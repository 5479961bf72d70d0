/**
 * The language server: a function of its connection. This file is the composition root: it reads
 * the client's capabilities, builds the services and routes each LSP message to a few lines over
 * them. What the services do:
 * - scopes.ts: workspace folders, their settings, index and database; the catalog each serves
 *   (live, else the folder's last live catalog, marked stale in the status, else the built-ins);
 * - diagnostics-service.ts: open documents, incremental analysis, pulled and pushed diagnostics;
 * - handlers/*.ts: hover, definition, quick fixes, connection commands; explain-service.ts: EXPLAIN;
 * - lsp-convert.ts: engine offsets and reasons to LSP ranges and diagnostics.
 * Nothing on the typing path waits for the database.
 */
import type { ClientBase } from 'pg';
import {
  CodeActionKind,
  Connection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  InitializeParams,
  InitializeResult,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { loadBuiltinCatalog } from './builtin-catalogs';
import { Catalogs } from './catalogs';
import type { CatalogSnapshot } from './core/catalog-snapshot';
import { initParser } from './core/parse';
import { readCatalogSnapshot } from './db/catalog';
import type { CatalogReader, Connector, RetryPolicy } from './db/connection-manager';
import { DiagnosticsService } from './diagnostics-service';
import { ExplainService } from './explain-service';
import { quickFixes } from './handlers/code-actions';
import { registerConnectionCommands } from './handlers/connection-commands';
import { definition } from './handlers/definition';
import { hover } from './handlers/hover';
import { DIAGNOSTIC_SOURCE, LinesOf } from './lsp-convert';
import { packageFile, productVersion } from './package-root';
import { auditSettingsRequest, explainRequest, InitializationOptions } from './protocol';
import type { GarbageCollections } from './memory';
import { Scopes } from './scopes';
import { SETTINGS_SECTION } from './settings';

export { DIAGNOSTIC_SOURCE } from './lsp-convert';

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
  /** Full collections between pieces of work (memory.ts; the language server's process makes them). */
  collections?: GarbageCollections;
}

export function startServer(connection: Connection, deps: ServerDeps = {}): void {
  const documents = new TextDocuments(TextDocument);
  const { collections } = deps;
  // Reading 100,000 functions leaves garbage behind page by page: a checkpoint after each page.
  const readCatalog = deps.readCatalog ?? (collections && ((client: ClientBase) => readCatalogSnapshot(client, {}, { afterPage: () => collections.afterCatalogPage() })));
  const parserReady = initParser();
  let shuttingDown = false;
  const client = { watchFiles: false, registerConfiguration: false, folderChanges: false };

  const scopes: Scopes = new Scopes({
    connection,
    catalogs: new Catalogs(deps.loadBuiltin ?? loadBuiltinCatalog),
    env: deps.env ?? process.env,
    connect: deps.connect,
    readCatalog,
    retry: deps.retry,
    clock: deps.clock ?? Date.now,
    parserReady,
    refresh: (scope) => diagnostics.refreshScope(scope),
    hasOpenDocuments: (scope) => diagnostics.hasOpenDocuments(scope),
    shuttingDown: () => shuttingDown,
  });
  const diagnostics: DiagnosticsService = new DiagnosticsService({
    connection,
    documents,
    scopes,
    parserReady,
    now: deps.now ?? (() => performance.now()),
    pushDelayMs: deps.pushDelayMs ?? 50,
    indexedLines: (uri) => scopes.indexedLines(uri),
    report: (uri, analysis) => explainService.withExplainDiagnostics(uri, analysis),
    shuttingDown: () => shuttingDown,
    analysed: collections && (() => collections.afterAnalysis()),
  });
  const explainService: ExplainService = new ExplainService({
    connection,
    analysis: (uri) => diagnostics.current(uri),
    scopeOf: async (uri) => {
      const scope = scopes.scopeFor(uri);
      await scopes.ensureSettings(scope);
      return { database: scope.database, statementTimeoutMs: scope.settings.explain.statementTimeoutMs };
    },
    scopesOf: async (params) => {
      const targets = scopes.forParams(params);
      await Promise.all(targets.map((scope) => scopes.ensureSettings(scope)));
      return targets.map((scope) => ({ database: scope.database, statementTimeoutMs: scope.settings.explain.statementTimeoutMs }));
    },
    diagnosticsChanged: (uri) => diagnostics.reportChanged(uri),
  });
  /** Lines of a workspace file or an open document, for locations in other files. */
  const linesOf: LinesOf = (uri) => scopes.indexedLines(uri) ?? diagnostics.linesOf(uri);

  // ---- lifecycle ----------------------------------------------------------------------------------

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    scopes.trusted = options.trusted !== false;
    scopes.initSettings = options.settings;
    const caps = params.capabilities;
    diagnostics.push = caps.textDocument?.diagnostic === undefined;
    diagnostics.canRefresh = caps.workspace?.diagnostics?.refreshSupport === true;
    scopes.canAskConfiguration = caps.workspace?.configuration === true;
    scopes.canShowProgress = caps.window?.workDoneProgress === true;
    client.watchFiles = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    client.registerConfiguration = caps.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    client.folderChanges = caps.workspace?.workspaceFolders === true;
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: params.rootUri }] : []);
    for (const folder of folders) scopes.addFolder(folder);
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
      serverInfo: { name: 'pg-parallel-hints', version: productVersion() },
    };
  });

  connection.onInitialized(() => {
    if (client.watchFiles) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.sql' }] });
    if (client.registerConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
    if (client.folderChanges) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const removed of event.removed) scopes.removeFolder(removed.uri);
        for (const added of event.added) void scopes.indexFolder(scopes.addFolder(added));
        diagnostics.refreshAll();
      });
    }
    for (const scope of scopes.all()) if (scope.folder) void scopes.indexFolder(scope);
  });

  connection.onShutdown(async () => {
    shuttingDown = true;
    diagnostics.shutdown();
    await scopes.dispose();
  });

  connection.onDidChangeConfiguration((params) => scopes.settingsChanged((params as { settings?: unknown }).settings));

  connection.onDidChangeWatchedFiles(async (params) => {
    const changes = (Array.isArray(params?.changes) ? params.changes : []).filter((change) => typeof change?.uri === 'string');
    const touched = await scopes.filesChanged(changes.map((change) => ({ uri: change.uri, deleted: change.type === FileChangeType.Deleted })));
    for (const scope of touched) diagnostics.refreshScope(scope);
  });

  // ---- documents and their features ---------------------------------------------------------------

  documents.onDidChangeContent((event) => diagnostics.changed(event.document.uri));
  documents.onDidClose((event) => {
    diagnostics.closed(event.document.uri);
    explainService.forget(event.document.uri);
  });

  connection.languages.diagnostics.on((params, token) => diagnostics.pull(params, token));

  connection.onHover(async (params, token) => {
    const analysis = await diagnostics.current(params.textDocument.uri, token);
    return analysis ? hover(params.textDocument.uri, analysis, params.position, { linesOf, fileLabel: (uri) => scopes.fileLabel(uri) }) : null;
  });

  connection.onDefinition(async (params, token) => {
    const analysis = await diagnostics.current(params.textDocument.uri, token);
    return analysis ? definition(params.textDocument.uri, analysis, params.position, linesOf) : [];
  });

  connection.onCodeAction(async (params, token) => {
    const analysis = await diagnostics.current(params.textDocument.uri, token);
    return analysis ? quickFixes(params, analysis, linesOf) : [];
  });

  // ---- connection commands, EXPLAIN, the settings audit and their CodeLens --------------------------

  registerConnectionCommands(connection, scopes);
  connection.onRequest(explainRequest, (params, token) => explainService.explain(params, token));
  connection.onRequest(auditSettingsRequest, (params) => explainService.auditSettings(params));
  connection.onCodeLens(async (params, token) => {
    const uri = params.textDocument.uri;
    const analysis = await diagnostics.current(uri, token);
    // Without a database the lenses could only fail: they appear once one is configured.
    return analysis ? explainService.codeLenses(uri, analysis, Boolean(scopes.scopeFor(uri).database)) : [];
  });

  documents.listen(connection);
  connection.listen();
}
