/**
 * V8 settings for the product's own processes (the language server and the CLI), made when the
 * process starts, before anything is parsed (and, for the language server, one more once it has
 * started: tuneForEditing). A process that must parse the most per second (the throughput
 * benchmark) keeps V8's defaults.
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
 */
import { setFlagsFromString } from 'v8';

/** Call first thing in the process, before initParser. A flag a future V8 drops is ignored. */
export function tuneForQuickStart(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * For a language server once its first diagnostics are made: a smaller heap growing factor (1.5),
 * so V8 collects the old generation sooner.
 *
 * Every edit of a large document leaves copies behind that only a full collection frees (the edited
 * text is a new 1 MB string per keystroke in the 1 MB benchmark file, its line table another 0.3 MB),
 * and with V8's own factor (about 3 here) they piled up to three times the live heap. In the
 * benchmark's driver, 40 edits and 100 hovers of the 1 MB file (three runs each, in turn): peak RSS
 * 214-220 -> 162-168 MB, and 275-284 -> 239-241 MB with the 103,417-function catalog; edit medians
 * 10.3-11.5 -> 9.1-11.5 ms. Not from the start: while the first analyses build what the server keeps,
 * most of what is allocated survives and early collections free little (set at start, spawn to first
 * diagnostics of the 1 MB file looked ~40 ms slower). A factor of 1.3 saved ~15 MB more and cost
 * 1-2 ms per edit. The flag is read at every full collection, so setting it now takes effect.
 */
export function tuneForEditing(): void {
  setFlagsFromString('--heap-growing-percent=50');
}
