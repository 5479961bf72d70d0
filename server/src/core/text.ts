/**
 * The one place where offsets change units: UTF-16 offsets (JavaScript strings, LSP), line/character
 * positions (LSP, CLI), and UTF-8 byte offsets (what libpg-query reports).
 */

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code units into the line (what LSP calls a character). */
  character: number;
}

/** An offset or count forced into [0, max]: negative, NaN and fractional inputs never index past the text. */
function clampOffset(value: number, max: number): number {
  if (!(value > 0)) return 0;
  return value >= max ? max : Math.floor(value);
}

/**
 * Line starts of a text, for position <-> offset conversion by binary search; \n, \r\n and a lone
 * \r each end a line, as in LSP. Out-of-range inputs are clamped, never rejected.
 */
export class LineIndex {
  /**
   * A typed array: updated() makes a new one per edit, and tens of thousands of numbers in a plain
   * array would be young objects for V8 to collect and copy (436 KB per keystroke in the 1 MB
   * benchmark document, against 108 KB outside V8's heap).
   */
  private readonly starts: Uint32Array;

  /** `starts` is for updated(): the line starts of `text`, already known. */
  constructor(
    private readonly text: string,
    starts?: Uint32Array,
  ) {
    if (starts) {
      this.starts = starts;
      return;
    }
    const found = [0];
    pushLineStarts(text, 0, text.length, found);
    this.starts = Uint32Array.from(found);
  }

  /**
   * The index of `text`, an edited version of this index's text: the line starts before the edit
   * are kept, those after it moved, and only the edited text is scanned (an edit to a 1 MB document
   * costs microseconds, not a scan of the whole text).
   */
  updated(text: string): LineIndex {
    const before = this.text;
    if (before === text) return this;
    const { prefix, suffix } = commonEnds(before, text);
    const delta = text.length - before.length;
    // A line starts after a \n, or after a \r not followed by \n: whether offset s starts a line
    // depends on the characters at s - 1 and s only. Starts up to the prefix are unchanged, those
    // after the suffix's second character are the old ones moved, the rest are scanned again.
    const oldSuffixStart = before.length - suffix;
    // The first line starts at 0 whatever the text.
    const kept = Math.max(1, firstStartAtOrAfter(this.starts, prefix));
    const scanned: number[] = [];
    pushLineStarts(text, Math.max(0, prefix - 1), Math.min(text.length, oldSuffixStart + delta + 1), scanned);
    // The scan may have read a \r\n pair past its end: resume after what it found.
    const lastFound = scanned.length > 0 ? scanned[scanned.length - 1] : this.starts[kept - 1];
    const resume = firstStartAtOrAfter(this.starts, Math.max(oldSuffixStart + 2, lastFound - delta + 1));
    const starts = new Uint32Array(kept + scanned.length + this.starts.length - resume);
    starts.set(this.starts.subarray(0, kept));
    starts.set(scanned, kept);
    for (let i = resume, j = kept + scanned.length; i < this.starts.length; i++, j++) starts[j] = this.starts[i] + delta;
    return new LineIndex(text, starts);
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = clampOffset(offset, this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.starts[low] };
  }

  /**
   * A character past the end of its line means the line's end; a line before the first means the
   * text's start and one past the last its end (as vscode-languageserver-textdocument does).
   */
  offsetAt(position: Position): number {
    if (!(position.line >= 0)) return 0;
    if (position.line >= this.starts.length) return this.text.length;
    const line = clampOffset(position.line, this.starts.length - 1);
    const start = this.starts[line];
    const nextStart = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
    let lineEnd = nextStart;
    if (lineEnd > start && this.text.charCodeAt(lineEnd - 1) === 10) lineEnd--;
    if (lineEnd > start && this.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    return start + clampOffset(position.character, lineEnd - start);
  }
}

/** Pushes the start of every line that a line break at an offset in [from, to) begins. */
function pushLineStarts(text: string, from: number, to: number, starts: number[]): void {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
}

function firstStartAtOrAfter(starts: ArrayLike<number>, offset: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (starts[mid] < offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Lengths of the longest common prefix and (not overlapping it) suffix of two texts: whole 4 KB
 * chunks first (string equality compares memory), then character by character.
 */
export function commonEnds(before: string, after: string): { prefix: number; suffix: number } {
  const limit = Math.min(before.length, after.length);
  const chunk = 4096;
  let prefix = 0;
  while (prefix + chunk <= limit && before.slice(prefix, prefix + chunk) === after.slice(prefix, prefix + chunk)) prefix += chunk;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix + chunk <= limit - prefix && before.slice(before.length - suffix - chunk, before.length - suffix) === after.slice(after.length - suffix - chunk, after.length - suffix)) suffix += chunk;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** Number of UTF-8 bytes of a text, as Buffer.byteLength counts them (a lone surrogate is 3, as U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Maps UTF-8 byte offsets to UTF-16 offsets into the same string and back. ASCII text (the common
 * case) maps one to one and allocates nothing; otherwise a table of byte offsets per UTF-16 unit is
 * built once.
 */
export class Utf8Offsets {
  readonly isAscii: boolean;
  /** The text's length in UTF-8 bytes. */
  readonly byteLength: number;
  /** byteAt[i] = UTF-8 offset of UTF-16 offset i (length + 1 entries), only when not ASCII. */
  private readonly byteAt?: Uint32Array;

  constructor(private readonly text: string) {
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    this.isAscii = ascii;
    if (ascii) {
      this.byteLength = text.length;
      return;
    }
    const table = new Uint32Array(text.length + 1);
    let bytes = 0;
    for (let i = 0; i < text.length; i++) {
      table[i] = bytes;
      const c = text.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        bytes += 4;
        // The low surrogate has no byte offset of its own; give it the pair's end.
        table[i + 1] = bytes;
        i++;
      } else bytes += 3;
    }
    table[text.length] = bytes;
    this.byteAt = table;
    this.byteLength = bytes;
  }

  /** UTF-16 offset of a byte offset; a byte inside a character maps to that character's start. */
  toUtf16(byteOffset: number): number {
    if (!this.byteAt) return clampOffset(byteOffset, this.text.length);
    const table = this.byteAt;
    let low = 0;
    let high = this.text.length;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (table[mid] <= byteOffset) low = mid;
      else high = mid - 1;
    }
    // The search never ends between the halves of a pair: the low half shares the next offset's entry.
    return low;
  }

  /** UTF-8 offset of a UTF-16 offset; one between the halves of a surrogate pair maps to the pair's end. */
  toUtf8(utf16Offset: number): number {
    const clamped = clampOffset(utf16Offset, this.text.length);
    return this.byteAt ? this.byteAt[clamped] : clamped;
  }
}
