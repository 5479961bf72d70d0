/**
 * How to start each language server the benchmark compares: ours (the shipped CLI entry) and the
 * peers a user would pick instead, from their npm packages: dev-only benchmark dependencies declared
 * in bench/peers/package.json and installed there on the benchmark's first run. They stay out of the
 * project's own install, which would otherwise need every platform's build of them in the registry.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LspClient } from './lsp-driver';
import type { ServerSpec } from './lsp-bench';

export const root = path.join(__dirname, '..', '..');
const peersDir = path.join(root, 'bench', 'peers');

/** The environment without database variables, so no server connects to anything by accident. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('PG') || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Our server's name in the tables when started as the VS Code extension starts it. */
export const AS_VSCODE = 'pg-parallel-hints, as VS Code starts it';

/**
 * Our server as `pg-parallel-hints lsp --stdio` (what other editors run), or, `asVsCode`, as the
 * packaged extension starts it: the bundle (call buildBundle first).
 */
export function ourServer(options: { url?: string; asVsCode?: boolean } = {}): ServerSpec {
  const settings = { pgVersion: 18, ...(options.url ? { connection: { url: options.url } } : {}) };
  const args = options.asVsCode ? [path.join(root, 'dist', 'server.js'), '--stdio'] : [path.join(root, 'bin', 'pg-parallel-hints.js'), 'lsp', '--stdio'];
  const name = options.asVsCode ? AS_VSCODE : 'pg-parallel-hints';
  return {
    name: options.url ? `${name} (database)` : name,
    spawn: { command: process.execPath, args, env: cleanEnv() },
    initializationOptions: { settings },
    configuration: (item) => (item.section === 'pgParallelHints' ? settings : null),
    ready: options.url
      ? (client) =>
          client
            .waitForNotification<{ state: string; detail?: string }>('pgParallelHints/status', (p) => p.state === 'live' || p.state === 'error', 120_000)
            .then((p) => {
              if (p.state !== 'live') throw new Error(`database: ${p.detail}`);
            })
      : undefined,
  };
}

/** dist/server.js as `npm run package` makes it, from the current sources. */
export function buildBundle(): void {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'bundle.js')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

let peerFailure: string | undefined | null = null; // null: not tried yet

/** Installs the peers once (this platform's builds only); returns why it failed, if it did. */
function installPeers(): string | undefined {
  if (peerFailure !== null) return peerFailure;
  const wanted = Object.keys(JSON.parse(fs.readFileSync(path.join(peersDir, 'package.json'), 'utf8')).devDependencies);
  if (wanted.every((name) => fs.existsSync(path.join(peersDir, 'node_modules', name, 'package.json')))) return (peerFailure = undefined);
  process.stderr.write(`bench: installing the peers (${wanted.join(', ')}) into ${path.relative(root, peersDir)}\n`);
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], {
      cwd: peersDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      shell: process.platform === 'win32',
      timeout: 300_000,
    });
    peerFailure = undefined;
  } catch (error) {
    peerFailure = `npm install in bench/peers failed: ${String((error as Error).message).split('\n')[0]}`;
  }
  return peerFailure;
}

/** The binary inside a peer's platform package (installed on first use), or why it is not there. */
function resolveBinary(candidates: string[]): { path?: string; why?: string } {
  const failure = installPeers();
  for (const candidate of candidates) {
    try {
      return { path: require.resolve(candidate, { paths: [peersDir] }) };
    } catch {
      // next
    }
  }
  return { why: failure ?? `not installed for ${process.platform}-${process.arch} (${candidates.join(' or ')})` };
}

export function squawkBinary(): { path?: string; why?: string } {
  return resolveBinary([`@squawk-cli/${process.platform}-${process.arch}/bin/squawk${process.platform === 'win32' ? '.exe' : ''}`]);
}

export function plsBinary(): { path?: string; why?: string } {
  const arch = process.arch === 'x64' ? 'x86_64' : 'aarch64';
  const platform = process.platform === 'linux' ? 'linux-gnu' : process.platform === 'darwin' ? 'apple-darwin' : 'windows-msvc';
  const exe = process.platform === 'win32' ? '.exe' : '';
  return resolveBinary([`@postgres-language-server/cli-${arch}-${platform}/postgres-language-server${exe}`]);
}

export function versionOf(binary: string): string {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', env: cleanEnv(), timeout: 10_000 }).trim().replace(/^Version:\s*/, '');
  } catch {
    return '?';
  }
}

export function squawkServer(binary: string): ServerSpec {
  return { name: `squawk ${versionOf(binary).replace(/^squawk\s*/, '')}`, spawn: { command: binary, args: ['server'], env: cleanEnv() } };
}

/** Processes of a binary started after `since` (its daemon), found in /proc; Linux only. */
function processesOf(binary: string): number[] {
  const found: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/exe`) === binary) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * postgres-language-server: `lsp-proxy` forwards stdio to a daemon it starts (its own process); the
 * daemon's memory is what counts. Each run gets its own log folder and the daemon is stopped after.
 */
export function plsServer(binary: string, workDir: string): ServerSpec {
  const real = fs.realpathSync(binary);
  const env = cleanEnv({ PGT_LOG_PATH: path.join(workDir, 'pls-logs'), PGLS_LOG_PATH: path.join(workDir, 'pls-logs') });
  const before = new Set(processesOf(real));
  return {
    name: `postgres-language-server ${versionOf(binary)}`,
    spawn: { command: binary, args: ['lsp-proxy'], env },
    memoryPid: (client) => processesOf(real).find((pid) => pid !== client.pid && !before.has(pid)) ?? client.pid,
    cleanup: () => {
      try {
        execFileSync(binary, ['stop'], { env, timeout: 10_000, stdio: 'ignore' });
      } catch {
        // already stopped
      }
    },
  };
}

export { LspClient };
