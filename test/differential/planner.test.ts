/**
 * The planner is the referee: for every statement below, the engine's static verdict (from the live
 * catalog of a real PostgreSQL) must agree with the two probes of PARALLEL.md section 4, run on the
 * same server. Each case also states the verdict we expect, so that the engine and the probe cannot
 * agree on a wrong answer unnoticed. Runs on every major the test runner starts (18 and 15).
 */
import * as assert from 'assert';
import { analyzeDocument } from '../../server/src/core/document';
import { agreesWithPlanner } from '../../server/src/core/report';
import type { Verdict } from '../../server/src/core/types';
import { probeParallelism, setLocal } from '../../server/src/db/probe';
import { Referee, refereeDatabase } from './referee';

const SCHEMA = `
CREATE TABLE big (id int PRIMARY KEY, grp int, amount numeric, note text, created timestamptz);
INSERT INTO big SELECT g, g % 100, g * 1.5, md5(g::text), now() - g * interval '1 minute' FROM generate_series(1, 20000) g;
CREATE TABLE other (id int, big_id int, label text);
INSERT INTO other SELECT g, g, 'x' || g FROM generate_series(1, 20000) g;
CREATE TABLE no_workers (id int) WITH (parallel_workers = 0);
INSERT INTO no_workers SELECT generate_series(1, 1000);
ANALYZE;

CREATE FUNCTION f_default(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x + 1; END $$;
CREATE FUNCTION f_unsafe(x int) RETURNS int LANGUAGE plpgsql PARALLEL UNSAFE AS $$ BEGIN RETURN x + 1; END $$;
CREATE FUNCTION f_restricted(x int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x + 1; END $$;
CREATE FUNCTION f_safe(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN x + 1; END $$;
CREATE FUNCTION f_sql_default(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 1 $$;
CREATE FUNCTION f_sql_restricted(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x + 1 $$;
CREATE FUNCTION f_sql_safe(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT x + 1 $$;
CREATE FUNCTION over_text(x text) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;
CREATE FUNCTION over_text(x int) RETURNS text LANGUAGE plpgsql PARALLEL UNSAFE AS $$ BEGIN RETURN x::text; END $$;
CREATE FUNCTION by_type(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION by_type(x numeric) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_name(a int, b text) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN a; END $$;
CREATE FUNCTION by_name(b numeric, a text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_name_default(a int, b int DEFAULT 0, c text DEFAULT '') RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN a; END $$;
CREATE FUNCTION by_name_default(a int, c int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN a; END $$;
-- Base types whose text input / output functions are not SAFE: a cast through text runs them.
CREATE TYPE io_unsafe;
CREATE FUNCTION io_unsafe_in(cstring) RETURNS io_unsafe AS 'int4in' LANGUAGE internal IMMUTABLE STRICT;
CREATE FUNCTION io_unsafe_out(io_unsafe) RETURNS cstring AS 'int4out' LANGUAGE internal IMMUTABLE STRICT;
CREATE TYPE io_unsafe (INPUT = io_unsafe_in, OUTPUT = io_unsafe_out, LIKE = int4);
CREATE TYPE io_restricted_in;
CREATE FUNCTION io_restricted_in_in(cstring) RETURNS io_restricted_in AS 'int4in' LANGUAGE internal IMMUTABLE STRICT PARALLEL RESTRICTED;
CREATE FUNCTION io_restricted_in_out(io_restricted_in) RETURNS cstring AS 'int4out' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE io_restricted_in (INPUT = io_restricted_in_in, OUTPUT = io_restricted_in_out, LIKE = int4);
CREATE DOMAIN io_unsafe_domain AS io_unsafe;
CREATE TABLE io_values (id int, u io_unsafe, r io_restricted_in);
INSERT INTO io_values SELECT g, g::text::io_unsafe, g::text::io_restricted_in FROM generate_series(1, 20000) g;
ANALYZE io_values;
CREATE FUNCTION srf_unsafe(n int) RETURNS SETOF int LANGUAGE plpgsql AS $$ BEGIN RETURN QUERY SELECT generate_series(1, n); END $$;
CREATE FUNCTION srf_safe(n int) RETURNS SETOF int LANGUAGE sql PARALLEL SAFE AS $$ SELECT generate_series(1, n) $$;

CREATE FUNCTION op_unsafe_fn(a int, b int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN a > b; END $$;
CREATE OPERATOR >>> (LEFTARG = int, RIGHTARG = int, FUNCTION = op_unsafe_fn);
CREATE FUNCTION op_restricted_fn(a int, b int) RETURNS boolean LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN a > b; END $$;
CREATE OPERATOR <<< (LEFTARG = int, RIGHTARG = int, FUNCTION = op_restricted_fn);
CREATE FUNCTION op_safe_fn(a int, b int) RETURNS boolean LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN a < b; END $$;
CREATE OPERATOR <=> (LEFTARG = int, RIGHTARG = int, FUNCTION = op_safe_fn);

CREATE TYPE money_unsafe AS (v numeric);
CREATE FUNCTION to_money_unsafe(numeric) RETURNS money_unsafe LANGUAGE plpgsql AS $$ BEGIN RETURN ROW($1); END $$;
CREATE CAST (numeric AS money_unsafe) WITH FUNCTION to_money_unsafe(numeric);
-- An unsafe + on an unrelated type: an operand of unknown type would make every + look unsafe.
CREATE FUNCTION money_plus_unsafe(a money_unsafe, b int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN b; END $$;
CREATE OPERATOR + (LEFTARG = money_unsafe, RIGHTARG = int, FUNCTION = money_plus_unsafe);
CREATE TYPE money_safe AS (v numeric);
CREATE FUNCTION to_money_safe(numeric) RETURNS money_safe LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN ROW($1); END $$;
CREATE CAST (numeric AS money_safe) WITH FUNCTION to_money_safe(numeric);
CREATE FUNCTION others_of(k int) RETURNS SETOF other LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM other o WHERE o.big_id = k AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id) $$;
CREATE FUNCTION others_of_n(int) RETURNS SETOF other LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM other o WHERE o.big_id = $1 AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id) $$;
CREATE FUNCTION by_xml(x xml) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_xml(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_array(x int[]) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_array(x text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE DOMAIN money_checked AS money_safe CHECK ((VALUE).v IS NOT NULL);
CREATE TABLE with_composite (id int, m money_safe, c money_checked);
INSERT INTO with_composite SELECT g, ROW(g)::money_safe, ROW(g)::money_checked FROM generate_series(1, 20000) g;
ANALYZE with_composite;

CREATE FUNCTION acc_step(s int, v int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT s + v $$;
CREATE AGGREGATE agg_unsafe(int) (SFUNC = acc_step, STYPE = int, INITCOND = '0');
CREATE AGGREGATE agg_restricted(int) (SFUNC = acc_step, STYPE = int, INITCOND = '0', PARALLEL = RESTRICTED);
CREATE AGGREGATE agg_safe_nocombine(int) (SFUNC = acc_step, STYPE = int, INITCOND = '0', PARALLEL = SAFE);
CREATE AGGREGATE agg_safe(int) (SFUNC = acc_step, STYPE = int, INITCOND = '0', COMBINEFUNC = acc_step, PARALLEL = SAFE);

CREATE VIEW v_unsafe AS SELECT id, f_default(grp) AS g FROM big;
CREATE VIEW v_restricted AS SELECT id, f_restricted(grp) AS g FROM big;
CREATE VIEW v_safe AS SELECT id, f_safe(grp) AS g FROM big;
CREATE VIEW v_of_v_unsafe AS SELECT * FROM v_unsafe WHERE id > 10;
CREATE VIEW v_op_unsafe AS SELECT id FROM big WHERE grp >>> 5;
CREATE VIEW v_window AS SELECT id, row_number() OVER (ORDER BY id) AS rn FROM big;
CREATE VIEW v_of_v_window AS SELECT * FROM v_window WHERE rn > 5;
CREATE VIEW v_limited AS SELECT id FROM big ORDER BY id LIMIT 100;
CREATE VIEW v_materialized AS WITH c AS MATERIALIZED (SELECT id FROM big) SELECT id FROM c;
CREATE VIEW v_intersect AS SELECT id FROM big INTERSECT SELECT big_id FROM other;
CREATE VIEW v_union AS SELECT id FROM big UNION SELECT big_id FROM other;
CREATE VIEW v_xmltable AS SELECT * FROM XMLTABLE('/r/x' PASSING (xmlparse(document '<r><x>1</x></r>')) COLUMNS x int PATH '.');
CREATE VIEW v_cte_twice AS WITH c AS (SELECT id FROM big) SELECT a.id FROM c a JOIN c b USING (id);
CREATE VIEW v_recursive AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r;
CREATE VIEW v_limit_all AS SELECT id FROM big LIMIT ALL;
CREATE FUNCTION by_width(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION by_width(x text) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_size(x bigint) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_size(x numeric) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_float(x bigint) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_float(x float8) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_string(x text) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_string(x varchar) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE TABLE serials (id serial, small smallserial);
CREATE TABLE big_like (LIKE big INCLUDING ALL);
CREATE TABLE altered (id int, grp int);
ALTER TABLE altered ALTER COLUMN id TYPE text, DROP COLUMN grp;
CREATE VIEW v_union_all_limited AS (SELECT id FROM big ORDER BY id LIMIT 10) UNION ALL SELECT big_id FROM other;
CREATE VIEW v_cte_limited AS WITH c AS (SELECT id FROM big ORDER BY amount LIMIT 10) SELECT id FROM c;
CREATE VIEW v_wide AS ${Array.from({ length: 30 }, () => `SELECT ${Array.from({ length: 40 }, (_, i) => `id AS c${i}`).join(', ')} FROM big`).join(' UNION ALL ')} LIMIT 5;
CREATE VIEW v_locking AS SELECT id FROM big FOR UPDATE;
CREATE VIEW v_of_v_locking AS SELECT * FROM v_locking WHERE id > 10;
CREATE VIEW v_locking_inside AS SELECT b.id FROM big b WHERE b.id IN (SELECT big_id FROM other FOR SHARE);
CREATE VIEW v_window_sorted AS SELECT id, row_number() OVER (ORDER BY id) AS rn FROM big ORDER BY rn;
CREATE VIEW v_corr_target AS SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b;
CREATE VIEW v_corr_where AS SELECT b.id FROM big b WHERE b.grp > (SELECT count(*) FROM other o WHERE o.big_id = b.id);
CREATE VIEW v_corr_grouped AS SELECT b.grp, count(*) AS n, (SELECT max(o.id) FROM other o WHERE o.big_id = b.grp) AS m FROM big b GROUP BY b.grp;
CREATE VIEW v_of_corr AS SELECT * FROM v_corr_target;
CREATE VIEW v_distinct_corr AS SELECT DISTINCT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b;
CREATE VIEW v_initplan_target AS SELECT id, (SELECT max(id) FROM other) AS m FROM big;
CREATE VIEW v_initplan_where AS SELECT id FROM big WHERE grp < (SELECT max(id) FROM other);
CREATE VIEW v_corr_twice AS SELECT id, m AS a, m AS b FROM v_corr_target;
CREATE VIEW v_corr_read_in_where AS SELECT id, m FROM v_corr_target WHERE m > 0;
CREATE VIEW v_corr_aliased AS SELECT x.q FROM v_corr_target AS x(p, q);
CREATE VIEW v_corr_ordered AS SELECT v.id, v.m FROM v_corr_target v ORDER BY v.m;
CREATE VIEW v_corr_grouped_by_position AS SELECT m, count(*) AS n FROM v_corr_target GROUP BY 1;
CREATE VIEW v_corr_renamed AS SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b;
ALTER VIEW v_corr_renamed RENAME COLUMN m TO mm;
CREATE VIEW v_corr_named_like_input AS SELECT b.grp AS g, count(*) AS n, (SELECT max(o.id) FROM other o WHERE o.big_id = b.grp) AS grp FROM big b GROUP BY grp;
CREATE VIEW v_corr_windowed AS SELECT id, rank() OVER w AS r FROM v_corr_target WINDOW w AS (PARTITION BY m);
CREATE VIEW v_corr_joined (a, b, c, d) AS SELECT * FROM v_corr_target c JOIN other o USING (id);
CREATE VIEW v_corr_output_named AS SELECT id AS m, id AS k FROM v_corr_target ORDER BY m;
CREATE VIEW v_corr_to_rename AS SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b;
ALTER VIEW v_corr_to_rename RENAME TO v_corr_renamed_view;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TYPE mood_again AS ENUM ('sad', 'ok');
CREATE FUNCTION mood_again_of(m mood) RETURNS mood_again LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN m::text::mood_again; END $$;
CREATE CAST (mood AS mood_again) WITH FUNCTION mood_again_of(mood) AS IMPLICIT;
CREATE TABLE moods (id int, m mood, m2 mood_again);
INSERT INTO moods SELECT g, 'ok', 'ok' FROM generate_series(1, 20000) g;
ANALYZE moods;
CREATE TYPE tone AS ENUM ('low', 'high');
CREATE TYPE tone_again AS ENUM ('low', 'high');
CREATE FUNCTION tone_again_of(t tone) RETURNS tone_again LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN t::text::tone_again; END $$;
CREATE CAST (tone AS tone_again) WITH FUNCTION tone_again_of(tone) AS IMPLICIT;
CREATE FUNCTION tone_of(t tone_again) RETURNS tone LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN t::text::tone; END $$;
CREATE CAST (tone_again AS tone) WITH FUNCTION tone_of(tone_again) AS IMPLICIT;
CREATE TABLE tones (id int, t tone, t2 tone_again);
INSERT INTO tones SELECT g, 'low', 'low' FROM generate_series(1, 20000) g;
ANALYZE tones;
CREATE TABLE ranks (id int, rn bigint);
INSERT INTO ranks SELECT g, g FROM generate_series(1, 20000) g;
ANALYZE ranks;

CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);
CREATE DOMAIN positive_text AS text CHECK (VALUE <> '');
CREATE DOMAIN plain_int AS int;
CREATE DOMAIN plain_again AS plain_int;
CREATE FUNCTION by_bool(x boolean) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_bool(x int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION out_pair(x int, OUT a int, OUT b text) LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN a := x; b := x::text; END $$;
CREATE FUNCTION by_cat(a anycompatiblearray, b anycompatible) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION by_cat(a anycompatiblearray, b anycompatiblearray) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE DOMAIN positive_again AS positive_int;
CREATE DOMAIN base_later AS int;
CREATE DOMAIN over_base_later AS base_later;
ALTER DOMAIN base_later ADD CONSTRAINT base_later_positive CHECK (VALUE > 0);
CREATE DOMAIN checked_later AS int;
ALTER DOMAIN checked_later ADD CONSTRAINT checked_later_positive CHECK (VALUE > 0);
CREATE VIEW v_domain_target AS SELECT id, grp::positive_int AS g FROM big;
CREATE VIEW v_domain_where AS SELECT id FROM big WHERE grp::positive_int > 3;
CREATE TABLE typed_amounts (id int, e positive_int);
INSERT INTO typed_amounts SELECT g, g FROM generate_series(1, 20000) g;
ANALYZE typed_amounts;
CREATE VIEW v_case_named AS SELECT id, CASE WHEN id > 0 THEN (SELECT max(o.id) FROM other o WHERE o.big_id = big.id) ELSE grp END FROM big;
CREATE VIEW v_corr_unnamed AS SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id), coalesce(b.grp::positive_int, 1) FROM big b;
CREATE VIEW v_window_partitioned_by_domain AS SELECT id, rank() OVER (PARTITION BY grp::positive_int ORDER BY id) AS r FROM big;
CREATE VIEW v_window_ordered_by_domain AS SELECT id, rank() OVER (ORDER BY grp::positive_int) AS r FROM big;
CREATE VIEW v_window_named_by_domain AS SELECT id, rank() OVER w AS r FROM big WINDOW w AS (PARTITION BY grp::positive_int);
CREATE VIEW v_window_named_then_ordered AS SELECT id, rank() OVER (w ORDER BY id) AS r FROM big WINDOW w AS (PARTITION BY grp::positive_int);
CREATE VIEW v_sorted_by_window AS SELECT id FROM big ORDER BY rank() OVER (PARTITION BY grp::positive_int);
CREATE VIEW v_window_then_subquery AS SELECT id, rank() OVER (PARTITION BY grp::positive_int ORDER BY id) + (SELECT max(id) FROM other) AS r FROM big;
CREATE VIEW v_window_frame_domain AS SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1::positive_int PRECEDING AND CURRENT ROW) AS s FROM big;
CREATE VIEW v_window_frame_initplan AS SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN (SELECT max(id) FROM other) PRECEDING AND CURRENT ROW) AS s FROM big;
CREATE VIEW v_distinct_window AS SELECT DISTINCT id, rank() OVER (PARTITION BY grp::positive_int ORDER BY id) AS r FROM big;
CREATE VIEW v_domain_rolled_up AS SELECT grp::positive_int AS g, count(*) AS n FROM big GROUP BY ROLLUP (g);
-- Domains inside arrays and composite types: posint[] under a domain of its own, fields of a domain.
CREATE DOMAIN positive_ints AS positive_int[];
CREATE DOMAIN plain_ints AS plain_int[];
CREATE TYPE positive_pair AS (a positive_int, b int);
CREATE TYPE positive_nest AS (p positive_pair, z int);
CREATE DOMAIN positive_pair_domain AS positive_pair;
CREATE TYPE positive_array_pair AS (a int, b positive_ints);
CREATE TYPE plain_pair AS (a plain_int, b int);
CREATE TABLE positive_rows (a positive_int, b int);
CREATE VIEW v_positive_pair AS SELECT id, ROW(id, grp)::positive_pair AS p FROM big;
CREATE TEMP TABLE scratch_rows (a int);
INSERT INTO scratch_rows SELECT generate_series(1, 100);
CREATE TEMP VIEW scratch_view AS SELECT a FROM scratch_rows;
CREATE TEMP VIEW temp_view_of_big AS SELECT id, grp FROM big;
CREATE FUNCTION takes_positive(x positive_int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION takes_positive_pair(p positive_pair) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION text_eq_int_unsafe(a text, b int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN a = b::text; END $$;
CREATE OPERATOR = (LEFTARG = text, RIGHTARG = int, FUNCTION = text_eq_int_unsafe);
-- Functions whose OUT / TABLE parameters make the columns of a call in FROM (typed: not every = there is).
CREATE FUNCTION tab_one(n int) RETURNS TABLE (a int) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ BEGIN RETURN QUERY SELECT generate_series(1, n); END $$;
CREATE FUNCTION tab_two(n int) RETURNS TABLE (a int, b text) LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ BEGIN RETURN QUERY SELECT g, g::text FROM generate_series(1, n) g; END $$;
CREATE FUNCTION outs_two(n int, OUT x int, OUT y text) RETURNS SETOF record LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ BEGIN x := n; y := 'a'; RETURN NEXT; END $$;
CREATE FUNCTION out_unnamed(OUT int) RETURNS SETOF int LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$ BEGIN $1 := 1; RETURN NEXT; END $$;
-- A view whose EXISTS has a RESTRICTED call in its select list, which the planner throws away.
CREATE VIEW v_exists_select_list AS SELECT id FROM big b WHERE EXISTS (SELECT f_restricted(o.id) FROM other o WHERE o.big_id = b.id);
-- Composite types with an = of their own: JOIN USING / NATURAL and rows against a subquery compare
-- with it; whole rows of tables with record = record. A schema-qualified operator.
CREATE TYPE pt_u AS (x int, y int);
CREATE FUNCTION pt_u_eq(pt_u, pt_u) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN $1.x = $2.x; END $$;
CREATE OPERATOR = (LEFTARG = pt_u, RIGHTARG = pt_u, FUNCTION = pt_u_eq, COMMUTATOR = =);
-- (a row of several columns compares only with operators of a btree family: make_row_comparison_op)
CREATE FUNCTION pt_u_cmp(pt_u, pt_u) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE WHEN $1.x < $2.x THEN -1 WHEN $1.x > $2.x THEN 1 ELSE 0 END $$;
CREATE FUNCTION pt_u_lt(pt_u, pt_u) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1.x < $2.x $$;
CREATE FUNCTION pt_u_le(pt_u, pt_u) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1.x <= $2.x $$;
CREATE FUNCTION pt_u_ge(pt_u, pt_u) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1.x >= $2.x $$;
CREATE FUNCTION pt_u_gt(pt_u, pt_u) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT $1.x > $2.x $$;
CREATE OPERATOR < (LEFTARG = pt_u, RIGHTARG = pt_u, FUNCTION = pt_u_lt);
CREATE OPERATOR <= (LEFTARG = pt_u, RIGHTARG = pt_u, FUNCTION = pt_u_le);
CREATE OPERATOR >= (LEFTARG = pt_u, RIGHTARG = pt_u, FUNCTION = pt_u_ge);
CREATE OPERATOR > (LEFTARG = pt_u, RIGHTARG = pt_u, FUNCTION = pt_u_gt);
CREATE OPERATOR CLASS pt_u_ops DEFAULT FOR TYPE pt_u USING btree AS
  OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >, FUNCTION 1 pt_u_cmp(pt_u, pt_u);
CREATE TYPE pt_r AS (x int, y int);
CREATE FUNCTION pt_r_eq(pt_r, pt_r) RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN $1.x = $2.x; END $$;
CREATE OPERATOR = (LEFTARG = pt_r, RIGHTARG = pt_r, FUNCTION = pt_r_eq, COMMUTATOR = =);
CREATE TABLE pts_a (id int, p pt_u, r pt_r);
CREATE TABLE pts_b (k int, p pt_u, r pt_r);
INSERT INTO pts_a SELECT g, ROW(g, g)::pt_u, ROW(g, g)::pt_r FROM generate_series(1, 30000) g;
INSERT INTO pts_b SELECT * FROM pts_a;
ANALYZE pts_a, pts_b;
CREATE SCHEMA qual_ops;
CREATE FUNCTION qual_ops.lt(int, int) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN $1 < $2; END $$;
CREATE OPERATOR qual_ops.< (LEFTARG = int, RIGHTARG = int, FUNCTION = qual_ops.lt);
CREATE FUNCTION os_final(s int, frac float8, v int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT s $$;
CREATE AGGREGATE os_unsafe(float8 ORDER BY int) (SFUNC = acc_step, STYPE = int, INITCOND = '0', FINALFUNC = os_final, FINALFUNC_EXTRA);
CREATE MATERIALIZED VIEW mv AS SELECT grp, count(*) AS n FROM big GROUP BY grp;
-- REFRESH runs a materialized view's query again, window and subquery included.
CREATE MATERIALIZED VIEW mv_window AS SELECT id, rank() OVER (ORDER BY grp) AS r FROM big;
CREATE MATERIALIZED VIEW mv_correlated AS SELECT b.id, (SELECT count(*) FROM other o WHERE o.big_id = b.id) AS n FROM big b WHERE b.id < 50;
CREATE SEQUENCE big_seq_for_test;
CREATE FUNCTION inl_tenant() RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT current_setting('app.tenant', true)::int $$;
CREATE FUNCTION inl_strict_plus(x int) RETURNS int LANGUAGE sql STRICT PARALLEL RESTRICTED RETURN x + 1;
CREATE FUNCTION inl_strict_coalesce(x int) RETURNS int LANGUAGE sql STRICT PARALLEL RESTRICTED AS $$ SELECT coalesce(x, 0) $$;
CREATE FUNCTION inl_twice(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x * x $$;
CREATE FUNCTION inl_random() RETURNS float8 LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT random() $$;
CREATE FUNCTION inl_immutable_to_date(x text) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT to_date(x, 'YYYY') $$;
CREATE FUNCTION inl_secdef(x int) RETURNS int LANGUAGE sql SECURITY DEFINER PARALLEL RESTRICTED AS $$ SELECT x + 1 $$;
CREATE FUNCTION inl_from(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x + 1 FROM (SELECT 1) s $$;
CREATE FUNCTION inl_atomic(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED BEGIN ATOMIC SELECT inl_tenant() + x; END;
CREATE FUNCTION inl_positive(x int) RETURNS positive_int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x $$;
CREATE FUNCTION inl_poly(x anyelement) RETURNS anyelement LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x $$;
CREATE FUNCTION inl_later(x int) RETURNS int LANGUAGE sql AS $$ SELECT x + 2 $$;
ALTER FUNCTION inl_later(int) PARALLEL RESTRICTED;
CREATE FUNCTION inl_strict_later(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT coalesce(x, 1) $$;
ALTER FUNCTION inl_strict_later(int) STRICT;
CREATE FUNCTION inl_secdef_later(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x + 1 $$;
ALTER FUNCTION inl_secdef_later(int) SECURITY DEFINER;
CREATE FUNCTION inl_nested_restricted() RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT inl_random()::int $$;
CREATE VIEW v_inl_tenant AS SELECT id, grp FROM big WHERE grp = inl_tenant();
CREATE FUNCTION inl_stable_restricted(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION inl_safe_wrap(x int) RETURNS int LANGUAGE sql STABLE PARALLEL SAFE RETURN inl_stable_restricted(x);
CREATE FUNCTION inl_safe_wrap_volatile(x int) RETURNS int LANGUAGE sql STABLE PARALLEL SAFE RETURN f_restricted(x);
CREATE FUNCTION inl_between(x int) RETURNS boolean LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT x BETWEEN 1 AND 50 $$;
CREATE FUNCTION inl_void(x int) RETURNS void LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x + 1 $$;
CREATE FUNCTION inl_default_r(x int, y int DEFAULT f_restricted(1)) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED RETURN x + y;
CREATE FUNCTION inl_imm_tenant() RETURNS int LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT current_setting('app.tenant', true)::int $$;
CREATE FUNCTION inl_imm_plpgsql(x int) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;
CREATE FUNCTION inl_not_strict(b boolean) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL RESTRICTED RETURN NOT b;
CREATE FUNCTION inl_norm(e varchar) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED RETURN lower(e);
CREATE TYPE inl_wrapped AS (v int);
CREATE FUNCTION inl_wrap(x int) RETURNS inl_wrapped LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT ROW(x)::inl_wrapped $$;
CREATE CAST (int AS inl_wrapped) WITH FUNCTION inl_wrap(int);
CREATE VIEW v_inl_safe_wrap AS SELECT id, inl_safe_wrap(grp) AS c FROM big;
CREATE FUNCTION inl_out(x int, OUT y int) LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT x + 1 $$;
CREATE FUNCTION inl_imm_ts(x timestamptz) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN 1; END $$;
CREATE TYPE inl_one AS (v int);
CREATE FUNCTION inl_onecol(x int) RETURNS inl_one LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT x + 1 $$;
CREATE FUNCTION inl_onecol_row(x int) RETURNS inl_one LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT ROW(x + 1)::inl_one $$;
CREATE FUNCTION inl_money_add(a numeric, b numeric) RETURNS numeric LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT a + b $$;
CREATE OPERATOR |+| (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = inl_money_add);
CREATE FUNCTION inl_square_add(a numeric, b numeric) RETURNS numeric LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT a * a + b $$;
CREATE OPERATOR |*| (LEFTARG = numeric, RIGHTARG = numeric, FUNCTION = inl_square_add);
CREATE FUNCTION srf_series_r(x int) RETURNS SETOF int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT generate_series(1, x) $$;
CREATE FUNCTION srf_not_in() RETURNS SETOF big LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM big WHERE id NOT IN (SELECT big_id FROM other) AND inl_stable_restricted(grp) = 3 $$;
CREATE FUNCTION srf_top(n int) RETURNS SETOF big LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM big ORDER BY id LIMIT n $$;
CREATE FUNCTION srf_top_volatile(n int) RETURNS SETOF big LANGUAGE sql VOLATILE PARALLEL SAFE AS $$ SELECT * FROM big ORDER BY id LIMIT n $$;
CREATE FUNCTION srf_top_strict(n int) RETURNS SETOF big LANGUAGE sql STABLE STRICT PARALLEL SAFE AS $$ SELECT * FROM big ORDER BY id LIMIT n $$;
CREATE FUNCTION srf_top_atomic(n int) RETURNS SETOF int LANGUAGE sql STABLE PARALLEL SAFE BEGIN ATOMIC SELECT id FROM big ORDER BY id LIMIT n; END;
CREATE FUNCTION srf_grp_r(g int) RETURNS SETOF big LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT * FROM big WHERE grp = g $$;
CREATE FUNCTION srf_random_s() RETURNS SETOF big LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT * FROM big WHERE random() < 0.5 $$;
CREATE FUNCTION srf_random_r() RETURNS SETOF big LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT * FROM big WHERE random() < 0.5 $$;
CREATE FUNCTION srf_intersect() RETURNS SETOF int LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT id FROM big INTERSECT SELECT big_id FROM other $$;
CREATE FUNCTION srf_window_s() RETURNS TABLE (id int, rn bigint) LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT id, row_number() OVER () FROM big $$;
CREATE FUNCTION srf_window_r() RETURNS TABLE (id int, rn bigint) LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT id, row_number() OVER () FROM big $$;
CREATE FUNCTION srf_scratch() RETURNS SETOF int LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT a FROM scratch_rows $$;
CREATE FUNCTION srf_lock_s(n int) RETURNS TABLE (a int) LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT id FROM big WHERE id < n FOR UPDATE $$;
CREATE FUNCTION srf_lock_nokey_s(n int) RETURNS TABLE (a int) LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT id FROM big WHERE id < n FOR NO KEY UPDATE $$;
CREATE FUNCTION srf_lock_sub_s(n int) RETURNS TABLE (a int) LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT id FROM (SELECT id FROM big WHERE id < n FOR SHARE) s $$;
CREATE FUNCTION srf_lock_view_s(n int) RETURNS TABLE (a int) LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT id FROM v_locking WHERE id < n $$;
CREATE FUNCTION srf_lock_cte_s(n int) RETURNS TABLE (a int) LANGUAGE sql STABLE PARALLEL SAFE AS $$ WITH c AS (SELECT id FROM big WHERE id < n FOR UPDATE) SELECT id FROM c $$;
CREATE VIEW v_srf_lock AS SELECT a, 1 AS k FROM srf_lock_s(10);
CREATE VIEW v_of_v_srf_lock AS SELECT k FROM v_srf_lock;
CREATE FUNCTION srf_lock_r(n int) RETURNS TABLE (a int) LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT id FROM big WHERE id < n FOR UPDATE $$;
-- Nested inlining: an inlinable SQL function called in an inlined body is inlined in turn, whatever its label (UNSAFE by default here).
CREATE FUNCTION nest_raw() RETURNS int LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.tenant', true), '')::int $$;
CREATE FUNCTION nest_tenant() RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT nest_raw() $$;
CREATE FUNCTION nest_raw_pl() RETURNS int LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION nest_tenant_pl() RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT nest_raw_pl() $$;
CREATE FUNCTION nest_lower(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower(t) $$;
CREATE FUNCTION nest_norm_r(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT nest_lower(t) $$;
CREATE FUNCTION nest_norm_s(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT nest_lower(t) $$;
CREATE FUNCTION nest_deep_r(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT nest_norm_s(t) || nest_norm_r(t) $$;
CREATE FUNCTION nest_eq(a text, b text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT lower(a) = lower(b) $$;
CREATE OPERATOR === (LEFTARG = text, RIGHTARG = text, FUNCTION = nest_eq);
CREATE FUNCTION nest_op_r(t text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT t === 'a' $$;
CREATE FUNCTION nest_vol(t text) RETURNS text LANGUAGE sql AS $$ SELECT lower(t) $$;
CREATE FUNCTION nest_imm_over_vol(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT nest_vol(t) $$;
CREATE FUNCTION nest_vol_over_vol(t text) RETURNS text LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT nest_vol(t) $$;
CREATE FUNCTION nest_secdef(t text) RETURNS text LANGUAGE sql IMMUTABLE SECURITY DEFINER AS $$ SELECT lower(t) $$;
CREATE FUNCTION nest_over_secdef(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT nest_secdef(t) $$;
CREATE FUNCTION nest_self(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT x $$;
CREATE OR REPLACE FUNCTION nest_self(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT nest_self(x) $$;
CREATE FUNCTION nest_ping(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT x $$;
CREATE FUNCTION nest_pong(x int) RETURNS int LANGUAGE sql STABLE AS $$ SELECT nest_ping(x) $$;
CREATE OR REPLACE FUNCTION nest_ping(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT nest_pong(x) $$;
CREATE FUNCTION nest_ids() RETURNS SETOF int LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT big_id FROM other WHERE id > nest_raw() $$;
CREATE FUNCTION nest_ids_r() RETURNS SETOF int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT big_id FROM other WHERE id > nest_raw() $$;
CREATE FUNCTION nest_ids_pl() RETURNS SETOF int LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT big_id FROM other WHERE id > nest_raw_pl() $$;
CREATE FUNCTION nest_ids_inl_r() RETURNS SETOF int LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT big_id FROM other WHERE id > inl_tenant() $$;
CREATE VIEW v_nest_tenant AS SELECT id, grp FROM big WHERE grp = nest_tenant();
CREATE VIEW v_nest_norm AS SELECT id, nest_norm_r(note) AS n FROM big;
CREATE VIEW v_nest_raw AS SELECT id, grp FROM big WHERE grp = nest_raw();
-- An argument read twice is judged once simplified: calls in it inlined (simplify_function).
CREATE FUNCTION inl_case(x int) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT CASE WHEN x > 50 THEN '1' ELSE '2' END $$;
CREATE FUNCTION inl_dup(x numeric) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL RESTRICTED AS $$ SELECT x + x $$;
CREATE FUNCTION inl_twice_n(x numeric) RETURNS numeric LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT x * x + x $$;

-- MIN / MAX answered from an index (planagg.c)
CREATE TYPE mm_mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE mm (id int PRIMARY KEY, k int, v int, flag boolean, label text, h int, loose int, tenant int, placed int, feel mm_mood, tags int[]);
INSERT INTO mm SELECT g, g % 50, g % 1000, g % 2 = 0, 'x' || g, g, g, g % 7, g, 'ok', ARRAY[g] FROM generate_series(1, 20000) g;
CREATE INDEX mm_v_idx ON mm (v);
CREATE INDEX mm_tenant_placed ON mm (tenant, placed);
CREATE INDEX mm_feel ON mm (feel);
CREATE INDEX mm_tags ON mm (tags);
CREATE INDEX mm_flag_idx ON mm (flag);
CREATE INDEX mm_label_idx ON mm (label);
CREATE INDEX mm_h_hash ON mm USING hash (h);
CREATE INDEX mm_k_partial ON mm (k) WHERE k > 10;
ANALYZE mm;
CREATE VIEW v_mm_top AS SELECT max(v) AS top FROM mm;
CREATE VIEW v_mm_plain AS SELECT id, v AS value, k FROM mm WHERE k > 0;
CREATE VIEW v_mm_over_view AS SELECT * FROM v_mm_plain;
CREATE VIEW v_mm_barrier WITH (security_barrier) AS SELECT id, v FROM mm;
CREATE VIEW v_mm_one AS SELECT * FROM mm WHERE id = 7;
CREATE VIEW v_mm_tenant AS SELECT id, placed FROM mm WHERE tenant = 3;
CREATE VIEW v_mm_wrapped AS SELECT max(v) AS top, inl_safe_wrap(1) AS w FROM mm;
CREATE VIEW v_mm_filtered AS SELECT id, v FROM mm WHERE inl_safe_wrap(k) > 0;
CREATE TABLE mm_copy (LIKE mm INCLUDING INDEXES);
CREATE TABLE mm_plain (LIKE mm);
CREATE TABLE mm_parted (id int, v int) PARTITION BY RANGE (id);
CREATE INDEX ON mm_parted (v);
CREATE TABLE mm_part1 PARTITION OF mm_parted FOR VALUES FROM (0) TO (1000);
CREATE AGGREGATE my_max(int) (SFUNC = int4larger, STYPE = int, SORTOP = >, PARALLEL = SAFE, COMBINEFUNC = int4larger);

-- A RESTRICTED function in one output column of a view: the planner drops the column where nobody reads it.
CREATE VIEW v_col_r AS SELECT id, grp, inl_stable_restricted(grp) AS r FROM big;
CREATE VIEW v_col_r_of_v AS SELECT id, r FROM v_col_r WHERE grp > 5;
CREATE VIEW v_col_r_star AS SELECT * FROM v_col_r;
CREATE VIEW v_col_r_grouped AS SELECT grp, inl_stable_restricted(grp) AS r, count(*) AS n FROM big GROUP BY grp;
CREATE VIEW v_col_r_ordered AS SELECT id, inl_stable_restricted(grp) AS r FROM big ORDER BY 2;
CREATE VIEW v_col_r_where AS SELECT id, inl_stable_restricted(grp) AS r FROM big WHERE inl_stable_restricted(id) > 0;
CREATE VIEW v_col_r_twice AS SELECT id, inl_stable_restricted(grp) AS r, inl_stable_restricted(id) AS s FROM big;
-- ... what a window's PARTITION BY / ORDER BY computes stays whoever reads the window function
CREATE VIEW v_col_r_window AS SELECT id, sum(id) OVER (PARTITION BY inl_stable_restricted(grp)) AS s FROM big;
CREATE VIEW v_col_r_window_ordered AS SELECT id, rank() OVER (ORDER BY inl_stable_restricted(grp)) AS s FROM big;
-- ... and a view over it that never reads the column has none of it
CREATE VIEW v_col_r_unread AS SELECT id, grp FROM v_col_r;
CREATE VIEW v_col_r_unread_of_v AS SELECT id FROM v_col_r_unread;

-- Foreign tables (postgres_fdw: planning never connects), as partitions and inheritance children, and
-- a temporary child: the parent is then scanned only in the leader (set_append_rel_size).
CREATE EXTENSION postgres_fdw;
CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'nowhere');
CREATE FOREIGN TABLE remote_items (id int, big_id int) SERVER elsewhere;
CREATE TABLE events (id int, at date, grp int) PARTITION BY RANGE (at);
CREATE TABLE events_2025 PARTITION OF events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE FOREIGN TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') SERVER elsewhere;
INSERT INTO events_2025 SELECT g, date '2025-01-01' + g % 300, g % 50 FROM generate_series(1, 30000) g;
CREATE TABLE events_local (id int, at date, grp int) PARTITION BY RANGE (at);
CREATE TABLE events_local_2025 PARTITION OF events_local FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
INSERT INTO events_local SELECT * FROM events_2025;
CREATE TABLE kinds (id int, kind text) PARTITION BY LIST (kind);
CREATE TABLE kinds_a PARTITION OF kinds FOR VALUES IN ('a', 'c');
CREATE FOREIGN TABLE kinds_b PARTITION OF kinds FOR VALUES IN ('b') SERVER elsewhere;
INSERT INTO kinds_a SELECT g, 'a' FROM generate_series(1, 30000) g;
CREATE FOREIGN TABLE kinds_d (id int, kind text) SERVER elsewhere;
ALTER TABLE kinds ATTACH PARTITION kinds_d FOR VALUES IN ('d');
CREATE TABLE nums (n int, v int) PARTITION BY RANGE (n);
CREATE TABLE nums_high PARTITION OF nums FOR VALUES FROM (100) TO (MAXVALUE);
CREATE FOREIGN TABLE nums_low PARTITION OF nums FOR VALUES FROM (MINVALUE) TO (100) SERVER elsewhere;
INSERT INTO nums_high SELECT 100 + g, g FROM generate_series(1, 30000) g;
CREATE TABLE logs (id int, msg text);
INSERT INTO logs SELECT g, md5(g::text) FROM generate_series(1, 30000) g;
CREATE FOREIGN TABLE logs_remote () INHERITS (logs) SERVER elsewhere;
CREATE TABLE notes_base (id int, msg text);
INSERT INTO notes_base SELECT g, md5(g::text) FROM generate_series(1, 30000) g;
CREATE TEMP TABLE notes_scratch () INHERITS (notes_base);
-- Not ANALYZE events or logs: that samples the foreign children too, which would connect.
ANALYZE events_2025, events_local, notes_base, kinds_a, nums_high;

-- Later DDL undoes what made a call or a scan restricted; without a database the engine follows it too.
CREATE DOMAIN was_checked AS int CONSTRAINT was_checked_positive CHECK (VALUE > 0) NOT NULL;
ALTER DOMAIN was_checked DROP CONSTRAINT was_checked_positive;
ALTER DOMAIN was_checked DROP NOT NULL;
CREATE DOMAIN still_checked AS int CHECK (VALUE > 0) CHECK (VALUE < 1000000);
ALTER DOMAIN still_checked DROP CONSTRAINT still_checked_check;
CREATE FUNCTION was_definer(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED SECURITY DEFINER AS $$ SELECT x + 1 $$;
ALTER FUNCTION was_definer(int) SECURITY INVOKER;
CREATE FUNCTION was_set(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED SET work_mem = '64MB' SET search_path = public AS $$ SELECT x + 1 $$;
ALTER FUNCTION was_set(int) RESET work_mem;
ALTER FUNCTION was_set(int) RESET search_path;
CREATE FUNCTION still_set(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED SET work_mem = '64MB' SET search_path = public AS $$ SELECT x + 1 $$;
ALTER FUNCTION still_set(int) RESET work_mem;
CREATE TABLE detached_events (id int, at date) PARTITION BY RANGE (at);
CREATE TABLE detached_events_2025 PARTITION OF detached_events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE FOREIGN TABLE detached_events_2024 PARTITION OF detached_events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') SERVER elsewhere;
ALTER TABLE detached_events DETACH PARTITION detached_events_2024;
INSERT INTO detached_events SELECT g, date '2025-01-01' + g % 300 FROM generate_series(1, 30000) g;
CREATE TABLE disowned (id int);
INSERT INTO disowned SELECT generate_series(1, 30000);
CREATE TEMP TABLE disowned_scratch () INHERITS (disowned);
ALTER TABLE disowned_scratch NO INHERIT disowned;
CREATE DOMAIN renamed_check AS int;
ALTER DOMAIN renamed_check ADD CONSTRAINT rc CHECK (VALUE > 0);
ALTER DOMAIN renamed_check RENAME CONSTRAINT rc TO rc_kept;
ALTER DOMAIN renamed_check ADD CONSTRAINT rc CHECK (VALUE < 1000000);
ALTER DOMAIN renamed_check DROP CONSTRAINT rc;
CREATE DOMAIN named_not_null AS int CONSTRAINT nn NOT NULL;
ALTER DOMAIN named_not_null DROP NOT NULL;
CREATE FUNCTION set_default_again(x int) RETURNS int LANGUAGE sql STABLE PARALLEL RESTRICTED SET work_mem = '64MB' AS $$ SELECT x + 1 $$;
ALTER FUNCTION set_default_again(int) SET work_mem = DEFAULT;
ANALYZE detached_events, disowned;

-- Result types: a generic overload (SAFE) beside a concrete one (left UNSAFE), or the reverse; the
-- planner picks by the type PostgreSQL gives an argument (a polymorphic result, a common type ...).
CREATE TABLE poly_vals (id int, s smallint, arr int[], sa smallint[], r int4range, v varchar(5), t text, jb jsonb);
INSERT INTO poly_vals SELECT g, g, ARRAY[g, g + 1], ARRAY[g::smallint], int4range(g, g + 5), 'a', 'b', '{"a": 1}' FROM generate_series(1, 5000) g;
ANALYZE poly_vals;
CREATE FUNCTION pt_any(anyelement) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_any(int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_rng(anyrange) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_rng(int4range) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_carr(anycompatiblearray) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_carr(int[]) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_mr(anymultirange) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_mr(int4multirange) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_arr(int[]) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_arr(int) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_width(int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_width(int4range) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_spans(int4multirange) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_spans(int4range) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_q(int2[]) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_q(int4[]) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_q(text) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 3; END $$;
CREATE FUNCTION pt_q(varchar) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 4; END $$;
CREATE FUNCTION pt_n(int2) RETURNS int LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN 1; END $$;
CREATE FUNCTION pt_n(int4) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN RETURN 2; END $$;
CREATE FUNCTION pt_to_arr(anyelement) RETURNS anyarray LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$ BEGIN RETURN ARRAY[$1]; END $$;
CREATE FUNCTION pt_push(anyarray, anyelement) RETURNS anyarray LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT $1 || $2';
CREATE AGGREGATE pt_agg(anyelement) (sfunc = pt_push, stype = anyarray, initcond = '{}', PARALLEL = SAFE);

-- A TABLESAMPLE method whose handler is not labelled (contrib): its functions are unknown without a database.
CREATE EXTENSION tsm_system_rows;
CREATE VIEW v_sampled AS SELECT id, grp FROM big TABLESAMPLE system_rows (500);
CREATE FUNCTION f_stable_restricted(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN x + 1; END $$;
CREATE FUNCTION f_stable_unsafe(x int) RETURNS int LANGUAGE plpgsql STABLE PARALLEL UNSAFE AS $$ BEGIN RETURN x + 1; END $$;
CREATE TABLE lookup_deferred (id int, name text, CONSTRAINT lookup_deferred_pk PRIMARY KEY (id) DEFERRABLE);
CREATE TABLE lookup_parent (id int PRIMARY KEY, name text);
CREATE TABLE lookup_child () INHERITS (lookup_parent);
CREATE TABLE lookup_pair (a int, b int, name text, UNIQUE (a, b));
CREATE TABLE lookup_partial (id int, name text);
CREATE UNIQUE INDEX lookup_partial_id ON lookup_partial (id) WHERE id > 0;
CREATE VIEW v_other_lookup AS SELECT o.id, o.label, b.note FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0;
CREATE VIEW v_other_counts AS SELECT o.id, o.label, x.n FROM other o LEFT JOIN LATERAL (SELECT count(*) AS n FROM big b WHERE b.grp = o.id) x ON true;
CREATE VIEW v_sub_corr AS SELECT s.id, s.m FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) s;
CREATE VIEW v_big_filtered AS SELECT b.id AS key, b.grp, b.note FROM big b WHERE f_stable_restricted(b.grp) > 0;
CREATE VIEW v_big_filtered_again AS SELECT key, note FROM v_big_filtered WHERE note <> '';
CREATE VIEW v_big_barrier WITH (security_barrier) AS SELECT b.id, b.note FROM big b WHERE f_stable_restricted(b.grp) > 0;
CREATE VIEW v_other_filtered_lookup AS SELECT o.id, o.label, v.note FROM other o LEFT JOIN v_big_filtered v ON v.key = o.big_id;
`;

/** Expected verdict, or one per range of majors where PostgreSQL changed its rules. */
type Expected = Verdict | { changedIn: number; before: Verdict; since: Verdict };
/**
 * A statement, its expected verdict, the verdict without a database where that differs, and the
 * major it needs where its syntax is newer than the oldest one tested (skipped before).
 */
type Case = [sql: string, expected: Expected, offline?: Verdict, since?: number];

/**
 * One test per case: the engine's verdict from the live catalog agrees with the planner's probes on
 * the referee's server and is the expected one; without a database, from the schema's DDL, too.
 */
function agreementCases(referee: Referee, cases: readonly Case[]): void {
  for (const [sql, expectation, offline, since] of cases) {
    const label = typeof expectation === 'string' ? expectation : `${expectation.before} before ${expectation.changedIn}, ${expectation.since} from ${expectation.changedIn}`;
    it(`${label}${offline ? ` (without a database: ${offline})` : ''}${since ? ` (from ${since})` : ''}: ${sql}`, async function () {
      if (since && referee.catalog.versionNum < since * 10000) this.skip();
      const expected = typeof expectation === 'string' ? expectation : referee.catalog.versionNum < expectation.changedIn * 10000 ? expectation.before : expectation.since;
      const [result] = analyzeDocument(sql, referee.catalog).statements;
      const probe = await probeParallelism(referee.client, sql);
      assert.strictEqual(probe.error, undefined, `the probe failed: ${probe.error}`);
      const details = `engine: ${result.verdict} (${result.reasons.map((r) => r.code).join(', ') || 'no reasons'}); planner: parallelPossible=${probe.parallelPossible} wholePlanSafe=${probe.wholePlanSafe}`;
      assert.ok(agreesWithPlanner(result.verdict, probe), `disagreement: ${details}`);
      assert.strictEqual(result.verdict, expected, details);
      const [withoutDatabase] = analyzeDocument(sql, referee.offline).statements;
      assert.strictEqual(withoutDatabase.verdict, offline ?? expected, `without a database: ${withoutDatabase.verdict} (${withoutDatabase.reasons.map((r) => r.code).join(', ')})`);
    });
  }
}

/**
 * [statement, expected verdict, and without a database where that differs]; each becomes one test.
 * Grouped by PARALLEL.md section.
 */
const CASES: Case[] = [
  // 1. Statement kinds and statement-level blockers
  ['SELECT count(*) FROM big', 'safe'],
  ['SELECT * FROM big WHERE grp = 3', 'safe'],
  ['VALUES (1), (2)', 'safe'],
  ['SELECT 1', 'safe'],
  ['SELECT id FROM big FOR UPDATE', 'unsafe'],
  ['SELECT id FROM big FOR SHARE', 'unsafe'],
  ['SELECT id FROM big FOR NO KEY UPDATE', 'unsafe'],
  ['SELECT id FROM big FOR KEY SHARE', 'unsafe'],
  ['SELECT * FROM (SELECT id FROM big FOR UPDATE) s', 'unsafe'],
  ['INSERT INTO other SELECT id, id, note FROM big', 'unsafe'],
  ['UPDATE other SET label = label WHERE id < 0', 'unsafe'],
  ['DELETE FROM other WHERE id < 0', 'unsafe'],
  ['WITH d AS (DELETE FROM other WHERE id < 0 RETURNING id) SELECT count(*) FROM d', 'unsafe'],
  ['WITH d AS (UPDATE other SET label = label WHERE id < 0 RETURNING id) SELECT * FROM big WHERE id IN (SELECT id FROM d)', 'unsafe'],
  ['CREATE TABLE ctas_safe AS SELECT * FROM big WHERE grp = 1', 'safe'],
  ['CREATE TABLE ctas_unsafe AS SELECT f_default(id) FROM big', 'unsafe'],
  ['SELECT * INTO into_safe FROM big WHERE grp = 2', 'safe'],
  ['CREATE MATERIALIZED VIEW mv_new AS SELECT grp FROM big', 'safe'],
  // COPY (query) TO: the query is planned as it is alone (the probes explain it; a test below runs COPY).
  ['COPY (SELECT count(*) FROM big) TO STDOUT', 'safe'],
  ['COPY (SELECT f_unsafe(id) FROM big) TO STDOUT WITH (FORMAT csv)', 'unsafe'],
  ['COPY (SELECT id FROM big WHERE f_restricted(grp) > 3) TO STDOUT', 'restricted'],
  ['COPY (INSERT INTO other SELECT id, id, note FROM big RETURNING id) TO STDOUT', 'unsafe'],
  // 2. Where functions hide: explicit calls in every clause
  ['SELECT f_default(id) FROM big', 'unsafe'],
  ['SELECT f_unsafe(id) FROM big', 'unsafe'],
  ['SELECT id FROM big WHERE f_unsafe(grp) > 3', 'unsafe'],
  ['SELECT id FROM big ORDER BY f_unsafe(id) LIMIT 5', 'unsafe'],
  ['SELECT f_unsafe(grp), count(*) FROM big GROUP BY 1', 'unsafe'],
  ['SELECT grp FROM big GROUP BY grp HAVING f_unsafe(count(*)::int) > 0', 'unsafe'],
  ['SELECT CASE WHEN id > 5 THEN f_unsafe(id) ELSE 0 END FROM big', 'unsafe'],
  ['SELECT * FROM big b JOIN other o ON o.big_id = f_unsafe(b.id)', 'unsafe'],
  ['SELECT * FROM big WHERE id IN (SELECT f_unsafe(big_id) FROM other)', 'unsafe'],
  ['SELECT * FROM big WHERE EXISTS (SELECT 1 FROM other WHERE other.big_id = big.id AND f_unsafe(other.id) > 0)', 'unsafe'],
  ['WITH c AS (SELECT f_unsafe(id) AS x FROM big) SELECT count(*) FROM c', 'unsafe'],
  ['SELECT * FROM big, LATERAL (SELECT f_unsafe(big.id) AS y) l', 'unsafe'],
  ['SELECT * FROM srf_unsafe(10)', 'unsafe'],
  ['SELECT count(*) FROM big, srf_safe(3) s', 'safe'],
  ['SELECT coalesce(f_unsafe(id), 0) FROM big', 'unsafe'],
  ['SELECT ARRAY[f_unsafe(1)]', 'unsafe'],
  ['SELECT (SELECT f_unsafe(1))', 'unsafe'],
  ['SELECT f_safe(id) FROM big', 'safe'],
  ['SELECT id FROM big WHERE f_safe(grp) > 3', 'safe'],
  ['SELECT f_restricted(id) FROM big', 'restricted'],
  ['SELECT id FROM big WHERE f_restricted(grp) > 3', 'restricted'],
  ['SELECT random() FROM big', 'restricted'],
  ['SELECT * FROM big WHERE random() < 0.1', 'restricted'],
  ['SELECT clock_timestamp(), id FROM big', 'safe'],
  ['SELECT gen_random_uuid(), id FROM big', 'safe'],
  ['SELECT nextval(\'big_seq_for_test\')', 'unsafe'],
  ['SELECT setseed(0.5)', 'restricted'],
  ['SELECT txid_current()', 'unsafe'],
  ['SELECT pg_advisory_lock(1)', 'restricted'],
  ['SELECT pg_advisory_xact_lock(1)', 'restricted'],
  ['SELECT lo_creat(-1)', 'unsafe'],
  ['SELECT now(), id FROM big', 'safe'],
  ['SELECT upper(note) FROM big WHERE note LIKE \'a%\'', 'safe'],
  // Inlining: the hazard check runs before SQL functions are inlined.
  ['SELECT f_sql_default(id) FROM big', 'unsafe'],
  ['SELECT f_sql_safe(id) FROM big', 'safe'],
  // Overloads chosen by argument types
  ['SELECT over_text(note) FROM big', 'safe'],
  ['SELECT over_text(id) FROM big', 'unsafe'],
  ['SELECT over_text(\'abc\')', 'safe'],
  // Operators
  ['SELECT id FROM big WHERE grp >>> 5', 'unsafe'],
  ['SELECT id FROM big WHERE grp <<< 5', 'restricted'],
  ['SELECT id FROM big WHERE grp <=> 5', 'safe'],
  ['SELECT id FROM big WHERE grp + 1 > 5', 'safe'],
  ['SELECT id FROM big WHERE grp IN (1, 2, 3)', 'safe'],
  ['SELECT id FROM big WHERE grp = ANY (ARRAY[1, 2])', 'safe'],
  ['SELECT id FROM big WHERE note ~ \'^ab\'', 'safe'],
  // Columns of a call in FROM from its OUT / TABLE parameters (built-in ones too): their = is known.
  ['SELECT b.id FROM big b JOIN tab_one(10) l ON l.a = b.id', 'safe'],
  ['SELECT b.id FROM big b JOIN tab_two(10) l ON l.a = b.id AND l.b = b.note', 'safe'],
  ['SELECT b.id FROM big b JOIN outs_two(10) o ON o.x = b.id', 'safe'],
  ['SELECT b.id FROM big b JOIN out_unnamed() g ON g.g = b.id', 'safe'],
  ["SELECT count(*) FROM big b, jsonb_each_text(jsonb_build_object('k', b.note)) e WHERE e.key = e.value", 'safe'],
  // A scalar function's whole row is its value; untyped literals compare as text, and are text out of a subquery.
  ["SELECT count(*) FROM big b, jsonb_array_elements('[1]') x WHERE x = '1'::jsonb", 'safe'],
  ["SELECT count(*) FROM big WHERE 'a' IS DISTINCT FROM 'b'", 'safe'],
  ["SELECT count(*) FROM big b JOIN (VALUES ('a')) v(x) ON true JOIN (SELECT 'a' AS x) w USING (x)", 'safe'],
  // The = a join's USING / NATURAL implies, a row against a subquery's columns (column by column),
  // a qualified operator against a subquery, whole rows (record = record, not an unknown pair).
  ['SELECT a.id FROM pts_a a JOIN pts_b b USING (p)', 'unsafe'],
  ['SELECT count(*) FROM pts_a NATURAL JOIN pts_b', 'unsafe'],
  ['SELECT a.id FROM pts_a a JOIN pts_b b USING (r)', 'restricted'],
  ['SELECT id FROM pts_a WHERE (p, id) IN (SELECT p, k FROM pts_b)', 'unsafe'],
  ['SELECT id FROM pts_a WHERE ROW(r) NOT IN (SELECT r FROM pts_b)', 'restricted'],
  ['SELECT id FROM pts_a WHERE (p, id) > ANY (SELECT p, k FROM pts_b)', 'safe'],
  ['SELECT id FROM pts_a WHERE ROW(p) = ANY (SELECT p FROM pts_b)', 'unsafe'],
  ['SELECT id FROM pts_a WHERE (p, id) = (SELECT p, k FROM pts_b LIMIT 1)', 'unsafe'],
  ['SELECT id FROM big WHERE id OPERATOR(qual_ops.<) ANY (SELECT big_id FROM other)', 'unsafe'],
  ['SELECT id FROM big WHERE (grp, id) IN (SELECT big_id, id FROM other)', 'safe'],
  ['SELECT b = b FROM big b', 'safe'],
  ['SELECT id FROM big b WHERE b IN (SELECT x FROM big x)', 'safe'],
  // Casts
  ['SELECT amount::money_unsafe FROM big', 'unsafe'],
  ['SELECT CAST(amount AS money_unsafe) FROM big', 'unsafe'],
  ['SELECT amount::money_safe FROM big', 'safe'],
  ['SELECT id::text, amount::int FROM big', 'safe'],
  // Aggregates and window functions
  ['SELECT agg_unsafe(grp) FROM big', 'unsafe'],
  ['SELECT agg_restricted(grp) FROM big', 'restricted'],
  ['SELECT agg_safe_nocombine(grp) FROM big', 'safe'],
  ['SELECT agg_safe(grp) FROM big', 'safe'],
  ['SELECT grp, sum(amount), avg(amount), count(*) FROM big GROUP BY grp', 'safe'],
  ['SELECT string_agg(note, \',\') FROM big', 'safe'],
  ['SELECT id, row_number() OVER (ORDER BY id) FROM big', 'restricted'],
  ['SELECT id, sum(amount) OVER (PARTITION BY grp) FROM big', 'restricted'],
  // Every argument counts, not only the one that gives the expression its type
  ['SELECT coalesce(id, f_default(grp)) FROM big', 'unsafe'],
  ['SELECT greatest(id, f_unsafe(grp)) FROM big', 'unsafe'],
  ['SELECT least(id, f_restricted(grp)) FROM big', 'restricted'],
  ['SELECT CASE WHEN id > 5 THEN 0 ELSE f_default(id) END FROM big', 'unsafe'],
  ['SELECT CASE grp WHEN 1 THEN id WHEN 2 THEN f_restricted(id) END FROM big', 'restricted'],
  ['SELECT ARRAY[id, f_unsafe(grp)] FROM big', 'unsafe'],
  // Operator results decide the overload: integer + numeric is numeric
  ['SELECT by_type(id + 0.5) FROM big', 'safe'],
  ['SELECT by_type(id + 1) FROM big', 'unsafe'],
  ['SELECT by_type(amount * 2) FROM big', 'safe'],
  // Rows are compared column by column, each pair with its own operator
  ['SELECT * FROM big WHERE (note, id) IS DISTINCT FROM (grp, 1)', 'unsafe'],
  ['SELECT * FROM big WHERE (note, id) IS NOT DISTINCT FROM (grp, 1)', 'unsafe'],
  ['SELECT * FROM big WHERE (grp, id) = (1, 2)', 'safe'],
  // Casts of arrays run the element cast on each element
  ['SELECT ARRAY[amount]::money_unsafe[] FROM big', 'unsafe'],
  ['SELECT ARRAY[amount]::money_safe[] FROM big', 'safe'],
  // Ordered-set aggregates: direct and WITHIN GROUP arguments together
  ['SELECT os_unsafe(0.5) WITHIN GROUP (ORDER BY grp) FROM big', 'unsafe'],
  ['SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FROM big', 'safe'],
  ['SELECT mode() WITHIN GROUP (ORDER BY grp) FROM big', 'safe'],
  // Views, recursively
  ['SELECT * FROM v_unsafe', 'unsafe'],
  ['SELECT * FROM v_restricted', 'restricted'],
  ['SELECT * FROM v_safe', 'safe'],
  // ... what only one output column calls (not volatile), only where the column is read
  ['SELECT id FROM v_col_r', 'safe'],
  ['SELECT count(*) FROM v_col_r', 'safe'],
  ['SELECT r FROM v_col_r', 'restricted'],
  ['SELECT id FROM v_col_r WHERE r > 0', 'restricted'],
  ['SELECT * FROM v_col_r', 'restricted'],
  ['SELECT v FROM v_col_r v', 'restricted'],
  ['SELECT a.id FROM v_col_r a JOIN big b ON b.id = a.id', 'safe'],
  ['SELECT id FROM v_col_r_of_v', 'safe'],
  ['SELECT r FROM v_col_r_of_v', 'restricted'],
  ['SELECT id FROM v_col_r_star', 'safe'],
  ['SELECT r FROM v_col_r_star', 'restricted'],
  ['SELECT count(*) FROM v_col_r_grouped', 'safe'],
  ['SELECT grp, n FROM v_col_r_grouped', 'safe'],
  ['SELECT r FROM v_col_r_grouped', 'restricted'],
  ['SELECT id FROM v_col_r_ordered', 'restricted'],
  ['SELECT id FROM v_col_r_where', 'restricted'],
  ['SELECT id, s FROM v_col_r_twice', 'restricted'],
  ['SELECT id FROM v_col_r_twice', 'safe'],
  ['SELECT id FROM v_restricted', 'restricted'],
  ['SELECT id FROM v_col_r_window', 'restricted'],
  ['SELECT id FROM v_col_r_window_ordered', 'restricted'],
  ['SELECT id FROM v_col_r_unread', 'safe'],
  ['SELECT * FROM v_col_r_unread', 'safe'],
  ['SELECT id FROM v_col_r_unread_of_v', 'safe'],
  ['SELECT count(*) FROM v_col_r_unread u JOIN v_col_r c USING (id)', 'safe'],
  ['SELECT * FROM v_of_v_unsafe', 'unsafe'],
  ['SELECT * FROM v_op_unsafe', 'unsafe'],
  ['SELECT * FROM v_locking', 'unsafe'],
  // A view's plan shapes that run only in the leader become part of the statement reading it
  ['SELECT * FROM v_window', 'restricted'],
  ['SELECT * FROM v_of_v_window', 'restricted'],
  ['SELECT count(*) FROM v_limited', 'restricted'],
  ['SELECT count(*) FROM v_materialized', 'restricted'],
  ['SELECT count(*) FROM v_intersect', 'restricted'],
  ['SELECT count(*) FROM v_union', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big JOIN v_xmltable ON v_xmltable.x = big.id', 'restricted'],
  ['SELECT count(*) FROM v_cte_twice', 'restricted'],
  ['SELECT count(*) FROM big JOIN v_recursive ON v_recursive.n = big.id', 'restricted'],
  ['SELECT count(*) FROM v_limit_all', 'safe'],
  ['SELECT count(*) FROM v_wide', 'restricted'],
  // A LIMIT inside a sublink restricts nothing of its own (the sublink is an initPlan)
  ['SELECT * FROM big WHERE grp = (SELECT grp FROM big ORDER BY grp LIMIT 1)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM v_of_v_locking', 'unsafe'],
  ['SELECT count(*) FROM v_locking_inside', 'unsafe'],
  ['SELECT count(*) FROM mv', 'safe'],
  // What only a view's output column has counts only where the column is read: the planner drops
  // the others (remove_unused_subquery_outputs), unless ORDER BY, GROUP BY or DISTINCT keep them
  ['SELECT count(*) FROM v_window', 'safe'],
  ['SELECT id FROM v_window WHERE id > 5', 'safe'],
  ['SELECT rn FROM v_window', 'restricted'],
  ['SELECT count(*) FROM v_window_sorted', 'restricted'],
  ['SELECT id FROM v_corr_target', 'safe'],
  ['SELECT m FROM v_corr_target', 'restricted'],
  ['SELECT * FROM v_corr_target', 'restricted'],
  ['SELECT count(*) FROM v_corr_target v WHERE v.m > 3', 'restricted'],
  ['SELECT v_corr_target FROM v_corr_target', 'restricted'],
  ['SELECT count(*) FROM v_corr_where', 'restricted'],
  ['SELECT count(*) FROM v_corr_grouped', 'safe'],
  ['SELECT m FROM v_corr_grouped', 'restricted'],
  ['SELECT count(*) FROM v_of_corr', 'safe'],
  ['SELECT m FROM v_of_corr', 'restricted'],
  ['SELECT count(*) FROM v_distinct_corr', 'restricted'],
  ['SELECT count(*) FROM v_domain_target', 'safe'],
  ['SELECT g FROM v_domain_target', 'restricted'],
  ['SELECT count(*) FROM v_domain_where', 'restricted'],
  ['SELECT count(*) FROM v_initplan_target', 'safe'],
  ['SELECT m FROM v_initplan_target', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM v_initplan_where', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // ... wherever a statement or another view reads it, by whatever name
  ['SELECT b FROM v_corr_twice', 'restricted'],
  ['SELECT count(*) FROM v_corr_read_in_where', 'restricted'],
  ['SELECT q FROM v_corr_aliased', 'restricted'],
  ['SELECT x FROM v_corr_target AS w(a, x)', 'restricted'],
  ['SELECT j FROM (v_corr_target JOIN big USING (id)) AS j', 'restricted'],
  ['SELECT count(*) FROM v_window JOIN ranks USING (rn)', 'restricted'],
  ['SELECT count(*) FROM v_window NATURAL JOIN ranks', 'restricted'],
  ['SELECT count(*) FROM v_corr_ordered', 'restricted'],
  ['SELECT count(*) FROM v_corr_grouped_by_position', 'restricted'],
  ['SELECT mm FROM v_corr_renamed', 'restricted'],
  ['SELECT id FROM v_corr_renamed', 'safe'],
  ['SELECT count(*) FROM v_corr_named_like_input', 'safe'],
  // ... and so do a subquery's in FROM and an inlined CTE's (pull_up_simple_subquery keeps only what is
  // read; remove_unused_subquery_outputs): an ORM's count(*) around its list query
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) s', 'safe'],
  ['SELECT count(*) FROM (SELECT b.id, EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id) AS e FROM big b) s', 'safe'],
  ['WITH c AS (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) SELECT id FROM c WHERE id > 10', 'safe'],
  ['WITH c AS NOT MATERIALIZED (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) SELECT count(*) FROM c JOIN c d USING (id)', 'safe'],
  ['SELECT count(*) FROM (SELECT b.grp, max((SELECT max(o.id) FROM other o WHERE o.big_id = b.id)) AS m FROM big b GROUP BY b.grp) s', 'safe'],
  ['SELECT count(*) FROM (SELECT b.id, row_number() OVER (ORDER BY b.id) AS rn FROM big b) s', 'safe'],
  ['SELECT count(*) FROM (SELECT b.id, f_stable_restricted(b.id) AS r FROM big b) s', 'safe'],
  ['SELECT count(*) FROM (SELECT t.id, t.m FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) t) s', 'safe'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) FROM big b) s(a, x) WHERE a > 0', 'safe'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(id) FROM other) AS m FROM big b) s', 'safe'],
  ['SELECT count(*) FROM other x WHERE EXISTS (SELECT s.m FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) s WHERE s.id = x.big_id)', 'safe'],
  ['SELECT count(*) FROM v_sub_corr', 'safe'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b UNION ALL SELECT 1, 2) s', 'safe'],
  ['SELECT count(*) FROM (SELECT 1 AS id, 2 AS m UNION ALL SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) FROM big b) s WHERE s.id > 0', 'safe'],
  ['SELECT count(*) FROM (SELECT 1 AS id, 2 AS m UNION ALL SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) FROM big b) s WHERE s.m > 0', 'restricted'],
  // ... but not one read (a whole row, *, a view's column), kept by its query's ORDER BY, GROUP BY,
  // DISTINCT or set operation, calling a volatile or set-returning function, materialized; an UNSAFE
  // call counts wherever it is
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) s WHERE s.m > 0', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) FROM big b) s(a, x) WHERE x > 0', 'restricted'],
  ['SELECT count(*) FROM (SELECT t.id, t.m FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) t) s WHERE s.m > 0', 'restricted'],
  ['SELECT s FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) s', 'restricted'],
  ['SELECT * FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) s', 'restricted'],
  ['SELECT m FROM v_sub_corr', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b ORDER BY m) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.grp, (SELECT max(o.id) FROM other o WHERE o.big_id = b.grp) AS m FROM big b GROUP BY 1, 2) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT DISTINCT b.grp, (SELECT max(o.id) FROM other o WHERE o.big_id = b.grp) AS m FROM big b) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b UNION SELECT 1, 2) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT count(*) FROM other o WHERE o.big_id = b.id) AS m FROM big b UNION ALL SELECT 1, 2) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id AND random() < 2) AS m FROM big b) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, f_restricted(b.id) AS r FROM big b) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, unnest(ARRAY(SELECT o.id FROM other o WHERE o.big_id = b.id)) AS m FROM big b) s', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, row_number() OVER (PARTITION BY f_stable_restricted(b.grp)) AS rn FROM big b) s', 'restricted'],
  ['WITH c AS MATERIALIZED (SELECT b.id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) AS m FROM big b) SELECT count(*) FROM c', 'restricted'],
  ['SELECT count(*) FROM (SELECT b.id, f_stable_unsafe(b.id) AS u FROM big b) s', 'unsafe'],
  // A LEFT JOIN to a table unique on the ON's equalities, none of whose columns is read above the
  // join, is removed with all its ON says (remove_useless_joins, join_is_removable)
  ['SELECT o.id, o.label FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN big b ON o.big_id = b.id AND f_restricted(o.id) > 0', 'safe'],
  ['SELECT count(*) FROM other o LEFT JOIN big b ON b.id = o.big_id AND b.grp = (SELECT count(*) FROM other x WHERE x.id = o.id)', 'safe'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_pair l ON l.a = o.id AND l.b = o.big_id AND f_stable_restricted(l.a) > 0', 'safe'],
  ['SELECT count(*) FROM other o LEFT JOIN ONLY lookup_parent l ON l.id = o.big_id AND f_stable_restricted(l.id) > 0', 'safe'],
  ['SELECT id, label FROM v_other_lookup', 'safe'],
  // ... a key equated to a constant (a restriction of the right side: relation_has_unique_index_for
  // takes its `col = const` baserestrictinfo), a RIGHT JOIN (a LEFT one with its sides swapped)
  ['SELECT count(*) FROM other o LEFT JOIN lookup_pair l ON l.a = 5 AND l.b = o.big_id AND f_stable_restricted(l.b) > 0', 'safe'],
  ["SELECT count(*) FROM other o LEFT JOIN lookup_pair l ON '5' = l.a AND l.b = o.big_id AND f_stable_restricted(l.b) > 0", 'safe'],
  ['SELECT o.id FROM big b RIGHT JOIN other o ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0', 'safe'],
  ['SELECT count(*) FROM lookup_pair l RIGHT JOIN other o ON l.a = 5 AND l.b = o.big_id AND f_stable_restricted(l.b) > 0', 'safe'],
  // ... a subquery proven distinct (query_is_distinct_for): an aggregate without GROUP BY (one row,
  // any ON: the ORM / PostgREST embedded count or json_agg), DISTINCT, GROUP BY, UNION on the equated columns
  ['SELECT o.id FROM other o LEFT JOIN LATERAL (SELECT count(*) AS n FROM big b WHERE b.grp = o.id) x ON true', 'safe'],
  ['SELECT count(*) FROM other o LEFT JOIN LATERAL (SELECT json_agg(b.note) AS j FROM big b WHERE b.grp = o.id) x ON x.j IS NOT NULL', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN LATERAL (SELECT sum(b.amount) FROM big b WHERE b.grp = o.id HAVING f_stable_restricted(1) > 0) x ON true', 'safe'],
  ['SELECT id, label FROM v_other_counts', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT DISTINCT b.grp FROM big b WHERE f_stable_restricted(b.id) > 0) d ON d.grp = o.big_id', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.grp, count(*) AS n FROM big b WHERE f_stable_restricted(b.id) > 0 GROUP BY 1) d ON d.grp = o.big_id', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.grp, b.id FROM big b WHERE f_stable_restricted(b.id) > 0 GROUP BY b.grp, b.id) d ON o.big_id = d.grp AND d.id = o.id', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.grp FROM big b WHERE f_stable_restricted(b.id) > 0 UNION SELECT x.big_id FROM other x) d ON d.grp = o.big_id', 'safe'],
  ['SELECT o.id FROM (SELECT DISTINCT b.grp FROM big b WHERE f_stable_restricted(b.id) > 0) d RIGHT JOIN other o ON d.grp = o.big_id', 'safe'],
  // ... a view or a subquery in FROM over one such table, pulled up first (is_simple_subquery): its
  // WHERE is a restriction of that table (the soft-delete or tenant view)
  ['SELECT count(*) FROM other o LEFT JOIN (SELECT * FROM big b WHERE f_stable_restricted(b.grp) > 0) v ON v.id = o.big_id', 'safe'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.id AS key, b.note FROM big b WHERE f_stable_restricted(b.grp) > 0) v ON o.big_id = v.key', 'safe'],
  ['SELECT count(*) FROM other o LEFT JOIN v_big_filtered v ON v.key = o.big_id', 'safe'],
  ['SELECT count(*) FROM other o LEFT JOIN v_big_filtered_again v ON v.key = o.big_id', 'safe'],
  ['SELECT id, label FROM v_other_filtered_lookup', 'safe'],
  // ... not a security barrier, a subquery that is not pulled up (ORDER BY) or over a join, nor an expression equated
  ['SELECT note FROM v_other_filtered_lookup', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN v_big_barrier v ON v.id = o.big_id', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN (SELECT * FROM big b WHERE f_stable_restricted(b.grp) > 0 ORDER BY b.id) v ON v.id = o.big_id', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN (SELECT b.id FROM big b JOIN other x ON x.id = b.id WHERE f_stable_restricted(b.grp) > 0) v ON v.id = o.big_id', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN (SELECT b.id + 0 AS id FROM big b WHERE f_stable_restricted(b.grp) > 0) v ON v.id = o.big_id', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN (SELECT b.id FROM big b WHERE f_stable_restricted(b.grp) > 0 AND EXISTS (SELECT 1 FROM other x WHERE x.id = b.id)) v ON v.id = o.big_id', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN (SELECT b.grp AS id FROM big b WHERE f_stable_restricted(b.grp) > 0) v ON v.id = o.big_id', 'restricted'],
  // ... not where one of its columns is read, or not all its DISTINCT / GROUP BY / UNION columns are
  // equated (to a constant neither: a subquery's restrictions prove nothing), UNION ALL, a set-returning select list
  ['SELECT id, n FROM v_other_counts', 'restricted'],
  ['SELECT o.id, x.n FROM other o LEFT JOIN LATERAL (SELECT count(*) AS n FROM big b WHERE b.grp = o.id) x ON true', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN LATERAL (SELECT count(*) AS n FROM big b WHERE b.grp = o.id) x ON true ORDER BY x.n', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN LATERAL (SELECT count(*), generate_series(1, 2) AS g FROM big b WHERE b.grp = o.id) x ON true', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT DISTINCT b.grp, b.id FROM big b WHERE f_stable_restricted(b.id) > 0) d ON d.grp = o.big_id', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.grp, b.id FROM big b WHERE f_stable_restricted(b.id) > 0 GROUP BY b.grp, b.id) d ON d.grp = o.big_id', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.grp FROM big b WHERE f_stable_restricted(b.id) > 0 GROUP BY b.grp) d ON d.grp = 5', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN (SELECT b.grp FROM big b WHERE f_stable_restricted(b.id) > 0 UNION ALL SELECT x.big_id FROM other x) d ON d.grp = o.big_id', 'restricted'],
  // ... not one read above the join, nor one not proven unique (a unique index partly equated, partial,
  // DEFERRABLE, on an inheritance parent; an expression of its column; a volatile equality; OR)
  ['SELECT note FROM v_other_lookup', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0 WHERE b.note IS NULL', 'restricted'],
  ['SELECT o.id, b FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0', 'restricted'],
  ['SELECT * FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0', 'restricted'],
  ['SELECT o.id FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0 LEFT JOIN other x ON x.id = b.grp', 'restricted'],
  ['SELECT o.id, (SELECT b.note) FROM other o LEFT JOIN big b ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN other x ON x.big_id = o.id AND f_stable_restricted(x.id) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_pair l ON l.a = o.id AND f_stable_restricted(l.b) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_partial l ON l.id = o.big_id AND f_stable_restricted(l.id) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_deferred l ON l.id = o.big_id AND f_stable_restricted(l.id) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_parent l ON l.id = o.big_id AND f_stable_restricted(l.id) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN big b ON b.id + 0 = o.big_id AND f_stable_restricted(b.grp) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN big b ON b.id = f_restricted(o.big_id)', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN big b ON b.id = o.big_id OR f_stable_restricted(b.grp) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_pair l ON l.a > 5 AND l.b = o.big_id AND f_stable_restricted(l.b) > 0', 'restricted'],
  ['SELECT count(*) FROM other o LEFT JOIN lookup_pair l ON l.a = 5.0 AND l.b = o.big_id AND f_stable_restricted(l.b) > 0', 'restricted'],
  ['SELECT o.id, b.note FROM big b RIGHT JOIN other o ON b.id = o.big_id AND f_stable_restricted(b.grp) > 0', 'restricted'],
  ['SELECT o.id FROM other x RIGHT JOIN other o ON x.id = o.big_id AND f_stable_restricted(x.id) > 0', 'restricted'],
  // A window's PARTITION BY / ORDER BY stays in the view's output whether its function is read or not
  ['SELECT count(*) FROM v_window_partitioned_by_domain', 'restricted'],
  ['SELECT count(*) FROM v_window_ordered_by_domain', 'restricted'],
  ['SELECT count(*) FROM v_window_named_by_domain', 'restricted'],
  ['SELECT count(*) FROM v_corr_windowed', 'restricted'],
  ['SELECT count(*) FROM v_window_named_then_ordered', 'restricted'],
  ['SELECT count(*) FROM v_sorted_by_window', 'restricted'],
  ['SELECT count(*) FROM v_window_then_subquery', 'restricted'],
  ['SELECT count(*) FROM v_distinct_window', 'restricted'],
  // A frame offset goes with its window function, but for an initPlan (before 17)
  ['SELECT count(*) FROM v_window_frame_domain', 'safe'],
  ['SELECT s FROM v_window_frame_domain', 'restricted'],
  ['SELECT count(*) FROM v_window_frame_initplan', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // ROLLUP / CUBE / GROUPING SETS keep the columns they name
  ['SELECT n FROM v_domain_rolled_up', 'restricted'],
  // A join's alias column list renames its columns: USING ones first, then the left side's, then the right's
  ['SELECT j.b FROM (v_window JOIN ranks USING (id)) AS j(a, b, c)', 'restricted'],
  ['SELECT j.c FROM (v_window JOIN ranks USING (id)) AS j(a, b, c)', 'safe'],
  ['SELECT b FROM v_corr_joined', 'restricted'],
  ['SELECT c FROM v_corr_joined', 'safe'],
  // ORDER BY and DISTINCT ON take a bare name for an output column first
  ['SELECT id + 1 AS m, id FROM v_corr_target ORDER BY m', 'safe'],
  ['SELECT DISTINCT ON (m) id AS m FROM v_corr_target ORDER BY m', 'safe'],
  ['SELECT count(*) FROM v_corr_output_named', 'safe'],
  ['SELECT m FROM v_corr_renamed_view', 'restricted'],
  // An output column written without AS is named as PostgreSQL names it (FigureColname)
  ['SELECT max FROM v_corr_unnamed', 'restricted'],
  ['SELECT coalesce FROM v_corr_unnamed', 'restricted'],
  ['SELECT id FROM v_corr_unnamed', 'safe'],
  // JOIN ... USING (...) AS u names the USING columns
  ['SELECT (SELECT count(*) FROM other o WHERE o.big_id = u.id) FROM big JOIN v_corr_target USING (id) AS u', 'restricted'],
  // CASE / COALESCE / GREATEST / ARRAY convert each value to their common type: an implicit cast's function runs
  ['SELECT count(*) FROM moods WHERE coalesce(m, m2) IS NOT NULL', 'unsafe'],
  ['SELECT count(*) FROM moods WHERE CASE WHEN id > 0 THEN m ELSE m2 END IS NOT NULL', 'unsafe'],
  ['SELECT count(*) FROM moods WHERE ARRAY[m, m2] IS NOT NULL', 'unsafe'],
  ['SELECT count(*) FROM moods WHERE coalesce(m2, m2) IS NOT NULL', 'safe'],
  // ... CASE puts its ELSE first; both ways implicit, the first type stays
  ['SELECT count(*) FROM tones WHERE CASE WHEN id > 0 THEN t ELSE t2 END IS NOT NULL', 'unsafe'],
  ['SELECT count(*) FROM tones WHERE CASE WHEN id > 0 THEN t2 ELSE t END IS NOT NULL', 'safe'],
  // ... over base types: a domain value and a number meet as numbers (no domain check), all of one domain stay it
  ['SELECT sum(coalesce(e, 0)) FROM typed_amounts', 'safe'],
  ['SELECT max(greatest(e, 1)) FROM typed_amounts', 'safe'],
  ['SELECT max(coalesce(e, e)) FROM typed_amounts', 'safe'],
  ['SELECT takes_positive(coalesce(e, NULL)) FROM typed_amounts', 'restricted'],
  // A scalar subquery over * is walked (its * is its own)
  ['SELECT (SELECT * FROM no_workers n WHERE f_unsafe(n.id) > 0 LIMIT 1) FROM big', 'unsafe'],
  // A CASE column is named after its ELSE when that names it
  ['SELECT grp FROM v_case_named', 'restricted'],
  ['SELECT id FROM v_case_named', 'safe'],
  // XMLTABLE's namespaces and XMLSERIALIZE's type count too
  ["SELECT count(*) FROM big, XMLTABLE(XMLNAMESPACES(f_unsafe(1)::text AS n), '/r' PASSING xmlparse(document '<r/>') COLUMNS v int PATH '.') t", 'unsafe'],
  ["SELECT max(xmlserialize(content xmlparse(content '<a/>') AS positive_text)) FROM big", 'restricted'],
  // 3. Restricted constructs
  ['SELECT 5::positive_int', 'restricted'],
  ['SELECT id::plain_int FROM big', 'safe'],
  ['SELECT count(*) FROM big WHERE id::positive_again > 0', 'restricted'],
  ['SELECT count(*) FROM big WHERE id::checked_later > 0', 'restricted'],
  ['SELECT count(*) FROM big WHERE id::over_base_later > 0', 'restricted'],
  ['SELECT count(*) FROM big WHERE grp = ANY (\'{1,2}\'::positive_int[])', 'safe'],
  // Temporary views restrict through the temporary tables they read
  ['SELECT count(*) FROM big JOIN scratch_view ON scratch_view.a = big.id', 'restricted'],
  ['SELECT count(*) FROM temp_view_of_big WHERE grp = 3', 'safe'],
  ['SELECT takes_positive(id) FROM big', 'restricted'],
  ['SELECT ARRAY[id, grp]::positive_int[] FROM big', 'restricted'],
  // ... and to a domain over such an array (its elements), and a ROW cast to a composite type, whose
  // fields are each coerced to their type (coerce_record_to_complex): constants too, through a
  // domain over the type, a nested ROW, a table's row type
  ['SELECT ARRAY[id, grp]::positive_ints FROM big', 'restricted'],
  ['SELECT ARRAY[id, grp]::plain_ints FROM big', 'safe'],
  ["SELECT '{1,2}'::positive_ints FROM big", 'safe'],
  ['SELECT ROW(id, grp)::positive_pair FROM big', 'restricted'],
  ['SELECT ROW(1, 2)::positive_pair FROM big', 'restricted'],
  ['SELECT takes_positive_pair(ROW(id, grp)) FROM big', 'restricted'],
  ['SELECT ARRAY[ROW(id, grp)]::positive_pair[] FROM big', 'restricted'],
  ['SELECT (id, grp)::positive_pair_domain FROM big', 'restricted'],
  ['SELECT ROW(ROW(id, grp), 1)::positive_nest FROM big', 'restricted'],
  ['SELECT ROW(id, ARRAY[grp])::positive_array_pair FROM big', 'restricted'],
  ['SELECT ROW(id, grp)::positive_rows FROM big', 'restricted'],
  ['SELECT p FROM v_positive_pair', 'restricted'],
  ['SELECT count(*) FROM v_positive_pair', 'safe'],
  ['SELECT ROW(id, grp)::plain_pair FROM big', 'safe'],
  ["SELECT '(1,2)'::positive_pair FROM big", 'safe'],
  ['SELECT id, (SELECT max(o.id) FROM other o WHERE o.big_id = b.id) FROM big b', 'restricted'],
  // Uncorrelated subqueries run as initPlans: parallel safe only from PostgreSQL 17 on.
  ['SELECT id, (SELECT max(id) FROM other) FROM big', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT * FROM big WHERE EXISTS (SELECT 1 FROM other WHERE id = 5)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT * FROM big WHERE grp = (SELECT min(grp) FROM big)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT * FROM big WHERE id IN (SELECT big_id FROM other WHERE label = \'x5\')', 'safe'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id)', 'safe'],
  ['SELECT * FROM big b WHERE NOT EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id)', 'safe'],
  // Correlated sublinks the planner cannot pull up into joins stay per-row SubPlans
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id) OR b.grp = 5', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT count(*) FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id LIMIT 1)', 'safe'],
  ['SELECT * FROM big b WHERE b.grp NOT IN (SELECT o.id FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE b.grp > ALL (SELECT o.id FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE b.grp IN (SELECT o.id FROM other o WHERE o.big_id = b.id)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT id, CASE WHEN EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id) THEN 1 END FROM big b', 'restricted'],
  ['SELECT * FROM big b JOIN other x ON x.big_id = b.id AND EXISTS (SELECT 1 FROM other o WHERE o.id = b.id)', 'safe'],
  ['SELECT * FROM big WHERE id IN (SELECT big_id FROM other WHERE label = \'x5\') OR grp = 5', 'safe'],
  ['SELECT * FROM big b LEFT JOIN other x ON x.big_id = b.id AND EXISTS (SELECT 1 FROM other o WHERE o.id = x.id)', 'safe'],
  ['SELECT * FROM big b LEFT JOIN other x ON x.big_id = b.id AND EXISTS (SELECT 1 FROM other o WHERE o.id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id LIMIT b.grp)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o JOIN other p ON p.id = o.id AND p.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM generate_series(1, b.grp) g)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND o.label <> gen_random_uuid()::text)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT generate_series(1, 2) FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE b.grp IN (SELECT o.id FROM other o WHERE o.big_id = b.id ORDER BY o.id)', 'restricted'],
  ['SELECT * FROM big b WHERE b.grp IN (SELECT generate_series(1, o.id) FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND o.id > (SELECT max(id) FROM other))', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT * FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id LIMIT ALL)', 'safe'],
  ['SELECT * FROM big b WHERE EXISTS (WITH w AS (SELECT 1) SELECT 1 FROM other o WHERE o.big_id = b.id)', 'restricted'],
  // simplify_EXISTS_query throws the select list away (GROUP BY, DISTINCT, ORDER BY too): a RESTRICTED
  // call there is never made; not where the query aggregates, has OFFSET, or a LIMIT it keeps.
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(o.id) FROM other o WHERE o.big_id = b.id)', 'safe'],
  ['SELECT count(*) FROM big b WHERE NOT EXISTS (SELECT f_restricted(o.id) FROM other o WHERE o.big_id = b.id LIMIT 1)', 'safe'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id ORDER BY f_restricted(o.id))', 'safe'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT DISTINCT ON (f_restricted(o.id)) 1 FROM other o WHERE o.big_id = b.id)', 'safe'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(o.id) FROM other o)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_unsafe(o.id) FROM other o WHERE o.big_id = b.id)', 'unsafe'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT max(f_restricted(o.id)) FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(o.id) FROM other o WHERE o.big_id = b.id OFFSET 1)', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(o.id) FROM other o WHERE o.big_id = b.id LIMIT 0)', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND f_restricted(o.id) > 0)', 'restricted'],
  ['SELECT count(*) FROM v_exists_select_list', 'safe'],
  // ... but not where it stays: a set-returning ORDER BY (hasTargetSRFs), a LIMIT that rounds to 0, GROUP BY ().
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id ORDER BY generate_series(1, 2))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id LIMIT 0.4)', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id GROUP BY ())', 'restricted'],
  // An aggregate belongs to the query whose columns it reads (agglevelsup): one inside a subquery of an
  // EXISTS's select list or ORDER BY that reads the EXISTS's columns makes the EXISTS aggregate, so
  // its select list stays, and that subquery reads the aggregate's result from outside (correlated).
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(1), (SELECT count(o.id) FROM big b2) FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id ORDER BY (SELECT count(o.id) FROM big b2))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(1), (SELECT count(o.*) FROM big b2) FROM other o)', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(1), (SELECT count(label) FROM big b2) FROM other o JOIN other p USING (label))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT f_restricted(1), (SELECT count(b2.id) FILTER (WHERE b.grp > 0) FROM big b2) FROM other o)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // What only the thrown-away parts read of the query around correlates nothing: an initPlan, not a join.
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT b.grp FROM other o)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o GROUP BY b.grp)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big b WHERE EXISTS (WITH w AS (SELECT 1) SELECT b.grp FROM other o)', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT b.grp FROM other o WHERE o.big_id = b.id)', 'safe'],
  // ... nor does it correlate the queries between (each planned on its own, make_subplan).
  ['SELECT b.id, EXISTS (SELECT 1 FROM other o WHERE EXISTS (SELECT b.grp FROM other o2)) FROM big b', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT b.id, (SELECT count(*) FROM other o WHERE EXISTS (SELECT b.grp FROM other o2 WHERE o2.id = o.id)) FROM big b', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT b.id, (SELECT count(*) FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT b.grp FROM other o2)) FROM big b', 'restricted'],
  // A sublink in the WHERE of an EXISTS made a join is offered the EXISTS's tables or the outer
  // query's, not both (pull_up_sublinks_qual_recurse): one reading both stays a SubPlan, what the
  // planner throws away of it included (pull_varnos runs before simplify_EXISTS_query).
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id AND o2.big_id = b.grp))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE NOT EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND NOT EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id AND o2.big_id = b.grp))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND b.grp IN (SELECT o2.id FROM other o2 WHERE o2.label = o.label))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id AND EXISTS (SELECT b.note FROM other o3)))', 'restricted'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id))', 'safe'],
  // ... but what the EXISTS being made a join reads in its own select list or ORDER BY is gone by then.
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT b.note FROM other o2 WHERE o2.id = o.id))', 'safe'],
  ['SELECT count(*) FROM big b WHERE NOT EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND NOT EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id ORDER BY b.grp))', 'safe'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT 1 FROM other o2 WHERE o2.big_id = b.grp))', 'safe'],
  // A LATERAL subquery reading the rows beside it in or below a join of its own other than an inner
  // one, its WHERE below the semi join an EXISTS / IN there is made included, is not flattened
  // (is_simple_subquery: jointree_contains_lateral_outer_refs): a subquery run for each outer row.
  ['SELECT count(*) FROM big b LEFT JOIN LATERAL (SELECT o.id FROM other o WHERE o.big_id = b.id AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id)) x ON true', 'restricted'],
  ['SELECT count(*) FROM big b, LATERAL (SELECT o.id FROM other o WHERE o.big_id = b.id AND o.id IN (SELECT o2.big_id FROM other o2)) x', 'restricted'],
  ['SELECT count(*) FROM big b, LATERAL (SELECT o.id FROM other o LEFT JOIN other o2 ON o2.id = o.id AND o2.big_id = b.grp) x', 'restricted'],
  ['SELECT count(*) FROM big b, LATERAL (SELECT o.id FROM other o LEFT JOIN other o2 ON o2.id = o.id WHERE o.big_id = b.id) x', 'safe'],
  ['SELECT count(*) FROM big b, LATERAL others_of(b.id) x', 'restricted'],
  ['SELECT count(*) FROM big b LEFT JOIN LATERAL others_of_n(b.id) x ON true', 'restricted'],
  ['SELECT count(*) FROM big b, LATERAL others_of_n(5) x', 'safe'],
  ['SELECT count(*) FROM big b WHERE b.id IN (SELECT o.big_id FROM other o WHERE o.label = b.note AND EXISTS (SELECT 1 FROM other o2 WHERE o2.id = o.id))', 'restricted'],
  // A whole row of the query around (b, b.*) is a correlation like any of its columns.
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.label = row_to_json(b)::text)', 'safe'],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.label = row_to_json(b.*)::text)', 'safe'],
  ['SELECT (SELECT row_to_json(b) FROM other LIMIT 1) FROM big b', 'restricted'],
  ['SELECT (SELECT count(*) FROM other o WHERE o.label = row_to_json(b)::text) FROM big b', 'restricted'],
  ['SELECT * FROM big b WHERE b.grp IN (SELECT max(o.id) FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['SELECT * FROM big b WHERE 5 IN (SELECT o.id FROM other o WHERE o.big_id = b.id)', 'restricted'],
  ['WITH c AS MATERIALIZED (SELECT id FROM big) SELECT count(*) FROM c', 'restricted'],
  ['WITH c AS (SELECT id FROM big) SELECT count(*) FROM c', 'safe'],
  ['WITH c AS (SELECT id FROM big) SELECT count(*) FROM c a JOIN c b USING (id)', 'restricted'],
  ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r', 'restricted'],
  // Set operations other than a flattened UNION ALL combine their branches in the leader
  ['SELECT id FROM big INTERSECT SELECT big_id FROM other', 'restricted'],
  ['SELECT id FROM big EXCEPT ALL SELECT big_id FROM other', 'restricted'],
  ['SELECT id FROM big UNION SELECT big_id FROM other', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM (SELECT id FROM big INTERSECT SELECT big_id FROM other) s', 'restricted'],
  ['SELECT id FROM big UNION ALL SELECT big_id FROM other', 'safe'],
  // A subquery in FROM that needs its LIMIT / OFFSET
  ['SELECT * FROM (SELECT id FROM big LIMIT 10) s', 'restricted'],
  ['SELECT * FROM (SELECT id FROM big OFFSET 5) s', 'restricted'],
  ['SELECT * FROM (SELECT id FROM big OFFSET 0) s', 'restricted'],
  ['SELECT * FROM (SELECT id FROM big LIMIT ALL) s', 'safe'],
  ['SELECT * FROM (SELECT id FROM big OFFSET NULL) s', 'safe'],
  // ... which the planner also makes of a CTE read once (inline_cte), of a UNION ALL branch (the
  // tree flattened into an append when its branches' column types match), and of the query of an
  // uncorrelated IN made a semi join (convert_ANY_sublink_to_join)
  ['WITH c AS (SELECT id FROM big ORDER BY amount LIMIT 10) SELECT * FROM c', 'restricted'],
  ['WITH c AS (SELECT id, grp FROM big OFFSET 0) SELECT count(*) FROM c', 'restricted'],
  ['WITH c AS (SELECT id FROM big LIMIT ALL) SELECT * FROM c', 'safe'],
  ['WITH c AS (SELECT id FROM big LIMIT 10) SELECT count(*) FROM big', 'safe'],
  ['WITH c AS (SELECT id FROM big LIMIT 10) SELECT count(*) FROM big WHERE id IN (SELECT id FROM c)', 'restricted'],
  ['WITH c AS NOT MATERIALIZED (SELECT id FROM big LIMIT 10) SELECT * FROM c a JOIN c b USING (id)', 'restricted'],
  ['WITH c AS NOT MATERIALIZED (SELECT id, f_safe(grp) AS r FROM big) SELECT id FROM c', 'restricted'],
  ['SELECT count(*) FROM v_cte_limited', 'restricted'],
  // ... but not a CTE read only by a CTE nobody reads, nor one of WITH RECURSIVE that does not read itself
  ['WITH a AS (SELECT id FROM big LIMIT 5), b AS (SELECT id FROM a) SELECT count(*) FROM big', 'safe'],
  ['WITH a AS (SELECT id FROM big LIMIT 5), b AS (SELECT id FROM a) SELECT count(*) FROM b', 'restricted'],
  ['WITH RECURSIVE c AS NOT MATERIALIZED (SELECT id FROM big) SELECT count(*) FROM c', 'safe'],
  // eval_const_expressions folds what is made of literals before any expression is checked: an arm
  // that decides an AND / OR takes the others with it, a CASE arm never reached and COALESCE's
  // arguments after a literal go (the optional filters dashboards write); not an UNSAFE function
  ["SELECT id FROM big WHERE ('All' = 'All' OR grp = f_restricted(id))", 'safe'],
  ['SELECT id FROM big WHERE (NULL::int IS NULL OR grp = f_restricted(id))', 'safe'],
  ["SELECT id FROM big WHERE ('1' = 1 OR grp = f_restricted(id))", 'safe'],
  ['SELECT id FROM big WHERE false AND f_restricted(id) > 0', 'safe'],
  ['SELECT id FROM big WHERE grp = COALESCE(1, f_restricted(id))', 'safe'],
  ['SELECT CASE WHEN 1 = 1 THEN 0 ELSE f_restricted(id) END FROM big', 'safe'],
  ['SELECT CASE WHEN grp = 2 THEN 0 WHEN 1 = 2 THEN f_restricted(id) ELSE 1 END FROM big', 'safe'],
  ['SELECT count(*) FILTER (WHERE false AND f_restricted(id) > 0) FROM big', 'safe'],
  ['SELECT grp, count(*) FROM big GROUP BY grp HAVING true OR f_restricted(grp) > 0', 'safe'],
  ["SELECT id FROM big WHERE ('All' = 'All' OR grp = f_unsafe(id))", 'unsafe'],
  ["SELECT id FROM big WHERE ('All' = 'x' OR grp = f_restricted(id))", 'restricted'],
  ["SELECT id FROM big WHERE ('2' = 1 OR grp = f_restricted(id))", 'restricted'],
  ['SELECT id FROM big WHERE (3 IS NULL OR grp = f_restricted(id))', 'restricted'],
  ['SELECT id FROM big WHERE (NULL = 1 OR grp = f_restricted(id))', 'restricted'],
  ['SELECT id FROM big WHERE grp = COALESCE(NULL, f_restricted(id))', 'restricted'],
  ['SELECT CASE WHEN 1 = 2 THEN 0 ELSE f_restricted(id) END FROM big', 'restricted'],
  // ... and a flattened UNION ALL leaf whose WHERE folds to FALSE or NULL is a dummy rel left out of
  // the append with all it scans and runs (set_append_rel_size); not one a plan node above the
  // empty scan keeps (an aggregate, a window, DISTINCT, LIMIT), nor a set operation
  ['SELECT id FROM big UNION ALL SELECT a FROM scratch_rows WHERE 1 = 0', 'safe'],
  ['SELECT count(*) FROM (SELECT id FROM big UNION ALL SELECT f_restricted(id) FROM big WHERE id > 0 AND false) u', 'safe'],
  ['SELECT id FROM big UNION ALL SELECT generate_series(1, a) FROM scratch_rows WHERE NULL', 'safe'],
  ['SELECT id FROM big UNION ALL SELECT count(*)::int FROM scratch_rows WHERE false', 'restricted'],
  ['SELECT id FROM big UNION ALL SELECT DISTINCT f_restricted(id) FROM big WHERE false', 'restricted'],
  ['SELECT id FROM big UNION ALL SELECT row_number() OVER ()::int FROM scratch_rows WHERE false', 'restricted'],
  ['SELECT id FROM big UNION ALL (SELECT a FROM scratch_rows WHERE false LIMIT 5)', 'restricted'],
  ['SELECT a FROM scratch_rows WHERE false', 'restricted'],
  ['SELECT id FROM big UNION ALL SELECT f_unsafe(id) FROM big WHERE false', 'unsafe'],
  // A CTE nobody reads is never planned (SS_process_ctes): what it runs counts nowhere, but for an
  // UNSAFE function (max_parallel_hazard reads the whole query); an import CTE a model left unused
  ['WITH x AS (SELECT f_restricted(grp) AS g FROM big) SELECT count(*) FROM big', 'safe'],
  ['WITH x AS (SELECT id FROM big WHERE f_restricted(grp) > 0) SELECT count(*) FROM big', 'safe'],
  ['WITH x AS (SELECT a FROM scratch_rows) SELECT count(*) FROM big', 'safe'],
  ['WITH x AS MATERIALIZED (SELECT id, random() AS r FROM big) SELECT count(*) FROM big', 'safe'],
  ['SELECT count(*) FROM big WHERE id IN (WITH x AS (SELECT f_restricted(1)) SELECT id FROM other)', 'safe'],
  ['WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 5) SELECT count(*) FROM big', 'safe'],
  ['WITH x AS (SELECT f_unsafe(grp) FROM big) SELECT count(*) FROM big', 'unsafe'],
  // ... but one read only by such CTEs and not inlined into them is planned all the same: an
  // initPlan (materialized: MATERIALIZED, read twice, recursive, volatile)
  ['WITH a AS MATERIALIZED (SELECT id FROM big), b AS (SELECT id FROM a) SELECT count(*) FROM big', 'restricted'],
  ['WITH a AS (SELECT id FROM big), b AS (SELECT id FROM a), c AS (SELECT id FROM a) SELECT count(*) FROM big', 'restricted'],
  ['WITH a AS (SELECT id, f_safe(grp) AS s FROM big), b AS (SELECT id FROM a) SELECT count(*) FROM big', 'restricted'],
  ['WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 5), b AS (SELECT n FROM a) SELECT count(*) FROM big', 'restricted'],
  ['WITH a AS NOT MATERIALIZED (SELECT id, random() AS r FROM big), b AS (SELECT id FROM a) SELECT count(*) FROM big', 'restricted'],
  ['SELECT count(*) FROM (SELECT id FROM big LIMIT NULL::bigint) s', 'safe'],
  ['(SELECT id FROM big ORDER BY amount DESC LIMIT 10) UNION ALL SELECT big_id FROM other', 'restricted'],
  ['SELECT count(*) FROM ((SELECT id FROM big LIMIT 10) UNION ALL SELECT big_id FROM other) u', 'restricted'],
  ['SELECT id FROM big UNION ALL (SELECT big_id FROM other UNION ALL (SELECT id FROM big OFFSET 5))', 'restricted'],
  ['(SELECT grp FROM big LIMIT 10) UNION ALL SELECT NULL FROM other', 'restricted'],
  ['(SELECT id FROM big LIMIT 10) UNION ALL SELECT amount FROM big', 'safe'],
  ['(SELECT id FROM big LIMIT ALL) UNION ALL SELECT big_id FROM other', 'safe'],
  ['SELECT count(*) FROM v_union_all_limited', 'restricted'],
  ['(SELECT e FROM typed_amounts LIMIT 5) UNION ALL SELECT NULL', 'safe'],
  ['(SELECT e FROM typed_amounts LIMIT 5) UNION ALL SELECT e FROM typed_amounts', 'restricted'],
  ['SELECT * FROM big WHERE id IN (SELECT big_id FROM other ORDER BY id LIMIT 10)', 'restricted'],
  ['SELECT count(*) FROM big WHERE grp = ANY (SELECT grp FROM big OFFSET 5) AND amount > 0', 'restricted'],
  ['SELECT * FROM big WHERE id IN (SELECT big_id FROM other LIMIT 10) OR grp = 1', 'safe'],
  ['SELECT * FROM big WHERE 5 IN (SELECT big_id FROM other LIMIT 10)', 'safe'],
  ['SELECT * FROM big WHERE id NOT IN (SELECT big_id FROM other LIMIT 10)', 'safe'],
  ['SELECT * FROM big b LEFT JOIN other o ON o.big_id IN (SELECT id FROM big LIMIT 10)', 'restricted'],
  ['SELECT * FROM big b LEFT JOIN other o ON b.grp IN (SELECT id FROM big LIMIT 10)', 'safe'],
  ['SELECT count(*) FROM big x, LATERAL (SELECT b.id FROM big b WHERE x.grp IN (SELECT grp FROM big LIMIT 5) AND b.id = x.id) s', 'safe'],
  // A LATERAL subquery reading the rows beside it that the planner cannot flatten is run per row (is_simple_subquery)
  ['SELECT * FROM big b, LATERAL (SELECT count(*) FROM other o WHERE o.big_id = b.id) s', 'restricted'],
  ["SELECT b.id, x.j FROM big b LEFT JOIN LATERAL (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', o.id)), '[]') AS j FROM other o WHERE o.big_id = b.id) x ON true", 'restricted'],
  ['SELECT * FROM big b, LATERAL (SELECT DISTINCT o.label FROM other o WHERE o.big_id = b.id) s', 'restricted'],
  ['SELECT * FROM big b, LATERAL (SELECT o.id FROM other o WHERE o.big_id = b.id ORDER BY o.id) s', 'restricted'],
  ['SELECT * FROM big b, LATERAL (SELECT f_safe(o.id) FROM other o WHERE o.big_id = b.id) s', 'restricted'],
  ['SELECT * FROM big b, LATERAL (SELECT o.id FROM other o WHERE o.big_id = b.id UNION ALL SELECT 1) s', 'restricted'],
  ['SELECT * FROM big b, LATERAL (SELECT o.id FROM other o WHERE o.big_id = b.id) s', 'safe'],
  ['SELECT * FROM big b LEFT JOIN LATERAL (SELECT o.id FROM other o WHERE o.big_id = b.id) x ON true', 'safe'],
  ['SELECT * FROM big b, LATERAL (SELECT count(*) FROM other o) s', 'safe'],
  ['SELECT * FROM big b, LATERAL (SELECT b.grp + 1 AS g) s', 'safe'],
  ['SELECT * FROM big b, LATERAL generate_series(1, b.grp) g', 'safe'],
  // Columns as the DDL makes them: serial types are integers, LIKE copies, ALTER COLUMN TYPE / DROP COLUMN change them
  ['SELECT by_width(id) FROM serials', 'safe'],
  ['SELECT by_width(small) FROM serials', 'safe'],
  ['SELECT b.id, (SELECT max(l.amount) FROM big_like l WHERE grp = 1) FROM big b', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT by_width(id) FROM altered', 'unsafe'],
  ['SELECT b.id, (SELECT max(a.id) FROM altered a WHERE grp = 1) FROM big b', 'restricted'],
  // An untyped literal goes to its category's preferred type among the overloads (func_select_candidate)
  ["SELECT by_float('5')", 'safe'],
  ["SELECT by_string('x')", 'safe'],
  ["SELECT by_width('x')", 'unsafe'],
  // ... at either side of an operator: varchar || 'x' is textcat(text, text), a text
  ["SELECT by_string(note::varchar || 'x') FROM big", 'safe'],
  ["SELECT by_string('x' || note::varchar) FROM big", 'safe'],
  ["SELECT by_string(note::varchar || note::varchar) FROM big", 'safe'],
  // VALUES rows of mixed types: each column takes their common type (transformValuesClause)
  ['SELECT by_size(v.x) FROM (VALUES (1), (3000000000)) v(x)', 'unsafe'],
  ['SELECT by_size(v.x) FROM (VALUES (1), (2.5)) v(x)', 'safe'],
  ["SELECT by_width(v.x) FROM (VALUES (1), (2)) v(x)", 'safe'],
  // A field of a composite value, (row).field, has that field's type: a row of FROM, a composite a
  // function returns (a polymorphic one too), a composite column, a domain over a composite.
  ['SELECT by_width((b).id) FROM big b', 'safe'],
  ['SELECT by_width((b).note) FROM big b', 'unsafe'],
  ['SELECT by_size((to_money_safe(amount)).v) FROM big', 'safe'],
  ['SELECT by_size((s.m).v) FROM (SELECT amount::money_safe AS m FROM big) s', 'safe'],
  ["SELECT by_width((json_populate_record(NULL::other, '{\"id\": 1}')).id) FROM big", 'safe'],
  ['SELECT by_size((m).v) FROM with_composite', 'safe'],
  ['SELECT by_size((c).v) FROM with_composite', 'safe'],
  // Untyped literals alone have the common type text (select_common_type); a subquery's is text too.
  ["SELECT over_text(CASE WHEN grp > 1 THEN 'a' ELSE 'b' END) FROM big", 'safe'],
  ["SELECT over_text(CASE WHEN grp > 1 THEN 'a' END) FROM big", 'safe'],
  ["SELECT over_text(COALESCE('a', 'b')) FROM big", 'safe'],
  ["SELECT over_text((SELECT 'a')) FROM big", { changedIn: 17, before: 'restricted', since: 'safe' }],
  ["SELECT count(*) FROM big WHERE ARRAY['a', 'b'] = ARRAY[note]", 'safe'],
  // XMLELEMENT and its kin make xml; integer[] || integer[] is array_cat (anycompatiblearray on both
  // sides), not array_append, whose element would be integer and integer[] at once.
  ['SELECT by_xml(xmlelement(name a, note)) FROM big', 'safe'],
  ['SELECT by_xml(xmlconcat(xmlelement(name a), xmlelement(name b))) FROM big', 'safe'],
  ['SELECT by_array(ARRAY[id] || ARRAY[grp]) FROM big', 'safe'],
  // An integer literal beyond int4 is an int8 while it fits, numeric beyond
  ['SELECT by_size(3000000000)', 'unsafe'],
  ['SELECT by_size(-3000000000), by_size(99999999999999999999)', 'unsafe'],
  ['SELECT by_size(99999999999999999999)', 'safe'],
  ['SELECT by_width(-2147483648)', 'safe'],
  // A domain over a domain is its root base type when overloads are chosen (getBaseType in func_select_candidate)
  ['SELECT by_width(max(grp::plain_again)) FROM big', 'safe'],
  // A cast to a domain without constraints over the column's type is a RelabelType: MIN / MAX still reads the index.
  ['SELECT by_width(max(id::plain_again)) FROM big', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(id::integer) FROM big', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(id::bigint) FROM big', 'safe'],
  ['SELECT by_width(id::plain_again + 1) FROM big', 'safe'],
  // Untyped arguments left among several candidates take the type of the typed ones, if they all have
  // one, when that leaves a single candidate (func_select_candidate's last gasp): integer[] || NULL
  // and integer[] || '{1}' are array_cat, integer[]
  ["SELECT by_array(ARRAY[id] || NULL) FROM big", 'safe'],
  ["SELECT by_array('{1}' || ARRAY[id]) FROM big", 'safe'],
  ['SELECT by_cat(ARRAY[id], NULL) FROM big', 'safe'],
  // ARRAY[...] and ARRAY(SELECT ...) of arrays are multidimensional arrays of the same type (transformArrayExpr's multidims)
  ['SELECT by_array(ARRAY[ARRAY[id], ARRAY[grp]]) FROM big', 'safe'],
  ['SELECT by_array(ARRAY[[1, 2], [3, 4]]) FROM big', 'safe'],
  ['SELECT by_array(ARRAY(SELECT ARRAY[id] FROM other LIMIT 2)) FROM big', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // A field of a function's record of OUT or TABLE parameters is that parameter's type (ParseComplexProjection)
  ['SELECT by_width((out_pair(id)).a) FROM big', 'safe'],
  ['SELECT by_width((out_pair(id)).b) FROM big', 'unsafe'],
  ["SELECT over_text((jsonb_each_text(jsonb_build_object('k', note))).value) FROM big", 'safe'],
  // An alias's column list shorter than the columns renames the first ones, the others keep their names
  ['SELECT by_width(s.grp) FROM (SELECT id, grp FROM big) s(x)', 'safe'],
  ['WITH c(x) AS (SELECT id, grp FROM big) SELECT by_width(grp) FROM c', 'safe'],
  // ROWS FROM (f() AS (a int), ...): each function's own column definitions
  ['SELECT count(*) FROM big, ROWS FROM (generate_series(1, 2), jsonb_to_record(\'{"a": 1}\') AS (a int)) AS r(g, a) WHERE by_width(r.a) = big.grp', 'safe'],
  // SQL/JSON: IS JSON is boolean (16), JSON_SCALAR and JSON() json (16), JSON_VALUE text, JSON_QUERY
  // jsonb, JSON_EXISTS boolean, unless RETURNING says otherwise (17)
  // A column USING or NATURAL merges has the two sides' common type, whichever join (buildMergedJoinVar)
  ['SELECT by_size(x) FROM (SELECT id::bigint AS x FROM big) a JOIN (SELECT amount AS x FROM big) b USING (x)', 'safe'],
  ['SELECT by_size(x) FROM (SELECT id::bigint AS x FROM big) a LEFT JOIN (SELECT amount AS x FROM big) b USING (x)', 'safe'],
  ['SELECT by_size(x) FROM (SELECT id::bigint AS x FROM big) a NATURAL JOIN (SELECT amount AS x FROM big) b', 'safe'],
  ['SELECT by_size(a.x) FROM (SELECT id::bigint AS x FROM big) a JOIN (SELECT amount AS x FROM big) b USING (x)', 'unsafe'],
  ['SELECT by_bool(note IS JSON) FROM big', 'safe', undefined, 16],
  ["SELECT over_text(JSON_VALUE(jsonb_build_object('k', id), '$.k')) FROM big", 'safe', undefined, 17],
  ["SELECT by_width(JSON_VALUE(jsonb_build_object('k', id), '$.k' RETURNING int)) FROM big", 'safe', undefined, 17],
  ["SELECT by_bool(JSON_EXISTS(jsonb_build_object('k', id), '$.k')) FROM big", 'safe', undefined, 17],
  ["SELECT over_text(JSON_QUERY(jsonb_build_object('k', id), '$.k' RETURNING text)) FROM big", 'safe', undefined, 17],
  ['SELECT count(*) FROM big b WHERE EXISTS (SELECT 1 FROM other o WHERE o.big_id = b.id AND b.grp IN (SELECT grp FROM big LIMIT 5))', 'restricted'],
  ['SELECT count(*) FROM big, ROWS FROM (generate_series(1, 2), upper(\'x\')) AS t(a, b) WHERE over_text(a) = big.note', 'unsafe'],
  // Column types declared where a function is called, and those of a recursive CTE's first branch
  ['SELECT count(*) FROM big, generate_series(1, 3) AS g(n) WHERE big.id = n + 1', 'safe'],
  ['SELECT count(*) FROM big, jsonb_to_recordset(\'[{"a": 1}]\') AS t(a int) WHERE big.id = t.a + 1', 'safe'],
  ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT count(*) FROM big WHERE grp > (SELECT max(n) FROM r)', 'restricted'],
  // A PARALLEL RESTRICTED SQL function the planner inlines (inline_function) restricts nothing when its body is safe
  ['SELECT id FROM big WHERE grp = inl_tenant()', 'safe'],
  ['SELECT inl_tenant(), id FROM big', 'safe'],
  ['SELECT f_sql_restricted(id) FROM big', 'safe'],
  ['SELECT f_sql_restricted(f_sql_restricted(id)) FROM big', 'safe'],
  ['SELECT inl_strict_plus(id) FROM big', 'safe'],
  ['SELECT inl_twice(id + 1) FROM big', 'safe'],
  ['SELECT count(*) FROM big WHERE inl_twice(x => grp) > 4', 'safe'],
  ['SELECT inl_atomic(id) FROM big', 'safe'],
  ['SELECT inl_poly(id) FROM big', 'safe'],
  ['SELECT inl_later(id) FROM big', 'safe'],
  ['SELECT * FROM v_inl_tenant', 'safe'],
  ['SELECT grp, count(*) FROM big GROUP BY grp HAVING count(*) > inl_tenant()', 'safe'],
  // ... and is not inlined: a strict one with a non-strict body, an argument read twice that costs
  // too much or is a subquery, a body more volatile than the function, SECURITY DEFINER, a FROM
  ['SELECT inl_strict_coalesce(id) FROM big', 'restricted'],
  ['SELECT inl_strict_later(id) FROM big', 'restricted'],
  ['SELECT inl_twice(id + grp + grp + grp + grp + grp + grp + grp + grp + grp + grp + grp) FROM big', 'restricted'],
  ['SELECT inl_twice((SELECT 1)) FROM big', 'restricted'],
  ['SELECT inl_immutable_to_date(note) FROM big', 'restricted'],
  ['SELECT inl_secdef(id) FROM big', 'restricted'],
  ['SELECT inl_secdef_later(id) FROM big', 'restricted'],
  ['SELECT inl_from(id) FROM big', 'restricted'],
  // ... or is inlined, and its body restricts: a restricted function, a domain's check of the result
  ['SELECT inl_random() FROM big', 'restricted'],
  ['SELECT inl_nested_restricted() FROM big', 'restricted'],
  ['SELECT inl_positive(id) FROM big', 'restricted'],
  ['SELECT inl_void(id) FROM big', 'restricted'],
  ['SELECT inl_default_r(id) FROM big', 'restricted'],
  ['SELECT inl_twice(length(to_tsvector(\'simple\', note))) FROM big', 'restricted'],
  ['SELECT count(*) FROM big WHERE inl_between(f_safe(grp))', 'restricted'],
  ['SELECT count(*) FROM big WHERE inl_between(grp)', 'safe'],
  ['SELECT count(*) FROM big WHERE inl_not_strict(grp > 5)', 'safe'],
  ['SELECT inl_norm(note::varchar) FROM big', 'safe'],
  // A SAFE SQL function is inlined too: its body counts where the statement is not SAFE before inlining
  ['SELECT inl_safe_wrap(id) FROM big', 'safe'],
  ['SELECT inl_safe_wrap(id), inl_tenant() FROM big', 'restricted'],
  ['SELECT inl_safe_wrap_volatile(id), inl_tenant() FROM big', 'safe'],
  ['SELECT count(*) FROM big WHERE inl_safe_wrap(id) > 0 AND grp = (SELECT max(id) FROM other)', 'restricted'],
  ['SELECT count(*) FROM big WHERE inl_safe_wrap(grp) > 0 AND EXISTS (SELECT 1 FROM v_inl_tenant t WHERE t.id = big.id)', 'restricted'],
  ['SELECT * FROM v_inl_safe_wrap', 'safe'],
  ['SELECT * FROM v_inl_safe_wrap WHERE c > inl_tenant()', 'restricted'],
  ['SELECT inl_out(id) FROM big', 'safe'],
  ['SELECT count(*) FROM big WHERE inl_safe_wrap(grp) > 5 AND grp IN (SELECT big_id FROM other)', 'restricted'],
  ['SELECT count(*) FROM big WHERE grp = inl_imm_ts(date \'2024-01-02\')', 'restricted'],
  ['SELECT count(*) FROM big WHERE grp = inl_imm_ts(timestamptz \'2024-01-02\')', 'safe'],
  ['SELECT (inl_onecol(id)).v FROM big', 'restricted'],
  ['SELECT (inl_onecol_row(id)).v FROM big', 'safe'],
  ['SELECT inl_twice(CASE WHEN grp IN (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25) THEN 1 ELSE 0 END) FROM big', 'restricted'],
  // An IMMUTABLE function of constants is evaluated when the statement is planned (evaluate_function)
  ['SELECT inl_imm_tenant(), id FROM big', 'safe'],
  ['SELECT id FROM big WHERE grp > inl_imm_plpgsql(5)', 'safe'],
  ['SELECT id FROM big WHERE grp > inl_imm_plpgsql(id)', 'restricted'],
  // ... an operator's function too
  ['SELECT id FROM big WHERE amount |+| 1 > 5', 'safe'],
  ['SELECT (amount + 1) |*| 1 FROM big', 'safe'],
  ['SELECT (amount + grp + grp + grp + grp + grp + grp) |*| 1 FROM big', 'restricted'],
  // ... and a cast's
  ['SELECT (id::inl_wrapped).v FROM big', 'safe'],
  // An inlinable SQL function called in an inlined body is inlined in turn, an UNSAFE one too: the
  // statement's hazard, taken before inlining, never saw it (inline_function simplifies the body again)
  ['SELECT id FROM big WHERE grp = nest_tenant()', 'safe'],
  ['SELECT nest_norm_r(note) FROM big', 'safe'],
  ['SELECT nest_norm_s(note) FROM big WHERE grp = nest_tenant()', 'safe'],
  ['SELECT nest_deep_r(note) FROM big', 'safe'],
  ['SELECT count(*) FROM big WHERE nest_op_r(note)', 'safe'],
  ['SELECT nest_vol_over_vol(note) FROM big', 'safe'],
  ['SELECT * FROM v_nest_tenant', 'safe'],
  ['SELECT * FROM v_nest_norm', 'safe'],
  ['SELECT * FROM nest_ids_r()', 'safe'],
  ['SELECT count(*) FROM big WHERE id IN (SELECT * FROM nest_ids())', 'safe'],
  // ... nothing inlined in a set-returning function's body makes the planner check expressions
  ['SELECT count(*) FROM big b JOIN nest_ids_inl_r() i ON i = b.id WHERE inl_safe_wrap(b.grp) > 0', 'safe'],
  // ... not a function that is not SQL, nor one its own conditions keep out (a volatile one in an
  // IMMUTABLE body, SECURITY DEFINER), nor one inside its own body (active_fns)
  ['SELECT id FROM big WHERE grp = nest_tenant_pl()', 'restricted'],
  ['SELECT count(*) FROM big WHERE id IN (SELECT * FROM nest_ids_pl())', 'restricted'],
  ['SELECT nest_imm_over_vol(note) FROM big', 'restricted'],
  ['SELECT nest_over_secdef(note) FROM big', 'restricted'],
  ['SELECT nest_self(id) FROM big', 'restricted'],
  ['SELECT nest_ping(id) FROM big', 'restricted'],
  // ... and one the statement or a view it reads calls stays UNSAFE
  ['SELECT nest_pong(id) FROM big', 'unsafe'],
  ['SELECT id FROM big WHERE grp = nest_raw()', 'unsafe'],
  ['SELECT nest_norm_r(note), nest_lower(note) FROM big', 'unsafe'],
  ['SELECT * FROM v_nest_raw', 'unsafe'],
  // An argument read twice costs what it does once simplified: a call in it inlined costs its body
  ['SELECT inl_twice(inl_case(grp)::int) FROM big', 'safe'],
  ['SELECT inl_twice(f_sql_safe(grp)) FROM big', 'safe'],
  ['SELECT inl_twice_n(inl_dup(amount * 2.0 * 3.0 * 4.0 * 5.0)) FROM big', 'safe'],
  ['SELECT inl_twice_n(inl_dup(amount * 2.0 * 3.0 * 4.0 * 5.0 * 6.0)) FROM big', 'restricted'],
  // A set-returning SQL function alone in FROM is inlined as a subquery (inline_set_returning_function):
  // its LIMIT and plan shapes count there; what it calls only for a RESTRICTED one (a SAFE one's
  // statement is SAFE before inlining, and the planner then checks no expression)
  ['SELECT * FROM srf_top(10)', 'restricted'],
  ['SELECT * FROM srf_top_atomic(10)', 'restricted'],
  ['SELECT * FROM big WHERE id IN (SELECT id FROM srf_top(10))', 'restricted'],
  ['SELECT count(*) FROM srf_grp_r(3)', 'safe'],
  ['SELECT * FROM big b, LATERAL srf_grp_r(b.grp) g', 'safe'],
  ['SELECT * FROM srf_random_s()', 'safe'],
  ['SELECT * FROM srf_random_r()', 'restricted'],
  ['SELECT * FROM srf_intersect()', 'restricted'],
  ['SELECT * FROM srf_window_s()', 'safe'],
  ['SELECT * FROM srf_window_r()', 'restricted'],
  ['SELECT * FROM srf_scratch()', 'restricted'],
  ['SELECT count(*) FROM srf_not_in()', 'restricted'],
  ['SELECT count(*) FROM big b CROSS JOIN LATERAL srf_series_r(b.grp % 3) s', 'restricted'],
  // ... its row locks, SAFE or not: max_parallel_hazard, which makes row marks UNSAFE, ran before
  // inlining, and the subquery's LockRows is never parallel safe (a CTE that locks rows is
  // materialized: then no parallel plan at all)
  ['SELECT * FROM srf_lock_r(10)', 'restricted'],
  ['SELECT * FROM srf_lock_s(10)', 'restricted'],
  ['SELECT count(*) FROM big b CROSS JOIN srf_lock_s(10) l', 'restricted'],
  ['SELECT * FROM (SELECT * FROM srf_lock_s(10)) x', 'restricted'],
  ['SELECT * FROM srf_lock_nokey_s(10)', 'restricted'],
  ['SELECT * FROM srf_lock_sub_s(10)', 'restricted'],
  ['SELECT * FROM srf_lock_view_s(10)', 'restricted'],
  ['SELECT * FROM srf_lock_cte_s(10)', 'restricted'],
  // ... and in a view, whatever column is read (the view's own FOR UPDATE is UNSAFE)
  ['SELECT k FROM v_srf_lock', 'restricted'],
  ['SELECT * FROM v_of_v_srf_lock', 'restricted'],
  // ... not when VOLATILE, STRICT, WITH ORDINALITY, or with a subquery in its arguments
  ['SELECT * FROM srf_top_volatile(10)', 'safe'],
  ['SELECT * FROM srf_top_strict(10)', 'safe'],
  ['SELECT * FROM srf_top(10) WITH ORDINALITY', 'safe'],
  ['SELECT * FROM srf_top((SELECT 5))', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // MIN / MAX-like aggregates (aggsortop) over columns an index keeps in order are initPlans reading
  // that index (preprocess_minmax_aggregates); before 17 the plan above an initPlan is restricted
  ['SELECT max(v) FROM mm', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT min(v), max(id) FROM mm', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT bool_or(flag) FROM mm', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(label) FROM mm m', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT my_max(v) FROM mm', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM mm WHERE loose < 100', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(mm.v) + 1 FROM mm GROUP BY () HAVING max(v) > 0', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT * FROM v_mm_top', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM (SELECT max(v) FROM mm) s', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(placed) FROM mm WHERE tenant = 3', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(feel), min(tags) FROM mm', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(public.mm.v) FROM public.mm WHERE id = 5 OR k = 6', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM mm_copy', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM mm_parted', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM mm_part1', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // ... through a view or a subquery in FROM the planner pulls up, over one table
  ['SELECT max(value) FROM v_mm_plain', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(value) FROM v_mm_over_view', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(s.v) FROM (SELECT v FROM mm) s', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(value) FROM v_mm_plain WHERE id = 3', 'safe'],
  ['SELECT max(z) FROM (SELECT v + 1 AS z FROM mm) s', 'safe'],
  ['SELECT inl_safe_wrap(1), max(value) FROM v_mm_plain', 'restricted'],
  ['SELECT max(placed) FROM v_mm_tenant', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM (SELECT v FROM (SELECT v, k FROM mm) a) b', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM v_mm_barrier', 'safe'],
  ['SELECT max(v) FROM v_mm_one', 'safe'],
  // ... and the parameters are the whole plan's: what is planned after such a MIN / MAX is checked too
  ['SELECT * FROM v_mm_wrapped', 'restricted'],
  ['SELECT max(v) FROM v_mm_filtered', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM v_mm_filtered WHERE id = 5', 'restricted'],
  ['SELECT inl_safe_wrap(m) FROM (SELECT max(v) AS m FROM mm) s', 'restricted'],
  ['SELECT max(v) FROM mm UNION ALL SELECT inl_safe_wrap(1)', 'restricted'],
  ['SELECT inl_safe_wrap(1) UNION ALL SELECT max(v) FROM mm', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // ... but not the conditions on the tables beside it (checked before the subquery is planned)
  ['WITH m AS (SELECT max(v) AS top FROM mm) SELECT count(*) FROM big b, m WHERE b.grp < m.top AND inl_safe_wrap(b.grp) > 0', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big b JOIN (SELECT max(v) AS top FROM mm) s ON b.grp < s.top AND inl_safe_wrap(b.grp) > 0', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM big b, (SELECT max(v) AS top FROM mm) s WHERE inl_safe_wrap(s.top) > b.grp', 'restricted'],
  // The initPlans' parameters, made whichever plan is taken, make the planner check what it looks at
  // afterwards: a SAFE SQL function's body beside MIN / MAX counts in the select list, HAVING and
  // ORDER BY, and in the WHERE where a lookup makes it take the plain plan
  ['SELECT inl_safe_wrap(1), max(v) FROM mm', 'restricted'],
  ['SELECT max(v) FROM mm HAVING max(v) > inl_safe_wrap(1)', 'restricted'],
  ['SELECT max(v) FROM mm WHERE inl_safe_wrap(k) > 0', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT max(v) FROM mm WHERE id = 3 AND inl_safe_wrap(k) > 0', 'restricted'],
  ['SELECT inl_safe_wrap(1), max(v), count(*) FROM mm', 'safe'],
  // ... not another aggregate beside them, grouping, an expression, FILTER, a partial index, a join,
  // a WITH, a WHERE a unique or hash index answers by equality (=, IN, = ANY, OR, a row), an index
  // whose keys before the column the WHERE does not fix to one value, a LIKE without its indexes
  ['SELECT max(v), count(*) FROM mm', 'safe'],
  ['SELECT max(v) FROM mm GROUP BY k', 'safe'],
  ['SELECT max(v + 0) FROM mm', 'safe'],
  ['SELECT max(v) FILTER (WHERE k > 1) FROM mm', 'safe'],
  ['SELECT max(k) FROM mm', 'safe'],
  ['SELECT max(v) FROM mm WHERE id = 7', 'safe'],
  ['SELECT max(v) FROM mm WHERE id = ANY (\'{5,6}\')', 'safe'],
  ['SELECT max(v) FROM mm WHERE id = 5 OR id = 6', 'safe'],
  ['SELECT max(v) FROM mm WHERE (id, k) = (5, 6)', 'safe'],
  ['SELECT max(placed) FROM mm WHERE tenant IN (3, 4)', 'safe'],
  ['SELECT max(placed) FROM mm', 'safe'],
  ['SELECT max(v) FROM mm_plain', 'safe'],
  ['SELECT max(v) FROM mm WHERE h = 7', 'safe'],
  ['SELECT max(m.v) FROM mm m JOIN other o ON o.id = m.id', 'safe'],
  ['WITH w AS (SELECT 1) SELECT max(v) FROM mm', 'safe'],
  // Foreign tables, alone and as partitions / inheritance children (unless ONLY or pruning leaves them out)
  ['SELECT count(*) FROM remote_items', 'restricted'],
  ['SELECT count(*) FROM big b JOIN remote_items r ON r.big_id = b.id', 'restricted'],
  ['SELECT count(*) FROM events', 'restricted'],
  ['SELECT grp, count(*) FROM events GROUP BY grp', 'restricted'],
  ['SELECT count(*) FROM events_2025', 'safe'],
  // ... unless plan-time pruning leaves the partition out (partprune.c: a WHERE of the key against
  // literals; not a stable expression, pruned only at run time, nor what the engine cannot order)
  ["SELECT count(*) FROM events WHERE at >= '2025-01-01'", 'safe'],
  ["SELECT count(*) FROM events e WHERE e.at >= date '2025-03-01' AND e.at < '2025-06-01'", 'safe'],
  ["SELECT count(*) FROM events WHERE at IN ('2025-05-05', '2025-06-06')", 'safe'],
  ["SELECT count(*) FROM events WHERE '2025-01-01' <= at", 'safe'],
  ["SELECT count(*) FROM events e JOIN big b ON b.id = e.id WHERE e.at BETWEEN '2025-02-01' AND '2025-03-01'", 'safe'],
  ["SELECT count(*) FROM kinds WHERE kind IN ('a', 'c')", 'safe'],
  ["SELECT count(*) FROM kinds WHERE kind <> 'b' AND kind <> 'd'", 'safe'],
  ['SELECT count(*) FROM nums WHERE n >= 100', 'safe'],
  ["SELECT count(*) FROM events WHERE at >= '2024-12-31'", 'restricted'],
  ["SELECT count(*) FROM events WHERE at > '2024-12-31'", 'restricted'],
  ['SELECT count(*) FROM events WHERE at >= current_date - 30', 'restricted'],
  ["SELECT count(*) FROM events WHERE at >= '2025-01-01' OR id = 1", 'restricted'],
  ["SELECT count(*) FROM kinds WHERE kind = 'b'", 'restricted'],
  ["SELECT count(*) FROM kinds WHERE kind IN ('c', 'd')", 'restricted'],
  ['SELECT count(*) FROM nums WHERE n < 100', 'restricted'],
  ['SELECT count(*) FROM nums WHERE n = 99', 'restricted'],
  ['SELECT count(*) FROM events_local', 'safe'],
  ['SELECT count(*) FROM logs', 'restricted'],
  ['SELECT count(*) FROM ONLY logs', 'safe'],
  ['SELECT count(*) FROM big WHERE id IN (SELECT id FROM logs)', 'restricted'],
  ['SELECT count(*) FROM notes_base', 'restricted'],
  ['SELECT count(*) FROM ONLY notes_base', 'safe'],
  // TABLESAMPLE: the scan stays in the leader unless the method's handler is PARALLEL SAFE.
  ['SELECT count(*) FROM big TABLESAMPLE SYSTEM (10)', 'safe'],
  ['SELECT grp, count(*) FROM big TABLESAMPLE BERNOULLI (10) REPEATABLE (7) GROUP BY grp', 'safe'],
  // REPEATABLE is never checked (set_rel_consider_parallel): a RESTRICTED call there restricts nothing.
  ['SELECT count(*) FROM big TABLESAMPLE BERNOULLI (10) REPEATABLE (inl_stable_restricted(3))', 'safe'],
  ['SELECT count(*) FROM big TABLESAMPLE BERNOULLI (10) REPEATABLE (f_unsafe(3))', 'unsafe'],
  ['SELECT count(*) FROM big TABLESAMPLE system_rows (500)', 'restricted', 'safe'],
  ['SELECT count(*) FROM big b TABLESAMPLE system_rows (500) JOIN other o ON o.big_id = b.id', 'restricted', 'safe'],
  ['SELECT count(*) FROM v_sampled', 'restricted', 'safe'],
  ['SELECT count(*) FROM other WHERE big_id IN (SELECT id FROM big TABLESAMPLE system_rows (500))', 'restricted', 'safe'],
  // A cast through text runs the source type's output and the target type's input function.
  ['SELECT note::io_unsafe FROM big', 'unsafe'],
  ['SELECT u::text FROM io_values', 'unsafe'],
  ['SELECT string_agg(CAST(u AS varchar), \',\') FROM io_values', 'unsafe'],
  ['SELECT note::io_unsafe_domain FROM big', 'unsafe'],
  ['SELECT ARRAY[note]::io_unsafe[] FROM big', 'unsafe'],
  ['SELECT note::io_restricted_in FROM big', 'restricted'],
  ['SELECT id FROM io_values WHERE r::text = \'5\'', 'safe'],
  // A literal is read when the statement is parsed.
  ['SELECT id, \'5\'::io_unsafe FROM io_values', 'safe'],
  // Named arguments go to the parameters of those names (the positional overload would be another).
  ['SELECT by_name(b => id, a => note) FROM big', 'unsafe'],
  ['SELECT by_name(a => id, b => note) FROM big', 'safe'],
  ['SELECT by_name(id, b => note) FROM big', 'safe'],
  ['SELECT by_name_default(id, c => 5) FROM big', 'restricted'],
  ['SELECT by_name_default(id, c => note) FROM big', 'safe'],
  ['SELECT by_name_default(a => id, b => 2) FROM big', 'safe'],
  // What later DDL undid: a domain's constraints dropped, SECURITY INVOKER / RESET (inlinable again),
  // a foreign partition detached, a temporary child disinherited.
  ['SELECT id::was_checked FROM big', 'safe'],
  ['SELECT id::still_checked FROM big', 'restricted'],
  ['SELECT was_definer(id) FROM big', 'safe'],
  ['SELECT was_set(id) FROM big', 'safe'],
  ['SELECT still_set(id) FROM big', 'restricted'],
  ['SELECT count(*) FROM detached_events', 'safe'],
  ['SELECT count(*) FROM disowned', 'safe'],
  ['SELECT id::renamed_check FROM big', 'restricted'],
  ['SELECT id::named_not_null FROM big', 'safe'],
  ['SELECT set_default_again(id) FROM big', 'safe'],
  // A polymorphic result is what the arguments make it (enforce_generic_type_consistency): the
  // concrete overload is chosen, not the generic one (and not the array one for an element).
  ['SELECT pt_any(unnest(arr)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_any(x) FROM poly_vals, unnest(arr) x', 'unsafe'],
  ['SELECT pt_any(lower(r)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_rng(r * r) FROM poly_vals', 'unsafe'],
  ['SELECT pt_carr(arr || 1) FROM poly_vals', 'unsafe'],
  ['SELECT pt_mr(int4multirange(r) + int4multirange(r)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_arr(array_agg(id)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_arr(array_agg(DISTINCT id)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_arr(y) FROM (SELECT array_agg(id) AS y FROM poly_vals) s', 'unsafe'],
  ['SELECT pt_arr(array_fill(id, ARRAY[2])) FROM poly_vals', 'unsafe'],
  ['SELECT pt_arr(x) FROM poly_vals, unnest(arr) x', 'safe'],
  ['SELECT pt_width(lower(r)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_spans(range_agg(r)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_arr(pt_to_arr(id)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_arr(pt_agg(id)) FROM poly_vals', 'unsafe'],
  // anycompatible: the common type of the arguments, not the first one's.
  ['SELECT pt_q(array_append(sa, id)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_q(array_prepend(id, sa)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_q(array_cat(sa, arr)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_q(array_replace(sa, 1, id)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_q(array_append(sa, s)) FROM poly_vals', 'safe'],
  // lag(anycompatible, int, anycompatible): smallint with an integer default is an integer.
  ['SELECT pt_n(lag(s, 1, 0) OVER (ORDER BY id)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_n(lag(s, 1, s) OVER (ORDER BY id)) FROM poly_vals', 'restricted'],
  // NULLIF's type is its first argument's converted to the = operator's left input (varchar = text is text = text).
  ['SELECT pt_q(nullif(v, t)) FROM poly_vals', 'safe'],
  ["SELECT pt_q(nullif(v, 'a')) FROM poly_vals", 'safe'],
  ['SELECT pt_q(nullif(t, v)) FROM poly_vals', 'safe'],
  // System columns, slices and jsonb subscripts have known types (not "argument types unknown").
  ['SELECT pt_any(ctid) FROM poly_vals', 'safe'],
  ['SELECT pt_any(p.tableoid) FROM poly_vals p', 'safe'],
  ['SELECT pt_any(xmin), pt_any(cmax) FROM poly_vals', 'safe'],
  ['SELECT pt_any(arr[1:1]) FROM poly_vals', 'safe'],
  ['SELECT pt_arr(arr[1]), pt_arr(arr[:1]) FROM poly_vals', 'unsafe'],
  ["SELECT pt_any(jb['a']['b']) FROM poly_vals", 'safe'],
  // A set operation's column is the common type of its branches' (smallint beside integer: integer).
  ['SELECT pt_n(x) FROM (SELECT s AS x FROM poly_vals UNION ALL SELECT id FROM poly_vals) u', 'unsafe'],
  ['SELECT pt_n(x) FROM (SELECT s AS x FROM poly_vals UNION SELECT id FROM poly_vals) u', 'unsafe'],
  ['SELECT pt_n(x) FROM (SELECT s AS x FROM poly_vals INTERSECT SELECT id FROM poly_vals) u', 'unsafe'],
  ['SELECT pt_n(x) FROM (SELECT s AS x FROM poly_vals EXCEPT SELECT id FROM poly_vals) u', 'unsafe'],
  ['SELECT pt_n(x) FROM (SELECT s AS x FROM poly_vals UNION (SELECT s FROM poly_vals UNION SELECT id FROM poly_vals)) u', 'unsafe'],
  ['SELECT pt_n(x) FROM (SELECT s AS x FROM poly_vals UNION SELECT NULL) u', { changedIn: 17, before: 'restricted', since: 'safe' }],
  // varchar and text convert to each other implicitly: the first one stays.
  ['SELECT pt_q(x) FROM (SELECT v AS x FROM poly_vals UNION SELECT t FROM poly_vals) u', 'unsafe'],
  // An array converts element by element: smallint[] to integer[] implicitly (the common type), not back.
  ['SELECT pt_q(x) FROM (SELECT sa AS x FROM poly_vals UNION SELECT arr FROM poly_vals) u', 'unsafe'],
  ['SELECT pt_q(coalesce(sa, arr)) FROM poly_vals', 'unsafe'],
  ['SELECT pt_q(x) FROM (SELECT arr AS x FROM poly_vals UNION SELECT sa FROM poly_vals) u', 'unsafe'],
  // UNNEST(a, b) in FROM is unnest(a) and unnest(b) side by side, each column of its element type.
  ['SELECT pt_n(x) FROM poly_vals, LATERAL unnest(sa, arr) AS u(x, y)', 'safe'],
  ['SELECT pt_n(y) FROM poly_vals, unnest(sa, arr) AS u(x, y)', 'unsafe'],
  ['SELECT pt_n(x) + pt_n(y) FROM poly_vals, unnest(sa, sa) WITH ORDINALITY AS u(x, y, o)', 'safe'],
  // 4. Possible but maybe not chosen: still safe statically
  ['SELECT count(*) FROM no_workers', 'safe'],
  ['SELECT * FROM big b JOIN other o ON o.big_id = b.id WHERE b.grp < 5', 'safe'],
  ['SELECT grp, count(DISTINCT note) FROM big GROUP BY grp', 'safe'],
  ['SELECT * FROM big UNION ALL SELECT * FROM big', 'safe'],
  ['SELECT * FROM big WHERE note IS NOT NULL ORDER BY created DESC LIMIT 10', 'safe'],
];

describe('differential: the engine agrees with the planner', function () {
  this.timeout(120_000);
  const referee = refereeDatabase('differential', SCHEMA);

  it(`covers at least 80 statements`, () => {
    assert.ok(CASES.length >= 80, `only ${CASES.length} cases`);
  });

  agreementCases(referee, CASES);

  // EXPLAIN takes neither COPY nor REFRESH: the probes explain a COPY's query, and neither can be in
  // the cases above. Here the statements run, and the plan each executed is what auto_explain sends
  // as a notice: with cheap parallel costs (a Gather anywhere: parallel possible) and forced into a
  // parallel plan (a single-copy Gather on top: the whole plan is parallel safe), as the probes do.
  for (const [sql, expected] of [
    ['COPY (SELECT count(*) FROM big) TO STDOUT', 'safe'],
    ['COPY (SELECT f_unsafe(id) FROM big) TO STDOUT', 'unsafe'],
    ['COPY (SELECT id FROM big WHERE f_restricted(grp) > 3) TO STDOUT', 'restricted'],
    ['REFRESH MATERIALIZED VIEW mv', 'safe'],
    ['REFRESH MATERIALIZED VIEW mv_window', 'restricted'],
    ['REFRESH MATERIALIZED VIEW mv_correlated', 'restricted'],
  ] as const) {
    it(`${expected}, and run for real: ${sql}`, async () => {
      const [result] = analyzeDocument(sql, referee.catalog).statements;
      const [withoutDatabase] = analyzeDocument(sql, referee.offline).statements;
      const probe = await executedProbe(referee, sql);
      const details = `engine: ${result.verdict} (${result.reasons.map((r) => r.code).join(', ') || 'no reasons'}); planner: parallelPossible=${probe.parallelPossible} wholePlanSafe=${probe.wholePlanSafe}`;
      assert.ok(agreesWithPlanner(result.verdict, probe), `disagreement: ${details}`);
      assert.strictEqual(result.verdict, expected, details);
      assert.strictEqual(withoutDatabase.verdict, expected, `without a database: ${withoutDatabase.verdict}`);
    });
  }
});

interface PlanNodeJson {
  'Node Type': string;
  'Single Copy'?: boolean;
  Plans?: PlanNodeJson[];
}

/** PARALLEL.md section 4's two probes, on the plans `sql` executes (auto_explain), each in a transaction rolled back. */
async function executedProbe(referee: Referee, sql: string): Promise<{ parallelPossible: boolean; wholePlanSafe: boolean }> {
  const force = referee.catalog.versionNum >= 160000 ? 'debug_parallel_query' : 'force_parallel_mode';
  const cheap = await executedPlan(referee, sql, { parallel_setup_cost: 0, parallel_tuple_cost: 0, min_parallel_table_scan_size: 0 });
  const forced = await executedPlan(referee, sql, { [force]: 'on', parallel_setup_cost: '1e15' });
  const gather = (node: PlanNodeJson): boolean => node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge' || (node.Plans ?? []).some(gather);
  return { parallelPossible: gather(cheap), wholePlanSafe: forced['Node Type'] === 'Gather' && forced['Single Copy'] === true };
}

/** The plan of the one query `sql` executes under `settings`, as auto_explain logs it (a notice here). */
async function executedPlan(referee: Referee, sql: string, settings: Record<string, string | number>): Promise<PlanNodeJson> {
  const notices: string[] = [];
  const collect = (notice: { message?: string }) => notices.push(notice.message ?? '');
  referee.client.on('notice', collect);
  try {
    await referee.client.query('BEGIN');
    await referee.client.query("LOAD 'auto_explain'");
    await setLocal(referee.client, { 'auto_explain.log_min_duration': 0, 'auto_explain.log_level': 'notice', 'auto_explain.log_format': 'json', ...settings });
    await referee.client.query(sql);
  } finally {
    await referee.client.query('ROLLBACK');
    referee.client.off('notice', collect);
  }
  const logged = notices.map((text) => text.slice(text.indexOf('{'))).filter((json) => json.startsWith('{'));
  assert.strictEqual(logged.length, 1, `auto_explain sent ${logged.length} plans: ${JSON.stringify(notices)}`);
  return (JSON.parse(logged[0]) as { Plan: PlanNodeJson }).Plan;
}

/**
 * Row-level security, as the planner sees it for the role that reads: a superuser or the table's
 * owner bypasses it, a SELECT gets the USING of FOR SELECT / FOR ALL policies for its roles only
 * (rowsecurity.c). The statements run as a role that is neither. Without a database the engine
 * knows no roles: a policy for another role and the owner's bypass still count there (`offline`).
 */
const RLS_SCHEMA = `
DO $$ BEGIN CREATE ROLE rls_reader; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE rls_other; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE FUNCTION rls_unsafe(owner text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN owner <> ''; END $$;
CREATE FUNCTION rls_restricted(owner text) RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL RESTRICTED AS $$ BEGIN RETURN owner <> ''; END $$;
CREATE TABLE rls_docs (id int, owner text);
CREATE TABLE rls_roles (id int, owner text);
CREATE TABLE rls_notes (id int, owner text);
CREATE TABLE rls_owned (id int, owner text);
INSERT INTO rls_docs SELECT g, 'u' || g % 10 FROM generate_series(1, 30000) g;
INSERT INTO rls_roles SELECT * FROM rls_docs;
INSERT INTO rls_notes SELECT * FROM rls_docs;
INSERT INTO rls_owned SELECT * FROM rls_docs;
ANALYZE rls_docs, rls_roles, rls_notes, rls_owned;
GRANT SELECT ON rls_docs, rls_roles, rls_notes TO rls_reader;
ALTER TABLE rls_owned OWNER TO rls_reader;
ALTER TABLE rls_docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_owned ENABLE ROW LEVEL SECURITY;
CREATE POLICY see_all ON rls_docs FOR SELECT USING (true);
CREATE POLICY add_own ON rls_docs FOR INSERT WITH CHECK (rls_unsafe(owner));
CREATE POLICY change_own ON rls_docs FOR UPDATE USING (rls_unsafe(owner)) WITH CHECK (rls_unsafe(owner));
CREATE POLICY see_all ON rls_roles FOR SELECT USING (true);
CREATE POLICY others_only ON rls_roles FOR SELECT TO rls_other USING (rls_unsafe(owner));
CREATE POLICY mine ON rls_notes USING (rls_restricted(owner));
CREATE POLICY mine ON rls_owned USING (rls_unsafe(owner));
-- Policies with subqueries: a security qual is never pulled up into a join.
CREATE TABLE rls_members (owner text, member text);
INSERT INTO rls_members SELECT 'u' || g, 'rls_reader' FROM generate_series(0, 9) g;
CREATE TABLE rls_shared (id int, owner text);
CREATE TABLE rls_capped (id int, owner text);
CREATE TABLE rls_listed (id int, owner text);
INSERT INTO rls_shared SELECT * FROM rls_docs;
INSERT INTO rls_capped SELECT * FROM rls_docs;
INSERT INTO rls_listed SELECT * FROM rls_docs;
ANALYZE rls_members, rls_shared, rls_capped, rls_listed;
GRANT SELECT ON rls_members, rls_shared, rls_capped, rls_listed TO rls_reader;
ALTER TABLE rls_shared ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_capped ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_listed ENABLE ROW LEVEL SECURITY;
CREATE POLICY member ON rls_shared USING (EXISTS (SELECT 1 FROM rls_members m WHERE m.owner = rls_shared.owner AND m.member = current_user));
CREATE POLICY capped ON rls_capped USING (id < (SELECT count(*) FROM rls_members));
CREATE POLICY listed ON rls_listed USING (owner IN (SELECT owner FROM rls_members WHERE member = current_user));
-- A RESTRICTIVE policy counts only beside a permissive one for the role (else no row at all).
CREATE TABLE rls_strict (id int, owner text);
CREATE TABLE rls_strict_only (id int, owner text);
INSERT INTO rls_strict SELECT * FROM rls_docs;
INSERT INTO rls_strict_only SELECT * FROM rls_docs;
ANALYZE rls_strict, rls_strict_only;
GRANT SELECT ON rls_strict, rls_strict_only TO rls_reader;
ALTER TABLE rls_strict ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_strict_only ENABLE ROW LEVEL SECURITY;
CREATE POLICY see ON rls_strict FOR SELECT USING (true);
CREATE POLICY narrow ON rls_strict AS RESTRICTIVE FOR SELECT USING (rls_unsafe(owner));
CREATE POLICY narrow ON rls_strict_only AS RESTRICTIVE FOR SELECT USING (rls_unsafe(owner));
-- A policy's subquery reads a table with row security of its own: its policies apply there too.
CREATE TABLE rls_team (owner text, member text);
CREATE TABLE rls_team_docs (id int, owner text);
CREATE TABLE rls_team_counted (id int, owner text);
INSERT INTO rls_team SELECT 'u' || g, 'rls_reader' FROM generate_series(0, 9) g;
INSERT INTO rls_team_docs SELECT * FROM rls_docs;
INSERT INTO rls_team_counted SELECT * FROM rls_docs;
ANALYZE rls_team, rls_team_docs, rls_team_counted;
GRANT SELECT ON rls_team, rls_team_docs, rls_team_counted TO rls_reader;
ALTER TABLE rls_team ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_team_docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_team_counted ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON rls_team USING (rls_unsafe(owner));
CREATE POLICY team ON rls_team_docs USING (owner IN (SELECT owner FROM rls_team WHERE member = current_user));
CREATE POLICY capped ON rls_team_counted USING (id < (SELECT count(*) FROM rls_team));
-- The multi-tenant helper: a RESTRICTED current_tenant() over a (default UNSAFE) SQL function, both inlined.
CREATE FUNCTION rls_tenant_raw() RETURNS text LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.owner', true), '') $$;
CREATE FUNCTION rls_current_tenant() RETURNS text LANGUAGE sql STABLE PARALLEL RESTRICTED AS $$ SELECT rls_tenant_raw() $$;
CREATE TABLE rls_tenant_docs (id int, owner text);
CREATE TABLE rls_tenant_raw_docs (id int, owner text);
INSERT INTO rls_tenant_docs SELECT * FROM rls_docs;
INSERT INTO rls_tenant_raw_docs SELECT * FROM rls_docs;
ANALYZE rls_tenant_docs, rls_tenant_raw_docs;
GRANT SELECT ON rls_tenant_docs, rls_tenant_raw_docs TO rls_reader;
ALTER TABLE rls_tenant_docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_tenant_raw_docs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON rls_tenant_docs USING (owner = rls_current_tenant());
CREATE POLICY tenant ON rls_tenant_raw_docs USING (owner = rls_tenant_raw());
-- A LEFT JOIN the planner removes takes the right table's policies with it.
CREATE TABLE rls_orgs (id int PRIMARY KEY, owner text);
CREATE TABLE rls_orgs_unsafe (id int PRIMARY KEY, owner text);
INSERT INTO rls_orgs SELECT g, 'u' || g % 10 FROM generate_series(1, 3000) g;
INSERT INTO rls_orgs_unsafe SELECT * FROM rls_orgs;
ANALYZE rls_orgs, rls_orgs_unsafe;
GRANT SELECT ON rls_orgs, rls_orgs_unsafe TO rls_reader;
ALTER TABLE rls_orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE rls_orgs_unsafe ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON rls_orgs USING (rls_restricted(owner));
CREATE POLICY mine ON rls_orgs_unsafe USING (rls_unsafe(owner));
-- A view reads its tables as its owner: a superuser or the table's owner bypasses row security,
-- another role gets the policies for its roles; a security_invoker view (15+) as whoever reads it.
GRANT SELECT ON rls_notes, rls_roles, rls_shared, rls_members TO rls_other;
CREATE VIEW rls_notes_by_admin AS SELECT id, owner FROM rls_notes;
CREATE VIEW rls_notes_by_other AS SELECT id, owner FROM rls_notes;
CREATE VIEW rls_roles_by_other AS SELECT id, owner FROM rls_roles;
CREATE VIEW rls_shared_by_other AS SELECT id, owner FROM rls_shared;
CREATE VIEW rls_owned_by_reader AS SELECT id, owner FROM rls_owned;
CREATE VIEW rls_over_other AS SELECT id FROM rls_roles_by_other;
ALTER VIEW rls_notes_by_other OWNER TO rls_other;
ALTER VIEW rls_roles_by_other OWNER TO rls_other;
ALTER VIEW rls_shared_by_other OWNER TO rls_other;
ALTER VIEW rls_owned_by_reader OWNER TO rls_reader;
DO $$ BEGIN
  EXECUTE 'CREATE VIEW rls_notes_invoker' || CASE WHEN current_setting('server_version_num')::int >= 150000 THEN ' WITH (security_invoker)' ELSE '' END || ' AS SELECT id, owner FROM rls_notes';
END $$;
GRANT SELECT ON rls_notes_by_admin, rls_notes_by_other, rls_roles_by_other, rls_shared_by_other, rls_owned_by_reader, rls_over_other, rls_notes_invoker TO rls_reader;
SET ROLE rls_reader;
`;

const RLS_CASES: Case[] = [
  // Other commands' policies and WITH CHECK: never a SELECT's.
  ['SELECT count(*) FROM rls_docs', 'safe'],
  ['SELECT owner, count(*) FROM rls_docs GROUP BY owner', 'safe'],
  // A policy for another role.
  ['SELECT count(*) FROM rls_roles', 'safe', 'unsafe'],
  // FOR ALL, for PUBLIC: the reader's.
  ['SELECT count(*) FROM rls_notes', 'restricted'],
  ['SELECT d.id FROM rls_docs d JOIN rls_notes n ON n.id = d.id', 'restricted'],
  // A policy's subquery: correlated, restricted; uncorrelated, an initPlan (restricted before 17).
  ['SELECT count(*) FROM rls_shared', 'restricted'],
  ['SELECT count(*) FROM rls_capped', { changedIn: 17, before: 'restricted', since: 'safe' }],
  ['SELECT count(*) FROM rls_listed', 'safe'],
  ['SELECT count(*) FROM rls_strict', 'unsafe'],
  ['SELECT count(*) FROM rls_strict_only', 'safe'],
  // The tables a policy's subquery reads get their own policies.
  ['SELECT count(*) FROM rls_team_docs', 'unsafe'],
  ['SELECT count(*) FROM rls_team_counted', 'unsafe'],
  // A policy's RESTRICTED SQL function over an UNSAFE one, both inlined; the UNSAFE one in the policy itself counts.
  ['SELECT count(*) FROM rls_tenant_docs', 'safe'],
  ['SELECT count(*) FROM rls_tenant_raw_docs', 'unsafe'],
  // A LEFT JOIN removed (the right table unique on the ON's equalities, none of its columns read)
  // takes the policies with it (remove_rel_from_query drops its restrictions); an UNSAFE one still counts.
  ['SELECT d.id FROM rls_docs d LEFT JOIN rls_orgs o ON o.id = d.id', 'safe'],
  ['SELECT count(*) FROM (SELECT d.id, o.owner FROM rls_docs d LEFT JOIN rls_orgs o ON o.id = d.id) s', 'safe'],
  ['SELECT d.id FROM rls_orgs o RIGHT JOIN rls_docs d ON o.id = d.id', 'safe'],
  ['SELECT d.id, o.owner FROM rls_docs d LEFT JOIN rls_orgs o ON o.id = d.id', 'restricted'],
  ['SELECT d.id FROM rls_docs d LEFT JOIN rls_notes n ON n.id = d.id', 'restricted'],
  ['SELECT d.id FROM rls_docs d LEFT JOIN rls_orgs_unsafe o ON o.id = d.id', 'unsafe'],
  // The owner, without FORCE ROW LEVEL SECURITY, bypasses it.
  ['SELECT count(*) FROM rls_owned', 'safe', 'unsafe'],
  // Through views, as the view's owner; without a database the engine knows no owners.
  ['SELECT count(*) FROM rls_notes_by_admin', 'safe', 'restricted'],
  ['SELECT count(*) FROM rls_notes_by_other', 'restricted'],
  ['SELECT count(*) FROM rls_roles_by_other', 'unsafe'],
  ['SELECT count(*) FROM rls_shared_by_other', 'restricted'],
  ['SELECT count(*) FROM rls_owned_by_reader', 'safe', 'unsafe'],
  ['SELECT count(*) FROM rls_over_other', 'unsafe'],
  ['SELECT r.id FROM rls_docs r JOIN rls_roles_by_other o ON o.id = r.id', 'unsafe'],
  ['SELECT count(*) FROM rls_notes_invoker', { changedIn: 15, before: 'safe', since: 'restricted' }, 'safe'],
];

describe('differential: row-level security, for the role that reads', function () {
  this.timeout(120_000);
  const referee = refereeDatabase('differential_rls', RLS_SCHEMA);

  it('reads as a role that is neither a superuser nor the owner', async () => {
    const { rows } = await referee.client.query<{ user: string; superuser: boolean }>("SELECT current_user AS user, current_setting('is_superuser')::bool AS superuser");
    assert.deepStrictEqual(rows[0], { user: 'rls_reader', superuser: false });
  });

  agreementCases(referee, RLS_CASES);
});
