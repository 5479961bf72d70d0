/**
 * Child process of `npm run bench`: reads a live catalog snapshot from the database URL given as the
 * argument and indexes it, in a fresh Node process so its RSS is the whole cost. Prints one JSON line.
 */
import { Client } from 'pg';
import { Catalog } from '../server/src/core/catalog';
import { readCatalogSnapshot } from '../server/src/db/catalog';

async function main(): Promise<void> {
  const url = process.argv[2];
  const rssBeforeMB = process.memoryUsage().rss / 1e6;
  const client = new Client({ connectionString: url });
  const connectStart = performance.now();
  await client.connect();
  const readStart = performance.now();
  const snapshot = await readCatalogSnapshot(client);
  const readMs = performance.now() - readStart;
  await client.end();
  const indexStart = performance.now();
  const catalog = Catalog.fromSnapshot(snapshot);
  const indexMs = performance.now() - indexStart;
  // A lookup by name, so lazily built indexes are counted too.
  catalog.functionsNamed('bench_fn_99999');
  const lookupMs = performance.now() - indexStart - indexMs;
  const rssMB = process.memoryUsage().rss / 1e6;
  global.gc?.();
  const rssAfterGcMB = process.memoryUsage().rss / 1e6;
  const heapMB = process.memoryUsage().heapUsed / 1e6;
  process.stdout.write(
    JSON.stringify({
      functions: catalog.functionCount,
      connectMs: readStart - connectStart,
      readMs,
      indexMs,
      lookupMs,
      totalMs: readMs + indexMs,
      rssBeforeMB,
      rssMB,
      rssAfterGcMB,
      heapMB,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    }) + '\n',
  );
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
