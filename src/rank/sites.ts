// The site pass: for each sample, its user-code site (the first location,
// from the leaf, that holds a user frame) and what allocated below it.
//
// A pass of its own rather than part of the cum walk (walk.ts): it reads only
// the first entries of each stack (0.7 on average on the benchmark profile),
// and inside the walk's loop the same work cost a third of the walk. It runs
// on the calling thread while the workers walk (parallel.ts).
//
// Whether a location holds a user frame is known beforehand (index.ts); its
// site is made only when some sample's first user frame is in it: most
// locations are deeper in their stacks than that (on the benchmark profile,
// 28k sites from the 72k locations with user frames).
import { IntTupleIds } from './intmap.js';
import { FN_MASK, sampleKept, type WalkTables } from './walk.js';

/** Per-site accumulators, in Float64 slots of 4 per site. */
export const SITE_FLAT = 0;
export const SITE_FLAT_C = 1;
export const SITE_SAMPLES = 2;
export const SITE_MAX = 3;

/** locSite: a user location whose site is not made yet. */
export const SITE_UNKNOWN = -2;

export interface SiteTables {
  /** Per location: its user-code site id, -1 when it holds no user frame, or SITE_UNKNOWN (it does, but the site is not made yet). */
  locSite: Int32Array;
  /** Per location with a site: the function node of the frame just inside the site in the same location, or -1. */
  locVia: Int32Array;
  /** Sets locSite[li] for a SITE_UNKNOWN location the samples need (making its site when new). */
  resolve: (li: number) => void;
  /** Most sites `resolve` can make. */
  maxSites: number;
}

/**
 * Per site, the value and companion value by (leaf function node, via function node). Pairs get
 * ids in the order first seen, which is sample order: the pass is one loop
 * over the samples (a Map per site costs more than the rest of a sample).
 */
export class AllocatedBy {
  ids: IntTupleIds;
  value: Float64Array;
  companion: Float64Array;

  /** `capacity`: the pairs expected (the tables grow past it). */
  constructor(capacity: number) {
    this.ids = new IntTupleIds(capacity);
    this.value = new Float64Array(Math.max(16, capacity));
    this.companion = new Float64Array(this.value.length);
  }

  add(site: number, leaf: number, via: number, v: number, cv: number): void {
    const id = this.ids.intern(site, leaf, via, 0);
    if (id === this.value.length) {
      const value = new Float64Array(2 * id);
      value.set(this.value);
      this.value = value;
      const companion = new Float64Array(2 * id);
      companion.set(this.companion);
      this.companion = companion;
    }
    this.value[id] += v;
    this.companion[id] += cv;
  }
}

export interface SiteAcc {
  /** Per site: SITE_* slots. */
  siteAcc: Float64Array;
  allocatedBy: AllocatedBy;
  /** Samples with no user frame, in order (their leaf's site is made afterwards). */
  pending: number[];
}

/**
 * Finds every sample's site (with the walk's filter) and sums per site
 * (siteAcc has room for maxSites). Three plain loops rather than one that
 * makes sites as it goes: each is small enough for V8 to optimize in a few
 * milliseconds, where one loop calling out to make sites took 50 ms to
 * compile and ran unoptimized meanwhile; and the sites are made in location
 * order, not in the random order samples reach them.
 */
export function siteWalk(t: WalkTables, st: SiteTables): SiteAcc {
  const { count, valueCount, values, stackOffsets, stackLocations, vi, ci, locInfo, locLn, multi, locKeep, filter } = t;
  const { locSite, locVia, resolve } = st;
  // 1. Each kept sample's site entry: the first from the leaf whose location
  // holds a user frame; NO_SITE without one, SKIPPED when empty or filtered.
  const siteAt = new Int32Array(count);
  const needed = new Uint8Array(locSite.length);
  for (let s = 0; s < count; s++) {
    const start = stackOffsets[s];
    const end = stackOffsets[s + 1];
    if (end === start || (filter !== 0 && !sampleKept(locKeep, stackLocations, start, end, filter))) {
      siteAt[s] = SKIPPED;
      continue;
    }
    let k = start;
    while (k < end && locSite[stackLocations[k]] === -1) k++;
    if (k === end) siteAt[s] = NO_SITE;
    else {
      siteAt[s] = k;
      needed[stackLocations[k]] = 1;
    }
  }
  // 2. The sites those locations hold.
  for (let li = 0; li < needed.length; li++) if (needed[li] === 1 && locSite[li] === SITE_UNKNOWN) resolve(li);
  // 3. The sums.
  const siteAcc = new Float64Array(4 * st.maxSites);
  // Pairs are a small fraction of the samples (10k for 600k on the benchmark profile).
  const allocatedBy = new AllocatedBy(Math.min(1 << 16, Math.max(1024, count >>> 4)));
  const pending: number[] = [];
  for (let s = 0; s < count; s++) {
    const siteK = siteAt[s];
    if (siteK < 0) {
      if (siteK === NO_SITE) pending.push(s);
      continue;
    }
    const v = values[s * valueCount + vi];
    const cv = ci < 0 ? 0 : values[s * valueCount + ci];
    const siteLi = stackLocations[siteK];
    const site = locSite[siteLi];
    addToSite(siteAcc, site, v, cv);
    let via = locVia[siteLi];
    const start = stackOffsets[s];
    if (via >= 0 || siteK !== start) {
      // The frame just below the site: the API the user's code called. When
      // the site is a location's first frame, it is the physical frame of the
      // location below.
      if (via < 0) {
        const below = stackLocations[siteK - 1];
        via = locInfo[below] >= 0 ? locInfo[below] & FN_MASK : locLn[below];
      }
      const leaf = locInfo[stackLocations[start]];
      allocatedBy.add(site, leaf >= 0 ? leaf & FN_MASK : multi[-leaf], via, v, cv);
    }
  }
  return { siteAcc, allocatedBy, pending };
}

/** Adds a sample of value v and companion cv to a site's SITE_* slots. */
export function addToSite(siteAcc: Float64Array, site: number, v: number, cv: number): void {
  const id = 4 * site;
  siteAcc[id + SITE_FLAT] += v;
  siteAcc[id + SITE_FLAT_C] += cv;
  siteAcc[id + SITE_SAMPLES] += 1;
  const av = v < 0 ? -v : v;
  if (av > siteAcc[id + SITE_MAX]) siteAcc[id + SITE_MAX] = av;
}

/** siteAt: a sample with no user frame (its leaf's site is made afterwards). */
const NO_SITE = -1;
/** siteAt: an empty or filtered-out sample. */
const SKIPPED = -2;
