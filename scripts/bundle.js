#!/usr/bin/env node
'use strict';
/**
 * Bundles the extension for the .vsix: dist/client.js (VS Code side) and dist/server.js (the
 * language server and CLI engine), with the parser's WebAssembly beside them. Catalog queries and
 * built-in catalogs ship as files (see .vscodeignore) and are found from the package root.
 * And dist/cli.js, the CLI the bin runs (not in the .vsix): one file starts sooner than out/'s modules.
 */
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const production = !process.argv.includes('--dev');

async function bundle() {
  fs.rmSync(dist, { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    // pg optionally requires pg-native; it is never installed.
    external: ['vscode', 'pg-native'],
  };
  await esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'client.js') });
  await esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/lsp-entry.ts')], outfile: path.join(dist, 'server.js') });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(root, 'server/src/cli-entry.ts')],
    outfile: path.join(dist, 'cli.js'),
    // tinyglobby's ESM build (chosen for our `import`) reads import.meta.url, which a CommonJS bundle lacks.
    banner: { js: 'const __bundleUrl = require("url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__bundleUrl' },
  });
  // libpg-query loads its .wasm from the directory of the script that contains it.
  fs.copyFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm', { paths: [root] }), path.join(dist, 'libpg-query.wasm'));
  for (const file of fs.readdirSync(dist)) {
    process.stdout.write(`dist/${file}: ${(fs.statSync(path.join(dist, file)).size / 1024).toFixed(0)} kB\n`);
  }
}

bundle().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
