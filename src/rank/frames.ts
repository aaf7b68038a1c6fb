// Every location's frames as node ids, worked out once per location rather
// than per sample, in flat typed arrays: location li's frames are
// fnOf/lnOf[start[li] .. start[li+1]), innermost first (pprof's rules: each
// Line of a location is a frame, line[0] the innermost callee, the last Line
// the physical function the others were inlined into). Then the per-location
// tables the sample walk (walk.ts) reads.
//
// Function nodes are numbered in the order of the profile's functions, line
// nodes in frame order (rows are sorted by keys that tell every two nodes
// apart, so no order shows).
import type { Func, Profile } from '../profile/model.js';
import { namelessName, NodeIds } from './nodes.js';
import { TRACK, type WalkTables } from './walk.js';

/** Frames.func: the frame's Function is not the profile's own at its index. */
export const FRAME_OTHER = -1;
/** Frames.func: the location has no lines (its one frame is named by its mapping). */
export const FRAME_NO_LINES = -2;

export interface Frames {
  /** Per location li, its first frame; start[nLoc] is the number of frames. */
  start: Uint32Array;
  /** Per frame: its function node. */
  fnOf: Int32Array;
  /** Per frame: its line node. */
  lnOf: Int32Array;
  /**
   * Per frame: its Function's index (FRAME_OTHER, FRAME_NO_LINES), so that
   * sites are worked out from typed arrays rather than by visiting location
   * objects in the order samples reach them.
   */
  func: Int32Array;
  /** Per frame: its line number. */
  line: Float64Array;
  /** Per Function with a name: its function node, or -1 (a nameless function's depends on its location's mapping). */
  fnNodeOfFunc: Int32Array;
}

/** The frames of every location of `profile`, and the nodes they are numbered in. */
export function buildFrames(profile: Profile): { nodes: NodeIds; frames: Frames } {
  let nFrames = 0;
  for (const loc of profile.locations) nFrames += Math.max(1, loc.lines.length);
  const nodes = new NodeIds(profile.functions.length, nFrames);
  const b = new FrameBuilder(profile, nodes, nFrames);
  for (const f of profile.functions) b.addFunc(f);
  const nLoc = profile.locations.length;
  for (let li = 0; li < nLoc; li++) b.addLocation(li);
  b.frames.start[nLoc] = b.fi;
  return { nodes, frames: b.frames };
}

class FrameBuilder {
  readonly frames: Frames;
  /** The next frame. */
  fi = 0;
  private readonly profile: Profile;
  private readonly nodes: NodeIds;
  private readonly nFuncs: number;
  /** Per Function with a name: the line key of its name and file. */
  private readonly lineKeyOfFunc: Int32Array;

  constructor(profile: Profile, nodes: NodeIds, nFrames: number) {
    this.profile = profile;
    this.nodes = nodes;
    const nFuncs = (this.nFuncs = profile.functions.length);
    this.frames = {
      start: new Uint32Array(profile.locations.length + 1),
      fnOf: new Int32Array(nFrames),
      lnOf: new Int32Array(nFrames),
      func: new Int32Array(nFrames),
      line: new Float64Array(nFrames),
      fnNodeOfFunc: new Int32Array(nFuncs).fill(-1),
    };
    this.lineKeyOfFunc = new Int32Array(nFuncs).fill(-1);
  }

  /** Numbers a named Function's nodes before the locations are read. A method of its own, like addLocation, to be optimized early. */
  addFunc(f: Func): void {
    const fx = f.index;
    const fnNodeOfFunc = this.frames.fnNodeOfFunc;
    if (!f.name || fx < 0 || fx >= this.nFuncs || fnNodeOfFunc[fx] >= 0) return;
    const node = this.nodes.fnNode(f.name, f.name);
    fnNodeOfFunc[fx] = node;
    this.lineKeyOfFunc[fx] = this.nodes.lineKey(f.name, node, this.nodes.cleanOfFile[this.nodes.fileId(f.filename)]);
  }

  // The body of the loop over locations is a method of its own: called once
  // per location, it is optimized after a few hundred calls, where the same
  // code inline in one long function ran unoptimized until on-stack
  // replacement kicked in (about 100 ms of the setup on the benchmark profile).
  addLocation(li: number): void {
    const { nodes, frames, nFuncs, lineKeyOfFunc } = this;
    const { fnOf, lnOf, func, line, fnNodeOfFunc } = frames;
    const funcs = this.profile.functions;
    const loc = this.profile.locations[li];
    let fi = this.fi;
    frames.start[li] = fi;
    const nLines = loc.lines.length;
    if (nLines === 0) {
      const name = namelessName(loc);
      fnOf[fi] = nodes.fnNode(`\0${name}`, name);
      lnOf[fi] = nodes.namelessLine(name);
      func[fi] = FRAME_NO_LINES;
      fi++;
    } else {
      for (let j = 0; j < nLines; j++, fi++) {
        const ln = loc.lines[j];
        const f = ln.function;
        const fx = f.index;
        let key: number;
        if (fx >= 0 && fnNodeOfFunc[fx] >= 0) {
          fnOf[fi] = fnNodeOfFunc[fx];
          key = lineKeyOfFunc[fx];
        } else {
          // A nameless function (or one not in the profile's list): its
          // node depends on its location's mapping.
          const fname = f.name || (f.filename ? '' : namelessName(loc));
          const clean = nodes.cleanOfFile[nodes.fileId(f.filename)];
          const file = nodes.cleanNames[clean];
          fnOf[fi] = nodes.fnNode(fname || `\0${file}`, fname || file);
          key = nodes.lineKey(fname, fname ? fnOf[fi] : -1, clean);
          if (fx >= 0 && fx < nFuncs && f.name) {
            fnNodeOfFunc[fx] = fnOf[fi];
            lineKeyOfFunc[fx] = key;
          }
        }
        lnOf[fi] = nodes.lineNode(key, ln.line);
        func[fi] = fx >= 0 && fx < nFuncs && funcs[fx] === f ? fx : FRAME_OTHER;
        line[fi] = ln.line;
      }
    }
    this.fi = fi;
  }
}

/** What the walk needs per location (see WalkTables). */
export type WalkLocations = Pick<WalkTables, 'locInfo' | 'locLn' | 'innerFn' | 'multi'>;

/**
 * The walk's per-location tables: a single frame's nodes, or the frames of
 * a location with several in `multi`; each location's innermost function
 * node (the caller of the location below it in a stack); and TRACK on
 * single-frame locations whose use flags can change an "(inline)" mark.
 */
export function walkLocations(frames: Frames, nFn: number): WalkLocations {
  const { start, fnOf, lnOf } = frames;
  const nLoc = start.length - 1;
  const locInfo = new Int32Array(nLoc);
  const locLn = new Int32Array(nLoc);
  const multi: number[] = [];
  for (let li = 0; li < nLoc; li++) {
    const x0 = start[li];
    const x1 = start[li + 1];
    if (x1 - x0 === 1) {
      locInfo[li] = fnOf[x0];
      locLn[li] = lnOf[x0];
    } else {
      locInfo[li] = -1 - multi.length;
      locLn[li] = fnOf[x1 - 1];
      multi.push(x1 - x0);
      for (let x = x0; x < x1; x++) multi.push(fnOf[x], lnOf[x]);
    }
  }
  // Single-frame locations whose function is an inlined frame somewhere:
  // only their use flags can change an "(inline)" mark (see inlineMarks in
  // rows.ts), so only they have the walk track them (TRACK).
  const inlinedSomewhere = new Uint8Array(nFn);
  for (let li = 0; li < nLoc; li++) {
    for (let x = start[li]; x < start[li + 1] - 1; x++) inlinedSomewhere[fnOf[x]] = 1;
  }
  const innerFn = new Int32Array(nLoc);
  for (let li = 0; li < nLoc; li++) {
    const info = locInfo[li];
    if (info >= 0 && inlinedSomewhere[fnOf[start[li]]]) locInfo[li] = info | TRACK;
    innerFn[li] = fnOf[start[li]];
  }
  return { locInfo, locLn, innerFn, multi: Int32Array.from(multi) };
}
