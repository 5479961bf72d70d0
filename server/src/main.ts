/**
 * The language server's entry point. The transport comes from the command line (--stdio, --node-ipc,
 * --socket=N, --pipe=NAME), opened by lsp-transport.ts; stdout belongs to the protocol over stdio, so
 * nothing else writes there.
 */
import { inspect, InspectOptions } from 'util';
import { Connection, createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { stackOf } from './error-message';
import { sendParserOutputTo } from './parser-output';
import { openTransport, refusingRequestsAfterShutdown } from './lsp-transport';
import { GarbageCollections, v8Heap } from './memory';
import { startServer } from './server';

/**
 * Its entry points (the CLI's bin, lsp-entry.ts) make the process's V8 settings first (quick-start.ts).
 * Rejects with a TransportError, before anything is served, when the client cannot be reached.
 */
export async function runLanguageServer(args: string[] = process.argv.slice(2)): Promise<void> {
  // Over stdio, messages go through our writer (diagnostics already sent are not serialised again);
  // stdin stays a stream, so the library still exits when the editor closes it. The library takes a
  // stream and a writer together at run time; its typings list only matching pairs, hence the cast.
  const { input, writer } = await openTransport(args);
  const connection = createConnection(ProposedFeatures.all, input as NodeJS.ReadableStream, writer as unknown as NodeJS.WritableStream, {
    messageStrategy: refusingRequestsAfterShutdown(writer),
  });
  routeConsoleTo(connection);
  // A notification handler that fails (a bug, or a message of the wrong shape) rejects a promise no
  // one awaits, and Node would end the process: the editor would lose the server. Logged instead.
  process.on('unhandledRejection', (reason) => connection.console.error(`unexpected error (the server goes on): ${stackOf(reason)}`));
  // The language server's own process: it may make full collections between pieces of work.
  const heap = v8Heap();
  startServer(connection, { collections: heap && new GarbageCollections(heap) });
}

/**
 * Everything written through the console goes to the client's log (window/logMessage): a stray
 * console.log or console.dir would corrupt the stdio protocol stream, and stderr may go unseen.
 * (vscode-languageserver does the same for --stdio it finds itself; ours is passed in.)
 */
export function routeConsoleTo(connection: Pick<Connection, 'console'>): void {
  const text = (args: unknown[]) => args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg))).join(' ');
  const log = (...args: unknown[]) => connection.console.log(text(args));
  sendParserOutputTo(log);
  console.log = log;
  console.info = log;
  console.debug = log;
  console.dirxml = log;
  console.dir = (value: unknown, options?: InspectOptions) => connection.console.log(inspect(value, options));
  console.warn = (...args: unknown[]) => connection.console.warn(text(args));
  console.error = (...args: unknown[]) => connection.console.error(text(args));
  console.trace = (...args: unknown[]) => {
    const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n');
    connection.console.log(`Trace${args.length > 0 ? `: ${text(args)}` : ''}\n${stack}`);
  };
  console.assert = (condition?: unknown, ...args: unknown[]) => {
    if (!condition) connection.console.error(`Assertion failed${args.length > 0 ? `: ${text(args)}` : ''}`);
  };
}
