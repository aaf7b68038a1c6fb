// Flat and cum by function and by line, exactly as `go tool pprof -top` (and
// `-top -lines`) counts them, plus user-code allocation sites.
//
// pprof's rules (internal/graph/graph.go newGraph), which this follows:
// - Each Line of a location is a frame; line[0] is the innermost callee and
//   the last Line is the physical function the others were inlined into.
// - flat goes to the leaf frame: line[0] of location[0].
// - cum goes to every node on the stack, once per sample even under recursion.
// - Nodes are keyed by function name (functions) or name+file+line (lines);
//   a frame with no function is named by its mapping file, or <unknown>.
// - The total is the sum of absolute values, so percentages of delta
//   profiles with negative values match pprof's.
//
// The stages, each in a module of its own:
// 1. frames.ts: every location's frames as function and line node ids
//    (nodes.ts numbers the nodes), and the walk's per-location tables;
//    filter.ts: which locations --focus/--ignore keep or drop.
// 2. walk.ts: the sample walk, summing per location (on worker threads for
//    large profiles: parallel.ts). Meanwhile, on this thread, the site pass
//    (sites.ts) attributes each sample to its site (siteIds.ts) and
//    siteRows.ts makes the site rows.
// 3. rows.ts: the location sums go to their nodes, then pprof's rows.
import type { Profile } from '../profile/model.js';
import type { Ranking, Row, SampleIndexChoice } from './model.js';
import { chooseSampleIndex } from './sampleIndex.js';
import { userCodePredicate } from './userCode.js';
import { WalkPool, type ParallelOptions } from './parallel.js';
import { newWalkAcc, walkRange, type WalkTables } from './walk.js';
import { siteWalk } from './sites.js';
import { buildFrames, walkLocations } from './frames.js';
import { filterMode, keepFlags } from './filter.js';
import { SiteIds, userFrames } from './siteIds.js';
import { siteRows, type SiteRows } from './siteRows.js';
import { inlineMarks, nodeSums, rows } from './rows.js';

export { chooseSampleIndex, isHeapLike, normalizeTypeName, SAMPLE_INDEX_REASONS } from './sampleIndex.js';
export { userCodePredicate, packagePathOf } from './userCode.js';

export interface RankOptions {
  /** --sample-index: a name (alloc_space, alloc-space) or a number. */
  sampleIndex?: string;
  /** Module path whose functions are the user's code. */
  module?: string | null;
  /** --focus: keep samples with a frame whose function name or file matches. */
  focus?: RegExp | null;
  /** --ignore: drop samples with a frame whose function name or file matches. */
  ignore?: RegExp | null;
  /**
   * Files a person can edit. A frame in a file this rejects (a generated file:
   * `// Code generated … DO NOT EDIT.`) is not user code, so its samples go to
   * the first editable frame up the stack, with the generated frame as `via`.
   */
  editable?: (file: string) => boolean;
  /** Used in error messages. */
  name?: string;
  /** The sample walk on several threads for large profiles (parallel.ts); the defaults suit the CLI. */
  parallel?: ParallelOptions;
}

export function rankProfile(profile: Profile, opts: RankOptions = {}): Ranking {
  const choice = chooseSampleIndex(profile, opts.sampleIndex, opts.name);
  // Workers boot while the tables below are built.
  const pool = WalkPool.start(profile.samples, opts.parallel);
  try {
    return rank(profile, opts, choice, pool);
  } finally {
    pool?.close();
  }
}

function rank(profile: Profile, opts: RankOptions, choice: SampleIndexChoice, pool: WalkPool | null): Ranking {
  const { nodes, frames } = buildFrames(profile);
  const nFn = nodes.fns.names.length;
  const nLn = nodes.lines.names.length;
  const { count, valueCount, values, stackOffsets, stackLocations } = profile.samples;
  const { locInfo, locLn, innerFn, multi } = walkLocations(frames, nFn);
  // Only these fields: the workers are sent every field but the samples'.
  const tables: WalkTables = {
    count,
    valueCount,
    values,
    stackOffsets,
    stackLocations,
    vi: choice.index,
    ci: choice.companionIndex ?? -1,
    locInfo,
    locLn,
    innerFn,
    multi,
    nFn,
    nLn,
    locKeep: keepFlags(profile, opts.focus, opts.ignore),
    filter: filterMode(opts.focus, opts.ignore),
  };
  const acc = newWalkAcc(tables);

  // A location's site is its first user frame, from the innermost. Which
  // frame that is, is worked out for every location while the workers walk;
  // the site itself only when the site pass first reaches the location.
  const findSites = (): SiteRows => {
    const ids = new SiteIds(profile, nodes, frames);
    const { locUser, locSite, locVia } = userFrames(profile, frames, userCodePredicate({ module: opts.module, editable: opts.editable }));
    const resolve = (li: number): void => {
      locSite[li] = ids.idOf(li, locUser[li], true);
    };
    const found = siteWalk(tables, { locSite, locVia, resolve, maxSites: profile.locations.length });
    return siteRows(found, profile, ids, nodes.fns.names, choice.index, choice.companionIndex);
  };
  let sites: SiteRows;
  if (pool) sites = pool.run(tables, acc, findSites);
  else {
    sites = findSites();
    walkRange(tables, acc, 0, count);
  }

  const sums = nodeSums(frames, acc, nFn, nLn);
  const functions = rows(nodes.fns, sums.fnFlat, sums.fnCum, inlineMarks(frames, acc.locUse, nFn));
  // Every site's line is tracked (its own, or its leaf's), so this is pprof's -lines cum.
  for (let x = 0; x < sites.list.length; x++) sites.list[x].cum = sums.lnCum[2 * sites.lineNode[x]];

  // Line rows (pprof -top -lines) are built when first asked for: the
  // report does not use them, and on a large profile they are most of the
  // rows (80,000 against 26,000 functions).
  let lines: Row[] | null = null;
  return {
    choice,
    total: acc.totals[0],
    companionTotal: acc.totals[1],
    functions,
    get lines(): Row[] {
      return (lines ??= rows(nodes.lines, sums.lnFlat, sums.lnCum));
    },
    sites: sites.list,
  };
}
