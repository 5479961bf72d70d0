/**
 * The engine on the built-in PostgreSQL 18 catalog (taken from a real server) plus DDL written in the
 * test: every rule of PARALLEL.md, with exact codes, messages and ranges. A `«…»` pair marks the
 * range a reason must cover; the markers are removed before analysis.
 */
import * as assert from 'assert';
import { Catalog } from '../../server/src/core/catalog';
import { analyzeDocument, DocumentAnalyzer } from '../../server/src/core/document';
import { initParser } from '../../server/src/core/parse';
import type { Reason, StatementResult } from '../../server/src/core/types';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';

let pg18: Catalog;

before(async () => {
  await initParser();
  pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
});

/** Splits `«…»` markers out of the text: returns the clean text and the marked ranges in order. */
function marked(source: string): { text: string; ranges: { start: number; end: number }[] } {
  const ranges: { start: number; end: number }[] = [];
  let text = '';
  let open = -1;
  for (const ch of source) {
    if (ch === '«') open = text.length;
    else if (ch === '»') ranges.push({ start: open, end: text.length });
    else text += ch;
  }
  return { text, ranges };
}

function analyze(text: string, catalog = pg18): StatementResult[] {
  return analyzeDocument(text, catalog, 'file:///test.sql').statements;
}

function only(reasons: Reason[], code: string): Reason {
  const hits = reasons.filter((r) => r.code === code);
  assert.strictEqual(hits.length, 1, `expected one ${code}, got: ${JSON.stringify(reasons.map((r) => r.code))}`);
  return hits[0];
}

const SETUP = `CREATE TABLE big (id int, grp int, note text);
CREATE FUNCTION slow(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION careful(x int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION quick(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN x; END $$;
`;

describe('engine: verdicts and reasons', () => {
  it('a plain query is safe, with no reasons', () => {
    const [s] = analyze('SELECT count(*) FROM pg_class WHERE relpages > 10');
    assert.strictEqual(s.verdict, 'safe');
    assert.deepStrictEqual(s.reasons, []);
    assert.strictEqual(s.kind, 'select');
  });

  it('random() is PARALLEL RESTRICTED according to the catalog', () => {
    const { text, ranges } = marked('SELECT «random»() FROM pg_class');
    const [s] = analyze(text);
    assert.strictEqual(s.verdict, 'restricted');
    const r = only(s.reasons, 'restricted-function');
    assert.deepStrictEqual(r.range, ranges[0]);
    assert.strictEqual(r.severity, 'information');
    assert.strictEqual(r.message, 'pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process');
  });

  it('clock_timestamp() and gen_random_uuid() are VOLATILE yet PARALLEL SAFE', () => {
    const [s] = analyze('SELECT clock_timestamp(), gen_random_uuid()');
    assert.strictEqual(s.verdict, 'safe');
  });

  it('a function defined without PARALLEL clause is UNSAFE where it is called', () => {
    const { text, ranges } = marked(`${SETUP}SELECT «slow»(id) FROM big;`);
    const statements = analyze(text);
    const s = statements[statements.length - 1];
    assert.strictEqual(s.verdict, 'unsafe');
    const r = only(s.reasons, 'unsafe-function');
    assert.deepStrictEqual(r.range, ranges[0]);
    assert.strictEqual(r.severity, 'warning');
    assert.strictEqual(
      r.message,
      'public.slow(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
    );
    assert.strictEqual(r.related?.[0].message, 'public.slow(x integer) is defined here');
    assert.strictEqual(r.related?.[0].location?.start, text.indexOf('CREATE FUNCTION slow'));
  });

  it('a statement sees only what was defined before it', () => {
    const statements = analyze(`SELECT slow(1);\n${SETUP}SELECT slow(1);`);
    assert.strictEqual(statements[0].verdict, 'unknown');
    assert.strictEqual(only(statements[0].reasons, 'unknown-function').message, 'function slow(integer) is not in the catalog: its parallel label is unknown');
    assert.strictEqual(statements[statements.length - 1].verdict, 'unsafe');
  });

  it('writes, row locks, data-modifying CTEs and cursors never get a parallel plan', () => {
    const statements = analyze(`INSERT INTO t SELECT 1;
SELECT oid FROM pg_class FOR UPDATE;
WITH d AS (DELETE FROM t RETURNING 1) SELECT * FROM d;
DECLARE c CURSOR FOR SELECT 1;`);
    assert.deepStrictEqual(statements.map((s) => s.verdict), ['unsafe', 'unsafe', 'unsafe', 'unsafe']);
    assert.strictEqual(only(statements[0].reasons, 'write-statement').message, 'INSERT never uses a parallel plan: only queries that do not write (SELECT, CREATE TABLE AS, ...) do');
    assert.strictEqual(only(statements[1].reasons, 'row-locking').message, 'FOR UPDATE locks rows: a statement that locks rows never uses a parallel plan');
    assert.strictEqual(only(statements[2].reasons, 'data-modifying-cte').message, 'CTE d modifies data: a statement with a data-modifying CTE never uses a parallel plan');
    assert.strictEqual(only(statements[3].reasons, 'cursor').message, 'a query run through a cursor never uses a parallel plan');
  });

  it('DDL and utility statements are never planned: verdict none', () => {
    const statements = analyze('CREATE TABLE x (a int); SET work_mem = \'64MB\'; VACUUM x;');
    assert.deepStrictEqual(statements.map((s) => s.verdict), ['none', 'none', 'none']);
  });

  it('window functions are PARALLEL RESTRICTED (clauses.c), whatever their label', () => {
    const { text, ranges } = marked('SELECT «row_number»() OVER (ORDER BY oid) FROM pg_class');
    const [s] = analyze(text);
    assert.strictEqual(s.verdict, 'restricted');
    const r = only(s.reasons, 'window-function');
    assert.deepStrictEqual(r.range, ranges[0]);
  });

  it('overloads are chosen by argument types', () => {
    const ddl = `CREATE FUNCTION pick(x text) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;
CREATE FUNCTION pick(x int) RETURNS text LANGUAGE sql PARALLEL UNSAFE AS $$ SELECT x::text $$;
CREATE TABLE t (n int, s text);
`;
    const statements = analyze(`${ddl}SELECT pick(s) FROM t; SELECT pick(n) FROM t; SELECT pick('a'); SELECT pick(n::text) FROM t;`);
    assert.deepStrictEqual(statements.slice(3).map((s) => s.verdict), ['safe', 'unsafe', 'safe', 'safe']);
  });

  it('a polymorphic parameter takes only its kind of type: anyarray an array (a domain over one too), anyenum an enum, anyrange a range', () => {
    const ddl = `CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN tags AS text[];
CREATE FUNCTION kind(x anyarray) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT 'array' $$;
CREATE FUNCTION kind(x anyenum) RETURNS text LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN 'enum'; END $$;
CREATE FUNCTION kind(x anyrange) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN 'range'; END $$;
CREATE TABLE t (m mood, a int[], g tags, r int4range);
`;
    const statements = analyze(`${ddl}SELECT kind(a), kind(g) FROM t; SELECT kind(m) FROM t; SELECT kind(r) FROM t;`);
    const called = (s: StatementResult) => s.references.filter((r) => r.name === 'kind').map((r) => r.functions.map((fn) => fn.argTypes[0]).join(' | '));
    assert.deepStrictEqual(statements.slice(6).map(called), [['anyarray', 'anyarray'], ['anyenum'], ['anyrange']]);
    assert.deepStrictEqual(statements.slice(6).map((s) => s.verdict), ['safe', 'restricted', 'unsafe']);
  });

  it('unknown argument types: every possible overload is named and the worst one counts', () => {
    const ddl = `CREATE FUNCTION pick(x text) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;
CREATE FUNCTION pick(x int) RETURNS text LANGUAGE sql PARALLEL UNSAFE AS $$ SELECT x::text $$;
`;
    const statements = analyze(`${ddl}SELECT pick(unknown_column) FROM somewhere;`);
    const s = statements[2];
    assert.strictEqual(s.verdict, 'unsafe');
    assert.strictEqual(
      only(s.reasons, 'unsafe-function').message,
      'pick: 1 of 2 possible overloads is PARALLEL UNSAFE (argument types unknown), e.g. public.pick(x integer): no part of this statement can use parallel workers',
    );
  });

  it('operators resolve to the function behind them', () => {
    const { text, ranges } = marked(`${SETUP}CREATE FUNCTION cmp_slow(a int, b int) RETURNS boolean LANGUAGE sql AS $$ SELECT a > b $$;
CREATE OPERATOR >>>> (LEFTARG = int, RIGHTARG = int, FUNCTION = cmp_slow);
SELECT id FROM big WHERE grp «>>>>» 5;`);
    const statements = analyze(text);
    const s = statements[statements.length - 1];
    assert.strictEqual(s.verdict, 'unsafe');
    const r = only(s.reasons, 'unsafe-operator');
    assert.deepStrictEqual(r.range, ranges[0]);
    assert.match(r.message, /^operator >>>> runs public\.cmp_slow\(a integer, b integer\), which is PARALLEL UNSAFE/);
  });

  it('a CREATE FUNCTION without PARALLEL clause and a safe body can be marked PARALLEL SAFE', () => {
    const { text, ranges } = marked('CREATE FUNCTION «add_one»(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 1 $$');
    const [s] = analyze(text);
    const r = only(s.reasons, 'function-could-be-safe');
    assert.deepStrictEqual(r.range, ranges[0]);
    assert.strictEqual(
      r.message,
      'public.add_one(x integer) has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL SAFE',
    );
    assert.deepStrictEqual(r.fixes, [{ title: 'Mark add_one PARALLEL SAFE', edits: [{ range: { start: text.length, end: text.length }, newText: ' PARALLEL SAFE' }] }]);
  });

  it('a SQL-standard body is marked before its RETURN / BEGIN ATOMIC keyword, not before a word "return" in a comment, a string or a name', () => {
    const fixAt = (text: string) => only(analyze(text)[0].reasons, 'function-could-be-safe').fixes?.[0].edits[0].range.start;
    const commented = "CREATE FUNCTION twice(x int, \"return\" text DEFAULT 'return') RETURNS int LANGUAGE sql IMMUTABLE\n-- return twice the input /* RETURN */\nRETURN x * 2";
    assert.strictEqual(fixAt(commented), commented.lastIndexOf('RETURN x'));
    const atomic = 'CREATE FUNCTION once(x int) RETURNS int LANGUAGE sql /* return */ BEGIN ATOMIC SELECT x; END';
    assert.strictEqual(fixAt(atomic), atomic.indexOf('BEGIN'));
  });

  it('a function labelled PARALLEL SAFE whose body writes is an error', () => {
    const { text, ranges } = marked(`CREATE TABLE log (m text);
CREATE FUNCTION tag(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN «INSERT» INTO log VALUES ('x'); RETURN x; END $$;`);
    const [, s] = analyze(text);
    const r = only(s.reasons, 'function-mislabelled');
    assert.strictEqual(r.severity, 'error');
    assert.deepStrictEqual(r.range, ranges[0]);
    assert.strictEqual(
      r.message,
      'public.tag(x integer) is labelled PARALLEL SAFE but it writes (INSERT): it fails or misbehaves when run in a parallel worker; label it PARALLEL UNSAFE',
    );
  });

  it('a call of a SQL function UNSAFE by its label only (its body allows more) is a warning to fix the labels, not an error', () => {
    const tenantRaw = "CREATE FUNCTION tenant_raw() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant', true), '')::bigint $$;\n";
    const { text, ranges } = marked(`${tenantRaw}CREATE FUNCTION current_tenant() RETURNS bigint LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT «tenant_raw»() $$;`);
    const r = only(analyze(text)[1].reasons, 'function-mislabelled');
    assert.strictEqual(r.severity, 'warning');
    assert.deepStrictEqual(r.range, ranges[0]);
    assert.strictEqual(
      r.message,
      'public.current_tenant() is labelled PARALLEL RESTRICTED but public.tenant_raw() is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE), whose body allows PARALLEL SAFE: it runs as its body does, but the labels disagree; label public.tenant_raw() PARALLEL SAFE (or this function PARALLEL UNSAFE)',
    );
    // A user's callee whose body is not followed (PL/pgSQL), or allows less than the label (random()):
    // PostgreSQL never checks a label when a function runs, so a warning that says what it depends on.
    const ifItDoes = ': if that function does what its label says (writes, ...), this one fails when run in a parallel worker; label it by its body, or this function PARALLEL UNSAFE';
    const noisy = 'CREATE FUNCTION noisy() RETURNS float8 LANGUAGE sql AS $$ SELECT random() $$;\n';
    const [, wrapped] = analyze(`${noisy}CREATE FUNCTION wrapped() RETURNS float8 LANGUAGE sql PARALLEL SAFE AS $$ SELECT noisy() $$;`);
    assert.deepStrictEqual(
      [only(wrapped.reasons, 'function-mislabelled').severity, only(wrapped.reasons, 'function-mislabelled').message],
      ['warning', `public.wrapped() is labelled PARALLEL SAFE but public.noisy() is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE)${ifItDoes}`],
    );
    const plpgsql = 'CREATE FUNCTION raw_pl() RETURNS bigint LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN 1; END $$;\n';
    const [, labelled] = analyze(`${plpgsql}CREATE FUNCTION uses_pl() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT raw_pl() $$;`);
    assert.strictEqual(only(labelled.reasons, 'function-mislabelled').severity, 'warning');
    // A built-in's label is the catalog's word: nextval fails in a worker.
    const [builtin] = analyze("CREATE FUNCTION next_id() RETURNS bigint LANGUAGE sql PARALLEL SAFE AS $$ SELECT nextval('s') $$;");
    assert.strictEqual(only(builtin.reasons, 'function-mislabelled').severity, 'error');
  });

  it('an EXCEPTION block in a PARALLEL SAFE function opens a subtransaction: an error before PostgreSQL 17, which allows them in parallel mode', () => {
    const risky = `CREATE FUNCTION risky(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$
BEGIN RETURN x / 0; EXCEPTION WHEN division_by_zero THEN RETURN 0; END $$`;
    const pg16 = Catalog.fromSnapshot(loadBuiltinCatalog(16));
    const [before] = analyze(risky, pg16);
    assert.strictEqual(only(before.reasons, 'function-subtransaction').severity, 'error');
    // At the handler's EXCEPTION WHEN, not at a RAISE EXCEPTION before it.
    const { text, ranges } = marked(`CREATE FUNCTION checked(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$
BEGIN IF x < 0 THEN RAISE EXCEPTION 'negative'; END IF; RETURN x;
«EXCEPTION» WHEN others THEN RETURN 0; END $$`);
    assert.deepStrictEqual(only(analyze(text, pg16)[0].reasons, 'function-subtransaction').range, ranges[0]);
    assert.deepStrictEqual(analyze(risky)[0].reasons.map((r) => r.code), []);
    assert.deepStrictEqual(analyze(risky, Catalog.fromSnapshot(loadBuiltinCatalog(17)))[0].reasons.map((r) => r.code), []);
  });

  it('a body statement PostgreSQL refuses in parallel mode is an error below a SAFE or RESTRICTED label, and no reason to suggest one', () => {
    const body = (statement: string, label = 'PARALLEL SAFE') => `CREATE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql ${label} AS $$ BEGIN ${statement}; RETURN x; END $$`;
    const refused: [string, string][] = [
      ["SET LOCAL work_mem = '8MB'", 'SET'],
      ['NOTIFY chan', 'NOTIFY'],
      ['LISTEN chan', 'LISTEN'],
      ['LOCK TABLE big IN SHARE MODE', 'LOCK'],
      ['ANALYZE big', 'VACUUM or ANALYZE'],
      ['DISCARD TEMP', 'DISCARD'],
      ['ALTER TABLE big RENAME TO huge', 'DDL'],
      ['CREATE TYPE pair AS (a int, b int)', 'DDL'],
    ];
    for (const [statement, what] of refused) {
      const [s] = analyze(`${SETUP}${body(statement)}`).slice(-1);
      const r = only(s.reasons, 'function-mislabelled');
      assert.strictEqual(r.severity, 'error', statement);
      assert.match(r.message, what === 'DDL' ? /but it runs DDL: it fails/ : new RegExp(`but it runs ${what}, which PostgreSQL refuses during a parallel operation: it fails`), statement);
      assert.deepStrictEqual(analyze(`${SETUP}${body(statement, '')}`).slice(-1)[0].reasons.map((r) => r.code), [], `${statement}: no label suggested`);
    }
    // The strictly read-only ones run in parallel mode: a lock no stronger than ROW EXCLUSIVE, SHOW, COPY TO.
    for (const statement of ['LOCK TABLE big IN ACCESS SHARE MODE', 'SHOW work_mem', "COPY big TO '/dev/null'"]) {
      assert.deepStrictEqual(analyze(`${SETUP}${body(statement)}`).slice(-1)[0].reasons.map((r) => r.code), [], statement);
    }
    // A data-modifying CTE is one write, said once.
    const [cte] = analyze(`${SETUP}CREATE FUNCTION w(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ WITH i AS (INSERT INTO big VALUES (x) RETURNING id) SELECT id FROM i $$`).slice(-1);
    assert.deepStrictEqual(cte.reasons.map((r) => [r.code, r.severity]), [['function-mislabelled', 'error']]);
    // SELECT ... INTO a new table, in a SQL body; a CALL's procedure is not read: no label suggested.
    const [into] = analyze('CREATE FUNCTION g(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT x INTO TEMP tmp_x; SELECT x $$').slice(-1);
    assert.match(only(into.reasons, 'function-mislabelled').message, /but it runs SELECT INTO, which PostgreSQL refuses/);
    const call = 'CREATE PROCEDURE p(a int) LANGUAGE sql AS $$ SELECT a $$;\nCREATE FUNCTION h(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN CALL p(x); RETURN x; END $$';
    assert.deepStrictEqual(analyze(call)[1].reasons.map((r) => r.code), []);
  });

  it('a trigger function is fired, never called in a query: its label is not checked', () => {
    const trigger = `${SETUP}CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN INSERT INTO big VALUES (NEW.id); RETURN NEW; END $$`;
    assert.deepStrictEqual(analyze(trigger).slice(-1)[0].reasons.map((r) => r.code), []);
  });

  it('a SAFE function reading a temporary table is an error: workers cannot read it', () => {
    const [s] = analyze('CREATE TEMP TABLE tt (a int);\nCREATE FUNCTION n() RETURNS bigint LANGUAGE sql PARALLEL SAFE AS $$ SELECT count(*) FROM tt $$').slice(-1);
    const r = only(s.reasons, 'function-mislabelled');
    assert.strictEqual(r.severity, 'error');
    assert.match(r.message, /cannot access temporary tables during a parallel operation"\); label it PARALLEL RESTRICTED$/);
  });

  it('a statement that does not parse yet still reports the calls the scanner finds', () => {
    const { text, ranges } = marked(`${SETUP}SELECT «slow»(id) FROM big WHERE`);
    const statements = analyze(text);
    const s = statements[statements.length - 1];
    assert.strictEqual(s.parsed, false);
    assert.strictEqual(s.verdict, 'unsafe');
    assert.deepStrictEqual(only(s.reasons, 'unsafe-function').range, ranges[0]);
    assert.strictEqual(only(s.reasons, 'syntax-error').severity, 'hint');
  });

  it('a NUL byte is reported (PostgreSQL rejects it) and the calls around it are still found', () => {
    const text = 'SELECT random()\u0000 + 1';
    const [s] = analyze(text);
    assert.strictEqual(s.verdict, 'unknown');
    assert.strictEqual(s.parsed, false);
    const syntax = only(s.reasons, 'syntax-error');
    assert.deepStrictEqual(syntax.range, { start: 15, end: 16 });
    assert.strictEqual(syntax.message, 'the statement does not parse (it contains a NUL byte, which PostgreSQL rejects): only the calls found by the scanner were checked');
    assert.deepStrictEqual(only(s.reasons, 'restricted-function').range, { start: 7, end: 13 });
  });

  it('a syntax error after characters of several bytes or UTF-16 units is placed on its token (PostgreSQL counts characters)', () => {
    for (const before of ['', 'é', '注文の確認（東京・大阪）', '🐘🐘']) {
      const text = `SELECT 1 -- ${before}\n  FROM FROM`;
      const [s] = analyze(text);
      const at = text.lastIndexOf('FROM');
      assert.deepStrictEqual(only(s.reasons, 'syntax-error').range, { start: at, end: at + 4 }, before);
    }
  });

  it('a statement nested deeper than the walk can follow is said to be, and the statements around it are analysed', () => {
    const deep = `SELECT ${'(SELECT '.repeat(2000)}random()${')'.repeat(2000)}`;
    const text = `SELECT txid_current();\n${deep};\nSELECT random();`;
    const [before, s, after] = analyze(text);
    assert.strictEqual(before.verdict, 'unsafe');
    assert.strictEqual(after.verdict, 'restricted');
    assert.strictEqual(s.verdict, 'unknown');
    const tooDeep = only(s.reasons, 'too-deeply-nested');
    assert.strictEqual(tooDeep.message, 'the statement is nested too deeply for the analysis to follow: only the calls found by the scanner were checked');
    assert.deepStrictEqual(tooDeep.range, { start: text.indexOf(deep), end: text.indexOf(deep) + 'SELECT'.length });
    const call = text.indexOf('random()', text.indexOf(deep));
    assert.deepStrictEqual(only(s.reasons, 'restricted-function').range, { start: call, end: call + 'random'.length });
  });

  it('a tree too deep for the parser\'s reader (200,000 terms of 1+1+...) is said to be nested too deeply, not a syntax error', () => {
    const text = `SELECT ${Array(200_000).fill('1').join('+')}, random();`;
    const [s] = analyze(text);
    assert.strictEqual(s.verdict, 'unknown');
    assert.deepStrictEqual(only(s.reasons, 'too-deeply-nested').range, { start: 0, end: 'SELECT'.length });
    assert.ok(!s.reasons.some((r) => r.code === 'syntax-error'));
    only(s.reasons, 'restricted-function');
  });

  it('a psql script\'s variables (:name, :\'name\', :"name") are read as names: the statement is analysed, not a syntax error', () => {
    const { text, ranges } = marked(`\\set lim 10\nSELECT «random»() FROM pg_class WHERE relname = :'rel' AND :"col" > 0 AND relpages::int > 0 LIMIT :lim;\nSELECT :x FROM;`);
    const [, s, broken] = analyze(text);
    assert.strictEqual(s.parsed, true);
    assert.strictEqual(s.verdict, 'restricted');
    assert.deepStrictEqual(s.reasons.map((r) => [r.code, r.range]), [['restricted-function', ranges[0]]]);
    // Still broken with the variables read as names: the syntax error of the text as written.
    assert.strictEqual(broken.parsed, false);
    assert.match(only(broken.reasons, 'syntax-error').message, /syntax error at or near ":"/);
  });

  it('EXPLAIN <statement> analyses the statement', () => {
    const [s] = analyze('EXPLAIN SELECT random() FROM pg_class');
    assert.strictEqual(s.verdict, 'restricted');
  });

  it('ranges are UTF-16 offsets even after multi-byte characters', () => {
    const { text, ranges } = marked("SELECT 'žluťoučký 🐘', «random»()");
    const [s] = analyze(text);
    assert.deepStrictEqual(only(s.reasons, 'restricted-function').range, ranges[0]);
  });

  it('an edit re-analyses only the statements it touched', () => {
    const analyzer = new DocumentAnalyzer('file:///edit.sql');
    const text = Array.from({ length: 50 }, (_, i) => `SELECT ${i} + random();`).join('\n');
    analyzer.analyze(text, pg18);
    assert.strictEqual(analyzer.lastAnalyzed, 50);
    analyzer.analyze(text.replace('SELECT 7 +', 'SELECT 77 +'), pg18);
    assert.strictEqual(analyzer.lastAnalyzed, 1);
  });
});
