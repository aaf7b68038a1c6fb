// From the walk's per-location sums to pprof's rows: flat and cum per
// function and per line node, the "(inline)" marks, and the sorted rows.
import type { Frames } from './frames.js';
import type { Row } from './model.js';
import type { NodeTable } from './nodes.js';
import { FLAG_CALLED, type WalkAcc } from './walk.js';

/** Per node, (value, companion) pairs: node i at [2i, 2i+1]. */
export interface NodeSums {
  fnFlat: Float64Array;
  fnCum: Float64Array;
  lnFlat: Float64Array;
  lnCum: Float64Array;
}

/**
 * Each location's totals go to its frames' nodes: cum to every frame's,
 * flat to the innermost frame's. The walk's direct additions (fnAdd, lnAdd:
 * frames that repeat a function of their sample) are the starting cum.
 */
export function nodeSums(frames: Frames, acc: WalkAcc, nFn: number, nLn: number): NodeSums {
  const { start, fnOf, lnOf } = frames;
  const { locCum, locFlat } = acc;
  const nLoc = start.length - 1;
  const fnFlat = new Float64Array(2 * nFn);
  const lnFlat = new Float64Array(2 * nLn);
  const fnCum = acc.fnAdd ?? new Float64Array(2 * nFn);
  const lnCum = acc.lnAdd;
  for (let li = 0; li < nLoc; li++) {
    const x0 = start[li];
    const x1 = start[li + 1];
    const v = locCum[2 * li];
    const cv = locCum[2 * li + 1];
    if (v !== 0 || cv !== 0) {
      for (let x = x0; x < x1; x++) {
        fnCum[2 * fnOf[x]] += v;
        fnCum[2 * fnOf[x] + 1] += cv;
        lnCum[2 * lnOf[x]] += v;
        lnCum[2 * lnOf[x] + 1] += cv;
      }
    }
    const fv = locFlat[2 * li];
    const fcv = locFlat[2 * li + 1];
    if (fv !== 0 || fcv !== 0) {
      fnFlat[2 * fnOf[x0]] += fv;
      fnFlat[2 * fnOf[x0] + 1] += fcv;
      lnFlat[2 * lnOf[x0]] += fv;
      lnFlat[2 * lnOf[x0] + 1] += fcv;
    }
  }
  return { fnFlat, fnCum, lnFlat, lnCum };
}

/** Per function node: [some edge into it is inlined, some is a call]. */
export type InlineMarks = [Uint8Array, Uint8Array];

/**
 * pprof marks a node "(inline)" when every edge into it is an inlined call.
 * An edge into frame j of a location is inlined when j is not the location's
 * last (physical) frame; into the last frame it is a call (FLAG_CALLED).
 * pprof draws no edge from a node to itself, so a frame whose caller frame
 * is the same function node has no edge in. A call edge only matters for a
 * function with inlined edges too, so single-frame locations of functions
 * never inlined anywhere were not tracked (use 0): they change no mark.
 */
export function inlineMarks(frames: Frames, locUse: Uint8Array, nFn: number): InlineMarks {
  const { start, fnOf } = frames;
  const nLoc = start.length - 1;
  const fnInlineIn = new Uint8Array(nFn);
  const fnCallIn = new Uint8Array(nFn);
  for (let li = 0; li < nLoc; li++) {
    const use = locUse[li];
    if (!use) continue;
    const last = start[li + 1] - 1;
    for (let x = start[li]; x < last; x++) if (fnOf[x] !== fnOf[x + 1]) fnInlineIn[fnOf[x]] = 1;
    if (use & FLAG_CALLED) fnCallIn[fnOf[last]] = 1;
  }
  return [fnInlineIn, fnCallIn];
}

/**
 * Rows by |flat|, then |cum|, name, file and line, sorted as node indices
 * over typed arrays rather than as row objects (the sort is stable and the
 * indices are in node order, so ties keep the same order either way). Nodes
 * with neither flat nor cum are left out.
 */
export function rows(t: NodeTable, flat: Float64Array, cum: Float64Array, inl?: InlineMarks): Row[] {
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
}
