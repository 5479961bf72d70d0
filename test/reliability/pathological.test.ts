/**
 * Pathological files through the real language server (JSON-RPC over in-memory streams) and, for
 * bytes a client cannot send (invalid UTF-8), through the CLI: each is answered with exact
 * diagnostics, and right after it the server still answers a hover on another small document.
 * Times are printed, not asserted.
 */
import * as assert from 'assert';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { clientOn, rangeText, startInMemory, summarize, TestClient } from '../lsp/client';
import { measured, ms, timed } from './measure';

const RANDOM = 'information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process';
const NEXTVAL = 'warning unsafe-function: pg_catalog.nextval(regclass) is PARALLEL UNSAFE: no part of this statement can use parallel workers';
const SMALL = 'file:///pathological/small.sql';

describe('reliability: pathological files through the language server', function () {
  this.timeout(120_000);
  let client: TestClient;
  let large: TestClient;
  let count = 0;

  before(async () => {
    client = await startInMemory();
    large = await startInMemory({ initializationOptions: { settings: { maxFileSize: 20_000_000 } } });
    for (const c of [client, large]) await c.open(SMALL, "SELECT nextval('s');\n");
  });

  after(async () => {
    for (const c of [client, large]) {
      await c.shutdown();
      c.dispose();
    }
  });

  /** Opens the text, pulls its diagnostics (timed), then proves the server still answers a hover elsewhere. */
  async function diagnose(label: string, text: string, on = client): Promise<Diagnostic[]> {
    const uri = `file:///pathological/${++count}.sql`;
    const { value: diagnostics, ms: took } = await timed(async () => {
      await on.open(uri, text);
      return on.diagnostics(uri);
    });
    const { value: hover, ms: hoverMs } = await timed(() => on.hover(SMALL, { line: 0, character: 9 }));
    measured(label, `${text.length.toLocaleString('en')} UTF-16 units, diagnostics in ${ms(took)}, then a hover elsewhere in ${ms(hoverMs)}`);
    assert.ok(hover?.range, 'the hover after it');
    assert.strictEqual(rangeText(hover.range), '0:7-0:14');
    assert.match((hover.contents as { value: string }).value, /^```sql\npg_catalog\.nextval\(regclass\) → bigint\n```/);
    await on.close(uri);
    return diagnostics;
  }

  it('a 10 MB single line over maxFileSize: one note, no analysis', async () => {
    const text = `SELECT random(), '${'x'.repeat(10 * 2 ** 20 - 34)}', nextval('s');`;
    assert.deepStrictEqual(summarize(await diagnose('10 MB line, default maxFileSize', text)), [
      '0:0-0:0 information file-too-large: not analysed: the document is 10 MB, larger than pgParallelHints.maxFileSize (5 MB)',
    ]);
  });

  it('a 10 MB single line under a raised maxFileSize: analysed, with ranges ten million characters in', async () => {
    const text = `SELECT random(), '${'x'.repeat(10_000_000)}', nextval('s');`;
    assert.deepStrictEqual(summarize(await diagnose('10 MB line, maxFileSize 20 MB', text, large)), [`0:10000021-0:10000028 ${NEXTVAL}`, `0:7-0:13 ${RANDOM}`]);
  });

  it('a 1 MB line of 62,500 statements: one diagnostic per statement, the last one exact', async () => {
    const text = 'SELECT random();'.repeat(62_500);
    const diagnostics = summarize(await diagnose('1 MB line of 62,500 statements', text));
    assert.strictEqual(diagnostics.length, 62_500);
    assert.strictEqual(diagnostics[62_499], `0:999991-0:999997 ${RANDOM}`);
  });

  it('50,000 nested parentheses: the grammar gives up where PostgreSQL does, the next statement is still checked', async () => {
    const text = `SELECT ${'('.repeat(50_000)}1${')'.repeat(50_000)};\nSELECT random();\n`;
    assert.deepStrictEqual(summarize(await diagnose('50,000 nested parentheses', text)), [
      '0:10003-0:10004 hint syntax-error: the statement does not parse (memory exhausted at or near "("): only the calls found by the scanner were checked',
      `1:7-1:13 ${RANDOM}`,
    ]);
  });

  it('an unterminated dollar quote at the start of a 1 MB file: one short message over the whole file', async () => {
    const text = `$$\n${'SELECT random();\n'.repeat(60_000)}`;
    assert.deepStrictEqual(summarize(await diagnose('unterminated $$ at the start of 60,000 lines', text)), [
      '0:0-60001:0 hint syntax-error: the statement does not parse (unterminated dollar-quoted string at or near "$$…"): only the calls found by the scanner were checked',
    ]);
  });

  it('an unterminated string: the message quotes its first 40 characters, and the calls before it are still checked', async () => {
    const text = `SELECT random(), 'abc${'x'.repeat(100_000)}`;
    assert.deepStrictEqual(summarize(await diagnose('unterminated quote before 100,000 characters', text)), [
      '0:7-0:13 information restricted-function: random: all 4 possible overloads are PARALLEL RESTRICTED (argument types unknown), e.g. pg_catalog.random(): it runs only in the leader process',
      `0:17-0:100021 hint syntax-error: the statement does not parse (unterminated quoted string at or near "'abc${'x'.repeat(36)}…"): only the calls found by the scanner were checked`,
    ]);
  });

  it('an unterminated comment at the start of a 1 MB file: everything is a comment, nothing is reported', async () => {
    const text = `/*\n${'SELECT random();\n'.repeat(60_000)}`;
    assert.deepStrictEqual(summarize(await diagnose('unterminated /* at the start of 60,000 lines', text)), []);
  });

  it('NUL bytes: reported as PostgreSQL would refuse them, calls around them still found', async () => {
    const text = "SELECT random()\u0000, nextval('s');\nSELECT random();\u0000";
    assert.deepStrictEqual(summarize(await diagnose('NUL bytes', text)), [
      `0:18-0:25 ${NEXTVAL}`,
      '0:7-0:13 information restricted-function: random: all 4 possible overloads are PARALLEL RESTRICTED (argument types unknown), e.g. pg_catalog.random(): it runs only in the leader process',
      '0:15-0:16 hint syntax-error: the statement does not parse (it contains a NUL byte, which PostgreSQL rejects): only the calls found by the scanner were checked',
      `1:7-1:13 ${RANDOM}`,
      '1:16-1:17 hint syntax-error: the statement does not parse (it contains a NUL byte, which PostgreSQL rejects): only the calls found by the scanner were checked',
    ]);
  });

  it('CRLF, lone CR and LF line ends mixed: each ends a line', async () => {
    const text = "SELECT 1;\r\nSELECT random();\rSELECT now(), random();\r\n\nSELECT nextval('s');";
    assert.deepStrictEqual(summarize(await diagnose('mixed line ends', text)), [`1:7-1:13 ${RANDOM}`, `2:14-2:20 ${RANDOM}`, `4:7-4:14 ${NEXTVAL}`]);
  });

  it('surrogate pairs before a call: columns count UTF-16 units, a pair is two', async () => {
    const text = "SELECT '😀😀', random();\n/* 𝔘 */ SELECT 𐀀x, nextval('s');";
    assert.deepStrictEqual(summarize(await diagnose('surrogate pairs', text)), [`0:15-0:21 ${RANDOM}`, `1:21-1:28 ${NEXTVAL}`]);
  });
});

describe('reliability: invalid UTF-8 through the CLI', function () {
  this.timeout(30_000);
  let dir: string;

  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-utf8-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports the file that is not UTF-8 and still checks the others', () => {
    fs.writeFileSync(path.join(dir, 'broken.sql'), Buffer.concat([Buffer.from("SELECT '"), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from("', random();\n")]));
    fs.writeFileSync(path.join(dir, 'fine.sql'), "SELECT 'é😀', nextval('s');\n");
    const bin = path.join(__dirname, '..', '..', '..', 'bin', 'pg-parallel-hints.js');
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin, 'check', '--no-db', '--format', 'json', 'broken.sql', 'fine.sql'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });
    measured('CLI on an invalid UTF-8 file and a valid one', ms(performance.now() - started));
    assert.strictEqual(run.stderr, 'pg-parallel-hints: broken.sql: not valid UTF-8 text\n');
    assert.deepStrictEqual(JSON.parse(run.stdout), {
      files: [
        { file: 'broken.sql', statements: [], error: 'not valid UTF-8 text' },
        {
          file: 'fine.sql',
          statements: [
            {
              line: 1,
              endLine: 1,
              parallel: 'unsafe',
              reasons: [{ code: 'unsafe-function', severity: 'warning', message: NEXTVAL.slice('warning '.length).replace(/^unsafe-function: /, ''), line: 1, column: 15, endLine: 1, endColumn: 22 }],
            },
          ],
        },
      ],
    });
    assert.strictEqual(run.status, 2);
  });
});

describe('reliability: a statement that exhausts the parser\'s memory, in real processes', function () {
  // The WebAssembly parser runs out of its 1 GB for a 4.9 MB select list of 2,450,000 columns and prints
  // PostgreSQL's "Terminating process due to FATAL error", which must not land on stdout.
  this.timeout(120_000);
  const bin = path.join(__dirname, '..', '..', '..', 'bin', 'pg-parallel-hints.js');
  const hungry = `SELECT ${Array(2_450_000).fill('a').join(',')} FROM pg_class;\nSELECT random();\n`;
  const tooLarge = 'the statement does not parse (the statement is too large for the parser: it ran out of memory): only the calls found by the scanner were checked';
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-hungry-'));
    fs.writeFileSync(path.join(dir, 'hungry.sql'), hungry);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('CLI: the JSON on stdout stays JSON, the parser\'s line goes to stderr, the next statement is checked', () => {
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin, 'check', '--no-db', '--format', 'json', 'hungry.sql'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH }, maxBuffer: 64e6 });
    measured('CLI on a statement that exhausts the parser', ms(performance.now() - started));
    const statements = JSON.parse(run.stdout).files[0].statements;
    assert.deepStrictEqual(statements[0].reasons.map((r: { message: string }) => r.message), [tooLarge]);
    assert.strictEqual(statements[1].parallel, 'restricted');
    assert.match(run.stderr, /Terminating process due to FATAL error/);
  });

  let child: ChildProcess | undefined;
  // Also when a test times out (a broken stream is never answered), so that the run can end.
  afterEach(() => child?.kill());

  it('lsp --stdio: the JSON-RPC stream stays intact for a strict client, and the next document is answered', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'], env: { PATH: process.env.PATH } });
    const client = clientOn(child.stdout!, child.stdin!);
    await client.initialize();
    const uri = 'file:///hungry/hungry.sql';
    await client.open(uri, hungry);
    const diagnostics = await client.diagnostics(uri);
    assert.deepStrictEqual(
      diagnostics.map((d) => d.message),
      [tooLarge, 'pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process'],
    );
    await client.open('file:///hungry/after.sql', 'SELECT random();\n');
    assert.deepStrictEqual(summarize(await client.diagnostics('file:///hungry/after.sql')), [`0:7-0:13 ${RANDOM}`]);
    await client.shutdown();
    client.dispose();
  });
});
