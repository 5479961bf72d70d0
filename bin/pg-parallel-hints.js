#!/usr/bin/env node
'use strict';
// The CLI entry: the compiled CLI lives in out/ (built by `npm install` through `prepare`).
// First, before anything is parsed: V8 settings for a quick first pass (server/src/quick-start.ts).
require('../out/server/src/quick-start.js').tuneForQuickStart();
// And before the parser is required: what it prints goes to stderr (or the language server's log),
// never into stdout's JSON, SARIF or JSON-RPC (server/src/parser-output.ts).
require('../out/server/src/parser-output.js').divertParserOutput();
require('../out/server/src/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`pg-parallel-hints: ${error && error.message ? error.message : error}\n`); process.exitCode = 2; }
);
