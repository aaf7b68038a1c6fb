// Choosing the sample index, as pprof's -sample_index does, with this tool's
// own default: alloc_space when the profile has it, because allocation volume
// is what the advice is about.
import { AdvisorError } from '../errors.js';
import type { Profile, ValueType } from '../profile/model.js';
import type { SampleIndexChoice } from './model.js';

/** Profiles in the wild spell types differently: DataDog `alloc-space`, Go `alloc_space`. */
export function normalizeTypeName(name: string): string {
  return name.trim().toLowerCase().replace(/[-\s]/g, '_');
}

const SPACE_UNITS = new Set(['bytes', 'byte', 'b']);
const COUNT_UNITS = new Set(['count', 'objects', '']);

function isSpace(t: ValueType): boolean {
  return SPACE_UNITS.has(t.unit.toLowerCase());
}

/** True when a sample type measures memory: bytes, or objects/allocations. */
export function isHeapLike(t: ValueType): boolean {
  const n = normalizeTypeName(t.type);
  if (/^(cpu|samples|wall|goroutine|contentions|delay|lock|exception)/.test(n)) return false;
  if (isSpace(t)) return true;
  return /(alloc|inuse|heap|malloc|objects|space)/.test(n);
}

// alloc_space <-> alloc_objects, alloc-space <-> alloc-samples (DataDog),
// alloc_size <-> alloc_samples (.NET), space <-> objects (Node.js).
const PAIR_SUFFIX = /_?(space|objects|size|samples|bytes|count)$/;

function companionOf(types: ValueType[], index: number): number | null {
  const t = types[index];
  const prefix = normalizeTypeName(t.type).replace(PAIR_SUFFIX, '');
  const wantSpace = !isSpace(t);
  for (let i = 0; i < types.length; i++) {
    if (i === index) continue;
    const o = types[i];
    if (normalizeTypeName(o.type).replace(PAIR_SUFFIX, '') !== prefix) continue;
    if (!isHeapLike(o)) continue;
    if (wantSpace ? isSpace(o) : COUNT_UNITS.has(o.unit.toLowerCase())) return i;
  }
  return null;
}

/**
 * Why the sample index is the one it is, in words: the report's
 * profile.sampleIndexReason, which every format prints.
 */
export const SAMPLE_INDEX_REASONS: Readonly<Record<SampleIndexChoice['reason'], string>> = {
  flag: 'chosen with --sample-index',
  alloc_space: 'alloc_space: allocation churn is what drives GC cost',
  default: "the profile's default_sample_type",
  last: 'the last sample type (pprof default when the profile declares none)',
};

const HEAP_HELP =
  'advisor needs a heap profile: fetch /debug/pprof/allocs (or /debug/pprof/heap) from a program that imports net/http/pprof, or run `go test -memprofile mem.pb.gz`';

export function chooseSampleIndex(profile: Profile, flag: string | undefined, name = 'the profile'): SampleIndexChoice {
  const types = profile.sampleTypes;
  const list = types.map((t) => `${t.type}/${t.unit}`).join(', ');
  if (!types.some(isHeapLike)) {
    throw new AdvisorError('ranking', `${name} is not a heap profile (its sample types are ${list}); ${HEAP_HELP}`);
  }
  let index = -1;
  let reason: SampleIndexChoice['reason'];
  if (flag !== undefined && flag !== '') {
    reason = 'flag';
    if (/^\d+$/.test(flag)) {
      index = Number(flag);
      if (index >= types.length) {
        throw new AdvisorError('usage', `--sample-index ${flag} is out of range: ${name} has ${types.length} sample types (${list})`);
      }
    } else {
      const want = normalizeTypeName(flag);
      index = types.findIndex((t) => normalizeTypeName(t.type) === want);
      // pprof accepts the legacy names without the inuse_ prefix (space, objects).
      if (index < 0) index = types.findIndex((t) => normalizeTypeName(t.type) === `inuse_${want}`);
      if (index < 0) {
        throw new AdvisorError('usage', `--sample-index ${flag}: ${name} has no such sample type (it has ${list})`);
      }
    }
  } else {
    index = types.findIndex((t) => normalizeTypeName(t.type) === 'alloc_space');
    reason = 'alloc_space';
    if (index < 0 && profile.defaultSampleType) {
      index = types.findIndex((t) => t.type === profile.defaultSampleType);
      reason = 'default';
    }
    if (index < 0) {
      index = types.length - 1;
      reason = 'last';
    }
  }
  const companionIndex = companionOf(types, index);
  return {
    index,
    sampleType: types[index],
    companionIndex,
    companionType: companionIndex === null ? null : types[companionIndex],
    reason,
  };
}
