/**
 * What may go to EXPLAIN, decided from the parse tree alone: one plannable statement, its kind, its
 * $n parameters and what it would write if EXPLAIN ANALYZE ran it.
 */
import * as assert from 'assert';
import { checkExplainable } from '../../server/src/core/explainable';
import { initParser } from '../../server/src/core/parse';

describe('explainable statements', () => {
  before(() => initParser());

  const ok = (sql: string) => {
    const check = checkExplainable(sql);
    assert.ok(check.ok, `refused: ${!check.ok && check.message}`);
    return check;
  };
  const refused = (sql: string) => {
    const check = checkExplainable(sql);
    assert.ok(!check.ok, `accepted: ${sql}`);
    return check.message;
  };

  it('kinds of plannable statements', () => {
    const kinds = [
      ['SELECT 1', 'SELECT'],
      ['VALUES (1)', 'SELECT'],
      ['TABLE t', 'SELECT'],
      ['SELECT * INTO copy FROM t', 'SELECT INTO'],
      ['INSERT INTO t VALUES (1)', 'INSERT'],
      ['UPDATE t SET a = 1', 'UPDATE'],
      ['DELETE FROM t', 'DELETE'],
      ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE', 'MERGE'],
      ['CREATE TABLE c AS SELECT 1', 'CREATE TABLE AS'],
      ['CREATE MATERIALIZED VIEW m AS SELECT 1', 'CREATE MATERIALIZED VIEW'],
      ['DECLARE c CURSOR FOR SELECT 1', 'DECLARE CURSOR'],
      ['EXECUTE prepared(1)', 'EXECUTE'],
    ];
    assert.deepStrictEqual(
      kinds.map(([sql]) => [sql, ok(sql).kind]),
      kinds,
    );
  });

  it('what a statement would write', () => {
    const cases: [string, string[]][] = [
      ['SELECT * FROM t WHERE a > 1', []],
      ['SELECT nextval(\'s\')', []], // only the server can tell what functions do
      ['INSERT INTO t SELECT * FROM u', ['INSERT']],
      ['WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d', ['a data-modifying WITH (DELETE)']],
      ['WITH d AS (UPDATE t SET a = 1 RETURNING *) INSERT INTO log SELECT * FROM d', ['INSERT', 'a data-modifying WITH (UPDATE)']],
      ['SELECT * FROM t FOR UPDATE', ['row locking (FOR UPDATE)']],
      ['SELECT * FROM (SELECT * FROM t FOR KEY SHARE) s', ['row locking (FOR KEY SHARE)']],
      ['SELECT * INTO copy FROM t', ['SELECT INTO']],
      ['CREATE TABLE c AS SELECT 1', ['CREATE TABLE AS']],
    ];
    assert.deepStrictEqual(
      cases.map(([sql]) => [sql, ok(sql).writes]),
      cases,
    );
  });

  it('counts $n parameters by their highest number, ignoring look-alikes in strings and dollar quotes', () => {
    assert.strictEqual(ok('SELECT * FROM t WHERE a = $2 AND b = $1').parameters, 2);
    assert.strictEqual(ok("SELECT '$1', $$ $3 $$").parameters, 0);
  });

  it('the statement as it will follow EXPLAIN: no trailing semicolons or empty statements', () => {
    assert.strictEqual(ok('  SELECT 1 ;  ;\n').statement, 'SELECT 1');
    assert.strictEqual(ok('SELECT 1 -- note\n').statement, 'SELECT 1 -- note');
  });

  it('COPY (query) TO: the query in its parentheses, which COPY plans as it is planned alone', () => {
    assert.deepStrictEqual(ok("COPY (SELECT ')' AS p /* ( */, (1)) TO STDOUT WITH (FORMAT csv)"), {
      ok: true,
      statement: "SELECT ')' AS p /* ( */, (1)",
      kind: 'COPY (SELECT) TO',
      parameters: 0,
      writes: [],
    });
    assert.deepStrictEqual(ok('COPY (DELETE FROM t RETURNING id) TO STDOUT').writes, ['DELETE']);
    assert.strictEqual(refused('COPY t TO STDOUT'), 'COPY is a utility statement: the planner does not plan it, so it has no plan to explain');
    assert.strictEqual(refused('COPY t FROM STDIN'), 'COPY is a utility statement: the planner does not plan it, so it has no plan to explain');
  });

  it('refuses what EXPLAIN cannot take, saying why', () => {
    assert.strictEqual(refused('SELECT 1; SELECT 2'), 'expected exactly one statement, found 2');
    assert.strictEqual(refused('  ; -- nothing'), 'there is no statement to explain');
    assert.strictEqual(refused('VACUUM t'), 'VACUUM is a utility statement: the planner does not plan it, so it has no plan to explain');
    assert.strictEqual(refused('ALTER TABLE t ADD b int'), 'ALTER TABLE is a utility statement: the planner does not plan it, so it has no plan to explain');
    assert.strictEqual(refused('CALL p()'), 'CALL is a utility statement: the planner does not plan it, so it has no plan to explain');
    assert.strictEqual(refused('COMMIT'), 'A transaction command is a utility statement: the planner does not plan it, so it has no plan to explain');
    assert.strictEqual(refused('REFRESH MATERIALIZED VIEW m'), 'EXPLAIN shows no plan for REFRESH MATERIALIZED VIEW (only "Utility Statement"): explain the view\'s query instead');
    assert.strictEqual(refused('EXPLAIN SELECT 1'), 'the text is already an EXPLAIN statement: give the statement without EXPLAIN');
    assert.match(refused('SELEC 1'), /^the statement does not parse: syntax error at or near "SELEC"/);
    assert.strictEqual(
      refused("SELECT * FROM t WHERE a = :'name' LIMIT :lim"),
      'the statement uses psql variables (:name), which psql fills in before it sends a statement: EXPLAIN takes the text as written, so put values in their place',
    );
  });
});
