/**
 * A misbehaving database, caused for real, through the real language server (JSON-RPC in memory, the
 * real connection and catalog reader): the connection terminated by pg_terminate_backend, a lock on
 * a catalog table, the PostgreSQL process killed in the middle of a catalog read and started again,
 * a port that accepts and never answers, a password the server refuses. In every case hover and
 * diagnostics keep answering (latency printed), the status says what is wrong, the failure is
 * logged once, the server reconnects by itself, no promise rejection goes unhandled, and no
 * connection is left behind in pg_stat_activity.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import type { LogMessageParams } from 'vscode-languageserver-protocol';
import { openConnection } from '../../server/src/db/connection';
import type { StatusParams } from '../../server/src/protocol';
import { PgCluster, startPostgres, testCluster } from '../harness/postgres';
import { closeAll, startInMemory, summarize, TestClient } from '../lsp/client';
import { adminSession, ControlledPort, killPostmaster, pgCtl, productSessions, restart, waitForSessions } from './faults';
import { measured, ms } from './measure';

const DOC = 'file:///faults/report.sql';
const UNSAFE = '0:7-0:18 warning unsafe-function: public.audit_value(v integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers';
const UNKNOWN = '0:7-0:18 information unknown-function: function audit_value(integer) is not in the catalog: its parallel label is unknown';
const RANDOM = '0:23-0:29 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process';
const TEXT = 'SELECT audit_value(1), random();\n';

async function prepare(url: string): Promise<void> {
  const admin = await adminSession(url);
  try {
    // The test clusters commit asynchronously (harness/postgres.ts, for speed), so a commit can be
    // lost when a test kills the postmaster soon after; these tests kill it, and a real server's
    // commit survives that: this one is written before it returns.
    await admin.query('SET synchronous_commit = on');
    await admin.query('CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$');
  } finally {
    await admin.end();
  }
}

interface Served {
  client: TestClient;
  /** Hover and pulled diagnostics of the open document, timed; the latencies are kept. */
  probe(): Promise<string[]>;
  latencies: number[];
  /** Connection attempts so far (the real connector, counted). */
  attempts(): number;
  statuses(): StatusParams[];
  logs(pattern: RegExp): string[];
}

describe('reliability: a misbehaving database, through the language server', function () {
  this.timeout(90_000);
  const clients: TestClient[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  before(() => process.on('unhandledRejection', onUnhandled));
  after(() => process.off('unhandledRejection', onUnhandled));

  afterEach(async () => {
    await closeAll(clients);
    // Rejections surface on a later turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepStrictEqual(unhandled.splice(0), [], 'unhandled promise rejections');
  });

  async function serve(connection: Record<string, unknown>, more: Record<string, unknown> = {}): Promise<Served> {
    let attempts = 0;
    const client = await startInMemory({
      configuration: () => ({ connection: { sslmode: 'disable', ...connection }, connectTimeoutMs: 1000, explain: { statementTimeoutMs: 1000 }, ...more }),
      deps: {
        env: {},
        retry: { initialMs: 100, maxMs: 400 },
        connect: (config, options) => {
          attempts++;
          return openConnection(config, options);
        },
      },
    });
    clients.push(client);
    const latencies: number[] = [];
    const served: Served = {
      client,
      latencies,
      attempts: () => attempts,
      async probe() {
        const started = performance.now();
        const [hover, diagnostics] = await Promise.all([client.hover(DOC, { line: 0, character: 25 }), client.diagnostics(DOC)]);
        latencies.push(performance.now() - started);
        assert.match((hover?.contents as { value: string } | undefined)?.value ?? '', /^```sql\npg_catalog\.random\(\) → double precision/);
        return summarize(diagnostics);
      },
      statuses: () => client.notifications.filter((n) => n.method === 'pgParallelHints/status').map((n) => n.params as StatusParams),
      logs: (pattern) => client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as LogMessageParams).message).filter((m) => pattern.test(m)),
    };
    return served;
  }

  const nextStatus = (served: Served, state: StatusParams['state']) => served.client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === state);
  const status = (served: Served, state: StatusParams['state']) => served.client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === state);

  /** Probes until the status reaches `state`, so that latency is measured during the whole outage. */
  async function probeUntil(served: Served, reached: Promise<StatusParams>): Promise<StatusParams> {
    let done: StatusParams | undefined;
    void reached.then((s) => (done = s));
    while (!done) {
      await served.probe();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return done;
  }

  /** Probes until `enough` holds (retries happen on the server's own timer). */
  async function probeWhileNot(served: Served, enough: () => boolean): Promise<void> {
    while (!enough()) {
      await served.probe();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  function report(label: string, served: Served): void {
    const sorted = [...served.latencies].sort((a, b) => a - b);
    measured(label, `${sorted.length} hover+diagnostics probes, median ${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max ${ms(sorted[sorted.length - 1] ?? 0)}`);
  }

  /** A new database of `name` (prepared), served, with the document open once the catalog is live. */
  async function servedLive(name: string): Promise<{ url: string; database: string; served: Served }> {
    const cluster = await testCluster();
    const url = await cluster.createDatabase(name);
    await prepare(url);
    const database = new URL(url).pathname.slice(1);
    const served = await serve({ host: cluster.host, port: cluster.port, user: 'postgres', database });
    const live = status(served, 'live');
    await served.client.open(DOC, TEXT);
    await live;
    return { url, database, served };
  }

  it('pg_terminate_backend: falls back, says the server closed the connection, logs it once, reconnects with one session', async () => {
    const { url, database, served } = await servedLive('faults_terminate');
    await served.client.waitFor('workspace/diagnostic/refresh');
    assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
    assert.strictEqual(await productSessions(url), 1);

    const failed = nextStatus(served, 'error');
    const admin = await adminSession(url);
    const { rows } = await admin.query("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name LIKE 'pg-parallel-hints%'");
    await admin.end();
    assert.strictEqual(rows[0].n, 1);
    const error = await probeUntil(served, failed);
    assert.match(error.detail ?? '', /^(terminating connection due to administrator command|the connection was closed by the server)/);
    // The catalog read before the outage keeps serving: the user's function stays known.
    assert.match(error.text, new RegExp(`^PG 18\\.\\d+ @ 127\\.0\\.0\\.1/${database} \\(disconnected, last catalog from \\d\\d:\\d\\d\\)$`));
    assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
    const back = await probeUntil(served, nextStatus(served, 'live'));
    assert.strictEqual(back.state, 'live');
    assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
    assert.strictEqual(await waitForSessions(url, 1), 1, 'one session after reconnecting');
    assert.strictEqual(served.logs(/keeping the catalog read at \d\d:\d\d until it is reachable$/).length, 1, served.logs(/./).join('\n'));
    report('pg_terminate_backend', served);
    await served.client.shutdown();
    assert.strictEqual(await waitForSessions(url, 0), 0, 'no session after shutdown');
  });

  it('a backend that stops answering (SIGSTOP) while Explain waits: the request fails within the statement timeout and a grace, hover keeps answering, and the next Explain reconnects', async () => {
    const { url, served } = await servedLive('faults_stopped');
    const admin = await adminSession(url);
    const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'pg-parallel-hints%'");
    assert.strictEqual(rows.length, 1);
    const pid: number = rows[0].pid;
    const explain = () => served.client.rpc.sendRequest('pgParallelHints/explain', { uri: DOC, position: { line: 0, character: 1 }, analyze: false, allowWrites: false });
    process.kill(pid, 'SIGSTOP');
    try {
      const started = performance.now();
      const failure = await explain().then(
        () => assert.fail('Explain answered from a stopped backend'),
        (error: { message: string; data?: { reason?: string } }) => error,
      );
      const waited = performance.now() - started;
      assert.strictEqual(failure.data?.reason, 'no-answer', failure.message);
      assert.match(failure.message, /the server did not answer within 6 s/);
      measured('Explain on a stopped backend', `failed after ${ms(waited)} (statement timeout 1 s + grace 5 s)`);
      assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    // The next Explain reconnects.
    const again = (await explain()) as { report?: string };
    assert.match(again.report ?? '', /audit_value/);
    // A catalog refresh on a stopped backend: given up after the session's statement timeout and
    // the grace, the status says so, the last catalog keeps serving, and it reconnects by itself.
    const { rows: now } = await admin.query("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'pg-parallel-hints%'");
    assert.strictEqual(now.length, 1);
    const withFindings = await served.probe(); // the Explain's findings are diagnostics too now
    const failed = nextStatus(served, 'error');
    process.kill(now[0].pid, 'SIGSTOP');
    try {
      void served.client.rpc.sendRequest('pgParallelHints/refreshCatalog', {});
      const error = await probeUntil(served, failed);
      assert.match(error.detail ?? '', /^the server did not answer within 6 s/);
      assert.deepStrictEqual(await served.probe(), withFindings);
    } finally {
      process.kill(now[0].pid, 'SIGCONT');
    }
    await probeUntil(served, nextStatus(served, 'live'));
    await admin.end();
    report('stopped backend', served);
  });

  it('a lock on pg_proc held by another session: the catalog read times out, the status says so, and it recovers when the lock goes', async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('faults_lock');
    await prepare(url);
    const database = new URL(url).pathname.slice(1);
    const locker = await adminSession(url);
    try {
      await locker.query('BEGIN');
      // Every query that names a function needs pg_proc: so does a new session's first statement.
      await locker.query('LOCK TABLE pg_catalog.pg_proc IN ACCESS EXCLUSIVE MODE');
      const served = await serve({ host: cluster.host, port: cluster.port, user: 'postgres', database });
      const failed = status(served, 'error');
      await served.client.open(DOC, TEXT);
      const error = await probeUntil(served, failed);
      assert.match(error.detail ?? '', /statement timeout/);
      assert.deepStrictEqual(await served.probe(), [UNKNOWN, RANDOM]);
      // Retries go on while the lock is held; each gives up after the statement timeout.
      const before = served.attempts();
      await probeWhileNot(served, () => served.attempts() >= before + 2);
      assert.ok((await productSessions(url)) <= 1, 'no session piles up behind the lock');
      const live = nextStatus(served, 'live');
      await locker.query('ROLLBACK');
      await probeUntil(served, live);
      assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
      assert.strictEqual(served.logs(/using the built-in catalog/).length, 1, served.logs(/./).join('\n'));
      assert.strictEqual(await waitForSessions(url, 1), 1);
      report('lock on pg_proc (statement timeout 1 s)', served);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
  });

  it('PostgreSQL killed (SIGKILL) while a catalog refresh waits on a lock, then started again: answers throughout, recovers by itself', async () => {
    const cluster = await startPostgres();
    let stopped = false;
    try {
      const url = await cluster.createDatabase('faults_kill');
      await prepare(url);
      const database = new URL(url).pathname.slice(1);
      const served = await serve({ host: cluster.host, port: cluster.port, user: 'postgres', database }, { explain: { statementTimeoutMs: 60_000 } });
      const live = status(served, 'live');
      await served.client.open(DOC, TEXT);
      await live;
      const locker = await adminSession(url);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE pg_catalog.pg_policy IN ACCESS EXCLUSIVE MODE');
      // The refresh is now in flight, blocked on the lock.
      const refresh = served.client.rpc.sendRequest<{ statuses: StatusParams[] }>('pgParallelHints/refreshCatalog', {});
      // Watched from a session of its own: inside the locker's transaction pg_stat_activity stays as it was.
      const watcher = await adminSession(url);
      const deadline = Date.now() + 5000;
      while ((await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE 'pg-parallel-hints%'")).rows[0].n === 0) {
        if (Date.now() > deadline) throw new Error('the catalog read never waited on the lock');
        await served.probe();
      }
      await watcher.end();
      const failed = nextStatus(served, 'error');
      const killed = killPostmaster(cluster);
      stopped = true;
      const result = await refresh;
      assert.deepStrictEqual(
        result.statuses.map((s) => s.state),
        ['error'],
      );
      await probeUntil(served, failed);
      assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
      // Down for a while: every retry fails, none is logged again.
      const before = served.attempts();
      await probeWhileNot(served, () => served.attempts() >= before + 3);
      assert.match(served.statuses().at(-1)?.detail ?? '', /connection refused/);
      const back = nextStatus(served, 'live');
      await restart(cluster, killed);
      stopped = false;
      await probeUntil(served, back);
      assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
      assert.strictEqual(served.logs(/keeping the catalog read at \d\d:\d\d until it is reachable$/).length, 1, served.logs(/./).join('\n'));
      assert.strictEqual(served.logs(/connected again/).length, 1, served.logs(/./).join('\n'));
      assert.strictEqual(await waitForSessions(url, 1), 1);
      report('PostgreSQL killed mid-request and restarted', served);
    } finally {
      if (!stopped) pgCtl(cluster, ['stop', '-m', 'immediate', '-w']);
      await cluster.stop();
    }
  });

  it('a port that accepts connections and never answers: gives up after the connect timeout, serves meanwhile, connects when a server answers there', async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('faults_silent');
    await prepare(url);
    const database = new URL(url).pathname.slice(1);
    const port = await ControlledPort.open('silent');
    try {
      const served = await serve({ host: '127.0.0.1', port: port.port, user: 'postgres', database }, { connectTimeoutMs: 500 });
      const failed = status(served, 'error');
      await served.client.open(DOC, TEXT);
      const error = await probeUntil(served, failed);
      assert.match(error.detail ?? '', /timed out after 0\.5 s/);
      assert.ok(port.accepted >= 1);
      const live = nextStatus(served, 'live');
      await port.switchTo({ forwardTo: cluster.port });
      await probeUntil(served, live);
      assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
      assert.strictEqual(served.logs(/using the built-in catalog/).length, 1, served.logs(/./).join('\n'));
      report('silent port (connect timeout 0.5 s)', served);
    } finally {
      await port.close();
    }
  });

  describe('a password the server refuses', () => {
    const ROLE = 'faults_pw';
    const PASSWORD = 'Fault-Pass:w0rd/%';
    let cluster: PgCluster;
    let url: string;

    before(async () => {
      cluster = await startPostgres();
      const hba = path.join(cluster.dataDir, 'pg_hba.conf');
      fs.writeFileSync(hba, `host all ${ROLE} 127.0.0.1/32 scram-sha-256\n` + fs.readFileSync(hba, 'utf8'));
      url = cluster.connectionString();
      const admin = new Client({ connectionString: url });
      await admin.connect();
      await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
      await admin.query('CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$');
      await admin.query('SELECT pg_reload_conf()');
      await admin.end();
    });

    after(() => cluster?.stop());

    it('says none was given, then that it was wrong, each logged once; connects as soon as the right one arrives', async () => {
      const served = await serve({ host: cluster.host, port: cluster.port, user: ROLE, database: 'postgres' });
      const failed = status(served, 'error');
      await served.client.open(DOC, TEXT);
      const none = await probeUntil(served, failed);
      assert.strictEqual(none.detail?.split(';')[0], `could not connect to 127.0.0.1:${cluster.port}: the server asks for a password for user "${ROLE}" and none was given (PGPASSWORD, a .pgpass entry, a PGSERVICE service, the --db URL of the command line, or the command "Set database password" in VS Code)`);
      const wrong = served.client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === 'error' && /authentication failed/.test(s.detail ?? ''));
      await served.client.rpc.sendNotification('pgParallelHints/setPassword', { password: `not-${PASSWORD}` });
      const refused = await probeUntil(served, wrong);
      assert.strictEqual(refused.detail?.split(';')[0], `could not connect to 127.0.0.1:${cluster.port}: password authentication failed for user "${ROLE}"`);
      const before = served.attempts();
      await probeWhileNot(served, () => served.attempts() >= before + 3);
      assert.deepStrictEqual(await served.probe(), [UNKNOWN, RANDOM]);
      assert.strictEqual(served.logs(/none was given/).length, 1, served.logs(/./).join('\n'));
      assert.strictEqual(served.logs(/authentication failed/).length, 1, served.logs(/./).join('\n'));
      const live = nextStatus(served, 'live');
      await served.client.rpc.sendNotification('pgParallelHints/setPassword', { password: PASSWORD });
      await probeUntil(served, live);
      assert.deepStrictEqual(await served.probe(), [UNSAFE, RANDOM]);
      assert.strictEqual(await waitForSessions(url, 1), 1);
      report('password missing, then wrong, then right', served);
    });
  });
});
