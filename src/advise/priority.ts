// Which sites are worth a developer's time. GC cost follows both the bytes
// allocated (how soon the next cycle starts) and the number of objects (how
// much work marking and sweeping does), so a site's score blends the share of
// the chosen sample type with the share of its companion.
import type { Tier } from '../model/report.js';
import type { Site } from '../rank/model.js';

export interface ScoredSite {
  share: number;
  /** Companion share (objects for a space index, space for an objects index); null without a companion. */
  companionShare: number | null;
  score: number;
  oneOff: boolean;
}

/**
 * score = 0.5 * share + 0.5 * companionShare when the profile has the
 * companion type, else share. Both halves are fractions of their totals, so
 * the score is in 0..1 and the scores of all sites sum to at most 1.
 */
export function scoreOf(share: number, companionShare: number | null): number {
  if (companionShare === null) return share;
  return 0.5 * share + 0.5 * companionShare;
}

export interface OneOffInput {
  /** Value at the chosen index and its unit. */
  value: number;
  unit: string;
  companion: number | null;
  companionUnit: string | null;
  share: number;
  companionShare: number | null;
  samples: number;
  maxSampleValue: number;
  minShare: number;
}

/** At most this many objects make a "single huge allocation" rather than churn. */
export const ONE_OFF_MAX_OBJECTS = 16;
/** ...and each of them at least this big on average. */
export const ONE_OFF_MIN_OBJECT_BYTES = 256 * 1024;

/**
 * A single huge allocation (a big buffer made once at startup) can carry a
 * large share of alloc_space while costing the GC almost nothing per second:
 * it is not churn. We call a site one-off when it carries a real share and
 * either its object count is tiny with large objects, or, with no object
 * count, one or two samples hold nearly all of its value and that value is
 * large per sample (heap samples aggregate a stack, so one sample alone is
 * not evidence).
 */
export function isOneOff(s: OneOffInput): boolean {
  if (s.share < s.minShare) return false;
  const spaceIsChosen = s.unit === 'bytes';
  const bytes = spaceIsChosen ? s.value : s.companionUnit === 'bytes' ? s.companion : null;
  const objects = spaceIsChosen ? (s.companionUnit === 'count' ? s.companion : null) : s.unit === 'count' ? s.value : null;
  if (bytes !== null && objects !== null) {
    if (objects <= 0) return false;
    return objects <= ONE_OFF_MAX_OBJECTS && bytes / objects >= ONE_OFF_MIN_OBJECT_BYTES;
  }
  if (spaceIsChosen && s.samples <= 2 && s.maxSampleValue >= 0.9 * s.value) return s.value >= ONE_OFF_MIN_OBJECT_BYTES * 4;
  return false;
}

/** What scoring a site needs to know about its profile. */
export interface ScoreContext {
  /** Total of the chosen sample type. */
  total: number;
  /** Unit of the chosen sample type (`bytes`, `count`). */
  unit: string;
  /** Total of the companion type; unused without one. */
  companionTotal: number;
  /** Unit of the companion type; null when the profile has none. */
  companionUnit: string | null;
  minShare: number;
}

/** A site's shares, score and one-off verdict. */
export function scoreSite(site: Site, ctx: ScoreContext): ScoredSite {
  const hasCompanion = ctx.companionUnit !== null;
  const share = ctx.total > 0 ? site.flat / ctx.total : 0;
  const companionShare = hasCompanion && ctx.companionTotal > 0 ? site.flatCompanion / ctx.companionTotal : null;
  const oneOff = isOneOff({
    value: site.flat,
    unit: ctx.unit,
    companion: hasCompanion ? site.flatCompanion : null,
    companionUnit: ctx.companionUnit,
    share,
    companionShare,
    samples: site.samples,
    maxSampleValue: site.maxSampleValue,
    minShare: ctx.minShare,
  });
  return { share, companionShare, score: scoreOf(share, companionShare), oneOff };
}

/**
 * The order of the findings: by score, descending; ties by the bigger value,
 * then function name and line, so the output is stable. The report and the
 * baseline diff both sort with it, so their hot sets can never disagree.
 */
export function byScore(a: ScoredSite & { site: Site }, b: ScoredSite & { site: Site }): number {
  return (
    b.score - a.score ||
    b.site.flat - a.site.flat ||
    (a.site.function < b.site.function ? -1 : a.site.function > b.site.function ? 1 : 0) ||
    a.site.line - b.site.line
  );
}

/** How findings are ordered, in words; every format states it. */
export function orderText(sampleType: string, companionType: string | null): string {
  return companionType
    ? `by the mean of each site's ${sampleType} and ${companionType} shares (a site larger in both never ranks below one smaller in both)`
    : `by each site's share of ${sampleType}`;
}

/**
 * Tiers. GC cost follows both bytes and objects, so a site can be hot by
 * either: hot is the union of two Pareto covers, the largest sites by the
 * chosen share until they cover `hotCover` of it, and the largest by the
 * companion share until they cover `hotCover` of that, each site carrying at
 * least `minShare` of the dimension it is chosen by. One-off sites are not
 * churn: they are left out of both covers and of the totals the covers are
 * measured against. Warm is any other site carrying at least `minShare` of
 * either (one-offs included); cold is the rest, the only sites whose escapes
 * are "leave as is".
 * Returns the tier per site, in the input order.
 */
export function selectTiers(sites: ScoredSite[], hotCover: number, minShare: number): Tier[] {
  const tiers: Tier[] = sites.map((s) => (s.oneOff ? (Math.max(s.share, s.companionShare ?? 0) >= minShare ? 'warm' : 'cold') : 'cold'));
  const cover = (shareOf: (s: ScoredSite) => number | null): void => {
    let total = 0;
    for (const s of sites) if (!s.oneOff) total += Math.max(0, shareOf(s) ?? 0);
    if (total <= 0) return;
    const order = sites.map((_, i) => i).filter((i) => !sites[i].oneOff && (shareOf(sites[i]) ?? 0) > 0);
    order.sort((a, b) => (shareOf(sites[b]) ?? 0) - (shareOf(sites[a]) ?? 0) || a - b);
    let covered = 0;
    for (const i of order) {
      if (covered >= hotCover * total - 1e-12) break;
      const v = shareOf(sites[i]) ?? 0;
      if (v < minShare) break;
      tiers[i] = 'hot';
      covered += v;
    }
  };
  cover((s) => s.share);
  cover((s) => s.companionShare);
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i];
    if (tiers[i] === 'cold' && Math.max(s.share, s.companionShare ?? 0) >= minShare) tiers[i] = 'warm';
  }
  return tiers;
}
