/**
 * The CLI as CI uses it: real files on disk, the real process for exit codes, the JSON contract of
 * DESIGN.md, SARIF, and clear errors for bad files and databases that refuse us.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { startPostgres, testCluster } from '../harness/postgres';
import { cli, root, run, runWithClosedStdout } from './command';


describe('cli: check', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-cli-'));
    fs.writeFileSync(
      path.join(dir, 'queries.sql'),
      [
        'CREATE FUNCTION slow(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;',
        '',
        'SELECT count(*)',
        'FROM pg_class',
        'WHERE slow(relpages) > 1;',
        'SELECT random();',
      ].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'clean.sql'), 'SELECT 1;\nSELECT now();\n');
    fs.writeFileSync(path.join(dir, 'binary.sql'), Buffer.from([0x53, 0x45, 0x00, 0x01]));
    fs.writeFileSync(path.join(dir, 'latin1.sql'), Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0x27, 0xe9, 0x27]));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON contract of DESIGN.md, with every statement', async () => {
    const { code, stdout, stderr } = await cli(['check', '--format', 'json', 'queries.sql'], dir);
    assert.strictEqual(stderr, '');
    assert.strictEqual(code, 1);
    assert.deepStrictEqual(JSON.parse(stdout), {
      files: [
        {
          file: 'queries.sql',
          statements: [
            {
              line: 1,
              endLine: 1,
              parallel: 'none',
              reasons: [
                {
                  code: 'function-could-be-safe',
                  severity: 'information',
                  message: 'public.slow(x integer) has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL SAFE',
                  line: 1,
                  column: 17,
                  endLine: 1,
                  endColumn: 21,
                },
              ],
            },
            {
              line: 3,
              endLine: 5,
              parallel: 'unsafe',
              reasons: [
                {
                  code: 'unsafe-function',
                  severity: 'warning',
                  message: 'public.slow(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
                  line: 5,
                  column: 7,
                  endLine: 5,
                  endColumn: 11,
                },
              ],
            },
            {
              line: 6,
              endLine: 6,
              parallel: 'restricted',
              reasons: [
                {
                  code: 'restricted-function',
                  severity: 'information',
                  message: 'pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
                  line: 6,
                  column: 8,
                  endLine: 6,
                  endColumn: 14,
                },
              ],
            },
          ],
        },
      ],
    });
  });

  it('prints compiler-style text with a summary line', async () => {
    const { code, stdout } = await cli(['check', 'queries.sql'], dir);
    assert.strictEqual(code, 1);
    assert.strictEqual(
      stdout,
      [
        'queries.sql:1:17: information: public.slow(x integer) has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL SAFE [function-could-be-safe]',
        'queries.sql:5:7: warning: public.slow(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers [unsafe-function]',
        'queries.sql:6:8: information: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process [restricted-function]',
        '3 statements in 1 file: 1 restricted, 1 unsafe, 1 none; 1 failing',
        '',
      ].join('\n'),
    );
  });

  it('leaves psql meta-commands out of the report and the count', async () => {
    fs.writeFileSync(path.join(dir, 'script.sql'), '\\set lim 10\nSELECT 1;\n\\i other.sql\n');
    const { code, stdout } = await cli(['check', '--format', 'json', 'script.sql'], dir);
    assert.strictEqual(code, 0);
    assert.deepStrictEqual(JSON.parse(stdout).files[0].statements, [{ line: 2, endLine: 2, parallel: 'safe', reasons: [] }]);
    assert.strictEqual((await cli(['check', 'script.sql'], dir)).stdout, '1 statement in 1 file: 1 safe; 0 failing\n');
  });

  it('--fail-on decides the exit code', async () => {
    assert.strictEqual((await cli(['check', '--fail-on', 'never', 'queries.sql'], dir)).code, 0);
    assert.strictEqual((await cli(['check', '--fail-on', 'unsafe', 'clean.sql'], dir)).code, 0);
    const restricted = await cli(['check', '--fail-on', 'restricted', 'queries.sql'], dir);
    assert.strictEqual(restricted.code, 1);
    assert.match(restricted.stdout, /; 2 failing\n$/);
  });

  it('writes SARIF 2.1.0', async () => {
    const { stdout } = await cli(['check', '--format', 'sarif', 'queries.sql'], dir);
    const sarif = JSON.parse(stdout);
    assert.strictEqual(sarif.version, '2.1.0');
    const results = sarif.runs[0].results;
    assert.strictEqual(results.length, 3);
    assert.deepStrictEqual(results[1], {
      ruleId: 'unsafe-function',
      level: 'warning',
      message: { text: 'public.slow(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers' },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'queries.sql' }, region: { startLine: 5, startColumn: 7, endLine: 5, endColumn: 11 } } }],
    });
    assert.deepStrictEqual(sarif.runs[0].tool.driver.rules.map((r: { id: string }) => r.id), ['function-could-be-safe', 'unsafe-function', 'restricted-function']);
  });

  it('definitions carry across files in the order given', async () => {
    fs.writeFileSync(path.join(dir, 'uses.sql'), 'SELECT slow(1);\n');
    const { stdout } = await cli(['check', '--format', 'json', 'queries.sql', 'uses.sql'], dir);
    assert.strictEqual(JSON.parse(stdout).files[1].statements[0].parallel, 'unsafe');
    const alone = await cli(['check', '--format', 'json', 'uses.sql'], dir);
    assert.strictEqual(JSON.parse(alone.stdout).files[0].statements[0].parallel, 'unknown');
  });

  it('expands globs', async () => {
    const { stdout } = await cli(['check', '--format', 'json', 'c*.sql', 'q*.sql'], dir);
    assert.deepStrictEqual(JSON.parse(stdout).files.map((f: { file: string }) => f.file), ['clean.sql', 'queries.sql']);
  });

  it('expands globs whose wildcards stand above the working directory, as the pattern spells them', async () => {
    const deeper = path.join(dir, 'sub', 'deeper');
    fs.mkdirSync(deeper, { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'inner.sql'), 'SELECT 1;\n');
    const posixDir = dir.split(path.sep).join('/');
    const files = async (pattern: string) => JSON.parse((await cli(['check', '--format', 'json', pattern], deeper)).stdout).files.map((f: { file: string }) => f.file);
    try {
      assert.deepStrictEqual(await files('../../*/inner.sql'), ['../../sub/inner.sql']);
      assert.deepStrictEqual(await files(`${posixDir}/*/inner.sql`), [`${posixDir}/sub/inner.sql`]);
      assert.deepStrictEqual(await files('../../**/inner.sql'), ['../../sub/inner.sql']);
      assert.deepStrictEqual(await files('../*.sql'), ['../inner.sql']);
    } finally {
      fs.rmSync(path.join(dir, 'sub'), { recursive: true });
    }
  });

  it('binary, non-UTF-8, too large and missing files are errors (exit 2) that lose nothing else', async () => {
    const big = path.join(dir, 'big.sql');
    fs.writeFileSync(big, 'SELECT 1;\n'.repeat(120_000));
    const { code, stdout, stderr } = await cli(['check', '--format', 'json', '--max-file-size', '1', 'binary.sql', 'latin1.sql', 'big.sql', 'clean.sql'], dir);
    assert.strictEqual(code, 2);
    const files = JSON.parse(stdout).files;
    assert.deepStrictEqual(files.slice(0, 3), [
      { file: 'binary.sql', statements: [], error: 'binary file (NUL byte at offset 2): not SQL text' },
      { file: 'latin1.sql', statements: [], error: 'not valid UTF-8 text' },
      { file: 'big.sql', statements: [], error: 'file too large (1.1 MB; the limit is 1 MB, see --max-file-size)' },
    ]);
    assert.strictEqual(files[3].statements.length, 2);
    assert.strictEqual(
      stderr,
      [
        'pg-parallel-hints: binary.sql: binary file (NUL byte at offset 2): not SQL text',
        'pg-parallel-hints: latin1.sql: not valid UTF-8 text',
        'pg-parallel-hints: big.sql: file too large (1.1 MB; the limit is 1 MB, see --max-file-size)',
        '',
      ].join('\n'),
    );
    fs.rmSync(big);
  });

  it('a name, glob or directory that gives no file is a file error of its own: the other files are still checked and reported, in every format', async () => {
    fs.mkdirSync(path.join(dir, 'empty-dir'), { recursive: true });
    fs.symlinkSync(path.join(dir, 'gone.sql'), path.join(dir, 'dangling.sql'));
    try {
      const args = ['nothing-here.sql', 'nothing*.sql', 'empty-dir', 'dangling.sql', 'clean.sql'];
      const json = await cli(['check', '--format', 'json', ...args], dir);
      assert.strictEqual(json.code, 2);
      const files = JSON.parse(json.stdout).files;
      assert.deepStrictEqual(files.slice(0, 4), [
        { file: 'nothing-here.sql', statements: [], error: 'no such file' },
        { file: 'nothing*.sql', statements: [], error: 'no files match this pattern' },
        { file: 'empty-dir', statements: [], error: 'a directory with no .sql files' },
        { file: 'dangling.sql', statements: [], error: 'no such file' },
      ]);
      assert.strictEqual(files[4].file, 'clean.sql');
      assert.strictEqual(files[4].statements.length, 2);
      assert.strictEqual(
        json.stderr,
        [
          'pg-parallel-hints: nothing-here.sql: no such file',
          'pg-parallel-hints: nothing*.sql: no files match this pattern',
          'pg-parallel-hints: empty-dir: a directory with no .sql files',
          'pg-parallel-hints: dangling.sql: no such file',
          '',
        ].join('\n'),
      );
      const sarif = await cli(['check', '--format', 'sarif', ...args], dir);
      assert.strictEqual(sarif.code, 2);
      const invocation = JSON.parse(sarif.stdout).runs[0].invocations[0];
      assert.strictEqual(invocation.executionSuccessful, false);
      assert.deepStrictEqual(
        invocation.toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text),
        ['no such file', 'no files match this pattern', 'a directory with no .sql files', 'no such file'],
      );
      assert.strictEqual((await cli(['check', ...args], dir)).stdout, '2 statements in 1 file: 2 safe; 0 failing; 4 files not read\n');
    } finally {
      fs.rmSync(path.join(dir, 'empty-dir'), { recursive: true });
      fs.rmSync(path.join(dir, 'dangling.sql'));
    }
  });

  it('a FIFO or a device, named or found in a directory through a link, is a file error, never read', async function () {
    if (process.platform === 'win32') this.skip(); // no FIFOs or /dev/zero
    const special = path.join(dir, 'special');
    fs.mkdirSync(special);
    try {
      execFileSync('mkfifo', [path.join(special, 'pipe.sql')]);
      fs.symlinkSync('/dev/zero', path.join(special, 'zero.sql'));
      fs.writeFileSync(path.join(special, 'ok.sql'), 'SELECT 1;\n');
      const { code, stdout } = await cli(['check', '--format', 'json', 'special', path.join('special', 'pipe.sql')], dir);
      assert.strictEqual(code, 2);
      assert.deepStrictEqual(
        JSON.parse(stdout).files.map((f: { file: string; error?: string }) => [f.file, f.error ?? 'read']),
        [
          [path.join('special', 'ok.sql'), 'read'],
          [path.join('special', 'zero.sql'), 'not a regular file (a FIFO, device or socket): not read'],
          [path.join('special', 'pipe.sql'), 'not a regular file (a FIFO, device or socket): not read'],
        ],
      );
    } finally {
      fs.rmSync(special, { recursive: true });
    }
  });

  it('a limit under 0.1 MB is shown in bytes, never as 0 MB', () => {
    assert.deepStrictEqual(run(['check', '--max-file-size', '0.00001', 'clean.sql'], dir), {
      code: 2,
      stdout: '0 statements in 0 files; 0 failing; 1 file not read\n',
      stderr: 'pg-parallel-hints: clean.sql: file too large (24 bytes; the limit is 10 bytes, see --max-file-size)\n',
    });
    // Just over a limit: both sizes would read "1 MB", so they are given in bytes.
    fs.writeFileSync(path.join(dir, 'edge.sql'), `SELECT 1;${' '.repeat(1024 * 1024)}`);
    try {
      assert.strictEqual(run(['check', '--max-file-size', '1', 'edge.sql'], dir).stderr, 'pg-parallel-hints: edge.sql: file too large (1048585 bytes; the limit is 1048576 bytes, see --max-file-size)\n');
    } finally {
      fs.rmSync(path.join(dir, 'edge.sql'));
    }
  });

  it('text: the findings of a file by line and column, and a file error once, on stderr', () => {
    fs.writeFileSync(
      path.join(dir, 'order.sql'),
      'CREATE FUNCTION slow(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;\nSELECT random(), slow(relpages) FROM pg_class;\n',
    );
    assert.deepStrictEqual(run(['check', 'order.sql', 'binary.sql'], dir), {
      code: 2,
      stdout: [
        'order.sql:1:17: information: public.slow(x integer) has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL SAFE [function-could-be-safe]',
        'order.sql:2:8: information: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process [restricted-function]',
        'order.sql:2:18: warning: public.slow(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers [unsafe-function]',
        '2 statements in 1 file: 1 unsafe, 1 none; 1 failing; 1 file not read',
        '',
      ].join('\n'),
      stderr: 'pg-parallel-hints: binary.sql: binary file (NUL byte at offset 2): not SQL text\n',
    });
  });

  it('SARIF: URIs percent-encoded (file:// when absolute), unreadable files as tool execution notifications', () => {
    fs.mkdirSync(path.join(dir, 'dir with space'));
    fs.writeFileSync(path.join(dir, 'dir with space', 'ü.sql'), 'SELECT random();\n');
    const { code, stdout } = run(['check', '--format', 'sarif', 'dir with space/ü.sql', path.join(dir, 'dir with space', 'ü.sql'), 'binary.sql'], dir);
    assert.strictEqual(code, 2);
    const [sarifRun] = JSON.parse(stdout).runs;
    assert.deepStrictEqual(
      sarifRun.results.map((r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => r.locations[0].physicalLocation.artifactLocation.uri),
      ['dir%20with%20space/%C3%BC.sql', `file://${dir}/dir%20with%20space/%C3%BC.sql`],
    );
    assert.deepStrictEqual(sarifRun.invocations, [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'binary file (NUL byte at offset 2): not SQL text' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'binary.sql' } } }] },
        ],
      },
    ]);
    fs.rmSync(path.join(dir, 'dir with space'), { recursive: true });
  });

  it('a directory checks its .sql files at any depth, sorted, given relative, as . or absolute (the current one too)', () => {
    const tree = path.join(dir, 'tree');
    fs.mkdirSync(path.join(tree, 'sub', 'deeper'), { recursive: true });
    fs.mkdirSync(path.join(tree, '.hidden'));
    for (const file of ['b.sql', 'a.sql', 'sub/c.sql', 'sub/deeper/d.sql', '.hidden/e.sql']) fs.writeFileSync(path.join(tree, file), 'SELECT 1;\n');
    fs.writeFileSync(path.join(tree, 'notes.txt'), 'not SQL');
    const files = (args: string[], cwd: string) => {
      const { code, stdout, stderr } = run(['check', '--format', 'json', ...args], cwd);
      assert.deepStrictEqual([code, stderr], [0, '']);
      return JSON.parse(stdout).files.map((f: { file: string }) => f.file);
    };
    assert.deepStrictEqual(files(['tree'], dir), ['tree/a.sql', 'tree/b.sql', 'tree/sub/c.sql', 'tree/sub/deeper/d.sql']);
    assert.deepStrictEqual(files(['.'], tree), ['a.sql', 'b.sql', 'sub/c.sql', 'sub/deeper/d.sql']);
    assert.deepStrictEqual(files([tree], tree), [`${tree}/a.sql`, `${tree}/b.sql`, `${tree}/sub/c.sql`, `${tree}/sub/deeper/d.sql`]);
    assert.deepStrictEqual(files(['sub', 'a.sql'], tree), ['sub/c.sql', 'sub/deeper/d.sql', 'a.sql']);
    fs.mkdirSync(path.join(tree, 'empty'));
    assert.deepStrictEqual(run(['check', 'empty'], tree), { code: 2, stdout: '0 statements in 0 files; 0 failing; 1 file not read\n', stderr: 'pg-parallel-hints: empty: a directory with no .sql files\n' });
    fs.rmSync(tree, { recursive: true });
  });

  it('--help prints every command\'s usage; COMMAND --help (or -h) only that command\'s, exit 0', () => {
    const usage = run(['--help'], dir);
    assert.deepStrictEqual([usage.code, usage.stderr], [0, '']);
    assert.match(usage.stdout, /^Usage:\n/);
    for (const command of ['check', 'explain', 'audit', 'lsp']) assert.ok(usage.stdout.includes(`pg-parallel-hints ${command} `), command);
    assert.deepStrictEqual(run(['audit', '--help'], dir), {
      code: 0,
      stdout: 'Usage:\n  pg-parallel-hints audit [--db URL] [--format text|json] [--memory GB]\n                                                     audit the parallel-query settings of a database\n',
      stderr: '',
    });
    assert.deepStrictEqual(run(['lsp', '-h'], dir), {
      code: 0,
      stdout: 'Usage:\n  pg-parallel-hints lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n                                                     run the language server\n',
      stderr: '',
    });
    for (const [command, others] of [['check', ['explain', 'audit', 'lsp']], ['explain', ['check', 'audit', 'lsp']]] as const) {
      for (const flag of ['--help', '-h']) {
        const own = run([command, flag], dir);
        assert.deepStrictEqual([own.code, own.stderr], [0, ''], command);
        assert.match(own.stdout, new RegExp(`^Usage:\\n  pg-parallel-hints ${command} \\[options\\]`), command);
        assert.ok(own.stdout.includes(`\n${command} options:\n  --db URL `), command);
        for (const other of others) assert.ok(!own.stdout.includes(`pg-parallel-hints ${other}`) && !own.stdout.includes(`${other} options:`), `${command} --help names ${other}`);
        // The same options as in the whole usage.
        assert.ok(usage.stdout.includes(own.stdout.slice(own.stdout.indexOf(`${command} options:`))), command);
      }
    }
  });

  it('lsp says which transports it takes when none or an unknown option is given (exit 2)', () => {
    const transports = '--stdio, --node-ipc, --socket=PORT or --pipe=NAME';
    assert.deepStrictEqual(run(['lsp'], dir), { code: 2, stdout: '', stderr: `pg-parallel-hints lsp: no transport given; lsp takes one: ${transports} (see pg-parallel-hints lsp --help)\n` });
    assert.deepStrictEqual(run(['lsp', '--bogus'], dir), { code: 2, stdout: '', stderr: `pg-parallel-hints lsp: unknown option --bogus; lsp takes one transport: ${transports} (see pg-parallel-hints lsp --help)\n` });
    assert.deepStrictEqual(run(['lsp', '--stdio', '--socket=5007'], dir), { code: 2, stdout: '', stderr: 'pg-parallel-hints lsp: one transport only, not --stdio and --socket=5007 (see pg-parallel-hints lsp --help)\n' });
  });

  it('an unknown command is named in one line, with the commands there are (exit 2)', () => {
    assert.deepStrictEqual(run(['chek', 'q.sql'], dir), {
      code: 2,
      stdout: '',
      stderr: 'pg-parallel-hints: unknown command "chek"; the commands are check, explain, audit and lsp (see pg-parallel-hints --help)\n',
    });
  });

  it('a reader that closes stdout early (| head) ends it quietly, with the exit code of the run', async () => {
    assert.deepStrictEqual(await runWithClosedStdout(['check', 'queries.sql'], dir), { code: 1, stderr: '' });
    assert.deepStrictEqual(await runWithClosedStdout(['check', '--format', 'json', 'clean.sql'], dir), { code: 0, stderr: '' });
  });

  it('usage errors exit 2 with the usage text', async () => {
    const { code, stderr } = await cli(['check', '--format', 'xml', 'clean.sql'], dir);
    assert.strictEqual(code, 2);
    assert.strictEqual(stderr, 'pg-parallel-hints: --format must be text, json or sarif, not "xml"\n');
  });

  it('a bad option is one line of our own naming it and the command\'s --help, exit 2 (not util.parseArgs\' text)', () => {
    const refused = (args: string[]) => {
      const { code, stdout, stderr } = run(args, dir);
      assert.strictEqual(stdout, '', args.join(' '));
      return [code, stderr];
    };
    assert.deepStrictEqual(refused(['check', '--frob', 'clean.sql']), [2, 'pg-parallel-hints check: unknown option --frob (see pg-parallel-hints check --help)\n']);
    assert.deepStrictEqual(refused(['explain', '-x', 'q.sql:1']), [2, 'pg-parallel-hints explain: unknown option -x (see pg-parallel-hints explain --help)\n']);
    assert.deepStrictEqual(refused(['check', 'clean.sql', '--db']), [2, 'pg-parallel-hints check: option --db needs a value (see pg-parallel-hints check --help)\n']);
    assert.deepStrictEqual(refused(['explain', '-c']), [2, 'pg-parallel-hints explain: option -c needs a value (see pg-parallel-hints explain --help)\n']);
    assert.deepStrictEqual(refused(['check', '--verify=yes', 'clean.sql']), [2, 'pg-parallel-hints check: option --verify takes no value, but was given "yes" (see pg-parallel-hints check --help)\n']);
    assert.deepStrictEqual(refused(['check', '--db', '--verify', 'clean.sql']), [
      2,
      'pg-parallel-hints check: option --db needs a value, and --verify looks like an option; a value that starts with "-" is given as --db=--verify (see pg-parallel-hints check --help)\n',
    ]);
    assert.deepStrictEqual(refused(['audit', 'extra']), [2, 'pg-parallel-hints audit: unexpected argument extra: audit takes options only (see pg-parallel-hints audit --help)\n']);
  });

  it('an unreachable database is exit 2 with a clear message, no stack trace and no password', async () => {
    const { code, stdout, stderr } = await cli(['check', '--db', 'postgres://alice:s3cret-pw@127.0.0.1:1/shop', 'clean.sql'], dir);
    assert.strictEqual(code, 2);
    assert.strictEqual(stdout, '');
    assert.strictEqual(stderr, 'pg-parallel-hints: cannot connect to alice@127.0.0.1:1/shop: connection refused\n');
  });

  it('a # in the --db URL\'s password is named as what must be percent-encoded, never printing the password, exit 2', () => {
    assert.deepStrictEqual(run(['check', '--db', 'postgres://alice:s3#cret@127.0.0.1:1/shop', 'clean.sql'], dir), {
      code: 2,
      stdout: '',
      stderr: 'pg-parallel-hints: the database URL\'s password holds a "#", which must be percent-encoded in a URL (as %23)\n',
    });
  });

  it('an unreachable database with --format json or sarif: the document says the run failed, as for a file error, exit 2', async () => {
    const db = 'postgres://alice:s3cret-pw@127.0.0.1:1/shop';
    const error = 'cannot connect to alice@127.0.0.1:1/shop: connection refused';
    const json = await cli(['check', '--db', db, '--format', 'json', 'clean.sql'], dir);
    assert.deepStrictEqual([json.code, JSON.parse(json.stdout), json.stderr], [2, { files: [], error }, `pg-parallel-hints: ${error}\n`]);
    const sarif = await cli(['check', '--db', db, '--format', 'sarif', 'clean.sql'], dir);
    assert.deepStrictEqual([sarif.code, sarif.stderr], [2, `pg-parallel-hints: ${error}\n`]);
    const [sarifRun] = JSON.parse(sarif.stdout).runs;
    assert.deepStrictEqual(sarifRun.results, []);
    assert.deepStrictEqual(sarifRun.invocations, [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: error } }] }]);
    for (const output of [json.stdout, sarif.stdout]) assert.ok(!output.includes('s3cret'), output);
  });

  it('the installed command runs as a real process with real exit codes', () => {
    const checked = run(['check', '--format', 'json', 'queries.sql'], dir);
    assert.strictEqual(checked.code, 1);
    assert.strictEqual(JSON.parse(checked.stdout).files[0].statements.length, 3);
    const version = run(['--version'], dir);
    assert.strictEqual(version.stdout.trim(), JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  });
});

describe('cli: check with a database', function () {
  this.timeout(60_000);
  let dir: string;
  let url: string;

  before(async () => {
    const cluster = await testCluster();
    url = await cluster.createDatabase('cli');
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE TABLE orders (id int, amount numeric);
      INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g;
      CREATE FUNCTION net(numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT $1 / 1.19 $$;
      CREATE ROLE checker LOGIN PASSWORD 'Pa55-w0rd';`);
    await client.end();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-cli-db-'));
    fs.writeFileSync(path.join(dir, 'report.sql'), 'SELECT sum(net(amount)) FROM orders;\nSELECT sum(amount) FROM orders;\n');
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads the live catalog and, with --verify, the planner agrees', async () => {
    const { code, stdout } = await cli(['check', '--db', url, '--verify', '--format', 'json', 'report.sql'], dir);
    assert.strictEqual(code, 1);
    const [unsafe, safe] = JSON.parse(stdout).files[0].statements;
    assert.strictEqual(unsafe.parallel, 'unsafe');
    assert.strictEqual(unsafe.reasons[0].message, 'public.net(numeric) is PARALLEL UNSAFE: no part of this statement can use parallel workers');
    assert.deepStrictEqual([unsafe.planner.parallelPossible, unsafe.planner.wholePlanSafe, unsafe.planner.agrees], [false, false, true]);
    assert.strictEqual(safe.parallel, 'safe');
    assert.deepStrictEqual([safe.planner.parallelPossible, safe.planner.wholePlanSafe, safe.planner.agrees], [true, true, true]);
  });

  it('with --verify, a statement the planner could not be asked about is shown and counted, never taken for agreement', async () => {
    fs.writeFileSync(path.join(dir, 'missing.sql'), 'SELECT sum(amount) FROM orders;\nSELECT count(*) FROM no_such_table;\n');
    const json = await cli(['check', '--db', url, '--verify', '--format', 'json', 'missing.sql'], dir);
    assert.strictEqual(json.code, 0);
    const [planned, missing] = JSON.parse(json.stdout).files[0].statements;
    assert.strictEqual(planned.planner.agrees, true);
    assert.strictEqual(missing.planner.error, 'relation "no_such_table" does not exist');
    assert.strictEqual('agrees' in missing.planner, false);
    const text = await cli(['check', '--db', url, '--verify', 'missing.sql'], dir);
    assert.strictEqual(
      text.stdout,
      [
        'missing.sql:2:1: warning: the planner could not be asked: relation "no_such_table" does not exist [planner-error]',
        'missing.sql:2:22: hint: relation no_such_table is not in the catalog [unknown-relation]',
        '2 statements in 1 file: 2 safe; 0 failing; the planner agrees on 1 of 1 planned statements; the planner could not be asked about 1 statement',
        '',
      ].join('\n'),
    );
    const sarif = await cli(['check', '--db', url, '--verify', '--format', 'sarif', 'missing.sql'], dir);
    const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { region: object } }[] }[];
    assert.deepStrictEqual(
      results.filter((r) => r.ruleId.startsWith('planner-')).map((r) => [r.ruleId, r.level, r.message.text, r.locations[0].physicalLocation.region]),
      [['planner-error', 'warning', 'the planner could not be asked: relation "no_such_table" does not exist', { startLine: 2, startColumn: 1 }]],
    );
  });

  it('with --verify, a backend that stops answering: the connection is given up after the statement timeout and a grace, exit 2 saying so', async () => {
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query("CREATE OR REPLACE FUNCTION slow_to_plan() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(2); RETURN 1; END $$");
      fs.writeFileSync(path.join(dir, 'stopped.sql'), 'SELECT count(*) FROM orders WHERE id = slow_to_plan();\nSELECT sum(amount) FROM orders;\n');
      const running = cli(['check', '--db', url, '--verify', '--format', 'json', 'stopped.sql'], dir);
      // Stopped while planning the first statement (planning it sleeps in slow_to_plan()).
      let pid: number | undefined;
      while (pid === undefined) {
        const { rows } = await admin.query("SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE 'EXPLAIN%slow_to_plan%'");
        pid = rows[0]?.pid;
        if (pid === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      process.kill(pid, 'SIGSTOP');
      try {
        const { code, stdout, stderr } = await running;
        assert.strictEqual(code, 2, stderr);
        assert.match(stderr, /^pg-parallel-hints: lost the connection to postgres@127\.0\.0\.1:\d+\/cli_\d+ during --verify \(the server did not answer within 15 s, though the statement timeout should have stopped the query: the connection was closed\): the planner was not asked about the statements after that\n$/);
        const [first, second] = JSON.parse(stdout).files[0].statements;
        assert.match(first.planner.error, /^the server did not answer within 15 s/);
        assert.strictEqual(second.planner, undefined, 'the statements after the loss are left unverified, not each failed alike');
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    } finally {
      await admin.end();
    }
  });

  it('with --verify, --timeout-ms bounds planning each statement', async () => {
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query("CREATE OR REPLACE FUNCTION slow_to_plan() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(2); RETURN 1; END $$");
    } finally {
      await admin.end();
    }
    fs.writeFileSync(path.join(dir, 'slow.sql'), 'SELECT count(*) FROM orders WHERE id = slow_to_plan();\n');
    const { code, stdout, stderr } = await cli(['check', '--db', url, '--verify', '--timeout-ms', '100', '--format', 'json', 'slow.sql'], dir);
    // slow_to_plan() is PARALLEL UNSAFE (no label): a finding, exit 1; the planner was stopped after 100 ms.
    assert.strictEqual(code, 1, stderr);
    assert.deepStrictEqual(JSON.parse(stdout).files[0].statements[0].planner, { parallelPossible: false, wholePlanSafe: false, error: 'canceling statement due to statement timeout' });
    const bad = await cli(['check', '--db', url, '--verify', '--timeout-ms', '0', 'slow.sql'], dir);
    assert.deepStrictEqual([bad.code, bad.stderr], [2, 'pg-parallel-hints: --timeout-ms takes a whole number of milliseconds from 1 to 2147483647\n']);
  });

  it('takes the connection from PG* variables', async () => {
    const u = new URL(url);
    const { code, stdout } = await cli(['check', '--format', 'json', 'report.sql'], dir, { PGHOST: u.hostname, PGPORT: u.port, PGDATABASE: u.pathname.slice(1), PGUSER: 'postgres' });
    assert.strictEqual(code, 1);
    assert.strictEqual(JSON.parse(stdout).files[0].statements[0].parallel, 'unsafe');
  });

  it('a wrong password is exit 2 with a clear message that never shows the password', async () => {
    const u = new URL(url);
    // The cluster trusts every local connection; ask for md5 through a role with a password instead.
    const { code, stderr } = await cli(['check', '--db', `postgres://checker:wrong-Pa55@${u.host}/nodb_here`, 'report.sql'], dir);
    assert.strictEqual(code, 2);
    assert.ok(!stderr.includes('wrong-Pa55'), stderr);
    assert.strictEqual(stderr, `pg-parallel-hints: cannot connect to checker@${u.hostname}:${u.port}/nodb_here: database "nodb_here" does not exist\n`);
  });

  it('a database named only by the environment that cannot be reached: the error names the variables and --no-db', async () => {
    const u = new URL(url);
    const env = { PGHOST: u.hostname, PGPORT: u.port, PGUSER: 'postgres', PGDATABASE: 'nodb_here' };
    const { code, stderr } = await cli(['check', 'report.sql'], dir, env);
    assert.strictEqual(code, 2);
    assert.strictEqual(
      stderr,
      `pg-parallel-hints: cannot connect to postgres@${u.hostname}:${u.port}/nodb_here: database "nodb_here" does not exist (the database is named by PGHOST, PGDATABASE in the environment; --no-db checks with the built-in catalog instead)\n`,
    );
    // Without the database its functions are unknown: nothing fails.
    assert.strictEqual((await cli(['check', '--no-db', 'report.sql'], dir, env)).code, 0);
  });
});

describe('cli: a server that asks for a password', function () {
  this.timeout(60_000);

  it('none given: the message names where the command line takes one from', async () => {
    // A server of our own whose pg_hba.conf, read at start, asks one role for a password (the shared one trusts all).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-cli-pw-'));
    fs.chmodSync(dir, 0o755); // as root the server runs as nobody, and must read the file
    const hba = path.join(dir, 'pg_hba.conf');
    fs.writeFileSync(hba, 'host all pw_user 127.0.0.1/32 scram-sha-256\nhost all all 127.0.0.1/32 trust\n', { mode: 0o644 });
    fs.writeFileSync(path.join(dir, 'clean.sql'), 'SELECT 1;\n');
    const cluster = await startPostgres({ major: Number(process.env.PGPH_TEST_PG_MAJOR ?? 18), settings: { hba_file: hba } });
    try {
      // HOME without a .pgpass; the server asks before it looks the role up.
      const { code, stdout, stderr } = run(['check', '--db', `postgres://pw_user@127.0.0.1:${cluster.port}/postgres`, 'clean.sql'], dir, { HOME: dir });
      assert.deepStrictEqual([code, stdout], [2, '']);
      assert.strictEqual(
        stderr,
        `pg-parallel-hints: cannot connect to pw_user@127.0.0.1:${cluster.port}/postgres: the server asks for a password for user "pw_user" and none was given (PGPASSWORD, a .pgpass entry, a PGSERVICE service, the --db URL of the command line, or the command "Set database password" in VS Code)\n`,
      );
    } finally {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cli: audit', function () {
  this.timeout(60_000);

  it('audits a real server with its caps in the wrong order (exit 1), as text and JSON', async () => {
    const cluster = await startPostgres({ major: 18, settings: { max_parallel_workers_per_gather: '6', max_parallel_workers: '4', work_mem: '256MB' } });
    try {
      const url = cluster.connectionString();
      const text = await cli(['audit', '--db', url, '--memory', '16'], os.tmpdir());
      assert.strictEqual(text.code, 1);
      assert.match(text.stdout, /^Parallel query settings of postgres@127\.0\.0\.1:\d+\/postgres:\n\nwarning: max_parallel_workers_per_gather \(6\) is above max_parallel_workers \(4\): a Gather can never get more than 4 workers \[per-gather-above-pool\]\n  now: max_parallel_workers_per_gather = 6, max_parallel_workers = 4, max_worker_processes = 16\n  try: lower max_parallel_workers_per_gather to 4, or raise max_parallel_workers\n/);
      assert.match(text.stdout, /\n3 findings, 2 to act on\n$/);
      const json = JSON.parse((await cli(['audit', '--db', url, '--format', 'json', '--memory', '16'], os.tmpdir())).stdout);
      assert.deepStrictEqual(json.findings.map((f: { code: string }) => f.code), ['per-gather-above-pool', 'connection-capacity', 'work-mem-per-process']);
    } finally {
      await cluster.stop();
    }
  });

  it('needs a database', async () => {
    const { code, stderr } = await cli(['audit'], os.tmpdir());
    assert.strictEqual(code, 2);
    assert.strictEqual(stderr, 'pg-parallel-hints: audit needs a database (--db URL or PG* variables)\n');
  });
});
