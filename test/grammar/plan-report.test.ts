/**
 * The TextMate grammar of the plan report (syntaxes/pg-parallel-plan.tmLanguage.json), run by the
 * engine VS Code uses (vscode-textmate with the Oniguruma WebAssembly of vscode-oniguruma) over
 * reports rendered by the real code from plans captured on PostgreSQL 18.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, parseRawGrammar, Registry, StateStack } from 'vscode-textmate';
import { auditSettings, formatAudit } from '../../server/src/core/audit';
import { composeExplainReport } from '../../server/src/core/explain-report';
import { analyzePlan } from '../../server/src/core/plan';

const root = path.join(__dirname, '..', '..', '..');
const GRAMMAR = path.join(root, 'syntaxes', 'pg-parallel-plan.tmLanguage.json');
const SCOPE = 'source.pg-parallel-plan';

let grammar: IGrammar;

const SQL_STAND_IN = { scopeName: 'source.sql', patterns: [{ match: '(?i)\\b(select|from|join|on)\\b', name: 'keyword.other.DML.sql' }] };

async function loadGrammar(): Promise<IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (sources) => new oniguruma.OnigScanner(sources), createOnigString: (text) => new oniguruma.OnigString(text) }),
    // VS Code brings source.sql for the quoted statement; here a one-rule stand-in shows that it is embedded.
    loadGrammar: async (scopeName) => {
      if (scopeName === SCOPE) return parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR);
      if (scopeName === 'source.sql') return parseRawGrammar(JSON.stringify(SQL_STAND_IN), 'sql.json');
      return null;
    },
  });
  const loaded = await registry.loadGrammar(SCOPE);
  if (!loaded) throw new Error('the grammar did not load');
  return loaded;
}

interface Token {
  line: number;
  text: string;
  scopes: string[];
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let state: StateStack = INITIAL;
  text.split('\n').forEach((line, index) => {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) tokens.push({ line: index, text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    state = result.ruleStack;
  });
  return tokens;
}

/** The scopes (suffix ".pg-parallel-plan" dropped) of the token that is exactly `text`, on the first line containing `lineText`. */
function scopesOf(tokens: Token[], lineText: string, text: string, report: string): string[] {
  const lines = report.split('\n');
  const line = lines.findIndex((l) => l.includes(lineText));
  assert.ok(line >= 0, `no line contains ${JSON.stringify(lineText)}`);
  const token = tokens.find((t) => t.line === line && t.text === text);
  assert.ok(token, `no token ${JSON.stringify(text)} on line ${line + 1}: ${JSON.stringify(tokens.filter((t) => t.line === line).map((t) => t.text))}`);
  return token.scopes.slice(1).map((s) => s.replace(/\.pg-parallel-plan$/, ''));
}

function fixture(name: string) {
  return JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'plans', name), 'utf8'));
}

describe('grammar: plan report', () => {
  let report: string;
  let tokens: Token[];
  const scopes = (lineText: string, text: string) => scopesOf(tokens, lineText, text, report);

  before(async () => {
    grammar = await loadGrammar();
    const f = fixture('hash-spill.pg18.json');
    const plan = analyzePlan(f.plan, { settings: f.settings, busyParallelWorkers: f.busyParallelWorkers, versionNum: 180004 });
    report = composeExplainReport({
      statement: f.statement,
      kind: 'SELECT',
      analyzed: true,
      generic: false,
      writes: [],
      where: 'report.sql:3',
      target: 'postgres@127.0.0.1:5432/shop',
      versionNum: 180004,
      report: plan,
      plan: f.plan,
      // As core/why-not.ts renderWhyNot writes it.
      whyNot: [
        'Why not parallel? cost-threshold',
        '  A parallel plan is possible but costs more than the serial one.',
        '  - with parallel_setup_cost = 0 the plan has a Gather (cost 812.5 against 1,204.0 serial)',
        '  information cost-threshold: the parallel plan would win below parallel_setup_cost = 391.5',
        '    advice: SET LOCAL parallel_setup_cost = 300 to try it',
        '',
      ].join('\n'),
    });
    tokens = tokenize(report);
  });

  it('the heading: EXPLAIN ANALYZE, the statement kind, where and on which server', () => {
    assert.deepStrictEqual(scopes('EXPLAIN ANALYZE of', 'EXPLAIN ANALYZE'), ['meta.header', 'keyword.control.explain']);
    assert.deepStrictEqual(scopes('EXPLAIN ANALYZE of', 'SELECT'), ['meta.header', 'entity.name.type.statement-kind']);
    assert.deepStrictEqual(scopes('EXPLAIN ANALYZE of', 'report.sql:3'), ['meta.header', 'string.unquoted.location']);
    assert.deepStrictEqual(scopes('EXPLAIN ANALYZE of', 'postgres@127.0.0.1:5432/shop'), ['meta.header', 'string.unquoted.target']);
    // The quoted statement is handed to the SQL grammar.
    assert.deepStrictEqual(scopes('    SELECT count(*) FROM big a', 'JOIN'), ['meta.header', 'meta.embedded.line.sql', 'keyword.other.DML.sql']);
    assert.deepStrictEqual(scopes('    SELECT count(*) FROM big a', ' big_copy b '), ['meta.header', 'meta.embedded.line.sql']);
    assert.deepStrictEqual(scopes('(it ran in a read-only transaction', '(it ran in a read-only transaction that was rolled back)'), ['meta.header', 'comment.line.note']);
  });

  it('Gather with Workers Planned and Workers Launched', () => {
    const line = 'Gather #2: Workers Planned: 2, Workers Launched: 2';
    assert.ok(report.includes(`\n${line}\n`));
    assert.deepStrictEqual(scopes(line, 'Gather'), ['keyword.control.gather']);
    assert.deepStrictEqual(scopes(line, '#2'), ['constant.numeric.node-number']);
    assert.deepStrictEqual(scopes(line, 'Workers Planned'), ['keyword.other.workers-planned']);
    assert.deepStrictEqual(scopes(line, 'Workers Launched'), ['keyword.other.workers-launched']);
    const numbers = tokens.filter((t) => t.line === report.split('\n').indexOf(line) && /^\d$/.test(t.text)).map((t) => t.scopes.at(-1));
    assert.deepStrictEqual(numbers, ['constant.numeric.workers-planned.pg-parallel-plan', 'constant.numeric.workers-launched.pg-parallel-plan']);
    assert.deepStrictEqual(scopes('Parallel plan (Gather #2', 'Parallel plan'), ['markup.heading.parallel-plan']);
  });

  it('the tree: the parallel part marked with ‖, Gather and Parallel nodes, relations, costs, rows and times', () => {
    // Above the Gather: the serial part.
    assert.deepStrictEqual(scopes('-> #1 Finalize Aggregate', 'Finalize Aggregate'), ['meta.serial-part', 'entity.name.function.node.partial']);
    assert.deepStrictEqual(scopes('-> #2 Gather', 'Gather'), ['meta.serial-part', 'keyword.control.gather']);
    assert.deepStrictEqual(scopes('-> #2 Gather', '2'), ['meta.serial-part', 'constant.numeric.workers-planned']);
    assert.deepStrictEqual(scopes('-> #1 Finalize Aggregate', '13888.34..13888.35'), ['meta.serial-part', 'constant.numeric.cost']);
    assert.deepStrictEqual(scopes('-> #1 Finalize Aggregate', '449 ms'), ['meta.serial-part', 'constant.numeric.time']);
    // Below it: every line starts with the marker and is the parallel part.
    assert.deepStrictEqual(scopes('-> #4 Parallel Hash Join', '‖'), ['meta.parallel-part', 'keyword.operator.parallel-marker']);
    assert.deepStrictEqual(scopes('-> #4 Parallel Hash Join', 'Parallel Hash Join'), ['meta.parallel-part', 'entity.name.function.node.parallel']);
    assert.deepStrictEqual(scopes('-> #5 Parallel Seq Scan', 'Parallel Seq Scan'), ['meta.parallel-part', 'entity.name.function.node.parallel']);
    assert.deepStrictEqual(scopes('-> #5 Parallel Seq Scan', 'public.big_copy'), ['meta.parallel-part', 'variable.other.relation']);
    assert.deepStrictEqual(scopes('-> #5 Parallel Seq Scan', 'b'), ['meta.parallel-part', 'variable.other.alias']);
    assert.deepStrictEqual(scopes('-> #3 Partial Aggregate', 'Partial Aggregate'), ['meta.parallel-part', 'entity.name.function.node.partial']);
    assert.deepStrictEqual(scopes('-> #4 Parallel Hash Join', '125,000'), ['meta.parallel-part', 'constant.numeric.rows']);
    assert.deepStrictEqual(scopes('-> #4 Parallel Hash Join', ' per process'), ['meta.parallel-part', 'comment.per-process']);
    assert.deepStrictEqual(scopes('-> #4 Parallel Hash Join', '300,000'), ['meta.parallel-part', 'constant.numeric.rows']);
    // Per-process lines.
    assert.deepStrictEqual(scopes('leader: 96,654 rows', 'worker 1'), ['meta.parallel-part', 'variable.other.process']);
    assert.deepStrictEqual(scopes('leader: 96,654 rows', '96,654 rows'), ['meta.parallel-part', 'constant.numeric.rows']);
    assert.deepStrictEqual(scopes('leader: 96,654 rows', '427 ms'), ['meta.parallel-part', 'constant.numeric.time']);
  });

  it('findings: severities, codes, node references, advice with settings and SET commands', () => {
    assert.deepStrictEqual(scopes('Findings:', 'Findings'), ['markup.heading.findings']);
    assert.deepStrictEqual(scopes('  warning worker-skew:', 'warning'), ['meta.finding', 'markup.deleted.severity.warning']);
    assert.deepStrictEqual(scopes('  warning worker-skew:', 'worker-skew'), ['meta.finding', 'entity.name.tag.finding-code']);
    // A finding quoting per-process figures is still a finding, not a plan line.
    assert.deepStrictEqual(scopes('  warning worker-skew:', 'Parallel Hash'), ['meta.finding', 'entity.name.function.node.parallel']);
    assert.deepStrictEqual(scopes('  information work-mem-multiplied:', 'information'), ['meta.finding', 'markup.inserted.severity.information']);
    assert.deepStrictEqual(scopes('  information work-mem-multiplied:', 'Gather'), ['meta.finding', 'keyword.control.gather']);
    assert.deepStrictEqual(scopes('  hint workers-capped-per-gather:', 'hint'), ['meta.finding', 'comment.severity.hint']);
    assert.deepStrictEqual(scopes('  hint workers-capped-per-gather:', 'max_parallel_workers_per_gather'), ['meta.finding', 'variable.other.setting']);
    const advice = '(SET max_parallel_workers_per_gather = 4)';
    assert.deepStrictEqual(scopes(advice, 'advice'), ['meta.advice', 'keyword.other.advice']);
    assert.deepStrictEqual(scopes(advice, 'SET'), ['meta.advice', 'markup.italic.advice', 'keyword.other.sql']);
    assert.deepStrictEqual(scopes(advice, 'max_worker_processes'), ['meta.advice', 'markup.italic.advice', 'variable.other.setting']);
    assert.deepStrictEqual(scopes(advice, ' = 4) or the table\'s '), ['meta.advice', 'markup.italic.advice']);
    assert.deepStrictEqual(scopes('(SET LOCAL work_mem = ...)', 'SET LOCAL'), ['meta.advice', 'markup.italic.advice', 'keyword.other.sql']);
  });

  it('the why-not section', () => {
    assert.deepStrictEqual(scopes('Why not parallel?', 'Why not parallel?'), ['markup.heading.why-not']);
    assert.deepStrictEqual(scopes('Why not parallel?', 'cost-threshold'), ['constant.language.verdict']);
    assert.deepStrictEqual(scopes('  - with parallel_setup_cost = 0', 'parallel_setup_cost'), ['meta.why-not.detail', 'variable.other.setting']);
    assert.deepStrictEqual(scopes('  information cost-threshold:', 'cost-threshold'), ['meta.finding', 'entity.name.tag.finding-code']);
  });

  it('the settings audit', () => {
    const f = fixture('launch-shortfall.pg18.json');
    const audit = formatAudit(auditSettings({ ...f.settings, max_parallel_workers_per_gather: 10 }), 'postgres@db:5432/shop');
    const auditTokens = tokenize(audit);
    const of = (lineText: string, text: string) => scopesOf(auditTokens, lineText, text, audit);
    assert.deepStrictEqual(of('Parallel query settings of', 'Parallel query settings of'), ['markup.heading.audit']);
    assert.deepStrictEqual(of('[per-gather-above-pool]', 'warning'), ['meta.finding', 'markup.deleted.severity.warning']);
    assert.deepStrictEqual(of('[per-gather-above-pool]', 'per-gather-above-pool'), ['meta.finding', 'entity.name.tag.finding-code']);
    assert.deepStrictEqual(of('  now: max_parallel_workers_per_gather = 10', 'now'), ['keyword.other.now']);
    assert.deepStrictEqual(of('[connection-capacity]', 'information'), ['meta.finding', 'markup.inserted.severity.information']);
  });
});
