/**
 * The plan as a picture, for people who would rather look than read: the node tree with the part
 * that runs in workers framed, and for each node below a Gather one bar per process (leader and
 * each worker) for its share of the rows and of the time. Pure: plan JSON and report in, one HTML
 * document out, with no script and no external resource; a Content-Security-Policy allows only the
 * style block carrying the caller's nonce. Bar widths are SVG attributes, so no inline style is needed.
 */
import { groupDigits, isGather, nodeLabel, planDocument, PlanFinding, PlanNode, PlanReport, processShares, ProcessShare } from './plan';

export interface PlanDiagramOptions {
  /** A fresh random string per rendering: the only style block allowed by the policy carries it. */
  nonce: string;
  /** Heading, e.g. "EXPLAIN ANALYZE of SELECT at report.sql:3". */
  title: string;
}

/** One bar of the diagram: a process's share of a node's rows or time, in percent of the node's total. */
export interface ProcessBar {
  process: string;
  measure: 'rows' | 'time';
  percent: number;
  /** The figure written beside the bar: "16,852 rows", "157 ms". */
  label: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const percentOf = (part: number, whole: number): number => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

const msText = (value: number): string => `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;

const processName = (share: ProcessShare): string => (share.process === 'leader' ? 'leader' : `worker ${share.process}`);

/** The bars of one node: rows and time per process, each in percent of the node's total over all processes. */
export function processBars(node: unknown): ProcessBar[] {
  const shares = processShares(node as PlanNode);
  if (!shares) return [];
  const rows = shares.reduce((sum, s) => sum + s.rows, 0);
  const time = shares.reduce((sum, s) => sum + s.timeMs, 0);
  const bars: ProcessBar[] = [];
  for (const share of shares) {
    bars.push({ process: processName(share), measure: 'rows', percent: percentOf(share.rows, rows), label: `${groupDigits(share.rows)} ${share.rows === 1 ? 'row' : 'rows'}` });
    bars.push({ process: processName(share), measure: 'time', percent: percentOf(share.timeMs, time), label: msText(share.timeMs) });
  }
  return bars;
}

const STYLE = `
body { font-family: var(--vscode-font-family, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); margin: 16px; }
h1 { font-size: 1.2em; margin: 0 0 4px; }
.summary { margin: 0 0 12px; }
ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 22px; border-left: 1px solid var(--vscode-editorIndentGuide-background, #ccc); }
ul.tree { padding-left: 0; border-left: none; }
li { margin: 6px 0; }
.node { display: inline-block; padding: 4px 8px; border: 1px solid var(--vscode-panel-border, #bbb); border-radius: 4px; min-width: 320px; }
.node .name { font-weight: 600; }
.node .figures { opacity: 0.8; font-size: 0.92em; }
.node.gather { border-color: #2f7fd6; border-width: 2px; }
.node.in-parallel { background: rgba(47, 127, 214, 0.08); }
ul.parallel-section { border-left: 3px solid #2f7fd6; padding-left: 19px; }
.section-label { color: #2f7fd6; font-size: 0.9em; font-weight: 600; }
table.bars { border-collapse: collapse; margin-top: 4px; font-size: 0.9em; }
table.bars td { padding: 1px 6px 1px 0; white-space: nowrap; }
svg.bar { width: 180px; height: 10px; background: rgba(128, 128, 128, 0.15); }
rect.rows { fill: #2f7fd6; }
rect.time { fill: #d68a2f; }
.finding { margin: 2px 0; }
.badge { display: inline-block; margin-left: 6px; padding: 0 5px; border-radius: 3px; font-size: 0.85em; color: #fff; }
.error { background: #c72e2e; }
.warning { background: #b7791f; }
.information { background: #2f7fd6; }
.hint { background: #6b7280; }
.advice { opacity: 0.85; margin-left: 12px; }
`;

export function planDiagramHtml(plan: unknown, report: Pick<PlanReport, 'gathers' | 'findings' | 'analyzed'>, options: PlanDiagramOptions): string {
  const root = planDocument(plan).Plan;
  const findingsAt = new Map<string, PlanFinding[]>();
  for (const finding of report.findings) {
    if (!finding.nodePath) continue;
    const key = finding.nodePath.join('.');
    findingsAt.set(key, [...(findingsAt.get(key) ?? []), finding]);
  }
  let counter = 0;

  const renderNode = (node: PlanNode, path: number[], inParallel: boolean): string => {
    const number = ++counter;
    const gather = isGather(node);
    const realGather = gather && !node['Single Copy'];
    const classes = ['node', ...(gather ? ['gather'] : []), ...(inParallel ? ['in-parallel'] : [])];
    const figures = [`cost ${node['Startup Cost'] ?? '?'}..${node['Total Cost'] ?? '?'}`, `rows ${groupDigits(node['Plan Rows'] ?? 0)}`];
    if (gather) figures.push(`Workers Planned: ${node['Workers Planned'] ?? 0}${node['Workers Launched'] === undefined ? '' : `, Workers Launched: ${node['Workers Launched']}`}`);
    if (typeof node['Actual Loops'] === 'number') {
      figures.push(node['Actual Loops'] === 0 ? 'never executed' : `actual ${msText(node['Actual Total Time'] ?? 0)}, ${groupDigits(node['Actual Rows'] ?? 0)} rows x ${node['Actual Loops']}`);
    }
    const badges = (findingsAt.get(path.join('.')) ?? []).map((f) => `<span class="badge ${f.severity}" title="${escapeHtml(f.message)}">${escapeHtml(f.code)}</span>`).join('');
    const subplan = node['Parent Relationship'] === 'InitPlan' || node['Parent Relationship'] === 'SubPlan' ? `<div class="figures">${escapeHtml(node['Subplan Name'] ?? node['Parent Relationship'])}</div>` : '';
    const bars = inParallel ? barsTable(processBars(node)) : '';
    const box = `<div class="${classes.join(' ')}" data-node="${number}">${subplan}<span class="name">#${number} ${escapeHtml(nodeLabel(node))}</span>${badges}<div class="figures">${escapeHtml(figures.join(' · '))}</div>${bars}</div>`;
    const children = node.Plans ?? [];
    if (children.length === 0) return `<li>${box}</li>`;
    const inner = children.map((child, i) => renderNode(child, [...path, i], inParallel || realGather)).join('');
    if (realGather) {
      const launched = node['Workers Launched'];
      const who = `${launched ?? node['Workers Planned'] ?? 0} worker${(launched ?? node['Workers Planned']) === 1 ? '' : 's'}${launched === undefined ? ' planned' : ''} and the leader`;
      return `<li>${box}<div class="section-label">parallel part: runs in ${escapeHtml(who)}</div><ul class="parallel-section">${inner}</ul></li>`;
    }
    return `<li>${box}<ul>${inner}</ul></li>`;
  };

  const tree = `<ul class="tree">${renderNode(root, [], false)}</ul>`;
  const real = report.gathers.filter((g) => !g.singleCopy);
  const summary = real.length
    ? `Parallel plan: ${real.map((g) => `${g.nodeType}, Workers Planned: ${g.workersPlanned}${g.workersLaunched === undefined ? '' : `, Workers Launched: ${g.workersLaunched}`}`).join('; ')}`
    : 'Serial plan: no part runs in parallel';
  const legend = report.analyzed ? '<p class="summary">Bars: <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none"><rect class="rows" width="100" height="10"/></svg> share of the rows, <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none"><rect class="time" width="100" height="10"/></svg> share of the time, per process.</p>' : '';
  const findings = report.findings.length
    ? `<h2>Findings</h2>${report.findings.map((f) => `<div class="finding"><span class="badge ${f.severity}">${f.severity}</span> <b>${escapeHtml(f.code)}</b>: ${escapeHtml(f.message)}${f.advice ? `<div class="advice">advice: ${escapeHtml(f.advice)}</div>` : ''}</div>`).join('')}`
    : '';
  const nonce = escapeHtml(options.nonce);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style nonce="${nonce}">${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(options.title)}</h1>`,
    `<p class="summary">${escapeHtml(summary)}</p>`,
    legend,
    tree,
    findings,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function barsTable(bars: ProcessBar[]): string {
  if (bars.length === 0) return '';
  const rows: string[] = [];
  for (let i = 0; i < bars.length; i += 2) {
    const [rowBar, timeBar] = [bars[i], bars[i + 1]];
    const cell = (bar: ProcessBar) =>
      `<td><svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(`${bar.process} ${bar.measure} ${bar.percent}%`)}"><rect class="${bar.measure}" width="${bar.percent}" height="10"/></svg></td><td>${escapeHtml(`${bar.percent}% · ${bar.label}`)}</td>`;
    rows.push(`<tr class="process" data-process="${escapeHtml(rowBar.process)}"><td>${escapeHtml(rowBar.process)}</td>${cell(rowBar)}${cell(timeBar)}</tr>`);
  }
  return `<table class="bars">${rows.join('')}</table>`;
}
