// The site pass (sites.ts, with the site tables index.ts builds) against a
// plain reference: one sample at a time, over the Location objects, find the
// first user frame from the leaf and sum. Run on the bundled samples and on
// every real heap profile, with the options that change attribution.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseProfileBytes } from '../profile/load.js';
import type { Func, Location, Profile } from '../profile/model.js';
import { chooseSampleIndex, isHeapLike, rankProfile, userCodePredicate, type RankOptions } from './index.js';
import type { Site } from './model.js';

const ROOT = path.resolve(__dirname, '../..');
const REALWORLD = path.resolve(ROOT, 'test/fixtures/realworld');

function heapProfiles(): [string, string][] {
  const out: [string, string][] = [
    ['service', path.join(ROOT, 'samples/service/allocs.pb.gz')],
    ['basic', path.join(ROOT, 'samples/basic/allocs.pb.gz')],
  ];
  for (const file of readdirSync(path.join(REALWORLD, 'profiles')).sort()) {
    const facts = JSON.parse(readFileSync(path.join(REALWORLD, 'oracle', `${file}.facts.json`), 'utf8'));
    if (facts.format !== 'protobuf') continue;
    const types: string[] = facts.sample_types;
    if (types.some((t) => isHeapLike({ type: t.split('/')[0], unit: t.split('/')[1] }))) out.push([file, path.join(REALWORLD, 'profiles', file)]);
  }
  return out;
}

const nameless = (loc: Location): string => (loc.mapping?.filename ? `[${path.posix.basename(loc.mapping.filename)}]` : '<unknown>');
// A frame's function node name, as pprof prints it.
const nodeName = (loc: Location, f: Func): string => f.name || (f.filename ? path.posix.normalize(f.filename).replace(/(.)\/$/, '$1') : nameless(loc));
const physical = (loc: Location): string => (loc.lines.length ? nodeName(loc, loc.lines[loc.lines.length - 1].function) : nameless(loc));

interface RefSite {
  flat: number;
  flatCompanion: number;
  samples: number;
  maxSampleValue: number;
  functionStartLine: number;
  by: Map<string, [number, number]>;
}

function keyOf(s: Pick<Site, 'function' | 'file' | 'line' | 'callSite' | 'userCode'>): string {
  return JSON.stringify([s.function, s.file, s.line, s.callSite, s.userCode]);
}

function referenceSites(p: Profile, opts: RankOptions): Map<string, RefSite> {
  const choice = chooseSampleIndex(p, opts.sampleIndex);
  const byName = userCodePredicate({ module: opts.module });
  const isUser = (fn: string, file: string): boolean => byName(fn, file) && (!opts.editable || !file || opts.editable(file));
  const matches = (re: RegExp, loc: Location): boolean => loc.lines.some((l) => re.test(l.function.name) || (l.function.filename !== '' && re.test(l.function.filename)));
  const { count, valueCount, values, stackOffsets, stackLocations } = p.samples;
  const out = new Map<string, RefSite>();
  for (let s = 0; s < count; s++) {
    const stack = Array.from(stackLocations.subarray(stackOffsets[s], stackOffsets[s + 1]), (i) => p.locations[i]);
    if (stack.length === 0) continue;
    if (opts.ignore && stack.some((l) => matches(opts.ignore!, l))) continue;
    if (opts.focus && !stack.some((l) => matches(opts.focus!, l))) continue;
    let k = 0;
    let j = -1;
    for (; k < stack.length && j < 0; k++) j = stack[k].lines.findIndex((l) => l.function.name !== '' && isUser(l.function.name, l.function.filename));
    const userCode = j >= 0;
    if (userCode) k--;
    else [k, j] = [0, 0];
    const loc = stack[k];
    const ln = loc.lines[j];
    const last = loc.lines[loc.lines.length - 1];
    const key = keyOf({
      function: ln ? ln.function.name || nameless(loc) : nameless(loc),
      file: ln?.function.filename ?? '',
      line: ln?.line ?? 0,
      callSite: ln && j < loc.lines.length - 1 ? { function: last.function.name, file: last.function.filename, line: last.line } : null,
      userCode,
    });
    const v = values[s * valueCount + choice.index];
    const cv = choice.companionIndex === null ? 0 : values[s * valueCount + choice.companionIndex];
    let r = out.get(key);
    if (!r) out.set(key, (r = { flat: 0, flatCompanion: 0, samples: 0, maxSampleValue: 0, functionStartLine: ln?.function.startLine ?? 0, by: new Map() }));
    r.flat += v;
    r.flatCompanion += cv;
    r.samples++;
    r.maxSampleValue = Math.max(r.maxSampleValue, Math.abs(v));
    // What allocated below a user frame: the leaf's innermost frame, and the
    // frame just below the site (in its location, or the physical frame of
    // the location below).
    if (userCode && (j > 0 || k > 0)) {
      const via = j > 0 ? nodeName(loc, loc.lines[j - 1].function) : physical(stack[k - 1]);
      const leaf = stack[0].lines.length ? nodeName(stack[0], stack[0].lines[0].function) : nameless(stack[0]);
      const pair = JSON.stringify([leaf, via === leaf ? null : via]);
      const prev = r.by.get(pair) ?? [0, 0];
      r.by.set(pair, [prev[0] + v, prev[1] + cv]);
    }
  }
  for (const [k, r] of out) if (r.flat === 0 && r.flatCompanion === 0) out.delete(k);
  return out;
}

function variants(p: Profile): RankOptions[] {
  // `editable` stands in for generated files: every file whose name has an odd length is "generated".
  const out: RankOptions[] = [{}, { module: 'main' }, { focus: /json|fmt|main/ }, { ignore: /runtime|sync|strings/ }, { editable: (f) => f.length % 2 === 0 }];
  const heap = p.sampleTypes.findIndex((t) => isHeapLike(t) && t.unit === 'count');
  if (heap >= 0) out.push({ sampleIndex: String(heap) });
  return out;
}

describe('sites equal a one-sample-at-a-time reference', () => {
  test.each(heapProfiles())('%s', (_name, file) => {
    const p = parseProfileBytes(readFileSync(file), path.basename(file));
    for (const opts of variants(p)) {
      const ranking = rankProfile(p, { ...opts, parallel: { threads: 1 } });
      const ref = referenceSites(p, opts);
      expect(ranking.sites.length).toBe(ref.size);
      for (const site of ranking.sites) {
        const r = ref.get(keyOf(site));
        expect(r, keyOf(site)).toBeDefined();
        expect([site.flat, site.flatCompanion, site.samples, site.maxSampleValue, site.functionStartLine]).toEqual([
          r!.flat,
          r!.flatCompanion,
          r!.samples,
          r!.maxSampleValue,
          r!.functionStartLine,
        ]);
        const by = site.allocatedBy.map((b) => [JSON.stringify([b.function, b.via]), [b.value, b.companion]] as const);
        expect(new Map(by)).toEqual(r!.by);
        for (const b of site.allocatedBy) expect(b.share).toBe(site.flat ? b.value / site.flat : 0);
        // Largest first.
        for (let i = 1; i < site.allocatedBy.length; i++) expect(Math.abs(site.allocatedBy[i - 1].value)).toBeGreaterThanOrEqual(Math.abs(site.allocatedBy[i].value));
      }
      // Sites come by |flat|, then |companion flat|.
      for (let i = 1; i < ranking.sites.length; i++) {
        const [a, b] = [ranking.sites[i - 1], ranking.sites[i]];
        expect(Math.abs(a.flat) > Math.abs(b.flat) || (Math.abs(a.flat) === Math.abs(b.flat) && Math.abs(a.flatCompanion) >= Math.abs(b.flatCompanion))).toBe(true);
      }
    }
  });
});
