/**
 * Offset conversions: LSP positions (line, UTF-16 character) and UTF-8 byte offsets (libpg-query),
 * with exact values for every kind of line end and character width.
 */
import * as assert from 'assert';
import { LineIndex, Utf8Offsets, utf8Length } from '../../server/src/core/text';

describe('LineIndex', () => {
  it('ends lines at \\n, \\r\\n and a lone \\r', () => {
    // offsets:   a=0 \n=1 | b=2 c=3 \r=4 \n=5 | d=6 \r=7 | e=8
    const index = new LineIndex('a\nbc\r\nd\re');
    assert.strictEqual(index.lineCount, 4);
    const positions = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((o) => index.positionAt(o));
    assert.deepStrictEqual(positions, [
      { line: 0, character: 0 },
      { line: 0, character: 1 },
      { line: 1, character: 0 },
      { line: 1, character: 1 },
      { line: 1, character: 2 },
      { line: 1, character: 3 },
      { line: 2, character: 0 },
      { line: 2, character: 1 },
      { line: 3, character: 0 },
      { line: 3, character: 1 },
    ]);
    assert.deepStrictEqual(
      [
        { line: 0, character: 1 },
        { line: 1, character: 2 },
        { line: 2, character: 1 },
        { line: 3, character: 1 },
      ].map((p) => index.offsetAt(p)),
      [1, 4, 7, 9],
    );
  });

  it('counts a final line after a trailing line end, and one line in an empty text', () => {
    const trailing = new LineIndex('select 1;\r\n');
    assert.strictEqual(trailing.lineCount, 2);
    assert.deepStrictEqual(trailing.positionAt(11), { line: 1, character: 0 });
    assert.strictEqual(trailing.offsetAt({ line: 1, character: 0 }), 11);

    const empty = new LineIndex('');
    assert.strictEqual(empty.lineCount, 1);
    assert.deepStrictEqual(empty.positionAt(0), { line: 0, character: 0 });
    assert.strictEqual(empty.offsetAt({ line: 0, character: 3 }), 0);
  });

  it('clamps characters to the line, before its line break', () => {
    const index = new LineIndex('ab\r\ncd\ref\n');
    assert.strictEqual(index.offsetAt({ line: 0, character: 99 }), 2);
    assert.strictEqual(index.offsetAt({ line: 1, character: 99 }), 6);
    assert.strictEqual(index.offsetAt({ line: 2, character: 99 }), 9);
    assert.strictEqual(index.offsetAt({ line: 3, character: 99 }), 10);
    assert.strictEqual(index.offsetAt({ line: 1, character: -4 }), 4);
  });

  it('clamps lines and offsets outside the text, and NaN or fractions', () => {
    const index = new LineIndex('ab\ncd');
    assert.strictEqual(index.offsetAt({ line: -1, character: 1 }), 0);
    assert.strictEqual(index.offsetAt({ line: 7, character: 0 }), 5);
    assert.strictEqual(index.offsetAt({ line: Number.NaN, character: Number.NaN }), 0);
    assert.strictEqual(index.offsetAt({ line: 1.7, character: 1.9 }), 4);
    assert.deepStrictEqual(index.positionAt(-3), { line: 0, character: 0 });
    assert.deepStrictEqual(index.positionAt(50), { line: 1, character: 2 });
    assert.deepStrictEqual(index.positionAt(Number.NaN), { line: 0, character: 0 });
    assert.deepStrictEqual(index.positionAt(3.5), { line: 1, character: 0 });
  });

  it('counts characters in UTF-16 code units, as LSP does', () => {
    // 😀 is two code units; é is one.
    const index = new LineIndex('x\n😀é;');
    assert.deepStrictEqual(index.positionAt(5), { line: 1, character: 3 });
    assert.strictEqual(index.offsetAt({ line: 1, character: 4 }), 6);
  });

  it('finds the line of every offset in a long text', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `select ${i};`);
    const text = lines.join('\r\n');
    const index = new LineIndex(text);
    assert.strictEqual(index.lineCount, 1000);
    const offset = text.indexOf('select 777;') + 7;
    assert.deepStrictEqual(index.positionAt(offset), { line: 777, character: 7 });
    assert.strictEqual(index.offsetAt({ line: 777, character: 7 }), offset);
  });
});

describe('utf8Length', () => {
  it('counts 1, 2, 3 and 4 bytes per character, and 3 for a lone surrogate', () => {
    assert.strictEqual(utf8Length(''), 0);
    assert.strictEqual(utf8Length('abc'), 3);
    assert.strictEqual(utf8Length('é'), 2);
    assert.strictEqual(utf8Length('€'), 3);
    assert.strictEqual(utf8Length('😀'), 4);
    assert.strictEqual(utf8Length('\ud800'), 3);
    assert.strictEqual(utf8Length('\udc00\ud800'), 6);
    assert.strictEqual(utf8Length('a\u0000b'), 3);
  });
});

describe('Utf8Offsets', () => {
  it('maps ASCII one to one, clamped to the text', () => {
    const offsets = new Utf8Offsets('select 1;');
    assert.strictEqual(offsets.isAscii, true);
    assert.deepStrictEqual([0, 4, 9, 10, -2].map((b) => offsets.toUtf16(b)), [0, 4, 9, 9, 0]);
    assert.deepStrictEqual([0, 4, 9, 10, -2].map((u) => offsets.toUtf8(u)), [0, 4, 9, 9, 0]);
  });

  it('maps every character width both ways', () => {
    // a: byte 0 / unit 0; é: bytes 1-2 / unit 1; 😀: bytes 3-6 / units 2-3; b: byte 7 / unit 4; end: 8 / 5.
    const offsets = new Utf8Offsets('aé😀b');
    assert.strictEqual(offsets.isAscii, false);
    assert.deepStrictEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((b) => offsets.toUtf16(b)),
      [0, 1, 1, 2, 2, 2, 2, 4, 5, 5],
    );
    assert.deepStrictEqual([0, 1, 2, 3, 4, 5, 6].map((u) => offsets.toUtf8(u)), [0, 1, 3, 7, 7, 8, 8]);
  });

  it('gives lone surrogates three bytes and keeps them as boundaries', () => {
    // é: bytes 0-1; lone low surrogate: bytes 2-4; lone high surrogate: bytes 5-7; x: byte 8.
    const offsets = new Utf8Offsets('é\udc00\ud800x');
    assert.deepStrictEqual([0, 2, 5, 8, 9].map((b) => offsets.toUtf16(b)), [0, 1, 2, 3, 4]);
    assert.deepStrictEqual([0, 1, 2, 3, 4].map((u) => offsets.toUtf8(u)), [0, 2, 5, 8, 9]);
  });

  it('maps the byte offsets libpg-query would report for a statement after multi-byte text', () => {
    const text = "-- ünïcödé 😀\nselect 'ß' from t;";
    const offsets = new Utf8Offsets(text);
    const selectByte = Buffer.from(text).indexOf('select');
    const fromByte = Buffer.from(text).indexOf('from');
    assert.strictEqual(offsets.toUtf16(selectByte), text.indexOf('select'));
    assert.strictEqual(offsets.toUtf16(fromByte), text.indexOf('from'));
    assert.strictEqual(offsets.toUtf8(text.indexOf('from')), fromByte);
  });
});
