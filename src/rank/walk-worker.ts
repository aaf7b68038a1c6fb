// A worker thread of the parallel sample walk (parallel.ts): waits for the
// caller's tables, claims chunks of samples until none are left, and sends
// its accumulators back.
import { workerData, type MessagePort } from 'node:worker_threads';
import type { WalkJob } from './parallel.js';
import {
  CTL_STATE,
  newWalkAcc,
  packResult,
  resultBuffers,
  STATE_DONE,
  STATE_FAILED,
  STATE_IDLE,
  STATE_RUNNING,
  walkChunks,
  type WalkTables,
} from './walk.js';

const { port, ctl, index, samples } = workerData as {
  port: MessagePort;
  ctl: Int32Array;
  index: number;
  samples: Pick<WalkTables, 'count' | 'valueCount' | 'values' | 'stackOffsets' | 'stackLocations'>;
};

port.once('message', (job: WalkJob) => {
  const slot = CTL_STATE + index;
  // The caller may have finished every chunk and cancelled this worker.
  if (Atomics.compareExchange(ctl, slot, STATE_IDLE, STATE_RUNNING) !== STATE_IDLE) {
    port.close();
    return;
  }
  Atomics.notify(ctl, slot);
  try {
    const t: WalkTables = { ...samples, ...job.tables };
    const a = newWalkAcc(t);
    const result = packResult(a, walkChunks(t, a, ctl, job.bounds));
    port.postMessage({ result }, resultBuffers(result));
    Atomics.store(ctl, slot, STATE_DONE);
  } catch (e) {
    port.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    Atomics.store(ctl, slot, STATE_FAILED);
  }
  Atomics.notify(ctl, slot);
  port.close();
});
