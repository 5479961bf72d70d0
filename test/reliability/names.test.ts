/**
 * The SQL the product builds from names, and workspaces it must not connect from. The only SQL text
 * built from catalog names is the ALTER FUNCTION ... PARALLEL SAFE quick fix (inserted into the
 * user's file, never executed by the product); everything sent to the server is fixed text, .sql
 * files or bound parameters. Names are checked against PostgreSQL's own quote_ident, and the quick
 * fix for functions with hostile names is run against a real server to show it does exactly what it
 * says. An untrusted workspace makes no TCP connection at all, whatever it is asked.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { Catalog } from '../../server/src/core/catalog';
import { analyzeDocument } from '../../server/src/core/document';
import { initParser } from '../../server/src/core/parse';
import { alterFunctionFixes, quoteIdentifier } from '../../server/src/core/quick-fixes';
import { splitStatements } from '../../server/src/core/split';
import { readCatalogSnapshot } from '../../server/src/db/catalog';
import type { StatusParams } from '../../server/src/protocol';
import { testCluster } from '../harness/postgres';
import { startInMemory, summarize } from '../lsp/client';
import { ControlledPort, productSessions } from './faults';

const HOSTILE = [
  'x"; DROP TABLE t; --',
  "o'brien",
  'with space',
  'Mixed',
  'ünïcödé',
  '😀',
  'a$b',
  '1abc',
  '"',
  '""',
  'select',
  'user',
  'table',
  'int',
  'between',
  'name',
  'abort',
  '_ok',
  'ok_1',
  'x\ny',
];

describe('reliability: SQL built from names', function () {
  this.timeout(30_000);
  let url: string;

  before(async () => {
    await initParser();
    url = await (await testCluster()).createDatabase('names');
  });

  it('quotes every name exactly as quote_ident does', async () => {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      for (const name of HOSTILE) {
        const { rows } = await client.query('SELECT quote_ident($1) AS quoted', [name]);
        assert.strictEqual(quoteIdentifier(name), rows[0].quoted, JSON.stringify(name));
      }
    } finally {
      await client.end();
    }
  });

  it('offers an ALTER FUNCTION for functions with hostile names that, when run, relabels exactly that function and nothing else', async () => {
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query('CREATE TABLE t (id int)');
      await admin.query('INSERT INTO t VALUES (1), (2)');
      await admin.query(`CREATE SCHEMA "x""; DROP TABLE t; --"`);
      await admin.query(`CREATE DOMAIN "x""; DROP TABLE t; --"."my type; DROP" AS int`);
      await admin.query(`CREATE FUNCTION "x""; DROP TABLE t; --"."Fn ""q"" ; DROP TABLE t; --"(a "x""; DROP TABLE t; --"."my type; DROP", b text) RETURNS int LANGUAGE sql AS 'SELECT 1'`);
      await admin.query(`CREATE FUNCTION public."select"(int) RETURNS int LANGUAGE sql AS 'SELECT 1'`);
      const snapshot = await readCatalogSnapshot(admin);
      const catalog = Catalog.fromSnapshot(snapshot);
      const text = `SELECT "x""; DROP TABLE t; --"."Fn ""q"" ; DROP TABLE t; --"(1::"x""; DROP TABLE t; --"."my type; DROP", 'b'), public."select"(2);\n`;
      const [statement] = analyzeDocument(text, catalog).statements;
      const fixes = statement.reasons.flatMap((reason) => alterFunctionFixes(text, statement, reason));
      assert.deepStrictEqual(
        fixes.map((f) => f.edits[0].newText.split('\n').at(-1)),
        [
          `ALTER FUNCTION "x""; DROP TABLE t; --"."Fn ""q"" ; DROP TABLE t; --"("x""; DROP TABLE t; --"."my type; DROP", text) PARALLEL SAFE;`,
          'ALTER FUNCTION public."select"(integer) PARALLEL SAFE;',
        ],
      );
      for (const fix of fixes) {
        const sql = fix.edits[0].newText.split('\n').at(-1)!;
        assert.strictEqual(splitStatements(sql).length, 1, `one statement: ${sql}`);
        await admin.query(sql);
      }
      const { rows } = await admin.query(`SELECT p.proname, p.proparallel FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'x"; DROP TABLE t; --') ORDER BY 1`);
      assert.deepStrictEqual(rows, [
        { proname: 'Fn "q" ; DROP TABLE t; --', proparallel: 's' },
        { proname: 'select', proparallel: 's' },
      ]);
      assert.deepStrictEqual((await admin.query('SELECT count(*)::int AS n FROM t')).rows, [{ n: 2 }], 'table t is still there, rows and all');
    } finally {
      await admin.end();
    }
  });
});

describe('reliability: an untrusted workspace', function () {
  this.timeout(30_000);

  it('never opens a connection, whatever it is asked: settings, password, reconnect, refresh', async () => {
    const cluster = await testCluster();
    const url = await cluster.createDatabase('untrusted');
    const database = new URL(url).pathname.slice(1);
    const port = await ControlledPort.open({ forwardTo: cluster.port });
    const client = await startInMemory({
      initializationOptions: { trusted: false, settings: { connection: { host: '127.0.0.1', port: port.port, user: 'postgres', database, sslmode: 'disable' } } },
      configuration: () => ({ connection: { host: '127.0.0.1', port: port.port, user: 'postgres', database, sslmode: 'disable' } }),
      deps: { env: { PGHOST: '127.0.0.1', PGPORT: String(port.port), PGDATABASE: database, PGUSER: 'postgres' } },
    });
    try {
      const uri = 'file:///untrusted/a.sql';
      await client.open(uri, 'SELECT random();\n');
      assert.deepStrictEqual(summarize(await client.diagnostics(uri)), [
        '0:7-0:13 information restricted-function: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
      ]);
      await client.rpc.sendNotification('pgParallelHints/setPassword', { password: 'anything' });
      await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { pgParallelHints: { connection: { host: '127.0.0.1', port: port.port } } } });
      const reconnect = await client.rpc.sendRequest<{ statuses: StatusParams[] }>('pgParallelHints/reconnect', {});
      const refresh = await client.rpc.sendRequest<{ statuses: StatusParams[] }>('pgParallelHints/refreshCatalog', {});
      const untrusted = { state: 'offline', text: 'offline: PostgreSQL 18 built-ins + workspace', detail: 'untrusted workspace: no database connection' };
      assert.deepStrictEqual(reconnect.statuses, [untrusted]);
      assert.deepStrictEqual(refresh.statuses, [untrusted]);
      assert.deepStrictEqual(await client.rpc.sendRequest('pgParallelHints/getStatus'), [untrusted]);
      await client.diagnostics(uri);
      assert.strictEqual(port.accepted, 0, 'no TCP connection reached the database port');
      assert.strictEqual(await productSessions(url), 0);
    } finally {
      await client.shutdown();
      client.dispose();
      await port.close();
    }
  });
});
