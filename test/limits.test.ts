// The caps against hostile input, through the built CLI: each has a clear
// one-line error that names its flag, and the flag raises it. Also: nothing a
// profile names reaches the terminal raw, in errors or in --fail-on reasons
// (a CI log would otherwise run its escape sequences or take a forged line
// such as a GitHub Actions `::error::` command).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireBuiltCli, runCli, type CliResult } from './helpers/cli.js';
import { encodeProfile, heapStrings, simpleHeapProfile, type RawLocation } from './helpers/protoenc.js';

const ROOT = path.resolve(__dirname, '..');
const SERVICE = path.join(ROOT, 'samples', 'service');

type Result = CliResult;

const advisor = (args: string[]): Result => runCli(args, { cwd: ROOT, timeout: 60_000 });

/** Exit 2, one line naming the cause, no stack, no control characters. */
function expectOneLineError(r: Result, re: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^advisor: /);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  // eslint-disable-next-line no-control-regex
  expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

function expectReport(r: Result): void {
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout).schemaVersion).toBe(2);
}

let tmp: string;
const file = (name: string, bytes: Uint8Array): string => {
  const p = path.join(tmp, name);
  writeFileSync(p, bytes);
  return p;
};

beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-limits-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FRAMES = [
  { name: 'example.com/app.alloc', file: '/src/app/a.go', line: 10 },
  { name: 'main.main', file: '/src/main.go', line: 5 },
];

describe('caps have clear errors and flags that raise them', () => {
  test('--max-samples: a million samples pass the default; below that, the error names the flag; raised, it passes', () => {
    const p = simpleHeapProfile([{ frames: FRAMES, bytes: 512, objects: 1 }]);
    const one = [...p.samples][0];
    p.samples = {
      *[Symbol.iterator]() {
        for (let i = 0; i < 1_000_000; i++) yield one;
      },
    };
    const f = file('million.pb.gz', gzipSync(encodeProfile(p)));
    expectReport(advisor([f, '--format', 'json']));
    expectOneLineError(advisor([f, '--max-samples', '500000']), /more than 500,000 samples; raise the limit with --max-samples/);
    expectReport(advisor([f, '--max-samples', '1000000', '--format', 'json']));
  });

  test('--max-stack-depth: a stack 100,000 deep fails the default; raised, it passes', () => {
    const { strings, sampleTypes } = heapStrings(['example.com/deep.f', '/src/deep.go']);
    const depth = 100_000;
    const locations: RawLocation[] = Array.from({ length: depth }, (_, i) => ({ id: i + 1, lines: [{ functionId: 1, line: i + 1 }] }));
    const bytes = encodeProfile({
      sampleTypes,
      samples: [{ locationIds: Array.from({ length: depth }, (_, i) => i + 1), values: [1, 4096, 1, 4096] }],
      locations,
      functions: [{ id: 1, name: 8, filename: 9 }],
      strings,
    });
    const f = file('deep.pb', bytes);
    expectOneLineError(advisor([f]), /sample 0 has a stack deeper than 4096 frames; raise the limit with --max-stack-depth/);
    expectOneLineError(advisor([f, '--max-stack-depth', '99999']), /deeper than 99999 frames/);
    expectReport(advisor([f, '--max-stack-depth', '100000', '--format', 'json']));
  });

  test('--max-strings: a 200,000-entry string table passes the default; lowered, the error names the flag', () => {
    const p = simpleHeapProfile([{ frames: FRAMES, bytes: 512, objects: 1 }]);
    for (let i = 0; i < 200_000; i++) p.strings.push(`padding-${i}`);
    const f = file('strings.pb', encodeProfile(p));
    expectReport(advisor([f, '--format', 'json']));
    expectOneLineError(advisor([f, '--max-strings', '1000']), /string table has more than 1,000 entries; raise the limit with --max-strings/);
    expectReport(advisor([f, '--max-strings', '300000', '--format', 'json']));
  });

  test('--max-decompressed: a gzip bomb is stopped; a real profile fails a tiny cap and passes a raised one', () => {
    // Not zeros (field number 0 is refused at once): an unknown field, over and over.
    const bomb = file('bomb.pb.gz', gzipSync(Buffer.alloc(128 * 1024 * 1024, Buffer.from([0xa0, 0x06, 0x01])), { level: 9 }));
    const t0 = Date.now();
    expectOneLineError(advisor([bomb, '--max-decompressed', '16MiB']), /decompresses to more than 16 MiB; raise the limit with --max-decompressed/);
    expect(Date.now() - t0).toBeLessThan(20_000);
    const real = path.join(SERVICE, 'allocs.pb.gz');
    expectOneLineError(advisor([real, '--max-decompressed', '4kB']), /(decompresses to more than|larger than) .*--max-decompressed/);
    expectReport(advisor([real, '--max-decompressed', '64kB', '--format', 'json']));
  });

  test.each([
    [['--max-samples', '0'], /--max-samples must be a whole number above 0/],
    [['--max-samples', '-3'], /--max-samples must be a whole number above 0/],
    [['--max-stack-depth', '1.5'], /--max-stack-depth must be a whole number above 0/],
    [['--max-strings', 'lots'], /--max-strings/],
    [['--max-decompressed', '12parsecs'], /--max-decompressed 12parsecs: expected a size/],
  ])('a bad cap value %j is a usage error', (flags, re) => {
    expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), ...flags]), re);
  });
});

describe('profile text never reaches the terminal raw', () => {
  const EVIL = 'x\u001b[2J\u001b]0;pwned\u0007\r\n::error file=a.go::forged\u202e';

  test('an error that quotes a profile (its sample type names) keeps to one visible line', () => {
    // Not a heap profile: the error lists the sample types the profile declares.
    const bytes = encodeProfile({
      sampleTypes: [[1, 2]],
      samples: [{ locationIds: [1], values: [5] }],
      locations: [{ id: 1, lines: [{ functionId: 1, line: 1 }] }],
      functions: [{ id: 1, name: 3, filename: 3 }],
      strings: ['', `cpu${EVIL}`, 'nanoseconds', 'main.f'],
    });
    const r = advisor([file('evil-types.pb', bytes)]);
    expectOneLineError(r, /not a heap profile/);
    expect(r.stderr).toContain('\\x1b[2J');
    expect(r.stderr).not.toMatch(/^::error/m);
  });

  test('--fail-on reasons that name a hostile function stay one visible line each', () => {
    const p = simpleHeapProfile([{ frames: [{ name: `main.hot${EVIL}`, file: '/src/main.go', line: 3 }], bytes: 1 << 20, objects: 10 }]);
    const out = path.join(tmp, 'gate.txt');
    const r = advisor([file('evil-gate.pb', encodeProfile(p)), '--fail-on', 'hot', '-o', out]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    for (const l of lines) expect(l).toMatch(/^advisor: /);
    // eslint-disable-next-line no-control-regex
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.stderr).toContain('main.hot');
  });
});
