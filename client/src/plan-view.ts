/**
 * EXPLAIN in VS Code: the commands' flow (which statement, confirmation for writes, a cancellable
 * progress notification), the read-only report documents (scheme pg-parallel-hints-plan, language
 * pg-parallel-plan) and the plan diagram webview. The server does the work (pgParallelHints/explain,
 * pgParallelHints/auditSettings); the diagram's HTML comes from the pure core (plan-diagram.ts).
 */
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { LanguageClient, ResponseError } from 'vscode-languageclient/node';
import { planDiagramHtml } from '../../server/src/core/plan-diagram';
import { auditSettingsRequest, ExplainErrorData, ExplainParams, explainRequest, ExplainResponse } from '../../server/src/protocol';
import { messageOf } from '../../server/src/error-message';

export const PLAN_SCHEME = 'pg-parallel-hints-plan';
export const PLAN_LANGUAGE = 'pg-parallel-plan';
const NAME = 'PostgreSQL Parallel Hints';

interface StoredReport {
  text: string;
  /** Absent for the settings audit: it has no plan to draw. */
  explain?: ExplainResponse;
  title: string;
}

/** Report documents by URI; showing a report again for the same statement updates its document. */
export class PlanReports implements vscode.TextDocumentContentProvider, vscode.CodeLensProvider {
  private readonly reports = new Map<string, StoredReport>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private panel: vscode.WebviewPanel | undefined;
  private panelReport: string | undefined;
  private lastExplain: string | undefined;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString())?.text ?? 'This report is gone: run the command again.\n';
  }

  /** "Show plan diagram" above an explain report. */
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const report = this.reports.get(document.uri.toString());
    if (!report?.explain) return [];
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'Show plan diagram', command: 'pgParallelHints.showPlanDiagram', arguments: [document.uri.toString()] })];
  }

  async show(path: string, report: StoredReport): Promise<void> {
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path });
    this.reports.set(uri.toString(), report);
    if (report.explain) this.lastExplain = uri.toString();
    this.changed.fire(uri);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== PLAN_LANGUAGE) document = await vscode.languages.setTextDocumentLanguage(document, PLAN_LANGUAGE);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: false });
    if (this.panel && report.explain && this.panelReport === uri.toString()) this.render(uri.toString());
  }

  /** The diagram of a report (the given one, the active one, or the last explained). */
  showDiagram(reportUri?: unknown): void {
    const active = vscode.window.activeTextEditor?.document.uri;
    const key =
      typeof reportUri === 'string' ? reportUri : reportUri instanceof vscode.Uri ? reportUri.toString() : active?.scheme === PLAN_SCHEME && this.reports.get(active.toString())?.explain ? active.toString() : this.lastExplain;
    if (!key || !this.reports.get(key)?.explain) {
      void vscode.window.showInformationMessage(`${NAME}: run "Explain parallelism" first; the diagram shows the plan of an explain report.`);
      return;
    }
    if (!this.panel) {
      // No scripts and no local resources: the page is static HTML with its own policy.
      this.panel = vscode.window.createWebviewPanel('pgParallelHints.planDiagram', 'Plan diagram', vscode.ViewColumn.Beside, { enableScripts: false, localResourceRoots: [] });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.panelReport = undefined;
      });
    }
    this.render(key);
    this.panel.reveal(vscode.ViewColumn.Beside);
  }

  private render(key: string): void {
    const report = this.reports.get(key);
    if (!this.panel || !report?.explain) return;
    const { plan, gathers, findings, analyzed } = report.explain;
    this.panelReport = key;
    this.panel.title = `Plan diagram: ${report.title}`;
    this.panel.webview.html = planDiagramHtml(plan, { gathers, findings, analyzed }, { nonce: randomBytes(16).toString('base64'), title: report.title });
  }

  dispose(): void {
    this.panel?.dispose();
    this.changed.dispose();
  }
}

function errorData(error: unknown): ExplainErrorData | undefined {
  return error instanceof ResponseError ? (error.data as ExplainErrorData | undefined) : undefined;
}

/** The statement to explain: from a CodeLens's arguments, else the cursor (or selection) of the active SQL editor. */
function explainTarget(uriArg: unknown, positionArg: unknown): Pick<ExplainParams, 'uri' | 'position' | 'range'> | undefined {
  if (typeof uriArg === 'string' && positionArg && typeof positionArg === 'object') {
    const { line, character } = positionArg as { line: number; character: number };
    return { uri: uriArg, position: { line, character } };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'sql') return undefined;
  const { selection } = editor;
  const position = { line: selection.active.line, character: selection.active.character };
  if (selection.isEmpty) return { uri: editor.document.uri.toString(), position };
  return { uri: editor.document.uri.toString(), range: { start: { line: selection.start.line, character: selection.start.character }, end: { line: selection.end.line, character: selection.end.character } } };
}

function fileName(uri: string): string {
  try {
    return vscode.Uri.parse(uri).path.split('/').pop() || uri;
  } catch {
    return uri;
  }
}

/** "Explain parallelism" / "Explain analyze": asks before running a statement that writes; cancellable. */
export async function explainCommand(client: LanguageClient, reports: PlanReports, analyze: boolean, uriArg?: unknown, positionArg?: unknown): Promise<void> {
  const target = explainTarget(uriArg, positionArg);
  if (!target) {
    void vscode.window.showInformationMessage(`${NAME}: open a SQL file and put the cursor in the statement to explain.`);
    return;
  }
  let allowWrites = false;
  for (;;) {
    let result: ExplainResponse | undefined;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: analyze ? `${NAME}: running EXPLAIN ANALYZE (rolled back)…` : `${NAME}: running EXPLAIN…`, cancellable: true },
        (_progress, token) => client.sendRequest(explainRequest, { ...target, analyze, allowWrites }, token),
      );
    } catch (error) {
      const data = errorData(error);
      if (data?.reason === 'cancelled' || error instanceof vscode.CancellationError) return;
      if (data?.reason === 'needs-confirmation' && !allowWrites) {
        const what = data.writes?.length ? data.writes.join(', ') : 'data (inside a function it calls)';
        const choice = await vscode.window.showWarningMessage(
          `EXPLAIN ANALYZE runs this statement, and it changes ${what}.`,
          { modal: true, detail: 'It runs inside a transaction that is always rolled back, under the statement timeout: the rows are left as they are. Sequences it advances (nextval) and effects outside the database are not undone.' },
          'Run and roll back',
        );
        if (choice !== 'Run and roll back') return;
        allowWrites = true;
        continue;
      }
      if (data?.reason === 'no-database') {
        const message = messageOf(error);
        const choice = await vscode.window.showWarningMessage(`${NAME}: ${message}`, 'Open settings');
        if (choice === 'Open settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'pgParallelHints.connection');
        return;
      }
      throw error;
    }
    // A cancelled request resolves without a result.
    if (!result) return;
    const where = `${fileName(target.uri)}:${result.range.start.line + 1}`;
    const title = `${result.analyzed ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} of ${result.kind} at ${where}`;
    await reports.show(`/Plan of ${where}`, { text: result.report, explain: result, title });
    return;
  }
}

/** "Audit parallel settings" of the active editor's folder (or the first folder with a database). */
export async function auditCommand(client: LanguageClient, reports: PlanReports): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = active ? vscode.workspace.getWorkspaceFolder(active) : undefined;
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `${NAME}: reading the parallel settings…` }, () =>
    client.sendRequest(auditSettingsRequest, folder ? { folder: folder.uri.toString() } : {}),
  );
  await reports.show(`/Parallel settings of ${result.target.replace(/\//g, '∕')}`, { text: result.text, title: `Parallel settings of ${result.target}` });
}
