/**
 * The V8 settings the product's processes give themselves at start (server/src/quick-start.ts), seen
 * from inside the real processes: `pg-parallel-hints check`, `pg-parallel-hints lsp --stdio`, and the
 * language server's own entry as the VS Code client starts it (`lsp-entry.js`, which the bundle is
 * built from), each started with a preloaded probe (`node --require`) that reports the young
 * generation's size when the process exits. Analysing a large document keeps every statement's
 * result, so without the setting V8 grows the young generation from 1 to 16 MB in these runs.
 */
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clientOn } from '../lsp/client';

const root = path.join(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'pg-parallel-hints.js');
const serverEntry = path.join(root, 'out', 'server', 'src', 'lsp-entry.js');

// Written synchronously: the language server ends with process.exit, and a write to a pipe from an
// exit handler may not be flushed otherwise.
const PROBE = `
const fs = require('fs');
const v8 = require('v8');
const young = () => {
  const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
  return space ? space.space_size : -1;
};
const start = young();
process.on('exit', () => fs.writeSync(2, 'young generation: ' + start + ' -> ' + young() + '\\n'));
`;

/** 2,000 statements (about 150 KB), each calling functions, so that every result is kept. */
const LARGE_SQL = Array.from({ length: 2000 }, (_, i) => `SELECT random() + ${i}, abs(x) FROM generate_series(1, ${i}) AS x WHERE x > ${i % 7};\n`).join('');

/**
 * The probe's report. At start V8 has committed one half of the young generation; after the first
 * collection both halves of the starting size are, so twice the start is the size kept.
 */
function assertYoungGenerationKept(stderr: string): void {
  assert.doesNotMatch(stderr, /unrecognized flag/);
  const m = /young generation: (-?\d+) -> (-?\d+)/.exec(stderr);
  assert.ok(m, `no probe report in the process's stderr: ${JSON.stringify(stderr)}`);
  const [start, end] = [Number(m[1]), Number(m[2])];
  assert.ok(start > 0, 'this V8 reports no new_space: the probe needs updating');
  assert.ok(end <= 2 * start, `the young generation grew from ${start} to ${end} bytes`);
}

/** Resolves once the process has exited and its output pipes are closed (all of stderr read). */
function closed(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

describe('V8 settings of the product processes (quick-start.ts)', function () {
  this.timeout(60_000);
  let dir: string;
  let probe: string;
  let file: string;
  let child: ChildProcess | undefined;
  // No PG* variables or DATABASE_URL from the machine: these runs use the built-in catalog.
  const env = { PATH: process.env.PATH };

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-v8-'));
    probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, PROBE);
    file = path.join(dir, 'large.sql');
    fs.writeFileSync(file, LARGE_SQL);
  });

  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('check: the young generation keeps its starting size while a large file is analysed', async () => {
    child = spawn(process.execPath, ['--require', probe, bin, 'check', '--no-db', '--pg-version', '18', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const code = await closed(child);
    assert.match(stdout, /2000 statements in 1 file: 2000 restricted; 0 failing/);
    assert.strictEqual(code, 0, stderr);
    assertYoungGenerationKept(stderr);
  });

  for (const [name, args] of [
    ['pg-parallel-hints lsp --stdio', [bin, 'lsp', '--stdio']],
    ['the server entry the VS Code client starts (lsp-entry.js --stdio)', [serverEntry, '--stdio']],
  ] as const) {
    it(`${name}: the same after the first diagnostics of a large document`, async () => {
      child = spawn(process.execPath, ['--require', probe, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += d));
      const done = closed(child);
      const client = clientOn(child.stdout!, child.stdin!);
      try {
        await client.initialize();
        const uri = 'file:///nowhere/large.sql';
        await client.open(uri, LARGE_SQL);
        assert.strictEqual((await client.diagnostics(uri)).length, 2000);
        await client.shutdown();
        await client.rpc.sendNotification('exit');
        assert.strictEqual(await done, 0);
      } finally {
        client.dispose();
      }
      assertYoungGenerationKept(stderr);
    });
  }
});
