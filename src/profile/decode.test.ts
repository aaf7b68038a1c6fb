// Cross-check: the columnar decoder and pprof-format (a second, independent
// decoder) agree on real profiles, sample by sample.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile as PprofFormatProfile } from 'pprof-format';
import { describe, expect, test } from 'vitest';
import { decodeProfile } from './decode.js';
import { REALWORLD_PROFILES as PROFILES } from '../../test/helpers/realworld.js';

const FILES = [
  'Fekinox_aoc-2024__mem.prof',
  'DataDog_pprof-format__non-packed-repeated.pprof',
  'grafana_pyroscope__heap',
  'grafana_pyroscope__fastdelta_stress-failure.before.pprof',
  'grafana_pyroscope__gotruncatefix_heap_go_truncated_3.pb.gz',
  'grafana_pyroscope__dotnet.labels.pprof',
  'google_pprof__go.nomappings.crash',
  'golang_tools__sample.pprof',
];

const num = (v: number | bigint | undefined): number => Number(v ?? 0);

describe('decoder agrees with pprof-format', () => {
  test.each(FILES)('%s', (file) => {
    let raw: Uint8Array = readFileSync(path.join(PROFILES, file));
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
    const ours = decodeProfile(raw, file);
    const theirs = PprofFormatProfile.decode(raw);
    const str = (i: number | bigint | undefined) => theirs.stringTable.strings[num(i)];

    expect(ours.sampleTypes).toEqual(theirs.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) })));
    expect(ours.samples.count).toBe(theirs.sample.length);
    expect(ours.period).toBe(num(theirs.period));
    expect(ours.timeNanos).toBe(num(theirs.timeNanos));
    expect(ours.durationNanos).toBe(num(theirs.durationNanos));

    const locById = new Map(theirs.location.map((l) => [num(l.id), l]));
    const fnById = new Map(theirs.function.map((f) => [num(f.id), f]));
    const { stackOffsets, stackLocations, values, valueCount } = ours.samples;
    theirs.sample.forEach((s, i) => {
      const ids = [];
      for (let k = stackOffsets[i]; k < stackOffsets[i + 1]; k++) ids.push(ours.locations[stackLocations[k]].id);
      expect(ids).toEqual(s.locationId.map(num));
      expect(Array.from(values.subarray(i * valueCount, (i + 1) * valueCount))).toEqual(s.value.map(num));
    });
    for (const loc of ours.locations) {
      const t = locById.get(loc.id)!;
      expect(loc.address).toBe(num(t.address));
      expect(loc.lines.map((ln) => [ln.function.name, ln.function.filename, ln.line])).toEqual(
        t.line.map((ln) => {
          const f = fnById.get(num(ln.functionId));
          return [f ? str(f.name) : '', f ? str(f.filename) : '', num(ln.line)];
        }),
      );
    }
  });
});
