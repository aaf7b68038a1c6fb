// Which sites are hot, by the advice engine's own definition, so that a diff's
// "new-hot" and a report's hot findings can never disagree. The definition
// (score blending both sample types, one-off sites left out of the churn) lives
// in src/advise/priority.ts; this only feeds it Sites in the engine's order.
import { byScore, scoreSite, selectTiers } from '../advise/priority.js';
import type { Ranking, Site } from '../rank/model.js';

export interface HotContext {
  /** Total of the companion type (objects for a space index); 0 or absent when the profile has none. */
  companionTotal?: number;
  /** Unit of the chosen sample type (`bytes`, `count`); used to recognise one-off allocations. */
  unit?: string;
  /** Unit of the companion type; null or absent when the profile has none. */
  companionUnit?: string | null;
}

/**
 * The hot sites: the union of the two covers selectTiers takes, by the
 * chosen share and by the companion share (see selectTiers). With only `total`, the score is the share of the
 * chosen type; pass `ctx` (or use hotSitesOf) to blend in the companion type
 * exactly as buildReport does.
 */
export function hotSet(
  sites: readonly Site[],
  total: number,
  hotCover: number,
  minShare: number,
  ctx: HotContext = {},
): Set<Site> {
  const scoreCtx = { total, unit: ctx.unit ?? '', companionTotal: ctx.companionTotal ?? 0, companionUnit: ctx.companionUnit ?? null, minShare };
  const facts = sites.map((site) => ({ site, ...scoreSite(site, scoreCtx) }));
  // The same order as buildReport, so ties break identically.
  facts.sort(byScore);
  const tiers = selectTiers(facts, hotCover, minShare);
  const out = new Set<Site>();
  facts.forEach((f, i) => {
    if (tiers[i] === 'hot') out.add(f.site);
  });
  return out;
}

/** hotSet for a whole ranking, with its companion type and units. */
export function hotSitesOf(ranking: Ranking, hotCover: number, minShare: number): Set<Site> {
  const c = ranking.choice;
  const companionUnit = c.companionIndex !== null && c.companionType ? c.companionType.unit : null;
  return hotSet(ranking.sites, ranking.total, hotCover, minShare, {
    companionTotal: ranking.companionTotal,
    unit: c.sampleType.unit,
    companionUnit,
  });
}
