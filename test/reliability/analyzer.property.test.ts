/**
 * Properties of the parser wrapper and the analyser on random and mutated SQL (the splitter and the
 * offset tables have their own in test/core/split.property.test.ts):
 *  - nothing throws, whatever the text;
 *  - every range the engine returns (statements, reasons, references, fix edits, locations in the
 *    document) lies inside the document, with start <= end, and never between the halves of a
 *    surrogate pair;
 *  - a statement's analysis depends only on the text up to its end: the statements of a prefix
 *    that the prefix closes get identical results whatever is appended, DDL included (the engine
 *    reads a document top to bottom, as PostgreSQL runs it);
 *  - an analyser reused across edits (its cache) gives what a fresh one gives, and one that
 *    analyses a document step by step (analyzeInSteps) what one analysis gives, also a fork of an
 *    analyzer that goes on with other edits meanwhile.
 *
 * A few hundred runs per property by default (a few seconds); PGPH_FUZZ_RUNS=N runs N per property
 * (the long search: PGPH_FUZZ_RUNS=250000, six properties, 1,500,000 inputs).
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';
import { Catalog } from '../../server/src/core/catalog';
import { analyzeDocument, DocumentAnalyzer } from '../../server/src/core/document';
import { initParser, parseSql, scanSql } from '../../server/src/core/parse';
import type { StatementResult, TextRange } from '../../server/src/core/types';

const DEFAULT_RUNS = 300;
const RUNS = Number(process.env.PGPH_FUZZ_RUNS) > 0 ? Math.floor(Number(process.env.PGPH_FUZZ_RUNS)) : DEFAULT_RUNS;
const params = { numRuns: RUNS };
const URI = 'file:///fuzz.sql';

const FRAGMENTS = [
  // statements and clauses the analyser treats specially
  'SELECT ', 'select ', 'FROM ', 'WHERE ', 'WITH ', 'AS ', 'UNION ', 'ORDER BY ', 'GROUP BY ', 'LIMIT 1', 'FOR UPDATE',
  'INSERT INTO t VALUES (1)', 'UPDATE t SET a = 1', 'DELETE FROM t', 'MERGE INTO t USING u ON true WHEN MATCHED THEN DELETE',
  'DECLARE c CURSOR FOR ', 'EXPLAIN ', 'PREPARE p AS ', 'CREATE TABLE t (a int)', 'CREATE TEMP TABLE t (a int)',
  'CREATE VIEW v AS ', 'CREATE MATERIALIZED VIEW mv AS ', 'CREATE TABLE t2 AS ', 'REFRESH MATERIALIZED VIEW mv',
  'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$',
  'CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT random()::int $$',
  'CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $b$ BEGIN PERFORM nextval(\'s\'); RETURN 1; EXCEPTION WHEN others THEN RETURN 0; END $b$',
  'CREATE FUNCTION h(int) RETURNS int LANGUAGE sql PARALLEL SAFE BEGIN ATOMIC SELECT $1; END',
  'ALTER FUNCTION f(int) PARALLEL SAFE', 'ALTER FUNCTION f(int) PARALLEL UNSAFE', 'DROP FUNCTION f(int)', 'DROP VIEW v',
  'CREATE AGGREGATE ag(int) (sfunc = int4pl, stype = int)', 'CREATE OPERATOR === (function = int4eq, leftarg = int, rightarg = int)',
  'CREATE CAST (text AS t) WITH FUNCTION f(text)', 'CREATE DOMAIN d AS int CHECK (f(VALUE) > 0)', 'CREATE POLICY p ON t USING (f(a) > 0)',
  'ALTER TABLE t SET (parallel_workers = 0)', 'SET max_parallel_workers_per_gather = 0',
  // calls, operators, casts, aggregates, windows
  'random()', 'now()', 'pg_sleep(1)', 'count(*)', 'sum(a)', 'f(1)', 'public.f(a)', 'g()', 'h(2)', 'v.a', 'ag(a)',
  "nextval('s')", "setval('s', 1)", 'lower(\'A\')', 'a::text', 'CAST(a AS t)', 'a === 1', '1 + 2', 'a || b', 'row_number() OVER ()',
  'generate_series(1, 3)', 'string_agg(a, \',\' ORDER BY a)', 'array_agg(DISTINCT a)', '(SELECT f(a))', 'EXISTS (SELECT 1)',
  // names
  't', 'u', 'v', 'mv', 'a', 'x', '"T"', '"a""b"', '"😀"', 'ñame', 'pg_catalog.', 'public.',
  // literals and quotes
  "'s'", "E'\\''", '$$', '$$ x $$', '$b$', 'U&\'\\0041\'', "B'1'", '1e3', '$1', "'", '"',
  // comments, separators
  '--c\n', '/* c */', '/*', '*/', ';', ';', ';', '(', ')', ',', '.', '::', '*',
  // white space and line ends
  ' ', ' ', '\n', '\r\n', '\r', '\t',
  // psql
  '\\d t\n', '\\set x 1\n', ':x', '\\;', 'COPY t FROM stdin;\n', '\n\\.\n', '1\tO\'B\n',
  // characters of every width, and broken ones
  'é', '中', '😀', '\u0000', '\ufeff', '\ud800', '\udc00',
];

const fragment = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

const randomSql = fc.oneof(
  { weight: 3, arbitrary: fc.array(fragment, { maxLength: 40 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 30 }).map((parts) => parts.join(' ')) },
);

const CORPUS = [
  'CREATE FUNCTION slow(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 $$;\nSELECT slow(a) FROM generate_series(1, 10) a;\n',
  'CREATE TABLE orders (id int, total numeric) WITH (parallel_workers = 4);\nCREATE VIEW r AS SELECT id, random() AS x FROM orders;\nSELECT * FROM r;\nALTER FUNCTION random() PARALLEL SAFE;\nSELECT * FROM r;\n',
  "WITH w AS MATERIALIZED (SELECT now()) SELECT count(*), string_agg(x::text, ',') FROM w, LATERAL (SELECT nextval('s')) x FOR UPDATE;\r\n",
  'CREATE OR REPLACE FUNCTION f(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $f$\nBEGIN\n  INSERT INTO t VALUES (x);\n  RETURN x;\nEXCEPTION WHEN others THEN RETURN 0;\nEND $f$;\nSELECT f(1), "😀"(2) FROM t WHERE a = ANY (SELECT f(a) FROM u);\n',
  'CREATE FUNCTION h(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; END;\nCREATE AGGREGATE ag(int) (sfunc = int4pl, stype = int);\nSELECT ag(h(x)) OVER (), row_number() OVER () FROM t;\nDROP FUNCTION h(int);\nSELECT h(1);\n',
  "\\set n 3\nSELECT pg_sleep(:n), 'é中😀', lower(U&'\\0041') FROM t;\rDECLARE c CURSOR FOR SELECT random();\nUPDATE t SET a = random() RETURNING f(a);\n",
  'CREATE DOMAIN d AS int CHECK (VALUE > random());\nCREATE TEMP TABLE tt (a d);\nCREATE POLICY p ON t USING (f(a) > 0);\nSELECT a::d FROM tt JOIN t USING (a);\n',
];

/** A realistic script with a few edits: text cut out and fragments typed in. */
const mutatedSql = fc
  .tuple(fc.constantFrom(...CORPUS), fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 6 }), insert: fragment }), { minLength: 1, maxLength: 6 }))
  .map(([base, edits]) =>
    edits.reduce((text, { at, cut, insert }) => {
      const pos = at % (text.length + 1);
      return text.slice(0, pos) + insert + text.slice(pos + cut);
    }, base),
  );

const anySql = fc.oneof(randomSql, mutatedSql, fc.constantFrom(...CORPUS));

/** Between the halves of a surrogate pair: not a character boundary. */
function insidePair(text: string, u: number): boolean {
  return u > 0 && u < text.length && (text.charCodeAt(u - 1) & 0xfc00) === 0xd800 && (text.charCodeAt(u) & 0xfc00) === 0xdc00;
}

/**
 * Results as comparable data. Objects defined in the document get made-up negative oids from a
 * counter shared by every analysis, and each pass defines them again: a cached result may hold the
 * previous pass's copy of an object (same content, other oid). Such oids compare as "local".
 */
function canonical(statements: StatementResult[]): unknown {
  const local = (oid: unknown) => (typeof oid === 'number' && oid < 0 ? 'local' : oid);
  return JSON.parse(
    JSON.stringify(statements, (key, value) => {
      if (key === 'oid' || key === 'functionOid') return local(value);
      if ((key === 'viewFunctions' || key === 'policyFunctions') && Array.isArray(value)) return value.map(local);
      return value;
    }),
  );
}

/**
 * Runs work and returns what it wrote to stderr. libpg-query's WebAssembly prints "Aborted(...)"
 * there when it hits an internal assertion, and leaks the memory of that call: no input may do that.
 */
function withStderr<T>(work: () => T): { value: T; printed: string } {
  const write = process.stderr.write;
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    const value = work();
    return { value, printed: written };
  } finally {
    process.stderr.write = write;
  }
}

function assertRange(text: string, range: TextRange, what: string, within: TextRange = { start: 0, end: text.length }): void {
  const shown = () => `${what} ${JSON.stringify(range)} in ${JSON.stringify(text)}`;
  assert.ok(Number.isInteger(range.start) && Number.isInteger(range.end), `not integers: ${shown()}`);
  assert.ok(within.start <= range.start && range.start <= range.end && range.end <= within.end, `outside ${JSON.stringify(within)}: ${shown()}`);
  assert.ok(!insidePair(text, range.start) && !insidePair(text, range.end), `splits a surrogate pair: ${shown()}`);
}

function assertRangesInside(text: string, statements: StatementResult[]): void {
  let previousEnd = 0;
  for (const statement of statements) {
    assertRange(text, statement.range, 'statement');
    assert.ok(statement.range.start >= previousEnd, `statements overlap in ${JSON.stringify(text)}`);
    previousEnd = statement.range.end;
    for (const reason of statement.reasons) {
      assertRange(text, reason.range, `${reason.code} reason`, statement.range);
      for (const fix of reason.fixes ?? []) for (const edit of fix.edits) assertRange(text, edit.range, `fix "${fix.title}"`);
      for (const related of reason.related ?? []) {
        if (related.location?.uri === URI) assertRange(text, related.location, `related "${related.message}"`);
      }
    }
    for (const reference of statement.references) {
      assertRange(text, reference.range, `${reference.kind} reference ${reference.name}`, statement.range);
      for (const fn of reference.functions) if (fn.definedAt?.uri === URI) assertRange(text, fn.definedAt, `definition of ${fn.name}`);
      if (reference.definedAt?.uri === URI) assertRange(text, reference.definedAt, `definition of ${reference.kind} ${reference.name}`);
    }
  }
}

describe('reliability: parser wrapper and analyser on random and mutated SQL', function () {
  this.timeout(RUNS > DEFAULT_RUNS ? 0 : 60_000);
  let pg18: Catalog;

  before(async () => {
    await initParser();
    pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
  });

  it('parseSql and scanSql never throw, and give offsets and tokens inside the text', () => {
    fc.assert(
      fc.property(anySql, (text) => {
        const { value: parsed, printed } = withStderr(() => parseSql(text));
        assert.strictEqual(printed, '', `the parser printed while parsing ${JSON.stringify(text)}`);
        if (parsed.ok) {
          for (const s of parsed.statements) assertRange(text, s, 'parsed statement');
        } else {
          assert.ok(parsed.offset >= 0 && parsed.offset <= text.length && !insidePair(text, parsed.offset), `error offset ${parsed.offset}`);
          assert.strictEqual(typeof parsed.message, 'string');
        }
        let previousEnd = 0;
        for (const token of scanSql(text)) {
          assertRange(text, token, `token ${token.kind}`);
          assert.ok(token.start >= previousEnd && token.start < token.end, `token order at ${token.start}`);
          assert.strictEqual(token.text, text.slice(token.start, token.end));
          previousEnd = token.end;
        }
      }),
      params,
    );
  });

  it('analyses any text without throwing or the parser aborting, every range inside the document and its statement', () => {
    fc.assert(
      fc.property(anySql, (text) => {
        const { value: statements, printed } = withStderr(() => analyzeDocument(text, pg18, URI).statements);
        assert.strictEqual(printed, '', `the parser printed while analysing ${JSON.stringify(text)}`);
        assertRangesInside(text, statements);
      }),
      params,
    );
  });

  it('analyses a statement the same whatever follows it, DDL included', () => {
    fc.assert(
      fc.property(anySql, anySql, (prefix, rest) => {
        const before = analyzeDocument(prefix, pg18, URI).statements;
        const after = analyzeDocument(prefix + rest, pg18, URI).statements;
        // The last statement of the prefix may go on in the added text; the ones before it are closed.
        const closed = Math.max(0, before.length - 1);
        assert.ok(after.length >= closed, `${after.length} statements after appending, ${before.length} before`);
        const closedBefore = canonical(before.slice(0, closed));
        const closedAfter = canonical(after.slice(0, closed));
        for (let i = 0; i < closed; i++) {
          assert.deepStrictEqual((closedAfter as unknown[])[i], (closedBefore as unknown[])[i], `statement ${i} of ${JSON.stringify(prefix)} changed when ${JSON.stringify(rest)} was appended`);
        }
      }),
      params,
    );
  });

  it('gives from its cache, edit after edit, what a fresh analysis gives', () => {
    fc.assert(
      fc.property(fc.array(anySql, { minLength: 2, maxLength: 5 }), (versions) => {
        const analyzer = new DocumentAnalyzer(URI);
        for (const text of versions) {
          const cached = analyzer.analyze(text, pg18).statements;
          assert.deepStrictEqual(canonical(cached), canonical(analyzeDocument(text, pg18, URI).statements), `version ${JSON.stringify(text)} after ${JSON.stringify(versions)}`);
        }
      }),
      params,
    );
  });

  it('gives step by step what one analysis gives, stopping where stepDone() says at the ends of statements, keeping the result', () => {
    fc.assert(
      fc.property(fc.array(anySql, { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 3 }), anySql, (parts, every, edited) => {
        const text = parts.join(';\n');
        const analyzer = new DocumentAnalyzer(URI);
        let asked = 0;
        const steps = analyzer.analyzeInSteps(text, pg18, () => ++asked % every === 0);
        const stops: number[] = [];
        let step = steps.next();
        for (; !step.done; step = steps.next()) stops.push(step.value);
        const fresh = analyzeDocument(text, pg18, URI).statements;
        assert.deepStrictEqual(canonical(step.value.statements), canonical(fresh));
        // Asked after each statement (psql meta-commands aside), it stopped each time it was told to.
        const ends = fresh.filter((s) => s.kind !== 'psql-meta').map((s) => s.range.end);
        assert.strictEqual(asked, ends.length);
        assert.deepStrictEqual(stops, ends.filter((_, i) => (i + 1) % every === 0));
        // The pass is kept: the same text again analyses nothing; an edit after it is as after any pass.
        analyzer.analyze(text, pg18);
        assert.strictEqual(analyzer.lastAnalyzed, 0);
        const after = analyzer.analyze(edited, pg18).statements;
        assert.deepStrictEqual(canonical(after), canonical(analyzeDocument(edited, pg18, URI).statements));
      }),
      params,
    );
  });

  it('gives from a fork, step by step, what a fresh analysis gives, while the analyzer it came from goes on with other edits', () => {
    fc.assert(
      fc.property(anySql, anySql, anySql, anySql, fc.integer({ min: 1, max: 3 }), (first, around, typed, typedAfter, every) => {
        // The paste puts the first text back between new ones (its statements moved); the other
        // analyzer meanwhile sees an edit of the first text.
        const cut = Math.floor(around.length / 2);
        const pasted = `${around.slice(0, cut)}\n${first}\n${around.slice(cut)}`;
        const typedMeanwhile = `${first.slice(0, cut)}${typed}${first.slice(cut)}`;
        const analyzer = new DocumentAnalyzer(URI, { followCatalogChanges: true });
        analyzer.analyze(first, pg18);
        const fork = analyzer.fork();
        let asked = 0;
        const steps = fork.analyzeInSteps(pasted, pg18, () => ++asked % every === 0);
        let step = steps.next();
        // Between the steps the document's analyzer takes another edit: the slots both hold must stay right for both.
        if (!step.done) assert.deepStrictEqual(canonical(analyzer.analyze(typedMeanwhile, pg18).statements), canonical(analyzeDocument(typedMeanwhile, pg18, URI).statements));
        for (; !step.done; step = steps.next());
        assert.deepStrictEqual(canonical(step.value.statements), canonical(analyzeDocument(pasted, pg18, URI).statements));
        assert.deepStrictEqual(canonical(analyzer.analyze(typedAfter, pg18).statements), canonical(analyzeDocument(typedAfter, pg18, URI).statements));
        assert.deepStrictEqual(canonical(fork.analyze(typedAfter, pg18).statements), canonical(analyzeDocument(typedAfter, pg18, URI).statements));
      }),
      params,
    );
  });

  it('reuses in a fork what the pass it came from found: only the statements that text did not have are analysed', () => {
    const analyzer = new DocumentAnalyzer(URI, { followCatalogChanges: true });
    const text = 'SELECT 1;\nSELECT random();\nSELECT 3;\n';
    analyzer.analyze(text, pg18);
    const fork = analyzer.fork();
    const steps = fork.analyzeInSteps(`-- pasted\n${text}SELECT nextval('s');\n`, pg18, () => true);
    let step = steps.next();
    for (; !step.done; step = steps.next());
    assert.strictEqual(fork.lastAnalyzed, 1);
    // Against another base a fork starts from scratch.
    const other = analyzer.fork();
    const pg15 = Catalog.fromSnapshot(loadBuiltinCatalog(15));
    const again = other.analyzeInSteps(text, pg15, () => false);
    assert.strictEqual(again.next().done, true);
    assert.strictEqual(other.lastAnalyzed, 3);
  });
});

describe('reliability: a PL/pgSQL function still being typed', () => {
  before(() => initParser());

  it('is analysed without asking the PL/pgSQL parser, which aborts and leaks on a function with no body', () => {
    const pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
    const text = 'CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql';
    const { value: statements, printed } = withStderr(() => analyzeDocument(text, pg18, URI).statements);
    assert.strictEqual(printed, '');
    assert.deepStrictEqual(
      statements.map((s) => ({ kind: s.kind, verdict: s.verdict, reasons: s.reasons.map((r) => r.code) })),
      [{ kind: 'create-function', verdict: 'none', reasons: [] }],
    );
  });
});

describe('reliability: names with characters of every width', () => {
  before(() => initParser());

  it('covers the whole name, as PostgreSQL scans it: astral characters and symbols are identifier characters', () => {
    const pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
    const text = 'SELECT 𐀀count(*), x€(1), "😀"(2), écrire(3)';
    const [statement] = analyzeDocument(text, pg18, URI).statements;
    assert.deepStrictEqual(
      statement.reasons.map((r) => `${r.code} ${text.slice(r.range.start, r.range.end)} ${r.range.start}-${r.range.end}`),
      ['unknown-function 𐀀count 7-14', 'unknown-function x€ 19-21', 'unknown-function "😀" 26-30', 'unknown-function écrire 35-41'],
    );
  });
});
