/**
 * A minimal LSP client over stdio JSON-RPC for benchmarking any language server the same way:
 * Content-Length framing, requests with ids, notifications, and answers to the requests servers send
 * back (workspace/configuration, client/registerCapability, window/workDoneProgress/create, ...).
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';

export interface SpawnSpec {
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

type Handler = (params: any) => unknown;

interface Pending {
  resolve: (value: any) => void;
  reject: (error: Error) => void;
  method: string;
}

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class LspClient {
  readonly process: ChildProcess;
  readonly spawnedAt: number;
  private buffer: Buffer = Buffer.alloc(0);
  /** Chunks of a message not yet complete, their length, and the length the message needs (0: unknown). */
  private chunks: Buffer[] = [];
  private received = 0;
  private needed = 0;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private notificationWaiters: { method: string; match: (params: any) => boolean; resolve: (params: any) => void }[] = [];
  private notificationHandlers = new Map<string, Handler[]>();
  private requestHandlers = new Map<string, Handler>();
  exited = false;
  stderr = '';

  constructor(spec: SpawnSpec) {
    this.spawnedAt = nowMs();
    this.process = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stdout!.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.stderr!.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 20_000) this.stderr += chunk.toString('utf8');
    });
    this.process.on('exit', () => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`server exited during ${p.method}: ${this.stderr.slice(0, 500)}`));
      this.pending.clear();
    });
    this.process.on('error', (error) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    });
    // Defaults every client needs to answer; callers may override.
    this.onRequest('client/registerCapability', () => null);
    this.onRequest('client/unregisterCapability', () => null);
    this.onRequest('window/workDoneProgress/create', () => null);
    this.onRequest('workspace/diagnostic/refresh', () => null);
    this.onRequest('workspace/semanticTokens/refresh', () => null);
    this.onRequest('workspace/inlayHint/refresh', () => null);
    this.onRequest('workspace/codeLens/refresh', () => null);
    this.onRequest('window/showMessageRequest', () => null);
    this.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    this.onRequest('workspace/workspaceFolders', () => null);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  onRequest(method: string, handler: Handler): void {
    this.requestHandlers.set(method, handler);
  }

  onNotification(method: string, handler: Handler): void {
    const list = this.notificationHandlers.get(method) ?? [];
    list.push(handler);
    this.notificationHandlers.set(method, list);
  }

  request<T = any>(method: string, params: unknown, timeoutMs = 120_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.exited) return reject(new Error(`server has exited: ${this.stderr.slice(0, 500)}`));
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the next notification of `method` whose params match (registered before sending what triggers it). */
  waitForNotification<T = any>(method: string, match: (params: T) => boolean = () => true, timeoutMs = 120_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.notificationWaiters = this.notificationWaiters.filter((w) => w !== waiter);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = {
        method,
        match: match as (p: any) => boolean,
        resolve: (p: any) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      this.notificationWaiters.push(waiter);
    });
  }

  /** Peak resident set size in MB of a process (VmHWM), Linux only. */
  static peakRssMB(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** shutdown + exit, then SIGKILL if the process lingers. */
  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await this.request('shutdown', null, 5_000);
      this.notify('exit', null);
    } catch {
      // killed below
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.process.kill('SIGKILL');
        resolve();
      }, 3_000);
      this.process.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin!.write(body);
  }

  private receive(chunk: Buffer): void {
    // A large message arrives in many chunks: they are joined once it is complete, not one by one
    // (which would copy a 1 MB answer some twenty times and charge the server for the client's work).
    this.chunks.push(chunk);
    this.received += chunk.length;
    if (this.received < this.needed) return;
    this.buffer = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [];
    this.received = 0;
    this.needed = 0;
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) break;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length:\s*(\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from server: ${header}`);
      const length = Number(m[1]);
      if (this.buffer.length < headerEnd + 4 + length) {
        this.needed = headerEnd + 4 + length;
        break;
      }
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body));
    }
    if (this.buffer.length > 0) {
      this.chunks.push(this.buffer);
      this.received = this.buffer.length;
    }
    this.buffer = Buffer.alloc(0);
  }

  private dispatch(message: { id?: number | string; method?: string; params?: unknown; result?: unknown; error?: { message: string } }): void {
    if (message.method !== undefined && message.id !== undefined) {
      const handler = this.requestHandlers.get(message.method);
      const result = handler ? handler(message.params) : null;
      this.send({ jsonrpc: '2.0', id: message.id, result: result ?? null });
      return;
    }
    if (message.method !== undefined) {
      for (const handler of this.notificationHandlers.get(message.method) ?? []) handler(message.params);
      const waiters = this.notificationWaiters;
      for (const waiter of waiters) {
        if (waiter.method === message.method && waiter.match(message.params)) {
          this.notificationWaiters = this.notificationWaiters.filter((w) => w !== waiter);
          waiter.resolve(message.params);
          break;
        }
      }
      return;
    }
    const pending = this.pending.get(Number(message.id));
    if (!pending) return;
    this.pending.delete(Number(message.id));
    if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
    else pending.resolve(message.result);
  }
}

/** Client capabilities of an editor with pull diagnostics, incremental sync and progress support. */
export function clientCapabilities(pull: boolean): Record<string, unknown> {
  return {
    general: { positionEncodings: ['utf-16'] },
    window: { workDoneProgress: true },
    workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false }, diagnostics: { refreshSupport: false } },
    textDocument: {
      synchronization: { dynamicRegistration: false, didSave: true },
      publishDiagnostics: { relatedInformation: true, versionSupport: true },
      hover: { dynamicRegistration: false, contentFormat: ['markdown', 'plaintext'] },
      ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
  };
}
