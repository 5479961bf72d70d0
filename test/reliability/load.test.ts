/**
 * Load, through the real language server (JSON-RPC in memory, the built-in catalog):
 *  - 50 documents open at once, edited in an interleaved order with diagnostics pulled meanwhile:
 *    each ends with exactly the diagnostics a fresh server gives for its final text alone;
 *  - a workspace of 5,000 SQL files indexed with progress (begin, a report per percent, end), after
 *    which a function defined in the 4,999th file is known in another document;
 *  - an hour-equivalent of editing (3,600 edits, one per simulated second) of a 100 KB document:
 *    the heap after a forced full collection stays flat (printed, with RSS).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, DocumentDiagnosticReport, Hover, LogMessageParams, TextDocumentContentChangeEvent, WorkDoneProgressBegin, WorkDoneProgressEnd, WorkDoneProgressReport } from 'vscode-languageserver-protocol';
import { v8Heap } from '../../server/src/memory';
import { closeAll, startInMemory, summarize, TestClient } from '../lsp/client';
import { mb, measured, ms } from './measure';

/** A small deterministic PRNG, so that a failure replays. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Calls whose labels differ in the built-in catalog: safe, restricted, unsafe. */
const CALLS = ['abs(x)', 'random()', 'txid_current()', 'lower(name)', 'pg_backend_pid()', 'setseed(0.5)', 'now()', 'nextval(\'s\')'];

/** Pulled diagnostics of a document (a full report). */
async function pulled(client: TestClient, uri: string): Promise<Diagnostic[]> {
  const report: DocumentDiagnosticReport = await client.rpc.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  assert.strictEqual(report.kind, 'full');
  return report.items;
}

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as { value: string }).value;
}


describe('reliability: load through the language server', function () {
  this.timeout(300_000);
  const clients: TestClient[] = [];

  afterEach(() => closeAll(clients));

  async function start(options: Parameters<typeof startInMemory>[0] = {}): Promise<TestClient> {
    const client = await startInMemory({ ...options, deps: { env: {}, ...options.deps } });
    clients.push(client);
    return client;
  }

  it('50 documents edited concurrently each end with the diagnostics of a fresh analysis of their final text', async () => {
    const random = prng(50);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
    const client = await start();
    const docs = Array.from({ length: 50 }, (_, i) => {
      const uri = `file:///load/doc-${i}.sql`;
      const text = Array.from({ length: 20 }, (_, line) => `SELECT ${pick(CALLS)}, ${line} FROM t${i};`).join('\n') + '\n';
      return { uri, doc: TextDocument.create(uri, 'sql', 1, text) };
    });
    await Promise.all(docs.map(({ uri, doc }) => client.open(uri, doc.getText())));

    // 40 rounds; in each, every document gets one to three edits in a shuffled order, and a few
    // documents are pulled in between (their answers are for versions about to be superseded).
    let edits = 0;
    const pulls: Promise<unknown>[] = [];
    for (let round = 0; round < 40; round++) {
      const order = [...docs].sort(() => random() - 0.5);
      for (const entry of order) {
        const changes: TextDocumentContentChangeEvent[] = [];
        for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
          const line = Math.min(Math.floor(random() * entry.doc.lineCount), entry.doc.lineCount - 2);
          const start = { line, character: 0 };
          const lineText = entry.doc.getText({ start, end: { line: line + 1, character: 0 } });
          const comma = lineText.indexOf(',');
          const roll = random();
          const change: TextDocumentContentChangeEvent =
            roll < 0.1 && entry.doc.lineCount > 5
              ? { range: { start, end: { line: line + 1, character: 0 } }, text: '' } // a line deleted
              : roll < 0.3 || !lineText.startsWith('SELECT ') || comma < 7
                ? { range: { start, end: start }, text: `SELECT ${pick(CALLS)}, 0;\n` } // a statement added
                : { range: { start: { line, character: 7 }, end: { line, character: comma } }, text: pick(CALLS) }; // another call
          changes.push(change);
          entry.doc = TextDocument.update(entry.doc, [change], entry.doc.version + 1);
        }
        edits += changes.length;
        // One didChange per edit batch, as an editor sends them; the client's version follows.
        await client.change(entry.uri, changes);
        if (random() < 0.05) pulls.push(pulled(client, entry.uri));
      }
    }
    await Promise.all(pulls);
    const started = performance.now();
    const finals = await Promise.all(docs.map(({ uri }) => pulled(client, uri)));
    const pullAllMs = performance.now() - started;

    const fresh = await start();
    let findings = 0;
    for (const [i, { uri, doc }] of docs.entries()) {
      const alone = `file:///fresh/doc-${i}.sql`;
      await fresh.open(alone, doc.getText());
      const expected = summarize(await pulled(fresh, alone));
      await fresh.close(alone);
      assert.deepStrictEqual(summarize(finals[i]), expected, `${uri} after its edits`);
      findings += expected.length;
    }
    assert.ok(findings > 500, `only ${findings} diagnostics: the edits must leave calls to report`);
    measured('50 documents', `${edits} edits in 40 interleaved rounds, ${pulls.length} pulls meanwhile; final pull of all 50: ${ms(pullAllMs)}; ${findings} diagnostics, all equal to a fresh analysis`);
  });

  describe('a workspace of 5,000 SQL files', () => {
    let workspace: string;

    before(() => {
      workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-load-'));
      for (let i = 1; i <= 5_000; i++) {
        const dir = path.join(workspace, `module-${String(Math.ceil(i / 100)).padStart(2, '0')}`);
        if (i % 100 === 1) fs.mkdirSync(dir);
        const body = [
          `-- file ${i}`,
          // One definition per file, applied in file order to the folder catalog (RELIABILITY.md).
          i === 4_999 ? 'CREATE TABLE items_4999 (id integer, qty integer);' : '',
          `CREATE FUNCTION helper_${i}(v integer) RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT v + ${i} $$;`,
          ...(i === 4_999 ? ['', 'CREATE FUNCTION deep_lookup(v integer) RETURNS integer', '  LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN v; END $$;'] : []),
          `SELECT helper_${i}(1);`,
          '',
        ];
        fs.writeFileSync(path.join(dir, `file-${String(i).padStart(4, '0')}.sql`), body.join('\n'));
      }
    });

    after(() => fs.rmSync(workspace, { recursive: true, force: true }));

    it('indexes them with progress begin, a report per percent and end; a function of file 4,999 is then known elsewhere', async () => {
      const folder = pathToFileURL(workspace).href;
      const started = performance.now();
      const client = await start({ workspaceFolders: [{ uri: folder, name: 'big' }] });
      const ended = await client.waitFor<{ value: WorkDoneProgressEnd }>('$/progress', (p) => p.value.kind === 'end');
      const indexMs = performance.now() - started;
      await client.waitFor<LogMessageParams>('window/logMessage', (p) => p.message.startsWith('indexed '));
      const progress = client.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }).value);
      assert.deepStrictEqual(progress[0], { kind: 'begin', title: 'Indexing SQL files', cancellable: false, message: workspace, percentage: 0 });
      assert.strictEqual(progress[progress.length - 1], ended.value);
      const reports = progress.slice(1, -1) as WorkDoneProgressReport[];
      assert.deepStrictEqual(
        reports.map((r) => r.kind),
        reports.map(() => 'report'),
      );
      // Indexing does not wait for the client to accept the progress token: the shares reported
      // before it did are not sent. From then on, one report per percent, in order, up to 100.
      const shares = reports.map((r) => r.percentage!);
      const first = shares[0];
      assert.deepStrictEqual(shares, Array.from({ length: 101 - first }, (_, i) => first + i), 'one report per percent, in order');
      assert.strictEqual(reports[reports.length - 1].message, '5000/5000 files');
      const logs = client.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as LogMessageParams).message);
      assert.ok(logs.includes(`indexed 5000 SQL files in ${workspace}`), logs.join('\n'));

      const uri = `${folder}/reports/monthly.sql`;
      const opened = performance.now();
      await client.open(uri, 'SELECT deep_lookup(qty), helper_17(id) FROM items_4999;\n');
      const diagnostics = summarize(await pulled(client, uri));
      const firstDiagnosticsMs = performance.now() - opened;
      assert.deepStrictEqual(diagnostics, [
        '0:7-0:18 information restricted-function: public.deep_lookup(v integer) is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);
      const hovered = performance.now();
      const hover = markdown(await client.hover(uri, { line: 0, character: 9 }));
      const hoverMs = performance.now() - hovered;
      const again = performance.now();
      await client.hover(uri, { line: 0, character: 9 });
      const hoverAgainMs = performance.now() - again;
      assert.match(hover, /^```sql\npublic\.deep_lookup\(v integer\) → integer\n```\n\*\*PARALLEL RESTRICTED\*\*/);
      assert.match(hover, /defined at `module-50\/file-4999\.sql:5`/);
      measured('5,000-file workspace', `indexed in ${ms(indexMs)} (${reports.length} progress reports); a new document's first diagnostics ${ms(firstDiagnosticsMs)}, hover ${ms(hoverMs)}, again ${ms(hoverAgainMs)}`);
    });
  });

  it('an hour-equivalent of edits (3,600) of a 100 KB document: the heap after a full collection stays flat', async () => {
    const client = await start();
    const uri = 'file:///load/hour.sql';
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 100_000; i++) lines.push(`SELECT ${CALLS[i % CALLS.length]}, id, qty * ${i} FROM orders_${i % 50} WHERE id > ${i};`);
    let doc = TextDocument.create(uri, 'sql', 1, lines.join('\n') + '\n');
    await client.open(uri, doc.getText());
    const baseline = summarize(await pulled(client, uri));

    const random = prng(3600);
    const heap: number[] = [];
    const rss: number[] = [];
    // Forced full collections (mocha runs without --expose-gc; the server's own door to them).
    const v8 = v8Heap();
    assert.ok(v8, 'this Node can expose a full collection');
    const sample = () => {
      v8.collect();
      const usage = process.memoryUsage();
      heap.push(usage.heapUsed);
      rss.push(usage.rss);
    };
    const started = performance.now();
    sample();
    // Typing: a call is replaced by another, one character at a time (delete, then insert), in a
    // random line; the text keeps its size and every edit changes what the statement calls.
    for (let second = 1; second <= 3_600; second++) {
      const line = Math.floor(random() * (doc.lineCount - 1));
      const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      const comma = text.indexOf(',');
      const change: TextDocumentContentChangeEvent = { range: { start: { line, character: 7 }, end: { line, character: comma } }, text: CALLS[Math.floor(random() * CALLS.length)] };
      doc = TextDocument.update(doc, [change], doc.version + 1);
      await client.change(uri, [change]);
      // An editor asks for diagnostics after a pause in typing, and hovers now and then.
      if (second % 5 === 0) await pulled(client, uri);
      if (second % 60 === 0) await client.hover(uri, { line, character: 8 });
      if (second % 600 === 0) sample();
    }
    const editMs = performance.now() - started;

    // Still exact after an hour of edits.
    const fresh = await start();
    await fresh.open('file:///fresh/hour.sql', doc.getText());
    assert.deepStrictEqual(summarize(await pulled(client, uri)), summarize(await pulled(fresh, 'file:///fresh/hour.sql')));
    assert.ok(baseline.length > 500);

    measured('hour of edits', `3,600 edits of a ${(doc.getText().length / 1000).toFixed(0)} KB document in ${ms(editMs)}; heap after full GC every 600 edits: ${heap.map(mb).join(', ')}; RSS ${rss.map(mb).join(', ')}`);
    // The first 600 edits fill caches and the parser's memory; after that, a leak of even 5 KB per
    // edit would add 15 MB over the remaining 3,000. Heap after a full collection varies by far
    // less than that between samples of the same steady state.
    const growth = heap[heap.length - 1] - heap[1];
    assert.ok(growth < 15e6, `heap grew by ${mb(growth)} over 3,000 edits after warm-up: ${heap.map(mb).join(', ')}`);
  });
});
