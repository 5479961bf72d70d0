/**
 * Full garbage collections at points the language server chooses: after an analysis is answered, when
 * the old generation's large objects have grown by `growthBytes` since the last full collection (V8's
 * own included), and after each page of a catalog read, when the old generation has.
 *
 * Why: each edit of a large document leaves its previous text behind (a new 1 MB string per keystroke
 * in a 1 MB document). Strings that large live in V8's large-object space, and since the current text
 * is alive whenever the young generation is collected, nearly every one of them reaches the old
 * generation, which V8 collects only once it has grown to several times its live size. Reading a
 * catalog of 100,000 functions leaves its rows behind the same way. A smaller heap growing factor
 * (tried, quick-start.ts) also collects sooner, but lets V8 collect in the middle of any request,
 * hovers included; these collections run only here, between pieces of work, and take at most
 * `maxShare` of the time (after one that took d ms, none for d * (1 / maxShare - 1) ms).
 *
 * Measured with the benchmark's driver (40 edits, then 100 hovers): peak RSS with the 1 MB document
 * 214-221 -> 164-174 MB, with it and the 103,417-function catalog 272-283 -> 211-230 MB; first
 * diagnostics, edit medians and hovers unchanged. A collection costs 15-40 ms (a live heap of 30-60
 * MB). Watching the whole old generation after analyses too: 213-217 MB with the catalog, but the
 * benchmark's 50 open documents' rounds 1.5 -> 1.9 s (151 forced collections in 30 rounds, 5 s,
 * against V8's own 17, mostly concurrent, 0.1 s). 24 MB and a tenth of the time: 169-182 MB and
 * 224-245 MB.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

/**
 * What a checkpoint watches: the whole old generation (a catalog read's rows are small objects), or
 * only its large-object space (a large document's texts). After analyses only large objects count:
 * the small garbage of many documents' analyses is left to V8, whose own collections mark it mostly
 * on another thread, and cost the main thread far less than a forced one.
 */
export type Watched = 'oldGeneration' | 'largeObjects';

export interface Heap {
  /** Bytes in use in the old generation (old and large-object spaces), or in its large-object space. */
  usedBytes(watched: Watched): number;
  /** A full, blocking collection. */
  collect(): void;
  /** Milliseconds. */
  now(): number;
}

export interface CollectionPolicy {
  growthBytes: number;
  maxShare: number;
}

export const DEFAULT_COLLECTION_POLICY: CollectionPolicy = { growthBytes: 12 * 1024 * 1024, maxShare: 0.25 };

export class GarbageCollections {
  /** What each watched measure was right after the last full collection (or at the start). */
  private baseline: Record<Watched, number>;
  private notBefore = 0;
  private scheduled = false;
  /** Collections made, and the milliseconds they took. */
  count = 0;
  totalMs = 0;

  constructor(
    private readonly heap: Heap,
    private readonly policy: CollectionPolicy = DEFAULT_COLLECTION_POLICY,
  ) {
    this.baseline = this.measured();
  }

  private measured(): Record<Watched, number> {
    return { oldGeneration: this.heap.usedBytes('oldGeneration'), largeObjects: this.heap.usedBytes('largeObjects') };
  }

  /** After a page of a catalog read. */
  afterCatalogPage(): boolean {
    return this.checkpoint('oldGeneration');
  }

  /** After an analysis: a checkpoint once its answer is on its way (after the pending I/O callbacks). */
  afterAnalysis(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.checkpoint('largeObjects');
    }, 0).unref();
  }

  /** Collect now if what `watched` measures grew enough since the last full collection. True if it did. */
  checkpoint(watched: Watched): boolean {
    const size = this.heap.usedBytes(watched);
    // V8 collected on its own meanwhile: growth counts from what it left.
    if (size < this.baseline[watched]) this.baseline[watched] = size;
    if (size - this.baseline[watched] < this.policy.growthBytes || this.heap.now() < this.notBefore) return false;
    const started = this.heap.now();
    this.heap.collect();
    const took = this.heap.now() - started;
    this.count++;
    this.totalMs += took;
    this.baseline = this.measured();
    this.notBefore = this.heap.now() + took * (1 / this.policy.maxShare - 1);
    return true;
  }
}

/** V8's heap, or undefined where this Node cannot expose a collection to JavaScript. */
export function v8Heap(): Heap | undefined {
  let gc: unknown;
  try {
    setFlagsFromString('--expose-gc');
    // The flag makes `gc` a global of contexts created after it is set.
    gc = runInNewContext('gc');
  } catch {
    return undefined;
  }
  if (typeof gc !== 'function') return undefined;
  const collect = gc as () => void;
  return {
    usedBytes: (watched) => {
      let bytes = 0;
      for (const space of getHeapSpaceStatistics()) {
        if (space.space_name === 'large_object_space' || (watched === 'oldGeneration' && space.space_name === 'old_space')) bytes += space.space_used_size;
      }
      return bytes;
    },
    collect,
    now: () => performance.now(),
  };
}
