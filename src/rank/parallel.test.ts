// The parallel sample walk gives exactly the single-thread ranking: same
// numbers, same row, site and allocator order. Vitest runs the TypeScript
// sources, from which parallel.ts starts no workers by itself, so the worker
// script and its imports are transpiled to a temporary directory and named
// with `workerUrl`.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseProfileBytes } from '../profile/load.js';
import type { Profile } from '../profile/model.js';
import { rankProfile, type RankOptions } from './index.js';
import { chunkBounds, threadsFor } from './parallel.js';

const ROOT = path.resolve(__dirname, '../..');
const REALWORLD = path.resolve(ROOT, 'test/fixtures/realworld/profiles');
const PROFILES = [
  path.join(ROOT, 'samples/service/allocs.pb.gz'),
  path.join(ROOT, 'samples/basic/allocs.pb.gz'),
  path.join(REALWORLD, 'grafana_pyroscope__heap'),
  path.join(REALWORLD, 'Fekinox_aoc-2024__mem.prof'),
  path.join(REALWORLD, 'DataDog_pprof-format__test.pprof'),
];

let dir: string;
let workerUrl: URL;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'advisor-walk-'));
  writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
  for (const f of ['walk-worker', 'walk', 'intmap']) {
    const src = readFileSync(path.join(__dirname, `${f}.ts`), 'utf8');
    const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    writeFileSync(path.join(dir, `${f}.js`), out.outputText);
  }
  workerUrl = pathToFileURL(path.join(dir, 'walk-worker.js'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const load = (file: string): Profile => parseProfileBytes(readFileSync(file), path.basename(file));

function variants(p: Profile): RankOptions[] {
  const out: RankOptions[] = [{}, { module: 'main' }, { focus: /main|json/ }, { ignore: /runtime|sync/ }, { focus: /e/, ignore: /x/ }];
  for (let i = 0; i < p.sampleTypes.length; i++) out.push({ sampleIndex: String(i) });
  return out;
}

describe('the parallel walk', () => {
  test.each(PROFILES.map((f) => [path.basename(f), f]))('%s: workers alone give the single-thread ranking', (_name, file) => {
    const p = load(file);
    for (const opts of variants(p)) {
      const one = rankProfile(p, { ...opts, parallel: { threads: 1 } });
      const stats = { chunks: [] as number[] };
      const two = rankProfile(p, { ...opts, parallel: { threads: 3, minEntries: 0, chunkEntries: 50, workerUrl, callerWalks: false, stats } });
      expect(two).toEqual(one);
      // The caller left every chunk to the two workers.
      expect(stats.chunks[0]).toBe(0);
      expect(stats.chunks.length).toBe(3);
      expect(stats.chunks[1] + stats.chunks[2]).toBe(chunkBounds(p.samples.stackOffsets, p.samples.count, 50).length - 1);
    }
  });

  test('caller and worker together give the single-thread ranking', () => {
    const p = load(PROFILES[0]);
    const one = rankProfile(p, { parallel: { threads: 1 } });
    const stats = { chunks: [] as number[] };
    expect(rankProfile(p, { parallel: { threads: 2, minEntries: 0, chunkEntries: 20, workerUrl, stats } })).toEqual(one);
    expect(stats.chunks.length).toBe(2);
  });

  test('a worker that cannot start leaves the walk to the caller', async () => {
    const p = load(PROFILES[0]);
    const stats = { chunks: [] as number[] };
    const missing = pathToFileURL(path.join(dir, 'no-such-worker.js'));
    const two = rankProfile(p, { parallel: { threads: 2, minEntries: 0, chunkEntries: 20, workerUrl: missing, stats } });
    expect(two).toEqual(rankProfile(p, { parallel: { threads: 1 } }));
    expect(stats.chunks).toEqual([chunkBounds(p.samples.stackOffsets, p.samples.count, 20).length - 1, 0]);
    // The worker's failure to load arrives later, and is not an uncaught error.
    await new Promise((resolve) => setTimeout(resolve, 500));
  });

  test('a worker that fails is an error of the ranking, not a hang', () => {
    const p = load(PROFILES[0]);
    const failing = path.join(dir, 'failing-worker.js');
    writeFileSync(
      failing,
      `import { workerData } from 'node:worker_threads';
const { port, ctl, index } = workerData;
port.once('message', () => {
  Atomics.store(ctl, 2 + index, 1);
  Atomics.notify(ctl, 2 + index);
  port.postMessage({ error: 'Error: walk failed on purpose' });
  Atomics.store(ctl, 2 + index, 4);
  Atomics.notify(ctl, 2 + index);
  port.close();
});
`,
    );
    expect(() =>
      rankProfile(p, { parallel: { threads: 2, minEntries: 0, chunkEntries: 20, workerUrl: pathToFileURL(failing), callerWalks: false } }),
    ).toThrow(/sample walk worker 0 failed: Error: walk failed on purpose/);
  });

  test('small profiles and one thread stay on the calling thread', () => {
    const p = load(PROFILES[0]);
    const stats = { chunks: [7] };
    rankProfile(p, { parallel: { workerUrl, stats } });
    expect(stats.chunks).toEqual([7]);
    rankProfile(p, { parallel: { threads: 1, minEntries: 0, workerUrl, stats } });
    expect(stats.chunks).toEqual([7]);
  });
});

describe('chunkBounds', () => {
  test('splits samples at about the given number of stack entries, covering each once', () => {
    // Stacks of 3, 0, 5, 1, 1 and 4 entries; a chunk ends where a sample
    // starts at or past the next multiple of the size.
    const offsets = Uint32Array.from([0, 3, 3, 8, 9, 10, 14]);
    expect(Array.from(chunkBounds(offsets, 6, 4))).toEqual([0, 3, 4, 6]);
    expect(Array.from(chunkBounds(offsets, 6, 100))).toEqual([0, 6]);
    expect(Array.from(chunkBounds(offsets, 6, 1))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(Array.from(chunkBounds(Uint32Array.from([0]), 0, 4))).toEqual([0, 0]);
  });
});

describe('threads by default', () => {
  test('an idle second core is used even while the one-minute average still counts work that has ended', () => {
    // 2 CPUs, average 1.4 from a build that just finished, only this thread runnable now.
    expect(threadsFor(2, 1.4, 1)).toBe(2);
    expect(threadsFor(2, 0.1, 1)).toBe(2);
  });
  test('threads runnable now besides this one take their cores', () => {
    expect(threadsFor(2, 0.2, 2)).toBe(1);
    expect(threadsFor(4, 0.2, 3)).toBe(2);
    expect(threadsFor(2, 0.2, 9)).toBe(1);
  });
  test('a machine saturated for the last minute gets no workers, whatever the instant says', () => {
    expect(threadsFor(2, 4, 1)).toBe(1);
    expect(threadsFor(8, 8.5, 1)).toBe(1);
  });
  test('without /proc/loadavg the average decides, and never more than 4 threads', () => {
    expect(threadsFor(2, 1.4, null)).toBe(1);
    expect(threadsFor(2, 0.3, null)).toBe(2);
    expect(threadsFor(16, 0, 1)).toBe(4);
  });
});
