/**
 * The language server's transport: opened from the command line before anything is served
 * (openTransport: a client that cannot be reached is said, not waited for), requests refused once
 * shut down (refusingRequestsAfterShutdown), and how messages are written to a stream transport
 * (--stdio). That writer is vscode-jsonrpc's own, with one
 * change: a diagnostic already sent is not serialised again. An edit of a large document changes
 * the diagnostics of one statement and leaves the other thousands as they were (the core keeps
 * their converted objects, see DocumentAnalyzer.convertReasons), but the answer must list them all.
 * Serialising 3,000 of them cost 4-5 ms of every keystroke and left a 1 MB string and its 1 MB
 * copy behind each time; copying their kept bytes into the one buffer that is sent costs well under
 * a millisecond and leaves nothing on the JavaScript heap.
 */
import { randomUUID } from 'crypto';
import * as net from 'net';
import {
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  Message,
  MessageReader,
  MessageStrategy,
  MessageWriter,
  ShutdownRequest,
  SocketMessageReader,
  SocketMessageWriter,
  StreamMessageWriter,
} from 'vscode-languageserver/node';

/** Diagnostics that never change once made (frozen), as the UTF-8 JSON they were first sent as. */
const sentBytes = new WeakMap<object, Buffer>();

function bytesOf(value: unknown): Buffer {
  if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
  let bytes = sentBytes.get(value);
  if (bytes === undefined) {
    const json = JSON.stringify(value);
    // Its own allocation (not a slice of Node's shared pool), so a kept diagnostic keeps only its bytes.
    bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(json, 'utf8'));
    bytes.write(json, 'utf8');
    sentBytes.set(value, bytes);
  }
  return bytes;
}

/** The list of diagnostics a message carries: a pulled full report, or pushed diagnostics. */
function diagnosticsOf(message: Message): unknown[] | undefined {
  const m = message as { result?: { kind?: unknown; items?: unknown }; method?: string; params?: { diagnostics?: unknown } };
  if (m.result?.kind === 'full' && Array.isArray(m.result.items)) return m.result.items;
  if (m.method === 'textDocument/publishDiagnostics' && Array.isArray(m.params?.diagnostics)) return m.params.diagnostics;
  return undefined;
}

// Stands for the list in the rest of the message. Random, so no text a client sends (a request id)
// can spell it; and the list is the message's last value, so it is looked for from the end.
const PLACEHOLDER = `\u0000pg-parallel-hints:${randomUUID()}\u0000`;
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);
const COMMA = Buffer.from(',');

/** The message as UTF-8 JSON, byte for byte what JSON.stringify gives, reusing the bytes of frozen diagnostics. */
export function messageBytes(message: Message): Buffer {
  const list = diagnosticsOf(message);
  if (!list || list.length === 0) return Buffer.from(JSON.stringify(message), 'utf8');
  const outer = JSON.stringify(message, (_key, value: unknown) => (value === list ? PLACEHOLDER : value));
  const at = outer.lastIndexOf(PLACEHOLDER_JSON);
  const parts = new Array<Buffer>(2 * list.length + 1);
  parts[0] = Buffer.from(`${outer.slice(0, at)}[`, 'utf8');
  for (let i = 0; i < list.length; i++) {
    if (i > 0) parts[2 * i] = COMMA;
    parts[2 * i + 1] = bytesOf(list[i]);
  }
  parts[2 * list.length] = Buffer.from(`]${outer.slice(at + PLACEHOLDER_JSON.length)}`, 'utf8');
  return Buffer.concat(parts);
}

/** A writer for stdout (or any stream) that encodes with messageBytes. */
export function diagnosticsAwareWriter(output: NodeJS.WritableStream): StreamMessageWriter {
  return new StreamMessageWriter(output, {
    contentTypeEncoder: { name: 'application/json', encode: (message) => Promise.resolve(messageBytes(message)) },
  });
}

/** What the server reads from and writes to: stdin as a stream (see runLanguageServer), or a reader. */
export interface Transport {
  input: NodeJS.ReadableStream | MessageReader;
  writer: MessageWriter;
}

/** Thrown when the transport the command line names cannot be opened: the message is for the user. */
export class TransportError extends Error {}

/**
 * The transport named on the command line (--stdio, --node-ipc, --socket=PORT, --pipe=NAME), opened.
 * vscode-languageserver opens --socket and --pipe itself without waiting: a client that is not
 * there closes the connection, and the process, with nothing left to do, exited 0 without a word.
 * --node-ipc without an IPC channel likewise waited for messages that could never come. Here a
 * socket is connected first and the channel checked, so the failure is said and the exit code says so.
 */
export async function openTransport(args: string[]): Promise<Transport> {
  if (args.includes('--stdio')) return { input: process.stdin, writer: diagnosticsAwareWriter(process.stdout) };
  if (args.includes('--node-ipc')) {
    if (typeof process.send !== 'function') {
      throw new TransportError('cannot connect to the language client over --node-ipc: this process has no IPC channel (the client must start it with Node\'s fork; other editors use --stdio)');
    }
    return { input: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  }
  const port = args.map((arg) => /^--socket=(\d+)$/.exec(arg)?.[1]).find((value) => value !== undefined);
  if (port !== undefined) return socketTransport(`on port ${port}`, () => net.createConnection(Number(port), '127.0.0.1'));
  const pipe = args.map((arg) => /^--pipe=(.+)$/.exec(arg)?.[1]).find((value) => value !== undefined);
  if (pipe !== undefined) return socketTransport(`on pipe ${pipe}`, () => net.createConnection(pipe));
  throw new TransportError('no transport: --stdio, --node-ipc, --socket=PORT or --pipe=NAME');
}

/** A socket to the client, once connected (the client listens; the server connects, as vscode-languageserver does). */
function socketTransport(where: string, connect: () => net.Socket): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(new TransportError(`cannot connect to the language client ${where}: ${socketFailure(error)}`));
    let socket: net.Socket;
    try {
      socket = connect();
    } catch (error) {
      failed(error as NodeJS.ErrnoException); // a port out of range is thrown at once
      return;
    }
    socket.once('error', failed);
    socket.once('connect', () => {
      socket.off('error', failed);
      resolve({ input: new SocketMessageReader(socket), writer: new SocketMessageWriter(socket) });
    });
  });
}

/** Node's socket error in a few words. */
function socketFailure(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOENT':
      return 'no such pipe or socket';
    case 'EACCES':
      return 'permission denied';
    case 'ERR_SOCKET_BAD_PORT':
      return 'the port must be from 1 to 65535';
  }
  return error.message;
}

/**
 * LSP: once `shutdown` is received, every request gets the error InvalidRequest; only the `exit`
 * notification is left to send. vscode-languageserver records the shutdown (for exit's code) but still
 * hands later requests to their handlers, which would answer from services already disposed. Seen
 * here, before dispatch; the answer goes out through the connection's own writer. Notifications
 * (exit, $/cancelRequest ...) pass.
 */
export function refusingRequestsAfterShutdown(writer: MessageWriter): MessageStrategy {
  let shutDown = false;
  return {
    handleMessage(message, next) {
      if (Message.isRequest(message)) {
        if (shutDown) {
          void writer.write({ jsonrpc: '2.0', id: message.id, error: { code: ErrorCodes.InvalidRequest, message: 'server is shutting down' } } as Message);
          return;
        }
        if (message.method === ShutdownRequest.method) shutDown = true;
      }
      next(message);
    },
  };
}
