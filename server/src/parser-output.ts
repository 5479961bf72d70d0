/**
 * What the parser prints. libpg-query's WebAssembly module binds `console.log` once, when it is first
 * required, for the lines the compiled PostgreSQL code prints: "Terminating process due to FATAL
 * error" when a statement exhausts its memory. Bound to Node's own console.log, that line lands on
 * stdout, inside the language server's JSON-RPC stream (VS Code's client then stops reading it) or
 * the CLI's JSON. Called first thing in a product process, before the parser is required,
 * `divertParserOutput` puts a forwarder in `console.log`'s place for the module to bind: lines go to
 * stderr until the language server sends them to its client's log (`sendParserOutputTo`).
 */
import { format } from 'util';

let target: (text: string) => void = (text) => process.stderr.write(`${text}\n`);

export function divertParserOutput(): void {
  console.log = (...args: unknown[]) => target(format(...args));
}

export function sendParserOutputTo(log: (text: string) => void): void {
  target = log;
}
