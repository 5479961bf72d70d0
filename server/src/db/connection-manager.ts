/**
 * One database connection of the language server, and its catalog snapshot. Connecting is lazy (on
 * the first document that needs it), bounded by a connect timeout and a statement timeout, and
 * never awaited on the typing path: while there is no connection another catalog serves (the
 * caller's choice: the last one read, or the built-in one; `servingMeanwhile` words it for the log).
 * After a failure it retries with exponential backoff and logs only the first failure of an outage;
 * when the connection drops (server restart) it falls back and recovers the same way.
 */
import type { Client, ClientBase } from 'pg';
import type { CatalogSnapshot } from '../core/catalog-snapshot';
import { readCatalogSnapshot } from './catalog';
import { answeringInTime, whyAbandoned, ConnectionConfig, ConnectionSettings, ConnectOptions, connectionConfig, describeTarget, openConnection, redactSecrets } from './connection';
import { messageOf } from '../error-message';

export type Connector = (config: ConnectionConfig, options: ConnectOptions) => Promise<Client>;
export type CatalogReader = (client: ClientBase) => Promise<CatalogSnapshot>;

export type DatabaseState =
  /** Not asked to connect yet (lazy). */
  | { name: 'idle' }
  /** `lastError` is set while retrying after a failure. */
  | { name: 'connecting'; attempt: number; lastError?: string }
  | { name: 'live'; snapshot: CatalogSnapshot; since: number }
  /** The last attempt failed (or the connection dropped); `retryInMs` until the next one. */
  | { name: 'error'; message: string; retryInMs: number }
  /** The user asked to disconnect; nothing happens until `reconnect()`. */
  | { name: 'disconnected' };

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { initialMs: 1000, maxMs: 60_000 };

export interface DatabaseConnectionOptions {
  settings: ConnectionSettings;
  env: NodeJS.ProcessEnv;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  connect?: Connector;
  readCatalog?: CatalogReader;
  retry?: RetryPolicy;
  now?: () => number;
  /** Server log (the first failure of each outage, recoveries). */
  log: (message: string) => void;
  /** What serves while the database is unreachable, for the log: "the built-in catalog" by default. */
  servingMeanwhile?: () => string;
  /** Called after every state change. */
  onChange: (state: DatabaseState) => void;
}

export class DatabaseConnection {
  private current: DatabaseState = { name: 'idle' };
  private client: Client | undefined;
  private config: ConnectionConfig | undefined;
  private configError: string | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private lastError: string | undefined;
  private attempt: Promise<void> | undefined;
  private disposed = false;
  /** Bumped by disconnect/dispose so that an attempt in flight knows its result is unwanted. */
  private epoch = 0;
  /** The end of the work queued on the connection (exclusive). */
  private turn: Promise<unknown> = Promise.resolve();
  private readonly connect: Connector;
  private readonly readCatalog: CatalogReader;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;

  constructor(private readonly options: DatabaseConnectionOptions) {
    this.connect = options.connect ?? openConnection;
    this.readCatalog = options.readCatalog ?? ((client) => readCatalogSnapshot(client));
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.now = options.now ?? Date.now;
    try {
      this.config = connectionConfig(options.settings, options.env);
    } catch (error) {
      this.configError = redactSecrets(messageOf(error));
    }
  }

  get state(): DatabaseState {
    return this.current;
  }

  /** The live snapshot, only while connected. */
  get snapshot(): CatalogSnapshot | undefined {
    return this.current.name === 'live' ? this.current.snapshot : undefined;
  }

  /**
   * The first attempt to connect and read the catalog, while it is under way: what a large
   * document's first analysis waits for a while (diagnostics-service.ts). Not a retry: a database
   * that failed once is not waited for again.
   */
  get firstAttempt(): Promise<void> | undefined {
    return this.current.name === 'connecting' && this.current.attempt === 1 ? this.attempt : undefined;
  }

  /** "host/database" for status lines. */
  get shortTarget(): string {
    return this.config ? `${this.config.host}/${this.config.database}` : 'database';
  }

  /** "user@host:port/database" for tooltips and logs. */
  get target(): string {
    return this.config ? describeTarget(this.config) : 'database (invalid settings)';
  }

  /** Starts connecting if nothing is under way; never waits. */
  ensureConnected(): void {
    if (this.disposed || this.current.name !== 'idle') return;
    void this.connectNow();
  }

  /** Connects now (cancelling a pending retry or a user disconnect); resolves when the attempt ended. */
  async reconnect(): Promise<void> {
    if (this.disposed) return;
    if (this.attempt) return this.attempt;
    this.failures = 0;
    await this.closeClient();
    return this.connectNow();
  }

  /** Reads the catalog again on the open connection (or connects first). */
  async refresh(): Promise<void> {
    if (this.disposed) return;
    if (this.attempt) return this.attempt;
    if (!this.client) return this.reconnect();
    const epoch = this.epoch;
    const client = this.client;
    try {
      const snapshot = await this.exclusive(() => this.readCatalog(answeringInTime(client)));
      if (epoch !== this.epoch) return;
      this.logWarnings(snapshot);
      this.setState({ name: 'live', snapshot, since: this.now() });
    } catch (error) {
      if (epoch !== this.epoch) return;
      this.fail(error);
    }
  }

  async disconnect(): Promise<void> {
    this.epoch++;
    this.clearRetry();
    await this.closeClient();
    if (!this.disposed) this.setState({ name: 'disconnected' });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.epoch++;
    this.clearRetry();
    await this.closeClient();
  }

  /** Runs work on the connection (EXPLAIN, the settings audit) once the work before it is done; throws when there is none then. */
  withClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
    return this.exclusive(() => {
      if (!this.client || this.current.name !== 'live') throw new Error(`not connected to ${this.target}`);
      return work(this.client);
    });
  }

  /**
   * Runs `work` after the connection's other work: one piece of work, and so one transaction, on it
   * at a time. pg queues queries from concurrent callers on one client, and their transactions
   * would interleave: a catalog read's SET LOCAL search_path would apply to an EXPLAIN of the user's
   * statement, its ROLLBACK TO SAVEPOINT would undo EXPLAIN's settings and its ROLLBACK end
   * EXPLAIN's read-only transaction.
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.turn.then(work, work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  private connectNow(): Promise<void> {
    this.clearRetry();
    const epoch = ++this.epoch;
    this.setState({ name: 'connecting', attempt: this.failures + 1, ...(this.failures > 0 && this.lastError ? { lastError: this.lastError } : {}) });
    const run = async () => {
      if (!this.config) throw new Error(this.configError ?? 'invalid connection settings');
      const client = await this.connect(this.config, {
        connectTimeoutMs: this.options.connectTimeoutMs,
        statementTimeoutMs: this.options.statementTimeoutMs,
        applicationName: 'pg-parallel-hints language server',
        readOnly: true,
      });
      if (epoch !== this.epoch || this.disposed) {
        await client.end().catch(() => undefined);
        return;
      }
      this.client = client;
      client.on('end', () => this.lost(client));
      const snapshot = await this.exclusive(() => this.readCatalog(answeringInTime(client)));
      if (epoch !== this.epoch || this.disposed) return;
      if (this.failures > 0) this.options.log(`connected again to ${this.target}`);
      this.failures = 0;
      this.logWarnings(snapshot);
      this.setState({ name: 'live', snapshot, since: this.now() });
    };
    this.attempt = run()
      .catch((error: unknown) => {
        if (epoch === this.epoch && !this.disposed) this.fail(error);
      })
      .finally(() => {
        this.attempt = undefined;
      });
    return this.attempt;
  }

  private lost(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    if (this.disposed || this.current.name === 'disconnected') return;
    this.epoch++;
    this.fail(new Error(whyAbandoned(client) ?? 'the connection was closed by the server'));
  }

  private logWarnings(snapshot: CatalogSnapshot): void {
    for (const warning of snapshot.warnings ?? []) this.options.log(`database ${this.target}: ${warning}`);
  }

  private fail(error: unknown): void {
    this.clearRetry();
    const message = redactSecrets(error instanceof Error ? error.message.split('\n')[0] : String(error), this.config);
    if (this.failures === 0) this.options.log(`database ${this.target}: ${message}; ${this.options.servingMeanwhile?.() ?? 'using the built-in catalog'} until it is reachable`);
    this.failures++;
    this.lastError = message;
    const delay = Math.min(this.retry.maxMs, this.retry.initialMs * 2 ** (this.failures - 1));
    void this.closeClient();
    this.setState({ name: 'error', message, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.connectNow();
    }, delay);
    // A retry alone must not keep a process (the CLI, a test) alive.
    this.retryTimer.unref();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }

  private setState(state: DatabaseState): void {
    this.current = state;
    if (!this.disposed) this.options.onChange(state);
  }
}

/** Should the server try to connect at all? Only when settings or the environment name a database. */
export function databaseConfigured(settings: ConnectionSettings, env: NodeJS.ProcessEnv): boolean {
  const named = (['url', 'host', 'port', 'database', 'user'] as const).some((key) => settings[key] !== undefined && settings[key] !== '');
  return named || ['DATABASE_URL', 'PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGSERVICE'].some((name) => !!env[name]);
}
