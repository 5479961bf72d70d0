/**
 * The connection side of the language server against a real PostgreSQL, over JSON-RPC: the
 * commands an editor sends (disconnect, connect, refresh catalog, set password), a multi-root
 * workspace where each folder has its own settings and catalog, and the ways other editors name a
 * database (PG* variables, DATABASE_URL, initializationOptions).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Client } from 'pg';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { thousands } from '../../server/src/core/hover';
import { readCatalogSnapshot } from '../../server/src/db/catalog';
import type { StatusParams } from '../../server/src/protocol';
import type { ServerDeps } from '../../server/src/server';
import { PgCluster, testCluster } from '../harness/postgres';
import { ControlledPort, productSessions, waitForSessions } from '../reliability/faults';
import { ClientOptions, closeAll, markdown, PUSH_CLIENT, startInMemory, summarize, TestClient } from './client';

const UNSAFE = '0:7-0:18 warning unsafe-function: public.audit_value(v integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers';
const UNKNOWN = '0:7-0:18 information unknown-function: function audit_value(integer) is not in the catalog: its parallel label is unknown';
const RANDOM = '0:23-0:29 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process';
const OFFLINE_18 = 'offline: PostgreSQL 18 built-ins + workspace';
/** The server's wall clock in these tests: 10:42 local time, whatever the time zone. */
const READ_AT = new Date(2025, 0, 6, 10, 42).getTime();

interface Prepared {
  url: string;
  database: string;
  /** "PG 18.x @ 127.0.0.1/db, 3,415 functions": the status text of its live catalog. */
  liveText: string;
  /** "postgres@127.0.0.1:port/db" */
  target: string;
  /** The status text while its last live catalog serves without a connection. */
  staleText: string;
}

/** A fresh database with one PARALLEL UNSAFE user function, and the status line its catalog gives. */
async function prepare(cluster: PgCluster, prefix: string): Promise<Prepared> {
  const url = await cluster.createDatabase(prefix);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$');
    const snapshot = await readCatalogSnapshot(client);
    const database = new URL(url).pathname.slice(1);
    return {
      url,
      database,
      liveText: `PG ${snapshot.source.version} @ 127.0.0.1/${database}, ${thousands(snapshot.functions.length)} functions`,
      target: `postgres@127.0.0.1:${cluster.port}/${database}`,
      staleText: `PG ${snapshot.source.version} @ 127.0.0.1/${database} (disconnected, last catalog from 10:42)`,
    };
  } finally {
    await client.end();
  }
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('lsp: connection commands, folders and environments with a real PostgreSQL', function () {
  this.timeout(60_000);
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  let cluster: PgCluster;

  before(async () => {
    cluster = await testCluster();
  });

  afterEach(async () => {
    await closeAll(clients);
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(options: ClientOptions & { deps?: ServerDeps }): Promise<TestClient> {
    const client = await startInMemory({ ...options, deps: { env: {}, retry: { initialMs: 50, maxMs: 200 }, clock: () => READ_AT, ...options.deps } });
    clients.push(client);
    return client;
  }

  function folder(files: Record<string, string> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-lsp-folder-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return pathToFileURL(dir).href;
  }

  const statusOf = (client: TestClient, state: StatusParams['state'], folderUri?: string) =>
    client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === state && s.folder === folderUri);

  it('disconnect, connect and refresh catalog: exact statuses, the diagnostics of each catalog, and the sessions left open', async () => {
    const db = await prepare(cluster, 'lsp_commands');
    const client = await start({ configuration: () => ({ connection: { url: db.url } }) });
    const uri = 'file:///nowhere/commands.sql';
    const live = statusOf(client, 'live');
    await client.open(uri, 'SELECT audit_value(1), random();\n');
    await live;
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, RANDOM]);
    assert.strictEqual(await productSessions(db.url), 1);

    // Disconnected, the catalog read before keeps serving (the user's functions stay known), marked stale.
    assert.deepStrictEqual(await client.command('pgParallelHints/disconnect'), {
      statuses: [{ state: 'offline', text: db.staleText, detail: `disconnected from ${db.target}` }],
    });
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, RANDOM]);
    assert.strictEqual(await waitForSessions(db.url, 0), 0, 'disconnect closes the session');

    assert.deepStrictEqual(await client.command('pgParallelHints/reconnect'), {
      statuses: [{ state: 'live', text: db.liveText, detail: `${db.target}: live catalog` }],
    });
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, RANDOM]);
    assert.strictEqual(await waitForSessions(db.url, 1), 1);

    // The user relabels the function in the database; Refresh catalog picks it up without reconnecting.
    await admin(db.url, 'ALTER FUNCTION audit_value(integer) PARALLEL SAFE');
    assert.deepStrictEqual(await client.command('pgParallelHints/refreshCatalog'), {
      statuses: [{ state: 'live', text: db.liveText, detail: `${db.target}: live catalog` }],
    });
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [RANDOM]);
    assert.match(markdown(await client.hover(uri, { line: 0, character: 9 })), /^```sql\npublic\.audit_value\(v integer\) → integer\n```\n\*\*PARALLEL SAFE\*\*: can run inside parallel workers\.  \n/);
    assert.strictEqual(await productSessions(db.url), 1, 'refresh reuses the session');

    // getStatus says the same as the last command.
    assert.deepStrictEqual(await client.statuses(), [{ state: 'live', text: db.liveText, detail: `${db.target}: live catalog` }]);
  });

  it('serves the built-in catalog, not the last live one, once the settings name another database', async () => {
    const db = await prepare(cluster, 'lsp_retarget');
    let url = db.url;
    const client = await start({ configuration: () => ({ connection: { url } }) });
    const uri = 'file:///nowhere/retarget.sql';
    const live = statusOf(client, 'live');
    await client.open(uri, 'SELECT audit_value(1), random();\n');
    await live;
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, RANDOM]);
    // Port 1 refuses connections: the new target never answers, so nothing is known of its functions.
    url = 'postgres://postgres@127.0.0.1:1/elsewhere';
    const failed = client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === 'error');
    await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepStrictEqual({ ...(await failed), detail: undefined }, { state: 'error', text: OFFLINE_18, detail: undefined });
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNKNOWN, RANDOM]);
    assert.strictEqual(await waitForSessions(db.url, 0), 0, 'the old target\'s session is closed');
  });

  it('multi-root: a folder with a database and a folder without one (PostgreSQL 14), each document analysed against its own folder', async () => {
    const db = await prepare(cluster, 'lsp_folders');
    const withDatabase = folder({ 'defs.sql': 'CREATE FUNCTION local_safe() RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT 1 $$;\n' });
    const withoutDatabase = folder({ 'defs.sql': 'CREATE FUNCTION local_unsafe() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;\n' });
    const client = await start({
      workspaceFolders: [
        { uri: withDatabase, name: 'shop' },
        { uri: withoutDatabase, name: 'legacy' },
      ],
      configuration: (item) => (item.scopeUri === withDatabase ? { connection: { url: db.url } } : item.scopeUri === withoutDatabase ? { pgVersion: 14 } : {}),
    });
    const live = statusOf(client, 'live', withDatabase);
    const text = 'SELECT audit_value(1), local_safe(), local_unsafe();\nSELECT x FROM generate_series(1, 10) x WHERE x > (SELECT 1);\n';
    await client.open(`${withDatabase}/q.sql`, text);
    await client.open(`${withoutDatabase}/q.sql`, text);
    await live;
    assert.deepStrictEqual(
      (await client.statuses()).map((s) => `${s.folder === withDatabase ? 'shop' : 'legacy'}: ${s.state} ${s.text}`),
      [`shop: live ${db.liveText}`, 'legacy: offline offline: PostgreSQL 14 built-ins + workspace'],
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(`${withDatabase}/q.sql`)), [
      UNSAFE,
      '0:37-0:49 information unknown-function: function local_unsafe() is not in the catalog: its parallel label is unknown',
    ]);
    assert.deepStrictEqual(summarize(await client.diagnostics(`${withoutDatabase}/q.sql`)), [
      '0:37-0:49 warning unsafe-function: public.local_unsafe() is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
      UNKNOWN,
      '0:23-0:33 information unknown-function: function local_safe() is not in the catalog: its parallel label is unknown',
      '1:49-1:59 information initplan: uncorrelated subquery: it runs once as an initPlan, and before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED',
    ]);
    // The folder without a database has no connection: its commands touch nothing.
    assert.deepStrictEqual(await client.command('pgParallelHints/disconnect', withoutDatabase), {
      statuses: [{ state: 'offline', text: 'offline: PostgreSQL 14 built-ins + workspace', detail: 'no database configured (pgParallelHints.connection, PG* environment variables or DATABASE_URL)', folder: withoutDatabase }],
    });
    assert.strictEqual(await productSessions(db.url), 1);
  });

  it('set password: a password for one folder reaches only that folder, and forgetting it takes it away', async () => {
    const role = 'lsp_pw_user';
    const password = 'Lsp-Pass:w0rd/%';
    const hba = path.join(cluster.dataDir, 'pg_hba.conf');
    const original = fs.readFileSync(hba, 'utf8');
    fs.writeFileSync(hba, `host all ${role} 127.0.0.1/32 scram-sha-256\n${original}`);
    const url = await cluster.createDatabase('lsp_password');
    const database = new URL(url).pathname.slice(1);
    await admin(url, `CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin(url, 'CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$');
    await admin(url, 'SELECT pg_reload_conf()');
    try {
      const given = folder();
      const notGiven = folder();
      const client = await start({
        workspaceFolders: [
          { uri: given, name: 'given' },
          { uri: notGiven, name: 'not-given' },
        ],
        configuration: () => ({ connection: { host: cluster.host, port: cluster.port, user: role, database, sslmode: 'disable' } }),
      });
      await client.setPassword(password, given);
      const live = statusOf(client, 'live', given);
      const refused = statusOf(client, 'error', notGiven);
      await client.open(`${given}/q.sql`, 'SELECT audit_value(1);\n');
      await client.open(`${notGiven}/q.sql`, 'SELECT audit_value(1);\n');
      assert.match((await live).text, new RegExp(`^PG 18\\.\\d+ @ 127\\.0\\.0\\.1/${database}, [\\d,]+ functions$`));
      const failure = await refused;
      assert.deepStrictEqual(
        { text: failure.text, reason: failure.detail?.split(';')[0] },
        {
          text: OFFLINE_18,
          reason: `could not connect to 127.0.0.1:${cluster.port}: the server asks for a password for user "${role}" and none was given (PGPASSWORD, a .pgpass entry, a PGSERVICE service, the --db URL of the command line, or the command "Set database password" in VS Code)`,
        },
      );
      assert.deepStrictEqual(summarize(await client.diagnostics(`${given}/q.sql`)), [UNSAFE]);
      assert.deepStrictEqual(summarize(await client.diagnostics(`${notGiven}/q.sql`)), [UNKNOWN]);

      // Forgotten: the folder connects again without it and is refused; the same target's last catalog still serves.
      const forgotten = client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.folder === given && s.state === 'error');
      await client.setPassword(undefined, given);
      const refusedNow = await forgotten;
      assert.match(refusedNow.text, new RegExp(`^PG 18\\.\\d+ @ 127\\.0\\.0\\.1/${database} \\(disconnected, last catalog from 10:42\\)$`));
      assert.match(refusedNow.detail ?? '', /none was given/);
      assert.deepStrictEqual(summarize(await client.diagnostics(`${given}/q.sql`)), [UNSAFE]);
    } finally {
      fs.writeFileSync(hba, original);
      await admin(url, 'SELECT pg_reload_conf()');
    }
  });

  it('names the database through DATABASE_URL or the PG* variables when the settings do not', async () => {
    const db = await prepare(cluster, 'lsp_env');
    const environments: NodeJS.ProcessEnv[] = [
      { DATABASE_URL: db.url },
      { PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres', PGDATABASE: db.database },
    ];
    for (const env of environments) {
      const client = await start({ deps: { env } });
      const [idle] = await client.statuses();
      assert.deepStrictEqual(idle, { state: 'offline', text: OFFLINE_18, detail: `connects to ${db.target} when a SQL file is opened` }, JSON.stringify(env));
      const live = statusOf(client, 'live');
      const uri = 'file:///nowhere/env.sql';
      await client.open(uri, 'SELECT audit_value(1);\n');
      assert.deepStrictEqual(await live, { state: 'live', text: db.liveText, detail: `${db.target}: live catalog` });
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE]);
    }
  });

  it('connection settings that cannot be used connect nowhere and the status says why (not "no database configured", not DATABASE_URL)', async () => {
    const db = await prepare(cluster, 'lsp_bad_settings');
    const cases: [unknown, string][] = [
      [{ url: `postgresql://postgres:secret@127.0.0.1:99999/${db.database}` }, 'connection.url: not a valid URL (expected postgresql://user@host:port/database, a port from 1 to 65535)'],
      [{ url: `mysql://127.0.0.1/${db.database}` }, 'connection.url: not a postgres:// or postgresql:// URL'],
      [{ host: '127.0.0.1', port: 70000 }, 'connection.port: expected a whole number from 1 to 65535, got 70000'],
    ];
    for (const [connection, problem] of cases) {
      const client = await start({ configuration: () => ({ connection }), deps: { env: { DATABASE_URL: db.url } } });
      const uri = 'file:///nowhere/bad-settings.sql';
      await client.open(uri, 'SELECT audit_value(1);\n');
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNKNOWN], problem);
      assert.deepStrictEqual(await client.statuses(), [{ state: 'error', text: OFFLINE_18, detail: `not connecting: the settings are not usable (${problem})` }]);
      assert.strictEqual(await productSessions(db.url), 0);
    }
  });

  /** 10,000 statements (analysed in steps), audit_value() on the first and last lines. */
  function largeDocument(): string {
    const lines = ['SELECT audit_value(1);'];
    for (let i = 1; i < 9_999; i++) lines.push(`SELECT abs(-${i}) AS n, ${i} + 1 AS m;`);
    lines.push('SELECT audit_value(1);', '');
    return lines.join('\n');
  }
  const atLine = (diagnostic: string, line: number) => diagnostic.replace(/^0:(\d+)-0:/, `${line}:$1-${line}:`);
  const progressValues = (client: TestClient) =>
    client.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: { kind: string; message?: string } }).value);
  const traced = (client: TestClient, uri: string) =>
    client.notifications
      .filter((n) => n.method === '$/logTrace')
      .map((n) => (n.params as { message: string }).message.replace(/\d+\.\d ms$/, 'N ms'))
      .filter((m) => m.includes(uri));

  it('a large document opened as the database connects waits for its first catalog: the first diagnostics come from it, in one pass', async () => {
    const db = await prepare(cluster, 'lsp_large_first');
    const client = await start({ configuration: () => ({ connection: { url: db.url } }) });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/large.sql';
    await client.open(uri, largeDocument());
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, atLine(UNSAFE, 9_999)]);
    assert.deepStrictEqual(progressValues(client)[0], { kind: 'begin', title: 'Analysing large.sql', cancellable: false, percentage: 0, message: `waiting for the catalog of 127.0.0.1/${db.database}` });
    // Not a pass against the built-ins started again when the catalog came.
    assert.deepStrictEqual(traced(client, uri), [
      `waited for the catalog of 127.0.0.1/${db.database} before analysing ${uri}`,
      `analysed ${uri} v1 in steps: 10000 statements in N ms`,
      `analysed ${uri} v1: 0 of 10000 statements in N ms`,
    ]);
  });

  it('a large document waits a few seconds at most for a first catalog that does not come: then the built-ins serve it', async () => {
    const port = await ControlledPort.open('silent');
    try {
      const url = `postgres://postgres@127.0.0.1:${port.port}/silent`;
      // Connecting would wait a minute: the document does not.
      const client = await start({ configuration: () => ({ connection: { url }, connectTimeoutMs: 60_000 }) });
      const uri = 'file:///nowhere/large.sql';
      await client.open(uri, largeDocument());
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNKNOWN, atLine(UNKNOWN, 9_999)]);
      assert.deepStrictEqual((await client.statuses()).map((s) => s.state), ['connecting']);
      assert.strictEqual(port.accepted, 1);
    } finally {
      await port.close();
    }
  });

  it('initializationOptions for an editor without workspace/configuration: pushed diagnostics come from the live catalog, with document versions', async () => {
    const db = await prepare(cluster, 'lsp_init');
    const client = await start({ capabilities: PUSH_CLIENT, initializationOptions: { settings: { connection: { url: db.url } } } });
    const uri = 'file:///nowhere/init.sql';
    const fromDatabase = client.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && summarize(p.diagnostics)[0] === UNSAFE);
    await client.open(uri, 'SELECT audit_value(1);\n');
    assert.strictEqual((await fromDatabase).version, 1);
    const version = await client.change(uri, [{ range: { start: { line: 0, character: 21 }, end: { line: 0, character: 21 } }, text: ', random()' }]);
    assert.deepStrictEqual(summarize((await client.pushed(uri, version)).diagnostics), [UNSAFE, RANDOM]);
    assert.deepStrictEqual(await client.statuses(), [{ state: 'live', text: db.liveText, detail: `${db.target}: live catalog` }]);
  });
});
