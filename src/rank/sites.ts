// The site pass: for each sample, its user-code site (the first location,
// from the leaf, that holds a user frame) and what allocated below it.
//
// A pass of its own rather than part of the cum walk (walk.ts): it reads only
// the first entries of each stack (0.7 on average on the benchmark profile),
// and inside the walk's loop the same work cost a third of the walk. It runs
// on the calling thread while the workers walk (parallel.ts).
//
// Whether a location holds a user frame, and its site, are worked out only
// for the locations the pass reaches: most locations are deeper in their
// stacks than any sample's first user frame (on the benchmark profile, 28k
// sites from 72k locations).
import { IntTupleIds } from './intmap.js';
import { FN_MASK, sampleKept, type WalkTables } from './walk.js';

/** Per-site accumulators, in Float64 slots of 4 per site. */
export const SITE_FLAT = 0;
export const SITE_FLAT_C = 1;
export const SITE_SAMPLES = 2;
export const SITE_MAX = 3;

/** locSite: not yet worked out. */
export const SITE_UNKNOWN = -2;

export interface SiteTables {
  /** Per location: its user-code site id, -1 when it holds no user frame, or SITE_UNKNOWN. */
  locSite: Int32Array;
  /** Per location with a site: the function node of the frame just inside the site in the same location, or -1. */
  locVia: Int32Array;
  /** Works out location li's locSite and locVia (making its site when new), and returns its locSite. */
  resolve: (li: number) => number;
  /** Most sites `resolve` can make. */
  maxSites: number;
}

/**
 * Per site, the value by (leaf function node, via function node). Pairs get
 * ids in the order first seen, which is sample order: the pass is one loop
 * over the samples (a Map per site costs more than the rest of a sample).
 */
export class AllocatedBy {
  ids: IntTupleIds;
  value: Float64Array;

  /** `capacity`: the pairs expected (the tables grow past it). */
  constructor(capacity: number) {
    this.ids = new IntTupleIds(capacity);
    this.value = new Float64Array(Math.max(16, capacity));
  }

  add(site: number, leaf: number, via: number, v: number): void {
    const id = this.ids.intern(site, leaf, via, 0);
    if (id === this.value.length) {
      const value = new Float64Array(2 * id);
      value.set(this.value);
      this.value = value;
    }
    this.value[id] += v;
  }
}

export interface SiteAcc {
  /** Per site: SITE_* slots. */
  siteAcc: Float64Array;
  allocatedBy: AllocatedBy;
  /** Samples with no user frame, in order (their leaf's site is made afterwards). */
  pending: number[];
}

/** Finds every sample's site (with the walk's filter) and sums per site (siteAcc has room for maxSites). */
export function siteWalk(t: WalkTables, st: SiteTables): SiteAcc {
  const { count, valueCount, values, stackOffsets, stackLocations, vi, ci, locInfo, locLn, multi, locKeep, filter } = t;
  const { locSite, locVia, resolve } = st;
  const siteAcc = new Float64Array(4 * st.maxSites);
  // Pairs are a small fraction of the samples (10k for 600k on the benchmark profile).
  const allocatedBy = new AllocatedBy(Math.min(1 << 16, Math.max(1024, count >>> 4)));
  const pending: number[] = [];
  for (let s = 0; s < count; s++) {
    const start = stackOffsets[s];
    const end = stackOffsets[s + 1];
    if (end === start) continue;
    if (filter !== 0 && !sampleKept(locKeep, stackLocations, start, end, filter)) continue;
    let siteK = start;
    let site = -1;
    for (; siteK < end; siteK++) {
      const li = stackLocations[siteK];
      site = locSite[li];
      if (site === SITE_UNKNOWN) site = resolve(li);
      if (site >= 0) break;
    }
    if (site < 0) {
      pending.push(s);
      continue;
    }
    const v = values[s * valueCount + vi];
    const cv = ci < 0 ? 0 : values[s * valueCount + ci];
    const id = 4 * site;
    siteAcc[id + SITE_FLAT] += v;
    siteAcc[id + SITE_FLAT_C] += cv;
    siteAcc[id + SITE_SAMPLES] += 1;
    const av = v < 0 ? -v : v;
    if (av > siteAcc[id + SITE_MAX]) siteAcc[id + SITE_MAX] = av;
    const siteLi = stackLocations[siteK];
    let via = locVia[siteLi];
    if (via >= 0 || siteK !== start) {
      // The frame just below the site: the API the user's code called. When
      // the site is a location's first frame, it is the physical frame of the
      // location below.
      if (via < 0) {
        const below = stackLocations[siteK - 1];
        via = locInfo[below] >= 0 ? locInfo[below] & FN_MASK : locLn[below];
      }
      const leaf = locInfo[stackLocations[start]];
      allocatedBy.add(site, leaf >= 0 ? leaf & FN_MASK : multi[-leaf], via, v);
    }
  }
  return { siteAcc, allocatedBy, pending };
}
