/**
 * The language server's own full collections (server/src/memory.ts): when they happen, against V8's
 * real heap, how often at most, and that an answered analysis is a checkpoint.
 */
import * as assert from 'assert';
import { Client } from 'pg';
import { getHeapSpaceStatistics } from 'v8';
import { FUNCTION_PAGE, readCatalogSnapshot } from '../../server/src/db/catalog';
import { GarbageCollections, Heap, v8Heap, Watched } from '../../server/src/memory';
import { testCluster } from '../harness/postgres';
import { closeAll, startInMemory, TestClient } from './client';

const MB = 1024 * 1024;

/** What V8's young large-object space holds: large objects not yet promoted to the old generation. */
function youngLargeObjectBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_large_object_space')?.space_used_size ?? 0;
}
/** Where the test's short-lived objects go, so that allocating them is not optimised away. */
let young: unknown;

/**
 * A heap whose figures the test sets: in MB, the old generation's small objects and its large ones;
 * how long a collection takes, and what it leaves.
 */
class ScriptedHeap implements Heap {
  smallMB = 100;
  largeMB = 10;
  clockMs = 0;
  collectionMs = 10;
  after = { smallMB: 100, largeMB: 10 };
  /** Added to both at every reading: a heap that has always grown enough by the next checkpoint. */
  growthPerReadingMB = 0;
  collections = 0;
  usedBytes(watched: Watched): number {
    this.smallMB += this.growthPerReadingMB;
    this.largeMB += this.growthPerReadingMB;
    return (watched === 'largeObjects' ? this.largeMB : this.smallMB + this.largeMB) * MB;
  }
  collect(): void {
    this.collections++;
    this.clockMs += this.collectionMs;
    ({ smallMB: this.smallMB, largeMB: this.largeMB } = this.after);
  }
  now(): number {
    return this.clockMs;
  }
}

describe('lsp: garbage collections between pieces of work', function () {
  this.timeout(60_000);
  const clients: TestClient[] = [];

  afterEach(() => closeAll(clients));

  it('collects garbage in the old generation of the real V8 heap once it has grown past the threshold', () => {
    const heap = v8Heap();
    assert.ok(heap, 'this Node can expose a full collection');
    // From a collected heap: garbage of earlier tests that V8 collects meanwhile would hide the growth.
    // Twice: what was allocated while a concurrent marking of V8's own was under way survives the
    // first (floating garbage: an earlier test's document texts, tens of MB), not the second.
    heap.collect();
    heap.collect();
    const collections = new GarbageCollections(heap, { growthBytes: 8 * MB, maxShare: 1 });
    assert.strictEqual(collections.checkpoint('largeObjects'), false, 'nothing has grown yet');
    // Thirty-two 1 MB arrays (large objects), kept alive until young collections have moved them to
    // the old generation, as the texts of a large document's edits are; then dropped. Promotion is
    // told by the young large-object space emptying, not by the old one's growth, which garbage of
    // earlier tests that V8 collects meanwhile can offset (hence twice the threshold and more).
    let held: number[][] = Array.from({ length: 32 }, (_, i) => new Array<number>(MB / 8).fill(i));
    for (let i = 0; youngLargeObjectBytes() > 0 && i < 50_000_000; i++) young = { i };
    assert.strictEqual(youngLargeObjectBytes(), 0, 'the arrays were promoted');
    held = [];
    const before = heap.usedBytes('oldGeneration');
    assert.strictEqual(collections.checkpoint('largeObjects'), true);
    assert.strictEqual(collections.count, 1);
    const freed = before - heap.usedBytes('oldGeneration');
    assert.ok(freed >= 12 * MB, `freed ${(freed / MB).toFixed(1)} MB`);
    assert.strictEqual(collections.checkpoint('largeObjects'), false, 'growth counts from what the collection left');
    assert.strictEqual(held.length, 0);
  });

  it('counts growth from what V8 left when it collected on its own', () => {
    const heap = new ScriptedHeap();
    const collections = new GarbageCollections(heap, { growthBytes: 12 * MB, maxShare: 0.25 });
    heap.smallMB = 50; // V8 collected: 50 + 10 MB, 50 MB less than at the start
    assert.strictEqual(collections.checkpoint('oldGeneration'), false);
    heap.smallMB = 61;
    assert.strictEqual(collections.checkpoint('oldGeneration'), false, '11 MB over 60');
    heap.smallMB = 62;
    assert.strictEqual(collections.checkpoint('oldGeneration'), true, '12 MB over 60');
  });

  it('after an analysis watches large objects only: small garbage is left to V8', () => {
    const heap = new ScriptedHeap();
    const collections = new GarbageCollections(heap, { growthBytes: 12 * MB, maxShare: 1 });
    heap.smallMB = 200;
    assert.strictEqual(collections.checkpoint('largeObjects'), false, '100 MB more small objects');
    assert.strictEqual(collections.afterCatalogPage(), true, 'a catalog page watches the whole old generation');
    heap.largeMB = 22;
    assert.strictEqual(collections.checkpoint('largeObjects'), true, '12 MB more large objects');
    assert.strictEqual(heap.collections, 2);
  });

  it('takes at most its share of the time: after a 10 ms collection at a quarter, none for 30 ms', () => {
    const heap = new ScriptedHeap();
    const collections = new GarbageCollections(heap, { growthBytes: 12 * MB, maxShare: 0.25 });
    heap.smallMB = 112;
    assert.strictEqual(collections.checkpoint('oldGeneration'), true);
    assert.deepStrictEqual([heap.clockMs, heap.collections], [10, 1]);
    heap.smallMB = 150;
    heap.clockMs = 39;
    assert.strictEqual(collections.checkpoint('oldGeneration'), false, '29 ms after the collection ended');
    heap.clockMs = 40;
    assert.strictEqual(collections.checkpoint('oldGeneration'), true, '30 ms after');
    assert.strictEqual(collections.count, 2);
    assert.strictEqual(collections.totalMs, 20);
  });

  it('makes a checkpoint after an analysis is answered', async () => {
    const heap = new ScriptedHeap();
    const collections = new GarbageCollections(heap, { growthBytes: 12 * MB, maxShare: 1 });
    heap.largeMB = 30;
    const collected = new Promise<void>((resolve) => {
      const collect = heap.collect.bind(heap);
      heap.collect = () => {
        collect();
        resolve();
      };
    });
    const client = await startInMemory({ deps: { collections } });
    clients.push(client);
    const uri = 'file:///nowhere/memory.sql';
    await client.open(uri, 'SELECT random();\n');
    assert.strictEqual((await client.diagnostics(uri)).length, 1);
    await collected;
    assert.strictEqual(heap.collections, 1);
  });

  it('makes a checkpoint after each page of functions read from a live database', async () => {
    const url = await (await testCluster()).createDatabase('lsp_memory');
    const reader = new Client({ connectionString: url });
    await reader.connect();
    const functions = (await readCatalogSnapshot(reader).finally(() => reader.end())).functions.length;
    const heap = new ScriptedHeap();
    heap.growthPerReadingMB = 100;
    const client = await startInMemory({
      configuration: () => ({ connection: { url } }),
      deps: { env: {}, collections: new GarbageCollections(heap, { growthBytes: 12 * MB, maxShare: 1 }) },
    });
    clients.push(client);
    // No document is open, so nothing is analysed: every collection is a page's.
    const { statuses } = await client.command('pgParallelHints/reconnect');
    assert.deepStrictEqual(statuses.map((s) => s.state), ['live']);
    assert.strictEqual(heap.collections, Math.floor(functions / FUNCTION_PAGE) + 1);
  });
});
