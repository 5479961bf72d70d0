/**
 * SQL functions as the planner rewrites them before it checks parallel safety where they are called
 * (clauses.c): inline_function replaces a call of a simple SQL function by its body, and
 * inline_set_returning_function makes a set-returning one alone in FROM a subquery there. A
 * RESTRICTED wrapper whose body is safe then restricts nothing (the multi-tenant `current_tenant()`
 * over current_setting); a SAFE one's body counts where the planner checks expressions at all. The
 * statement-wide hazard is taken before inlining, so an UNSAFE function the statement calls stays
 * unsafe whatever its body; one called inside another's inlined body is inlined in turn (the
 * planner simplifies the substituted body again), its label never seen. This module judges a
 * body; the walker judges each call (inlinedCall, inlinedInFrom) and reports it.
 *
 * Where the planner's rules need what the catalog does not hold (a default's expression, a type's
 * I/O functions), the check is stricter than the planner's: a call kept out of inlining here is
 * reported as the function is labelled.
 */
import type { CatalogFunction } from './catalog-snapshot';
import { hazardAtLeast } from './catalog';
import { AstNode, parseSql } from './parse';
import type { Utf8Offsets } from './text';
import type { Hazard, Reason } from './types';

/** What a function's body makes of its calls, when it can be inlined at all. */
export interface Inlining {
  /** The body's worst hazard (capped at restricted: the statement-wide check saw only the wrapper). */
  hazard: Hazard;
  /** The functions the body runs. */
  functions: CatalogFunction[];
  /** Those not SAFE that are left once it is inlined (not the SQL functions inlined in it in turn). */
  culprits: CatalogFunction[];
  /** How many times the body reads each argument. */
  uses: number[];
  /** What evaluating the body costs, its arguments aside (repeatedArgumentCost's units; Infinity if volatile). */
  cost: number;
}

/** What walking a body's one expression gave (StatementWalker.walkInlineBody). */
export interface WalkedBody {
  hazard: Hazard;
  functions: CatalogFunction[];
  /** Inlining.culprits. */
  culprits: CatalogFunction[];
  unresolved: boolean;
  /** Casts by I/O functions (or of a value of unknown type). */
  ioCasts: number;
  /** Inlining.cost. */
  cost: number;
}

/**
 * The statements a SQL function's body runs, as text: a quoted body as written; a SQL-standard one
 * (BEGIN ATOMIC ... END, or RETURN expr, as written or as pg_get_function_sqlbody prints it) without
 * its frame, a RETURN as the SELECT the planner makes of it.
 */
export function inlineBodyText(body: string): string {
  let text = body.trim();
  const atomic = /^BEGIN\s+ATOMIC\b([\s\S]*)\bEND$/i.exec(text);
  if (atomic) text = atomic[1].trim().replace(/;$/, '').trim();
  const returned = /^RETURN\b([\s\S]*)$/i.exec(text);
  return returned ? `SELECT ${returned[1].trim()}` : text;
}

/**
 * Bodies parsed, by text: a document calls the same few functions in statement after statement
 * (parse results are never changed by the walker). Emptied when it grows past a bound.
 */
const parsedBodies = new Map<string, ReturnType<typeof parseSql>>();
const MAX_PARSED_BODIES = 2048;

function parsedBody(text: string): ReturnType<typeof parseSql> {
  let parsed = parsedBodies.get(text);
  if (!parsed) {
    if (parsedBodies.size >= MAX_PARSED_BODIES) parsedBodies.clear();
    parsed = parseSql(text);
    parsedBodies.set(text, parsed);
  }
  return parsed;
}

/** A SelectStmt's keys when it is a bare select list (no FROM, WHERE, GROUP BY, set operation ...). */
const BARE_SELECT_KEYS = new Set(['targetList', 'limitOption', 'op']);

/** Node kinds that keep a strict function's body strict (contain_nonstrict_functions finds none in them). */
const STRICT_NODES = new Set(['A_Const', 'ParamRef', 'ColumnRef', 'FuncCall', 'TypeCast', 'TypeName', 'String', 'Integer', 'Float', 'Boolean', 'List', 'A_Expr', 'CollateClause', 'A_Indirection', 'A_Indices', 'NamedArgExpr', 'SQLValueFunction']);
const STRICT_OPERATOR_KINDS = new Set(['AEXPR_OP', 'AEXPR_OP_ANY', 'AEXPR_OP_ALL', 'AEXPR_LIKE', 'AEXPR_ILIKE', 'AEXPR_SIMILAR']);

/** Visits every node of a raw parse tree, with its kind. */
function visitNodes(node: AstNode, visit: (kind: string, n: AstNode) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) visitNodes(item, visit);
    return;
  }
  for (const key in node) {
    const value = node[key];
    if (/^[A-Z]/.test(key) && value && typeof value === 'object' && !Array.isArray(value)) visit(key, value);
    visitNodes(value, visit);
  }
}

/**
 * Whether `fn`'s body can be inlined, and what it runs: parsed and walked once per statement (the
 * walker keeps the answer). `walk` walks the body's expression in the walker's catalog.
 */
export function inliningOf(fn: CatalogFunction, walk: (sql: string, offsets: Utf8Offsets, expr: AstNode) => WalkedBody): Inlining | undefined {
  // A void function's body gives a value of another type: the planner does not inline it.
  if (fn.inlineBody === undefined || fn.kind !== 'f' || fn.returnsSet || fn.returnType === 'record' || fn.returnType === 'void' || fn.variadic) return undefined;
  const parsed = parsedBody(fn.inlineBody);
  // One statement, a bare SELECT of one expression (no FROM, no aggregate, no subquery ...).
  if (!parsed.ok || parsed.statements.length !== 1) return undefined;
  const select = parsed.statements[0].stmt?.SelectStmt;
  if (!select || Object.keys(select).some((key) => !BARE_SELECT_KEYS.has(key)) || select.op !== 'SETOP_NONE') return undefined;
  if (select.limitOption && select.limitOption !== 'LIMIT_OPTION_DEFAULT') return undefined;
  const target = select.targetList?.length === 1 ? select.targetList[0]?.ResTarget?.val : undefined;
  if (!target || target.ColumnRef?.fields?.some((f: AstNode) => f.A_Star)) return undefined;

  const uses = fn.argTypes.map(() => 0);
  let nonStrictNode = false;
  let subquery = false;
  let mutableNode = false;
  // An argument by name: `x`, `f.x`, and a field of a composite one, `x.a` or `f.x.a`.
  const argumentIndex = (names: string[]): number => {
    const qualified = names.length >= 2 && names[0] === fn.name ? fn.argNames.indexOf(names[1]) : -1;
    return qualified >= 0 ? qualified : fn.argNames.indexOf(names[0]);
  };
  const countUses = (node: AstNode, times: number) =>
    visitNodes({ node }, (kind, n) => {
      if (kind === 'ParamRef' && n.number >= 1 && n.number <= uses.length) uses[n.number - 1] += times;
      if (kind === 'ColumnRef') {
        const i = argumentIndex((n.fields ?? []).map((f: AstNode) => f.String?.sval ?? ''));
        if (i >= 0) uses[i] += times;
      }
    });
  countUses(target, 1);
  visitNodes({ node: target }, (kind, n) => {
    if (kind === 'SubLink' || kind === 'SelectStmt') subquery = true;
    const strictBool = kind === 'BoolExpr' && n.boolop === 'NOT_EXPR';
    if ((!STRICT_NODES.has(kind) && !strictBool) || (kind === 'A_Expr' && !STRICT_OPERATOR_KINDS.has(n.kind))) nonStrictNode = true;
    // Not immutable whatever the functions: CURRENT_DATE and the like.
    if (kind === 'SQLValueFunction') mutableNode = true;
    if (kind === 'FuncCall' && (n.over || n.agg_star || n.agg_distinct || n.agg_filter || n.agg_order || n.agg_within_group)) subquery = true;
    // BETWEEN reads its operand twice (x >= a AND x <= b), SYMMETRIC four times (transformAExprBetween).
    if (kind === 'A_Expr' && /BETWEEN/.test(n.kind)) countUses(n.lexpr, /SYM/.test(n.kind) ? 3 : 1);
  });
  if (subquery) return undefined;

  const walked = walk(fn.inlineBody, parsed.offsets, target);
  if (walked.unresolved) return undefined;
  // An aggregate, a window function or a set-returning function makes the body no simple expression.
  if (walked.functions.some((f) => f.kind !== 'f' || f.returnsSet)) return undefined;
  // Not more volatile than the function is labelled (inline_function: a function labelled IMMUTABLE
  // on purpose keeps behaving so), a cast by I/O functions counting as possibly STABLE (dates and
  // times); for a strict function, strict all through and reading every argument.
  if (fn.volatility === 'i' && (mutableNode || walked.ioCasts > 0 || walked.functions.some((f) => f.volatility !== 'i'))) return undefined;
  if (fn.volatility === 's' && walked.functions.some((f) => f.volatility === 'v')) return undefined;
  if (fn.strict && (nonStrictNode || uses.includes(0) || walked.functions.some((f) => f.strict !== true))) return undefined;
  return { hazard: hazardAtLeast(walked.hazard, 'restricted') ? 'restricted' : 'safe', functions: walked.functions, culprits: walked.culprits, uses, cost: walked.cost };
}

/** What walking a set-returning function's body query gave (StatementWalker.walkInlinedQuery). */
export interface InlinedQuery {
  /** Its reasons with a hazard: what the query, a subquery in FROM once inlined, restricts. */
  reasons: Reason[];
  /** Its own LIMIT / OFFSET needs a Limit node: such a subquery is never scanned in workers. */
  limited: boolean;
  /** The planner can pull the subquery up into the query calling it (is_simple_subquery). */
  pulledUp: boolean;
  /** It reads its arguments in or below a join other than an inner one (its semi joins' too): called LATERAL with the rows beside it, it is not pulled up (jointree_contains_lateral_outer_refs). */
  argumentsBelowJoin: boolean;
  /** Its subqueries (or a RESTRICTED function inlined in it) make the planner check every expression. */
  checksExpressions: boolean;
  unresolved: boolean;
}

/**
 * The body of a set-returning SQL function called alone in FROM, when the planner inlines it as a
 * subquery (inline_set_returning_function, clauses.c): not STRICT, not VOLATILE, not SECURITY
 * DEFINER, no SET clause, not SETOF void, one SELECT. The call's own conditions (no volatile function
 * or subquery in its arguments, no WITH ORDINALITY, no ROWS FROM) are the walker's.
 */
export function inlinedQueryOf(fn: CatalogFunction, walk: (sql: string, offsets: Utf8Offsets, query: AstNode) => InlinedQuery): InlinedQuery | undefined {
  if (fn.inlineBody === undefined || fn.kind !== 'f' || !fn.returnsSet || fn.volatility === 'v' || fn.strict !== false || fn.returnType === 'void') return undefined;
  const parsed = parsedBody(fn.inlineBody);
  if (!parsed.ok || parsed.statements.length !== 1 || !parsed.statements[0].stmt?.SelectStmt) return undefined;
  const walked = walk(fn.inlineBody, parsed.offsets, parsed.statements[0].stmt);
  return walked.unresolved ? undefined : walked;
}

/** procost: the catalog's, or CREATE FUNCTION's default for the language. */
function procost(fn: CatalogFunction): number {
  return fn.cost ?? (fn.language === 'internal' || fn.language === 'c' ? 1 : 100);
}

/** Elements of an array an operator is applied to: an IN list's, an ARRAY[...]'s, a '{...}' literal's (estimate_array_length). */
function arrayLength(node: AstNode): number {
  if (Array.isArray(node)) return node.length;
  if (Array.isArray(node?.List?.items)) return node.List.items.length;
  const elements = node?.A_ArrayExpr?.elements;
  if (elements) return elements.length;
  const literal: string | undefined = node?.TypeCast?.arg?.A_Const?.sval?.sval ?? node?.A_Const?.sval?.sval;
  return literal?.startsWith('{') ? literal.split(',').length : 10;
}

/**
 * A cost like cost_qual_eval's, in cpu_operator_cost units, of an argument the body reads more than
 * once: the planner does not inline then if the argument costs more than 10, calls a volatile
 * function or holds a subquery. Each function costs its procost, applied to half an array's elements
 * for IN and = ANY; a cast of anything but a literal 2 (an input and an output function); GREATEST,
 * LEAST, CURRENT_DATE and the like 1.
 */
export function repeatedArgumentCost(arg: AstNode, functions: readonly CatalogFunction[]): number {
  let cost = 0;
  visitNodes({ arg }, (kind, n) => {
    if (kind === 'SubLink') cost = Infinity;
    if (kind === 'TypeCast' && !n.arg?.A_Const) cost += 2;
    // GREATEST / LEAST, CURRENT_DATE and the like, XML functions: 1 each.
    if (kind === 'MinMaxExpr' || kind === 'SQLValueFunction' || kind === 'XmlExpr') cost += 1;
    // The operator's own call is among `functions`: the other applications.
    if (kind === 'A_Expr' && (n.kind === 'AEXPR_IN' || n.kind === 'AEXPR_OP_ANY' || n.kind === 'AEXPR_OP_ALL')) cost += Math.max(0, arrayLength(n.rexpr) * 0.5 - 1);
  });
  for (const fn of functions) {
    if (fn.volatility === 'v') return Infinity;
    cost += procost(fn);
  }
  return cost;
}
