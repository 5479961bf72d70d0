/**
 * The catalog snapshot read from a real server: every part of the contract the engine relies on,
 * checked against objects this suite creates in a throwaway database, and the built-in catalogs
 * that ship in server/catalogs/.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { loadBuiltinCatalog, supportedMajors } from '../../server/src/builtin-catalogs';
import type { CatalogFunction, CatalogRelation, CatalogSnapshot } from '../../server/src/core/catalog-snapshot';
import { FUNCTION_PAGE, readCatalogSnapshot } from '../../server/src/db/catalog';
import { PgCluster, testCluster } from '../harness/postgres';

const SCHEMA = `
CREATE SCHEMA app;
CREATE FUNCTION app.f_restricted(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT x';
CREATE FUNCTION app.f_default(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION app.f_safe(x int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT x';
CREATE FUNCTION app.over(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS 'SELECT x';
CREATE FUNCTION app.over(x text) RETURNS text LANGUAGE sql PARALLEL UNSAFE AS 'SELECT x';
CREATE FUNCTION app.named(a int, b text DEFAULT 'x', OUT total int, VARIADIC rest int[] DEFAULT '{}')
  LANGUAGE sql AS 'SELECT a';
COMMENT ON FUNCTION app.f_safe(int) IS 'returns its argument';
CREATE FUNCTION app.inl_return(x int) RETURNS int LANGUAGE sql STRICT PARALLEL RESTRICTED RETURN x + 1;
CREATE FUNCTION app.inl_atomic(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED BEGIN ATOMIC SELECT x * 2; END;
CREATE FUNCTION app.inl_secdef(x int) RETURNS int LANGUAGE sql SECURITY DEFINER PARALLEL RESTRICTED AS 'SELECT x';
CREATE FUNCTION app.inl_config(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED SET search_path = app AS 'SELECT x';
CREATE FUNCTION app.inl_set(x int) RETURNS SETOF int LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT x';
CREATE FUNCTION app.inl_plpgsql(x int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION app.inl_revoked(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT x';
REVOKE EXECUTE ON FUNCTION app.inl_revoked(int) FROM PUBLIC;
CREATE FUNCTION app.inl_costly(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED COST 5 AS 'SELECT x';
CREATE FUNCTION app.inl_unsafe(x int) RETURNS int LANGUAGE sql STABLE AS 'SELECT x + 2';
CREATE FUNCTION app.srf_inlined(n int) RETURNS SETOF int LANGUAGE sql STABLE PARALLEL SAFE AS 'SELECT generate_series(1, n)';
CREATE FUNCTION app.srf_volatile(n int) RETURNS SETOF int LANGUAGE sql PARALLEL SAFE AS 'SELECT generate_series(1, n)';
CREATE FUNCTION app.srf_strict(n int) RETURNS SETOF int LANGUAGE sql STABLE STRICT PARALLEL SAFE AS 'SELECT generate_series(1, n)';
CREATE FUNCTION app.srf_unsafe(n int) RETURNS SETOF int LANGUAGE sql STABLE AS 'SELECT generate_series(1, n)';
CREATE AGGREGATE app.no_combine(int) (SFUNC = int4pl, STYPE = int);

CREATE TABLE app.t (id int, grp int, label text);
CREATE TABLE app.indexed (id int PRIMARY KEY, at date, code text, h int, part int, expr int);
CREATE INDEX indexed_at_code ON app.indexed (at DESC, code) INCLUDE (h);
CREATE INDEX indexed_code_c ON app.indexed (code COLLATE "C");
CREATE INDEX indexed_h ON app.indexed USING hash (h);
CREATE UNIQUE INDEX indexed_part ON app.indexed (part) WHERE part > 0;
CREATE INDEX indexed_expr ON app.indexed ((expr + 1), id);
CREATE VIEW app.inner_view AS SELECT id, app.f_default(id) AS d FROM app.t;
CREATE VIEW app.barrier WITH (security_barrier) AS SELECT id FROM app.t;
CREATE VIEW app.outer_view AS SELECT id, app.f_safe(d) AS s FROM app.inner_view;
CREATE MATERIALIZED VIEW app.mat AS SELECT app.f_default(id) AS d FROM app.t;
CREATE VIEW app.over_mat AS SELECT d FROM app.mat;

CREATE FUNCTION app.gt_unsafe(a int, b int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN a > b; END $$;
CREATE OPERATOR app.>>> (LEFTARG = int, RIGHTARG = int, FUNCTION = app.gt_unsafe);
CREATE FUNCTION app.neg_unsafe(b int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN -b; END $$;
CREATE OPERATOR app.~~~ (RIGHTARG = int, FUNCTION = app.neg_unsafe);
CREATE VIEW app.op_view AS SELECT id FROM app.t WHERE id OPERATOR(app.>>>) 3;
CREATE SEQUENCE app.seq;
CREATE VIEW app.builtin_view AS SELECT random() AS r, nextval('app.seq') AS n, count(*) OVER () AS w FROM app.t WHERE id + 1 > 2;
CREATE VIEW app.over_system_view AS SELECT pid FROM pg_stat_activity;

CREATE TYPE app.money2 AS (units int, cents int);
CREATE FUNCTION app.money2_text(app.money2) RETURNS text LANGUAGE sql PARALLEL RESTRICTED AS 'SELECT $1::text';
CREATE CAST (app.money2 AS text) WITH FUNCTION app.money2_text(app.money2) AS ASSIGNMENT;

CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
CREATE DOMAIN app.plain AS int;
CREATE DOMAIN app.not_null AS text NOT NULL;
CREATE DOMAIN app.positive_small AS app.positive;
CREATE TABLE app.typed (amount app.money2, size app.positive, sizes app.positive[], label varchar(20));

CREATE TABLE app.no_workers (id int) WITH (parallel_workers = 0);
CREATE TABLE app.four_workers (id int) WITH (parallel_workers = 4, fillfactor = 90);
CREATE UNLOGGED TABLE app.scratch (id int);

CREATE EXTENSION postgres_fdw;
CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'nowhere');
CREATE TABLE app.events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY RANGE (at);
CREATE TABLE app.events_2025_h1 PARTITION OF app.events_2025 FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
CREATE FOREIGN TABLE app.events_2025_h2 PARTITION OF app.events_2025 FOR VALUES FROM ('2025-07-01') TO ('2026-01-01') SERVER elsewhere;
CREATE TABLE app.notes (id int);

CREATE FUNCTION app.may_see(owner text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN owner = current_user; END $$;
CREATE FUNCTION app.text_eq_unsafe(a text, b text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN a = b; END $$;
CREATE OPERATOR app.=== (LEFTARG = text, RIGHTARG = text, FUNCTION = app.text_eq_unsafe);
CREATE TABLE app.secured (id int, owner text);
ALTER TABLE app.secured ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON app.secured USING (app.may_see(owner));
CREATE POLICY named ON app.secured FOR SELECT USING (owner OPERATOR(app.===) 'admin');
CREATE TABLE app.unpoliced (id int);
ALTER TABLE app.unpoliced ENABLE ROW LEVEL SECURITY;
DO $$ BEGIN CREATE ROLE catalog_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE catalog_other; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION app.insert_check(owner text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;
CREATE FUNCTION app.others_check(owner text) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;
CREATE POLICY via_view ON app.secured FOR SELECT TO catalog_reader USING (id IN (SELECT id FROM app.inner_view));
CREATE POLICY adds ON app.secured FOR INSERT WITH CHECK (app.insert_check(owner));
CREATE POLICY changes ON app.secured FOR UPDATE USING (app.insert_check(owner));
CREATE POLICY others ON app.secured FOR SELECT TO catalog_other USING (app.others_check(owner));
CREATE TABLE app.shared (id int, owner text);
ALTER TABLE app.shared ENABLE ROW LEVEL SECURITY;
CREATE POLICY listed ON app.shared USING (EXISTS (SELECT 1 FROM app.t WHERE t.id = shared.id));
CREATE POLICY plain ON app.shared FOR SELECT USING (owner = current_user);
CREATE POLICY written ON app.shared FOR INSERT WITH CHECK (id IN (SELECT id FROM app.t));
`;

describe('catalog snapshot from a live server', function () {
  this.timeout(60_000);
  let cluster: PgCluster;
  let url: string;
  let client: Client;
  let snapshot: CatalogSnapshot;

  const functionNamed = (schema: string, name: string, argTypes?: string[]): CatalogFunction => {
    const found = snapshot.functions.filter(
      (f) => f.schema === schema && f.name === name && (!argTypes || JSON.stringify(f.argTypes) === JSON.stringify(argTypes)),
    );
    assert.strictEqual(found.length, 1, `${schema}.${name}(${argTypes ?? '...'}) appears ${found.length} times`);
    return found[0];
  };
  const oidOf = (schema: string, name: string, argTypes?: string[]) => functionNamed(schema, name, argTypes).oid;
  const relationNamed = (schema: string, name: string): CatalogRelation => {
    const found = snapshot.relations.filter((r) => r.schema === schema && r.name === name);
    assert.strictEqual(found.length, 1, `${schema}.${name} appears ${found.length} times`);
    return found[0];
  };
  /** The server's own answer, so that expectations never depend on a version's labels. */
  const serverLabel = async (signature: string) =>
    (await client.query<{ label: string }>(`SELECT proparallel AS label FROM pg_proc WHERE oid = $1::regprocedure`, [signature])).rows[0].label;

  before(async () => {
    cluster = await testCluster();
    url = await cluster.createDatabase('catalog');
    client = new Client({ connectionString: url });
    await client.connect();
    await client.query(SCHEMA);
    await client.query('CREATE TEMP TABLE session_scratch (id int, note text)');
    await client.query('CREATE TEMP TABLE notes_scratch () INHERITS (app.notes)');
    await client.query('SET search_path = app, public');
    snapshot = await readCatalogSnapshot(client);
  });

  after(async () => {
    await client?.end();
  });

  it('records where it came from', async () => {
    const { rows } = await client.query<{ num: string; version: string }>(
      "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
    );
    assert.strictEqual(snapshot.formatVersion, 1);
    assert.strictEqual(snapshot.source.kind, 'live');
    assert.strictEqual(snapshot.source.versionNum, Number(rows[0].num));
    assert.strictEqual(Math.floor(snapshot.source.versionNum / 10000), cluster.major);
    assert.match(snapshot.source.version, /^\d+\.\d+$/);
    assert.ok(rows[0].version.startsWith(snapshot.source.version));
    assert.strictEqual(snapshot.source.host, '127.0.0.1');
    assert.match(snapshot.source.database ?? '', /^catalog_\d+$/);
    assert.strictEqual(snapshot.source.user, 'postgres');
    assert.ok(!JSON.stringify(snapshot.source).includes('password'));
  });

  it('calls afterPage once for each page of functions it fetched', async () => {
    let pages = 0;
    const read = await readCatalogSnapshot(client, {}, { afterPage: () => pages++ });
    assert.ok(read.functions.length > FUNCTION_PAGE, `${read.functions.length} functions`);
    // The last page is the first one shorter than a full page (possibly empty).
    assert.strictEqual(pages, Math.floor(read.functions.length / FUNCTION_PAGE) + 1);
  });

  it('lets the caller override the source', async () => {
    const builtin = await readCatalogSnapshot(client, { kind: 'builtin', host: 'elsewhere' });
    assert.strictEqual(builtin.source.kind, 'builtin');
    assert.strictEqual(builtin.source.host, 'elsewhere');
    assert.strictEqual(builtin.source.user, 'postgres');
  });

  it('is plain JSON data', () => {
    assert.deepStrictEqual(JSON.parse(JSON.stringify(snapshot)), snapshot);
  });

  it('reads the PARALLEL label of user functions: RESTRICTED, and UNSAFE when no clause was given', () => {
    assert.strictEqual(functionNamed('app', 'f_restricted').parallel, 'r');
    assert.strictEqual(functionNamed('app', 'f_default').parallel, 'u');
    assert.strictEqual(functionNamed('app', 'f_safe').parallel, 's');
  });

  it('reads strictness, and the body of each SQL function the planner could inline to some effect (a SQL-standard one as the SELECT it runs)', async () => {
    assert.strictEqual(functionNamed('app', 'inl_return').strict, true);
    assert.strictEqual(functionNamed('app', 'inl_atomic').strict, false);
    assert.strictEqual(functionNamed('pg_catalog', 'int4pl').strict, true);
    assert.strictEqual(functionNamed('pg_catalog', 'concat').strict, false);
    assert.strictEqual(functionNamed('app', 'f_restricted').inlineBody, 'SELECT x');
    assert.strictEqual(functionNamed('app', 'inl_return').inlineBody, 'SELECT (x + 1)');
    assert.strictEqual(functionNamed('app', 'inl_atomic').inlineBody, 'SELECT (x * 2)');
    // A SAFE one too: its body counts in a statement that is not SAFE before inlining.
    assert.strictEqual(functionNamed('app', 'f_safe').inlineBody, 'SELECT x');
    // An UNSAFE one too: inlined in turn inside another's inlined body, where the statement's check never sees it.
    assert.strictEqual(functionNamed('app', 'inl_unsafe').inlineBody, 'SELECT x + 2');
    assert.strictEqual(functionNamed('app', 'srf_unsafe').inlineBody, 'SELECT generate_series(1, n)');
    // Never inlined to any effect: SECURITY DEFINER, a SET clause, a set that is VOLATILE or STRICT, another language.
    for (const name of ['inl_secdef', 'inl_config', 'inl_plpgsql', 'f_default', 'srf_volatile', 'srf_strict']) assert.strictEqual(functionNamed('app', name).inlineBody, undefined, name);
    // procost where it is not the language's default.
    assert.strictEqual(functionNamed('pg_catalog', 'int4pl').cost, undefined);
    assert.strictEqual(functionNamed('pg_catalog', 'to_tsvector', ['regconfig', 'text']).cost, 100);
    assert.strictEqual(functionNamed('app', 'inl_costly').cost, 5);
    // A set-returning one the planner inlines in FROM, whatever its label.
    assert.strictEqual(functionNamed('app', 'srf_inlined').inlineBody, 'SELECT generate_series(1, n)');
    // The server's superuser may execute anything: the one this read runs as.
    assert.strictEqual(functionNamed('app', 'inl_revoked').inlineBody, 'SELECT x');
    await client.query('CREATE ROLE catalog_reader_no_execute');
    try {
      await client.query('GRANT USAGE ON SCHEMA app TO catalog_reader_no_execute');
      await client.query('SET ROLE catalog_reader_no_execute');
      const asReader = await readCatalogSnapshot(client);
      const revoked = asReader.functions.find((f) => f.schema === 'app' && f.name === 'inl_revoked');
      assert.strictEqual(revoked?.inlineBody, undefined, 'without EXECUTE the planner does not inline it');
      assert.strictEqual(asReader.functions.find((f) => f.schema === 'app' && f.name === 'f_restricted')?.inlineBody, 'SELECT x');
    } finally {
      await client.query('RESET ROLE');
      await client.query('DROP OWNED BY catalog_reader_no_execute');
      await client.query('DROP ROLE catalog_reader_no_execute');
    }
  });

  it('reads built-in labels as the server has them', async () => {
    assert.strictEqual(await serverLabel('random()'), 'r');
    assert.strictEqual(await serverLabel('gen_random_uuid()'), 's');
    const random = functionNamed('pg_catalog', 'random', []);
    const uuid = functionNamed('pg_catalog', 'gen_random_uuid', []);
    assert.strictEqual(random.parallel, 'r');
    assert.strictEqual(random.volatility, 'v');
    assert.strictEqual(random.language, 'internal');
    assert.strictEqual(random.returnType, 'double precision');
    assert.strictEqual(uuid.parallel, 's');
    assert.strictEqual(uuid.volatility, 'v');
    assert.strictEqual(uuid.returnType, 'uuid');
    assert.ok(snapshot.functions.length > 2500, `${snapshot.functions.length} functions`);
  });

  it('lists overloads separately, each with its own label', () => {
    assert.strictEqual(functionNamed('app', 'over', ['integer']).parallel, 's');
    assert.strictEqual(functionNamed('app', 'over', ['integer']).returnType, 'integer');
    assert.strictEqual(functionNamed('app', 'over', ['text']).parallel, 'u');
    assert.strictEqual(functionNamed('app', 'over', ['text']).returnType, 'text');
  });

  it('reads input argument names, defaults, variadic, kind, language and description', () => {
    const named = functionNamed('app', 'named');
    assert.deepStrictEqual(named.argTypes, ['integer', 'text', 'integer[]']);
    assert.deepStrictEqual(named.argNames, ['a', 'b', 'rest']);
    assert.strictEqual(named.defaults, 2);
    assert.strictEqual(named.variadic, true);
    assert.strictEqual(named.kind, 'f');
    assert.strictEqual(named.language, 'sql');
    assert.strictEqual(named.returnType, 'integer');
    assert.strictEqual(named.returnsSet, false);
    const safe = functionNamed('app', 'f_safe');
    assert.deepStrictEqual(safe.argNames, ['x']);
    assert.strictEqual(safe.variadic, false);
    assert.strictEqual(safe.volatility, 'i');
    assert.strictEqual(safe.description, 'returns its argument');
    assert.strictEqual(functionNamed('app', 'f_default').description, undefined);
    const unnamed = functionNamed('pg_catalog', 'int4pl');
    assert.deepStrictEqual(unnamed.argNames, ['', '']);
    assert.strictEqual(functionNamed('pg_catalog', 'generate_series', ['integer', 'integer']).returnsSet, true);
  });

  it('marks aggregates that can be combined for partial aggregation', () => {
    const count = functionNamed('pg_catalog', 'count', ['"any"']);
    assert.strictEqual(count.kind, 'a');
    assert.strictEqual(count.combinable, true);
    const noCombine = functionNamed('app', 'no_combine');
    assert.strictEqual(noCombine.kind, 'a');
    assert.strictEqual(noCombine.combinable, false);
    assert.strictEqual(noCombine.parallel, 'u');
    assert.strictEqual(functionNamed('pg_catalog', 'row_number').kind, 'w');
    assert.strictEqual(functionNamed('app', 'f_safe').combinable, undefined);
  });

  it('reads the sort operator of MIN / MAX-like aggregates, for tables the indexes that keep a column in that order, and security_barrier views', async () => {
    // One query for several: a client runs one query at a time (pg 9 will refuse a second).
    const operatorOids = async (signatures: string[]) =>
      (await client.query<{ oid: string }>('SELECT s::regoperator::oid AS oid FROM unnest($1::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n', [signatures])).rows.map((r) => Number(r.oid));
    const [lessInt, greaterInt, lessDate, greaterDate] = await operatorOids(['<(int4,int4)', '>(int4,int4)', '<(date,date)', '>(date,date)']);
    assert.strictEqual(functionNamed('pg_catalog', 'max', ['integer']).sortOperator, greaterInt);
    assert.strictEqual(functionNamed('pg_catalog', 'min', ['date']).sortOperator, lessDate);
    assert.strictEqual(functionNamed('pg_catalog', 'count', ['"any"']).sortOperator, undefined);
    const indexes = new Map((relationNamed('app', 'indexed').indexes ?? []).map((index) => [index.name, index]));
    assert.deepStrictEqual([...indexes.keys()], ['indexed_at_code', 'indexed_code_c', 'indexed_expr', 'indexed_h', 'indexed_part', 'indexed_pkey']);
    const [lessText, greaterText] = await operatorOids(['<(text,text)', '>(text,text)']);
    const orders = (name: string, key: number, ...operators: number[]) => operators.every((op) => indexes.get(name)!.orderedBy![key].includes(op));
    // An operator family orders every type it has: the integer family's int2 and int8 operators too.
    assert.ok(orders('indexed_pkey', 0, lessInt, greaterInt));
    assert.deepStrictEqual({ ...indexes.get('indexed_pkey'), orderedBy: undefined }, { name: 'indexed_pkey', columns: ['id'], unique: true, orderedBy: undefined });
    // Every key (INCLUDE columns left out), DESC too.
    assert.deepStrictEqual(indexes.get('indexed_at_code')!.columns, ['at', 'code']);
    assert.ok(orders('indexed_at_code', 0, lessDate, greaterDate) && orders('indexed_at_code', 1, lessText, greaterText));
    // Another collation than the column's, an expression: not in that column's order; a hash index: no order at all.
    assert.deepStrictEqual(indexes.get('indexed_code_c'), { name: 'indexed_code_c', columns: ['code'], orderedBy: [[]] });
    assert.deepStrictEqual(indexes.get('indexed_expr')!.columns, ['', 'id']);
    assert.ok(indexes.get('indexed_expr')!.orderedBy![0].length === 0 && orders('indexed_expr', 1, lessInt));
    assert.deepStrictEqual(indexes.get('indexed_h'), { name: 'indexed_h', method: 'hash', columns: ['h'] });
    assert.deepStrictEqual({ ...indexes.get('indexed_part'), orderedBy: undefined }, { name: 'indexed_part', columns: ['part'], unique: true, partial: true, orderedBy: undefined });
    assert.strictEqual(relationNamed('app', 't').indexes, undefined);
    // A security_barrier view is never pulled up into a statement reading it.
    assert.strictEqual(relationNamed('app', 'barrier').securityBarrier, true);
    assert.strictEqual(relationNamed('app', 'inner_view').securityBarrier, undefined);
  });

  it('follows views through views of views, and through operators, to the functions they reach', () => {
    const inner = relationNamed('app', 'inner_view');
    const outer = relationNamed('app', 'outer_view');
    assert.strictEqual(inner.kind, 'v');
    assert.deepStrictEqual(inner.viewFunctions, [oidOf('app', 'f_default')]);
    assert.deepStrictEqual(outer.viewFunctions, [oidOf('app', 'f_default'), oidOf('app', 'f_safe')].sort((a, b) => a - b));
    assert.deepStrictEqual(outer.columns, [
      { name: 'id', type: 'integer' },
      { name: 's', type: 'integer' },
    ]);
    const opView = relationNamed('app', 'op_view');
    assert.deepStrictEqual(opView.viewFunctions, [oidOf('app', 'gt_unsafe')]);
  });

  it('reads the definitions of the database’s own views and materialized views (REFRESH runs the query) as pg_get_viewdef prints them with every name outside pg_catalog qualified; none of system views', async () => {
    const printed = async (view: string) => {
      await client.query('BEGIN');
      try {
        await client.query('SET LOCAL search_path = pg_catalog, pg_temp');
        return (await client.query<{ d: string }>('SELECT pg_get_viewdef($1::regclass) AS d', [view])).rows[0].d;
      } finally {
        await client.query('ROLLBACK');
      }
    };
    const definition = relationNamed('app', 'outer_view').viewDefinition;
    assert.strictEqual(definition, await printed('app.outer_view'));
    assert.match(definition ?? '', /app\.f_safe\(inner_view\.d\)|app\.f_safe\(d\)/);
    assert.match(definition ?? '', /FROM app\.inner_view/);
    assert.strictEqual(relationNamed('pg_catalog', 'pg_stat_activity').viewDefinition, undefined);
    assert.strictEqual(relationNamed('app', 'mat').viewDefinition, await printed('app.mat'));
  });

  it('does not wait for a relation a view reads that another session locks or waits to lock ACCESS EXCLUSIVE: that view’s definition is left out, the rest read', async () => {
    const url = await cluster.createDatabase('locked_views');
    const [reader, holder, waiter] = [0, 1, 2].map(() => new Client({ connectionString: url }));
    await Promise.all([reader, holder, waiter].map((c) => c.connect()));
    try {
      await reader.query('CREATE TABLE busy (id int); CREATE TABLE calm (id int); CREATE VIEW reads_busy AS SELECT id FROM busy; CREATE VIEW reads_calm AS SELECT id FROM calm');
      const definedViews = (read: CatalogSnapshot) => read.relations.filter((r) => r.viewDefinition !== undefined).map((r) => r.name).sort();
      assert.deepStrictEqual(definedViews(await readCatalogSnapshot(reader)), ['reads_busy', 'reads_calm']);
      // Held: an ALTER TABLE, TRUNCATE, VACUUM FULL ... under way.
      await holder.query('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE');
      assert.deepStrictEqual(definedViews(await readCatalogSnapshot(reader)), ['reads_calm']);
      await holder.query('ROLLBACK');
      // Waited for: the lock queue would put the read behind it too.
      await holder.query('BEGIN; SELECT * FROM busy');
      const locking = waiter.query('BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE');
      const waiting = async (): Promise<void> => {
        const { rows } = await reader.query("SELECT count(*)::int AS n FROM pg_locks WHERE relation = 'busy'::regclass AND mode = 'AccessExclusiveLock' AND NOT granted");
        if (rows[0].n === 0) return waiting();
      };
      await waiting();
      assert.deepStrictEqual(definedViews(await readCatalogSnapshot(reader)), ['reads_calm']);
      await holder.query('ROLLBACK');
      await locking;
      await waiter.query('ROLLBACK');
      assert.deepStrictEqual(definedViews(await readCatalogSnapshot(reader)), ['reads_busy', 'reads_calm']);
    } finally {
      await Promise.all([reader, holder, waiter].map((c) => c.end()));
    }
  });

  it('goes on without view definitions when pg_get_viewdef fails on a lock taken after its check (a fault caused here: the race cannot be)', async () => {
    const failing = new Proxy(client, {
      get(target, property) {
        if (property !== 'query') return Reflect.get(target, property, target);
        return (text: unknown, ...rest: unknown[]) =>
          typeof text === 'string' && text.includes('pg_get_viewdef(')
            ? Promise.reject(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }))
            : (target.query as (...args: unknown[]) => unknown).call(target, text, ...rest);
      },
    });
    const read = await readCatalogSnapshot(failing);
    assert.deepStrictEqual(read.relations.filter((r) => r.viewDefinition !== undefined), []);
    assert.deepStrictEqual(read.warnings, [
      "views' definitions left out of this catalog read (canceling statement due to lock timeout): those views pass on only the functions they reach until the next read",
    ]);
    assert.strictEqual(snapshot.warnings, undefined);
    assert.deepStrictEqual(relationNamed('app', 'inner_view').viewFunctions, read.relations.find((r) => r.name === 'inner_view')?.viewFunctions);
    assert.strictEqual(client.getTransactionStatus(), 'I');
  });

  it('lists built-in functions, operators and window functions too, and the functions of system views', () => {
    assert.deepStrictEqual(
      relationNamed('app', 'builtin_view').viewFunctions,
      [
        oidOf('pg_catalog', 'random', []),
        oidOf('pg_catalog', 'nextval'),
        oidOf('pg_catalog', 'count', []),
        oidOf('pg_catalog', 'int4pl'),
        oidOf('pg_catalog', 'int4gt'),
      ].sort((a, b) => a - b),
    );
    const activity = oidOf('pg_catalog', 'pg_stat_get_activity');
    assert.ok(relationNamed('pg_catalog', 'pg_stat_activity').viewFunctions?.includes(activity));
    assert.ok(relationNamed('app', 'over_system_view').viewFunctions?.includes(activity));
  });

  it('stops at materialized views: their stored rows run no function when read', () => {
    assert.strictEqual(relationNamed('app', 'mat').kind, 'm');
    assert.deepStrictEqual(relationNamed('app', 'mat').viewFunctions, [oidOf('app', 'f_default')]);
    assert.deepStrictEqual(relationNamed('app', 'over_mat').viewFunctions, []);
  });

  it('gives operators their function, with none for a prefix operator', () => {
    const infix = snapshot.operators.find((o) => o.schema === 'app' && o.name === '>>>');
    assert.deepStrictEqual(infix && { ...infix, oid: 0 }, {
      oid: 0,
      schema: 'app',
      name: '>>>',
      left: 'integer',
      right: 'integer',
      result: 'boolean',
      functionOid: oidOf('app', 'gt_unsafe'),
    });
    const prefix = snapshot.operators.find((o) => o.schema === 'app' && o.name === '~~~');
    assert.strictEqual(prefix?.left, 'none');
    assert.strictEqual(prefix?.right, 'integer');
    assert.strictEqual(prefix?.functionOid, oidOf('app', 'neg_unsafe'));
  });

  it('gives casts their function, context and method', () => {
    const userCast = snapshot.casts.filter((c) => c.source === 'app.money2' && c.target === 'text');
    assert.deepStrictEqual(userCast, [{ source: 'app.money2', target: 'text', functionOid: oidOf('app', 'money2_text'), context: 'a', method: 'f' }]);
    const binary = snapshot.casts.find((c) => c.source === 'integer' && c.target === 'oid');
    assert.deepStrictEqual(binary, { source: 'integer', target: 'oid', functionOid: 0, context: 'i', method: 'b' });
    const toBigint = snapshot.casts.find((c) => c.source === 'integer' && c.target === 'bigint');
    assert.strictEqual(toBigint?.functionOid, oidOf('pg_catalog', 'int8', ['integer']));
    assert.strictEqual(toBigint?.context, 'i');
  });

  it('says which domains have constraints, through domains over domains too', () => {
    const domain = (name: string) => snapshot.types.find((t) => t.schema === 'app' && t.name === name);
    assert.deepStrictEqual(domain('positive'), {
      oid: domain('positive')?.oid,
      schema: 'app',
      name: 'positive',
      formatted: 'app.positive',
      category: 'N',
      preferred: false,
      kind: 'd',
      baseType: 'integer',
      hasConstraints: true,
    });
    assert.strictEqual(domain('plain')?.hasConstraints, false);
    assert.strictEqual(domain('not_null')?.hasConstraints, true);
    assert.strictEqual(domain('positive_small')?.baseType, 'app.positive');
    assert.strictEqual(domain('positive_small')?.hasConstraints, true);
  });

  it('spells types outside pg_catalog with their schema, whatever the session’s search_path', () => {
    assert.deepStrictEqual(functionNamed('app', 'money2_text').argTypes, ['app.money2']);
    assert.strictEqual(functionNamed('pg_catalog', 'int4pl').returnType, 'integer');
    assert.deepStrictEqual(
      relationNamed('app', 'typed').columns,
      [
        { name: 'amount', type: 'app.money2' },
        { name: 'size', type: 'app.positive' },
        { name: 'sizes', type: 'app.positive[]' },
        { name: 'label', type: 'character varying' },
      ],
    );
  });

  it('keeps user composite types and array element types, and leaves out system catalog row types', () => {
    const money2 = snapshot.types.find((t) => t.schema === 'app' && t.name === 'money2');
    assert.strictEqual(money2?.kind, 'c');
    assert.strictEqual(snapshot.types.find((t) => t.schema === 'app' && t.name === '_money2')?.elementType, 'app.money2');
    assert.strictEqual(snapshot.types.find((t) => t.name === '_int4')?.elementType, 'integer');
    const int4 = snapshot.types.find((t) => t.name === 'int4');
    assert.strictEqual(int4?.formatted, 'integer');
    assert.strictEqual(int4?.baseType, undefined);
    assert.strictEqual(snapshot.types.find((t) => t.name === 'pg_class'), undefined);
    assert.strictEqual(snapshot.types.find((t) => t.name === '_pg_class'), undefined);
    assert.ok(snapshot.types.some((t) => t.name === 't' && t.schema === 'app'), 'the row type of a user table stays');
    assert.strictEqual(snapshot.types.find((t) => t.name === 'cardinal_number')?.kind, 'd');
  });

  it('lists this session’s temporary tables, and tables, views and system catalogs, but not indexes or information_schema', async () => {
    const temp = snapshot.relations.find((r) => r.name === 'session_scratch');
    assert.strictEqual(temp?.persistence, 't');
    assert.match(temp?.schema ?? '', /^pg_temp_\d+$/);
    assert.strictEqual(relationNamed('app', 'scratch').persistence, 'u');
    assert.strictEqual(relationNamed('app', 't').persistence, 'p');
    assert.strictEqual(relationNamed('pg_catalog', 'pg_class').kind, 'r');
    assert.strictEqual(relationNamed('pg_catalog', 'pg_stat_activity').kind, 'v');
    assert.ok(snapshot.relations.every((r) => ['r', 'p', 'v', 'm', 'f'].includes(r.kind)));
    assert.ok(snapshot.relations.every((r) => r.schema !== 'information_schema' && r.schema !== 'pg_toast'));

    const other = new Client({ connectionString: cluster.connectionString(snapshot.source.database) });
    await other.connect();
    try {
      await other.query('CREATE TEMP TABLE not_mine (id int)');
      const seen = await readCatalogSnapshot(client);
      assert.strictEqual(seen.relations.find((r) => r.name === 'not_mine'), undefined);
      assert.ok(seen.relations.some((r) => r.name === 'session_scratch'));
    } finally {
      await other.end();
    }
  });

  it('reads parallel_workers, columns and size', async () => {
    assert.strictEqual(relationNamed('app', 'no_workers').parallelWorkers, 0);
    assert.strictEqual(relationNamed('app', 'four_workers').parallelWorkers, 4);
    assert.strictEqual(relationNamed('app', 't').parallelWorkers, undefined);
    assert.deepStrictEqual(relationNamed('app', 't').columns, [
      { name: 'id', type: 'integer' },
      { name: 'grp', type: 'integer' },
      { name: 'label', type: 'text' },
    ]);
    await client.query('INSERT INTO app.t SELECT g, g % 7, md5(g::text) FROM generate_series(1, 5000) g');
    await client.query('ANALYZE app.t');
    const pages = (await client.query<{ pages: number }>("SELECT relpages AS pages FROM pg_class WHERE oid = 'app.t'::regclass")).rows[0].pages;
    assert.ok(pages > 10, `${pages} pages`);
    const after = await readCatalogSnapshot(client);
    assert.strictEqual(after.relations.find((r) => r.schema === 'app' && r.name === 't')?.pages, pages);
  });

  it('lists the partitions and inheritance children, at any depth, that only the leader can scan: foreign tables, this session’s temporary tables', async () => {
    const tempSchema = relationNamed('app', 'notes').leaderOnlyChildren?.[0]?.schema ?? '';
    assert.match(tempSchema, /^pg_temp_\d+$/);
    assert.deepStrictEqual(relationNamed('app', 'notes').leaderOnlyChildren, [{ schema: tempSchema, name: 'notes_scratch' }]);
    // A partition comes with the bound of the parent's own partition it is in (what pruning decides by).
    const remote = { schema: 'app', name: 'events_2025_h2', foreignWrapper: 'postgres_fdw' };
    assert.deepStrictEqual(relationNamed('app', 'events').leaderOnlyChildren, [{ ...remote, bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')" }]);
    assert.deepStrictEqual(relationNamed('app', 'events_2025').leaderOnlyChildren, [{ ...remote, bound: "FOR VALUES FROM ('2025-07-01') TO ('2026-01-01')" }]);
    assert.strictEqual(relationNamed('app', 'events_2025_h1').leaderOnlyChildren, undefined);
    assert.deepStrictEqual(relationNamed('app', 'events').partitionKey, { strategy: 'r', columns: ['at'] });
    assert.strictEqual(relationNamed('app', 'notes').partitionKey, undefined);
    assert.strictEqual(relationNamed('app', 't').leaderOnlyChildren, undefined);
    // Another session's temporary child is never read: it is left out.
    const other = new Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('CREATE TEMP TABLE other_scratch () INHERITS (app.t)');
      const after = await readCatalogSnapshot(client);
      assert.strictEqual(after.relations.find((r) => r.schema === 'app' && r.name === 't')?.leaderOnlyChildren, undefined);
    } finally {
      await other.end();
    }
  });

  it("lists the functions the policies a SELECT by this role gets reach, through operators and views; the owner bypasses them", async () => {
    // A superuser has every role's privileges: each role's SELECT policies; no INSERT / UPDATE policy, no WITH CHECK.
    const secured = relationNamed('app', 'secured');
    assert.strictEqual(secured.rowSecurity, true);
    assert.strictEqual(secured.rowSecurityBypassed, true);
    // int4eq: the = of `id IN (SELECT ...)`; f_default: the view that subquery reads.
    const reader = [oidOf('app', 'may_see'), oidOf('app', 'text_eq_unsafe'), oidOf('pg_catalog', 'int4eq'), oidOf('app', 'f_default')];
    assert.deepStrictEqual(secured.policyFunctions, [...reader, oidOf('app', 'others_check')].sort((a, b) => a - b));
    // Of the policies a SELECT gets, those with a subquery, as pg_get_expr prints them with every name
    // outside pg_catalog qualified: walked by the engine.
    await client.query('BEGIN; SET LOCAL search_path = pg_catalog');
    const { rows } = await client.query<{ expression: string }>("SELECT pg_get_expr(polqual, polrelid) AS expression FROM pg_policy WHERE polname = 'listed'");
    await client.query('COMMIT');
    assert.deepStrictEqual(relationNamed('app', 'shared').policySubqueries, [rows[0].expression]);
    assert.match(rows[0].expression, /^\(EXISTS \( SELECT 1\s+FROM app\.t\s/);
    assert.deepStrictEqual(secured.policySubqueries, ['(id IN ( SELECT inner_view.id\n   FROM app.inner_view))']);
    assert.strictEqual(relationNamed('app', 'unpoliced').policySubqueries, undefined);
    await client.query('SET ROLE catalog_reader');
    try {
      const asReader = (await readCatalogSnapshot(client)).relations.find((r) => r.schema === 'app' && r.name === 'secured');
      assert.strictEqual(asReader?.rowSecurityBypassed, undefined);
      assert.deepStrictEqual(asReader?.policyFunctions, reader.sort((a, b) => a - b));
    } finally {
      await client.query('RESET ROLE');
    }
    assert.strictEqual(relationNamed('app', 'unpoliced').rowSecurity, true);
    assert.deepStrictEqual(relationNamed('app', 'unpoliced').policyFunctions, []);
    assert.strictEqual(relationNamed('app', 't').rowSecurity, false);
    assert.strictEqual(relationNamed('app', 't').policyFunctions, undefined);
  });

  it("lists, per view, the tables with row security it reads and the policies of the role it reads them as: its owner, or (security_invoker) its reader", async () => {
    const invoker = snapshot.source.versionNum >= 150000 ? ' WITH (security_invoker)' : '';
    await client.query(`
      GRANT USAGE ON SCHEMA app TO catalog_other, catalog_reader;
      GRANT SELECT ON app.secured TO catalog_other, catalog_reader;
      CREATE VIEW app.secured_by_admin AS SELECT id FROM app.secured;
      CREATE VIEW app.secured_by_other AS SELECT id FROM app.secured;
      ALTER VIEW app.secured_by_other OWNER TO catalog_other;
      CREATE VIEW app.over_other AS SELECT id FROM app.secured_by_other;
      CREATE VIEW app.secured_by_reader${invoker} AS SELECT id FROM app.secured;
      GRANT SELECT ON app.secured_by_reader TO catalog_reader;`);
    try {
      const relations = (await readCatalogSnapshot(client)).relations;
      const throughView = (name: string) => relations.find((r) => r.schema === 'app' && r.name === name)?.viewRowSecurity;
      // Owned by a superuser: bypassed. By catalog_other: every PUBLIC policy and its own.
      assert.strictEqual(throughView('secured_by_admin'), undefined);
      const asOther = [{ schema: 'app', name: 'secured', role: 'catalog_other', functions: [oidOf('app', 'may_see'), oidOf('app', 'text_eq_unsafe'), oidOf('app', 'others_check')].sort((a, b) => a - b) }];
      assert.deepStrictEqual(throughView('secured_by_other'), asOther);
      // A view over that view reads it as catalog_other still.
      assert.deepStrictEqual(throughView('over_other'), asOther);
      // security_invoker (15+): as the session's role, a superuser here; before 15 as its owner, the same.
      assert.strictEqual(throughView('secured_by_reader'), undefined);
      await client.query('SET ROLE catalog_reader');
      try {
        const asReader = (await readCatalogSnapshot(client)).relations.find((r) => r.name === 'secured_by_reader')?.viewRowSecurity;
        if (invoker) {
          assert.deepStrictEqual(asReader, [
            {
              schema: 'app',
              name: 'secured',
              role: 'catalog_reader',
              functions: [oidOf('app', 'may_see'), oidOf('app', 'text_eq_unsafe'), oidOf('pg_catalog', 'int4eq'), oidOf('app', 'f_default')].sort((a, b) => a - b),
              subqueries: ['(id IN ( SELECT inner_view.id\n   FROM app.inner_view))'],
            },
          ]);
        } else assert.strictEqual(asReader, undefined);
      } finally {
        await client.query('RESET ROLE');
      }
    } finally {
      await client.query(`
        DROP VIEW app.over_other, app.secured_by_other, app.secured_by_admin, app.secured_by_reader;
        REVOKE SELECT ON app.secured FROM catalog_other, catalog_reader;
        REVOKE USAGE ON SCHEMA app FROM catalog_other, catalog_reader;`);
    }
  });

  it('reads the effective search_path: pg_catalog included, and this session’s temporary schema once it exists', async () => {
    const tempSchema = snapshot.relations.find((r) => r.name === 'session_scratch')?.schema;
    assert.deepStrictEqual(snapshot.searchPath, [tempSchema, 'pg_catalog', 'app', 'public']);
    await client.query('SET search_path = public, pg_catalog, app, no_such_schema');
    try {
      assert.deepStrictEqual((await readCatalogSnapshot(client)).searchPath, [tempSchema, 'public', 'pg_catalog', 'app']);
    } finally {
      await client.query('SET search_path = app, public');
    }
  });

  it('reads settings as numbers in base units, with the version’s name for debug_parallel_query', async () => {
    const s = snapshot.settings;
    // The harness starts the server with these.
    assert.strictEqual(s.max_parallel_workers_per_gather, 2);
    assert.strictEqual(s.max_parallel_workers, 8);
    assert.strictEqual(s.max_worker_processes, 16);
    assert.strictEqual(s.min_parallel_table_scan_size, 1024);
    assert.strictEqual(s.min_parallel_index_scan_size, 64);
    assert.strictEqual(s.parallel_setup_cost, 1000);
    assert.strictEqual(s.parallel_tuple_cost, 0.1);
    assert.strictEqual(s.work_mem, 4096);
    assert.strictEqual(s.max_connections, Number((await client.query('SHOW max_connections')).rows[0].max_connections));
    assert.strictEqual(s.superuser_reserved_connections, 3);
    assert.strictEqual(s.parallel_leader_participation, 'on');
    assert.strictEqual(s.block_size, 8192);
    assert.strictEqual(typeof s.shared_buffers, 'number');
    assert.strictEqual(typeof s.effective_cache_size, 'number');
    if (cluster.major >= 16) {
      assert.strictEqual(s.debug_parallel_query, 'off');
      assert.strictEqual(s.force_parallel_mode, undefined);
    } else {
      assert.strictEqual(s.force_parallel_mode, 'off');
      assert.strictEqual(s.debug_parallel_query, undefined);
    }
    await client.query("SET work_mem = '64MB'");
    await client.query('SET max_parallel_workers_per_gather = 0');
    try {
      const changed = (await readCatalogSnapshot(client)).settings;
      assert.strictEqual(changed.work_mem, 65536);
      assert.strictEqual(changed.max_parallel_workers_per_gather, 0);
    } finally {
      await client.query('RESET work_mem');
      await client.query('RESET max_parallel_workers_per_gather');
    }
  });

  it('reads a catalog of many fetches whole, each function once, in oid order, without other sessions’ temporary ones', async () => {
    const url = await cluster.createDatabase('many_functions');
    const owner = new Client({ connectionString: url });
    const other = new Client({ connectionString: url });
    await owner.connect();
    await other.connect();
    try {
      await owner.query(`DO $$ BEGIN FOR i IN 1..12000 LOOP EXECUTE format('CREATE FUNCTION many_%s() RETURNS int LANGUAGE sql AS ''SELECT %s''', i, i); END LOOP; END $$`);
      await other.query('CREATE FUNCTION pg_temp.not_mine() RETURNS int LANGUAGE sql AS $$SELECT 1$$');
      const read = await readCatalogSnapshot(owner);
      const expected = await owner.query<{ oid: string }>(
        "SELECT p.oid::int8 AS oid FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT LIKE 'pg\\_temp\\_%' ORDER BY p.oid",
      );
      assert.ok(expected.rows.length > 15_000, `${expected.rows.length} functions`);
      assert.deepStrictEqual(
        read.functions.map((f) => f.oid),
        expected.rows.map((r) => Number(r.oid)),
      );
      assert.strictEqual(read.functions.filter((f) => f.name === 'many_12000').length, 1);
      assert.strictEqual(read.functions.find((f) => f.name === 'not_mine'), undefined);
    } finally {
      await other.end();
      await owner.end();
    }
  });

  it('reads inside the caller’s transaction, seeing its uncommitted objects, and leaves it open as it was', async () => {
    await client.query('BEGIN');
    try {
      await client.query('CREATE FUNCTION app.uncommitted() RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$SELECT 1$$');
      const inside = await readCatalogSnapshot(client);
      assert.strictEqual(inside.functions.find((f) => f.name === 'uncommitted')?.parallel, 'r');
      assert.strictEqual(client.getTransactionStatus(), 'T');
      assert.strictEqual((await client.query('SHOW search_path')).rows[0].search_path, 'app, public');
      assert.strictEqual((await client.query('SHOW lock_timeout')).rows[0].lock_timeout, '0');
      await client.query('CREATE TABLE app.still_in_transaction (id int)');
    } finally {
      await client.query('ROLLBACK');
    }
    await client.query('BEGIN');
    try {
      await assert.rejects(client.query('SELECT 1/0'));
      await assert.rejects(readCatalogSnapshot(client), { message: 'cannot read the catalog: the current transaction is aborted' });
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('reads in its own read-only transaction and leaves the session as it found it', async () => {
    await readCatalogSnapshot(client);
    const { rows } = await client.query<{ status: string }>("SELECT current_setting('transaction_read_only') AS status");
    assert.strictEqual(rows[0].status, 'off');
    await client.query('CREATE TEMP TABLE still_writable (id int)');
  });
});

describe('built-in catalogs', () => {
  for (const major of supportedMajors) {
    it(`PostgreSQL ${major} loads, from a real ${major}.x server`, () => {
      const catalog = loadBuiltinCatalog(major);
      assert.strictEqual(catalog.formatVersion, 1);
      assert.strictEqual(catalog.source.kind, 'builtin');
      assert.strictEqual(Math.floor(catalog.source.versionNum / 10000), major);
      assert.ok(catalog.source.version.startsWith(`${major}.`), catalog.source.version);
      assert.strictEqual(catalog.source.host, undefined);
      assert.strictEqual(catalog.source.database, undefined);
      assert.strictEqual(catalog.source.user, undefined);
      assert.ok(catalog.functions.length > 2500, `${catalog.functions.length} functions`);
      assert.ok(catalog.operators.length > 700, `${catalog.operators.length} operators`);
      assert.ok(catalog.casts.length > 200, `${catalog.casts.length} casts`);
      assert.strictEqual(catalog.functions.find((f) => f.name === 'random' && f.argTypes.length === 0)?.parallel, 'r');
      assert.strictEqual(catalog.functions.filter((f) => f.schema !== 'pg_catalog' && f.schema !== 'information_schema').length, 0);
      assert.deepStrictEqual(catalog.searchPath, ['pg_catalog', 'public']);
      // A fresh install's settings, not the test harness's.
      assert.strictEqual(catalog.settings.max_worker_processes, 8);
      assert.strictEqual(catalog.settings.max_parallel_workers, 8);
      assert.strictEqual(catalog.settings.max_parallel_workers_per_gather, 2);
      assert.strictEqual(catalog.settings.min_parallel_table_scan_size, 1024);
      assert.strictEqual(catalog.settings[major >= 16 ? 'debug_parallel_query' : 'force_parallel_mode'], 'off');
      const activity = catalog.relations.find((r) => r.schema === 'pg_catalog' && r.name === 'pg_stat_activity');
      const getActivity = catalog.functions.find((f) => f.name === 'pg_stat_get_activity');
      assert.ok(getActivity && activity?.viewFunctions?.includes(getActivity.oid), 'system views list their functions');
      assert.strictEqual(loadBuiltinCatalog(major), catalog, 'loaded once');
    });
  }

  it('refuses a version it does not ship', () => {
    assert.throws(() => loadBuiltinCatalog(13), { message: 'no built-in catalog for PostgreSQL 13; supported: 14, 15, 16, 17, 18' });
  });
});
