/**
 * The statement splitter on every construct it has to see through, with the exact text of each
 * slice. `sql` lists the texts of SQL slices; `kinds` also names psql meta-commands.
 */
import * as assert from 'assert';
import { splitStatements, type StatementSlice } from '../../server/src/core/split';

/** Texts of the slices; fails if any is not SQL. */
function sql(text: string): string[] {
  return splitStatements(text).map((s) => {
    assert.strictEqual(s.kind, 'sql', `not SQL: ${JSON.stringify(text.slice(s.start, s.end))}`);
    return text.slice(s.start, s.end);
  });
}

/** Slices as "kind: text". */
function kinds(text: string): string[] {
  return splitStatements(text).map((s) => `${s.kind}: ${text.slice(s.start, s.end)}`);
}

describe('splitStatements', () => {
  describe('statements and semicolons', () => {
    it('gives first-token-to-last-token ranges without the semicolon', () => {
      assert.deepStrictEqual(splitStatements('select 1; select 2;\n'), [
        { start: 0, end: 8, kind: 'sql' },
        { start: 10, end: 18, kind: 'sql' },
      ] satisfies StatementSlice[]);
    });

    it('keeps a last statement without a semicolon', () => {
      assert.deepStrictEqual(sql('select 1;\nselect 2'), ['select 1', 'select 2']);
    });

    it('leaves out empty statements and text with no tokens', () => {
      assert.deepStrictEqual(sql(';;\n; select 1;;; ;'), ['select 1']);
      assert.deepStrictEqual(sql(''), []);
      assert.deepStrictEqual(sql(' \t\n\r\v\f '), []);
    });

    it('leaves out leading and trailing comments but keeps comments between tokens', () => {
      const text = '  -- head\n/* block */ select 1 /* mid; */ + 2 -- tail\n ; -- after\n';
      assert.deepStrictEqual(sql(text), ['select 1 /* mid; */ + 2']);
    });

    it('gives no slice to statements made only of comments', () => {
      assert.deepStrictEqual(sql('-- one\n; /* two */ ; /* three */\n-- four'), []);
    });

    it('does not let parentheses hold a semicolon', () => {
      assert.deepStrictEqual(sql('select f(1; select 2)'), ['select f(1', 'select 2)']);
    });

    it('skips a byte order mark at the start of the text', () => {
      assert.deepStrictEqual(splitStatements('\ufeffselect 1'), [{ start: 1, end: 9, kind: 'sql' }]);
    });
  });

  describe('quotes', () => {
    it("reads '' inside a string as a quote", () => {
      assert.deepStrictEqual(sql("select 'a;''b;'; select 2"), ["select 'a;''b;'", 'select 2']);
    });

    it('treats a backslash in a standard string as an ordinary character', () => {
      assert.deepStrictEqual(sql("select 'a\\'; select 2"), ["select 'a\\'", 'select 2']);
    });

    it("reads backslash escapes in E'' strings, in either case", () => {
      assert.deepStrictEqual(sql("select E'\\';'; select 2"), ["select E'\\';'", 'select 2']);
      assert.deepStrictEqual(sql("select e'\\\\'; select 2"), ["select e'\\\\'", 'select 2']);
      assert.deepStrictEqual(sql("select E'it''s;'; select 2"), ["select E'it''s;'", 'select 2']);
    });

    it('does not take a word ending in E for an E prefix', () => {
      assert.deepStrictEqual(sql("select some'\\'; select 2"), ["select some'\\'", 'select 2']);
      assert.deepStrictEqual(sql("select E /* gap */ '\\'; select 2"), ["select E /* gap */ '\\'", 'select 2']);
    });

    it("reads U&'' strings without backslash escapes, and U&\"\" identifiers", () => {
      assert.deepStrictEqual(sql("select U&'d\\0061t\\+000061;'; select 2"), ["select U&'d\\0061t\\+000061;'", 'select 2']);
      assert.deepStrictEqual(sql("select U&'\\'; select 2"), ["select U&'\\'", 'select 2']);
      assert.deepStrictEqual(sql('select U&"d\\0061;t" UESCAPE \'!\'; select 2'), ['select U&"d\\0061;t" UESCAPE \'!\'', 'select 2']);
    });

    it("reads B'', X'' and N'' strings", () => {
      assert.deepStrictEqual(sql("select B'1;0', X'1F;', N'ä;'; select 2"), ["select B'1;0', X'1F;', N'ä;'", 'select 2']);
    });

    it('reads "" inside a quoted identifier as a quote, and no backslash escapes', () => {
      assert.deepStrictEqual(sql('select "a;""b;" from "t\\"; select 2'), ['select "a;""b;" from "t\\"', 'select 2']);
    });

    it('runs an unterminated string or identifier to the end of the text', () => {
      assert.deepStrictEqual(sql("select 'abc; select 2;\n"), ["select 'abc; select 2;\n"]);
      assert.deepStrictEqual(sql("select E'abc\\'; select 2"), ["select E'abc\\'; select 2"]);
      assert.deepStrictEqual(sql('select "abc; select 2'), ['select "abc; select 2']);
      assert.deepStrictEqual(sql("select 'x\\"), ["select 'x\\"]);
    });
  });

  describe('dollar quotes', () => {
    it('reads $$ and $tag$ strings, nested tags and semicolons inside', () => {
      const text = 'select $$a; b$$; do $fn$ begin; $$ inner; $$ end $fn$; select $a$ $ab$; $a$; select 2';
      assert.deepStrictEqual(sql(text), ['select $$a; b$$', 'do $fn$ begin; $$ inner; $$ end $fn$', 'select $a$ $ab$; $a$', 'select 2']);
    });

    it('reads tags with digits and non-ASCII letters', () => {
      assert.deepStrictEqual(sql('select $t1$ ; $t1$, $тег$ ; $тег$; select 2'), ['select $t1$ ; $t1$, $тег$ ; $тег$', 'select 2']);
    });

    it('does not take parameters or $ inside identifiers for dollar quotes', () => {
      assert.deepStrictEqual(sql('select $1, $22; select a$b, c$$; select $$x;$$'), ['select $1, $22', 'select a$b, c$$', 'select $$x;$$']);
      assert.deepStrictEqual(sql('select $ 1; select $'), ['select $ 1', 'select $']);
    });

    it('runs an unterminated dollar quote to the end of the text', () => {
      assert.deepStrictEqual(sql('select 1; select $x$ a; $y$ b; $x'), ['select 1', 'select $x$ a; $y$ b; $x']);
    });
  });

  describe('comments', () => {
    it('ends a -- comment at \\n, \\r\\n or a lone \\r', () => {
      assert.deepStrictEqual(sql('select 1 -- ; no split\n, 2; select 3'), ['select 1 -- ; no split\n, 2', 'select 3']);
      assert.deepStrictEqual(sql('select 1 -- x\r; select 2 -- y\r\n; select 3'), ['select 1', 'select 2', 'select 3']);
    });

    it('nests block comments', () => {
      assert.deepStrictEqual(sql('select 1 /* a /* b; */ c; */ + 2; select 3'), ['select 1 /* a /* b; */ c; */ + 2', 'select 3']);
    });

    it('starts a comment inside an operator, as PostgreSQL does', () => {
      assert.deepStrictEqual(sql('select 1 +-- c;\n 2; select 3 */* c; */ 4'), ['select 1 +-- c;\n 2', 'select 3 */* c; */ 4']);
    });

    it('runs an unterminated block comment to the end without a slice of its own', () => {
      assert.deepStrictEqual(sql('select 1 /* a /* b */ ; select 2'), ['select 1']);
      assert.deepStrictEqual(sql('/* select 1; */ select 2; /*'), ['select 2']);
    });
  });

  describe('psql meta-commands', () => {
    it('gives a backslash command at a statement start its line, as a slice of its own', () => {
      const text = '\\set x 1\nselect :x;\n\\i file.sql\n\\c db\nselect 2;';
      assert.deepStrictEqual(kinds(text), ['psql-meta: \\set x 1', 'sql: select :x', 'psql-meta: \\i file.sql', 'psql-meta: \\c db', 'sql: select 2']);
    });

    it('ends a query at \\g or \\gset like a semicolon', () => {
      const text = 'select 1 as a \\gset\nselect :a + 1\n\\g out.txt\nselect 2';
      assert.deepStrictEqual(kinds(text), ['sql: select 1 as a', 'psql-meta: \\gset', 'sql: select :a + 1', 'psql-meta: \\g out.txt', 'sql: select 2']);
    });

    it('trims spaces after a command and ends it at \\r\\n or a lone \\r', () => {
      assert.deepStrictEqual(kinds('\\set x 1  \r\nselect 1;\\echo a\t\rselect 2'), ['psql-meta: \\set x 1', 'sql: select 1', 'psql-meta: \\echo a', 'sql: select 2']);
    });

    it('hands the rest of the line back to SQL after \\\\, unless the \\\\ is quoted', () => {
      assert.deepStrictEqual(kinds('\\set x 1 \\\\ select 2; select 3'), ['psql-meta: \\set x 1', 'sql: select 2', 'sql: select 3']);
      assert.deepStrictEqual(kinds("\\echo 'a \\\\ b' \"c\\\\\" `d\\\\` \\\\ select 1;"), ["psql-meta: \\echo 'a \\\\ b' \"c\\\\\" `d\\\\`", 'sql: select 1']);
      assert.deepStrictEqual(kinds("\\echo 'it\\'s' \\\\ select 1;"), ["psql-meta: \\echo 'it\\'s'", 'sql: select 1']);
    });

    it('ends an unterminated quote in a command at the end of its line', () => {
      assert.deepStrictEqual(kinds("\\echo 'abc\nselect 1;"), ["psql-meta: \\echo 'abc", 'sql: select 1']);
    });

    it('keeps several commands on one line together', () => {
      assert.deepStrictEqual(kinds('\\x \\pset format csv\nselect 1'), ['psql-meta: \\x \\pset format csv', 'sql: select 1']);
    });

    it('splits at \\; and keeps \\: inside the query', () => {
      assert.deepStrictEqual(kinds('select 1 \\; select 2; select x\\::int;'), ['sql: select 1', 'sql: select 2', 'sql: select x\\::int']);
    });

    it('does not take a backslash inside quotes or comments for a command', () => {
      assert.deepStrictEqual(kinds("select '\\g', $$\\g$$, \"\\g\" -- \\g\n /* \\g */; select 2"), [
        "sql: select '\\g', $$\\g$$, \"\\g\"",
        'sql: select 2',
      ]);
    });

    it('ends a command at the end of the text', () => {
      assert.deepStrictEqual(kinds('select 1; \\q'), ['sql: select 1', 'psql-meta: \\q']);
      assert.deepStrictEqual(kinds('\\'), ['psql-meta: \\']);
    });

    it('skips the rows after COPY ... FROM STDIN up to the line \\. (as pg_dump writes them), CRLF too', () => {
      const text = "COPY public.t (a, b) FROM stdin;\n1\tO'Brien\n2\tx;y\n\\.\nSELECT random();\ncopy t to stdout;\nCOPY t FROM STDIN WITH (FORMAT csv);\r\na,'b\r\n\\.\r\nSELECT 2;";
      assert.deepStrictEqual(sql(text), ['COPY public.t (a, b) FROM stdin', 'SELECT random()', 'copy t to stdout', 'COPY t FROM STDIN WITH (FORMAT csv)', 'SELECT 2']);
    });

    it('takes everything after COPY ... FROM STDIN for rows when no line \\. ends them, and a \\. inside a row for data', () => {
      assert.deepStrictEqual(sql("copy t from stdin;\n1\t'\nselect 1;\n"), ['copy t from stdin']);
      assert.deepStrictEqual(sql('copy t from stdin;\na\\.b\n \\.\nselect 1;\n\\.\nselect 2;'), ['copy t from stdin', 'select 2']);
    });
  });

  describe('SQL-standard routine bodies', () => {
    it('keeps BEGIN ATOMIC ... END together, CASE ... END inside it included', () => {
      const fn = [
        'CREATE FUNCTION add_one(x int) RETURNS int LANGUAGE sql',
        'BEGIN ATOMIC',
        '  SELECT x + 1;',
        '  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;',
        'END',
      ].join('\n');
      assert.deepStrictEqual(sql(`${fn};\nSELECT add_one(1);`), [fn, 'SELECT add_one(1)']);
    });

    it('knows CREATE OR REPLACE and procedures, in any case', () => {
      const proc = 'create or replace Procedure p() Begin Atomic insert into t values (1); update t set x = 2; End';
      assert.deepStrictEqual(sql(`${proc}; select 2`), [proc, 'select 2']);
    });

    it('does not nest BEGIN and END outside routines', () => {
      assert.deepStrictEqual(sql('BEGIN; SELECT 1; END; CREATE TABLE t (x int); begin atomic; select 2; end;'), [
        'BEGIN',
        'SELECT 1',
        'END',
        'CREATE TABLE t (x int)',
        'begin atomic',
        'select 2',
        'end',
      ]);
      assert.deepStrictEqual(sql('CREATE OR REPLACE VIEW v AS SELECT 1 AS begin; SELECT 2'), ['CREATE OR REPLACE VIEW v AS SELECT 1 AS begin', 'SELECT 2']);
    });

    it('does not nest a CASE outside a block', () => {
      const fn = 'CREATE FUNCTION sign1(x int) RETURNS int LANGUAGE sql RETURN CASE WHEN x > 0 THEN 1 END';
      assert.deepStrictEqual(sql(`${fn}; SELECT 2`), [fn, 'SELECT 2']);
    });

    it('does not open a block at a "begin" inside parentheses', () => {
      const fn = 'CREATE FUNCTION spans() RETURNS TABLE (begin date, "end" date) LANGUAGE plpgsql AS $$ BEGIN RETURN; END $$';
      assert.deepStrictEqual(sql(`${fn}; SELECT 2`), [fn, 'SELECT 2']);
    });

    it('closes a block at END even after an unclosed parenthesis', () => {
      const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT g(; END';
      assert.deepStrictEqual(sql(`${fn}; SELECT 2`), [fn, 'SELECT 2']);
    });

    it('runs an unterminated body to the end of the text', () => {
      const text = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2;';
      assert.deepStrictEqual(sql(text), [text.slice(0, -1)]);
    });

    it('ends a body at a psql meta-command', () => {
      assert.deepStrictEqual(kinds('CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; \\g\nSELECT 2'), [
        'sql: CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1',
        'psql-meta: \\g',
        'sql: SELECT 2',
      ]);
    });

    it('starts afresh after a semicolon', () => {
      assert.deepStrictEqual(sql('CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1; BEGIN; SELECT 1'), [
        'CREATE FUNCTION f() RETURNS int LANGUAGE sql RETURN 1',
        'BEGIN',
        'SELECT 1',
      ]);
    });
  });

  describe('line ends, characters and offsets', () => {
    it('splits text with \\r\\n and lone \\r line ends at the right offsets', () => {
      const text = 'select 1;\r\nselect 2\r\n;\rselect 3\r';
      assert.deepStrictEqual(splitStatements(text), [
        { start: 0, end: 8, kind: 'sql' },
        { start: 11, end: 19, kind: 'sql' },
        { start: 23, end: 31, kind: 'sql' },
      ]);
    });

    it('counts surrogate pairs and multi-byte characters before a statement in UTF-16 units', () => {
      // "-- 😀 ü\n" is 8 UTF-16 units: 😀 takes two.
      const text = "-- 😀 ü\nselect '😀;', \"ü;\", 😀x; select 2";
      assert.deepStrictEqual(splitStatements(text), [
        { start: 8, end: 31, kind: 'sql' },
        { start: 33, end: 41, kind: 'sql' },
      ]);
      assert.deepStrictEqual(sql(text), ["select '😀;', \"ü;\", 😀x", 'select 2']);
    });

    it('reads identifiers made of non-ASCII letters, including ones that end in E', () => {
      assert.deepStrictEqual(sql("select ÉE'\\'; select 2"), ["select ÉE'\\'", 'select 2']);
    });

    it('keeps NUL characters as text and never stops at them', () => {
      assert.deepStrictEqual(sql("select 'a\u0000;b';\u0000; select 2"), ["select 'a\u0000;b'", '\u0000', 'select 2']);
    });
  });
});
