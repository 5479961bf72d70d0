/**
 * The planner probes against a real server (18, and 15 when the runner sets PGPH_TEST_PG_MAJOR):
 * what each probe answers for the statement kinds of PARALLEL.md, the costs they report checked
 * against plain EXPLAINs, and that a probe leaves the session exactly as it found it.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { PARAMETERS_NEED_16, probeParallelism } from '../../server/src/db/probe';
import { PgCluster, testCluster } from '../harness/postgres';

const SCHEMA = `
CREATE TABLE big (id int PRIMARY KEY, grp int NOT NULL, pad text NOT NULL);
INSERT INTO big SELECT g, g % 100, repeat('x', 40) FROM generate_series(1, 300000) g;
ANALYZE big;
CREATE TABLE small (id int, note text);
INSERT INTO small SELECT g, 'n' || g FROM generate_series(1, 100) g;
ANALYZE small;
CREATE FUNCTION f_unsafe(x int) RETURNS int LANGUAGE plpgsql PARALLEL UNSAFE AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION f_restricted(x bigint) RETURNS bigint LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;
-- IMMUTABLE, so the planner folds it while planning: EXPLAIN alone takes the sleep.
CREATE FUNCTION slow_to_plan() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(30); RETURN 1; END $$;
`;

describe('planner probes', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let client: Client;

  before(async () => {
    cluster = await testCluster();
    client = new Client({ connectionString: await cluster.createDatabase('probe') });
    await client.connect();
    await client.query(SCHEMA);
  });

  after(async () => {
    await client?.end();
  });

  /** Top-node cost of a plain EXPLAIN under the given session settings, in a rolled-back transaction. */
  async function costWith(sql: string, settings: string): Promise<number> {
    await client.query('BEGIN');
    try {
      if (settings) await client.query(settings);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`);
      return rows[0]['QUERY PLAN'][0].Plan['Total Cost'];
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('uses a table big enough for workers (over 10 MB)', async () => {
    const { rows } = await client.query("SELECT pg_relation_size('big') AS bytes");
    assert.ok(Number(rows[0].bytes) > 10 * 1024 * 1024, `big is only ${rows[0].bytes} bytes`);
  });

  it('a plain count(*) over a big table: parallel possible, whole plan safe, parallel chosen', async () => {
    const sql = 'SELECT count(*) FROM big';
    const probe = await probeParallelism(client, sql);
    assert.deepStrictEqual(probe, {
      parallelPossible: true,
      wholePlanSafe: true,
      serialCost: await costWith(sql, 'SET LOCAL max_parallel_workers_per_gather = 0'),
      parallelCost: await costWith(
        sql,
        'SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; SET LOCAL min_parallel_table_scan_size = 0; SET LOCAL min_parallel_index_scan_size = 0',
      ),
      chosenCost: await costWith(sql, ''),
      chosenParallel: true,
      workersPerGather: 2,
    });
    assert.ok(probe.parallelCost! < probe.chosenCost! && probe.chosenCost! < probe.serialCost!, JSON.stringify(probe));
  });

  it('a PARALLEL UNSAFE function in WHERE: no parallel plan at all', async () => {
    const probe = await probeParallelism(client, 'SELECT count(*) FROM big WHERE f_unsafe(grp) = 1');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.chosenParallel, probe.parallelCost, probe.error], [false, false, false, undefined, undefined]);
    assert.strictEqual(probe.serialCost, probe.chosenCost);
  });

  it('random() (PARALLEL RESTRICTED) in the scan filter keeps the only scan in the leader', async () => {
    const probe = await probeParallelism(client, 'SELECT count(*) FROM big WHERE random() < 0.1');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.error], [false, false, undefined]);
  });

  it('a RESTRICTED function above the aggregate: a Gather below it, but not the whole plan in workers', async () => {
    const probe = await probeParallelism(client, 'SELECT f_restricted(count(*)) FROM big');
    // Without partial aggregation (the aggregate's target is restricted), rows would cross the Gather
    // one by one: with real costs the serial plan wins.
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.chosenParallel], [true, false, false]);
  });

  it('FOR UPDATE: no parallel plan', async () => {
    const probe = await probeParallelism(client, 'SELECT id FROM big WHERE grp = 1 FOR UPDATE');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.error], [false, false, undefined]);
  });

  it('INSERT ... SELECT: no parallel plan, and nothing is inserted', async () => {
    const probe = await probeParallelism(client, 'INSERT INTO small SELECT id, pad FROM big');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.error], [false, false, undefined]);
    assert.strictEqual((await client.query('SELECT count(*)::int AS n FROM small')).rows[0].n, 100);
  });

  it('a temporary table is restricted: no single-copy Gather over its scan', async () => {
    await client.query('CREATE TEMP TABLE scratch AS SELECT * FROM big; ANALYZE scratch');
    try {
      const probe = await probeParallelism(client, 'SELECT count(*) FROM scratch');
      assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.error], [false, false, undefined]);
    } finally {
      await client.query('DROP TABLE scratch');
    }
  });

  it('SELECT 1: nothing to scan in parallel, but every part is safe', async () => {
    const probe = await probeParallelism(client, 'SELECT 1');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.chosenParallel], [false, true, false]);
  });

  it('an uncorrelated initplan: the whole plan is safe from PostgreSQL 17 on', async () => {
    const probe = await probeParallelism(client, 'SELECT (SELECT count(*) FROM big) AS n, 1 AS one');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe], [true, cluster.major >= 17]);
  });

  it('a Gather inside a materialized CTE counts as parallel possible', async () => {
    const probe = await probeParallelism(client, 'WITH m AS MATERIALIZED (SELECT * FROM big) SELECT count(*) FROM m');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe], [true, false]);
  });

  it('a table below min_parallel_table_scan_size: possible only once size and cost are waived', async () => {
    const probe = await probeParallelism(client, 'SELECT count(*) FROM small');
    assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.chosenParallel], [true, true, false]);
    // Cheaper in parallel only while the Gather's setup cost (1000) is waived: a cost/size blocker.
    assert.ok(probe.parallelCost! < probe.serialCost! && probe.parallelCost! + 1000 > probe.serialCost!, `small: ${JSON.stringify(probe)}`);
  });

  it('$n parameters: a generic plan on 16+, a clear refusal before', async () => {
    const probe = await probeParallelism(client, 'SELECT count(*) FROM big WHERE grp = $1');
    if (cluster.major >= 16) {
      assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.error], [true, true, undefined]);
    } else {
      assert.deepStrictEqual(probe, { parallelPossible: false, wholePlanSafe: false, error: PARAMETERS_NEED_16 });
    }
  });

  it('judges the statement even when the session has max_parallel_workers_per_gather = 0', async () => {
    await client.query('SET max_parallel_workers_per_gather = 0');
    try {
      const probe = await probeParallelism(client, 'SELECT count(*) FROM big');
      assert.deepStrictEqual([probe.parallelPossible, probe.wholePlanSafe, probe.chosenParallel, probe.workersPerGather], [true, true, false, 0]);
      assert.strictEqual((await client.query('SHOW max_parallel_workers_per_gather')).rows[0].max_parallel_workers_per_gather, '0');
    } finally {
      await client.query('RESET max_parallel_workers_per_gather');
    }
  });

  it('a session that forces parallel mode itself still gets the real plan as "chosen"', async () => {
    const force = cluster.major >= 16 ? 'debug_parallel_query' : 'force_parallel_mode';
    await client.query(`SET ${force} = on`);
    try {
      const probe = await probeParallelism(client, 'SELECT count(*) FROM small');
      assert.deepStrictEqual([probe.chosenParallel, probe.wholePlanSafe], [false, true]);
    } finally {
      await client.query(`RESET ${force}`);
    }
  });

  it('refuses two statements before sending anything', async () => {
    const sent: string[] = [];
    const spy = Object.create(client, {
      query: { value: (...args: unknown[]) => (sent.push(JSON.stringify(args[0])), (client.query as (...a: unknown[]) => unknown)(...args)) },
    });
    const probe = await probeParallelism(spy, 'SELECT 1; SELECT 2');
    assert.deepStrictEqual(probe, { parallelPossible: false, wholePlanSafe: false, error: 'expected exactly one statement, found 2' });
    assert.deepStrictEqual(sent, []);
  });

  it('a utility statement has no plan', async () => {
    const probe = await probeParallelism(client, 'CREATE TABLE nothing (a int)');
    assert.deepStrictEqual(probe, {
      parallelPossible: false,
      wholePlanSafe: false,
      error: 'CREATE TABLE is a utility statement: the planner does not plan it, so it has no plan to explain',
    });
  });

  it('a statement that takes longer than the timeout to plan is cancelled, and the session is left clean', async () => {
    const probe = await probeParallelism(client, 'SELECT * FROM big WHERE id = slow_to_plan()', { timeoutMs: 200 });
    assert.deepStrictEqual(probe, { parallelPossible: false, wholePlanSafe: false, error: 'canceling statement due to statement timeout' });
    const { rows } = await client.query(
      "SELECT current_setting('parallel_setup_cost') AS setup, current_setting('statement_timeout') AS timeout, (SELECT count(*)::int FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = 'big'::regclass) AS locks",
    );
    assert.deepStrictEqual(rows[0], { setup: '1000', timeout: '0', locks: 0 });
  });

  it('leaves no transaction open: the next statement runs in autocommit', async () => {
    await probeParallelism(client, 'SELECT count(*) FROM big');
    const { rows } = await client.query("SELECT (SELECT count(*)::int FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 'big'::regclass) AS locks, now() = statement_timestamp() AS fresh_transaction");
    assert.deepStrictEqual(rows[0], { locks: 0, fresh_transaction: true });
  });
});
