/**
 * Ways to make a database misbehave for real: kill or restart a harness cluster's postmaster, hold a
 * lock in another session, a TCP port that accepts and never answers, a port that forwards to a
 * real server (so "the database comes back" on the same address), and the count of the product's
 * sessions in pg_stat_activity.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Client } from 'pg';
import type { PgCluster } from '../harness/postgres';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** pg_ctl on a harness cluster's data directory, as the user that owns it. */
export function pgCtl(cluster: PgCluster, args: string[]): void {
  const result = spawnSync(path.join(cluster.binDir, 'pg_ctl'), ['-D', cluster.dataDir, ...args], {
    encoding: 'utf8',
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (result.status !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${result.stdout}${result.stderr}`);
}

/** SIGKILL to the postmaster: the database process dies with no shutdown at all. */
export function killPostmaster(cluster: PgCluster): number {
  const pid = Number(fs.readFileSync(path.join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(pid, 'SIGKILL');
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the cluster again on its port with its data (crash recovery after a kill). Its backends
 * leave when they notice the postmaster died; until then the old shared memory is in use, so the
 * start is retried for a few seconds.
 */
export async function restart(cluster: PgCluster, killedPid?: number): Promise<void> {
  const base = path.dirname(cluster.dataDir);
  const deadline = Date.now() + 15_000;
  while (killedPid !== undefined && alive(killedPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (;;) {
    try {
      pgCtl(cluster, ['start', '-w', '-l', path.join(base, 'restart.log'), '-o', `-p ${cluster.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${path.join(base, 'socket')}`]);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A session of its own, for locks and counting. */
export async function adminSession(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/**
 * Sessions the product has open on the database of `url` (its application names all start with
 * pg-parallel-hints). Counted from the `postgres` database, so that a lock held on a catalog of the
 * database being counted cannot block the count.
 */
export async function productSessions(url: string): Promise<number> {
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const admin = await adminSession(target.href);
  try {
    const { rows } = await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'pg-parallel-hints%'", [database]);
    return rows[0].n as number;
  } finally {
    await admin.end();
  }
}

/** Polls until the count of product sessions is `expected` (a closed socket takes a moment to end its backend). */
export async function waitForSessions(url: string, expected: number, withinMs = 5000): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const n = await productSessions(url);
    if (n === expected || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A TCP port under the test's control: `silent` accepts connections and never writes a byte;
 * `forward` pipes them to a real server; `closed` refuses them. The port stays the same throughout.
 */
export class ControlledPort {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  accepted = 0;

  private constructor(readonly port: number) {}

  static async open(mode: 'silent' | { forwardTo: number }): Promise<ControlledPort> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const controlled = new ControlledPort(port);
    await controlled.switchTo(mode);
    return controlled;
  }

  async switchTo(mode: 'silent' | 'closed' | { forwardTo: number }): Promise<void> {
    await this.close();
    if (mode === 'closed') return;
    const server = net.createServer((socket) => {
      this.accepted++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      if (mode === 'silent') return;
      const upstream = net.connect(mode.forwardTo, '127.0.0.1');
      this.sockets.add(upstream);
      upstream.on('close', () => (this.sockets.delete(upstream), socket.destroy()));
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      socket.pipe(upstream);
      upstream.pipe(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
