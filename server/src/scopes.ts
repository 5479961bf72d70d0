/**
 * Workspace folders as the server sees them ("scopes"; one more for files outside every folder):
 * each with its settings (pulled per folder and cached), its index of SQL files, its database
 * connection (shared between folders that name the same one) and the catalog documents there are
 * analysed against: live, else the folder's last live catalog, else the built-ins of its pgVersion.
 */
import { Connection, WorkspaceFolder } from 'vscode-languageserver';
import type { Catalog } from './core/catalog';
import type { CatalogSnapshot } from './core/catalog-snapshot';
import { CatalogReader, Connector, DatabaseConnection, databaseConfigured, RetryPolicy } from './db/connection-manager';
import { Catalogs } from './catalogs';
import type { ConnectionResult, FolderParams, SetPasswordParams, StatusParams } from './protocol';
import { statusNotification } from './protocol';
import { connectionKey, parseSettings, Settings, SETTINGS_SECTION } from './settings';
import { clockText, statusText } from './status';
import { FolderIndex, uriKey } from './workspace';
import { messageOf } from './error-message';
import { BackgroundProgress } from './progress';

/** The first diagnostics of a folder wait this long at most for the folder's first index. */
const INDEX_WAIT_MS = 1500;

/** The last catalog a folder's database gave, kept to serve while that database is unreachable. */
interface LastLiveCatalog {
  snapshot: CatalogSnapshot;
  readAt: number;
  /** The target it came from: a folder that switches to another target forgets it. */
  targetKey: string;
}

export interface Scope {
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

interface SharedDatabase {
  database: DatabaseConnection;
  scopes: Set<Scope>;
  lastLive?: LastLiveCatalog;
}

export interface ScopesHost {
  connection: Connection;
  catalogs: Catalogs;
  env: NodeJS.ProcessEnv;
  connect?: Connector;
  readCatalog?: CatalogReader;
  retry?: RetryPolicy;
  /** Wall-clock milliseconds. */
  clock: () => number;
  parserReady: Promise<void>;
  /** The catalog or settings of a scope changed: its open documents are stale. */
  refresh(scope: Scope): void;
  hasOpenDocuments(scope: Scope): boolean;
  shuttingDown(): boolean;
}

export class Scopes {
  /** False in an untrusted workspace: no database connection, ever. */
  trusted = true;
  /** initializationOptions.settings, and settings pushed by didChangeConfiguration. */
  initSettings: unknown;
  private pushedSettings: unknown;
  canAskConfiguration = false;
  canShowProgress = false;
  private readonly scopes = new Map<string, Scope>();
  private readonly databases = new Map<string, SharedDatabase>();
  private readonly passwords = new Map<string, string>();
  private readonly loggedProblems = new Set<string>();

  constructor(private readonly host: ScopesHost) {}

  private log(message: string): void {
    this.host.connection.console.log(message);
  }

  private logOnce(message: string): void {
    if (this.loggedProblems.has(message)) return;
    this.loggedProblems.add(message);
    this.host.connection.console.warn(message);
  }

  all(): Scope[] {
    return [...this.scopes.values()];
  }

  /** The innermost folder containing the URI, or the scope outside every folder. */
  scopeFor(uri: string): Scope {
    const key = uriKey(uri);
    let best: Scope | undefined;
    for (const scope of this.scopes.values()) {
      if (scope.folder?.contains(key) && (!best || scope.folder.path.length > best.folder!.path.length)) best = scope;
    }
    return best ?? this.outsideScope();
  }

  private outsideScope(): Scope {
    let scope = this.scopes.get('');
    if (!scope) {
      scope = { id: '', settings: this.defaultSettings() };
      this.scopes.set('', scope);
    }
    return scope;
  }

  /** The folder named, or every scope (without folders, the one outside them). */
  forParams(params: FolderParams | undefined): Scope[] {
    if (params?.folder) {
      const scope = this.scopes.get(params.folder);
      return scope ? [scope] : [];
    }
    if (this.scopes.size === 0) this.outsideScope();
    return this.all();
  }

  private defaultSettings(): Settings {
    return parseSettings(this.initSettings, this.pushedSettings).settings;
  }

  addFolder(folder: WorkspaceFolder): Scope {
    const existing = this.scopes.get(folder.uri);
    if (existing) return existing;
    const settings = this.defaultSettings();
    const log = (message: string) => this.log(message);
    const scope: Scope = { id: folder.uri, settings, folder: new FolderIndex(folder.uri, { maxFileSize: settings.maxFileSize, log }) };
    this.scopes.set(folder.uri, scope);
    return scope;
  }

  removeFolder(uri: string): void {
    const scope = this.scopes.get(uri);
    if (!scope) return;
    this.releaseDatabase(scope);
    this.scopes.delete(uri);
  }

  /** Settings of a scope: workspace/configuration for its folder over didChangeConfiguration over initializationOptions. */
  ensureSettings(scope: Scope): Promise<void> {
    scope.settingsLoad ??= (async () => {
      let fromClient: unknown;
      if (this.canAskConfiguration) {
        try {
          fromClient = await this.host.connection.workspace.getConfiguration(scope.id ? { scopeUri: scope.id, section: SETTINGS_SECTION } : { section: SETTINGS_SECTION });
        } catch (error) {
          this.logOnce(`workspace/configuration failed: ${messageOf(error)}`);
        }
      }
      const parsed = parseSettings(this.initSettings, this.pushedSettings, fromClient);
      for (const problem of parsed.problems) this.logOnce(`settings${scope.id ? ` of ${scope.id}` : ''}: ${problem}`);
      this.applySettings(scope, parsed.settings);
    })();
    return scope.settingsLoad;
  }

  /** didChangeConfiguration: VS Code sends null (pull model); other editors send the settings themselves. */
  settingsChanged(settings: unknown): void {
    if (settings && typeof settings === 'object' && Object.keys(settings).length > 0) this.pushedSettings = settings;
    for (const scope of this.scopes.values()) {
      scope.settingsLoad = undefined;
      void this.ensureSettings(scope);
    }
  }

  /** Passwords live in memory only; a new one reconnects the folders it is for. */
  setPassword(params: SetPasswordParams): void {
    const key = params.folder ?? '';
    if (params.password) this.passwords.set(key, params.password);
    else this.passwords.delete(key);
    for (const scope of this.forParams(params.folder ? { folder: params.folder } : undefined)) {
      if (scope.settingsLoad) void scope.settingsLoad.then(() => this.applySettings(scope, scope.settings));
    }
  }

  private applySettings(scope: Scope, settings: Settings): void {
    const before = JSON.stringify(scope.settings);
    scope.settings = settings;
    scope.folder?.setOptions({ maxFileSize: settings.maxFileSize, log: (message) => this.log(message) });
    const password = this.passwords.get(scope.id) ?? this.passwords.get('');
    // A connection setting given but unusable connects nowhere (the status says why), not to a default.
    const wanted = this.trusted && !settings.connectionRejected && databaseConfigured(settings.connection, this.host.env);
    const key = wanted
      ? JSON.stringify([connectionKey(settings.connection), password ?? null, settings.connectTimeoutMs, settings.explain.statementTimeoutMs])
      : undefined;
    if (key !== scope.databaseKey) {
      this.releaseDatabase(scope);
      if (key) this.acquireDatabase(scope, key, password);
      // Another password or timeout keeps the last catalog; another database does not.
      if (scope.lastLive && scope.lastLive.targetKey !== scope.targetKey) scope.lastLive = undefined;
      this.refreshIfBaseChanged(scope);
    }
    if (this.host.hasOpenDocuments(scope)) scope.database?.ensureConnected();
    this.sendStatus(scope);
    if (before !== JSON.stringify(settings)) this.host.refresh(scope);
  }

  private acquireDatabase(scope: Scope, key: string, password: string | undefined): void {
    const targetKey = connectionKey(scope.settings.connection);
    let shared = this.databases.get(key);
    if (!shared) {
      const users = new Set<Scope>();
      const entry: { lastLive?: LastLiveCatalog } = {};
      const database = new DatabaseConnection({
        settings: { ...scope.settings.connection, ...(password ? { password } : {}) },
        env: this.host.env,
        connectTimeoutMs: scope.settings.connectTimeoutMs,
        statementTimeoutMs: scope.settings.explain.statementTimeoutMs,
        connect: this.host.connect,
        readCatalog: this.host.readCatalog,
        retry: this.host.retry,
        log: (message) => this.host.connection.console.warn(message),
        servingMeanwhile: () => this.servingMeanwhile(users),
        onChange: (state) => {
          if (state.name === 'live') entry.lastLive = { snapshot: state.snapshot, readAt: this.host.clock(), targetKey };
          for (const user of users) {
            if (entry.lastLive) user.lastLive = entry.lastLive;
            this.sendStatus(user);
            this.refreshIfBaseChanged(user);
          }
        },
      });
      shared = Object.assign(entry, { database, scopes: users });
      this.databases.set(key, shared);
    }
    shared.scopes.add(scope);
    scope.database = shared.database;
    scope.databaseKey = key;
    scope.targetKey = targetKey;
    // A folder joining a connection that is already live shares what it read.
    if (shared.lastLive) scope.lastLive = shared.lastLive;
  }

  private releaseDatabase(scope: Scope): void {
    const key = scope.databaseKey;
    scope.database = undefined;
    scope.databaseKey = undefined;
    scope.targetKey = undefined;
    const shared = key === undefined ? undefined : this.databases.get(key);
    if (!shared || key === undefined) return;
    shared.scopes.delete(scope);
    if (shared.scopes.size === 0) {
      this.databases.delete(key);
      void shared.database.dispose();
    }
  }

  /** What serves the scopes of a database while it is unreachable, as the outage's log line says it. */
  private servingMeanwhile(users: Set<Scope>): string {
    const last = [...users].map((user) => this.lastLiveOf(user)).find((l) => l !== undefined);
    return last ? `keeping the catalog read at ${clockText(last.readAt, this.host.clock())}` : 'using the built-in catalog';
  }

  /** The last live catalog of the scope's current database, if it ever had one. */
  private lastLiveOf(scope: Scope): LastLiveCatalog | undefined {
    return scope.database && scope.lastLive?.targetKey === scope.targetKey ? scope.lastLive : undefined;
  }

  /**
   * The first catalog read of the scope's database while it is under way, when nothing read from
   * that database serves the scope yet (the built-ins do meanwhile).
   */
  firstCatalogRead(scope: Scope): { target: string; done: Promise<void> } | undefined {
    const done = this.lastLiveOf(scope) ? undefined : scope.database?.firstAttempt;
    return done && scope.database && { target: scope.database.shortTarget, done };
  }

  /** The catalog before the workspace's DDL: live, else the folder's last live one, else the built-ins. */
  baseCatalog(scope: Scope): Catalog {
    const snapshot = scope.database?.snapshot ?? this.lastLiveOf(scope)?.snapshot;
    return snapshot ? this.host.catalogs.live(snapshot) : this.host.catalogs.builtin(scope.settings.pgVersion);
  }

  /** The base catalog plus the DDL of the folder's other files. */
  documentCatalog(scope: Scope, key: string): Catalog {
    const base = this.baseCatalog(scope);
    return scope.folder ? scope.folder.catalogFor(base, key) : base;
  }

  private refreshIfBaseChanged(scope: Scope): void {
    const version = this.baseCatalog(scope).version;
    if (scope.lastBaseVersion === version) return;
    scope.lastBaseVersion = version;
    this.host.refresh(scope);
  }

  statusOf(scope: Scope): StatusParams {
    const database = scope.database;
    const last = this.lastLiveOf(scope);
    return statusText({
      trusted: this.trusted,
      pgVersion: scope.settings.pgVersion,
      folder: scope.id,
      connectionRejected: scope.settings.connectionRejected,
      database: database && { state: database.state, target: database.target, shortTarget: database.shortTarget },
      lastLive: last && { snapshot: last.snapshot, readAt: clockText(last.readAt, this.host.clock()) },
      functionCount: database?.state.name === 'live' ? this.baseCatalog(scope).functionCount : 0,
    });
  }

  private sendStatus(scope: Scope): void {
    if (this.host.shuttingDown()) return;
    const status = this.statusOf(scope);
    const text = JSON.stringify(status);
    if (text === scope.lastStatus) return;
    scope.lastStatus = text;
    void this.host.connection.sendNotification(statusNotification, status);
  }

  /** Runs a connection command once per database of the folders named; answers their statuses after it. */
  async forDatabases(params: FolderParams | undefined, action: (database: DatabaseConnection) => Promise<void>): Promise<ConnectionResult> {
    const targets = this.forParams(params);
    await Promise.all(targets.map((scope) => this.ensureSettings(scope)));
    const seen = new Set<DatabaseConnection>();
    for (const scope of targets) {
      if (!scope.database || seen.has(scope.database)) continue;
      seen.add(scope.database);
      await action(scope.database);
    }
    return { statuses: targets.map((scope) => this.statusOf(scope)) };
  }

  // ---- the folders' SQL files ---------------------------------------------------------------------

  async indexFolder(scope: Scope): Promise<void> {
    const folder = scope.folder;
    if (!folder) return;
    await this.ensureSettings(scope);
    await this.host.parserReady;
    // Indexing starts at once: a client slow to accept the progress token must not hold it up.
    const progress = new BackgroundProgress(this.host.connection, this.canShowProgress, 'Indexing SQL files', folder.path);
    try {
      await folder.indexAll((done, total) => progress.report(Math.floor((done / total) * 100), `${done}/${total} files`));
    } finally {
      progress.done();
    }
    if (folder.generation > 0) this.host.refresh(scope);
    this.log(`indexed ${folder.fileCount} SQL ${folder.fileCount === 1 ? 'file' : 'files'} in ${folder.path}`);
  }

  async waitForIndex(scope: Scope): Promise<void> {
    if (!scope.folder || scope.folder.indexed) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([scope.folder.ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, INDEX_WAIT_MS)))]);
    if (timer) clearTimeout(timer);
  }

  /** didChangeWatchedFiles: re-reads (or drops) the files; returns the scopes whose DDL changed. */
  async filesChanged(changes: { uri: string; deleted: boolean }[]): Promise<Set<Scope>> {
    const touched = new Set<Scope>();
    for (const change of changes) {
      const key = uriKey(change.uri);
      for (const scope of this.scopes.values()) {
        if (!scope.folder?.contains(key)) continue;
        const changed = change.deleted ? scope.folder.remove(key) : await scope.folder.readFromDisk(key);
        if (changed) touched.add(scope);
      }
    }
    return touched;
  }

  /** Lines of an indexed workspace file. */
  indexedLines(uri: string): ReturnType<FolderIndex['linesOf']> {
    const key = uriKey(uri);
    for (const scope of this.scopes.values()) {
      if (scope.folder?.contains(key)) {
        const lines = scope.folder.linesOf(key);
        if (lines) return lines;
      }
    }
    return undefined;
  }

  /** "sql/functions.sql" inside a folder, the file name elsewhere. */
  fileLabel(uri: string): string {
    const key = uriKey(uri);
    const folder = this.all().find((s) => s.folder?.contains(key))?.folder;
    return folder ? folder.relativePath(key) : (key.split(/[\\/]/).pop() ?? key);
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.databases.values()].map((shared) => shared.database.dispose()));
    this.databases.clear();
  }
}
