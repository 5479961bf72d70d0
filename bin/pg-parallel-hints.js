#!/usr/bin/env node
'use strict';
// The CLI entry: the compiled CLI lives in out/ (built by `npm install` through `prepare`).
// A CLI run parses each file once: see compileParserForQuickStart.
require('../out/server/src/core/parse.js').compileParserForQuickStart();
require('../out/server/src/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`pg-parallel-hints: ${error && error.message ? error.message : error}\n`); process.exitCode = 2; }
);
