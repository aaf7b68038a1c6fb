// --focus and --ignore, per location: pprof's -focus/-ignore keep or drop a
// sample by whether any of its frames' function name or file matches.
import type { Func, Location, Profile } from '../profile/model.js';

/**
 * A cached per-Function test of a --focus/--ignore pattern against a
 * function's name or file. Patterns with state (g, y flags) are tested anew
 * each time, as they would be without the cache.
 */
function functionMatcher(re: RegExp, nFuncs: number): (fn: Func) => boolean {
  const test = (fn: Func): boolean => re.test(fn.name) || (fn.filename !== '' && re.test(fn.filename));
  if (re.global || re.sticky) return test;
  const memo = new Int8Array(nFuncs);
  return (fn) => {
    if (fn.index < 0) return test(fn);
    if (memo[fn.index] === 0) memo[fn.index] = test(fn) ? 1 : 2;
    return memo[fn.index] === 1;
  };
}

function locationMatches(loc: Location, matches: (fn: Func) => boolean): boolean {
  for (const ln of loc.lines) if (matches(ln.function)) return true;
  return false;
}

/**
 * Per location: -1 when a frame matches `ignore`, else 1 when one matches
 * `focus`, else 0 (the walk's locKeep; sampleKept in walk.ts reads it).
 */
export function keepFlags(profile: Profile, focus: RegExp | null | undefined, ignore: RegExp | null | undefined): Int8Array {
  const locs = profile.locations;
  const locKeep = new Int8Array(locs.length);
  if (!focus && !ignore) return locKeep;
  const nFuncs = profile.functions.length;
  const ignoreMatch = ignore ? functionMatcher(ignore, nFuncs) : null;
  const focusMatch = focus ? functionMatcher(focus, nFuncs) : null;
  for (let li = 0; li < locs.length; li++) {
    if (ignoreMatch && locationMatches(locs[li], ignoreMatch)) locKeep[li] = -1;
    else if (focusMatch && locationMatches(locs[li], focusMatch)) locKeep[li] = 1;
  }
  return locKeep;
}

/** WalkTables.filter: 0 no filter, 1 ignore only, 2 focus (and maybe ignore). */
export function filterMode(focus: RegExp | null | undefined, ignore: RegExp | null | undefined): number {
  return focus ? 2 : ignore ? 1 : 0;
}
