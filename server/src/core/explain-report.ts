/**
 * The report the editor shows after "Explain parallelism": what was run where, the Gathers with
 * their planned and launched workers, the plan tree and findings (renderPlanReport), and the
 * why-not-parallel section when the probe ran. Pure: everything comes in as data.
 *
 * The layout is what syntaxes/pg-parallel-plan.tmLanguage.json highlights; change both together.
 */
import { planDocument, PlanReport, renderPlanReport } from './plan';

export interface ExplainReportInput {
  /** The statement as it followed EXPLAIN. */
  statement: string;
  /** SELECT, INSERT, CREATE TABLE AS, ... */
  kind: string;
  analyzed: boolean;
  generic: boolean;
  writes: string[];
  /** Where the statement is, e.g. "report.sql:3". */
  where?: string;
  /** user@host:port/database */
  target: string;
  versionNum: number;
  report: PlanReport;
  plan: unknown;
  /** The why-not-parallel section as core/why-not.ts renderWhyNot writes it, when the probe ran. */
  whyNot?: string;
}

/** 180004 -> "18.4", 90624 -> "9.6.24". */
export function versionText(versionNum: number): string {
  const major = Math.floor(versionNum / 10000);
  if (major >= 10) return `${major}.${versionNum % 10000}`;
  return `${Math.floor(versionNum / 10000)}.${Math.floor(versionNum / 100) % 100}.${versionNum % 100}`;
}

const STATEMENT_LINES = 6;

/** The statement as the header quotes it: its first lines, indented, and how many lines were left out. */
function quoteStatement(statement: string): string[] {
  const lines = statement.replace(/\r\n?/g, '\n').split('\n');
  const shown = lines.slice(0, STATEMENT_LINES).map((line) => `    ${line.trimEnd()}`);
  if (lines.length > STATEMENT_LINES) shown.push(`    … ${lines.length - STATEMENT_LINES} more lines`);
  return shown;
}

export function composeExplainReport(input: ExplainReportInput): string {
  const command = input.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
  const lines: string[] = [`${command} of ${input.kind}${input.where ? ` at ${input.where}` : ''} on ${input.target} (PostgreSQL ${versionText(input.versionNum)})`];
  lines.push(...quoteStatement(input.statement));
  const notes: string[] = [];
  if (input.generic) notes.push('planned with GENERIC_PLAN: the statement has $n parameters');
  if (input.analyzed) {
    notes.push(
      input.writes.length > 0
        ? `it ran and was rolled back: its writes (${input.writes.join(', ')}) were undone`
        : 'it ran in a read-only transaction that was rolled back',
    );
  }
  for (const note of notes) lines.push(`  (${note})`);
  lines.push('');

  if (input.report.gathers.length > 0) {
    const numbers = preorderNumbers(input.plan);
    for (const gather of input.report.gathers) {
      const launched = gather.workersLaunched === undefined ? '' : `, Workers Launched: ${gather.workersLaunched}`;
      const singleCopy = gather.singleCopy ? ' (single copy)' : '';
      lines.push(`${gather.nodeType} #${numbers.get(gather.path.join('.')) ?? '?'}${singleCopy}: Workers Planned: ${gather.workersPlanned}${launched}`);
    }
    lines.push('');
  }

  lines.push(renderPlanReport(input.report, input.plan).trimEnd());
  if (input.whyNot) lines.push('', input.whyNot.trimEnd());
  return lines.join('\n') + '\n';
}

/** Preorder numbers of the plan's nodes by path ("" is the top node, #1), as renderPlanReport numbers them. */
function preorderNumbers(plan: unknown): Map<string, number> {
  const numbers = new Map<string, number>();
  const visit = (node: { Plans?: unknown[] }, path: number[]) => {
    numbers.set(path.join('.'), numbers.size + 1);
    (node.Plans ?? []).forEach((child, i) => visit(child as { Plans?: unknown[] }, [...path, i]));
  };
  visit(planDocument(plan).Plan as { Plans?: unknown[] }, []);
  return numbers;
}
