/**
 * The `pgParallelHints` settings, typed once. Whatever arrives (workspace/configuration,
 * initializationOptions, didChangeConfiguration) is parsed, never cast: a wrong value is reported
 * and replaced by its default, so the rest of the server can trust the types.
 *
 * No password here, ever: it comes from VS Code SecretStorage (pgParallelHints/setPassword),
 * PGPASSWORD or .pgpass.
 */
import { ConnectionSettings as DatabaseConnectionSettings, cutUserInfo, SSL_MODES, SslMode } from './db/connection';

export const SETTINGS_SECTION = 'pgParallelHints';

export type TraceLevel = 'off' | 'messages' | 'verbose';
/**
 * The connection as the editor's settings give it (url: postgres://user@host:port/db?sslmode=...).
 * Never a password: a password in the url is ignored and reported, the real one comes from a secret store.
 */
export interface ConnectionSettings extends Omit<DatabaseConnectionSettings, 'password' | 'sslmode'> {
  sslmode?: SslMode;
}

export interface Settings {
  connection: ConnectionSettings;
  /** The PostgreSQL major whose built-in catalog serves when there is no live connection. */
  pgVersion: number;
  trace: { server: TraceLevel };
  explain: { statementTimeoutMs: number };
  connectTimeoutMs: number;
  /** Documents larger than this many bytes (UTF-16 length) are not analysed. */
  maxFileSize: number;
  /**
   * Why a connection setting that was given is unusable ("connection.port: expected ..."). The
   * server then connects nowhere and says so, rather than to a default the user did not ask for.
   */
  connectionRejected?: string;
}

export const SUPPORTED_PG_VERSIONS = [14, 15, 16, 17, 18];

export const DEFAULT_SETTINGS: Settings = Object.freeze({
  connection: Object.freeze({}),
  pgVersion: 18,
  trace: Object.freeze({ server: 'off' as TraceLevel }),
  explain: Object.freeze({ statementTimeoutMs: 10_000 }),
  connectTimeoutMs: 5_000,
  maxFileSize: 5 * 1024 * 1024,
}) as Settings;

/**
 * Every setting with its default and a one-line description: the source for package.json
 * `contributes.configuration` (a client test keeps the two in step).
 */
export const SETTINGS_SCHEMA: Record<string, { type: string | string[]; default?: unknown; enum?: readonly (string | number)[]; description: string; scope?: string }> = {
  'pgParallelHints.connection.url': { type: 'string', description: 'Database URL without a password, e.g. postgres://me@localhost:5432/shop?sslmode=require.', scope: 'resource' },
  'pgParallelHints.connection.host': { type: 'string', description: 'Database host (or a Unix socket directory). Default: PGHOST, then localhost.', scope: 'resource' },
  // null, not left out: VS Code gives a number setting without a default as 0, which is no port.
  'pgParallelHints.connection.port': { type: ['number', 'null'], default: null, description: 'Database port. Default: PGPORT, then 5432.', scope: 'resource' },
  'pgParallelHints.connection.database': { type: 'string', description: 'Database name. Default: PGDATABASE, then the user name.', scope: 'resource' },
  'pgParallelHints.connection.user': { type: 'string', description: 'Database user. Default: PGUSER, then the operating-system user.', scope: 'resource' },
  'pgParallelHints.connection.sslmode': { type: 'string', enum: SSL_MODES, description: 'TLS mode, as in libpq.', scope: 'resource' },
  'pgParallelHints.connection.sslrootcert': { type: 'string', description: 'CA certificate file for sslmode verify-ca / verify-full.', scope: 'resource' },
  'pgParallelHints.pgVersion': { type: 'number', default: 18, enum: SUPPORTED_PG_VERSIONS, description: 'PostgreSQL major version whose built-in catalog is used without a database connection (14-18).', scope: 'resource' },
  'pgParallelHints.trace.server': { type: 'string', default: 'off', enum: ['off', 'messages', 'verbose'], description: 'Traces the communication between VS Code and the language server.', scope: 'window' },
  'pgParallelHints.explain.statementTimeoutMs': { type: 'number', default: 10_000, description: 'statement_timeout for EXPLAIN and catalog queries, in milliseconds.', scope: 'resource' },
  'pgParallelHints.connectTimeoutMs': { type: 'number', default: 5_000, description: 'How long to wait for a database connection, in milliseconds.', scope: 'resource' },
  'pgParallelHints.maxFileSize': { type: 'number', default: 5 * 1024 * 1024, description: 'Documents larger than this (bytes) are not analysed.', scope: 'resource' },
};

export interface ParsedSettings {
  settings: Settings;
  /** One line per value that was ignored, for the server log. */
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses one or more layers of raw settings (later layers win, field by field) into Settings.
 * `undefined`/`null` layers and fields are skipped; anything else of the wrong type is a problem.
 */
export function parseSettings(...layers: unknown[]): ParsedSettings {
  const problems: string[] = [];
  const settings: Settings = {
    connection: {},
    pgVersion: DEFAULT_SETTINGS.pgVersion,
    trace: { server: DEFAULT_SETTINGS.trace.server },
    explain: { statementTimeoutMs: DEFAULT_SETTINGS.explain.statementTimeoutMs },
    connectTimeoutMs: DEFAULT_SETTINGS.connectTimeoutMs,
    maxFileSize: DEFAULT_SETTINGS.maxFileSize,
  };

  const text = (value: unknown, name: string): string | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value;
    problems.push(`${name}: expected a string, got ${JSON.stringify(value)}`);
    return undefined;
  };
  const integer = (value: unknown, name: string, min: number, max: number): number | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
    problems.push(`${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
    return undefined;
  };
  const oneOf = <T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined => {
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return undefined;
  };

  // Per connection field, why the value given for it was unusable; a later layer's good value clears it.
  const rejected = new Map<string, string>();
  for (const layer of layers) {
    if (layer === undefined || layer === null) continue;
    if (!isRecord(layer)) {
      problems.push(`${SETTINGS_SECTION}: expected an object, got ${JSON.stringify(layer)}`);
      continue;
    }
    const raw = isRecord(layer[SETTINGS_SECTION]) ? (layer[SETTINGS_SECTION] as Record<string, unknown>) : layer;

    if (raw.connection !== undefined && raw.connection !== null) {
      if (!isRecord(raw.connection)) {
        problems.push(`connection: expected an object, got ${JSON.stringify(raw.connection)}`);
      } else {
        const c = raw.connection;
        const conn = settings.connection;
        /** Parses one field; a value given but unusable is a problem and marks the connection rejected. */
        const field = <T>(key: keyof ConnectionSettings, parse: (name: string) => T | undefined): T | undefined => {
          const before = problems.length;
          const value = parse(`connection.${key}`);
          if (problems.length > before) rejected.set(key, problems[problems.length - 1]);
          else if (value !== undefined) rejected.delete(key);
          return value;
        };
        const url = field('url', (name) => {
          const given = text(c.url, name);
          if (given === undefined) return undefined;
          const cleaned = withoutPassword(given);
          if (typeof cleaned !== 'string') problems.push(`${name}: ${cleaned.problem}`);
          return typeof cleaned === 'string' ? { given, cleaned } : undefined;
        });
        if (url) {
          conn.url = url.cleaned;
          if (url.cleaned !== url.given) problems.push('connection.url: the password in the URL is ignored; use the "Set database password" command, PGPASSWORD or .pgpass');
        }
        const host = field('host', (name) => text(c.host, name));
        if (host !== undefined) conn.host = host;
        const port = field('port', (name) => integer(c.port, name, 1, 65535));
        if (port !== undefined) conn.port = port;
        const database = field('database', (name) => text(c.database, name));
        if (database !== undefined) conn.database = database;
        const user = field('user', (name) => text(c.user, name));
        if (user !== undefined) conn.user = user;
        const sslmode = field('sslmode', (name) => oneOf(c.sslmode, name, SSL_MODES));
        if (sslmode !== undefined) conn.sslmode = sslmode;
        const sslrootcert = field('sslrootcert', (name) => text(c.sslrootcert, name));
        if (sslrootcert !== undefined) conn.sslrootcert = sslrootcert;
        if (c.password !== undefined) problems.push('connection.password: passwords are never read from settings; use the "Set database password" command, PGPASSWORD or .pgpass');
      }
    }
    const pgVersion = integer(raw.pgVersion, 'pgVersion', 0, 1000);
    if (pgVersion !== undefined) {
      if (SUPPORTED_PG_VERSIONS.includes(pgVersion)) settings.pgVersion = pgVersion;
      else problems.push(`pgVersion: no built-in catalog for PostgreSQL ${pgVersion}; supported: ${SUPPORTED_PG_VERSIONS.join(', ')}`);
    }
    if (isRecord(raw.trace)) {
      const server = oneOf(raw.trace.server, 'trace.server', ['off', 'messages', 'verbose'] as const);
      if (server !== undefined) settings.trace.server = server;
    }
    if (isRecord(raw.explain)) {
      const timeout = integer(raw.explain.statementTimeoutMs, 'explain.statementTimeoutMs', 1, 86_400_000);
      if (timeout !== undefined) settings.explain.statementTimeoutMs = timeout;
    }
    const connectTimeout = integer(raw.connectTimeoutMs, 'connectTimeoutMs', 1, 600_000);
    if (connectTimeout !== undefined) settings.connectTimeoutMs = connectTimeout;
    const maxFileSize = integer(raw.maxFileSize, 'maxFileSize', 0, Number.MAX_SAFE_INTEGER);
    if (maxFileSize !== undefined) settings.maxFileSize = maxFileSize;
  }
  if (rejected.size > 0) settings.connectionRejected = [...rejected.values()].join('; ');
  return { settings, problems };
}

/** The URL with any password removed, or why it cannot be used (never quoting it: it may hold one). */
function withoutPassword(url: string): string | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const cut = cutUserInfo(url);
    if (cut && /^postgres(ql)?:\/\//i.test(url)) return { problem: `its ${cut}` };
    return /^postgres(ql)?:\/\//i.test(url)
      ? { problem: 'not a valid URL (expected postgresql://user@host:port/database, a port from 1 to 65535)' }
      : { problem: 'not a postgres:// or postgresql:// URL' };
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return { problem: 'not a postgres:// or postgresql:// URL' };
  const cut = cutUserInfo(url, parsed);
  if (cut) return { problem: `its ${cut}` };
  if (!parsed.password) return url;
  parsed.password = '';
  return parsed.toString();
}

/** True when the settings name a database; without it the environment (PG*, DATABASE_URL) may still. */
export function hasConnectionSettings(connection: ConnectionSettings): boolean {
  return Object.values(connection).some((v) => v !== undefined);
}

/** Stable text identifying a connection target, to share one connection between folders with equal settings. */
export function connectionKey(connection: ConnectionSettings): string {
  return JSON.stringify(Object.entries(connection).sort(([a], [b]) => a.localeCompare(b)));
}
