/**
 * The test reporter: mocha's spec output, plus a JSON summary (per test file) written to
 * PGPH_TEST_REPORT when the run ends. scripts/test.js reads it to prove that the run reached its
 * end and that every test file ran tests: a run cut short by a stray process.exit() leaves no file.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha = require('mocha');

interface Summary {
  passed: number;
  failed: number;
  pending: number;
  files: Record<string, number>;
}

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const file = process.env.PGPH_TEST_REPORT;
    if (!file) return;
    const summary: Summary = { passed: 0, failed: 0, pending: 0, files: {} };
    const count = (test: Mocha.Runnable) => {
      const source = test.file ? path.relative(process.cwd(), test.file) : '(root hooks)';
      summary.files[source] = (summary.files[source] ?? 0) + 1;
    };
    runner.on('pass', (test) => (summary.passed++, count(test)));
    runner.on('fail', (test) => (summary.failed++, count(test)));
    runner.on('pending', (test) => (summary.pending++, count(test)));
    runner.on('end', () => fs.writeFileSync(file, JSON.stringify(summary)));
  }
}

export = SpecWithSummary;
