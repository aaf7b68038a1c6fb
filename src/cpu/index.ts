// The CPU cost of allocation: how much of a CPU profile is spent allocating
// and collecting, and what share of all CPU a fix to one allocation site
// could give back. Pure: a decoded Profile in, numbers out.
import { AdvisorError } from '../errors.js';
import type { CpuCost } from '../model/report.js';
import type { Profile, ValueType } from '../profile/model.js';
import { ALLOC_RE, GC_RE } from './frames.js';
import { formatPercent } from '../model/units.js';

export type { CpuCost } from '../model/report.js';
export { ALLOC_FUNCTIONS, ALLOC_PATTERN, GC_FUNCTIONS, GC_PATTERN } from './frames.js';

/** Absolute values at the chosen sample index, as pprof totals them. */
export interface CpuClassification {
  sampleIndex: number;
  sampleType: ValueType;
  total: number;
  alloc: number;
  gc: number;
}

function norm(s: string): string {
  return s.trim().toLowerCase().replace(/[-\s]/g, '_');
}

const TIME_UNITS = new Set(['nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'ns', 'us', 'ms', 's']);
const CPU_TIME_TYPES = new Set(['cpu', 'cpu_time']);
const CPU_COUNT_TYPES = new Set(['samples', 'cpu_samples']);

const CPU_HELP =
  '--cpu needs a CPU profile: fetch /debug/pprof/profile?seconds=30 from a program that imports net/http/pprof, or run `go test -cpuprofile cpu.pb.gz`';

/**
 * The sample index to read: cpu/nanoseconds as the Go runtime writes it, else
 * another CPU time type (DataDog's cpu-time), else the last CPU sample count
 * type. A profile with none of these (heap, goroutine, mutex, wall) is refused
 * rather than guessed at.
 */
export function chooseCpuSampleIndex(profile: Profile, name: string): number {
  const types = profile.sampleTypes;
  const exact = types.findIndex((t) => t.type === 'cpu' && t.unit === 'nanoseconds');
  if (exact >= 0) return exact;
  const time = types.findIndex((t) => CPU_TIME_TYPES.has(norm(t.type)) && TIME_UNITS.has(t.unit.toLowerCase()));
  if (time >= 0) return time;
  const periodIsCpu = profile.periodType !== null && CPU_TIME_TYPES.has(norm(profile.periodType.type));
  for (let i = types.length - 1; i >= 0; i--) {
    if (CPU_COUNT_TYPES.has(norm(types[i].type)) || (periodIsCpu && CPU_TIME_TYPES.has(norm(types[i].type)))) return i;
  }
  const list = types.map((t) => `${t.type}/${t.unit}`).join(', ') || 'none';
  const heap = types.some((t) => /alloc|inuse|space|objects/.test(norm(t.type)));
  const what = heap ? 'is a heap profile, not a CPU profile' : 'is not a CPU profile';
  throw new AdvisorError('ranking', `${name} ${what} (its sample types are ${list}); ${CPU_HELP}`);
}

/**
 * Splits a CPU profile's samples into allocation, GC and the rest. Each
 * sample counts once: as GC when any frame matches GC_RE, otherwise as
 * allocation when any frame matches ALLOC_RE. GC wins so that an assist or a
 * sweep that mallocgc pays for (mallocgc -> gcAssistAlloc, mcentral.cacheSpan
 * -> deductSweepCredit) is counted as collection, which is what it is.
 */
export function classifyCpuSamples(profile: Profile, name: string): CpuClassification {
  const sampleIndex = chooseCpuSampleIndex(profile, name);
  const locs = profile.locations;
  // Per location: bit 1 allocation, 2 GC (both when inlined frames differ),
  // 4 any Go runtime frame.
  const locClass = new Uint8Array(locs.length);
  for (const loc of locs) {
    let c = 0;
    for (const ln of loc.lines) {
      const fn = ln.function.name;
      if (fn.startsWith('runtime.')) c |= 4;
      if (ALLOC_RE.test(fn)) c |= 1;
      if (GC_RE.test(fn)) c |= 2;
    }
    locClass[loc.index] = c;
  }

  const { count, valueCount, values, stackOffsets, stackLocations } = profile.samples;
  let total = 0;
  let alloc = 0;
  let gc = 0;
  let sawRuntime = false;
  for (let s = 0; s < count; s++) {
    const v = Math.abs(values[s * valueCount + sampleIndex]);
    total += v;
    let c = 0;
    for (let k = stackOffsets[s]; k < stackOffsets[s + 1]; k++) c |= locClass[stackLocations[k]];
    if (c & 4) sawRuntime = true;
    if (c & 2) gc += v;
    else if (c & 1) alloc += v;
  }

  if (total === 0) {
    throw new AdvisorError('ranking', `${name}: the CPU profile holds no samples (the program was idle while it was profiled); profile it under load`);
  }
  if (!sawRuntime) {
    throw new AdvisorError(
      'ranking',
      `${name} has no Go runtime frames (runtime.*): it is not a Go CPU profile, or it is not symbolized, so allocation and GC time cannot be told apart`,
    );
  }
  return { sampleIndex, sampleType: profile.sampleTypes[sampleIndex], total, alloc, gc };
}

const NOTE =
  'Estimate from stack samples: a sample counts as GC when any frame is a collector function (marking, assists, write barriers, sweeping), ' +
  'otherwise as allocation when any frame is an allocator function (mallocgc, newobject, growslice, map growth, string and interface conversions). ' +
  'GC cost grows with the live heap and GOGC, not linearly with allocation, so halving allocations does not halve it.';

/** The share of CPU spent allocating and collecting, from a CPU profile. */
export function cpuCost(profile: Profile, name: string): CpuCost {
  const c = classifyCpuSamples(profile, name);
  const allocShare = c.alloc / c.total;
  const gcShare = c.gc / c.total;
  return { source: name, allocShare, gcShare, totalShare: (c.alloc + c.gc) / c.total, note: NOTE };
}

function share(x: number, what: string): number {
  if (!Number.isFinite(x)) throw new RangeError(`cpuSavingEstimate: ${what} must be a finite number, got ${x}`);
  return Math.min(1, Math.max(0, x));
}

/**
 * The share of total CPU a fix to one finding might save.
 *
 * Model: allocator time is paid per call, so it shrinks with the finding's
 * share of allocated objects (its share of bytes when the profile has no
 * object counts); GC time is paced by allocated bytes (a cycle starts each
 * time the heap grows by GOGC% of the live heap), so it shrinks with the
 * finding's share of alloc_space:
 *
 *   saving = allocShare * objectsShare + gcShare * bytesShare
 *
 * Caveat: this assumes the live heap stays the same. Removing allocations
 * that are also long-lived shrinks the live heap and makes each remaining
 * cycle cheaper (more saving); a GOMEMLIMIT near the live heap makes GC run
 * more often than the pacer alone would (the saving can then be larger too);
 * idle-priority mark workers use otherwise idle CPUs (less real saving).
 * Treat it as an order of magnitude.
 */
export function cpuSavingEstimate(cost: CpuCost, findingShareOfAllocSpace: number, findingShareOfObjects: number | null): number {
  const bytes = share(findingShareOfAllocSpace, 'findingShareOfAllocSpace');
  const objects = findingShareOfObjects === null ? bytes : share(findingShareOfObjects, 'findingShareOfObjects');
  return share(cost.allocShare, 'allocShare') * objects + share(cost.gcShare, 'gcShare') * bytes;
}

/** The heap profiler's own work in a CPU profile: recording a sampled allocation's stack. */
export const PROFILER_RE = /^runtime\.(mProf_Malloc|profilealloc)$/;

/**
 * Below this sampling period (runtime.MemProfileRate; Go's default is
 * 512 KiB) the heap profiler walks a stack so often that its own cost shows
 * up as allocation time in the CPU profile.
 */
export const SMALL_HEAP_PERIOD = 64 * 1024;

/**
 * At Go's default rate a short CPU profile can still catch the heap profiler
 * in a few percent of its samples by chance (4% of a 1 s profile was seen);
 * below this share the distortion is within the estimate's own noise.
 */
export const PROFILER_SHARE_WARN = 0.1;

/** Share (0..1) of the CPU profile's samples with a heap-profiler frame. */
export function profilerShare(profile: Profile, name: string): number {
  const sampleIndex = chooseCpuSampleIndex(profile, name);
  const isProfiler = new Uint8Array(profile.locations.length);
  for (const loc of profile.locations) if (loc.lines.some((ln) => PROFILER_RE.test(ln.function.name))) isProfiler[loc.index] = 1;
  const { count, valueCount, values, stackOffsets, stackLocations } = profile.samples;
  let total = 0;
  let inProfiler = 0;
  for (let s = 0; s < count; s++) {
    const v = Math.abs(values[s * valueCount + sampleIndex]);
    total += v;
    for (let k = stackOffsets[s]; k < stackOffsets[s + 1]; k++) {
      if (isProfiler[stackLocations[k]]) {
        inProfiler += v;
        break;
      }
    }
  }
  return total > 0 ? inProfiler / total : 0;
}

/**
 * A warning for --cpu when the heap profile's sampling rate distorts the
 * estimate: with runtime.MemProfileRate = 1 every allocation records its
 * stack, so the CPU profile is largely the profiler's own cost, counted as
 * allocation. Null when the rate is the default or near it and the CPU
 * profile shows little profiler time.
 */
export function heapSamplingWarning(heap: Profile, cpu: Profile, cpuName: string): string | null {
  const bytesPeriod = heap.periodType?.unit === 'bytes' && heap.period > 0 ? heap.period : null;
  const small = bytesPeriod !== null && bytesPeriod < SMALL_HEAP_PERIOD;
  const measured = profilerShare(cpu, cpuName);
  if (!small && measured < PROFILER_SHARE_WARN) return null;
  const rate =
    bytesPeriod === null
      ? 'The CPU profile'
      : `The heap profile was sampled every ${bytesPeriod.toLocaleString('en-US')} byte${bytesPeriod === 1 ? '' : 's'} (runtime.MemProfileRate; Go's default is 524,288)${small ? ', so nearly every allocation recorded its stack, and the CPU profile' : '; the CPU profile'}`;
  return (
    `${rate} spends ${formatPercent(measured)} of its time in the heap profiler itself (runtime.mProf_Malloc), which --cpu counts as allocation: ` +
    'the CPU estimates overstate what a fix saves. Profile CPU with the default MemProfileRate.'
  );
}
