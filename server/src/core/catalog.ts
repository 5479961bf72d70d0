/**
 * The catalog model: a snapshot indexed for name lookups, plus an overlay for what the workspace's own
 * DDL defines. Lookups follow PostgreSQL's rules where they matter for parallel safety: identifier
 * folding happens in the parser, unqualified names resolve through search_path (pg_temp first for
 * relations), and function overloads are chosen by argument types as far as those are known.
 */
import type {
  CatalogCast,
  CatalogColumn,
  CatalogFunction,
  CatalogOperator,
  CatalogRelation,
  CatalogSnapshot,
  CatalogType,
  ParallelLabel,
  ParallelSettings,
} from './catalog-snapshot';
import type { Hazard } from './types';

/** The integer types, as format_type names them: `=` across each other is mergejoinable too (the integer_ops btree family). */
export const INTEGER_TYPES: ReadonlySet<string> = new Set(['smallint', 'integer', 'bigint']);

/** Type of an expression as far as the engine can tell; `undefined` when it cannot. */
export type InferredType = string | undefined;

/** A string literal: PostgreSQL's `unknown` type, which coerces to any parameter type. */
export const UNKNOWN_LITERAL = 'unknown';

const POLYMORPHIC = new Set([
  'anyelement',
  'anyarray',
  'anynonarray',
  'anyenum',
  'anyrange',
  'anymultirange',
  'anycompatible',
  'anycompatiblearray',
  'anycompatiblenonarray',
  'anycompatiblerange',
  'anycompatiblemultirange',
  '"any"',
  'any',
]);

/** Type spellings match the catalog reader's: format_type with only pg_catalog on the search path. */
export function qualifiedTypeName(schema: string, name: string): string {
  return schema === 'pg_catalog' ? name : `${schema}.${name}`;
}

/** A polymorphic pseudo-type (anyelement, anyarray, "any" ...): a call decides what it stands for. */
export function isPolymorphic(type: string): boolean {
  return POLYMORPHIC.has(type);
}

export function hazardOf(label: ParallelLabel): Hazard {
  return label === 's' ? 'safe' : label === 'r' ? 'restricted' : 'unsafe';
}

const HAZARD_RANK: Record<Hazard, number> = { safe: 0, restricted: 1, unsafe: 2 };

export function worseHazard(a: Hazard, b: Hazard): Hazard {
  return HAZARD_RANK[a] >= HAZARD_RANK[b] ? a : b;
}

export function hazardAtLeast(hazard: Hazard, threshold: Hazard): boolean {
  return HAZARD_RANK[hazard] >= HAZARD_RANK[threshold];
}

/** The worst label among functions (safe for none). */
export function worstLabel(functions: readonly CatalogFunction[]): Hazard {
  let worst: Hazard = 'safe';
  for (const fn of functions) worst = worseHazard(worst, hazardOf(fn.parallel));
  return worst;
}

export function signatureOf(fn: CatalogFunction): string {
  const args = fn.argTypes.map((type, i) => {
    const variadic = fn.variadic && i === fn.argTypes.length - 1 ? 'VARIADIC ' : '';
    const name = fn.argNames[i] ? `${fn.argNames[i]} ` : '';
    return `${variadic}${name}${type}`;
  });
  return `${fn.schema}.${fn.name}(${args.join(', ')})`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Indexes over one snapshot, built once (the snapshot can hold 100,000 functions). */
class SnapshotIndex {
  readonly functionsByName = new Map<string, CatalogFunction[]>();
  readonly functionsByOid = new Map<number, CatalogFunction>();
  readonly operatorsByName = new Map<string, CatalogOperator[]>();
  readonly castsBySource = new Map<string, CatalogCast[]>();
  readonly typesByName = new Map<string, CatalogType[]>();
  readonly typesByFormatted = new Map<string, CatalogType>();
  /** Range types by their multirange type (a multirange's range: pg_range read backwards). */
  readonly rangeByMultirange = new Map<string, string>();
  readonly relationsByName = new Map<string, CatalogRelation[]>();

  constructor(snapshot: CatalogSnapshot) {
    for (const fn of snapshot.functions) {
      pushTo(this.functionsByName, fn.name, fn);
      this.functionsByOid.set(fn.oid, fn);
    }
    for (const op of snapshot.operators) pushTo(this.operatorsByName, op.name, op);
    for (const cast of snapshot.casts) pushTo(this.castsBySource, cast.source, cast);
    for (const type of snapshot.types) {
      pushTo(this.typesByName, type.name, type);
      if (!this.typesByFormatted.has(type.formatted)) this.typesByFormatted.set(type.formatted, type);
      if (type.multirangeType) this.rangeByMultirange.set(type.multirangeType, type.formatted);
    }
    for (const rel of snapshot.relations) pushTo(this.relationsByName, rel.name, rel);
  }
}

/** Objects defined by workspace DDL, layered over a snapshot. */
/**
 * Objects defined by workspace DDL, layered over a snapshot. Every object keeps its oid for life:
 * ALTER replaces the object under the same oid (so views that reach it see the change), DROP
 * replaces it with null.
 */
interface Overlay {
  functions: Map<string, CatalogFunction[]>;
  functionsByOid: Map<number, CatalogFunction | null>;
  operators: Map<string, CatalogOperator[]>;
  casts: Map<string, CatalogCast[]>;
  types: Map<string, CatalogType[]>;
  relations: Map<string, CatalogRelation[]>;
  relationsByOid: Map<number, CatalogRelation | null>;
}

function emptyOverlay(): Overlay {
  return {
    functions: new Map(),
    functionsByOid: new Map(),
    operators: new Map(),
    casts: new Map(),
    types: new Map(),
    relations: new Map(),
    relationsByOid: new Map(),
  };
}

function copyOverlay(o: Overlay): Overlay {
  const copyLists = <V>(m: Map<string, V[]>) => new Map([...m].map(([k, v]) => [k, [...v]] as [string, V[]]));
  return {
    functions: copyLists(o.functions),
    functionsByOid: new Map(o.functionsByOid),
    operators: copyLists(o.operators),
    casts: copyLists(o.casts),
    types: copyLists(o.types),
    relations: copyLists(o.relations),
    relationsByOid: new Map(o.relationsByOid),
  };
}

/** Oids given to workspace-defined objects: negative, so they never collide with the database's. */
let nextLocalOid = -1;
export function allocateLocalOid(): number {
  return nextLocalOid--;
}

type CatalogMutator = 'setSearchPath' | 'defineFunction' | 'dropFunction' | 'defineOperator' | 'defineCast' | 'defineType' | 'defineRelation' | 'dropRelation';

/** One change made to a catalog: the mutating method and its arguments (plain data). */
export type CatalogChange = { [M in CatalogMutator]: { method: M; args: Parameters<Catalog[M]> } }[CatalogMutator];

export interface FunctionMatch {
  /** The overloads that remain possible: one when resolved. */
  candidates: CatalogFunction[];
  /** More than one candidate remains because argument types are not known. */
  ambiguous: boolean;
}

/** Catalog.forViewDefinitions, by snapshot. */
const definitionCatalogs = new WeakMap<CatalogSnapshot, Catalog>();

/**
 * Where each argument of a call with named arguments goes in `fn`'s parameters: positional ones in
 * order, then each named one to the parameter of that name (func_get_detail, MatchNamedCall); none
 * when a name is not one of its parameters, two arguments meet, or a parameter left out has no
 * default (the defaults are the last `defaults` ones). Named arguments never spread into VARIADIC.
 */
function namedSlots(fn: CatalogFunction, argNames: readonly (string | undefined)[]): number[] | undefined {
  const params = fn.argTypes.length;
  if (argNames.length > params) return undefined;
  const slots: number[] = [];
  for (let i = 0; i < argNames.length; i++) {
    const name = argNames[i];
    const slot = name === undefined ? i : fn.argNames.indexOf(name);
    if (slot < 0 || slots.includes(slot)) return undefined;
    slots.push(slot);
  }
  for (let p = 0; p < params - fn.defaults; p++) if (!slots.includes(p)) return undefined;
  return slots;
}

/**
 * A catalog: a snapshot plus workspace definitions plus the session state that changes lookups
 * (search_path). Mutations (`define*`, `drop*`, `setSearchPath`) happen only on a catalog made by
 * `derive()`, so a shared base is never changed; `version` changes with every mutation and keys caches.
 */
export class Catalog {
  private readonly index: SnapshotIndex;
  private overlay: Overlay;
  private searchPathValue: string[];
  private versionValue: string;
  /**
   * Lookups are hot (every call and operator of every statement): memoised until a change that can
   * alter them. Functions by name, then schema ('' for search_path): a file of CREATE FUNCTIONs
   * keeps the memo of every other name.
   */
  private readonly functionMemo = new Map<string, Map<string, CatalogFunction[]>>();
  private readonly operatorMemo = new Map<string, CatalogOperator[]>();
  /** search_path without pg_temp (functions and types never look there), computed once per path. */
  private functionPath?: string[];
  /**
   * While set, every change is appended to it: a caller that keeps a statement's changes can replay
   * them on an equal catalog instead of analysing the statement again (DocumentAnalyzer does).
   */
  changeLog?: CatalogChange[];
  /**
   * While set, every function (by name, and by oid when asked so) and relation (by name) the catalog
   * is asked for is added to it: a caller that keeps what a text changed can tell whether
   * replaying those changes on another catalog gives what analysing the text there would (the
   * workspace index does, per file). The other lookups (types, casts, operators, search_path) are
   * not recorded: a change to any of them counts as changing everything (namesChangedBy).
   */
  dependencyLog?: DependencyLog;

  private constructor(
    readonly snapshot: CatalogSnapshot,
    index: SnapshotIndex,
    overlay: Overlay,
    searchPath: string[],
    version: string,
    private readonly mutable: boolean,
  ) {
    this.index = index;
    this.overlay = overlay;
    this.searchPathValue = searchPath;
    this.versionValue = version;
  }

  static fromSnapshot(snapshot: CatalogSnapshot, id = `${snapshot.source.kind}:${snapshot.source.versionNum}`): Catalog {
    return new Catalog(snapshot, new SnapshotIndex(snapshot), emptyOverlay(), [...snapshot.searchPath], id, false);
  }

  /**
   * The snapshot as a live view's definition is printed for it (pg_get_viewdef under search_path
   * pg_catalog, pg_temp: every other name qualified; relations look in pg_temp first here, which
   * differs only for a temporary table named like a system catalog), to walk the definition with.
   * One per snapshot.
   */
  forViewDefinitions(): Catalog {
    let catalog = definitionCatalogs.get(this.snapshot);
    if (!catalog) {
      catalog = new Catalog(this.snapshot, this.index, emptyOverlay(), ['pg_catalog'], `view-definitions:${this.snapshot.source.kind}:${this.snapshot.source.versionNum}`, false);
      definitionCatalogs.set(this.snapshot, catalog);
    }
    return catalog;
  }

  /** A mutable copy whose changes never reach this catalog. */
  derive(): Catalog {
    return new Catalog(this.snapshot, this.index, copyOverlay(this.overlay), [...this.searchPathValue], this.versionValue, true);
  }

  /** Made by derive(): definitions from elsewhere (a folder's files) that may change while a document is open. */
  get derived(): boolean {
    return this.mutable;
  }

  /**
   * Identifies the catalog's content: equal versions resolve every name the same way, up to the oids
   * of objects defined in files or documents (analysing a text again gives them new ones).
   */
  get version(): string {
    return this.versionValue;
  }

  get versionNum(): number {
    return this.snapshot.source.versionNum;
  }

  get settings(): ParallelSettings {
    return this.snapshot.settings;
  }

  get searchPath(): readonly string[] {
    return this.searchPathValue;
  }

  /**
   * Records a change for cache keys; `what` must identify the change (e.g. the DDL text's hash and
   * its offset). Every mutation starts with it and then forgets the memoised lookups it can alter.
   */
  private touch(what: string): void {
    if (!this.mutable) throw new Error('catalog: mutate only a derived catalog');
    this.versionValue = simpleHash(`${this.versionValue}|${what}`);
  }

  /** Operator resolution reads operators, types and casts (implicit coercions). */
  private forgetOperatorLookups(): void {
    this.operatorMemo.clear();
  }

  // ---- search path ---------------------------------------------------------------------------

  setSearchPath(schemas: string[], why: string): void {
    this.changeLog?.push({ method: 'setSearchPath', args: [schemas, why] });
    this.touch(`search_path:${why}`);
    // pg_catalog is searched first unless it is listed explicitly.
    this.searchPathValue = schemas.includes('pg_catalog') ? schemas : ['pg_catalog', ...schemas];
    this.functionPath = undefined;
    this.functionMemo.clear();
    this.forgetOperatorLookups();
  }

  /** Schemas searched for an unqualified name, in order. Functions and types never look in pg_temp. */
  private schemasFor(kind: 'function' | 'relation'): string[] {
    const path = (this.functionPath ??= this.searchPathValue.filter((s) => s !== 'pg_temp' && !s.startsWith('pg_temp_')));
    return kind === 'relation' ? ['pg_temp', ...path] : path;
  }

  // ---- functions -----------------------------------------------------------------------------

  functionByOid(oid: number): CatalogFunction | undefined {
    const own = this.overlay.functionsByOid.get(oid);
    const found = own === null ? undefined : (own ?? this.index.functionsByOid.get(oid));
    // The oid says enough: a change to the function it names is recorded with that oid (defineFunction
    // records what it stores). Operators, casts and views look functions up by oid all the time.
    this.dependencyLog?.functionOids.add(oid);
    return found;
  }

  /** Every function with this name in the given schema, or visible through search_path. */
  functionsNamed(name: string, schema?: string): CatalogFunction[] {
    this.dependencyLog?.functions.add(name);
    let bySchema = this.functionMemo.get(name);
    if (!bySchema) this.functionMemo.set(name, (bySchema = new Map()));
    let found = bySchema.get(schema ?? '');
    if (!found) {
      found = this.lookUpFunctions(name, schema);
      bySchema.set(schema ?? '', found);
    }
    return found;
  }

  private lookUpFunctions(name: string, schema?: string): CatalogFunction[] {
    // Overlay entries first, each in its current version; then the snapshot's, unless replaced or
    // dropped (null), once per oid.
    const own = this.overlay.functions.get(name);
    const current = this.overlay.functionsByOid;
    const oids = own || current.size > 0 ? new Set<number>() : undefined;
    const path = schema ? undefined : this.schemasFor('function');
    const found: CatalogFunction[] = [];
    const consider = (listed: CatalogFunction) => {
      const fn = current.has(listed.oid) ? current.get(listed.oid) : listed;
      if (!fn || fn.name !== name || (schema ? fn.schema !== schema : !path!.includes(fn.schema))) return;
      if (oids) {
        if (oids.has(fn.oid)) return;
        oids.add(fn.oid);
      }
      found.push(fn);
    };
    for (const fn of own ?? []) consider(fn);
    for (const fn of this.index.functionsByName.get(name) ?? []) consider(fn);
    // A workspace definition replaces a database function with the same signature (pg_proc has one
    // function per schema, name and argument types, so without workspace ones there is no twin).
    if (!own || schema) return found;
    const seen = new Set<string>();
    return found.filter((fn) => {
      const key = `${fn.schema}\u0000${fn.argTypes.join(',')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  defineFunction(fn: CatalogFunction, why: string): void {
    // CREATE OR REPLACE / ALTER: the same signature keeps its oid. The change records the function as
    // stored, so what it changed (namesChangedBy) names the oid that lookups by oid find.
    const existing = this.lookUpFunctions(fn.name, fn.schema).find((f) => sameStrings(f.argTypes, fn.argTypes));
    const defined = existing ? { ...fn, oid: existing.oid } : fn;
    this.changeLog?.push({ method: 'defineFunction', args: [defined, why] });
    this.touch(`function:${why}`);
    // Whether the name is taken is a lookup too (functionsNamed records the others).
    this.dependencyLog?.functions.add(fn.name);
    if (!existing) pushTo(this.overlay.functions, fn.name, defined);
    this.forgetFunctionLookups(this.functionByOid(defined.oid)?.name);
    this.overlay.functionsByOid.set(defined.oid, defined);
    this.forgetFunctionLookups(defined.name);
  }

  dropFunction(fn: CatalogFunction, why: string): void {
    this.changeLog?.push({ method: 'dropFunction', args: [fn, why] });
    this.touch(`drop-function:${why}`);
    this.forgetFunctionLookups(this.functionByOid(fn.oid)?.name);
    this.overlay.functionsByOid.set(fn.oid, null);
    this.forgetFunctionLookups(fn.name);
  }

  /** A function's lookups read only the functions of its name (and search_path). */
  private forgetFunctionLookups(name: string | undefined): void {
    if (name !== undefined) this.functionMemo.delete(name);
  }

  /**
   * Chooses among overloads the way PostgreSQL's func_select_candidate does, as far as argument
   * types are known: arity (defaults, VARIADIC), exact matches, implicit casts, unknown literals,
   * polymorphic parameters. What cannot be decided stays a set of candidates.
   */
  matchFunction(candidates: CatalogFunction[], argTypes: InferredType[], argNames: readonly (string | undefined)[] = []): FunctionMatch {
    const n = argTypes.length;
    // With named arguments, the parameter each argument is, per candidate (none where it does not fit).
    const slots = argNames.some((name) => name !== undefined) ? new Map<CatalogFunction, number[]>() : undefined;
    const byArity = candidates.filter((fn) => {
      const params = fn.argTypes.length;
      if (fn.kind === 'p') return false;
      if (slots) {
        const at = namedSlots(fn, argNames);
        if (at) slots.set(fn, at);
        return at !== undefined;
      }
      if (n === params) return true;
      if (n < params && params - n <= fn.defaults) return true;
      return fn.variadic && n >= params - 1;
    });
    if (byArity.length <= 1) return { candidates: byArity, ambiguous: false };

    const paramType = (fn: CatalogFunction, i: number): string => (slots ? fn.argTypes[slots.get(fn)![i]] ?? '' : parameterAt(fn, i, argTypes));

    type Scored = { fn: CatalogFunction; exact: number; preferred: number };
    const scored: Scored[] = [];
    for (const fn of byArity) {
      let exact = 0;
      let preferred = 0;
      let ok = true;
      for (let i = 0; i < n; i++) {
        const arg = argTypes[i];
        const param = paramType(fn, i);
        if (arg === undefined || arg === UNKNOWN_LITERAL) continue;
        if (arg === param || this.rootBaseTypeOf(arg) === param) {
          exact++;
          continue;
        }
        if (!this.canCoerceImplicitly(arg, param)) {
          ok = false;
          break;
        }
        if (this.typeByFormatted(param)?.preferred) preferred++;
      }
      if (ok) scored.push({ fn, exact, preferred });
    }
    if (scored.length === 0) return { candidates: byArity, ambiguous: true };
    if (scored.length === 1) return { candidates: [scored[0].fn], ambiguous: false };

    const allKnown = argTypes.every((t) => t !== undefined);
    const bestExact = Math.max(...scored.map((s) => s.exact));
    let best = scored.filter((s) => s.exact === bestExact);
    if (best.length > 1) {
      const bestPreferred = Math.max(...best.map((s) => s.preferred));
      best = best.filter((s) => s.preferred === bestPreferred);
    }
    if (best.length > 1) best = this.narrowUntyped(best, (s, i) => paramType(s.fn, i), argTypes);
    if (best.length > 1) best = this.unknownsAsKnown(best, (s, i) => paramType(s.fn, i), argTypes);
    if (best.length > 1) {
      // Same signature in several schemas: the first one on search_path wins.
      const path = this.schemasFor('function');
      const sigs = new Set(best.map((s) => s.fn.argTypes.join(',')));
      if (sigs.size === 1) {
        best.sort((a, b) => path.indexOf(a.fn.schema) - path.indexOf(b.fn.schema));
        best = [best[0]];
      }
    }
    const ambiguous = best.length > 1 || (!allKnown && scored.length > 1 && best.length !== 1);
    return { candidates: best.map((s) => s.fn), ambiguous };
  }

  /**
   * func_select_candidate, at each untyped argument (a quoted literal, an undeclared $1): the string
   * category if a candidate takes it there, else the one category they all take (no narrowing if
   * they differ); then, if a candidate takes that category's preferred type there, only those ('5'
   * to f(bigint) or f(float8) is a float8, 'x' to f(text) or f(varchar) a text).
   */
  private narrowUntyped<T>(candidates: T[], paramAt: (candidate: T, i: number) => string, argTypes: readonly (InferredType | null)[]): T[] {
    let remaining = candidates;
    for (let i = 0; i < argTypes.length && remaining.length > 1; i++) {
      if (argTypes[i] !== UNKNOWN_LITERAL) continue;
      const typeAt = (candidate: T) => this.typeByFormatted(paramAt(candidate, i));
      const categories = new Set(remaining.map((candidate) => typeAt(candidate)?.category));
      const category = categories.has('S') ? 'S' : categories.size === 1 ? [...categories][0] : undefined;
      if (category === undefined) return candidates;
      remaining = remaining.filter((candidate) => typeAt(candidate)?.category === category);
      if (remaining.some((candidate) => typeAt(candidate)?.preferred)) remaining = remaining.filter((candidate) => typeAt(candidate)?.preferred);
    }
    return remaining.length >= 1 ? remaining : candidates;
  }

  /**
   * func_select_candidate's last gasp (parse_func.c), when untyped arguments (a quoted literal, NULL,
   * an undeclared $1) still leave several candidates: if the typed ones all have the same (base)
   * type, the untyped ones are taken to have it too, and a single candidate that takes them all so
   * (implicitly, polymorphic ones consistently) is the one. `integer[] || '{1}'` and
   * `integer[] || NULL` are array_cat: array_append and array_prepend take no integer[] for both.
   */
  private unknownsAsKnown<T>(candidates: T[], paramAt: (candidate: T, i: number) => string, argTypes: readonly (InferredType | null)[]): T[] {
    const given = argTypes.filter((type) => type !== null);
    const known = given.filter((type) => type !== UNKNOWN_LITERAL);
    if (known.length === 0 || known.length === given.length || known.some((type) => !type)) return candidates;
    const bases = new Set(known.map((type) => this.rootBaseTypeOf(type!)));
    if (bases.size !== 1) return candidates;
    const [type] = bases;
    const fits = candidates.filter((candidate) => {
      const params = argTypes.map((arg, i) => (arg === null ? undefined : paramAt(candidate, i)));
      const present = params.filter((param): param is string => param !== undefined);
      return present.every((param) => this.canCoerceImplicitly(type, param)) && this.polymorphicConsistent(present, present.map(() => type));
    });
    return fits.length === 1 ? fits : candidates;
  }

  // ---- operators -----------------------------------------------------------------------------

  operatorsNamed(name: string, schema?: string): CatalogOperator[] {
    const all = [...(this.overlay.operators.get(name) ?? []), ...(this.index.operatorsByName.get(name) ?? [])];
    if (schema) return all.filter((op) => op.schema === schema);
    const path = this.schemasFor('function');
    return all.filter((op) => path.includes(op.schema));
  }

  defineOperator(op: CatalogOperator, why: string): void {
    this.changeLog?.push({ method: 'defineOperator', args: [op, why] });
    this.touch(`operator:${why}`);
    pushTo(this.overlay.operators, op.name, op);
    this.forgetOperatorLookups();
  }

  /** Resolves an operator by operand types; returns the candidate operators (one when resolved). */
  matchOperator(name: string, schema: string | undefined, left: InferredType | null, right: InferredType): CatalogOperator[] {
    const key = `${schema ?? ''}\u0000${name}\u0000${left}\u0000${right}`;
    let found = this.operatorMemo.get(key);
    if (!found) {
      found = this.resolveOperator(name, schema, left, right);
      this.operatorMemo.set(key, found);
    }
    return found;
  }

  private resolveOperator(name: string, schema: string | undefined, left: InferredType | null, right: InferredType): CatalogOperator[] {
    const ops = this.operatorsNamed(name, schema).filter((op) => (left === null ? op.left === 'none' : op.left !== 'none'));
    if (ops.length <= 1) return ops;
    // Only untyped literals ('a' = 'b'): each position takes the string category, text (func_select_candidate).
    if ((left === null || left === UNKNOWN_LITERAL) && right === UNKNOWN_LITERAL) {
      const text = ops.filter((op) => (left === null || op.left === 'text') && op.right === 'text');
      if (text.length === 1) return text;
    }
    const known = (t: InferredType | null) => t !== undefined && t !== null && t !== UNKNOWN_LITERAL;
    const exact = ops.filter(
      (op) => (!known(left) || op.left === left || op.left === this.rootBaseTypeOf(left!)) && (!known(right) || op.right === right || op.right === this.rootBaseTypeOf(right!)),
    );
    if (exact.length === 1) return exact;
    // With one side unknown (a string literal), PostgreSQL assumes it has the other side's type.
    if (known(left) && right === UNKNOWN_LITERAL) {
      const same = ops.filter((op) => op.left === left && op.right === left);
      if (same.length === 1) return same;
    }
    if (known(right) && left === UNKNOWN_LITERAL) {
      const same = ops.filter((op) => op.left === right && op.right === right);
      if (same.length === 1) return same;
    }
    let coercible = ops.filter(
      (op) =>
        (!known(left) || op.left === left || this.canCoerceImplicitly(left!, op.left)) &&
        (!known(right) || op.right === right || this.canCoerceImplicitly(right!, op.right)) &&
        this.polymorphicConsistent([op.left, op.right], [left ?? undefined, right]),
    );
    const args = [left, right];
    // Only where every operand's type is known to PostgreSQL as it is here (a type, an untyped literal,
    // no operand): an operand whose type the walk could not infer may take any operator.
    if (coercible.length > 1 && (known(left) || known(right)) && args.every((arg) => arg !== undefined && arg !== '')) {
      // As func_select_candidate, over the typed operands: the operators taking most of them as they
      // are (integer + numeric is numeric + numeric, not float8 + float8), then those taking most of
      // them as they are or as their category's preferred type (varchar || varchar is text || text);
      // at an untyped operand (varchar || 'x'), as for functions.
      const paramAt = (op: CatalogOperator, i: number) => (i === 0 ? op.left : op.right);
      const count = (op: CatalogOperator, fits: (arg: string, param: string) => boolean) =>
        args.reduce((n, arg, i) => (known(arg) && fits(arg!, paramAt(op, i)) ? n + 1 : n), 0);
      const mostOf = (fits: (arg: string, param: string) => boolean) => {
        const most = Math.max(...coercible.map((op) => count(op, fits)));
        coercible = coercible.filter((op) => count(op, fits) === most);
      };
      const asIs = (arg: string, param: string) => param === arg || param === this.rootBaseTypeOf(arg);
      mostOf(asIs);
      if (coercible.length === 1) return coercible;
      mostOf((arg, param) => {
        const type = this.typeByFormatted(param);
        return asIs(arg, param) || (!!type?.preferred && type.category === this.typeByFormatted(this.rootBaseTypeOf(arg))?.category);
      });
      coercible = this.narrowUntyped(coercible, paramAt, args);
      coercible = this.unknownsAsKnown(coercible, paramAt, args);
      if (coercible.length === 1) return coercible;
    }
    return coercible.length > 0 ? coercible : ops;
  }

  // ---- casts and types -----------------------------------------------------------------------

  castBetween(source: string, target: string): CatalogCast | undefined {
    const find = (list: CatalogCast[] | undefined) => list?.find((c) => c.target === target);
    return find(this.overlay.casts.get(source)) ?? find(this.index.castsBySource.get(source));
  }

  defineCast(cast: CatalogCast, why: string): void {
    this.changeLog?.push({ method: 'defineCast', args: [cast, why] });
    this.touch(`cast:${why}`);
    pushTo(this.overlay.casts, cast.source, cast);
    this.forgetOperatorLookups();
  }

  /**
   * The table, view or composite relation whose row type `formatted` names (qualifiedTypeName read
   * back): a file's table has a row type as the database's do, which the snapshot lists only live.
   */
  relationOfRowType(formatted: string): CatalogRelation | undefined {
    if (formatted.endsWith('[]')) return undefined;
    const dot = formatted.lastIndexOf('.');
    return this.relationNamed(formatted.slice(dot + 1), dot < 0 ? 'pg_catalog' : formatted.slice(0, dot));
  }

  canCoerceImplicitly(from: string, to: string): boolean {
    if (from === to || from === UNKNOWN_LITERAL) return true;
    if (POLYMORPHIC.has(to)) return this.fitsPolymorphic(from, to);
    const base = this.baseTypeOf(from);
    if (base !== from && this.canCoerceImplicitly(base, to)) return true;
    if (to === 'record') return this.typeByFormatted(from)?.kind === 'c' || from === 'record' || this.relationOfRowType(from) !== undefined;
    const cast = this.castBetween(from, to);
    if (cast) return cast.context === 'i';
    // An array without a cast of its own converts element by element (find_coercion_pathway's
    // ArrayCoerceExpr): smallint[] to integer[] implicitly, not back. Only to a true array, which
    // format_type spells `element[]` (not oidvector or int2vector, which PostgreSQL leaves out).
    if (!to.endsWith('[]')) return false;
    const [fromElement, toElement] = [this.elementTypeOf(base), this.elementTypeOf(to)];
    return fromElement !== undefined && toElement !== undefined && this.canCoerceImplicitly(fromElement, toElement);
  }

  /**
   * Whether a value of `type` can stand for the polymorphic `pseudo` (check_generic_type_consistency:
   * anyarray an array, anynonarray not one, anyenum an enum, anyrange a range ...; a domain as its
   * base type). A type the catalog does not know fits, but for the array kinds, told by its name.
   */
  private fitsPolymorphic(type: string, pseudo: string): boolean {
    const base = this.rootBaseTypeOf(type);
    const known = this.typeByFormatted(base);
    const isArray = base.endsWith('[]') || known?.category === 'A';
    switch (pseudo) {
      case 'anyarray':
      case 'anycompatiblearray':
        return isArray;
      case 'anynonarray':
      case 'anycompatiblenonarray':
        return !isArray;
      case 'anyenum':
        return known ? known.kind === 'e' : !isArray;
      case 'anyrange':
      case 'anycompatiblerange':
        return known ? known.kind === 'r' : !isArray;
      case 'anymultirange':
      case 'anycompatiblemultirange':
        return known ? known.kind === 'm' : !isArray;
      default:
        return true;
    }
  }

  /**
   * Whether operands fit a polymorphic signature together, not only one by one
   * (check_generic_type_consistency): what anyelement, anynonarray, anyenum and anyarray's element
   * stand for is one type; anycompatible, anycompatiblenonarray and anycompatiblearray's element
   * need a common type, so one category. `integer[] || integer[]` is array_cat, not array_append
   * (anycompatiblearray || anycompatible), whose element would be integer and integer[] at once.
   */
  private polymorphicConsistent(params: readonly string[], args: readonly InferredType[]): boolean {
    const same = new Set<string>();
    const categories = new Set<string>();
    params.forEach((param, i) => {
      const arg = args[i];
      if (!arg || arg === UNKNOWN_LITERAL || !POLYMORPHIC.has(param)) return;
      const base = this.rootBaseTypeOf(arg);
      const value = param === 'anyarray' || param === 'anycompatiblearray' ? this.elementTypeOf(base) : base;
      if (value === undefined) return;
      if (param === 'anyelement' || param === 'anynonarray' || param === 'anyenum' || param === 'anyarray') same.add(value);
      if (param === 'anycompatible' || param === 'anycompatiblenonarray' || param === 'anycompatiblearray') {
        const category = this.typeByFormatted(value)?.category ?? (value.endsWith('[]') ? 'A' : undefined);
        if (category) categories.add(category);
      }
    });
    return same.size <= 1 && categories.size <= 1;
  }

  /**
   * The type of `fn`'s result in a call with arguments of `argTypes` (named `argNames`, where
   * named): its declared type, or what a polymorphic one stands for there (resolvePolymorphic).
   */
  resultTypeOf(fn: CatalogFunction, argTypes: readonly InferredType[], argNames: readonly (string | undefined)[] = []): InferredType {
    if (!isPolymorphic(fn.returnType)) return fn.returnType;
    const slots = argNames.some((name) => name !== undefined) ? namedSlots(fn, argNames) : undefined;
    const params = argTypes.map((_, i) => (slots ? fn.argTypes[slots[i]] ?? '' : parameterAt(fn, i, argTypes)));
    return this.resolvePolymorphic(fn.returnType, params, argTypes);
  }

  /**
   * The type the polymorphic `declared` (a result, or a parameter) stands for in a call whose
   * arguments `args` were given for the parameters `params` (enforce_generic_type_consistency,
   * parse_coerce.c). The anyelement family resolves together: anyelement, anynonarray and anyenum
   * to the element type, anyarray to its array, anyrange and anymultirange to the range (and its
   * multirange) an argument gave, an array's element and a range's subtype counting as the element
   * type. The anycompatible family resolves to the common type of its arguments (select_common_type:
   * an array's element, a range's subtype), anycompatiblerange to the range an argument gave. A
   * domain counts as its base type, but for anyelement and anycompatible. Undefined where the
   * arguments do not tell (untyped literals, types not inferred, a type not in the catalog).
   */
  resolvePolymorphic(declared: string, params: readonly string[], args: readonly InferredType[]): InferredType {
    if (!isPolymorphic(declared)) return declared;
    return declared.startsWith('anycompatible') ? this.resolveAnycompatible(declared, params, args) : this.resolveAnyelement(declared, params, args);
  }

  /** The anyelement family (enforce_generic_type_consistency's elem_typeid, array_typeid, range_typeid, multirange_typeid). */
  private resolveAnyelement(declared: string, params: readonly string[], args: readonly InferredType[]): InferredType {
    let [element, array, range, multirange]: InferredType[] = [];
    params.forEach((param, i) => {
      const arg = args[i];
      if (!arg || arg === UNKNOWN_LITERAL) return;
      if (param === 'anyelement' || param === 'anynonarray' || param === 'anyenum') element ??= arg;
      else if (param === 'anyarray') array ??= this.rootBaseTypeOf(arg);
      else if (param === 'anyrange') range ??= this.rootBaseTypeOf(arg);
      else if (param === 'anymultirange') multirange ??= this.rootBaseTypeOf(arg);
    });
    range ??= multirange && this.rangeOfMultirange(multirange);
    element ??= (array && this.elementTypeOf(array)) ?? (range && this.typeByFormatted(range)?.rangeSubtype);
    return this.familyMember(declared, element, array, range, multirange);
  }

  /** The anycompatible family (enforce_generic_type_consistency's anycompatible_typeid and its range). */
  private resolveAnycompatible(declared: string, params: readonly string[], args: readonly InferredType[]): InferredType {
    const elements: InferredType[] = [];
    let [range, multirange]: InferredType[] = [];
    params.forEach((param, i) => {
      const arg = args[i];
      if (!arg || arg === UNKNOWN_LITERAL) return;
      if (param === 'anycompatible' || param === 'anycompatiblenonarray') elements.push(arg);
      else if (param === 'anycompatiblearray') elements.push(this.elementTypeOf(this.rootBaseTypeOf(arg)));
      else if (param === 'anycompatiblerange') range ??= this.rootBaseTypeOf(arg);
      else if (param === 'anycompatiblemultirange') multirange ??= this.rootBaseTypeOf(arg);
    });
    range ??= multirange && this.rangeOfMultirange(multirange);
    // A range argument fixes the common type to its subtype (anycompatible_range_typelem).
    const subtype = range && this.typeByFormatted(range)?.rangeSubtype;
    const common = subtype ?? (elements.includes(undefined) ? undefined : this.selectCommonType(elements));
    return this.familyMember(declared, common, undefined, range, multirange);
  }

  /**
   * What `declared`, a member of either polymorphic family, stands for once the family's element
   * type, array, range and multirange are known (an array or multirange not given is the element's
   * array, the range's multirange).
   */
  private familyMember(declared: string, element: InferredType, array: InferredType, range: InferredType, multirange: InferredType): InferredType {
    // anyelement and anycompatible are the element itself; "any" belongs to neither family.
    switch (declared === 'anycompatible' ? 'element' : declared.replace(/^any(compatible)?/, '')) {
      case 'element':
      case 'nonarray':
      case 'enum':
        return element;
      case 'array':
        return array ?? (element && this.arrayTypeOf(element));
      case 'range':
        return range;
      case 'multirange':
        return multirange ?? (range && this.typeByFormatted(range)?.multirangeType);
      default:
        return undefined;
    }
  }

  /**
   * The common type of values of `types` (select_common_type, parse_coerce.c): that of all of them
   * when they all have the same; otherwise, over base types (a domain counts as its base type), the
   * first known one, replaced by a later one of its category that it converts to implicitly and not
   * back, unless it is its category's preferred type (a mix of categories is an error in PostgreSQL:
   * nothing runs). Untyped literals (UNKNOWN_LITERAL) take the others' type, and alone are text; a
   * type not inferred (undefined, '') is taken to be the same as the others. Undefined when none is
   * known otherwise.
   */
  selectCommonType(types: readonly InferredType[]): InferredType {
    const known = types.filter((type): type is string => !!type && type !== UNKNOWN_LITERAL);
    // Untyped literals alone are text (CASE WHEN ... THEN 'a' ELSE 'b' END, ARRAY['a', 'b']).
    if (known.length === 0) return types.length > 0 && types.every((type) => type === UNKNOWN_LITERAL) ? 'text' : undefined;
    // All the same (an untyped literal such as NULL makes them differ): that type, a domain included.
    if (!!types[0] && types[0] !== UNKNOWN_LITERAL && !types.includes(UNKNOWN_LITERAL) && known.every((type) => type === known[0])) return known[0];
    let common: string | undefined;
    for (const type of known.map((t) => this.rootBaseTypeOf(t))) {
      if (type === common) continue;
      if (common === undefined) {
        common = type;
        continue;
      }
      const [was, next] = [this.typeByFormatted(common), this.typeByFormatted(type)];
      if (!was || !next || was.category !== next.category) continue;
      if (!was.preferred && this.canCoerceImplicitly(common, type) && !this.canCoerceImplicitly(type, common)) common = type;
    }
    return common;
  }

  /** An array type's element type (pg_type.typelem; get_element_type); undefined for another type. */
  elementTypeOf(array: string): InferredType {
    return this.typeByFormatted(array)?.elementType ?? (array.endsWith('[]') ? array.slice(0, -2) : undefined);
  }

  /** The array type of `element` (get_array_type: format_type spells it `element[]`); none for an array. */
  private arrayTypeOf(element: string): InferredType {
    const known = this.typeByFormatted(this.rootBaseTypeOf(element));
    return element.endsWith('[]') || known?.category === 'A' ? undefined : `${element}[]`;
  }

  /** The range whose multirange type `multirange` is (pg_range.rngmultitypid, read backwards). */
  private rangeOfMultirange(multirange: string): InferredType {
    return this.index.rangeByMultirange.get(multirange);
  }

  /** The type by its format_type spelling; defined again (ALTER DOMAIN), its latest definition. */
  typeByFormatted(formatted: string): CatalogType | undefined {
    const own = this.overlay.types.get(formatted);
    return own?.[own.length - 1] ?? this.index.typesByFormatted.get(formatted);
  }

  /** Whether a domain, or a domain it is based on, has constraints (a CHECK or NOT NULL). */
  domainHasConstraints(formatted: string): boolean {
    let type = this.typeByFormatted(formatted);
    // A bounded walk: a catalog cannot hold a cycle of domains, a half-typed workspace file might.
    for (let depth = 0; type?.kind === 'd' && depth < 32; depth++) {
      if (type.hasConstraints) return true;
      type = type.baseType ? this.typeByFormatted(type.baseType) : undefined;
    }
    return false;
  }

  /**
   * The fields of a composite type, in order: a CREATE TYPE ... AS type's own, a table's or view's
   * row type its relation's columns (a file's tables make no type: the relation of that name,
   * spelled as resolveTypeName spells it, unqualified in pg_catalog). Undefined for any other type.
   */
  compositeFields(formatted: string): readonly CatalogColumn[] | undefined {
    const type = this.typeByFormatted(formatted);
    if (type) return type.kind !== 'c' ? undefined : type.fields ?? this.relationNamed(type.name, type.schema)?.columns;
    return this.relationOfRowType(formatted)?.columns;
  }

  /** The base type of a domain (the type itself otherwise). */
  baseTypeOf(type: string): string {
    const t = this.typeByFormatted(type);
    return t?.kind === 'd' && t.baseType ? t.baseType : type;
  }

  /** The type under all domains over domains (getBaseType); bounded, as domainHasConstraints' walk. */
  rootBaseTypeOf(type: string): string {
    let base = type;
    for (let depth = 0; depth < 32; depth++) {
      const next = this.baseTypeOf(base);
      if (next === base) return base;
      base = next;
    }
    return base;
  }

  /** Resolves a type name as written (`int4`, `pg_catalog.varchar`, `mood`) to its format_type spelling. */
  resolveTypeName(names: string[], isArray: boolean): string {
    const name = names[names.length - 1];
    const schema = names.length > 1 ? names[names.length - 2] : undefined;
    const pick = (list: CatalogType[] | undefined) => {
      if (!list) return undefined;
      if (schema) return list.find((t) => t.schema === schema);
      for (const s of this.schemasFor('function')) {
        const hit = list.find((t) => t.schema === s);
        if (hit) return hit;
      }
      return undefined;
    };
    const found = pick(this.overlay.types.get(name)) ?? pick(this.index.typesByName.get(name));
    // A file's table is also a type (its row type), which the database lists with its types.
    const table = found ? undefined : this.relationNamed(name, schema);
    const formatted = found?.formatted ?? (table ? qualifiedTypeName(table.schema, table.name) : name === 'any' ? '"any"' : name);
    return isArray ? `${formatted}[]` : formatted;
  }

  defineType(type: CatalogType, why: string): void {
    this.changeLog?.push({ method: 'defineType', args: [type, why] });
    this.touch(`type:${why}`);
    pushTo(this.overlay.types, type.name, type);
    pushTo(this.overlay.types, type.formatted, type);
    this.forgetOperatorLookups();
  }

  // ---- relations -----------------------------------------------------------------------------

  /** A table, view, matview or foreign table by name, through pg_temp and search_path. */
  relationNamed(name: string, schema?: string): CatalogRelation | undefined {
    this.dependencyLog?.relations.add(name);
    const seen = new Set<number>();
    const all = [...(this.overlay.relations.get(name) ?? []), ...(this.index.relationsByName.get(name) ?? [])]
      .map((r) => (this.overlay.relationsByOid.has(r.oid) ? this.overlay.relationsByOid.get(r.oid) : r))
      .filter((r): r is CatalogRelation => !!r && !seen.has(r.oid) && (seen.add(r.oid), true));
    if (schema) {
      if (schema === 'pg_temp' || schema.startsWith('pg_temp_')) return all.find((r) => r.persistence === 't');
      return all.find((r) => r.schema === schema);
    }
    for (const s of this.schemasFor('relation')) {
      const hit = s === 'pg_temp' ? all.find((r) => r.persistence === 't') : all.find((r) => r.schema === s && r.persistence !== 't');
      if (hit) return hit;
    }
    return undefined;
  }

  defineRelation(rel: CatalogRelation, why: string): void {
    this.changeLog?.push({ method: 'defineRelation', args: [rel, why] });
    this.touch(`relation:${why}`);
    // ALTER TABLE keeps the oid; CREATE over an existing name replaces it (as after a DROP).
    const existing = this.relationNamed(rel.name, rel.persistence === 't' ? 'pg_temp' : rel.schema);
    if (existing && existing.oid !== rel.oid) this.overlay.relationsByOid.set(existing.oid, null);
    const known = this.overlay.relationsByOid.has(rel.oid) || this.index.relationsByName.get(rel.name)?.some((r) => r.oid === rel.oid) || this.overlay.relations.get(rel.name)?.some((r) => r.oid === rel.oid);
    if (!known) pushTo(this.overlay.relations, rel.name, rel);
    this.overlay.relationsByOid.set(rel.oid, rel);
  }

  dropRelation(rel: CatalogRelation, why: string): void {
    this.changeLog?.push({ method: 'dropRelation', args: [rel, why] });
    this.touch(`drop-relation:${why}`);
    this.overlay.relationsByOid.set(rel.oid, null);
  }

  /** The schema that CREATE without a schema puts objects in: the first existing one on search_path. */
  get creationSchema(): string {
    return this.searchPathValue.find((s) => s !== 'pg_catalog' && s !== 'pg_temp' && !s.startsWith('pg_temp_')) ?? 'public';
  }

  /**
   * The functions and relations this catalog defines differently from `earlier`, another catalog
   * over the same snapshot: a statement that looked up none of them (dependencyLog) resolves
   * everything here as it did there. Definitions replayed from recorded changes are the same objects
   * (or equal copies), so a folder's catalog rebuilt after one file's edit differs in what that edit
   * reached. 'everything' when the snapshot, search_path, types, casts or operators differ, since
   * those lookups are not recorded.
   */
  differencesFrom(earlier: Catalog): Differences {
    const [a, b] = [earlier.overlay, this.overlay];
    if (earlier.snapshot !== this.snapshot || !sameStrings(earlier.searchPathValue, this.searchPathValue)) return 'everything';
    if (differingKeys(a.operators, b.operators).length + differingKeys(a.casts, b.casts).length + differingKeys(a.types, b.types).length > 0) return 'everything';
    const names = new CatalogNames();
    for (const name of differingKeys(a.functions, b.functions)) names.functions.add(name);
    for (const name of differingKeys(a.relations, b.relations)) names.relations.add(name);
    for (const oid of differingKeys(a.functionsByOid, b.functionsByOid)) {
      names.functionOids.add(oid);
      for (const fn of [a.functionsByOid.get(oid), b.functionsByOid.get(oid), this.index.functionsByOid.get(oid)]) if (fn) names.functions.add(fn.name);
    }
    for (const oid of differingKeys(a.relationsByOid, b.relationsByOid)) {
      const named = [a.relationsByOid.get(oid), b.relationsByOid.get(oid)].filter((rel) => rel) as CatalogRelation[];
      // Dropped on one side and the database's own on the other: its name is in the snapshot. A
      // file's relation dropped on one side and never made on the other is seen on neither.
      if (named.length === 0) named.push(...this.snapshot.relations.filter((rel) => rel.oid === oid));
      for (const rel of named) names.relations.add(rel.name);
    }
    return names;
  }

  /** Makes a change recorded by `changeLog` again (on a catalog equal to the one it was recorded on). */
  replay(change: CatalogChange): void {
    (this[change.method] as (this: Catalog, ...args: CatalogChange['args']) => void).apply(this, change.args);
  }

  /** Number of functions, for status lines. */
  get functionCount(): number {
    return this.index.functionsByOid.size + [...this.overlay.functions.values()].reduce((n, list) => n + list.length, 0);
  }
}

/**
 * Functions and relations by name, and functions by oid (an operator, a cast or a view names its
 * function by oid; one dropped is not found, so only its oid tells): what a text looked up, or what
 * changes defined or dropped. The catalog models no renames, so a name stays with its object.
 */
export class CatalogNames {
  readonly functions = new Set<string>();
  readonly functionOids = new Set<number>();
  readonly relations = new Set<string>();

  addAll(other: CatalogNames): void {
    for (const name of other.functions) this.functions.add(name);
    for (const oid of other.functionOids) this.functionOids.add(oid);
    for (const name of other.relations) this.relations.add(name);
  }

  /** Some function or relation is in both. */
  meets(other: CatalogNames): boolean {
    return meet(this.functions, other.functions) || meet(this.functionOids, other.functionOids) || meet(this.relations, other.relations);
  }
}

function meet<T>(a: Set<T>, b: Set<T>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const item of small) if (large.has(item)) return true;
  return false;
}

/**
 * What a list of changes can alter for a later lookup: the functions and relations defined or
 * dropped; 'everything' when a change reaches beyond them (search_path, types, casts, operators),
 * since those lookups are not recorded.
 */
export function namesChangedBy(changes: readonly CatalogChange[]): CatalogNames | 'everything' {
  const names = new CatalogNames();
  for (const change of changes) {
    switch (change.method) {
      case 'defineFunction':
      case 'dropFunction':
        names.functions.add(change.args[0].name);
        names.functionOids.add(change.args[0].oid);
        break;
      case 'defineRelation':
      case 'dropRelation':
        names.relations.add(change.args[0].name);
        break;
      default:
        return 'everything';
    }
  }
  return names;
}

/** Functions and relations whose definitions differ between two catalogs; 'everything' when that is not known. */
export type Differences = CatalogNames | 'everything';

/** Adds what `changes` define or drop to `differences` (in place, unless it becomes 'everything'). */
export function widenBy(differences: Differences, changes: readonly CatalogChange[]): Differences {
  if (differences === 'everything' || changes.length === 0) return differences;
  const names = namesChangedBy(changes);
  if (names === 'everything') return names;
  differences.addAll(names);
  return differences;
}

/** Where Catalog.dependencyLog records: CatalogNames for a whole file, StatementLookups for one statement. */
export interface DependencyLog {
  readonly functions: { add(name: string): unknown };
  readonly functionOids: { add(oid: number): unknown };
  readonly relations: { add(name: string): unknown };
}

/** A short list without repeats: one statement looks up few names, and a set costs more to fill and to clear. */
class ShortList<T> {
  readonly items: T[] = [];
  add(item: T): void {
    if (!this.items.includes(item)) this.items.push(item);
  }
}

/** One statement's lookups, recorded again and again by one analyzer (cleared in between) and kept as LookedUp. */
export class StatementLookups implements DependencyLog {
  readonly functions = new ShortList<string>();
  readonly functionOids = new ShortList<number>();
  readonly relations = new ShortList<string>();
  /**
   * The lookups kept before, by content: a document's statements look up the same few combinations
   * (the 1 MB benchmark document: 180 for 9,103 statements), so each is kept once. Emptied when it
   * grows past a bound, so a long session of typing does not make it grow for ever.
   */
  private readonly keptBefore = new Map<string, LookedUp>();

  clear(): void {
    this.functions.items.length = 0;
    this.functionOids.items.length = 0;
    this.relations.items.length = 0;
  }

  /** What was recorded, to keep with a statement (never changed afterwards). */
  kept(): LookedUp {
    const { functions, functionOids, relations } = this;
    // Unambiguous: names never hold a NUL (PostgreSQL rejects it), and the counts come first.
    const key = `${functions.items.length}\u0000${functionOids.items.length}\u0000${functions.items.join('\u0000')}\u0000${functionOids.items.join('\u0000')}\u0000${relations.items.join('\u0000')}`;
    let lookups = this.keptBefore.get(key);
    if (!lookups) {
      if (this.keptBefore.size >= MAX_KEPT_LOOKUPS) this.keptBefore.clear();
      const copy = <T>(list: ShortList<T>): readonly T[] => (list.items.length === 0 ? NOTHING : list.items.slice());
      lookups = { functions: copy(functions), functionOids: copy(functionOids), relations: copy(relations) };
      this.keptBefore.set(key, lookups);
    }
    return lookups;
  }
}

const MAX_KEPT_LOOKUPS = 4096;

const NOTHING: readonly never[] = Object.freeze([]);

/** What one statement looked up (StatementLookups). */
export interface LookedUp {
  readonly functions: readonly string[];
  readonly functionOids: readonly number[];
  readonly relations: readonly string[];
}

/** Nothing in `lookups` (recorded by Catalog.dependencyLog) is in `differences`. */
export function readsNothingIn(lookups: LookedUp | undefined, differences: Differences): boolean {
  if (lookups === undefined || differences === 'everything') return false;
  return (
    !lookups.functions.some((name) => differences.functions.has(name)) &&
    !lookups.functionOids.some((oid) => differences.functionOids.has(oid)) &&
    !lookups.relations.some((name) => differences.relations.has(name))
  );
}

/** Keys whose values differ between two maps (a key missing on one side differs from any value). */
function differingKeys<K, V>(a: Map<K, V>, b: Map<K, V>): K[] {
  const keys: K[] = [];
  for (const [key, value] of a) if (!b.has(key) || !sameDefinition(value, b.get(key))) keys.push(key);
  for (const key of b.keys()) if (!a.has(key)) keys.push(key);
  return keys;
}

/**
 * The same definition: the same object, or a copy with equal fields (CREATE OR REPLACE of an
 * existing signature stores a copy with the old oid on every replay), or lists of such.
 */
function sameDefinition(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameDefinition(item, b[i]));
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  return keysA.every((key) => sameDefinition((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

function elementOf(arrayType: string): string {
  return arrayType.endsWith('[]') ? arrayType.slice(0, -2) : arrayType === 'anyarray' ? 'anyelement' : arrayType === 'anycompatiblearray' ? 'anycompatible' : arrayType;
}

/** The parameter type the `i`th of the positional arguments `argTypes` is given for. */
function parameterAt(fn: CatalogFunction, i: number, argTypes: readonly InferredType[]): string {
  const params = fn.argTypes;
  if (i < params.length - 1 || !fn.variadic) return params[i] ?? '';
  const last = params[params.length - 1];
  // Spread VARIADIC arguments match the array's element type.
  return i === params.length - 1 && argTypes.length === params.length && argTypes[i]?.endsWith('[]') ? last : elementOf(last);
}

/** Two independent 32-bit FNV-1a hashes and the length: short cache keys with negligible collisions. */
export function simpleHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  // Decimal small integers: V8 turns them into strings far faster than other radixes.
  return `${a | 0}:${b | 0}:${text.length}`;
}
