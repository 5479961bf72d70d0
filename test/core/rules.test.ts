/**
 * One case per rule and reference kind of PARALLEL.md, on the built-in PostgreSQL 18 catalog plus
 * the DDL written in the case. `«…»` marks the exact range the listed reason must cover; the last
 * statement of each case is the one checked.
 */
import * as assert from 'assert';
import { Catalog } from '../../server/src/core/catalog';
import { analyzeDocument } from '../../server/src/core/document';
import { initParser } from '../../server/src/core/parse';
import type { ReasonCode, Verdict } from '../../server/src/core/types';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';

interface Case {
  name: string;
  sql: string;
  verdict: Verdict;
  /** The reason whose range is marked, and its message when it is worth spelling out. */
  code?: ReasonCode;
  message?: string;
  major?: number;
}

const UNSAFE_FN = 'CREATE FUNCTION uf(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;\n';
const RESTRICTED_FN = 'CREATE FUNCTION rf(x int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\n';
const TABLE = 'CREATE TABLE t (id int, amount numeric, note text);\n';
/** A composite type whose = is UNSAFE, and two tables with a column of it. */
const POINTS =
  'CREATE TYPE pt AS (x int);\nCREATE FUNCTION pt_eq(pt, pt) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;\n' +
  'CREATE OPERATOR = (LEFTARG = pt, RIGHTARG = pt, FUNCTION = pt_eq);\nCREATE TABLE pa (id int, p pt);\nCREATE TABLE pb (k int, p pt);\n';
const PT_EQ_UNSAFE = 'operator = runs public.pt_eq(public.pt, public.pt), which is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers';

const CASES: Case[] = [
  { name: 'call in the select list', sql: `${UNSAFE_FN}${TABLE}SELECT «uf»(id) FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in WHERE', sql: `${UNSAFE_FN}${TABLE}SELECT id FROM t WHERE «uf»(id) > 0`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in JOIN ON', sql: `${UNSAFE_FN}${TABLE}SELECT 1 FROM t a JOIN t b ON a.id = «uf»(b.id)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in ORDER BY', sql: `${UNSAFE_FN}${TABLE}SELECT id FROM t ORDER BY «uf»(id)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in GROUP BY', sql: `${UNSAFE_FN}${TABLE}SELECT count(*) FROM t GROUP BY «uf»(id)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in HAVING', sql: `${UNSAFE_FN}${TABLE}SELECT count(*) FROM t GROUP BY id HAVING «uf»(id) > 1`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in CASE', sql: `${UNSAFE_FN}${TABLE}SELECT CASE WHEN id > 1 THEN «uf»(id) END FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in a subquery', sql: `${UNSAFE_FN}${TABLE}SELECT * FROM t WHERE id IN (SELECT «uf»(id) FROM t)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in a CTE', sql: `${UNSAFE_FN}${TABLE}WITH c AS (SELECT «uf»(id) FROM t) SELECT * FROM c`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in LATERAL', sql: `${UNSAFE_FN}${TABLE}SELECT * FROM t, LATERAL (SELECT «uf»(t.id)) l`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'set-returning function in FROM', sql: 'CREATE FUNCTION rows_of(n int) RETURNS SETOF int LANGUAGE sql AS $$ SELECT generate_series(1, n) $$;\nSELECT * FROM «rows_of»(3)', verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'schema-qualified and quoted names', sql: 'CREATE SCHEMA app;\nCREATE FUNCTION app."Slow"(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;\nSELECT «app."Slow"»(1)', verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'unquoted names fold to lower case', sql: `${UNSAFE_FN}SELECT «UF»(1)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'search_path decides unqualified names', sql: 'CREATE SCHEMA app;\nCREATE FUNCTION app.g(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;\nSET search_path TO app, public;\nSELECT «g»(1)', verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'a function outside search_path is unknown', sql: 'CREATE SCHEMA app;\nCREATE FUNCTION app.g(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;\nSELECT «g»(1)', verdict: 'unknown', code: 'unknown-function', message: 'function g(integer) is not in the catalog: its parallel label is unknown' },
  {
    name: 'operator',
    sql: 'CREATE FUNCTION gt(a int, b int) RETURNS boolean LANGUAGE sql AS $$ SELECT a > b $$;\nCREATE OPERATOR >>> (LEFTARG = int, RIGHTARG = int, FUNCTION = gt);\nSELECT 1 «>>>» 2',
    verdict: 'unsafe',
    code: 'unsafe-operator',
    message: 'operator >>> runs public.gt(a integer, b integer), which is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
  },
  {
    name: 'explicit cast',
    sql: 'CREATE TYPE cents AS (v bigint);\nCREATE FUNCTION to_cents(numeric) RETURNS cents LANGUAGE plpgsql AS $$ BEGIN RETURN ROW(($1 * 100)::bigint); END $$;\nCREATE CAST (numeric AS cents) WITH FUNCTION to_cents(numeric);\nSELECT 1.5::«cents»',
    verdict: 'unsafe',
    code: 'unsafe-cast',
    message: 'the cast from numeric to public.cents runs public.to_cents(numeric), which is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
  },
  {
    name: 'implicit cast of a call argument',
    sql: 'CREATE TYPE cents AS (v bigint);\nCREATE FUNCTION to_cents(numeric) RETURNS cents LANGUAGE plpgsql AS $$ BEGIN RETURN ROW(($1 * 100)::bigint); END $$;\nCREATE CAST (numeric AS cents) WITH FUNCTION to_cents(numeric) AS IMPLICIT;\nCREATE FUNCTION show(c cents) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT c::text $$;\nSELECT «show»(1.5)',
    verdict: 'unsafe',
    code: 'unsafe-cast',
    message: 'the implicit cast from numeric to public.cents runs public.to_cents(numeric), which is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): no part of this statement can use parallel workers',
  },
  {
    name: 'aggregate',
    sql: 'CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT a + b $$;\nCREATE AGGREGATE total(int) (SFUNC = add, STYPE = int);\nSELECT «total»(1)',
    verdict: 'unsafe',
    code: 'unsafe-aggregate',
  },
  {
    name: 'aggregate without combine function',
    sql: 'CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT a + b $$;\nCREATE AGGREGATE total(int) (SFUNC = add, STYPE = int, PARALLEL = SAFE);\nSELECT «total»(1)',
    verdict: 'safe',
    code: 'aggregate-not-combinable',
    message: 'aggregate public.total(integer) has no combine function: it cannot be split across workers (no partial aggregation)',
  },
  { name: 'window function', sql: `${TABLE}SELECT «rank»() OVER (ORDER BY id) FROM t`, verdict: 'restricted', code: 'window-function' },
  { name: 'call inside JSON_ARRAYAGG', sql: `${UNSAFE_FN}${TABLE}SELECT JSON_ARRAYAGG(«uf»(id) ORDER BY id) FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in JSON_ARRAYAGG ORDER BY', sql: `${UNSAFE_FN}${TABLE}SELECT JSON_ARRAYAGG(id ORDER BY «uf»(id)) FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call inside JSON_OBJECT', sql: `${UNSAFE_FN}${TABLE}SELECT JSON_OBJECT('a' : «uf»(id)) FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  {
    name: 'JSON_ARRAY of a correlated subquery',
    sql: `${TABLE}SELECT count(*) FROM t WHERE «JSON_ARRAY(SELECT u.id FROM t u WHERE u.id = t.id)» IS NOT NULL`,
    verdict: 'restricted',
    code: 'correlated-subquery',
  },
  {
    name: 'JSON constructor RETURNING a domain with constraints',
    sql: `CREATE DOMAIN short_text AS text CHECK (length(VALUE) < 100);\n${TABLE}SELECT JSON_OBJECT('a' : id RETURNING «short_text») FROM t`,
    verdict: 'restricted',
    code: 'domain-constraint',
  },
  { name: 'JSON_ARRAYAGG as a window function', sql: `${TABLE}SELECT «JSON_ARRAYAGG»(id) OVER (PARTITION BY note) FROM t`, verdict: 'restricted', code: 'window-function' },
  { name: 'restricted function', sql: `${RESTRICTED_FN}SELECT «rf»(1)`, verdict: 'restricted', code: 'restricted-function' },
  {
    name: 'view, through a view',
    sql: `${UNSAFE_FN}${TABLE}CREATE VIEW v1 AS SELECT uf(id) AS x FROM t;\nCREATE VIEW v2 AS SELECT * FROM v1;\nSELECT * FROM «v2»`,
    verdict: 'unsafe',
    code: 'unsafe-view',
    message: 'view public.v2 calls public.uf(x integer), which is PARALLEL UNSAFE: no part of this statement can use parallel workers',
  },
  {
    name: 'view with a window function and a LIMIT, through a view',
    sql: `${TABLE}CREATE VIEW w1 AS SELECT id, row_number() OVER () AS rn FROM t ORDER BY rn LIMIT 5;\nCREATE VIEW w2 AS SELECT * FROM w1;\nSELECT * FROM «w2»`,
    verdict: 'restricted',
    code: 'view-plan-shape',
    message: 'view public.w2 has a window function and LIMIT or OFFSET (there or in a view it reads): that part of a plan runs only in the leader process',
  },
  {
    name: 'view column with a correlated subquery, read through a view',
    sql: `${TABLE}CREATE VIEW c1 AS SELECT id, (SELECT max(u.id) FROM t u WHERE u.id = t.id) AS m FROM t;\nCREATE VIEW c2 AS SELECT * FROM c1;\nSELECT «m» FROM c2`,
    verdict: 'restricted',
    code: 'view-plan-shape',
    message: 'column m of view public.c2 has a correlated subquery: reading it, that part of a plan runs only in the leader process',
  },
  { name: 'view column with a correlated subquery, not read', sql: `${TABLE}CREATE VIEW c1 AS SELECT id, (SELECT max(u.id) FROM t u WHERE u.id = t.id) AS m FROM t;\nSELECT id FROM c1`, verdict: 'safe' },
  {
    name: 'view over a foreign table',
    sql: `${TABLE}CREATE FOREIGN TABLE remote (a int) SERVER elsewhere;\nCREATE VIEW rv AS SELECT a FROM remote;\nSELECT count(*) FROM «rv»`,
    verdict: 'restricted',
    code: 'foreign-table',
    message: 'view public.rv has a foreign table (there or in a view it reads): that part of a plan runs only in the leader process',
  },
  {
    name: 'view that locks rows, through a view',
    sql: `${TABLE}CREATE VIEW v1 AS SELECT id FROM t FOR UPDATE;\nCREATE VIEW v2 AS SELECT * FROM v1;\nSELECT * FROM «v2»`,
    verdict: 'unsafe',
    code: 'row-locking',
    message: 'view public.v2 locks rows (FOR UPDATE or FOR SHARE in its definition): a statement that locks rows never uses a parallel plan',
  },
  { name: 'materialized view read: stored data, no functions run', sql: `${UNSAFE_FN}${TABLE}CREATE MATERIALIZED VIEW mv AS SELECT uf(id) AS x FROM t;\nSELECT * FROM mv`, verdict: 'safe' },
  { name: 'REFRESH MATERIALIZED VIEW runs its query', sql: `${UNSAFE_FN}${TABLE}CREATE MATERIALIZED VIEW mv AS SELECT uf(id) AS x FROM t;\nREFRESH MATERIALIZED VIEW «mv»`, verdict: 'unsafe', code: 'unsafe-view' },
  {
    name: 'row-level security policy',
    sql: `${UNSAFE_FN}${TABLE}ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON t USING (uf(id) > 0);\nSELECT * FROM «t»`,
    verdict: 'unsafe',
    code: 'unsafe-policy',
    message: 'a row-level security policy on public.t calls public.uf(x integer), which is PARALLEL UNSAFE (for roles the policy applies to): no part of this statement can use parallel workers',
  },
  {
    name: 'row-level security policy that is a bare call',
    sql: `CREATE FUNCTION may_see(x int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN x > 0; END $$;\n${TABLE}ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON t USING (may_see(id));\nSELECT * FROM «t»`,
    verdict: 'unsafe',
    code: 'unsafe-policy',
    message: 'a row-level security policy on public.t calls public.may_see(x integer), which is PARALLEL UNSAFE (for roles the policy applies to): no part of this statement can use parallel workers',
  },
  {
    name: 'TABLESAMPLE method whose handler is not PARALLEL SAFE',
    sql: `CREATE FUNCTION every_tenth(internal) RETURNS tsm_handler LANGUAGE c AS 'tsm_every_tenth';\n${TABLE}SELECT count(*) FROM t TABLESAMPLE «every_tenth» (10)`,
    verdict: 'restricted',
    code: 'sample-method',
    message: 'TABLESAMPLE every_tenth samples through public.every_tenth(internal), which is PARALLEL UNSAFE: only the leader process can scan the sampled table',
  },
  { name: 'TABLESAMPLE SYSTEM: a PARALLEL SAFE handler', sql: `${TABLE}SELECT count(*) FROM t TABLESAMPLE SYSTEM (10)`, verdict: 'safe' },
  {
    name: 'TABLESAMPLE through a view',
    sql: `CREATE FUNCTION every_tenth(internal) RETURNS tsm_handler LANGUAGE c AS 'tsm_every_tenth';\n${TABLE}CREATE VIEW sampled AS SELECT id FROM t TABLESAMPLE every_tenth (10);\nSELECT count(*) FROM «sampled»`,
    verdict: 'restricted',
    code: 'view-plan-shape',
    message: 'view public.sampled has a TABLESAMPLE method whose handler is not PARALLEL SAFE (there or in a view it reads): that part of a plan runs only in the leader process',
  },
  {
    name: "view column calling a RESTRICTED function, read",
    sql: `CREATE FUNCTION sr(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\n${TABLE}CREATE VIEW v AS SELECT id, sr(id) AS r FROM t;\nSELECT id, «r» FROM v`,
    verdict: 'restricted',
    code: 'restricted-view',
    message: 'column r of view public.v calls public.sr(x integer), which is PARALLEL RESTRICTED: it runs only in the leader process',
  },
  {
    name: 'view column calling a RESTRICTED function, not read: not computed',
    sql: `CREATE FUNCTION sr(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\n${TABLE}CREATE VIEW v AS SELECT id, sr(id) AS r FROM t;\nSELECT id FROM v`,
    verdict: 'safe',
  },
  {
    name: 'partitioned table with a foreign partition',
    sql: "CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at);\nCREATE FOREIGN TABLE ev_old PARTITION OF ev FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') SERVER elsewhere;\nSELECT count(*) FROM «ev»",
    verdict: 'restricted',
    code: 'foreign-table',
    message: 'partition public.ev_old (elsewhere) of public.ev is a foreign table: only the leader process can scan it, so no partition of public.ev is scanned in workers (unless partition pruning leaves it out)',
  },
  {
    name: 'foreign table attached as a partition',
    sql: "CREATE TABLE ev (id int, at date) PARTITION BY RANGE (at);\nCREATE FOREIGN TABLE ev_old (id int, at date) SERVER elsewhere;\nALTER TABLE ev ATTACH PARTITION ev_old FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\nSELECT count(*) FROM «ev»",
    verdict: 'restricted',
    code: 'foreign-table',
  },
  {
    name: 'temporary inheritance child',
    sql: 'CREATE TABLE base (id int);\nCREATE TEMP TABLE scratch (id int);\nALTER TABLE scratch INHERIT base;\nSELECT count(*) FROM «base»',
    verdict: 'restricted',
    code: 'temporary-table',
    message: 'inheritance child pg_temp.scratch of public.base is a temporary table: only the leader process can scan it, so no child of public.base is scanned in workers (ONLY base reads the parent alone)',
  },
  { name: 'temporary inheritance child, parent read ONLY', sql: 'CREATE TABLE base (id int);\nCREATE TEMP TABLE scratch () INHERITS (base);\nSELECT count(*) FROM ONLY base', verdict: 'safe' },
  {
    name: 'row-level security policy with a correlated subquery',
    sql: `${TABLE}CREATE TABLE members (id int, name text);\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY p ON t USING (EXISTS (SELECT 1 FROM members m WHERE m.id = t.id));\nSELECT count(*) FROM «t»`,
    verdict: 'restricted',
    code: 'correlated-subquery',
    message: 'a row-level security policy on public.t has a correlated subquery: that part of a plan runs only in the leader process',
  },
  { name: 'call in a later COALESCE argument', sql: `${UNSAFE_FN}${TABLE}SELECT coalesce(id, «uf»(id)) FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in the ELSE of a CASE', sql: `${UNSAFE_FN}${TABLE}SELECT CASE WHEN id > 0 THEN 0 ELSE «uf»(id) END FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'call in a later ARRAY element', sql: `${UNSAFE_FN}${TABLE}SELECT ARRAY[id, «uf»(id)] FROM t`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'domain coercion', sql: 'CREATE DOMAIN pos AS int CHECK (VALUE > 0);\nSELECT 1::«pos»', verdict: 'restricted', code: 'domain-constraint', message: 'coercion to domain public.pos, which has constraints, is PARALLEL RESTRICTED: it runs only in the leader process' },
  { name: 'coercion to a domain without constraints: a relabelling', sql: 'CREATE DOMAIN plain AS int;\nSELECT 1::plain', verdict: 'safe' },
  // coerce_type: an untyped parameter takes the domain as its type (checked on 18 with EXPLAIN GENERIC_PLAN: whole plan safe).
  {
    name: 'a LATERAL subquery with an aggregate over the rows beside it: on its own LATERAL keyword',
    sql: `${TABLE}SELECT * FROM t a, lateral (SELECT 1) x, «LATERAL» (SELECT count(*) FROM t b WHERE b.id = a.id) y`,
    verdict: 'restricted',
    code: 'correlated-subquery',
    message: 'LATERAL subquery the planner cannot flatten (an aggregate, DISTINCT, GROUP BY, ORDER BY, a set operation, a window, a volatile or set-returning select list): it is run again for each outer row in the leader process',
  },
  { name: 'an untyped parameter cast to a domain: no run-time check', sql: 'CREATE DOMAIN pos AS int CHECK (VALUE > 0);\nSELECT $1::pos, CAST($2 AS pos)', verdict: 'safe' },
  { name: 'a parameter typed by an earlier use, cast to a domain: checked', sql: 'CREATE DOMAIN pos AS int CHECK (VALUE > 0);\nSELECT $1 + 1, $1::«pos»', verdict: 'restricted', code: 'domain-constraint' },
  {
    name: 'argument coerced to a domain parameter',
    sql: `CREATE DOMAIN pos AS int CHECK (VALUE > 0);\nCREATE FUNCTION takes(x pos) RETURNS int LANGUAGE sql PARALLEL SAFE AS 'SELECT 1';\n${TABLE}SELECT «takes»(id) FROM t`,
    verdict: 'restricted',
    code: 'domain-constraint',
    message: 'coercion to domain public.pos, which has constraints, is PARALLEL RESTRICTED: it runs only in the leader process',
  },
  {
    name: 'array elements coerced to a domain',
    sql: `CREATE DOMAIN pos AS int CHECK (VALUE > 0);\n${TABLE}SELECT ARRAY[id]::«pos»[] FROM t`,
    verdict: 'restricted',
    code: 'domain-constraint',
    message: 'coercion of each element to domain public.pos, which has constraints, is PARALLEL RESTRICTED: it runs only in the leader process',
  },
  {
    name: 'array cast running the element cast',
    sql: `CREATE TYPE pair AS (a int);\nCREATE FUNCTION to_pair(x int) RETURNS pair LANGUAGE plpgsql AS $$ BEGIN RETURN ROW(x); END $$;\nCREATE CAST (int AS pair) WITH FUNCTION to_pair(int);\n${TABLE}SELECT ARRAY[id]::«pair»[] FROM t`,
    verdict: 'unsafe',
    code: 'unsafe-cast',
  },
  {
    name: 'cast through text: the type\'s input function',
    sql: `CREATE TYPE num;\nCREATE FUNCTION num_in(cstring) RETURNS num AS 'int4in' LANGUAGE internal IMMUTABLE STRICT PARALLEL RESTRICTED;\nCREATE FUNCTION num_out(num) RETURNS cstring AS 'int4out' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;\nCREATE TYPE num (INPUT = num_in, OUTPUT = num_out, LIKE = int4);\n${TABLE}SELECT note::«num», id::text::num, '5'::num FROM t`,
    verdict: 'restricted',
    code: 'restricted-cast',
    message: 'the cast from text to public.num goes through text and runs public.num_in(cstring), which is PARALLEL RESTRICTED: it runs only in the leader process',
  },
  { name: 'a domain renamed: its new name', sql: `CREATE DOMAIN d AS int CHECK (VALUE > 0);\nALTER DOMAIN d RENAME TO e;\n${TABLE}SELECT id::«e» FROM t`, verdict: 'restricted', code: 'domain-constraint' },
  { name: 'a domain moved to another schema', sql: `CREATE SCHEMA app;\nCREATE DOMAIN d AS int CHECK (VALUE > 0);\nALTER DOMAIN d SET SCHEMA app;\n${TABLE}SELECT id::«app.d» FROM t`, verdict: 'restricted', code: 'domain-constraint' },
  { name: 'a function renamed: its new name', sql: `${UNSAFE_FN}ALTER FUNCTION uf(int) RENAME TO uf2;\nSELECT «uf2»(1)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'a function renamed: not its old name', sql: `${UNSAFE_FN}ALTER FUNCTION uf(int) RENAME TO uf2;\nSELECT «uf»(1)`, verdict: 'unknown', code: 'unknown-function' },
  { name: 'a function moved to another schema', sql: `CREATE SCHEMA app;\n${UNSAFE_FN}ALTER FUNCTION uf(int) SET SCHEMA app;\nSELECT «app.uf»(1)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'an aggregate renamed', sql: 'CREATE AGGREGATE ag(int) (SFUNC = int4pl, STYPE = int, PARALLEL = RESTRICTED);\nALTER AGGREGATE ag(int) RENAME TO ag2;\nSELECT «ag2»(1)', verdict: 'restricted', code: 'restricted-aggregate' },
  {
    name: 'a view moved to another schema',
    sql: `CREATE SCHEMA app;\n${RESTRICTED_FN}${TABLE}CREATE VIEW v AS SELECT rf(id) AS r FROM t;\nALTER VIEW v SET SCHEMA app;\nSELECT r FROM «app.v»`,
    verdict: 'restricted',
    code: 'restricted-view',
  },
  {
    name: 'row comparison, column by column',
    sql: `CREATE FUNCTION teq(a text, b int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;\nCREATE OPERATOR = (LEFTARG = text, RIGHTARG = int, FUNCTION = teq);\n${TABLE}SELECT * FROM t WHERE (note, id) «IS» DISTINCT FROM (id, 1)`,
    verdict: 'unsafe',
    code: 'unsafe-operator',
  },
  {
    name: 'table with parallel_workers = 0 (a note: its label stays)',
    sql: 'CREATE TABLE quiet (id int) WITH (parallel_workers = 0);\nSELECT count(*) FROM «quiet»',
    verdict: 'safe',
    code: 'table-parallel-workers-zero',
    message: 'public.quiet has the storage parameter parallel_workers = 0: the planner never scans it with workers',
  },
  { name: 'table with parallel_workers = 0 set by ALTER TABLE', sql: `${TABLE}CREATE TABLE quiet (id int);\nALTER TABLE quiet SET (parallel_workers = 0);\nSELECT * FROM t JOIN «quiet» USING (id)`, verdict: 'safe', code: 'table-parallel-workers-zero' },
  { name: 'temporary view over a permanent table: only temporary tables restrict', sql: `${TABLE}CREATE TEMP VIEW tv AS SELECT * FROM t;\nSELECT * FROM tv`, verdict: 'safe' },
  {
    name: 'JSON_TABLE',
    sql: `SELECT * FROM «JSON_TABLE»('[{"a": 1}]'::jsonb, '$[*]' COLUMNS (a int PATH '$.a')) jt WHERE jt.a > 0`,
    verdict: 'restricted',
    code: 'table-function',
    message: 'JSON_TABLE is evaluated only in the leader process (table functions are not parallel safe)',
  },
  {
    name: 'INTERSECT',
    sql: `${TABLE}SELECT id FROM t «INTERSECT» SELECT id FROM t`,
    verdict: 'restricted',
    code: 'set-operation',
    message: 'INTERSECT combines its branches only in the leader process (each branch can still use workers)',
  },
  {
    name: 'UNION before PostgreSQL 17',
    sql: `${TABLE}SELECT id FROM t «UNION» SELECT id FROM t`,
    verdict: 'restricted',
    code: 'set-operation',
    message: 'UNION combines its branches only in the leader process before PostgreSQL 17 (each branch can still use workers)',
    major: 16,
  },
  { name: 'UNION from PostgreSQL 17', sql: `${TABLE}SELECT id FROM t UNION SELECT id FROM t`, verdict: 'safe' },
  {
    name: 'INTERSECT, not the word in a string',
    sql: `${TABLE}SELECT 'intersect' AS x FROM t «INTERSECT» SELECT 'y' FROM t`,
    verdict: 'restricted',
    code: 'set-operation',
  },
  { name: 'subquery in FROM with FETCH FIRST', sql: `${TABLE}SELECT * FROM (SELECT id FROM t «FETCH» FIRST ROW ONLY) s`, verdict: 'restricted', code: 'limited-subquery' },
  { name: 'FOR UPDATE, not the words in a string', sql: `${TABLE}SELECT 'for update' AS x FROM t «FOR UPDATE»`, verdict: 'unsafe', code: 'row-locking' },
  {
    name: 'JSON_TABLE PASSING a call',
    sql: `${UNSAFE_FN}SELECT * FROM JSON_TABLE('[1]'::jsonb, '$[*] ? (@ > $x)' PASSING «uf»(1) AS x COLUMNS (a int PATH '$')) jt`,
    verdict: 'unsafe',
    code: 'unsafe-function',
  },
  {
    name: 'subquery in FROM with LIMIT',
    sql: `${TABLE}SELECT * FROM (SELECT id FROM t ORDER BY id «LIMIT» 10) s`,
    verdict: 'restricted',
    code: 'limited-subquery',
    message: 'subquery with LIMIT or OFFSET: the rows it keeps are chosen in the leader process, and the plan above it runs there too',
  },
  { name: 'temporary table', sql: 'CREATE TEMP TABLE scratch (id int);\nSELECT * FROM «scratch»', verdict: 'restricted', code: 'temporary-table', message: 'scratch is a temporary table: only the leader process can read it' },
  { name: 'foreign table', sql: 'CREATE FOREIGN TABLE remote (id int) SERVER elsewhere;\nSELECT * FROM «remote»', verdict: 'restricted', code: 'foreign-table' },
  { name: 'MATERIALIZED CTE', sql: `${TABLE}WITH «c» AS MATERIALIZED (SELECT id FROM t) SELECT * FROM c`, verdict: 'restricted', code: 'materialized-cte', message: 'CTE c is materialized (MATERIALIZED): its scan runs only in the leader process' },
  { name: 'CTE referenced twice', sql: `${TABLE}WITH «c» AS (SELECT id FROM t) SELECT * FROM c a JOIN c b USING (id)`, verdict: 'restricted', code: 'materialized-cte', message: 'CTE c is materialized (referenced 2 times): its scan runs only in the leader process' },
  { name: 'CTE inlined', sql: `${TABLE}WITH c AS (SELECT id FROM t) SELECT * FROM c`, verdict: 'safe' },
  { name: 'correlated subquery', sql: `${TABLE}SELECT id, «(SELECT max(b.id) FROM t b WHERE b.id = a.id)» FROM t a`, verdict: 'restricted', code: 'correlated-subquery' },
  { name: 'uncorrelated subquery on 17+', sql: `${TABLE}SELECT id, (SELECT max(id) FROM t) FROM t`, verdict: 'safe' },
  { name: 'uncorrelated subquery before 17', sql: `${TABLE}SELECT id, «(SELECT max(id) FROM t)» FROM t`, verdict: 'restricted', code: 'initplan', major: 16 },
  {
    name: 'MIN / MAX read from an index before 17',
    sql: 'CREATE TABLE o (id int PRIMARY KEY, placed timestamptz);\nSELECT «max»(o.id) FROM o WHERE placed > now()',
    verdict: 'restricted',
    code: 'initplan',
    message: "pg_catalog.max(integer) of id is read from index o_pkey by an initPlan (the MIN / MAX optimization: the first row in the index's order, no scan, nothing for workers to share); before PostgreSQL 17 the plan above an initPlan is PARALLEL RESTRICTED",
    major: 16,
  },
  { name: 'MIN / MAX from an index made by ALTER TABLE', sql: 'CREATE TABLE o (id int, placed date);\nALTER TABLE o ADD UNIQUE (placed);\nSELECT «min»(placed) FROM o', verdict: 'restricted', code: 'initplan', major: 15 },
  { name: 'MIN / MAX from an index, an aggregate with SORTOP', sql: 'CREATE TABLE o (id int);\nCREATE INDEX ON o USING btree (id DESC);\nCREATE AGGREGATE top(int) (SFUNC = int4larger, STYPE = int, SORTOP = >, PARALLEL = SAFE);\nSELECT «top»(id) FROM o', verdict: 'restricted', code: 'initplan', major: 14 },
  { name: 'MIN / MAX from an index: not from 17', sql: 'CREATE TABLE o (id int PRIMARY KEY);\nSELECT max(id) FROM o', verdict: 'safe' },
  {
    name: 'MIN / MAX from an index: a SAFE SQL function beside it has its body checked',
    sql: 'CREATE FUNCTION rs(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\nCREATE FUNCTION sw(x int) RETURNS int LANGUAGE sql STABLE PARALLEL SAFE RETURN rs(x);\nCREATE TABLE o (id int PRIMARY KEY, k int);\nSELECT «sw»(1), max(id) FROM o WHERE sw(k) > 0',
    verdict: 'restricted',
    code: 'restricted-function',
  },
  { name: 'MIN / MAX: not from a hash, partial or pattern index', sql: 'CREATE TABLE o (a int, b int, c text);\nCREATE INDEX ON o USING hash (a);\nCREATE INDEX ON o (b) WHERE b > 0;\nCREATE INDEX ON o (c text_pattern_ops);\nSELECT max(a), max(b), max(c) FROM o', verdict: 'safe', major: 16 },
  { name: 'MIN / MAX: an index follows RENAME COLUMN', sql: 'CREATE TABLE o (id int, v int);\nCREATE INDEX ON o (v);\nALTER TABLE o RENAME COLUMN v TO w;\nSELECT «max»(w) FROM o', verdict: 'restricted', code: 'initplan', major: 16 },
  { name: 'MIN / MAX: an index follows ALTER COLUMN TYPE', sql: 'CREATE TABLE o (v int);\nCREATE INDEX ON o (v);\nALTER TABLE o ALTER COLUMN v TYPE text;\nSELECT «max»(v) FROM o', verdict: 'restricted', code: 'initplan', major: 16 },
  { name: 'MIN / MAX: a dropped constraint takes its index', sql: 'CREATE TABLE o (id int PRIMARY KEY);\nALTER TABLE o DROP CONSTRAINT o_pkey;\nSELECT max(id) FROM o', verdict: 'safe', major: 16 },
  { name: 'MIN / MAX: not where a unique index answers the WHERE', sql: 'CREATE TABLE o (id int PRIMARY KEY, v int);\nCREATE INDEX ON o (v);\nSELECT max(v) FROM o WHERE id = 3', verdict: 'safe', major: 16 },
  { name: 'FOR SHARE', sql: `${TABLE}SELECT * FROM t «FOR SHARE»`, verdict: 'unsafe', code: 'row-locking', message: 'FOR SHARE locks rows: a statement that locks rows never uses a parallel plan' },
  { name: 'data-modifying CTE', sql: `${TABLE}WITH «d» AS (DELETE FROM t RETURNING id) SELECT * FROM d`, verdict: 'unsafe', code: 'data-modifying-cte' },
  { name: 'UPDATE', sql: `${TABLE}«UPDATE» t SET id = 1`, verdict: 'unsafe', code: 'write-statement' },
  { name: 'MERGE', sql: `${TABLE}«MERGE» INTO t USING t s ON t.id = s.id WHEN MATCHED THEN DELETE`, verdict: 'unsafe', code: 'write-statement' },
  { name: 'cursor', sql: `${TABLE}«DECLARE» c CURSOR FOR SELECT * FROM t`, verdict: 'unsafe', code: 'cursor' },
  { name: 'CREATE TABLE AS is plannable', sql: `${RESTRICTED_FN}${TABLE}CREATE TABLE copy AS SELECT «rf»(id) FROM t`, verdict: 'restricted', code: 'restricted-function' },
  { name: 'SELECT INTO is plannable', sql: `${TABLE}SELECT * INTO copy FROM t`, verdict: 'safe' },
  { name: 'PREPARE analyses its statement', sql: `${UNSAFE_FN}PREPARE q AS SELECT «uf»(1)`, verdict: 'unsafe', code: 'unsafe-function' },
  { name: 'ALTER FUNCTION ... PARALLEL SAFE changes what follows', sql: `${UNSAFE_FN}ALTER FUNCTION uf(int) PARALLEL SAFE;\nSELECT uf(1)`, verdict: 'safe' },
  { name: 'DROP FUNCTION removes it', sql: `${UNSAFE_FN}DROP FUNCTION uf(int);\nSELECT «uf»(1)`, verdict: 'unknown', code: 'unknown-function' },
  { name: 'psql meta-commands are not SQL', sql: '\\set ON_ERROR_STOP on', verdict: 'none' },
  {
    name: 'SQL-standard body labelled SAFE that calls an unsafe function',
    sql: `${UNSAFE_FN}CREATE FUNCTION wrap(x int) RETURNS int LANGUAGE sql PARALLEL SAFE BEGIN ATOMIC SELECT «uf»(x); END`,
    verdict: 'none',
    code: 'function-mislabelled',
    message: 'public.wrap(x integer) is labelled PARALLEL SAFE but public.uf(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): if that function does what its label says (writes, ...), this one fails when run in a parallel worker; label it by its body, or this function PARALLEL UNSAFE',
  },
  {
    name: 'SQL body labelled RESTRICTED that calls an unsafe function: it may fail in the leader, in parallel mode',
    sql: `${UNSAFE_FN}CREATE FUNCTION wrap(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED BEGIN ATOMIC SELECT «uf»(x); END`,
    verdict: 'none',
    code: 'function-mislabelled',
    message: 'public.wrap(x integer) is labelled PARALLEL RESTRICTED but public.uf(x integer) is PARALLEL UNSAFE (no PARALLEL clause, so it defaulted to UNSAFE): if that function does what its label says (writes, ...), this one fails when the leader runs it during a parallel query (in parallel mode, as long as workers run); label it by its body, or this function PARALLEL UNSAFE',
  },
  {
    name: 'PL/pgSQL body labelled SAFE that calls an unsafe function',
    sql: `${UNSAFE_FN}CREATE FUNCTION wrap(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN «uf»(x) + 1; END $$`,
    verdict: 'none',
    code: 'function-mislabelled',
  },
  {
    name: 'a body that could only be RESTRICTED',
    sql: 'CREATE FUNCTION «noisy»() RETURNS float8 LANGUAGE sql AS $$ SELECT random() $$',
    verdict: 'none',
    code: 'function-default-unsafe',
    message: 'public.noisy() has no PARALLEL clause, so it defaults to PARALLEL UNSAFE and blocks parallel plans wherever it is called; its body allows PARALLEL RESTRICTED',
  },
  { name: 'a body that writes has no suggestion', sql: `${TABLE}CREATE FUNCTION w() RETURNS void LANGUAGE sql AS $$ INSERT INTO t VALUES (1) $$`, verdict: 'none' },
  { name: 'EXPLAIN ANALYZE of a write', sql: `${TABLE}EXPLAIN ANALYZE «UPDATE» t SET id = 2`, verdict: 'unsafe', code: 'write-statement' },
  { name: 'LIKE resolves to its operator', sql: `${TABLE}SELECT * FROM t WHERE note LIKE 'a%'`, verdict: 'safe' },
  { name: 'JOIN USING: its = at the column in USING, not in a comment', sql: `${POINTS}SELECT 1 FROM pa a JOIN pb b /* using (p) */ USING («p»)`, verdict: 'unsafe', code: 'unsafe-operator', message: PT_EQ_UNSAFE },
  { name: 'JOIN USING: a string on the right side is no USING', sql: `${POINTS}SELECT 1 FROM pa a JOIN (SELECT 'x using (p)' AS s, p FROM pb) b USING («p»)`, verdict: 'unsafe', code: 'unsafe-operator' },
  { name: 'JOIN USING: a quoted column', sql: `${POINTS}SELECT 1 FROM pa a JOIN pb AS "using (p" USING («"p"»)`, verdict: 'unsafe', code: 'unsafe-operator' },
  { name: 'NATURAL JOIN: its = at NATURAL', sql: `${POINTS}SELECT 1 FROM pa a «NATURAL» /* c */ JOIN LATERAL (SELECT p FROM pb) b`, verdict: 'unsafe', code: 'unsafe-operator' },
];

describe('engine: every rule', () => {
  const catalogs = new Map<number, Catalog>();
  before(async () => {
    await initParser();
    for (const major of [14, 15, 16, 18]) catalogs.set(major, Catalog.fromSnapshot(loadBuiltinCatalog(major)));
  });

  for (const c of CASES) {
    it(c.name, () => {
      let text = '';
      const marks: number[] = [];
      for (const ch of c.sql) {
        if (ch === '«' || ch === '»') marks.push(text.length);
        else text += ch;
      }
      const statements = analyzeDocument(text, catalogs.get(c.major ?? 18)!, 'file:///rules.sql').statements;
      const s = statements[statements.length - 1];
      const summary = `${s.verdict}: ${s.reasons.map((r) => `${r.code} "${text.slice(r.range.start, r.range.end)}" ${r.message}`).join(' | ')}`;
      assert.strictEqual(s.verdict, c.verdict, summary);
      if (!c.code) return;
      const reason = s.reasons.find((r) => r.code === c.code);
      assert.ok(reason, `no ${c.code}: ${summary}`);
      if (marks.length === 2) assert.deepStrictEqual(reason.range, { start: marks[0], end: marks[1] }, `range of ${c.code}: ${summary}`);
      if (c.message) assert.strictEqual(reason.message, c.message);
    });
  }

  it('places the = of each of nested JOIN ... USING on its own list', () => {
    const sql = `${POINTS}CREATE TABLE pc (k int, p pt);\nSELECT 1 FROM pa a JOIN (pb b JOIN pc c USING (p)) USING (p)`;
    const [statement] = analyzeDocument(sql, catalogs.get(18)!, 'file:///rules.sql').statements.slice(-1);
    const at = (from: number) => sql.indexOf('USING (p)', from) + 'USING ('.length;
    const inner = at(sql.lastIndexOf('SELECT'));
    assert.deepStrictEqual(
      statement.reasons.map((r) => [r.code, r.range.start, r.range.end]),
      [
        ['unsafe-operator', inner, inner + 1],
        ['unsafe-operator', at(inner), at(inner) + 1],
      ],
    );
  });

  it('reads $1, $2 ... of a function body as its arguments and of PREPARE as its declared types, and no plan shape as a body hazard', () => {
    const codesOf = (sql: string) => analyzeDocument(sql, catalogs.get(18)!, 'file:///rules.sql').statements.map((s) => s.reasons.map((r) => r.code));
    const g = "CREATE FUNCTION g(x integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;\nCREATE FUNCTION g(x text) RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT 2 $$;\n";
    const last = (sql: string) => codesOf(`${g}${TABLE}${sql}`).pop();
    // g(integer) is the unsafe one: no quick fix offering SAFE, and SAFE labels are wrong.
    assert.deepStrictEqual(last('CREATE FUNCTION f1(a integer) RETURNS integer LANGUAGE sql AS $$ SELECT g($1) $$;'), []);
    assert.deepStrictEqual(last('CREATE FUNCTION f2(a integer) RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT g($1) $$;'), ['function-mislabelled']);
    assert.deepStrictEqual(last('CREATE FUNCTION f3(a integer) RETURNS integer LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN g($1); END $$;'), ['function-mislabelled']);
    assert.deepStrictEqual(last('CREATE FUNCTION f4(a text) RETURNS integer LANGUAGE sql PARALLEL SAFE AS $$ SELECT g($1) $$;'), []);
    assert.deepStrictEqual(last('PREPARE p1(integer) AS SELECT g($1);'), ['unsafe-function']);
    assert.deepStrictEqual(last('PREPARE p2(text) AS SELECT g($1);'), []);
    // An undeclared $n is an untyped literal until its first use fixes its type.
    const teq = 'CREATE FUNCTION teq(a text, b int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;\nCREATE OPERATOR = (LEFTARG = text, RIGHTARG = int, FUNCTION = teq);\n';
    assert.deepStrictEqual(last(`${teq}SELECT * FROM t WHERE note = $1;`), []);
    assert.deepStrictEqual(last('SELECT * FROM t WHERE id = $1 AND g($1) = 1;'), ['unsafe-function']);
    assert.deepStrictEqual(last('SELECT g($1);'), []);
    // A body's own plan shape restricts nothing: the whole body runs in the process calling the function.
    assert.deepStrictEqual(last('CREATE VIEW w AS SELECT id, row_number() OVER () AS rn FROM t;\nCREATE FUNCTION s0(x int) RETURNS bigint LANGUAGE sql PARALLEL SAFE AS $$ SELECT count(*) FROM w $$;'), []);
    assert.deepStrictEqual(last('CREATE FUNCTION s1(x int) RETURNS bigint LANGUAGE sql PARALLEL SAFE AS $$ SELECT count(*) FROM (SELECT id FROM t INTERSECT SELECT id FROM t) s $$;'), []);
    assert.deepStrictEqual(last('CREATE FUNCTION s2(x int) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM (SELECT id FROM t LIMIT 5) s $$;'), ['function-could-be-safe']);
    // A foreign table restricts a body as much through a view as read directly (it is no plan shape).
    const remote = 'CREATE FOREIGN TABLE remote (a int) SERVER elsewhere;\nCREATE VIEW rv AS SELECT a FROM remote;\n';
    assert.deepStrictEqual(last(`${remote}CREATE FUNCTION s3() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM remote $$;`), ['function-default-unsafe']);
    assert.deepStrictEqual(last(`${remote}CREATE FUNCTION s4() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM rv $$;`), ['function-default-unsafe']);
  });

  it("counts only what a SELECT gets of a file's policies: FOR SELECT and FOR ALL, their USING", () => {
    const verdictOf = (sql: string) => analyzeDocument(sql, catalogs.get(18)!, 'file:///rules.sql').statements.pop()!.verdict;
    const rls = `${UNSAFE_FN}${TABLE}ALTER TABLE t ENABLE ROW LEVEL SECURITY;\n`;
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t FOR INSERT WITH CHECK (uf(id) > 0);\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t FOR UPDATE USING (uf(id) > 0);\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t FOR DELETE USING (uf(id) > 0);\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t USING (id > 0) WITH CHECK (uf(id) > 0);\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t FOR SELECT USING (uf(id) > 0);\nSELECT count(*) FROM t`), 'unsafe');
    // Roles are not known without a database: a policy for any role counts.
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t FOR ALL TO some_role USING (uf(id) > 0);\nSELECT count(*) FROM t`), 'unsafe');
    // ALTER POLICY ... USING replaces it, DROP POLICY removes it (by its name after RENAME TO).
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t USING (true);\nALTER POLICY p ON t USING (uf(id) > 0);\nSELECT count(*) FROM t`), 'unsafe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t USING (uf(id) > 0);\nALTER POLICY p ON t USING (true);\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t USING (uf(id) > 0);\nDROP POLICY p ON public.t;\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t USING (uf(id) > 0);\nALTER POLICY p ON t RENAME TO q;\nDROP POLICY IF EXISTS p ON t;\nSELECT count(*) FROM t`), 'unsafe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY p ON t USING (uf(id) > 0);\nALTER POLICY p ON t RENAME TO q;\nDROP POLICY q ON t;\nSELECT count(*) FROM t`), 'safe');
    // A RESTRICTIVE policy counts only beside a permissive one.
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY r ON t AS RESTRICTIVE USING (uf(id) > 0);\nSELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${rls}CREATE POLICY r ON t AS RESTRICTIVE USING (uf(id) > 0);\nCREATE POLICY p ON t USING (true);\nSELECT count(*) FROM t`), 'unsafe');
  });

  it('inlines a PARALLEL RESTRICTED SQL function as the planner does: through policies and views, the SQL functions its body calls in turn, never inside itself', () => {
    const verdictOf = (sql: string) => analyzeDocument(sql, catalogs.get(18)!, 'file:///rules.sql').statements.pop()!.verdict;
    const tenant = "CREATE FUNCTION tenant() RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT current_setting('app.tenant')::int $$;\n";
    const tenantPlpgsql = "CREATE FUNCTION tenant() RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN current_setting('app.tenant')::int; END $$;\n";
    const policy = 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;\nCREATE POLICY by_tenant ON t USING (id = tenant());\n';
    assert.strictEqual(verdictOf(`${tenant}${TABLE}${policy}SELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${tenantPlpgsql}${TABLE}${policy}SELECT count(*) FROM t`), 'restricted');
    const view = 'CREATE VIEW mine AS SELECT id FROM t WHERE id = tenant();\n';
    assert.strictEqual(verdictOf(`${tenant}${TABLE}${view}SELECT * FROM mine`), 'safe');
    assert.strictEqual(verdictOf(`${tenantPlpgsql}${TABLE}${view}SELECT * FROM mine`), 'restricted');
    // A view or a policy knows its functions, not their arguments: a body reading one twice stays restricted there.
    const twice = 'CREATE FUNCTION twice(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x * x $$;\n';
    assert.strictEqual(verdictOf(`${twice}${TABLE}SELECT twice(id) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${twice}${TABLE}CREATE VIEW sq AS SELECT twice(id) AS s FROM t;\nSELECT * FROM sq`), 'restricted');
    // Labelled later, made SECURITY DEFINER later, or given a SET clause later.
    const plain = 'CREATE FUNCTION plus(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 1 $$;\nALTER FUNCTION plus(int) PARALLEL RESTRICTED;\n';
    assert.strictEqual(verdictOf(`${plain}SELECT plus(1)`), 'safe');
    assert.strictEqual(verdictOf(`${plain}ALTER FUNCTION plus(int) SECURITY DEFINER;\nSELECT plus(1)`), 'restricted');
    assert.strictEqual(verdictOf(`${plain}ALTER FUNCTION plus(int) SET search_path = public;\nSELECT plus(1)`), 'restricted');
    // Calling itself, or each other: the inner call is no longer inlined (active_fns), so it restricts.
    const self = 'CREATE FUNCTION again(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x $$;\nCREATE OR REPLACE FUNCTION again(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT again(x) $$;\n';
    assert.strictEqual(verdictOf(`${self}SELECT again(1)`), 'restricted');
    const mutual = 'CREATE FUNCTION ping(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x $$;\nCREATE FUNCTION pong(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT ping(x) $$;\nCREATE OR REPLACE FUNCTION ping(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT pong(x) $$;\n';
    assert.strictEqual(verdictOf(`${mutual}SELECT ping(1), pong(2)`), 'restricted');
    // An argument read twice through its fields, or by BETWEEN, must be cheap: a PL/pgSQL call costs 100.
    const pair = 'CREATE TYPE pair AS (a int, b int);\nCREATE FUNCTION mk(x int) RETURNS pair LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ BEGIN RETURN ROW(x, x); END $$;\n';
    const fields = 'CREATE FUNCTION prod(p pair) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT p.a * p.b $$;\n';
    assert.strictEqual(verdictOf(`${pair}${fields}${TABLE}SELECT prod(mk(id)) FROM t`), 'restricted');
    const between = 'CREATE FUNCTION small(x int) RETURNS boolean LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x BETWEEN 1 AND 5 $$;\n';
    assert.strictEqual(verdictOf(`${between}${TABLE}SELECT small(id) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${between}${pair}${TABLE}SELECT small((mk(id)).a) FROM t`), 'restricted');
    // ... or costs what COST says.
    const costly = 'CREATE FUNCTION cheap(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1 AS $$ BEGIN RETURN x; END $$;\n';
    assert.strictEqual(verdictOf(`${twice}${costly}${TABLE}SELECT twice(cheap(id)) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${twice}${costly}ALTER FUNCTION cheap(int) COST 50;\n${TABLE}SELECT twice(cheap(id)) FROM t`), 'restricted');
    // A polymorphic body is resolved with each call's types.
    const plusAny = 'CREATE FUNCTION plus_any(a anyelement, b anyelement) RETURNS anyelement LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT a + b $$;\n';
    const slowPlus = 'CREATE FUNCTION pair_plus(a pair, b pair) RETURNS pair LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN a; END $$;\nCREATE OPERATOR + (LEFTARG = pair, RIGHTARG = pair, FUNCTION = pair_plus);\n';
    assert.strictEqual(verdictOf(`${pair}${plusAny}${slowPlus}${TABLE}SELECT plus_any(id, id) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${pair}${plusAny}${slowPlus}${TABLE}SELECT plus_any(mk(id), mk(id)) FROM t`), 'restricted');
    // A SAFE function is inlined too: what its body restricts counts only where the statement is not SAFE before inlining.
    const stableR = 'CREATE FUNCTION stable_r(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\nCREATE FUNCTION wrap_s(x int) RETURNS int LANGUAGE sql STABLE PARALLEL SAFE RETURN stable_r(x);\n';
    assert.strictEqual(verdictOf(`${stableR}${TABLE}SELECT wrap_s(id) FROM t`), 'safe');
    const both = analyzeDocument(`${tenant}${stableR}${TABLE}SELECT wrap_s(id), tenant() FROM t`, catalogs.get(18)!, 'file:///rules.sql').statements.pop()!;
    assert.deepStrictEqual(both.reasons.map((r) => r.message), [
      'public.wrap_s(x integer) is PARALLEL SAFE, but the planner inlines its SQL body here, which calls public.stable_r(x integer), not PARALLEL SAFE, and checks it in a statement that is not PARALLEL SAFE: it runs only in the leader process',
    ]);
    // A SQL function called in an inlined body is inlined in turn, whatever its label (the statement's
    // check never sees it), in a policy too; called by the statement itself, an UNSAFE one stays unsafe.
    const raw = "CREATE FUNCTION raw_tenant() RETURNS int LANGUAGE sql STABLE AS $$ SELECT current_setting('app.tenant')::int $$;\n";
    const overRaw = 'CREATE FUNCTION tenant() RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT raw_tenant() $$;\n';
    assert.strictEqual(verdictOf(`${raw}${overRaw}${TABLE}${policy}SELECT count(*) FROM t`), 'safe');
    assert.strictEqual(verdictOf(`${raw}${overRaw}${TABLE}SELECT * FROM t WHERE id = tenant()`), 'safe');
    assert.strictEqual(verdictOf(`${raw}${TABLE}SELECT * FROM t WHERE id = raw_tenant()`), 'unsafe');
    assert.strictEqual(verdictOf(`${raw}${TABLE}CREATE POLICY by_raw ON t USING (id = raw_tenant());\nALTER TABLE t ENABLE ROW LEVEL SECURITY;\nSELECT count(*) FROM t`), 'unsafe');
    // ... and what it inlines is not named among what the body leaves to restrict.
    const textOf = 'CREATE FUNCTION text_of(x int) RETURNS text LANGUAGE sql STABLE AS $$ SELECT x::text $$;\n';
    const mixed = 'CREATE FUNCTION mixed_s(x int) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE RETURN text_of(stable_r(x));\n';
    const named = analyzeDocument(`${tenant}${stableR}${textOf}${mixed}${TABLE}SELECT mixed_s(id), tenant() FROM t`, catalogs.get(18)!, 'file:///rules.sql').statements.pop()!;
    assert.deepStrictEqual(named.reasons.map((r) => r.message), [
      'public.mixed_s(x integer) is PARALLEL SAFE, but the planner inlines its SQL body here, which calls public.stable_r(x integer), not PARALLEL SAFE, and checks it in a statement that is not PARALLEL SAFE: it runs only in the leader process',
    ]);
    // An IMMUTABLE RESTRICTED function of constants is a constant when planned, whatever its language.
    const immutable = 'CREATE FUNCTION fixed(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\n';
    assert.strictEqual(verdictOf(`${immutable}${TABLE}SELECT * FROM t WHERE id > fixed(5)`), 'safe');
    assert.strictEqual(verdictOf(`${immutable}${TABLE}SELECT * FROM t WHERE id > fixed(id)`), 'restricted');
    // A body that does not parse, or calls what the catalog does not have: not inlined, as labelled.
    assert.strictEqual(verdictOf("CREATE FUNCTION broken() RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT FROM WHERE $$;\nSELECT broken()"), 'restricted');
    assert.strictEqual(verdictOf('CREATE FUNCTION calls_nothing() RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT nowhere(1) $$;\nSELECT calls_nothing()'), 'restricted');
  });

  it('inlines a set-returning SQL function alone in FROM as a subquery: its LIMIT on the call, what it calls only if RESTRICTED', () => {
    const table = 'CREATE TABLE t (id int, amount numeric, note text);\n';
    const reasonsOf = (sql: string) => {
      const text = `${table}${sql}`;
      return analyzeDocument(text, catalogs.get(18)!, 'file:///rules.sql').statements.pop()!.reasons.map((r) => `${r.code} ${text.slice(r.range.start, r.range.end)}: ${r.message}`);
    };
    const top = 'CREATE FUNCTION top_rows(n int) RETURNS SETOF t LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM t ORDER BY id LIMIT n $$;\n';
    assert.deepStrictEqual(reasonsOf(`${top}SELECT * FROM top_rows(5)`), [
      'limited-subquery top_rows: public.top_rows(n integer), inlined here as a subquery with LIMIT or OFFSET: the rows it keeps are chosen in the leader process, and the plan above it runs there too',
    ]);
    // Not inlined: WITH ORDINALITY, a volatile argument (random() restricts on its own), VOLATILE, STRICT.
    assert.deepStrictEqual(reasonsOf(`${top}SELECT * FROM top_rows(5) WITH ORDINALITY`), []);
    assert.deepStrictEqual(reasonsOf(`${top}SELECT * FROM top_rows((random() * 5)::int)`).map((r) => r.split(':')[0]), ['restricted-function random']);
    assert.deepStrictEqual(reasonsOf(top.replace('STABLE', 'VOLATILE') + 'SELECT * FROM top_rows(5)'), []);
    assert.deepStrictEqual(reasonsOf(top.replace('STABLE', 'STABLE STRICT') + 'SELECT * FROM top_rows(5)'), []);
    const sample = (label: string) => `CREATE FUNCTION sample() RETURNS SETOF t LANGUAGE sql STABLE PARALLEL ${label} AS $$ SELECT * FROM t WHERE random() < 0.1 $$;\n`;
    assert.deepStrictEqual(reasonsOf(`${sample('SAFE')}SELECT * FROM sample()`), []);
    assert.deepStrictEqual(reasonsOf(`${sample('RESTRICTED')}SELECT * FROM sample()`), [
      'restricted-function sample: public.sample(), inlined here as a subquery, has in its body: pg_catalog.random() is PARALLEL RESTRICTED: it runs only in the leader process',
    ]);
    // An UNSAFE one blocks the statement whatever its body.
    assert.deepStrictEqual(reasonsOf(`${sample('UNSAFE')}SELECT * FROM sample()`).map((r) => r.split(':')[0]), ['unsafe-function sample']);
  });

  it('places each of a chain of set operations on its own keyword, and reports a row list\'s operator once', () => {
    const reasonsOf = (sql: string) => analyzeDocument(sql, catalogs.get(18)!, 'file:///rules.sql').statements.pop()!.reasons.map((r) => `${r.code} ${sql.slice(r.range.start, r.range.end)}@${r.range.start}`);
    assert.deepStrictEqual(reasonsOf('SELECT 1 EXCEPT SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4'), ['set-operation EXCEPT@9', 'set-operation INTERSECT@25', 'set-operation EXCEPT@44']);
    const eq = 'CREATE FUNCTION teq(a text, b int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN true; END $$;\nCREATE OPERATOR = (LEFTARG = text, RIGHTARG = int, FUNCTION = teq);\n';
    const sql = `${eq}${TABLE}SELECT * FROM t WHERE (note, id) IN ((id, 1), (id, 2))`;
    assert.deepStrictEqual(reasonsOf(sql).map((r) => r.split(' ')[0]), ['unsafe-operator']);
  });

  it('says nothing of parallel_workers = 0 where no parallel plan is possible anyway, nor after RESET', () => {
    const codesOf = (sql: string) => analyzeDocument(sql, catalogs.get(18)!, 'file:///rules.sql').statements.map((s) => s.reasons.map((r) => r.code));
    const quiet = 'CREATE TABLE quiet (id int) WITH (parallel_workers = 0);\n';
    assert.deepStrictEqual(codesOf(`${quiet}INSERT INTO quiet VALUES (1);\nUPDATE quiet SET id = 2;\nDELETE FROM quiet;`).slice(1), [
      ['write-statement'],
      ['write-statement'],
      ['write-statement'],
    ]);
    assert.deepStrictEqual(codesOf(`${quiet}ALTER TABLE quiet RESET (parallel_workers);\nSELECT * FROM quiet;`)[2], []);
  });
});
