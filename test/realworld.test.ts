// Every real profile either decodes with the oracle's counts and totals, or
// gets a clear, specific error; every malformed input gets a clear error.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { AdvisorError } from '../src/errors.js';
import { parseProfileBytes } from '../src/profile/load.js';
import { totalOf } from '../src/profile/model.js';
import { pprofTop } from './helpers/pprof.js';
import { REALWORLD } from './helpers/realworld.js';

const profiles = readdirSync(path.join(REALWORLD, 'profiles')).sort();

describe('real-world profiles', () => {
  test('the corpus is present', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(54);
  });
  test.each(profiles)('%s', (file) => {
    const facts = JSON.parse(readFileSync(path.join(REALWORLD, 'oracle', `${file}.facts.json`), 'utf8'));
    const bytes = readFileSync(path.join(REALWORLD, 'profiles', file));
    if (facts.format !== 'protobuf') {
      // Legacy text and legacy binary profiles: a specific error naming the conversion.
      let err: unknown;
      try {
        parseProfileBytes(bytes, file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AdvisorError);
      expect((err as Error).message).toMatch(/legacy (text|binary)/);
      expect((err as Error).message).toContain('go tool pprof -proto');
      return;
    }
    const p = parseProfileBytes(bytes, file);
    expect(p.sampleTypes.map((t) => `${t.type}/${t.unit}`)).toEqual(facts.sample_types);
    expect(p.sampleTypes.map((_, i) => totalOf(p, i))).toEqual(facts.value_totals);
    expect(p.samples.count).toBe(facts.counts.sample ?? 0);
    expect(p.locations.length).toBe(facts.counts.location ?? 0);
    expect(p.functions.length).toBe(facts.counts.function ?? 0);
    expect(p.mappings.length).toBe(facts.counts.mapping ?? 0);
    let depth = 0;
    for (let i = 0; i < p.samples.count; i++) depth = Math.max(depth, p.samples.stackOffsets[i + 1] - p.samples.stackOffsets[i]);
    expect(depth).toBe(facts.max_stack_depth);
    expect(p.locations.filter((l) => l.lines.length > 1).length).toBe(facts.locations_with_inlined_frames);
    if (facts.period !== null && facts.period !== undefined) expect(p.period).toBe(facts.period);
    if (facts.duration_ns) expect(p.durationNanos).toBe(facts.duration_ns);
  });
});

describe('malformed inputs', () => {
  const dir = path.join(REALWORLD, 'malformed');
  const expected: Record<string, RegExp> = {
    'derived__double_gzip__ecoologic_mem.pprof': /compressed twice/,
    'derived__empty.pprof': /empty input/,
    'derived__gzip_of_empty.pb.gz': /empty input/,
    'derived__gzip_ok_truncated_protobuf__KrishanBhalla_mem.prof': /truncated protobuf/,
    'derived__not_a_profile.json': /looks like JSON/,
    'derived__truncated_gzip__ecoologic_mem.pprof': /truncated gzip/,
  };
  test('every damaged file is covered', () => {
    const files = readdirSync(dir).filter((f) => f !== 'README.tsv' && !f.startsWith('derived__uncompressed'));
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });
  test.each(Object.entries(expected))('%s gets a clear error', (file, re) => {
    const bytes = readFileSync(path.join(dir, file));
    expect(() => parseProfileBytes(bytes, file)).toThrowError(re);
    try {
      parseProfileBytes(bytes, file);
    } catch (e) {
      expect(e).toBeInstanceOf(AdvisorError);
      expect((e as Error).message.startsWith(file)).toBe(true);
    }
  });
  test('an uncompressed (raw protobuf) profile decodes like its gzipped form', () => {
    const file = path.join(dir, 'derived__uncompressed__KrishanBhalla_mem.prof.pb');
    const p = parseProfileBytes(readFileSync(file), 'x');
    expect(p.sampleTypes[1].type).toBe('alloc_space');
    expect(totalOf(p, 1)).toBe(pprofTop(file, 1).total);
  });
});
