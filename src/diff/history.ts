// --history: today's hot sites across earlier profiles (one merged profile per
// week, oldest first). Each earlier profile is paired with today's as a
// baseline would be (src/diff/match.ts) and scaled to today's workload
// (normalize.ts), so a site's points read as "its share of today's total, had
// that week done today's work": a flat line is a site that has been hot for
// weeks, a line that starts this week is new, and a fix elsewhere does not
// make every other line jump.
import type { History, HistorySite } from '../model/report.js';
import { hotSitesOf } from './hot.js';
import type { DiffOptions, DiffSide } from './index.js';
import { matchSites } from './match.js';
import { normalization, resolveNormalize } from './normalize.js';
import { unitsOf } from './units.js';

/** Today's hot sites listed at most (the largest first). */
export const MAX_HISTORY_SITES = 20;

export function historyOf(current: DiffSide, periods: readonly DiffSide[], opts: DiffOptions): History {
  const { hotCover, minShare } = opts;
  const curUnits = unitsOf('current', current.ranking, hotSitesOf(current.ranking, hotCover, minShare), opts);
  const hotUnits = curUnits
    .filter((u) => u.hot && u.value > 0)
    .sort((a, b) => b.value - a.value || a.line - b.line)
    .slice(0, MAX_HISTORY_SITES);
  const total = current.ranking.total;
  const sites: HistorySite[] = hotUnits.map((u) => ({ function: u.function, file: u.file, line: u.line, history: [], hot: [], match: [] }));
  const scale = (side: DiffSide) => ({ total: side.ranking.total, durationNanos: side.durationNanos });
  const periodsOut: History['periods'] = [];

  for (const period of periods) {
    const name = period.sources.join(', ');
    // A week's source is not at hand: it is paired as a baseline without --base-src.
    const units = unitsOf('base', period.ranking, hotSitesOf(period.ranking, hotCover, minShare), { ...opts, statementOf: undefined });
    const matched = matchSites(units, curUnits);
    const method = resolveNormalize(opts.normalize, scale(current), scale(period), { current: 'the profile', base: `--history ${name}` });
    const norm = normalization(
      method,
      scale(current),
      scale(period),
      matched.pairs.map((p) => ({ base: p.base.value, current: p.current.value })),
    );
    periodsOut.push({ source: name, normalization: norm });
    const byCurrent = new Map(matched.pairs.map((p) => [p.current, p]));
    hotUnits.forEach((u, i) => {
      const p = byCurrent.get(u);
      sites[i].history.push(p && total !== 0 ? (p.base.value * norm.factor) / total : null);
      sites[i].hot.push(p?.base.hot ?? false);
      sites[i].match.push(p ? p.method : 'none');
    });
  }

  periodsOut.push({
    source: current.sources.join(', '),
    normalization: { method: 'none', factor: 1, sites: null, text: "today's profile" },
  });
  hotUnits.forEach((u, i) => {
    sites[i].history.push(total !== 0 ? u.value / total : null);
    sites[i].hot.push(true);
    sites[i].match.push('line');
  });
  return { periods: periodsOut, sites };
}
