// A tiny profile.proto writer for hostile-input tests. Unlike a generated
// encoder it writes whatever it is given: ids near 2^64, negative or
// out-of-range string indices, 11-byte varints, a sample with 100k locations,
// a million samples. Field numbers follow proto/profile.proto.

/** An integer as the wire carries it: a number (exact below 2^53) or a bigint (any 64-bit value). */
export type Int = number | bigint;

export class ProtoWriter {
  private buf = new Uint8Array(1024);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): this {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  /** A varint of the 64-bit two's complement of v (negatives take 10 bytes, as Go writes int64). */
  varint(v: Int): this {
    if (typeof v === 'number' && v >= 0 && v < 0x80) return this.byte(v);
    let x = BigInt.asUintN(64, BigInt(v));
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      this.byte(b);
    } while (x !== 0n);
    return this;
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** field = varint; omitted when zero, as proto3 writers do. */
  int(field: number, v: Int | undefined): this {
    if (v === undefined || v === 0 || v === 0n) return this;
    return this.tag(field, 0).varint(v);
  }

  bytes(field: number, b: Uint8Array): this {
    return this.tag(field, 2).varint(b.length).raw(b);
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  message(field: number, fill: (w: ProtoWriter) => void): this {
    const w = new ProtoWriter();
    fill(w);
    return this.bytes(field, w.finish());
  }

  packed(field: number, values: Iterable<Int>): this {
    const w = new ProtoWriter();
    for (const v of values) w.varint(v);
    return this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export interface RawFunction {
  id: Int;
  /** String-table indices. */
  name: Int;
  systemName?: Int;
  filename: Int;
  startLine?: Int;
}

export interface RawLine {
  functionId: Int;
  line: Int;
}

export interface RawLocation {
  id: Int;
  mappingId?: Int;
  address?: Int;
  lines: RawLine[];
}

export interface RawSample {
  locationIds: Int[];
  values: Int[];
  /** [key, str] string-table index pairs. */
  labels?: [Int, Int][];
}

export interface RawProfile {
  /** [type, unit] string-table indices. */
  sampleTypes: [Int, Int][];
  /** Any iterable, so a million samples need not exist at once. */
  samples: Iterable<RawSample>;
  mappings?: { id: Int; filename: Int }[];
  locations: RawLocation[];
  functions: RawFunction[];
  strings: string[];
  defaultSampleType?: Int;
  durationNanos?: Int;
  periodType?: [Int, Int];
  period?: Int;
}

/** Writes a profile.proto message (uncompressed) with exactly the given ids and indices. */
export function encodeProfile(p: RawProfile): Uint8Array {
  const w = new ProtoWriter();
  for (const [type, unit] of p.sampleTypes) w.message(1, (m) => m.int(1, type).int(2, unit));
  for (const s of p.samples) {
    w.message(2, (m) => {
      m.packed(1, s.locationIds).packed(2, s.values);
      for (const [k, v] of s.labels ?? []) m.message(3, (l) => l.int(1, k).int(2, v));
    });
  }
  for (const mp of p.mappings ?? []) w.message(3, (m) => m.int(1, mp.id).int(5, mp.filename));
  for (const l of p.locations) {
    w.message(4, (m) => {
      m.int(1, l.id).int(2, l.mappingId).int(3, l.address);
      for (const ln of l.lines) m.message(4, (x) => x.int(1, ln.functionId).int(2, ln.line));
    });
  }
  for (const f of p.functions) {
    w.message(5, (m) => m.int(1, f.id).int(2, f.name).int(3, f.systemName).int(4, f.filename).int(5, f.startLine));
  }
  for (const s of p.strings) w.string(6, s);
  w.int(10, p.durationNanos);
  if (p.periodType) w.message(11, (m) => m.int(1, p.periodType![0]).int(2, p.periodType![1]));
  w.int(12, p.period);
  w.int(14, p.defaultSampleType);
  return w.finish();
}

/**
 * The string table and sample types of a Go heap profile (alloc_objects,
 * alloc_space, inuse_objects, inuse_space), with `names` appended. Returns
 * the strings and a lookup from string to index.
 */
export function heapStrings(names: string[]): { strings: string[]; ix: (s: string) => number; sampleTypes: [number, number][] } {
  const strings = ['', 'alloc_objects', 'count', 'alloc_space', 'bytes', 'inuse_objects', 'inuse_space', 'space', ...names];
  const ix = (s: string): number => {
    const i = strings.indexOf(s);
    if (i < 0) throw new Error(`heapStrings: ${s} was not declared`);
    return i;
  };
  return {
    strings,
    ix,
    sampleTypes: [
      [1, 2],
      [3, 4],
      [5, 2],
      [6, 4],
    ],
  };
}

export interface SimpleFrame {
  name: string;
  file: string;
  line: number;
}

/**
 * A valid Go-shaped heap profile: one location per frame, stacks leaf first,
 * values [objects, bytes, objects, bytes]. Strings are interned.
 */
export function simpleHeapProfile(stacks: { frames: SimpleFrame[]; bytes: number; objects: number }[]): RawProfile {
  const names = new Set<string>();
  for (const s of stacks) for (const f of s.frames) names.add(f.name).add(f.file);
  const { strings, ix, sampleTypes } = heapStrings([...names]);
  const fnIds = new Map<string, number>();
  const functions: RawFunction[] = [];
  const locIds = new Map<string, number>();
  const locations: RawLocation[] = [];
  const samples: RawSample[] = [];
  for (const s of stacks) {
    const ids: number[] = [];
    for (const f of s.frames) {
      const fk = `${f.name}\0${f.file}`;
      let fid = fnIds.get(fk);
      if (fid === undefined) {
        fid = functions.length + 1;
        fnIds.set(fk, fid);
        functions.push({ id: fid, name: ix(f.name), systemName: ix(f.name), filename: ix(f.file) });
      }
      const lk = `${fk}\0${f.line}`;
      let lid = locIds.get(lk);
      if (lid === undefined) {
        lid = locations.length + 1;
        locIds.set(lk, lid);
        locations.push({ id: lid, address: 0x1000 + lid, lines: [{ functionId: fid, line: f.line }] });
      }
      ids.push(lid);
    }
    samples.push({ locationIds: ids, values: [s.objects, s.bytes, s.objects, s.bytes] });
  }
  return { sampleTypes, samples, locations, functions, strings, defaultSampleType: 3, periodType: [7, 4], period: 524288 };
}
