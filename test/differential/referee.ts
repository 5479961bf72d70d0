/**
 * What both differential suites need: a fresh database holding their schema on the shared test
 * cluster, its live catalog, and the same schema read as a workspace file over the built-in catalog
 * of the same major (the no-database path).
 */
import { Client } from 'pg';
import { Catalog } from '../../server/src/core/catalog';
import { analyzeDocument } from '../../server/src/core/document';
import { initParser } from '../../server/src/core/parse';
import { readCatalogSnapshot } from '../../server/src/db/catalog';
import { loadBuiltinCatalog } from '../../server/src/builtin-catalogs';
import { testCluster } from '../harness/postgres';

export interface Referee {
  client: Client;
  /** From the live database. */
  catalog: Catalog;
  /** No database: built-in catalog + the schema's DDL. */
  offline: Catalog;
}

/** Registers before/after hooks in the calling suite; the fields are filled once `before` ran. */
export function refereeDatabase(prefix: string, schema: string): Referee {
  const referee = {} as Referee;
  before(async () => {
    await initParser();
    const cluster = await testCluster();
    referee.client = new Client({ connectionString: await cluster.createDatabase(prefix) });
    await referee.client.connect();
    await referee.client.query(schema);
    referee.catalog = Catalog.fromSnapshot(await readCatalogSnapshot(referee.client));
    const major = Math.floor(referee.catalog.versionNum / 10000);
    referee.offline = analyzeDocument(schema, Catalog.fromSnapshot(loadBuiltinCatalog(major)), 'file:///schema.sql').catalogAfter;
  });
  after(async () => {
    await referee.client?.end();
  });
  return referee;
}
