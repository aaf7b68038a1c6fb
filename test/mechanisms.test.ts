// The mechanisms of issue 14 on a real build and a real profile
// (test/fixtures/mechanisms): a library call charged to the call, generated
// code charged to its caller, and a checkout edited after the binary was built
// called stale rather than quoted.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../src/model/report.js';
import { requireBuiltCli, runCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const FIXTURE = path.join(ROOT, 'test/fixtures/mechanisms');
const HAVE_GO = spawnSync('go', ['version']).status === 0;
let dir = '';
let profile = '';

beforeAll(() => {
  if (!HAVE_GO) return;
  requireBuiltCli();
  dir = mkdtempSync(path.join(tmpdir(), 'advisor-mechanisms-'));
  cpSync(FIXTURE, path.join(dir, 'src'), { recursive: true });
  execFileSync('go', ['build', '-o', path.join(dir, 'prog'), '.'], { cwd: path.join(dir, 'src'), stdio: ['ignore', 'pipe', 'pipe'] });
  profile = path.join(dir, 'heap.pb.gz');
  execFileSync(path.join(dir, 'prog'), ['-heap', profile], { cwd: dir });
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function analyse(src: string): Report {
  const r = runCli([profile, '--src', src, '-f', 'json', '--cache-dir', path.join(dir, 'cache')], { cwd: ROOT, timeout: 120_000 });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Report;
}

function at(report: Report, fn: string): Finding {
  const f = report.findings.find((x) => x.site.function === `main.${fn}` && x.tier === 'hot');
  if (!f) throw new Error(`no hot finding in main.${fn}: ${report.findings.map((x) => `${x.site.function}:${x.site.line}`).join(', ')}`);
  return f;
}

describe.runIf(HAVE_GO)('issue 14 mechanisms on a real build (skipped without go on PATH)', () => {
  test('a library call is charged to the call, generated code to its caller', () => {
    const report = analyse(path.join(dir, 'src'));
    const decode = at(report, 'decode');
    expect(decode.source.status).toBe('matches');
    expect(decode.rule).toBe('costly-call');
    expect(decode.calls[0]).toMatchObject({ function: 'encoding/json.Unmarshal', generated: false });
    expect(decode.advice).toMatch(/^`json\.Unmarshal`, called here in main\.decode, allocates/);
    expect(decode.estimate.bytes).toBeNull();

    // No site is in the generated file: its allocations belong to the line that calls it.
    expect(report.findings.some((f) => f.site.file === 'zz_generated.go')).toBe(false);
    const copyAll = at(report, 'copyAll');
    expect(copyAll.snippet?.lines[copyAll.snippet.focusLine - copyAll.snippet.startLine]).toContain('r.DeepCopy()');
    expect(copyAll.rule).toBe('costly-call');
    expect(copyAll.calls[0]).toMatchObject({ function: 'main.(*record).DeepCopy', generated: true });
    expect(copyAll.advice).toMatch(/generated code/);
    expect(report.summary.stale).toBe(0);
  });

  test('a checkout edited after the build is called stale, with no snippet and no rule from it', () => {
    const edited = path.join(dir, 'edited');
    cpSync(path.join(dir, 'src'), edited, { recursive: true });
    const main = path.join(edited, 'main.go');
    const text = readFileSync(main, 'utf8');
    writeFileSync(main, text.replace('// decode\'s bytes are', '// added later:\n// a newer checkout has more lines here\n//\n// decode\'s bytes are'));
    const report = analyse(edited);
    for (const fn of ['decode', 'copyAll']) {
      const f = at(report, fn);
      expect(f.source.status, fn).toBe('stale');
      expect(f.source.reason).toMatch(/starts at line \d+ in the profile and at line \d+ in the source/);
      expect(f.snippet).toBeNull();
    }
    // The profile's own numbers stand; what is drawn from the callee frames stands too.
    expect(at(report, 'decode').rule).toBe('costly-call');
    expect(report.summary.stale).toBeGreaterThanOrEqual(2);
    expect(report.warnings.join('\n')).toMatch(/do not match the source under --src .*go version -m/);
  });
});
