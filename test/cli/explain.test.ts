/**
 * `pg-parallel-hints explain` against a real server: a statement picked by FILE:LINE or given with -c,
 * as text and JSON; what is refused before anything is sent (two statements, --analyze of a write
 * without --allow-writes); EXPLAIN ANALYZE of an UPDATE leaving every row as it was; Ctrl-C on the
 * real process cancelling the query on the server (exit 130).
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { PgCluster, testCluster } from '../harness/postgres';
import { bin, cli, run, runWithClosedStdout } from './command';


const SCHEMA = `
CREATE TABLE just_over (id int, grp int, pad text);
INSERT INTO just_over SELECT g, g % 100, repeat('x', 100) FROM generate_series(1, 60000) g;
ANALYZE just_over;
CREATE TABLE small (id int, pad text);
INSERT INTO small SELECT g, repeat('y', 100) FROM generate_series(1, 20000) g;
ANALYZE small;
CREATE FUNCTION f_unsafe(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION slow_to_plan() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(30); RETURN 1; END $$;
CREATE TABLE audit_log (what text);
CREATE FUNCTION audited(what text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit_log VALUES (what); RETURN 1; END $$;
`;

const QUERIES = [
  '-- reports',
  'SELECT count(*)',
  'FROM small;',
  '',
  'SELECT count(*) FROM just_over;',
  "UPDATE small SET pad = 'changed' WHERE id <= 10;",
  'SELECT count(*) FROM small WHERE f_unsafe(id) = 1;',
  '',
].join('\n');

/** A port nobody listens on: a command that tried to connect would fail with "cannot connect". */
const NOWHERE = 'postgres://nobody@127.0.0.1:1/none';

describe('cli: explain', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let url: string;
  let dir: string;
  let client: Client;

  before(async () => {
    cluster = await testCluster();
    url = await cluster.createDatabase('cli_explain');
    client = new Client({ connectionString: url });
    await client.connect();
    await client.query(SCHEMA);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-explain-'));
    fs.writeFileSync(path.join(dir, 'queries.sql'), QUERIES);
  });

  after(async () => {
    await client?.end();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('FILE:LINE as text: the plan report, its findings, then why it is not parallel', async () => {
    const { code, stdout, stderr } = await cli(['explain', '--db', url, 'queries.sql:3'], dir);
    assert.deepStrictEqual([code, stderr], [0, '']);
    assert.strictEqual(
      stdout,
      [
        'queries.sql:2-3: SELECT, planned, not run',
        '',
        'Serial plan: no part runs in parallel',
        '',
        '  -> #1 Aggregate  (cost 595..595.01, rows 1)',
        '     -> #2 Seq Scan on public.small  (cost 0..545, rows 20,000)',
        '',
        'Findings:',
        '  information no-parallel-part: The plan has no Gather: it runs in one process.',
        '    advice: "Why not parallel?" re-plans with zero parallel costs to tell a structural blocker (unsafe function, writes, FOR UPDATE, cursor ...) from a cost or size one.',
        '',
        'Why not parallel? table-below-min-parallel-scan-size',
        '  Too small for workers: public.small is below the size from which the planner considers a parallel scan.',
        '  - serial plan (max_parallel_workers_per_gather = 0): cost 595.01',
        '  - zero-cost probe (parallel costs and size thresholds at 0): a Gather appears, cost 449.19',
        '  - whole-plan probe (debug_parallel_query): every part of the plan is parallel safe',
        '  - with the size thresholds at 0 the serial plan is still cheaper (checked): the best plan costs 595.01, the serial one 595.01',
        '  information table-below-min-parallel-scan-size: public.small is 2.7 MB (345 pages), below min_parallel_table_scan_size = 8 MB (1,024 pages): the planner does not consider scanning it with workers',
        '    advice: Nothing to change: even a parallel scan of it would cost more than the serial plan.',
        '',
      ].join('\n'),
    );
  });

  it('FILE:LINE names the culprit of a structural blocker at its place in the file', async () => {
    const { code, stdout } = await cli(['explain', '--db', url, 'queries.sql:7'], dir);
    assert.strictEqual(code, 0);
    const section = stdout.slice(stdout.lastIndexOf('\nWhy not parallel? ') + 1);
    assert.strictEqual(
      section.split('\n').filter((line) => !line.startsWith('  - ')).join('\n'),
      [
        'Why not parallel? structural',
        '  No parallel plan is possible at any cost: the statement is parallel unsafe (1 reason below).',
        '  warning unsafe-function at queries.sql:7:34: public.f_unsafe(x integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
        '    advice: If public.f_unsafe(integer) writes nothing, uses no temporary tables, cursors, sequences or session state and calls nothing unsafe, label it: ALTER FUNCTION public.f_unsafe(integer) PARALLEL SAFE (PARALLEL RESTRICTED already allows a parallel plan, with the call kept in the leader). Otherwise compute its value before the query. The server does not check labels: a wrong SAFE label fails at run time.',
        '',
      ].join('\n'),
    );
  });

  it('-c as JSON: gathers, findings (plan and why-not), probe, whyNot and the raw plan', async () => {
    const { code, stdout, stderr } = await cli(['explain', '--db', url, '--format', 'json', '-c', 'SELECT count(*) FROM just_over'], dir);
    assert.deepStrictEqual([code, stderr], [0, '']);
    const json = JSON.parse(stdout);
    const plan = (await client.query('EXPLAIN (FORMAT JSON, VERBOSE) SELECT count(*) FROM just_over')).rows[0]['QUERY PLAN'][0].Plan;
    assert.deepStrictEqual(json.plan[0].Plan, plan);
    assert.deepStrictEqual(
      [json.statement, json.source, json.kind, json.analyzed, json.writes, json.gathers],
      ['SELECT count(*) FROM just_over', { command: true }, 'SELECT', false, [], []],
    );
    assert.deepStrictEqual(
      json.findings.map((f: { code: string; severity: string }) => [f.code, f.severity]),
      [
        ['no-parallel-part', 'information'],
        ['cost-threshold', 'information'],
      ],
    );
    assert.deepStrictEqual(json.probe, {
      parallelPossible: true,
      wholePlanSafe: true,
      serialCost: 1785.01,
      parallelCost: json.whyNot.costs.parallelLowerBound,
      chosenCost: 1785.01,
      chosenParallel: false,
      workersPerGather: 2,
    });
    const search = json.whyNot.costs.switchSearch;
    assert.deepStrictEqual([json.whyNot.verdict, search.setting, search.serialAt], ['cost-threshold', 'parallel_setup_cost', search.parallelAt + 1]);
    assert.strictEqual(json.findings[1].advice, json.whyNot.advice);
    assert.deepStrictEqual(json.whyNot.relations, [{ schema: 'public', name: 'just_over', kind: 'table', pages: 1035 }]);
  });

  it('JSON gives the culprit of a FILE:LINE statement its 1-based line and column', async () => {
    const { code, stdout } = await cli(['explain', '--db', url, '--format', 'json', 'queries.sql:7'], dir);
    assert.strictEqual(code, 0);
    const json = JSON.parse(stdout);
    assert.deepStrictEqual(json.source, { file: 'queries.sql', line: 7, endLine: 7 });
    const culprit = json.whyNot.findings[0];
    assert.deepStrictEqual([culprit.code, culprit.line, culprit.column, culprit.endLine, culprit.endColumn, culprit.range], ['unsafe-function', 7, 34, 7, 42, undefined]);
    assert.deepStrictEqual(json.findings.at(-1), culprit);
  });

  it('two statements with -c are refused before anything is sent', async () => {
    const { code, stdout, stderr } = await cli(['explain', '--db', NOWHERE, '-c', 'SELECT 1; DROP TABLE small'], dir);
    assert.deepStrictEqual([code, stdout, stderr], [2, '', 'pg-parallel-hints: cannot explain: expected exactly one statement, found 2\n']);
  });

  it('a psql meta-command with -c is said to be one, as FILE:LINE says it, before anything is sent', async () => {
    fs.writeFileSync(path.join(dir, 'script.sql'), 'SELECT 1;\n\\d small\n');
    const explain = (args: string[]) => cli(['explain', '--db', NOWHERE, ...args], dir);
    assert.deepStrictEqual(await explain(['script.sql:2']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: script.sql:2 is a psql meta-command, not a statement to explain\n' });
    assert.deepStrictEqual(await explain(['-c', '\\d small']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: -c "\\d small" is a psql meta-command, not a statement to explain\n' });
    assert.deepStrictEqual(await explain(['-c', 'SELECT count(*) FROM small \\gx']), {
      code: 2,
      stdout: '',
      stderr: 'pg-parallel-hints: -c holds the psql meta-command "\\gx" besides the statement: give the statement alone\n',
    });
  });

  it('--analyze of an UPDATE without --allow-writes: exit 2 before connecting, saying what would run and how to confirm', async () => {
    const { code, stdout, stderr } = await cli(['explain', '--db', NOWHERE, '--analyze', 'queries.sql:6'], dir);
    assert.deepStrictEqual(
      [code, stdout, stderr],
      [
        2,
        '',
        'pg-parallel-hints: --analyze would run this UPDATE, and it writes (UPDATE): add --allow-writes to run it anyway, inside a transaction that is rolled back, or leave out --analyze to plan it without running it\n',
      ],
    );
  });

  it('--analyze --allow-writes runs the UPDATE and rolls it back: every row unchanged', async () => {
    const before = (await client.query('SELECT md5(string_agg(id || pad, \',\' ORDER BY id)) AS digest, count(*)::int AS n FROM small')).rows[0];
    const { code, stdout, stderr } = await cli(['explain', '--db', url, '--analyze', '--allow-writes', '--format', 'json', 'queries.sql:6'], dir);
    assert.deepStrictEqual([code, stderr], [0, '']);
    const json = JSON.parse(stdout);
    const update = json.plan[0].Plan;
    // It really ran: the scan below the Update found the ten rows.
    assert.deepStrictEqual([json.analyzed, json.writes, update['Node Type'], update.Plans[0]['Actual Rows']], [true, ['UPDATE'], 'ModifyTable', 10]);
    assert.deepStrictEqual([json.whyNot.verdict, json.whyNot.findings[0].code], ['structural', 'write-statement']);
    const after = (await client.query('SELECT md5(string_agg(id || pad, \',\' ORDER BY id)) AS digest, count(*)::int AS n FROM small')).rows[0];
    assert.deepStrictEqual(after, before);
    assert.strictEqual((await client.query("SELECT count(*)::int AS n FROM small WHERE pad = 'changed'")).rows[0].n, 0);
  });

  it('says where no statement is, and refuses what cannot be explained', async () => {
    const run = (args: string[]) => cli(['explain', '--db', NOWHERE, ...args], dir);
    assert.deepStrictEqual(await run(['queries.sql:4']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: queries.sql:4 is not inside a statement (the nearest: lines 2-3 and 5)\n' });
    assert.deepStrictEqual(await run(['queries.sql:8']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: queries.sql has 7 lines: there is no line 8\n' });
    assert.deepStrictEqual(await run(['queries.sql']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: expected FILE:LINE (for example queries.sql:12), not "queries.sql"\n' });
    assert.deepStrictEqual(await run(['missing.sql:1']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: missing.sql: no such file\n' });
    assert.deepStrictEqual(await run(['-c', 'VACUUM small']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: cannot explain: VACUUM is a utility statement: the planner does not plan it, so it has no plan to explain\n' });
    assert.deepStrictEqual(await run(['-c', 'SELECT 1', 'queries.sql:2']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: give either FILE:LINE or -c SQL, not both\n' });
    assert.deepStrictEqual(await run(['--format', 'xml', '-c', 'SELECT 1']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: --format must be text or json, not "xml"\n' });
    assert.deepStrictEqual(await run(['--timeout-ms', '99999999999', '-c', 'SELECT 1']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: --timeout-ms takes a whole number of milliseconds from 1 to 2147483647\n' });
    // Only now does it connect, and says so when it cannot.
    const unreachable = await run(['-c', 'SELECT 1']);
    assert.match(unreachable.stderr, /^pg-parallel-hints: cannot connect to nobody@127\.0\.0\.1:1\/none: /);
    assert.strictEqual(unreachable.code, 2);
  });

  it('--analyze of a statement whose function writes: exit 2, naming --allow-writes, nothing written', async () => {
    const { code, stdout, stderr } = run(['explain', '--db', url, '--analyze', '-c', "SELECT audited('x')"], dir);
    assert.deepStrictEqual(
      [code, stdout, stderr],
      [
        2,
        '',
        'pg-parallel-hints: running the statement tried to write (cannot execute INSERT in a read-only transaction): it needs confirmation; it would then run in a transaction that is rolled back: confirm with --allow-writes, or leave out --analyze to plan it without running it\n',
      ],
    );
    assert.strictEqual((await client.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n, 0);
  });

  it('JSON rounds the costs of why-not to 2 decimals', () => {
    const { code, stdout } = run(['explain', '--db', url, '--format', 'json', '-c', 'SELECT count(*) FROM just_over'], dir);
    assert.strictEqual(code, 0);
    const { costs } = JSON.parse(stdout).whyNot;
    assert.deepStrictEqual([costs.serial, costs.parallel, costs.switchSearch.breakEven, costs.switchSearch.expectedSwitch], [1785.01, 2476.4, 308.61, 290.94]);
    assert.doesNotMatch(JSON.stringify(costs), /\.\d{3}/);
  });

  it('a reader that closes stdout early (| head) ends it quietly, exit 0', async () => {
    assert.deepStrictEqual(await runWithClosedStdout(['explain', '--db', url, 'queries.sql:3'], dir), { code: 0, stderr: '' });
  });

  it('a server error is exit 2 with its message', async () => {
    const { code, stderr } = await cli(['explain', '--db', url, '-c', 'SELECT no_such_column FROM small'], dir);
    assert.deepStrictEqual([code, stderr], [2, 'pg-parallel-hints: column "no_such_column" does not exist\n']);
  });

  it('Ctrl-C on the real process cancels the query on the server and exits 130', async () => {
    const child = spawn(process.execPath, [bin, 'explain', '--db', url, '--timeout-ms', '60000', '-c', 'SELECT count(*) FROM small WHERE id = slow_to_plan()'], {
      cwd: dir,
      env: { PATH: process.env.PATH },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const sleeping = "SELECT pid FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%slow_to_plan%' AND pid <> pg_backend_pid()";
    // Wait until the CLI's query is inside the sleep on the server (a real state, not a delay).
    let pid: number | undefined;
    while (pid === undefined) pid = (await client.query(sleeping)).rows[0]?.pid;
    child.kill('SIGINT');
    assert.strictEqual(await exited, 130);
    assert.deepStrictEqual([stdout, stderr], ['', 'pg-parallel-hints: interrupted: EXPLAIN was cancelled; the statement was stopped on the server and rolled back\n']);
    // A client that merely went away would leave its backend asleep for 30 s: it was cancelled.
    assert.deepStrictEqual((await client.query('SELECT state FROM pg_stat_activity WHERE pid = $1 AND state = $2', [pid, 'active'])).rows, []);
  });
});
