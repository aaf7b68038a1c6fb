// Entry point of the profile stage: read bytes from a file or stdin, then
// decode. (URLs are fetched by fetch.ts.)
import { readFile } from 'node:fs/promises';
import { AdvisorError } from '../errors.js';
import { DEFAULT_LIMITS, parseProfileBytes, type LoadLimits } from './load.js';
import type { Profile } from './model.js';
import { fetchProfileBytes, isUrl, redactUrl } from './fetch.js';

export type { Profile } from './model.js';
export { DEFAULT_LIMITS, parseProfileBytes, type LoadLimits } from './load.js';
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
    const err = e as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'is a directory, not a profile file'
          : err.code === 'EACCES'
            ? 'permission denied'
            : err.message;
    throw new AdvisorError('reading profile', `${path}: ${why}`);
  }
}

/** A name for messages: stdin, a URL without its credentials, or the path. */
export function sourceName(path: string): string {
  return path === '-' ? '<stdin>' : isUrl(path) ? redactUrl(path) : path;
}

export async function loadProfile(path: string, opts: LoadOptions = {}): Promise<Profile> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const bytes = isUrl(path)
    ? await fetchProfileBytes(path, {
        seconds: opts.seconds,
        timeoutMs: opts.timeoutMs,
        maxBytes: limits.maxDecompressedBytes,
        onProgress: opts.onProgress,
      })
    : await readProfileBytes(path, opts);
  return parseProfileBytes(bytes, sourceName(path), limits);
}
