/**
 * How the product connects. Each parameter comes from the first source that has it: the explicit
 * settings, the URL (settings.url, else DATABASE_URL), a pg_service.conf service (PGSERVICE or
 * ?service=), the PG* environment variables, then libpq's defaults. Passwords come from settings
 * (a secret store), the URL, PGPASSWORD or the password file (.pgpass / PGPASSFILE), looked up here
 * rather than by pg, which reads only process.env and deprecates its own lookup.
 * Every connection has a connect timeout and a statement timeout (pg waits forever by default), and
 * no message leaving this module carries a password.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Client, ClientBase, ClientConfig } from 'pg';

export interface ConnectionSettings {
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: string;
  sslrootcert?: string;
  /** Only from a secret store (VS Code SecretStorage); never from a settings file. */
  password?: string;
}

/** libpq's sslmode values; the settings schema offers the same list. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** A pg configuration that remembers the sslmode it came from: `prefer` falls back to plain text. */
export interface ConnectionConfig extends ClientConfig {
  host: string;
  port: number;
  user: string;
  database: string;
  sslmode: SslMode;
  /** The root certificate file the chain is checked against, for messages. */
  sslrootcert?: string;
}

export interface ConnectOptions {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  /** Sessions default to read-only transactions (default true): catalog reads and plan probes never write. */
  readOnly?: boolean;
}

/** A failed connection: `message` is one line, safe to show; `reason` is the part after the target. */
export class ConnectionError extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`could not connect to ${target}: ${reason}`);
    this.name = 'ConnectionError';
  }
}

interface Parameters {
  host?: string;
  port?: string;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: string;
  sslrootcert?: string;
  service?: string;
}

/** What a character that ends a URL's user or password part is written as there. */
const PERCENT_ENCODED: Record<string, string> = { '#': '%23', '?': '%3F', '/': '%2F' };

/**
 * Why a URL's user name or password is cut short, if it is: a `#`, `?` or `/` in it ends that part
 * before its `@` (`postgres://me:pa#ss@db/shop` is read as host "me", port "pa", fragment "ss@db/shop").
 * The URL then fails to parse (`parsed` false), or, where the cut leaves a host, parses with the
 * rest as a fragment holding the `@`. Names the part and the character, never the text: it is the
 * password. (An `@` in a password needs no help: the URL parser takes the last `@` as its end.)
 */
export function cutUserInfo(url: string, parsed?: URL): string | undefined {
  const rest = /^[a-z][a-z0-9+.-]*:\/\/(.*)$/is.exec(url)?.[1];
  if (rest === undefined) return undefined;
  const end = rest.search(/[/?#]/);
  const before = end < 0 ? rest : rest.slice(0, end);
  if (end < 0 || before.includes('@') || !rest.slice(end).includes('@')) return undefined;
  // Parsed, it is cut only if the rest became a fragment holding the @ (a query's user=me@corp is no cut).
  if (parsed && !(rest[end] === '#' && parsed.hash.includes('@'))) return undefined;
  const part = before.includes(':') ? 'password' : 'user name';
  return `${part} holds a "${rest[end]}", which must be percent-encoded in a URL (as ${PERCENT_ENCODED[rest[end]]})`;
}

function parseUrl(url: string): Parameters {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    const cut = cutUserInfo(url);
    throw new Error(cut ? `the database URL's ${cut}` : 'the database URL is not a valid URL (expected postgresql://user@host:port/database)');
  }
  const cut = cutUserInfo(url, parsed);
  if (cut) throw new Error(`the database URL's ${cut}`);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error('the database URL must start with postgresql:// or postgres://');
  }
  const query = (name: string) => parsed.searchParams.get(name) ?? undefined;
  // A bad %-escape names its part, never its text (it may be the password).
  const decoded = (text: string, part: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new Error(`the database URL's ${part} has a % that does not start a valid escape (%XX, a UTF-8 byte in hex)`);
    }
  };
  const params: Parameters = {
    host: query('host') ?? (parsed.hostname ? decoded(parsed.hostname, 'host').replace(/^\[(.*)\]$/, '$1') : undefined),
    port: query('port') ?? (parsed.port || undefined),
    database: query('dbname') ?? (parsed.pathname.length > 1 ? decoded(parsed.pathname.slice(1), 'database name') : undefined),
    user: query('user') ?? (parsed.username ? decoded(parsed.username, 'user name') : undefined),
    password: query('password') ?? (parsed.password ? decoded(parsed.password, 'password') : undefined),
    sslmode: query('sslmode'),
    sslrootcert: query('sslrootcert'),
    service: query('service'),
  };
  return params;
}

/** The [service] section of pg_service.conf: PGSERVICEFILE or ~/.pg_service.conf, then PGSYSCONFDIR's. */
function serviceParameters(service: string, env: NodeJS.ProcessEnv): Parameters {
  const home = env.HOME ?? os.homedir();
  const files = [env.PGSERVICEFILE ?? path.join(home, '.pg_service.conf'), ...(env.PGSYSCONFDIR ? [path.join(env.PGSYSCONFDIR, 'pg_service.conf')] : [])];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let inSection = false;
    let found = false;
    const params: Record<string, string> = {};
    for (const raw of text.split(/\r?\n/)) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const section = /^\[(.*)\]$/.exec(line);
      if (section) {
        inSection = section[1] === service;
        found ||= inSection;
        continue;
      }
      const eq = line.indexOf('=');
      if (inSection && eq > 0) params[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    if (found) {
      return {
        host: params.host ?? params.hostaddr,
        port: params.port,
        database: params.dbname,
        user: params.user,
        password: params.password,
        sslmode: params.sslmode,
        sslrootcert: params.sslrootcert,
      };
    }
  }
  throw new Error(`definition of service "${service}" not found`);
}

function sslFor(mode: SslMode, rootCert: string | undefined): ClientConfig['ssl'] {
  const ca = () => {
    if (!rootCert) return undefined;
    try {
      return fs.readFileSync(rootCert, 'utf8');
    } catch (error) {
      throw new Error(`cannot read the root certificate ${rootCert}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  switch (mode) {
    case 'disable':
    case 'allow':
      return false;
    case 'prefer':
      return { rejectUnauthorized: false };
    case 'require':
      // As libpq: with a root certificate, require also verifies the chain.
      return rootCert ? { ca: ca(), rejectUnauthorized: true, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
    case 'verify-ca':
      return { ca: ca(), rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case 'verify-full':
      return { ca: ca(), rejectUnauthorized: true };
  }
}

/**
 * Builds the pg configuration. DATABASE_URL is consulted only when the settings name neither a URL
 * nor a host: otherwise its credentials could be sent to a server they were not written for.
 */
export function connectionConfig(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env): ConnectionConfig {
  const url = settings.url ?? (settings.host === undefined ? env.DATABASE_URL : undefined);
  const fromUrl = url ? parseUrl(url) : {};
  const serviceName = fromUrl.service ?? env.PGSERVICE;
  const fromService = serviceName ? serviceParameters(serviceName, env) : {};
  const fromEnv: Parameters = {
    host: env.PGHOST,
    port: env.PGPORT,
    database: env.PGDATABASE,
    user: env.PGUSER,
    password: env.PGPASSWORD,
    sslmode: env.PGSSLMODE,
    sslrootcert: env.PGSSLROOTCERT,
  };
  const explicit: Parameters = {
    host: settings.host,
    port: settings.port === undefined ? undefined : String(settings.port),
    database: settings.database,
    user: settings.user,
    password: settings.password,
    sslmode: settings.sslmode,
    sslrootcert: settings.sslrootcert,
  };
  const pick = <K extends keyof Parameters>(key: K): Parameters[K] => {
    for (const source of [explicit, fromUrl, fromService, fromEnv]) {
      const value = source[key];
      if (value !== undefined && value !== '') return value;
    }
    return undefined;
  };

  const portText = pick('port') ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port "${portText}"`);
  const sslmode = (pick('sslmode') ?? 'prefer').toLowerCase();
  if (!(SSL_MODES as readonly string[]).includes(sslmode)) throw new Error(`invalid sslmode "${sslmode}" (use ${SSL_MODES.join(', ')})`);
  const user = pick('user') ?? env.USER ?? env.USERNAME ?? os.userInfo().username;
  const host = pick('host') ?? 'localhost';
  const database = pick('database') ?? user;
  const password = pick('password');
  const config: ConnectionConfig = {
    host,
    port,
    user,
    database,
    sslmode: sslmode as SslMode,
    ssl: sslFor(sslmode as SslMode, pick('sslrootcert')),
  };
  const rootCert = pick('sslrootcert');
  if (rootCert !== undefined) config.sslrootcert = rootCert;
  if (password !== undefined) config.password = password;
  else {
    const passfile = env.PGPASSFILE ?? path.join(env.HOME ?? os.homedir(), '.pgpass');
    // Called only if the server asks for a password.
    config.password = async () => {
      const found = passwordFromFile(passfile, { host, port, database, user });
      if (found === undefined) throw new Error(noPasswordReason(user));
      return found;
    };
  }
  return config;
}

/**
 * The first matching line of a libpq password file (host:port:database:user:password, `*` matches
 * anything, `\` escapes `:` and `\`). Like libpq, a file others can read is ignored, and a socket
 * directory matches the host name "localhost".
 */
export function passwordFromFile(file: string, target: { host: string; port: number; database: string; user: string }): string | undefined {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return undefined;
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) return undefined;
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const host = target.host.startsWith('/') ? 'localhost' : target.host;
  const wanted = [host, String(target.port), target.database, target.user];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const fields: string[] = [''];
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
      else if (line[i] === ':' && fields.length < 5) fields.push('');
      else fields[fields.length - 1] += line[i];
    }
    if (fields.length < 5) continue;
    if (wanted.every((value, i) => fields[i] === '*' || fields[i] === value)) return fields[4];
  }
  return undefined;
}

/** "user@host:port/database": how the product names a connection in status lines and messages. */
export function describeTarget(config: ClientConfig): string {
  return `${config.user ?? ''}@${config.host ?? 'localhost'}:${config.port ?? 5432}/${config.database ?? ''}`;
}

/** Removes the password (as given, URL-encoded) and any credentials in URLs or key=value strings. */
export function redactSecrets(text: string, config?: ClientConfig): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@')
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)/gi, '$1***');
  const password = typeof config?.password === 'string' ? config.password : undefined;
  if (password) {
    for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
  }
  return out;
}

/** One message for the command line and the editor: it names where each takes a password from. */
function noPasswordReason(user: string): string {
  return `the server asks for a password for user "${user}" and none was given (PGPASSWORD, a .pgpass entry, a PGSERVICE service, the --db URL of the command line, or the command "Set database password" in VS Code)`;
}

/** Node's codes for a certificate chain that does not lead to a trusted root. */
const UNTRUSTED_CHAIN = ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'];

/** The reason part of a failed connection, in libpq's words where it has them. */
function failureReason(error: unknown, config: ConnectionConfig, timeoutMs: number): string {
  const e = error as (Error & { code?: string }) | undefined;
  const message = e instanceof Error ? e.message.split('\n')[0] : String(error);
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `unknown host "${config.host}"`;
    case 'ETIMEDOUT':
      return 'timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ENOENT':
      return `no server socket in ${config.host}`;
    case 'ECONNRESET':
      return 'the server closed the connection';
  }
  if (message === 'timeout expired' || /connection timeout/i.test(message)) return `timed out after ${timeoutMs / 1000} s`;
  if (/password must be a string/i.test(message)) return noPasswordReason(config.user);
  if (/does not support SSL/i.test(message)) return `the server does not accept SSL connections (sslmode=${config.sslmode})`;
  if (e?.code !== undefined && UNTRUSTED_CHAIN.includes(e.code)) {
    const by = config.sslrootcert ? `the root certificate ${config.sslrootcert}` : 'no root certificate (set sslrootcert to the CA that signed the server certificate)';
    return `SSL certificate rejected (sslmode=${config.sslmode}): ${message}; checked against ${by}`;
  }
  if (/self[- ]signed certificate|unable to verify|certificate/i.test(message)) return `SSL certificate rejected (sslmode=${config.sslmode}): ${message}`;
  return message;
}

async function attempt(config: ClientConfig, options: Required<ConnectOptions>): Promise<Client> {
  // pg is loaded on the first connection, not at start: a third of the language server's start-up
  // time went to it, and many sessions never connect.
  const { Client } = await import('pg');
  const client = new Client({
    ...config,
    connectionTimeoutMillis: options.connectTimeoutMs,
    application_name: options.applicationName,
    keepAlive: true,
  });
  // A connection that drops later (restart, pg_terminate_backend) must not crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  return client;
}

/**
 * A connected client with statement_timeout set and, by default, read-only transactions. Both are
 * set with SET rather than startup options, which connection poolers such as PgBouncer refuse.
 * Throws a ConnectionError whose message is one line without secrets.
 */
export async function openConnection(config: ConnectionConfig, options: ConnectOptions = {}): Promise<Client> {
  const resolved: Required<ConnectOptions> = {
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    statementTimeoutMs: options.statementTimeoutMs ?? 10_000,
    applicationName: options.applicationName ?? 'pg-parallel-hints',
    readOnly: options.readOnly ?? true,
  };
  const target = `${config.host}:${config.port}`;
  let client: Client;
  try {
    try {
      client = await attempt(config, resolved);
    } catch (error) {
      // sslmode=prefer (libpq's default): a server without SSL gets a plain connection.
      if (config.sslmode !== 'prefer' || !/does not support SSL/i.test((error as Error).message)) throw error;
      client = await attempt({ ...config, ssl: false }, resolved);
    }
  } catch (error) {
    throw new ConnectionError(target, redactSecrets(failureReason(error, config, resolved.connectTimeoutMs), config));
  }
  try {
    // Plain SET, not set_config(): calling a function looks it up in pg_proc, and a lock held on
    // pg_proc would block that first query forever, before any statement timeout applies.
    const timeout = Math.max(0, Math.floor(resolved.statementTimeoutMs));
    await client.query(`SET statement_timeout = ${timeout}; SET default_transaction_read_only = ${resolved.readOnly ? 'on' : 'off'}`);
    sessionTimeouts.set(client, timeout);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new ConnectionError(target, redactSecrets(failureReason(error, config, resolved.connectTimeoutMs), config));
  }
  return client;
}

/** The statement_timeout openConnection set on each of its clients (0: none). */
const sessionTimeouts = new WeakMap<ClientBase, number>();

/**
 * The client for work its session's statement timeout bounds (the catalog read, settings): given up
 * when a query goes unanswered for that timeout and a grace (answeringWithin). As it is without one.
 */
export function answeringInTime<C extends ClientBase>(client: C): C {
  const timeout = sessionTimeouts.get(client) ?? 0;
  return timeout > 0 ? answeringWithin(client, timeout) : client;
}

/** How long past its statement timeout a query may go unanswered before its connection is given up. */
const NO_ANSWER_GRACE_MS = 5_000;
/** How long a query may go on after a cancel request was sent before its connection is given up. */
export const CANCEL_GRACE_MS = 3_000;

/** A query the server left unanswered (answeringWithin): its connection was closed. */
export class NoAnswerError extends Error {
  constructor(readonly afterMs: number) {
    super(`the server did not answer within ${afterMs / 1000} s, though the statement timeout should have stopped the query: the connection was closed`);
    this.name = 'NoAnswerError';
  }
}

/** Why each client abandonConnection closed was given up. */
const abandoned = new WeakMap<ClientBase, string>();

/**
 * Closes the client's socket at once, for `why`. For a backend that no longer answers (stopped,
 * hung, a host gone behind a live TCP connection), which neither statement_timeout nor a cancel
 * request reaches: what waits on it fails ("Connection terminated"), and the client ends.
 */
export function abandonConnection(client: ClientBase, why: string): void {
  if (!abandoned.has(client)) abandoned.set(client, why);
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/** Why the product gave the client's connection up (abandonConnection), if it did: the connection's end is not the server's doing then. */
export function whyAbandoned(client: ClientBase): string | undefined {
  return abandoned.get(client);
}

/**
 * The client, for one piece of work under `statementTimeoutMs`, where each query the server leaves
 * unanswered for that timeout and NO_ANSWER_GRACE_MS closes the connection and fails with a
 * NoAnswerError instead of waiting forever. The connection's owner opens a new one (the language
 * server's on 'end').
 */
export function answeringWithin<C extends ClientBase>(client: C, statementTimeoutMs: number): C {
  const ms = statementTimeoutMs + NO_ANSWER_GRACE_MS;
  const query = (...args: unknown[]): Promise<unknown> => {
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      abandonConnection(client, new NoAnswerError(ms).message);
    }, ms);
    return (client.query as (...a: unknown[]) => Promise<unknown>).apply(client, args).then(
      (result) => {
        clearTimeout(timer);
        return result;
      },
      (error: unknown) => {
        clearTimeout(timer);
        throw expired ? new NoAnswerError(ms) : error;
      },
    );
  };
  return new Proxy(client, { get: (target, property) => (property === 'query' ? query : Reflect.get(target, property, target)) });
}
