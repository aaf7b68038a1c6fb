// The one counting reader for profile bytes that arrive as a stream (an HTTP
// answer, standard input, a pipe, a device): chunks are counted as they come
// and reading stops at the cap, so nothing larger than the cap is ever held.
// (advisor /dev/zero, or 3 GB piped in, used to be read whole first.)
import type { Readable } from 'node:stream';

export interface CappedRead {
  bytes: Buffer;
  /** True when the stream had more than `cap` bytes (bytes holds the first `cap`). */
  overflow: boolean;
}

export interface CappedReadOptions {
  signal?: AbortSignal;
  /** Called with the running count after every chunk. */
  onChunk?: (received: number) => void;
  /**
   * For streams that can close without 'end' (an HTTP answer cut short):
   * true when what arrived is complete. Default: a close without end is
   * an end.
   */
  isComplete?: () => boolean;
}

export function readCapped(stream: Readable, cap: number, opts: CappedReadOptions = {}): Promise<CappedRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const { signal } = opts;
    const finish = (err: unknown, overflow = false) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      stream.off('data', onData);
      if (err) reject(err);
      else resolve({ bytes: Buffer.concat(chunks, received), overflow });
    };
    const onAbort = () => {
      stream.destroy();
      finish(signal?.reason ?? new Error('aborted'));
    };
    const onData = (c: Buffer | string) => {
      if (done) return;
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      if (received + b.length > cap) {
        chunks.push(b.subarray(0, cap - received));
        received = cap;
        // Stop reading: a pipe's writer gets EPIPE, a device is closed.
        stream.pause();
        stream.destroy();
        finish(null, true);
        return;
      }
      chunks.push(b);
      received += b.length;
      opts.onChunk?.(received);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    stream.on('data', onData);
    stream.on('end', () => finish(null));
    stream.on('error', (e) => finish(e));
    stream.on('close', () => {
      if (opts.isComplete && !opts.isComplete()) {
        const e: NodeJS.ErrnoException = new Error('connection closed');
        e.code = 'ECONNRESET';
        finish(e);
      } else {
        finish(null);
      }
    });
  });
}
