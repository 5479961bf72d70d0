/**
 * The plan report on stored plans captured from real servers (test/fixtures/plans, PostgreSQL 14 to
 * 18; capture.ts there regenerates them): which findings each scenario gets, their exact text, the
 * time model (leader share, single-process nodes, rescans) and the rendered tree.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzePlan, parallelDivisor, PlanReport, processShares, renderPlanReport } from '../../server/src/core/plan';
import type { PlanFixture } from '../fixtures/plans/capture';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'plans');
const MAJORS = [14, 15, 16, 17, 18];

function fixture(scenario: string, major: number): PlanFixture {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${scenario}.pg${major}.json`), 'utf8'));
}

function report(f: PlanFixture, settings: Record<string, number | string> = {}): PlanReport {
  return analyzePlan(f.plan, { settings: { ...f.settings, ...settings }, busyParallelWorkers: f.busyParallelWorkers, versionNum: f.major * 10000 });
}

function finding(r: PlanReport, code: string) {
  const found = r.findings.find((f) => f.code === code);
  assert.ok(found, `no ${code} finding; got ${r.findings.map((f) => f.code).join(', ')}`);
  return found;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
function nodeAt(f: PlanFixture, nodePath: number[]): Json {
  let node = (f.plan as Json)[0].Plan;
  for (const i of nodePath) node = node.Plans[i];
  return node;
}

/** Findings each scenario gets on every major; worker-skew depends on timing and is checked apart. */
const EXPECTED: Record<string, string[]> = {
  'parallel-count': ['workers-capped-per-gather', 'estimate-per-process'],
  'parallel-count-planned': ['workers-capped-per-gather', 'estimate-per-process'],
  'launch-shortfall': ['workers-launch-shortfall', 'workers-capped-per-gather', 'estimate-per-process'],
  'launch-none': ['workers-launch-shortfall', 'workers-capped-per-gather', 'estimate-per-process'],
  'sort-spill': ['workers-capped-per-gather', 'leader-bottleneck', 'spill-in-worker', 'work-mem-multiplied', 'estimate-per-process'],
  'hash-spill': ['workers-capped-per-gather', 'spill-in-worker', 'work-mem-multiplied', 'estimate-per-process'],
  'hashagg-spill': ['workers-capped-per-gather', 'leader-bottleneck', 'spill-in-worker', 'work-mem-multiplied', 'estimate-per-process'],
  'single-copy': ['single-copy-gather'],
  'rescanned-gather': ['workers-capped-per-gather', 'gather-rescanned', 'estimate-per-process'],
  'parallel-bitmap': ['workers-capped-per-gather', 'estimate-per-process'],
  'leader-bottleneck': ['workers-capped-per-gather', 'leader-bottleneck', 'estimate-per-process'],
  'idle-worker': ['idle-worker', 'estimate-per-process'],
  'append-non-partial': ['workers-capped-per-gather', 'estimate-per-process'],
  serial: ['no-parallel-part'],
};

describe('plan report', () => {
  describe('findings of each captured scenario, PostgreSQL 14 to 18', () => {
    for (const [scenario, codes] of Object.entries(EXPECTED)) {
      for (const major of MAJORS) {
        it(`${scenario} on ${major}`, () => {
          const r = report(fixture(scenario, major));
          assert.deepStrictEqual(
            r.findings.map((f) => f.code).filter((code) => code !== 'worker-skew'),
            codes,
          );
        });
      }
    }
  });

  it('lists every Gather with its workers, its kind and where it is', () => {
    assert.deepStrictEqual(report(fixture('parallel-count', 18)).gathers, [{ nodeType: 'Gather', workersPlanned: 2, workersLaunched: 2, singleCopy: false, path: [0] }]);
    assert.deepStrictEqual(report(fixture('sort-spill', 15)).gathers, [{ nodeType: 'Gather Merge', workersPlanned: 2, workersLaunched: 2, singleCopy: false, path: [] }]);
    assert.deepStrictEqual(report(fixture('rescanned-gather', 17)).gathers, [{ nodeType: 'Gather', workersPlanned: 2, workersLaunched: 2, singleCopy: false, path: [1, 0] }]);
    assert.deepStrictEqual(report(fixture('parallel-count-planned', 14)).gathers, [{ nodeType: 'Gather', workersPlanned: 2, singleCopy: false, path: [0] }]);
    const single = report(fixture('single-copy', 16));
    assert.deepStrictEqual([single.gathers, single.parallel], [[{ nodeType: 'Gather', workersPlanned: 1, workersLaunched: 1, singleCopy: true, path: [] }], false]);
    const serial = report(fixture('serial', 18));
    assert.deepStrictEqual([serial.gathers, serial.parallel, serial.analyzed], [[], false, true]);
    assert.deepStrictEqual([report(fixture('parallel-count', 15)).parallel, report(fixture('parallel-count-planned', 15)).analyzed], [true, false]);
  });

  it('launch shortfall: planned against launched, with the pool settings and busy workers', () => {
    const r = report(fixture('launch-shortfall', 18));
    assert.deepStrictEqual(finding(r, 'workers-launch-shortfall'), {
      code: 'workers-launch-shortfall',
      severity: 'warning',
      nodePath: [0],
      message:
        '#2 Gather: 2 workers planned, 1 launched: the pool of parallel workers was short (max_worker_processes = 16, max_parallel_workers = 1, 0 parallel workers of other sessions busy just before)',
      advice:
        'Raise max_parallel_workers; max_worker_processes needs a restart, max_parallel_workers does not. Keep max_parallel_workers_per_gather <= max_parallel_workers <= max_worker_processes.',
    });
    const none = report(fixture('launch-none', 15));
    assert.strictEqual(
      finding(none, 'workers-launch-shortfall').message,
      '#2 Gather: 2 workers planned, 0 launched: the pool of parallel workers was short, so the leader ran the parallel part alone (max_worker_processes = 16, max_parallel_workers = 0, 0 parallel workers of other sessions busy just before)',
    );
    const busy = analyzePlan(fixture('launch-shortfall', 16).plan, { settings: { max_worker_processes: 8, max_parallel_workers: 8 }, busyParallelWorkers: 7 });
    assert.strictEqual(
      finding(busy, 'workers-launch-shortfall').message,
      '#2 Gather: 2 workers planned, 1 launched: the pool of parallel workers was short (max_worker_processes = 8, max_parallel_workers = 8, 7 parallel workers of other sessions busy just before)',
    );
    assert.match(finding(busy, 'workers-launch-shortfall').advice!, /^Raise max_worker_processes \(it also counts other background workers\), or run fewer parallel queries at once;/);
  });

  it('spills inside workers: each process that spilled, with work_mem', () => {
    assert.deepStrictEqual(finding(report(fixture('sort-spill', 18)), 'spill-in-worker'), {
      code: 'spill-in-worker',
      severity: 'warning',
      nodePath: [0],
      message:
        '#2 Sort spilled to disk below the Gather: the leader sorted on disk (external merge, 7.6 MB); worker 0 sorted on disk (external merge, 4.1 MB); worker 1 sorted on disk (external merge, 6.6 MB) (work_mem = 64 kB per process)',
      advice: 'Raise work_mem for this statement (SET LOCAL work_mem = ...); each of the 3 processes gets its own, so size it for all of them.',
    });
    for (const major of MAJORS) {
      const hash = fixture('hash-spill', major);
      const spill = finding(report(hash), 'spill-in-worker');
      const batches = nodeAt(hash, spill.nodePath!)['Hash Batches'];
      assert.ok(batches > 1);
      assert.strictEqual(spill.message, `#6 Parallel Hash spilled to disk below the Gather: the leader split the hash table into ${batches} batches (work_mem = 256 kB per process)`);
      const agg = fixture('hashagg-spill', major);
      const aggSpill = finding(report(agg), 'spill-in-worker');
      const node = nodeAt(agg, aggSpill.nodePath!);
      assert.strictEqual(node['Partial Mode'], 'Partial');
      assert.match(aggSpill.message, /^#3 Partial HashAggregate spilled to disk below the Gather: the leader wrote [\d.]+ [kM]B of aggregate groups to disk in \d+ batches; worker 0 wrote .* in \d+ batches; worker 1 wrote .* \(work_mem = 256 kB per process\)$/);
    }
  });

  it('work_mem multiplied by the processes of a Gather, hash nodes by hash_mem_multiplier', () => {
    assert.strictEqual(
      finding(report(fixture('hash-spill', 17)), 'work-mem-multiplied').message,
      '#2 Gather: each of its 3 processes (2 workers and the leader) has its own work_mem (256 kB) for #6 Parallel Hash: up to 1.5 MB for this part of the plan (hash tables may use hash_mem_multiplier = 2 times work_mem)',
    );
    assert.strictEqual(
      finding(report(fixture('sort-spill', 14)), 'work-mem-multiplied').message,
      '#1 Gather Merge: each of its 3 processes (2 workers and the leader) has its own work_mem (64 kB) for #2 Sort: up to 192 kB for this part of the plan',
    );
    // A Parallel Bitmap Heap Scan's bitmap is shared: nothing multiplied.
    assert.ok(!report(fixture('parallel-bitmap', 18)).findings.some((f) => f.code === 'work-mem-multiplied'));
  });

  it('a rescanned Gather, and its per-process estimate per run', () => {
    const r = report(fixture('rescanned-gather', 18));
    assert.deepStrictEqual(finding(r, 'gather-rescanned'), {
      code: 'gather-rescanned',
      severity: 'warning',
      nodePath: [1, 0],
      message: '#4 Gather ran 3 times (Actual Loops): it starts its workers again on every rescan, paying parallel setup each time',
      advice:
        'This usually sits on the inner side of a nested loop or in a correlated subquery: rewrite as a join the planner can hash or merge, or materialize the parallel part once (a CTE or temporary table).',
    });
    const scan = nodeAt(fixture('rescanned-gather', 18), [1, 0, 0, 0]);
    assert.strictEqual(scan['Actual Loops'], 9, '3 runs x (leader + 2 workers)');
    assert.strictEqual(
      finding(r, 'estimate-per-process').message,
      `#6 Parallel Seq Scan on public.big: planned rows on partial nodes are per process: 111,433 x 2.4 (2 workers + the leader) = about 267,439 in all; actual: 89,000 per loop x 9 loops = 801,000 (267,000 per run of the Gather)`,
    );
  });

  it('single copy: a finding, and nothing marked as running in parallel', () => {
    const f = fixture('single-copy', 18);
    const r = report(f);
    assert.strictEqual(
      finding(r, 'single-copy-gather').message,
      '#1 Gather (single copy): one worker runs the whole plan below it while the leader only waits for its rows; this is debug_parallel_query (force_parallel_mode before PostgreSQL 16) testing parallel safety, not parallelism',
    );
    const text = renderPlanReport(r, f.plan);
    assert.ok(text.startsWith('Single-copy plan: one worker runs it, nothing runs in parallel\n'), text);
    assert.ok(!text.includes('‖'), text);
  });

  it('estimates on partial nodes are per process: the parallel divisor', () => {
    assert.deepStrictEqual([1, 2, 3, 4, 8].map((n) => parallelDivisor(n)), [1.7, 2.4, 3.1, 4, 8]);
    assert.deepStrictEqual([1, 2, 3].map((n) => parallelDivisor(n, false)), [1, 2, 3]);
    assert.strictEqual(
      finding(report(fixture('parallel-count', 18)), 'estimate-per-process').message,
      '#4 Parallel Seq Scan on public.big: planned rows on partial nodes are per process: 125,000 x 2.4 (2 workers + the leader) = about 300,000 in all; actual: 100,000 per loop x 3 loops = 300,000',
    );
    assert.strictEqual(
      finding(report(fixture('idle-worker', 16)), 'estimate-per-process').message.split(': actual')[0].replace(/;.*/, ''),
      `#4 Parallel Seq Scan on public.small: planned rows on partial nodes are per process: ${nodeAt(fixture('idle-worker', 16), [0, 0, 0])['Plan Rows']} x 1.7 (1 worker + the leader) = about 100 in all`,
    );
    assert.strictEqual(
      finding(report(fixture('parallel-count-planned', 15)), 'estimate-per-process').message,
      '#4 Parallel Seq Scan on public.big: planned rows on partial nodes are per process: 125,000 x 2.4 (2 workers + the leader) = about 300,000 in all',
    );
    const noLeader = report(fixture('parallel-count-planned', 18), { parallel_leader_participation: 'off' });
    assert.strictEqual(
      finding(noLeader, 'estimate-per-process').message,
      '#4 Parallel Seq Scan on public.big: planned rows on partial nodes are per process: 125,000 x 2 (2 workers) = about 250,000 in all',
    );
  });

  it('before PostgreSQL 18 totals over loops are approximate (rows are rounded per loop)', () => {
    const message = finding(report(fixture('parallel-bitmap', 14)), 'estimate-per-process').message;
    assert.match(message, /; actual: 20,000 per loop x 3 loops = about 60,000$/);
  });

  describe('time model', () => {
    it('the leader share is the node total minus the workers, for every node of every captured plan', () => {
      let checked = 0;
      for (const file of fs.readdirSync(FIXTURES).filter((name) => name.endsWith('.json'))) {
        const f: PlanFixture = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
        const visit = (node: Json) => {
          const shares = processShares(node);
          if (shares) {
            const workers = node.Workers as Json[];
            const leader = shares.find((s) => s.process === 'leader');
            const workerLoops = workers.reduce((sum, w) => sum + w['Actual Loops'], 0);
            const workerRows = workers.reduce((sum, w) => sum + Math.round(w['Actual Rows'] * w['Actual Loops']), 0);
            const total = node['Actual Rows'] * node['Actual Loops'];
            assert.strictEqual(leader?.loops ?? 0, node['Actual Loops'] - workerLoops, `${file} ${node['Node Type']}`);
            if (leader) {
              // Before 18, rows per loop are rounded: the total is exact only to half a row per loop.
              const slack = f.major >= 18 ? 0.5 : node['Actual Loops'] / 2 + 0.5;
              assert.ok(Math.abs(leader.rows + workerRows - total) <= slack, `${file} ${node['Node Type']}: ${leader.rows} + ${workerRows} vs ${total}`);
            }
            checked++;
          }
          for (const child of node.Plans ?? []) visit(child);
        };
        visit((f.plan as Json)[0].Plan);
      }
      assert.ok(checked > 100, `only ${checked} nodes with per-worker figures`);
    });

    it('worked example: a Parallel Seq Scan of 300,000 rows by the leader and two workers', () => {
      const scan = nodeAt(fixture('parallel-count', 18), [0, 0, 0]);
      assert.deepStrictEqual(
        processShares(scan)!.map((s) => [s.process, s.rows, s.loops]),
        [
          ['leader', 300000 - 92129 - 38606, 1],
          [0, 92129, 1],
          [1, 38606, 1],
        ],
      );
    });

    it('a node run by one process below a Gather is not divided: the Bitmap Index Scan under a Parallel Bitmap Heap Scan', () => {
      for (const major of MAJORS) {
        const f = fixture('parallel-bitmap', major);
        const index = nodeAt(f, [0, 0, 0, 0]);
        assert.deepStrictEqual([index['Node Type'], index['Actual Loops'], processShares(index)], ['Bitmap Index Scan', 1, undefined]);
        const line = renderPlanReport(report(f), f.plan)
          .split('\n')
          .find((l) => l.includes('Bitmap Index Scan'))!;
        assert.ok(!line.includes('per process') && !line.includes('loops'), line);
        assert.ok(line.includes(`rows ${index['Actual Rows'].toLocaleString('en-US')}`), line);
      }
    });

    it('a non-partial child of a Parallel Append runs in one worker and is complete there', () => {
      const f = fixture('append-non-partial', 18);
      const child = nodeAt(f, [0, 0, 0, 0]);
      assert.strictEqual(child['Relation Name'], 'serial_only');
      assert.deepStrictEqual(processShares(child)!.map((s) => s.rows), [200000]);
      const line = renderPlanReport(report(f), f.plan)
        .split('\n')
        .find((l) => l.includes('serial_only'))!;
      assert.match(line, /^‖ +-> #5 Seq Scan on public\.serial_only {2}\(cost [\d.]+\.\.[\d.]+, rows 200,000\) \| actual [\d.]+ ms, rows 200,000$/);
    });
  });

  it('uneven workers and idle workers, as captured', () => {
    const skew = finding(report(fixture('hash-spill', 18)), 'worker-skew');
    assert.deepStrictEqual([skew.severity, skew.nodePath], ['warning', [0, 0, 0, 1]]);
    assert.strictEqual(
      skew.message,
      "#6 Parallel Hash: the work is uneven between workers (leader: 185,949 rows in 161 ms; worker 0: 113,857 rows in 149 ms; worker 1: 194 rows in 150 ms); the busiest worker did 2.0x the workers' average",
    );
    for (const major of MAJORS) {
      assert.strictEqual(
        finding(report(fixture('idle-worker', major)), 'idle-worker').message,
        '#4 Parallel Seq Scan on public.small: worker 0 was launched but produced no rows: the work was done before it started',
      );
    }
  });

  it('many rows through a Gather: the leader as bottleneck, planned or actual', () => {
    const f = fixture('leader-bottleneck', 18);
    const rows = (f.plan as Json)[0].Plan['Actual Rows'];
    assert.strictEqual(
      finding(report(f), 'leader-bottleneck').message,
      `#1 Gather: ${rows.toLocaleString('en-US')} rows cross the Gather: the leader receives every row from the workers through shared-memory queues and runs everything above the Gather alone`,
    );
    assert.ok(rows > 250000 && rows < 290000);
  });

  it('renders the tree with the parallel part marked, per-process figures and findings with advice', () => {
    const f = fixture('parallel-count', 18);
    assert.strictEqual(
      renderPlanReport(report(f), f.plan),
      [
        'Parallel plan (Gather #2: 2 planned, 2 launched)',
        'planning 0.1 ms, execution 55.8 ms',
        '',
        '  -> #1 Finalize Aggregate  (cost 5655.72..5655.73, rows 1) | actual 55.8 ms, rows 1',
        '     -> #2 Gather  (cost 5655.5..5655.71, rows 2, workers 2 planned, 2 launched) | actual 55.8 ms, rows 3',
        '‖       -> #3 Partial Aggregate  (cost 4655.5..4655.51, rows 1 per process) | actual 29.2 ms, rows 1 x 3 loops = 3',
        '‖            leader: 1 row in 33.8 ms; worker 0: 1 row in 21.5 ms; worker 1: 1 row in 32.4 ms',
        '‖          -> #4 Parallel Seq Scan on public.big  (cost 0..4343, rows 125,000 per process) | actual 21.3 ms, rows 100,000 x 3 loops = 300,000',
        '‖               leader: 169,265 rows in 24.4 ms; worker 0: 92,129 rows in 18.2 ms; worker 1: 38,606 rows in 21.4 ms',
        '',
        'Findings:',
        '  hint workers-capped-per-gather: #2 Gather: 2 workers planned, which is max_parallel_workers_per_gather: the planner may have wanted more (one more per tripling of the table beyond min_parallel_table_scan_size)',
        "    advice: To let this statement use more workers, raise max_parallel_workers_per_gather for the session (SET max_parallel_workers_per_gather = 4) or the table's parallel_workers; each extra worker needs a free slot in max_parallel_workers and max_worker_processes.",
        '  hint estimate-per-process: #4 Parallel Seq Scan on public.big: planned rows on partial nodes are per process: 125,000 x 2.4 (2 workers + the leader) = about 300,000 in all; actual: 100,000 per loop x 3 loops = 300,000',
        '    advice: Compare estimates with actual rows per loop, not with the totals.',
        '',
      ].join('\n'),
    );
  });

  it('orders findings by severity and marks the leader share approximate before 18', () => {
    const f = fixture('sort-spill', 15);
    const text = renderPlanReport(report(f), f.plan);
    const severities = text
      .split('\n')
      .filter((l) => /^ {2}(error|warning|information|hint) /.test(l))
      .map((l) => l.trim().split(' ')[0]);
    assert.deepStrictEqual(severities, ['warning', 'warning', 'information', 'hint', 'hint']);
    assert.match(text, /‖ +leader: ~[\d,]+ rows in [\d.]+ ms; worker 0: [\d,]+ rows/);
    assert.match(text, /rows 100,000 x 3 loops ~ 300,000/);
  });

  it('says so when there is no parallel part', () => {
    const f = fixture('serial', 17);
    assert.deepStrictEqual(finding(report(f), 'no-parallel-part'), {
      code: 'no-parallel-part',
      severity: 'information',
      message: 'The plan has no Gather: it runs in one process.',
      advice: '"Why not parallel?" re-plans with zero parallel costs to tell a structural blocker (unsafe function, writes, FOR UPDATE, cursor ...) from a cost or size one.',
    });
    assert.ok(renderPlanReport(report(f), f.plan).startsWith('Serial plan: no part runs in parallel\n'));
  });

  it('accepts the document, its first element or the top node, and refuses anything else', () => {
    const f = fixture('parallel-count', 16);
    const doc = (f.plan as Json)[0];
    const expected = report(f).gathers;
    assert.deepStrictEqual(analyzePlan(doc, { settings: f.settings }).gathers, expected);
    assert.deepStrictEqual(analyzePlan(doc.Plan, { settings: f.settings }).gathers, expected);
    for (const bad of [null, 'Seq Scan', [], [{ Plan: {} }], ['Utility Statement']]) {
      assert.throws(() => analyzePlan(bad, { settings: {} }), { name: 'TypeError', message: 'not an EXPLAIN (FORMAT JSON) plan: expected [{ "Plan": { "Node Type": ... } }]' });
    }
  });
});
