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
 * `--semi-space-growth-factor=1`: the young generation stays at the size it starts with (two halves
 * of 1 MB) instead of doubling up to V8's limit (two halves of 16 MB). Analysing a large document
 * keeps every statement's result, so nearly everything survives the young collections, and V8 grows
 * the young generation to that limit: 32 MB that stay resident and whose fresh pages cost time here
 * (page faults). V8 reads this factor each time it would grow the young generation, so it applies
 * when set at run time, unlike the heap sizes (`--max-semi-space-size` set here does nothing; given
 * on the command line, only the VS Code client could pass it, and `pg-parallel-hints lsp`, which other
 * editors run, would go without). Measured 2026-12-07, old and new in turn, three runs each: the
 * server with the 1 MB benchmark document 155-156 -> 122-123 MB peak, first diagnostics 1,307-1,320 ->
 * 1,180-1,294 ms, edit medians unchanged (the client's former `--max-semi-space-size=4`: 132-133 MB);
 * `check` on the 1 MB file 1.48-1.60 -> 1.34-1.36 s and 122 -> 97 MB; on the 361 throughput files
 * 1.14-1.32 -> 1.13-1.19 s and 148-152 -> 107-112 MB (five runs).
 */
const YOUNG_GENERATION_AT_ITS_START = '--semi-space-growth-factor=1';

/** Call first thing in the process, before initParser. A flag a future V8 drops is ignored. */
export function tuneForQuickStart(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString(YOUNG_GENERATION_AT_ITS_START);
}
