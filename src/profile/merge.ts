// Merges several profiles by summing, as a week of profiles from many
// instances is the normal input of a weekly review. Samples are concatenated
// and each profile's locations and functions are appended with their indices
// shifted, so later stages, which key rows by function name, file and line,
// add up the same frames across profiles.
import { AdvisorError } from '../errors.js';
import type { Func, Location, Profile } from './model.js';
import { pushAll } from '../arrays.js';

export function mergeProfiles(profiles: Profile[], names: string[]): Profile {
  if (profiles.length === 1) return profiles[0];
  const first = profiles[0];
  const sig = (p: Profile) => p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(', ');
  for (let i = 1; i < profiles.length; i++) {
    if (sig(profiles[i]) !== sig(first)) {
      throw new AdvisorError(
        'usage',
        `cannot merge ${names[i]} with ${names[0]}: their sample types differ ([${sig(profiles[i])}] vs [${sig(first)}])`,
      );
    }
  }
  const functions: Func[] = [];
  const locations: Location[] = [];
  let count = 0;
  let stackLen = 0;
  for (const p of profiles) {
    count += p.samples.count;
    stackLen += p.samples.stackLocations.length;
  }
  const valueCount = first.samples.valueCount;
  const stackOffsets = new Uint32Array(count + 1);
  const stackLocations = new Uint32Array(stackLen);
  const values = new Float64Array(count * valueCount);
  let s = 0;
  let st = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  for (const p of profiles) {
    const fnBase = functions.length;
    const locBase = locations.length;
    const fnMap: Func[] = p.functions.map((f) => ({ ...f, index: fnBase + f.index }));
    pushAll(functions, fnMap);
    for (const l of p.locations) {
      locations.push({
        ...l,
        index: locBase + l.index,
        lines: l.lines.map((ln) => ({ ...ln, function: ln.function.index < 0 ? ln.function : fnMap[ln.function.index] })),
      });
    }
    const ps = p.samples;
    values.set(ps.values.subarray(0, ps.count * valueCount), s * valueCount);
    for (let i = 0; i < ps.count; i++) stackOffsets[s + i] = st + ps.stackOffsets[i];
    for (let j = 0; j < ps.stackLocations.length; j++) stackLocations[st + j] = locBase + ps.stackLocations[j];
    s += ps.count;
    st += ps.stackLocations.length;
    if (p.timeNanos && (!timeNanos || p.timeNanos < timeNanos)) timeNanos = p.timeNanos;
    durationNanos += p.durationNanos;
  }
  stackOffsets[count] = st;
  return {
    ...first,
    samples: {
      count,
      valueCount,
      stackOffsets,
      stackLocations,
      values,
    },
    locations,
    functions,
    mappings: profiles.flatMap((p) => p.mappings),
    timeNanos,
    durationNanos,
    comments: profiles.flatMap((p) => p.comments),
  };
}
