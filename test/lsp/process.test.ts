/**
 * The language server as another editor starts it: `pg-parallel-hints lsp --stdio`, a real process
 * speaking JSON-RPC on stdin/stdout, ended with shutdown and exit.
 */
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { clientOn, PUSH_CLIENT, summarize } from './client';

const bin = path.join(__dirname, '..', '..', '..', 'bin', 'pg-parallel-hints.js');

describe('lsp: pg-parallel-hints lsp --stdio', function () {
  this.timeout(20_000);
  let child: ChildProcess | undefined;

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('initializes, answers a pulled diagnostic, and exits with 0 after shutdown and exit', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PGHOST: '', PGDATABASE: '', DATABASE_URL: '' } });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const client = clientOn(child.stdout!, child.stdin!);
    const result = await client.initialize();
    assert.strictEqual(result.serverInfo?.name, 'pg-parallel-hints');
    const uri = 'file:///nowhere/spawned.sql';
    await client.open(uri, 'SELECT random()\n  FROM generate_series(1, 10);\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    await client.shutdown();
    await client.rpc.sendNotification('exit');
    assert.strictEqual(await exited, 0);
    assert.strictEqual(stderr, '');
    client.dispose();
  });

  it('after an edit that moves a statement, answers with its diagnostic at the new place and the others unchanged', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, PGHOST: '', PGDATABASE: '', DATABASE_URL: '' } });
    const client = clientOn(child.stdout!, child.stdin!);
    await client.initialize();
    const uri = 'file:///nowhere/moved.sql';
    await client.open(uri, 'SELECT random();\nSELECT txid_current();\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
      '1:7-1:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    // A line break typed before the second statement moves it; the first one's diagnostic stays as sent.
    await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '\n' }]);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
      '2:7-2:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    await client.shutdown();
    client.dispose();
  });

  it('a notification of the wrong shape is logged, and the server goes on answering', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PGHOST: '', PGDATABASE: '', DATABASE_URL: '' } });
    const client = clientOn(child.stdout!, child.stdin!);
    await client.initialize();
    for (const params of [{ changes: null }, {}, { changes: [{ uri: 42, type: 1 }] }]) await client.rpc.sendNotification('workspace/didChangeWatchedFiles', params);
    const uri = 'file:///nowhere/after.sql';
    await client.open(uri, 'SELECT random();\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    assert.strictEqual(child.exitCode, null);
    await client.shutdown();
    client.dispose();
  });

  it('pushes diagnostics to a client without pull support', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, PGHOST: '', PGDATABASE: '', DATABASE_URL: '' } });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const client = clientOn(child.stdout!, child.stdin!, { capabilities: PUSH_CLIENT });
    await client.initialize();
    const uri = 'file:///nowhere/pushed.sql';
    await client.open(uri, 'SELECT txid_current();\n');
    assert.deepStrictEqual(summarize((await client.pushed(uri, 1)).diagnostics), [
      '0:7-0:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    await client.shutdown();
    await client.rpc.sendNotification('exit');
    assert.strictEqual(await exited, 0);
    client.dispose();
  });
});
