// --cpu and the heap profile's sampling rate: a real Go program allocates in
// a loop while writing a CPU profile, with runtime.MemProfileRate = 1 and with
// Go's default. At rate 1 the profiler's own stack walks are most of the CPU
// profile and advisor says so; at the default it says nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, requireBuiltCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
let dir: string;
let bin: string;

beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(path.join(tmpdir(), 'advisor-cpurate-'));
  bin = path.join(dir, 'rate');
  execFileSync('go', ['build', '-o', bin, './test/fixtures/cpu/rate/main.go'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function profileAndAnalyse(rate: number) {
  const heap = path.join(dir, `allocs-${rate}.pb.gz`);
  const cpu = path.join(dir, `cpu-${rate}.pb.gz`);
  execFileSync(bin, ['-rate', String(rate), '-d', '1s', '-heap', heap, '-cpu', cpu], { cwd: dir });
  const r = spawnSync(process.execPath, [CLI, heap, '--cpu', cpu, '-f', 'json'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const report = JSON.parse(r.stdout);
  return { report, warning: (report.warnings as string[]).find((w) => w.includes('MemProfileRate')) };
}

test('MemProfileRate = 1: a warning with the rate and the measured profiler share', () => {
  const { warning } = profileAndAnalyse(1);
  expect(warning).toMatch(/^The heap profile was sampled every 1 byte \(runtime\.MemProfileRate; Go's default is 524,288\)/);
  const share = Number(/spends (\d+(?:\.\d+)?)% of its time in the heap profiler/.exec(warning ?? '')?.[1]);
  // The profiler is most of the CPU profile at rate 1 (80% when measured here).
  expect(share).toBeGreaterThan(20);
  expect(warning).toContain('the CPU estimates overstate what a fix saves');
});

test("Go's default rate: no warning", () => {
  const { report, warning } = profileAndAnalyse(0);
  expect(warning).toBeUndefined();
  expect(report.cpu.allocShare).toBeGreaterThan(0);
});
