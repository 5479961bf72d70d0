/**
 * EXPLAIN (FORMAT JSON) -> what the parallel part of the plan did and what to do about it
 * (PARALLEL.md section 5). Pure: the plan and the settings come in, plain data and text go out.
 *
 * The time model, which most plan readers get wrong:
 *  - a node's Actual Rows and Actual Total Time are averages per loop; rows x loops is the total;
 *  - below a Gather every participant (leader and workers) counts as a loop, so a Parallel Seq Scan
 *    with 2 workers shows 3 loops; a Gather that is itself rescanned multiplies that again;
 *  - VERBOSE lists each worker's own figures under "Workers"; the leader's share is never printed
 *    and is the node's total minus the workers' totals;
 *  - some nodes below a Gather run in one process only (the Bitmap Index Scan below a Parallel
 *    Bitmap Heap Scan builds one shared bitmap): their figures are not divided among participants;
 *  - planned rows on partial nodes are per process: the total is Plan Rows x the parallel divisor
 *    (workers + the leader's share, 1.7 / 2.4 / 3.1 / N for 1 / 2 / 3 / N >= 4 workers).
 */
import type { Severity } from './types';

export interface PlanGather {
  nodeType: 'Gather' | 'Gather Merge';
  workersPlanned: number;
  workersLaunched?: number;
  singleCopy: boolean;
  /** Indexes into Plans from the top node ([] is the top node itself). */
  path: number[];
}

export interface PlanFinding {
  code: string;
  severity: Severity;
  message: string;
  nodePath?: number[];
  advice?: string;
}

export interface PlanReport {
  gathers: PlanGather[];
  findings: PlanFinding[];
  /** The plan has a Gather (Merge) that is not single-copy: some of it runs in several processes. */
  parallel: boolean;
  /** The plan carries actual figures (EXPLAIN ANALYZE). */
  analyzed: boolean;
  /** Actual Rows are whole numbers per loop (before PostgreSQL 18, or version unknown): totals over loops are approximate. */
  roundedRows: boolean;
}

export interface PlanContext {
  /** pg_settings values in base units (work_mem in kB, *_scan_size in 8 kB pages), as the db layer reads them. */
  settings: Record<string, number | string>;
  /** Parallel workers of other sessions running when the statement ran. */
  busyParallelWorkers?: number;
  /** server_version_num: before 18, Actual Rows is rounded to whole rows per loop, so totals are approximate. */
  versionNum?: number;
}

/** One node of EXPLAIN (FORMAT JSON), the fields the findings, the report and the diagram read. */
export interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Parallel Aware'?: boolean;
  'Partial Mode'?: string;
  Strategy?: string;
  'Join Type'?: string;
  Operation?: string;
  'Relation Name'?: string;
  Schema?: string;
  Alias?: string;
  'Index Name'?: string;
  'CTE Name'?: string;
  'Function Name'?: string;
  'Startup Cost'?: number;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Workers Planned'?: number;
  'Workers Launched'?: number;
  'Single Copy'?: boolean;
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Hash Batches'?: number;
  'Original Hash Batches'?: number;
  'HashAgg Batches'?: number;
  'Disk Usage'?: number;
  Workers?: WorkerFigures[];
  Plans?: PlanNode[];
}

interface WorkerFigures {
  'Worker Number': number;
  'Actual Total Time'?: number;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Sort Method'?: string;
  'Sort Space Used'?: number;
  'Sort Space Type'?: string;
  'Hash Batches'?: number;
  'HashAgg Batches'?: number;
  'Disk Usage'?: number;
}

interface PlanDocument {
  Plan: PlanNode;
  'Planning Time'?: number;
  'Execution Time'?: number;
}

/** Rows crossing one Gather from which the leader is likely to be the bottleneck. */
const MANY_GATHERED_ROWS = 100_000;
/** Skew is reported when the busiest worker did this many times the workers' average, on this many rows. */
const SKEW_RATIO = 1.5;
const SKEW_MIN_ROWS = 10_000;

/** Accepts what EXPLAIN (FORMAT JSON) returns: the array, its first element, or a Plan node. */
export function planDocument(plan: unknown): PlanDocument {
  const first = Array.isArray(plan) ? plan[0] : plan;
  if (first && typeof first === 'object') {
    if ('Plan' in first && isNode((first as PlanDocument).Plan)) return first as PlanDocument;
    if (isNode(first)) return { Plan: first as PlanNode };
  }
  throw new TypeError('not an EXPLAIN (FORMAT JSON) plan: expected [{ "Plan": { "Node Type": ... } }]');
}

function isNode(value: unknown): boolean {
  return Boolean(value) && typeof value === 'object' && typeof (value as PlanNode)['Node Type'] === 'string';
}

export const isGather = (node: PlanNode): boolean => node['Node Type'] === 'Gather' || node['Node Type'] === 'Gather Merge';

interface Visit {
  node: PlanNode;
  path: number[];
  /** The Gather this node runs below (in workers), if any. */
  gather?: Visit;
}

function walk(node: PlanNode, path: number[], gather: Visit | undefined, out: Visit[]): void {
  const visit: Visit = { node, path, gather };
  out.push(visit);
  const below = isGather(node) ? visit : gather;
  (node.Plans ?? []).forEach((child, i) => walk(child, [...path, i], below, out));
}

/**
 * A partial node produces only its process's share of the rows: parallel aware itself, or fed by a
 * partial outer side (joins, aggregates, sorts above a parallel scan). The inner side of a plain
 * join, and subplans, are complete in every process.
 */
function isPartial(node: PlanNode): boolean {
  if (isGather(node)) return false;
  if (node['Parallel Aware']) return true;
  return (node.Plans ?? []).some((child) => (child['Parent Relationship'] === 'Outer' || child['Parent Relationship'] === 'Member') && isPartial(child));
}

/** The planner's parallel divisor (costsize.c get_parallel_divisor). */
export function parallelDivisor(workers: number, leaderParticipates = true): number {
  let divisor = workers;
  if (leaderParticipates) {
    const leaderShare = 1 - 0.3 * workers;
    if (leaderShare > 0) divisor += leaderShare;
  }
  return divisor;
}

const analyzedNode = (node: PlanNode): boolean => typeof node['Actual Loops'] === 'number';
const totalRows = (rows: number | undefined, loops: number | undefined): number => Math.round((rows ?? 0) * (loops ?? 0));

export interface ProcessShare {
  /** 'leader' or the worker number. */
  process: 'leader' | number;
  rows: number;
  loops: number;
  /** Milliseconds spent in this node over all of this process's loops. */
  timeMs: number;
}

/** Who did what at a node run below a Gather: each worker from "Workers", the leader as the rest. */
export function processShares(node: PlanNode): ProcessShare[] | undefined {
  if (!analyzedNode(node) || !node.Workers || node.Workers.length === 0) return undefined;
  const loops = node['Actual Loops'] ?? 0;
  const workers: ProcessShare[] = node.Workers.map((w) => ({
    process: w['Worker Number'],
    rows: totalRows(w['Actual Rows'], w['Actual Loops']),
    loops: w['Actual Loops'] ?? 0,
    timeMs: (w['Actual Total Time'] ?? 0) * (w['Actual Loops'] ?? 0),
  }));
  const sum = (pick: (s: ProcessShare) => number) => workers.reduce((total, s) => total + pick(s), 0);
  const leaderLoops = loops - sum((s) => s.loops);
  const shares = [...workers];
  if (leaderLoops > 0) {
    shares.unshift({
      process: 'leader',
      rows: Math.max(0, totalRows(node['Actual Rows'], loops) - sum((s) => s.rows)),
      loops: leaderLoops,
      timeMs: Math.max(0, (node['Actual Total Time'] ?? 0) * loops - sum((s) => s.timeMs)),
    });
  }
  return shares;
}

function numberSetting(settings: Record<string, number | string>, name: string): number | undefined {
  const value = settings[name];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

/** 1234567 -> "1,234,567" (locale-independent, so reports and tests read the same everywhere). */
export function groupDigits(value: number): string {
  const [whole, fraction] = String(Math.abs(value)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** kB -> "4 MB", "64 kB", "1.5 GB". */
export function formatKilobytes(kb: number): string {
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = kb;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}

const ms = (value: number): string => `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;

/** How EXPLAIN's text format names a node: "Parallel Seq Scan on public.big b", "Partial HashAggregate", ... */
export function nodeLabel(node: PlanNode): string {
  let name = node['Node Type'];
  if (name === 'Aggregate') {
    name = { Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' }[node.Strategy ?? ''] ?? 'Aggregate';
    if (node['Partial Mode'] === 'Partial' || node['Partial Mode'] === 'Finalize') name = `${node['Partial Mode']} ${name}`;
  } else if (node['Join Type'] && node['Join Type'] !== 'Inner' && /Join|Nested Loop/.test(name)) {
    name = name === 'Nested Loop' ? `Nested Loop ${node['Join Type']} Join` : name.replace(/ Join$/, ` ${node['Join Type']} Join`);
  } else if (name === 'ModifyTable' && node.Operation) {
    name = node.Operation;
  }
  if (node['Parallel Aware']) name = `Parallel ${name}`;
  if (node['Index Name'] && /Index/.test(name)) name += ` using ${node['Index Name']}`;
  if (node['Relation Name']) {
    const relation = node.Schema ? `${node.Schema}.${node['Relation Name']}` : node['Relation Name'];
    name += ` on ${relation}${node.Alias && node.Alias !== node['Relation Name'] ? ` ${node.Alias}` : ''}`;
  } else if (node['CTE Name']) {
    name += ` on ${node['CTE Name']}`;
  } else if (node['Function Name']) {
    name += ` on ${node['Function Name']}`;
  }
  if (node['Single Copy']) name += ' (single copy)';
  return name;
}

/** Preorder numbers (#1 is the top node), as the rendered tree shows them. */
function nodeNumbers(visits: Visit[]): Map<string, number> {
  return new Map(visits.map((v, i) => [v.path.join('.'), i + 1]));
}

const plural = (n: number, one: string, many = `${one}s`) => `${groupDigits(n)} ${n === 1 ? one : many}`;

function spillsOf(node: PlanNode): string[] {
  const spills: string[] = [];
  const describe = (who: string, f: PlanNode | WorkerFigures) => {
    if (f['Sort Space Type'] === 'Disk') spills.push(`${who} sorted on disk (${f['Sort Method'] ?? 'external'}, ${formatKilobytes(f['Sort Space Used'] ?? 0)})`);
    if ((f['Hash Batches'] ?? 0) > 1) spills.push(`${who} split the hash table into ${f['Hash Batches']} batches`);
    if ((f['HashAgg Batches'] ?? 0) > 1) spills.push(`${who} wrote ${formatKilobytes(f['Disk Usage'] ?? 0)} of aggregate groups to disk in ${f['HashAgg Batches']} batches`);
  };
  // The node's own figures are the leader's when workers report separately.
  describe(node.Workers && node.Workers.length > 0 ? 'the leader' : 'it', node);
  for (const w of node.Workers ?? []) describe(`worker ${w['Worker Number']}`, w);
  return spills;
}

const MEMORY_NODES: Record<string, boolean> = {
  Sort: false,
  'Incremental Sort': false,
  Hash: true,
  Memoize: true,
  Materialize: false,
  WindowAgg: false,
  'Bitmap Heap Scan': false,
};

/** Does this node use its own work_mem (and is it a hash-based one, scaled by hash_mem_multiplier)? */
function memoryUse(node: PlanNode): { hash: boolean } | undefined {
  // A Parallel Bitmap Heap Scan's bitmap is built once and shared.
  if (node['Node Type'] === 'Bitmap Heap Scan' && node['Parallel Aware']) return undefined;
  if (node['Node Type'] === 'Aggregate') return node.Strategy === 'Hashed' || node.Strategy === 'Mixed' ? { hash: true } : undefined;
  const hash = MEMORY_NODES[node['Node Type']];
  return hash === undefined ? undefined : { hash };
}

export function analyzePlan(plan: unknown, context: PlanContext): PlanReport {
  const doc = planDocument(plan);
  const visits: Visit[] = [];
  walk(doc.Plan, [], undefined, visits);
  const numbers = nodeNumbers(visits);
  const at = (v: Visit) => `#${numbers.get(v.path.join('.'))} ${nodeLabel(v.node)}`;
  const { settings } = context;
  const analyzed = analyzedNode(doc.Plan);
  const roundedRows = context.versionNum === undefined ? !visits.some((v) => !Number.isInteger(v.node['Actual Rows'] ?? 0)) : context.versionNum < 180000;
  const about = (loops: number) => (roundedRows && loops > 1 ? 'about ' : '');
  const leaderParticipates = String(settings.parallel_leader_participation ?? 'on') !== 'off';
  const findings: PlanFinding[] = [];
  const gathers: PlanGather[] = [];

  const gatherVisits = visits.filter((v) => isGather(v.node));
  for (const g of gatherVisits) {
    const node = g.node;
    const planned = node['Workers Planned'] ?? 0;
    const launched = node['Workers Launched'];
    const singleCopy = node['Single Copy'] === true;
    gathers.push({
      nodeType: node['Node Type'] as PlanGather['nodeType'],
      workersPlanned: planned,
      ...(launched === undefined ? {} : { workersLaunched: launched }),
      singleCopy,
      path: g.path,
    });
    const inside = visits.filter((v) => v.gather === g);
    const gatherLoops = analyzed ? Math.max(1, node['Actual Loops'] ?? 1) : 1;
    const processes = (launched ?? planned) + (leaderParticipates || (launched === 0 && analyzed) ? 1 : 0);

    if (singleCopy) {
      findings.push({
        code: 'single-copy-gather',
        severity: 'information',
        nodePath: g.path,
        message: `${at(g)}: one worker runs the whole plan below it while the leader only waits for its rows; this is debug_parallel_query (force_parallel_mode before PostgreSQL 16) testing parallel safety, not parallelism`,
        advice: 'Turn debug_parallel_query off outside tests; a single-copy Gather proves that everything below it is parallel safe, not that it is faster.',
      });
      continue;
    }

    if (launched !== undefined && launched < planned) {
      const maxWorkers = numberSetting(settings, 'max_parallel_workers');
      const maxProcesses = numberSetting(settings, 'max_worker_processes');
      const busy = context.busyParallelWorkers;
      const pool = [
        maxProcesses === undefined ? undefined : `max_worker_processes = ${maxProcesses}`,
        maxWorkers === undefined ? undefined : `max_parallel_workers = ${maxWorkers}`,
        busy === undefined ? undefined : `${plural(busy, 'parallel worker')} of other sessions busy just before`,
      ].filter(Boolean);
      const limit =
        maxWorkers !== undefined && maxProcesses !== undefined && maxWorkers < maxProcesses ? 'max_parallel_workers' : 'max_worker_processes (it also counts other background workers)';
      findings.push({
        code: 'workers-launch-shortfall',
        severity: 'warning',
        nodePath: g.path,
        message:
          `${at(g)}: ${plural(planned, 'worker')} planned, ${groupDigits(launched)} launched: the pool of parallel workers was short` +
          (launched === 0 ? ', so the leader ran the parallel part alone' : '') +
          (pool.length ? ` (${pool.join(', ')})` : ''),
        advice: `Raise ${limit}${busy ? ', or run fewer parallel queries at once' : ''}; max_worker_processes needs a restart, max_parallel_workers does not. Keep max_parallel_workers_per_gather <= max_parallel_workers <= max_worker_processes.`,
      });
    }

    const perGather = numberSetting(settings, 'max_parallel_workers_per_gather');
    if (perGather !== undefined && perGather > 0 && planned === perGather) {
      findings.push({
        code: 'workers-capped-per-gather',
        severity: 'hint',
        nodePath: g.path,
        message: `${at(g)}: ${plural(planned, 'worker')} planned, which is max_parallel_workers_per_gather: the planner may have wanted more (one more per tripling of the table beyond min_parallel_table_scan_size)`,
        advice: `To let this statement use more workers, raise max_parallel_workers_per_gather for the session (SET max_parallel_workers_per_gather = ${perGather * 2}) or the table's parallel_workers; each extra worker needs a free slot in max_parallel_workers and max_worker_processes.`,
      });
    }

    const gatheredRows = analyzed ? totalRows(node['Actual Rows'], node['Actual Loops']) : Math.round(node['Plan Rows'] ?? 0);
    if (gatheredRows >= MANY_GATHERED_ROWS) {
      findings.push({
        code: 'leader-bottleneck',
        severity: 'warning',
        nodePath: g.path,
        message: `${at(g)}: ${analyzed ? '' : 'about '}${plural(gatheredRows, 'row')} cross the Gather: the leader receives every row from the workers through shared-memory queues and runs everything above the Gather alone`,
        advice: 'Filter or aggregate below the Gather (partial aggregation needs parallel-safe aggregates with combine functions), select fewer rows or columns, or let the client fetch less.',
      });
    }

    if (analyzed && gatherLoops > 1) {
      findings.push({
        code: 'gather-rescanned',
        severity: 'warning',
        nodePath: g.path,
        message: `${at(g)} ran ${groupDigits(gatherLoops)} times (Actual Loops): it starts its workers again on every rescan, paying parallel setup each time`,
        advice: 'This usually sits on the inner side of a nested loop or in a correlated subquery: rewrite as a join the planner can hash or merge, or materialize the parallel part once (a CTE or temporary table).',
      });
    }

    if (analyzed && launched !== undefined && launched > 0) {
      // Work is divided at the parallel-aware nodes; what each process produced there shows balance.
      const aware = inside.filter((v) => v.node['Parallel Aware'] && processShares(v.node));
      const workerRows = new Map<number, number>();
      let worst: { visit: Visit; ratio: number; shares: ProcessShare[] } | undefined;
      for (const v of aware) {
        const shares = processShares(v.node)!;
        const workers = shares.filter((s) => s.process !== 'leader');
        for (const s of workers) workerRows.set(s.process as number, (workerRows.get(s.process as number) ?? 0) + s.rows);
        const total = workers.reduce((sum, s) => sum + s.rows, 0);
        if (workers.length < 2 || total < SKEW_MIN_ROWS) continue;
        const ratio = Math.max(...workers.map((s) => s.rows)) / (total / workers.length);
        if (ratio >= SKEW_RATIO && (!worst || ratio > worst.ratio)) worst = { visit: v, ratio, shares };
      }
      if (worst) {
        findings.push({
          code: 'worker-skew',
          severity: 'warning',
          nodePath: worst.visit.path,
          message: `${at(worst.visit)}: the work is uneven between workers (${worst.shares.map((share) => describeShare(share, roundedRows)).join('; ')}); the busiest worker did ${worst.ratio.toFixed(1)}x the workers' average`,
          advice: 'The parallel part takes as long as its busiest process. Uneven work comes from workers that started late (short parallel parts), non-partial children of a Parallel Append, or a few large partitions or groups.',
        });
      }
      const idle = [...workerRows].filter(([, rows]) => rows === 0).map(([worker]) => worker);
      if (aware.length > 0 && idle.length > 0) {
        findings.push({
          code: 'idle-worker',
          severity: 'information',
          nodePath: aware[0].path,
          message: `${at(aware[0])}: ${idle.length === 1 ? `worker ${idle[0]} was launched but produced` : `workers ${idle.join(', ')} were launched but produced`} no rows: the work was done before it started`,
          advice: 'The parallel part is too small to pay for starting workers; with real table sizes the planner would not choose it, or raise parallel_setup_cost / min_parallel_table_scan_size if it does.',
        });
      }
    }

    for (const v of inside) {
      const spills = analyzed ? spillsOf(v.node) : [];
      if (spills.length > 0) {
        const workMem = numberSetting(settings, 'work_mem');
        findings.push({
          code: 'spill-in-worker',
          severity: 'warning',
          nodePath: v.path,
          message: `${at(v)} spilled to disk below the Gather: ${spills.join('; ')}${workMem === undefined ? '' : ` (work_mem = ${formatKilobytes(workMem)} per process)`}`,
          advice: `Raise work_mem for this statement (SET LOCAL work_mem = ...); each of the ${processes} processes gets its own, so size it for all of them.`,
        });
      }
    }

    const memoryNodes = inside.filter((v) => memoryUse(v.node));
    const workMem = numberSetting(settings, 'work_mem');
    if (memoryNodes.length > 0 && workMem !== undefined && processes > 1) {
      const multiplier = numberSetting(settings, 'hash_mem_multiplier') ?? 2;
      const perProcess = memoryNodes.reduce((sum, v) => sum + workMem * (memoryUse(v.node)!.hash ? multiplier : 1), 0);
      findings.push({
        code: 'work-mem-multiplied',
        severity: 'information',
        nodePath: g.path,
        message:
          `${at(g)}: each of its ${processes} processes (${launched ?? planned} workers${processes > (launched ?? planned) ? ' and the leader' : ''}) has its own work_mem (${formatKilobytes(workMem)}) for ` +
          `${memoryNodes.map((v) => `#${numbers.get(v.path.join('.'))} ${nodeLabel(v.node)}`).join(', ')}: up to ${formatKilobytes(perProcess * processes)} for this part of the plan` +
          (memoryNodes.some((v) => memoryUse(v.node)!.hash) ? ` (hash tables may use hash_mem_multiplier = ${multiplier} times work_mem)` : ''),
        advice: 'Size work_mem for (max_connections + max_parallel_workers) processes, not for max_connections alone.',
      });
    }

    // Where the divisor was applied: the first parallel-aware node (partial aggregates above it show 1 row a process).
    const partialTop = inside.find((v) => v.node['Parallel Aware'] && v.node['Plan Rows'] !== undefined) ?? inside.find((v) => isPartial(v.node) && v.node['Plan Rows'] !== undefined);
    if (partialTop && planned > 0) {
      const divisor = parallelDivisor(planned, leaderParticipates);
      const perProcess = partialTop.node['Plan Rows']!;
      const loops = partialTop.node['Actual Loops'] ?? 0;
      const total = totalRows(partialTop.node['Actual Rows'], loops);
      const perRun = gatherLoops > 1 ? ` (${about(loops)}${groupDigits(Math.round(total / gatherLoops))} per run of the Gather)` : '';
      const actual = analyzed ? `; actual: ${groupDigits(roundRows(partialTop.node['Actual Rows'] ?? 0))} per loop x ${plural(loops, 'loop')} = ${about(loops)}${groupDigits(total)}${perRun}` : '';
      findings.push({
        code: 'estimate-per-process',
        severity: 'hint',
        nodePath: partialTop.path,
        message: `${at(partialTop)}: planned rows on partial nodes are per process: ${groupDigits(perProcess)} x ${Number(divisor.toFixed(2))} (${plural(planned, 'worker')}${leaderParticipates && divisor > planned ? ' + the leader' : ''}) = about ${groupDigits(Math.round(perProcess * divisor))} in all${actual}`,
        advice: 'Compare estimates with actual rows per loop, not with the totals.',
      });
    }
  }

  if (gatherVisits.length === 0) {
    findings.push({
      code: 'no-parallel-part',
      severity: 'information',
      message: 'The plan has no Gather: it runs in one process.',
      advice: '"Why not parallel?" re-plans with zero parallel costs to tell a structural blocker (unsafe function, writes, FOR UPDATE, cursor ...) from a cost or size one.',
    });
  }

  return { gathers, findings, parallel: gathers.some((g) => !g.singleCopy), analyzed, roundedRows };
}

const roundRows = (rows: number): number => Math.round(rows * 100) / 100;

/** The leader's figures are derived: with rows rounded per loop they are approximate. */
function describeShare(share: ProcessShare, roundedRows: boolean): string {
  const leader = share.process === 'leader';
  return `${leader ? 'leader' : `worker ${share.process}`}: ${leader && roundedRows ? '~' : ''}${plural(share.rows, 'row')}${share.timeMs > 0 ? ` in ${ms(share.timeMs)}` : ''}`;
}

const SEVERITY_ORDER: PlanFinding['severity'][] = ['error', 'warning', 'information', 'hint'];

/**
 * A plain-text plan report: a summary line, the tree with "‖" in the first column of every node
 * that runs in workers, per-process figures below those nodes, then the findings with advice.
 */
export function renderPlanReport(report: PlanReport, plan: unknown): string {
  const doc = planDocument(plan);
  const visits: Visit[] = [];
  walk(doc.Plan, [], undefined, visits);
  const numbers = nodeNumbers(visits);
  const lines: string[] = [];

  const real = report.gathers.filter((g) => !g.singleCopy);
  if (real.length > 0) {
    const workers = real.map((g) => `${g.nodeType} #${numbers.get(g.path.join('.'))}: ${g.workersPlanned} planned${g.workersLaunched === undefined ? '' : `, ${g.workersLaunched} launched`}`);
    lines.push(`Parallel plan (${workers.join('; ')})`);
  } else if (report.gathers.length > 0) {
    lines.push('Single-copy plan: one worker runs it, nothing runs in parallel');
  } else {
    lines.push('Serial plan: no part runs in parallel');
  }
  const times = [
    doc['Planning Time'] === undefined ? undefined : `planning ${ms(doc['Planning Time'])}`,
    doc['Execution Time'] === undefined ? undefined : `execution ${ms(doc['Execution Time'])}`,
  ].filter(Boolean);
  if (times.length) lines.push(times.join(', '));
  lines.push('');

  for (const v of visits) {
    const depth = v.path.length;
    const marker = v.gather && !v.gather.node['Single Copy'] ? '‖ ' : '  ';
    const indent = '   '.repeat(depth);
    const node = v.node;
    const relationship = node['Parent Relationship'];
    if (relationship === 'InitPlan' || relationship === 'SubPlan') lines.push(`${marker}${indent}${node['Subplan Name'] ?? relationship}`);
    const partial = v.gather && isPartial(node);
    const estimate = `cost ${node['Startup Cost'] ?? '?'}..${node['Total Cost'] ?? '?'}, rows ${groupDigits(node['Plan Rows'] ?? 0)}${partial ? ' per process' : ''}`;
    let actual = '';
    if (analyzedNode(node)) {
      const loops = node['Actual Loops'] ?? 0;
      actual =
        loops === 0
          ? ' | never executed'
          : ` | actual ${ms(node['Actual Total Time'] ?? 0)}, rows ${groupDigits(roundRows(node['Actual Rows'] ?? 0))}${loops > 1 ? ` x ${plural(loops, 'loop')} ${report.roundedRows ? '~' : '='} ${groupDigits(totalRows(node['Actual Rows'], loops))}` : ''}`;
    }
    const gatherInfo = isGather(node) && !node['Single Copy'] ? `, workers ${node['Workers Planned'] ?? 0} planned${node['Workers Launched'] === undefined ? '' : `, ${node['Workers Launched']} launched`}` : '';
    lines.push(`${marker}${indent}-> #${numbers.get(v.path.join('.'))} ${nodeLabel(node)}  (${estimate}${gatherInfo})${actual}`);
    const shares = v.gather ? processShares(node) : undefined;
    if (shares) lines.push(`${marker}${indent}     ${shares.map((share) => describeShare(share, report.roundedRows)).join('; ')}`);
  }

  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
  if (findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of findings) {
      lines.push(`  ${f.severity} ${f.code}: ${f.message}`);
      if (f.advice) lines.push(`    advice: ${f.advice}`);
    }
  }
  return lines.join('\n') + '\n';
}
