/**
 * The text and SARIF formats of `check`, on a report made by hand: what each prints and in which
 * order (the CLI tests run the same formats through the real command).
 */
import * as assert from 'assert';
import { formatSarif, formatText, Report, ReportReason } from '../../server/src/core/report';

const reason = (line: number, column: number, code: string): ReportReason => ({ code, severity: 'information', message: code, line, column, endLine: line, endColumn: column + 1 });

const REPORT: Report = {
  files: [
    {
      file: 'a.sql',
      statements: [
        {
          line: 2,
          endLine: 3,
          parallel: 'restricted',
          // Worst first, as the engine orders them for hovers.
          reasons: [reason(3, 9, 'second'), reason(2, 20, 'first')],
          planner: { parallelPossible: false, wholePlanSafe: false, agrees: false },
        },
      ],
    },
    { file: 'dir with space/ü.sql', statements: [], error: 'not UTF-8' },
  ],
};

describe('report formats', () => {
  it('text: a statement\'s findings and a planner disagreement by line and column; unreadable files left to the caller', () => {
    assert.deepStrictEqual(formatText(REPORT, { statements: 1, failing: 0 }).split('\n'), [
      'a.sql:2:1: warning: the planner disagrees: static verdict restricted, planner parallelPossible=false wholePlanSafe=false [planner-disagrees]',
      'a.sql:2:20: information: first [first]',
      'a.sql:3:9: information: second [second]',
      '1 statement in 1 file: 1 restricted; 0 failing; the planner agrees on 0 of 1 planned statements; 1 file not read',
      '',
    ]);
  });

  it('SARIF: URIs as the caller makes them, a planner disagreement as a warning, an unreadable file as a tool execution notification', () => {
    type Result = { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: object } }[] };
    const sarif = formatSarif(REPORT, '1.2.3', (file) => encodeURI(file)) as { runs: { results: Result[]; invocations: unknown[] }[] };
    const run = sarif.runs[0];
    assert.deepStrictEqual(
      run.results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.artifactLocation.uri, r.locations[0].physicalLocation.region]),
      [
        ['second', 'note', 'a.sql', { startLine: 3, startColumn: 9, endLine: 3, endColumn: 10 }],
        ['first', 'note', 'a.sql', { startLine: 2, startColumn: 20, endLine: 2, endColumn: 21 }],
        ['planner-disagrees', 'warning', 'a.sql', { startLine: 2, startColumn: 1 }],
      ],
    );
    assert.deepStrictEqual(run.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [{ level: 'error', message: { text: 'not UTF-8' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'dir%20with%20space/%C3%BC.sql' } } }] }],
      },
    ]);
  });
});
