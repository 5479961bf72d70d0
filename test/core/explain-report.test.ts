/** The editor's plan report: heading, Gathers with Workers Planned / Launched, the tree, the why-not section. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { composeExplainReport, versionText } from '../../server/src/core/explain-report';
import { analyzePlan, renderPlanReport } from '../../server/src/core/plan';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'plans');
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf8'));

describe('core: explain report', () => {
  it('versionText', () => {
    assert.strictEqual(versionText(180004), '18.4');
    assert.strictEqual(versionText(140019), '14.19');
    assert.strictEqual(versionText(90624), '9.6.24');
  });

  it('heads the plan report with what ran where, and the Gathers with Workers Planned and Launched', () => {
    const f = load('launch-shortfall.pg18.json');
    const report = analyzePlan(f.plan, { settings: f.settings, busyParallelWorkers: f.busyParallelWorkers, versionNum: 180001 });
    const text = composeExplainReport({
      statement: 'SELECT count(*)\n  FROM big',
      kind: 'SELECT',
      analyzed: true,
      generic: false,
      writes: [],
      where: 'report.sql:7',
      target: 'me@db.example:5432/shop',
      versionNum: 180001,
      report,
      plan: f.plan,
      whyNot: 'Why not parallel? parallel-plan-chosen\n  The plan is parallel.\n',
    });
    assert.strictEqual(
      text,
      [
        'EXPLAIN ANALYZE of SELECT at report.sql:7 on me@db.example:5432/shop (PostgreSQL 18.1)',
        '    SELECT count(*)',
        '      FROM big',
        '  (it ran in a read-only transaction that was rolled back)',
        '',
        'Gather #2: Workers Planned: 2, Workers Launched: 1',
        '',
        renderPlanReport(report, f.plan).trimEnd(),
        '',
        'Why not parallel? parallel-plan-chosen',
        '  The plan is parallel.',
        '',
      ].join('\n'),
    );
  });

  it('says when a write ran and was undone, and when the plan is generic; long statements are cut', () => {
    const f = load('serial.pg18.json');
    const report = analyzePlan(f.plan, { settings: f.settings });
    const text = composeExplainReport({
      statement: Array.from({ length: 9 }, (_, i) => `line ${i + 1}`).join('\n'),
      kind: 'UPDATE',
      analyzed: true,
      generic: true,
      writes: ['UPDATE', 'a data-modifying WITH (DELETE)'],
      target: 't',
      versionNum: 160000,
      report,
      plan: f.plan,
    });
    assert.deepStrictEqual(text.split('\n').slice(0, 12), [
      'EXPLAIN ANALYZE of UPDATE on t (PostgreSQL 16.0)',
      '    line 1',
      '    line 2',
      '    line 3',
      '    line 4',
      '    line 5',
      '    line 6',
      '    … 3 more lines',
      '  (planned with GENERIC_PLAN: the statement has $n parameters)',
      '  (it ran and was rolled back: its writes (UPDATE, a data-modifying WITH (DELETE)) were undone)',
      '',
      'Serial plan: no part runs in parallel',
    ]);
  });
});
