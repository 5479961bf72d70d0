/**
 * The language server against a real PostgreSQL: the live catalog replaces the built-in one, and when
 * the database goes away diagnostics keep flowing from the last live catalog until it comes back.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Client } from 'pg';
import type { Hover } from 'vscode-languageserver-protocol';
import { thousands } from '../../server/src/core/hover';
import { readCatalogSnapshot } from '../../server/src/db/catalog';
import type { StatusParams } from '../../server/src/protocol';
import { PgCluster, startPostgres, testCluster } from '../harness/postgres';
import { closeAll, markdown, startInMemory, summarize, TestClient } from './client';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function prepare(url: string): Promise<{ version: string; functions: number }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE FUNCTION audit_value(v integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN v; END $$');
    await client.query('CREATE TABLE orders (id integer, total numeric)');
    const snapshot = await readCatalogSnapshot(client);
    return { version: snapshot.source.version, functions: snapshot.functions.length };
  } finally {
    await client.end();
  }
}

/** pg_ctl on a harness cluster's data directory, as the user that owns it. */
function pgCtl(cluster: PgCluster, args: string[]): void {
  const result = spawnSync(path.join(cluster.binDir, 'pg_ctl'), ['-D', cluster.dataDir, ...args], {
    encoding: 'utf8',
    ...(isRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  if (result.status !== 0) throw new Error(`pg_ctl ${args[0]} failed: ${result.stdout}${result.stderr}`);
}

const UNSAFE = '0:7-0:18 warning unsafe-function: public.audit_value(v integer) is PARALLEL UNSAFE: no part of this statement can use parallel workers';
const RANDOM = '0:23-0:29 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process';
/** The server's wall clock in these tests: 10:42 local time, whatever the time zone. */
const READ_AT = new Date(2025, 0, 6, 10, 42).getTime();

describe('lsp: with a real PostgreSQL', function () {
  this.timeout(60_000);
  const clients: TestClient[] = [];

  afterEach(() => closeAll(clients));

  async function serve(url: string): Promise<TestClient> {
    const client = await startInMemory({
      configuration: () => ({ connection: { url }, connectTimeoutMs: 2000 }),
      deps: { env: {}, retry: { initialMs: 50, maxMs: 200 }, clock: () => READ_AT },
    });
    clients.push(client);
    return client;
  }

  /**
   * A new database made by `setup`, served, and `text` open as `uri` once the server reads the
   * database's catalog (and, with `refreshed`, once it asked the client to pull diagnostics again).
   */
  async function openedLive(name: string, setup: string[], uri: string, text: string, options: { refreshed?: boolean } = {}): Promise<TestClient> {
    const url = await (await testCluster()).createDatabase(name);
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      for (const statement of setup) await admin.query(statement);
    } finally {
      await admin.end();
    }
    const client = await serve(url);
    const live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
    const refreshed = options.refreshed ? client.waitFor('workspace/diagnostic/refresh') : undefined;
    await client.open(uri, text);
    await live;
    await refreshed;
    return client;
  }

  it('reads the live catalog: status line, diagnostics and hover from the database', async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('lsp_live');
    const expected = await prepare(url);
    const database = new URL(url).pathname.slice(1);
    const client = await serve(url);
    const live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
    const refreshed = client.waitFor('workspace/diagnostic/refresh');
    const uri = 'file:///nowhere/live.sql';
    await client.open(uri, 'SELECT audit_value(1) FROM orders;\n');
    const status = await live;
    assert.strictEqual(status.text, `PG ${expected.version} @ 127.0.0.1/${database}, ${thousands(expected.functions)} functions`);
    assert.strictEqual(status.detail, `postgres@127.0.0.1:${cluster.port}/${database}: live catalog`);
    await refreshed;
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE]);
    const hover: Hover | null = await client.hover(uri, { line: 0, character: 9 });
    assert.strictEqual(
      markdown(hover),
      [
        '```sql',
        'public.audit_value(v integer) → integer',
        '```',
        '**PARALLEL UNSAFE**: the whole statement gets no parallel plan.  ',
        'VOLATILE · LANGUAGE plpgsql · function · from the database',
        '',
        '[PostgreSQL: parallel safety](https://www.postgresql.org/docs/current/parallel-safety.html)',
      ].join('\n'),
    );
  });

  it('hovers over tables from the database: their size against min_parallel_table_scan_size, parallel_workers', async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('lsp_sizes');
    const admin = new Client({ connectionString: url });
    await admin.connect();
    let pages: Record<string, number>;
    try {
      // About 9.5 MB, above the default min_parallel_table_scan_size (8 MB); one page, below it; one never filled.
      await admin.query("CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 40000) g");
      await admin.query('CREATE TABLE small (id integer)');
      await admin.query('INSERT INTO small SELECT generate_series(1, 10)');
      await admin.query('CREATE TABLE capped (id integer) WITH (parallel_workers = 2)');
      await admin.query('ANALYZE big, small, capped');
      const { rows } = await admin.query("SELECT relname, relpages FROM pg_class WHERE relname IN ('big', 'small', 'capped')");
      pages = Object.fromEntries(rows.map((r: { relname: string; relpages: number }) => [r.relname, r.relpages]));
    } finally {
      await admin.end();
    }
    assert.deepStrictEqual(pages, { big: 1216, small: 1, capped: 0 });
    const client = await serve(url);
    const live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
    const uri = 'file:///nowhere/sizes.sql';
    await client.open(uri, 'SELECT * FROM big, small, capped;\n');
    await live;
    const card = async (character: number) => markdown(await client.hover(uri, { line: 0, character }));
    const DOCS = '[PostgreSQL: parallel safety](https://www.postgresql.org/docs/current/parallel-safety.html)';
    assert.strictEqual(
      await card(15),
      [
        '```sql',
        'public.big',
        '```',
        'table · from the database',
        '',
        'size: 1,216 pages (9.5 MB); min_parallel_table_scan_size 1,024 pages (8 MB): large enough for a parallel scan  ',
        'parallel_workers: not set (the planner chooses by size)',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      await card(20),
      [
        '```sql',
        'public.small',
        '```',
        'table · from the database',
        '',
        'size: 1 page (8 kB); min_parallel_table_scan_size 1,024 pages (8 MB): below it: no parallel scan of this table unless parallel_workers is set  ',
        'parallel_workers: not set (the planner chooses by size)',
        '',
        DOCS,
      ].join('\n'),
    );
    assert.strictEqual(
      await card(28),
      [
        '```sql',
        'public.capped',
        '```',
        'table · from the database',
        '',
        'size: none recorded (empty, or not yet vacuumed or analysed: the planner then reads the size of the file); min_parallel_table_scan_size 1,024 pages (8 MB)  ',
        'parallel_workers = 2',
        '',
        DOCS,
      ].join('\n'),
    );
  });

  it("leaves out row-level security the connected role bypasses (a superuser here), not that of a view's owner; the hovers say so", async () => {
    const uri = 'file:///nowhere/rls.sql';
    const client = await openedLive(
      'lsp_rls',
      [
        'CREATE FUNCTION may_see(owner text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN true; END $$',
        'CREATE TABLE secured (id integer, owner text)',
        'ALTER TABLE secured ENABLE ROW LEVEL SECURITY',
        'CREATE POLICY mine ON secured USING (may_see(owner))',
        'DO $$ BEGIN CREATE ROLE lsp_view_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$',
        'GRANT SELECT ON secured TO lsp_view_owner',
        'CREATE VIEW secured_view AS SELECT id FROM secured',
        'ALTER VIEW secured_view OWNER TO lsp_view_owner',
      ],
      uri,
      'SELECT count(*) FROM secured;\nSELECT count(*) FROM secured_view;\n',
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '1:21-1:33 warning unsafe-policy: a row-level security policy on public.secured, which view public.secured_view reads as role lsp_view_owner, calls public.may_see(owner text), which is PARALLEL UNSAFE: no part of this statement can use parallel workers',
    ]);
    const viewCard = markdown(await client.hover(uri, { line: 1, character: 25 }));
    assert.ok(viewCard.includes('reads public.secured as role lsp_view_owner, for whom its row-level security is on: the functions those policies call count too'), viewCard);
    const card = markdown(await client.hover(uri, { line: 0, character: 23 }));
    assert.ok(
      card.includes("row-level security is on, but not for this connection's role (the table's owner, a superuser or BYPASSRLS): its policies add nothing here"),
      card,
    );
  });

  it("counts a RESTRICTED function in one column of a database view only where that column is read, and its hover says so", async () => {
    const uri = 'file:///nowhere/view-columns.sql';
    const client = await openedLive(
      'lsp_view_columns',
      [
        'CREATE FUNCTION tag(x integer) RETURNS text LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x::text; END $$',
        'CREATE TABLE items (id integer)',
        'CREATE VIEW tagged AS SELECT id, tag(id) AS label FROM items',
      ],
      uri,
      'SELECT id FROM tagged;\nSELECT label FROM tagged;\n',
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '1:7-1:12 information restricted-view: column label of view public.tagged calls public.tag(x integer), which is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    const card = markdown(await client.hover(uri, { line: 0, character: 17 }));
    assert.ok(card.includes('runs only in the leader where column label is read: `public.tag(x integer)`, PARALLEL RESTRICTED (a column nobody reads is not computed)'), card);
  });

  it("judges a database view by the columns a statement reads (its definition walked from the live catalog), and its hover says what runs only in the leader", async () => {
    const uri = 'file:///nowhere/views.sql';
    const client = await openedLive(
      'lsp_views',
      [
        'CREATE TABLE items (id integer, grp integer)',
        'CREATE VIEW ranked AS SELECT id, row_number() OVER (ORDER BY id) AS rn, (SELECT max(i.id) FROM items i WHERE i.grp = items.grp) AS top FROM items',
        'CREATE VIEW ranked_page AS SELECT * FROM ranked ORDER BY id LIMIT 10',
      ],
      uri,
      'SELECT id FROM ranked;\nSELECT rn, top FROM ranked;\nSELECT count(*) FROM ranked_page;\n',
      { refreshed: true },
    );
    assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
      '1:7-1:9 information view-plan-shape: column rn of view public.ranked has a window function: reading it, that part of a plan runs only in the leader process',
      '1:11-1:14 information view-plan-shape: column top of view public.ranked has a correlated subquery: reading it, that part of a plan runs only in the leader process',
      '2:21-2:32 information view-plan-shape: view public.ranked_page has LIMIT or OFFSET (there or in a view it reads): that part of a plan runs only in the leader process',
    ]);
    const card = markdown(await client.hover(uri, { line: 0, character: 17 }));
    assert.strictEqual(
      card,
      [
        '```sql',
        'public.ranked',
        '```',
        'view · from the database',
        '',
        'runs only in the leader where column rn is read: a window function  ',
        'runs only in the leader where column top is read: a correlated subquery',
        '',
        'calls 3 functions:',
        '- `pg_catalog.int4eq(integer, integer)` PARALLEL SAFE',
        '- `pg_catalog.max(integer)` PARALLEL SAFE',
        '- `pg_catalog.row_number()` PARALLEL SAFE',
        '',
        '[PostgreSQL: parallel safety](https://www.postgresql.org/docs/current/parallel-safety.html)',
      ].join('\n'),
    );
  });

  it('keeps diagnostics flowing from the last live catalog while the database is down (status says so), and reads it again when it is back', async () => {
    const cluster = await startPostgres();
    let running = true;
    try {
      const url = await cluster.createDatabase('lsp_outage');
      const expected = await prepare(url);
      const database = new URL(url).pathname.slice(1);
      const client = await serve(url);
      const uri = 'file:///nowhere/outage.sql';
      let live = client.waitFor<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
      let refreshed = client.waitFor('workspace/diagnostic/refresh');
      await client.open(uri, 'SELECT audit_value(1);\n');
      await live;
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE]);

      const offline = client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === 'error');
      pgCtl(cluster, ['stop', '-m', 'fast', '-w']);
      running = false;
      const status = await offline;
      // The user's function stays known: the catalog read before the outage still serves.
      assert.strictEqual(status.text, `PG ${expected.version} @ 127.0.0.1/${database} (disconnected, last catalog from 10:42)`);
      assert.match(status.detail!, /; retrying in the background$/);
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE]);
      // Typing goes on while the database is down.
      await client.change(uri, [{ range: { start: { line: 0, character: 21 }, end: { line: 0, character: 21 } }, text: ', random()' }]);
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, RANDOM]);
      assert.strictEqual(
        (client.notifications.find((n) => n.method === 'window/logMessage' && (n.params as { message: string }).message.includes('until it is reachable'))?.params as { message: string }).message.replace(/: [^;]*;/, ': …;'),
        `database postgres@127.0.0.1:${cluster.port}/${database}: …; keeping the catalog read at 10:42 until it is reachable`,
      );

      live = client.waitForNext<StatusParams>('pgParallelHints/status', (s) => s.state === 'live');
      refreshed = client.waitForNext('workspace/diagnostic/refresh');
      const socketDir = path.join(path.dirname(cluster.dataDir), 'socket');
      pgCtl(cluster, ['start', '-w', '-l', path.join(path.dirname(cluster.dataDir), 'restart.log'), '-o', `-p ${cluster.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${socketDir}`]);
      running = true;
      assert.strictEqual((await live).text, `PG ${expected.version} @ 127.0.0.1/${database}, ${thousands(expected.functions)} functions`);
      // A fresh catalog was read: documents are analysed again against it.
      await refreshed;
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [UNSAFE, RANDOM]);
    } finally {
      if (running) pgCtl(cluster, ['stop', '-m', 'fast', '-w']);
      await cluster.stop();
    }
  });
});
