import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import { loadProfile } from '../profile/index.js';
import * as pf from 'pprof-format';
import { StringTable } from 'pprof-format';
import { parseProfileBytes } from '../profile/load.js';
import type { Profile } from '../profile/model.js';
import { classifyCpuSamples, cpuCost, cpuSavingEstimate, heapSamplingWarning, profilerShare, SMALL_HEAP_PERIOD } from './index.js';
import { REALWORLD_PROFILES as REAL } from '../../test/helpers/realworld.js';


// --- small profiles built in code ---------------------------------------

/**
 * Encodes a small profile with pprof-format and decodes it with our decoder,
 * so the test exercises the same path as a real file. frames: per location,
 * its inlined frames innermost first; a stack lists locations leaf first.
 */
function buildProfile(
  types: Array<[string, string]>,
  stacks: Array<{ frames: string[][]; values: number[] }>,
  periodType: [string, string] | null = ['cpu', 'nanoseconds'],
  period = 10_000_000,
): Profile {
  const st = new StringTable();
  const functions: pf.Function[] = [];
  const fnIds = new Map<string, number>();
  const fnId = (n: string): number => {
    let id = fnIds.get(n);
    if (id === undefined) {
      id = functions.length + 1;
      functions.push(new pf.Function({ id, name: st.dedup(n), systemName: st.dedup(n), filename: st.dedup('x.go'), startLine: 1 }));
      fnIds.set(n, id);
    }
    return id;
  };
  const locations: pf.Location[] = [];
  const samples: pf.Sample[] = [];
  for (const s of stacks) {
    const ids: number[] = [];
    for (const lines of s.frames) {
      const id = locations.length + 1;
      locations.push(new pf.Location({ id, address: 0x1000 + id, line: lines.map((n) => new pf.Line({ functionId: fnId(n), line: 1 })) }));
      ids.push(id);
    }
    samples.push(new pf.Sample({ locationId: ids, value: s.values }));
  }
  const encoded = new pf.Profile({
    sampleType: types.map(([type, unit]) => new pf.ValueType({ type: st.dedup(type), unit: st.dedup(unit) })),
    sample: samples,
    location: locations,
    function: functions,
    periodType: periodType ? new pf.ValueType({ type: st.dedup(periodType[0]), unit: st.dedup(periodType[1]) }) : undefined,
    period,
    stringTable: st,
  }).encode();
  return parseProfileBytes(encoded, 'built');
}

const CPU: Array<[string, string]> = [
  ['samples', 'count'],
  ['cpu', 'nanoseconds'],
];

describe('classifying samples', () => {
  it('counts each sample once, GC before allocation', () => {
    const p = buildProfile(CPU, [
      { frames: [['runtime.memclrNoHeapPointers'], ['runtime.mallocgc'], ['main.f'], ['runtime.main']], values: [1, 10] },
      // An assist paid for by mallocgc is GC.
      { frames: [['runtime.scanobject'], ['runtime.gcDrainN'], ['runtime.gcAssistAlloc1'], ['runtime.gcAssistAlloc.func1'], ['runtime.systemstack'], ['runtime.gcAssistAlloc'], ['runtime.deductAssistCredit'], ['runtime.mallocgc'], ['main.f']], values: [1, 20] },
      // Proportional sweeping inside the allocator's slow path is GC.
      { frames: [['runtime.sweepone'], ['runtime.deductSweepCredit'], ['runtime.(*mcentral).cacheSpan'], ['runtime.(*mcache).refill'], ['runtime.(*mcache).nextFree'], ['runtime.mallocgc']], values: [1, 40] },
      { frames: [['main.g'], ['runtime.main']], values: [1, 80] },
      // An inlined allocator frame counts (Swiss map growth inlined into mapassign).
      { frames: [['internal/runtime/maps.(*table).rehash', 'internal/runtime/maps.(*Map).putSlotSmall'], ['main.h']], values: [1, 160] },
      // A closure of a GC function is GC.
      { frames: [['runtime.gcBgMarkWorker.func2'], ['runtime.systemstack']], values: [1, 320] },
      // memclr outside the allocator is user work, not allocation.
      { frames: [['runtime.memclrNoHeapPointers'], ['main.reset']], values: [1, 640] },
    ]);
    const c = classifyCpuSamples(p, 'built');
    expect(c.sampleType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(c.total).toBe(1270);
    expect(c.gc).toBe(20 + 40 + 320);
    expect(c.alloc).toBe(10 + 160);
  });

  it('does not take look-alike names for runtime functions', () => {
    const p = buildProfile(CPU, [
      { frames: [['main.mallocgc'], ['runtime.main']], values: [1, 1] },
      { frames: [['runtime.newobjectX'], ['runtime.main']], values: [1, 1] },
      { frames: [['runtime.gcmarknewobject'], ['runtime.main']], values: [1, 1] },
      { frames: [['runtime.mallocgc'], ['runtime.main']], values: [1, 1] },
    ]);
    const cost = cpuCost(p, 'built');
    expect(cost.allocShare).toBe(0.25);
    expect(cost.gcShare).toBe(0);
    expect(cost.totalShare).toBe(0.25);
  });

  it('reads cpu-time from a mixed DataDog-style profile and samples/count alone', () => {
    const dd = buildProfile(
      [
        ['cpu-samples', 'count'],
        ['cpu-time', 'nanoseconds'],
        ['alloc-space', 'bytes'],
      ],
      [
        { frames: [['runtime.mallocgc'], ['runtime.main']], values: [1, 30, 999] },
        { frames: [['main.g'], ['runtime.main']], values: [3, 10, 0] },
      ],
      null,
    );
    expect(classifyCpuSamples(dd, 'dd').sampleIndex).toBe(1);
    expect(cpuCost(dd, 'dd').allocShare).toBe(0.75);
    const py = buildProfile([['samples', 'count']], [
      { frames: [['runtime.mallocgc']], values: [1] },
      { frames: [['main.g']], values: [3] },
    ]);
    expect(cpuCost(py, 'py').allocShare).toBe(0.25);
  });

  it('refuses a heap profile given as a CPU profile', () => {
    const heap = buildProfile(
      [
        ['alloc_objects', 'count'],
        ['alloc_space', 'bytes'],
        ['inuse_objects', 'count'],
        ['inuse_space', 'bytes'],
      ],
      [{ frames: [['runtime.mallocgc']], values: [1, 2, 3, 4] }],
      ['space', 'bytes'],
    );
    expect(() => cpuCost(heap, 'mem.pb.gz')).toThrowError(AdvisorError);
    expect(() => cpuCost(heap, 'mem.pb.gz')).toThrowError(/^mem\.pb\.gz is a heap profile, not a CPU profile \(its sample types are alloc_objects\/count, alloc_space\/bytes, inuse_objects\/count, inuse_space\/bytes\); --cpu needs a CPU profile/);
  });

  it('refuses a goroutine profile, an empty CPU profile and a non-Go one', () => {
    const g = buildProfile([['goroutine', 'count']], [{ frames: [['runtime.gopark']], values: [1] }], ['goroutine', 'count']);
    expect(() => cpuCost(g, 'g')).toThrowError(/^g is not a CPU profile/);
    const empty = buildProfile(CPU, []);
    expect(() => cpuCost(empty, 'idle')).toThrowError(/holds no samples/);
    const java = buildProfile([['cpu', 'nanoseconds']], [{ frames: [['java.lang.Thread.run']], values: [5] }]);
    expect(() => cpuCost(java, 'java')).toThrowError(/no Go runtime frames/);
  });

  it('refuses real non-CPU profiles from the corpus', async () => {
    const file = path.join(REAL, 'Fekinox_aoc-2024__mem.prof');
    const p = await loadProfile(file);
    expect(() => cpuCost(p, 'mem.prof')).toThrowError(/is a heap profile, not a CPU profile/);
  });
});

describe('cpuSavingEstimate', () => {
  const cost = { source: 'cpu', allocShare: 0.1, gcShare: 0.2, totalShare: 0.3, note: '' };
  it('scales allocator time by objects and GC time by bytes', () => {
    expect(cpuSavingEstimate(cost, 0.5, 0.25)).toBeCloseTo(0.1 * 0.25 + 0.2 * 0.5, 15);
  });
  it('uses the bytes share for both when there are no object counts', () => {
    expect(cpuSavingEstimate(cost, 0.5, null)).toBeCloseTo(0.15, 15);
  });
  it('never exceeds the allocation and GC share', () => {
    expect(cpuSavingEstimate(cost, 1, 1)).toBeCloseTo(0.3, 15);
    expect(cpuSavingEstimate(cost, 3, 2)).toBeCloseTo(0.3, 15);
    expect(cpuSavingEstimate(cost, -1, null)).toBe(0);
  });
  it('rejects NaN as a programming error', () => {
    expect(() => cpuSavingEstimate(cost, Number.NaN, null)).toThrowError(RangeError);
  });
});

describe('heapSamplingWarning', () => {
  const HEAP: Array<[string, string]> = [
    ['alloc_objects', 'count'],
    ['alloc_space', 'bytes'],
  ];
  const heapAt = (period: number) => buildProfile(HEAP, [{ frames: [['main.f']], values: [1, 64] }], ['space', 'bytes'], period);
  const cpuWith = (profilerSamples: number) =>
    buildProfile(CPU, [
      { frames: [['runtime.mallocgc'], ['main.f']], values: [50, 50] },
      { frames: [['runtime.mProf_Malloc'], ['runtime.profilealloc'], ['runtime.mallocgc'], ['main.f']], values: [profilerSamples, profilerSamples] },
      { frames: [['main.g']], values: [100 - profilerSamples, 100 - profilerSamples] },
    ]);

  it('measures the heap profiler in the CPU profile', () => {
    expect(profilerShare(cpuWith(30), 'cpu')).toBeCloseTo(30 / 150, 12);
    expect(profilerShare(cpuWith(0), 'cpu')).toBe(0);
  });
  it('warns below 64 KiB, or when the profiler shows in the CPU profile; not at the default rate', () => {
    expect(heapSamplingWarning(heapAt(524_288), cpuWith(0), 'cpu')).toBeNull();
    // A few percent at the default rate is a short profile's chance, not a distortion (PROFILER_SHARE_WARN).
    expect(heapSamplingWarning(heapAt(524_288), cpuWith(6), 'cpu')).toBeNull();
    expect(heapSamplingWarning(heapAt(SMALL_HEAP_PERIOD), cpuWith(0), 'cpu')).toBeNull();
    expect(heapSamplingWarning(heapAt(SMALL_HEAP_PERIOD - 1), cpuWith(0), 'cpu')).toMatch(/^The heap profile was sampled every 65,535 bytes .* spends 0% of its time in the heap profiler/);
    expect(heapSamplingWarning(heapAt(524_288), cpuWith(30), 'cpu')).toMatch(/^The heap profile was sampled every 524,288 bytes .*; the CPU profile spends 20\.00% of its time in the heap profiler/);
    expect(heapSamplingWarning(heapAt(1), cpuWith(60), 'cpu')).toMatch(/every 1 byte .*nearly every allocation recorded its stack/);
  });
});
