/**
 * The language server's entry point. vscode-languageserver picks the transport from the command line
 * (--stdio, --node-ipc, --socket=N); stdout belongs to the protocol, so nothing else writes there.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

export function runLanguageServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  // A stray console.log would corrupt the stdio protocol stream: route it to the client's log.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  startServer(connection);
}
