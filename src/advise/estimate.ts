// What a fix would save, per profile and per second. These are estimates and
// say so: the profile tells us what a site allocated, not what the fixed code
// would allocate, so each rule carries an explicit assumption (in its module),
// applied only to the part of the site the rule explains.
import type { Estimate, RuleId } from '../model/report.js';
import { RULE_MODULES } from './rules.js';

/** A part of a site: its value at the chosen index and its companion. */
export interface Part {
  value: number;
  companion: number;
}

export interface EstimateInput {
  rule: RuleId | null;
  /** The part of the site the rule explains. */
  part: Part;
  /** Units of the chosen index and of its companion (null without one). */
  unit: string;
  companionUnit: string | null;
  /** True for alloc_* (a count since the process started, or over the delta window); false for inuse_*. */
  cumulative: boolean;
  durationNanos: number | null;
  oneOff: boolean;
  /** The part's fraction of the whole line (1 when the rule explains all of it). */
  partOfLine: number;
}

/**
 * Shortest profile duration we treat as a measurement window. A cumulative
 * heap profile records only how long writing it took (milliseconds); its
 * alloc_* values cover the whole process lifetime, so a per-second rate from
 * that duration would be absurd. Delta profiles (`?seconds=N`) have N seconds.
 */
export const MIN_RATE_WINDOW_NANOS = 1e9;

function none(note: string): Estimate {
  return { bytes: null, objects: null, bytesPerSecond: null, objectsPerSecond: null, note };
}

export function estimateSavings(inp: EstimateInput): Estimate {
  const { part } = inp;
  const bytesValue = inp.unit === 'bytes' ? part.value : inp.companionUnit === 'bytes' ? part.companion : null;
  const objectsValue = inp.unit === 'count' ? part.value : inp.companionUnit === 'count' ? part.companion : null;

  if (inp.rule === 'large-retained' || !inp.cumulative) {
    return {
      bytes: bytesValue,
      objects: objectsValue,
      bytesPerSecond: null,
      objectsPerSecond: null,
      note: 'estimate: upper bound, the memory this site holds at the last GC; how much a bound releases depends on the limit you choose (in-use memory is not a rate)',
    };
  }
  const a = inp.rule ? RULE_MODULES[inp.rule].assumption : null;
  if (!a) {
    switch (inp.rule) {
      case 'costly-call':
        return none('no estimate: the saving depends on how the call changes; at most what the call allocates here');
      case 'no-user-frame':
      case 'test-code':
        return none('no estimate: nothing in the module\'s production code to change at this site');
      case 'inherent-copy':
        return none('no estimate: the allocation is inherent at the statement; only calling it less often reduces it');
      case null:
        return none('no estimate: no rule matched this site');
      default:
        return none('no estimate: the saving depends on how the code changes');
    }
  }
  const bytes = bytesValue === null ? null : Math.round(bytesValue * a.bytes);
  const objects = objectsValue === null ? null : Math.round(objectsValue * a.objects);
  const window = inp.durationNanos !== null && inp.durationNanos >= MIN_RATE_WINDOW_NANOS ? inp.durationNanos / 1e9 : null;
  let note = `estimate: ${a.note}`;
  if (inp.partOfLine < 0.995) note += `; only the ${Math.round(inp.partOfLine * 100)}% of the line this rule explains`;
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
