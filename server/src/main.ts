/**
 * The language server's entry point. vscode-languageserver picks the transport from the command line
 * (--stdio, --node-ipc, --socket=N); stdout belongs to the protocol, so nothing else writes there.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { diagnosticsAwareWriter } from './lsp-transport';
import { startServer } from './server';

export function runLanguageServer(): void {
  // Over stdio, messages go through our writer (diagnostics already sent are not serialised again);
  // stdin stays a stream, so the library still exits when the editor closes it. The library takes a
  // stream and a writer together at run time; its typings list only matching pairs, hence the cast.
  const connection = process.argv.includes('--stdio')
    ? createConnection(ProposedFeatures.all, process.stdin, diagnosticsAwareWriter(process.stdout) as unknown as NodeJS.WritableStream)
    : createConnection(ProposedFeatures.all);
  // A stray console.log would corrupt the stdio protocol stream: route it to the client's log.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  console.debug = console.log;
  startServer(connection);
}
