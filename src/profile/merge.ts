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
  let labelLen = 0;
  for (const p of profiles) {
    count += p.samples.count;
    stackLen += p.samples.stackLocations.length;
    labelLen += p.samples.labelKey.length;
  }
  const valueCount = first.samples.valueCount;
  const stackOffsets = new Uint32Array(count + 1);
  const stackLocations = new Uint32Array(stackLen);
  const values = new Float64Array(count * valueCount);
  const labelOffsets = new Uint32Array(count + 1);
  // Label columns keep string indices, so each profile's are shifted into
  // one concatenated string table.
  const labelKey = new Uint32Array(labelLen);
  const labelStr = new Uint32Array(labelLen);
  const labelNum = new Float64Array(labelLen);
  const labelNumUnit = new Uint32Array(labelLen);
  const labelIsNum = new Uint8Array(labelLen);
  const labelStrings: string[] = [];
  let s = 0;
  let st = 0;
  let lb = 0;
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
    for (let i = 0; i < ps.count; i++) {
      stackOffsets[s + i] = st + ps.stackOffsets[i];
      labelOffsets[s + i] = lb + ps.labelOffsets[i];
    }
    for (let j = 0; j < ps.stackLocations.length; j++) stackLocations[st + j] = locBase + ps.stackLocations[j];
    const strBase = labelStrings.length;
    for (const str of ps.labelStrings) labelStrings.push(str);
    const n = ps.labelKey.length;
    for (let j = 0; j < n; j++) {
      labelKey[lb + j] = strBase + ps.labelKey[j];
      labelStr[lb + j] = strBase + ps.labelStr[j];
      labelNumUnit[lb + j] = ps.labelNumUnit[j] ? strBase + ps.labelNumUnit[j] : 0;
    }
    labelNum.set(ps.labelNum, lb);
    labelIsNum.set(ps.labelIsNum, lb);
    s += ps.count;
    st += ps.stackLocations.length;
    lb += n;
    if (p.timeNanos && (!timeNanos || p.timeNanos < timeNanos)) timeNanos = p.timeNanos;
    durationNanos += p.durationNanos;
  }
  stackOffsets[count] = st;
  labelOffsets[count] = lb;
  return {
    ...first,
    samples: {
      count,
      valueCount,
      stackOffsets,
      stackLocations,
      values,
      labelOffsets,
      labelKey,
      labelStr,
      labelNum,
      labelNumUnit,
      labelIsNum,
      labelStrings,
    },
    locations,
    functions,
    mappings: profiles.flatMap((p) => p.mappings),
    timeNanos,
    durationNanos,
    comments: profiles.flatMap((p) => p.comments),
  };
}
