/**
 * The workspace index rebuilds the folder's catalog after an edit by replaying what each file
 * changed last time, and analyses again only the files that looked up a function or relation whose
 * definition differs (server/src/workspace.ts). Property: after any sequence of edits, the catalog
 * it gives (for the folder, and for each file's document, which leaves that file out) resolves
 * every name as a fresh index of the same files does. Files define, replace, alter and drop
 * functions, views and tables that depend on each other across files, and change search_path and
 * operators (which make everything after them analysed again).
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { pathToFileURL } from 'url';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';
import { Catalog } from '../../server/src/core/catalog';
import type { CatalogFunction } from '../../server/src/core/catalog-snapshot';
import { analyzeDocument } from '../../server/src/core/document';
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

function freshIndex(texts: (string | undefined)[]): FolderIndex {
  const folder = new FolderIndex(FOLDER, { maxFileSize: 1e6, log: () => {} });
  texts.forEach((text, i) => {
    if (text !== undefined) folder.setOpenText(uriKey(FILES[i]), FILES[i], text);
  });
  return folder;
}

describe('workspace index: catalogs rebuilt by replaying unaffected files (property)', function () {
  this.timeout(120_000);
  before(() => initParser());

  it('after any sequence of edits, every catalog resolves what a fresh index of the same files resolves', () => {
    const base = Catalog.fromSnapshot(loadBuiltinCatalog(18));
    const fileText = fc.option(fc.array(fc.constantFrom(...STATEMENTS), { minLength: 1, maxLength: 5 }).map((list) => `${list.join(';\n')};\n`), { nil: undefined, freq: 5 });
    const edits = fc.array(fc.tuple(fc.integer({ min: 0, max: FILES.length - 1 }), fileText), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fileText, { minLength: FILES.length, maxLength: FILES.length }), edits, (initial, changes) => {
        const texts = [...initial];
        const folder = freshIndex(texts);
        const check = () => {
          const fresh = freshIndex(texts);
          for (const exclude of [undefined, ...FILES.map(uriKey)]) {
            assert.strictEqual(resolved(folder.catalogFor(base, exclude)), resolved(fresh.catalogFor(base, exclude)), `catalog without ${exclude ?? 'nothing'}`);
          }
        };
        check();
        for (const [file, text] of changes) {
          const key = uriKey(FILES[file]);
          if (text === undefined) folder.closeOpen(key);
          else folder.setOpenText(key, FILES[file], text);
          texts[file] = text;
          check();
        }
      }),
      { numRuns: RUNS },
    );
  });
});
