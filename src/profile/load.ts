// Turns raw input bytes into a Profile: detect the container by content (gzip
// magic 1f 8b, or raw protobuf), gunzip with a size cap, recognise inputs that
// are not profile.proto at all, then decode and validate.
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync, type Gunzip, constants as zc } from 'node:zlib';
import { AdvisorError } from '../errors.js';
import { formatSize } from '../model/units.js';
import { decodeProfile, DEFAULT_DECODE_LIMITS, FatalDecodeError, ProfileDecoder, type DecodeLimits } from './decode.js';
import type { Profile } from './model.js';

export interface LoadLimits extends DecodeLimits {
  /** Most bytes a profile may decompress to (a gzip bomb gets a clear error). */
  maxDecompressedBytes: number;
}

export const DEFAULT_LIMITS: LoadLimits = {
  ...DEFAULT_DECODE_LIMITS,
  maxDecompressedBytes: 1024 * 1024 * 1024,
};

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The output buffer size for gunzipping `bytes`: the size the gzip trailer
 * records (ISIZE, the uncompressed length mod 2^32, of the last member) plus
 * one, so that a single-member stream inflates into one buffer with no
 * chunks to concatenate (which would double the peak memory of a large
 * profile). The trailer is only a hint: a wrong or hostile value costs at
 * worst more chunks, or one allocation no larger than the caps.
 */
function gunzipChunkSize(bytes: Uint8Array, maxBytes: number): number {
  const n = bytes.length;
  if (n < 18) return 1 << 16;
  const isize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  return sizeHint(isize, n, maxBytes);
}

// The trailer's ISIZE as an output size, within what the caps and the
// compressed size allow (deflate cannot compress better than about 1032:1).
function sizeHint(isize: number, compressed: number, maxBytes: number): number {
  if (compressed < 18) return 1 << 16;
  return Math.max(1 << 16, Math.min(isize + 1, maxBytes + 1, compressed * 1032 + 1024, 2 ** 31 - 1));
}

/** Gunzips with a cap on the output size. */
export function gunzipCapped(bytes: Uint8Array, name: string, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes, chunkSize: gunzipChunkSize(bytes, maxBytes) });
  } catch (e) {
    throw gunzipError(e, name, maxBytes);
  }
}

function gunzipError(e: unknown, name: string, maxBytes: number): AdvisorError {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|maxOutputLength|larger than/.test(err.message)) {
    return tooLarge(name, maxBytes);
  }
  if (err.code === 'Z_BUF_ERROR' || (err as { errno?: number }).errno === zc.Z_BUF_ERROR || /unexpected end/i.test(err.message)) {
    return new AdvisorError('decompressing profile', `${name}: truncated gzip data (the file ends before the compressed stream does)`);
  }
  return new AdvisorError('decompressing profile', `${name}: corrupt gzip data (${err.message})`);
}

function tooLarge(name: string, maxBytes: number): AdvisorError {
  return new AdvisorError(
    'decompressing profile',
    `${name}: decompresses to more than ${formatSize(maxBytes)}; raise the limit with --max-decompressed if this is expected`,
  );
}

const CONVERT_HINT = 'convert it with `go tool pprof -proto FILE > out.pb.gz`';

/**
 * Recognises inputs that are not profile.proto: JSON, legacy text profiles
 * (heap, threadcreate, contention, jemalloc, Java heapz) and the legacy binary
 * CPU format. Returns a message, or null when the bytes may be protobuf.
 */
export function recognizeNonProto(bytes: Uint8Array): string | null {
  if (isGzip(bytes)) return 'it is compressed twice (gzip inside gzip); decompress it once with `gunzip` first';
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  const trimmed = head.replace(/^[\s\ufeff]+/, '');
  if (/^[[{]/.test(trimmed) && /^[[{]\s*["[{\]}]/.test(trimmed)) {
    return 'it looks like JSON, not a pprof profile (pprof profiles are gzipped protobuf)';
  }
  // Legacy binary CPU profile: a header of words 0, 3, 0, period, 0 in 32- or
  // 64-bit little-endian form (google/pprof profile/legacy_profile.go).
  if (bytes.length >= 16) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const w32 = (i: number) => dv.getUint32(i * 4, true);
    if ((w32(0) === 0 && w32(1) === 3) || (w32(0) === 0 && w32(1) === 0 && w32(2) === 3 && w32(3) === 0)) {
      return `it is a legacy binary CPU profile, not profile.proto; ${CONVERT_HINT}`;
    }
  }
  if (isMostlyText(bytes)) {
    const first = trimmed.split('\n', 1)[0].slice(0, 60);
    if (/^(heap profile:|--- |heap_v2\/|heapz|growthz|threadcreate profile:|goroutine profile:|contention|%|sampling period|cycles\/second)/i.test(trimmed)) {
      return `it is a legacy text profile (${JSON.stringify(first)}), not profile.proto; ${CONVERT_HINT}`;
    }
    return `it is plain text (${JSON.stringify(first)}), not a pprof profile`;
  }
  return null;
}

function isMostlyText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 9 || b === 10 || b === 13) continue;
    if (b < 32 || b === 127) return false;
  }
  return true;
}

/**
 * Inflates the first bytes of a gzip stream and refuses it at once when
 * they cannot start a profile (field number 0, as in a zero-filled bomb), so
 * that nothing is inflated to --max-decompressed first. Anything else
 * (including a damaged stream) is left to the full pass.
 */
function rejectHead(bytes: Uint8Array, name: string): void {
  let head: Buffer;
  try {
    head = gunzipSync(bytes.subarray(0, 64), { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: 1 << 20 });
  } catch {
    return;
  }
  // Legacy formats that start with zero words get their own message later.
  if (head.length >= 16 && head[0] < 8 && recognizeNonProto(head) === null) {
    throw new FatalDecodeError('parsing profile', `${name}: not a valid profile.proto message: field number 0 at byte 0`);
  }
}

/** Decodes a profile from raw (gzipped or not) bytes. */
export function parseProfileBytes(bytes: Uint8Array, name: string, limits: LoadLimits = DEFAULT_LIMITS): Profile {
  if (bytes.length === 0) throw new AdvisorError('parsing profile', `${name}: empty input`);
  let data = bytes;
  if (isGzip(bytes)) {
    rejectHead(bytes, name);
    data = gunzipCapped(bytes, name, limits.maxDecompressedBytes);
    if (data.length === 0) throw new AdvisorError('parsing profile', `${name}: empty input (the gzip stream holds no data)`);
  } else if (bytes.length > limits.maxDecompressedBytes) {
    throw new AdvisorError('reading profile', `${name}: larger than ${formatSize(limits.maxDecompressedBytes)}; raise the limit with --max-decompressed`);
  }
  const why = recognizeNonProto(data);
  if (why) throw new AdvisorError('parsing profile', `${name}: ${why}`);
  return decodeProfile(data, name, limits);
}

/** Gzipped inputs from this size up are inflated and decoded at once (parseProfileBytesAsync). */
export const STREAM_MIN_BYTES = 1 << 20;

/**
 * parseProfileBytes, with the same results and errors, but a large gzipped
 * input is inflated on libuv's thread pool while this thread decodes what
 * has been inflated so far: inflating, a third of the time of a large
 * profile, then costs no wall time on a machine with a second core.
 */
export function parseProfileBytesAsync(
  bytes: Uint8Array,
  name: string,
  limits: LoadLimits = DEFAULT_LIMITS,
  streamMinBytes = STREAM_MIN_BYTES,
): Promise<Profile> {
  if (!isGzip(bytes) || bytes.length < streamMinBytes) {
    try {
      return Promise.resolve(parseProfileBytes(bytes, name, limits));
    } catch (e) {
      return Promise.reject(e);
    }
  }
  const hint = gunzipChunkSize(bytes, limits.maxDecompressedBytes);
  return inflateAndDecode((z) => z.end(bytes), hint, name, limits);
}

/**
 * A gzipped profile file, streamed: read, inflated and decoded as it
 * arrives, so the compressed bytes are never held whole (30 MB less at the
 * peak for a 30 MB file). `size` is the file's size and `trailer` its last 4
 * bytes (the gzip ISIZE field), from which the decoder sizes its columns.
 */
export function parseGzipFileStream(
  input: Readable,
  size: number,
  trailer: Uint8Array,
  name: string,
  limits: LoadLimits = DEFAULT_LIMITS,
): Promise<Profile> {
  const isize = trailer.length === 4 ? (trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (trailer[3] << 24)) >>> 0 : 0;
  const hint = sizeHint(isize, size, limits.maxDecompressedBytes);
  return inflateAndDecode(
    (z, fail) => {
      input.on('error', (e: NodeJS.ErrnoException) => fail(new AdvisorError('reading profile', `${name}: ${e.message}`)));
      input.pipe(z);
    },
    hint,
    name,
    limits,
  );
}

function inflateAndDecode(
  start: (z: Gunzip, fail: (e: unknown) => void) => void,
  hint: number,
  name: string,
  limits: LoadLimits,
): Promise<Profile> {
  const max = limits.maxDecompressedBytes;
  return new Promise<Profile>((resolve, reject) => {
    // Inflated chunks wait here for the decoder, which keeps only the bytes
    // of a field not yet complete: the inflated profile is never held whole.
    // zlib issues its next inflate from the callback that delivers a chunk,
    // which runs only when the decoder yields, so it is at most a chunk or
    // two ahead.
    let queue: Buffer[] = [];
    let queued = 0;
    let n = 0;
    let decoder: ProfileDecoder | null = null;
    // A decoding error waits for the end of the stream: a gzip error, the
    // more basic cause, is reported instead when there is one.
    let decodeError: unknown = null;
    let scheduled = false;
    let ended = false;
    let settled = false;
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      z.destroy();
      reject(e);
    };
    const step = (): void => {
      scheduled = false;
      if (settled || decodeError) return;
      try {
        if (!decoder) {
          // recognizeNonProto looks at the first 512 bytes.
          if (queued < 512 && !ended) return;
          if (queued === 0) return;
          const first = queue.length === 1 ? queue[0] : Buffer.concat(queue);
          queue = [first];
          const why = recognizeNonProto(first);
          if (why) throw new AdvisorError('parsing profile', `${name}: ${why}`);
          decoder = new ProfileDecoder(name, limits, hint);
        }
        const pieces = queue;
        queue = [];
        queued = 0;
        for (const p of pieces) decoder.push(p);
      } catch (e) {
        // A cap passed, or field number 0: stop inflating now (a bomb would
        // otherwise be inflated to --max-decompressed for nothing).
        if (e instanceof FatalDecodeError) return fail(e);
        decodeError = e;
        queue = [];
      }
    };
    const z = createGunzip({ chunkSize: 1 << 20 });
    z.on('data', (chunk: Buffer) => {
      if (settled) return;
      n += chunk.length;
      if (n > max) return fail(tooLarge(name, max));
      if (decodeError) return;
      queue.push(chunk);
      queued += chunk.length;
      // Decoding runs from the event loop, not in this callback, so that
      // zlib starts on the next chunk first.
      if (!scheduled) {
        scheduled = true;
        setImmediate(step);
      }
    });
    z.on('error', (e) => fail(gunzipError(e, name, max)));
    z.on('end', () => {
      ended = true;
      setImmediate(() => {
        if (settled) return;
        step();
        try {
          if (decodeError) throw decodeError;
          if (n === 0) throw new AdvisorError('parsing profile', `${name}: empty input (the gzip stream holds no data)`);
          const profile = (decoder as ProfileDecoder).finish();
          settled = true;
          resolve(profile);
        } catch (e) {
          fail(e);
        }
      });
    });
    start(z, fail);
  });
}
