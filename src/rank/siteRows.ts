// The site rows: everything about sites that needs no walk results, made
// from the site pass (sites.ts) while the workers walk. A site's cum (its
// line's) is set once the walk is done (rank in index.ts).
import type { Profile } from '../profile/model.js';
import type { AllocatedBy, Site } from './model.js';
import { namelessName } from './nodes.js';
import type { SiteIds } from './siteIds.js';
import { addToSite, SITE_FLAT, SITE_FLAT_C, SITE_MAX, SITE_SAMPLES, type AllocatedBy as AllocatedByTable, type SiteAcc } from './sites.js';

export interface SiteRows {
  /** Sites with a value, largest |flat| first. */
  list: Site[];
  /** Per row of `list`: its site's line node, whose cum is the site's. */
  lineNode: number[];
}

/**
 * The rows of the sites the pass found. `fnNames` names function nodes;
 * `vi` and `ci` are the sample index and companion index (or null).
 */
export function siteRows(found: SiteAcc, profile: Profile, ids: SiteIds, fnNames: string[], vi: number, ci: number | null): SiteRows {
  const siteAcc = withLeafSites(found, profile, ids, vi, ci);
  const nSites = ids.size;
  const allocatedByOf = allocatedByLists(found.allocatedBy, nSites, fnNames);

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
  // Made in site-id order (user sites were made in location order), so
  // that location objects are read about in the order they were
  // allocated, not in the sorted order.
  const made: Site[] = new Array(nSites);
  for (const id of order) made[id] = siteOf(id, siteAcc, profile, ids, allocatedByOf);
  order.sort((a, b) => {
    const d = absFlat[b] - absFlat[a] || absFlatC[b] - absFlatC[a];
    if (d !== 0) return d;
    const sa = made[a];
    const sb = made[b];
    return (sa.function < sb.function ? -1 : sa.function > sb.function ? 1 : 0) || sa.line - sb.line;
  });
  const list: Site[] = new Array(order.length);
  const lineNode: number[] = new Array(order.length);
  for (let x = 0; x < order.length; x++) {
    list[x] = made[order[x]];
    lineNode[x] = ids.siteLineNode[order[x]];
  }
  return { list, lineNode };
}

/**
 * The pass's sums with the samples without any user frame added to their
 * leaf sites, created now (after every user site, so user sites keep their
 * ids and the pass's sums stay valid for them).
 */
function withLeafSites(found: SiteAcc, profile: Profile, ids: SiteIds, vi: number, ci: number | null): Float64Array {
  const { siteAcc: walked, pending } = found;
  const nUserSites = ids.size;
  if (pending.length === 0) return walked.subarray(0, 4 * nUserSites);
  const { values, valueCount, stackLocations, stackOffsets } = profile.samples;
  const leafSite = new Int32Array(pending.length);
  for (let x = 0; x < pending.length; x++) leafSite[x] = ids.leafSite(stackLocations[stackOffsets[pending[x]]]);
  const siteAcc = new Float64Array(4 * ids.size);
  siteAcc.set(walked.subarray(0, 4 * nUserSites));
  for (let x = 0; x < pending.length; x++) {
    const s = pending[x];
    addToSite(siteAcc, leafSite[x], values[s * valueCount + vi], ci === null ? 0 : values[s * valueCount + ci]);
  }
  return siteAcc;
}

/** Each site's (leaf, via) pairs, in the order first seen (pair ids are), as a function of site id and flat. */
function allocatedByLists(by: AllocatedByTable, nSites: number, fnNames: string[]): (id: number, flat: number) => AllocatedBy[] {
  const nBy = by.ids.size;
  const byKeys = by.ids.keys;
  const byStart = new Int32Array(nSites + 1);
  for (let e = 0; e < nBy; e++) byStart[byKeys[4 * e] + 1]++;
  for (let i = 0; i < nSites; i++) byStart[i + 1] += byStart[i];
  const byOrder = new Int32Array(nBy);
  const byFill = byStart.slice(0, nSites);
  for (let e = 0; e < nBy; e++) byOrder[byFill[byKeys[4 * e]]++] = e;
  return (id, flat) => {
    const out: AllocatedBy[] = [];
    for (let x = byStart[id]; x < byStart[id + 1]; x++) {
      const e = byOrder[x];
      const leafName = fnNames[byKeys[4 * e + 1]];
      const viaName = fnNames[byKeys[4 * e + 2]];
      const value = by.value[e];
      out.push({ function: leafName, via: viaName === leafName ? null : viaName, value, companion: by.companion[e], share: flat ? value / flat : 0 });
    }
    return out;
  };
}

// A function per site rather than a loop body in siteRows: it is optimized
// after a few hundred calls (see FrameBuilder.addLocation in frames.ts).
function siteOf(id: number, siteAcc: Float64Array, profile: Profile, ids: SiteIds, allocatedByOf: (id: number, flat: number) => AllocatedBy[]): Site {
  const flat = siteAcc[4 * id + SITE_FLAT];
  const by = allocatedByOf(id, flat);
  if (by.length > 1) by.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.function < b.function ? -1 : a.function > b.function ? 1 : 0));
  const loc = profile.locations[ids.siteLoc[id]];
  const j = ids.siteFrame[id];
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
    userCode: ids.siteUser[id],
    samples: siteAcc[4 * id + SITE_SAMPLES],
    maxSampleValue: siteAcc[4 * id + SITE_MAX],
  };
}
