// Large hostile profiles built cheaply: a profile.proto message is the
// concatenation of its fields, and a gzip file may hold several members, so
// one gzipped block of samples repeated N times inflates to N times the
// samples without encoding or compressing them N times.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CLI } from './cli.js';
import { encodeProfile, heapStrings, type RawLocation } from './protoenc.js';

/** A gzipped heap profile of `samples` samples, each `depth` distinct locations deep. */
export function wideProfileGz(samples: number, depth: number, perMember = 1000): Buffer {
  const { strings, ix, sampleTypes } = heapStrings(['example.com/app.f', '/src/app/a.go']);
  const locations: RawLocation[] = Array.from({ length: depth }, (_, i) => ({ id: i + 1, lines: [{ functionId: 1, line: i + 1 }] }));
  const header = encodeProfile({
    sampleTypes,
    samples: [],
    locations,
    functions: [{ id: 1, name: ix('example.com/app.f'), systemName: ix('example.com/app.f'), filename: ix('/src/app/a.go') }],
    strings,
    defaultSampleType: 3,
  });
  const one = encodeProfile({
    sampleTypes: [],
    samples: [{ locationIds: Array.from({ length: depth }, (_, i) => i + 1), values: [1, 4096, 1, 4096] }],
    locations: [],
    functions: [],
    strings: [],
  });
  const block = (n: number) => gzipSync(Buffer.concat(Array.from({ length: n }, () => one)), { level: 9 });
  const parts: Buffer[] = [gzipSync(header)];
  const full = block(perMember);
  for (let left = samples; left > 0; left -= perMember) parts.push(left >= perMember ? full : block(left));
  return Buffer.concat(parts);
}

/** A gzip file of `n` zero bytes, as repeated members of 64 MiB each. */
export function zeroBombGz(n: number): Buffer {
  const MEMBER = 64 * 1024 * 1024;
  const full = gzipSync(new Uint8Array(Math.min(n, MEMBER)), { level: 9 });
  const parts: Buffer[] = [];
  for (let left = n; left > 0; left -= MEMBER) parts.push(left >= MEMBER ? full : gzipSync(new Uint8Array(left), { level: 9 }));
  return Buffer.concat(parts);
}

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set size of the CLI process, in bytes. */
  maxRss: number;
}

/** Runs the built CLI in a child process and reports its peak RSS (test/helpers/maxrss.mjs). */
export function runCliMeasured(args: string[], opts: { cwd: string; input?: Buffer | string; timeout?: number; stdio?: 'pipe' }): MeasuredRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'advisor-rss-'));
  const rssFile = path.join(dir, 'maxrss');
  try {
    const r = spawnSync(process.execPath, ['--import', path.join(__dirname, 'maxrss.mjs'), CLI, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ADVISOR_MAXRSS_FILE: rssFile },
      input: opts.input,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: opts.timeout ?? 120_000,
    });
    let kib = NaN;
    try {
      kib = Number(readFileSync(rssFile, 'utf8'));
    } catch {
      // The process did not reach its exit handler (killed by the timeout).
    }
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, maxRss: kib * 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
