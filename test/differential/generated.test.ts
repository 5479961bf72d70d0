/**
 * Statements nobody wrote: fast-check composes queries from building blocks (calls with every label,
 * also in later arguments and CASE branches, operators, casts, aggregates, window functions, views,
 * CTEs, correlated and uncorrelated sublinks, LIMIT subqueries, set operations, row locking)
 * and every one must get the same answer from the engine and from the planner's probes. A failure
 * prints the shrunk statement. PGPH_FUZZ_RUNS raises the number of statements for a long run.
 */
import * as assert from 'assert';
import * as fc from 'fast-check';
import { analyzeDocument } from '../../server/src/core/document';
import { agreesWithPlanner } from '../../server/src/core/report';
import { probeParallelism } from '../../server/src/db/probe';
import { refereeDatabase } from './referee';

const SCHEMA = `
CREATE TABLE t1 (a int, b int, s text, n numeric);
INSERT INTO t1 SELECT g, g % 7, md5(g::text), g / 3.0 FROM generate_series(1, 3000) g;
CREATE TABLE t2 (a int, c int, s text);
INSERT INTO t2 SELECT g, g % 11, 'x' || g FROM generate_series(1, 3000) g;
ANALYZE;
CREATE FUNCTION fu(int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN $1; END $$;
CREATE FUNCTION fr(int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN $1; END $$;
CREATE FUNCTION fs(int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN $1; END $$;
CREATE FUNCTION fsql(int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT $1 + 1 $$;
CREATE FUNCTION fsqlu(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 + 1 $$;
CREATE FUNCTION cmpu(int, int) RETURNS boolean LANGUAGE plpgsql AS $$ BEGIN RETURN $1 > $2; END $$;
CREATE OPERATOR ##> (LEFTARG = int, RIGHTARG = int, FUNCTION = cmpu);
CREATE FUNCTION cmpr(int, int) RETURNS boolean LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN $1 > $2; END $$;
CREATE OPERATOR ##< (LEFTARG = int, RIGHTARG = int, FUNCTION = cmpr);
CREATE VIEW vu AS SELECT a, fu(b) AS b FROM t1;
CREATE VIEW vr AS SELECT a, fr(b) AS b FROM t1;
CREATE VIEW vs AS SELECT a, fs(b) AS b FROM t1;
CREATE FUNCTION step(int, int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT $1 + $2 $$;
CREATE AGGREGATE aggu(int) (SFUNC = step, STYPE = int, INITCOND = '0');
CREATE AGGREGATE aggs(int) (SFUNC = step, STYPE = int, INITCOND = '0', COMBINEFUNC = step, PARALLEL = SAFE);
`;

/** A call over a column, of a function of any label. */
const call = (col: string): fc.Arbitrary<string> => fc.constantFrom('fu', 'fr', 'fs', 'fsql', 'fsqlu', 'abs').map((f) => `${f}(${col})`);

/** Integer expressions over a column, with functions of every label, also in later arguments and branches. */
const intExpr = (col: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constant(col),
    call(col),
    fc.constantFrom('+', '*', '-').map((op) => `${col} ${op} 2`),
    fc.constant(`(${col})::numeric::int`),
    call(col).map((c) => `coalesce(${col}, ${c})`),
    call(col).map((c) => `greatest(${col}, ${c})`),
    call(col).map((c) => `CASE WHEN ${col} > 3 THEN 0 ELSE ${c} END`),
    call(col).map((c) => `(ARRAY[${col}, ${c}])[2]`),
  );

const predicate = (col: string): fc.Arbitrary<string> =>
  fc.oneof(
    intExpr(col).map((e) => `${e} > 5`),
    fc.constant(`${col} ##> 3`),
    fc.constant(`${col} ##< 3`),
    fc.constant(`${col} IN (1, 2, 3)`),
    fc.constant(`${col} BETWEEN 1 AND 100`),
    fc.constant('random() < 0.5'),
    fc.constant(`${col} = ANY (ARRAY[1, 2])`),
    fc.constant(`EXISTS (SELECT 1 FROM t2 WHERE t2.a = ${col})`),
    fc.constant(`(EXISTS (SELECT 1 FROM t2 WHERE t2.a = ${col}) OR ${col} = 5)`),
    fc.constant(`${col} NOT IN (SELECT c FROM t2 WHERE t2.a = ${col})`),
    fc.constant(`${col} IN (SELECT fu(c) FROM t2)`),
  );

const fromItem = fc.constantFrom('t1', 'vu', 'vr', 'vs', 't1 JOIN t2 USING (a)', '(SELECT a, b FROM t1 WHERE b > 1) sub', '(SELECT a, b FROM t1 LIMIT 100) lim');

const selectItem = fc.oneof(
  intExpr('a'),
  fc.constant('count(*)'),
  fc.constantFrom('sum', 'max', 'aggu', 'aggs').map((agg) => `${agg}(a)`),
  fc.constant('row_number() OVER (ORDER BY a)'),
  fc.constant('(SELECT max(c) FROM t2)'),
  fc.constant('random()'),
  fc.constant("'x'::text"),
);

const query: fc.Arbitrary<string> = fc
  .record({
    items: fc.array(selectItem, { minLength: 1, maxLength: 3 }),
    from: fromItem,
    where: fc.option(predicate('a'), { nil: undefined }),
    cte: fc.constantFrom('', 'WITH c AS (SELECT a AS ca FROM t1) ', 'WITH c AS MATERIALIZED (SELECT a AS ca FROM t1) ', 'WITH c AS (SELECT fu(a) AS ca FROM t1) '),
    tail: fc.constantFrom('', ' LIMIT 10', ' FOR UPDATE', ' ORDER BY 1'),
    union: fc.boolean(),
    setOperation: fc.constantFrom('UNION ALL', 'UNION', 'INTERSECT', 'EXCEPT'),
  })
  .map(({ items, from, where, cte, tail, union, setOperation }) => {
    const aggregated = items.some((i) => /count\(|sum\(|max\(a|agg[us]\(/.test(i));
    const columns = aggregated ? items.map((i) => (/count\(|sum\(|max\(a|agg[us]\(/.test(i) ? i : `max(${i.includes('OVER') ? 'a' : i})`)) : items;
    // FOR UPDATE does not go with aggregates, set operations or views over functions: keep it valid.
    const lock = tail === ' FOR UPDATE' && (aggregated || union || from !== 't1' || columns.some((c) => c.includes('OVER'))) ? '' : tail;
    // The CTE is joined on a condition so that it is really read (an unreferenced CTE is dropped).
    const fromCte = cte ? `${from} JOIN c ON c.ca = ${from.startsWith('t1 JOIN') ? 't1.a' : from.split(' ').pop()}.a` : from;
    let sql = `${cte}SELECT ${columns.join(', ')} FROM ${fromCte}${where ? ` WHERE ${where}` : ''}`;
    if (union && lock === '') sql += ` ${setOperation} SELECT ${columns.map(() => 'NULL').join(', ')}`;
    return sql + (union ? '' : lock);
  });

describe('differential: generated statements agree with the planner', function () {
  this.timeout(300_000);
  const referee = refereeDatabase('generated', SCHEMA);

  it('every generated statement gets the planner\'s answer', async () => {
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(query, async (sql) => {
        const probe = await probeParallelism(referee.client, sql);
        if (probe.error) return; // an invalid combination (e.g. ORDER BY with UNION ALL types); nothing to compare
        checked++;
        const [result] = analyzeDocument(sql, referee.catalog).statements;
        const [withoutDatabase] = analyzeDocument(sql, referee.offline).statements;
        assert.strictEqual(withoutDatabase.verdict, result.verdict, `${sql}\n  without a database: ${withoutDatabase.verdict} (${withoutDatabase.reasons.map((r) => r.code).join(', ')}), with: ${result.verdict}`);
        assert.ok(
          agreesWithPlanner(result.verdict, probe),
          `${sql}\n  engine: ${result.verdict} (${result.reasons.map((r) => r.code).join(', ')}); planner: parallelPossible=${probe.parallelPossible} wholePlanSafe=${probe.wholePlanSafe}`,
        );
      }),
      { numRuns: Number(process.env.PGPH_FUZZ_RUNS ?? 300), seed: Number(process.env.PGPH_FUZZ_SEED ?? 20261123) },
    );
    assert.ok(checked >= 100, `only ${checked} generated statements were plannable`);
  });
});
