/**
 * The workspace index rebuilds the folder's catalog after an edit by replaying what each file
 * changed last time, and analyses again only the files that looked up a function or relation whose
 * definition differs (server/src/workspace.ts). Property: after any sequence of edits, the catalog
 * it gives (for the folder, and for each file's document, which leaves that file out) resolves
 * every name as a fresh index of the same files does. Files define, replace, alter and drop
 * functions, views and tables that depend on each other across files, and change search_path and
 * operators (which make everything after them analysed again).
 *
 * A document analysed against the folder's catalog keeps, when that catalog changes, the results of
 * the statements that read nothing it defines differently (Catalog.differencesFrom). Property:
 * whatever the edits, the document's results are those of a fresh analysis against a fresh index.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { pathToFileURL } from 'url';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';
import { Catalog } from '../../server/src/core/catalog';
import type { CatalogFunction } from '../../server/src/core/catalog-snapshot';
import { analyzeDocument, DocumentAnalyzer } from '../../server/src/core/document';
import { initParser } from '../../server/src/core/parse';
import { FolderIndex, uriKey } from '../../server/src/workspace';

const RUNS = Number(process.env.PGPH_FUZZ_RUNS) > 0 ? Math.floor(Number(process.env.PGPH_FUZZ_RUNS)) : 150;
const FOLDER = pathToFileURL(process.platform === 'win32' ? 'C:\\fuzz-folder' : '/fuzz-folder').href;
const FILES = ['a.sql', 'b.sql', 'c.sql', 'd.sql'].map((name) => `${FOLDER}/${name}`);

const STATEMENTS = [
  'CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$',
  'CREATE OR REPLACE FUNCTION f1(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$',
  'CREATE FUNCTION f2(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT f1(x) $$',
  'CREATE FUNCTION f3(x int) RETURNS text LANGUAGE sql PARALLEL SAFE AS $$ SELECT x::text $$',
  'ALTER FUNCTION f1(int) PARALLEL SAFE',
  'ALTER FUNCTION f1(int) PARALLEL UNSAFE',
  'ALTER FUNCTION f2(int) RENAME TO f3',
  'DROP FUNCTION f1(int)',
  'CREATE TABLE t1 (a int, b text)',
  'CREATE TABLE t2 (a int)',
  'ALTER TABLE t1 RENAME TO t2',
  'ALTER TABLE t1 ADD COLUMN c int',
  'DROP TABLE t1',
  'CREATE VIEW v1 AS SELECT f1(a) AS a FROM t1',
  'CREATE OR REPLACE VIEW v1 AS SELECT f2(a) AS a FROM t2',
  'CREATE VIEW v2 AS SELECT f3(a) AS s, a FROM v1',
  'DROP VIEW v1',
  'CREATE TEMP TABLE t2 AS SELECT f2(1) AS a',
  'CREATE SCHEMA s',
  'SET search_path = s, public',
  'CREATE FUNCTION s.f1(x int) RETURNS int LANGUAGE sql PARALLEL UNSAFE AS $$ SELECT x $$',
  'CREATE OPERATOR === (function = int4eq, leftarg = int, rightarg = int)',
  'SELECT f1(1)',
];

/** What a catalog resolves: the names the statements use, and a query's analysis over them. */
function resolved(catalog: Catalog): string {
  const fn = (f: CatalogFunction | undefined) => (f ? `${f.schema}.${f.name}(${f.argTypes.join(',')}) ${f.parallel} ${f.returnType} @${f.definedAt?.uri ?? ''}:${f.definedAt?.start ?? ''}` : 'none');
  const lines: string[] = [];
  for (const name of ['f1', 'f2', 'f3']) lines.push(`${name}: ${catalog.functionsNamed(name).map(fn).sort().join(' | ')}`);
  for (const name of ['t1', 't2', 'v1', 'v2']) {
    const rel = catalog.relationNamed(name);
    lines.push(
      rel
        ? `${name}: ${rel.schema}.${rel.name} ${rel.kind} ${rel.persistence} (${rel.columns.map((c) => `${c.name} ${c.type}`).join(', ')}) uses ${(rel.viewFunctions ?? []).map((oid) => fn(catalog.functionByOid(oid))).join(' | ')} @${rel.definedAt?.uri ?? ''}:${rel.definedAt?.start ?? ''}`
        : `${name}: none`,
    );
  }
  lines.push(`search_path: ${catalog.searchPath.join(',')}`);
  const probe = analyzeDocument('SELECT f1(1), f2(2), f3(3), 1 === 1;\nSELECT * FROM v1, v2, t1, t2;\n', catalog, 'file:///probe.sql');
  for (const s of probe.statements) lines.push(`${s.verdict}: ${s.reasons.map((r) => `${r.code} ${r.message}`).join(' / ')}`);
  return lines.join('\n');
}

/** A document outside the index (it sees the folder's catalog): queries, and DDL of its own. */
const PROBE_URI = `${FOLDER}/probe.sql`;
const PROBE = [
  'SELECT f1(1)',
  'SELECT f2(2)',
  'SELECT f3(3) FROM t1',
  'SELECT * FROM v1',
  'SELECT * FROM v2',
  'SELECT 1 === 1',
  'SELECT s.f1(1)',
  'SELECT count(*) FROM pg_class',
  'CREATE TEMP VIEW pv AS SELECT f2(a) AS a FROM t2',
  'SELECT * FROM pv',
  'CREATE FUNCTION pf(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT f1(x) $$',
  'SELECT pf(1), f2(1)',
].join(';\n');

/** The probe and edits of it: a statement added in the middle, a definition of its own changed, one removed. */
const PROBES = [
  PROBE,
  PROBE.replace('SELECT 1 === 1', 'SELECT 1 === 1;\nSELECT f2(5), f3(5)'),
  PROBE.replace('SELECT f2(a) AS a FROM t2', 'SELECT f1(a) AS a FROM t1'),
  PROBE.replace('SELECT f1(x) $$', 'SELECT f2(x) $$').replace('SELECT f1(1);\n', ''),
];

/** Plain data; objects defined in files or the document get oids afresh in each index and pass (negative): they compare as "local". */
function plain(value: unknown): unknown {
  const local = (oid: unknown) => (typeof oid === 'number' && oid < 0 ? 'local' : oid);
  return JSON.parse(JSON.stringify(value, (key, v) => (key === 'oid' || key === 'functionOid' ? local(v) : (key === 'viewFunctions' || key === 'policyFunctions') && Array.isArray(v) ? v.map(local) : v)));
}

function freshIndex(texts: (string | undefined)[]): FolderIndex {
  const folder = new FolderIndex(FOLDER, { maxFileSize: 1e6, log: () => {} });
  texts.forEach((text, i) => {
    if (text !== undefined) folder.setOpenText(uriKey(FILES[i]), FILES[i], text);
  });
  return folder;
}

describe('workspace index: catalogs rebuilt by replaying unaffected files (property)', function () {
  this.timeout(120_000);
  let base: Catalog;
  before(async () => {
    await initParser();
    base = Catalog.fromSnapshot(loadBuiltinCatalog(18));
  });

  /**
   * Random texts of the four files (or none), then random edits (a new text, or the file closed and
   * gone). `setUp` gets the index and the texts as they stand and returns the check, which runs on the
   * first index, after the edits that are looked at (not all: a document may miss a catalog) and at the
   * end, with a random choice among the probe's texts (PROBES): the probe is edited at the same time
   * as a file, or not.
   */
  function forAnyEdits(setUp: (folder: FolderIndex, texts: (string | undefined)[]) => (probe: string) => void): void {
    const fileText = fc.option(fc.array(fc.constantFrom(...STATEMENTS), { minLength: 1, maxLength: 5 }).map((list) => `${list.join(';\n')};\n`), { nil: undefined, freq: 5 });
    const probe = fc.constantFrom(...PROBES);
    const edits = fc.array(fc.tuple(fc.integer({ min: 0, max: FILES.length - 1 }), fileText, probe, fc.boolean()), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fileText, { minLength: FILES.length, maxLength: FILES.length }), probe, edits, (initial, firstProbe, changes) => {
        const texts = [...initial];
        const folder = freshIndex(texts);
        const check = setUp(folder, texts);
        check(firstProbe);
        for (const [file, text, probeText, look] of changes) {
          const key = uriKey(FILES[file]);
          if (text === undefined) folder.closeOpen(key);
          else folder.setOpenText(key, FILES[file], text);
          texts[file] = text;
          if (look) check(probeText);
        }
        check(changes[changes.length - 1][2]);
      }),
      { numRuns: RUNS },
    );
  }

  it('after any sequence of edits, every catalog resolves what a fresh index of the same files resolves', () => {
    let checks = 0;
    forAnyEdits((folder, texts) => () => {
      const fresh = freshIndex(texts);
      // Every other check asks for the last file's catalog first, before the folder's is complete.
      const excluded = [undefined, ...FILES.map(uriKey)];
      for (const exclude of checks++ % 2 === 0 ? excluded : excluded.reverse()) {
        assert.strictEqual(resolved(folder.catalogFor(base, exclude)), resolved(fresh.catalogFor(base, exclude)), `catalog without ${exclude ?? 'nothing'}`);
      }
    });
  });

  it('documents analysed again after any sequence of edits give what a fresh analysis against a fresh index gives', () => {
    let kept = 0;
    assert.strictEqual(new Set(PROBES).size, PROBES.length, 'every edit of the probe changes it');
    forAnyEdits((folder, texts) => {
      // The probe, outside the files, sees the folder's catalog; each file's own document sees the
      // catalog without that file (its DDL applies in place).
      const analyzers = [PROBE_URI, ...FILES].map((uri) => new DocumentAnalyzer(uri, { followCatalogChanges: true }));
      const lastVersions: (string | undefined)[] = [];
      let checks = 0;
      return (probe) => {
        const fresh = freshIndex(texts);
        // Every other check analyses the files last first, the probe (the folder's whole catalog) last.
        const order = [probe, ...texts].map((text, i) => [text, i] as const);
        for (const [text, i] of checks++ % 2 === 0 ? order : order.reverse()) {
          if (text === undefined) continue;
          const key = i === 0 ? undefined : uriKey(FILES[i - 1]);
          const analyzer = analyzers[i];
          const catalog = folder.catalogFor(base, key);
          const cached = analyzer.analyze(text, catalog);
          if (lastVersions[i] !== undefined && catalog.version !== lastVersions[i]) kept += cached.statementCount - analyzer.lastAnalyzed;
          lastVersions[i] = catalog.version;
          const expected = analyzeDocument(text, fresh.catalogFor(base, key), analyzer.uri);
          assert.deepStrictEqual(plain(cached.statements), plain(expected.statements), `document ${analyzer.uri}`);
        }
      };
    });
    // The property holds trivially if nothing is ever kept: some statements must have kept their results.
    assert.ok(kept > 0, 'no statement kept its result across a change of the folder catalog');
  });

  it('analyses again only the statements that read a function the edit of another file redefined', () => {
    const texts = [
      'CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;\n',
      'CREATE FUNCTION f2(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;\n',
      undefined,
      undefined,
    ];
    const folder = freshIndex(texts);
    const analyzer = new DocumentAnalyzer(PROBE_URI, { followCatalogChanges: true });
    const document = 'SELECT f1(1);\nSELECT f2(2);\nSELECT count(*) FROM pg_class;\nSELECT f3(3);\n';
    const verdicts = () => analyzer.analyze(document, folder.catalogFor(base)).statements.map((s) => s.verdict);
    assert.deepStrictEqual(verdicts(), ['safe', 'safe', 'safe', 'unknown']);
    assert.strictEqual(analyzer.lastAnalyzed, 4);

    folder.setOpenText(uriKey(FILES[1]), FILES[1], 'CREATE FUNCTION f2(x int) RETURNS int LANGUAGE sql PARALLEL UNSAFE AS $$ SELECT x $$;\n');
    assert.deepStrictEqual(verdicts(), ['safe', 'unsafe', 'safe', 'unknown']);
    assert.strictEqual(analyzer.lastAnalyzed, 1, 'only the statement calling f2');

    // A function the document called before it existed: the statement that calls it.
    folder.setOpenText(uriKey(FILES[2]), FILES[2], 'CREATE FUNCTION f3(x int) RETURNS int LANGUAGE plpgsql PARALLEL RESTRICTED AS $$ BEGIN RETURN x; END $$;\n');
    assert.deepStrictEqual(verdicts(), ['safe', 'unsafe', 'safe', 'restricted']);
    assert.strictEqual(analyzer.lastAnalyzed, 1, 'only the statement calling f3');

    // A search_path that names the same schemas changes nothing: nothing is analysed again.
    folder.setOpenText(uriKey(FILES[3]), FILES[3], 'SET search_path = public;\n');
    assert.deepStrictEqual(verdicts(), ['safe', 'unsafe', 'safe', 'restricted']);
    assert.strictEqual(analyzer.lastAnalyzed, 0);

    // Another search_path: lookups through it are not recorded per statement, so all are analysed again.
    folder.setOpenText(uriKey(FILES[3]), FILES[3], 'CREATE SCHEMA s;\nSET search_path = s, public;\n');
    assert.deepStrictEqual(verdicts(), ['safe', 'unsafe', 'safe', 'restricted']);
    assert.strictEqual(analyzer.lastAnalyzed, 4);
  });

  it('analyses a call of an inlined SQL function again when what its body calls is redefined in another file', () => {
    const texts = [
      'CREATE FUNCTION inner_fn(x int) RETURNS int LANGUAGE plpgsql PARALLEL SAFE AS $$ BEGIN RETURN x; END $$;\n',
      'CREATE FUNCTION wrapper(x int) RETURNS int LANGUAGE sql PARALLEL RESTRICTED AS $$ SELECT inner_fn(x) $$;\n',
      undefined,
      undefined,
    ];
    const folder = freshIndex(texts);
    const analyzer = new DocumentAnalyzer(PROBE_URI, { followCatalogChanges: true });
    const document = 'SELECT wrapper(1);\nSELECT count(*) FROM pg_class;\n';
    const verdicts = () => analyzer.analyze(document, folder.catalogFor(base)).statements.map((s) => s.verdict);
    assert.deepStrictEqual(verdicts(), ['safe', 'safe']);
    // The wrapper is unchanged; the function its body calls becomes RESTRICTED: inlined, the body restricts.
    folder.setOpenText(uriKey(FILES[2]), FILES[2], 'ALTER FUNCTION inner_fn(int) PARALLEL RESTRICTED;\n');
    assert.deepStrictEqual(verdicts(), ['restricted', 'safe']);
    assert.strictEqual(analyzer.lastAnalyzed, 1, 'only the statement calling the wrapper');
  });

  it('does not replay a DROP of another file\'s function once that file was analysed again, though the catalog version is the same', () => {
    // Found by the property above (1 run in 2,000): the catalog without b.sql is rebuilt with the same
    // version while d.sql's f1 gets a new oid; b's cached DROP FUNCTION names the old one.
    const define = 'CREATE FUNCTION f1(x int) RETURNS int LANGUAGE sql PARALLEL SAFE AS $$ SELECT x $$;\n';
    const texts: (string | undefined)[] = [undefined, `DROP FUNCTION f1(int);\n${define}`, undefined, define];
    const folder = freshIndex(texts);
    const analyzer = new DocumentAnalyzer(FILES[1], { followCatalogChanges: true });
    const b = uriKey(FILES[1]);
    analyzer.analyze(texts[1]!, folder.catalogFor(base, b));
    folder.closeOpen(b); // b leaves the index: d.sql, which defines f1 as b did, is analysed again
    folder.catalogFor(base);
    texts[1] = `DROP FUNCTION f1(int);\nSELECT f1(1);\n${define}`;
    folder.setOpenText(b, FILES[1], texts[1]);
    const [, select] = analyzer.analyze(texts[1], folder.catalogFor(base, b)).statements;
    assert.strictEqual(select.verdict, 'unknown');
    assert.deepStrictEqual(
      select.reasons.map((r) => r.message),
      ['function f1(integer) is not in the catalog: its parallel label is unknown'],
    );
  });
});
