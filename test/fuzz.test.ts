// Hostile and broken profiles: real profiles mutated at the byte level, and
// hand-built profiles that abuse ids, stacks, string indices and counts. The
// whole pipeline (decode, rank, advise, every renderer) must either return a
// report or throw AdvisorError, within a time and memory bound per MB of
// input. Profiles come from production systems and strangers' pull requests.
//
// Runs are seeded so a failure reproduces: fast-check prints the seed and the
// shrunk counterexample; rerun with FUZZ_SEED=<seed> (and FUZZ_RUNS=<n> to
// search longer locally).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { buildReport } from '../src/advise/index.js';
import { AdvisorError } from '../src/errors.js';
import { readEscapeLogs } from '../src/escape/log.js';
import { DEFAULT_LIMITS, parseProfileBytes, type LoadLimits } from '../src/profile/load.js';
import { rankProfile } from '../src/rank/index.js';
import { encodeProfile, heapStrings, ProtoWriter, simpleHeapProfile, type Int, type RawLocation, type RawProfile, type RawSample } from './helpers/protoenc.js';
import { gc, memNow, REALWORLD, renderAll, reportFor, runPipeline, SERVICE, serviceContext } from './helpers/pipeline.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2024);
const RUNS = Number(process.env.FUZZ_RUNS ?? 100);
/** Per-test timeout for the properties: FUZZ_RUNS=2000 locally must not hit vitest's default. */
const PROPERTY_TIMEOUT = Math.max(120_000, RUNS * 1500);
const MB = 1024 * 1024;

// A plain Uint8Array copy: Buffer#slice returns a view, and a mutation must
// never write through to the corpus.
function gunzipMaybe(b: Uint8Array): Uint8Array {
  return new Uint8Array(b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b);
}

// Small and medium real profiles of several writers (Go runtime, google/pprof,
// DataDog, Node.js, a delta profile, a non-heap profile), uncompressed.
const CORPUS: { name: string; bytes: Uint8Array }[] = [
  ['service allocs', path.join(SERVICE, 'allocs.pb.gz')],
  ['Fekinox mem', path.join(REALWORLD, 'profiles', 'Fekinox_aoc-2024__mem.prof')],
  ['MaoLongLong mem', path.join(REALWORLD, 'profiles', 'MaoLongLong_go-mcts__mem.pprof')],
  ['pyroscope heap_delta', path.join(REALWORLD, 'profiles', 'grafana_pyroscope__heap_delta')],
  ['pyroscope og_heap', path.join(REALWORLD, 'profiles', 'grafana_pyroscope__og_heap.pb.gz')],
  ['pyroscope nodejs heap', path.join(REALWORLD, 'profiles', 'grafana_pyroscope__og_nodejs-heap.pb.gz')],
  ['DataDog non-packed (CPU)', path.join(REALWORLD, 'profiles', 'DataDog_pprof-format__non-packed-repeated.pprof')],
  ['godoc threadcreate (legacy text)', path.join(REALWORLD, 'profiles', 'google_pprof__go.godoc.thread')],
  ['phlaredb heap (400 kB)', path.join(REALWORLD, 'profiles', 'grafana_pyroscope__phlaredb_heap')],
].map(([name, file]) => ({ name, bytes: gunzipMaybe(readFileSync(file)) }));

interface Outcome {
  ok: boolean;
  error?: AdvisorError;
  cpuMs: number;
  /** Largest growth of heap + array buffers over the case, sampled between stages. */
  grewBytes: number;
}

/** Worst figures seen, per MB of input, for the report at the end (FUZZ_DEBUG=1). */
const worst = { cpuMsPerMB: 0, grewPerByte: 0, cpuMs: 0 };

/**
 * Runs the pipeline and enforces the contract: a report or an AdvisorError,
 * nothing else; at most 2 s + 1 s per MB of input of CPU time (CPU, not wall
 * clock, so a loaded 2-core CI box does not fail it; wall clock gets five
 * times that); memory growth at most 128 MB + 64 bytes per input byte. The
 * bounds are loose on purpose: what they catch is a quadratic loop or an
 * allocation sized by a number in the input rather than by its size. Memory
 * is measured from a full collection, which costs tens of milliseconds, so
 * only for inputs of 256 kB and more (below that the 128 MB term decides).
 */
function check(bytes: Uint8Array, limits: LoadLimits = DEFAULT_LIMITS, bytesPerInputByte = 64): Outcome {
  const measure = bytes.length >= 256 * 1024;
  if (measure) gc();
  const before = memNow();
  let peak = before;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let error: AdvisorError | undefined;
  try {
    const out = runPipeline(bytes, limits);
    peak = Math.max(peak, memNow());
    expect(typeof out.markdown).toBe('string');
    JSON.parse(out.json);
    JSON.parse(out.sarif);
  } catch (e) {
    if (!(e instanceof AdvisorError)) {
      throw new Error(`not an AdvisorError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    error = e;
  }
  const cpu = process.cpuUsage(c0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const wallMs = performance.now() - t0;
  peak = Math.max(peak, memNow());
  const mb = Math.max(bytes.length, 1) / MB;
  const limitMs = 2000 + 1000 * mb;
  if (cpuMs > limitMs || wallMs > 5 * limitMs) {
    throw new Error(`took ${cpuMs.toFixed(0)} ms of CPU (${wallMs.toFixed(0)} ms wall) on ${bytes.length} bytes (bound ${limitMs.toFixed(0)} ms)`);
  }
  const grew = measure ? peak - before : 0;
  const limitBytes = 128 * MB + bytesPerInputByte * bytes.length;
  if (grew > limitBytes) throw new Error(`memory grew ${(grew / MB).toFixed(0)} MB on ${bytes.length} bytes (bound ${(limitBytes / MB).toFixed(0)} MB)`);
  worst.cpuMs = Math.max(worst.cpuMs, cpuMs);
  worst.cpuMsPerMB = Math.max(worst.cpuMsPerMB, cpuMs / mb);
  worst.grewPerByte = Math.max(worst.grewPerByte, grew / Math.max(bytes.length, 1));
  if (process.env.FUZZ_DEBUG && measure) console.log(`MEM ${bytes.length} bytes: grew ${(grew / MB).toFixed(0)} MB of ${(limitBytes / MB).toFixed(0)} MB allowed; ${cpuMs.toFixed(0)} ms CPU of ${limitMs.toFixed(0)}`);
  return { ok: !error, error, cpuMs, grewBytes: grew };
}

afterAll(() => {
  if (process.env.FUZZ_DEBUG) console.log(`worst case: ${worst.cpuMs.toFixed(0)} ms CPU, ${worst.cpuMsPerMB.toFixed(0)} ms/MB, ${worst.grewPerByte.toFixed(1)} bytes grown per input byte`);
});

// ---------------------------------------------------------------------------
// Byte-level mutations of real profiles

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'varint11'; at: number }
  | { kind: 'ffrun'; at: number; len: number }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; from: number; len: number; to: number };

// Weighted toward damage that still decodes (a flipped bit in an id, a value
// or a string), so most cases reach ranking and rendering; truncation and
// deletion almost always end at the decoder.
// Positions are unbiased: fast-check's default bias toward small numbers
// would put nearly every mutation in the first bytes (the message framing).
const at = fc.noBias(fc.nat());
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), at, value: fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0xff, 0x08, 0x12, 0x22, 0x0a) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('varint11' as const), at }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ffrun' as const), at, len: fc.integer({ min: 1, max: 24 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), from: at, len: fc.integer({ min: 1, max: 256 }), to: at }) },
);

function applyMutation(b: Uint8Array, m: Mutation): Uint8Array {
  if (b.length === 0) return b;
  const n = b.length;
  switch (m.kind) {
    case 'flip': {
      const out = b.slice();
      out[m.at % n] ^= 1 << m.bit;
      return out;
    }
    case 'set': {
      const out = b.slice();
      out[m.at % n] = m.value;
      return out;
    }
    case 'truncate':
      return b.slice(0, m.at % n);
    case 'varint11': {
      // Ten continuation bytes then a terminator: one byte longer than any
      // 64-bit varint may be.
      const at = m.at % n;
      const v = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
      return concat(b.subarray(0, at), v, b.subarray(at));
    }
    case 'ffrun': {
      const out = b.slice();
      const at = m.at % n;
      out.fill(0xff, at, Math.min(n, at + m.len));
      return out;
    }
    case 'delete': {
      const at = m.at % n;
      return concat(b.subarray(0, at), b.subarray(Math.min(n, at + m.len)));
    }
    case 'duplicate': {
      const from = m.from % n;
      const chunk = b.subarray(from, Math.min(n, from + m.len));
      const to = m.to % n;
      return concat(b.subarray(0, to), chunk, b.subarray(to));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

// The case is the recipe (corpus entry, mutations, gzip or not), not the
// bytes, so a counterexample prints in a few lines and replays exactly.
const recipe = fc.record({
  corpus: fc.integer({ min: 0, max: CORPUS.length - 1 }),
  ops: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  gzip: fc.boolean(),
});

// Only flipped bits and overwritten bytes, one to three: most of these still
// decode, so they reach ranking, the join and the renderers with odd ids,
// values, line numbers and names.
const flipOnly = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('set' as const), at, value: fc.constantFrom(0x00, 0x01, 0x7f, 0x3c, 0x1b, 0x0a) }),
) as fc.Arbitrary<Mutation>;
const gentle = fc.record({
  corpus: fc.integer({ min: 0, max: CORPUS.length - 1 }),
  ops: fc.array(flipOnly, { minLength: 1, maxLength: 3 }),
  gzip: fc.constant(false),
});

function cook(r: { corpus: number; ops: Mutation[]; gzip: boolean }): Uint8Array {
  let b = CORPUS[r.corpus].bytes;
  for (const op of r.ops) b = applyMutation(b, op);
  return r.gzip ? new Uint8Array(gzipSync(b)) : b;
}

describe('mutated real profiles', () => {
  test('the corpus decodes and reports before mutation', () => {
    for (const c of CORPUS) {
      const o = check(c.bytes);
      // The CPU and legacy text profiles get a clear error, not a report.
      if (/DataDog/.test(c.name)) expect(o.error?.message).toMatch(/not a heap profile/);
      else if (/godoc/.test(c.name)) expect(o.error?.message).toMatch(/legacy text profile/);
      else expect(o.ok, `${c.name}: ${o.error?.message}`).toBe(true);
    }
  });

  test('bit flips, truncation, 11-byte varints, 0xff runs, deletions, duplicated chunks: a report or an AdvisorError', () => {
    fc.assert(
      fc.property(recipe, (r) => {
        check(cook(r));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, PROPERTY_TIMEOUT);

  test('flipped bits in values, ids, line numbers and names: mostly reports, never another exception', () => {
    const stats = { ok: 0, errors: 0 };
    fc.assert(
      fc.property(gentle, (r) => {
        const o = check(cook(r));
        if (o.ok) stats.ok++;
        else stats.errors++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Both outcomes occur: this run reached the renderers, and validation caught damage.
    expect(stats.ok).toBeGreaterThan(RUNS / 4);
    expect(stats.errors).toBeGreaterThan(0);
  }, PROPERTY_TIMEOUT);

  test('damage to the gzip stream itself: a decompressing error (or, for the header bytes gzip ignores, a report)', () => {
    const gz = new Uint8Array(gzipSync(CORPUS[0].bytes));
    const stages = new Set<string>();
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (ops) => {
        let b: Uint8Array = gz;
        for (const op of ops) b = applyMutation(b, op);
        const o = check(b);
        // A damaged magic number makes it "not gzip", so the protobuf decoder gets it.
        if (o.error) expect(['decompressing profile', 'parsing profile', 'invalid profile']).toContain(o.error.stage);
        if (o.error) stages.add(o.error.stage);
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 3) },
    );
    // The CRC-32 and length trailer catch damage to the compressed data.
    expect(stages.has('decompressing profile')).toBe(true);
  }, PROPERTY_TIMEOUT);
});

// ---------------------------------------------------------------------------
// Hand-built hostile profiles

const BASE = simpleHeapProfile([
  { frames: [{ name: 'example.com/app.alloc', file: '/src/app/a.go', line: 10 }, { name: 'example.com/app.run', file: '/src/app/run.go', line: 20 }, { name: 'main.main', file: '/src/main.go', line: 5 }], bytes: 4000, objects: 40 },
  { frames: [{ name: 'example.com/app.grow', file: '/src/app/g.go', line: 7 }, { name: 'example.com/app.run', file: '/src/app/run.go', line: 21 }, { name: 'main.main', file: '/src/main.go', line: 5 }], bytes: 3000, objects: 3 },
  { frames: [{ name: 'runtime.malg', file: '/go/src/runtime/proc.go', line: 4000 }], bytes: 1000, objects: 1 },
]);

/** A deep copy whose samples are an array (BASE's may be any iterable). */
function clone(p: RawProfile): RawProfile {
  return structuredClone({ ...p, samples: [...p.samples] });
}

/** Flat and cum per function: what a hostile encoding must not change. */
function functionTable(bytes: Uint8Array): string {
  const profile = parseProfileBytes(bytes, 'x');
  return JSON.stringify(reportFor(profile, 'x').functions.map((f) => [f.name, f.flat, f.cum]));
}

/** The ids a hostile writer would pick: both sides of 2^32, 2^53 and 2^64. */
const EDGE_IDS: bigint[] = [1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 2n, 2n ** 64n - 1n];
const edgeId = fc.tuple(fc.constantFrom(...EDGE_IDS), fc.integer({ min: 0, max: 2 })).map(([b, d]) => {
  const v = b - BigInt(d);
  return v > 0n ? v : 1n;
});

function expectAdvisorError(bytes: Uint8Array, re: RegExp, limits?: LoadLimits): AdvisorError {
  const o = check(bytes, limits);
  expect(o.ok, 'expected an AdvisorError, got a report').toBe(false);
  expect(o.error!.message).toMatch(re);
  expect(o.error!.message).not.toMatch(/\n/);
  return o.error!;
}

describe('hostile ids and references', () => {
  const baseline = functionTable(encodeProfile(BASE));

  test('location, function and mapping ids near 2^32, 2^53 and 2^64: the same numbers, or a clear error when ids collide', () => {
    const seen = { same: 0, collide: 0 };
    fc.assert(
      fc.property(
        fc.array(edgeId, { minLength: BASE.locations.length, maxLength: BASE.locations.length }),
        fc.array(edgeId, { minLength: BASE.functions.length, maxLength: BASE.functions.length }),
        edgeId,
        (locIds, fnIds, mappingId) => {
          const p = clone(BASE);
          const locMap = new Map(p.locations.map((l, i) => [BigInt(l.id), locIds[i]]));
          const fnMap = new Map(p.functions.map((f, i) => [BigInt(f.id), fnIds[i]]));
          p.mappings = [{ id: mappingId, filename: 0 }];
          for (const f of p.functions) f.id = fnMap.get(BigInt(f.id))!;
          for (const l of p.locations) {
            l.id = locMap.get(BigInt(l.id))!;
            l.mappingId = mappingId;
            for (const ln of l.lines) ln.functionId = fnMap.get(BigInt(ln.functionId))!;
          }
          p.samples = [...BASE.samples].map((s) => ({ ...s, locationIds: s.locationIds.map((id) => locMap.get(BigInt(id))!) }));
          const bytes = encodeProfile(p);
          // Ids are read as doubles: distinct wire ids above 2^53 may become one number.
          const distinct = (ids: bigint[]) => new Set(ids.map((x) => Number(x))).size === ids.length;
          if (distinct(locIds) && distinct(fnIds)) {
            expect(functionTable(bytes)).toBe(baseline);
            seen.same++;
          } else {
            expectAdvisorError(bytes, /ids must be unique/);
            seen.collide++;
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
    expect(seen.same).toBeGreaterThan(0);
    expect(seen.collide).toBeGreaterThan(0);
  }, PROPERTY_TIMEOUT);

  const cases: [string, (p: RawProfile) => void, RegExp][] = [
    ['a line names a function that does not exist', (p) => (p.locations[0].lines[0].functionId = 99), /location 1 refers to function 99, which does not exist/],
    ['a function has id 0', (p) => (p.functions[1].id = 0), /function has id 0/],
    ['a location has id 0', (p) => (p.locations[1].id = 0), /location has id 0|refers to location/],
    ['two locations share an id', (p) => (p.locations[3].id = 1), /two locations have id 1; ids must be unique|refers to location/],
    ['two locations share an id and no sample notices', (p) => {
      p.locations.push({ id: 1, lines: [{ functionId: 1, line: 99 }] });
    }, /two locations have id 1; ids must be unique/],
    ['two functions share an id', (p) => (p.functions[2].id = 1), /two functions have id 1; ids must be unique|refers to function/],
    ['two mappings share an id', (p) => (p.mappings = [{ id: 7, filename: 0 }, { id: 7, filename: 0 }]), /two mappings have id 7/],
    ['a sample names a location that does not exist', (p) => (p.samples = [{ locationIds: [1, 12345], values: [1, 1, 1, 1] }]), /sample 0 refers to location 12345/],
    ['a location names a mapping that does not exist', (p) => (p.locations[0].mappingId = 5), /refers to mapping 5/],
    ['a function name beyond the string table', (p) => (p.functions[0].name = p.strings.length), /function 1 refers to string \d+, but the string table has \d+ entries/],
    ['a negative string index', (p) => (p.functions[0].filename = -1), /refers to string -1/],
    ['a string index of 2^63', (p) => (p.functions[0].systemName = 2n ** 63n), /refers to string -?9\.?2|refers to string -9223372036854776000/],
    ['a sample type beyond the string table', (p) => (p.sampleTypes[0] = [1000, 2]), /sample type 0 refers to string 1000/],
    ['a label key beyond the string table', (p) => (p.samples = [{ locationIds: [1], values: [1, 1, 1, 1], labels: [[4000, 1]] }]), /label refers to string/],
    ['a negative label value index', (p) => (p.samples = [{ locationIds: [1], values: [1, 1, 1, 1], labels: [[1, -5]] }]), /label refers to string/],
    ['a mapping file name beyond the string table', (p) => (p.mappings = [{ id: 1, filename: 777 }]), /mapping 0 refers to string 777/],
    ['default_sample_type beyond the string table', (p) => (p.defaultSampleType = 2n ** 40n), /default_sample_type refers to string/],
    ['string_table[0] is not empty', (p) => (p.strings[0] = 'x'), /string_table\[0\] must be ""/],
    ['a sample with more values than sample types', (p) => (p.samples = [{ locationIds: [1], values: [1, 2, 3, 4, 5] }]), /sample 0 has 5 values but the profile declares 4 sample types/],
  ];
  test.each(cases)('%s: a one-line AdvisorError', (_name, mutate, re) => {
    const p = clone(BASE);
    mutate(p);
    expectAdvisorError(encodeProfile(p), re);
  });

  test('what pprof accepts is accepted: function_id 0, a location without lines, an empty stack, negative and 2^63 values, odd line numbers', () => {
    const p = clone(BASE);
    p.locations.push({ id: 100, lines: [{ functionId: 0, line: 3 }] });
    p.locations.push({ id: 101, lines: [] });
    p.locations[0].lines[0].line = -7;
    p.locations[1].lines[0].line = 2n ** 62n;
    p.samples = [
      ...BASE.samples,
      { locationIds: [100, 2, 3], values: [1, 100, 1, 100] },
      { locationIds: [101], values: [2, 200, 2, 200] },
      { locationIds: [], values: [3, 300, 3, 300] },
      { locationIds: [1, 2, 3], values: [-5, -(2n ** 62n), 0, 0] },
      { locationIds: [4], values: [1, 2n ** 63n - 1n, 1, 1] },
    ];
    const o = check(encodeProfile(p));
    expect(o.error?.message, 'should report').toBeUndefined();
  });

  test('recursion: a stack that cycles A B A B ... counts cum once per sample', () => {
    const p = clone(BASE);
    const ids = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? 2 : 4));
    p.samples = [{ locationIds: [1, ...ids], values: [1, 1000, 1, 1000] }];
    const report = reportFor(parseProfileBytes(encodeProfile(p), 'x'), 'x');
    const run = report.functions.find((f) => f.name === 'example.com/app.run')!;
    expect(run.cum).toBe(1000);
    expect(report.profile.total).toBe(1000);
  });
});

describe('caps: deep stacks, many samples, big string tables, decompression bombs', () => {
  /** One sample whose stack is `depth` locations deep, all distinct, or all the same one (recursion). */
  function deepStack(depth: number, distinct: boolean): Uint8Array {
    const { strings, sampleTypes } = heapStrings(['example.com/deep.f', '/src/deep.go']);
    const n = distinct ? depth : 1;
    const locations: RawLocation[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, lines: [{ functionId: 1, line: i + 1 }] }));
    const stack: Int[] = Array.from({ length: depth }, (_, i) => (distinct ? i + 1 : 1));
    return encodeProfile({
      sampleTypes,
      samples: [{ locationIds: stack, values: [1, 4096, 1, 4096] }],
      locations,
      functions: [{ id: 1, name: 8, filename: 9 }],
      strings,
    });
  }

  test('a sample 100,000 locations deep: the default cap names --max-stack-depth; raised, it reports in bounded time', () => {
    const bytes = deepStack(100_000, true);
    expectAdvisorError(bytes, /sample 0 has a stack deeper than 4096 frames; raise the limit with --max-stack-depth/);
    const o = check(bytes, { ...DEFAULT_LIMITS, maxStackDepth: 200_000 });
    expect(o.error?.message).toBeUndefined();
  });

  test('the same location 100,000 times (deep recursion): capped by default, reported when raised', () => {
    const bytes = deepStack(100_000, false);
    expectAdvisorError(bytes, /deeper than 4096 frames/);
    const o = check(bytes, { ...DEFAULT_LIMITS, maxStackDepth: 100_000 });
    expect(o.error?.message).toBeUndefined();
  });

  function manySamples(count: number): Uint8Array {
    const p = clone(BASE);
    const one: RawSample = { locationIds: [1, 2, 3], values: [1, 512, 1, 512] };
    p.samples = {
      *[Symbol.iterator]() {
        for (let i = 0; i < count; i++) yield one;
      },
    };
    return encodeProfile(p);
  }

  test('a million samples sharing one stack: reported within the bound; --max-samples below that is a clear error', () => {
    const bytes = manySamples(1_000_000);
    const o = check(bytes);
    expect(o.error?.message).toBeUndefined();
    const report = reportFor(parseProfileBytes(bytes, 'x'), 'x');
    expect(report.profile.total).toBe(512 * 1_000_000);
    expectAdvisorError(bytes, /more than 999,999 samples; raise the limit with --max-samples/, { ...DEFAULT_LIMITS, maxSamples: 999_999 });
  });

  test('a string table of 200,000 entries: --max-strings below that is a clear error', () => {
    const p = clone(BASE);
    for (let i = 0; i < 200_000; i++) p.strings.push(`s${i}`);
    const bytes = encodeProfile(p);
    expect(check(bytes).error?.message).toBeUndefined();
    expectAdvisorError(bytes, /string table has more than 100,000 entries; raise the limit with --max-strings/, { ...DEFAULT_LIMITS, maxStrings: 100_000 });
  });

  test('a gzip bomb stops at --max-decompressed without inflating it all', () => {
    // Not zeros (field number 0 is refused at once): an unknown field, over and over.
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(256 * MB, Buffer.from([0xa0, 0x06, 0x01])), { level: 9 }));
    expect(bomb.length).toBeLessThan(MB);
    const t0 = performance.now();
    expectAdvisorError(bomb, /decompresses to more than 16 MiB; raise the limit with --max-decompressed/, { ...DEFAULT_LIMITS, maxDecompressedBytes: 16 * MB });
    expect(performance.now() - t0).toBeLessThan(5000);
    // Uncompressed input over the cap is refused before decoding.
    expectAdvisorError(new Uint8Array(2 * MB), /larger than 1 MiB; raise the limit with --max-decompressed/, { ...DEFAULT_LIMITS, maxDecompressedBytes: MB });
  });

  test('twenty hot sites named with 200,000 characters each (ASCII, CJK, emoji, combining marks): every format in bounded time', () => {
    const long = (seed: string) => seed.repeat(Math.ceil(200_000 / seed.length)).slice(0, 200_000);
    const stacks = ['x', '漢字', '🙂', 'e\u0301', '\u200b|'].flatMap((seed, i) =>
      Array.from({ length: 4 }, (_, j) => ({
        frames: [{ name: `example.com/app.F${i}${j}${long(seed)}`, file: `/src/app/${long(seed).slice(0, 5000)}.go`, line: 10 + j }],
        bytes: 1000 * (i + j + 1),
        objects: i + j + 1,
      })),
    );
    // Every zero-width space of the fifth seed is shown as \u200b (issue 18):
    // six characters for one, in every format, so the text the renderers
    // build (markdown assembles it several times to fit its limit) is up to
    // six times the names; the bound per input byte grows with it.
    const o = check(encodeProfile(simpleHeapProfile(stacks)), DEFAULT_LIMITS, 160);
    expect(o.error?.message).toBeUndefined();
  });

  test('--max-stack-entries: exactly at the cap reports, one entry over is a clear error (packed and unpacked stacks)', () => {
    const bytes = manySamples(100_000); // 3 locations each: 300,000 entries
    expect(check(bytes, { ...DEFAULT_LIMITS, maxStackEntries: 300_000 }).error?.message).toBeUndefined();
    expectAdvisorError(bytes, /more than 299,999 stack entries in all samples together .*--max-stack-entries/, { ...DEFAULT_LIMITS, maxStackEntries: 299_999 });
    // Unpacked location ids (one tag each) take the other path.
    const w = new ProtoWriter();
    w.raw(encodeProfile(BASE));
    for (let i = 0; i < 50; i++) w.message(2, (m) => m.int(1, 1).int(1, 2).int(1, 3).int(2, 1).int(2, 8).int(2, 1).int(2, 8));
    const unpacked = w.finish();
    const entries = 50 * 3 + [...BASE.samples].reduce((n, x) => n + [...x.locationIds].length, 0);
    expect(check(unpacked, { ...DEFAULT_LIMITS, maxStackEntries: entries }).error?.message).toBeUndefined();
    expectAdvisorError(unpacked, /stack entries .*--max-stack-entries/, { ...DEFAULT_LIMITS, maxStackEntries: entries - 1 });
  });

  test('mutants under tight caps (a few hundred stack entries, samples and strings): a report or an AdvisorError', () => {
    const tight = { ...DEFAULT_LIMITS, maxStackEntries: 400, maxSamples: 200, maxStrings: 300, maxStackDepth: 16 };
    fc.assert(
      fc.property(recipe, (r) => {
        const o = check(cook(r), tight);
        if (o.error && /stack entries|samples|entries|deeper/.test(o.error.message)) expect(o.error.message).toMatch(/raise the limit with --max-/);
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  }, PROPERTY_TIMEOUT);

  test('field number 0 is refused where a field starts, raw or gzipped, as Go\'s decoder refuses it', () => {
    const base = encodeProfile(BASE);
    expectAdvisorError(concat(new Uint8Array([0x00, 0x00]), base), /field number 0 at byte 0/);
    expectAdvisorError(concat(base, new Uint8Array([0x02, 0x00])), new RegExp(`field number 0 at byte ${base.length}`));
    expectAdvisorError(new Uint8Array(gzipSync(new Uint8Array(64 * MB), { level: 9 })), /field number 0 at byte 0/);
  });

  test('one string over 16 MiB is a clear error; one under it is read', () => {
    const p = clone(BASE);
    p.strings.push('s'.repeat(15 * MB));
    expect(check(encodeProfile(p)).error?.message).toBeUndefined();
    p.strings.push('s'.repeat(16 * MB + 1));
    expectAdvisorError(encodeProfile(p), /is 16777217 bytes long; advisor reads names of at most 16 MiB/);
  });

  test('an 11-byte varint and a run of 0xff where a tag belongs', () => {
    const w = new ProtoWriter();
    w.raw(encodeProfile(BASE));
    w.tag(2, 2).raw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expectAdvisorError(w.finish(), /varint longer than 10 bytes/);
    expectAdvisorError(concat(encodeProfile(BASE), new Uint8Array(64).fill(0xff)), /varint longer than 10 bytes|truncated/);
  });
});

// ---------------------------------------------------------------------------
// Escape logs are untrusted too (--escape-log takes saved compiler output,
// possibly from a CI artifact someone else produced).

describe('mutated escape logs', () => {
  const LOG = readFileSync(path.join(SERVICE, 'escape-m2.txt'), 'utf8').split('\n');
  const PROFILE = parseProfileBytes(readFileSync(path.join(SERVICE, 'allocs.pb.gz')), 'allocs.pb.gz');
  const lineOp = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at }),
    fc.record({ kind: fc.constant('dup' as const), at, times: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ kind: fc.constant('cut' as const), at, col: fc.integer({ min: 0, max: 120 }) }),
    fc.record({ kind: fc.constant('insert' as const), at, text: fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('x.go:1:1: ', '# ', '\tfrom ', ':99999999999999999999:1: escapes to heap', '../../../../etc/passwd:1:1: moved to heap: x', '/etc/passwd:1:2: leaking param: p', 'a.go:1:1: x escapes to heap:\n  flow: {heap} = &x:\n    from &x (address-of) at a.go:1:1\n'.repeat(50))) }),
    fc.record({ kind: fc.constant('long' as const), at, n: fc.integer({ min: 1000, max: 200_000 }) }),
  );
  test('a report or an AdvisorError, within the time bound', () => {
    fc.assert(
      fc.property(fc.array(lineOp, { minLength: 1, maxLength: 8 }), (ops) => {
        const lines = [...LOG];
        for (const op of ops) {
          const i = op.at % lines.length;
          if (op.kind === 'drop') lines.splice(i, 1);
          else if (op.kind === 'dup') lines.splice(i, 0, ...Array(op.times).fill(lines[i]));
          else if (op.kind === 'cut') lines[i] = lines[i].slice(0, op.col);
          else if (op.kind === 'insert') lines.splice(i, 0, op.text);
          else lines[i] = lines[i] + '('.repeat(op.n) + ' escapes to heap';
        }
        const text = lines.join('\n');
        const c0 = process.cpuUsage();
        try {
          const escape = readEscapeLogs([{ name: 'escape-m2.txt', text }], { srcDir: SERVICE });
          const base = serviceContext();
          const report = buildReport({
            sources: ['allocs.pb.gz'],
            ranking: rankProfile(PROFILE, { name: 'allocs.pb.gz', module: base.ctx.modulePath }),
            profileMeta: { durationNanos: PROFILE.durationNanos, timeNanos: PROFILE.timeNanos },
            escape,
            mapPath: base.ctx.mapPath,
            readSource: (rel) => base.ctx.tree?.read(rel) ?? null,
            options: { hotCover: 0.8, minShare: 0.01, top: 20 },
            toolVersion: '0.0.0-test',
          });
          const out = renderAll(report);
          JSON.parse(out.sarif);
        } catch (e) {
          if (!(e instanceof AdvisorError)) throw new Error(`not an AdvisorError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        const cpu = process.cpuUsage(c0);
        const ms = (cpu.user + cpu.system) / 1000;
        const bound = 2000 + (1000 * text.length) / MB;
        if (ms > bound) throw new Error(`took ${ms.toFixed(0)} ms of CPU on a ${text.length}-character log (bound ${bound.toFixed(0)} ms)`);
      }),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
    );
  }, PROPERTY_TIMEOUT);
});
