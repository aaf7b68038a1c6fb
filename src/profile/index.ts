// Entry point of the profile stage: read bytes from a file or stdin, then
// decode. (URLs are fetched by fetch.ts.)
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { AdvisorError } from '../errors.js';
import { DEFAULT_LIMITS, parseGzipFileStream, parseProfileBytesAsync, STREAM_MIN_BYTES, type LoadLimits } from './load.js';
import type { Profile } from './model.js';
import { fetchProfileBytes, isUrl, redactUrl } from './fetch.js';

export type { Profile } from './model.js';
export { DEFAULT_LIMITS, parseProfileBytes, parseProfileBytesAsync, type LoadLimits } from './load.js';
export { mergeProfiles } from './merge.js';
export { isUrl, redactUrl } from './fetch.js';

export interface LoadOptions {
  limits?: Partial<LoadLimits>;
  /** Reads standard input for '-'; injectable for tests. */
  stdin?: () => Promise<Uint8Array>;
  /** For URLs: --seconds (a delta profile over that many seconds). */
  seconds?: number;
  /** For URLs: --timeout in milliseconds. */
  timeoutMs?: number;
  /** For URLs: bytes received so far, and the total when known. */
  onProgress?: (received: number, total: number | null) => void;
}

export async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reads the bytes of a profile file, or of standard input for '-'. */
export async function readProfileBytes(path: string, opts: LoadOptions = {}): Promise<Uint8Array> {
  if (path === '-') return (opts.stdin ?? readStdin)();
  try {
    return await readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
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
    : await readProfileBytes(path, opts);
  return parseProfileBytesAsync(bytes, sourceName(path), limits);
}
