#!/usr/bin/env node
'use strict';
/**
 * `npm test` (after `tsc -b`): runs every suite and proves that it ran.
 *  1. all compiled tests (out/test/**), end to end excluded, against PostgreSQL 18;
 *  2. the database and differential suites again against PostgreSQL 15.
 * Mocha runs as a child process, so a stray process.exit() cannot fake success; a JSON report per
 * run shows that the run reached its end, that every test file contributed tests, and how many
 * passed. Prints `N passed, N failed` and exits non-zero if anything failed or did not run.
 * A run that hangs (a test waiting forever, or mocha kept alive by a leaked handle) is terminated
 * and counted as a failure; compiled tests whose .ts source is gone are skipped with a note.
 * Developers may pass folders or files to run a subset: `node scripts/test.js out/test/core`.
 */
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const out = path.join(root, 'out', 'test');
/** After its last test, mocha must exit on its own; if it does not, something leaked a handle. */
const EXIT_GRACE_MS = 30_000;
/** A test that waits forever with this.timeout(0) must not hang CI either. */
const RUN_LIMIT_MS = Number(process.env.PGPH_TEST_RUN_LIMIT_MS) || 15 * 60_000;

/** out/ mirrors the repository (rootDir ".."), so a compiled test whose source is gone is stale. */
function sourceOf(compiled) {
  return path.join(root, path.relative(path.join(root, 'out'), compiled)).replace(/\.js$/, '.ts');
}

const stale = [];
function testFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  if (fs.statSync(dir).isFile()) return [dir];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'e2e' ? [] : testFiles(full);
    if (!entry.name.endsWith('.test.js')) return [];
    if (!fs.existsSync(sourceOf(full))) {
      stale.push(full);
      return [];
    }
    return [full];
  });
}

function runMocha(label, files, env) {
  if (files.length === 0) return Promise.resolve({ label, passed: 0, failed: 0, pending: 0, problems: [`${label}: no test files`] });
  const reportFile = path.join(root, 'out', `test-report-${label.replace(/\W+/g, '-')}.json`);
  fs.rmSync(reportFile, { force: true });
  process.stdout.write(`\n=== ${label}: ${files.length} test files ===\n`);
  const mocha = require.resolve('mocha/bin/mocha.js');
  const child = spawn(process.execPath, [mocha, '--reporter', path.join(root, 'out/test/harness/reporter.js'), ...files.map((f) => path.relative(root, f))], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env, PGPH_TEST_REPORT: reportFile },
  });
  const problems = [];
  // The reporter writes its file when the run ends; from then on mocha gets a grace period to exit.
  let hung;
  let killTimer;
  const terminate = (why) => {
    if (hung) return;
    hung = why;
    child.kill('SIGTERM'); // lets the harness stop its PostgreSQL servers
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  };
  const limit = setTimeout(() => terminate(`did not finish within ${RUN_LIMIT_MS / 1000} s`), RUN_LIMIT_MS);
  const watch = setInterval(() => {
    if (killTimer || !fs.existsSync(reportFile)) return;
    killTimer = setTimeout(() => terminate(`did not exit within ${EXIT_GRACE_MS / 1000} s of its last test (a handle was left open)`), EXIT_GRACE_MS);
  }, 250);
  return new Promise((resolve) => {
    child.on('exit', (status, signal) => {
      clearInterval(watch);
      clearTimeout(killTimer);
      clearTimeout(limit);
      if (hung) problems.push(`${label}: mocha ${hung}`);
      let report;
      try {
        report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
      } catch {
        problems.push(`${label}: the run did not reach its end (no report; mocha exit ${status}, signal ${signal})`);
        return resolve({ label, passed: 0, failed: 0, pending: 0, problems });
      }
      for (const file of files) {
        const rel = path.relative(root, file);
        if (!report.files[rel]) problems.push(`${label}: ${rel} ran no test`);
      }
      if (status !== 0 && report.failed === 0 && !hung) problems.push(`${label}: mocha exited with ${status ?? signal}`);
      resolve({ label, passed: report.passed, failed: report.failed, pending: report.pending, problems });
    });
  });
}

async function main() {
  const requested = process.argv.slice(2).map((p) => path.resolve(root, p));
  const all = (requested.length ? requested : [out]).flatMap(testFiles).sort();
  const databaseSuites = all.filter((f) => /[\\/]out[\\/]test[\\/](db|differential)[\\/]/.test(f));

  const runs = [await runMocha('PostgreSQL 18', all, { PGPH_TEST_PG_MAJOR: '18' })];
  if (databaseSuites.length > 0) runs.push(await runMocha('PostgreSQL 15', databaseSuites, { PGPH_TEST_PG_MAJOR: '15' }));

  const passed = runs.reduce((n, r) => n + r.passed, 0);
  const failed = runs.reduce((n, r) => n + r.failed, 0);
  const skipped = runs.reduce((n, r) => n + r.pending, 0);
  const problems = runs.flatMap((r) => r.problems);
  process.stdout.write('\n');
  for (const file of stale) process.stdout.write(`note: skipped ${path.relative(root, file)} (its source ${path.relative(root, sourceOf(file))} is gone)\n`);
  for (const r of runs) process.stdout.write(`${r.label}: ${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} skipped` : ''}\n`);
  for (const p of problems) process.stdout.write(`problem: ${p}\n`);
  process.stdout.write(`${passed} passed, ${failed + problems.length} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  process.exit(failed > 0 || problems.length > 0 || passed === 0 ? 1 : 0);
}

main();
