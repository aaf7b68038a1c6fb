// What a fix would save, per profile and per second. These are estimates and
// say so: the profile tells us what a site allocated, not what the fixed code
// would allocate, so each rule carries an explicit assumption.
import type { Estimate, RuleId } from '../model/report.js';

interface Assumption {
  /** Fraction of the site's bytes the fix removes. */
  bytes: number;
  /** Fraction of the site's objects the fix removes. */
  objects: number;
  note: string;
}

/**
 * Per-rule assumptions. A fix that keeps the value on the stack removes every
 * allocation of the site. Growth fixes (slices, maps, string building) replace
 * a chain of doubling allocations by one: doubling allocates about twice the
 * final size in total, so preallocating saves about half the bytes and all but
 * one of the log2(n) objects (we count three quarters, for short chains).
 */
const ASSUMPTIONS: Partial<Record<RuleId, Assumption>> = {
  'return-pointer': { bytes: 1, objects: 1, note: 'assumes the returned value stays on the caller\'s stack, removing all of this site\'s allocations' },
  'closure-capture': { bytes: 1, objects: 1, note: 'assumes the captured variable no longer moves to the heap, removing all of this site\'s allocations' },
  'interface-boxing': { bytes: 1, objects: 1, note: 'assumes the concrete type removes the interface box, i.e. all of this site\'s allocations' },
  'fmt-boxing': { bytes: 1, objects: 1, note: 'assumes formatting into a reused buffer removes the boxed operands and the result string' },
  'nonconstant-make': { bytes: 1, objects: 1, note: 'assumes a constant-size or reused buffer removes all of this site\'s allocations' },
  'too-large-for-stack': { bytes: 1, objects: 1, note: 'assumes one reused buffer replaces a fresh one per call' },
  'slice-growth': { bytes: 0.5, objects: 0.75, note: 'assumes preallocation removes the growth copies: about half the bytes and most objects (doubling allocates ~2x the final size)' },
  'string-concat': { bytes: 0.5, objects: 0.75, note: 'assumes a pre-grown strings.Builder replaces the intermediate strings: about half the bytes and most objects' },
  'bytes-string-conversion': { bytes: 1, objects: 1, note: 'assumes the conversion copy disappears when one representation is kept' },
  'map-growth': { bytes: 0.5, objects: 0.75, note: 'assumes a size hint removes the rehash growth: about half the bytes and most objects' },
  'leaking-param': { bytes: 1, objects: 1, note: 'assumes callers can keep the argument on the stack once the callee stops retaining it' },
  'method-value': { bytes: 1, objects: 1, note: 'assumes the bound-method closure is no longer allocated' },
};

export interface EstimateInput {
  rule: RuleId | null;
  /** Site value at the chosen index, and its unit. */
  value: number;
  unit: string;
  /** Companion value and unit, when the profile has one. */
  companion: number | null;
  companionUnit: string | null;
  /** True for alloc_* (a count since the process started, or over the delta window); false for inuse_*. */
  cumulative: boolean;
  durationNanos: number | null;
  oneOff: boolean;
  /** Fraction (0..1) of the site's value the statement itself allocates; the rest is in library frames below it, which a fix at the statement does not touch. */
  statementShare?: number;
}

/**
 * Shortest profile duration we treat as a measurement window. A cumulative
 * heap profile records only how long writing it took (milliseconds); its
 * alloc_* values cover the whole process lifetime, so a per-second rate from
 * that duration would be absurd. Delta profiles (`?seconds=N`) have N seconds.
 */
export const MIN_RATE_WINDOW_NANOS = 1e9;

export function estimateSavings(inp: EstimateInput): Estimate {
  const bytesValue = inp.unit === 'bytes' ? inp.value : inp.companionUnit === 'bytes' ? inp.companion : null;
  const objectsValue = inp.unit === 'count' ? inp.value : inp.companionUnit === 'count' ? inp.companion : null;

  if (inp.rule === 'large-retained' || !inp.cumulative) {
    return {
      bytes: bytesValue,
      objects: objectsValue,
      bytesPerSecond: null,
      objectsPerSecond: null,
      note: 'estimate: upper bound, the memory this site holds at the last GC; how much a bound releases depends on the limit you choose (in-use memory is not a rate)',
    };
  }
  const a = inp.rule ? ASSUMPTIONS[inp.rule] : undefined;
  if (!a) {
    return {
      bytes: null,
      objects: null,
      bytesPerSecond: null,
      objectsPerSecond: null,
      note: inp.rule === 'no-escape-info'
        ? 'no estimate: the saving depends on how the call site changes'
        : 'no estimate: no rule matched this site',
    };
  }
  // Library frames report bytes, not objects, per caller; the same fraction is assumed for both.
  const own = Math.min(1, Math.max(0, inp.statementShare ?? 1));
  const bytes = bytesValue === null ? null : Math.round(bytesValue * a.bytes * own);
  const objects = objectsValue === null ? null : Math.round(objectsValue * a.objects * own);
  const window = inp.durationNanos !== null && inp.durationNanos >= MIN_RATE_WINDOW_NANOS ? inp.durationNanos / 1e9 : null;
  let note = `estimate: ${a.note}`;
  if (own < 1) note += `; only the ${Math.round(own * 100)}% the statement allocates itself, not what the library below it allocates`;
  const perSecond = window !== null && !inp.oneOff;
  if (inp.oneOff) note += '; a one-off allocation, so there is no steady-state rate to save';
  else if (window === null) note += '; no per-second rate: the profile has no measurement window (cumulative since process start)';
  else note += `; rates over the profile's ${formatSeconds(window)} window`;
  return {
    bytes,
    objects,
    bytesPerSecond: perSecond && bytes !== null ? bytes / (window as number) : null,
    objectsPerSecond: perSecond && objects !== null ? objects / (window as number) : null,
    note,
  };
}

function formatSeconds(s: number): string {
  return s >= 10 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}
