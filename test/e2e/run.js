#!/usr/bin/env node
'use strict';
/**
 * End-to-end suite: the packaged extension (.vsix) in a real VS Code (code-server), driven through
 * Chromium by playwright-core, against a real PostgreSQL 18. What a user sees is what is checked:
 * the squiggle under an unsafe function, the Problems panel, a hover card, the language status item,
 * a command's notification, EXPLAIN's report and diagram, and a large file's analysis progress in the
 * status bar. Screenshots of each step go to test-artifacts/e2e/.
 *
 *   node test/e2e/run.js        (after `npm install && npx tsc -b`)
 *
 * The first run installs code-server, playwright-core (npm) and chromium, ripgrep, libkrb5-dev (apt,
 * as root) into a cache outside the repository (see setup.js). On a machine where that cannot be done
 * (not root, missing apt packages) the suite says so and exits 0, unless CI is set: then it fails.
 * Prints `N passed, N failed` last and exits 1 if anything failed.
 */
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { ensureTools, MissingTool } = require('./setup');

const root = path.join(__dirname, '..', '..');
const artifacts = path.join(root, 'test-artifacts', 'e2e');
const VSIX = path.join(root, 'pg-parallel-hints.vsix');
const EXTENSION_ID = 'pg-parallel-hints.pg-parallel-hints';
const COMMAND_PREFIX = 'PostgreSQL Parallel Hints';
const E2E_PASSWORD = 'e2e-Kn0wn-s3cret';
const isCI = /^(1|true|yes)$/i.test(process.env.CI || '');

/** Every wait is bounded; the whole run after set-up must end within SUITE_LIMIT_MS. */
const UI_TIMEOUT_MS = 20_000;
/** The server starts, connects and reads the catalog before the first diagnostics appear. */
const ANALYSIS_TIMEOUT_MS = 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;
const SUITE_LIMIT_MS = 6 * 60_000;

const REPORT_SQL = 'SELECT sum(net(amount)) FROM orders;\nSELECT random();\n';
/** A statement over a table large enough (500,000 rows, about 35 MB: two workers) for a parallel plan. */
const EXPLAIN_SQL = "SELECT count(*) FROM big WHERE note LIKE '%ab%';\n";
/** 30,000 statements, 1.2 MB: over the size analysed in steps, and long enough to see the progress. */
const LARGE_SQL = ["SELECT nextval('first_seq');", ...Array.from({ length: 29_999 }, (_, i) => `SELECT abs(-${i}) AS n, ${i} + 1 AS m;`), ''].join('\n');
/** Exact words the language server uses (server/src/core/describe.ts, hover.ts, server.ts). */
const NET_DIAGNOSTIC = 'public.net(numeric) is PARALLEL UNSAFE';
const NET_DIAGNOSTIC_FULL = `${NET_DIAGNOSTIC}: no part of this statement can use parallel workers`;
const RANDOM_HOVER_SIGNATURE = 'pg_catalog.random() → double precision';
const RANDOM_HOVER_LABEL = 'PARALLEL RESTRICTED: runs only in the leader: the plan can be parallel below it';
/** The status text of a live connection: "PG 18.4 @ 127.0.0.1/e2e_1, 3,414 functions". */
const liveStatus = (database) => new RegExp(`PG 18\\.\\d+ @ 127\\.0\\.0\\.1/${database}, \\d{1,3}(,\\d{3})* functions`);

// ---- results ---------------------------------------------------------------------------------

const results = [];
let step = 0;
let page;

function log(message) {
  process.stdout.write(`${message}\n`);
}

async function screenshot(name) {
  if (!page) return;
  const file = path.join(artifacts, `${String(++step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, timeout: 10_000, animations: 'disabled' }).catch((error) => log(`  (no screenshot ${path.basename(file)}: ${error.message.split('\n')[0]})`));
}

/**
 * One named check: passes if `body` resolves; a screenshot records what the screen showed either way.
 * Returns whether it passed, so that later checks that depend on it can be skipped.
 */
async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    results.push({ name, ok: false, error });
    log(`  ✗ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n      ${String(error && error.message ? error.message : error).split('\n').slice(0, 6).join('\n      ')}`);
  }
  await screenshot(name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, ''));
  return results[results.length - 1].ok;
}

/** A failed check that later ones need: stop here (the failures so far are the report). */
class Abort extends Error {}
async function mustPass(name, body) {
  if (!(await check(name, body))) throw new Abort(`later checks need "${name}"`);
}

function fail(name, error) {
  results.push({ name, ok: false, error });
  log(`  ✗ ${name}\n      ${String(error && error.message ? error.message : error).split('\n').slice(0, 12).join('\n      ')}`);
}

function summary() {
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  log(`\n${passed} passed, ${failed} failed`);
  return failed;
}

// ---- clean-up: always, whatever happened -------------------------------------------------------

const cleanups = [];
/** Synchronous last resorts for process 'exit' (a crash or a signal): kill what is still running. */
const killOnExit = new Set();
process.on('exit', () => {
  for (const kill of killOnExit) kill();
});

let cleaning;
/** Undoes everything in reverse order, once; a signal and the main flow share the same run. */
function cleanUp() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const [label, undo] = cleanups.pop();
      await Promise.race([Promise.resolve().then(undo), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 15_000).unref())]).catch((error) =>
        log(`clean-up: ${label}: ${error.message}`),
      );
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    fail(signal, new Error('interrupted; cleaning up'));
    cleanUp().finally(() => {
      summary();
      process.exit(1);
    });
  });
}

// ---- pieces ----------------------------------------------------------------------------------

function runOrThrow(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 5 * 60_000, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error ? result.error.message : `exit ${result.status}`}):\n${`${result.stdout}${result.stderr}`.trim().split('\n').slice(-20).join('\n')}`);
  }
  return `${result.stdout}${result.stderr}`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function startDatabase() {
  const harness = path.join(root, 'out/test/harness/postgres.js');
  if (!fs.existsSync(harness)) runOrThrow('npx', ['tsc', '-b']);
  const { startPostgres } = require(harness);
  const { Client } = require(require.resolve('pg', { paths: [root] }));
  const cluster = await startPostgres({ major: 18 });
  cleanups.push(['stop PostgreSQL', () => cluster.stop()]);
  const url = await cluster.createDatabase('e2e');
  const sql = async (text) => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  // No PARALLEL clause: net() defaults to PARALLEL UNSAFE, the mistake the extension points out.
  await sql(`CREATE TABLE orders(id int, amount numeric);
    CREATE FUNCTION net(numeric) RETURNS numeric LANGUAGE sql AS $$ SELECT $1/1.19 $$;`);
  await sql(`CREATE TABLE big AS SELECT g AS id, g % 1000 AS grp, md5(g::text) AS note FROM generate_series(1, 500000) g;
    ANALYZE big;`);
  return { url, name: new URL(url).pathname.slice(1), sql };
}

/** Folders for one run: the workspace, VS Code's user data and extensions, XDG homes. */
function makeDirs() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-e2e-run-'));
  cleanups.push(['remove temporary folders', () => fs.rmSync(base, { recursive: true, force: true })]);
  const dirs = {
    base,
    workspace: path.join(base, 'workspace'),
    userData: path.join(base, 'user-data'),
    extensions: path.join(base, 'extensions'),
    browserProfile: path.join(base, 'chromium-profile'),
    xdg: path.join(base, 'xdg'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  return dirs;
}

function writeWorkspace(dirs, databaseUrl) {
  writeJson(path.join(dirs.workspace, '.vscode/settings.json'), { 'pgParallelHints.connection.url': databaseUrl });
  fs.writeFileSync(path.join(dirs.workspace, 'report.sql'), REPORT_SQL);
  fs.writeFileSync(path.join(dirs.workspace, 'explain.sql'), EXPLAIN_SQL);
  fs.writeFileSync(path.join(dirs.workspace, 'large.sql'), LARGE_SQL);
  // User settings: a quiet, trusting editor with nothing in the way of the file under test.
  writeJson(path.join(dirs.userData, 'User/settings.json'), {
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Light Modern',
    'chat.commandCenter.enabled': false,
    'editor.minimap.enabled': false,
    'editor.fontSize': 16,
    'editor.hover.delay': 100,
    'files.autoSave': 'off',
    // Every JSON-RPC message in the output channel: the password step checks none carries the password.
    'pgParallelHints.trace.server': 'verbose',
  });
}

function codeServerEnv(dirs) {
  const xdg = (name) => path.join(dirs.xdg, name);
  return {
    ...process.env,
    XDG_CONFIG_HOME: xdg('config'),
    XDG_DATA_HOME: xdg('data'),
    XDG_CACHE_HOME: xdg('cache'),
    XDG_STATE_HOME: xdg('state'),
    XDG_RUNTIME_DIR: xdg('runtime'),
    // The extension must find the database through its settings, not through the runner's environment.
    DATABASE_URL: '',
    PGHOST: '',
    PGPORT: '',
    PGDATABASE: '',
    PGUSER: '',
    PGPASSWORD: '',
  };
}

function installExtension(tools, dirs) {
  const output = runOrThrow(process.execPath, [tools.codeServer, '--extensions-dir', dirs.extensions, '--user-data-dir', dirs.userData, '--install-extension', VSIX], {
    env: codeServerEnv(dirs),
    timeout: 120_000,
  });
  const installed = fs.readdirSync(dirs.extensions).filter((name) => name.startsWith(`${EXTENSION_ID}-`));
  if (installed.length !== 1) throw new Error(`expected one ${EXTENSION_ID}-* folder in the extensions dir, found [${fs.readdirSync(dirs.extensions).join(', ')}]\n${output}`);
  // The README's images too: the extension's details page shows the README from the installed folder.
  const images = [...fs.readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/.test(link));
  for (const file of ['package.json', 'dist/client.js', 'dist/server.js', 'dist/libpg-query.wasm', ...images]) {
    if (!fs.existsSync(path.join(dirs.extensions, installed[0], file))) throw new Error(`the installed extension lacks ${file}`);
  }
}

async function startCodeServer(tools, dirs) {
  const port = await freePort();
  const args = [
    tools.codeServer,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--extensions-dir', dirs.extensions,
    '--user-data-dir', dirs.userData,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    dirs.workspace,
  ];
  const logFile = path.join(artifacts, 'code-server.log');
  const logStream = fs.createWriteStream(logFile);
  // Its own process group, so stopping it also stops its extension host and language server.
  const child = spawn(process.execPath, args, { env: codeServerEnv(dirs), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  let exited = false;
  const exit = new Promise((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const killNow = () => killGroup('SIGKILL');
  killOnExit.add(killNow);
  cleanups.push([
    'stop code-server',
    async () => {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
      killGroup('SIGKILL'); // stragglers of the group (the language server) that outlived their parent
      killOnExit.delete(killNow);
      logStream.end();
    },
  ]);
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not listen within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${output.slice(-2000)}`)), SERVER_START_TIMEOUT_MS);
    const onData = (data) => {
      logStream.write(data);
      output += data;
      if (/HTTP server listening on/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`code-server exited during start-up:\n${output.slice(-2000)}`));
    });
  });
  if (exited) throw new Error('code-server exited');
  return `http://127.0.0.1:${port}/`;
}

async function startBrowser(tools, dirs) {
  const { chromium } = require(tools.playwright);
  const context = await chromium.launchPersistentContext(dirs.browserProfile, {
    executablePath: tools.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
    timeout: 60_000,
    // Our own signal handler closes the browser with everything else; playwright's would exit(130) first.
    handleSIGINT: false,
    handleSIGTERM: false,
  });
  cleanups.push(['close Chromium', () => context.close()]);
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  return context;
}

// ---- the user's view -------------------------------------------------------------------------

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
}

async function goTo(line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).waitFor({ state: 'visible' });
}

/** Screen rectangles of a piece of text in the editor and of every squiggle of a kind. */
function squiggleGeometry(lineText, word, kind) {
  return page.evaluate(
    ({ lineText, word, kind }) => {
      const rect = (r) => ({ left: r.left, right: r.right, top: r.top, bottom: r.bottom });
      const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(lineText));
      if (!line) return { error: `no editor line shows "${lineText}"` };
      const start = line.textContent.replace(/\u00a0/g, ' ').indexOf(lineText) + lineText.indexOf(word);
      const range = document.createRange();
      let seen = 0;
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent.length;
        if (start >= seen && start < seen + length) range.setStart(node, start - seen);
        if (start + word.length > seen && start + word.length <= seen + length) range.setEnd(node, start + word.length - seen);
        seen += length;
      }
      return { word: rect(range.getBoundingClientRect()), squiggles: [...document.querySelectorAll(`.monaco-editor .squiggly-${kind}`)].map((e) => rect(e.getBoundingClientRect())) };
    },
    { lineText, word, kind },
  );
}

async function expectSquiggleUnder(lineText, word, kind) {
  // A squiggle in the editor that shows the line: another editor's (an EXPLAIN ANALYZE warning beside
  // it, say) must not end the wait before this one's diagnostics arrive.
  const editor = page.locator('.monaco-editor', { has: page.locator('.view-line', { hasText: lineText }) });
  await editor.locator(`.squiggly-${kind}`).first().waitFor({ state: 'attached', timeout: ANALYSIS_TIMEOUT_MS });
  const geometry = await squiggleGeometry(lineText, word, kind);
  if (geometry.error) throw new Error(geometry.error);
  const close = (a, b) => Math.abs(a - b) <= 2;
  const under = geometry.squiggles.filter((s) => close(s.left, geometry.word.left) && close(s.right, geometry.word.right) && s.top >= geometry.word.top - 4 && s.bottom <= geometry.word.bottom + 8);
  if (under.length !== 1) {
    throw new Error(`expected one ${kind} squiggle exactly under "${word}" at ${JSON.stringify(geometry.word)}; ${kind} squiggles: ${JSON.stringify(geometry.squiggles)}`);
  }
}

async function suite(tools, dirs, url, database) {
  const context = await startBrowser(tools, dirs);
  page = context.pages()[0] || (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const status = liveStatus(database.name);

  await mustPass('workbench opens the workspace', async () => {
    await page.goto(`${url}?folder=${encodeURIComponent(dirs.workspace)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'report.sql' }).waitFor({ state: 'visible', timeout: 60_000 });
  });

  await mustPass('Quick Open opens report.sql as SQL', async () => {
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    await quickOpen('report.sql');
    await page.locator('.monaco-editor .view-line', { hasText: 'sum(net(amount))' }).waitFor({ state: 'visible' });
    // VS Code's name for the language id "sql", which activates the extension.
    await page.locator('[id="status.editor.mode"]', { hasText: 'MS SQL' }).waitFor({ state: 'visible' });
  });

  await check('warning squiggle exactly under net', () => expectSquiggleUnder('SELECT sum(net(amount)) FROM orders;', 'net', 'warning'));

  await check(`Problems panel: "${NET_DIAGNOSTIC}" at Ln 1, Col 12`, async () => {
    await page.keyboard.press('Control+Shift+M');
    const entry = page.locator('.markers-panel .monaco-list-row', { hasText: NET_DIAGNOSTIC }).first();
    await entry.waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    // Message, source and code (VS Code draws the code's parentheses with CSS), position.
    for (const part of [NET_DIAGNOSTIC_FULL, /pg-parallel-hints\(?\s?unsafe-function\)?/, '[Ln 1, Col 12]']) {
      if (typeof part === 'string' ? !text.includes(part) : !part.test(text)) throw new Error(`the Problems entry lacks ${part}: ${JSON.stringify(text)}`);
    }
  });

  await check('hover on random (Ctrl+K Ctrl+I) shows its card: PARALLEL RESTRICTED', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'SELECT random();' }).click();
    await goTo(2, 9);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    // The server's card (not only the diagnostic VS Code puts above it): signature and label.
    const hover = page.locator('.monaco-editor .monaco-hover:not(.hidden)', { hasText: RANDOM_HOVER_SIGNATURE }).first();
    await hover.waitFor({ state: 'visible' });
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    if (!text.includes(RANDOM_HOVER_LABEL)) throw new Error(`the hover lacks ${JSON.stringify(RANDOM_HOVER_LABEL)}: ${JSON.stringify(text)}`);
  });

  await check('language status item: live PG 18 catalog', async () => {
    await page.keyboard.press('Escape');
    await page.locator('[id="status.languageStatus"]').click();
    const item = page.locator('.hover-language-status', { hasText: status }).first();
    await item.waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
    const text = (await item.innerText()).replace(/\s+/g, ' ');
    if (!text.includes(`${database.url.replace(/^postgres:\/\//, '')}: live catalog`)) throw new Error(`the status detail does not say live: ${JSON.stringify(text)}`);
  });

  await check('the installed extension runs one language server, its bundle (dist/server.js)', () => {
    const servers = serverCommandLines(dirs);
    if (servers.length !== 1) throw new Error(`expected one language server process from the installed extension, found ${servers.length}: ${JSON.stringify(servers)}`);
  });

  await check('typing away from the diagnostics: answered "unchanged", the squiggle stays; typing before net moves it', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: 'SELECT random();' }).click();
    await page.locator('.hover-language-status').first().waitFor({ state: 'detached' });
    const logs = path.join(dirs.userData, 'logs');
    const unchanged = '"kind": "unchanged"';
    const before = occurrences(logs, unchanged);
    // An alias for orders, two keystrokes in quick succession: the statement is analysed again, its
    // diagnostic is the same. The second key cancels the first key's pull; without the client's
    // middleware (extension.ts) the library dropped the result id then and the answer came in full.
    await goTo(1, 36);
    await page.keyboard.type(' o');
    if ((await untilLogsShow(() => occurrences(logs, unchanged), (n) => n > before)) <= before) throw new Error('no pull answered "unchanged" traced in VS Code\'s logs after the edit');
    await page.locator('.markers-panel .monaco-list-row', { hasText: NET_DIAGNOSTIC }).filter({ hasText: '[Ln 1, Col 12]' }).first().waitFor({ state: 'visible' });
    await expectSquiggleUnder('SELECT sum(net(amount)) FROM orders o;', 'net', 'warning');
    // Text before net on its line: the list comes in full, with net three columns on.
    await goTo(1, 8);
    await page.keyboard.type('1, ');
    await page.locator('.markers-panel .monaco-list-row', { hasText: NET_DIAGNOSTIC }).filter({ hasText: '[Ln 1, Col 15]' }).first().waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
    await expectSquiggleUnder('SELECT 1, sum(net(amount)) FROM orders o;', 'net', 'warning');
    // Quick keys that leave the text as it was (three spaces after the statement, taken back): each
    // key's pull is cancelled by the next. Every pull VS Code cancelled with a result id must be
    // followed by one that kept it; at least one such pair must be seen, or nothing was checked.
    await page.keyboard.press('End');
    await page.keyboard.type('   ');
    for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
    const pulls = await untilLogsShow(() => cancelledPulls(logs), (p) => p.retried > 0 || p.dropped.length > 0);
    if (pulls.dropped.length) throw new Error(`a pull after a cancelled one came without the result id: ${pulls.dropped.join(', ')}`);
    if (pulls.retried === 0) throw new Error('no pull carrying a result id was cancelled while typing: the check saw nothing to check');
    await expectSquiggleUnder('SELECT 1, sum(net(amount)) FROM orders o;', 'net', 'warning');
  });

  await check('Refresh catalog (command palette) picks up ALTER FUNCTION net PARALLEL SAFE', async () => {
    // Close the status hover by going back to the text, as a user would.
    await page.locator('.monaco-editor .view-line', { hasText: 'SELECT random();' }).click();
    await page.locator('.hover-language-status').first().waitFor({ state: 'detached' });
    // The user fixes the function in the database; only a refresh makes the extension see it.
    await database.sql('ALTER FUNCTION net(numeric) PARALLEL SAFE');
    await runCommand(`${COMMAND_PREFIX}: Refresh catalog`);
    // fade-in-done: the toast has slid in completely (what the screenshot should show).
    await page.locator('.notifications-toasts .notification-toast.notification-fade-in-done', { hasText: `${COMMAND_PREFIX}: ` }).filter({ hasText: status }).first().waitFor({ state: 'visible' });
    await page.locator('.markers-panel .monaco-list-row', { hasText: NET_DIAGNOSTIC }).waitFor({ state: 'detached', timeout: ANALYSIS_TIMEOUT_MS });
    await page.locator('.monaco-editor .squiggly-warning').first().waitFor({ state: 'detached' });
    // random() is still restricted: the panel was refreshed, not emptied.
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'pg_catalog.random() is PARALLEL RESTRICTED' }).waitFor({ state: 'visible' });
  });

  await explainSteps();
  await passwordStep(dirs);
  await largeDocumentStep();

  if (pageErrors.length) log(`  note: ${pageErrors.length} errors in the page, first: ${pageErrors[0]}`);
}

/** A large file: the status bar shows the server's progress while it is analysed in steps, then its squiggle comes. */
async function largeDocumentStep() {
  await check('a 1.2 MB file: the status bar says "Analysing large.sql" while it is analysed, then a warning squiggle exactly under nextval', async () => {
    await page.keyboard.press('Escape');
    await quickOpen('large.sql');
    // The server's work-done progress, shown by VS Code in the status bar.
    const progress = page.locator('.statusbar', { hasText: 'Analysing large.sql' });
    await progress.waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
    await screenshot('large-file-progress');
    await expectSquiggleUnder("SELECT nextval('first_seq');", 'nextval', 'warning');
    await progress.waitFor({ state: 'detached', timeout: ANALYSIS_TIMEOUT_MS });
  });
}

/** Quick Open (Ctrl+P): types the file name, picks it, and waits for its tab to be the active one. */
async function quickOpen(name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible' });
}

/** Command lines (arguments) of the running processes that execute the installed extension's server bundle (Linux /proc). */
function serverCommandLines(dirs) {
  const lines = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args;
    try {
      args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    } catch {
      continue; // ended meanwhile
    }
    if (args.some((arg) => arg.startsWith(dirs.extensions) && arg.endsWith(path.join('dist', 'server.js')))) lines.push(args);
  }
  return lines;
}

/** The text of every file under `dir`, recursively. */
function* filesUnder(dir) {
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield { file: full, text: fs.readFileSync(full, 'latin1') };
  }
}

/**
 * Diagnostic pulls in VS Code's traces of the language server's messages: how many pulls carrying a
 * result id VS Code cancelled (a $/cancelRequest sent, or the server's "cancelled" answer) and then
 * pulled again for the same document, and the numbers of those next pulls that came without the id.
 * Opening or closing the document in between forgets the cancelled pull.
 */
function cancelledPulls(dir) {
  let retried = 0;
  const dropped = [];
  for (const { text } of filesUnder(dir)) {
    // Each traced line starts with a timestamp; a message's params come as the line after it.
    const entries = text.split(/\n(?=\d{4}-\d\d-\d\d )/);
    const pulls = new Map(); // request number -> { uri, withId }
    const awaitingRetry = new Set(); // uris whose last pull carried an id and was cancelled
    const cancel = (number) => {
      const pull = pulls.get(number);
      if (pull?.withId) awaitingRetry.add(pull.uri);
    };
    let sent; // the message whose params come next
    for (const entry of entries) {
      const request = /Sending request 'textDocument\/diagnostic - \((\d+)\)'/.exec(entry);
      const notification = /Sending notification '([^']+)'/.exec(entry);
      const failed = /Received response 'textDocument\/diagnostic - \((\d+)\)'.*Request failed: cancelled/.exec(entry);
      if (request) sent = { pull: request[1] };
      else if (notification) sent = { notification: notification[1] };
      else if (failed) cancel(failed[1]);
      else if (sent && /\] Params: /.test(entry)) {
        const params = JSON.parse(entry.slice(entry.indexOf('Params: ') + 'Params: '.length));
        const uri = params.textDocument?.uri;
        if (sent.pull) {
          const withId = params.previousResultId !== undefined;
          if (awaitingRetry.delete(uri)) {
            if (withId) retried++;
            else dropped.push(sent.pull);
          }
          pulls.set(sent.pull, { uri, withId });
        } else if (sent.notification === '$/cancelRequest') cancel(String(params.id));
        else if (sent.notification === 'textDocument/didOpen' || sent.notification === 'textDocument/didClose') awaitingRetry.delete(uri);
        sent = undefined;
      }
    }
  }
  return { retried, dropped };
}

/**
 * Reads VS Code's log files with `read` until `done` holds for the reading or the analysis timeout
 * passes, and gives the last reading. No request can await a log line: VS Code flushes its log
 * files on its own schedule, so they are polled.
 */
async function untilLogsShow(read, done) {
  const deadline = Date.now() + ANALYSIS_TIMEOUT_MS;
  let reading = read();
  while (!done(reading) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    reading = read();
  }
  return reading;
}

/** How often `needle` occurs in the files under `dir`. */
function occurrences(dir, needle) {
  let count = 0;
  for (const { text } of filesUnder(dir)) count += text.split(needle).length - 1;
  return count;
}

/**
 * Set database password with the server traced verbosely: the password is in no log (the output
 * channel holds every traced message) and no settings file. The trace's own lines prove the scan
 * read a live trace.
 */
async function passwordStep(dirs) {
  await check(`Set database password: with trace.server verbose, the password is in no log or settings file`, async () => {
    await page.keyboard.press('Escape');
    const statusesBefore = occurrences(path.join(dirs.userData, 'logs'), "Received notification 'pgParallelHints/status'");
    await runCommand(`${COMMAND_PREFIX}: Set database password`);
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(E2E_PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // The server reconnects with the new password and says so: a status notification traced after
    // the password was sent proves the logs hold a live verbose trace.
    const logs = path.join(dirs.userData, 'logs');
    const statusLine = "Received notification 'pgParallelHints/status'";
    const after = await untilLogsShow(() => occurrences(logs, statusLine), (n) => n > statusesBefore);
    if (after <= statusesBefore) throw new Error(`no status notification traced in VS Code's logs after the password was set (${after} in all)`);
    for (const dir of [logs, path.join(dirs.userData, 'User'), path.join(dirs.workspace, '.vscode')]) {
      const leaked = [...filesUnder(dir)].filter(({ text }) => text.includes(E2E_PASSWORD)).map(({ file }) => file);
      if (leaked.length) throw new Error(`the password was written to ${leaked.join(', ')}`);
    }
    // The one message that carries it went out untraced.
    if (occurrences(logs, "notification 'pgParallelHints/setPassword'") > 0) throw new Error('the setPassword notification was traced');
  });
}

/** Text of the editor lines on screen that contain `text`, spaces normalised. */
async function editorLine(text) {
  const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
  await line.waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
  return (await line.innerText()).replace(/\s+/g, ' ');
}

/** Explain in the editor: the CodeLens, the report document, EXPLAIN ANALYZE from the palette, the diagram. */
async function explainSteps() {
  const opened = await check('Quick Open opens explain.sql; CodeLens "Explain parallelism" above the statement', async () => {
    await page.keyboard.press('Escape');
    await quickOpen('explain.sql');
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Explain parallelism' }).first().waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Explain analyze' }).first().waitFor({ state: 'visible' });
  });
  if (!opened) return;

  await check('CodeLens "Explain parallelism" opens the plan report beside: Gather, Workers Planned, the parallel part', async () => {
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Explain parallelism' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Plan of explain.sql:1' }).waitFor({ state: 'visible', timeout: ANALYSIS_TIMEOUT_MS });
    const heading = await editorLine('EXPLAIN of SELECT at explain.sql:1');
    if (!/on postgres@127\.0\.0\.1:\d+\/e2e_\d+ \(PostgreSQL 18\.\d+\)/.test(heading)) throw new Error(`unexpected heading: ${JSON.stringify(heading)}`);
    const gather = await editorLine('Workers Planned:');
    if (!/^Gather #2: Workers Planned: [1-9]$/.test(gather.trim())) throw new Error(`unexpected Gather line: ${JSON.stringify(gather)}`);
    await editorLine('-> #4 Parallel Seq Scan on public.big');
    // The report is its own language, highlighted by the extension's grammar.
    await page.locator('[id="status.editor.mode"]', { hasText: 'PostgreSQL Plan Report' }).waitFor({ state: 'visible' });
  });

  await check('Explain analyze (command palette, cursor in the statement): Workers Launched and per-worker rows', async () => {
    await page.locator('.monaco-editor .view-line', { hasText: "SELECT count(*) FROM big WHERE note LIKE '%ab%';" }).first().click();
    await page.locator('.editor-group-container.active .tab.active[data-resource-name="explain.sql"]').waitFor({ state: 'visible' });
    await runCommand(`${COMMAND_PREFIX}: Explain analyze`);
    const gather = await editorLine('Workers Launched:');
    if (!/^Gather #2: Workers Planned: [1-9], Workers Launched: [0-9]$/.test(gather.trim())) throw new Error(`unexpected Gather line: ${JSON.stringify(gather)}`);
    await editorLine('(it ran in a read-only transaction that was rolled back)');
    await editorLine('worker 0:');
  });

  await check('Show plan diagram: the tree with the parallel part framed and per-worker bars', async () => {
    await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Show plan diagram' }).first().click();
    await page.locator('.tabs-container .tab.active', { hasText: 'Plan diagram: EXPLAIN ANALYZE of SELECT at explain.sql:1' }).waitFor({ state: 'visible' });
    // A webview is an iframe in an iframe.
    const view = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await view.locator('ul.parallel-section .node', { hasText: 'Parallel Seq Scan on public.big' }).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    await view.locator('.node.gather', { hasText: 'Workers Launched' }).waitFor({ state: 'visible' });
    const bars = await view.locator('ul.parallel-section .node', { hasText: 'Parallel Seq Scan' }).locator('tr.process').allInnerTexts();
    if (!bars.some((row) => /^leader\b/.test(row)) || !bars.some((row) => /^worker 0\b/.test(row))) throw new Error(`expected bars for the leader and worker 0: ${JSON.stringify(bars)}`);
    const widths = await view.locator('ul.parallel-section .node', { hasText: 'Parallel Seq Scan' }).locator('rect.rows').evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('width'))));
    const sum = widths.reduce((a, b) => a + b, 0);
    if (widths.length < 2 || Math.abs(sum - 100) > 0.5) throw new Error(`the row bars should share 100%: ${JSON.stringify(widths)}`);
  });
}

function copyLogs(dirs) {
  // VS Code's logs (the extension's output channel among them) explain a failure without a rerun.
  const logs = path.join(dirs.userData, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(artifacts, 'logs'), { recursive: true });
}

async function main() {
  const started = Date.now();
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });

  let tools;
  try {
    tools = ensureTools();
  } catch (error) {
    if (error instanceof MissingTool && !isCI) {
      log(`end-to-end suite skipped: ${error.message}`);
      log('\n0 passed, 0 failed');
      return 0;
    }
    fail('set-up (code-server, playwright-core, chromium)', error);
    return summary();
  }
  log(`set-up ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const limit = setTimeout(() => {
    fail('suite time limit', new Error(`the suite did not finish within ${SUITE_LIMIT_MS / 60_000} minutes`));
    cleanUp().finally(() => process.exit(Math.max(1, summary())));
  }, SUITE_LIMIT_MS);
  let dirs;
  try {
    const phase = (label, since) => log(`${label} in ${((Date.now() - since) / 1000).toFixed(1)} s`);
    let t = Date.now();
    runOrThrow('npm', ['run', 'package'], { env: { ...process.env, npm_config_yes: 'true' } });
    phase('packaged pg-parallel-hints.vsix', t);
    t = Date.now();
    const database = await startDatabase();
    phase(`PostgreSQL 18 ready (${database.url})`, t);
    dirs = makeDirs();
    writeWorkspace(dirs, database.url);
    await mustPass('the .vsix installs into code-server', () => installExtension(tools, dirs));
    t = Date.now();
    const url = await startCodeServer(tools, dirs);
    phase(`code-server listening on ${url}`, t);
    t = Date.now();
    await suite(tools, dirs, url, database);
    phase('UI checks', t);
  } catch (error) {
    if (error instanceof Abort) log(`  stopped: ${error.message}`);
    else {
      fail('suite set-up', error);
      await screenshot('failure');
    }
  } finally {
    clearTimeout(limit);
    if (dirs) copyLogs(dirs);
    await cleanUp();
  }
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots in ${path.relative(root, artifacts)}/`);
  return summary();
}

main().then(
  (failed) => process.exit(failed > 0 ? 1 : 0),
  (error) => {
    fail('the runner itself', error);
    cleanUp().finally(() => {
      summary();
      process.exit(1);
    });
  },
);
