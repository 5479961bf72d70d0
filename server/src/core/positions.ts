/**
 * What is at an offset of an analysed document: the statement and the reference under the cursor.
 * Hover and go-to-definition share these lookups.
 */
import type { Reference, StatementResult, TextRange } from './types';

/** The statement whose range holds the offset (its end included, where a cursor after the last token sits). */
export function statementAt<T extends { range: TextRange }>(statements: readonly T[], offset: number): T | undefined {
  // Statements come in document order and do not overlap: binary search.
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = statements[mid].range;
    if (offset < range.start) high = mid - 1;
    else if (offset > range.end) low = mid + 1;
    else return statements[mid];
  }
  return undefined;
}

/**
 * The reference under the offset: the narrowest one covering the character at the offset, else one
 * ending right there (a cursor just after a name).
 */
export function referenceAt(statements: readonly StatementResult[], offset: number): Reference | undefined {
  const statement = statementAt(statements, offset);
  if (!statement) return undefined;
  let best: Reference | undefined;
  let touching: Reference | undefined;
  for (const ref of statement.references) {
    const { start, end } = ref.range;
    if (start <= offset && offset < end) {
      if (!best || end - start < best.range.end - best.range.start) best = ref;
    } else if (offset === end && !touching) {
      touching = ref;
    }
  }
  return best ?? touching;
}

/** The range of a statement's first word (SELECT, INSERT, WITH, ...), where the statement's hover lives. */
export function firstKeywordRange(text: string, statement: { range: TextRange }): { start: number; end: number } {
  const start = statement.range.start;
  let end = start;
  while (end < statement.range.end && /[A-Za-z_]/.test(text[end])) end++;
  return { start, end: end === start ? Math.min(start + 1, statement.range.end) : end };
}
