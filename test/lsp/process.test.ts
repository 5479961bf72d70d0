/**
 * The language server as another editor starts it: `pg-parallel-hints lsp --stdio`, a real process
 * speaking JSON-RPC on stdin/stdout, ended with shutdown and exit; and over its other transports
 * (--socket, --node-ipc), with a client that is not there.
 */
import * as assert from 'assert';
import { ChildProcess, fork, spawn, spawnSync } from 'child_process';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, SocketMessageReader, SocketMessageWriter } from 'vscode-jsonrpc/node';
import { clientOn, PUSH_CLIENT, summarize, TestClient } from './client';

const bin = path.join(__dirname, '..', '..', '..', 'bin', 'pg-parallel-hints.js');
const offline = { ...process.env, PGHOST: '', PGDATABASE: '', DATABASE_URL: '' };

/** A port on 127.0.0.1 that nothing listens on (listened on once, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The server at the other end of `client` initializes, shuts down, and on exit ends with code 0. */
async function answersThenExits(client: TestClient, exited: Promise<number | null>): Promise<void> {
  assert.strictEqual((await client.initialize()).serverInfo?.name, 'pg-parallel-hints');
  await client.shutdown();
  await client.rpc.sendNotification('exit');
  assert.strictEqual(await exited, 0);
  client.dispose();
}

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

  it('--socket=PORT connects to the client listening there, and exits with 0 after shutdown and exit', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    child = spawn(process.execPath, [bin, 'lsp', `--socket=${(server.address() as net.AddressInfo).port}`], { stdio: 'inherit', env: offline });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const socket = await accepted;
    server.close();
    await answersThenExits(new TestClient(createMessageConnection(new SocketMessageReader(socket), new SocketMessageWriter(socket)), {}), exited);
  });

  it('--node-ipc talks over the IPC channel of the client that forked it', async () => {
    child = fork(bin, ['lsp', '--node-ipc'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: offline });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    await answersThenExits(new TestClient(createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child)), {}), exited);
  });

  it('--socket=PORT with no client listening, and --node-ipc without an IPC channel, say so on stderr and exit 2', async () => {
    const port = await closedPort();
    const run = (args: string[]) => {
      const result = spawnSync(process.execPath, [bin, 'lsp', ...args], { encoding: 'utf8', env: offline, stdio: ['ignore', 'pipe', 'pipe'] });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    assert.deepStrictEqual(run([`--socket=${port}`]), { code: 2, stdout: '', stderr: `pg-parallel-hints: cannot connect to the language client on port ${port}: connection refused\n` });
    assert.deepStrictEqual(run(['--socket=70000']), { code: 2, stdout: '', stderr: 'pg-parallel-hints: cannot connect to the language client on port 70000: the port must be from 1 to 65535\n' });
    const pipe = path.join(os.tmpdir(), `pgph-no-client-${process.pid}.sock`);
    assert.deepStrictEqual(run([`--pipe=${pipe}`]), { code: 2, stdout: '', stderr: `pg-parallel-hints: cannot connect to the language client on pipe ${pipe}: no such pipe or socket\n` });
    assert.deepStrictEqual(run(['--node-ipc']), {
      code: 2,
      stdout: '',
      stderr: "pg-parallel-hints: cannot connect to the language client over --node-ipc: this process has no IPC channel (the client must start it with Node's fork; other editors use --stdio)\n",
    });
  });

  it('after shutdown, requests get the error InvalidRequest (-32600) and exit still exits with 0', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: offline });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const client = clientOn(child.stdout!, child.stdin!);
    await client.initialize();
    const uri = 'file:///nowhere/after-shutdown.sql';
    await client.open(uri, 'SELECT random();\n');
    await client.shutdown();
    const refused = (request: Promise<unknown>) =>
      request.then(
        (result) => assert.fail(`answered ${JSON.stringify(result)}`),
        (error: { code: number; message: string }) => ({ code: error.code, message: error.message }),
      );
    const shuttingDown = { code: -32600, message: 'server is shutting down' };
    assert.deepStrictEqual(await refused(client.hover(uri, { line: 0, character: 8 })), shuttingDown);
    assert.deepStrictEqual(await refused(client.pull(uri)), shuttingDown);
    assert.deepStrictEqual(await refused(client.rpc.sendRequest('shutdown')), shuttingDown);
    await client.rpc.sendNotification('exit');
    assert.strictEqual(await exited, 0);
    client.dispose();
  });

  it('exit without shutdown exits with 1', async () => {
    child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'], env: offline });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    const client = clientOn(child.stdout!, child.stdin!);
    await client.initialize();
    await client.rpc.sendNotification('exit');
    assert.strictEqual(await exited, 1);
    client.dispose();
  });
});
