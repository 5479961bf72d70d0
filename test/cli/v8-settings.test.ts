/**
 * The V8 settings the product's processes give themselves at start (server/src/quick-start.ts), seen
 * from inside the real processes: `pg-parallel-hints check` and `pg-parallel-hints lsp --stdio`,
 * started with a preloaded probe (`node --require`) that reports the young generation's size when the
 * process exits. Analysing a large document keeps every statement's result, so without the setting
 * V8 grows the young generation towards its limit (16 MB and more in these runs).
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clientOn } from '../lsp/client';

const bin = path.join(__dirname, '..', '..', '..', 'bin', 'pg-parallel-hints.js');

const PROBE = `
const v8 = require('v8');
const young = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
const start = young();
process.on('exit', () => process.stderr.write('young generation: ' + start + ' -> ' + young() + '\\n'));
`;

/** 2,000 statements (about 150 KB), each calling functions, so that every result is kept. */
function largeSql(): string {
  let sql = '';
  for (let i = 0; i < 2000; i++) sql += `SELECT random() + ${i}, abs(x) FROM generate_series(1, ${i}) AS x WHERE x > ${i % 7};\n`;
  return sql;
}

/** The probe's report: the young generation's size when the process started and when it exited. */
function youngGeneration(stderr: string): { start: number; end: number } {
  const m = /young generation: (\d+) -> (\d+)/.exec(stderr);
  assert.ok(m, `no probe report in the process's stderr: ${JSON.stringify(stderr)}`);
  return { start: Number(m[1]), end: Number(m[2]) };
}

describe('V8 settings of the product processes (quick-start.ts)', function () {
  this.timeout(60_000);
  let dir: string;
  let probe: string;
  let file: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-v8-'));
    probe = path.join(dir, 'probe.js');
    fs.writeFileSync(probe, PROBE);
    file = path.join(dir, 'large.sql');
    fs.writeFileSync(file, largeSql());
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const env = { ...process.env, PGHOST: '', PGDATABASE: '', DATABASE_URL: '', NODE_OPTIONS: '' };

  it('check: the young generation keeps its two starting halves while a large file is analysed', async () => {
    const child = spawn(process.execPath, ['--require', probe, bin, 'check', '--pg-version', '18', file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.match(stdout, /2000 statements in 1 file: 2000 restricted; 0 failing/);
    assert.strictEqual(code, 0, stderr);
    const { start, end } = youngGeneration(stderr);
    assert.ok(end <= 2 * start, `the young generation grew from ${start} to ${end} bytes`);
  });

  it('lsp --stdio: the same after the first diagnostics of a large document', async () => {
    const child = spawn(process.execPath, ['--require', probe, bin, 'lsp', '--stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const client = clientOn(child.stdout!, child.stdin!);
    try {
      await client.initialize();
      const uri = 'file:///nowhere/large.sql';
      await client.open(uri, largeSql());
      assert.strictEqual((await client.diagnostics(uri)).length, 2000);
      await client.shutdown();
      await client.rpc.sendNotification('exit');
      assert.strictEqual(await exited, 0);
    } finally {
      client.dispose();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const { start, end } = youngGeneration(stderr);
    assert.ok(end <= 2 * start, `the young generation grew from ${start} to ${end} bytes`);
  });
});
