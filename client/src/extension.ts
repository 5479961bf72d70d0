/**
 * The VS Code side, kept thin: start the language server, hand it the password from SecretStorage,
 * show its database state in one language status item, and route commands to it. Everything that
 * knows SQL or PostgreSQL lives in the server.
 */
import * as fs from 'fs';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, RevealOutputChannelOn, ServerOptions, State, Trace, TransportKind } from 'vscode-languageclient/node';
import {
  disconnectRequest,
  reconnectRequest,
  refreshCatalogRequest,
  setPasswordNotification,
  statusNotification,
  type StatusParams,
} from '../../server/src/protocol';
import { auditCommand, explainCommand, PLAN_SCHEME, PlanReports } from './plan-view';
import { messageOf } from '../../server/src/error-message';

const PASSWORD_KEY = 'pgParallelHints.password';
const NAME = 'PostgreSQL Parallel Hints';

let client: LanguageClient | undefined;

/**
 * With pgParallelHints.trace.server at "verbose" the language client writes every message's
 * parameters to the trace channel, so the password goes out with tracing off for that one message.
 */
async function sendPassword(c: LanguageClient, password: string): Promise<void> {
  const traced = Trace.fromString(vscode.workspace.getConfiguration('pgParallelHints').get<string>('trace.server', 'off'));
  if (traced !== Trace.Off) await c.setTrace(Trace.Off);
  try {
    await c.sendNotification(setPasswordNotification, { password });
  } finally {
    if (traced !== Trace.Off) await c.setTrace(traced);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(NAME, { log: true });
  const status = vscode.languages.createLanguageStatusItem('pgParallelHints.status', { language: 'sql' });
  status.name = NAME;
  status.text = 'starting…';
  status.command = { title: 'Show output', command: 'pgParallelHints.showOutput' };
  context.subscriptions.push(output, status);
  const reports = new PlanReports();
  context.subscriptions.push(
    reports,
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, reports),
    vscode.languages.registerCodeLensProvider({ scheme: PLAN_SCHEME }, reports),
  );

  const showStatus = (s: StatusParams) => {
    status.text = s.text;
    status.detail = s.detail;
    status.severity = s.state === 'error' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    status.busy = s.state === 'connecting';
  };

  const start = async () => {
    client = createClient(context, output);
    client.onNotification(statusNotification, showStatus);
    await client.start();
    const password = await context.secrets.get(PASSWORD_KEY);
    if (password) await sendPassword(client, password);
  };

  /** Commands as a table; each one answers sensibly while the server is down. */
  const commands: Record<string, (...args: unknown[]) => Promise<unknown>> = {
    'pgParallelHints.setPassword': async () => {
      const password = await vscode.window.showInputBox({
        title: 'Database password',
        prompt: 'Kept in VS Code\'s secret storage, never in settings. Leave empty to forget it (PGPASSWORD or .pgpass then apply).',
        password: true,
        ignoreFocusOut: true,
      });
      if (password === undefined) return;
      if (password) await context.secrets.store(PASSWORD_KEY, password);
      else await context.secrets.delete(PASSWORD_KEY);
      await withServer((c) => sendPassword(c, password));
    },
    'pgParallelHints.connect': () => withServer(async (c) => reportStatuses((await c.sendRequest(reconnectRequest, {})).statuses)),
    'pgParallelHints.disconnect': () => withServer(async (c) => reportStatuses((await c.sendRequest(disconnectRequest, {})).statuses)),
    'pgParallelHints.refreshCatalog': () => withServer(async (c) => reportStatuses((await c.sendRequest(refreshCatalogRequest, {})).statuses)),
    'pgParallelHints.showOutput': async () => output.show(true),
    // CodeLenses pass (uri, position); the command palette passes nothing: the cursor decides.
    'pgParallelHints.explain': (uri, position) => withServer((c) => explainCommand(c, reports, false, uri, position)),
    'pgParallelHints.explainAnalyze': (uri, position) => withServer((c) => explainCommand(c, reports, true, uri, position)),
    'pgParallelHints.auditSettings': () => withServer((c) => auditCommand(c, reports)),
    'pgParallelHints.showPlanDiagram': async (report) => reports.showDiagram(report),
    'pgParallelHints.restartServer': async () => {
      await client?.stop().catch(() => undefined);
      await start();
    },
  };
  for (const [id, run] of Object.entries(commands)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        run(...args).catch((error: unknown) => {
          output.error(`${id}: ${messageOf(error)}`);
          void vscode.window.showErrorMessage(`${NAME}: ${messageOf(error)}`);
        }),
      ),
    );
  }

  // An untrusted workspace runs in limited mode (no database); trust granted later restarts the server.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void commands['pgParallelHints.restartServer']()));

  try {
    await start();
  } catch (error) {
    status.text = 'server failed to start';
    status.severity = vscode.LanguageStatusSeverity.Error;
    output.error(`the language server did not start: ${messageOf(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

const SQL_DOCUMENTS = [
  { scheme: 'file', language: 'sql' },
  { scheme: 'untitled', language: 'sql' },
];

/** Whether the client still serves this document: open and SQL (a pull may be for a URI alone). */
function stillServed(document: vscode.TextDocument | vscode.Uri): boolean {
  return document instanceof vscode.Uri || (!document.isClosed && vscode.languages.match(SQL_DOCUMENTS, document) > 0);
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  // The packaged extension runs the bundle; a development checkout runs the compiled tree.
  const bundled = context.asAbsolutePath('dist/server.js');
  const module = fs.existsSync(bundled) ? bundled : context.asAbsolutePath('out/server/src/lsp-entry.js');
  // Over stdio the server writes diagnostics it already sent from their kept bytes (lsp-transport.ts):
  // a keystroke in a file with thousands of diagnostics does not serialise them all again.
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.stdio },
    debug: { module, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SQL_DOCUMENTS,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.sql') },
    initializationOptions: { trusted: vscode.workspace.isTrusted },
    outputChannel: output,
    // Commands report their own failures in words; no second, generic "request failed" toast.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // vscode-languageclient 9 takes a pull it cancelled itself (a keystroke while the last one's pull
      // is out) as an empty list: the squiggles blink off, and the result id is dropped, so the next
      // pull comes without it and is answered in full (vscode-languageserver-node #1471, #1799).
      // Reported as cancelled instead, the library keeps both and simply pulls again; but not for a
      // document it no longer serves (closed, or no longer SQL), which it must drop as before.
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (token.isCancellationRequested && stillServed(document)) throw new vscode.CancellationError();
        return report;
      },
    },
  };
  return new LanguageClient('pgParallelHints', NAME, serverOptions, clientOptions);
}

async function withServer<T>(action: (c: LanguageClient) => Promise<T>): Promise<T | undefined> {
  if (!client || client.state !== State.Running) {
    const choice = await vscode.window.showWarningMessage(`${NAME}: the language server is not running.`, 'Restart server', 'Show output');
    if (choice === 'Restart server') await vscode.commands.executeCommand('pgParallelHints.restartServer');
    if (choice === 'Show output') await vscode.commands.executeCommand('pgParallelHints.showOutput');
    return undefined;
  }
  return action(client);
}

function reportStatuses(statuses: StatusParams[]): void {
  const text = statuses.map((s) => s.text).join('; ');
  if (statuses.some((s) => s.state === 'error')) void vscode.window.showWarningMessage(`${NAME}: ${text}`);
  else void vscode.window.showInformationMessage(`${NAME}: ${text}`);
}
