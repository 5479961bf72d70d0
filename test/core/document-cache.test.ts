import * as assert from 'assert';
import fc from 'fast-check';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';
import { Catalog } from '../../server/src/core/catalog';
import { analyzeDocument, DocumentAnalyzer } from '../../server/src/core/document';
import { initParser } from '../../server/src/core/parse';
import { LineIndex } from '../../server/src/core/text';
import type { Reason, StatementResult } from '../../server/src/core/types';

const URI = 'file:///cache.sql';

/**
 * Plain data. The document's own objects get negative oids allocated afresh by every analysis (a
 * cached statement keeps the ones of the pass that analysed it), so those compare as "local".
 */
function plain(statements: StatementResult[] | unknown[]): unknown {
  const local = (value: unknown) => (typeof value === 'number' && value < 0 ? 'local' : value);
  return JSON.parse(JSON.stringify(statements, (key, value) => (key === 'oid' ? local(value) : key === 'viewFunctions' && Array.isArray(value) ? value.map(local) : value)));
}

/** The same statements as a fresh analysis gives, definitions' places included. */
function assertSameAsFresh(analyzer: DocumentAnalyzer, text: string, catalog: Catalog): void {
  const cached = analyzer.analyze(text, catalog);
  const fresh = analyzeDocument(text, catalog, URI);
  assert.deepStrictEqual(plain(cached.statements), plain(fresh.statements));
  // The catalog after the document (hover looks definitions up there) is the same too.
  assert.strictEqual(cached.catalogAfter.version, fresh.catalogAfter.version);
  assert.deepStrictEqual(plain(cached.catalogAfter.functionsNamed('tag')), plain(fresh.catalogAfter.functionsNamed('tag')));
}

describe('document analysis cache: edits that move definitions', () => {
  let pg18: Catalog;
  before(async () => {
    await initParser();
    pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
  });

  const text = [
    '-- helpers',
    'CREATE FUNCTION tag(x int) RETURNS text LANGUAGE sql AS $$ SELECT x::text $$;',
    'SELECT 1;',
    'SELECT tag(2);',
    'SELECT 3;',
    'SELECT tag(4) FROM generate_series(1, 10);',
  ].join('\n');

  it('moves the definition a cached statement points to when text is inserted before it, without analysing the statement again', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(text, pg18);
    const edited = text.replace('-- helpers', '-- shared helpers\n');
    assertSameAsFresh(analyzer, edited, pg18);
    // The comment line is the only statement analysed... and it is no statement: the definition's
    // recorded changes are replayed at its new place, the four queries come from the cache.
    assert.strictEqual(analyzer.lastAnalyzed, 0);
    const use = analyzer.analyze(edited, pg18).statements[2];
    const related = use.reasons.find((r) => r.code === 'unsafe-function')?.related?.[0]?.location;
    assert.deepStrictEqual(related && edited.slice(related.start, related.start + 15), 'CREATE FUNCTION');
  });

  it('keeps places right for an edit between the definition and its use, and inside a use', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(text, pg18);
    const between = text.replace('SELECT 1;', 'SELECT 11;');
    assertSameAsFresh(analyzer, between, pg18);
    assert.strictEqual(analyzer.lastAnalyzed, 1);
    const inside = between.replace('SELECT tag(2)', 'SELECT tag(22)');
    assertSameAsFresh(analyzer, inside, pg18);
    assert.strictEqual(analyzer.lastAnalyzed, 1);
  });

  it('analyses again what follows an edited definition, and a definition replaced by the same text elsewhere', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(text, pg18);
    const relabelled = text.replace('LANGUAGE sql AS', 'LANGUAGE sql PARALLEL SAFE AS');
    assertSameAsFresh(analyzer, relabelled, pg18);
    assert.strictEqual(analyzer.lastAnalyzed, 5);
    // The same definition text cut and pasted one line further down: same chain, new place.
    const lines = text.split('\n');
    const moved = [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n');
    assertSameAsFresh(analyzer, text, pg18);
    assertSameAsFresh(analyzer, moved, pg18);
  });
});

describe('document analysis cache: random edits, whatever is read between them', () => {
  let pg18: Catalog;
  before(async () => {
    await initParser();
    pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
  });

  const base = [
    'CREATE FUNCTION tag(x int) RETURNS text LANGUAGE sql AS $$ SELECT x::text $$;',
    'CREATE TABLE t (a int, b text);',
    'SELECT tag(a) FROM t;',
    'CREATE VIEW v AS SELECT tag(a) AS s, random() AS r FROM t;',
    'SELECT * FROM v WHERE r > 0.5;',
    'CREATE TEMP TABLE tt AS SELECT a FROM t;',
    'SELECT count(*) FROM tt;',
    'CREATE OR REPLACE FUNCTION tag(x int) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT x::text $$;',
    'SELECT tag(1), now() FROM v;',
    '\\set x 1',
    'SELECT lower(b) FROM t FOR UPDATE;',
  ].join('\n');
  const fragments = ['\n', ' ', ';', 'x', '7', '-- c\n', 'SELECT tag(2);', 'CREATE TABLE u (c int);', 'SELECT * FROM u;', "'", '$$', 'PARALLEL SAFE '];
  const edit = fc.record({
    at: fc.nat(),
    cut: fc.nat({ max: 12 }),
    insert: fc.constantFrom(...fragments),
    read: fc.constantFrom('statements', 'touching', 'outline', 'catalog', 'diagnostics', 'nothing'),
    // The range read by 'touching' (a position when its span is 0).
    from: fc.nat(),
    span: fc.constantFrom(0, 0, 1, 5, 40, 200),
  });

  /** A reason as an editor would get it: lines and columns, related places included. */
  const converter = (lines: LineIndex) => (reason: Reason) => ({
    code: reason.code,
    start: lines.positionAt(reason.range.start),
    end: lines.positionAt(reason.range.end),
    related: (reason.related ?? []).map((r) => r.location && { uri: r.location.uri, start: lines.positionAt(r.location.start), end: lines.positionAt(r.location.end) }),
  });

  it('gives what a fresh analysis gives: statements (all, or those touching a range), their outline, the catalog after the document, converted reasons', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const analyzer = new DocumentAnalyzer(URI);
        let text = base;
        let lines = new LineIndex(text);
        analyzer.analyze(text, pg18);
        for (const { at, cut, insert, read, from, span } of edits) {
          const pos = at % (text.length + 1);
          text = text.slice(0, pos) + insert + text.slice(pos + cut);
          lines = lines.updated(text);
          const cached = analyzer.analyze(text, pg18);
          const fresh = analyzeDocument(text, pg18, URI);
          if (read === 'statements') assert.deepStrictEqual(plain(cached.statements), plain(fresh.statements));
          if (read === 'touching') {
            const start = from % (text.length + 1);
            const touching = fresh.statements.filter((s) => s.range.end >= start && s.range.start <= start + span);
            assert.deepStrictEqual(plain(cached.statementsTouching(start, start + span)), plain(touching));
          }
          if (read === 'outline') assert.deepStrictEqual(cached.outline, fresh.statements.map(({ range, kind, parsed }) => ({ range, kind, parsed })));
          if (read === 'catalog') {
            assert.strictEqual(cached.catalogAfter.version, fresh.catalogAfter.version);
            for (const name of ['tag', 'u', 't', 'v', 'tt']) {
              assert.deepStrictEqual(plain(cached.catalogAfter.functionsNamed(name)), plain(fresh.catalogAfter.functionsNamed(name)));
              assert.deepStrictEqual(plain([cached.catalogAfter.relationNamed(name)]), plain([fresh.catalogAfter.relationNamed(name)]));
            }
          }
          if (read === 'diagnostics') {
            const convert = converter(lines);
            const expected = fresh.statements.flatMap((s) => s.reasons.map(convert));
            assert.deepStrictEqual(plain(analyzer.convertReasons(lines, convert)), plain(expected));
          }
        }
        // Whatever was read before, everything is right at the end.
        const last = analyzer.analyze(text, pg18);
        assert.deepStrictEqual(plain(last.statements), plain(analyzeDocument(text, pg18, URI).statements));
      }),
      { numRuns: Number(process.env.PGPH_FUZZ_RUNS) > 0 ? Number(process.env.PGPH_FUZZ_RUNS) : 200 },
    );
  });
});

/**
 * Where each function a statement calls is defined in this document, and where its reasons point
 * here, as "name start-end" and "code start-end".
 */
function placesHere(statement: StatementResult): string[] {
  const places: string[] = [];
  for (const ref of statement.references) {
    for (const fn of ref.functions) if (fn.definedAt?.uri === URI) places.push(`${fn.name} ${fn.definedAt.start}-${fn.definedAt.end}`);
    if (ref.definedAt?.uri === URI) places.push(`${ref.kind} ${ref.name} ${ref.definedAt.start}-${ref.definedAt.end}`);
  }
  for (const reason of statement.reasons) for (const r of reason.related ?? []) if (r.location?.uri === URI) places.push(`${reason.code} ${r.location.start}-${r.location.end}`);
  return places;
}

// The long fuzz run's failure (RELIABILITY.md): a definition's text that becomes another statement
// than the one the common prefix and suffix of the edit suggest.
describe('document analysis cache: a definition whose text ends up in another statement', () => {
  let pg18: Catalog;
  before(async () => {
    await initParser();
    pg18 = Catalog.fromSnapshot(loadBuiltinCatalog(18));
  });

  const f = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$';

  /** The edited text analysed from the cache: what a fresh analysis gives, the catalog after it included. */
  function edit(analyzer: DocumentAnalyzer, text: string): StatementResult[] {
    const cached = analyzer.analyze(text, pg18);
    const fresh = analyzeDocument(text, pg18, URI);
    assert.deepStrictEqual(plain(cached.statements), plain(fresh.statements));
    assert.strictEqual(cached.catalogAfter.version, fresh.catalogAfter.version);
    for (const name of ['f', 'ag']) assert.deepStrictEqual(plain(cached.catalogAfter.functionsNamed(name)), plain(fresh.catalogAfter.functionsNamed(name)));
    return cached.statements;
  }

  it('places a definition typed after a common first letter where it now is (the long run: 0-234 instead of 89-143)', () => {
    const aggregate = 'CREATE AGGREGATE ag(int) (sfunc = int4pl, stype = int)';
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(aggregate, pg18);
    // Common prefix "C", no common suffix: the old definition (0-54) spans the whole change.
    const text = `CX;\n${aggregate};\nSELECT ag(1);`;
    const statements = edit(analyzer, text);
    assert.strictEqual(text.slice(4, 58), aggregate);
    assert.deepStrictEqual(placesHere(statements[2]), ['ag 4-58', 'unsafe-aggregate 4-58']);
    // The definition's entry still serves it, moved: only "CX" and the query are analysed.
    assert.strictEqual(analyzer.lastAnalyzed, 2);
  });

  it('moves the places held by a statement after the edit with the definition they name, not with the common text', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(`${f};\nSELECT f();`, pg18);
    const text = `CSELECT 1;\n${f};\nSELECT f();`;
    const statements = edit(analyzer, text);
    assert.strictEqual(text.slice(11, 73), f);
    assert.deepStrictEqual(placesHere(statements[2]), ['f 11-73', 'unsafe-function 11-73']);
    assert.strictEqual(analyzer.lastAnalyzed, 1);
  });

  it('gives a definition\'s entry to the statement that reuses its text, not to the place the common suffix maps it to', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(`SELECT 1;\n${f};`, pg18);
    // The old definition's text is now in an unterminated quote; the same text starts the document.
    const text = `${f};\nSELECT f();\nSELECT '\n${f};`;
    const statements = edit(analyzer, text);
    assert.deepStrictEqual(placesHere(statements[1]), ['f 0-62', 'unsafe-function 0-62']);
    assert.deepStrictEqual(
      analyzer.analyze(text, pg18).catalogAfter.functionsNamed('f').map((fn) => fn.definedAt),
      [{ uri: URI, start: 0, end: 62 }],
    );
    assert.strictEqual(analyzer.lastAnalyzed, 0);
  });

  it('moves a definition that was the statement being continued when its text is repeated after it', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze(`${f};\nSELECT f();`, pg18);
    // The first statement goes on past the old definition's end: the old 0-62 lies wholly in the common prefix.
    const text = `${f} XX;\n${f};\nSELECT f();`;
    const statements = edit(analyzer, text);
    assert.deepStrictEqual(statements.map((s) => `${s.kind} ${s.range.start}-${s.range.end}`), ['invalid 0-65', 'create-function 67-129', 'select 131-141']);
    assert.deepStrictEqual(placesHere(statements[2]), ['f 67-129', 'unsafe-function 67-129']);
    assert.strictEqual(analyzer.lastAnalyzed, 1);
  });

  it('moves the place in the catalog version of a change that holds no location (ALTER of a built-in)', () => {
    const analyzer = new DocumentAnalyzer(URI);
    analyzer.analyze('SELECT 1;\nALTER FUNCTION random() PARALLEL SAFE;', pg18);
    edit(analyzer, 'SELECT 12;\nALTER FUNCTION random() PARALLEL SAFE;');
    assert.strictEqual(analyzer.lastAnalyzed, 1);
  });
});
