/** The settings audit on settings as pg_settings reports them (base units: pages, kB). */
import * as assert from 'assert';
import { auditSettings, formatBytes } from '../../server/src/core/audit';
import type { ParallelSettings } from '../../server/src/core/catalog-snapshot';

const DEFAULTS: ParallelSettings = {
  max_parallel_workers_per_gather: 2,
  max_parallel_workers: 8,
  max_worker_processes: 8,
  min_parallel_table_scan_size: 1024,
  min_parallel_index_scan_size: 64,
  parallel_setup_cost: 1000,
  parallel_tuple_cost: 0.1,
  max_connections: 100,
  superuser_reserved_connections: 3,
  reserved_connections: 0,
  work_mem: 4096,
  hash_mem_multiplier: 2,
  shared_buffers: 16384,
  block_size: 8192,
  debug_parallel_query: 'off',
  parallel_leader_participation: 'on',
};

describe('settings audit', () => {
  it('defaults: only the two informational figures', () => {
    const findings = auditSettings(DEFAULTS);
    assert.deepStrictEqual(findings.map((f) => [f.code, f.severity]), [
      ['connection-capacity', 'information'],
      ['work-mem-per-process', 'information'],
    ]);
    assert.strictEqual(
      findings[0].message,
      'each parallel query runs up to 3 processes (leader + 2 workers): of 97 usable connections, about 32 can run parallel queries at once before the server runs more processes than connections; the worker pool (max_parallel_workers 8) serves 4 Gathers at full strength at a time',
    );
    assert.strictEqual(
      findings[1].message,
      'every parallel worker has its own work_mem (4MB, ×2 for hashes): (max_connections 100 + max_parallel_workers 8) × work_mem = 432MB for one sort or hash per process (give the server\'s memory to compare)',
    );
  });

  it('caps in the wrong order', () => {
    const findings = auditSettings({ ...DEFAULTS, max_parallel_workers_per_gather: 6, max_parallel_workers: 12, max_worker_processes: 8 });
    const codes = findings.map((f) => f.code);
    assert.ok(codes.includes('pool-above-worker-processes'));
    assert.ok(!codes.includes('per-gather-above-pool'));
    const pool = findings.find((f) => f.code === 'pool-above-worker-processes')!;
    assert.strictEqual(pool.severity, 'warning');
    assert.deepStrictEqual(pool.values, { max_parallel_workers_per_gather: '6', max_parallel_workers: '12', max_worker_processes: '8' });
    const gather = auditSettings({ ...DEFAULTS, max_parallel_workers_per_gather: 6, max_parallel_workers: 4 }).find((f) => f.code === 'per-gather-above-pool')!;
    assert.strictEqual(gather.message, 'max_parallel_workers_per_gather (6) is above max_parallel_workers (4): a Gather can never get more than 4 workers');
  });

  it('parallel query switched off', () => {
    const [first] = auditSettings({ ...DEFAULTS, max_parallel_workers_per_gather: 0 });
    assert.strictEqual(first.code, 'parallel-disabled');
    assert.strictEqual(first.message, 'max_parallel_workers_per_gather is 0: no statement gets a parallel plan');
    // Nothing to size then: no "1 processes (leader + 0 workers)".
    assert.ok(!auditSettings({ ...DEFAULTS, max_parallel_workers_per_gather: 0 }).some((f) => f.code === 'connection-capacity'));
  });

  it('memory: the server\'s real memory when given', () => {
    const f = auditSettings({ ...DEFAULTS, work_mem: 65536 }, { memoryBytes: 64 * 1024 ** 3 }).find((x) => x.code === 'work-mem-per-process')!;
    assert.strictEqual(f.severity, 'information');
    assert.match(f.message, / = 6\.8GB for one sort or hash per process, within half of the server's 64GB$/);
    const big = auditSettings({ ...DEFAULTS, work_mem: 1048576 }, { memoryBytes: 64 * 1024 ** 3 }).find((x) => x.code === 'work-mem-per-process')!;
    assert.strictEqual(big.severity, 'warning');
  });

  it('non-default costs, debug_parallel_query and leader participation', () => {
    const findings = auditSettings({ ...DEFAULTS, parallel_setup_cost: 10, min_parallel_table_scan_size: 65536, debug_parallel_query: 'on', parallel_leader_participation: 'off' });
    const costs = findings.filter((f) => f.code === 'non-default-parallel-cost').map((f) => f.message);
    assert.deepStrictEqual(costs, [
      'parallel_setup_cost is 10 (default 1000): the planner chooses parallel plans more often, also where they do not pay off',
      'min_parallel_table_scan_size is 512MB (default 8MB): the planner chooses parallel plans less often',
    ]);
    assert.ok(findings.some((f) => f.code === 'debug-parallel-query-on' && f.severity === 'warning'));
    assert.ok(findings.some((f) => f.code === 'leader-participation-off'));
  });

  it('formats sizes the way PostgreSQL writes them', () => {
    assert.deepStrictEqual([formatBytes(8 * 1024 ** 2), formatBytes(512 * 1024), formatBytes(1.5 * 1024 ** 3), formatBytes(100)], ['8MB', '512kB', '1.5GB', '100B']);
  });
});
