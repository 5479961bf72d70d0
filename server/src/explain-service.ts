/**
 * The language server's EXPLAIN side: pgParallelHints/explain, pgParallelHints/auditSettings, the
 * "Explain parallelism" CodeLens, and the findings of the last EXPLAIN as diagnostics on the
 * statement it explained. server.ts owns documents, scopes and connections and hands them over
 * through ExplainHost; this file converts between LSP and the core (plan.ts, explain-report.ts)
 * and the database (db/explain.ts), as the other handlers do.
 *
 * Explain findings live beside the static diagnostics, not in place of them: they are added to the
 * document's pulled (or pushed) diagnostics with their own source while the statement's text stays
 * the same, and vanish when it changes. Requests on one database run one after another: they share
 * the server's single connection, and two EXPLAIN transactions must not interleave on it.
 */
import * as path from 'path';
import { CancellationToken, CodeLens, Connection, Diagnostic, LSPErrorCodes, Position, ResponseError } from 'vscode-languageserver';
import { auditSettings, formatAudit } from './core/audit';
import { composeExplainReport } from './core/explain-report';
import { checkExplainable } from './core/explainable';
import { analyzePlan, PlanFinding } from './core/plan';
import { firstKeywordRange, statementAt } from './core/positions';
import type { LineIndex } from './core/text';
import type { StatementKind, StatementOutline, StatementResult } from './core/types';
import { renderWhyNot, WhyNot } from './core/why-not';
import { readSettings } from './db/catalog';
import { answeringInTime } from './db/connection';
import type { DatabaseConnection } from './db/connection-manager';
import { ExplainError, runExplain } from './db/explain';
import { whyNotParallel } from './db/why-not';
import { toRange, toSeverity } from './lsp-convert';
import type { AuditSettingsResponse, ExplainErrorData, ExplainParams, ExplainResponse, FolderParams } from './protocol';
import { messageOf } from './error-message';

export const EXPLAIN_DIAGNOSTIC_SOURCE = 'pg-parallel-hints (explain)';

/** What the service needs of a document's current analysis. */
export interface AnalysedText {
  text: string;
  lines: LineIndex;
  statementsTouching(from: number, to: number): StatementResult[];
  outline: StatementOutline[];
  diagnostics: Diagnostic[];
  resultId: string;
}

/** Where a document's (or folder's) database is, and its EXPLAIN settings. */
export interface ExplainScope {
  database?: DatabaseConnection;
  statementTimeoutMs: number;
}

export interface ExplainHost {
  connection: Connection;
  /** The analysis of an open document at its current version (settings and parser ready). */
  analysis(uri: string): Promise<AnalysedText | undefined>;
  scopeOf(uri: string): Promise<ExplainScope>;
  /** The scopes of a folder (or every folder), settings loaded. */
  scopesOf(params: FolderParams | undefined): Promise<ExplainScope[]>;
  /** The explain diagnostics of a document changed: deliver them (push, or ask the client to pull). */
  diagnosticsChanged(uri: string): void;
}

/** Statements that get a CodeLens: the kinds that can have a parallel plan, and writes (plain EXPLAIN shows why not; ANALYZE asks first). */
const LENS_KINDS: ReadonlySet<StatementKind> = new Set<StatementKind>(['select', 'values', 'create-table-as', 'select-into', 'create-materialized-view', 'copy-to']);
const WRITE_KINDS: ReadonlySet<StatementKind> = new Set<StatementKind>(['insert', 'update', 'delete', 'merge']);

export const EXPLAIN_COMMAND = 'pgParallelHints.explain';
export const EXPLAIN_ANALYZE_COMMAND = 'pgParallelHints.explainAnalyze';

interface ExplainedStatement {
  /** The statement's text when it was explained: its findings stand while a statement with this text is there. */
  text: string;
  start: number;
  findings: PlanFinding[];
  analyzed: boolean;
  generation: number;
}

function failure(reason: ExplainErrorData['reason'], message: string, extra: Partial<ExplainErrorData> = {}): ResponseError<ExplainErrorData> {
  const code = reason === 'cancelled' ? LSPErrorCodes.RequestCancelled : LSPErrorCodes.RequestFailed;
  return new ResponseError(code, message, { reason, ...extra });
}

/** "report.sql:3" for the report's heading. */
function whereText(uri: string, line: number): string {
  let name = uri;
  try {
    name = decodeURIComponent(new URL(uri).pathname);
  } catch {
    // not a URL: keep it as it is
  }
  return `${path.posix.basename(name) || name}:${line + 1}`;
}

export class ExplainService {
  private readonly explained = new Map<string, ExplainedStatement>();
  private generation = 0;

  constructor(private readonly host: ExplainHost) {}

  async explain(params: ExplainParams, token?: CancellationToken): Promise<ExplainResponse> {
    const analysis = await this.host.analysis(params.uri);
    if (!analysis) throw failure('no-statement', `Explain: ${params.uri} is not an open SQL document`);
    const statement = this.statementFor(analysis, params);
    if (!statement) {
      // A document over maxFileSize is not analysed: its statements are unknown, and that is the reason to give.
      const tooLarge = analysis.diagnostics.find((d) => d.code === 'file-too-large');
      throw failure('no-statement', tooLarge ? `Explain: ${tooLarge.message}` : 'Explain: there is no SQL statement at the cursor');
    }
    if (statement.kind === 'psql-meta') throw failure('not-explainable', 'Explain: this is a psql meta-command, not a statement to explain');
    const sql = analysis.text.slice(statement.range.start, statement.range.end);
    const check = checkExplainable(sql);
    if (!check.ok) throw failure('not-explainable', `Explain: ${check.message}`);

    const scope = await this.host.scopeOf(params.uri);
    const database = await this.liveDatabase(scope);
    const abort = new AbortController();
    const subscription = token?.onCancellationRequested(() => abort.abort());
    try {
      const { result, why } = await database.withClient(async (client) => {
        const options = { timeoutMs: scope.statementTimeoutMs, signal: abort.signal };
        const result = await runExplain(client, sql, { ...options, analyze: params.analyze, allowWrites: params.allowWrites, versionNum: database.snapshot?.source.versionNum });
        // The why-not probes only plan; when they fail the plan report still stands.
        const why = await whyNotParallel(client, sql, { ...options, statement }).then(
          (answer) => answer.whyNot,
          (error: unknown) => {
            if (error instanceof ExplainError && error.reason === 'cancelled') throw error;
            return messageOf(error);
          },
        );
        return { result, why };
      });
      const report = analyzePlan(result.plan, { settings: result.settings, busyParallelWorkers: result.busyParallelWorkers, versionNum: result.versionNum });
      const start = analysis.lines.positionAt(statement.range.start);
      const file = whereText(params.uri, 0).replace(/:1$/, '');
      const whyNot =
        typeof why === 'string'
          ? `Why not parallel? probe-failed\n  ${why}\n`
          : renderWhyNot(why, (range) => {
              const at = analysis.lines.positionAt(range.start);
              return `${file}:${at.line + 1}:${at.character + 1}`;
            });
      // Static reasons (with a range) are already diagnostics of their own; the planner's answers are new.
      const whyNotFindings: PlanFinding[] = typeof why === 'string' ? [] : why.findings.filter((f) => !f.range).map(({ code, severity, message, advice }) => ({ code, severity, message, ...(advice ? { advice } : {}) }));
      const text = composeExplainReport({
        statement: result.statement,
        kind: result.kind,
        analyzed: result.analyzed,
        generic: result.generic,
        writes: result.writes,
        where: whereText(params.uri, start.line),
        target: database.target,
        versionNum: result.versionNum,
        report,
        plan: result.plan,
        whyNot,
      });
      this.explained.set(params.uri, { text: sql, start: statement.range.start, findings: [...report.findings, ...whyNotFindings], analyzed: result.analyzed, generation: ++this.generation });
      this.host.diagnosticsChanged(params.uri);
      return {
        report: text,
        plan: result.plan,
        gathers: report.gathers,
        findings: report.findings,
        range: toRange(analysis.lines, statement.range),
        statement: result.statement,
        kind: result.kind,
        analyzed: result.analyzed,
        generic: result.generic,
        writes: result.writes,
        target: database.target,
        versionNum: result.versionNum,
        ...(typeof why === 'string' ? {} : { whyNot: why }),
      };
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      if (error instanceof ExplainError) {
        const writes = error.reason === 'needs-confirmation' ? check.writes : undefined;
        throw failure(error.reason, `Explain: ${error.message}`, writes ? { writes } : {});
      }
      throw failure('server-error', `Explain: ${messageOf(error)}`);
    } finally {
      subscription?.dispose();
    }
  }

  async auditSettings(params: FolderParams | undefined): Promise<AuditSettingsResponse> {
    const scopes = await this.host.scopesOf(params);
    const scope = scopes.find((s) => s.database) ?? scopes[0];
    const database = await this.liveDatabase(scope, 'The settings audit');
    const settings = await database.withClient((client) => readSettings(answeringInTime(client)));
    const findings = auditSettings(settings);
    return { target: database.target, findings, text: formatAudit(findings, database.target) };
  }

  codeLenses(uri: string, analysis: AnalysedText, enabled: boolean): CodeLens[] {
    if (!enabled) return [];
    const lenses: CodeLens[] = [];
    for (const statement of analysis.outline) {
      // Not on a psql script's statement with variables: the server never sees it as written.
      if (!statement.parsed || statement.psqlVariables || !(LENS_KINDS.has(statement.kind) || WRITE_KINDS.has(statement.kind))) continue;
      const keyword = toRange(analysis.lines, firstKeywordRange(analysis.text, statement));
      const at: Position = keyword.start;
      const writes = WRITE_KINDS.has(statement.kind);
      lenses.push({ range: keyword, command: { title: 'Explain parallelism', command: EXPLAIN_COMMAND, arguments: [uri, at] } });
      lenses.push({ range: keyword, command: { title: writes ? 'Explain analyze (asks first, rolled back)' : 'Explain analyze', command: EXPLAIN_ANALYZE_COMMAND, arguments: [uri, at] } });
    }
    return lenses;
  }

  /** The document's diagnostics with the last EXPLAIN's findings added while their statement is unchanged. */
  withExplainDiagnostics(uri: string, analysis: AnalysedText): { items: Diagnostic[]; resultId: string } {
    const entry = this.explained.get(uri);
    if (!entry) return { items: analysis.diagnostics, resultId: analysis.resultId };
    const statement = this.sameStatement(analysis, entry);
    if (!statement) {
      this.explained.delete(uri);
      return { items: analysis.diagnostics, resultId: analysis.resultId };
    }
    const range = toRange(analysis.lines, firstKeywordRange(analysis.text, statement));
    const whole = toRange(analysis.lines, statement.range);
    const command = entry.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN';
    const items = entry.findings.map((finding): Diagnostic => ({
      range,
      severity: toSeverity(finding.severity),
      code: finding.code,
      source: EXPLAIN_DIAGNOSTIC_SOURCE,
      message: `${command}: ${finding.message}`,
      relatedInformation: [{ location: { uri, range: whole }, message: finding.advice ? `advice: ${finding.advice}` : `the statement ${command} ran on` }],
    }));
    // Where the findings are, by line and column: the analysis's id stays when an edit moves none of
    // its own diagnostics, and a line break before the statement moves it without changing its offset.
    return { items: [...analysis.diagnostics, ...items], resultId: `${analysis.resultId}|explain:${entry.generation}:${range.start.line}:${range.start.character}` };
  }

  forget(uri: string): void {
    this.explained.delete(uri);
  }

  private statementFor(analysis: AnalysedText, params: ExplainParams): StatementResult | undefined {
    const from = analysis.lines.offsetAt(params.position ?? params.range?.start ?? { line: 0, character: 0 });
    const at = statementAt(analysis.statementsTouching(from, from), from);
    if (at || !params.range) return at;
    const to = analysis.lines.offsetAt(params.range.end);
    return analysis.statementsTouching(from, to).find((s) => s.range.start < to && s.range.end > from);
  }

  /** The statement with the explained text nearest to where it was (edits elsewhere move it). */
  private sameStatement(analysis: AnalysedText, entry: ExplainedStatement): StatementOutline | undefined {
    let best: StatementOutline | undefined;
    for (const statement of analysis.outline) {
      if (analysis.text.slice(statement.range.start, statement.range.end) !== entry.text) continue;
      if (!best || Math.abs(statement.range.start - entry.start) < Math.abs(best.range.start - entry.start)) best = statement;
    }
    return best;
  }

  private async liveDatabase(scope: ExplainScope | undefined, what = 'Explain'): Promise<DatabaseConnection> {
    const database = scope?.database;
    if (!database) {
      throw failure(
        'no-database',
        `${what} needs a database connection: set pgParallelHints.connection.url (or the PG* environment variables) for this folder; in an untrusted workspace the extension never connects`,
      );
    }
    const state = database.state.name;
    if (state === 'disconnected') throw failure('no-database', `${what} needs a database connection: disconnected from ${database.target} (run "Connect to database")`);
    if (state !== 'live') await database.reconnect();
    const now = database.state;
    if (now.name !== 'live') {
      const why = now.name === 'error' ? now.message : now.name;
      throw failure('no-database', `${what} needs a database connection: ${database.target}: ${why}`);
    }
    return database;
  }
}
