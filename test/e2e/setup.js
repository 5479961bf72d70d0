'use strict';
/**
 * The tools the end-to-end suite needs, installed once into a cache outside the repository and
 * reused by every clone: code-server (real VS Code in a browser) and playwright-core from npm,
 * Chromium, ripgrep and the kerberos headers from apt. Works offline apart from the npm registry and
 * apt, which is all CI has.
 *
 * Why not a plain `npm install code-server`: its postinstall runs a nested `npm install` whose
 * @vscode/ripgrep downloads rg from GitHub. We fetch the packages without scripts, put Debian's rg
 * into the download cache that postinstall consults, and then run the install scripts.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const CODE_SERVER_VERSION = '4.100.3';
const PLAYWRIGHT_VERSION = '1.65.1';
const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = [
  { name: 'chromium', present: () => fs.existsSync(CHROMIUM) },
  { name: 'ripgrep', present: () => which('rg') !== undefined },
  // kerberos (a VS Code dependency) compiles against these headers.
  { name: 'libkrb5-dev', present: () => fs.existsSync('/usr/include/krb5.h') || fs.existsSync('/usr/include/krb5/krb5.h') },
];

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Thrown when a piece is missing and cannot be installed here (not root); run.js decides skip or fail. */
class MissingTool extends Error {}

function cacheDir() {
  return process.env.PGPH_E2E_CACHE || path.join(os.tmpdir(), `pgph-e2e-code-server-${CODE_SERVER_VERSION}`);
}

function which(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function run(command, args, options = {}) {
  const started = Date.now();
  process.stdout.write(`setup: ${command} ${args.join(' ')}${options.cwd ? ` (in ${options.cwd})` : ''}\n`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000, ...options });
  if (result.status !== 0) {
    const output = `${result.stdout || ''}${result.stderr || ''}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed (${result.error ? result.error.message : `exit ${result.status}`}):\n${output}`);
  }
  process.stdout.write(`setup:   done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  return result.stdout;
}

function npmEnv(extra = {}) {
  // unsafe_perm: code-server's postinstall refuses to run as root without it; yes: nested npx must not ask.
  return { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false', ...(isRoot ? { npm_config_unsafe_perm: 'true' } : {}), ...extra };
}

function ensureAptPackages() {
  const missing = APT_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (missing.length === 0) return;
  if (!isRoot) throw new MissingTool(`missing apt packages: ${missing.join(', ')} (install them: sudo apt-get install ${missing.join(' ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  const still = APT_PACKAGES.filter((p) => !p.present()).map((p) => p.name);
  if (still.length) throw new Error(`apt-get installed but these are still missing: ${still.join(', ')}`);
}

/**
 * Puts Debian's rg where the @vscode/ripgrep postinstall looks before it downloads:
 * $TMPDIR/vscode-ripgrep-cache-<package version>/ripgrep-<rg release>-<target>.tar.gz.
 */
function seedRipgrepDownload(codeServerDir, tmpDir) {
  const shrinkwrap = JSON.parse(fs.readFileSync(path.join(codeServerDir, 'lib/vscode/npm-shrinkwrap.json'), 'utf8'));
  const entry = shrinkwrap.packages && shrinkwrap.packages['node_modules/@vscode/ripgrep'];
  if (!entry) return undefined; // a VS Code without @vscode/ripgrep has nothing to download
  const rgVersion = entry.version;
  // The release tag rg is downloaded from lives in the package's postinstall; read it from the package itself.
  const peek = fs.mkdtempSync(path.join(tmpDir, 'ripgrep-pack-'));
  try {
    const tarball = run('npm', ['pack', '--silent', `@vscode/ripgrep@${rgVersion}`], { cwd: peek, env: npmEnv() }).trim().split('\n').pop();
    run('tar', ['xzf', tarball, 'package/lib/postinstall.js'], { cwd: peek });
    const source = fs.readFileSync(path.join(peek, 'package/lib/postinstall.js'), 'utf8');
    const release = /const VERSION = '([^']+)'/.exec(source);
    if (!release) return undefined; // newer packages take rg from per-platform npm packages: nothing to seed
    const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[process.arch];
    if (process.platform !== 'linux' || !target) throw new Error(`seeding ripgrep is only done for Linux x64/arm64, not ${process.platform}-${process.arch}`);
    const downloads = path.join(tmpDir, `vscode-ripgrep-cache-${rgVersion}`);
    fs.mkdirSync(downloads, { recursive: true });
    const asset = path.join(downloads, `ripgrep-${release[1]}-${target}.tar.gz`);
    const staging = path.join(peek, 'rg-asset');
    fs.mkdirSync(staging);
    fs.copyFileSync(which('rg'), path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    run('tar', ['czf', asset, '-C', staging, 'rg']);
    return path.join(codeServerDir, 'lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
  } finally {
    fs.rmSync(peek, { recursive: true, force: true });
  }
}

/** code-server and playwright-core in the cache; returns the paths run.js needs. */
function ensureNpmTools() {
  const dir = cacheDir();
  const codeServerDir = path.join(dir, 'node_modules/code-server');
  const tools = {
    codeServer: path.join(codeServerDir, 'out/node/entry.js'),
    playwright: path.join(dir, 'node_modules/playwright-core'),
    chromium: CHROMIUM,
  };
  const marker = path.join(dir, 'installed.json');
  const wanted = JSON.stringify({ codeServer: CODE_SERVER_VERSION, playwright: PLAYWRIGHT_VERSION, node: process.versions.node.split('.')[0] });
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted && fs.existsSync(tools.codeServer) && fs.existsSync(tools.playwright)) return tools;

  process.stdout.write(`setup: installing code-server ${CODE_SERVER_VERSION} and playwright-core ${PLAYWRIGHT_VERSION} into ${dir} (once; a few minutes)\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pgph-e2e-tools', private: true }, null, 2));
  const tmpDir = path.join(dir, 'tmp');
  fs.mkdirSync(tmpDir);
  // TMPDIR steers @vscode/ripgrep's download cache into our folder.
  const env = npmEnv({ TMPDIR: tmpDir });
  run('npm', ['install', '--ignore-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`, `playwright-core@${PLAYWRIGHT_VERSION}`], { cwd: dir, env });
  const rg = seedRipgrepDownload(codeServerDir, tmpDir);
  // Now the install scripts, code-server's postinstall (the nested installs of VS Code's modules) included.
  run('npm', ['rebuild', '--foreground-scripts'], { cwd: dir, env });
  for (const file of [tools.codeServer, rg].filter(Boolean)) {
    if (!fs.existsSync(file)) throw new Error(`code-server install is incomplete: ${file} is missing`);
  }
  fs.rmSync(tmpDir, { recursive: true, force: true });
  fs.writeFileSync(marker, wanted);
  return tools;
}

/** Everything the suite needs; throws MissingTool when it cannot be installed on this machine. */
function ensureTools() {
  if (process.platform !== 'linux') throw new MissingTool(`the end-to-end suite runs on Linux (Debian's chromium); this is ${process.platform}`);
  ensureAptPackages();
  return ensureNpmTools();
}

module.exports = { ensureTools, MissingTool, cacheDir, CODE_SERVER_VERSION };
