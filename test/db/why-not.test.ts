/**
 * "Why not parallel?" against a real server (18, and 15 when the runner sets PGPH_TEST_PG_MAJOR):
 * each verdict produced by a real planner - a table under 8 MB, parallel_workers = 0,
 * max_parallel_workers_per_gather = 0 set for the database, a Gather that loses on cost (the value
 * at which it wins is checked here again by re-planning), an unsafe function - and cancellation.
 * The order of the checks is tested on the pure classification with the probe's shapes.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { ExplainError } from '../../server/src/db/explain';
import { whyNotParallel } from '../../server/src/db/why-not';
import { classifyWhyNot, PlanOutcome, WhyNotInput } from '../../server/src/core/why-not';
import type { ParallelSettings } from '../../server/src/core/catalog-snapshot';
import { PgCluster, testCluster } from '../harness/postgres';

const SCHEMA = `
-- 1,035 pages (8.1 MB): just over min_parallel_table_scan_size, so one worker; wide rows keep the
-- parallel count(*) above the serial one at parallel_setup_cost = 1000.
CREATE TABLE just_over (id int, grp int, pad text);
INSERT INTO just_over SELECT g, g % 100, repeat('x', 100) FROM generate_series(1, 60000) g;
ANALYZE just_over;
-- 345 pages (2.7 MB).
CREATE TABLE small (id int, pad text);
INSERT INTO small SELECT g, repeat('y', 100) FROM generate_series(1, 20000) g;
ANALYZE small;
CREATE TABLE never_parallel (id int, pad text) WITH (parallel_workers = 0);
INSERT INTO never_parallel SELECT g, repeat('z', 100) FROM generate_series(1, 100000) g;
ANALYZE never_parallel;
CREATE TABLE big (id int, grp int, pad text);
INSERT INTO big SELECT g, g % 100, repeat('x', 40) FROM generate_series(1, 300000) g;
ANALYZE big;
CREATE FUNCTION f_unsafe(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;
-- IMMUTABLE, so the planner folds it while planning: every re-plan takes the sleep.
CREATE FUNCTION slow_to_plan() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(30); RETURN 1; END $$;
`;

describe('why not parallel (real planner)', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let client: Client;

  before(async () => {
    cluster = await testCluster();
    client = new Client({ connectionString: await cluster.createDatabase('whynot') });
    await client.connect();
    await client.query(SCHEMA);
  });

  after(async () => {
    await client?.end();
  });

  /** A plain EXPLAIN under SET LOCAL settings in a rolled-back transaction: top cost and whether a Gather appears. */
  async function planWith(sql: string, settings: Record<string, number>): Promise<{ cost: number; gather: boolean }> {
    await client.query('BEGIN');
    try {
      for (const [name, value] of Object.entries(settings)) await client.query(`SET LOCAL ${name} = ${value}`);
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`);
      const plan = rows[0]['QUERY PLAN'][0].Plan;
      return { cost: plan['Total Cost'], gather: /"Gather( Merge)?"/.test(JSON.stringify(plan)) };
    } finally {
      await client.query('ROLLBACK');
    }
  }

  it('a count over a table just over 8 MB: the Gather loses on cost; the value at which it wins is computed and checked', async () => {
    const size = (await client.query("SELECT pg_relation_size('just_over') AS bytes")).rows[0];
    assert.strictEqual(Number(size.bytes), 1035 * 8192, 'the table must be just over 8 MB');
    const sql = 'SELECT count(*) FROM just_over';
    const { whyNot, evidence } = await whyNotParallel(client, sql);

    const serial = await planWith(sql, { max_parallel_workers_per_gather: 0 });
    const withoutSetup = await planWith(sql, { parallel_setup_cost: 0 });
    assert.deepStrictEqual([serial, withoutSetup.gather], [{ cost: 1785.01, gather: false }, true]);
    const search = evidence.switchSearch!;
    // Where the planner should switch: the parallel plan over 1% (add_path's fuzz) below the serial one.
    const expected = Math.floor(1785.01 / 1.01 - withoutSetup.cost);
    assert.deepStrictEqual([search.setting, search.parallelAt, search.serialAt], ['parallel_setup_cost', expected, expected + 1]);
    // Checked here again, independently of the code under test.
    assert.deepStrictEqual(
      [await planWith(sql, { parallel_setup_cost: expected }), (await planWith(sql, { parallel_setup_cost: expected + 1 })).gather, (await planWith(sql, {})).gather],
      [{ cost: withoutSetup.cost + expected, gather: true }, false, false],
    );

    const cost = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
    assert.strictEqual(whyNot.verdict, 'cost-threshold');
    assert.strictEqual(whyNot.message, 'A parallel plan is possible but costs more than the serial plan at parallel_setup_cost = 1,000, parallel_tuple_cost = 0.1.');
    assert.deepStrictEqual(
      whyNot.findings.map((f) => [f.code, f.message, f.advice]),
      [
        [
          'cost-threshold',
          `the cheapest parallel plan costs ${cost(withoutSetup.cost + 1000)} (${cost(withoutSetup.cost)} without the setup cost, plus parallel_setup_cost = 1,000 for its Gather) against 1,785.01 for the serial plan. ` +
            `They break even at parallel_setup_cost = ${cost(1785.01 - withoutSetup.cost)}, and the planner takes the parallel plan only when it is over 1% cheaper (below ${cost(1785.01 / 1.01 - withoutSetup.cost)}); ` +
            `at parallel_setup_cost = ${expected} the planner switches to a Gather (checked: cost ${cost(withoutSetup.cost + expected)}; at ${expected + 1} it keeps the serial plan)`,
          `For this statement: SET LOCAL parallel_setup_cost = ${expected} inside its transaction, then compare with EXPLAIN ANALYZE (--analyze): costs are estimates, and a parallel plan that barely wins on cost is often no faster. Lowering it for everyone starts workers for many small queries.`,
        ],
      ],
    );
    assert.deepStrictEqual(whyNot.costs, {
      serial: 1785.01,
      parallelLowerBound: (await planWith(sql, { parallel_setup_cost: 0, parallel_tuple_cost: 0, min_parallel_table_scan_size: 0, min_parallel_index_scan_size: 0 })).cost,
      parallelWithoutSetupCost: withoutSetup.cost,
      parallel: withoutSetup.cost + 1000,
      parallelSetupCost: 1000,
      parallelTupleCost: 0.1,
      switchSearch: search,
    });
  });

  it('every row through the Gather: even without setup cost the serial plan wins; the parallel_tuple_cost at which it switches is checked', async () => {
    const sql = 'SELECT id, pad FROM just_over';
    const { whyNot, evidence } = await whyNotParallel(client, sql);
    const search = evidence.switchSearch!;
    assert.deepStrictEqual([whyNot.verdict, search.setting, search.holding], ['cost-threshold', 'parallel_tuple_cost', { parallel_setup_cost: 0 }]);
    assert.ok(search.parallelAt! > 0 && search.parallelAt! < search.expectedSwitch && search.expectedSwitch < search.breakEven && search.breakEven < 0.1, JSON.stringify(search));
    assert.deepStrictEqual(
      [(await planWith(sql, { parallel_setup_cost: 0, parallel_tuple_cost: search.parallelAt! })).gather, (await planWith(sql, { parallel_setup_cost: 0, parallel_tuple_cost: search.serialAt! })).gather],
      [true, false],
    );
    assert.match(whyNot.findings[0].message, /^even at parallel_setup_cost = 0 the serial plan \(1,635\) is cheaper; with parallel_tuple_cost at 0 as well the parallel plan costs 1,387\.94 \(60,000 rows cross the Gather at parallel_tuple_cost = 0\.1 each\)\. /);
    assert.strictEqual(
      whyNot.findings[0].advice,
      'Too many rows cross the Gather for workers to pay off: filter or aggregate below it (fewer rows to the leader). Lowering parallel_tuple_cost only hides that cost; compare with EXPLAIN ANALYZE first.',
    );
  });

  it('a table under 8 MB: below min_parallel_table_scan_size, in kB/MB and pages', async () => {
    const { whyNot, relations } = await whyNotParallel(client, 'SELECT count(*) FROM small');
    assert.deepStrictEqual(relations, [{ schema: 'public', name: 'small', kind: 'table', pages: 345 }]);
    assert.strictEqual(whyNot.verdict, 'table-below-min-parallel-scan-size');
    assert.strictEqual(whyNot.message, 'Too small for workers: public.small is below the size from which the planner considers a parallel scan.');
    assert.deepStrictEqual(whyNot.findings, [
      {
        code: 'table-below-min-parallel-scan-size',
        severity: 'information',
        message: 'public.small is 2.7 MB (345 pages), below min_parallel_table_scan_size = 8 MB (1,024 pages): the planner does not consider scanning it with workers',
        advice: 'Nothing to change: even a parallel scan of it would cost more than the serial plan.',
      },
    ]);
    assert.deepStrictEqual(whyNot.details.slice(-1), ['with the size thresholds at 0 the serial plan is still cheaper (checked): the best plan costs 595.01, the serial one 595.01']);
  });

  it('a table with parallel_workers = 0', async () => {
    const { whyNot, probe } = await whyNotParallel(client, 'SELECT count(*) FROM never_parallel');
    assert.deepStrictEqual([probe.parallelPossible, whyNot.verdict], [false, 'table-parallel-workers-zero']);
    assert.deepStrictEqual(whyNot.findings, [
      {
        code: 'table-parallel-workers-zero',
        severity: 'warning',
        message: 'public.never_parallel has the storage parameter parallel_workers = 0: the planner never scans it with workers',
        advice: 'ALTER TABLE public.never_parallel RESET (parallel_workers) lets the planner choose the workers by size again (or SET (parallel_workers = N) to fix their number).',
      },
    ]);
  });

  it('an unsafe function: structural, the culprit named from the static analysis', async () => {
    const sql = 'SELECT count(*) FROM big WHERE f_unsafe(grp) = 1';
    const { whyNot } = await whyNotParallel(client, sql);
    assert.strictEqual(whyNot.verdict, 'structural');
    assert.strictEqual(whyNot.message, 'No parallel plan is possible at any cost: the statement is parallel unsafe (1 reason below).');
    assert.deepStrictEqual(whyNot.findings, [
      {
        code: 'unsafe-function',
        severity: 'warning',
        message: 'public.f_unsafe(x integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
        advice:
          'If public.f_unsafe(integer) writes nothing, uses no temporary tables, cursors, sequences or session state and calls nothing unsafe, label it: ALTER FUNCTION public.f_unsafe(integer) PARALLEL SAFE (PARALLEL RESTRICTED already allows a parallel plan, with the call kept in the leader). Otherwise compute its value before the query. The server does not check labels: a wrong SAFE label fails at run time.',
        range: { start: sql.indexOf('f_unsafe'), end: sql.indexOf('f_unsafe') + 'f_unsafe'.length },
      },
    ]);
  });

  it('a parallel plan already: nothing to explain', async () => {
    const { whyNot } = await whyNotParallel(client, 'SELECT count(*) FROM big');
    assert.strictEqual(whyNot.verdict, 'parallel-plan-chosen');
    assert.match(whyNot.message, /^The plan the session would run is parallel \(cost [\d,.]+ against [\d,.]+ for the best serial plan\)\.$/);
    assert.deepStrictEqual(whyNot.findings, []);
  });

  it('max_parallel_workers_per_gather = 0 set for the database: named with where it comes from, and the Gather it would give checked', async () => {
    const url = await cluster.createDatabase('whynot_off');
    const setup = new Client({ connectionString: url });
    await setup.connect();
    await setup.query(SCHEMA);
    const database = (await setup.query('SELECT current_database() AS name')).rows[0].name;
    await setup.query(`ALTER DATABASE "${database}" SET max_parallel_workers_per_gather = 0`);
    await setup.end();
    const session = new Client({ connectionString: url });
    await session.connect();
    try {
      const sql = 'SELECT count(*) FROM big';
      const { whyNot, probe } = await whyNotParallel(session, sql);
      assert.deepStrictEqual([probe.workersPerGather, whyNot.verdict], [0, 'parallel-disabled']);
      assert.strictEqual(whyNot.message, 'Parallel query is off: max_parallel_workers_per_gather = 0 (set for this database with ALTER DATABASE ... SET): the planner considers no parallel plan at all.');
      assert.deepStrictEqual(whyNot.findings, [
        {
          code: 'parallel-disabled',
          severity: 'warning',
          message: 'max_parallel_workers_per_gather = 0 (set for this database with ALTER DATABASE ... SET): the planner considers no parallel plan at all',
          advice: 'Try SET max_parallel_workers_per_gather = 2 in the session (SET LOCAL inside a transaction); to undo it for everyone: ALTER DATABASE <name> RESET max_parallel_workers_per_gather.',
        },
      ]);
      await session.query('BEGIN; SET LOCAL max_parallel_workers_per_gather = 2');
      const enabled = (await session.query(`EXPLAIN (FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0].Plan;
      await session.query('ROLLBACK');
      assert.strictEqual(enabled['Plans'][0]['Node Type'], 'Gather');
      assert.strictEqual(whyNot.details.at(-1), `with max_parallel_workers_per_gather = 2 the planner chooses a Gather (checked): cost ${enabled['Total Cost'].toLocaleString('en-US')} against ${probe.serialCost!.toLocaleString('en-US')}`);
      // The session is as it was: the setting, and no transaction left open.
      assert.strictEqual((await session.query('SHOW max_parallel_workers_per_gather')).rows[0].max_parallel_workers_per_gather, '0');
    } finally {
      await session.end();
    }
  });

  it('leaves the session clean: settings as they were, no transaction open', async () => {
    await whyNotParallel(client, 'SELECT count(*) FROM just_over');
    const { rows } = await client.query("SELECT current_setting('parallel_setup_cost') AS setup, current_setting('min_parallel_table_scan_size') AS size, current_setting('statement_timeout') AS timeout, now() = statement_timestamp() AS own_transaction");
    assert.deepStrictEqual(rows[0], { setup: '1000', size: '8MB', timeout: '0', own_transaction: true });
  });

  it('a second statement is refused before anything is sent', async () => {
    await assert.rejects(whyNotParallel(client, 'SELECT 1; DROP TABLE small'), (error: ExplainError) => {
      assert.deepStrictEqual([error.reason, error.message], ['not-explainable', 'expected exactly one statement, found 2']);
      return true;
    });
    assert.strictEqual((await client.query("SELECT to_regclass('small') IS NOT NULL AS exists")).rows[0].exists, true);
  });

  it('aborting cancels the planning on the server; the connection works afterwards', async () => {
    const controller = new AbortController();
    const running = whyNotParallel(client, 'SELECT count(*) FROM big WHERE id = slow_to_plan()', { signal: controller.signal, timeoutMs: 60_000 });
    const watcher = new Client({ connectionString: cluster.connectionString((await client.query('SELECT current_database() AS d')).rows[0].d) });
    await watcher.connect();
    try {
      const pid = (client as unknown as { processID: number }).processID;
      // Wait until the server is inside the sleep (awaiting a real state, not a delay).
      for (;;) {
        const { rows } = await watcher.query("SELECT wait_event FROM pg_stat_activity WHERE pid = $1 AND state = 'active'", [pid]);
        if (rows[0]?.wait_event === 'PgSleep') break;
      }
      controller.abort();
      await assert.rejects(running, (error: ExplainError) => {
        assert.deepStrictEqual([error.reason, error.message], ['cancelled', 'the why-not-parallel probe was cancelled; the planning query was stopped on the server']);
        return true;
      });
      const { rows } = await watcher.query('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid]);
      assert.deepStrictEqual(rows, [{ state: 'idle' }]);
    } finally {
      await watcher.end();
    }
    assert.strictEqual((await whyNotParallel(client, 'SELECT count(*) FROM small')).whyNot.verdict, 'table-below-min-parallel-scan-size');
  });
});

describe('why not parallel: the order of the checks', () => {
  const settings: ParallelSettings = {
    max_parallel_workers_per_gather: 2,
    max_parallel_workers: 8,
    max_worker_processes: 8,
    min_parallel_table_scan_size: 1024,
    min_parallel_index_scan_size: 64,
    parallel_setup_cost: 1000,
    parallel_tuple_cost: 0.1,
    block_size: 8192,
  };
  const serialPlan: PlanOutcome = { cost: 500, gathers: 0, workers: 0, gatheredRows: 0 };
  const parallelPlan: PlanOutcome = { cost: 400, gathers: 1, workers: 2, gatheredRows: 2 };
  const input = (changes: Partial<WhyNotInput>): WhyNotInput => ({
    probe: { parallelPossible: true, wholePlanSafe: true, serialCost: 500, parallelCost: 300, chosenCost: 500, chosenParallel: false, workersPerGather: 2 },
    settings,
    relations: [],
    evidence: { withoutParallelCosts: parallelPlan, withoutSetupCost: parallelPlan, withoutSizeThresholds: serialPlan },
    ...changes,
  });
  const codes = (i: WhyNotInput) => {
    const result = classifyWhyNot(i);
    return [result.verdict, ...result.findings.map((f) => f.code)];
  };

  it('parallel_workers = 0 before size before cost; all that hold are findings', () => {
    const relations = [
      { schema: 'public', name: 'pw0', kind: 'table' as const, pages: 5000, parallelWorkers: 0 },
      { schema: 'public', name: 'tiny', kind: 'table' as const, pages: 10 },
      { schema: 'public', name: 'part', kind: 'table' as const, pages: 10, partition: true },
    ];
    assert.deepStrictEqual(codes(input({ relations })), ['table-parallel-workers-zero', 'table-parallel-workers-zero', 'cost-threshold']);
    assert.deepStrictEqual(codes(input({ relations, evidence: { withoutParallelCosts: serialPlan, withoutSetupCost: serialPlan } })), [
      'table-parallel-workers-zero',
      'table-parallel-workers-zero',
      'table-below-min-parallel-scan-size',
    ]);
  });

  it('workers per gather at 0 comes before the table checks; a probe error says so and nothing else', () => {
    const probe = { parallelPossible: true, wholePlanSafe: true, serialCost: 500, chosenCost: 500, chosenParallel: false, workersPerGather: 0 };
    assert.deepStrictEqual(codes(input({ probe, evidence: { withWorkersEnabled: parallelPlan } })), ['parallel-disabled', 'parallel-disabled']);
    const failed = classifyWhyNot(input({ probe: { parallelPossible: false, wholePlanSafe: false, error: 'canceling statement due to statement timeout' } }));
    assert.deepStrictEqual([failed.verdict, failed.message], ['probe-failed', 'The planner could not be asked: canceling statement due to statement timeout']);
  });

  it('static reasons make it structural only when the zero-cost probe finds no Gather', () => {
    const statement = {
      range: { start: 0, end: 10 },
      kind: 'select' as const,
      verdict: 'restricted' as const,
      parsed: true,
      references: [],
      reasons: [{ code: 'temporary-table' as const, severity: 'information' as const, message: 'scratch is a temporary table: only the leader process can read it', range: { start: 5, end: 12 }, hazard: 'restricted' as const }],
    };
    assert.deepStrictEqual(codes(input({ statement })), ['cost-threshold', 'cost-threshold']);
    const probe = { parallelPossible: false, wholePlanSafe: false, serialCost: 500, chosenCost: 500, chosenParallel: false, workersPerGather: 2 };
    assert.deepStrictEqual(codes(input({ statement, probe, evidence: {} })), ['structural', 'temporary-table']);
    assert.deepStrictEqual(codes(input({ probe, evidence: {} })), ['no-parallel-path']);
  });
});
