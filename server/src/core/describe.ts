/**
 * Words for what the engine finds: every message the user reads is built here, so the phrasing stays
 * consistent between diagnostics, hover cards and the CLI.
 */
import type { CatalogFunction, ParallelLabel, Volatility } from './catalog-snapshot';
import { hazardOf, signatureOf } from './catalog';
import type { Hazard } from './types';

export const LABEL_WORDS: Record<ParallelLabel, string> = { s: 'PARALLEL SAFE', r: 'PARALLEL RESTRICTED', u: 'PARALLEL UNSAFE' };
export const VOLATILITY_WORDS: Record<Volatility, string> = { i: 'IMMUTABLE', s: 'STABLE', v: 'VOLATILE' };

export const HAZARD_EFFECT: Record<Hazard, string> = {
  safe: 'may run in parallel workers',
  restricted: 'runs only in the leader process; the plan can still be parallel below it',
  unsafe: 'no part of this statement can use parallel workers',
};

/** What a label means for the plan, in one line (hover cards). */
export const LABEL_MEANING: Record<ParallelLabel, string> = {
  s: 'can run inside parallel workers.',
  r: 'runs only in the leader: the plan can be parallel below it, but a scan filtered by it cannot be.',
  u: 'the whole statement gets no parallel plan.',
};

export function labelWord(hazard: Hazard): string {
  return hazard === 'safe' ? 'PARALLEL SAFE' : hazard === 'restricted' ? 'PARALLEL RESTRICTED' : 'PARALLEL UNSAFE';
}

/**
 * "public.f(integer) is PARALLEL UNSAFE" or, when the overload is not known,
 * "f: 1 of 3 possible overloads is PARALLEL UNSAFE (argument types unknown), e.g. public.f(integer)".
 */
/**
 * The function(s) to blame, as a clause: `public.f(integer) is PARALLEL UNSAFE`, or, for an operator
 * or cast that runs it (`relative`), `public.f(integer), which is PARALLEL UNSAFE`.
 */
export function describeCulprit(name: string, functions: readonly CatalogFunction[], ambiguous: boolean, hazard: Hazard, relative = false): string {
  const culprits = functions.filter((fn) => hazardOf(fn.parallel) === hazard);
  const first = culprits[0] ?? functions[0];
  const defaulted = first?.labelledExplicitly === false ? ' (no PARALLEL clause, so it defaulted to UNSAFE)' : '';
  if (!ambiguous || functions.length <= 1) return `${signatureOf(first)}${relative ? ', which' : ''} is ${labelWord(hazard)}${defaulted}`;
  const all = culprits.length === functions.length;
  if (relative) {
    const which = all ? 'all of which are' : `${culprits.length} of which ${culprits.length === 1 ? 'is' : 'are'}`;
    return `one of ${functions.length} possible functions (argument types unknown), ${which} ${labelWord(hazard)}, e.g. ${signatureOf(first)}${defaulted}`;
  }
  const count = all ? `all ${functions.length} possible overloads are` : `${culprits.length} of ${functions.length} possible overloads ${culprits.length === 1 ? 'is' : 'are'}`;
  return `${name}: ${count} ${labelWord(hazard)} (argument types unknown), e.g. ${signatureOf(first)}${defaulted}`;
}

export function effectSentence(hazard: Hazard): string {
  return hazard === 'unsafe' ? 'no part of this statement can use parallel workers' : 'it runs only in the leader process';
}
