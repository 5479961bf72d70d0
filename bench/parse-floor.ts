/**
 * Child process of `npm run bench`: the parser alone, cold, on a file given as the argument, with the
 * V8 settings of our language server (tuneForQuickStart). Loads libpg-query, splits the file with
 * our splitter, parses each statement once and prints a line. The parent times it from spawn to that
 * line, on the clock of the LSP figures' "spawn to first diagnostics": a language server built on
 * this parser cannot give first diagnostics sooner (Node's start, the WebAssembly module's load, and
 * every statement parsed by code that is not warmed up yet).
 */
import * as fs from 'fs';
import { loadModule, parseSync } from 'libpg-query';
import { tuneForQuickStart } from '../server/src/quick-start';
import { splitStatements } from '../server/src/core/split';
import { messageOf } from '../server/src/error-message';

async function main(): Promise<void> {
  tuneForQuickStart();
  const text = fs.readFileSync(process.argv[2], 'utf8');
  await loadModule();
  let parsed = 0;
  for (const slice of splitStatements(text)) {
    if (slice.kind !== 'sql') continue;
    try {
      parseSync(text.slice(slice.start, slice.end));
      parsed++;
    } catch {
      // a statement with a syntax error is parsed too, up to the error
    }
  }
  process.stdout.write(JSON.stringify({ parsed }) + '\n');
}

main().catch((error) => {
  process.stderr.write(`${messageOf(error)}\n`);
  process.exit(1);
});
