// Which sites are worth a developer's time. GC cost follows both the bytes
// allocated (how soon the next cycle starts) and the number of objects (how
// much work marking and sweeping does), so a site's score blends the share of
// the chosen sample type with the share of its companion.

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

/**
 * Hot = the smallest prefix of sites, in score order, whose scores cover
 * `hotCover` of the churn, each site carrying at least `minShare` of either
 * sample type. One-off sites are not churn: they are left out of the prefix
 * and of the churn total the cover is measured against.
 * Returns the hot flag per site, in the input order (which must be by score, descending).
 */
export function selectHot(sites: ScoredSite[], hotCover: number, minShare: number): boolean[] {
  const hot = sites.map(() => false);
  let churn = 0;
  for (const s of sites) if (!s.oneOff) churn += s.score;
  if (churn <= 0) return hot;
  const target = hotCover * churn;
  let covered = 0;
  for (let i = 0; i < sites.length; i++) {
    const s = sites[i];
    if (covered >= target - 1e-12) break;
    if (s.oneOff) continue;
    if (Math.max(s.share, s.companionShare ?? 0) < minShare) continue;
    hot[i] = true;
    covered += s.score;
  }
  return hot;
}
