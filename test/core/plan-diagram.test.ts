/** The plan diagram (webview HTML) for stored plans: the parallel section, per-process bars, a strict policy. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzePlan } from '../../server/src/core/plan';
import { planDiagramHtml, processBars } from '../../server/src/core/plan-diagram';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'plans');

interface Fixture {
  plan: { Plan: { Plans?: unknown[] } }[];
  settings: Record<string, number | string>;
  busyParallelWorkers?: number;
}

function fixture(name: string): Fixture {
  return JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8')) as Fixture;
}

function diagram(name: string): string {
  const f = fixture(name);
  const report = analyzePlan(f.plan, { settings: f.settings, busyParallelWorkers: f.busyParallelWorkers, versionNum: 180000 });
  return planDiagramHtml(f.plan, report, { nonce: 'n0nce', title: 'EXPLAIN ANALYZE of SELECT at q.sql:1' });
}

/** The bars of one node box, as "process measure width" (width in percent of the node's total). */
function barsOf(html: string, node: number): string[] {
  const start = html.indexOf(`data-node="${node}"`);
  const next = html.indexOf('data-node="', start + 1);
  const box = html.slice(start, next < 0 ? undefined : next);
  return [...box.matchAll(/<tr class="process" data-process="([^"]+)">(.*?)<\/tr>/g)].flatMap(([, process, row]) =>
    [...row.matchAll(/<rect class="(rows|time)" width="([\d.]+)"/g)].map(([, measure, width]) => `${process} ${measure} ${width}`),
  );
}

describe('core: plan diagram', () => {
  it('per-process bars of a Parallel Bitmap Heap Scan: shares of its rows and time (PostgreSQL 18)', () => {
    const node = (fixture('parallel-bitmap.pg18.json').plan[0].Plan.Plans![0] as { Plans: { Plans: unknown[] }[] }).Plans[0].Plans[0];
    // 20,000 rows x 3 loops = 60,000; workers 16,852 and 32,217, the leader the rest (10,931).
    // Time: 85.055 ms x 3 = 255.165 ms; workers 157.08 and 22.463 ms, the leader 75.622 ms.
    assert.deepStrictEqual(processBars(node), [
      { process: 'leader', measure: 'rows', percent: 18.2, label: '10,931 rows' },
      { process: 'leader', measure: 'time', percent: 29.6, label: '75.6 ms' },
      { process: 'worker 0', measure: 'rows', percent: 28.1, label: '16,852 rows' },
      { process: 'worker 0', measure: 'time', percent: 61.6, label: '157 ms' },
      { process: 'worker 1', measure: 'rows', percent: 53.7, label: '32,217 rows' },
      { process: 'worker 1', measure: 'time', percent: 8.8, label: '22.5 ms' },
    ]);
  });

  it('draws those bars with those widths inside the framed parallel section', () => {
    const html = diagram('parallel-bitmap.pg18.json');
    assert.deepStrictEqual(barsOf(html, 4), [
      'leader rows 18.2',
      'leader time 29.6',
      'worker 0 rows 28.1',
      'worker 0 time 61.6',
      'worker 1 rows 53.7',
      'worker 1 time 8.8',
    ]);
    const section = html.slice(html.indexOf('<ul class="parallel-section">'));
    for (const n of [3, 4, 5]) assert.ok(section.includes(`data-node="${n}"`), `node #${n} is in the parallel section`);
    assert.ok(!section.includes('data-node="1"') && !section.includes('data-node="2"'));
    assert.ok(html.includes('<div class="node gather" data-node="2"><span class="name">#2 Gather</span>'));
    assert.ok(html.includes('parallel part: runs in 2 workers and the leader'));
    assert.ok(html.includes('Workers Planned: 2, Workers Launched: 2'));
    // The Bitmap Index Scan runs in one process: no per-worker figures, so no bars.
    assert.deepStrictEqual(barsOf(html, 5), []);
  });

  it('a launch shortfall shows the badge on its Gather and bars for the leader and the one worker', () => {
    const html = diagram('launch-shortfall.pg18.json');
    assert.ok(html.includes('<span class="name">#2 Gather</span><span class="badge warning" title="#2 Gather: 2 workers planned, 1 launched'));
    assert.deepStrictEqual(
      barsOf(html, 4).map((bar) => bar.replace(/ [\d.]+$/, '')),
      ['leader rows', 'leader time', 'worker 0 rows', 'worker 0 time'],
    );
  });

  it('a serial plan has no parallel section and no bars', () => {
    const html = diagram('serial.pg18.json');
    assert.ok(!html.includes('<ul class="parallel-section">'));
    assert.ok(!html.includes('<tr class="process"'));
    assert.ok(html.includes('<p class="summary">Serial plan: no part runs in parallel</p>'));
  });

  it('has a strict Content-Security-Policy: no script, no external resource, no inline style attribute', () => {
    for (const name of fs.readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
      const html = diagram(name);
      assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-n0nce';">`), name);
      assert.ok(!/<script|\bsrc=|\bhref=|style="|https?:/i.test(html.replace(/<meta http-equiv[^>]*>/, '')), name);
      assert.strictEqual(html.match(/<style/g)?.length, 1, name);
      assert.ok(html.includes('<style nonce="n0nce">'), name);
    }
  });

  it('escapes text from the plan', () => {
    const plan = [{ Plan: { 'Node Type': 'Function Scan', 'Function Name': '<img src=x onerror=alert(1)>', 'Startup Cost': 0, 'Total Cost': 1, 'Plan Rows': 1 } }];
    const html = planDiagramHtml(plan, analyzePlan(plan, { settings: {} }), { nonce: 'a"b', title: 'T & <b>' });
    assert.ok(html.includes('Function Scan on &lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('<title>T &amp; &lt;b&gt;</title>'));
    assert.ok(html.includes(`style-src 'nonce-a&quot;b'`));
  });
});
