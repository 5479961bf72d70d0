/**
 * The user's data under EXPLAIN ANALYZE, on the product's own kind of session (openConnection:
 * read-only by default, statement timeout) and its explain path (runExplain): functions with side
 * effects, row locks, explicit and advisory locks. Afterwards every table's checksum is what it was,
 * and pg_locks shows nothing held by the product's session (any lock type), seen from another
 * session that then takes the same locks with NOWAIT.
 * What ROLLBACK cannot undo is asserted as it is: a sequence that nextval() advanced stays advanced
 * (PostgreSQL never rolls sequences back), which is why a confirmed run is required for it.
 * test/db/explain.test.ts already covers INSERT/UPDATE/DELETE/MERGE and a function writing a table.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { connectionConfig, openConnection } from '../../server/src/db/connection';
import { ExplainError, runExplain } from '../../server/src/db/explain';
import { PARAMETERS_NEED_16, probeParallelism } from '../../server/src/db/probe';
import { whyNotParallel } from '../../server/src/db/why-not';
import { testCluster } from '../harness/postgres';

const SCHEMA = `
CREATE TABLE accounts (id int PRIMARY KEY, balance numeric NOT NULL);
INSERT INTO accounts SELECT g, g * 10 FROM generate_series(1, 1000) g;
CREATE TABLE audit (id serial PRIMARY KEY, note text NOT NULL);
INSERT INTO audit (note) VALUES ('before');
CREATE SEQUENCE tickets;
SELECT nextval('tickets');
-- Writes two tables and draws a ticket: what a careless "SELECT report()" can hide.
CREATE FUNCTION side_effects(n int) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit (note) VALUES ('side effect ' || n);
  UPDATE accounts SET balance = balance + 1 WHERE id = n;
  RETURN nextval('tickets');
END $$;
CREATE FUNCTION lock_accounts() RETURNS int LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;
  RETURN 1;
END $$;
`;

const CHECKSUMS = `
SELECT (SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) FROM accounts a) AS accounts,
       (SELECT md5(string_agg(a::text, ',' ORDER BY a.id)) FROM audit a) AS audit`;

describe('reliability: EXPLAIN ANALYZE leaves no change and no lock behind', function () {
  this.timeout(60_000);
  let product: Client;
  let watcher: Client;
  let productPid: number;

  before(async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('explain_data');
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query(SCHEMA);
    await setup.end();
    product = await openConnection(connectionConfig({ url, sslmode: 'disable' }, {}), { applicationName: 'pg-parallel-hints explain' });
    watcher = new Client({ connectionString: url });
    await watcher.connect();
    productPid = (await product.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
  });

  after(async () => {
    await Promise.all([product?.end(), watcher?.end()]);
  });

  const checksums = async () => (await watcher.query(CHECKSUMS)).rows[0];
  const ticket = async (): Promise<number> => Number((await watcher.query('SELECT last_value FROM tickets')).rows[0].last_value);
  /** Every lock the product's session holds, of any type (an idle session holds none). */
  async function productLocks(): Promise<string[]> {
    const { rows } = await watcher.query("SELECT locktype || ' ' || mode AS lock FROM pg_locks WHERE pid = $1 ORDER BY 1", [productPid]);
    return rows.map((r) => r.lock);
  }
  /** Another session can take what the statement locked, at once. */
  async function othersCanLock(): Promise<void> {
    await watcher.query('BEGIN');
    try {
      await watcher.query('LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE NOWAIT');
      await watcher.query('SELECT * FROM accounts WHERE id <= 10 FOR UPDATE NOWAIT');
      const { rows } = await watcher.query('SELECT pg_try_advisory_xact_lock(4242) AS got');
      assert.strictEqual(rows[0].got, true, 'the advisory lock is free');
    } finally {
      await watcher.query('ROLLBACK');
    }
  }
  async function refusal(promise: Promise<unknown>): Promise<ExplainError> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ExplainError, `not an ExplainError: ${error}`);
      return error;
    }
    throw new Error('EXPLAIN ANALYZE ran');
  }

  it('a function that writes two tables and draws from a sequence: unconfirmed it is stopped, with nothing changed, the sequence included', async () => {
    const [before, ticketBefore] = [await checksums(), await ticket()];
    const error = await refusal(runExplain(product, 'SELECT side_effects(7)', { analyze: true }));
    assert.deepStrictEqual(
      [error.reason, error.message],
      ['needs-confirmation', 'running the statement tried to write (cannot execute INSERT in a read-only transaction): it needs confirmation; it would then run in a transaction that is rolled back'],
    );
    assert.deepStrictEqual(await checksums(), before);
    assert.strictEqual(await ticket(), ticketBefore);
    assert.deepStrictEqual(await productLocks(), []);
  });

  it('nextval() alone is stopped too: a read-only transaction refuses it', async () => {
    const ticketBefore = await ticket();
    const error = await refusal(runExplain(product, "SELECT nextval('tickets')", { analyze: true }));
    assert.deepStrictEqual(
      [error.reason, error.message],
      ['needs-confirmation', 'running the statement tried to write (cannot execute nextval() in a read-only transaction): it needs confirmation; it would then run in a transaction that is rolled back'],
    );
    assert.strictEqual(await ticket(), ticketBefore);
  });

  it('confirmed, the function really runs; both tables are as before, no lock is left; the sequence alone has moved (PostgreSQL never rolls sequences back)', async () => {
    const [before, ticketBefore] = [await checksums(), await ticket()];
    const result = await runExplain(product, 'SELECT side_effects(n) FROM generate_series(1, 5) n', { analyze: true, allowWrites: true });
    const [doc] = result.plan as Record<string, any>[];
    assert.strictEqual(doc.Plan['Actual Rows'] * doc.Plan['Actual Loops'], 5, 'the function ran five times');
    assert.deepStrictEqual(await checksums(), before);
    assert.strictEqual(await ticket(), ticketBefore + 5);
    assert.deepStrictEqual(await productLocks(), []);
    await othersCanLock();
  });

  it('SELECT ... FOR UPDATE, confirmed: the rows were locked while it ran, and are free after', async () => {
    const before = await checksums();
    const result = await runExplain(product, 'SELECT * FROM accounts WHERE id <= 10 FOR UPDATE', { analyze: true, allowWrites: true });
    const [doc] = result.plan as Record<string, any>[];
    assert.deepStrictEqual([doc.Plan['Node Type'], doc.Plan['Actual Rows']], ['LockRows', 10]);
    assert.deepStrictEqual(await checksums(), before);
    assert.deepStrictEqual(await productLocks(), []);
    await othersCanLock();
  });

  it('a function taking LOCK TABLE ... ACCESS EXCLUSIVE runs even unconfirmed (the server allows LOCK in a read-only transaction) and releases it', async () => {
    // While it runs, other sessions wait on the table: the statement timeout bounds that.
    const unconfirmed = await runExplain(product, 'SELECT lock_accounts()', { analyze: true });
    assert.strictEqual(unconfirmed.analyzed, true);
    assert.deepStrictEqual(await productLocks(), []);
    await othersCanLock();
    const confirmed = await runExplain(product, 'SELECT lock_accounts()', { analyze: true, allowWrites: true });
    assert.strictEqual(confirmed.analyzed, true);
    assert.deepStrictEqual(await productLocks(), []);
    await othersCanLock();
  });

  it('a session-level advisory lock, which ROLLBACK does not release, is not left behind', async () => {
    const result = await runExplain(product, 'SELECT pg_advisory_lock(4242), pg_advisory_lock_shared(4243)', { analyze: true });
    assert.strictEqual(result.analyzed, true);
    assert.deepStrictEqual(await productLocks(), []);
    await othersCanLock();
  });

  it('a statement cancelled by the server itself (pg_cancel_backend), not by the timeout, is not called a timeout', async () => {
    const error = await refusal(runExplain(product, 'SELECT pg_cancel_backend(pg_backend_pid()), pg_sleep(2)', { analyze: true, timeoutMs: 30_000 }));
    assert.strictEqual(error.reason, 'server-error');
    assert.strictEqual(error.message, 'canceling statement due to user request: the server cancelled it (pg_cancel_backend or an administrator), and rolled it back');
  });

  it('after all of it the session is clean and still read-only by default', async () => {
    const { rows } = await product.query("SELECT current_setting('default_transaction_read_only') AS ro, current_setting('transaction_read_only') AS now_ro");
    assert.deepStrictEqual(rows[0], { ro: 'on', now_ro: 'on' });
    assert.deepStrictEqual(await productLocks(), []);
  });
});

/**
 * A server that reads backslashes in '...' as escapes (standard_conforming_strings off, as legacy
 * databases have it) must read the statement as the parser did: otherwise 'a\' ends the literal
 * elsewhere, and a statement with $n parameters (sent over the simple protocol) would carry the
 * rest to the server as statements of their own. Each door that sends the user's statement is
 * tried with one that would commit and drop a table; the table must survive.
 */
describe('reliability: a statement is sent as the parser read it, on a server with standard_conforming_strings off', function () {
  this.timeout(60_000);
  let product: Client;
  let watcher: Client;
  let versionNum: number;
  const HIDDEN = "SELECT $1::int AS n, 'a\\', '; COMMIT; BEGIN READ WRITE; DROP TABLE victim; COMMIT; --' AS s";

  before(async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('explain_scs');
    watcher = new Client({ connectionString: url });
    await watcher.connect();
    await watcher.query('CREATE TABLE victim (id int)');
    await watcher.query(`ALTER DATABASE ${(await watcher.query('SELECT current_database() AS d')).rows[0].d} SET standard_conforming_strings = off`);
    product = await openConnection(connectionConfig({ url, sslmode: 'disable' }, {}), { applicationName: 'pg-parallel-hints explain' });
    versionNum = Number((await product.query('SHOW server_version_num')).rows[0].server_version_num);
  });

  after(async () => {
    await Promise.all([product?.end(), watcher?.end()]);
  });

  const victimExists = async () => (await watcher.query("SELECT to_regclass('public.victim') IS NOT NULL AS present")).rows[0].present;

  it('the product’s session has it off, as the database says', async () => {
    assert.strictEqual((await product.query('SHOW standard_conforming_strings')).rows[0].standard_conforming_strings, 'off');
  });

  it('EXPLAIN: a SELECT of two literals, planned (generic plan from 16), nothing else run', async () => {
    if (versionNum < 160000) {
      await assert.rejects(runExplain(product, HIDDEN), (error: ExplainError) => error.reason === 'parameters-need-16');
    } else {
      const result = await runExplain(product, HIDDEN);
      assert.strictEqual(result.generic, true);
      assert.strictEqual((result.plan as { Plan: { 'Node Type': string } }[])[0].Plan['Node Type'], 'Result');
    }
    assert.strictEqual(await victimExists(), true);
  });

  it('the planner probe (check --verify) and why-not: the same', async () => {
    const probe = await probeParallelism(product, HIDDEN);
    assert.strictEqual(probe.error, versionNum < 160000 ? PARAMETERS_NEED_16 : undefined);
    const report = await whyNotParallel(product, HIDDEN);
    assert.strictEqual(report.probe.error, versionNum < 160000 ? PARAMETERS_NEED_16 : undefined);
    assert.strictEqual(await victimExists(), true);
  });

  it('the session keeps its own setting afterwards (SET LOCAL)', async () => {
    assert.strictEqual((await product.query('SHOW standard_conforming_strings')).rows[0].standard_conforming_strings, 'off');
  });
});

/**
 * A backend that stops answering (SIGSTOP: neither statement_timeout nor a cancel request reaches
 * it) must not hold the product: Explain, a cancelled Explain and the planner probe (check --verify)
 * each give up on the connection and fail, instead of waiting forever.
 */
describe('reliability: a backend that stops answering', function () {
  this.timeout(60_000);
  let url: string;
  let watcher: Client;

  before(async () => {
    const cluster = await testCluster();
    url = await cluster.createDatabase('explain_stopped');
    watcher = new Client({ connectionString: url });
    await watcher.connect();
  });

  after(async () => {
    await watcher?.end();
  });

  /** A product session whose backend is stopped while `work` runs on it, and continued after. */
  async function stopped<T>(work: (product: Client) => Promise<T>): Promise<{ outcome: T | Error; waited: number }> {
    const product = await openConnection(connectionConfig({ url, sslmode: 'disable' }, {}), { applicationName: 'pg-parallel-hints explain' });
    const pid: number = (await product.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    process.kill(pid, 'SIGSTOP');
    const started = performance.now();
    try {
      const outcome = await work(product).catch((error: Error) => error);
      return { outcome, waited: performance.now() - started };
    } finally {
      process.kill(pid, 'SIGCONT');
      await product.end().catch(() => undefined);
    }
  }

  it('Explain fails after the statement timeout and a grace, saying the server did not answer', async () => {
    const { outcome, waited } = await stopped((product) => runExplain(product, 'SELECT 1', { timeoutMs: 500 }));
    assert.ok(outcome instanceof ExplainError, String(outcome));
    assert.strictEqual(outcome.reason, 'no-answer');
    assert.match(outcome.message, /^the server did not answer within 5\.5 s/);
    assert.ok(waited >= 5_000, `gave up after ${waited} ms`);
  });

  it('a cancelled Explain ends soon after the cancel request, though the backend never takes it', async () => {
    const abort = new AbortController();
    const { outcome, waited } = await stopped((product) => {
      setTimeout(() => abort.abort(), 200);
      return runExplain(product, 'SELECT 1', { timeoutMs: 60_000, signal: abort.signal });
    });
    assert.ok(outcome instanceof ExplainError, String(outcome));
    assert.strictEqual(outcome.reason, 'cancelled');
    assert.ok(waited < 20_000, `ended after ${waited} ms, not after the 60 s statement timeout`);
  });

  it('the planner probe fails the same way', async () => {
    const { outcome } = await stopped((product) => probeParallelism(product, 'SELECT 1', { timeoutMs: 500 }));
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.match(outcome.error ?? '', /^the server did not answer within 5\.5 s/);
  });
});
