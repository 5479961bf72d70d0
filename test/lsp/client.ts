/**
 * A small LSP client for tests: real JSON-RPC over in-memory streams (or a child process's pipes),
 * answering the requests a real editor answers (workspace/configuration, client/registerCapability,
 * window/workDoneProgress/create, workspace/diagnostic/refresh) and recording what the server sends.
 * Never sends `exit` to an in-process server: it would call process.exit.
 */
import * as assert from 'assert';
import { PassThrough, Readable, Writable } from 'stream';
import { CancellationToken, createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import { LogTraceNotification, WorkDoneProgress } from 'vscode-languageserver-protocol';
import type {
  ClientCapabilities,
  CodeAction,
  Diagnostic,
  DocumentDiagnosticReport,
  Hover,
  InitializeResult,
  Location,
  Position,
  PublishDiagnosticsParams,
  Range,
  TextDocumentContentChangeEvent,
  WorkspaceFolder,
} from 'vscode-languageserver-protocol';
import { ConnectionResult, setPasswordNotification, statusRequest, type StatusParams } from '../../server/src/protocol';
import { ServerDeps, startServer } from '../../server/src/server';

/** Capabilities of a pull-diagnostics client such as VS Code (the parts the server looks at). */
export const PULL_CLIENT: ClientCapabilities = {
  textDocument: {
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    publishDiagnostics: { relatedInformation: true, versionSupport: true },
  },
  workspace: {
    configuration: true,
    diagnostics: { refreshSupport: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
    workspaceFolders: true,
  },
  window: { workDoneProgress: true },
};

/** Capabilities of a push-only client (Neovim 0.7, Emacs 28): no textDocument.diagnostic. */
export const PUSH_CLIENT: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
  workspace: {},
};

export interface ClientOptions {
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
  workspaceFolders?: WorkspaceFolder[];
  /** Answers workspace/configuration items (scopeUri, section), at once or later (a promise). */
  configuration?: (item: { scopeUri?: string; section?: string }) => unknown;
  /** Holds the answer to window/workDoneProgress/create until this settles (a slow or silent client). */
  progressAnswer?: () => Promise<unknown>;
}

interface Received {
  method: string;
  params: unknown;
}

export class TestClient {
  readonly notifications: Received[] = [];
  readonly requests: Received[] = [];
  private waiters: { method: string; match: (params: unknown) => boolean; resolve: (params: unknown) => void }[] = [];
  initializeResult!: InitializeResult;
  private versions = new Map<string, number>();

  constructor(
    readonly rpc: MessageConnection,
    private readonly options: ClientOptions,
  ) {
    rpc.onNotification((method, params) => this.received(method, params));
    // vscode-jsonrpc consumes $/logTrace itself unless a handler for it is registered.
    rpc.onNotification(LogTraceNotification.type, (params) => this.received('$/logTrace', params));
    // Progress for a token the client never accepted: recorded too, so a test can see it was sent.
    rpc.onUnhandledProgress((params) => this.received('$/progress', params));
    rpc.onRequest((method, params) => {
      this.received(method, params, true);
      switch (method) {
        case 'workspace/configuration': {
          const items = (params as { items: { scopeUri?: string; section?: string }[] }).items;
          // An answer may be a promise: a test can hold the server waiting for its settings.
          return Promise.all(items.map(async (item) => (await this.options.configuration?.(item)) ?? null));
        }
        case 'window/workDoneProgress/create': {
          // vscode-jsonrpc delivers $/progress only to a handler registered for the token: registered
          // once the answer is given, so progress sent before it counts as unhandled.
          const token = (params as { token: string | number }).token;
          return (this.options.progressAnswer?.() ?? Promise.resolve()).then(() => {
            this.rpc.onProgress(WorkDoneProgress.type, token, (value) => this.received('$/progress', { token, value }));
            return null;
          });
        }
        default:
          return null;
      }
    });
    rpc.listen();
  }

  private received(method: string, params: unknown, isRequest = false): void {
    // PGPH_LSP_DEBUG=1 prints every message from the server (for debugging a hanging test).
    if (process.env.PGPH_LSP_DEBUG) process.stderr.write(`<- ${method} ${JSON.stringify(params)}\n`);
    const entry = { method, params };
    (isRequest ? this.requests : this.notifications).push(entry);
    for (const waiter of [...this.waiters]) {
      if (waiter.method === method && waiter.match(params)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(params);
      }
    }
  }

  /** The first message (notification or server request) matching, including ones already received. */
  waitFor<T>(method: string, match: (params: T) => boolean = () => true): Promise<T> {
    const seen = [...this.notifications, ...this.requests].find((m) => m.method === method && match(m.params as T));
    if (seen) return Promise.resolve(seen.params as T);
    return this.waitForNext(method, match);
  }

  /** The next matching message received from now on. */
  waitForNext<T>(method: string, match: (params: T) => boolean = () => true): Promise<T> {
    return new Promise<T>((resolve) => {
      this.waiters.push({ method, match: (p) => match(p as T), resolve: (p) => resolve(p as T) });
    });
  }

  async initialize(): Promise<InitializeResult> {
    this.initializeResult = await this.rpc.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      capabilities: this.options.capabilities ?? PULL_CLIENT,
      workspaceFolders: this.options.workspaceFolders ?? null,
      initializationOptions: this.options.initializationOptions,
    });
    await this.rpc.sendNotification('initialized', {});
    return this.initializeResult;
  }

  async open(uri: string, text: string, version = 1): Promise<void> {
    this.versions.set(uri, version);
    await this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
  }

  /** Sends incremental changes; returns the new version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    await this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  pull(uri: string, previousResultId?: string, token?: CancellationToken): Promise<DocumentDiagnosticReport> {
    const params = { textDocument: { uri }, ...(previousResultId ? { previousResultId } : {}) };
    // An undefined token would be sent as a second, positional parameter.
    return token ? this.rpc.sendRequest('textDocument/diagnostic', params, token) : this.rpc.sendRequest('textDocument/diagnostic', params);
  }

  /** The server's status of every folder (pgParallelHints/getStatus). */
  statuses(): Promise<StatusParams[]> {
    return this.rpc.sendRequest(statusRequest.method);
  }

  /** A pgParallelHints/* request taking a folder (reconnect, disconnect, refreshCatalog). */
  command(method: 'pgParallelHints/reconnect' | 'pgParallelHints/disconnect' | 'pgParallelHints/refreshCatalog', folder?: string): Promise<ConnectionResult> {
    return this.rpc.sendRequest(method, folder ? { folder } : {});
  }

  setPassword(password: string | undefined, folder?: string): Promise<void> {
    return this.rpc.sendNotification(setPasswordNotification.method, { password, ...(folder ? { folder } : {}) });
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const report = await this.pull(uri);
    if (report.kind !== 'full') throw new Error(`expected a full report, got ${report.kind}`);
    return report.items;
  }

  /** Pushed diagnostics of a document version (waits for them). */
  pushed(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && (version === undefined || p.version === version));
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.rpc.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  definition(uri: string, position: Position): Promise<Location[] | null> {
    return this.rpc.sendRequest('textDocument/definition', { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[] = []): Promise<CodeAction[]> {
    return this.rpc.sendRequest('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  async shutdown(): Promise<void> {
    await this.rpc.sendRequest('shutdown');
  }

  dispose(): void {
    this.rpc.dispose();
  }
}

/** Shuts down and disposes the clients a test started, and empties the list. */
export async function closeAll(clients: TestClient[]): Promise<void> {
  for (const client of clients.splice(0)) {
    await client.shutdown();
    client.dispose();
  }
}

/** A server started in this process on in-memory streams, and a client talking to it. */
export async function startInMemory(options: ClientOptions & { deps?: ServerDeps } = {}): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  startServer(serverConnection, { pushDelayMs: 5, ...options.deps });
  const client = new TestClient(createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer)), options);
  await client.initialize();
  return client;
}

/** A client on a child process's stdio. */
export function clientOn(output: Readable, input: Writable, options: ClientOptions = {}): TestClient {
  return new TestClient(createMessageConnection(new StreamMessageReader(output), new StreamMessageWriter(input)), options);
}

/** Text with a cursor marker ‸ removed, and the marker's position. */
export function cursor(textWithMarker: string): { text: string; position: Position } {
  const at = textWithMarker.indexOf('‸');
  if (at < 0) throw new Error('no ‸ marker');
  const before = textWithMarker.slice(0, at);
  const lines = before.split('\n');
  return { text: before + textWithMarker.slice(at + 1), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

/** "1:7-1:11": a range, 0-based, as tests write it. */
export function rangeText(range: Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** A hover's markdown (failing the test when there is no hover). */
export function markdown(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as { value: string }).value;
}

/** The diagnostics in a form tests can write out in full. */
export function summarize(diagnostics: Diagnostic[]): string[] {
  const severity = ['', 'error', 'warning', 'information', 'hint'];
  return diagnostics.map((d) => `${rangeText(d.range)} ${severity[d.severity ?? 0]} ${d.code}: ${d.message}`);
}
