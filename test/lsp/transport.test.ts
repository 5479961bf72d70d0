/**
 * The stdio writer's JSON: byte for byte what JSON.stringify gives, with the JSON of a diagnostic
 * already sent reused (frozen ones only: a diagnostic that may still change is serialised each time).
 */
import * as assert from 'assert';
import { routeConsoleTo } from '../../server/src/main';
import { messageBytes } from '../../server/src/lsp-transport';

const messageJson = (message: unknown) => messageBytes(message as never).toString('utf8');

const range = (line: number) => ({ start: { line, character: 7 }, end: { line, character: 13 } });

function diagnostic(line: number, message: string) {
  return Object.freeze({ range: range(line), severity: 3, code: 'restricted-function', source: 'pg-parallel-hints', message });
}

describe('lsp transport: messageBytes', () => {
  it('writes a pulled report exactly as JSON.stringify does, quotes and non-ASCII included', () => {
    const items = [diagnostic(0, 'pg_catalog.random() is "restricted" ✓'), { range: range(2), message: 'not frozen', data: undefined }];
    const message = { jsonrpc: '2.0', id: 7, result: { kind: 'full', resultId: '3:abc', items } };
    assert.strictEqual(messageJson(message), JSON.stringify(message));
  });

  it('writes pushed diagnostics, empty lists and other messages exactly as JSON.stringify does', () => {
    const pushed = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a.sql', version: 2, diagnostics: [diagnostic(1, 'x')] } };
    const empty = { jsonrpc: '2.0', id: 1, result: { kind: 'full', resultId: '1', items: [] } };
    const hover = { jsonrpc: '2.0', id: 2, result: { contents: { kind: 'markdown', value: 'items' } } };
    for (const message of [pushed, empty, hover]) assert.strictEqual(messageJson(message), JSON.stringify(message));
  });

  it('writes a message whose request id spells what stands for the list exactly as JSON.stringify does', () => {
    const message = { jsonrpc: '2.0', id: 'a"\u0000pg-parallel-hints:diagnostics\u0000', result: { kind: 'full', resultId: 'r', items: [diagnostic(0, 'x')] } };
    assert.strictEqual(messageJson(message), JSON.stringify(message));
  });

  it('sends the JSON a frozen diagnostic was first sent as, and serialises a changeable one again', () => {
    const frozen = diagnostic(0, 'first');
    const changeable = { range: range(1), message: 'before' };
    const report = (items: unknown[]) => ({ jsonrpc: '2.0', id: 1, result: { kind: 'full', resultId: 'r', items } });
    messageJson(report([frozen, changeable]));
    changeable.message = 'after';
    const second = messageJson(report([frozen, changeable]));
    assert.strictEqual(second, JSON.stringify(report([frozen, changeable])));
    assert.ok(second.includes('"message":"after"'));
  });
});

describe('lsp: routeConsoleTo', () => {
  it('sends every console method to the client log, never to stdout', () => {
    const saved = { ...console };
    const sent: string[] = [];
    const write = process.stdout.write;
    let stdout = '';
    const connection = { console: { log: (m: string) => sent.push(`log ${m}`), warn: (m: string) => sent.push(`warn ${m}`), error: (m: string) => sent.push(`error ${m}`) } };
    try {
      process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
      routeConsoleTo(connection as never);
      console.log('a', 1);
      console.info('b');
      console.debug('c');
      console.dir({ d: [1] });
      console.table([{ e: 1 }]);
      console.warn('f');
      console.error('g');
      console.assert(false, 'h');
      console.trace('i');
    } finally {
      process.stdout.write = write;
      Object.assign(console, saved);
    }
    assert.strictEqual(stdout, '');
    assert.deepStrictEqual(sent.slice(0, 4), ['log a 1', 'log b', 'log c', 'log { d: [ 1 ] }']);
    assert.match(sent[4], /^log ┌/);
    assert.deepStrictEqual(sent.slice(5, 8), ['warn f', 'error g', 'error Assertion failed: h']);
    assert.match(sent[8], /^log Trace: i\n\s+at /);
    assert.strictEqual(sent.length, 9);
  });
});
