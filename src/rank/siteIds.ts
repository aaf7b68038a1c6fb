// Which frame of each location is a site, and the ids of sites.
//
// A sample is attributed to its first user frame from the leaf (or, with
// none, to its leaf frame). That depends only on the location holding the
// frame, so site ids are per location: one for "user frame here", one for
// "leaf, no user code". A site is its location, frame index and kind until
// the walk has shown whether it has a value (siteRows.ts makes its row).
//
// Sites are keyed by their frame's function name, file and line, and, when
// the frame was inlined, by the physical caller's too; (name, file) pairs
// are numbered once per Function.
import type { Func, Profile } from '../profile/model.js';
import type { UserCodePredicate } from './userCode.js';
import { IntTupleIds, isInt32 } from './intmap.js';
import { FRAME_NO_LINES, FRAME_OTHER, type Frames } from './frames.js';
import { namelessName, type NodeIds } from './nodes.js';
import { SITE_UNKNOWN } from './sites.js';

export class SiteIds {
  /** Per site: its location. */
  readonly siteLoc: number[] = [];
  /** Per site: its frame's index in the location. */
  readonly siteFrame: number[] = [];
  /** Per site: whether its frame is user code (rather than a leaf without any). */
  readonly siteUser: boolean[] = [];
  /** Per site: its frame's line node. */
  readonly siteLineNode: number[] = [];
  private readonly profile: Profile;
  private readonly nodes: NodeIds;
  private readonly frames: Frames;
  private readonly siteNames: IntTupleIds;
  private readonly siteNameOfFunc: Int32Array;
  private readonly siteTuples: IntTupleIds;
  private readonly siteOfTuple: number[] = [];
  /** Sites of locations without lines or with lines beyond int32, by a string key. */
  private readonly otherSiteIds = new Map<string, number>();
  /** Per location: its leaf site (no user code), or -1 until made. */
  private readonly locLeafSite: Int32Array;

  constructor(profile: Profile, nodes: NodeIds, frames: Frames) {
    this.profile = profile;
    this.nodes = nodes;
    this.frames = frames;
    const nFuncs = profile.functions.length;
    const nLoc = profile.locations.length;
    this.siteNames = new IntTupleIds(Math.max(1024, nFuncs));
    this.siteNameOfFunc = new Int32Array(nFuncs).fill(-1);
    this.siteTuples = new IntTupleIds(Math.max(4096, nLoc));
    this.locLeafSite = new Int32Array(nLoc).fill(-1);
  }

  /** The number of sites made. */
  get size(): number {
    return this.siteLoc.length;
  }

  /** The site of location li's leaf frame, for samples without user code. */
  leafSite(li: number): number {
    if (this.locLeafSite[li] < 0) this.locLeafSite[li] = this.idOf(li, 0, false);
    return this.locLeafSite[li];
  }

  /** The site of frame j of location li (a user frame, or the leaf of a sample without one), made when new. */
  idOf(li: number, j: number, userCode: boolean): number {
    const { start, func, line: lineOf, lnOf } = this.frames;
    const x0 = start[li];
    const last = start[li + 1] - 1 - x0;
    const line = lineOf[x0 + j];
    const lastLine = j < last ? lineOf[x0 + last] : 0;
    let id: number | undefined;
    if (func[x0] !== FRAME_NO_LINES && isInt32(line) && isInt32(lastLine)) {
      const t = this.siteTuples.intern(2 * this.frameSiteName(li, j) + (userCode ? 0 : 1), line, j < last ? this.frameSiteName(li, last) : -1, lastLine);
      if (t < this.siteOfTuple.length) return this.siteOfTuple[t];
      this.siteOfTuple.push((id = this.siteLoc.length));
    } else {
      // A location without lines, or line numbers beyond int32.
      const loc = this.profile.locations[li];
      const ln = loc.lines[j];
      const lastLn = j < last ? loc.lines[last] : null;
      let key = ln ? `${this.siteName(ln.function)}:${ln.line}` : `n${namelessName(loc)}`;
      if (lastLn) key += `:${this.siteName(lastLn.function)}:${lastLn.line}`;
      if (!userCode) key += '!';
      id = this.otherSiteIds.get(key);
      if (id !== undefined) return id;
      this.otherSiteIds.set(key, (id = this.siteLoc.length));
    }
    this.siteLoc.push(li);
    this.siteFrame.push(j);
    this.siteUser.push(userCode);
    this.siteLineNode.push(lnOf[x0 + j]);
    return id;
  }

  private frameSiteName(li: number, j: number): number {
    const fx = this.frames.func[this.frames.start[li] + j];
    if (fx < 0) return this.siteName(this.profile.locations[li].lines[j].function);
    const id = this.siteNameOfFunc[fx];
    return id >= 0 ? id : this.siteName(this.profile.functions[fx]);
  }

  /** The id of a function's (name, file) pair. */
  private siteName(fn: Func): number {
    const fx = fn.index;
    const siteNameOfFunc = this.siteNameOfFunc;
    if (fx >= 0 && siteNameOfFunc[fx] >= 0) return siteNameOfFunc[fx];
    const fnNodeOfFunc = this.frames.fnNodeOfFunc;
    const name = !fn.name ? -1 : fx >= 0 && fnNodeOfFunc[fx] >= 0 ? fnNodeOfFunc[fx] : this.nodes.fnNode(fn.name, fn.name);
    const id = this.siteNames.intern(name, this.nodes.fileId(fn.filename), 0, 0);
    if (fx >= 0) siteNameOfFunc[fx] = id;
    return id;
  }
}

/** Per location, where its site is (the walk's SiteTables, but resolve). */
export interface UserFrames {
  /** Per location: the index of its first user frame from the innermost, or -1. */
  locUser: Int32Array;
  /** Per location: -1 without a user frame, else SITE_UNKNOWN (its site is made when a sample needs it). */
  locSite: Int32Array;
  /** Per location whose user frame is not its innermost: the function node of the frame just inside it, else -1. */
  locVia: Int32Array;
}

/** Each location's first user frame, from the innermost. */
export function userFrames(profile: Profile, frames: Frames, isUser: UserCodePredicate): UserFrames {
  const { start, func, fnOf } = frames;
  const funcs = profile.functions;
  const nLoc = profile.locations.length;
  const isUserFunc = (f: Func): boolean => f.name !== '' && isUser(f.name, f.filename);
  const userOfFunc = new Int8Array(funcs.length); // 0 not yet known, 1 user code, 2 not
  const locUser = new Int32Array(nLoc);
  const locSite = new Int32Array(nLoc).fill(SITE_UNKNOWN);
  const locVia = new Int32Array(nLoc).fill(-1);
  for (let li = 0; li < nLoc; li++) {
    const x0 = start[li];
    const x1 = start[li + 1];
    let user = -1;
    for (let x = x0; x < x1 && user < 0; x++) {
      const fx = func[x];
      if (fx >= 0) {
        if (userOfFunc[fx] === 0) userOfFunc[fx] = isUserFunc(funcs[fx]) ? 1 : 2;
        if (userOfFunc[fx] === 1) user = x - x0;
      } else if (fx === FRAME_OTHER && isUserFunc(profile.locations[li].lines[x - x0].function)) user = x - x0;
    }
    locUser[li] = user;
    if (user < 0) locSite[li] = -1;
    else if (user > 0) locVia[li] = fnOf[x0 + user - 1];
  }
  return { locUser, locSite, locVia };
}
