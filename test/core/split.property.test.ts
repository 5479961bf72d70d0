/**
 * Properties of the splitter and the offset conversions on random and mutated SQL built from the
 * fragments that trip splitters up: quotes of every kind, dollar quotes, comments, psql commands,
 * routine bodies, line ends, astral and lone-surrogate characters, NUL.
 *
 * About 2,000 runs per property by default; PGPH_FUZZ_RUNS=1000000 runs a long search by hand.
 */
import * as assert from 'assert';
import fc from 'fast-check';
import { splitEdited, splitStatements, type StatementSlice } from '../../server/src/core/split';
import { LineIndex, Utf8Offsets, utf8Length } from '../../server/src/core/text';

const DEFAULT_RUNS = 2000;
const RUNS = Number(process.env.PGPH_FUZZ_RUNS) > 0 ? Math.floor(Number(process.env.PGPH_FUZZ_RUNS)) : DEFAULT_RUNS;
const params = { numRuns: RUNS };

const FRAGMENTS = [
  // words, including the ones the routine heuristic and string prefixes look at
  'select', 'SELECT', 'create', 'CREATE', 'or', 'replace', 'function', 'procedure', 'begin', 'BEGIN',
  'atomic', 'case', 'CASE', 'end', 'END', 'when', 'then', 'return', 'from', 'x1', 'a$b', 'c$$', 'E', 'e',
  'U&', 'X', 'B', 'N', 'UESCAPE',
  // strings
  "'abc'", "'it''s'", "'a\\'", "E'\\''", "E'\\\\'", "e'x\\'y'", "U&'\\0041'", "X'1F'", "'", "''", "E'",
  // quoted identifiers
  '"id"', '"a""b"', '"', 'U&"d\\0061"',
  // dollar quotes and parameters
  '$$', '$a$', '$tag$', '$1', '$', '$$ body; $$', '$a$ x $$ y; $a$', '$тег$',
  // comments
  '--', '-- c\n', '/*', '*/', '/* c; */', '/* /* n */ */',
  // punctuation, semicolons more often than the rest
  ';', ';', ';', '(', ')', ',', '+', '-', '*', '/', ':', '::', '.', '1', '42', '1.5e3',
  // white space and line ends
  ' ', ' ', '\n', '\r\n', '\r', '\t', '\v', '\f',
  // psql
  '\\set x 1', '\\gset', '\\g', '\\\\', '\\;', '\\:', '\\', "\\echo 'a \\\\ b'",
  // characters of every width, and broken ones
  'é', 'ü', '€', '😀', '𝔘', 'тег', '\u0000', '\ufeff', '\ud800', '\udc00',
];

const SPECIAL_CHARS = [...' ;\'"$-/*\\\nEe()a1\r:&', '😀', 'é', '\ud800'];

const fragment = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
);

/** Fragments glued together, or a dense soup of the characters that start and end tokens. */
const randomSql = fc.oneof(
  fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join('')),
  fc.string({ unit: fc.constantFrom(...SPECIAL_CHARS), maxLength: 80 }),
);

const REALISTIC = [
  "-- setup\nCREATE TABLE t (id int PRIMARY KEY, name text DEFAULT 'it''s');\nINSERT INTO t VALUES (1, E'a\\'b;');\n",
  'CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT x + 1;\n  SELECT CASE WHEN x > 0 THEN 1 END;\nEND;\nSELECT f(1);\n',
  'CREATE OR REPLACE FUNCTION g() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  RAISE NOTICE $$x;$$;\n  RETURN NEW;\nEND\n$fn$;\r\n',
  '\\set id 1\nSELECT * FROM "T""x" WHERE id = :id \\gset\n/* /* nested; */ */ SELECT $1, a$b FROM U&"d\\0061t";\r',
  "SELECT '😀;', \"ü\", 𝔘x FROM t; -- trailing\n\\echo 'done \\\\ really' \\\\ SELECT 2;",
];

/** A realistic script with a few random edits: text cut out and fragments typed in. */
const mutatedSql = fc
  .tuple(
    fc.constantFrom(...REALISTIC),
    fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 4 }), insert: fragment }), { minLength: 1, maxLength: 6 }),
  )
  .map(([base, edits]) =>
    edits.reduce((text, { at, cut, insert }) => {
      const pos = at % (text.length + 1);
      return text.slice(0, pos) + insert + text.slice(pos + cut);
    }, base),
  );

const anySql = fc.oneof(randomSql, mutatedSql);

/** Strings with lone surrogates, pairs and every UTF-8 width. */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(fc.constantFrom('\ud800', '\udc00', '😀', 'é', '€', 'a', '\n', '\r'), fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c))), maxLength: 40 }),
  anySql,
);

function isSpace(c: string): boolean {
  return c === ' ' || (c >= '\t' && c <= '\r');
}

/**
 * What is left of a gap between slices after removing what may stand there: white space, comments,
 * semicolons, psql's \\ and \; separators, a byte order mark at the very start. Written apart from
 * the splitter so that the splitter is not graded by itself.
 */
function tokensInGap(gap: string, atTextStart: boolean): string {
  let rest = '';
  let i = atTextStart && gap.startsWith('\ufeff') ? 1 : 0;
  while (i < gap.length) {
    const two = gap.slice(i, i + 2);
    if (isSpace(gap[i]) || gap[i] === ';') i++;
    else if (two === '\\\\' || two === '\\;') i += 2;
    else if (two === '--') {
      while (i < gap.length && gap[i] !== '\n' && gap[i] !== '\r') i++;
    } else if (two === '/*') {
      let depth = 0;
      do {
        const pair = gap.slice(i, i + 2);
        if (pair === '/*' || pair === '*/') {
          depth += pair === '/*' ? 1 : -1;
          i += 2;
        } else i++;
      } while (depth > 0 && i < gap.length);
    } else rest += gap[i++];
  }
  return rest;
}

function texts(text: string, slices: StatementSlice[]): string[] {
  return slices.map((s) => text.slice(s.start, s.end));
}

/** Between the halves of a surrogate pair: not a character boundary. */
function insidePair(text: string, u: number): boolean {
  return u > 0 && u < text.length && (text.charCodeAt(u - 1) & 0xfc00) === 0xd800 && (text.charCodeAt(u) & 0xfc00) === 0xdc00;
}

describe('splitStatements properties', function () {
  if (RUNS > DEFAULT_RUNS) this.timeout(0);

  it('never throws and returns sorted, non-empty, non-overlapping slices inside the text', () => {
    fc.assert(
      fc.property(anySql, (text) => {
        const slices = splitStatements(text);
        let previousEnd = 0;
        for (const s of slices) {
          assert.ok(s.kind === 'sql' || s.kind === 'psql-meta', s.kind);
          assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end));
          assert.ok(previousEnd <= s.start && s.start < s.end && s.end <= text.length, JSON.stringify(slices));
          assert.ok(!isSpace(text[s.start]) && text[s.start] !== ';', `slice starts with ${JSON.stringify(text[s.start])}`);
          // Only a quote left open runs a slice into trailing white space, up to the end of the text.
          assert.ok(s.end === text.length || !isSpace(text[s.end - 1]), `slice ends with ${JSON.stringify(text[s.end - 1])}`);
          previousEnd = s.end;
        }
      }),
      params,
    );
  });

  it('leaves no SQL between slices: only spaces, comments, semicolons and psql separators', () => {
    fc.assert(
      fc.property(anySql, (text) => {
        const slices = splitStatements(text);
        const bounds = [0, ...slices.flatMap((s) => [s.start, s.end]), text.length];
        for (let k = 0; k < bounds.length; k += 2) {
          const gap = text.slice(bounds[k], bounds[k + 1]);
          assert.strictEqual(tokensInGap(gap, k === 0), '', `gap ${JSON.stringify(gap)} in ${JSON.stringify(text)}`);
        }
      }),
      params,
    );
  });

  it('splits each slice, taken alone, into exactly itself', () => {
    fc.assert(
      fc.property(anySql, (text) => {
        for (const s of splitStatements(text)) {
          const alone = text.slice(s.start, s.end);
          // A byte order mark is only skipped at the very start of a text.
          if (alone.startsWith('\ufeff')) continue;
          assert.deepStrictEqual(splitStatements(alone), [{ start: 0, end: alone.length, kind: s.kind }], `slice ${JSON.stringify(alone)} of ${JSON.stringify(text)}`);
        }
      }),
      params,
    );
  });

  it("keeps every plain statement when the statements are joined again with ';\\n'", () => {
    fc.assert(
      fc.property(anySql, (text) => {
        // Plain: SQL that a following semicolon ends (not inside an open quote, comment or block).
        const plain = texts(text, splitStatements(text).filter((s) => s.kind === 'sql')).filter((sql) => {
          const probe = splitStatements(`${sql};\nselect 1`);
          return probe.length === 2 && probe[0].start === 0 && probe[0].end === sql.length;
        });
        const joined = plain.join(';\n');
        assert.deepStrictEqual(texts(joined, splitStatements(joined)), plain, JSON.stringify(joined));
      }),
      params,
    );
  });

  it('gives the same statements whatever line ends the text uses', () => {
    fc.assert(
      fc.property(anySql, (text) => {
        // Swapping one line-end style for another of the same length keeps offsets comparable.
        if (text.includes('\r')) return;
        const crText = text.replace(/\n/g, '\r');
        assert.deepStrictEqual(splitStatements(crText), splitStatements(text));
      }),
      params,
    );
  });

  it('splits an edited text, re-splitting only around the edit, exactly as it splits the whole text', () => {
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 30 }), insert: fc.oneof(fragment, anySql) });
    fc.assert(
      fc.property(anySql, fc.array(edit, { minLength: 1, maxLength: 4 }), (text, edits) => {
        let before = text;
        let slices = splitStatements(before);
        for (const { at, cut, insert } of edits) {
          const pos = at % (before.length + 1);
          const after = before.slice(0, pos) + insert + before.slice(pos + cut);
          // The common prefix and suffix, as the document cache finds them.
          let prefix = 0;
          const limit = Math.min(before.length, after.length);
          while (prefix < limit && before[prefix] === after[prefix]) prefix++;
          let suffix = 0;
          while (suffix < limit - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
          const delta = after.length - before.length;
          const edited = splitEdited(slices, after, prefix, before.length - suffix, delta);
          const moved = slices.slice(edited.resumedOld).map((s) => ({ start: s.start + delta, end: s.end + delta, kind: s.kind }));
          const whole = splitStatements(after);
          assert.deepStrictEqual([...slices.slice(0, edited.keptBefore), ...edited.middle, ...moved], whole);
          // What is kept or moved has the same text.
          for (const [i, s] of moved.entries()) assert.strictEqual(after.slice(s.start, s.end), before.slice(slices[edited.resumedOld + i].start, slices[edited.resumedOld + i].end));
          before = after;
          slices = whole;
        }
      }),
      params,
    );
  });
});

describe('offset conversion properties', function () {
  if (RUNS > DEFAULT_RUNS) this.timeout(0);

  it('Utf8Offsets agrees with Buffer.byteLength at every character boundary, both ways', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const offsets = new Utf8Offsets(text);
        assert.strictEqual(offsets.isAscii, /^[\x00-\x7f]*$/.test(text));
        assert.strictEqual(utf8Length(text), Buffer.byteLength(text));
        // Every boundary u: its byte offset and back.
        const boundaries: { u: number; b: number }[] = [];
        for (let u = 0; u <= text.length; u++) {
          if (insidePair(text, u)) continue;
          const b = Buffer.byteLength(text.slice(0, u));
          boundaries.push({ u, b });
          assert.strictEqual(offsets.toUtf8(u), b, `toUtf8(${u})`);
          assert.strictEqual(offsets.toUtf16(b), u, `toUtf16(${b})`);
        }
        // Every byte inside a character maps to the start of that character.
        let k = 0;
        const total = Buffer.byteLength(text);
        for (let b = 0; b <= total + 1; b++) {
          while (k + 1 < boundaries.length && boundaries[k + 1].b <= b) k++;
          assert.strictEqual(offsets.toUtf16(b), boundaries[k].u, `toUtf16(${b})`);
        }
      }),
      params,
    );
  });

  it('LineIndex agrees with a line split by regular expression and round-trips', () => {
    fc.assert(
      fc.property(anyString, fc.array(fc.tuple(fc.integer({ min: -2, max: 50 }), fc.integer({ min: -2, max: 50 })), { maxLength: 10 }), (text, probes) => {
        const index = new LineIndex(text);
        const starts = [0];
        for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
        const lineEnds = starts.map((s, line) => (line + 1 < starts.length ? starts[line + 1] - (text.slice(s, starts[line + 1]).match(/(\r\n|\r|\n)$/)?.[0].length ?? 0) : text.length));
        assert.strictEqual(index.lineCount, starts.length);
        for (let o = 0; o <= text.length; o++) {
          let line = 0;
          while (line + 1 < starts.length && starts[line + 1] <= o) line++;
          const position = index.positionAt(o);
          assert.deepStrictEqual(position, { line, character: o - starts[line] });
          // The one offset without a position of its own: between \r and \n.
          if (!(text[o - 1] === '\r' && text[o] === '\n')) assert.strictEqual(index.offsetAt(position), o);
        }
        for (const [line, character] of probes) {
          const clampedLine = Math.max(0, Math.min(line, starts.length - 1));
          const expected = line < 0 ? 0 : line >= starts.length ? text.length : starts[clampedLine] + Math.max(0, Math.min(character, lineEnds[clampedLine] - starts[clampedLine]));
          assert.strictEqual(index.offsetAt({ line, character }), expected, `offsetAt(${line}, ${character})`);
        }
      }),
      params,
    );
  });

  it('LineIndex updated after an edit equals the index of the edited text', () => {
    const breaks = fc.constantFrom('\r', '\n', '\r\n', 'a', '\r\r', '\n\r', '');
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 6 }), insert: fc.oneof(breaks, anyString) });
    fc.assert(
      fc.property(fc.oneof(anyString, fc.array(breaks, { maxLength: 20 }).map((parts) => parts.join(''))), fc.array(edit, { minLength: 1, maxLength: 5 }), (text, edits) => {
        let index = new LineIndex(text);
        let current = text;
        for (const { at, cut, insert } of edits) {
          const pos = at % (current.length + 1);
          current = current.slice(0, pos) + insert + current.slice(pos + cut);
          index = index.updated(current);
          assert.deepStrictEqual(index, new LineIndex(current));
        }
      }),
      params,
    );
  });
});
