/**
 * "Explain parallelism" through the language server, against a real PostgreSQL: the request, its
 * refusals, cancellation that really stops the statement on the server, EXPLAIN ANALYZE of a write
 * that leaves the table unchanged, the findings as diagnostics on the explained statement, the
 * CodeLens, and the settings audit.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc';
import type { CodeLens, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { auditSettings, formatAudit } from '../../server/src/core/audit';
import { readSettings } from '../../server/src/db/catalog';
import { auditSettingsRequest, ExplainErrorData, ExplainParams, ExplainResponse, explainRequest, StatusParams } from '../../server/src/protocol';
import { testCluster } from '../harness/postgres';
import { closeAll, PUSH_CLIENT, rangeText, startInMemory, TestClient } from './client';

const SQL = [
  'CREATE TABLE notes (id int);', // 0
  'SELECT count(*) FROM big;', // 1
  'UPDATE big SET grp = grp + 1 WHERE id <= 10;', // 2
  'SELECT pg_sleep(30);', // 3
  'VALUES (1);', // 4
  '',
].join('\n');

interface PlanNode {
  'Node Type': string;
  'Startup Cost': number;
  'Total Cost': number;
  'Plan Rows': number;
  Plans?: PlanNode[];
}

async function rejection(promise: Promise<unknown>): Promise<ResponseError<ExplainErrorData>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
    return error as ResponseError<ExplainErrorData>;
  }
  assert.fail('expected the request to fail');
}

const groupDigits = (n: number) => n.toLocaleString('en-US');

describe('lsp: explain and settings audit', function () {
  this.timeout(60_000);
  const clients: TestClient[] = [];
  let url: string;
  let port: number;
  let database: string;
  let admin: Client;

  before(async () => {
    const cluster = await testCluster();
    port = cluster.port;
    url = await cluster.createDatabase('lsp_explain');
    database = new URL(url).pathname.slice(1);
    admin = new Client({ connectionString: url });
    await admin.connect();
    // Parallel plans for a small table: every session of this database plans with zero parallel costs.
    await admin.query(`CREATE TABLE big AS SELECT g AS id, g % 100 AS grp FROM generate_series(1, 10000) g;
      ANALYZE big;
      ALTER DATABASE "${database}" SET parallel_setup_cost = 0;
      ALTER DATABASE "${database}" SET parallel_tuple_cost = 0;
      ALTER DATABASE "${database}" SET min_parallel_table_scan_size = 0;`);
  });

  after(async () => {
    await admin?.end();
  });

  afterEach(() => closeAll(clients));

  async function serve(settings: object = { connection: { url } }, options: Parameters<typeof startInMemory>[0] = {}): Promise<TestClient> {
    const client = await startInMemory({
      configuration: () => ({ connectTimeoutMs: 5000, ...settings }),
      deps: { env: {}, retry: { initialMs: 50, maxMs: 200 } },
      ...options,
    });
    clients.push(client);
    return client;
  }

  async function openLive(client: TestClient, uri: string, text = SQL): Promise<void> {
    const live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
    await client.open(uri, text);
    await live;
  }

  const explain = (client: TestClient, params: ExplainParams, token?: CancellationTokenSource): Promise<ExplainResponse> =>
    client.rpc.sendRequest(explainRequest.method, params, token?.token) as Promise<ExplainResponse>;

  it('without a database: a clear error, and no CodeLens', async () => {
    const client = await serve({});
    const uri = 'file:///work/offline.sql';
    await client.open(uri, SQL);
    const error = await rejection(explain(client, { uri, position: { line: 1, character: 3 }, analyze: false, allowWrites: false }));
    assert.strictEqual(
      error.message,
      'Explain needs a database connection: set pgParallelHints.connection.url (or the PG* environment variables) for this folder; in an untrusted workspace the extension never connects',
    );
    assert.deepStrictEqual(error.data, { reason: 'no-database' });
    assert.deepStrictEqual(await client.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri } }), []);
    const audit = await rejection(client.rpc.sendRequest(auditSettingsRequest.method, {}));
    assert.match(audit.message, /^The settings audit needs a database connection: set pgParallelHints\.connection\.url/);
  });

  it('refuses utility statements and a cursor outside any statement before touching the database', async () => {
    const client = await serve({});
    const uri = 'file:///work/utility.sql';
    await client.open(uri, SQL);
    const utility = await rejection(explain(client, { uri, position: { line: 0, character: 2 }, analyze: false, allowWrites: false }));
    assert.strictEqual(utility.message, 'Explain: CREATE TABLE is a utility statement: the planner does not plan it, so it has no plan to explain');
    assert.deepStrictEqual(utility.data, { reason: 'not-explainable' });
    const nowhere = await rejection(explain(client, { uri, position: { line: 5, character: 0 }, analyze: false, allowWrites: false }));
    assert.strictEqual(nowhere.message, 'Explain: there is no SQL statement at the cursor');
    assert.deepStrictEqual(nowhere.data, { reason: 'no-statement' });
    // A psql script: a meta-command, and a statement whose variables psql fills in (no CodeLens either).
    const script = 'file:///work/script.sql';
    await client.open(script, '\\set lim 10\nSELECT * FROM big LIMIT :lim;\n');
    const meta = await rejection(explain(client, { uri: script, position: { line: 0, character: 1 }, analyze: false, allowWrites: false }));
    assert.strictEqual(meta.message, 'Explain: this is a psql meta-command, not a statement to explain');
    const variables = await rejection(explain(client, { uri: script, position: { line: 1, character: 1 }, analyze: false, allowWrites: false }));
    assert.strictEqual(variables.message, 'Explain: the statement uses psql variables (:name), which psql fills in before it sends a statement: EXPLAIN takes the text as written, so put values in their place');
    // A document over maxFileSize is not analysed: that is why there is no statement to explain.
    const small = await serve({ connection: { url }, maxFileSize: 40 });
    const big = 'file:///work/big.sql';
    await small.open(big, 'SELECT 1;\nSELECT 2;\nSELECT 3;\nSELECT random();\n');
    const tooLarge = await rejection(explain(small, { uri: big, position: { line: 3, character: 2 }, analyze: false, allowWrites: false }));
    assert.deepStrictEqual([tooLarge.message, tooLarge.data], ['Explain: not analysed: the document is 47 bytes, larger than pgParallelHints.maxFileSize (40 bytes)', { reason: 'no-statement' }]);
  });

  it('explains the statement at the cursor: report, plan, Gathers and the statement range', async () => {
    const client = await serve();
    const uri = 'file:///work/report.sql';
    await openLive(client, uri);
    const result = await explain(client, { uri, position: { line: 1, character: 10 }, analyze: false, allowWrites: false });
    assert.strictEqual(rangeText(result.range), '1:0-1:24');
    assert.strictEqual(result.statement, 'SELECT count(*) FROM big');
    assert.strictEqual(result.kind, 'SELECT');
    assert.strictEqual(result.analyzed, false);
    assert.deepStrictEqual(result.writes, []);
    assert.strictEqual(result.target, `postgres@127.0.0.1:${port}/${database}`);
    assert.deepStrictEqual(result.gathers, [{ nodeType: 'Gather', workersPlanned: 2, singleCopy: false, path: [0] }]);
    assert.deepStrictEqual(
      result.findings.map((f) => `${f.severity} ${f.code}`),
      ['hint workers-capped-per-gather', 'hint estimate-per-process'],
    );

    // The tree lines carry the plan's own costs; everything else is fixed text.
    const top = (result.plan as { Plan: PlanNode }[])[0].Plan;
    const gather = top.Plans![0];
    const partial = gather.Plans![0];
    const scan = partial.Plans![0];
    const cost = (n: PlanNode) => `cost ${n['Startup Cost']}..${n['Total Cost']}`;
    const version = String(result.versionNum);
    const expectedHeader = [
      `EXPLAIN of SELECT at report.sql:2 on postgres@127.0.0.1:${port}/${database} (PostgreSQL ${version.slice(0, 2)}.${Number(version.slice(2))})`,
      '    SELECT count(*) FROM big',
      '',
      'Gather #2: Workers Planned: 2',
      '',
      'Parallel plan (Gather #2: 2 planned)',
      '',
      `  -> #1 Finalize Aggregate  (${cost(top)}, rows 1)`,
      `     -> #2 Gather  (${cost(gather)}, rows 2, workers 2 planned)`,
      `‖       -> #3 Partial Aggregate  (${cost(partial)}, rows 1 per process)`,
      `‖          -> #4 Parallel Seq Scan on public.big  (${cost(scan)}, rows ${groupDigits(scan['Plan Rows'])} per process)`,
      '',
      'Findings:',
      '  hint workers-capped-per-gather: #2 Gather: 2 workers planned, which is max_parallel_workers_per_gather: the planner may have wanted more (one more per tripling of the table beyond min_parallel_table_scan_size)',
    ];
    assert.deepStrictEqual(result.report.split('\n').slice(0, expectedHeader.length), expectedHeader);
  });

  it('adds the findings as diagnostics on the explained statement until its text changes', async () => {
    const client = await serve();
    const uri = 'file:///work/diagnostics.sql';
    await openLive(client, uri);
    const refreshed = client.waitForNext('workspace/diagnostic/refresh');
    await explain(client, { uri, position: { line: 1, character: 0 }, analyze: false, allowWrites: false });
    await refreshed;
    const explainOnly = (items: Diagnostic[]) => items.filter((d) => d.source === 'pg-parallel-hints (explain)');
    let items = explainOnly(await client.diagnostics(uri));
    assert.deepStrictEqual(
      items.map((d) => `${rangeText(d.range)} ${d.severity} ${d.code}`),
      ['1:0-1:6 4 workers-capped-per-gather', '1:0-1:6 4 estimate-per-process'],
    );
    assert.strictEqual(
      items[0].message,
      'EXPLAIN: #2 Gather: 2 workers planned, which is max_parallel_workers_per_gather: the planner may have wanted more (one more per tripling of the table beyond min_parallel_table_scan_size)',
    );
    assert.deepStrictEqual(items[0].relatedInformation, [
      {
        location: { uri, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 24 } } },
        message:
          'advice: To let this statement use more workers, raise max_parallel_workers_per_gather for the session (SET max_parallel_workers_per_gather = 4) or the table\'s parallel_workers; each extra worker needs a free slot in max_parallel_workers and max_worker_processes.',
      },
    ]);

    // An edit elsewhere moves them with the statement.
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- notes\n' }]);
    items = explainOnly(await client.diagnostics(uri));
    assert.deepStrictEqual(items.map((d) => rangeText(d.range)), ['2:0-2:6', '2:0-2:6']);

    // Changing the statement itself retires them; the static diagnostics stay.
    await client.change(uri, [{ range: { start: { line: 2, character: 21 }, end: { line: 2, character: 24 } }, text: 'big b' }]);
    const all = await client.diagnostics(uri);
    assert.deepStrictEqual(explainOnly(all), []);
    assert.ok(all.every((d) => d.source === 'pg-parallel-hints'));
  });

  it('moves the findings with their statement when a line break before it leaves its offset as it was', async () => {
    const client = await serve();
    const uri = 'file:///work/line-break.sql';
    await openLive(client, uri, 'SELECT 1; SELECT count(*) FROM big;\n');
    const refreshed = client.waitForNext('workspace/diagnostic/refresh');
    await explain(client, { uri, position: { line: 0, character: 10 }, analyze: false, allowWrites: false });
    await refreshed;
    const explainRanges = (items: Diagnostic[]) => items.filter((d) => d.source === 'pg-parallel-hints (explain)').map((d) => rangeText(d.range));
    const first = await client.pull(uri);
    assert.strictEqual(first.kind, 'full');
    assert.deepStrictEqual(explainRanges(first.items), ['0:10-0:16', '0:10-0:16']);
    // The space before the statement becomes a line break: every offset stays, the findings' line does not.
    await client.change(uri, [{ range: { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } }, text: '\n' }]);
    const moved = await client.pull(uri, first.resultId);
    assert.strictEqual(moved.kind, 'full');
    assert.deepStrictEqual(explainRanges(moved.items), ['1:0-1:6', '1:0-1:6']);
  });

  it('pushes them to clients without pull diagnostics', async () => {
    const client = await serve({ connection: { url } }, { capabilities: PUSH_CLIENT, configuration: undefined, initializationOptions: { settings: { connection: { url } } } });
    const uri = 'file:///work/pushed.sql';
    await openLive(client, uri);
    const pushed = client.waitForNext<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.diagnostics.some((d) => d.source === 'pg-parallel-hints (explain)'));
    await explain(client, { uri, position: { line: 4, character: 1 }, analyze: false, allowWrites: false });
    const { diagnostics } = await pushed;
    assert.deepStrictEqual(
      diagnostics.filter((d) => d.source === 'pg-parallel-hints (explain)').map((d) => `${rangeText(d.range)} ${d.code}`),
      ['4:0-4:6 no-parallel-part'],
    );
  });

  it('EXPLAIN ANALYZE of an UPDATE asks for confirmation, then runs it and rolls it back', async () => {
    const client = await serve();
    const uri = 'file:///work/update.sql';
    await openLive(client, uri);
    const before = (await admin.query('SELECT sum(grp)::int AS s FROM big')).rows[0].s;
    const refused = await rejection(explain(client, { uri, position: { line: 2, character: 0 }, analyze: true, allowWrites: false }));
    assert.strictEqual(
      refused.message,
      'Explain: EXPLAIN ANALYZE runs the statement, and it writes (UPDATE): it needs confirmation; it would then run in a transaction that is rolled back',
    );
    assert.deepStrictEqual(refused.data, { reason: 'needs-confirmation', writes: ['UPDATE'] });
    const result = await explain(client, { uri, position: { line: 2, character: 0 }, analyze: true, allowWrites: true });
    assert.strictEqual(result.analyzed, true);
    assert.deepStrictEqual(result.writes, ['UPDATE']);
    assert.deepStrictEqual(result.report.split('\n').slice(1, 3), ['    UPDATE big SET grp = grp + 1 WHERE id <= 10', '  (it ran and was rolled back: its writes (UPDATE) were undone)']);
    assert.strictEqual((await admin.query('SELECT sum(grp)::int AS s FROM big')).rows[0].s, before);
  });

  it('cancelling the request cancels the statement on the server; the next request works', async () => {
    const client = await serve();
    const uri = 'file:///work/cancel.sql';
    await openLive(client, uri);
    const source = new CancellationTokenSource();
    const pending = explain(client, { uri, position: { line: 3, character: 0 }, analyze: true, allowWrites: false }, source);
    // Cancel once the statement is really running on the server.
    const running = `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state = 'active' AND query LIKE 'EXPLAIN%pg_sleep(30)%'`;
    while ((await admin.query(running, [database])).rows[0].n === 0) await new Promise((resolve) => setImmediate(resolve));
    source.cancel();
    const error = await rejection(pending);
    assert.strictEqual(error.code, -32800);
    assert.strictEqual(error.message, 'Explain: EXPLAIN was cancelled; the statement was stopped on the server and rolled back');
    assert.deepStrictEqual(error.data, { reason: 'cancelled' });
    assert.strictEqual((await admin.query(running, [database])).rows[0].n, 0);
    const next = await explain(client, { uri, position: { line: 4, character: 0 }, analyze: true, allowWrites: false });
    assert.strictEqual(next.kind, 'SELECT');
    assert.strictEqual(next.analyzed, true);
  });

  it('a statement over the folder\'s statement timeout is cancelled with a clear message', async () => {
    const client = await serve({ connection: { url }, explain: { statementTimeoutMs: 1500 } });
    const uri = 'file:///work/timeout.sql';
    await openLive(client, uri);
    const error = await rejection(explain(client, { uri, position: { line: 3, character: 0 }, analyze: true, allowWrites: false }));
    assert.strictEqual(error.message, 'Explain: the statement ran longer than the statement timeout (1500 ms): it was cancelled on the server and rolled back');
    assert.deepStrictEqual(error.data, { reason: 'timeout' });
  });

  it('adds the why-not answer: a table below min_parallel_table_scan_size, an unsafe function located in the file', async () => {
    const cluster = await testCluster();
    const plainUrl = await cluster.createDatabase('lsp_why_not');
    const setup = new Client({ connectionString: plainUrl });
    await setup.connect();
    await setup.query(`CREATE TABLE big AS SELECT g AS id, g % 100 AS grp FROM generate_series(1, 10000) g;
      ANALYZE big;
      CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$;`);
    await setup.end();
    const client = await serve({ connection: { url: plainUrl } });
    const uri = 'file:///work/why-not.sql';
    await openLive(client, uri, 'SELECT count(*) FROM big;\nSELECT audit_value(id) FROM big;\n');

    const small = await explain(client, { uri, position: { line: 0, character: 0 }, analyze: false, allowWrites: false });
    const tooSmall =
      'public.big is 512 kB (64 pages), below min_parallel_table_scan_size = 8 MB (1,024 pages): the planner does not consider scanning it with workers';
    assert.strictEqual(small.whyNot?.verdict, 'table-below-min-parallel-scan-size');
    const lines = small.report.split('\n');
    const at = lines.indexOf('Why not parallel? table-below-min-parallel-scan-size');
    assert.ok(at > 0, small.report);
    assert.ok(lines.includes(`  information table-below-min-parallel-scan-size: ${tooSmall}`), small.report);
    let items = (await client.diagnostics(uri)).filter((d) => d.source === 'pg-parallel-hints (explain)');
    assert.deepStrictEqual(
      items.map((d) => `${rangeText(d.range)} ${d.code}: ${d.message}`),
      ['0:0-0:6 no-parallel-part: EXPLAIN: The plan has no Gather: it runs in one process.', `0:0-0:6 table-below-min-parallel-scan-size: EXPLAIN: ${tooSmall}`],
    );

    const unsafe = await explain(client, { uri, position: { line: 1, character: 0 }, analyze: false, allowWrites: false });
    assert.strictEqual(unsafe.whyNot?.verdict, 'structural');
    assert.ok(
      unsafe.report.includes(
        '\n  warning unsafe-function at why-not.sql:2:8: public.audit_value(v integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers\n',
      ),
      unsafe.report,
    );
    // The unsafe call is a static diagnostic already: the explain adds only what the plan says.
    items = await client.diagnostics(uri);
    assert.deepStrictEqual(
      items.map((d) => `${rangeText(d.range)} ${d.source} ${d.code}`),
      ['1:7-1:18 pg-parallel-hints unsafe-function', '1:0-1:6 pg-parallel-hints (explain) no-parallel-part'],
    );
  });

  it('Explain and catalog refreshes asked at once take turns on the connection: each Explain plans the statement in a transaction of its own', async () => {
    const client = await serve();
    const uri = 'file:///work/turns.sql';
    await openLive(client, uri, 'SELECT count(*) FROM big;\n');
    // Before they took turns, a refresh's SET LOCAL search_path (pg_catalog only) reached the
    // statement ("relation big does not exist") and its ROLLBACK ended the Explain's transaction.
    const rounds = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const [answer] = await Promise.all([
          explain(client, { uri, position: { line: 0, character: 1 }, analyze: false, allowWrites: false }).then(
            (response) => response.report.split('\n')[0],
            (error: Error) => error.message,
          ),
          client.rpc.sendRequest('pgParallelHints/refreshCatalog', {}),
        ]);
        return answer;
      }),
    );
    assert.deepStrictEqual(new Set(rounds), new Set([rounds.find((line) => line.startsWith('EXPLAIN'))]), rounds.join('\n'));
    assert.strictEqual(rounds.length, 12);
  });

  it('CodeLens: Explain parallelism and Explain analyze above plannable statements and writes', async () => {
    const client = await serve();
    const uri = 'file:///work/lenses.sql';
    await openLive(client, uri);
    const lenses: CodeLens[] = await client.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.deepStrictEqual(
      lenses.map((l) => `${rangeText(l.range)} ${l.command!.title} -> ${l.command!.command} ${JSON.stringify(l.command!.arguments)}`),
      [
        `1:0-1:6 Explain parallelism -> pgParallelHints.explain ["${uri}",{"line":1,"character":0}]`,
        `1:0-1:6 Explain analyze -> pgParallelHints.explainAnalyze ["${uri}",{"line":1,"character":0}]`,
        `2:0-2:6 Explain parallelism -> pgParallelHints.explain ["${uri}",{"line":2,"character":0}]`,
        `2:0-2:6 Explain analyze (asks first, rolled back) -> pgParallelHints.explainAnalyze ["${uri}",{"line":2,"character":0}]`,
        `3:0-3:6 Explain parallelism -> pgParallelHints.explain ["${uri}",{"line":3,"character":0}]`,
        `3:0-3:6 Explain analyze -> pgParallelHints.explainAnalyze ["${uri}",{"line":3,"character":0}]`,
        `4:0-4:6 Explain parallelism -> pgParallelHints.explain ["${uri}",{"line":4,"character":0}]`,
        `4:0-4:6 Explain analyze -> pgParallelHints.explainAnalyze ["${uri}",{"line":4,"character":0}]`,
      ],
    );
    // A psql script's statement with variables: the server never sees it as written.
    const script = 'file:///work/lenses-script.sql';
    await client.open(script, '\\set lim 10\nSELECT * FROM big LIMIT :lim;\nSELECT * FROM big LIMIT 10;\n');
    const scriptLenses: CodeLens[] = await client.rpc.sendRequest('textDocument/codeLens', { textDocument: { uri: script } });
    assert.deepStrictEqual(scriptLenses.map((l) => `${rangeText(l.range)} ${l.command!.title}`), ['2:0-2:6 Explain parallelism', '2:0-2:6 Explain analyze']);
  });

  it('audits the settings of the folder\'s database', async () => {
    const client = await serve();
    await openLive(client, 'file:///work/audit.sql');
    const result = await client.rpc.sendRequest(auditSettingsRequest.method, {});
    // A new session, as the server's: it has the database's settings (the admin session predates them).
    const session = new Client({ connectionString: url });
    await session.connect();
    const expected = auditSettings(await readSettings(session).finally(() => session.end()));
    const target = `postgres@127.0.0.1:${port}/${database}`;
    assert.deepStrictEqual(result, JSON.parse(JSON.stringify({ target, findings: expected, text: formatAudit(expected, target) })));
    // The database's own settings are read, not defaults: the zero costs set above are reported.
    assert.ok(expected.some((f) => f.code === 'non-default-parallel-cost'));
  });
});
