// The sample walk on several threads, for large profiles.
//
// The walk is bound by memory latency, so a core of its own lets a worker
// take its share of the chunks; a core shared with other work does not (see
// defaultThreads). Workers read the sample columns from SharedArrayBuffers (the decoder puts
// large profiles' columns there; others are copied once) and claim chunks of
// samples from a shared counter together with the calling thread, which
// walks too: a worker that starts late, or never (its script missing when
// running from the TypeScript sources), only means the caller does more of
// the chunks. The caller blocks on Atomics.wait for the chunks in progress and
// receives each worker's accumulators synchronously, so ranking stays a plain
// synchronous function. Sums are of integer-valued numbers, so adding the
// parts in another order gives the same totals. The caller finds the sites
// (sites.ts) while the workers start walking, then walks too.
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import {
  CTL_NEXT,
  CTL_PROGRESS,
  CTL_STATE,
  mergeResult,
  STATE_CANCELLED,
  STATE_DONE,
  STATE_IDLE,
  STATE_RUNNING,
  walkChunks,
  type WalkAcc,
  type WalkResult,
  type WalkTables,
} from './walk.js';

export interface ParallelOptions {
  /**
   * Threads to walk with, the calling one included; 1 turns workers off.
   * Default: the CPUs not already busy (by the load average), at most 4.
   */
  threads?: number;
  /** Fewest stack entries worth starting workers for (starting one costs tens of milliseconds). */
  minEntries?: number;
  /** Stack entries per chunk of work. Default: a 64th of the stack entries, at least 65536. */
  chunkEntries?: number;
  /** The worker script; by default walk-worker.js next to this module, when running compiled. */
  workerUrl?: URL;
  /**
   * False: the calling thread leaves the chunks to the workers, once they
   * have started (tests use it to make the workers do the walking).
   */
  callerWalks?: boolean;
  /** Filled in after ranking: how many chunks each thread walked, the calling thread first. */
  stats?: { chunks: number[] };
}

export const DEFAULT_MIN_ENTRIES = 2_000_000;

/**
 * One thread per idle CPU, the caller's included: on a machine whose cores
 * are busy with other work, a worker only time-slices with it and adds cache
 * misses (measured: a third slower with two CPUs and a load of 4).
 *
 * "Idle" is judged by what is runnable now (Linux's /proc/loadavg counts the
 * runnable threads, this one included), capped by the one-minute load
 * average only when that says the machine has been saturated: the average
 * lags by a minute, so right after other work ends (a CI step, the previous
 * run of a benchmark) it still reads 1 or 2 on cores that are idle.
 */
export function defaultThreads(): number {
  return threadsFor(availableParallelism(), loadavg()[0], runnableNow());
}

/** defaultThreads, from its inputs; `runnable` is null where it cannot be read. */
export function threadsFor(cpus: number, load1: number, runnable: number | null): number {
  const fromAverage = Math.floor(cpus - load1 + 1);
  // Other runnable threads besides this one.
  const busy = runnable === null ? null : Math.max(0, runnable - 1);
  const idle = busy === null || load1 >= cpus ? fromAverage : cpus - busy;
  return Math.max(1, Math.min(4, cpus, idle));
}

// The runnable threads now: the 4th field of /proc/loadavg is "runnable/total".
function runnableNow(): number | null {
  try {
    const m = /^\S+ \S+ \S+ (\d+)\//.exec(readFileSync('/proc/loadavg', 'latin1'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
// A worker that makes no progress for this long has failed.
const STUCK_MS = 60_000;

/** The sample columns the workers read. */
interface SharedSamples {
  count: number;
  valueCount: number;
  values: Float64Array;
  stackOffsets: Uint32Array;
  stackLocations: Uint32Array;
}

/** What the worker is sent once the caller's setup is done. */
export interface WalkJob {
  tables: Omit<WalkTables, keyof SharedSamples>;
  bounds: Int32Array;
}

function shared<T extends Uint32Array | Float64Array>(a: T, make: (b: SharedArrayBuffer) => T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const b = make(new SharedArrayBuffer(a.byteLength));
  b.set(a);
  return b;
}

/** Chunk c is samples bounds[c] .. bounds[c+1]-1, of about `per` stack entries each. */
export function chunkBounds(stackOffsets: Uint32Array, count: number, per: number): Int32Array {
  const out: number[] = [0];
  const total = stackOffsets[count];
  for (let target = per; target < total; target += per) {
    // The first sample starting at or after target.
    let lo = out[out.length - 1] + 1;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (stackOffsets[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    if (lo < count && lo > out[out.length - 1]) out.push(lo);
  }
  out.push(count);
  return Int32Array.from(out);
}

/**
 * The compiled worker script: walk-worker.js next to this module, or under
 * rank/ next to the bundle this module was built into (dist/cli.js). From the
 * TypeScript sources (tests) there is none.
 */
function workerScript(): URL | null {
  if (!import.meta.url.endsWith('.js')) return null;
  for (const rel of ['./walk-worker.js', './rank/walk-worker.js']) {
    const url = new URL(rel, import.meta.url);
    if (existsSync(url)) return url;
  }
  return null;
}

export class WalkPool {
  private constructor(
    private readonly workers: Worker[],
    private readonly ports: MessagePort[],
    private readonly ctl: Int32Array,
    private readonly opts: ParallelOptions,
  ) {}

  /**
   * Starts workers for a profile big enough to be worth them, early, so
   * they boot while the caller builds its tables. Null when the walk stays
   * on the calling thread.
   */
  static start(samples: SharedSamples, opts: ParallelOptions = {}): WalkPool | null {
    const entries = samples.stackLocations.length;
    const threads = Math.floor(opts.threads ?? defaultThreads());
    if (!(threads >= 2) || entries < (opts.minEntries ?? DEFAULT_MIN_ENTRIES) || samples.count < 2) return null;
    const url = opts.workerUrl ?? workerScript();
    if (!url) return null;
    const data: SharedSamples = {
      count: samples.count,
      valueCount: samples.valueCount,
      values: shared(samples.values, (b) => new Float64Array(b)),
      stackOffsets: shared(samples.stackOffsets, (b) => new Uint32Array(b)),
      stackLocations: shared(samples.stackLocations, (b) => new Uint32Array(b)),
    };
    const ctl = new Int32Array(new SharedArrayBuffer(4 * (CTL_STATE + threads - 1)));
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    for (let i = 0; i < threads - 1; i++) {
      const { port1, port2 } = new MessageChannel();
      let w: Worker;
      try {
        w = new Worker(url, { workerData: { port: port2, ctl, index: i, samples: data }, transferList: [port2] });
      } catch {
        port1.close();
        break;
      }
      w.unref();
      // A worker that cannot start (its script missing) never claims a
      // chunk; the caller walks them all.
      w.on('error', () => {});
      workers.push(w);
      ports.push(port1);
    }
    if (workers.length === 0) return null;
    return new WalkPool(workers, ports, ctl, opts);
  }

  /**
   * Walks every sample into `a`, with the workers. `alongside` is the
   * caller's other work: it runs once the workers have their job, before the
   * caller joins the walk, and its result is returned.
   */
  run<T>(t: WalkTables, a: WalkAcc, alongside: () => T): T {
    try {
      const entries = t.stackOffsets[t.count];
      const per = this.opts.chunkEntries ?? Math.max(65536, Math.ceil(entries / 64));
      const bounds = chunkBounds(t.stackOffsets, t.count, Math.max(1, per));
      const { values: _v, stackOffsets: _o, stackLocations: _l, count: _c, valueCount: _n, ...rest } = t;
      const job: WalkJob = { tables: rest, bounds };
      for (const p of this.ports) p.postMessage(job);
      const out = alongside();
      const leave = this.opts.callerWalks === false && this.awaitStart();
      const chunks = [leave ? 0 : walkChunks(t, a, this.ctl, bounds)];
      for (let i = 0; i < this.workers.length; i++) {
        const r = this.join(i);
        chunks.push(r ? r.chunks : 0);
        if (r) mergeResult(a, r);
      }
      if (this.opts.stats) this.opts.stats.chunks = chunks;
      return out;
    } finally {
      this.close();
    }
  }

  // Waits a while for the workers to start; true when they all have.
  private awaitStart(): boolean {
    const until = Date.now() + 10_000;
    for (let i = 0; i < this.workers.length; i++) {
      while (Atomics.load(this.ctl, CTL_STATE + i) === STATE_IDLE && Date.now() < until) Atomics.wait(this.ctl, CTL_STATE + i, STATE_IDLE, 50);
      if (Atomics.load(this.ctl, CTL_STATE + i) === STATE_IDLE) return false;
    }
    return true;
  }

  // Waits for worker i to finish its chunks; null when it never started.
  private join(i: number): WalkResult | null {
    const slot = CTL_STATE + i;
    if (Atomics.compareExchange(this.ctl, slot, STATE_IDLE, STATE_CANCELLED) === STATE_IDLE) return null;
    let progress = Atomics.load(this.ctl, CTL_PROGRESS);
    let since = Date.now();
    while (Atomics.load(this.ctl, slot) === STATE_RUNNING) {
      Atomics.wait(this.ctl, slot, STATE_RUNNING, 1000);
      const p = Atomics.load(this.ctl, CTL_PROGRESS);
      if (p !== progress) {
        progress = p;
        since = Date.now();
      } else if (Date.now() - since > STUCK_MS) {
        throw new Error(`sample walk worker ${i} made no progress for ${STUCK_MS / 1000} s`);
      }
    }
    const msg = receiveMessageOnPort(this.ports[i])?.message as { result?: WalkResult; error?: string } | undefined;
    if (Atomics.load(this.ctl, slot) !== STATE_DONE || !msg?.result) {
      throw new Error(`sample walk worker ${i} failed: ${msg?.error ?? 'it sent no result'}`);
    }
    return msg.result;
  }

  /** Stops the workers (they exit by themselves once done; this covers failures). */
  close(): void {
    // Workers that have not started must not start now.
    for (let i = 0; i < this.workers.length; i++) Atomics.compareExchange(this.ctl, CTL_STATE + i, STATE_IDLE, STATE_CANCELLED);
    // Chunks no one has claimed stay unclaimed.
    Atomics.store(this.ctl, CTL_NEXT, 1 << 30);
    for (const p of this.ports) p.close();
    for (const w of this.workers) w.terminate().catch(() => {});
    this.workers.length = 0;
    this.ports.length = 0;
  }
}
