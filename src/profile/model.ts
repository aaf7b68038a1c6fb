// The resolved profile model. Everything downstream of src/profile sees only
// this: string-table indices and wire ids are resolved once at the decode
// boundary, and int64 values are plain numbers.
//
// Samples are the bulk of a large profile, so they are kept columnar: one
// typed array of location indices with offsets, and one values matrix, instead
// of an object per sample.

export interface ValueType {
  type: string;
  unit: string;
}

export interface Mapping {
  id: number;
  memoryStart: number;
  memoryLimit: number;
  fileOffset: number;
  filename: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface Func {
  /** Position in Profile.functions. */
  index: number;
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

export interface Line {
  function: Func;
  line: number;
  column: number;
}

export interface Location {
  /** Position in Profile.locations. */
  index: number;
  id: number;
  mapping: Mapping | null;
  address: number;
  /**
   * line[0] is the innermost inlined callee; the last entry is the physical
   * function that contains the PC, into which the others were inlined
   * (profile.proto, Location.line).
   */
  lines: Line[];
  isFolded: boolean;
}

/** Columnar sample storage. Sample i's stack is
 * stackLocations[stackOffsets[i] .. stackOffsets[i+1]) (leaf first), and its
 * values are values[i*valueCount .. (i+1)*valueCount). */
export interface Samples {
  count: number;
  valueCount: number;
  stackOffsets: Uint32Array;
  /** Indices into Profile.locations (not wire ids). */
  stackLocations: Uint32Array;
  values: Float64Array;
}

export interface Profile {
  sampleTypes: ValueType[];
  /** The sample type named by default_sample_type, or null when unset. */
  defaultSampleType: string | null;
  samples: Samples;
  mappings: Mapping[];
  locations: Location[];
  functions: Func[];
  dropFrames: string;
  keepFrames: string;
  timeNanos: number;
  durationNanos: number;
  periodType: ValueType | null;
  period: number;
  comments: string[];
  docUrl: string;
}

/** Total of every sample's value at one sample index. */
export function totalOf(profile: Profile, sampleIndex: number): number {
  const { count, valueCount, values } = profile.samples;
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i * valueCount + sampleIndex];
  return sum;
}
