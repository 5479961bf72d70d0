/**
 * The command line as the CLI suites drive it: in process through main() (fast, for messages and
 * reports), and as the installed command in a real process (exit codes, closed pipes).
 */
import { spawn, spawnSync } from 'child_process';
import * as path from 'path';
import { main } from '../../server/src/cli';

export const root = path.join(__dirname, '..', '..', '..');
export const bin = path.join(root, 'bin', 'pg-parallel-hints.js');

/** main() with its output collected. */
export async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd });
  return { code, stdout, stderr };
}

/** The installed command as a real process. */
export function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The installed command with its stdout closed before it writes anything, as `| head` leaves it. */
export function runWithClosedStdout(args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}
