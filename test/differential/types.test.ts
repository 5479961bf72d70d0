/**
 * The engine's types against PostgreSQL's own: for each expression in
 * test/fixtures/types/expressions.txt, the type the engine infers for it (the output column of
 * `SELECT expression FROM ...`, from the live catalog and from the schema read as a file) must be
 * pg_typeof's in a real PostgreSQL. Overloads are chosen by these types, and overloads can differ in
 * their parallel labels: a wrong or unknown type can choose the wrong function. Expressions the
 * server rejects (syntax or functions of other majors) are not compared; they are counted.
 *
 * A line is `expression`, `expression ::: FROM clause`, or `expression ::: FROM clause ::: types`
 * (run PREPAREd with those parameter types; `-` declares none). The FROM clause defaults to `FROM t`.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Catalog } from '../../server/src/core/catalog';
import { parseSql } from '../../server/src/core/parse';
import { StatementWalker } from '../../server/src/core/walker';
import { refereeDatabase } from './referee';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'types');
const SCHEMA = fs.readFileSync(path.join(fixtures, 'schema.sql'), 'utf8');
const LINES = fs
  .readFileSync(path.join(fixtures, 'expressions.txt'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('--'));

/**
 * Known gaps, with what the engine says: subscripts of geometric types (their element type is not in
 * the catalog snapshot, which records it for arrays only).
 */
const KNOWN_GAPS = new Map<string, string>([
  ['pt[0]', ''],
  ['bx[0]', ''],
  ['lseg_col[0]', ''],
  ['pt[0] + 1', ''],
]);

/** As format_type and the engine spell a type, without the schema of a type on the search path. */
const spelled = (type: string | undefined) => (type ?? '').replace(/^(pg_catalog|public)\./, '');

function engineType(line: string, catalog: Catalog): string {
  const [expression, from = 'FROM t', parameters] = line.split(' ::: ');
  const sql = `SELECT ${expression} AS x ${from}`;
  const parsed = parseSql(sql);
  if (!parsed.ok) return '(does not parse)';
  const walker = new StatementWalker(sql, parsed.offsets, catalog);
  if (parameters && parameters !== '-') walker.declareParameters(parameters.split(',').map((p) => p.trim()));
  const type = walker.statement(parsed.statements[0].stmt)?.[0]?.type;
  // An untyped literal alone is pg_typeof's `unknown`.
  return type === undefined || type === '' ? '(unknown)' : type;
}

describe('differential: expression types against pg_typeof', function () {
  this.timeout(300_000);
  const referee = refereeDatabase('types', SCHEMA);

  it(`infers PostgreSQL's type for each expression it accepts, with and without a database`, async () => {
    const client = referee.client;
    const differences: string[] = [];
    let compared = 0;
    let rejected = 0;
    for (const line of LINES) {
      const [expression, from = 'FROM t', parameters] = line.split(' ::: ');
      let actual: string | undefined;
      try {
        if (parameters === undefined) {
          const typed = await client.query(`SELECT pg_typeof(${expression})::text AS t ${from} LIMIT 1`);
          // No row to read it from: the result's column type (a domain's is its base type there).
          actual = typed.rows[0]?.t ?? (await columnType(client, `SELECT ${expression} ${from} LIMIT 0`));
        } else {
          await client.query(`PREPARE typed${parameters === '-' ? '' : `(${parameters})`} AS SELECT pg_typeof(${expression})::text AS t ${from} LIMIT 1`);
          try {
            const count = (await client.query(`SELECT cardinality(parameter_types) AS n FROM pg_prepared_statements WHERE name = 'typed'`)).rows[0].n;
            actual = (await client.query(`EXECUTE typed(${Array(count).fill('NULL').join(', ')})`)).rows[0]?.t;
          } finally {
            await client.query('DEALLOCATE typed');
          }
        }
      } catch {
        rejected++;
        continue;
      }
      if (actual === undefined) continue;
      compared++;
      const expected = KNOWN_GAPS.get(line) ?? spelled(actual);
      const live = engineType(line, referee.catalog);
      const offline = engineType(line, referee.offline);
      if (spelled(live) !== expected && !(KNOWN_GAPS.has(line) && live === '(unknown)')) differences.push(`${line}: PostgreSQL ${actual}, the engine ${live}`);
      if (spelled(offline) !== spelled(live)) differences.push(`${line}: without a database ${offline}, with one ${live}`);
    }
    assert.deepStrictEqual(differences, []);
    // Most of the list is valid on every supported major (the rest is syntax of newer ones).
    assert.ok(compared >= 1900, `only ${compared} expressions compared (${rejected} rejected)`);
  });
});

async function columnType(client: import('pg').Client, sql: string): Promise<string | undefined> {
  const result = await client.query(sql);
  const oid = result.fields[0]?.dataTypeID;
  return oid === undefined ? undefined : (await client.query('SELECT format_type($1::oid, NULL) AS t', [oid])).rows[0].t;
}
