/**
 * Splits SQL text into statements at top-level semicolons, the way psql does, but tuned for text
 * being typed: it never throws, runs in linear time, and an unterminated quote or comment simply
 * runs to the end of the text. Understands quotes of every kind, dollar quotes, nested comments,
 * psql meta-commands, and SQL-standard function bodies (BEGIN ATOMIC ... END).
 * Parentheses are deliberately not tracked: a half-typed "f(" must not swallow the rest of the file.
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
  Return = 13,
  Space = 32,
  DoubleQuote = 34,
  Dollar = 36,
  Quote = 39,
  Star = 42,
  Minus = 45,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Semicolon = 59,
  Backslash = 92,
  Underscore = 95,
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === Ch.Underscore || c >= 0x80;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= Ch.Zero && c <= Ch.Nine) || c === Ch.Dollar;
}

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Newline || c === Ch.Return || c === 11 || c === 12;
}

export function splitStatements(text: string): StatementSlice[] {
  const slices: StatementSlice[] = [];
  const n = text.length;
  let start = -1; // first token of the current statement
  let end = -1; // end of its last token
  // SQL-standard bodies: inside CREATE FUNCTION/PROCEDURE, BEGIN and CASE open a block that END closes.
  let words = 0;
  let routine = false;
  let sawOr = false;
  let depth = 0;

  const finish = () => {
    if (start >= 0) slices.push({ start, end, kind: 'sql' });
    start = -1;
    end = -1;
    words = 0;
    routine = false;
    sawOr = false;
    depth = 0;
  };
  const token = (from: number, to: number) => {
    if (start < 0) start = from;
    end = to;
  };

  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    // -- comment
    if (c === Ch.Minus && text.charCodeAt(i + 1) === Ch.Minus) {
      i += 2;
      while (i < n && text.charCodeAt(i) !== Ch.Newline && text.charCodeAt(i) !== Ch.Return) i++;
      continue;
    }
    // /* nested */ comment
    if (c === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
      let nesting = 1;
      i += 2;
      while (i < n && nesting > 0) {
        const d = text.charCodeAt(i);
        if (d === Ch.Slash && text.charCodeAt(i + 1) === Ch.Star) {
          nesting++;
          i += 2;
        } else if (d === Ch.Star && text.charCodeAt(i + 1) === Ch.Slash) {
          nesting--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === Ch.Semicolon) {
      if (depth === 0) finish();
      i++;
      continue;
    }
    // psql meta-command: at a statement start it is its own slice; mid-statement (\g, \gset, ...) it ends the query.
    if (c === Ch.Backslash) {
      if (start >= 0 && depth === 0) finish();
      const from = i;
      while (i < n && text.charCodeAt(i) !== Ch.Newline && text.charCodeAt(i) !== Ch.Return) i++;
      let to = i;
      while (to > from && isSpace(text.charCodeAt(to - 1))) to--;
      if (start < 0) slices.push({ start: from, end: to, kind: 'psql-meta' });
      else end = to;
      continue;
    }
    // 'string', E'escapes', and prefixed forms (B'', X'', U&'', N'') whose prefix is scanned as a word first.
    if (c === Ch.Quote) {
      const from = i;
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const escapes = (prev === 69 || prev === 101) && (i < 2 || !isIdentPart(text.charCodeAt(i - 2)));
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (escapes && d === Ch.Backslash) {
          i += 2;
          continue;
        }
        if (d === Ch.Quote) {
          if (text.charCodeAt(i + 1) === Ch.Quote) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      token(from, Math.min(i, n));
      continue;
    }
    if (c === Ch.DoubleQuote) {
      const from = i;
      i++;
      while (i < n) {
        if (text.charCodeAt(i) === Ch.DoubleQuote) {
          if (text.charCodeAt(i + 1) === Ch.DoubleQuote) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      token(from, Math.min(i, n));
      continue;
    }
    if (c === Ch.Dollar) {
      const from = i;
      // $tag$ ... $tag$ (tag optional); $1 is a parameter.
      let j = i + 1;
      if (j < n && isIdentStart(text.charCodeAt(j))) {
        j++;
        while (j < n && isIdentPart(text.charCodeAt(j)) && text.charCodeAt(j) !== Ch.Dollar) j++;
      }
      if (text.charCodeAt(j) === Ch.Dollar) {
        const tag = text.slice(i, j + 1);
        const close = text.indexOf(tag, j + 1);
        i = close < 0 ? n : close + tag.length;
        token(from, i);
        continue;
      }
      i++;
      while (i < n && text.charCodeAt(i) >= Ch.Zero && text.charCodeAt(i) <= Ch.Nine) i++;
      token(from, i);
      continue;
    }
    if (isIdentStart(c)) {
      const from = i;
      i++;
      while (i < n && isIdentPart(text.charCodeAt(i))) i++;
      token(from, i);
      // Only the first words (CREATE [OR REPLACE] FUNCTION) and, inside routines, BEGIN/CASE/END
      // matter: most words are never turned into strings.
      if ((words < 4 || routine) && i - from <= 9) {
        const word = text.slice(from, i).toLowerCase();
        if (words === 1 && word === 'or') sawOr = true;
        if (words === 0 && word !== 'create') words = 99;
        else if (words === 1 && (word === 'function' || word === 'procedure')) routine = true;
        else if (sawOr && words === 3 && (word === 'function' || word === 'procedure')) routine = true;
        if (routine && (word === 'begin' || word === 'case')) depth++;
        else if (routine && word === 'end' && depth > 0) depth--;
      }
      words++;
      continue;
    }
    // Numbers, operators, punctuation: one character at a time is enough here.
    token(i, i + 1);
    i++;
  }
  finish();
  return slices;
}
