// Entry point of the profile stage: read bytes from a file or stdin, then
// decode. (URLs are fetched by fetch.ts.)
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { open, readFile, stat } from 'node:fs/promises';
import { AdvisorError } from '../errors.js';
import { DEFAULT_LIMITS, parseGzipFileStream, parseProfileBytesAsync, STREAM_MIN_BYTES, type LoadLimits } from './load.js';
import type { Profile } from './model.js';
import { readCapped, type CappedRead } from './capped.js';
import { fetchProfileBytes, isUrl, redactUrl } from './fetch.js';
import { formatSize } from '../model/units.js';

export type { Profile } from './model.js';
export { DEFAULT_LIMITS, parseProfileBytes, parseProfileBytesAsync, type LoadLimits } from './load.js';
export { mergeProfiles } from './merge.js';
export { isUrl, redactUrl } from './fetch.js';

export interface LoadOptions {
  limits?: Partial<LoadLimits>;
  /** Standard input for '-'; injectable for tests. */
  stdin?: () => Readable;
  /** For URLs: --seconds (a delta profile over that many seconds). */
  seconds?: number;
  /** For URLs: --timeout in milliseconds. */
  timeoutMs?: number;
  /** For URLs: bytes received so far, and the total when known. */
  onProgress?: (received: number, total: number | null) => void;
}

/**
 * Reads the bytes of a profile file, or of standard input for '-', at most
 * `maxBytes` of them. A regular file's size is checked before it is read;
 * standard input, pipes and devices go through the counting reader that
 * URLs use, so `advisor /dev/zero` or gigabytes piped in stop at the cap.
 */
export async function readProfileBytes(path: string, maxBytes: number, opts: LoadOptions = {}): Promise<Uint8Array> {
  const name = sourceName(path);
  const tooLarge = () => new AdvisorError('reading profile', `${name}: larger than ${formatSize(maxBytes)}; raise the limit with --max-decompressed`);
  let stream: Readable;
  if (path === '-') {
    stream = (opts.stdin ?? (() => process.stdin))();
  } else {
    try {
      const st = await stat(path);
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (st.isFile()) {
        // A compressed profile is never larger than what it inflates to.
        if (st.size > maxBytes) throw tooLarge();
        return await readFile(path);
      }
      stream = createReadStream(path, { highWaterMark: 1 << 20 });
    } catch (e) {
      if (e instanceof AdvisorError) throw e;
      throw readError(path, e);
    }
  }
  let got: CappedRead;
  try {
    got = await readCapped(stream, maxBytes);
  } catch (e) {
    throw readError(path === '-' ? '<stdin>' : path, e);
  }
  if (got.overflow) throw tooLarge();
  return got.bytes;
}

function readError(path: string, e: unknown): AdvisorError {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT'
      ? 'no such file'
      : err.code === 'EISDIR'
        ? 'is a directory, not a profile file'
        : err.code === 'EACCES'
          ? 'permission denied'
          : err.message;
  return new AdvisorError('reading profile', `${path}: ${why}`);
}

/**
 * A large gzipped file, streamed from disk through gunzip into the decoder
 * (parseGzipFileStream); null for other files, which are read whole.
 */
async function streamGzipFile(path: string, limits: LoadLimits): Promise<Profile | null> {
  let head: Buffer;
  let trailer: Buffer;
  let size: number;
  try {
    // Only a regular file is opened here: opening and closing a named pipe
    // could cost its writer the data.
    const st = await stat(path);
    if (!st.isFile() || st.size < STREAM_MIN_BYTES) return null;
    size = st.size;
    head = Buffer.alloc(2);
    trailer = Buffer.alloc(4);
    const fh = await open(path, 'r');
    try {
      await fh.read(head, 0, 2, 0);
      await fh.read(trailer, 0, 4, size - 4);
    } finally {
      await fh.close().catch(() => {});
    }
  } catch (e) {
    throw readError(path, e);
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) return null;
  return parseGzipFileStream(createReadStream(path, { highWaterMark: 1 << 20 }), size, trailer, sourceName(path), limits);
}

/** A name for messages: stdin, a URL without its credentials, or the path. */
export function sourceName(path: string): string {
  return path === '-' ? '<stdin>' : isUrl(path) ? redactUrl(path) : path;
}

export async function loadProfile(path: string, opts: LoadOptions = {}): Promise<Profile> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (path !== '-' && !isUrl(path)) {
    const streamed = await streamGzipFile(path, limits);
    if (streamed) return streamed;
  }
  const bytes = isUrl(path)
    ? await fetchProfileBytes(path, {
        seconds: opts.seconds,
        timeoutMs: opts.timeoutMs,
        maxBytes: limits.maxDecompressedBytes,
        onProgress: opts.onProgress,
      })
    : await readProfileBytes(path, limits.maxDecompressedBytes, opts);
  return parseProfileBytesAsync(bytes, sourceName(path), limits);
}
