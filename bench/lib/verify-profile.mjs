// Checks a generated heap profile against what the benchmark promises:
// wire layout like Go's runtime writer, a clean decode by pprof-format, and
// `go tool pprof -top` reading it without complaint.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs/minimal.js';

/** Walks the top-level fields and the Sample messages. */
function scanWire(buf) {
  const r = protobuf.Reader.create(buf);
  const fieldRuns = [];
  const s = { samples: 0, packedLocationLists: 0, unpackedLocationEntries: 0, valueFirst: 0, labelled: 0 };
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const last = fieldRuns.at(-1);
    if (last && last.field === field) last.count++;
    else fieldRuns.push({ field, count: 1 });
    if (field !== 2) {
      r.skipType(tag & 7);
      continue;
    }
    const end = r.uint32() + r.pos;
    s.samples++;
    let first = 0;
    let hasLabel = false;
    while (r.pos < end) {
      const t = r.uint32();
      const f = t >>> 3;
      if (first === 0) first = f;
      if (f === 1) {
        if ((t & 7) === 2) s.packedLocationLists++;
        else s.unpackedLocationEntries++;
      }
      if (f === 3) hasLabel = true;
      r.skipType(t & 7);
    }
    if (first === 2) s.valueFirst++;
    if (hasLabel) s.labelled++;
  }
  return { ...s, fieldRuns };
}

export function verifyProfile(file, { expectSamples } = {}) {
  const problems = [];
  const gz = readFileSync(file);
  const raw = gunzipSync(gz);
  const wire = scanWire(raw);
  const runs = wire.fieldRuns;
  if (runs[0]?.field !== 11) problems.push('period_type is not the first field');
  if (runs.at(-1)?.field !== 6) problems.push('string_table is not the last field');
  if (wire.valueFirst !== wire.samples) problems.push(`${wire.samples - wire.valueFirst} samples do not write value before location_id`);
  if (wire.packedLocationLists === 0 || wire.unpackedLocationEntries === 0) problems.push('expected both packed and unpacked location_id lists');
  const interleaved = runs.filter((x) => x.field === 2).length;
  if (interleaved < 2) problems.push('samples are not interleaved with locations and functions');
  if (expectSamples !== undefined && wire.samples !== expectSamples) problems.push(`${wire.samples} samples, expected ${expectSamples}`);
  return { file, gzipBytes: gz.length, rawBytes: raw.length, wire, problems, raw };
}

export async function verifyWithDecoders(file, { expectSamples, go = true } = {}) {
  const res = verifyProfile(file, { expectSamples });
  const { Profile } = await import('pprof-format');
  const p = Profile.decode(res.raw);
  delete res.raw;
  const types = p.sampleType.map((t) => `${p.stringTable.strings[Number(t.type)]}/${p.stringTable.strings[Number(t.unit)]}`);
  const want = ['alloc_objects/count', 'alloc_space/bytes', 'inuse_objects/count', 'inuse_space/bytes'];
  if (types.join() !== want.join()) res.problems.push(`sample types ${types.join(', ')}`);
  if (Number(p.period) !== 524288) res.problems.push(`period ${p.period}`);
  const locIds = new Set(p.location.map((l) => Number(l.id)));
  const fnIds = new Set(p.function.map((f) => Number(f.id)));
  let maxDepth = 0;
  let minDepth = Infinity;
  let recursive = 0;
  for (const s of p.sample) {
    if (s.value.length !== 4) res.problems.push('a sample without 4 values');
    for (const id of s.locationId) if (!locIds.has(Number(id))) res.problems.push(`unknown location ${id}`);
    maxDepth = Math.max(maxDepth, s.locationId.length);
    minDepth = Math.min(minDepth, s.locationId.length);
    if (new Set(s.locationId.map(Number)).size < s.locationId.length) recursive++;
    if (res.problems.length > 20) break;
  }
  let inlined = 0;
  for (const l of p.location) {
    if (l.line.length > 1) inlined++;
    for (const ln of l.line) if (!fnIds.has(Number(ln.functionId))) res.problems.push(`unknown function ${ln.functionId}`);
  }
  res.pprofFormat = {
    samples: p.sample.length,
    locations: p.location.length,
    functions: p.function.length,
    inlinedLocations: inlined,
    samplesWithRepeatedLocation: recursive,
    depth: [minDepth, maxDepth],
  };
  if (go) {
    const t0 = performance.now();
    const r = spawnSync('go', ['tool', 'pprof', '-top', '-sample_index=alloc_space', file], {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      env: { ...process.env, GOTOOLCHAIN: 'local' },
    });
    res.goPprof = { exit: r.status, seconds: (performance.now() - t0) / 1000, header: (r.stdout ?? '').split('\n').slice(0, 6) };
    if (r.status !== 0) res.problems.push(`go tool pprof failed: ${(r.stderr ?? r.error?.message ?? '').split('\n')[0]}`);
    else if (!/^Type: alloc_space$/m.test(r.stdout)) res.problems.push('go tool pprof printed no "Type: alloc_space"');
  }
  return res;
}
