// cpuCost equals `go tool pprof -focus/-ignore` on real CPU profiles (the
// pprof output is cached: test/helpers/pprof.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goToolPprof } from '../../test/helpers/pprof.js';
import { REALWORLD_PROFILES } from '../../test/helpers/realworld.js';
import { loadProfile } from '../profile/index.js';
import { ALLOC_PATTERN, classifyCpuSamples, cpuCost, GC_PATTERN } from './index.js';

const REAL = REALWORLD_PROFILES;

/**
 * `go tool pprof -top -focus/-ignore` as the oracle: with nothing dropped,
 * "Showing nodes accounting for X" is the sum of the samples the filters
 * keep, and "of Z total" is the whole profile (pprof keeps percentages
 * relative to the unfiltered total).
 */
function pprofFocused(file: string, sampleIndex: string, focus: string, ignore?: string): { kept: number; total: number } {
  const flags = ['-symbolize=none', '-top', `-sample_index=${sampleIndex}`, '-unit=ns', '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000', `-focus=${focus}`];
  if (ignore) flags.push(`-ignore=${ignore}`);
  const out = goToolPprof(flags, file);
  const m = /Showing nodes accounting for (\d+)(?:ns)?, [\d.]+% of (\d+)ns total/.exec(out);
  if (!m) throw new Error(`unexpected pprof output:\n${out.slice(0, 600)}`);
  return { kept: Number(m[1]), total: Number(m[2]) };
}

describe('cpuCost against go tool pprof -focus', () => {
  const cases: Array<[string, string]> = [
    ['Fekinox_aoc-2024__cpu.prof', 'cpu'],
    ['golang_tools__sample.pprof', 'cpu'],
    ['google_pprof__large.cpu', 'cpu'],
    ['MaoLongLong_go-mcts_111a2b5__cpu.pprof', 'cpu'],
    ['grafana_pyroscope__gotruncatefix_cpu_go_truncated_1.pb.gz', 'cpu'],
    // Mixed CPU + allocation profile from DataDog's profiler: cpu-time is read.
    ['DataDog_pprof-format__test.pprof', 'cpu-time'],
  ];
  for (const [name, sampleIndex] of cases) {
    const file = path.join(REAL, name);
    it.skipIf(!existsSync(file))(name, async () => {
      const profile = await loadProfile(file);
      const c = classifyCpuSamples(profile, name);
      expect(c.sampleType.type).toBe(sampleIndex);
      // GC: any GC frame. Allocation: an allocator frame and no GC frame.
      // Together: either kind of frame.
      const gc = pprofFocused(file, sampleIndex, GC_PATTERN);
      const alloc = pprofFocused(file, sampleIndex, ALLOC_PATTERN, GC_PATTERN);
      const either = pprofFocused(file, sampleIndex, `${ALLOC_PATTERN}|${GC_PATTERN}`);
      expect(c.total).toBe(gc.total);
      expect(c.gc).toBe(gc.kept);
      expect(c.alloc).toBe(alloc.kept);
      expect(c.alloc + c.gc).toBe(either.kept);

      const cost = cpuCost(profile, name);
      expect(cost.source).toBe(name);
      expect(cost.allocShare).toBeCloseTo(alloc.kept / alloc.total, 12);
      expect(cost.gcShare).toBeCloseTo(gc.kept / gc.total, 12);
      expect(cost.totalShare).toBeCloseTo(either.kept / either.total, 12);
      expect(cost.note).toMatch(/estimate/i);
      expect(cost.note).toMatch(/not linearly/);
    });
  }

  it('finds real allocation and GC time where the program allocates (golang/tools sample)', async () => {
    const file = path.join(REAL, 'golang_tools__sample.pprof');
    if (!existsSync(file)) return;
    const cost = cpuCost(await loadProfile(file), 'sample.pprof');
    expect(cost.allocShare).toBeGreaterThan(0.01);
    expect(cost.gcShare).toBeGreaterThan(0.01);
  });
});

