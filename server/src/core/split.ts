/**
 * Splits SQL text into statements at top-level semicolons, the way psql does, but tuned for text
 * being typed: it never throws, runs in linear time, and an unterminated quote or comment simply
 * runs to the end of the text. Understands quotes of every kind, dollar quotes, nested comments,
 * psql meta-commands, and SQL-standard function bodies (BEGIN ATOMIC ... END).
 *
 * Parentheses never hold a semicolon (psql's do): a half-typed "f(" must not swallow the rest of the
 * file. The one place they count is the BEGIN heuristic below, where a BEGIN inside parentheses (a
 * parameter or column named "begin") opens no block.
 */

export interface StatementSlice {
  /** UTF-16 offsets: first token to last token, trailing semicolon and surrounding comments excluded. */
  start: number;
  end: number;
  kind: 'sql' | 'psql-meta';
}

const enum Ch {
  Tab = 9,
  Newline = 10,
  VerticalTab = 11,
  FormFeed = 12,
  Return = 13,
  Space = 32,
  DoubleQuote = 34,
  Dollar = 36,
  Quote = 39,
  OpenParen = 40,
  CloseParen = 41,
  Star = 42,
  Minus = 45,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Semicolon = 59,
  UpperA = 65,
  UpperE = 69,
  UpperZ = 90,
  Backslash = 92,
  Underscore = 95,
  Backtick = 96,
  LowerA = 97,
  LowerE = 101,
  LowerZ = 122,
  ByteOrderMark = 0xfeff,
}

/** PostgreSQL's ident_start: letters, underscore, and every non-ASCII character. */
function isIdentStart(c: number): boolean {
  return (c >= Ch.LowerA && c <= Ch.LowerZ) || (c >= Ch.UpperA && c <= Ch.UpperZ) || c === Ch.Underscore || c >= 0x80;
}

/** PostgreSQL's ident_cont: also digits and '$' (so "a$b" and "a$$" are identifiers, not dollar quotes). */
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dollar;
}

/** PostgreSQL's space: [ \t\n\r\f\v]. */
function isSpace(c: number): boolean {
  return c === Ch.Space || (c >= Ch.Tab && c <= Ch.Return);
}

function isLineEnd(c: number): boolean {
  return c === Ch.Newline || c === Ch.Return;
}

/**
 * Where the first routine words of a statement stand, following psql's check for
 * CREATE [OR REPLACE] {FUNCTION | PROCEDURE}: only then do BEGIN, CASE and END nest.
 */
const enum Routine {
  Start, // no word yet
  Create, // CREATE
  CreateOr, // CREATE OR
  CreateOrReplace, // CREATE OR REPLACE
  Yes, // a routine: track BEGIN/CASE/END
  No, // anything else: stop looking at words
}

/** The longest word the routine heuristic looks at ("procedure"); longer words are never lower-cased. */
const LONGEST_WORD = 9;

export function splitStatements(text: string): StatementSlice[] {
  return splitStatementsFrom(text, 0).slices;
}

/**
 * Splits from `from`, which must be 0 or where a slice of an earlier split started in a text with the
 * same characters before it (the splitter's state is fresh there). Before each new slice the
 * splitter asks `resume(start)`: true means the slices from there on are already known (an earlier
 * split of the same text after that point found a slice starting there, so from there on it finds
 * the same ones) and it stops, returning that start as `resumedAt`.
 */
export function splitStatementsFrom(text: string, from: number, resume?: (start: number, kind: StatementSlice['kind']) => boolean): { slices: StatementSlice[]; resumedAt?: number } {
  const slices: StatementSlice[] = [];
  const n = text.length;
  let resumedAt: number | undefined;
  let start = -1; // first token of the current statement
  let end = -1; // end of its last token
  let routine = Routine.Start as Routine; // widened: the closures below change it
  let blockDepth = 0; // open BEGIN/CASE blocks inside a routine's body
  let parenDepth = 0; // only tracked inside routines, for the BEGIN heuristic

  const finish = () => {
    if (start >= 0) slices.push({ start, end, kind: 'sql' });
    start = -1;
    end = -1;
    routine = Routine.Start;
    blockDepth = 0;
    parenDepth = 0;
  };
  const token = (from: number, to: number) => {
    if (start < 0) {
      if (resume?.(from, 'sql')) {
        resumedAt = from;
        return;
      }
      start = from;
    }
    end = to;
  };
  const word = (from: number, to: number) => {
    token(from, to);
    if (routine === Routine.No || to - from > LONGEST_WORD) {
      if (routine !== Routine.Yes) routine = Routine.No;
      return;
    }
    // Inside a routine only begin, case and end count: skip other lengths without making a string.
    if (routine === Routine.Yes && (to - from < 3 || to - from > 5)) return;
    const w = text.slice(from, to).toLowerCase();
    switch (routine) {
      case Routine.Start:
        routine = w === 'create' ? Routine.Create : Routine.No;
        return;
      case Routine.Create:
        routine = w === 'function' || w === 'procedure' ? Routine.Yes : w === 'or' ? Routine.CreateOr : Routine.No;
        return;
      case Routine.CreateOr:
        routine = w === 'replace' ? Routine.CreateOrReplace : Routine.No;
        return;
      case Routine.CreateOrReplace:
        routine = w === 'function' || w === 'procedure' ? Routine.Yes : Routine.No;
        return;
      case Routine.Yes:
        if (w === 'begin') {
          if (parenDepth === 0) blockDepth++;
        } else if (w === 'case') {
          // CASE ... END matters only inside a block, where its END must not close the block.
          if (blockDepth > 0) blockDepth++;
        } else if (w === 'end') {
          if (blockDepth > 0) blockDepth--;
        }
        return;
    }
  };

  // A byte order mark read from a file is not part of the first statement.
  let i = from === 0 && n > 0 && text.charCodeAt(0) === Ch.ByteOrderMark ? 1 : from;
  while (i < n && resumedAt === undefined) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (isIdentStart(c)) {
      const from = i;
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      // E'...' is one token whose string takes backslash escapes, so E'\'' does not end at the middle quote.
      if (i - from === 1 && (c === Ch.UpperE || c === Ch.LowerE) && text.charCodeAt(i) === Ch.Quote) {
        i = skipQuoted(text, i, true);
        token(from, i);
        continue;
      }
      word(from, i);
      continue;
    }
    if (c === Ch.Semicolon) {
      const copy = blockDepth === 0 && start >= 0 && copiesFromStdin(text, start, end);
      if (blockDepth === 0) finish();
      i++;
      // psql reads the rows of COPY ... FROM STDIN from the lines that follow, up to a line "\.":
      // data, not statements (an apostrophe in a row would otherwise swallow the rest of the file).
      if (copy) i = skipCopyData(text, i);
      continue;
    }
    if (c === Ch.Minus && text.charCodeAt(i + 1) === Ch.Minus) {
      i += 2;
      while (i < n && !isLineEnd(text.charCodeAt(i))) i++;
      continue;
    }
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      i = skipBlockComment(text, i);
      continue;
    }
    if (c === Ch.Quote || c === Ch.DoubleQuote) {
      const from = i;
      i = skipQuoted(text, i, false);
      token(from, i);
      continue;
    }
    if (c === Ch.Dollar) {
      const from = i;
      i = skipDollar(text, i);
      token(from, i);
      continue;
    }
    if (c === Ch.Backslash) {
      const next = text.charCodeAt(i + 1);
      if (next === Ch.Semicolon) {
        // psql's \; puts a ';' into the query without sending it; the server still runs the parts
        // as separate statements.
        if (blockDepth === 0) finish();
        else token(i, i + 2);
        i += 2;
        continue;
      }
      if (next === Ch.Colon) {
        // psql's \: is a literal colon (no variable substitution) inside the query.
        token(i, i + 2);
        i += 2;
        continue;
      }
      // Any other backslash command ends the query being typed (\g, \gset and friends send it;
      // the rest interrupt it), whatever its BEGIN depth, and is a slice of its own.
      finish();
      if (resume?.(i, 'psql-meta')) {
        resumedAt = i;
        break;
      }
      const stop = skipMetaCommand(text, i);
      let to = stop;
      while (to > i + 1 && isSpace(text.charCodeAt(to - 1))) to--;
      slices.push({ start: i, end: to, kind: 'psql-meta' });
      i = stop;
      // "\\" hands the rest of the line back to SQL.
      if (text.charCodeAt(i) === Ch.Backslash) i += 2;
      continue;
    }
    if (routine === Routine.Yes) {
      if (c === Ch.OpenParen) parenDepth++;
      else if (c === Ch.CloseParen && parenDepth > 0) parenDepth--;
    }
    // Numbers, operators, punctuation: one character at a time is enough here.
    token(i, i + 1);
    i++;
  }
  if (resumedAt === undefined) finish();
  return { slices, resumedAt };
}

/** Whether the statement text[start, end) is COPY ... FROM STDIN, whose rows follow it in the script. */
function copiesFromStdin(text: string, start: number, end: number): boolean {
  if (end - start < 15 || text.slice(start, start + 4).toLowerCase() !== 'copy' || isIdentPart(text.charCodeAt(start + 4))) return false;
  return /\bfrom\s+stdin\b/i.test(text.slice(start, end));
}

/** From just after a COPY ... FROM STDIN statement's semicolon: past its line, then past the line "\." that ends the rows (or to the end). */
function skipCopyData(text: string, i: number): number {
  let line = text.indexOf('\n', i);
  while (line >= 0) {
    const next = text.indexOf('\n', line + 1);
    const to = next < 0 ? text.length : next;
    const row = text.slice(line + 1, text.charCodeAt(to - 1) === Ch.Return ? to - 1 : to);
    if (row === '\\.') return to;
    line = next;
  }
  return text.length;
}

/** From the opening slash of a comment to just after its end; comments nest. */
function skipBlockComment(text: string, i: number): number {
  const n = text.length;
  let nesting = 1;
  i += 2;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      nesting++;
      i += 2;
    } else if (c === Ch.Star && text.charCodeAt(i + 1) === Ch.Slash) {
      i += 2;
      if (--nesting === 0) return i;
    } else i++;
  }
  return n;
}

/** From an opening quote (' or ") to just after its closing one; a doubled quote stays inside. */
function skipQuoted(text: string, i: number, backslashEscapes: boolean): number {
  const n = text.length;
  const quote = text.charCodeAt(i);
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === quote) {
      if (text.charCodeAt(i + 1) !== quote) return i + 1;
      i += 2;
    } else if (c === Ch.Backslash && backslashEscapes) {
      i += 2;
    } else i++;
  }
  return n;
}

/**
 * From a '$' to the end of its token: a dollar-quoted string ($$...$$, $tag$...$tag$), or a lone '$'
 * and the digits of a parameter such as $1.
 */
function skipDollar(text: string, i: number): number {
  const n = text.length;
  let j = i + 1;
  if (j < n && isIdentStart(text.charCodeAt(j))) {
    j++;
    while (j < n && text.charCodeAt(j) !== Ch.Dollar && isIdentPart(text.charCodeAt(j))) j++;
  }
  if (j < n && text.charCodeAt(j) === Ch.Dollar) {
    const tag = text.slice(i, j + 1);
    const close = text.indexOf(tag, j + 1);
    return close < 0 ? n : close + tag.length;
  }
  i++;
  while (i < n && text.charCodeAt(i) >= Ch.Zero && text.charCodeAt(i) <= Ch.Nine) i++;
  return i;
}

/**
 * From the backslash of a psql meta-command to where its arguments stop: psql gives a meta-command
 * the rest of its line, up to an unquoted "\\" (which hands the line back to SQL). Quoted arguments
 * ('...' with backslash escapes, "...", `...`) may hold a "\\" of their own.
 */
function skipMetaCommand(text: string, i: number): number {
  const n = text.length;
  i++;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isLineEnd(c)) return i;
    if (c === Ch.Backslash && text.charCodeAt(i + 1) === Ch.Backslash) return i;
    i++;
    if (c === Ch.Quote || c === Ch.DoubleQuote || c === Ch.Backtick) {
      while (i < n) {
        const d = text.charCodeAt(i);
        if (isLineEnd(d)) break;
        i++;
        if (d === c) break;
        if (d === Ch.Backslash && c === Ch.Quote && i < n && !isLineEnd(text.charCodeAt(i))) i++;
      }
    }
  }
  return n;
}

/** The split of an edited text around the edit; before and after it are the earlier split's slices. */
export interface EditedSplit {
  /** The edited text's slices are the earlier slices[0, keptBefore), then `middle`, then the earlier slices[resumedOld, ...) moved by the edit's length change. */
  keptBefore: number;
  middle: StatementSlice[];
  resumedOld: number;
}

/**
 * Splits a text edited between a common prefix (`prefix` characters) and a common suffix (from
 * `oldSuffixStart` in the earlier text), knowing the earlier text's slices: only the statements
 * around the edit are split again, from the last one starting before the edit until the splitter
 * meets a statement start it found the last time. Together with the earlier slices kept and moved,
 * gives what splitStatements(text) gives.
 */
export function splitEdited(earlier: readonly StatementSlice[], text: string, prefix: number, oldSuffixStart: number, delta: number): EditedSplit {
  // The splitter's state is fresh where a SQL statement starts, not always where a meta-command
  // does (one can interrupt a statement): restart at the last statement starting before the edit.
  let keptBefore = lastStartingBefore(earlier, prefix);
  while (keptBefore >= 0 && earlier[keptBefore].kind !== 'sql') keptBefore--;
  const restart = keptBefore >= 0 ? earlier[keptBefore].start : 0;
  if (keptBefore < 0) keptBefore = 0;
  const newSuffixStart = oldSuffixStart + delta;
  let cursor = keptBefore;
  const split = splitStatementsFrom(text, restart, (start, kind) => {
    if (start < newSuffixStart) return false;
    const old = start - delta;
    while (cursor < earlier.length && earlier[cursor].start < old) cursor++;
    return cursor < earlier.length && earlier[cursor].start === old && earlier[cursor].kind === kind;
  });
  return { keptBefore, middle: split.slices, resumedOld: split.resumedAt === undefined ? earlier.length : cursor };
}

/** Index of the last slice starting before `offset`, -1 if none (slices in document order). */
export function lastStartingBefore(slices: readonly StatementSlice[], offset: number): number {
  let low = 0;
  let high = slices.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (slices[mid].start < offset) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}
