/**
 * How the product connects: settings (never a password) first, then a URL, DATABASE_URL, and the
 * standard PG* variables; `pg` itself reads .pgpass when no password is given. Every connection has
 * a connect timeout and a statement timeout (pg waits forever by default), and every error message
 * that leaves this module has its secrets removed.
 */
import { Client, ClientConfig } from 'pg';

export interface ConnectionSettings {
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: string;
  sslrootcert?: string;
  /** Only from a secret store (VS Code SecretStorage) or PGPASSWORD; never from a settings file. */
  password?: string;
}

export interface ConnectOptions {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** Catalog connections refuse to write, whatever is sent on them. */
  readOnly?: boolean;
}

function sslFor(mode: string | undefined, rootCert: string | undefined): ClientConfig['ssl'] {
  switch (mode) {
    case undefined:
    case '':
    case 'disable':
    case 'allow':
    case 'prefer':
      return undefined;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full': {
      // Read lazily: only the TLS modes that verify need the file.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const ca = rootCert ? (require('fs') as typeof import('fs')).readFileSync(rootCert, 'utf8') : undefined;
      return mode === 'verify-ca' ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { ca, rejectUnauthorized: true };
    }
    default:
      throw new Error(`unknown sslmode "${mode}" (use disable, require, verify-ca or verify-full)`);
  }
}

/** Builds the pg configuration from settings, a URL and the environment, in that order of precedence. */
export function connectionConfig(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const url = settings.url ?? env.DATABASE_URL;
  const config: ClientConfig = {};
  if (url) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw new Error('the database URL must start with postgres:// or postgresql://');
    config.host = decodeURIComponent(parsed.hostname) || undefined;
    if (parsed.port) config.port = Number(parsed.port);
    if (parsed.pathname.length > 1) config.database = decodeURIComponent(parsed.pathname.slice(1));
    if (parsed.username) config.user = decodeURIComponent(parsed.username);
    if (parsed.password) config.password = decodeURIComponent(parsed.password);
    const host = parsed.searchParams.get('host');
    if (host) config.host = host;
    const sslmode = parsed.searchParams.get('sslmode');
    if (sslmode) config.ssl = sslFor(sslmode, parsed.searchParams.get('sslrootcert') ?? undefined);
  }
  config.host = settings.host ?? config.host ?? env.PGHOST ?? 'localhost';
  config.port = settings.port ?? config.port ?? (env.PGPORT ? Number(env.PGPORT) : 5432);
  config.database = settings.database ?? config.database ?? env.PGDATABASE;
  config.user = settings.user ?? config.user ?? env.PGUSER;
  const password = settings.password ?? config.password ?? env.PGPASSWORD;
  if (password !== undefined) config.password = password;
  const sslmode = settings.sslmode ?? env.PGSSLMODE;
  if (sslmode) config.ssl = sslFor(sslmode, settings.sslrootcert ?? env.PGSSLROOTCERT);
  config.user ??= env.USER ?? env.USERNAME;
  config.database ??= config.user;
  return config;
}

/** "user@host:port/database": how the product names a connection in status lines and messages. */
export function describeTarget(config: ClientConfig): string {
  return `${config.user ?? ''}@${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}

/** Removes the password (raw or URL-encoded) and any URL credentials from a message. */
export function redactSecrets(text: string, config?: ClientConfig): string {
  let out = text.replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
  const password = typeof config?.password === 'string' ? config.password : undefined;
  if (password) {
    for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
  }
  return out;
}

/** A clear, one-line message for a failed connection. */
export function connectionErrorMessage(error: unknown, config: ClientConfig): string {
  const e = error as NodeJS.ErrnoException & { code?: string };
  const where = `${config.host ?? 'localhost'}:${config.port ?? 5432}`;
  let message: string;
  switch (e?.code) {
    case 'ECONNREFUSED':
      message = `could not connect to ${where}: connection refused (is PostgreSQL running there?)`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `could not connect to ${where}: unknown host`;
      break;
    case 'ETIMEDOUT':
      message = `could not connect to ${where}: timed out`;
      break;
    case '28P01':
      message = `password authentication failed for user "${config.user}"`;
      break;
    case '3D000':
      message = `database "${config.database}" does not exist`;
      break;
    default:
      message = e instanceof Error ? e.message.split('\n')[0] : String(error);
      if (/timeout/i.test(message)) message = `could not connect to ${where}: timed out`;
  }
  return redactSecrets(message, config);
}

/** Opens a connection with timeouts set; throws an Error whose message is already safe to show. */
export async function openConnection(config: ClientConfig, options: ConnectOptions = {}): Promise<Client> {
  const client = new Client({
    ...config,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'pg-parallel-hints',
    ...(options.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A connection dropped later (server restart, pg_terminate_backend) must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(connectionErrorMessage(error, config));
  }
  return client;
}
