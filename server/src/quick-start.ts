/**
 * V8 settings for the product's own processes (the language server and the CLI), made when the
 * process starts, before anything is parsed. A process that must parse the most per second (the
 * throughput benchmark) keeps V8's defaults.
 *
 * `--liftoff-only`: V8 compiles the parser's WebAssembly with its baseline compiler (Liftoff) and
 * would then recompile hot functions with TurboFan on a background thread, which here costs more than
 * it gives. Parsing the 1 MB benchmark file in a fresh process (2 cores), with TurboFan: first pass
 * 285 ms (the recompiling competes with the parse), later passes 139 ms, 104 MB resident; baseline
 * only: 178 ms, 160 ms, 63 MB. A language server parses one statement per edit, and a CLI run parses
 * each file once (checking 7 MB of SQL took 2.74 s instead of 3.0). The flag is read when the module
 * is compiled, on the first initParser.
 *
 * Tried and left at V8's default: a larger `--interrupt-budget` (300,000 instead of 67,584 bytes of
 * bytecode between checks whether a function is hot). The walker's large functions are then optimised
 * later, on fuller type feedback, and deoptimised less: the first analysis of the 1 MB file took
 * 485 -> 430 ms and spawn to first diagnostics ~800 -> ~720 ms, but the three full passes after it
 * 20-30 ms longer each and indexing the 5,000-file benchmark workspace 1.29 -> 1.50 s (medians of
 * five), which every first diagnostics in such a folder waits for.
 *
 * Tried and left at V8's default: a smaller heap growing factor once the first diagnostics are made
 * (`--heap-growing-percent`, read at every full collection, so it can be set at run time). Each edit
 * of a large document leaves a copy of its text behind (1 MB per keystroke in the 1 MB benchmark
 * file), which V8's own factor lets pile up to about three times the live heap. With 1.5, in the
 * benchmark's driver (40 edits, then 100 hovers): peak RSS 214-221 -> 165-171 MB, and 272-283 ->
 * 228-236 MB with the 103,417-function catalog (still over its 200 MB target), but hover p95 with that
 * catalog 0.38-0.65 -> 2.4-4.9 ms in all four runs (target 2 ms): collections now run during the
 * hovers. Factors of 2 and 3 saved less and still hit the hovers in one and two runs of three. The
 * language server collects that garbage itself instead, between pieces of work (memory.ts).
 */
import { setFlagsFromString } from 'v8';

/**
 * Node flags for the language server's process where we start it ourselves (the VS Code client
 * passes them as execArgv; the benchmark starts the server the same way). They size the heap, so
 * V8 reads them only when the process starts: `setFlagsFromString` cannot apply them, and the
 * `pg-parallel-hints lsp` command runs without them (NODE_OPTIONS can pass them, README).
 *
 * `--max-semi-space-size=4` (MB; V8's default lets each of the young generation's two halves grow to
 * 16): analysing a large document keeps every statement's result, so nearly everything survives the
 * young collections and V8 grows the young generation to its limit, 32 MB that stay resident. Capped
 * at 4, the 1 MB benchmark document with the 103,417-function catalog peaked at 184-191 MB instead of
 * 218-228 (eight runs each, 40 edits and 100 hovers), without it 134-139 instead of 169-173, 50 open
 * documents 289 instead of 332 MB; first diagnostics, edit medians and hovers within the runs' noise
 * (8 MB: 206-213 MB; 2 MB: about 5 MB less than 4 without a database, two runs, first diagnostics no
 * quicker, so the smaller step from V8's default).
 */
export const SERVER_PROCESS_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/** Call first thing in the process, before initParser. A flag a future V8 drops is ignored. */
export function tuneForQuickStart(): void {
  setFlagsFromString('--liftoff-only');
}
