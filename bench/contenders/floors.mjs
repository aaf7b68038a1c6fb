// Reference floors, not contenders: the least work any decoder and ranker of
// this profile must do, each timed alone in process. They say how far the
// advisor rows are from what the machine allows.
// - floor-gunzip: node:zlib gunzipSync of the file (read first, untimed).
// - floor-varints: one pass that reads every varint of the raw bytes into a
//   Uint32Array, ignoring the message structure (the least a decoder reads).
// - floor-walk: over advisor's decoded stack columns (untimed), the least a
//   pprof-exact cum needs: per stack entry, its location's function, a
//   per-sample stamp so a function counts once, and the value added to the
//   location (no lines, sites, companion values or flat).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importUrl, isMain, runContender, timed } from '../lib/harness.mjs';

const base = (id, label, timedWhat) => ({
  id,
  group: 'decode',
  label,
  timed: timedWhat,
  kind: 'script',
  script: import.meta.url,
  unavailable: () => null,
  args: (ctx) => ({ which: id, root: ctx.root, profile: ctx.profile }),
});

export default [
  base('floor-gunzip', 'floor: gunzip only (`zlib.gunzipSync`)', 'gunzipSync(bytes)'),
  base('floor-varints', 'floor: read every varint of the raw bytes', 'one varint pass'),
  base('floor-walk', 'floor: bare cum walk over the stack columns', 'stamp + add per stack entry'),
];

function varintPass(raw) {
  const out = new Uint32Array(raw.length);
  let n = 0;
  let pos = 0;
  const end = raw.length;
  while (pos < end) {
    let b = raw[pos++];
    let v = b & 0x7f;
    let shift = 7;
    while (b >= 0x80 && pos < end) {
      b = raw[pos++];
      v |= (b & 0x7f) << shift;
      shift += 7;
    }
    out[n++] = v;
  }
  return n;
}

function bareWalk(p) {
  const { count, stackOffsets, stackLocations, values, valueCount } = p.samples;
  const vi = p.sampleTypes.findIndex((t) => t.type === 'alloc_space');
  const locFn = new Int32Array(p.locations.length);
  p.locations.forEach((l, i) => {
    locFn[i] = l.lines.length ? l.lines[l.lines.length - 1].function.index : 0;
  });
  return timed(() => {
    const stamp = new Int32Array(p.functions.length).fill(-1);
    const cum = new Float64Array(p.locations.length);
    for (let s = 0; s < count; s++) {
      const v = values[s * valueCount + vi];
      for (let k = stackOffsets[s]; k < stackOffsets[s + 1]; k++) {
        const li = stackLocations[k];
        const f = locFn[li];
        if (stamp[f] !== s) {
          stamp[f] = s;
          cum[li] += v;
        }
      }
    }
    return cum;
  });
}

if (isMain(import.meta.url)) {
  await runContender(async ({ which, root, profile }) => {
    const bytes = readFileSync(profile);
    let r;
    if (which === 'floor-gunzip') r = await timed(() => gunzipSync(bytes));
    else if (which === 'floor-varints') {
      const raw = gunzipSync(bytes);
      r = await timed(() => varintPass(raw));
    } else {
      const load = await import(importUrl(join(root, 'dist/profile/index.js')));
      r = await bareWalk(await load.loadProfile(profile));
    }
    return { status: 'ok', ms: r.ms, cpuMs: r.cpuMs };
  });
}
