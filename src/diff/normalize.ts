// Putting two profiles on one scale. Two profiles rarely cover the same
// amount of work, so values are compared after dividing the current side by a
// factor (current work / baseline work):
//   - 'duration': the ratio of Profile.duration_nanos (both sides need one;
//     heap profiles fetched with ?seconds=N have it);
//   - 'workload': estimated from the sites themselves: the median of the
//     per-site ratios current/base over the sites paired on both sides,
//     weighted by the baseline's value. A few sites that changed cannot move
//     a median, so fixing one site leaves the rest at ratio 1 where shares
//     ('total') would make every other site look bigger;
//   - 'total':    the ratio of the totals, i.e. shares are compared (pprof's
//     -normalize); right when the mix is what matters, wrong after a fix;
//   - 'none':     raw values, for profiles of identical, fixed workloads.
// 'auto' picks 'duration' when both sides have one, else 'workload'.
import { AdvisorError } from '../errors.js';
import type { Normalization } from '../model/report.js';

export type Normalize = Normalization['method'];

/** Fewer paired sites than this give no workload ratio ('total' is used, and the report says so). */
export const MIN_WORKLOAD_SITES = 3;

export interface ScaleSide {
  total: number;
  /** Profile.duration_nanos; 0 when unset. */
  durationNanos: number;
}

export function resolveNormalize(
  requested: Normalize | 'auto',
  current: ScaleSide,
  base: ScaleSide,
  names = { current: 'the profile', base: 'the baseline' },
): Normalize {
  const both = current.durationNanos > 0 && base.durationNanos > 0;
  if (requested === 'auto') return both ? 'duration' : 'workload';
  if (requested === 'duration' && !both) {
    const missing = [current.durationNanos > 0 ? null : names.current, base.durationNanos > 0 ? null : names.base].filter(Boolean).join(' and ');
    throw new AdvisorError(
      'usage',
      `--normalize duration needs a duration in both profiles, but ${missing} records none (profiles fetched with ?seconds=N have one); use --normalize workload`,
    );
  }
  return requested;
}

/**
 * The weighted median of current/base over pairs with both values of one
 * sign, weighted by |base|. Null when fewer than MIN_WORKLOAD_SITES pairs
 * qualify.
 */
export function workloadRatio(pairs: readonly { base: number; current: number }[]): { factor: number; sites: number } | null {
  const ratios = pairs
    .filter((p) => p.base !== 0 && p.current !== 0 && Math.sign(p.base) === Math.sign(p.current))
    .map((p) => ({ r: p.current / p.base, w: Math.abs(p.base) }))
    .sort((a, b) => a.r - b.r);
  if (ratios.length < MIN_WORKLOAD_SITES) return null;
  const half = ratios.reduce((a, x) => a + x.w, 0) / 2;
  let cum = 0;
  for (let i = 0; i < ratios.length; i++) {
    cum += ratios[i].w;
    // Exactly half: the median lies between this ratio and the next.
    if (Math.abs(cum - half) <= half * 1e-12 && i + 1 < ratios.length) return { factor: (ratios[i].r + ratios[i + 1].r) / 2, sites: ratios.length };
    if (cum > half) return { factor: ratios[i].r, sites: ratios.length };
  }
  return { factor: ratios[ratios.length - 1].r, sites: ratios.length };
}

function fixed2(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 0.1 ? x.toFixed(2) : x.toPrecision(2);
}

/** The factor for a resolved method, and the sentence every format prints. */
export function normalization(
  method: Normalize,
  current: ScaleSide,
  base: ScaleSide,
  pairs: readonly { base: number; current: number }[],
): Normalization {
  switch (method) {
    case 'duration': {
      const factor = current.durationNanos / base.durationNanos;
      return { method, factor, sites: null, text: `values per second, duration ratio ${fixed2(factor)}` };
    }
    case 'workload': {
      const w = workloadRatio(pairs);
      if (w === null) {
        const t = normalization('total', current, base, pairs);
        const n = pairs.filter((p) => p.base !== 0 && p.current !== 0).length;
        return {
          ...t,
          text: `shares of each total: only ${n} site${n === 1 ? '' : 's'} matched on both sides, too few for a workload ratio (needs ${MIN_WORKLOAD_SITES})`,
        };
      }
      return { method, factor: w.factor, sites: w.sites, text: `workload ratio ${fixed2(w.factor)}, from ${w.sites} matched sites` };
    }
    case 'total': {
      const factor = base.total !== 0 ? current.total / base.total : 1;
      return { method, factor: factor || 1, sites: null, text: `shares of each total, total ratio ${fixed2(factor)}` };
    }
    case 'none':
      return { method, factor: 1, sites: null, text: 'raw values, not normalized' };
  }
}
