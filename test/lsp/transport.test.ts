/**
 * The stdio writer's JSON: byte for byte what JSON.stringify gives, with the JSON of a diagnostic
 * already sent reused (frozen ones only: a diagnostic that may still change is serialised each time).
 */
import * as assert from 'assert';
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
