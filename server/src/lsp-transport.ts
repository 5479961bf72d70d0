/**
 * How messages are written to a stream transport (--stdio). vscode-jsonrpc's own writer, with one
 * change: a diagnostic already sent is not serialised again. An edit of a large document changes
 * the diagnostics of one statement and leaves the other thousands as they were (the core keeps
 * their converted objects, see DocumentAnalyzer.convertReasons), but the answer must list them all:
 * serialising 3,000 of them cost 4-5 ms of every keystroke, joining their kept JSON well under one.
 */
import { Message, StreamMessageWriter } from 'vscode-languageserver/node';

/** Diagnostics that never change once made (frozen) and the JSON they were sent as. */
const sentJson = new WeakMap<object, string>();

function jsonOf(value: unknown): string {
  if (value === null || typeof value !== 'object' || !Object.isFrozen(value)) return JSON.stringify(value) ?? 'null';
  let json = sentJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    sentJson.set(value, json);
  }
  return json;
}

/** The list of diagnostics a message carries: a pulled full report, or pushed diagnostics. */
function diagnosticsOf(message: Message): unknown[] | undefined {
  const m = message as { result?: { kind?: unknown; items?: unknown }; method?: string; params?: { diagnostics?: unknown } };
  if (m.result?.kind === 'full' && Array.isArray(m.result.items)) return m.result.items;
  if (m.method === 'textDocument/publishDiagnostics' && Array.isArray(m.params?.diagnostics)) return m.params.diagnostics;
  return undefined;
}

// Stands for the list in the rest of the message; cannot occur in real text (NUL-delimited).
const PLACEHOLDER = '\u0000pg-parallel-hints:diagnostics\u0000';
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/** The message as JSON, exactly as JSON.stringify gives it, reusing the kept JSON of frozen diagnostics. */
export function messageJson(message: Message): string {
  const list = diagnosticsOf(message);
  if (!list || list.length === 0) return JSON.stringify(message);
  const outer = JSON.stringify(message, (_key, value: unknown) => (value === list ? PLACEHOLDER : value));
  const at = outer.indexOf(PLACEHOLDER_JSON);
  const parts = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) parts[i] = jsonOf(list[i]);
  return `${outer.slice(0, at)}[${parts.join(',')}]${outer.slice(at + PLACEHOLDER_JSON.length)}`;
}

/** A writer for stdout (or any stream) that encodes with messageJson. */
export function diagnosticsAwareWriter(output: NodeJS.WritableStream): StreamMessageWriter {
  return new StreamMessageWriter(output, {
    contentTypeEncoder: {
      name: 'application/json',
      encode: (message, options) => Promise.resolve(Buffer.from(messageJson(message), options.charset)),
    },
  });
}
