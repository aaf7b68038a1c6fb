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
import type { Func, Location, Profile } from '../profile/model.js';
import type { AllocatedBy, Ranking, Row, SampleIndexChoice, Site } from './model.js';
import { chooseSampleIndex } from './sampleIndex.js';
import { userCodePredicate } from './userCode.js';
import { IntTupleIds, isInt32 } from './intmap.js';
import { WalkPool, type ParallelOptions } from './parallel.js';
import { FLAG_CALLED, newWalkAcc, TRACK, walkRange, type WalkTables } from './walk.js';
import { addToSite, SITE_FLAT, SITE_FLAT_C, SITE_MAX, SITE_SAMPLES, SITE_UNKNOWN, siteWalk, type SiteAcc } from './sites.js';

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

interface NodeTable {
  names: string[];
  files: string[];
  lines: number[];
}

/** frameFunc: the frame's Function is not the profile's own at its index. */
const FRAME_OTHER = -1;
/** frameFunc: the location has no lines (its one frame is named by its mapping). */
const FRAME_NO_LINES = -2;

function newTable(): NodeTable {
  return { names: [], files: [], lines: [] };
}

function addNode(t: NodeTable, name: string, file: string, line: number): number {
  t.names.push(name);
  t.files.push(file);
  t.lines.push(line);
  return t.names.length - 1;
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

/**
 * A cached per-Function test of a --focus/--ignore pattern against a
 * function's name or file. Patterns with state (g, y flags) are tested anew
 * each time, as they would be without the cache.
 */
function functionMatcher(re: RegExp, nFuncs: number): (fn: Func) => boolean {
  const test = (fn: Func): boolean => re.test(fn.name) || (fn.filename !== '' && re.test(fn.filename));
  if (re.global || re.sticky) return test;
  const memo = new Int8Array(nFuncs);
  return (fn) => {
    if (fn.index < 0) return test(fn);
    if (memo[fn.index] === 0) memo[fn.index] = test(fn) ? 1 : 2;
    return memo[fn.index] === 1;
  };
}

function locationMatches(loc: Location, matches: (fn: Func) => boolean): boolean {
  for (const ln of loc.lines) if (matches(ln.function)) return true;
  return false;
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
  const isUser = userCodePredicate({ module: opts.module, editable: opts.editable });
  const vi = choice.index;
  const ci = choice.companionIndex;
  const { count, valueCount, values, stackOffsets, stackLocations } = profile.samples;
  const locs = profile.locations;
  const nLoc = locs.length;
  const nFuncs = profile.functions.length;

  // Per location, its frames' node ids, computed once rather than per sample,
  // in flat arrays: location li's frames are frameFn/frameLn[frameStart[li] ..
  // frameStart[li+1]), innermost first. Function nodes are numbered in the
  // order of the profile's functions, line nodes in frame order (rows are
  // sorted by keys that tell every two nodes apart, so no order shows).
  const fnTable = newTable();
  const lineTable = newTable();
  const frameStart = new Uint32Array(nLoc + 1);
  let nFrames = 0;
  for (const loc of locs) nFrames += Math.max(1, loc.lines.length);
  const frameFn = new Int32Array(nFrames);
  const frameLn = new Int32Array(nFrames);
  // Each frame's Function index (FRAME_OTHER when the Function is not the
  // profile's own at that index, FRAME_NO_LINES for a location without lines)
  // and line, so that sites are worked out from typed arrays rather than by
  // visiting location objects in the order samples reach them.
  const frameFunc = new Int32Array(nFrames);
  const frameLine = new Float64Array(nFrames);
  const funcs = profile.functions;
  const locKeep = new Int8Array(nLoc); // 1 keep, -1 ignored, 0 neutral
  // The walk's per-location tables (walk.ts) and the frames of locations
  // with several.
  const locInfo = new Int32Array(nLoc);
  const locLn = new Int32Array(nLoc);
  const locSite = new Int32Array(nLoc).fill(SITE_UNKNOWN);
  const locVia = new Int32Array(nLoc).fill(-1);
  const multi: number[] = [];

  // The site a sample is attributed to depends only on the location holding
  // its first user frame (or, with none, on the leaf location), so site ids
  // are per location: one for "user frame here", one for "leaf, no user code".
  // A site is its location, frame index and kind until the walk has shown
  // whether it has a value.
  const locLeafSite = new Int32Array(nLoc).fill(-1);
  const siteLoc: number[] = [];
  const siteFrame: number[] = [];
  const siteUser: boolean[] = [];
  /** Each site's line node. */
  const siteLineNode: number[] = [];

  // Strings from the string table are shared by every Func that names them,
  // so Maps keyed by them hash each string once; keys built by concatenation
  // would be hashed anew on every lookup.
  //
  // Function nodes are keyed by name (or "\0" + file for a nameless function
  // with a file), so a name is numbered by its function node. Files are
  // numbered once each, as given and cleaned. Line keys (name, cleaned file),
  // site names (name, file) and line nodes (line key, line) are then tuples
  // of numbers in int32 tuple tables, not Maps of Maps: a Map per name cost
  // tens of milliseconds on the benchmark profile's 26k functions.
  const fnIds = new Map<string, number>();
  const fnNode = (key: string, name: string): number => {
    let id = fnIds.get(key);
    if (id === undefined) {
      id = addNode(fnTable, name, '', 0);
      fnIds.set(key, id);
    }
    return id;
  };
  const fileIds = new Map<string, number>();
  const cleanIds = new Map<string, number>();
  const cleanNames: string[] = [];
  /** Per file id: its cleaned file's id. */
  const cleanOfFile: number[] = [];
  const fileId = (p: string): number => {
    let id = fileIds.get(p);
    if (id === undefined) {
      id = cleanOfFile.length;
      fileIds.set(p, id);
      const c = cleanPath(p);
      let cid = cleanIds.get(c);
      if (cid === undefined) {
        cid = cleanNames.length;
        cleanIds.set(c, cid);
        cleanNames.push(c);
      }
      cleanOfFile.push(cid);
    }
    return id;
  };
  const lineKeys = new IntTupleIds(Math.max(1024, nFuncs));
  const lineKeyName: string[] = [];
  const lineKeyFile: string[] = [];
  /** The line key of a frame named fname (numbered by nameNode, -1 for none) in cleaned file `clean`. */
  const lineKey = (fname: string, nameNode: number, clean: number): number => {
    const n = lineKeys.size;
    const id = lineKeys.intern(nameNode, clean, 0, 0);
    if (id === n) {
      lineKeyName.push(fname);
      lineKeyFile.push(cleanNames[clean]);
    }
    return id;
  };
  const lineTuples = new IntTupleIds(Math.max(4096, nFrames));
  const lineOfTuple: number[] = [];
  const bigLineIds = new Map<string, number>();
  const namelessLineIds = new Map<string, number>();
  const lineNode = (key: number, line: number): number => {
    if (!isInt32(line)) {
      const k = `${key}:${line}`;
      let id = bigLineIds.get(k);
      if (id === undefined) {
        id = addNode(lineTable, lineKeyName[key], lineKeyFile[key], line);
        bigLineIds.set(k, id);
      }
      return id;
    }
    const t = lineTuples.intern(key, line, 0, 0);
    if (t === lineOfTuple.length) lineOfTuple.push(addNode(lineTable, lineKeyName[key], lineKeyFile[key], line));
    return lineOfTuple[t];
  };
  // Per Function with a name: its nodes (a nameless function's depend on its
  // location's mapping) and file, numbered before the locations are read.
  const fnNodeOfFunc = new Int32Array(nFuncs).fill(-1);
  const lineKeyOfFunc = new Int32Array(nFuncs).fill(-1);
  // A function of its own, like addLocation below, to be optimized early.
  const addFunc = (f: Func): void => {
    const fx = f.index;
    if (!f.name || fx < 0 || fx >= nFuncs || fnNodeOfFunc[fx] >= 0) return;
    const node = fnNode(f.name, f.name);
    fnNodeOfFunc[fx] = node;
    lineKeyOfFunc[fx] = lineKey(f.name, node, cleanOfFile[fileId(f.filename)]);
  };
  for (const f of profile.functions) addFunc(f);
  // Sites are keyed by their frame's function name, file and line, and, when
  // the frame was inlined, by the physical caller's too; (name, file) pairs
  // are numbered once per Function.
  const siteNames = new IntTupleIds(Math.max(1024, nFuncs));
  const siteNameOfFunc = new Int32Array(nFuncs).fill(-1);
  const siteName = (fn: Func): number => {
    const fx = fn.index;
    if (fx >= 0 && siteNameOfFunc[fx] >= 0) return siteNameOfFunc[fx];
    const name = !fn.name ? -1 : fx >= 0 && fnNodeOfFunc[fx] >= 0 ? fnNodeOfFunc[fx] : fnNode(fn.name, fn.name);
    const id = siteNames.intern(name, fileId(fn.filename), 0, 0);
    if (fx >= 0) siteNameOfFunc[fx] = id;
    return id;
  };
  const siteTuples = new IntTupleIds(Math.max(4096, nLoc));
  const siteOfTuple: number[] = [];
  const otherSiteIds = new Map<string, number>();
  const frameSiteName = (li: number, j: number): number => {
    const fx = frameFunc[frameStart[li] + j];
    return fx >= 0 ? (siteNameOfFunc[fx] >= 0 ? siteNameOfFunc[fx] : siteName(funcs[fx])) : siteName(locs[li].lines[j].function);
  };
  const siteIdOf = (li: number, j: number, userCode: boolean): number => {
    const x0 = frameStart[li];
    const last = frameStart[li + 1] - 1 - x0;
    const line = frameLine[x0 + j];
    const lastLine = j < last ? frameLine[x0 + last] : 0;
    let id: number | undefined;
    if (frameFunc[x0] !== FRAME_NO_LINES && isInt32(line) && isInt32(lastLine)) {
      const t = siteTuples.intern(2 * frameSiteName(li, j) + (userCode ? 0 : 1), line, j < last ? frameSiteName(li, last) : -1, lastLine);
      if (t < siteOfTuple.length) return siteOfTuple[t];
      siteOfTuple.push((id = siteLoc.length));
    } else {
      // A location without lines, or line numbers beyond int32.
      const loc = locs[li];
      const ln = loc.lines[j];
      const lastLn = j < last ? loc.lines[last] : null;
      let key = ln ? `${siteName(ln.function)}:${ln.line}` : `n${namelessName(loc)}`;
      if (lastLn) key += `:${siteName(lastLn.function)}:${lastLn.line}`;
      if (!userCode) key += '!';
      id = otherSiteIds.get(key);
      if (id !== undefined) return id;
      otherSiteIds.set(key, (id = siteLoc.length));
    }
    siteLoc.push(li);
    siteFrame.push(j);
    siteUser.push(userCode);
    siteLineNode.push(frameLn[x0 + j]);
    return id;
  };
  const userOfFunc = new Int8Array(nFuncs); // 0 not yet known, 1 user code, 2 not
  const ignoreMatch = opts.ignore ? functionMatcher(opts.ignore, nFuncs) : null;
  const focusMatch = opts.focus ? functionMatcher(opts.focus, nFuncs) : null;
  let fi = 0;
  // The body of the loop over locations is a function of its own: called
  // once per location, it is optimized after a few hundred calls, where the
  // same code inline in this long function ran unoptimized until on-stack
  // replacement kicked in (about 100 ms of the setup on the benchmark profile).
  const addLocation = (li: number): void => {
    const loc = locs[li];
    frameStart[li] = fi;
    const nLines = loc.lines.length;
    if (nLines === 0) {
      const name = namelessName(loc);
      frameFn[fi] = fnNode(`\0${name}`, name);
      let ln = namelessLineIds.get(name);
      if (ln === undefined) {
        ln = addNode(lineTable, name, '', 0);
        namelessLineIds.set(name, ln);
      }
      frameLn[fi] = ln;
      frameFunc[fi] = FRAME_NO_LINES;
      fi++;
    } else {
      for (let j = 0; j < nLines; j++, fi++) {
        const ln = loc.lines[j];
        const f = ln.function;
        const fx = f.index;
        let key: number;
        if (fx >= 0 && fnNodeOfFunc[fx] >= 0) {
          frameFn[fi] = fnNodeOfFunc[fx];
          key = lineKeyOfFunc[fx];
        } else {
          // A nameless function (or one not in the profile's list): its
          // node depends on its location's mapping.
          const fname = f.name || (f.filename ? '' : namelessName(loc));
          const clean = cleanOfFile[fileId(f.filename)];
          const file = cleanNames[clean];
          frameFn[fi] = fnNode(fname || `\0${file}`, fname || file);
          key = lineKey(fname, fname ? frameFn[fi] : -1, clean);
          if (fx >= 0 && fx < nFuncs && f.name) {
            fnNodeOfFunc[fx] = frameFn[fi];
            lineKeyOfFunc[fx] = key;
          }
        }
        frameLn[fi] = lineNode(key, ln.line);
        frameFunc[fi] = fx >= 0 && fx < nFuncs && funcs[fx] === f ? fx : FRAME_OTHER;
        frameLine[fi] = ln.line;
      }
    }
    const x0 = frameStart[li];
    if (fi - x0 === 1) {
      locInfo[li] = frameFn[x0];
      locLn[li] = frameLn[x0];
    } else {
      locInfo[li] = -1 - multi.length;
      locLn[li] = frameFn[fi - 1];
      multi.push(fi - x0);
      for (let x = x0; x < fi; x++) multi.push(frameFn[x], frameLn[x]);
    }
    if (ignoreMatch && locationMatches(loc, ignoreMatch)) locKeep[li] = -1;
    else if (focusMatch && locationMatches(loc, focusMatch)) locKeep[li] = 1;
  };
  for (let li = 0; li < nLoc; li++) addLocation(li);
  frameStart[nLoc] = fi;

  const nFn = fnTable.names.length;
  const nLn = lineTable.names.length;
  // Single-frame locations whose function is an inlined frame somewhere:
  // only their use flags can change an "(inline)" mark (see the marks below),
  // so only they have the walk track them (TRACK).
  const inlinedSomewhere = new Uint8Array(nFn);
  for (let li = 0; li < nLoc; li++) {
    for (let x = frameStart[li]; x < frameStart[li + 1] - 1; x++) inlinedSomewhere[frameFn[x]] = 1;
  }
  // Each location's innermost frame's function node: the caller of the
  // location below it in a stack.
  const innerFn = new Int32Array(nLoc);
  for (let li = 0; li < nLoc; li++) {
    const info = locInfo[li];
    if (info >= 0 && inlinedSomewhere[frameFn[frameStart[li]]]) locInfo[li] = info | TRACK;
    innerFn[li] = frameFn[frameStart[li]];
  }
  const tables: WalkTables = {
    count,
    valueCount,
    values,
    stackOffsets,
    stackLocations,
    vi,
    ci: ci ?? -1,
    locInfo,
    locLn,
    innerFn,
    multi: Int32Array.from(multi),
    nFn,
    nLn,
    locKeep,
    filter: opts.focus ? 2 : opts.ignore ? 1 : 0,
  };
  const acc = newWalkAcc(tables);

  // A location's site is its first user frame, from the innermost. Which
  // frame that is, is worked out for every location while the workers walk;
  // the site itself only when the site pass first reaches the location.
  const isUserFunc = (f: Func): boolean => f.name !== '' && isUser(f.name, f.filename);
  const locUser = new Int32Array(nLoc);
  const findUsers = (): void => {
    for (let li = 0; li < nLoc; li++) {
      const x0 = frameStart[li];
      const x1 = frameStart[li + 1];
      let user = -1;
      for (let x = x0; x < x1 && user < 0; x++) {
        const fx = frameFunc[x];
        if (fx >= 0) {
          if (userOfFunc[fx] === 0) userOfFunc[fx] = isUserFunc(funcs[fx]) ? 1 : 2;
          if (userOfFunc[fx] === 1) user = x - x0;
        } else if (fx === FRAME_OTHER && isUserFunc(locs[li].lines[x - x0].function)) user = x - x0;
      }
      locUser[li] = user;
      if (user < 0) locSite[li] = -1;
      else if (user > 0) locVia[li] = frameFn[x0 + user - 1];
    }
  };
  const resolveSite = (li: number): void => {
    locSite[li] = siteIdOf(li, locUser[li], true);
  };
  // The site rows: everything about sites that needs no walk results, made
  // while the workers walk. A site's cum (its line's) is set afterwards.
  const siteRows = (found: SiteAcc): { list: Site[]; order: number[] } => {
    const { siteAcc: walkedSiteAcc, allocatedBy: by, pending } = found;
    // Samples without any user frame: their leaf sites, created now.
    const nUserSites = siteLoc.length;
    let siteAcc = walkedSiteAcc.subarray(0, 4 * nUserSites);
    if (pending.length > 0) {
      for (const s of pending) {
        const leafLoc = stackLocations[stackOffsets[s]];
        if (locLeafSite[leafLoc] < 0) locLeafSite[leafLoc] = siteIdOf(leafLoc, 0, false);
      }
      siteAcc = new Float64Array(4 * siteLoc.length);
      siteAcc.set(walkedSiteAcc.subarray(0, 4 * nUserSites));
      for (const s of pending) {
        addToSite(siteAcc, locLeafSite[stackLocations[stackOffsets[s]]], values[s * valueCount + vi], ci === null ? 0 : values[s * valueCount + ci]);
      }
    }

    // Each site's (leaf, via) pairs, in the order first seen (pair ids are).
    const nSites = siteLoc.length;
    const nBy = by.ids.size;
    const byKeys = by.ids.keys;
    const byStart = new Int32Array(nSites + 1);
    for (let e = 0; e < nBy; e++) byStart[byKeys[4 * e] + 1]++;
    for (let i = 0; i < nSites; i++) byStart[i + 1] += byStart[i];
    const byOrder = new Int32Array(nBy);
    const byFill = byStart.slice(0, nSites);
    for (let e = 0; e < nBy; e++) byOrder[byFill[byKeys[4 * e]]++] = e;
    const allocatedByOf = (id: number, flat: number): AllocatedBy[] => {
      const out: AllocatedBy[] = [];
      for (let x = byStart[id]; x < byStart[id + 1]; x++) {
        const e = byOrder[x];
        const leafName = fnTable.names[byKeys[4 * e + 1]];
        const viaName = fnTable.names[byKeys[4 * e + 2]];
        const value = by.value[e];
        out.push({ function: leafName, via: viaName === leafName ? null : viaName, value, companion: by.companion[e], share: flat ? value / flat : 0 });
      }
      return out;
    };

    // Sites with a value, by |flat|, |companion flat|, function and line (a
    // stable sort of site ids, which are in the order sites were made). The
    // values are read into typed arrays first; names and lines only break
    // ties.
    const order: number[] = [];
    const absFlat = new Float64Array(nSites);
    const absFlatC = new Float64Array(nSites);
    for (let id = 0; id < nSites; id++) {
      const f = siteAcc[4 * id + SITE_FLAT];
      const c = siteAcc[4 * id + SITE_FLAT_C];
      if (f === 0 && c === 0) continue;
      absFlat[id] = f < 0 ? -f : f;
      absFlatC[id] = c < 0 ? -c : c;
      order.push(id);
    }
    // A function per site rather than a loop body here: it is optimized after
    // a few hundred calls (see addLocation).
    const siteOf = (id: number): Site => {
      const flat = siteAcc[4 * id + SITE_FLAT];
      const by = allocatedByOf(id, flat);
      if (by.length > 1) by.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0));
      const loc = locs[siteLoc[id]];
      const j = siteFrame[id];
      const ln = loc.lines[j];
      const last = loc.lines[loc.lines.length - 1];
      return {
        function: ln ? ln.function.name || namelessName(loc) : namelessName(loc),
        file: ln?.function.filename ?? '',
        line: ln?.line ?? 0,
        functionStartLine: ln?.function.startLine ?? 0,
        callSite: ln && j < loc.lines.length - 1 ? { function: last.function.name, file: last.function.filename, line: last.line } : null,
        flat,
        flatCompanion: siteAcc[4 * id + SITE_FLAT_C],
        // Set once the walk is done.
        cum: NaN,
        allocatedBy: by,
        userCode: siteUser[id],
        samples: siteAcc[4 * id + SITE_SAMPLES],
        maxSampleValue: siteAcc[4 * id + SITE_MAX],
      };
    };
    // Made in site-id order (user sites were made in location order), so
    // that location objects are read about in the order they were
    // allocated, not in the sorted order.
    const made: Site[] = new Array(nSites);
    for (const id of order) made[id] = siteOf(id);
    order.sort((a, b) => {
      const d = absFlat[b] - absFlat[a] || absFlatC[b] - absFlatC[a];
      if (d !== 0) return d;
      const sa = made[a];
      const sb = made[b];
      return (sa.function < sb.function ? -1 : sa.function > sb.function ? 1 : 0) || sa.line - sb.line;
    });
    const list: Site[] = new Array(order.length);
    for (let x = 0; x < order.length; x++) list[x] = made[order[x]];
    return { list, order };
  };
  const findSites = (): { list: Site[]; order: number[] } => {
    findUsers();
    return siteRows(siteWalk(tables, { locSite, locVia, resolve: resolveSite, maxSites: nLoc }));
  };
  let sites: { list: Site[]; order: number[] };
  if (pool) sites = pool.run(tables, acc, findSites);
  else {
    sites = findSites();
    walkRange(tables, acc, 0, count);
  }

  const { locCum, locUse, locFlat } = acc;
  const [total, companionTotal] = acc.totals;

  // Each location's totals go to its frames' nodes.
  const fnFlat = new Float64Array(2 * nFn);
  const lnFlat = new Float64Array(2 * nLn);
  const fnCum = acc.fnAdd ?? new Float64Array(2 * nFn);
  const lnCum = acc.lnAdd;
  for (let li = 0; li < nLoc; li++) {
    const x0 = frameStart[li];
    const x1 = frameStart[li + 1];
    const v = locCum[2 * li];
    const cv = locCum[2 * li + 1];
    if (v !== 0 || cv !== 0) {
      for (let x = x0; x < x1; x++) {
        fnCum[2 * frameFn[x]] += v;
        fnCum[2 * frameFn[x] + 1] += cv;
        lnCum[2 * frameLn[x]] += v;
        lnCum[2 * frameLn[x] + 1] += cv;
      }
    }
    const fv = locFlat[2 * li];
    const fcv = locFlat[2 * li + 1];
    if (fv !== 0 || fcv !== 0) {
      fnFlat[2 * frameFn[x0]] += fv;
      fnFlat[2 * frameFn[x0] + 1] += fcv;
      lnFlat[2 * frameLn[x0]] += fv;
      lnFlat[2 * frameLn[x0] + 1] += fcv;
    }
  }

  // pprof marks a node "(inline)" when every edge into it is an inlined call.
  // An edge into frame j of a location is inlined when j is not the location's
  // last (physical) frame; into the last frame it is a call (FLAG_CALLED).
  // pprof draws no edge from a node to itself, so a frame whose caller frame
  // is the same function node has no edge in. A call edge only matters for a
  // function with inlined edges too, so single-frame locations of functions
  // never inlined anywhere were not tracked (use 0): they change no mark.
  const fnInlineIn = new Uint8Array(nFn);
  const fnCallIn = new Uint8Array(nFn);
  for (let li = 0; li < nLoc; li++) {
    const use = locUse[li];
    if (!use) continue;
    const last = frameStart[li + 1] - 1;
    for (let x = frameStart[li]; x < last; x++) if (frameFn[x] !== frameFn[x + 1]) fnInlineIn[frameFn[x]] = 1;
    if (use & FLAG_CALLED) fnCallIn[frameFn[last]] = 1;
  }

  // Rows by |flat|, then |cum|, name, file and line, sorted as node indices
  // over typed arrays rather than as row objects (the sort is stable and the
  // indices are in node order, so ties keep the same order either way).
  const rows = (t: NodeTable, flat: Float64Array, cum: Float64Array, inl?: [Uint8Array, Uint8Array]): Row[] => {
    const n = t.names.length;
    const absFlat = new Float64Array(n);
    const absCum = new Float64Array(n);
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      if (flat[2 * i] === 0 && cum[2 * i] === 0) continue;
      absFlat[i] = Math.abs(flat[2 * i]);
      absCum[i] = Math.abs(cum[2 * i]);
      order.push(i);
    }
    const { names, files, lines } = t;
    order.sort(
      (a, b) =>
        absFlat[b] - absFlat[a] ||
        absCum[b] - absCum[a] ||
        (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0) ||
        (files[a] < files[b] ? -1 : files[a] > files[b] ? 1 : 0) ||
        lines[a] - lines[b],
    );
    const out: Row[] = [];
    for (const i of order) {
      out.push({
        name: names[i],
        file: files[i],
        line: lines[i],
        flat: flat[2 * i],
        cum: cum[2 * i],
        flatCompanion: flat[2 * i + 1],
        cumCompanion: cum[2 * i + 1],
        inline: inl ? (inl[0][i] && inl[1][i] ? 'partial-inline' : inl[0][i] ? 'inline' : null) : null,
      });
    }
    return out;
  };

  const functions = rows(fnTable, fnFlat, fnCum, [fnInlineIn, fnCallIn]);
  // Every site's line is tracked (its own, or its leaf's), so this is pprof's -lines cum.
  const siteList = sites.list;
  for (let x = 0; x < siteList.length; x++) siteList[x].cum = lnCum[2 * siteLineNode[sites.order[x]]];

  // Line rows (pprof -top -lines) are built when first asked for: the
  // report does not use them, and on a large profile they are most of the
  // rows (80,000 against 26,000 functions).
  let lines: Row[] | null = null;
  return {
    choice,
    total,
    companionTotal,
    functions,
    get lines(): Row[] {
      return (lines ??= rows(lineTable, lnFlat, lnCum));
    },
    sites: siteList,
  };
}
