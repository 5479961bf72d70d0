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
 * `--semi-space-growth-factor=1`: the young generation keeps the size it starts with (two halves of
 * 1 MB) instead of doubling up to V8's limit (two halves of 16 MB). Analysing a large document keeps
 * every statement's result, so nearly everything survives the young collections and V8, left alone,
 * grows the young generation to that limit: 32 MB that stay resident, whose fresh pages are also
 * slow to touch on some machines. V8 reads the factor whenever it would grow, so it applies when set
 * here, at run time, for every way the server is started; heap sizes (`--max-semi-space-size`) are
 * read only at process start. Measured old and new in turn (bench/NOTES.md): less memory for
 * the server and the CLI; first diagnostics, and edits of the 1 MB benchmark file, quicker.
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
 * Call first thing in the process, before initParser. A flag a future V8 no longer knows changes
 * nothing and leaves a line on stderr ("unrecognized flag"); test/cli/v8-settings.test.ts fails then.
 */
export function tuneForQuickStart(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--semi-space-growth-factor=1');
}
