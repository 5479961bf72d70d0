/**
 * The CLI's outputs, built from analysis results: the JSON contract of DESIGN.md, SARIF 2.1.0 for
 * code scanning, and compiler-style text. Pure: the CLI does the reading and writing.
 */
import { hazardAtLeast } from './catalog';
import type { PlannerProbe } from './plan-types';
import { LineIndex } from './text';
import type { Hazard, Reason, StatementResult, Verdict } from './types';

export type FailOn = 'unsafe' | 'restricted' | 'never';

export interface ReportReason {
  code: string;
  severity: Reason['severity'];
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface ReportStatement {
  line: number;
  endLine: number;
  parallel: Verdict;
  reasons: ReportReason[];
  /**
   * With --verify: what the planner said, and whether it agrees with `parallel`; no `agrees` when it
   * could not be asked (`error`: the server failed or did not answer, a statement it cannot plan).
   */
  planner?: PlannerProbe & { agrees?: boolean };
}

export interface ReportFile {
  file: string;
  statements: ReportStatement[];
  /** A file that could not be read or analysed (binary, too large, not UTF-8): the reason. */
  error?: string;
}

export interface Report {
  files: ReportFile[];
  /** The run could not be done (the database could not be reached, or its catalog read): why. No file was checked. */
  error?: string;
}

/** Statement-level facts the user chose (writes, FOR UPDATE, cursors) never fail a CI gate. */
const STRUCTURAL = new Set(['write-statement', 'row-locking', 'cursor', 'data-modifying-cte']);

export function reportStatement(text: string, lines: LineIndex, result: StatementResult): ReportStatement {
  void text;
  const pos = (offset: number) => lines.positionAt(offset);
  const first = pos(result.range.start);
  const last = pos(result.range.end);
  return {
    line: first.line + 1,
    endLine: last.line + 1,
    parallel: result.verdict,
    reasons: result.reasons.map((r) => {
      const start = pos(r.range.start);
      const end = pos(r.range.end);
      return { code: r.code, severity: r.severity, message: r.message, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
    }),
  };
}

/**
 * Does this statement fail the gate? Errors (mislabelled functions) always do; otherwise a reason
 * whose hazard reaches the threshold, unless it is a structural fact of a statement that writes,
 * locks rows or runs through a cursor.
 */
export function failsGate(statement: StatementResult, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return statement.reasons.some(
    (r) => r.severity === 'error' || (r.hazard !== undefined && r.hazard !== 'safe' && !STRUCTURAL.has(r.code) && hazardAtLeast(r.hazard, failOn as Hazard)),
  );
}

/**
 * The planner's probes against the static verdict: the differential check behind --verify. A probe
 * that failed (`error`) says nothing either way: plannerCheck leaves it out.
 */
export function agreesWithPlanner(verdict: Verdict, probe: PlannerProbe): boolean {
  switch (verdict) {
    case 'safe':
      return probe.wholePlanSafe;
    case 'restricted':
      return !probe.wholePlanSafe;
    case 'unsafe':
      return !probe.wholePlanSafe && !probe.parallelPossible;
    default:
      return true;
  }
}

/** What --verify reports for a statement: the probe, and whether the planner agrees, when it answered. */
export function plannerCheck(verdict: Verdict, probe: PlannerProbe): NonNullable<ReportStatement['planner']> {
  return probe.error !== undefined ? { ...probe } : { ...probe, agrees: agreesWithPlanner(verdict, probe) };
}

/** What --verify adds to a statement's findings (a warning at its first line): the planner disagrees, or could not be asked. */
function plannerFinding(s: ReportStatement): { code: 'planner-error' | 'planner-disagrees'; message: string } | undefined {
  if (!s.planner) return undefined;
  if (s.planner.error !== undefined) return { code: 'planner-error', message: `the planner could not be asked: ${s.planner.error}` };
  if (s.planner.agrees) return undefined;
  return { code: 'planner-disagrees', message: `the planner disagrees: static verdict ${s.parallel}, planner parallelPossible=${s.planner.parallelPossible} wholePlanSafe=${s.planner.wholePlanSafe}` };
}

/**
 * The text format: one line per finding, a statement's by line and column (the engine orders them
 * worst first, for hovers), then a summary. Files that could not be read are the caller's to
 * report (on stderr): they are left out here.
 */
export function formatText(report: Report, summary: { statements: number; failing: number }): string {
  const out: string[] = [];
  for (const file of report.files) {
    if (file.error) continue;
    for (const s of file.statements) {
      const lines = s.reasons.map((r) => ({ line: r.line, column: r.column, text: `${file.file}:${r.line}:${r.column}: ${r.severity}: ${r.message} [${r.code}]` }));
      const planner = plannerFinding(s);
      if (planner) lines.push({ line: s.line, column: 1, text: `${file.file}:${s.line}:1: warning: ${planner.message} [${planner.code}]` });
      for (const { text } of lines.sort((a, b) => a.line - b.line || a.column - b.column)) out.push(text);
    }
  }
  const counts = new Map<string, number>();
  for (const f of report.files) for (const s of f.statements) counts.set(s.parallel, (counts.get(s.parallel) ?? 0) + 1);
  const order: Verdict[] = ['safe', 'restricted', 'unsafe', 'unknown', 'none'];
  const parts = order.filter((v) => counts.get(v)).map((v) => `${counts.get(v)} ${v}`);
  const files = report.files.filter((f) => !f.error).length;
  const unread = report.files.length - files;
  const asked = report.files.flatMap((f) => f.statements.filter((s) => s.planner));
  const probed = asked.filter((s) => s.planner?.error === undefined);
  const unanswered = asked.length - probed.length;
  const planner =
    (probed.length ? `; the planner agrees on ${probed.filter((s) => s.planner?.agrees).length} of ${probed.length} planned statements` : '') +
    (unanswered ? `; the planner could not be asked about ${unanswered} statement${unanswered === 1 ? '' : 's'}` : '');
  out.push(
    `${summary.statements} statement${summary.statements === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}; ${summary.failing} failing${planner}${unread ? `; ${unread} file${unread === 1 ? '' : 's'} not read` : ''}`,
  );
  return out.join('\n') + '\n';
}

const SARIF_LEVEL: Record<Reason['severity'], 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/**
 * SARIF 2.1.0. `uriOf` turns a file name into a URI reference (the caller knows paths); a file that
 * could not be read, or a run that could not be done, is a tool execution notification, and the
 * invocation then unsuccessful.
 */
export function formatSarif(report: Report, toolVersion: string, uriOf: (file: string) => string = (file) => file.replace(/\\/g, '/')): object {
  const rules = new Map<string, { id: string; shortDescription: { text: string } }>();
  const results: object[] = [];
  for (const file of report.files) {
    for (const s of file.statements) {
      const planner = plannerFinding(s);
      const findings = [
        ...s.reasons.map((r) => ({ code: r.code, level: SARIF_LEVEL[r.severity], message: r.message, region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn } })),
        ...(planner ? [{ code: planner.code, level: 'warning', message: planner.message, region: { startLine: s.line, startColumn: 1 } }] : []),
      ];
      for (const f of findings) {
        if (!rules.has(f.code)) rules.set(f.code, { id: f.code, shortDescription: { text: f.code.replace(/-/g, ' ') } });
        results.push({
          ruleId: f.code,
          level: f.level,
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(file.file) }, region: f.region } }],
        });
      }
    }
  }
  const unreadable = [
    ...(report.error !== undefined ? [{ level: 'error', message: { text: report.error } }] : []),
    ...report.files
      .filter((file) => file.error !== undefined)
      .map((file) => ({ level: 'error', message: { text: file.error }, locations: [{ physicalLocation: { artifactLocation: { uri: uriOf(file.file) } } }] })),
  ];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'pg-parallel-hints', version: toolVersion, informationUri: 'https://www.postgresql.org/docs/current/parallel-safety.html', rules: [...rules.values()] } },
        columnKind: 'utf16CodeUnits',
        results,
        invocations: [
          {
            executionSuccessful: unreadable.length === 0,
            ...(unreadable.length > 0 ? { toolExecutionNotifications: unreadable } : {}),
          },
        ],
      },
    ],
  };
}
