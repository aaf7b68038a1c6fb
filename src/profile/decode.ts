// Decodes an uncompressed profile.proto message into the resolved Profile.
//
// A hand-written wire reader: the message is read field by field with a small
// position object. The hot path, samples, is decoded straight into typed
// arrays with inlined varint reads, because an object per sample (what
// protobufjs's generated decode makes) costs several times the time and memory
// on profiles with hundreds of thousands of samples.
//
// Field numbers follow proto/profile.proto. Traps the format has:
// - Repeated scalars arrive packed or unpacked: Go's writers pack a list only
//   when it has more than two entries, so both forms occur in one file.
// - Field order is not numeric: runtime/pprof writes the string table last and
//   interleaves samples with the locations they reference, so nothing can be
//   resolved until the whole message has been read.
import { AdvisorError } from '../errors.js';
import type { Func, Line, Location, Mapping, Profile, Samples, ValueType } from './model.js';

/**
 * The read position over the message: `len` is the end of the (sub)message
 * being read. A class of three fields rather than protobufjs's Reader, whose
 * property accesses on the per-varint path cost more than the varints.
 */
class ReaderT {
  /** Where buf[0] is in the whole message (for positions in messages). */
  base = 0;
  constructor(
    public buf: Uint8Array,
    public pos: number,
    public len: number,
  ) {}
}

export interface DecodeLimits {
  /** Most samples accepted (a cap against hostile input). */
  maxSamples: number;
  /** Most locations in one sample's stack. */
  maxStackDepth: number;
  /** Most entries in the string table. */
  maxStrings: number;
  /**
   * Most stack entries in all samples together (samples x depth): the bound
   * on the largest column, 4 bytes an entry, and on the work of ranking.
   */
  maxStackEntries: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxSamples: 20_000_000,
  maxStackDepth: 4096,
  maxStrings: 20_000_000,
  maxStackEntries: 100_000_000,
};

/** Longest single string (function or file name, label) accepted: far below V8's maximum string length. */
export const MAX_STRING_BYTES = 16 * 1024 * 1024;

/**
 * An error that stops decoding at once, even while a gzip stream is still
 * being inflated: a cap was passed, or the input cannot be a profile (field
 * number 0, which no writer produces: a zero-filled gzip bomb starts with it).
 */
export class FatalDecodeError extends AdvisorError {}

class Truncated extends Error {}

const TWO_32 = 4294967296;

/**
 * Reads a varint as a number: unsigned (exact below 2^53), or as an int64
 * whose negative values arrive as 10-byte two's complement.
 */
function varint(r: ReaderT, signed: boolean): number {
  const buf = r.buf;
  const end = r.len;
  let pos = r.pos;
  if (pos >= end) throw new Truncated();
  let b = buf[pos++];
  if (b < 0x80) {
    r.pos = pos;
    return b;
  }
  let lo = b & 0x7f;
  let shift = 7;
  // Low 28 bits fit in a positive int32.
  while (shift < 28) {
    if (pos >= end) throw new Truncated();
    b = buf[pos++];
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return lo;
    }
    shift += 7;
  }
  r.pos = pos;
  return longVarint(r, lo, signed);
}

function uvarint(r: ReaderT): number {
  return varint(r, false);
}

function svarint(r: ReaderT): number {
  return varint(r, true);
}

// Continues a varint past its first 28 bits, splitting it into 32-bit halves
// so that negative int64 values (10-byte varints) come out exact.
function longVarint(r: ReaderT, low28: number, signed: boolean): number {
  const buf = r.buf;
  const end = r.len;
  let pos = r.pos;
  if (pos >= end) throw new Truncated();
  let b = buf[pos++];
  // Byte 5 carries bits 28..34: 4 into lo, 3 into hi.
  let lo = (low28 | ((b & 0x0f) << 28)) >>> 0;
  let hi = (b & 0x7f) >> 4;
  if (b >= 0x80) {
    let shift = 3;
    for (let i = 0; i < 5; i++) {
      if (pos >= end) throw new Truncated();
      b = buf[pos++];
      hi |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
      // A WireError, so decodeProfile turns it into a one-line AdvisorError
      // (a plain Error here escaped as an internal error with a stack).
      if (i === 4) throw new WireError(`varint longer than 10 bytes at byte ${r.base + pos}`);
    }
  }
  r.pos = pos;
  hi >>>= 0;
  if (signed && hi & 0x80000000) {
    // Two's complement: -(~value + 1).
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    return -(nhi * TWO_32 + nlo);
  }
  return hi * TWO_32 + lo;
}

function skip(r: ReaderT, wireType: number): void {
  switch (wireType) {
    case 0:
      uvarint(r);
      return;
    case 1:
      if (r.pos + 8 > r.len) throw new Truncated();
      r.pos += 8;
      return;
    case 2: {
      const n = uvarint(r);
      if (r.pos + n > r.len) throw new Truncated();
      r.pos += n;
      return;
    }
    case 5:
      if (r.pos + 4 > r.len) throw new Truncated();
      r.pos += 4;
      return;
    default:
      throw new WireError(`unexpected wire type ${wireType} at byte ${r.base + r.pos}`);
  }
}

class WireError extends Error {}

/** Length of a length-delimited field; checks it fits. Returns its end. */
function subEnd(r: ReaderT): number {
  const n = uvarint(r);
  const end = r.pos + n;
  if (end > r.len) throw new Truncated();
  return end;
}

// Runs `fn` over a sub-message by narrowing the reader's length.
function withLimit(r: ReaderT, end: number, fn: () => void): void {
  const saved = r.len;
  r.len = end;
  try {
    fn();
  } finally {
    r.len = saved;
  }
  r.pos = end;
}

/** Reads a repeated integer field in either packed or unpacked form. */
function readRepeated(r: ReaderT, wireType: number, signed: boolean, push: (v: number) => void): void {
  if (wireType === 2) {
    const end = subEnd(r);
    const saved = r.len;
    r.len = end;
    try {
      while (r.pos < end) push(signed ? svarint(r) : uvarint(r));
    } finally {
      r.len = saved;
    }
  } else if (wireType === 0) {
    push(signed ? svarint(r) : uvarint(r));
  } else {
    throw new WireError(`unexpected wire type ${wireType} for a repeated integer at byte ${r.base + r.pos}`);
  }
}

type Typed = Uint32Array | Float64Array | Uint8Array;

// A growable column of one typed-array kind. Each kind gets its own class, so
// the push on the decode path stays monomorphic.
function growable<T extends Typed>(Make: new (n: number) => T) {
  return class {
    data: T;
    length = 0;
    constructor(capacity: number) {
      this.data = new Make(Math.max(16, capacity));
    }
    push(v: number): void {
      if (this.length === this.data.length) {
        const next = new Make(this.data.length * 2);
        next.set(this.data);
        this.data = next;
      }
      this.data[this.length++] = v;
    }
    finish(): T {
      // A view, not a copy, when little would be wasted.
      return (this.length * 4 >= this.data.length * 3 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length)) as T;
    }
  };
}

const GrowU32 = growable(Uint32Array);
type GrowU32 = InstanceType<typeof GrowU32>;

// Stack entries are stored as id - 1; ids 0 and >= BIG_ID are irregular: they
// are kept in a side list and the column holds this marker in their place.
const IRREGULAR = 0xffffffff;

// Large columns live in SharedArrayBuffers, so that ranking's worker threads
// (src/rank/parallel.ts) read them without a copy. Like an ArrayBuffer's, a
// SharedArrayBuffer's pages are committed only when written.
const SHARED_COLUMN_BYTES = 8 << 20;

function columnBuffer(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return bytes >= SHARED_COLUMN_BYTES ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * The sample columns while decoding. The stack and value columns are sized
 * from the input, generously: their tails are never written, and the pages
 * of a large ArrayBuffer are only committed when touched, so the excess
 * costs address space, not memory, and the columns are returned as views
 * without a copy.
 */
class SampleColumns {
  stack: Uint32Array;
  nStack = 0;
  /** Largest stored stack entry (id - 1, or IRREGULAR). */
  maxStored = 0;
  irregular: number[] = [];
  values: Float64Array;
  nValues = 0;
  stackOffsets: GrowU32;
  /**
   * Labels are read for their string indices only, which must lie inside the
   * string table (pprof rejects the profile otherwise): the largest seen, or
   * 0xffffffff for a negative or huge one. Nothing reads labels' values.
   */
  maxLabelString = 0;

  constructor(
    nBytes: number,
    /** --max-stack-entries: the stack column never grows past it. */
    readonly maxEntries: number,
    readonly tooMany: () => never,
  ) {
    // In Go heap profiles location ids are most of the bytes, at one to four
    // bytes each; a sample is at least a tag, a length and a value.
    this.stack = new Uint32Array(columnBuffer(4 * Math.max(64, Math.min(Math.ceil(nBytes / 3), 1 << 27, maxEntries))));
    this.values = new Float64Array(columnBuffer(8 * Math.max(64, Math.min(nBytes >>> 3, 1 << 26))));
    const samples = Math.min(nBytes >>> 6, 1 << 24);
    this.stackOffsets = new GrowU32(samples);
    this.stackOffsets.push(0);
  }

  /**
   * Grows the stack column towards `need` entries, never past the cap (the
   * writers check it). Four times at a step: the pages of the new column
   * are committed only as they are written, so a large step costs address
   * space, while every step costs a copy with both columns held (at 1.5x
   * steps, the peak was 1.67 times the column; now 1.25 at most).
   */
  growStack(need: number): void {
    if (this.stack.length >= this.maxEntries) return;
    const next = new Uint32Array(columnBuffer(4 * Math.min(Math.max(need, this.stack.length * 4), this.maxEntries)));
    next.set(this.stack.subarray(0, this.nStack));
    this.stack = next;
  }

  growValues(need: number): void {
    const next = new Float64Array(columnBuffer(8 * Math.max(need, Math.ceil(this.values.length * 1.5))));
    next.set(this.values.subarray(0, this.nValues));
    this.values = next;
  }
}

/**
 * Decodes one Sample message ending at sEnd into the columns. The common
 * encodings (single-byte tags, packed or unpacked location ids of up to four
 * bytes) are read inline with a local position; everything else goes through
 * the general readers, with the same errors.
 */
function readSample(r: ReaderT, sEnd: number, c: SampleColumns): void {
  const buf = r.buf;
  const saved = r.len;
  let pos = r.pos;
  try {
    while (pos < sEnd) {
      const t = buf[pos];
      if (t === 0x0a) {
        // location_id, packed.
        r.pos = pos + 1;
        r.len = sEnd;
        const pEnd = subEnd(r);
        pos = r.pos;
        if (c.nStack + (pEnd - pos) > c.stack.length) c.growStack(c.nStack + (pEnd - pos));
        const stack = c.stack;
        let n = c.nStack;
        let maxStored = c.maxStored;
        while (pos < pEnd) {
          let b = buf[pos++];
          let id = b & 0x7f;
          if (b >= 0x80) {
            if (pos >= pEnd) throw new Truncated();
            b = buf[pos++];
            id |= (b & 0x7f) << 7;
            if (b >= 0x80) {
              if (pos >= pEnd) throw new Truncated();
              b = buf[pos++];
              id |= (b & 0x7f) << 14;
              if (b >= 0x80) {
                if (pos >= pEnd) throw new Truncated();
                b = buf[pos++];
                id |= (b & 0x7f) << 21;
                if (b >= 0x80) {
                  r.pos = pos;
                  r.len = pEnd;
                  id = longVarint(r, id, false);
                  pos = r.pos;
                }
              }
            }
          }
          if (id !== 0 && id < BIG_ID) {
            const st = id - 1;
            stack[n++] = st;
            if (st > maxStored) maxStored = st;
          } else {
            c.irregular.push(id);
            stack[n++] = IRREGULAR;
            maxStored = IRREGULAR;
          }
        }
        // Writes past the column's end were dropped: that is past the cap.
        if (n > stack.length || n > c.maxEntries) c.tooMany();
        c.nStack = n;
        c.maxStored = maxStored;
        continue;
      }
      r.pos = pos;
      r.len = sEnd;
      if (t === 0x12) {
        // value, packed.
        r.pos++;
        const pEnd = subEnd(r);
        if (c.nValues + (pEnd - r.pos) > c.values.length) c.growValues(c.nValues + (pEnd - r.pos));
        const values = c.values;
        let nv = c.nValues;
        let q = r.pos;
        while (q < pEnd) {
          // Non-negative values below 2^49 (seven bytes) are read inline and
          // exactly; longer ones (and negative, ten-byte ones) by svarint.
          let b = buf[q];
          if (b < 0x80) {
            values[nv++] = b;
            q++;
            continue;
          }
          let v = 0;
          let scale = 1;
          let k = q;
          while (b >= 0x80 && k < pEnd && k - q < 7) {
            v += (b & 0x7f) * scale;
            scale *= 128;
            b = buf[++k];
          }
          if (k - q < 7 && k < pEnd) {
            values[nv++] = v + b * scale;
            q = k + 1;
          } else {
            r.pos = q;
            r.len = pEnd;
            values[nv++] = svarint(r);
            q = r.pos;
          }
        }
        c.nValues = nv;
        r.pos = q;
      } else if (t === 0x10) {
        r.pos++;
        if (c.nValues + 1 > c.values.length) c.growValues(c.nValues + 1);
        c.values[c.nValues++] = svarint(r);
      } else if (t === 0x08) {
        r.pos++;
        pushStackId(c, uvarint(r));
      } else if (t === 0x1a) {
        r.pos++;
        readLabel(r, c);
      } else {
        readSampleField(r, c);
      }
      pos = r.pos;
    }
  } finally {
    r.len = saved;
  }
  r.pos = pos;
}

function pushStackId(c: SampleColumns, id: number): void {
  if (c.nStack + 1 > c.stack.length) c.growStack(c.nStack + 1);
  if (c.nStack + 1 > c.stack.length || c.nStack + 1 > c.maxEntries) c.tooMany();
  if (id !== 0 && id < BIG_ID) {
    const st = id - 1;
    c.stack[c.nStack++] = st;
    if (st > c.maxStored) c.maxStored = st;
  } else {
    c.irregular.push(id);
    c.stack[c.nStack++] = IRREGULAR;
    c.maxStored = IRREGULAR;
  }
}

// Any other field of a Sample, in any encoding (r.len is the sample's end).
function readSampleField(r: ReaderT, c: SampleColumns): void {
  const t = uvarint(r);
  switch (t >>> 3) {
    case 1:
      readRepeated(r, t & 7, false, (id) => pushStackId(c, id));
      break;
    case 2:
      readRepeated(r, t & 7, true, (v) => {
        if (c.nValues + 1 > c.values.length) c.growValues(c.nValues + 1);
        c.values[c.nValues++] = v;
      });
      break;
    case 3:
      expectWire(t & 7, 2, 'label', r);
      readLabel(r, c);
      break;
    default:
      skip(r, t & 7);
  }
}

/**
 * Maps the stack column from stored ids (id - 1, or IRREGULAR) to location
 * indices in place, for profiles whose location ids are not 1..n in order.
 */
function resolveStack(stack: Uint32Array, c: SampleColumns, locList: Location[], maxId: number, bad: (msg: string) => never): void {
  const n = stack.length;
  const irregular = c.irregular;
  const missing = (id: number, at: number): never => {
    // Find the sample for the message.
    const offs = c.stackOffsets.data;
    let s = 0;
    while (s + 1 < c.stackOffsets.length && offs[s + 1] <= at) s++;
    return bad(`sample ${s} refers to location ${id}, which does not exist (${locList.length} locations)`);
  };
  let next = 0;
  if (maxId < BIG_ID && maxId <= locList.length * 4 + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1);
    for (const l of locList) {
      if (table[l.id] >= 0) bad(duplicateId('locations', l.id));
      table[l.id] = l.index;
    }
    for (let i = 0; i < n; i++) {
      const st = stack[i];
      if (st === IRREGULAR) missing(irregular[next++], i);
      const id = st + 1;
      const ix = id <= maxId ? table[id] : -1;
      if (ix < 0) missing(id, i);
      stack[i] = ix;
    }
  } else {
    const map = new Map<number, number>();
    for (const l of locList) {
      if (map.has(l.id)) bad(duplicateId('locations', l.id));
      map.set(l.id, l.index);
    }
    for (let i = 0; i < n; i++) {
      const id = stack[i] === IRREGULAR ? irregular[next++] : stack[i] + 1;
      const ix = map.get(id);
      if (ix === undefined) missing(id, i);
      stack[i] = ix as number;
    }
  }
}

interface RawValueType {
  type: number;
  unit: number;
}
interface RawFunction {
  id: number;
  name: number;
  systemName: number;
  filename: number;
  startLine: number;
}
/**
 * Locations as read, kept in columns until functions and mappings are known
 * (runtime/pprof writes a location before the functions it names): an
 * object per raw location and line would be garbage made by the ten
 * thousand, and promoted, before the final objects exist.
 */
class LocationColumns {
  id: number[] = [];
  mappingId: number[] = [];
  address: number[] = [];
  isFolded: boolean[] = [];
  /** Location i's lines are entries lineEnd[i-1] .. lineEnd[i]-1 of the line columns. */
  lineEnd: number[] = [];
  lineFunctionId: number[] = [];
  lineLine: number[] = [];
  lineColumn: number[] = [];
}
interface RawMapping {
  id: number;
  memoryStart: number;
  memoryLimit: number;
  fileOffset: number;
  filename: number;
  buildId: number;
  flags: [boolean, boolean, boolean, boolean];
}

/** Placeholder for a Line whose function_id is 0. */
export const NO_FUNCTION: Func = Object.freeze({ index: -1, id: 0, name: '', systemName: '', filename: '', startLine: 0 });

// Location ids from this up do not fit the stack column as id - 1; they are
// kept in a side list (see IRREGULAR). Real writers use small dense ids.
const BIG_ID = 0xffffffff;

/** Decodes profile.proto bytes. `name` is used in error messages. */
export function decodeProfile(bytes: Uint8Array, name: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Profile {
  return new ProfileDecoder(name, limits, bytes.length).finish(bytes);
}

// The decoder's errors as one-line AdvisorErrors.
function translate(e: unknown, name: string): unknown {
  if (e instanceof Truncated) {
    return new AdvisorError('parsing profile', `${name}: truncated protobuf data (the file ends in the middle of a field)`);
  }
  if (e instanceof WireError) {
    return new AdvisorError('parsing profile', `${name}: not a valid profile.proto message: ${e.message}`);
  }
  if (e instanceof RangeError && /index out of range/.test(e.message)) {
    return new AdvisorError('parsing profile', `${name}: truncated protobuf data (${e.message})`);
  }
  return e;
}

// Where the varint read by peekVarint ends.
let peekEnd = 0;

/** The varint at `pos` if it ends before `avail` (its end in peekEnd), else -1. */
function peekVarint(buf: Uint8Array, pos: number, avail: number): number {
  let v = 0;
  for (let shift = 0; pos < avail && shift <= 63; shift += 7) {
    const b = buf[pos++];
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      peekEnd = pos;
      return v;
    }
  }
  return -1;
}

/**
 * The end of the top-level field starting at `pos`, or -1 when it does not
 * end by `avail` (or its tag or length are not complete there).
 */
function fieldEnd(buf: Uint8Array, pos: number, avail: number): number {
  const tag = peekVarint(buf, pos, avail);
  if (tag < 0) return -1;
  pos = peekEnd;
  switch (tag % 8) {
    case 0:
      return peekVarint(buf, pos, avail) < 0 ? -1 : peekEnd;
    case 1:
      return pos + 8 <= avail ? pos + 8 : -1;
    case 5:
      return pos + 4 <= avail ? pos + 4 : -1;
    case 2: {
      const n = peekVarint(buf, pos, avail);
      return n >= 0 && peekEnd + n <= avail ? peekEnd + n : -1;
    }
    default:
      // Not decodable as it stands: let the full pass report it.
      return -1;
  }
}

/**
 * Decodes a profile.proto message that may arrive in pieces (as a gzip
 * stream inflates): push() takes the next piece and decodes the top-level
 * fields complete so far, and finish() decodes the rest, then validates and
 * resolves. Only the bytes of a field not yet complete are kept between
 * pieces, never the whole message. Given all the bytes at once, finish()
 * alone is decodeProfile.
 */
export class ProfileDecoder {
  private readonly r: ReaderT;
  private sampleTypes: RawValueType[] = [];
  private strings: string[] = [];
  private functions: RawFunction[] = [];
  private locations = new LocationColumns();
  private mappings: RawMapping[] = [];
  private comments: number[] = [];
  private dropFrames = 0;
  private keepFrames = 0;
  private timeNanos = 0;
  private durationNanos = 0;
  private periodType: RawValueType | null = null;
  private period = 0;
  private defaultSampleType = 0;
  private docUrl = 0;
  // Samples, columnar, decoded by readSample.
  private cols: SampleColumns;
  private sampleCount = 0;
  private firstValueCount = -1;
  private badValueSample = -1;
  private badValueCount = 0;
  private tooDeep = -1;

  /** `expectedBytes`: the message's size, or a guess at it (it sizes the columns). */
  constructor(
    private readonly name: string,
    private readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
    expectedBytes: number,
  ) {
    this.r = new ReaderT(new Uint8Array(0), 0, 0);
    this.cols = new SampleColumns(expectedBytes, limits.maxStackEntries, () => {
      throw new FatalDecodeError(
        'invalid profile',
        `${name}: more than ${limits.maxStackEntries.toLocaleString('en-US')} stack entries in all samples together (samples x depth); raise the limit with --max-stack-entries if this is expected`,
      );
    });
  }

  /** Bytes decoded so far. */
  get position(): number {
    return this.r.base + this.r.pos;
  }

  /** Takes the next piece of the message and decodes the top-level fields that are now complete. */
  push(chunk: Uint8Array): void {
    try {
      const r = this.r;
      this.append(chunk);
      for (;;) {
        const end = fieldEnd(r.buf, r.pos, r.buf.length);
        if (end < 0) return;
        r.len = end;
        this.field();
      }
    } catch (e) {
      throw translate(e, this.name);
    }
  }

  /** Decodes what is left (after `last`, the final piece, if given), then validates and resolves. */
  finish(last?: Uint8Array): Profile {
    try {
      const r = this.r;
      if (last) this.append(last);
      r.len = r.buf.length;
      while (r.pos < r.len) this.field();
      return this.resolve();
    } catch (e) {
      throw translate(e, this.name);
    }
  }

  // The unread bytes, then `chunk`, become the buffer read.
  private append(chunk: Uint8Array): void {
    const r = this.r;
    const rest = r.buf.length - r.pos;
    // Always a plain Uint8Array: a Buffer (zlib's chunks, readFile's bytes)
    // has another map, and a reader whose buf changed kind deoptimized every
    // decoding function compiled for the other.
    let next = chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (rest > 0) {
      next = new Uint8Array(rest + chunk.length);
      next.set(r.buf.subarray(r.pos));
      next.set(chunk, rest);
    }
    r.base += r.pos;
    r.buf = next;
    r.pos = 0;
  }

  // Reads one top-level field at r.pos (r.len: where the data ends).
  private field(): void {
    const r = this.r;
    const { limits, name, cols } = this;
    const at = r.base + r.pos;
    const tag = uvarint(r);
    const field = tag >>> 3;
    const wt = tag & 7;
    // Go's decoder rejects field number 0 at once; a zero-filled gzip bomb
    // is nothing but field 0, two bytes at a time.
    if (tag < 8) throw new FatalDecodeError('parsing profile', `${name}: not a valid profile.proto message: field number 0 at byte ${at}`);
    switch (field) {
      case 1:
        this.sampleTypes.push(readValueType(r, wt));
        break;
      case 2: {
        expectWire(wt, 2, 'sample', r);
        const sEnd = subEnd(r);
        const valuesBefore = cols.nValues;
        const stackBefore = cols.nStack;
        readSample(r, sEnd, cols);
        const nv = cols.nValues - valuesBefore;
        if (this.firstValueCount < 0) this.firstValueCount = nv;
        else if (nv !== this.firstValueCount && this.badValueSample < 0) {
          this.badValueSample = this.sampleCount;
          this.badValueCount = nv;
        }
        if (cols.nStack - stackBefore > limits.maxStackDepth && this.tooDeep < 0) this.tooDeep = this.sampleCount;
        this.sampleCount++;
        if (this.sampleCount > limits.maxSamples) {
          throw new AdvisorError(
            'invalid profile',
            `${name}: more than ${limits.maxSamples.toLocaleString('en-US')} samples; raise the limit with --max-samples if this is expected`,
          );
        }
        cols.stackOffsets.push(cols.nStack);
        break;
      }
      case 3:
        expectWire(wt, 2, 'mapping', r);
        this.mappings.push(readMapping(r));
        break;
      case 4:
        expectWire(wt, 2, 'location', r);
        readLocation(r, this.locations);
        break;
      case 5:
        expectWire(wt, 2, 'function', r);
        this.functions.push(readFunction(r));
        break;
      case 6:
        expectWire(wt, 2, 'string_table', r);
        if (this.strings.length >= limits.maxStrings) {
          throw new AdvisorError(
            'invalid profile',
            `${name}: string table has more than ${limits.maxStrings.toLocaleString('en-US')} entries; raise the limit with --max-strings if this is expected`,
          );
        }
        this.strings.push(readString(r, name));
        break;
      case 7:
        this.dropFrames = svarint(r);
        break;
      case 8:
        this.keepFrames = svarint(r);
        break;
      case 9:
        this.timeNanos = svarint(r);
        break;
      case 10:
        this.durationNanos = svarint(r);
        break;
      case 11:
        this.periodType = readValueType(r, wt);
        break;
      case 12:
        this.period = svarint(r);
        break;
      case 13:
        readRepeated(r, wt, true, (v) => this.comments.push(v));
        break;
      case 14:
        this.defaultSampleType = svarint(r);
        break;
      case 15:
        this.docUrl = svarint(r);
        break;
      default:
        skip(r, wt);
    }
  }

  private resolve(): Profile {
    const { name, limits, cols, sampleTypes, strings, functions, locations, mappings, comments, sampleCount, firstValueCount } = this;
    const { badValueSample, badValueCount, tooDeep, dropFrames, keepFrames, timeNanos, durationNanos, periodType, period } = this;
    const { defaultSampleType, docUrl } = this;

    // ---- validate and resolve ----
    const bad = (msg: string): never => {
      throw new AdvisorError('invalid profile', `${name}: ${msg}`);
    };
    if (strings.length === 0) {
      if (sampleTypes.length === 0 && sampleCount === 0) bad('no profile data found (empty message)');
      bad('the string table is empty (string_table[0] must be "")');
    }
    if (strings[0] !== '') bad(`string_table[0] must be "" but is ${JSON.stringify(strings[0].slice(0, 40))}`);
    const str = (i: number, what: string): string => {
      if (i < 0 || i >= strings.length || !Number.isInteger(i)) {
        bad(`${what} refers to string ${i}, but the string table has ${strings.length} entries`);
      }
      return strings[i];
    };

    if (sampleTypes.length === 0) bad('it declares no sample types');
    const nTypes = sampleTypes.length;
    if (sampleCount > 0 && firstValueCount !== nTypes) {
      bad(`sample 0 has ${firstValueCount} values but the profile declares ${nTypes} sample types`);
    }
    if (badValueSample >= 0) {
      bad(`sample ${badValueSample} has ${badValueCount} values but the profile declares ${nTypes} sample types`);
    }
    if (tooDeep >= 0) {
      bad(`sample ${tooDeep} has a stack deeper than ${limits.maxStackDepth} frames; raise the limit with --max-stack-depth if this is expected`);
    }

    const vt = (v: RawValueType, what: string): ValueType => ({ type: str(v.type, what), unit: str(v.unit, what) });

    const mappingList: Mapping[] = mappings.map((m, i) => ({
      id: m.id,
      memoryStart: m.memoryStart,
      memoryLimit: m.memoryLimit,
      fileOffset: m.fileOffset,
      filename: str(m.filename, `mapping ${i}`),
      buildId: str(m.buildId, `mapping ${i}`),
      hasFunctions: m.flags[0],
      hasFilenames: m.flags[1],
      hasLineNumbers: m.flags[2],
      hasInlineFrames: m.flags[3],
    }));
    const mappingById = new Map<number, Mapping>();
    for (const m of mappingList) {
      if (m.id === 0) bad('a mapping has id 0 (ids must be non-zero)');
      if (mappingById.has(m.id)) bad(duplicateId('mappings', m.id));
      mappingById.set(m.id, m);
    }

    const funcList: Func[] = [];
    for (let i = 0; i < functions.length; i++) {
      const f = functions[i];
      // The message is built only for a bad index.
      const at = (x: number): string => strings[x] ?? str(x, `function ${f.id}`);
      funcList.push({ index: i, id: f.id, name: at(f.name), systemName: at(f.systemName), filename: at(f.filename), startLine: f.startLine });
    }
    // Function id -> Func: an array when ids are small and dense (as writers
    // make them), else a Map.
    let maxFnId = 0;
    for (const f of funcList) if (f.id > maxFnId) maxFnId = f.id;
    const funcTable: (Func | undefined)[] | null = maxFnId <= funcList.length * 4 + 1024 ? new Array<Func | undefined>(maxFnId + 1).fill(undefined) : null;
    const funcMap = funcTable ? null : new Map<number, Func>();
    for (const f of funcList) {
      if (f.id === 0) bad('a function has id 0 (ids must be non-zero)');
      if (funcTable) {
        if (funcTable[f.id]) bad(duplicateId('functions', f.id));
        funcTable[f.id] = f;
      } else {
        if (funcMap!.has(f.id)) bad(duplicateId('functions', f.id));
        funcMap!.set(f.id, f);
      }
    }
    const funcById = (id: number): Func | undefined => (funcTable ? (id <= maxFnId ? funcTable[id] : undefined) : funcMap!.get(id));

    const locList: Location[] = [];
    let lineStart = 0;
    for (let i = 0; i < locations.id.length; i++) {
      const id = locations.id[i];
      const mappingId = locations.mappingId[i];
      let mapping: Mapping | null = null;
      if (mappingId !== 0) {
        mapping = mappingById.get(mappingId) ?? null;
        if (!mapping) bad(`location ${id} refers to mapping ${mappingId}, which does not exist (${mappingList.length} mappings)`);
      }
      const lines: Line[] = [];
      const lineEnd = locations.lineEnd[i];
      for (let j = lineStart; j < lineEnd; j++) {
        // function_id 0 means "no function" (pprof keeps such a line with a
        // nil Function); it shares one nameless placeholder.
        const functionId = locations.lineFunctionId[j];
        const fn = functionId === 0 ? NO_FUNCTION : funcById(functionId);
        if (!fn) bad(`location ${id} refers to function ${functionId}, which does not exist (${funcList.length} functions)`);
        lines.push({ function: fn as Func, line: locations.lineLine[j], column: locations.lineColumn[j] });
      }
      lineStart = lineEnd;
      locList.push({ index: i, id, mapping, address: locations.address[i], isFolded: locations.isFolded[i], lines });
    }

    // Location id -> index: a dense table when ids are small, else a Map.
    let maxId = 0;
    for (const l of locList) {
      if (l.id === 0) bad('a location has id 0 (ids must be non-zero)');
      if (l.id > maxId) maxId = l.id;
    }
    // The stack column holds id - 1 (see readSample). When every location's id
    // is its position + 1, as runtime/pprof writes them, and no sample names an
    // id past the table, that already is the location index.
    const stackLocations = cols.stack.subarray(0, cols.nStack);
    let identity = cols.maxStored < locList.length;
    for (let i = 0; identity && i < locList.length; i++) identity = locList[i].id === i + 1;
    if (!identity) resolveStack(stackLocations, cols, locList, maxId, bad);

    if (cols.maxLabelString >= strings.length) {
      bad(`a sample label refers to string ${cols.maxLabelString}, but the string table has ${strings.length} entries`);
    }

    const samples: Samples = {
      count: sampleCount,
      valueCount: nTypes,
      stackOffsets: cols.stackOffsets.finish(),
      stackLocations,
      values: cols.values.subarray(0, cols.nValues),
    };

    return {
      sampleTypes: sampleTypes.map((v, i) => vt(v, `sample type ${i}`)),
      defaultSampleType: defaultSampleType ? str(defaultSampleType, 'default_sample_type') : null,
      samples,
      mappings: mappingList,
      locations: locList,
      functions: funcList,
      dropFrames: str(dropFrames, 'drop_frames'),
      keepFrames: str(keepFrames, 'keep_frames'),
      timeNanos,
      durationNanos,
      periodType: periodType ? vt(periodType, 'period_type') : null,
      period,
      comments: comments.map((c) => str(c, 'a comment')),
      docUrl: str(docUrl, 'doc_url'),
    };
  }
}

// pprof's CheckValid rejects duplicate ids ("multiple locations with same
// id"); accepting them would silently point a sample at whichever entry came
// last. Ids are numbers from here on, so ids above 2^53 that differ on the
// wire can collide, and the message says so. (Locations laid out as 1..n,
// the usual case, cannot repeat and are not checked.)
function duplicateId(what: string, id: number): string {
  const why = id > Number.MAX_SAFE_INTEGER ? ' (ids above 2^53 cannot be told apart; advisor reads ids as doubles)' : '';
  return `two ${what} have id ${id}; ids must be unique${why}`;
}

function expectWire(got: number, want: number, what: string, r: ReaderT): void {
  if (got !== want) throw new WireError(`field ${what} has wire type ${got}, expected ${want}, at byte ${r.base + r.pos}`);
}

function readString(r: ReaderT, name: string): string {
  const end = subEnd(r);
  if (end - r.pos > MAX_STRING_BYTES) {
    throw new FatalDecodeError('invalid profile', `${name}: a string-table entry at byte ${r.base + r.pos} is ${end - r.pos} bytes long; advisor reads names of at most ${MAX_STRING_BYTES / (1024 * 1024)} MiB`);
  }
  const s = r.buf.subarray(r.pos, end);
  r.pos = end;
  return utf8Decoder.decode(s);
}

const utf8Decoder = new TextDecoder('utf-8');

function readValueType(r: ReaderT, wt: number): RawValueType {
  expectWire(wt, 2, 'value type', r);
  const out: RawValueType = { type: 0, unit: 0 };
  withLimit(r, subEnd(r), () => {
    while (r.pos < r.len) {
      const t = uvarint(r);
      if (t === 8) out.type = svarint(r);
      else if (t === 16) out.unit = svarint(r);
      else skip(r, t & 7);
    }
  });
  return out;
}

/** Reads a label for its string indices (SampleColumns.maxLabelString). */
function readLabel(r: ReaderT, c: SampleColumns): void {
  let k = 0;
  let s = 0;
  let nu = 0;
  const lEnd = subEnd(r);
  const saved = r.len;
  r.len = lEnd;
  try {
    while (r.pos < lEnd) {
      const t = uvarint(r);
      switch (t) {
        case 8:
          k = svarint(r);
          break;
        case 16:
          s = svarint(r);
          break;
        case 32:
          nu = svarint(r);
          break;
        default:
          skip(r, t & 7);
      }
    }
  } finally {
    r.len = saved;
  }
  r.pos = lEnd;
  // A negative or huge index counts as 0xffffffff, which validation rejects.
  const max = k < 0 || s < 0 || nu < 0 ? 0xffffffff : Math.min(Math.max(k, s, nu), 0xffffffff);
  if (max > c.maxLabelString) c.maxLabelString = max;
}

function readMapping(r: ReaderT): RawMapping {
  const m: RawMapping = {
    id: 0,
    memoryStart: 0,
    memoryLimit: 0,
    fileOffset: 0,
    filename: 0,
    buildId: 0,
    flags: [false, false, false, false],
  };
  withLimit(r, subEnd(r), () => {
    while (r.pos < r.len) {
      const t = uvarint(r);
      const wt = t & 7;
      if (wt !== 0) {
        skip(r, wt);
        continue;
      }
      switch (t >>> 3) {
        case 1:
          m.id = uvarint(r);
          break;
        case 2:
          m.memoryStart = uvarint(r);
          break;
        case 3:
          m.memoryLimit = uvarint(r);
          break;
        case 4:
          m.fileOffset = uvarint(r);
          break;
        case 5:
          m.filename = svarint(r);
          break;
        case 6:
          m.buildId = svarint(r);
          break;
        case 7:
        case 8:
        case 9:
        case 10:
          m.flags[(t >>> 3) - 7] = uvarint(r) !== 0;
          break;
        default:
          uvarint(r);
      }
    }
  });
  return m;
}

function readLocation(r: ReaderT, c: LocationColumns): void {
  let id = 0;
  let mappingId = 0;
  let address = 0;
  let isFolded = false;
  const end = subEnd(r);
  const saved = r.len;
  r.len = end;
  try {
    while (r.pos < end) {
      const t = uvarint(r);
      switch (t) {
        case 8:
          id = uvarint(r);
          break;
        case 16:
          mappingId = uvarint(r);
          break;
        case 24:
          address = uvarint(r);
          break;
        case 34: {
          let functionId = 0;
          let line = 0;
          let column = 0;
          const lEnd = subEnd(r);
          r.len = lEnd;
          while (r.pos < lEnd) {
            const u = uvarint(r);
            if (u === 8) functionId = uvarint(r);
            else if (u === 16) line = svarint(r);
            else if (u === 24) column = svarint(r);
            else skip(r, u & 7);
          }
          r.len = end;
          r.pos = lEnd;
          c.lineFunctionId.push(functionId);
          c.lineLine.push(line);
          c.lineColumn.push(column);
          break;
        }
        case 40:
          isFolded = uvarint(r) !== 0;
          break;
        default:
          if (t >>> 3 === 4) throw new WireError(`location line has wire type ${t & 7}, expected 2, at byte ${r.base + r.pos}`);
          skip(r, t & 7);
      }
    }
  } finally {
    r.len = saved;
  }
  r.pos = end;
  c.id.push(id);
  c.mappingId.push(mappingId);
  c.address.push(address);
  c.isFolded.push(isFolded);
  c.lineEnd.push(c.lineFunctionId.length);
}

function readFunction(r: ReaderT): RawFunction {
  const f: RawFunction = { id: 0, name: 0, systemName: 0, filename: 0, startLine: 0 };
  const end = subEnd(r);
  const saved = r.len;
  r.len = end;
  try {
    while (r.pos < end) {
      const t = uvarint(r);
      switch (t) {
        case 8:
          f.id = uvarint(r);
          break;
        case 16:
          f.name = svarint(r);
          break;
        case 24:
          f.systemName = svarint(r);
          break;
        case 32:
          f.filename = svarint(r);
          break;
        case 40:
          f.startLine = svarint(r);
          break;
        default:
          skip(r, t & 7);
      }
    }
  } finally {
    r.len = saved;
  }
  r.pos = end;
  return f;
}
