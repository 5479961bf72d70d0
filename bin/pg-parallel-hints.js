#!/usr/bin/env node
'use strict';
// The CLI: its bundle, dist/cli.js, or the compiled tree in out/ (both built by `npm install`
// through `prepare`; server/src/cli-entry.ts is the entry of both).
const fs = require('fs');
const path = require('path');

/**
 * The bundle starts about 100 ms sooner (one file instead of a hundred modules to find and
 * compile), so it runs whenever it is at least as new as the last compile: after an edit and a
 * `tsc -b` (which rewrites its build info), out/ runs until the bundle is made again.
 */
function entry(root) {
  const bundle = path.join(root, 'dist', 'cli.js');
  const compiled = path.join(root, 'out', 'server', 'src', 'cli-entry.js');
  const modified = (file) => {
    try {
      return fs.statSync(file).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const bundleTime = modified(bundle);
  const compileTime = modified(path.join(root, 'out', 'server', 'tsconfig.tsbuildinfo'));
  if (bundleTime === undefined) return compiled;
  return compileTime === undefined || bundleTime >= compileTime ? bundle : compiled;
}

if (require.main === module) require(entry(path.join(__dirname, '..')));
module.exports = { entry };
