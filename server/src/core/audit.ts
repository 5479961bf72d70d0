/**
 * The settings audit (PARALLEL.md section 5): whether the caps on parallel workers are in a usable
 * order, what parallel workers do to connection capacity and memory, and which planner costs differ
 * from their defaults. Pure: settings in (pg_settings values in base units), findings out.
 */
import type { ParallelSettings } from './catalog-snapshot';

export interface AuditFinding {
  code: string;
  severity: 'error' | 'warning' | 'information';
  message: string;
  /** The settings the finding is about, with their current values as PostgreSQL shows them. */
  values: Record<string, string>;
  /** What to change, as SQL to try or a sentence. */
  advice?: string;
}

export interface AuditOptions {
  /** The server's memory in bytes, when the user tells us (SQL cannot see it). */
  memoryBytes?: number;
}

const KB = 1024;

function num(settings: ParallelSettings, name: string): number | undefined {
  const value = settings[name];
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Bytes as PostgreSQL writes sizes: 8MB, 512kB, 1.5GB. */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [KB ** 4, 'TB'],
    [KB ** 3, 'GB'],
    [KB ** 2, 'MB'],
    [KB, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit}`;
    }
  }
  return `${bytes}B`;
}

/** pg_settings reports sizes in units: *_scan_size, shared_buffers, effective_cache_size in 8kB pages; work_mem in kB. */
function pagesToBytes(settings: ParallelSettings, name: string): number | undefined {
  const n = num(settings, name);
  const blockSize = num(settings, 'block_size') ?? 8192;
  return n === undefined ? undefined : n * blockSize;
}

function kilobytes(settings: ParallelSettings, name: string): number | undefined {
  const n = num(settings, name);
  return n === undefined ? undefined : n * KB;
}

const COST_DEFAULTS: [name: string, value: number, unit: 'cost' | 'pages'][] = [
  ['parallel_setup_cost', 1000, 'cost'],
  ['parallel_tuple_cost', 0.1, 'cost'],
  ['min_parallel_table_scan_size', 1024, 'pages'],
  ['min_parallel_index_scan_size', 64, 'pages'],
];

export function auditSettings(settings: ParallelSettings, options: AuditOptions = {}): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const perGather = num(settings, 'max_parallel_workers_per_gather') ?? 2;
  const pool = num(settings, 'max_parallel_workers') ?? 8;
  const processes = num(settings, 'max_worker_processes') ?? 8;
  const values = { max_parallel_workers_per_gather: String(perGather), max_parallel_workers: String(pool), max_worker_processes: String(processes) };

  if (perGather === 0 || pool === 0) {
    findings.push({
      code: 'parallel-disabled',
      severity: 'warning',
      message: perGather === 0 ? 'max_parallel_workers_per_gather is 0: no statement gets a parallel plan' : 'max_parallel_workers is 0: parallel plans are made but no worker can ever start',
      values,
      advice: perGather === 0 ? 'SET max_parallel_workers_per_gather = 2 (or more) in postgresql.conf or per role/database' : 'SET max_parallel_workers = 8 (at most max_worker_processes)',
    });
  }
  if (perGather > pool && pool > 0) {
    findings.push({
      code: 'per-gather-above-pool',
      severity: 'warning',
      message: `max_parallel_workers_per_gather (${perGather}) is above max_parallel_workers (${pool}): a Gather can never get more than ${pool} workers`,
      values,
      advice: `lower max_parallel_workers_per_gather to ${pool}, or raise max_parallel_workers`,
    });
  }
  if (pool > processes) {
    findings.push({
      code: 'pool-above-worker-processes',
      severity: 'warning',
      message: `max_parallel_workers (${pool}) is above max_worker_processes (${processes}): at most ${processes} background workers exist, and other background workers (logical replication, extensions) share them`,
      values,
      advice: `raise max_worker_processes to at least ${pool} plus the background workers your extensions need (restart required), or lower max_parallel_workers`,
    });
  }

  const maxConnections = num(settings, 'max_connections');
  // With parallel query off there is no capacity to size (parallel-disabled above says so).
  if (maxConnections !== undefined && perGather > 0) {
    const reserved = (num(settings, 'superuser_reserved_connections') ?? 3) + (num(settings, 'reserved_connections') ?? 0);
    const usable = Math.max(0, maxConnections - reserved);
    const capacity = Math.floor(usable / (1 + perGather));
    // Workers are background processes, not connections; the pool bounds how many Gathers are at full strength.
    const fullGathers = Math.floor(pool / Math.max(1, Math.min(perGather, pool)));
    findings.push({
      code: 'connection-capacity',
      severity: 'information',
      message: `each parallel query runs up to ${1 + perGather} processes (leader + ${perGather} workers): of ${usable} usable connections, about ${capacity} can run parallel queries at once before the server runs more processes than connections; the worker pool (max_parallel_workers ${pool}) serves ${fullGathers} Gather${fullGathers === 1 ? '' : 's'} at full strength at a time`,
      values: { max_connections: String(maxConnections), reserved_connections: String(reserved), ...values },
      advice: `more than ${fullGathers} concurrent parallel queries get fewer workers than planned (Workers Launched < Workers Planned): size pools and max_parallel_workers together`,
    });
  }

  const workMem = kilobytes(settings, 'work_mem');
  if (workMem !== undefined && maxConnections !== undefined) {
    const hashMultiplier = num(settings, 'hash_mem_multiplier') ?? 2;
    const processesAtOnce = maxConnections + pool;
    const worst = processesAtOnce * workMem;
    // SQL cannot see the server's memory: judge only when the user gives it (--memory).
    const memory = options.memoryBytes;
    const tooMuch = memory !== undefined && worst > memory * 0.5;
    const judgement = memory === undefined ? ' (give the server\'s memory to compare)' : `, ${tooMuch ? 'more than half of' : 'within half of'} the server's ${formatBytes(memory)}`;
    findings.push({
      code: 'work-mem-per-process',
      severity: tooMuch ? 'warning' : 'information',
      message: `every parallel worker has its own work_mem (${formatBytes(workMem)}, ×${hashMultiplier} for hashes): (max_connections ${maxConnections} + max_parallel_workers ${pool}) × work_mem = ${formatBytes(worst)} for one sort or hash per process${judgement}`,
      values: { work_mem: formatBytes(workMem), hash_mem_multiplier: String(hashMultiplier), max_connections: String(maxConnections), max_parallel_workers: String(pool) },
      advice: tooMuch ? 'lower work_mem globally and raise it per session (SET LOCAL work_mem) for the reports that need it' : undefined,
    });
  }

  for (const [name, defaultValue, unit] of COST_DEFAULTS) {
    const value = num(settings, name);
    if (value === undefined || value === defaultValue) continue;
    const shown = unit === 'pages' ? formatBytes(pagesToBytes(settings, name)!) : String(value);
    const shownDefault = unit === 'pages' ? formatBytes(defaultValue * 8192) : String(defaultValue);
    const discourages = (name.startsWith('parallel_') && value > defaultValue) || (name.startsWith('min_') && value > defaultValue);
    findings.push({
      code: 'non-default-parallel-cost',
      severity: 'information',
      message: `${name} is ${shown} (default ${shownDefault}): the planner ${discourages ? 'chooses parallel plans less often' : 'chooses parallel plans more often, also where they do not pay off'}`,
      values: { [name]: shown },
      advice: `RESET ${name} unless this was measured`,
    });
  }

  const debugName = settings.debug_parallel_query !== undefined ? 'debug_parallel_query' : 'force_parallel_mode';
  const debug = settings[debugName];
  if (debug !== undefined && debug !== 'off') {
    findings.push({
      code: 'debug-parallel-query-on',
      severity: 'warning',
      message: `${debugName} is ${debug}: every query gets a Gather for testing, which slows real work down`,
      values: { [debugName]: String(debug) },
      advice: `SET ${debugName} = off`,
    });
  }
  if (settings.parallel_leader_participation === 'off') {
    findings.push({
      code: 'leader-participation-off',
      severity: 'information',
      message: 'parallel_leader_participation is off: the leader only gathers; with few workers, queries get slower',
      values: { parallel_leader_participation: 'off' },
      advice: 'SET parallel_leader_participation = on unless the leader is the bottleneck (many rows through the Gather)',
    });
  }
  return findings;
}

export function formatAudit(findings: AuditFinding[], target: string): string {
  const lines = [`Parallel query settings of ${target}:`, ''];
  for (const f of findings) {
    lines.push(`${f.severity}: ${f.message} [${f.code}]`);
    lines.push(`  now: ${Object.entries(f.values).map(([k, v]) => `${k} = ${v}`).join(', ')}`);
    if (f.advice) lines.push(`  try: ${f.advice}`);
  }
  const warnings = findings.filter((f) => f.severity !== 'information').length;
  lines.push('', `${findings.length} finding${findings.length === 1 ? '' : 's'}, ${warnings} to act on`);
  return lines.join('\n') + '\n';
}
