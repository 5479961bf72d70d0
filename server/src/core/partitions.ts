/**
 * Plan-time partition pruning (partprune.c), as far as a WHERE of literals decides it: which
 * partitions a scan of a partitioned table leaves out before anything is planned. The planner
 * never looks at a pruned partition again, so a foreign or temporary one pruned keeps nothing out
 * of workers (set_append_rel_size). Decided here only for a key of one column of an integer, date
 * or (equality only) text type, range and list partitions, and top-level conditions of the form
 * `key op literal` (=, <>, <, <=, >, >=, IN, BETWEEN); anything else prunes nothing, as run-time
 * pruning (a parameter, now()) does not count for parallel safety either.
 */
import type { CatalogRelation, LeaderOnlyChild } from './catalog-snapshot';
import { INTEGER_TYPES } from './catalog';
import { AstNode, conjuncts, nameList, parseSql } from './parse';

/** A partition's bound, read from its text: list values, or a range [from, to) (null: MINVALUE / MAXVALUE). */
interface Bound {
  list?: (string | null)[];
  from?: string | null;
  to?: string | null;
}

/** What the conditions on the key allow: one of `values` (if any), none of `excluded`, and within [lower, upper]. */
interface Allowed {
  values?: string[];
  excluded?: string[];
  lower?: { value: string; inclusive: boolean };
  upper?: { value: string; inclusive: boolean };
}

const bounds = new Map<string, Bound | undefined>();

/** `FOR VALUES ...` as pg_get_expr prints it (or a file's DDL is printed: boundText), read by the grammar. */
function boundOf(text: string): Bound | undefined {
  if (bounds.has(text)) return bounds.get(text);
  const outcome = parseSql(`CREATE TABLE pg_parallel_hints_bound PARTITION OF pg_parallel_hints_parent ${text}`);
  const spec = outcome.ok ? outcome.statements[0]?.stmt?.CreateStmt?.partbound : undefined;
  let bound: Bound | undefined;
  if (spec && !spec.is_default && spec.strategy === 'l') {
    const values = (spec.listdatums ?? []).map(datumText);
    if (values.every((v: string | null | undefined) => v !== undefined)) bound = { list: values };
  } else if (spec && !spec.is_default && spec.strategy === 'r' && spec.lowerdatums?.length === 1 && spec.upperdatums?.length === 1) {
    const [from, to] = [datumText(spec.lowerdatums[0]), datumText(spec.upperdatums[0])];
    if (from !== undefined && to !== undefined) bound = { from, to };
  }
  bounds.set(text, bound);
  return bound;
}

/** A bound's datum: a literal's text, null for NULL, MINVALUE or MAXVALUE; undefined for anything else. */
function datumText(node: AstNode): string | null | undefined {
  const c = node?.A_Const ?? node?.TypeCast?.arg?.A_Const;
  if (c) return c.isnull ? null : c.sval !== undefined ? (c.sval.sval ?? '') : c.ival !== undefined ? String(c.ival.ival ?? 0) : undefined;
  const word = nameList(node?.ColumnRef?.fields);
  return word.length === 1 && (word[0] === 'minvalue' || word[0] === 'maxvalue') ? null : undefined;
}

/** A file's `FOR VALUES ...` (a CREATE TABLE ... PARTITION OF's partbound) as pg_get_expr would print it, for boundOf. */
export function boundText(spec: AstNode): string | undefined {
  if (!spec) return undefined;
  if (spec.is_default) return 'DEFAULT';
  const datum = (node: AstNode): string => {
    const value = datumText(node);
    if (value === undefined) return '?';
    if (value === null) return node?.ColumnRef ? nameList(node.ColumnRef.fields)[0].toUpperCase() : 'NULL';
    return node?.A_Const?.ival !== undefined || node?.TypeCast?.arg?.A_Const?.ival !== undefined ? value : `'${value.replace(/'/g, "''")}'`;
  };
  const list = (nodes: AstNode[] | undefined) => (nodes ?? []).map(datum).join(', ');
  if (spec.strategy === 'l') return `FOR VALUES IN (${list(spec.listdatums)})`;
  if (spec.strategy === 'r') return `FOR VALUES FROM (${list(spec.lowerdatums)}) TO (${list(spec.upperdatums)})`;
  return undefined;
}

/** How two values of the key's type compare (a number's sign), or undefined when the engine cannot tell. */
function compare(type: string, a: string, b: string): number | undefined {
  if (INTEGER_TYPES.has(type)) {
    if (!/^\s*[-+]?\d+\s*$/.test(a) || !/^\s*[-+]?\d+\s*$/.test(b)) return undefined;
    const [x, y] = [BigInt(a.trim()), BigInt(b.trim())];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (type === 'date') {
    const [x, y] = [isoDay(a), isoDay(b)];
    return x === undefined || y === undefined ? undefined : Math.sign(x - y);
  }
  return undefined;
}

/** Whether two values of the key's type are equal (text too, compared as written), or undefined. */
function equal(type: string, a: string, b: string): boolean | undefined {
  if (TEXT_KEY_TYPES.has(type)) return a === b;
  const order = compare(type, a, b);
  return order === undefined ? undefined : order === 0;
}

const TEXT_KEY_TYPES = new Set(['text', 'character varying']);

/** A date written YYYY-MM-DD (the ISO form, the only one read here) as a sortable number. */
function isoDay(text: string): number | undefined {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  return m ? Number(m[1]) * 10_000 + Number(m[2]) * 100 + Number(m[3]) : undefined;
}

/**
 * What the top-level conjuncts of `where` allow the key column to be: conditions on `column` of the
 * entry (unqualified, or qualified by one of `qualifiers`) against literals, untyped or cast to `type`.
 */
function allowed(where: AstNode, column: string, qualifiers: readonly string[], type: string, typeNamed: (node: AstNode) => string): Allowed | undefined {
  const isKey = (node: AstNode) => {
    const names = nameList(node?.ColumnRef?.fields);
    return names[names.length - 1] === column && (names.length === 1 || qualifiers.includes(names.slice(0, -1).join('.')));
  };
  // A literal other than NULL, untyped or cast to the key's type.
  const literal = (node: AstNode): string | undefined => (node?.TypeCast && typeNamed(node.TypeCast.typeName) !== type ? undefined : (datumText(node) ?? undefined));
  const result: Allowed = {};
  let any = false;
  const narrow = (side: 'lower' | 'upper', value: string, inclusive: boolean) => {
    const now = result[side];
    const order = now ? compare(type, value, now.value) : 1;
    if (order === undefined) return;
    // The tighter of the two: a higher lower bound, a lower upper one.
    if (!now || (side === 'lower' ? order > 0 : order < 0) || (order === 0 && !inclusive)) result[side] = { value, inclusive };
    any = true;
  };
  const only = (values: string[]) => {
    result.values = result.values ? result.values.filter((v) => values.some((w) => equal(type, v, w))) : values;
    any = true;
  };
  for (const conjunct of conjuncts(where)) {
    const e = conjunct?.A_Expr;
    const op = nameList(e?.name);
    if (!e || op.length !== 1) continue;
    if (e.kind === 'AEXPR_IN' && op[0] === '=' && isKey(e.lexpr)) {
      const values = (Array.isArray(e.rexpr) ? e.rexpr : e.rexpr?.List?.items ?? []).map(literal);
      if (values.length > 0 && values.every((v: string | undefined) => v !== undefined)) only(values as string[]);
      continue;
    }
    if (e.kind === 'AEXPR_BETWEEN' && isKey(e.lexpr)) {
      const [low, high] = (Array.isArray(e.rexpr) ? e.rexpr : e.rexpr?.List?.items ?? []).map(literal);
      if (low !== undefined && high !== undefined) (narrow('lower', low, true), narrow('upper', high, true));
      continue;
    }
    if (e.kind !== 'AEXPR_OP') continue;
    // key op literal, or literal op key (the operator turned round).
    const [value, flipped] = isKey(e.lexpr) ? [literal(e.rexpr), false] : isKey(e.rexpr) ? [literal(e.lexpr), true] : [undefined, false];
    if (value === undefined) continue;
    const operator = flipped ? ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op[0]] ?? op[0] : op[0];
    if (operator === '=') only([value]);
    else if (operator === '<>' || operator === '!=') (result.excluded ??= []).push(value), (any = true);
    else if (operator === '>' || operator === '>=') narrow('lower', value, operator === '>=');
    else if (operator === '<' || operator === '<=') narrow('upper', value, operator === '<=');
  }
  return any ? result : undefined;
}

/** Whether a value the conditions allow can lie in the bound; undefined when the engine cannot tell. */
function overlaps(bound: Bound, range: Allowed, type: string): boolean | undefined {
  const inRange = (value: string): boolean | undefined => {
    const above = range.lower ? compare(type, value, range.lower.value) : 1;
    const below = range.upper ? compare(type, value, range.upper.value) : -1;
    if (above === undefined || below === undefined) return undefined;
    return (above > 0 || (above === 0 && !!range.lower?.inclusive)) && (below < 0 || (below === 0 && !!range.upper?.inclusive));
  };
  const candidates = (values: (string | null)[]) => values.filter((v): v is string => v !== null);
  if (bound.list) {
    // A strict condition never holds for NULL: a NULL in the list is no candidate.
    let values = candidates(bound.list);
    for (const excluded of range.excluded ?? []) {
      const matches = values.map((v) => equal(type, v, excluded));
      if (matches.includes(undefined)) return undefined;
      values = values.filter((_, i) => !matches[i]);
    }
    if (range.values) {
      const kept: string[] = [];
      for (const v of values) {
        const matches = range.values.map((w) => equal(type, v, w));
        if (matches.includes(undefined)) return undefined;
        if (matches.includes(true)) kept.push(v);
      }
      values = kept;
    }
    if (!range.lower && !range.upper) return values.length > 0;
    const fits = values.map(inRange);
    return fits.includes(true) ? true : fits.includes(undefined) ? undefined : false;
  }
  // A range partition holds from <= v < to.
  const inBound = (value: string): boolean | undefined => {
    const above = bound.from === null || bound.from === undefined ? 1 : compare(type, value, bound.from);
    const below = bound.to === null || bound.to === undefined ? -1 : compare(type, value, bound.to);
    return above === undefined || below === undefined ? undefined : above >= 0 && below < 0;
  };
  if (range.values) {
    const fits = range.values.map((v) => (inRange(v) === false ? false : inBound(v)));
    return fits.includes(true) ? true : fits.includes(undefined) ? undefined : false;
  }
  // [lower, upper] against [from, to): apart if upper is below from, or lower at or above to.
  if (range.upper && bound.from !== null && bound.from !== undefined) {
    const order = compare(type, range.upper.value, bound.from);
    if (order === undefined) return undefined;
    if (order < 0 || (order === 0 && !range.upper.inclusive)) return false;
  }
  if (range.lower && bound.to !== null && bound.to !== undefined) {
    const order = compare(type, range.lower.value, bound.to);
    if (order === undefined) return undefined;
    if (order >= 0) return false;
  }
  return true;
}

/**
 * The leader-only partitions of `rel` that plan-time pruning leaves out of a scan under `where`
 * (the scan's entry named by `qualifiers`: its alias, or its name and schema-qualified name).
 */
export function prunedPartitions(
  rel: CatalogRelation,
  children: readonly LeaderOnlyChild[],
  where: AstNode,
  qualifiers: readonly string[],
  typeNamed: (node: AstNode) => string,
): Set<LeaderOnlyChild> {
  const pruned = new Set<LeaderOnlyChild>();
  const key = rel.partitionKey;
  const column = key && key.strategy !== 'h' && key.columns.length === 1 ? key.columns[0] : null;
  const type = column ? rel.columns.find((c) => c.name === column)?.type : undefined;
  if (!column || !type || !where) return pruned;
  const range = allowed(where, column, qualifiers, type, typeNamed);
  if (!range) return pruned;
  for (const child of children) {
    const bound = child.bound ? boundOf(child.bound) : undefined;
    if (bound && overlaps(bound, range, type) === false) pruned.add(child);
  }
  return pruned;
}
