/**
 * Secrets: a run of the product with a known password, then a scan of everything it said and wrote.
 * A real server asks the role for its password (scram-sha-256). The password reaches the product
 * every way a user gives it: PGPASSWORD, a URL, the setPassword message of the VS Code client, a
 * URL in the settings (which the product must ignore). Captured: the CLI's stdout and stderr (check,
 * explain and audit, text and JSON, right password, wrong password, database down, a malformed URL),
 * the language server's every notification, server request, response and error response, and the
 * stderr of the spawned server process; then the files of the workspace it worked in, and the files
 * the .vsix ships (its .vscodeignore allow-list, with the bundles built afresh).
 * The password must appear nowhere: as given, URL-encoded, JSON-escaped, or even its middle part.
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import { glob } from 'tinyglobby';
import { pathToFileURL } from 'url';
import { ResponseError } from 'vscode-jsonrpc';
import type { StatusParams } from '../../server/src/protocol';
import { PgCluster, startPostgres } from '../harness/postgres';
import { clientOn, startInMemory, TestClient } from '../lsp/client';

const ROLE = 'secret_user';
/** Unusual enough that no product text contains it; ':' '/' '@' change when URL-encoded. */
const PASSWORD = 'Pa55-kn0wn:s3cret!/@';
const WRONG = 'Wr0ng-kn0wn:s3cret!/@';
/** The middle of both passwords: found even in a truncated or transformed copy. */
const MARKER = 'kn0wn';
const root = path.join(__dirname, '..', '..', '..');
const bin = path.join(root, 'bin', 'pg-parallel-hints.js');

function forms(password: string): string[] {
  return [...new Set([password, encodeURIComponent(password), JSON.stringify(password).slice(1, -1), MARKER])];
}

/** The captured text that contains a password in any form, with where it came from. */
function leaks(captured: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [source, text] of captured) {
    for (const form of new Set([...forms(PASSWORD), ...forms(WRONG)])) {
      const at = text.indexOf(form);
      if (at >= 0) found.push(`${source}: ...${text.slice(Math.max(0, at - 60), at + form.length + 20)}...`);
    }
  }
  return found;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('reliability: no password in output, logs, messages, files or the package', function () {
  this.timeout(120_000);
  let cluster: PgCluster;
  let workspace: string;
  let home: string;
  /** Everything the product said, by source. */
  const captured = new Map<string, string>();
  const capture = (source: string, text: string) => captured.set(source, (captured.get(source) ?? '') + text);

  before(async () => {
    cluster = await startPostgres({ major: Number(process.env.PGPH_TEST_PG_MAJOR ?? 18), binDir: process.env.PGPH_TEST_PG_BINDIR || undefined });
    const hba = path.join(cluster.dataDir, 'pg_hba.conf');
    fs.writeFileSync(hba, `host all ${ROLE} 127.0.0.1/32 scram-sha-256\n` + fs.readFileSync(hba, 'utf8'));
    const admin = new Client({ connectionString: cluster.connectionString() });
    await admin.connect();
    try {
      await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
      await admin.query(`GRANT pg_read_all_settings TO ${ROLE}`);
      await admin.query('CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$');
      await admin.query('SELECT pg_reload_conf()');
    } finally {
      await admin.end();
    }
    // A workspace as a user has it: SQL files and connection settings without a password.
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-secrets-'));
    home = path.join(workspace, 'home');
    fs.mkdirSync(home);
    fs.mkdirSync(path.join(workspace, '.vscode'));
    fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'pgParallelHints.connection.host': '127.0.0.1', 'pgParallelHints.connection.user': ROLE }, null, 2));
    fs.writeFileSync(path.join(workspace, 'report.sql'), 'SELECT audit_value(1), random();\nSELECT * FROM no_such_table;\n');
  });

  after(async () => {
    await cluster?.stop();
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  /** A port nothing listens on: the database is down. */
  const downPort = () => cluster.port + (cluster.port < 65000 ? 1 : -1);
  const url = (password?: string, port = cluster.port) => `postgres://${ROLE}${password ? `:${encodeURIComponent(password)}` : ''}@127.0.0.1:${port}/postgres?sslmode=disable`;
  const env = (password?: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: home, ...(password ? { PGPASSWORD: password } : {}) });

  it('the CLI: check, explain and audit with the password in PGPASSWORD and in a URL, a wrong one, the database down', async () => {
    const runs: [string, string[], NodeJS.ProcessEnv, number][] = [
      ['check url text', ['check', '--db', url(PASSWORD), 'report.sql'], env(), 1],
      ['check url json', ['check', '--db', url(PASSWORD), '--format', 'json', 'report.sql'], env(), 1],
      ['check PGPASSWORD text --verify', ['check', '--db', url(), '--verify', 'report.sql'], env(PASSWORD), 1],
      ['check PGPASSWORD sarif', ['check', '--db', url(), '--format', 'sarif', 'report.sql'], env(PASSWORD), 1],
      ['explain url text', ['explain', '--db', url(PASSWORD), 'report.sql:1'], env(), 0],
      ['explain PGPASSWORD json', ['explain', '--db', url(), '--format', 'json', '-c', 'SELECT audit_value(1)'], env(PASSWORD), 0],
      ['explain statement error', ['explain', '--db', url(PASSWORD), 'report.sql:2'], env(), 2],
      ['audit url text', ['audit', '--db', url(PASSWORD)], env(), 0],
      ['audit PGPASSWORD json', ['audit', '--db', url(), '--format', 'json'], env(PASSWORD), 0],
      ['check wrong PGPASSWORD', ['check', '--db', url(), 'report.sql'], env(WRONG), 2],
      ['check wrong url json', ['check', '--db', url(WRONG), '--format', 'json', 'report.sql'], env(), 2],
      ['explain wrong url', ['explain', '--db', url(WRONG), '-c', 'SELECT 1'], env(), 2],
      ['explain wrong PGPASSWORD json', ['explain', '--db', url(), '--format', 'json', '-c', 'SELECT 1'], env(WRONG), 2],
      ['check database down', ['check', '--db', url(PASSWORD, downPort()), 'report.sql'], env(), 2],
      ['explain database down', ['explain', '--db', url(undefined, downPort()), '-c', 'SELECT 1'], env(PASSWORD), 2],
      ['malformed url', ['check', '--db', `postgres://${ROLE}:${PASSWORD}@127.0.0.1:99999/postgres`, 'report.sql'], env(), 2],
      ['bad sslmode in url', ['explain', '--db', url(PASSWORD).replace('sslmode=disable', 'sslmode=sometimes'), '-c', 'SELECT 1'], env(), 2],
    ];
    // Two at a time: a burst of processes on a small CI machine would time out connecting.
    const results: Run[] = [];
    for (let i = 0; i < runs.length; i += 2) results.push(...(await Promise.all(runs.slice(i, i + 2).map(([, args, e]) => cli(args, e, workspace)))));
    runs.forEach(([label, args, , expected], i) => {
      const { code, stdout, stderr } = results[i];
      capture(`cli ${label} stdout`, stdout);
      capture(`cli ${label} stderr`, stderr);
      assert.strictEqual(code, expected, `${label}: pg-parallel-hints ${args.join(' ')}\n${stdout}${stderr}`);
      assert.ok(stdout.length + stderr.length > 0, `${label} said nothing`);
    });
    // The runs did reach the database, and the failures say why.
    const [checkText] = results;
    assert.match(checkText.stdout, /audit_value\(v integer\) is PARALLEL UNSAFE/);
    assert.match(results[5].stdout, /"message": "public\.audit_value\(v integer\) is PARALLEL UNSAFE/);
    assert.match(results[9].stderr, /password authentication failed for user "secret_user"/);
    assert.match(results[14].stderr, /connection refused/);
    assert.deepStrictEqual(leaks(captured), []);
  });

  it('the language server in process: settings with a password in the URL, setPassword right then wrong, explain, the database down', async () => {
    const folder = pathToFileURL(workspace).href;
    const doc = pathToFileURL(path.join(workspace, 'report.sql')).href;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // The in-process server's own stderr is this process's: record what is written meanwhile.
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      capture('in-process stderr', String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    const clients: TestClient[] = [];
    try {
      const served = await startInMemory({
        workspaceFolders: [{ uri: folder, name: 'ws' }],
        configuration: () => ({ connection: { url: url(PASSWORD) }, connectTimeoutMs: 2000, trace: { server: 'verbose' } }),
        deps: { env: { HOME: home }, retry: { initialMs: 100, maxMs: 400 } },
      });
      clients.push(served);
      await served.rpc.sendNotification('$/setTrace', { value: 'verbose' });
      const statusIs = (state: StatusParams['state'], detail = /./) => served.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === state && detail.test(s.detail ?? ''));
      // The URL's password is ignored: the server asks for one.
      const noPassword = served.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'error');
      await served.open(doc, fs.readFileSync(path.join(workspace, 'report.sql'), 'utf8'));
      assert.match((await noPassword).detail ?? '', /the server asks for a password for user "secret_user" and none was given/);
      const live = statusIs('live');
      await served.rpc.sendNotification('pgParallelHints/setPassword', { password: PASSWORD });
      await live;
      await served.diagnostics(doc);
      const responses: unknown[] = [];
      responses.push(await served.hover(doc, { line: 0, character: 9 }));
      responses.push(await served.rpc.sendRequest('pgParallelHints/explain', { uri: doc, position: { line: 0, character: 1 }, analyze: true, allowWrites: false }));
      const failed = await served.rpc.sendRequest('pgParallelHints/explain', { uri: doc, position: { line: 1, character: 1 }, analyze: false, allowWrites: false }).then(
        () => assert.fail('explain of a missing table succeeded'),
        (error: ResponseError<unknown>) => error,
      );
      assert.match(failed.message, /relation "no_such_table" does not exist/);
      responses.push({ message: failed.message, data: failed.data });
      responses.push(await served.rpc.sendRequest('pgParallelHints/auditSettings', {}));
      responses.push(await served.rpc.sendRequest('pgParallelHints/getStatus'));
      const refused = statusIs('error', /password authentication failed/);
      await served.rpc.sendNotification('pgParallelHints/setPassword', { password: WRONG });
      await refused;
      responses.push(await served.diagnostics(doc));
      responses.push(await served.rpc.sendRequest('pgParallelHints/reconnect', {}));

      // Another server, its database down, the password given.
      const down = await startInMemory({
        configuration: () => ({ connection: { host: '127.0.0.1', port: downPort(), user: ROLE, database: 'postgres', sslmode: 'disable' }, connectTimeoutMs: 1000 }),
        deps: { env: { HOME: home, PGPASSWORD: PASSWORD }, retry: { initialMs: 100, maxMs: 400 } },
      });
      clients.push(down);
      const refusedConnection = down.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'error');
      await down.open('file:///elsewhere/down.sql', 'SELECT 1;\n');
      assert.match((await refusedConnection).detail ?? '', /connection refused/);
      responses.push(await down.rpc.sendRequest('pgParallelHints/explain', { uri: 'file:///elsewhere/down.sql', position: { line: 0, character: 1 }, analyze: false, allowWrites: false }).catch((e: ResponseError<unknown>) => ({ message: e.message, data: e.data })));

      capture('in-process responses', JSON.stringify(responses));
      for (const [name, client] of [['server', served], ['down server', down]] as const) {
        capture(`in-process ${name} notifications`, JSON.stringify(client.notifications));
        capture(`in-process ${name} requests`, JSON.stringify(client.requests));
      }
      const messages = served.notifications.filter((n) => n.method === 'window/logMessage').length;
      assert.ok(messages > 0, 'the server logged nothing: the scan would prove nothing');
    } finally {
      process.stderr.write = write;
      for (const client of clients) {
        await client.shutdown();
        client.dispose();
      }
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepStrictEqual(unhandled, []);
    assert.ok((captured.get('in-process responses') ?? '').includes('PARALLEL UNSAFE'), 'the responses carry the analysis');
    assert.deepStrictEqual(leaks(captured), []);
  });

  it('the spawned language server (lsp --stdio): PGPASSWORD, setPassword, a wrong password; its stderr too', async () => {
    const folder = pathToFileURL(workspace).href;
    const doc = pathToFileURL(path.join(workspace, 'report.sql')).href;
    const child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: workspace, env: env(PASSWORD), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const client = clientOn(child.stdout, child.stdin, {
      workspaceFolders: [{ uri: folder, name: 'ws' }],
      configuration: () => ({ connection: { host: '127.0.0.1', port: cluster.port, user: ROLE, database: 'postgres', sslmode: 'disable' }, connectTimeoutMs: 2000 }),
    });
    try {
      await client.initialize();
      await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
      const live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
      await client.open(doc, fs.readFileSync(path.join(workspace, 'report.sql'), 'utf8'));
      await live;
      const responses: unknown[] = [await client.diagnostics(doc), await client.hover(doc, { line: 0, character: 9 })];
      responses.push(await client.rpc.sendRequest('pgParallelHints/explain', { uri: doc, position: { line: 0, character: 1 }, analyze: false, allowWrites: false }));
      const refused = client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === 'error' && /password authentication failed/.test(s.detail ?? ''));
      await client.rpc.sendNotification('pgParallelHints/setPassword', { password: WRONG });
      await refused;
      responses.push(await client.diagnostics(doc));
      capture('spawned responses', JSON.stringify(responses));
      await client.shutdown();
      await client.rpc.sendNotification('exit');
      assert.strictEqual(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      client.dispose();
    }
    capture('spawned stderr', stderr);
    capture('spawned notifications', JSON.stringify(client.notifications));
    capture('spawned requests', JSON.stringify(client.requests));
    assert.ok((captured.get('spawned notifications') ?? '').includes('password authentication failed for user'), 'the failure was reported');
    assert.deepStrictEqual(leaks(captured), []);
  });

  it('the workspace: every file the product left in it is free of the password', async () => {
    const files = await glob('**/*', { cwd: workspace, dot: true, absolute: true });
    assert.ok(files.some((f) => f.endsWith(path.join('.vscode', 'settings.json'))));
    const contents = new Map(files.map((f) => [`workspace ${path.relative(workspace, f)}`, fs.readFileSync(f, 'latin1')]));
    assert.deepStrictEqual(leaks(contents), []);
  });

  it('the .vsix contents (.vscodeignore allow-list, bundles built afresh) carry neither this password nor any test password', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-vsix-'));
    try {
      const common: esbuild.BuildOptions = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', minify: true, logLevel: 'silent', external: ['vscode', 'pg-native'] };
      await esbuild.build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(out, 'dist/client.js') });
      await esbuild.build({ ...common, entryPoints: [path.join(root, 'server/src/lsp-entry.ts')], outfile: path.join(out, 'dist/server.js') });
      const allowed = fs
        .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.startsWith('!'))
        .map((line) => line.slice(1));
      const shipped = new Map<string, string>();
      for (const pattern of allowed) {
        const base = pattern.startsWith('dist/') ? out : root;
        for (const file of await glob(pattern, { cwd: base, dot: true })) shipped.set(`vsix ${file}`, fs.readFileSync(path.join(base, file), 'latin1'));
      }
      for (const needed of ['vsix package.json', 'vsix README.md', 'vsix dist/client.js', 'vsix dist/server.js']) assert.ok(shipped.has(needed), `${needed} is not in the package`);
      assert.deepStrictEqual(leaks(shipped), []);
      // Nor any password the repository's tests use, nor a URL with credentials in it.
      const testPasswords = ['S3cret:pa$$/w@rd', PASSWORD, WRONG];
      const credentialUrl = /postgres(?:ql)?:\/\/[^\s:/@'"`]+:([^\s@'"`]+)@/g;
      const found: string[] = [];
      for (const [file, text] of shipped) {
        for (const password of testPasswords) if (text.includes(password) || text.includes(encodeURIComponent(password))) found.push(`${file}: ${password}`);
        for (const match of text.matchAll(credentialUrl)) if (!/^(\*+|password|PASSWORD|secret|pass)$/.test(match[1])) found.push(`${file}: ${match[0]}`);
      }
      assert.deepStrictEqual(found, []);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('the scan can fail: it finds the password where it was given', () => {
    assert.deepStrictEqual(leaks(new Map([['a command line', `check --db ${url(PASSWORD)}`]])).length, 2, 'the URL-encoded form and the marker');
    assert.deepStrictEqual(leaks(new Map([['PGPASSWORD', PASSWORD]])).length, 2, 'the plain form and the marker');
    assert.deepStrictEqual(leaks(new Map([['a truncated copy', WRONG.slice(0, 11)]])).length, 1, 'the marker');
  });
});
