// Decodes an uncompressed profile.proto message into the resolved Profile.
//
// protobufjs's Reader provides the framing (tags, lengths, strings, skipping
// unknown fields). The hot path, samples, is decoded straight into growable
// typed arrays with inlined varint reads, because an object per sample (what
// protobufjs's generated decode makes) costs several times the time and memory
// on profiles with hundreds of thousands of samples.
//
// Field numbers follow proto/profile.proto. Traps the format has:
// - Repeated scalars arrive packed or unpacked: Go's writers pack a list only
//   when it has more than two entries, so both forms occur in one file.
// - Field order is not numeric: runtime/pprof writes the string table last and
//   interleaves samples with the locations they reference, so nothing can be
//   resolved until the whole message has been read.
import protobuf from 'protobufjs/minimal.js';
import { AdvisorError } from '../errors.js';
import type { Func, Location, Mapping, Profile, Samples, ValueType } from './model.js';

const { Reader } = protobuf;
type ReaderT = InstanceType<typeof Reader>;

export interface DecodeLimits {
  /** Most samples accepted (a cap against hostile input). */
  maxSamples: number;
  /** Most locations in one sample's stack. */
  maxStackDepth: number;
  /** Most entries in the string table. */
  maxStrings: number;
}

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxSamples: 20_000_000,
  maxStackDepth: 4096,
  maxStrings: 20_000_000,
};

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
      if (i === 4) throw new WireError(`varint longer than 10 bytes at byte ${pos}`);
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
      throw new WireError(`unexpected wire type ${wireType} at byte ${r.pos}`);
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
    throw new WireError(`unexpected wire type ${wireType} for a repeated integer at byte ${r.pos}`);
  }
}

class GrowU32 {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = v;
  }
  grow(): void {
    const next = new Uint32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
  finish(): Uint32Array {
    // A view, not a copy, when little would be wasted: copying the stack
    // column of a large profile costs as much as filling it.
    return this.length * 4 >= this.data.length * 3 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
  }
}

class GrowF64 {
  data: Float64Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  finish(): Float64Array {
    return this.length * 4 >= this.data.length * 3 ? this.data.subarray(0, this.length) : this.data.slice(0, this.length);
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
interface RawLine {
  functionId: number;
  line: number;
  column: number;
}
interface RawLocation {
  id: number;
  mappingId: number;
  address: number;
  lines: RawLine[];
  isFolded: boolean;
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

// Location ids above this are kept in a side list; the stack array holds this
// marker in their place. Real writers use small dense ids.
const BIG_ID = 0xffffffff;

/** Decodes profile.proto bytes. `name` is used in error messages. */
export function decodeProfile(bytes: Uint8Array, name: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): Profile {
  try {
    return decodeInner(bytes, name, limits);
  } catch (e) {
    if (e instanceof Truncated) {
      throw new AdvisorError('parsing profile', `${name}: truncated protobuf data (the file ends in the middle of a field)`);
    }
    if (e instanceof WireError) {
      throw new AdvisorError('parsing profile', `${name}: not a valid profile.proto message: ${e.message}`);
    }
    if (e instanceof RangeError && /index out of range/.test(e.message)) {
      throw new AdvisorError('parsing profile', `${name}: truncated protobuf data (${e.message})`);
    }
    throw e;
  }
}

function decodeInner(bytes: Uint8Array, name: string, limits: DecodeLimits): Profile {
  const r = Reader.create(bytes) as ReaderT;
  const sampleTypes: RawValueType[] = [];
  const strings: string[] = [];
  const functions: RawFunction[] = [];
  const locations: RawLocation[] = [];
  const mappings: RawMapping[] = [];
  const comments: number[] = [];
  let dropFrames = 0;
  let keepFrames = 0;
  let timeNanos = 0;
  let durationNanos = 0;
  let periodType: RawValueType | null = null;
  let period = 0;
  let defaultSampleType = 0;
  let docUrl = 0;

  // Samples, columnar. Capacity guesses from the input size keep regrowth
  // rare: in Go heap profiles location ids are most of the bytes, at one to
  // three bytes each.
  const guess = Math.min(bytes.length >>> 4, 1 << 24);
  const stackOffsets = new GrowU32(guess >>> 3);
  const stackIds = new GrowU32(Math.min(Math.floor(bytes.length / 2.5), 1 << 27));
  const bigIds: number[] = [];
  const values = new GrowF64(guess >>> 2);
  const labelOffsets = new GrowU32(guess >>> 3);
  const labelKey = new GrowU32(16);
  const labelStr = new GrowU32(16);
  const labelNum = new GrowF64(16);
  const labelNumUnit = new GrowU32(16);
  const labelHasNum: number[] = [];
  let sampleCount = 0;
  let firstValueCount = -1;
  let badValueSample = -1;
  let badValueCount = 0;
  let tooDeep = -1;
  stackOffsets.push(0);
  labelOffsets.push(0);

  const pushStack = (id: number): void => {
    if (id >= BIG_ID) {
      bigIds.push(id);
      stackIds.push(BIG_ID);
    } else stackIds.push(id);
  };
  const pushValue = (v: number): void => values.push(v);

  const end = r.len;
  while (r.pos < end) {
    const tag = uvarint(r);
    const field = tag >>> 3;
    const wt = tag & 7;
    switch (field) {
      case 1:
        sampleTypes.push(readValueType(r, wt));
        break;
      case 2: {
        expectWire(wt, 2, 'sample', r);
        const sEnd = subEnd(r);
        const saved = r.len;
        r.len = sEnd;
        const valuesBefore = values.length;
        const stackBefore = stackIds.length;
        try {
          while (r.pos < sEnd) {
            const t = uvarint(r);
            switch (t >>> 3) {
              case 1:
                if ((t & 7) === 2) {
                  const pEnd = subEnd(r);
                  r.len = pEnd;
                  while (r.pos < pEnd) pushStack(uvarint(r));
                  r.len = sEnd;
                } else if ((t & 7) === 0) pushStack(uvarint(r));
                else readRepeated(r, t & 7, false, pushStack);
                break;
              case 2:
                if ((t & 7) === 2) {
                  const pEnd = subEnd(r);
                  r.len = pEnd;
                  while (r.pos < pEnd) values.push(svarint(r));
                  r.len = sEnd;
                } else if ((t & 7) === 0) values.push(svarint(r));
                else readRepeated(r, t & 7, true, pushValue);
                break;
              case 3:
                expectWire(t & 7, 2, 'label', r);
                readLabel(r, labelKey, labelStr, labelNum, labelNumUnit, labelHasNum);
                break;
              default:
                skip(r, t & 7);
            }
          }
        } finally {
          r.len = saved;
        }
        const nv = values.length - valuesBefore;
        if (firstValueCount < 0) firstValueCount = nv;
        else if (nv !== firstValueCount && badValueSample < 0) {
          badValueSample = sampleCount;
          badValueCount = nv;
        }
        if (stackIds.length - stackBefore > limits.maxStackDepth && tooDeep < 0) tooDeep = sampleCount;
        sampleCount++;
        if (sampleCount > limits.maxSamples) {
          throw new AdvisorError(
            'invalid profile',
            `${name}: more than ${limits.maxSamples.toLocaleString('en-US')} samples; raise the limit with --max-samples if this is expected`,
          );
        }
        stackOffsets.push(stackIds.length);
        labelOffsets.push(labelKey.length);
        break;
      }
      case 3:
        expectWire(wt, 2, 'mapping', r);
        mappings.push(readMapping(r));
        break;
      case 4:
        expectWire(wt, 2, 'location', r);
        locations.push(readLocation(r));
        break;
      case 5:
        expectWire(wt, 2, 'function', r);
        functions.push(readFunction(r));
        break;
      case 6:
        expectWire(wt, 2, 'string_table', r);
        if (strings.length >= limits.maxStrings) {
          throw new AdvisorError(
            'invalid profile',
            `${name}: string table has more than ${limits.maxStrings.toLocaleString('en-US')} entries; raise the limit with --max-strings if this is expected`,
          );
        }
        strings.push(readString(r));
        break;
      case 7:
        dropFrames = svarint(r);
        break;
      case 8:
        keepFrames = svarint(r);
        break;
      case 9:
        timeNanos = svarint(r);
        break;
      case 10:
        durationNanos = svarint(r);
        break;
      case 11:
        periodType = readValueType(r, wt);
        break;
      case 12:
        period = svarint(r);
        break;
      case 13:
        readRepeated(r, wt, true, (v) => comments.push(v));
        break;
      case 14:
        defaultSampleType = svarint(r);
        break;
      case 15:
        docUrl = svarint(r);
        break;
      default:
        skip(r, wt);
    }
  }

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
    mappingById.set(m.id, m);
  }

  const funcList: Func[] = functions.map((f, i) => ({
    index: i,
    id: f.id,
    name: str(f.name, `function ${f.id}`),
    systemName: str(f.systemName, `function ${f.id}`),
    filename: str(f.filename, `function ${f.id}`),
    startLine: f.startLine,
  }));
  const funcById = new Map<number, Func>();
  for (const f of funcList) {
    if (f.id === 0) bad('a function has id 0 (ids must be non-zero)');
    funcById.set(f.id, f);
  }

  const locList: Location[] = locations.map((l, i) => {
    let mapping: Mapping | null = null;
    if (l.mappingId !== 0) {
      mapping = mappingById.get(l.mappingId) ?? null;
      if (!mapping) bad(`location ${l.id} refers to mapping ${l.mappingId}, which does not exist (${mappingList.length} mappings)`);
    }
    return {
      index: i,
      id: l.id,
      mapping,
      address: l.address,
      isFolded: l.isFolded,
      lines: l.lines.map((ln) => {
        // function_id 0 means "no function" (pprof keeps such a line with a
        // nil Function); it shares one nameless placeholder.
        const fn = ln.functionId === 0 ? NO_FUNCTION : funcById.get(ln.functionId);
        if (!fn) bad(`location ${l.id} refers to function ${ln.functionId}, which does not exist (${funcList.length} functions)`);
        return { function: fn as Func, line: ln.line, column: ln.column };
      }),
    };
  });

  // Location id -> index: a dense table when ids are small, else a Map.
  let maxId = 0;
  for (const l of locList) {
    if (l.id === 0) bad('a location has id 0 (ids must be non-zero)');
    if (l.id > maxId) maxId = l.id;
  }
  const ids = stackIds.data;
  const nIds = stackIds.length;
  const stackLocations = new Uint32Array(nIds);
  const missing = (id: number, at: number): never => {
    // Find the sample for the message.
    const offs = stackOffsets.data;
    let s = 0;
    while (s + 1 < stackOffsets.length && offs[s + 1] <= at) s++;
    return bad(`sample ${s} refers to location ${id}, which does not exist (${locList.length} locations)`);
  };
  if (maxId < BIG_ID && maxId <= locList.length * 4 + 1024) {
    const table = new Int32Array(maxId + 1).fill(-1);
    for (const l of locList) table[l.id] = l.index;
    let big = 0;
    for (let i = 0; i < nIds; i++) {
      const id = ids[i];
      if (id === BIG_ID) missing(bigIds[big++], i);
      const ix = id <= maxId ? table[id] : -1;
      if (ix < 0) missing(id, i);
      stackLocations[i] = ix;
    }
  } else {
    const map = new Map<number, number>();
    for (const l of locList) map.set(l.id, l.index);
    let big = 0;
    for (let i = 0; i < nIds; i++) {
      const id = ids[i] === BIG_ID ? bigIds[big++] : ids[i];
      const ix = map.get(id);
      if (ix === undefined) missing(id, i);
      stackLocations[i] = ix as number;
    }
  }

  // Label string indices are checked here so labelAt never reads past the table.
  const nLabels = labelKey.length;
  const nStr = strings.length;
  for (let i = 0; i < nLabels; i++) {
    if (labelKey.data[i] >= nStr || labelStr.data[i] >= nStr || labelNumUnit.data[i] >= nStr) {
      bad(`a sample label refers to string ${Math.max(labelKey.data[i], labelStr.data[i], labelNumUnit.data[i])}, but the string table has ${nStr} entries`);
    }
  }
  const labelIsNum = new Uint8Array(nLabels);
  for (let i = 0; i < nLabels; i++) labelIsNum[i] = labelHasNum[i];

  const samples: Samples = {
    count: sampleCount,
    valueCount: nTypes,
    stackOffsets: stackOffsets.finish(),
    stackLocations,
    values: values.finish(),
    labelOffsets: labelOffsets.finish(),
    labelKey: labelKey.finish(),
    labelStr: labelStr.finish(),
    labelNum: labelNum.finish(),
    labelNumUnit: labelNumUnit.finish(),
    labelIsNum,
    labelStrings: strings,
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

function expectWire(got: number, want: number, what: string, r: ReaderT): void {
  if (got !== want) throw new WireError(`field ${what} has wire type ${got}, expected ${want}, at byte ${r.pos}`);
}

function readString(r: ReaderT): string {
  const end = subEnd(r);
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

function readLabel(r: ReaderT, key: GrowU32, strs: GrowU32, num: GrowF64, numUnit: GrowU32, hasNum: number[]): void {
  let k = 0;
  let s = 0;
  let n = 0;
  let nu = 0;
  withLimit(r, subEnd(r), () => {
    while (r.pos < r.len) {
      const t = uvarint(r);
      switch (t) {
        case 8:
          k = svarint(r);
          break;
        case 16:
          s = svarint(r);
          break;
        case 24:
          n = svarint(r);
          break;
        case 32:
          nu = svarint(r);
          break;
        default:
          skip(r, t & 7);
      }
    }
  });
  // Negative or huge indices become 0xffffffff, which validation rejects.
  key.push(k >= 0 && k < 0xffffffff ? k : 0xffffffff);
  strs.push(s >= 0 && s < 0xffffffff ? s : 0xffffffff);
  num.push(n);
  numUnit.push(nu >= 0 && nu < 0xffffffff ? nu : 0xffffffff);
  // pprof's rule: a label with a string value is a string label; otherwise
  // it is numeric when it has a number or a unit (proto3 omits a zero num).
  hasNum.push(s === 0 && (n !== 0 || nu !== 0) ? 1 : 0);
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

function readLocation(r: ReaderT): RawLocation {
  const l: RawLocation = { id: 0, mappingId: 0, address: 0, lines: [], isFolded: false };
  withLimit(r, subEnd(r), () => {
    while (r.pos < r.len) {
      const t = uvarint(r);
      switch (t) {
        case 8:
          l.id = uvarint(r);
          break;
        case 16:
          l.mappingId = uvarint(r);
          break;
        case 24:
          l.address = uvarint(r);
          break;
        case 34: {
          const ln: RawLine = { functionId: 0, line: 0, column: 0 };
          withLimit(r, subEnd(r), () => {
            while (r.pos < r.len) {
              const u = uvarint(r);
              if (u === 8) ln.functionId = uvarint(r);
              else if (u === 16) ln.line = svarint(r);
              else if (u === 24) ln.column = svarint(r);
              else skip(r, u & 7);
            }
          });
          l.lines.push(ln);
          break;
        }
        case 40:
          l.isFolded = uvarint(r) !== 0;
          break;
        default:
          if (t >>> 3 === 4) throw new WireError(`location line has wire type ${t & 7}, expected 2, at byte ${r.pos}`);
          skip(r, t & 7);
      }
    }
  });
  return l;
}

function readFunction(r: ReaderT): RawFunction {
  const f: RawFunction = { id: 0, name: 0, systemName: 0, filename: 0, startLine: 0 };
  withLimit(r, subEnd(r), () => {
    while (r.pos < r.len) {
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
  });
  return f;
}
