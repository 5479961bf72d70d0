/**
 * The language server over real JSON-RPC (in-memory streams): what an editor sees. Expected
 * diagnostics, hover cards and edits are written out in full.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Client } from 'pg';
import { CancellationTokenSource, LSPErrorCodes } from 'vscode-languageserver-protocol';
import type { CodeAction, LogMessageParams, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';
import type { CatalogFunction, CatalogSnapshot } from '../../server/src/core/catalog-snapshot';
import type { StatusParams } from '../../server/src/protocol';
import { closeAll, cursor, markdown, PUSH_CLIENT, rangeText, startInMemory, summarize, TestClient } from './client';

const DOCS = '[PostgreSQL: parallel safety](https://www.postgresql.org/docs/current/parallel-safety.html)';

/** The built-in catalog of PostgreSQL 18 plus one user function, as a database would have it. */
function catalogWithUserFunction(): CatalogSnapshot {
  const builtin = loadBuiltinCatalog(18);
  const audit: CatalogFunction = {
    oid: 900001,
    schema: 'public',
    name: 'audit_value',
    argTypes: ['integer'],
    argNames: ['v'],
    defaults: 0,
    variadic: false,
    kind: 'f',
    language: 'plpgsql',
    volatility: 'v',
    parallel: 'u',
    returnType: 'integer',
    returnsSet: false,
  };
  return { ...builtin, source: { ...builtin.source, kind: 'file' }, functions: [...builtin.functions, audit] };
}

describe('lsp: server over JSON-RPC', function () {
  this.timeout(20_000);
  const clients: TestClient[] = [];
  let workspace: string;

  async function start(options: Parameters<typeof startInMemory>[0] = {}): Promise<TestClient> {
    const client = await startInMemory(options);
    clients.push(client);
    return client;
  }

  before(() => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-lsp-'));
    fs.writeFileSync(
      path.join(workspace, 'functions.sql'),
      [
        '-- Reporting helpers',
        'CREATE FUNCTION slow_total(n integer) RETURNS bigint',
        '  LANGUAGE plpgsql AS $$ BEGIN RETURN n; END $$;',
        '',
        'CREATE TABLE orders (id integer, total numeric) WITH (parallel_workers = 4);',
        'CREATE VIEW order_report AS SELECT id, slow_total(id) AS t, random() AS r FROM orders;',
        'SELECT slow_total(1);',
        'CREATE FUNCTION money_add(a numeric, b numeric) RETURNS numeric',
        '  LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN a + b; END $$;',
        'CREATE OPERATOR |+| (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = money_add);',
        '',
      ].join('\n'),
    );
    fs.mkdirSync(path.join(workspace, 'other'));
  });

  afterEach(() => closeAll(clients));

  after(() => fs.rmSync(workspace, { recursive: true, force: true }));

  const folderUri = () => pathToFileURL(workspace).href;
  // The server logs this once a folder is indexed (its progress may end before a slow client even accepted it).
  const indexed = (client: TestClient) => client.waitFor<LogMessageParams>('window/logMessage', (p) => p.message.startsWith('indexed '));

  /** The values of the `$/progress` notifications received so far. */
  const progressValues = (client: TestClient) =>
    client.notifications.filter((n) => n.method === '$/progress').map((n) => (n.params as { value: { kind: string; title?: string; percentage?: number } }).value);

  /** A client that held its answer to progress creation until the work ended: nothing was sent; answered now, the token is only ended. */
  async function acceptLateGetsOnlyAnEnd(client: TestClient, accept: () => void): Promise<void> {
    assert.deepStrictEqual(progressValues(client), []);
    const ended = client.waitFor<{ value: { kind: string } }>('$/progress', (p) => p.value.kind === 'end');
    accept();
    await ended;
    assert.deepStrictEqual(progressValues(client), [{ kind: 'end' }]);
  }

  /** What the server traced (with $/setTrace verbose) about analysing `uri`, durations as "N ms". */
  const analysisTrace = (client: TestClient, uri: string) =>
    client.notifications
      .filter((n) => n.method === '$/logTrace')
      .map((n) => (n.params as { message: string }).message)
      .filter((m) => m.startsWith(`analysed ${uri} `) || m.startsWith(`analysing ${uri} `))
      .map((m) => m.replace(/\d+\.\d ms$/, 'N ms'));

  it('announces incremental sync, pull diagnostics, hover, definition, quick fixes and code lenses', async () => {
    const client = await start();
    assert.deepStrictEqual(client.initializeResult.capabilities, {
      textDocumentSync: { openClose: true, change: 2 },
      hoverProvider: true,
      definitionProvider: true,
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      codeLensProvider: { resolveProvider: false },
      diagnosticProvider: { identifier: 'pg-parallel-hints', interFileDependencies: true, workspaceDiagnostics: false },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    });
    assert.strictEqual(client.initializeResult.serverInfo?.name, 'pg-parallel-hints');
  });

  it('pulls diagnostics with exact ranges for an unsafe function defined in the document, and says unchanged when nothing changed', async () => {
    const client = await start();
    const uri = 'file:///nowhere/report.sql';
    await client.open(uri, 'CREATE FUNCTION slow(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$;\nSELECT slow(a) FROM generate_series(1, 10) a;\n');
    const report = await client.pull(uri);
    assert.strictEqual(report.kind, 'full');
    assert.deepStrictEqual(summarize(report.items), [
      '0:16-0:20 information function-could-be-safe: public.slow(integer) has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL SAFE',
      '1:7-1:11 warning unsafe-function: public.slow(integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
    ]);
    assert.ok(report.items.every((d) => d.source === 'pg-parallel-hints'));
    assert.deepStrictEqual(report.items[1].relatedInformation, [
      { location: { uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 69 } } }, message: 'public.slow(integer) is defined here' },
    ]);
    const again = await client.pull(uri, report.resultId);
    assert.deepStrictEqual(again, { kind: 'unchanged', resultId: report.resultId });
  });

  it('pushes diagnostics, with the document version, to a client without pull support', async () => {
    const client = await start({ capabilities: PUSH_CLIENT });
    const uri = 'file:///nowhere/push.sql';
    await client.open(uri, 'SELECT random();\n');
    const first = await client.pushed(uri, 1);
    assert.deepStrictEqual(summarize(first.diagnostics), [
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const version = await client.change(uri, [{ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 15 } }, text: 'txid_current()' }]);
    const second = await client.pushed(uri, version);
    assert.deepStrictEqual(summarize(second.diagnostics), [
      '0:7-0:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    await client.close(uri);
    const cleared = await client.waitForNext<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    assert.deepStrictEqual(cleared.diagnostics, []);
  });

  it('answers unchanged, with the last result id, after an edit that moves none of the diagnostics; in full after one that does', async () => {
    const client = await start();
    const uri = 'file:///nowhere/typing.sql';
    await client.open(uri, 'SELECT 1;\nSELECT random(), 2;\n');
    const first = await client.pull(uri);
    assert.strictEqual(first.kind, 'full');
    const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character } });
    // In a statement without diagnostics, and after the diagnostic in the statement that has one
    // (analysed again, its diagnostic made afresh and equal).
    await client.change(uri, [{ range: at(0, 8), text: '0' }]);
    assert.deepStrictEqual(await client.pull(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });
    await client.change(uri, [{ range: at(1, 17), text: '7' }]);
    assert.deepStrictEqual(await client.pull(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });
    // Before the diagnostic on its line: it moves, so the client gets the list in full.
    await client.change(uri, [{ range: at(1, 7), text: '1, ' }]);
    const moved = await client.pull(uri, first.resultId);
    assert.strictEqual(moved.kind, 'full');
    assert.notStrictEqual(moved.resultId, first.resultId);
    assert.deepStrictEqual(summarize(moved.items), [
      '1:10-1:16 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    assert.deepStrictEqual(await client.pull(uri, moved.resultId), { kind: 'unchanged', resultId: moved.resultId });
  });

  it('does not push the same diagnostics again after an edit that moves none of them', async () => {
    const client = await start({ capabilities: PUSH_CLIENT });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/same.sql';
    await client.open(uri, 'SELECT random(), 2;\n');
    assert.strictEqual((await client.pushed(uri, 1)).diagnostics.length, 1);
    const at = (character: number) => ({ start: { line: 0, character }, end: { line: 0, character } });
    const analysed = client.waitForNext<{ message: string }>('$/logTrace', (p) => p.message.startsWith(`analysed ${uri} v2:`));
    await client.change(uri, [{ range: at(17), text: '7' }]);
    await analysed;
    await client.change(uri, [{ range: at(7), text: 'now(), ' }]);
    assert.deepStrictEqual(summarize((await client.pushed(uri, 3)).diagnostics), [
      '0:14-0:20 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const published = client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics').map((n) => (n.params as PublishDiagnosticsParams).version);
    assert.deepStrictEqual(published, [1, 3]);
  });

  it('re-analyses only the statement an incremental edit touched', async () => {
    const client = await start();
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/edit.sql';
    await client.open(uri, 'SELECT 1;\nSELECT random();\nSELECT 3;\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '1:7-1:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const traced = client.waitForNext<{ message: string }>('$/logTrace', (p) => p.message.startsWith(`analysed ${uri} v2:`));
    await client.change(uri, [{ range: { start: { line: 1, character: 7 }, end: { line: 1, character: 13 } }, text: 'now' }]);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), []);
    assert.match((await traced).message, new RegExp(`^analysed ${uri} v2: 1 of 3 statements in \\d+\\.\\d ms$`));
  });

  it('hovers over random() with every overload, its label from the built-in catalog, and what the label means', async () => {
    const client = await start();
    const { text, position } = cursor('SELECT ran‸dom(), 1;');
    await client.open('file:///nowhere/hover.sql', text);
    const hover = await client.hover('file:///nowhere/hover.sql', position);
    assert.strictEqual(rangeText(hover!.range!), '0:7-0:13');
    assert.strictEqual(
      markdown(hover),
      [
        '```sql',
        'pg_catalog.random() → double precision',
        '```',
        '**PARALLEL RESTRICTED**: runs only in the leader: the plan can be parallel below it, but a scan filtered by it cannot be.  ',
        'VOLATILE · LANGUAGE internal · function · built into PostgreSQL 18  ',
        'random value',
        '',
        DOCS,
      ].join('\n'),
    );
  });

  it('says a RESTRICTED SQL function the planner inlines restricts nothing, on hover too, and reports one it does not inline', async () => {
    const client = await start();
    const uri = 'file:///nowhere/inline.sql';
    const text = [
      "CREATE FUNCTION current_tenant() RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT current_setting('app.tenant')::int $$;",
      'CREATE FUNCTION or_zero(x int) RETURNS int LANGUAGE sql STRICT PARALLEL RESTRICTED AS $$ SELECT coalesce(x, 0) $$;',
      'SELECT 1 FROM pg_class WHERE relpages = current_tenant();',
      'SELECT or_zero(relpages) FROM pg_class;',
    ].join('\n');
    await client.open(uri, text);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '3:7-3:14 information restricted-function: public.or_zero(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const hover = await client.hover(uri, { line: 2, character: 45 });
    assert.strictEqual(rangeText(hover!.range!), '2:40-2:54');
    assert.strictEqual(
      markdown(hover),
      [
        '```sql',
        'public.current_tenant() → integer',
        '```',
        '**PARALLEL RESTRICTED**: runs only in the leader: the plan can be parallel below it, but a scan filtered by it cannot be.  ',
        'STABLE · LANGUAGE sql · function · defined at `inline.sql:1`',
        '',
        'Inlined here: the planner replaces this call with the SQL body of the function, which is parallel safe, so its PARALLEL RESTRICTED label restricts nothing.',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.ok(!markdown(await client.hover(uri, { line: 3, character: 9 })).includes('Inlined here'));

    // Evaluated when planned (IMMUTABLE, constant arguments), and a set-returning one made a subquery.
    const more = `${uri.slice(0, -4)}-more.sql`;
    await client.open(
      more,
      [
        'CREATE FUNCTION fixed(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;',
        'CREATE FUNCTION first_rows(n int) RETURNS SETOF pg_class LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM pg_class LIMIT n $$;',
        'SELECT relname FROM pg_class WHERE relpages > fixed(5);',
        'SELECT relname FROM first_rows(3);',
      ].join('\n'),
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(more)), [
      '3:20-3:30 information limited-subquery: public.first_rows(n integer), inlined here as a subquery with LIMIT or OFFSET: the rows it keeps are chosen in the leader process, and the plan above it runs there too',
    ]);
    assert.ok(markdown(await client.hover(more, { line: 2, character: 48 })).includes('Evaluated when the statement is planned (an IMMUTABLE function of constants): a constant here, so its PARALLEL RESTRICTED label restricts nothing.'));
    assert.ok(markdown(await client.hover(more, { line: 3, character: 24 })).includes("Inlined here: the planner makes this call a subquery of the function's SQL body, so what that query does (a LIMIT, a scan only the leader runs) counts here instead of the function's PARALLEL SAFE label."));
  });

  it('hovers over an operator with the function behind it, and over a statement\'s first keyword with its verdict', async () => {
    const client = await start();
    const uri = 'file:///nowhere/op.sql';
    await client.open(uri, 'SELECT 1 + 2, random();\n');
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 0, character: 9 })),
      [
        'operator `+` runs:',
        '',
        '```sql',
        'pg_catalog.int4pl(integer, integer) → integer',
        '```',
        '**PARALLEL SAFE**: can run inside parallel workers.  ',
        'IMMUTABLE · LANGUAGE internal · function · built into PostgreSQL 18  ',
        'implementation of + operator',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 0, character: 2 })),
      [
        'Statement: **PARALLEL RESTRICTED**: the plan can be parallel, but parts of it run only in the leader process.',
        '',
        '- pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
      ].join('\n'),
    );
  });

  it('indexes the workspace without waiting for a client slow to accept the progress token', async () => {
    let accept!: () => void;
    const accepted = new Promise<void>((resolve) => (accept = resolve));
    const client = await start({ workspaceFolders: [{ uri: folderUri(), name: 'ws' }], progressAnswer: () => accepted });
    await indexed(client);
    const uri = `${folderUri()}/queries.sql`;
    await client.open(uri, 'SELECT slow_total(id) FROM orders;\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:17 warning unsafe-function: public.slow_total(n integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
    ]);
    await acceptLateGetsOnlyAnEnd(client, accept);
  });

  it('indexes the workspace: hover and definition for a function, a table and a view defined in another file', async () => {
    const client = await start({ workspaceFolders: [{ uri: folderUri(), name: 'ws' }] });
    await indexed(client);
    const uri = `${folderUri()}/queries.sql`;
    await client.open(uri, 'SELECT slow_total(id) FROM orders;\nSELECT * FROM order_report;\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:17 warning unsafe-function: public.slow_total(n integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
      '1:14-1:26 warning unsafe-view: view public.order_report calls public.slow_total(n integer), which is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 0, character: 9 })),
      [
        '```sql',
        'public.slow_total(n integer) → bigint',
        '```',
        '**PARALLEL UNSAFE** (no PARALLEL clause: the default): the whole statement gets no parallel plan.  ',
        'VOLATILE · LANGUAGE plpgsql · function · defined at `functions.sql:2`',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 0, character: 28 })),
      [
        '```sql',
        'public.orders',
        '```',
        'table · defined at `functions.sql:5`',
        '',
        'size: none recorded (empty, or not yet vacuumed or analysed: the planner then reads the size of the file); min_parallel_table_scan_size 1,024 pages (8 MB)  ',
        'parallel_workers = 4',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 1, character: 16 })),
      [
        '```sql',
        'public.order_report',
        '```',
        'view · defined at `functions.sql:6`',
        '',
        'calls 2 functions:',
        '- `public.slow_total(n integer)` PARALLEL UNSAFE',
        '- `pg_catalog.random()` PARALLEL RESTRICTED',
        '',
        DOCS,
      ].join('\n'),
    );
    const functionsUri = `${folderUri()}/functions.sql`;
    assert.deepStrictEqual(await client.definition(uri, { line: 0, character: 9 }), [
      { uri: functionsUri, range: { start: { line: 1, character: 0 }, end: { line: 2, character: 47 } } },
    ]);
    assert.deepStrictEqual(await client.definition(uri, { line: 0, character: 28 }), [
      { uri: functionsUri, range: { start: { line: 4, character: 0 }, end: { line: 4, character: 75 } } },
    ]);
    assert.deepStrictEqual(await client.definition(uri, { line: 0, character: 2 }), []);
  });

  it('goes to the definition of a view, and of an operator (its CREATE OPERATOR, then the function behind it), defined in a workspace file', async () => {
    const client = await start({ workspaceFolders: [{ uri: folderUri(), name: 'ws' }] });
    await indexed(client);
    const uri = `${folderUri()}/report.sql`;
    await client.open(uri, 'SELECT * FROM order_report;\nSELECT total |+| total FROM orders;\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:14-0:26 warning unsafe-view: view public.order_report calls public.slow_total(n integer), which is PARALLEL UNSAFE: no part of this statement can use parallel workers',
      '1:13-1:16 information restricted-operator: operator |+| runs public.money_add(a numeric, b numeric), which is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const functionsUri = `${folderUri()}/functions.sql`;
    assert.deepStrictEqual(await client.definition(uri, { line: 0, character: 20 }), [
      { uri: functionsUri, range: { start: { line: 5, character: 0 }, end: { line: 5, character: 85 } } },
    ]);
    assert.deepStrictEqual(await client.definition(uri, { line: 1, character: 14 }), [
      { uri: functionsUri, range: { start: { line: 9, character: 0 }, end: { line: 9, character: 81 } } },
      { uri: functionsUri, range: { start: { line: 7, character: 0 }, end: { line: 8, character: 71 } } },
    ]);
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 1, character: 14 })),
      [
        'operator `|+|` (defined at `functions.sql:10`) runs:',
        '',
        '```sql',
        'public.money_add(a numeric, b numeric) → numeric',
        '```',
        '**PARALLEL RESTRICTED**: runs only in the leader: the plan can be parallel below it, but a scan filtered by it cannot be.  ',
        'VOLATILE · LANGUAGE plpgsql · function · defined at `functions.sql:8`',
        '',
        DOCS,
      ].join('\n'),
    );
  });

  it('goes to the definition of a cast defined in the document (its CREATE CAST, then its function), also after an edit moved them', async () => {
    const client = await start();
    const uri = 'file:///nowhere/cents.sql';
    const text = [
      'CREATE TYPE cents AS (v bigint);',
      'CREATE FUNCTION to_cents(numeric) RETURNS cents LANGUAGE sql AS $$ SELECT ROW(($1 * 100)::bigint)::cents $$;',
      'CREATE CAST (numeric AS cents) WITH FUNCTION to_cents(numeric);',
      'SELECT 1.5::cents;',
    ].join('\n');
    await client.open(uri, text);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)).filter((d) => d.startsWith('3:')), [
      '3:12-3:17 warning unsafe-cast: the cast from numeric to public.cents runs public.to_cents(numeric), which is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
    ]);
    assert.deepStrictEqual(await client.definition(uri, { line: 3, character: 13 }), [
      { uri, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 62 } } },
      { uri, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 107 } } },
    ]);
    assert.strictEqual(markdown(await client.hover(uri, { line: 3, character: 13 })).split('\n')[0], 'the cast to `public.cents` (defined at `cents.sql:3`) runs:');
    // A line inserted above: the cached statements' definitions move with the text.
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '-- money\n' }]);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)).filter((d) => d.startsWith('4:')), [
      '4:12-4:17 warning unsafe-cast: the cast from numeric to public.cents runs public.to_cents(numeric), which is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
    ]);
    assert.deepStrictEqual(await client.definition(uri, { line: 4, character: 13 }), [
      { uri, range: { start: { line: 3, character: 0 }, end: { line: 3, character: 62 } } },
      { uri, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 107 } } },
    ]);
  });

  it('hovers over a cast with the function behind it', async () => {
    const client = await start();
    const uri = 'file:///nowhere/cast.sql';
    await client.open(uri, "SELECT '42'::int8::numeric;\n");
    const hover = await client.hover(uri, { line: 0, character: 20 });
    assert.strictEqual(rangeText(hover!.range!), '0:19-0:26');
    assert.strictEqual(
      markdown(hover),
      [
        'the cast to `numeric` runs:',
        '',
        '```sql',
        'pg_catalog.numeric(bigint) → numeric',
        '```',
        '**PARALLEL SAFE**: can run inside parallel workers.  ',
        'IMMUTABLE · LANGUAGE internal · function · built into PostgreSQL 18  ',
        'convert int8 to numeric',
        '',
        DOCS,
      ].join('\n'),
    );
  });

  it('hovers over a call whose argument types are unknown with every overload that could be meant, and over an aggregate', async () => {
    const client = await start();
    const uri = 'file:///nowhere/overloads.sql';
    // x of a table the catalog does not know: any abs could be meant. An untyped $1 is PostgreSQL's
    // choice among them, the preferred type of their category: double precision.
    await client.open(uri, 'SELECT abs(x) FROM elsewhere;\nSELECT sum(x) FROM generate_series(1, 3) x;\nSELECT abs($1);\n');
    const overload = (args: string) =>
      [
        '```sql',
        `pg_catalog.abs(${args}) → ${args}`,
        '```',
        '**PARALLEL SAFE**: can run inside parallel workers.  ',
        'IMMUTABLE · LANGUAGE internal · function · built into PostgreSQL 18  ',
        'absolute value',
      ].join('\n');
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 0, character: 8 })),
      [
        'argument types unknown: 6 possible overloads',
        '',
        ['real', 'double precision', 'bigint', 'integer', 'smallint', 'numeric'].map(overload).join('\n\n---\n\n'),
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 1, character: 8 })),
      [
        '```sql',
        'pg_catalog.sum(integer) → bigint',
        '```',
        '**PARALLEL SAFE**: can run inside parallel workers.  ',
        'IMMUTABLE · LANGUAGE internal · aggregate · built into PostgreSQL 18  ',
        'has a combine function: workers can aggregate partially  ',
        'sum as bigint across all integer input values',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(markdown(await client.hover(uri, { line: 2, character: 8 })), [overload('double precision'), '', DOCS].join('\n'));
  });

  it('diagnoses and hovers over a temporary table and over a table with parallel_workers = 0', async () => {
    const client = await start();
    const uri = 'file:///nowhere/tables.sql';
    await client.open(
      uri,
      'CREATE TEMP TABLE scratch (id int);\nCREATE TABLE quiet (id int) WITH (parallel_workers = 0);\nSELECT * FROM scratch, quiet;\n',
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '2:14-2:21 information temporary-table: scratch is a temporary table: only the leader process can read it',
      '2:23-2:28 information table-parallel-workers-zero: public.quiet has the storage parameter parallel_workers = 0: the planner never scans it with workers',
    ]);
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 2, character: 16 })),
      [
        '```sql',
        'pg_temp.scratch',
        '```',
        'temporary table · defined at `tables.sql:1`',
        '',
        'size: none recorded (empty, or not yet vacuumed or analysed: the planner then reads the size of the file); min_parallel_table_scan_size 1,024 pages (8 MB)  ',
        'parallel_workers: not set (the planner chooses by size)  ',
        'temporary: only the leader can read it, so scans of it are never parallel',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      markdown(await client.hover(uri, { line: 2, character: 25 })),
      [
        '```sql',
        'public.quiet',
        '```',
        'table · defined at `tables.sql:2`',
        '',
        'size: none recorded (empty, or not yet vacuumed or analysed: the planner then reads the size of the file); min_parallel_table_scan_size 1,024 pages (8 MB)  ',
        'parallel_workers = 0: parallel scans of it are disabled',
        '',
        DOCS,
      ].join('\n'),
    );
  });

  it('drops stale work: edits faster than the push delay publish only the newest version, analysed once', async () => {
    // A push delay far longer than three notifications take to arrive, so the middle versions are superseded.
    const client = await start({ capabilities: PUSH_CLIENT, deps: { pushDelayMs: 1000 } });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/stale.sql';
    await client.open(uri, 'SELECT 1;\n');
    assert.deepStrictEqual((await client.pushed(uri, 1)).diagnostics, []);
    const at = (character: number) => ({ start: { line: 0, character }, end: { line: 0, character } });
    await client.change(uri, [{ range: { start: { line: 0, character: 7 }, end: { line: 0, character: 8 } }, text: 'random()' }]);
    await client.change(uri, [{ range: at(15), text: ', now()' }]);
    const last = await client.change(uri, [{ range: at(22), text: ', txid_current()' }]);
    assert.strictEqual(last, 4);
    assert.deepStrictEqual(summarize((await client.pushed(uri, 4)).diagnostics), [
      '0:24-0:36 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const published = client.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics').map((n) => (n.params as PublishDiagnosticsParams).version);
    assert.deepStrictEqual(published, [1, 4]);
    const analysed = client.notifications
      .filter((n) => n.method === '$/logTrace' && (n.params as { message: string }).message.startsWith(`analysed ${uri}`))
      .map((n) => /^analysed \S+ v\d+/.exec((n.params as { message: string }).message)?.[0]);
    assert.deepStrictEqual(analysed, [`analysed ${uri} v1`, `analysed ${uri} v4`]);
  });

  /** `count` statements on as many lines (10,000: 387,765 characters), analysed in steps; nextval() on the first and last lines. */
  function largeDocument(count = 10_000): string {
    const lines = ["SELECT nextval('first_seq');"];
    for (let i = 1; i < count - 1; i++) lines.push(`SELECT abs(-${i}) AS n, ${i} + 1 AS m;`);
    lines.push("SELECT nextval('last_seq');", '');
    return lines.join('\n');
  }
  const nextvalAt = (line: number) =>
    `${line}:7-${line}:14 warning unsafe-function: pg_catalog.nextval(regclass) is PARALLEL UNSAFE: no part of this statement can use parallel workers`;

  it('analyses a large document the first time in steps: shows the share done, and answers another document meanwhile', async () => {
    const client = await start();
    const large = 'file:///nowhere/large%20file.sql';
    const small = 'file:///nowhere/small.sql';
    await client.open(large, largeDocument());
    await client.open(small, 'SELECT nextval(\'s\');\n');
    const answered: string[] = [];
    const largeReport = client.diagnostics(large).then((items) => (answered.push('large'), items));
    const smallReport = client.diagnostics(small).then((items) => (answered.push('small'), items));
    assert.deepStrictEqual(summarize(await smallReport), [nextvalAt(0)]);
    assert.deepStrictEqual(summarize(await largeReport), [nextvalAt(0), nextvalAt(9_999)]);
    assert.deepStrictEqual(answered, ['small', 'large']);
    const progress = progressValues(client);
    assert.deepStrictEqual(progress[0], { kind: 'begin', title: 'Analysing large file.sql', cancellable: false, percentage: 0 });
    assert.deepStrictEqual(progress[progress.length - 1], { kind: 'end' });
    // A report after each step (about 20 ms of work each, so how many depends on the machine).
    const shares = progress.slice(1, -1).map((p) => (assert.strictEqual(p.kind, 'report'), p.percentage!));
    assert.ok(shares.length > 0, 'no report');
    assert.ok(shares.every((share, i) => share >= (shares[i - 1] ?? 0) && share < 100), `shares ${shares.join(', ')}`);
  });

  it('takes an edit made while a large document is analysed in steps into the diagnostics that follow', async () => {
    const client = await start();
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/large.sql';
    await client.open(uri, largeDocument());
    const first = client.diagnostics(uri);
    // Typed once the first step is done: a line inserted at the top.
    await client.waitFor<{ value: { kind: string } }>('$/progress', (p) => p.value.kind === 'report');
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'SELECT txid_current();\n' }]);
    await first;
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
      nextvalAt(1),
      nextvalAt(10_000),
    ]);
    // The steps went on with the text they started with; after them only the inserted statement was
    // new. (Whether the first pull was answered for version 1 or 2 depends on when the edit arrived.)
    const analysed = analysisTrace(client, uri);
    assert.strictEqual(analysed[0], `analysed ${uri} v1 in steps: 10000 statements in N ms`);
    assert.strictEqual(analysed[analysed.length - 1], `analysed ${uri} v2: 1 of 10001 statements in N ms`);
  });

  it('analyses a document in steps after a paste that made it large, and answers another document meanwhile', async () => {
    const client = await start();
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/pasted.sql';
    const small = 'file:///nowhere/small.sql';
    await client.open(uri, 'SELECT txid_current();\n');
    await client.open(small, "SELECT nextval('s');\n");
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    // 387,765 characters pasted after the first line.
    await client.change(uri, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: largeDocument() }]);
    const answered: string[] = [];
    const pastedReport = client.diagnostics(uri).then((items) => (answered.push('pasted'), items));
    const smallReport = client.diagnostics(small).then((items) => (answered.push('small'), items));
    assert.deepStrictEqual(summarize(await smallReport), [nextvalAt(0)]);
    assert.deepStrictEqual(summarize(await pastedReport), [
      '0:7-0:19 warning unsafe-function: pg_catalog.txid_current() is PARALLEL UNSAFE: no part of this statement can use parallel workers',
      nextvalAt(1),
      nextvalAt(10_000),
    ]);
    assert.deepStrictEqual(answered, ['small', 'pasted']);
    assert.deepStrictEqual(progressValues(client)[0], { kind: 'begin', title: 'Analysing pasted.sql', cancellable: false, percentage: 0 });
    assert.deepStrictEqual(analysisTrace(client, uri), [
      `analysed ${uri} v1: 1 of 1 statements in N ms`,
      `analysed ${uri} v2 in steps: 10000 statements in N ms`,
      `analysed ${uri} v2: 0 of 10001 statements in N ms`,
    ]);
  });

  it('analyses a large document in steps after a paste over all of it that keeps its length, reusing the statements that only came back', async () => {
    const client = await start();
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/replaced.sql';
    const before = largeDocument();
    await client.open(uri, before);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(0), nextvalAt(9_999)]);
    // Select all, paste: as long as before, its first and last lines changed, 388 kB between them new to the splitter.
    const after = before.replace('first_seq', 'other_seq').replace('last_seq', 'past_seq');
    assert.strictEqual(after.length, before.length);
    await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } }, text: after }]);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(0), nextvalAt(9_999)]);
    assert.deepStrictEqual(analysisTrace(client, uri), [
      `analysed ${uri} v1 in steps: 10000 statements in N ms`,
      `analysed ${uri} v1: 0 of 10000 statements in N ms`,
      `analysed ${uri} v2 in steps: 2 statements in N ms`,
      `analysed ${uri} v2: 0 of 10000 statements in N ms`,
    ]);
  });

  it('analyses a large document in steps when closing a comment near its top brings all its statements back', async () => {
    const client = await start();
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/commented.sql';
    await client.open(uri, largeDocument());
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(0), nextvalAt(9_999)]);
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
    // '/*' typed at the top: everything is a comment (nothing to analyse); then '*/' after the first line.
    await client.change(uri, [{ range: at(0), text: '/*' }]);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), []);
    await client.change(uri, [{ range: at(1), text: '*/' }]);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(9_999)]);
    assert.deepStrictEqual(analysisTrace(client, uri), [
      `analysed ${uri} v1 in steps: 10000 statements in N ms`,
      `analysed ${uri} v1: 0 of 10000 statements in N ms`,
      `analysed ${uri} v2: 0 of 0 statements in N ms`,
      `analysed ${uri} v3 in steps: 9999 statements in N ms`,
      `analysed ${uri} v3: 0 of 9999 statements in N ms`,
    ]);
  });

  it('analyses a large document in steps again when a new catalog keeps none of it (another PostgreSQL version)', async () => {
    let pgVersion = 18;
    const client = await start({ configuration: () => ({ pgVersion }) });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/large.sql';
    // An uncorrelated subquery is an initPlan: before PostgreSQL 17 it restricts the plan above it.
    await client.open(uri, `${largeDocument()}SELECT x FROM generate_series(1, 10) x WHERE x > (SELECT 1);\n`);
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(0), nextvalAt(9_999)]);
    pgVersion = 16;
    const offline16 = client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.text === 'offline: PostgreSQL 16 built-ins + workspace');
    await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await offline16;
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      nextvalAt(0),
      nextvalAt(9_999),
      '10000:49-10000:59 information initplan: uncorrelated subquery: it runs once as an initPlan, and before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED',
    ]);
    const analysed = analysisTrace(client, uri);
    assert.deepStrictEqual(analysed, [
      `analysed ${uri} v1 in steps: 10001 statements in N ms`,
      `analysed ${uri} v1: 0 of 10001 statements in N ms`,
      `analysed ${uri} v1 in steps: 10001 statements in N ms`,
      `analysed ${uri} v1: 0 of 10001 statements in N ms`,
    ]);
  });

  it('analyses a large document in steps without waiting for a client slow to accept the progress token, and sends no progress before it does', async () => {
    let accept!: () => void;
    const accepted = new Promise<void>((resolve) => (accept = resolve));
    const client = await start({ progressAnswer: () => accepted });
    const uri = 'file:///nowhere/large.sql';
    await client.open(uri, largeDocument());
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(0), nextvalAt(9_999)]);
    // Accepted after the work ended: the token is ended at once, with nothing shown.
    await acceptLateGetsOnlyAnEnd(client, accept);
  });

  it('starts the pass in steps again when the catalog changes during the steps, and answers from the new catalog', async () => {
    let pgVersion = 18;
    const client = await start({ configuration: () => ({ pgVersion }) });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/large.sql';
    // 30,000 statements: many steps, so the new settings arrive while they go on.
    await client.open(uri, `${largeDocument(30_000)}SELECT x FROM generate_series(1, 10) x WHERE x > (SELECT 1);\n`);
    const pulled = client.diagnostics(uri);
    await client.waitFor<{ value: { kind: string } }>('$/progress', (p) => p.value.kind === 'report');
    pgVersion = 16;
    await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepStrictEqual(summarize(await pulled), [
      nextvalAt(0),
      nextvalAt(29_999),
      '30000:49-30000:59 information initplan: uncorrelated subquery: it runs once as an initPlan, and before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED',
    ]);
    const analysed = analysisTrace(client, uri);
    assert.deepStrictEqual(analysed, [
      `analysing ${uri} v1 in steps: started again, the catalog changed under it`,
      `analysed ${uri} v1 in steps: 30001 statements in N ms`,
      `analysed ${uri} v1: 0 of 30001 statements in N ms`,
    ]);
  });

  it('does not start the steps again for another file\'s DDL: the statements reading it are analysed again after them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-steps-'));
    fs.writeFileSync(path.join(dir, 'functions.sql'), 'CREATE FUNCTION slow_total(n integer) RETURNS bigint LANGUAGE plpgsql AS $$ BEGIN RETURN n; END $$;\n');
    try {
      const folder = pathToFileURL(dir).href;
      const client = await start({ workspaceFolders: [{ uri: folder, name: 'steps' }] });
      await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
      await indexed(client);
      const uri = `${folder}/large.sql`;
      await client.open(uri, `${largeDocument(30_000)}SELECT slow_total(1);\n`);
      const pulled = client.diagnostics(uri);
      await client.waitFor<{ value: { kind: string } }>('$/progress', (p) => p.value.kind === 'report');
      // Another file redefines slow_total, PARALLEL SAFE (it comes later in path order, so it wins).
      const redefining = path.join(dir, 'zz-redefine.sql');
      fs.writeFileSync(redefining, 'CREATE OR REPLACE FUNCTION slow_total(n integer) RETURNS bigint LANGUAGE sql PARALLEL SAFE AS $$ SELECT n::bigint $$;\n');
      const refreshed = client.waitForNext('workspace/diagnostic/refresh');
      await client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(redefining).href, type: 1 }] });
      await pulled;
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [nextvalAt(0), nextvalAt(29_999)]);
      // One pass in steps, never started again; whether the first pull came before the new definition
      // or after, the statement calling slow_total is the only one analysed again.
      const analysed = analysisTrace(client, uri);
      assert.strictEqual(analysed[0], `analysed ${uri} v1 in steps: 30001 statements in N ms`);
      assert.strictEqual(analysed[analysed.length - 1], `analysed ${uri} v1: 1 of 30001 statements in N ms`);
      assert.deepStrictEqual(analysed.filter((m) => m.includes('in steps')), [analysed[0]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pushes a large document\'s diagnostics once analysed in steps, to a client that shows no progress', async () => {
    const client = await start({ capabilities: PUSH_CLIENT });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/large.sql';
    await client.open(uri, largeDocument());
    assert.deepStrictEqual(summarize((await client.pushed(uri, 1)).diagnostics), [nextvalAt(0), nextvalAt(9_999)]);
    assert.deepStrictEqual(progressValues(client), []);
    assert.deepStrictEqual(client.requests.filter((r) => r.method === 'window/workDoneProgress/create'), []);
    assert.ok(
      analysisTrace(client, uri).some((m) => m.startsWith(`analysed ${uri} v1 in steps: 10000 statements`)),
      'not analysed in steps',
    );
  });

  it('answers a pulled diagnostic the client cancelled with RequestCancelled, without analysing', async () => {
    let answer!: (settings: unknown) => void;
    const settings = new Promise((resolve) => (answer = resolve));
    const client = await start({ configuration: () => settings });
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const uri = 'file:///nowhere/cancelled.sql';
    await client.open(uri, 'SELECT random();\n');
    const source = new CancellationTokenSource();
    const pulled = client.pull(uri, undefined, source.token);
    // The server is waiting for the folder's settings: the pull cannot have started analysing.
    await client.waitFor('workspace/configuration');
    source.cancel();
    answer({});
    await assert.rejects(pulled, (error: { code?: number }) => error.code === LSPErrorCodes.RequestCancelled);
    assert.deepStrictEqual(
      client.notifications.filter((n) => n.method === '$/logTrace').map((n) => (n.params as { message: string }).message),
      [],
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
  });

  it('picks up a new workspace file reported by didChangeWatchedFiles', async () => {
    const client = await start({ workspaceFolders: [{ uri: folderUri(), name: 'ws' }] });
    await indexed(client);
    const uri = `${folderUri()}/other/uses.sql`;
    await client.open(uri, 'SELECT fresh_helper(1);\n');
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '0:7-0:19 information unknown-function: function fresh_helper(integer) is not in the catalog: its parallel label is unknown',
    ]);
    const file = path.join(workspace, 'other', 'fresh.sql');
    fs.writeFileSync(file, 'CREATE FUNCTION fresh_helper(x integer) RETURNS integer LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\n');
    try {
      const refreshed = client.waitForNext('workspace/diagnostic/refresh');
      await client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 1 }] });
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
        '0:7-0:19 information restricted-function: public.fresh_helper(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);
    } finally {
      fs.rmSync(file);
    }
  });

  it('sees definitions typed into another open file of the folder', async () => {
    const client = await start({ workspaceFolders: [{ uri: folderUri(), name: 'ws' }] });
    await indexed(client);
    const defs = `${folderUri()}/other/defs.sql`;
    const uses = `${folderUri()}/other/uses.sql`;
    await client.open(uses, 'SELECT typed_helper(1);\n');
    // A new file that defines nothing changes no catalog: no refresh for it.
    await client.open(defs, '');
    assert.deepStrictEqual(summarize(await client.diagnostics(uses)), ['0:7-0:19 information unknown-function: function typed_helper(integer) is not in the catalog: its parallel label is unknown']);
    const refreshed = client.waitForNext('workspace/diagnostic/refresh');
    await client.change(defs, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'CREATE FUNCTION typed_helper(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x $$;\n' }]);
    await refreshed;
    assert.deepStrictEqual(summarize(await client.diagnostics(uses)), [
      '0:7-0:19 warning unsafe-function: public.typed_helper(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
    ]);
  });

  it('analyses again only the statements of another open file that read what a DDL edit redefined', async () => {
    const client = await start({ workspaceFolders: [{ uri: folderUri(), name: 'ws' }] });
    await indexed(client);
    await client.rpc.sendNotification('$/setTrace', { value: 'verbose' });
    const defs = `${folderUri()}/other/defs-again.sql`;
    const uses = `${folderUri()}/other/uses-again.sql`;
    await client.open(uses, "SELECT again_helper(1);\nSELECT lower('x');\nSELECT now();\n");
    let refreshed = client.waitForNext('workspace/diagnostic/refresh');
    await client.open(defs, 'CREATE FUNCTION again_helper(x integer) RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;\n');
    await refreshed;
    assert.deepStrictEqual(summarize(await client.diagnostics(uses)), []);
    refreshed = client.waitForNext('workspace/diagnostic/refresh');
    await client.change(defs, [{ range: { start: { line: 0, character: 78 }, end: { line: 0, character: 82 } }, text: 'UNSAFE' }]);
    await refreshed;
    const traced = client.waitForNext<{ message: string }>('$/logTrace', (p) => p.message.startsWith(`analysed ${uses} v1:`));
    assert.deepStrictEqual(summarize(await client.diagnostics(uses)), [
      '0:7-0:19 warning unsafe-function: public.again_helper(x integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    assert.match((await traced).message, new RegExp(`^analysed ${uses} v1: 1 of 3 statements in \\d+\\.\\d ms$`));
  });

  it('counts a file opened with unsaved DDL as the editor has it, and its disk text again once it is closed', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-unsaved-'));
    try {
      const saved = 'CREATE FUNCTION lbl(x integer) RETURNS integer LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN x; END $$;\n';
      fs.writeFileSync(path.join(folder, 'defs.sql'), saved);
      const uri = pathToFileURL(folder).href;
      const client = await start({ workspaceFolders: [{ uri, name: 'unsaved' }] });
      await indexed(client);
      const query = `${uri}/q.sql`;
      await client.open(query, 'SELECT lbl(1);\n');
      assert.deepStrictEqual(summarize(await client.diagnostics(query)), []);

      // Restored with unsaved changes (as VS Code does after a restart): the editor's text wins.
      const defs = `${uri}/defs.sql`;
      let refreshed = client.waitForNext('workspace/diagnostic/refresh');
      await client.open(defs, saved.replace('SAFE', 'RESTRICTED'));
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(query)), [
        '0:7-0:10 information restricted-function: public.lbl(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);

      refreshed = client.waitForNext('workspace/diagnostic/refresh');
      await client.close(defs);
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(query)), []);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('applies the other files in path order (a later redefinition wins), then the document\'s own DDL in place, its own file left out', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-order-'));
    try {
      const own = [
        'CREATE OR REPLACE FUNCTION lbl(x integer) RETURNS integer LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;',
        'CREATE FUNCTION only_in_b(x integer) RETURNS integer LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;',
      ];
      fs.writeFileSync(path.join(folder, 'a.sql'), 'CREATE FUNCTION lbl(x integer) RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;\n');
      fs.writeFileSync(path.join(folder, 'b.sql'), own.join('\n') + '\n');
      // Applied after b.sql, so it reaches only_in_b, except for b.sql itself (applied before its own DDL).
      fs.writeFileSync(path.join(folder, 'c.sql'), 'ALTER FUNCTION only_in_b(integer) PARALLEL UNSAFE;\n');
      const uri = pathToFileURL(folder).href;
      const client = await start({ workspaceFolders: [{ uri, name: 'order' }] });
      await indexed(client);
      const query = `${uri}/q.sql`;
      await client.open(query, 'SELECT lbl(1), only_in_b(1);\n');
      assert.deepStrictEqual(summarize(await client.diagnostics(query)), [
        '0:15-0:24 warning unsafe-function: public.only_in_b(x integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
        '0:7-0:10 information restricted-function: public.lbl(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);
      assert.match(markdown(await client.hover(query, { line: 0, character: 8 })), /defined at `b\.sql:1`/);

      const b = `${uri}/b.sql`;
      await client.open(b, ['SELECT lbl(1), only_in_b(1);', ...own, 'SELECT lbl(2), only_in_b(2);', ''].join('\n'));
      assert.deepStrictEqual(summarize(await client.diagnostics(b)), [
        '0:15-0:24 information unknown-function: function only_in_b(integer) is not in the catalog: its parallel label is unknown',
        '3:7-3:10 information restricted-function: public.lbl(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
        '3:15-3:24 information restricted-function: public.only_in_b(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);
      assert.match(markdown(await client.hover(b, { line: 0, character: 8 })), /^```sql\npublic\.lbl\(x integer\) → integer\n```\n\*\*PARALLEL SAFE\*\*[^\n]*\n[^\n]*defined at `a\.sql:1`/);
      assert.match(markdown(await client.hover(b, { line: 3, character: 8 })), /defined at `b\.sql:2`/);

      // b.sql's typed text replaces its disk text for the others; b.sql itself still sees a.sql and c.sql only.
      const label = own[0].indexOf('RESTRICTED');
      const refreshed = client.waitForNext('workspace/diagnostic/refresh');
      await client.change(b, [{ range: { start: { line: 1, character: label }, end: { line: 1, character: label + 'RESTRICTED'.length } }, text: 'SAFE' }]);
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(b)), [
        '0:15-0:24 information unknown-function: function only_in_b(integer) is not in the catalog: its parallel label is unknown',
        '3:15-3:24 information restricted-function: public.only_in_b(x integer) is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);
      assert.deepStrictEqual(summarize(await client.diagnostics(query)), [
        '0:15-0:24 warning unsafe-function: public.only_in_b(x integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('offers the engine\'s quick fix: mark a function whose body is safe PARALLEL SAFE', async () => {
    const client = await start();
    const uri = 'file:///nowhere/fix.sql';
    await client.open(uri, 'CREATE FUNCTION slow(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$;\n');
    const [diagnostic] = await client.diagnostics(uri);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.deepStrictEqual(
      actions.map((a: CodeAction) => ({ title: a.title, kind: a.kind, codes: a.diagnostics?.map((d) => d.code), edit: a.edit })),
      [
        {
          title: 'Mark slow PARALLEL SAFE',
          kind: 'quickfix',
          codes: ['function-could-be-safe'],
          edit: { changes: { [uri]: [{ range: { start: { line: 0, character: 69 }, end: { line: 0, character: 69 } }, newText: ' PARALLEL SAFE' }] } },
        },
      ],
    );
  });

  it('offers the engine\'s quick fix: add the missing label explicitly (PARALLEL RESTRICTED) where the body allows no more', async () => {
    const client = await start();
    const uri = 'file:///nowhere/fix-restricted.sql';
    await client.open(uri, 'CREATE FUNCTION noisy(int) RETURNS float8 LANGUAGE sql AS $$ SELECT random() * $1 $$;\n');
    const diagnostics = await client.diagnostics(uri);
    assert.deepStrictEqual(summarize(diagnostics), [
      '0:16-0:21 information function-default-unsafe: public.noisy(integer) has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL RESTRICTED',
    ]);
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    assert.deepStrictEqual(
      actions.map((a: CodeAction) => ({ title: a.title, kind: a.kind, codes: a.diagnostics?.map((d) => d.code), edit: a.edit })),
      [
        {
          title: 'Mark noisy PARALLEL RESTRICTED',
          kind: 'quickfix',
          codes: ['function-default-unsafe'],
          edit: { changes: { [uri]: [{ range: { start: { line: 0, character: 84 }, end: { line: 0, character: 84 } }, newText: ' PARALLEL RESTRICTED' }] } },
        },
      ],
    );
    // Asked only for other kinds of actions, it offers none.
    const refactors: CodeAction[] = await client.rpc.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics, only: ['refactor'] },
    });
    assert.deepStrictEqual(refactors, []);
  });

  it('offers an ALTER FUNCTION ... PARALLEL SAFE text for an unsafe database function, never for a built-in one', async () => {
    const client = await start({ deps: { loadBuiltin: () => catalogWithUserFunction() } });
    const uri = 'file:///nowhere/alter.sql';
    await client.open(uri, 'SELECT audit_value(1), random();\nSELECT 2;\n');
    const diagnostics = await client.diagnostics(uri);
    assert.deepStrictEqual(summarize(diagnostics), [
      '0:7-0:18 warning unsafe-function: public.audit_value(v integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
      '0:23-0:29 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const actions = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 31 } }, diagnostics);
    assert.deepStrictEqual(
      actions.map((a) => ({ title: a.title, edit: a.edit })),
      [
        {
          title: 'Insert ALTER FUNCTION public.audit_value(integer) PARALLEL SAFE (text only; check the function first)',
          edit: {
            changes: {
              [uri]: [
                {
                  range: { start: { line: 0, character: 32 }, end: { line: 0, character: 32 } },
                  newText:
                    '\n-- Text only, nothing was executed: check that public.audit_value(integer) is really parallel safe (no writes, no PARALLEL UNSAFE calls, no temporary tables) before running this.\nALTER FUNCTION public.audit_value(integer) PARALLEL SAFE;',
                },
              ],
            },
          },
        },
      ],
    );
  });

  it('reads settings per folder through workspace/configuration', async () => {
    const old = path.join(workspace, 'other');
    const asked: (string | undefined)[] = [];
    const client = await start({
      workspaceFolders: [
        { uri: folderUri(), name: 'ws' },
        { uri: pathToFileURL(old).href, name: 'pg14' },
      ],
      configuration: (item) => {
        asked.push(item.scopeUri);
        return item.scopeUri === pathToFileURL(old).href ? { pgVersion: 14 } : {};
      },
    });
    const statuses = await client.rpc.sendRequest<StatusParams[]>('pgParallelHints/getStatus');
    assert.deepStrictEqual(
      statuses.map((s) => `${s.folder}: ${s.text}`),
      [`${folderUri()}: offline: PostgreSQL 18 built-ins + workspace`, `${pathToFileURL(old).href}: offline: PostgreSQL 14 built-ins + workspace`],
    );
    assert.deepStrictEqual(asked.sort(), [folderUri(), pathToFileURL(old).href].sort());
    // An uncorrelated subquery is an initPlan: before PostgreSQL 17 it restricts the plan above it.
    const sql = 'SELECT x FROM generate_series(1, 10) x WHERE x > (SELECT 1);\n';
    await client.open(`${pathToFileURL(old).href}/q.sql`, sql);
    await client.open(`${folderUri()}/q.sql`, sql);
    assert.deepStrictEqual(summarize(await client.diagnostics(`${pathToFileURL(old).href}/q.sql`)), [
      '0:49-0:59 information initplan: uncorrelated subquery: it runs once as an initPlan, and before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED',
    ]);
    assert.deepStrictEqual(summarize(await client.diagnostics(`${folderUri()}/q.sql`)), []);
  });

  it('takes settings from initializationOptions, reports bad values, and skips documents over maxFileSize', async () => {
    const client = await start({ capabilities: PUSH_CLIENT, initializationOptions: { settings: { pgVersion: 9, maxFileSize: 40 } } });
    const warned = client.waitFor<LogMessageParams>('window/logMessage', (p) => p.message.includes('pgVersion'));
    const uri = 'file:///nowhere/big.sql';
    await client.open(uri, 'SELECT 1;\nSELECT 2;\nSELECT 3;\nSELECT random();\n');
    assert.deepStrictEqual(summarize((await client.pushed(uri, 1)).diagnostics), [
      '0:0-0:0 information file-too-large: not analysed: the document is 47 bytes, larger than pgParallelHints.maxFileSize (40 bytes)',
    ]);
    assert.strictEqual((await warned).message, 'settings: pgVersion: no built-in catalog for PostgreSQL 9; supported: 14, 15, 16, 17, 18');
    const status = await client.waitFor<StatusParams>('pgParallelHints/status');
    assert.strictEqual(status.text, 'offline: PostgreSQL 18 built-ins + workspace');
  });

  it('never connects in an untrusted workspace', async () => {
    const attempts: string[] = [];
    const client = await start({
      initializationOptions: { trusted: false, settings: { connection: { host: '127.0.0.1', port: 1 } } },
      deps: {
        connect: async (config) => {
          attempts.push(String(config.host));
          throw new Error('must not be called');
        },
      },
    });
    const uri = 'file:///nowhere/untrusted.sql';
    await client.open(uri, 'SELECT random();\n');
    assert.strictEqual((await client.diagnostics(uri)).length, 1);
    const [status] = await client.rpc.sendRequest<StatusParams[]>('pgParallelHints/getStatus');
    assert.deepStrictEqual(status, { state: 'offline', text: 'offline: PostgreSQL 18 built-ins + workspace', detail: 'untrusted workspace: no database connection' });
    assert.deepStrictEqual(attempts, []);
  });

  it('connects lazily, backs off after failures, logs the first failure once, and recovers with the live catalog', async () => {
    let attempts = 0;
    const fakeClient = { on: () => fakeClient, end: async () => undefined } as unknown as Client;
    const client = await start({
      initializationOptions: { settings: { connection: { host: 'db.invalid', database: 'shop', user: 'me' } } },
      deps: {
        env: {},
        retry: { initialMs: 5, maxMs: 20 },
        connect: async () => {
          attempts++;
          if (attempts <= 2) throw new Error('could not connect to db.invalid:5432: connection refused');
          return fakeClient;
        },
        readCatalog: async () => {
          const snapshot = catalogWithUserFunction();
          return { ...snapshot, source: { kind: 'live', versionNum: 180004, version: '18.4', host: 'db.invalid', database: 'shop' }, warnings: ['what the read left out'] };
        },
      },
    });
    const [idle] = await client.rpc.sendRequest<StatusParams[]>('pgParallelHints/getStatus');
    assert.deepStrictEqual(idle, { state: 'offline', text: 'offline: PostgreSQL 18 built-ins + workspace', detail: 'connects to me@db.invalid:5432/shop when a SQL file is opened' });
    assert.strictEqual(attempts, 0);
    const live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
    const uri = 'file:///nowhere/live.sql';
    await client.open(uri, 'SELECT audit_value(1);\n');
    await client.diagnostics(uri);
    assert.deepStrictEqual((await live).text, 'PG 18.4 @ db.invalid/shop, 3,414 functions');
    assert.strictEqual(attempts, 3);
    const errors = client.notifications.filter((n) => n.method === 'pgParallelHints/status' && (n.params as StatusParams).state === 'error');
    assert.deepStrictEqual(
      errors.map((n) => (n.params as StatusParams).detail),
      ['could not connect to db.invalid:5432: connection refused; retrying in the background'],
      'the second failure changes nothing the user sees',
    );
    const logged = client.notifications.filter((n) => n.method === 'window/logMessage' && (n.params as LogMessageParams).message.includes('connection refused'));
    assert.deepStrictEqual(
      logged.map((n) => (n.params as LogMessageParams).message),
      ['database me@db.invalid:5432/shop: could not connect to db.invalid:5432: connection refused; using the built-in catalog until it is reachable'],
    );
    const warned = client.notifications.filter((n) => n.method === 'window/logMessage' && (n.params as LogMessageParams).message.includes('left out'));
    assert.deepStrictEqual(warned.map((n) => (n.params as LogMessageParams).message), ['database me@db.invalid:5432/shop: what the read left out']);
    // The live catalog knows audit_value: after the refresh the diagnostics say so.
    await client.waitFor('workspace/diagnostic/refresh');
    const after = summarize(await client.diagnostics(uri));
    assert.deepStrictEqual(after, [
      '0:7-0:18 warning unsafe-function: public.audit_value(v integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
  });
});

