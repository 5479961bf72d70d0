/** The bundled language server (dist/server.js): started by the VS Code client or any editor with --stdio (or --node-ipc). */
import { divertParserOutput } from './parser-output';
import { tuneForQuickStart } from './quick-start';

// Before the server's modules load: loading them allocates enough for V8 to grow its young
// generation, which the settings keep at its starting size (cli-entry.ts does the same).
tuneForQuickStart();
// Before the parser is required: what it prints must never reach stdout, the protocol's stream.
divertParserOutput();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runLanguageServer } = require('./main') as typeof import('./main');
// A client that cannot be reached: one line on stderr (the CLI's words) and a failing exit code;
// anything else is a bug, said with its stack.
runLanguageServer().catch((error: unknown) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TransportError } = require('./lsp-transport') as typeof import('./lsp-transport');
  process.stderr.write(`pg-parallel-hints: ${error instanceof TransportError ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(2);
});
