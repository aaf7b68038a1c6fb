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

  // Per location, the frames' node ids, computed once rather than per sample.
  const fnTable = newTable();
  const lineTable = newTable();
  const locFnNodes: Int32Array[] = new Array(locs.length);
  const locLineNodes: Int32Array[] = new Array(locs.length);
  const locUserFrame = new Int32Array(locs.length);
  const locKeep = new Int8Array(locs.length); // 1 keep, -1 ignored, 0 neutral
  for (const loc of locs) {
    const n = Math.max(1, loc.lines.length);
    const fnIds = new Int32Array(n);
    const lnIds = new Int32Array(n);
    let user = -1;
    if (loc.lines.length === 0) {
      const name = namelessName(loc);
      fnIds[0] = intern(fnTable, `\0${name}`, name, '', 0);
      lnIds[0] = intern(lineTable, `\0${name}`, name, '', 0);
    } else {
      for (let j = 0; j < loc.lines.length; j++) {
        const ln = loc.lines[j];
        const fname = ln.function.name || (ln.function.filename ? '' : namelessName(loc));
        const file = cleanPath(ln.function.filename);
        fnIds[j] = intern(fnTable, fname || `\0${file}`, fname || file, '', 0);
        lnIds[j] = intern(lineTable, `${fname}\0${file}\0${ln.line}`, fname, file, ln.line);
        if (user < 0 && ln.function.name && isUser(ln.function.name, ln.function.filename)) user = j;
      }
    }
    locFnNodes[loc.index] = fnIds;
    locLineNodes[loc.index] = lnIds;
    locUserFrame[loc.index] = user;
    if (opts.ignore && locationMatches(loc, opts.ignore)) locKeep[loc.index] = -1;
    else if (opts.focus && locationMatches(loc, opts.focus)) locKeep[loc.index] = 1;
  }

  const nFn = fnTable.names.length;
  const nLn = lineTable.names.length;
  const fnFlat = new Float64Array(nFn);
  const fnCum = new Float64Array(nFn);
  const fnFlatC = new Float64Array(nFn);
  const fnCumC = new Float64Array(nFn);
  const lnFlat = new Float64Array(nLn);
  const lnCum = new Float64Array(nLn);
  const lnFlatC = new Float64Array(nLn);
  const lnCumC = new Float64Array(nLn);
  const fnSeen = new Int32Array(nFn).fill(-1);
  const lnSeen = new Int32Array(nLn).fill(-1);
  // pprof marks a node "(inline)" when every edge into it is an inlined call.
  const fnInlineIn = new Uint8Array(nFn);
  const fnCallIn = new Uint8Array(nFn);

  interface SiteAcc {
    site: Site;
    by: Map<string, AllocatedBy & { via: string | null }>;
  }
  const sites = new Map<string, SiteAcc>();

  let total = 0;
  let companionTotal = 0;
  const needFilter = !!(opts.focus || opts.ignore);

  for (let s = 0; s < count; s++) {
    const v = values[s * valueCount + vi];
    const cv = ci === null ? 0 : values[s * valueCount + ci];
    total += Math.abs(v);
    companionTotal += Math.abs(cv);
    const start = stackOffsets[s];
    const end = stackOffsets[s + 1];
    if (needFilter) {
      let focused = !opts.focus;
      let ignored = false;
      for (let k = start; k < end; k++) {
        const m = locKeep[stackLocations[k]];
        if (m === -1) ignored = true;
        else if (m === 1) focused = true;
      }
      if (ignored || !focused) continue;
    }
    if (end === start) continue;

    // Walk root to leaf like pprof, so "parent" is the caller.
    let parentWasInline = false;
    let hasParent = false;
    for (let k = end - 1; k >= start; k--) {
      const li = stackLocations[k];
      const fnIds = locFnNodes[li];
      const lnIds = locLineNodes[li];
      for (let j = fnIds.length - 1; j >= 0; j--) {
        const f = fnIds[j];
        if (fnSeen[f] !== s) {
          fnSeen[f] = s;
          fnCum[f] += v;
          fnCumC[f] += cv;
        }
        if (hasParent) {
          if (parentWasInline) fnInlineIn[f] = 1;
          else fnCallIn[f] = 1;
        }
        hasParent = true;
        // The edge into the next (inner) frame is inlined when that frame
        // is not the physical function of its location.
        parentWasInline = j > 0;
        const l = lnIds[j];
        if (lnSeen[l] !== s) {
          lnSeen[l] = s;
          lnCum[l] += v;
          lnCumC[l] += cv;
        }
      }
    }
    const leafLoc = stackLocations[start];
    const leafFn = locFnNodes[leafLoc][0];
    const leafLn = locLineNodes[leafLoc][0];
    fnFlat[leafFn] += v;
    fnFlatC[leafFn] += cv;
    lnFlat[leafLn] += v;
    lnFlatC[leafLn] += cv;

    // The site: the first user frame from the leaf.
    let siteK = -1;
    let siteJ = -1;
    for (let k = start; k < end; k++) {
      const u = locUserFrame[stackLocations[k]];
      if (u >= 0) {
        siteK = k;
        siteJ = u;
        break;
      }
    }
    const userCode = siteK >= 0;
    if (!userCode) {
      siteK = start;
      siteJ = 0;
    }
    const siteLoc = locs[stackLocations[siteK]];
    const key = siteKey(siteLoc, siteJ);
    let acc = sites.get(key);
    if (!acc) {
      acc = { site: makeSite(siteLoc, siteJ, userCode), by: new Map() };
      sites.set(key, acc);
    }
    const site = acc.site;
    site.flat += v;
    site.flatCompanion += cv;
    site.samples++;
    if (Math.abs(v) > site.maxSampleValue) site.maxSampleValue = Math.abs(v);
    if (userCode && (siteK !== start || siteJ !== 0)) {
      const leaf = frameName(locs[leafLoc], 0);
      // The frame just below the site: the API the user's code called.
      const via = siteJ > 0 ? frameName(siteLoc, siteJ - 1) : frameName(locs[stackLocations[siteK - 1]], locs[stackLocations[siteK - 1]].lines.length - 1);
      const byKey = `${leaf}\0${via}`;
      let b = acc.by.get(byKey);
      if (!b) {
        b = { function: leaf, via: via === leaf ? null : via, value: 0, share: 0 };
        acc.by.set(byKey, b);
      }
      b.value += v;
    }
  }

  const rows = (t: NodeTable, flat: Float64Array, cum: Float64Array, flatC: Float64Array, cumC: Float64Array, inl?: [Uint8Array, Uint8Array]): Row[] => {
    const out: Row[] = [];
    for (let i = 0; i < t.names.length; i++) {
      if (flat[i] === 0 && cum[i] === 0) continue;
      out.push({
        name: t.names[i],
        file: t.files[i],
        line: t.lines[i],
        flat: flat[i],
        cum: cum[i],
        flatCompanion: flatC[i],
        cumCompanion: cumC[i],
        inline: inl ? (inl[0][i] && inl[1][i] ? 'partial-inline' : inl[0][i] ? 'inline' : null) : null,
      });
    }
    out.sort(byFlatThenCum);
    return out;
  };

  const functions = rows(fnTable, fnFlat, fnCum, fnFlatC, fnCumC, [fnInlineIn, fnCallIn]);
  const lines = rows(lineTable, lnFlat, lnCum, lnFlatC, lnCumC);
  const lineCum = new Map<string, number>();
  for (const r of lines) lineCum.set(`${r.name}\0${r.file}\0${r.line}`, r.cum);

  const siteList: Site[] = [];
  for (const { site, by } of sites.values()) {
    if (site.flat === 0 && site.flatCompanion === 0) continue;
    site.cum = lineCum.get(`${site.function}\0${cleanPath(site.file)}\0${site.line}`) ?? site.flat;
    site.allocatedBy = [...by.values()]
      .map((b) => ({ ...b, share: site.flat ? b.value / site.flat : 0 }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.function.localeCompare(b.function));
    siteList.push(site);
  }
  siteList.sort(
    (a, b) =>
      Math.abs(b.flat) - Math.abs(a.flat) ||
      Math.abs(b.flatCompanion) - Math.abs(a.flatCompanion) ||
      a.function.localeCompare(b.function) ||
      a.line - b.line,
  );

  return { choice, total, companionTotal, functions, lines, sites: siteList };
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

function frameName(loc: Location, j: number): string {
  const ln = loc.lines[j];
  return ln?.function.name || namelessName(loc);
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
