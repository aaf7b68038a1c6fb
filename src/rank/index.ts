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
import path from 'node:path';
import type { Location, Profile } from '../profile/model.js';
import type { AllocatedBy, Ranking, Row, Site } from './model.js';
import { chooseSampleIndex } from './sampleIndex.js';
import { userCodePredicate } from './userCode.js';

export { chooseSampleIndex, describeChoice, isHeapLike, normalizeTypeName } from './sampleIndex.js';
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
  /** Used in error messages. */
  name?: string;
  /**
   * Rank every line (pprof -top -lines). Off by default: the advice needs
   * line-level numbers only for the sites' own lines, and tracking cum for
   * every line roughly doubles the random memory traffic of the sample walk.
   */
  allLines?: boolean;
}

interface NodeTable {
  ids: Map<string, number>;
  names: string[];
  files: string[];
  lines: number[];
}

function newTable(): NodeTable {
  return { ids: new Map(), names: [], files: [], lines: [] };
}

function intern(t: NodeTable, key: string, name: string, file: string, line: number): number {
  let id = t.ids.get(key);
  if (id === undefined) {
    id = t.names.length;
    t.ids.set(key, id);
    t.names.push(name);
    t.files.push(file);
    t.lines.push(line);
  }
  return id;
}

// pprof's NodeInfo.PrintableName for a frame without a function name.
function namelessName(loc: Location): string {
  const file = loc.mapping?.filename;
  return file ? `[${path.posix.basename(file)}]` : '<unknown>';
}

function cleanPath(p: string): string {
  // pprof applies filepath.Clean to file names.
  return p ? path.posix.normalize(p).replace(/(.)\/$/, '$1') : p;
}

function locationMatches(loc: Location, re: RegExp): boolean {
  for (const ln of loc.lines) {
    if (re.test(ln.function.name) || (ln.function.filename && re.test(ln.function.filename))) return true;
  }
  return false;
}

export function rankProfile(profile: Profile, opts: RankOptions = {}): Ranking {
  const choice = chooseSampleIndex(profile, opts.sampleIndex, opts.name);
  const isUser = userCodePredicate({ module: opts.module });
  const vi = choice.index;
  const ci = choice.companionIndex;
  const { count, valueCount, values, stackOffsets, stackLocations } = profile.samples;
  const locs = profile.locations;

  // Per location, its frames' node ids, computed once rather than per sample,
  // in flat arrays: location li's frames are frameFn/frameLn[frameStart[li] ..
  // frameStart[li+1]), innermost first.
  const fnTable = newTable();
  const lineTable = newTable();
  const frameStart = new Uint32Array(locs.length + 1);
  let nFrames = 0;
  for (const loc of locs) nFrames += Math.max(1, loc.lines.length);
  const frameFn = new Int32Array(nFrames);
  const frameLn = new Int32Array(nFrames);
  const locUserFrame = new Int32Array(locs.length);
  const locKeep = new Int8Array(locs.length); // 1 keep, -1 ignored, 0 neutral
  // The site a sample is attributed to depends only on the location holding
  // its first user frame (or, with none, on the leaf location), so site ids
  // are per location: one for "user frame here", one for "leaf, no user code".
  const locUserSite = new Int32Array(locs.length).fill(-1);
  const locLeafSite = new Int32Array(locs.length).fill(-1);
  const siteIds = new Map<string, number>();
  const siteList0: Site[] = [];
  /** Each site's line node. */
  const siteLineNode: number[] = [];
  const siteIdOf = (loc: Location, j: number, userCode: boolean): number => {
    const key = siteKey(loc, j) + (userCode ? '' : '\0leaf');
    let id = siteIds.get(key);
    if (id === undefined) {
      id = siteList0.length;
      siteIds.set(key, id);
      siteList0.push(makeSite(loc, j, userCode));
      siteLineNode.push(frameLn[frameStart[loc.index] + Math.max(0, j)]);
    }
    return id;
  };
  // Names and cleaned paths are computed once per Function, not per frame.
  const fnNodeOfFunc = new Int32Array(profile.functions.length).fill(-1);
  const cleanFileOfFunc: string[] = new Array(profile.functions.length);
  let fi = 0;
  for (const loc of locs) {
    frameStart[loc.index] = fi;
    let user = -1;
    if (loc.lines.length === 0) {
      const name = namelessName(loc);
      frameFn[fi] = intern(fnTable, `\0${name}`, name, '', 0);
      frameLn[fi] = intern(lineTable, `\0${name}`, name, '', 0);
      fi++;
    } else {
      for (let j = 0; j < loc.lines.length; j++, fi++) {
        const ln = loc.lines[j];
        const fx = ln.function.index;
        const fname = ln.function.name || (ln.function.filename ? '' : namelessName(loc));
        let file: string;
        if (fx >= 0 && fnNodeOfFunc[fx] >= 0) {
          file = cleanFileOfFunc[fx];
          frameFn[fi] = fnNodeOfFunc[fx];
        } else {
          file = cleanPath(ln.function.filename);
          frameFn[fi] = intern(fnTable, fname || `\0${file}`, fname || file, '', 0);
          // A nameless function's node depends on its location's mapping.
          if (fx >= 0 && ln.function.name) {
            fnNodeOfFunc[fx] = frameFn[fi];
            cleanFileOfFunc[fx] = file;
          }
        }
        frameLn[fi] = intern(lineTable, `${fname}\0${file}\0${ln.line}`, fname, file, ln.line);
        if (user < 0 && ln.function.name && isUser(ln.function.name, ln.function.filename)) user = j;
      }
    }
    locUserFrame[loc.index] = user;
    if (user >= 0) locUserSite[loc.index] = siteIdOf(loc, user, true);
    if (opts.ignore && locationMatches(loc, opts.ignore)) locKeep[loc.index] = -1;
    else if (opts.focus && locationMatches(loc, opts.focus)) locKeep[loc.index] = 1;
  }
  frameStart[locs.length] = fi;

  const nFn = fnTable.names.length;
  const nLn = lineTable.names.length;
  const fnFlat = new Float64Array(2 * nFn);
  const fnCum = new Float64Array(3 * nFn);
  for (let f = 0; f < nFn; f++) fnCum[3 * f] = -1;
  const lnFlat = new Float64Array(2 * nLn);
  const lnCum = new Float64Array(3 * nLn);
  const locUse = new Uint8Array(locs.length);

  // Leaf lines are tracked too: a sample with no user frame is attributed
  // to its leaf, whose site is created after the walk.
  const leafLine = new Uint8Array(nLn);
  for (let s = 0; s < count; s++) {
    if (stackOffsets[s + 1] > stackOffsets[s]) leafLine[frameLn[frameStart[stackLocations[stackOffsets[s]]]]] = 1;
  }
  const nSites = siteList0.length;
  // Lines whose cum is not wanted look "already seen" in every sample.
  for (let l = 0; l < nLn; l++) lnCum[3 * l] = opts.allLines ? -1 : Infinity;
  if (!opts.allLines) {
    for (const l of siteLineNode) lnCum[3 * l] = -1;
    for (let l = 0; l < nLn; l++) if (leafLine[l]) lnCum[3 * l] = -1;
  }
  const acc: Accumulators = {
    fnFlat, fnCum, lnFlat, lnCum, locUse,
    siteFlat: new Float64Array(nSites),
    siteFlatC: new Float64Array(nSites),
    siteMax: new Float64Array(nSites),
    siteSamples: new Float64Array(nSites),
    siteBy: new Array(nSites),
    pending: [],
    total: 0,
    companionTotal: 0,
  };
  const nFnKey = nFn + 1;
  walkSamples(
    { count, valueCount, values, stackOffsets, stackLocations, vi, ci: ci ?? -1, frameStart, frameFn, frameLn, locKeep, locUserSite, locLeafSite, locUserFrame, nFnKey, filter: opts.focus ? 2 : opts.ignore ? 1 : 0 },
    acc,
  );
  const { total, companionTotal } = acc;
  let { siteFlat, siteFlatC, siteMax, siteSamples } = acc;
  // Samples without any user frame: their leaf sites, created now.
  if (acc.pending.length > 0) {
    for (const s of acc.pending) {
      const leafLoc = stackLocations[stackOffsets[s]];
      if (locLeafSite[leafLoc] < 0) locLeafSite[leafLoc] = siteIdOf(locs[leafLoc], 0, false);
    }
    const grow = (a: Float64Array) => {
      const b = new Float64Array(siteList0.length);
      b.set(a);
      return b;
    };
    siteFlat = grow(siteFlat);
    siteFlatC = grow(siteFlatC);
    siteMax = grow(siteMax);
    siteSamples = grow(siteSamples);
    for (const s of acc.pending) {
      const id = locLeafSite[stackLocations[stackOffsets[s]]];
      const v = values[s * valueCount + vi];
      const cv = ci === null ? 0 : values[s * valueCount + ci];
      siteFlat[id] += v;
      siteFlatC[id] += cv;
      siteSamples[id] += 1;
      if (Math.abs(v) > siteMax[id]) siteMax[id] = Math.abs(v);
    }
  }

  const allocatedByOf = (id: number): AllocatedBy[] => {
    const m = acc.siteBy[id];
    if (!m) return [];
    const out: AllocatedBy[] = [];
    for (const [key, value] of m) {
      const via = key % nFnKey;
      const leaf = (key - via) / nFnKey;
      const leafName = fnTable.names[leaf];
      const viaName = fnTable.names[via];
      out.push({ function: leafName, via: viaName === leafName ? null : viaName, value, share: 0 });
    }
    return out;
  };

  // pprof marks a node "(inline)" when every edge into it is an inlined call.
  // An edge into frame j of a location is inlined when j is not the location's
  // last (physical) frame; into the last frame it is a call, unless the
  // location only ever was a stack's root.
  const fnInlineIn = new Uint8Array(nFn);
  const fnCallIn = new Uint8Array(nFn);
  for (let li = 0; li < locs.length; li++) {
    if (!locUse[li]) continue;
    const last = frameStart[li + 1] - 1;
    for (let x = frameStart[li]; x < last; x++) fnInlineIn[frameFn[x]] = 1;
    if (locUse[li] & 2) fnCallIn[frameFn[last]] = 1;
  }

  const rows = (t: NodeTable, flat: Float64Array, cum: Float64Array, inl?: [Uint8Array, Uint8Array]): Row[] => {
    const out: Row[] = [];
    for (let i = 0; i < t.names.length; i++) {
      if (cum[3 * i] === Infinity) continue; // a line not tracked
      if (flat[2 * i] === 0 && cum[3 * i + 1] === 0) continue;
      out.push({
        name: t.names[i],
        file: t.files[i],
        line: t.lines[i],
        flat: flat[2 * i],
        cum: cum[3 * i + 1],
        flatCompanion: flat[2 * i + 1],
        cumCompanion: cum[3 * i + 2],
        inline: inl ? (inl[0][i] && inl[1][i] ? 'partial-inline' : inl[0][i] ? 'inline' : null) : null,
      });
    }
    out.sort(byFlatThenCum);
    return out;
  };

  const functions = rows(fnTable, fnFlat, fnCum, [fnInlineIn, fnCallIn]);
  const lines = rows(lineTable, lnFlat, lnCum);
  const siteList: Site[] = [];
  for (let id = 0; id < siteList0.length; id++) {
    const site = siteList0[id];
    site.flat = siteFlat[id];
    site.flatCompanion = siteFlatC[id];
    site.samples = siteSamples[id];
    site.maxSampleValue = siteMax[id];
    if (site.flat === 0 && site.flatCompanion === 0) continue;
    // Every site's line is tracked (its own, or its leaf's), so this is pprof's -lines cum.
    site.cum = lnCum[3 * siteLineNode[id] + 1];
    site.allocatedBy = allocatedByOf(id)
      .map((b) => ({ ...b, share: site.flat ? b.value / site.flat : 0 }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0));
    siteList.push(site);
  }
  siteList.sort(
    (a, b) =>
      Math.abs(b.flat) - Math.abs(a.flat) ||
      Math.abs(b.flatCompanion) - Math.abs(a.flatCompanion) ||
      (a.function < b.function ? -1 : a.function > b.function ? 1 : 0) ||
      a.line - b.line,
  );

  return { choice, total, companionTotal, functions, lines, sites: siteList };
}

interface WalkInput {
  count: number;
  valueCount: number;
  values: Float64Array;
  stackOffsets: Uint32Array;
  stackLocations: Uint32Array;
  vi: number;
  /** Companion value index, or -1. */
  ci: number;
  frameStart: Uint32Array;
  frameFn: Int32Array;
  frameLn: Int32Array;
  locKeep: Int8Array;
  locUserSite: Int32Array;
  locLeafSite: Int32Array;
  locUserFrame: Int32Array;
  nFnKey: number;
  /** 0 no filter, 1 ignore only, 2 focus (and maybe ignore). */
  filter: number;
}

// Value and companion are interleaved so one cache line serves a node; the
// walk is bound by memory latency, not arithmetic.
interface Accumulators {
  fnFlat: Float64Array;
  /** Per function node: [last sample seen, cum, companion cum], one record per cache line. */
  fnCum: Float64Array;
  lnFlat: Float64Array;
  /** Per line node, as fnCum; a line whose cum is not tracked starts "seen" at +Infinity. */
  lnCum: Float64Array;
  /** Bit 1: the location was a stack's root; bit 2: it was below the root (its physical frame has a caller). */
  locUse: Uint8Array;
  siteFlat: Float64Array;
  siteFlatC: Float64Array;
  siteMax: Float64Array;
  siteSamples: Float64Array;
  /** Per site: (leaf function node, via function node) -> value. */
  siteBy: (Map<number, number> | undefined)[];
  /** Samples with no user frame whose leaf has no site yet. */
  pending: number[];
  total: number;
  companionTotal: number;
}

// The hot loop, kept in its own small function over typed arrays only so that
// V8 optimizes it as a unit: on 600k samples it is most of the ranking time.
function walkSamples(w: WalkInput, a: Accumulators): void {
  const { count, valueCount, values, stackOffsets, stackLocations, vi, ci, frameStart, frameFn, frameLn, locKeep, locUserSite, locLeafSite, locUserFrame, nFnKey, filter } = w;
  const { fnFlat, fnCum, lnFlat, lnCum, locUse, siteFlat, siteFlatC, siteMax, siteSamples, siteBy, pending } = a;
  let total = 0;
  let companionTotal = 0;
  for (let s = 0; s < count; s++) {
    const v = values[s * valueCount + vi];
    const cv = ci < 0 ? 0 : values[s * valueCount + ci];
    total += v < 0 ? -v : v;
    companionTotal += cv < 0 ? -cv : cv;
    const start = stackOffsets[s];
    const end = stackOffsets[s + 1];
    if (filter !== 0) {
      let focused = filter !== 2;
      let ignored = false;
      for (let k = start; k < end; k++) {
        const m = locKeep[stackLocations[k]];
        if (m === -1) ignored = true;
        else if (m === 1) focused = true;
      }
      if (ignored || !focused) continue;
    }
    if (end === start) continue;

    for (let k = end - 1; k >= start; k--) {
      const li = stackLocations[k];
      const f0 = frameStart[li];
      for (let x = frameStart[li + 1] - 1; x >= f0; x--) {
        const f = 3 * frameFn[x];
        if (fnCum[f] !== s) {
          fnCum[f] = s;
          fnCum[f + 1] += v;
          fnCum[f + 2] += cv;
        }
        const l = 3 * frameLn[x];
        if (lnCum[l] !== s) {
          lnCum[l] = s;
          lnCum[l + 1] += v;
          lnCum[l + 2] += cv;
        }
      }
    }
    const leafLoc = stackLocations[start];
    const leafFrame = frameStart[leafLoc];
    const leafFn = frameFn[leafFrame];
    fnFlat[2 * leafFn] += v;
    fnFlat[2 * leafFn + 1] += cv;
    lnFlat[2 * frameLn[leafFrame]] += v;
    lnFlat[2 * frameLn[leafFrame] + 1] += cv;
    for (let k = start; k < end - 1; k++) locUse[stackLocations[k]] |= 2;
    locUse[stackLocations[end - 1]] |= 1;

    // The site: the first user frame from the leaf.
    let siteK = -1;
    for (let k = start; k < end; k++) {
      if (locUserSite[stackLocations[k]] >= 0) {
        siteK = k;
        break;
      }
    }
    const id = siteK < 0 ? locLeafSite[leafLoc] : locUserSite[stackLocations[siteK]];
    if (id < 0) {
      pending.push(s);
      continue;
    }
    siteFlat[id] += v;
    siteFlatC[id] += cv;
    siteSamples[id] += 1;
    const av = v < 0 ? -v : v;
    if (av > siteMax[id]) siteMax[id] = av;
    if (siteK >= 0) {
      const siteLi = stackLocations[siteK];
      const sj = locUserFrame[siteLi];
      if (siteK !== start || sj !== 0) {
        // The frame just below the site: the API the user's code called.
        const viaFrame = sj > 0 ? frameStart[siteLi] + sj - 1 : frameStart[stackLocations[siteK - 1] + 1] - 1;
        const key = leafFn * nFnKey + frameFn[viaFrame];
        let m = siteBy[id];
        if (m === undefined) siteBy[id] = m = new Map();
        m.set(key, (m.get(key) ?? 0) + v);
      }
    }
  }
  a.total = total;
  a.companionTotal = companionTotal;
}

function byFlatThenCum(a: Row, b: Row): number {
  return (
    Math.abs(b.flat) - Math.abs(a.flat) ||
    Math.abs(b.cum) - Math.abs(a.cum) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line
  );
}

function siteKey(loc: Location, j: number): string {
  const ln = loc.lines[j];
  if (!ln) return `\0${namelessName(loc)}`;
  const last = loc.lines[loc.lines.length - 1];
  const call = j < loc.lines.length - 1 ? `\0${last.function.name}\0${last.function.filename}\0${last.line}` : '';
  return `${ln.function.name}\0${ln.function.filename}\0${ln.line}${call}`;
}

function makeSite(loc: Location, j: number, userCode: boolean): Site {
  const ln = loc.lines[j];
  const last = loc.lines[loc.lines.length - 1];
  return {
    function: ln ? ln.function.name || namelessName(loc) : namelessName(loc),
    file: ln?.function.filename ?? '',
    line: ln?.line ?? 0,
    functionStartLine: ln?.function.startLine ?? 0,
    callSite:
      ln && j < loc.lines.length - 1
        ? { function: last.function.name, file: last.function.filename, line: last.line }
        : null,
    flat: 0,
    flatCompanion: 0,
    cum: 0,
    allocatedBy: [],
    userCode,
    samples: 0,
    maxSampleValue: 0,
  };
}
