/** The CLI's entry (bin/pg-parallel-hints.js runs it, or dist/cli.js, the bundle made from it). */
import { divertParserOutput } from './parser-output';
import { tuneForQuickStart } from './quick-start';

// First, before anything is parsed: V8 settings for a quick first pass.
tuneForQuickStart();
// And before the parser is required: what it prints goes to stderr (or the language server's log),
// never into stdout's JSON, SARIF or JSON-RPC.
divertParserOutput();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { main } = require('./cli') as typeof import('./cli');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pg-parallel-hints: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
