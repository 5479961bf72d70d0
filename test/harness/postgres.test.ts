/**
 * The test harness itself: every other database suite trusts that testCluster() is the major it
 * claims, that createDatabase() isolates suites from each other, and that stop() leaves nothing.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import { Client } from 'pg';
import { PgCluster, startPostgres, testCluster } from './postgres';

async function query<T>(connectionString: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

async function setting(connectionString: string, name: string): Promise<string> {
  const [row] = await query<{ value: string }>(connectionString, `SELECT current_setting('${name}') AS value`);
  return row.value;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('test harness: PostgreSQL from npm', () => {
  describe('the shared test cluster', () => {
    let cluster: PgCluster;
    const expectedMajor = Number(process.env.PGPH_TEST_PG_MAJOR ?? 18);

    before(async () => {
      cluster = await testCluster();
    });

    it('is one cluster per process', async () => {
      assert.strictEqual(await testCluster(), cluster);
    });

    it('runs the major named by PGPH_TEST_PG_MAJOR', async () => {
      assert.strictEqual(cluster.major, expectedMajor);
      const [row] = await query<{ version: string }>(cluster.connectionString(), 'SELECT version()');
      assert.match(row.version, new RegExp(`^PostgreSQL ${expectedMajor}\\.\\d+ `));
      assert.strictEqual(Math.floor(Number(await setting(cluster.connectionString(), 'server_version_num')) / 10000), expectedMajor);
    });

    it('is reached as postgres over TCP on 127.0.0.1', async () => {
      assert.strictEqual(cluster.host, '127.0.0.1');
      assert.strictEqual(cluster.user, 'postgres');
      assert.strictEqual(cluster.connectionString(), `postgres://postgres@127.0.0.1:${cluster.port}/postgres`);
      assert.strictEqual(cluster.connectionString('other'), `postgres://postgres@127.0.0.1:${cluster.port}/other`);
      const [row] = await query<{ user: string; port: number }>(cluster.connectionString(), 'SELECT current_user AS user, inet_server_port() AS port');
      assert.deepStrictEqual(row, { user: 'postgres', port: cluster.port });
    });

    it('serves the data directory it reports', async () => {
      assert.strictEqual(await setting(cluster.connectionString(), 'data_directory'), cluster.dataDir);
      if (isRoot) assert.strictEqual(fs.statSync(cluster.dataDir).uid, 65534, 'as root, the server runs as nobody');
    });

    it('has the test-friendly parallel settings', async () => {
      const url = cluster.connectionString();
      assert.deepStrictEqual(
        {
          max_worker_processes: await setting(url, 'max_worker_processes'),
          max_parallel_workers: await setting(url, 'max_parallel_workers'),
          max_parallel_workers_per_gather: await setting(url, 'max_parallel_workers_per_gather'),
          fsync: await setting(url, 'fsync'),
          server_encoding: await setting(url, 'server_encoding'),
          lc_messages: await setting(url, 'lc_messages'),
        },
        { max_worker_processes: '16', max_parallel_workers: '8', max_parallel_workers_per_gather: '2', fsync: 'off', server_encoding: 'UTF8', lc_messages: 'C' },
      );
      const [database] = await query<{ datcollate: string }>(url, 'SELECT datcollate FROM pg_database WHERE datname = current_database()');
      assert.strictEqual(database.datcollate, 'C');
    });

    it('creates fresh, separate databases', async () => {
      const first = await cluster.createDatabase('Harness-Test');
      const second = await cluster.createDatabase('Harness-Test');
      assert.notStrictEqual(first, second);
      const firstName = new URL(first).pathname.slice(1);
      const secondName = new URL(second).pathname.slice(1);
      assert.match(firstName, /^harness_test_\d+$/);
      assert.match(secondName, /^harness_test_\d+$/);

      await query(first, 'CREATE TABLE only_in_first (id int)');
      const [inFirst] = await query<{ db: string; t: string | null }>(first, `SELECT current_database() AS db, to_regclass('only_in_first')::text AS t`);
      const [inSecond] = await query<{ db: string; t: string | null }>(second, `SELECT current_database() AS db, to_regclass('only_in_first')::text AS t`);
      assert.deepStrictEqual(inFirst, { db: firstName, t: 'only_in_first' });
      assert.deepStrictEqual(inSecond, { db: secondName, t: null });
    });
  });

  describe('startPostgres', () => {
    it('starts PostgreSQL 15 with overridden settings, and stop() removes it', async function () {
      this.timeout(60_000);
      const cluster = await startPostgres({ major: 15, settings: { max_parallel_workers_per_gather: '0', work_mem: '8MB' } });
      let stopped = false;
      try {
        assert.strictEqual(cluster.major, 15);
        const url = await cluster.createDatabase('pg15');
        const [row] = await query<{ version: string }>(url, 'SELECT version()');
        assert.match(row.version, /^PostgreSQL 15\.\d+ /);
        assert.strictEqual(await setting(url, 'max_parallel_workers_per_gather'), '0');
        assert.strictEqual(await setting(url, 'work_mem'), '8MB');
        assert.strictEqual(await setting(url, 'max_parallel_workers'), '8', 'defaults not overridden stay');

        await cluster.stop();
        stopped = true;
        assert.strictEqual(fs.existsSync(cluster.dataDir), false);
        const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
        await assert.rejects(client.connect(), /ECONNREFUSED/);
      } finally {
        if (!stopped) await cluster.stop();
      }
    });

    it('fails with a clear error for a major that is not installed', async () => {
      await assert.rejects(startPostgres({ major: 9 }), /PostgreSQL 9 binaries for .* are not installed \(npm package pg9-/);
    });
  });
});
