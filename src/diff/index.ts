// Compares a profile with a baseline, site by site: what became hot, what grew,
// what shrank, what is gone. Pure: source text and path mapping come in
// through callbacks, as in the advice engine.
//
// Values are compared after normalization (see normalize.ts): 'auto' picks
// 'duration' when both sides have one, else 'workload', the ratio estimated
// from the sites that did not change.
import { AdvisorError } from '../errors.js';
import type { DiffEntry, DiffMatch, Report } from '../model/report.js';
import type { Ranking, Site } from '../rank/model.js';
import { hotSitesOf } from './hot.js';
import { matchSites, type MatchMethod } from './match.js';
import { unitsOf, type Unit } from './units.js';
import { normalization, resolveNormalize, type Normalize } from './normalize.js';

export { hotSet, hotSitesOf, type HotContext } from './hot.js';
export { matchSites, type MatchMethod, type MatchResult, type MatchUnit } from './match.js';
export { normalizeStatement, statementAt } from './statement.js';
export { evaluateGates, parseFailOn, parseFailOnList, requiresBase, FAIL_ON_SPECS, type Condition, type GateResult } from './gate.js';
export { filterByChanged, filterEntriesByChanged } from './changed.js';
export { MIN_WORKLOAD_SITES, normalization, resolveNormalize, workloadRatio, type Normalize } from './normalize.js';
export type DiffSideName = 'base' | 'current';

export interface DiffSide {
  ranking: Ranking;
  /** Profile.duration_nanos; 0 when unset. */
  durationNanos: number;
  /** The profile sources as given on the command line. */
  sources: string[];
}

export interface DiffOptions {
  /** 'auto' resolves to 'duration' when both sides have durationNanos > 0, else 'workload'. */
  normalize: Normalize | 'auto';
  /** 'ratio' (default) ranks by the relative move; 'subtract' by the change in normalized value, as pprof -diff_base. */
  mode?: 'ratio' | 'subtract';
  /** Where the baseline's statements come from, for the report; null: nowhere (pairing by function and line only). */
  pairing?: { source: 'base-src' | 'base-rev'; detail: string } | null;
  /** As in the advice engine: hot sites cover this fraction of the churn... */
  hotCover: number;
  /** ...each with at least this share. Also the floor below which a site is noise. */
  minShare: number;
  /** Relative change of the normalized value beyond which a site regressed or improved (default 0.10). */
  threshold?: number;
  /**
   * A profile file name -> its path relative to --src (forward slashes), or
   * null outside it. Matching uses it so that two builds from different
   * checkout directories name the same file alike; entries report it. Default:
   * the profile's own name for both.
   */
  fileOf?: (side: DiffSideName, profileFile: string) => string | null;
  /**
   * The normalized statement text at a site (see statementAt), or null when
   * that side's source is unavailable. The base source usually is: the
   * checkout holds the current code. Without it, matching falls back to
   * offsets within the function (see match.ts).
   */
  statementOf?: (side: DiffSideName, site: Site) => string | null;
}

export const DEFAULT_THRESHOLD = 0.1;

/** Exactly Report['diff'], so the CLI can assign it as is. */
export type DiffResult = NonNullable<Report['diff']>;

export function diffRankings(current: DiffSide, base: DiffSide, opts: DiffOptions): DiffResult {
  return diffRankingsDetailed(current, base, opts).diff;
}

/** diffRankings, plus the method that matched each entry (null: present on one side only), in entry order. */
export function diffRankingsDetailed(
  current: DiffSide,
  base: DiffSide,
  opts: DiffOptions,
): { diff: DiffResult; methods: (MatchMethod | null)[] } {
  const curType = current.ranking.choice.sampleType.type;
  const baseType = base.ranking.choice.sampleType.type;
  if (curType !== baseType) {
    throw new AdvisorError(
      'usage',
      `cannot compare ${curType} with the baseline's ${baseType}: pass --sample-index so both sides use the same sample type`,
    );
  }
  const method = resolveNormalize(opts.normalize, scaleOf(current), scaleOf(base));
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  if (!(threshold >= 0 && Number.isFinite(threshold))) throw new AdvisorError('usage', `the regression threshold must be a fraction >= 0, got ${threshold}`);
  const { minShare, hotCover } = opts;
  const mode = opts.mode ?? 'ratio';

  const baseUnits = unitsOf('base', base.ranking, hotSitesOf(base.ranking, hotCover, minShare), opts);
  const curUnits = unitsOf('current', current.ranking, hotSitesOf(current.ranking, hotCover, minShare), opts);
  const matched = matchSites(baseUnits, curUnits);
  const norm = normalization(
    method,
    scaleOf(current),
    scaleOf(base),
    matched.pairs.map((p) => ({ base: p.base.value, current: p.current.value })),
  );
  const hasCompanion = current.ranking.choice.companionIndex !== null && base.ranking.choice.companionIndex !== null;

  const share = (side: DiffSide, value: number): number => (side.ranking.total > 0 ? value / side.ranking.total : 0);
  // How much a site's move matters: its change in normalized value, as a
  // fraction of the baseline's total. By share that is exactly the change in
  // share points; otherwise it is measured against the baseline, so a site
  // that doubled is not hidden by a new one that grew more.
  const baseScale = Math.abs(base.ranking.total);
  const rows: { entry: DiffEntry; method: MatchMethod | null; importance: number }[] = [];
  const add = (b: Unit | null, c: Unit | null, how: MatchMethod | null): void => {
    const baseValue = b?.value ?? 0;
    const value = c?.value ?? 0;
    const baseShare = share(base, baseValue);
    const curShare = share(current, value);
    const nb = baseValue;
    const nc = value / norm.factor;
    // Snap float dust to 0: the site the workload median came from is unchanged, not "+1e-14%".
    const relativeChange = nb === 0 ? null : snap((nc - nb) / Math.abs(nb));
    const shareDelta = curShare - baseShare;
    const status = classify({
      present: c !== null && value !== 0,
      hot: c?.hot ?? false,
      basePresent: b !== null && baseValue !== 0,
      baseHot: b?.hot ?? false,
      share: curShare,
      baseShare,
      shareDelta,
      relativeChange,
      minShare,
      threshold,
      shareMustMove: norm.method === 'duration',
    });
    // A site that is noise on both sides and did not change class is left out:
    // a real profile has hundreds of them and they would bury the few that matter.
    if (status === 'unchanged' && Math.max(Math.abs(curShare), Math.abs(baseShare)) < minShare) return;
    const at = c ?? (b as Unit);
    const delta = nc - nb;
    rows.push({
      entry: {
        function: at.function,
        file: at.file,
        line: at.line,
        base: b ? { file: b.file, line: b.line } : null,
        match: (how ?? 'none') as DiffMatch,
        status,
        baseValue,
        value,
        baseShare,
        share: curShare,
        shareDelta,
        relativeChange,
        delta,
        companionDelta: hasCompanion ? (c?.companion ?? 0) / norm.factor - (b?.companion ?? 0) : null,
      },
      method: how,
      importance: mode === 'subtract' ? Math.abs(delta) : baseScale > 0 ? Math.abs(delta) / baseScale : Math.abs(shareDelta),
    });
  };
  for (const p of matched.pairs) add(p.base, p.current, p.method);
  for (const b of matched.baseOnly) add(b, null, null);
  for (const c of matched.currentOnly) add(null, c, null);

  rows.sort(mode === 'subtract' ? compareSubtract : compareRows);
  const pairing = opts.pairing
    ? { source: opts.pairing.source, detail: opts.pairing.detail, note: null }
    : {
        source: null,
        detail: null,
        note: "pairing is by function and line only (no --base-src or --base-rev gave the baseline's source): where code moved inside a function, a pair may be wrong",
      };
  return {
    diff: { base: [...base.sources], normalize: norm.method, normalization: norm, mode, pairing, entries: rows.map((r) => r.entry) },
    methods: rows.map((r) => r.method),
  };
}

function snap(x: number): number {
  return Math.abs(x) < 1e-9 ? 0 : x;
}

function scaleOf(side: DiffSide): { total: number; durationNanos: number } {
  return { total: side.ranking.total, durationNanos: side.durationNanos };
}

/** --diff subtract: the largest change in normalized value first, as pprof -diff_base orders by |flat|. */
function compareSubtract(x: { entry: DiffEntry; importance: number }, y: { entry: DiffEntry; importance: number }): number {
  return y.importance - x.importance || compareRows(x, y);
}

const STATUS_ORDER: Record<DiffEntry['status'], number> = { 'new-hot': 0, regression: 1, fixed: 2, improvement: 3, unchanged: 4 };

/** Changes before unchanged sites; then the largest move, the more alarming status, and by place. */
function compareRows(x: { entry: DiffEntry; importance: number }, y: { entry: DiffEntry; importance: number }): number {
  const a = x.entry;
  const b = y.entry;
  return (
    Number(a.status === 'unchanged') - Number(b.status === 'unchanged') ||
    y.importance - x.importance ||
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    Math.abs(b.share) - Math.abs(a.share) ||
    (a.function < b.function ? -1 : a.function > b.function ? 1 : 0) ||
    a.line - b.line
  );
}

export interface ClassifyInput {
  present: boolean;
  hot: boolean;
  basePresent: boolean;
  baseHot: boolean;
  share: number;
  baseShare: number;
  shareDelta: number;
  /** Of the normalized value; null when the base is 0. */
  relativeChange: number | null;
  minShare: number;
  threshold: number;
  /** True when normalizing by duration: growth that is only traffic moves no share. */
  shareMustMove: boolean;
}

/**
 * - new-hot:     hot now, and absent in the base, or cold there and grown
 *                beyond the threshold: a site whose normalized value held
 *                still and crossed the hot line only because others shrank
 *                (a fix elsewhere) is not new.
 * - fixed:       gone now, and hot or at least minShare in the base.
 * - regression:  the normalized value grew by more than the threshold, or
 *                appeared from nothing. Per second ('duration'), the share
 *                must grow too: a week with 30% more traffic makes every site
 *                30% bigger per second, and none of them regressed. By share
 *                ('total') that holds by construction; with raw values
 *                ('none') the workloads are the same by assumption, so growth
 *                is growth even when something else grew more.
 * - improvement: the mirror image: shrank by more than the threshold (and,
 *                per second, in share too).
 * Regression and improvement also need the site to matter on one side
 * (share >= minShare): a site going from 0.01% to 0.03% tripled, and is noise.
 */
export function classify(x: ClassifyInput): DiffEntry['status'] {
  const grewPastThreshold = x.relativeChange === null || x.relativeChange > x.threshold;
  if (x.present && x.hot && (!x.basePresent || (!x.baseHot && grewPastThreshold))) return 'new-hot';
  if (!x.present && x.basePresent && (x.baseHot || Math.abs(x.baseShare) >= x.minShare)) return 'fixed';
  const matters = Math.max(Math.abs(x.share), Math.abs(x.baseShare)) >= x.minShare;
  if (!matters) return 'unchanged';
  const grew = x.relativeChange === null ? x.present && !x.basePresent : x.relativeChange > x.threshold;
  if (grew && (!x.shareMustMove || x.shareDelta > 0)) return 'regression';
  if (x.relativeChange !== null && x.relativeChange < -x.threshold && (!x.shareMustMove || x.shareDelta < 0)) return 'improvement';
  return 'unchanged';
}
