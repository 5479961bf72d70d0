/**
 * The EXPLAIN runner against a real server: what it sends (nothing, for text it refuses), that
 * writes are rolled back and leave no lock, that timeouts and aborts stop the statement on the
 * server and leave the connection usable, and what it fetches for the findings.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { analyzePlan, PlanReport } from '../../server/src/core/plan';
import { ExplainError, ExplainOptions, ExplainResult, runExplain } from '../../server/src/db/explain';
import { PARAMETERS_NEED_16 } from '../../server/src/db/probe';
import { PgCluster, startPostgres, testCluster } from '../harness/postgres';

const SCHEMA = `
CREATE TABLE big (id int PRIMARY KEY, grp int NOT NULL, pad text NOT NULL);
INSERT INTO big SELECT g, g % 100, repeat('x', 40) FROM generate_series(1, 300000) g;
ANALYZE big;
CREATE TABLE accounts (id serial PRIMARY KEY, balance numeric NOT NULL);
INSERT INTO accounts (balance) SELECT g * 10 FROM generate_series(1, 1000) g;
CREATE TABLE audit (note text);
CREATE FUNCTION write_audit() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit VALUES ('x'); RETURN 1; END $$;
`;

/** Everything in the table, in a stable order, as one hash. */
const CHECKSUM = "SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) AS sum, count(*)::int AS n FROM accounts a";

/** pg keeps the backend's pid from BackendKeyData; its types do not declare it. */
const backendPid = (client: Client): number => (client as unknown as { processID: number }).processID;

async function rejection(promise: Promise<unknown>): Promise<ExplainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ExplainError, `not an ExplainError: ${error}`);
    return error;
  }
  throw new Error('EXPLAIN succeeded');
}

describe('EXPLAIN runner', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let client: Client;
  let watcher: Client;
  let database: string;

  before(async () => {
    cluster = await testCluster();
    database = await cluster.createDatabase('explain');
    client = new Client({ connectionString: database });
    watcher = new Client({ connectionString: database });
    await Promise.all([client.connect(), watcher.connect()]);
    await client.query(SCHEMA);
  });

  after(async () => {
    await Promise.all([client?.end(), watcher?.end()]);
  });

  /** A client that records what it sends to the server. */
  function spy(): { client: Client; sent: string[] } {
    const sent: string[] = [];
    const wrapped = Object.create(client, {
      query: { value: (...args: unknown[]) => (sent.push(JSON.stringify(args[0])), (client.query as (...a: unknown[]) => unknown)(...args)) },
    });
    return { client: wrapped, sent };
  }

  async function backendState(pid: number): Promise<{ state: string; query: string }> {
    const { rows } = await watcher.query('SELECT state, query FROM pg_stat_activity WHERE pid = $1', [pid]);
    return rows[0];
  }

  async function ourLocks(): Promise<number> {
    const { rows } = await watcher.query("SELECT count(*)::int AS n FROM pg_locks WHERE pid = $1 AND locktype IN ('relation', 'transactionid', 'tuple')", [
      backendPid(client),
    ]);
    return rows[0].n;
  }

  it('plans with VERBOSE and SETTINGS, and fetches the parallel settings and busy workers', async () => {
    const result = await runExplain(client, 'SELECT count(*) FROM big;');
    const [doc] = result.plan as Record<string, any>[];
    assert.strictEqual(result.statement, 'SELECT count(*) FROM big');
    assert.strictEqual(result.kind, 'SELECT');
    assert.deepStrictEqual([result.analyzed, result.generic, result.writes], [false, false, []]);
    assert.strictEqual(doc.Plan['Node Type'], 'Aggregate');
    assert.deepStrictEqual(doc.Plan.Output, ['count(*)'], 'VERBOSE adds output lists');
    assert.strictEqual(doc.Plan.Plans[0]['Node Type'], 'Gather');
    assert.strictEqual(doc.Plan.Plans[0]['Workers Planned'], 2);
    assert.deepStrictEqual(doc.Settings, {}, 'SETTINGS lists changed planner settings: none here');
    assert.strictEqual(doc['Execution Time'], undefined);
    assert.deepStrictEqual(
      [result.settings.max_worker_processes, result.settings.max_parallel_workers, result.settings.max_parallel_workers_per_gather, result.settings.work_mem],
      [16, 8, 2, 4096],
    );
    assert.strictEqual(result.settings.min_parallel_table_scan_size, 1024, '8MB in 8kB pages');
    assert.strictEqual(result.busyParallelWorkers, 0);
    assert.strictEqual(result.versionNum, Number((await client.query('SHOW server_version_num')).rows[0].server_version_num));
  });

  it('SETTINGS reports a planner setting the session changed', async () => {
    await client.query("SET work_mem = '64kB'");
    try {
      const [doc] = (await runExplain(client, 'SELECT 1')).plan as Record<string, any>[];
      assert.deepStrictEqual(doc.Settings, { work_mem: '64kB' });
    } finally {
      await client.query('RESET work_mem');
    }
  });

  it('ANALYZE runs the statement: actual rows, launched workers and per-worker figures', async () => {
    const result = await runExplain(client, 'SELECT count(*) FROM big', { analyze: true });
    const [doc] = result.plan as Record<string, any>[];
    const gather = doc.Plan.Plans[0];
    assert.strictEqual(result.analyzed, true);
    assert.strictEqual(gather['Workers Launched'], 2);
    const scan = gather.Plans[0].Plans[0];
    assert.strictEqual(scan['Node Type'], 'Seq Scan');
    assert.strictEqual(scan.Workers.length, 2, 'VERBOSE gives one entry per worker');
    assert.strictEqual(scan['Actual Loops'], 3, 'the leader and two workers');
    assert.strictEqual(Math.round(scan['Actual Rows'] * scan['Actual Loops']), 300000);
  });

  it('refuses two statements before anything reaches the server', async () => {
    const { client: spied, sent } = spy();
    const error = await rejection(runExplain(spied, 'SELECT 1; DELETE FROM accounts', { analyze: true, allowWrites: true }));
    assert.deepStrictEqual([error.reason, error.message], ['not-explainable', 'expected exactly one statement, found 2']);
    assert.deepStrictEqual(sent, []);
  });

  it('refuses utility statements and EXPLAIN itself, clearly', async () => {
    const utility = await rejection(runExplain(client, 'VACUUM accounts'));
    assert.deepStrictEqual([utility.reason, utility.message], ['not-explainable', 'VACUUM is a utility statement: the planner does not plan it, so it has no plan to explain']);
    const explain = await rejection(runExplain(client, 'EXPLAIN SELECT 1'));
    assert.strictEqual(explain.message, 'the text is already an EXPLAIN statement: give the statement without EXPLAIN');
    const refresh = await rejection(runExplain(client, 'REFRESH MATERIALIZED VIEW nothing_here'));
    assert.strictEqual(refresh.reason, 'not-explainable');
  });

  it('plans a write without running it in a read-only transaction', async () => {
    const before = (await client.query(CHECKSUM)).rows[0];
    const result = await runExplain(client, 'DELETE FROM accounts WHERE id < 500');
    const [doc] = result.plan as Record<string, any>[];
    assert.deepStrictEqual([doc.Plan['Node Type'], doc.Plan.Operation, result.writes], ['ModifyTable', 'Delete', ['DELETE']]);
    assert.deepStrictEqual((await client.query(CHECKSUM)).rows[0], before);
  });

  for (const [sql, writes] of [
    ['INSERT INTO accounts (balance) VALUES (1)', 'INSERT'],
    ['WITH gone AS (DELETE FROM accounts RETURNING id) SELECT count(*) FROM gone', 'a data-modifying WITH (DELETE)'],
    ['SELECT * FROM accounts WHERE id = 1 FOR NO KEY UPDATE', 'row locking (FOR NO KEY UPDATE)'],
    ['CREATE TABLE copy AS SELECT * FROM accounts', 'CREATE TABLE AS'],
  ]) {
    it(`ANALYZE of a statement that writes needs confirmation, refused before sending: ${sql}`, async () => {
      const { client: spied, sent } = spy();
      const error = await rejection(runExplain(spied, sql, { analyze: true }));
      assert.deepStrictEqual(
        [error.reason, error.message],
        ['needs-confirmation', `EXPLAIN ANALYZE runs the statement, and it writes (${writes}): it needs confirmation; it would then run in a transaction that is rolled back`],
      );
      assert.deepStrictEqual(sent, []);
    });
  }

  it('a write hidden in a function is stopped by READ ONLY on the server, and reported as needing confirmation', async () => {
    const error = await rejection(runExplain(client, 'SELECT write_audit()', { analyze: true }));
    assert.deepStrictEqual(
      [error.reason, error.message],
      ['needs-confirmation', 'running the statement tried to write (cannot execute INSERT in a read-only transaction): it needs confirmation; it would then run in a transaction that is rolled back'],
    );
    const confirmed = await runExplain(client, 'SELECT write_audit()', { analyze: true, allowWrites: true });
    assert.strictEqual(confirmed.analyzed, true);
    assert.strictEqual((await client.query('SELECT count(*)::int AS n FROM audit')).rows[0].n, 0);
  });

  for (const [sql, touched] of [
    ['INSERT INTO accounts (balance) SELECT balance FROM accounts', 1000],
    ['UPDATE accounts SET balance = balance * 2 WHERE id % 2 = 0', 500],
    ['DELETE FROM accounts WHERE id > 100', 900],
    ["MERGE INTO accounts a USING (SELECT generate_series(1, 2000) AS id) s ON a.id = s.id WHEN MATCHED THEN UPDATE SET balance = 0 WHEN NOT MATCHED THEN INSERT (balance) VALUES (-1)", 2000],
  ] as const) {
    it(`ANALYZE with confirmed writes changes nothing and leaves no lock: ${sql.split(' ')[0]}`, async function () {
      if (sql.startsWith('MERGE') && cluster.major < 15) this.skip(); // MERGE is new in PostgreSQL 15
      const before = (await client.query(CHECKSUM)).rows[0];
      const result = await runExplain(client, sql, { analyze: true, allowWrites: true });
      const [doc] = result.plan as Record<string, any>[];
      assert.strictEqual(doc.Plan['Node Type'], 'ModifyTable');
      assert.strictEqual(Math.round(doc.Plan.Plans[0]['Actual Rows'] * doc.Plan.Plans[0]['Actual Loops']), touched, 'the statement really ran');
      assert.deepStrictEqual((await client.query(CHECKSUM)).rows[0], before);
      assert.strictEqual(await ourLocks(), 0);
    });
  }

  it('confirmed writes run even on a session whose transactions default to read-only (the product\'s connections)', async () => {
    await client.query('SET default_transaction_read_only = on');
    try {
      const before = (await client.query(CHECKSUM)).rows[0];
      const result = await runExplain(client, 'UPDATE accounts SET balance = 0', { analyze: true, allowWrites: true });
      assert.strictEqual((result.plan as Record<string, any>[])[0].Plan.Plans[0]['Actual Rows'], 1000);
      assert.deepStrictEqual((await client.query(CHECKSUM)).rows[0], before);
    } finally {
      await client.query('RESET default_transaction_read_only');
    }
  });

  it('a statement timeout cancels the statement on the server, and the next request works', async () => {
    const error = await rejection(runExplain(client, 'SELECT pg_sleep(30)', { analyze: true, timeoutMs: 300 }));
    assert.deepStrictEqual(
      [error.reason, error.message],
      ['timeout', 'the statement ran longer than the statement timeout (300 ms): it was cancelled on the server and rolled back'],
    );
    assert.strictEqual((await backendState(backendPid(client))).state, 'idle');
    const next = await runExplain(client, 'SELECT 1', { analyze: true });
    assert.strictEqual((next.plan as Record<string, any>[])[0].Plan['Actual Rows'], 1);
  });

  it('aborting cancels the running statement on the server and leaves the connection clean', async () => {
    const controller = new AbortController();
    const running = rejection(runExplain(client, 'SELECT pg_sleep(30)', { analyze: true, signal: controller.signal, timeoutMs: 60_000 }));
    // Abort only once the server is really running the statement.
    for (;;) {
      const { state, query } = await backendState(backendPid(client));
      if (state === 'active' && query.includes('pg_sleep(30)')) break;
    }
    controller.abort();
    const error = await running;
    assert.deepStrictEqual([error.reason, error.message], ['cancelled', 'EXPLAIN was cancelled; the statement was stopped on the server and rolled back']);
    assert.strictEqual((await backendState(backendPid(client))).state, 'idle');
    const { rows } = await client.query("SELECT now() = statement_timestamp() AS autocommit, current_setting('statement_timeout') AS timeout");
    assert.deepStrictEqual(rows[0], { autocommit: true, timeout: '0' });
  });

  it('an already aborted signal sends nothing', async () => {
    const { client: spied, sent } = spy();
    const error = await rejection(runExplain(spied, 'SELECT 1', { signal: AbortSignal.abort() }));
    assert.strictEqual(error.reason, 'cancelled');
    assert.deepStrictEqual(sent, []);
  });

  it('$n parameters: a generic plan on 16+, a clear refusal before; never with ANALYZE', async () => {
    const sql = 'SELECT * FROM accounts WHERE id = $1';
    if (cluster.major >= 16) {
      const result = await runExplain(client, sql);
      const [doc] = result.plan as Record<string, any>[];
      assert.deepStrictEqual([result.generic, doc.Plan['Node Type'], doc.Plan['Index Cond']], [true, 'Index Scan', '(accounts.id = $1)']);
    } else {
      const error = await rejection(runExplain(client, sql));
      assert.deepStrictEqual([error.reason, error.message], ['parameters-need-16', PARAMETERS_NEED_16]);
    }
    const options: ExplainOptions = { analyze: true };
    const error = await rejection(runExplain(client, sql, options));
    assert.strictEqual(error.reason, 'parameters-with-analyze');
  });

  it('a server error is passed on, and the transaction is rolled back', async () => {
    const error = await rejection(runExplain(client, 'SELECT * FROM no_such_table'));
    assert.deepStrictEqual([error.reason, error.message], ['server-error', 'relation "no_such_table" does not exist']);
    const { rows } = await client.query('SELECT now() = statement_timestamp() AS autocommit');
    assert.strictEqual(rows[0].autocommit, true);
  });
});

describe('plan report from real EXPLAIN ANALYZE', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let client: Client;

  const BIG = `
    CREATE TABLE big (id int PRIMARY KEY, grp int NOT NULL, pad text NOT NULL);
    INSERT INTO big SELECT g, g % 100, repeat('x', 40) FROM generate_series(1, 300000) g;
    CREATE TABLE small (id int);
    INSERT INTO small SELECT generate_series(1, 100);
    ANALYZE;`;

  before(async () => {
    cluster = await testCluster();
    client = new Client({ connectionString: await cluster.createDatabase('plan_report') });
    await client.connect();
    await client.query(BIG);
  });

  after(async () => {
    await client?.end();
  });

  async function explained(sql: string, session: string[] = []): Promise<{ result: ExplainResult; report: PlanReport }> {
    for (const statement of session) await client.query(statement);
    try {
      const result = await runExplain(client, sql, { analyze: true });
      const report = analyzePlan(result.plan, { settings: result.settings, busyParallelWorkers: result.busyParallelWorkers, versionNum: result.versionNum });
      return { result, report };
    } finally {
      await client.query('RESET ALL');
    }
  }

  const codes = (report: PlanReport) => report.findings.map((f) => f.code);

  it('launch shortfall on a server whose pool has one parallel worker', async () => {
    const small = await startPostgres({ major: cluster.major, binDir: process.env.PGPH_TEST_PG_BINDIR || undefined, settings: { max_parallel_workers: '1' } });
    const other = new Client({ connectionString: small.connectionString() });
    try {
      await other.connect();
      await other.query(BIG);
      const result = await runExplain(other, 'SELECT count(*) FROM big', { analyze: true });
      const report = analyzePlan(result.plan, { settings: result.settings, busyParallelWorkers: result.busyParallelWorkers, versionNum: result.versionNum });
      assert.deepStrictEqual(report.gathers, [{ nodeType: 'Gather', workersPlanned: 2, workersLaunched: 1, singleCopy: false, path: [0] }]);
      assert.deepStrictEqual(report.findings[0], {
        code: 'workers-launch-shortfall',
        severity: 'warning',
        nodePath: [0],
        message:
          '#2 Gather: 2 workers planned, 1 launched: the pool of parallel workers was short (max_worker_processes = 16, max_parallel_workers = 1, 0 parallel workers of other sessions busy just before)',
        advice:
          'Raise max_parallel_workers; max_worker_processes needs a restart, max_parallel_workers does not. Keep max_parallel_workers_per_gather <= max_parallel_workers <= max_worker_processes.',
      });
    } finally {
      await other.end();
      await small.stop();
    }
  });

  it('sorts spilling to disk in the leader and in each worker', async () => {
    const { report, result } = await explained('SELECT * FROM big ORDER BY pad, id DESC', ["SET work_mem = '64kB'"]);
    assert.deepStrictEqual(report.gathers.map((g) => [g.nodeType, g.workersLaunched]), [['Gather Merge', 2]]);
    const spill = report.findings.find((f) => f.code === 'spill-in-worker');
    assert.ok(spill, codes(report).join(', '));
    assert.match(
      spill.message,
      /^#2 Sort spilled to disk below the Gather: the leader sorted on disk \(external merge, [\d.]+ MB\); worker 0 sorted on disk \(external merge, [\d.]+ MB\); worker 1 sorted on disk \(external merge, [\d.]+ MB\) \(work_mem = 64 kB per process\)$/,
    );
    assert.strictEqual(result.settings.work_mem, 64);
  });

  it('a single-copy Gather under debug_parallel_query', async () => {
    const force = cluster.major >= 16 ? 'debug_parallel_query' : 'force_parallel_mode';
    const { report } = await explained('SELECT count(*) FROM small', [`SET ${force} = on`]);
    assert.deepStrictEqual(report.gathers, [{ nodeType: 'Gather', workersPlanned: 1, workersLaunched: 1, singleCopy: true, path: [] }]);
    assert.deepStrictEqual([codes(report), report.parallel], [['single-copy-gather'], false]);
  });

  it('a Gather rescanned on the inner side of a nested loop', async () => {
    const { report } = await explained('SELECT * FROM (SELECT count(*) FROM big WHERE grp > 10) ss RIGHT JOIN (VALUES (1), (2), (3)) v(x) ON true', ['SET enable_material = off']);
    const rescanned = report.findings.find((f) => f.code === 'gather-rescanned');
    assert.deepStrictEqual(rescanned && [rescanned.nodePath, rescanned.message], [
      [1, 0],
      '#4 Gather ran 3 times (Actual Loops): it starts its workers again on every rescan, paying parallel setup each time',
    ]);
  });
});
