/**
 * How the product connects: where each parameter comes from, what a failed connection says (one
 * line, never the password), and the session it hands out, against a real server that asks a
 * password-protected role for its password.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import {
  ConnectionConfig,
  ConnectionError,
  connectionConfig,
  describeTarget,
  openConnection,
  passwordFromFile,
  redactSecrets,
} from '../../server/src/db/connection';
import { PgCluster, startPostgres } from '../harness/postgres';

const PASSWORD = 'S3cret:pa$$/w@rd';
const ROLE = 'pw_user';
const NO_PASSWORD = `the server asks for a password for user "${ROLE}" and none was given (PGPASSWORD, a .pgpass entry, a PGSERVICE service, the --db URL of the command line, or the command "Set database password" in VS Code)`;

/** Settings with nothing inherited from the machine running the tests. */
const bareEnv: NodeJS.ProcessEnv = { HOME: '/nonexistent', USER: 'someone' };

async function rejection(promise: Promise<unknown>): Promise<ConnectionError> {
  try {
    const client = await promise;
    await (client as Client).end();
  } catch (error) {
    assert.ok(error instanceof ConnectionError, `not a ConnectionError: ${error}`);
    return error;
  }
  throw new Error('the connection succeeded');
}

describe('connection settings', () => {
  it('uses libpq defaults: localhost:5432, the OS user, a database named after the user, sslmode prefer', () => {
    const config = connectionConfig({}, bareEnv);
    assert.strictEqual(config.host, 'localhost');
    assert.strictEqual(config.port, 5432);
    assert.strictEqual(config.user, 'someone');
    assert.strictEqual(config.database, 'someone');
    assert.strictEqual(config.sslmode, 'prefer');
    assert.deepStrictEqual(config.ssl, { rejectUnauthorized: false });
    assert.strictEqual(typeof config.password, 'function', 'the password file is consulted when the server asks');
  });

  it('takes explicit settings first, then the URL, then PG* variables', () => {
    const env = { ...bareEnv, PGHOST: 'env-host', PGPORT: '6000', PGDATABASE: 'env_db', PGUSER: 'env_user', PGPASSWORD: 'env-pw', PGSSLMODE: 'disable' };
    const config = connectionConfig({ url: 'postgresql://url_user@url-host/url_db', database: 'explicit_db' }, env);
    assert.strictEqual(config.host, 'url-host');
    assert.strictEqual(config.port, 6000);
    assert.strictEqual(config.database, 'explicit_db');
    assert.strictEqual(config.user, 'url_user');
    assert.strictEqual(config.password, 'env-pw');
    assert.strictEqual(config.ssl, false);
    const envOnly = connectionConfig({}, env);
    assert.strictEqual(describeTarget(envOnly), 'env_user@env-host:6000/env_db');
  });

  it('reads DATABASE_URL only when the settings name neither a URL nor a host', () => {
    const env = { ...bareEnv, DATABASE_URL: 'postgres://app:app-pw@db.example:5433/appdb?sslmode=require' };
    const fromEnv = connectionConfig({}, env);
    assert.strictEqual(describeTarget(fromEnv), 'app@db.example:5433/appdb');
    assert.strictEqual(fromEnv.password, 'app-pw');
    assert.strictEqual(fromEnv.sslmode, 'require');
    const otherHost = connectionConfig({ host: 'elsewhere' }, env);
    assert.strictEqual(describeTarget(otherHost), 'someone@elsewhere:5432/someone');
    assert.strictEqual(typeof otherHost.password, 'function', 'the DATABASE_URL password never goes to another host');
  });

  it('decodes URL credentials and query parameters', () => {
    const config = connectionConfig({ url: `postgresql://${encodeURIComponent(ROLE)}:${encodeURIComponent(PASSWORD)}@[::1]:5544/my%20db?application_name=x` }, bareEnv);
    assert.strictEqual(config.host, '::1');
    assert.strictEqual(config.port, 5544);
    assert.strictEqual(config.user, ROLE);
    assert.strictEqual(config.password, PASSWORD);
    assert.strictEqual(config.database, 'my db');
    const socket = connectionConfig({ url: 'postgresql:///reports?host=/var/run/postgresql&user=me' }, bareEnv);
    assert.strictEqual(describeTarget(socket), 'me@/var/run/postgresql:5432/reports');
  });

  it('reads a pg_service.conf service below the URL and above PG* variables', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-service-'));
    try {
      const file = path.join(dir, 'services.conf');
      fs.writeFileSync(file, '# services\n[other]\nhost=wrong\n\n[reports]\nhost = reports-db\nport=6543\ndbname=reports\nuser=analyst\n');
      const config = connectionConfig({}, { ...bareEnv, PGSERVICE: 'reports', PGSERVICEFILE: file, PGUSER: 'env_user', PGPORT: '1111' });
      assert.strictEqual(describeTarget(config), 'analyst@reports-db:6543/reports');
      const viaUrl = connectionConfig({ url: 'postgresql://url-host?service=reports' }, { ...bareEnv, PGSERVICEFILE: file });
      assert.strictEqual(describeTarget(viaUrl), 'analyst@url-host:6543/reports');
      assert.throws(() => connectionConfig({}, { ...bareEnv, PGSERVICE: 'missing', PGSERVICEFILE: file }), {
        message: 'definition of service "missing" not found',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('maps sslmode to TLS options as libpq does, and refuses unknown modes and ports', () => {
    assert.strictEqual(connectionConfig({ sslmode: 'disable' }, bareEnv).ssl, false);
    assert.deepStrictEqual(connectionConfig({ sslmode: 'require' }, bareEnv).ssl, { rejectUnauthorized: false });
    const full = connectionConfig({ sslmode: 'verify-full' }, bareEnv);
    assert.deepStrictEqual(full.ssl, { ca: undefined, rejectUnauthorized: true });
    const ca = connectionConfig({ sslmode: 'verify-ca' }, bareEnv).ssl as { rejectUnauthorized: boolean; checkServerIdentity: unknown };
    assert.strictEqual(ca.rejectUnauthorized, true);
    assert.strictEqual(typeof ca.checkServerIdentity, 'function', 'verify-ca does not check the host name');
    assert.throws(() => connectionConfig({ sslmode: 'always' }, bareEnv), {
      message: 'invalid sslmode "always" (use disable, allow, prefer, require, verify-ca, verify-full)',
    });
    assert.throws(() => connectionConfig({ sslmode: 'verify-full', sslrootcert: '/nonexistent/root.crt' }, bareEnv), {
      message: 'cannot read the root certificate /nonexistent/root.crt: ENOENT',
    });
    assert.throws(() => connectionConfig({ url: 'postgresql://h:99999/db' }, bareEnv), { message: /not a valid URL|invalid port/ });
    assert.throws(() => connectionConfig({}, { ...bareEnv, PGPORT: 'abc' }), { message: 'invalid port "abc"' });
    assert.throws(() => connectionConfig({ url: 'mysql://h/db' }, bareEnv), { message: 'the database URL must start with postgresql:// or postgres://' });
    // A bad %-escape names the part, never its text.
    assert.throws(() => connectionConfig({ url: 'postgres://u:se%zzcret@h/db' }, bareEnv), {
      message: "the database URL's password has a % that does not start a valid escape (%XX, a UTF-8 byte in hex)",
    });
  });

  it('a #, ? or / in the URL\'s password or user name is named, with its percent-encoding, never the password', () => {
    const refused = (url: string) => {
      try {
        connectionConfig({ url }, bareEnv);
      } catch (error) {
        const message = (error as Error).message;
        assert.ok(!message.includes('s3'), message);
        return message;
      }
      return assert.fail(`${url} was taken`);
    };
    assert.strictEqual(refused('postgres://alice:s3#cret@db/shop'), 'the database URL\'s password holds a "#", which must be percent-encoded in a URL (as %23)');
    assert.strictEqual(refused('postgres://alice:s3?cret@db/shop'), 'the database URL\'s password holds a "?", which must be percent-encoded in a URL (as %3F)');
    assert.strictEqual(refused('postgres://alice:s3/cret@db/shop'), 'the database URL\'s password holds a "/", which must be percent-encoded in a URL (as %2F)');
    // Cut where the rest still parses (host "alice", port 123): refused too, not sent to another host.
    assert.strictEqual(refused('postgres://alice:123#s3cret@db/shop'), 'the database URL\'s password holds a "#", which must be percent-encoded in a URL (as %23)');
    assert.strictEqual(refused('postgres://ali#ce:s3cret@db/shop'), 'the database URL\'s user name holds a "#", which must be percent-encoded in a URL (as %23)');
    // Encoded, each is taken; an @ needs no encoding (the last @ ends the password); an @ in the query is no cut.
    assert.deepStrictEqual(pick(connectionConfig({ url: 'postgres://alice:s3%23c%3Fr%2Fet@db/shop' }, bareEnv)), ['db', 'alice', 's3#c?r/et', 'shop']);
    assert.deepStrictEqual(pick(connectionConfig({ url: 'postgres://alice:s3@cret@db/shop' }, bareEnv)), ['db', 'alice', 's3@cret', 'shop']);
    assert.deepStrictEqual(pick(connectionConfig({ url: 'postgres://db/shop?user=me@corp' }, bareEnv)).slice(0, 2), ['db', 'me@corp']);
  });

  it('names a target without its password', () => {
    const config = connectionConfig({ url: `postgresql://${ROLE}:${encodeURIComponent(PASSWORD)}@db:5432/app` }, bareEnv);
    assert.strictEqual(describeTarget(config), `${ROLE}@db:5432/app`);
  });

  it('removes passwords from messages: as given, URL-encoded, in URLs and in key=value strings', () => {
    const config = connectionConfig({ password: PASSWORD }, bareEnv);
    assert.strictEqual(
      redactSecrets(`bad ${PASSWORD} and ${encodeURIComponent(PASSWORD)} in postgres://u:other@h/db and password=xyz host=h`, config),
      'bad *** and *** in postgres://u:***@h/db and password=*** host=h',
    );
    assert.strictEqual(redactSecrets("password='a b' user=x"), 'password=*** user=x');
  });
});

describe('password file', () => {
  let dir: string;
  const target = { host: 'db.example', port: 5432, database: 'app', user: 'alice' };
  const write = (text: string, mode = 0o600) => {
    const file = path.join(dir, `pgpass-${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(file, text, { mode });
    fs.chmodSync(file, mode);
    return file;
  };

  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-pgpass-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('returns the first matching line, with * wildcards and \\ escapes', () => {
    const file = write('# comment\nother:5432:app:alice:no\ndb.example:5432:app:bob:no\n*:5432:app:alice:pa\\:ss\\\\word\n*:*:*:*:fallback\n');
    assert.strictEqual(passwordFromFile(file, target), 'pa:ss\\word');
    assert.strictEqual(passwordFromFile(file, { ...target, user: 'carol' }), 'fallback');
  });

  it('matches a socket directory as localhost, and the port as a number', () => {
    const file = write('localhost:6000:*:alice:socket\n');
    assert.strictEqual(passwordFromFile(file, { ...target, host: '/tmp', port: 6000 }), 'socket');
    assert.strictEqual(passwordFromFile(file, { ...target, host: '/tmp', port: 5432 }), undefined);
  });

  it('ignores a file that others can read, as libpq does', function () {
    if (process.platform === 'win32') this.skip();
    assert.strictEqual(passwordFromFile(write('*:*:*:*:open\n', 0o644), target), undefined);
    assert.strictEqual(passwordFromFile(path.join(dir, 'missing'), target), undefined);
  });
});

describe('connections to a real server', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let dir: string;
  let base: ConnectionConfig;

  before(async () => {
    // A server of our own: its pg_hba.conf asks one role for a password (the shared one trusts all).
    cluster = await startPostgres({ major: Number(process.env.PGPH_TEST_PG_MAJOR ?? 18) });
    const hba = path.join(cluster.dataDir, 'pg_hba.conf');
    fs.writeFileSync(hba, `host all ${ROLE} 127.0.0.1/32 scram-sha-256\n` + fs.readFileSync(hba, 'utf8'));
    const admin = new Client({ connectionString: cluster.connectionString() });
    await admin.connect();
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    await admin.query('SELECT pg_reload_conf()');
    await admin.end();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-conn-'));
    base = connectionConfig({ host: cluster.host, port: cluster.port, user: ROLE, database: 'postgres', sslmode: 'disable' }, bareEnv);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects with the password, with a statement timeout, read-only by default, and named', async () => {
    const client = await openConnection({ ...base, password: PASSWORD }, { statementTimeoutMs: 1500 });
    try {
      const { rows } = await client.query(
        "SELECT current_user AS who, current_setting('statement_timeout') AS timeout, current_setting('default_transaction_read_only') AS ro, current_setting('application_name') AS app",
      );
      assert.deepStrictEqual(rows[0], { who: ROLE, timeout: '1500ms', ro: 'on', app: 'pg-parallel-hints' });
      await assert.rejects(client.query('CREATE TEMP TABLE x (id int)'), { message: 'cannot execute CREATE TABLE in a read-only transaction' });
      await assert.rejects(client.query('SELECT pg_sleep(5)'), { message: 'canceling statement due to statement timeout' });
    } finally {
      await client.end();
    }
  });

  it('can open a writable session when asked', async () => {
    const client = await openConnection({ ...base, password: PASSWORD }, { readOnly: false, applicationName: 'explain runner' });
    try {
      await client.query('CREATE TEMP TABLE x (id int)');
      assert.strictEqual((await client.query("SELECT current_setting('application_name') AS app")).rows[0].app, 'explain runner');
    } finally {
      await client.end();
    }
  });

  it('says the password was wrong, in one line, without the password', async () => {
    const error = await rejection(openConnection({ ...base, password: 'wrong-' + PASSWORD }));
    assert.strictEqual(error.message, `could not connect to 127.0.0.1:${cluster.port}: password authentication failed for user "${ROLE}"`);
    assert.ok(!error.message.includes(PASSWORD));
  });

  it('says no password was given when the server asks for one', async () => {
    const error = await rejection(openConnection(base));
    assert.strictEqual(error.message, `could not connect to 127.0.0.1:${cluster.port}: ${NO_PASSWORD}`);
  });

  it('takes the password from .pgpass (PGPASSFILE), escapes and all', async () => {
    const file = path.join(dir, 'pgpass');
    fs.writeFileSync(file, `127.0.0.1:${cluster.port}:*:${ROLE}:${PASSWORD.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    const config = connectionConfig({ host: cluster.host, port: cluster.port, user: ROLE, database: 'postgres' }, { ...bareEnv, PGPASSFILE: file });
    const client = await openConnection(config);
    try {
      assert.strictEqual((await client.query('SELECT current_user AS who')).rows[0].who, ROLE);
    } finally {
      await client.end();
    }
    fs.chmodSync(file, 0o644);
    const ignored = await rejection(openConnection(config));
    assert.strictEqual(ignored.reason, NO_PASSWORD);
  });

  it('takes the password from ~/.pgpass when PGPASSFILE is not set', async () => {
    const home = fs.mkdtempSync(path.join(dir, 'home-'));
    fs.writeFileSync(path.join(home, '.pgpass'), `*:*:*:${ROLE}:${PASSWORD.replace(/[\\:]/g, '\\$&')}\n`, { mode: 0o600 });
    const config = connectionConfig({ url: `postgresql://${ROLE}@127.0.0.1:${cluster.port}/postgres` }, { HOME: home });
    const client = await openConnection(config);
    await client.end();
  });

  it('connects with a password in a URL and keeps it out of messages', async () => {
    const url = `postgresql://${ROLE}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${cluster.port}/no_such_db`;
    const config = connectionConfig({ url }, bareEnv);
    const error = await rejection(openConnection(config));
    assert.strictEqual(error.message, `could not connect to 127.0.0.1:${cluster.port}: database "no_such_db" does not exist`);
    const client = await openConnection(connectionConfig({ url: url.replace('no_such_db', 'postgres') }, bareEnv));
    await client.end();
  });

  it('falls back to a plain connection under sslmode=prefer, and fails clearly under require', async () => {
    const prefer = connectionConfig({ host: cluster.host, port: cluster.port, user: 'postgres', database: 'postgres' }, bareEnv);
    assert.strictEqual(prefer.sslmode, 'prefer');
    const client = await openConnection(prefer);
    try {
      assert.strictEqual((await client.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()')).rows[0].ssl, false);
    } finally {
      await client.end();
    }
    const error = await rejection(openConnection({ ...prefer, ...connectionConfig({ sslmode: 'require' }, bareEnv), host: cluster.host, port: cluster.port }));
    assert.strictEqual(error.message, `could not connect to 127.0.0.1:${cluster.port}: the server does not accept SSL connections (sslmode=require)`);
  });

  it('says a closed port refuses the connection', async () => {
    const port = await closedPort();
    const error = await rejection(openConnection({ ...base, port, password: PASSWORD }));
    assert.strictEqual(error.message, `could not connect to 127.0.0.1:${port}: connection refused`);
  });

  it('gives up on a server that never answers after the connect timeout', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const error = await rejection(openConnection({ ...base, port, password: PASSWORD }, { connectTimeoutMs: 300 }));
      assert.strictEqual(error.message, `could not connect to 127.0.0.1:${port}: timed out after 0.3 s`);
      assert.strictEqual(sockets.length, 1, 'the TCP connection was made; the server stayed silent');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says an unknown host is unknown', async () => {
    const error = await rejection(openConnection({ ...base, host: 'no-such-host.invalid', password: PASSWORD }));
    assert.strictEqual(error.message, `could not connect to no-such-host.invalid:${cluster.port}: unknown host "no-such-host.invalid"`);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Host, user, password and database of a connection config. */
function pick(config: { host?: string; user?: string; password?: unknown; database?: string }): unknown[] {
  return [config.host, config.user, config.password, config.database];
}
