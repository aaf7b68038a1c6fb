// The sample walk: the part of ranking whose cost grows with the stacks
// (13.7M stack entries on a 600k-sample profile), kept apart from the setup
// and the row building in index.ts.
//
// The walk is bound by memory latency, not arithmetic: every stack entry is a
// random access into per-location data. So it accumulates per location, not
// per function and per line: after the walk (index.ts), a location's total
// goes to each of its frames' function and line nodes. That is pprof's cum,
// which counts a sample once per node, as long as no function occurs twice in
// a sample. Under recursion, a frame that repeats a function of its sample is
// not counted through its location; its line, when new to the sample, is
// counted directly (lnAdd). A line node belongs to one function node, so a
// line can only repeat where its function does: a function's first frame in
// the sample is kept next to its stamp, and only the other lines of repeated
// functions need line stamps.
//
// What an entry's branches depend on is one Int32 per location (locInfo,
// small enough to stay in the CPU's L2 cache); the per-location sums, too
// large for it, are only added to, and no branch waits for those loads.

/**
 * locInfo: set on a single-frame location whose use flags (locUse) can show
 * in the output. A location's flags matter only for the "(inline)" marks:
 * a multi-frame location's inlined frames, and the caller edge of a
 * function that is somewhere inlined. Other entries skip the flag update, a
 * read-modify-write per stack entry (13% of the walk on the benchmark).
 */
export const TRACK = 1 << 29;
/** locInfo: the function node below the flag bit (function nodes stay far below 2^29). */
export const FN_MASK = TRACK - 1;
/** The location occurred in a sample walked (locUse). */
export const FLAG_USED = 1;
/**
 * The location occurred with a call edge into its physical (last) frame
 * (locUse): it was not its stack's root, and its caller's innermost frame is
 * another function node. pprof draws no edge from a node to itself
 * (graph.go: `n != parent`), so direct recursion is no call.
 */
export const FLAG_CALLED = 2;

/** Read-only inputs of the walk, shared by every range walked. */
export interface WalkTables {
  count: number;
  valueCount: number;
  values: Float64Array;
  stackOffsets: Uint32Array;
  stackLocations: Uint32Array;
  vi: number;
  /** Companion value index, or -1. */
  ci: number;
  /**
   * Per location: its frame's function node, | TRACK when its use flags
   * matter; or, for a location with several frames, -(1 + its offset in
   * `multi`).
   */
  locInfo: Int32Array;
  /** Per location: a single frame's line node; with several frames, the last (physical) frame's function node. */
  locLn: Int32Array;
  /** Per location: the function node of its innermost frame (line[0]), the caller of the location below it. */
  innerFn: Int32Array;
  /**
   * Frames of multi-frame locations: at each offset, the frame count, then
   * (function node, line node) pairs, innermost first.
   */
  multi: Int32Array;
  nFn: number;
  nLn: number;
  locKeep: Int8Array;
  /** 0 no filter, 1 ignore only, 2 focus (and maybe ignore). */
  filter: number;
}

/** What one walker accumulates; walkers over disjoint sample ranges are summed. */
export interface WalkAcc {
  /** Per location: cum and companion cum of the samples it is in (see above). */
  locCum: Float64Array;
  /** Per location: FLAG_USED | FLAG_CALLED, as it occurred in the samples walked. */
  locUse: Uint8Array;
  /** Per location: flat and companion flat of the samples whose leaf it is. */
  locFlat: Float64Array;
  /** Per line node: (value, companion) of frames that repeat their function but not their line. */
  lnAdd: Float64Array;
  /** Per function node: (value, companion) counted frame by frame, for multi-frame locations with a repeat; made when needed. */
  fnAdd?: Float64Array;
  /**
   * Per function node: [last sample seen, its first frame in that sample]:
   * the location index for a single-frame location, or -(1 + the index in
   * `multi` of the frame's line node).
   */
  fnState: Int32Array;
  /** Per line node: the last sample in which it was seen as a repeated function's other line. */
  lnStamp: Int32Array;
  /**
   * [total, companion total]: sums of absolute values. Added to per sample,
   * inside the loop: code after the loop would run only once per call, and
   * the optimized walk, compiled mid-loop without type feedback for it,
   * deoptimized there at the end of every chunk (measured: 31 deopts and
   * recompiles in one ranking with two threads).
   */
  totals: Float64Array;
}

export function newWalkAcc(t: WalkTables): WalkAcc {
  const nLoc = t.locInfo.length;
  return {
    locCum: new Float64Array(2 * nLoc),
    locUse: new Uint8Array(nLoc),
    locFlat: new Float64Array(2 * nLoc),
    lnAdd: new Float64Array(2 * t.nLn),
    fnState: new Int32Array(2 * t.nFn).fill(-1),
    lnStamp: new Int32Array(t.nLn).fill(-1),
    totals: new Float64Array(2),
  };
}

/**
 * Whether a sample passes --focus/--ignore (filter as in WalkTables): kept
 * unless a frame is ignored, and, with a focus, only when a frame is focused.
 */
export function sampleKept(locKeep: Int8Array, stackLocations: Uint32Array, start: number, end: number, filter: number): boolean {
  let focused = filter !== 2;
  for (let k = start; k < end; k++) {
    const m = locKeep[stackLocations[k]];
    if (m === -1) return false;
    if (m === 1) focused = true;
  }
  return focused;
}

/**
 * Walks samples s0 .. s1-1 into `a`. Sites are not found here but in a pass
 * of their own (sites.ts): in this loop they cost a third of the walk
 * (measured: 650 ms with them, 440 ms without, 65 ms for the separate pass).
 */
export function walkRange(t: WalkTables, a: WalkAcc, s0: number, s1: number): void {
  const { valueCount, values, stackOffsets, stackLocations, vi, ci, locInfo, locLn, innerFn, multi, locKeep, filter } = t;
  const { locCum, locUse, locFlat, lnAdd, fnState, lnStamp, totals } = a;
  for (let s = s0; s < s1; s++) {
    const v = values[s * valueCount + vi];
    const cv = ci < 0 ? 0 : values[s * valueCount + ci];
    totals[0] += v < 0 ? -v : v;
    totals[1] += cv < 0 ? -cv : cv;
    const start = stackOffsets[s];
    const end = stackOffsets[s + 1];
    if (end === start) continue;
    if (filter !== 0 && !sampleKept(locKeep, stackLocations, start, end, filter)) continue;
    const leafLoc = stackLocations[start];
    locFlat[2 * leafLoc] += v;
    locFlat[2 * leafLoc + 1] += cv;

    const root = end - 1;
    for (let k = start; k < end; k++) {
      const li = stackLocations[k];
      const info = locInfo[li];
      if (info >= 0) {
        const fn = info & FN_MASK;
        if (info & TRACK) locUse[li] |= k < root && innerFn[stackLocations[k + 1]] !== fn ? FLAG_USED | FLAG_CALLED : FLAG_USED;
        if (fnState[2 * fn] !== s) {
          fnState[2 * fn] = s;
          fnState[2 * fn + 1] = li;
          locCum[2 * li] += v;
          locCum[2 * li + 1] += cv;
        } else {
          // A repeated function: counted once already; its line may be new.
          const ln = locLn[li];
          const f1 = fnState[2 * fn + 1];
          if ((f1 >= 0 ? locLn[f1] : multi[-1 - f1]) !== ln && lnStamp[ln] !== s) {
            lnStamp[ln] = s;
            lnAdd[2 * ln] += v;
            lnAdd[2 * ln + 1] += cv;
          }
        }
      } else {
        locUse[li] |= k < root && innerFn[stackLocations[k + 1]] !== locLn[li] ? FLAG_USED | FLAG_CALLED : FLAG_USED;
        const off = -1 - info;
        const n = multi[off];
        let j = 0;
        for (; j < n; j++) {
          const f = multi[off + 1 + 2 * j];
          if (fnState[2 * f] === s) break;
          fnState[2 * f] = s;
          fnState[2 * f + 1] = -1 - (off + 2 + 2 * j);
        }
        if (j === n) {
          locCum[2 * li] += v;
          locCum[2 * li + 1] += cv;
        } else repeatedFrames(t, a, s, off, j, v, cv);
      }
    }
  }
}

// A multi-frame location in which frame j repeats a function of sample s;
// frames before j have new functions (already stamped). The location is not
// counted through its sums, so each frame's function and line are counted
// here when new to the sample.
function repeatedFrames(t: WalkTables, a: WalkAcc, s: number, off: number, j: number, v: number, cv: number): void {
  const { multi, locLn } = t;
  const { fnState, lnStamp, lnAdd } = a;
  const fnAdd = (a.fnAdd ??= new Float64Array(fnState.length));
  const n = multi[off];
  for (let y = 0; y < n; y++) {
    const f = multi[off + 1 + 2 * y];
    const ln = multi[off + 2 + 2 * y];
    if (y >= j) {
      if (fnState[2 * f] === s) {
        const f1 = fnState[2 * f + 1];
        if ((f1 >= 0 ? locLn[f1] : multi[-1 - f1]) !== ln && lnStamp[ln] !== s) {
          lnStamp[ln] = s;
          lnAdd[2 * ln] += v;
          lnAdd[2 * ln + 1] += cv;
        }
        continue;
      }
      fnState[2 * f] = s;
      fnState[2 * f + 1] = -1 - (off + 2 + 2 * y);
    }
    fnAdd[2 * f] += v;
    fnAdd[2 * f + 1] += cv;
    lnAdd[2 * ln] += v;
    lnAdd[2 * ln + 1] += cv;
  }
}

/** Slots of the Int32Array that coordinates walkers over chunks of samples. */
export const CTL_NEXT = 0;
export const CTL_PROGRESS = 1;
/** Per worker i, its state at CTL_STATE + i (STATE_*). */
export const CTL_STATE = 2;
export const STATE_IDLE = 0;
export const STATE_RUNNING = 1;
export const STATE_DONE = 2;
export const STATE_CANCELLED = 3;
export const STATE_FAILED = 4;

/**
 * Walks chunks of samples (chunk c is samples bounds[c] .. bounds[c+1]-1)
 * claimed one at a time from a counter shared by every walker, so a slow or
 * late walker costs no more than one chunk of waiting. Returns how many
 * chunks this walker did.
 */
export function walkChunks(t: WalkTables, a: WalkAcc, ctl: Int32Array, bounds: Int32Array): number {
  let n = 0;
  for (;;) {
    const c = Atomics.add(ctl, CTL_NEXT, 1);
    if (c >= bounds.length - 1) return n;
    walkRange(t, a, bounds[c], bounds[c + 1]);
    Atomics.add(ctl, CTL_PROGRESS, 1);
    n++;
  }
}

/** What a worker sends back: its accumulators, as transferable arrays. */
export interface WalkResult {
  locCum: Float64Array;
  locUse: Uint8Array;
  locFlat: Float64Array;
  lnAdd: Float64Array;
  fnAdd: Float64Array | null;
  total: number;
  companionTotal: number;
  chunks: number;
}

export function packResult(a: WalkAcc, chunks: number): WalkResult {
  return {
    locCum: a.locCum,
    locUse: a.locUse,
    locFlat: a.locFlat,
    lnAdd: a.lnAdd,
    fnAdd: a.fnAdd ?? null,
    total: a.totals[0],
    companionTotal: a.totals[1],
    chunks,
  };
}

/** The buffers of a result, to transfer rather than copy. */
export function resultBuffers(r: WalkResult): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  for (const x of [r.locCum, r.locUse, r.locFlat, r.lnAdd, r.fnAdd]) {
    if (x && x.buffer instanceof ArrayBuffer && !out.includes(x.buffer)) out.push(x.buffer);
  }
  return out;
}

/** Adds a walker's result over other samples into `a`. */
export function mergeResult(a: WalkAcc, r: WalkResult): void {
  addInto(a.locCum, r.locCum);
  for (let i = 0; i < a.locUse.length; i++) a.locUse[i] |= r.locUse[i];
  addInto(a.locFlat, r.locFlat);
  addInto(a.lnAdd, r.lnAdd);
  if (r.fnAdd) addInto((a.fnAdd ??= new Float64Array(r.fnAdd.length)), r.fnAdd);
  a.totals[0] += r.total;
  a.totals[1] += r.companionTotal;
}

function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}
