/**
 * Hover cards, as Markdown: what a function, operator, cast, table or view under the cursor does to
 * parallel query, and a statement's verdict on its first keyword. Pure: the server supplies the
 * catalog and how to name a workspace location.
 */
import type { CatalogFunction, CatalogRelation, SourceLocation, ViewShape } from './catalog-snapshot';
import type { Catalog } from './catalog';
import { signatureOf } from './catalog';
import { LABEL_MEANING, LABEL_WORDS, VOLATILITY_WORDS } from './describe';
import { firstKeywordRange, referenceAt, statementAt } from './positions';
import type { Reference, StatementResult, TextRange } from './types';
import { SHAPE_WORDS, traitsOf } from './walker';
import type { ViewTraits } from './walker';

export const PARALLEL_SAFETY_DOCS = 'https://www.postgresql.org/docs/current/parallel-safety.html';
const DOCS_LINK = `[PostgreSQL: parallel safety](${PARALLEL_SAFETY_DOCS})`;
/** More overloads than this are summarised: a hover is not a catalog browser. */
const MAX_OVERLOADS = 8;
const MAX_LISTED = 10;

export interface HoverContext {
  /** The catalog the document was analysed against (view functions are looked up by oid in it). */
  catalog: Catalog;
  /** "sql/functions.sql:12" for a workspace location; undefined when the file is not known. */
  describeLocation(location: SourceLocation): string | undefined;
}

export interface HoverCard {
  markdown: string;
  range: TextRange;
}

/** The card for whatever is at the offset, if anything. */
export function hoverAt(text: string, statements: readonly StatementResult[], offset: number, ctx: HoverContext): HoverCard | undefined {
  const ref = referenceAt(statements, offset);
  if (ref) {
    const markdown = hoverForReference(ref, ctx);
    return markdown === undefined ? undefined : { markdown, range: ref.range };
  }
  const statement = statementAt(statements, offset);
  if (!statement || statement.kind === 'psql-meta') return undefined;
  const keyword = firstKeywordRange(text, statement);
  if (offset < keyword.start || offset > keyword.end) return undefined;
  return { markdown: hoverForStatement(statement), range: keyword };
}

export function hoverForReference(ref: Reference, ctx: HoverContext): string | undefined {
  switch (ref.kind) {
    case 'relation':
      return ref.relation ? relationCard(ref.relation, ctx) : undefined;
    case 'operator':
      return ref.functions.length ? functionsCard(ref.functions, ref.ambiguous === true, ctx, `operator \`${ref.name}\`${definedHere(ref, ctx)} runs`, callNote(ref)) : undefined;
    case 'cast':
      return ref.functions.length ? functionsCard(ref.functions, false, ctx, `the cast to \`${ref.name}\`${definedHere(ref, ctx)} runs`, callNote(ref)) : undefined;
    case 'function':
    case 'aggregate':
      return ref.functions.length ? functionsCard(ref.functions, ref.ambiguous === true, ctx, undefined, callNote(ref)) : undefined;
    case 'statement':
      return undefined;
  }
}

/** " (defined at `file.sql:10`)" for an operator or cast created in the document or a workspace file; nothing otherwise. */
function definedHere(ref: Reference, ctx: HoverContext): string {
  return ref.definedAt ? ` (${whereDefined(ref.definedAt, ctx)})` : '';
}

/** What the planner makes of this call before it checks parallel safety, when that changes what the label does. */
function callNote(ref: Reference): string | undefined {
  if (ref.evaluatedWhenPlanned) return 'Evaluated when the statement is planned (an IMMUTABLE function of constants): a constant here, so its PARALLEL RESTRICTED label restricts nothing.';
  if (!ref.inlined) return undefined;
  const fn = ref.functions[0];
  return fn.returnsSet
    ? `Inlined here: the planner makes this call a subquery of the function's SQL body, so what that query does (a LIMIT, ${fn.parallel === 'r' ? 'the functions it calls, ' : ''}a scan only the leader runs) counts here instead of the function's ${LABEL_WORDS[fn.parallel]} label.`
    : `Inlined here: the planner replaces this ${ref.kind === 'function' ? 'call' : ref.kind} with the SQL body of the function, which is parallel safe, so its PARALLEL RESTRICTED label restricts nothing.`;
}

function functionsCard(functions: readonly CatalogFunction[], ambiguous: boolean, ctx: HoverContext, lead?: string, note?: string): string {
  const parts: string[] = [];
  const count = functions.length;
  if (ambiguous && count > 1) parts.push(`${lead ? `${lead} one of these; ` : ''}argument types unknown: ${count} possible overloads`);
  else if (lead) parts.push(`${lead}:`);
  const shown = functions.slice(0, MAX_OVERLOADS).map((fn) => functionBlock(fn, ctx));
  parts.push(shown.join('\n\n---\n\n'));
  if (count > MAX_OVERLOADS) parts.push(`… and ${count - MAX_OVERLOADS} more overloads`);
  if (note) parts.push(note);
  parts.push(DOCS_LINK);
  return parts.join('\n\n');
}

const KIND_WORDS: Record<CatalogFunction['kind'], string> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window function' };

export function functionBlock(fn: CatalogFunction, ctx: HoverContext): string {
  const returns = `${fn.returnsSet ? 'SETOF ' : ''}${fn.returnType}`;
  const lines = ['```sql', `${signatureOf(fn)} → ${returns}`, '```'];
  const defaulted = fn.labelledExplicitly === false ? ' (no PARALLEL clause: the default)' : '';
  const facts = [`**${LABEL_WORDS[fn.parallel]}**${defaulted}: ${LABEL_MEANING[fn.parallel]}`];
  const details = [VOLATILITY_WORDS[fn.volatility], `LANGUAGE ${fn.language}`, KIND_WORDS[fn.kind], whereDefined(fn.definedAt, ctx)];
  facts.push(details.join(' · '));
  if (fn.kind === 'a' && fn.combinable !== undefined) {
    facts.push(fn.combinable ? 'has a combine function: workers can aggregate partially' : 'no combine function: it cannot be aggregated partially in workers');
  }
  if (fn.description) facts.push(escapeMarkdown(fn.description));
  return `${lines.join('\n')}\n${facts.join('  \n')}`;
}

function whereDefined(location: SourceLocation | undefined, ctx: HoverContext): string {
  if (location) {
    const label = ctx.describeLocation(location);
    return label ? `defined at \`${label}\`` : 'defined in the workspace';
  }
  const source = ctx.catalog.snapshot.source;
  switch (source.kind) {
    case 'live':
      return 'from the database';
    case 'builtin':
      return `built into PostgreSQL ${Math.floor(source.versionNum / 10000)}`;
    case 'file':
      return 'from the catalog file';
  }
}

const RELATION_KINDS: Record<string, string> = {
  r: 'table',
  p: 'partitioned table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
};

export function relationCard(rel: CatalogRelation, ctx: HoverContext): string {
  const kind = RELATION_KINDS[rel.kind] ?? 'relation';
  const persistence = rel.persistence === 't' ? 'temporary ' : rel.persistence === 'u' ? 'unlogged ' : '';
  const header = ['```sql', `${rel.schema}.${rel.name}`, '```', `${persistence}${kind} · ${whereDefined(rel.definedAt, ctx)}`].join('\n');
  const facts: string[] = [];
  if (rel.kind === 'r' || rel.kind === 'm') facts.push(sizeLine(rel, ctx.catalog));
  if (rel.kind === 'r' || rel.kind === 'm' || rel.kind === 'p') {
    if (rel.parallelWorkers === undefined) facts.push('parallel_workers: not set (the planner chooses by size)');
    else if (rel.parallelWorkers === 0) facts.push('parallel_workers = 0: parallel scans of it are disabled');
    else facts.push(`parallel_workers = ${rel.parallelWorkers}`);
  }
  if (rel.persistence === 't') facts.push('temporary: only the leader can read it, so scans of it are never parallel');
  if (rel.kind === 'f') facts.push(`foreign data wrapper ${rel.foreignWrapper ?? 'unknown'}: a parallel scan needs the wrapper's support`);
  if (rel.rowSecurityBypassed) facts.push("row-level security is on, but not for this connection's role (the table's owner, a superuser or BYPASSRLS): its policies add nothing here");
  else if (rel.rowSecurity) facts.push('row-level security is on: the functions its policies call count too');
  for (const read of rel.viewRowSecurity ?? []) {
    facts.push(`reads ${read.schema}.${read.name} as role ${read.role}, for whom its row-level security is on: the functions those policies call count too`);
  }
  if (rel.kind === 'v') facts.push(...viewFacts(traitsOf(rel, ctx.catalog), ctx.catalog));
  let card = `${header}${facts.length ? `\n\n${facts.join('  \n')}` : ''}`;
  if (rel.kind === 'v' || rel.kind === 'm') card += `\n\n${viewFunctionsList(rel, ctx.catalog)}`;
  return `${card}\n\n${DOCS_LINK}`;
}

function sizeLine(rel: CatalogRelation, catalog: Catalog): string {
  const minimum = Number(catalog.settings.min_parallel_table_scan_size);
  const threshold = `min_parallel_table_scan_size ${pagesText(minimum)}`;
  if (rel.pages <= 0) return `size: none recorded (empty, or not yet vacuumed or analysed: the planner then reads the size of the file); ${threshold}`;
  const verdict = rel.pages >= minimum ? 'large enough for a parallel scan' : 'below it: no parallel scan of this table unless parallel_workers is set';
  return `size: ${pagesText(rel.pages)}; ${threshold}: ${verdict}`;
}

/** What a view passes on to the statements reading it, besides functions. */
function viewFacts(traits: ViewTraits, catalog: Catalog): string[] {
  const words = (shapes: readonly ViewShape[]) => shapes.map((shape) => SHAPE_WORDS[shape]).join(', ');
  const facts: string[] = [];
  if (traits.viewLocksRows) facts.push('locks rows (FOR UPDATE or FOR SHARE in its definition): a statement reading it never gets a parallel plan');
  if (traits.viewReadsTemporary) facts.push('reads a temporary table: only the leader can read it');
  if (traits.viewShapes?.length) facts.push(`runs only in the leader, whatever is read of it: ${words(traits.viewShapes)}`);
  for (const { column, shapes, functions } of traits.viewColumnShapes ?? []) {
    if (shapes.length > 0) facts.push(`runs only in the leader where column ${column} is read: ${words(shapes)}`);
    const called = (functions ?? []).map((oid) => catalog.functionByOid(oid)).filter((fn): fn is CatalogFunction => fn !== undefined);
    if (called.length > 0) facts.push(`runs only in the leader where column ${column} is read: ${called.map((fn) => `\`${signatureOf(fn)}\``).join(', ')}, PARALLEL RESTRICTED (a column nobody reads is not computed)`);
  }
  return facts;
}

function viewFunctionsList(rel: CatalogRelation, catalog: Catalog): string {
  const functions = (rel.viewFunctions ?? []).map((oid) => catalog.functionByOid(oid)).filter((fn): fn is CatalogFunction => fn !== undefined);
  if (functions.length === 0) return 'calls no functions';
  const rank = { u: 0, r: 1, s: 2 } as const;
  const ordered = [...functions].sort((a, b) => rank[a.parallel] - rank[b.parallel] || signatureOf(a).localeCompare(signatureOf(b)));
  const lines = ordered.slice(0, MAX_LISTED).map((fn) => `- \`${signatureOf(fn)}\` ${LABEL_WORDS[fn.parallel]}`);
  if (ordered.length > MAX_LISTED) lines.push(`- … and ${ordered.length - MAX_LISTED} more`);
  return `calls ${functions.length === 1 ? '1 function' : `${functions.length} functions`}:\n${lines.join('\n')}`;
}

const VERDICT_LINES: Record<StatementResult['verdict'], string> = {
  safe: '**PARALLEL SAFE**: nothing here prevents a parallel plan (the planner still decides by cost and size).',
  restricted: '**PARALLEL RESTRICTED**: the plan can be parallel, but parts of it run only in the leader process.',
  unsafe: '**PARALLEL UNSAFE**: no part of this statement can use parallel workers.',
  none: '**no plan**: this statement is not planned, so parallel query does not apply.',
  unknown: '**unknown**: the parallel safety of this statement cannot be told.',
};

export function hoverForStatement(statement: StatementResult): string {
  const lines = [`Statement: ${VERDICT_LINES[statement.verdict]}`];
  if (!statement.parsed) lines.push('(it does not parse yet: only its words were checked)');
  const reasons = statement.reasons.slice(0, MAX_LISTED).map((r) => `- ${escapeMarkdown(r.message)}`);
  if (statement.reasons.length > MAX_LISTED) reasons.push(`- … and ${statement.reasons.length - MAX_LISTED} more`);
  return reasons.length ? `${lines.join('  \n')}\n\n${reasons.join('\n')}` : lines.join('  \n');
}

/** 1,024 pages (8 MB): sizes in the planner's unit and in bytes, as pg_size_pretty would round them. */
export function pagesText(pages: number): string {
  return `${thousands(pages)} ${pages === 1 ? 'page' : 'pages'} (${bytesText(pages * 8192)})`;
}

export function bytesText(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = value >= 100 || unit === 0 ? Math.round(value).toString() : (Math.round(value * 10) / 10).toString();
  return `${rounded} ${units[unit]}`;
}

/** 3245 -> "3,245", independent of the locale. */
export function thousands(n: number): string {
  return Math.trunc(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Backslash-escapes the characters Markdown would read as formatting in free text (messages, descriptions). */
export function escapeMarkdown(text: string): string {
  // An underscore inside a word (pg_catalog) is never emphasis in CommonMark: leave it readable.
  return text.replace(/[\\`*[\]<>]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (c) => `\\${c}`);
}
