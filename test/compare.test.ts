// End-to-end: the weekly review (--base), the PR scope (--changed) and the CI
// gates (--fail-on), through the built CLI on real Go profiles of two versions
// of one program (v2 shifts lines and regresses an allocation).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const FIX = path.join(ROOT, 'test', 'fixtures', 'diff');

const advisor = (args: string[], cwd = ROOT): CliResult => runCli(args, { cwd });

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });

beforeAll(() => {
  // A checkout at v1, then the working tree changed to v2: the PR.
  repo = mkdtempSync(path.join(tmpdir(), 'advisor-compare-'));
  cpSync(path.join(FIX, 'v1'), repo, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'v1');
  cpSync(path.join(FIX, 'v2'), repo, { recursive: true });
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('--base', () => {
  test('classifies the regression, the new hot site and the fixed one, matching moved lines', () => {
    // Both versions ran the same workload, so raw values compare directly;
    // normalising by total would hide parse's growth behind the new label().
    const r = advisor([path.join(FIX, 'after.pb.gz'), '--base', path.join(FIX, 'before.pb.gz'), '--src', repo, '--no-escape', '--normalize', 'none', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.diff.base).toEqual([path.join(FIX, 'before.pb.gz')]);
    const status = (fn: string, line: number) =>
      report.diff.entries.find((e: { function: string; line: number }) => e.function === fn && e.line === line)?.status;
    // parse's append moved from line 25 to 36 and now grows the slice.
    expect(status('main.parse', 36)).toBe('regression');
    expect(status('main.label', 30)).toBe('new-hot');
    // The preallocating make in v1 is gone.
    expect(status('main.parse', 23)).toBe('fixed');
  });

  test('renders a "Since the baseline" section', () => {
    const r = advisor([path.join(FIX, 'after.pb.gz'), '--base', path.join(FIX, 'before.pb.gz'), '--src', repo, '--no-escape', '-f', 'markdown']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Since the baseline/);
  });

  test.each([
    ['new-hot', 1],
    ['regression:10%', 1],
    ['hot', 1],
    ['share:99%', 0],
  ])('--fail-on %s exits %i', (cond, code) => {
    const r = advisor([path.join(FIX, 'after.pb.gz'), '--base', path.join(FIX, 'before.pb.gz'), '--src', repo, '--no-escape', '--normalize', 'none', '--fail-on', cond, '-o', path.join(repo, 'gate.txt')]);
    expect(r.code, r.stderr).toBe(code);
    if (code === 1) expect(r.stderr.trim().split('\n')[0]).toMatch(new RegExp(`^advisor: ${cond.split(':')[0]}`));
  });
});

describe('--changed', () => {
  test('keeps only findings on lines the change touched', () => {
    const all = JSON.parse(advisor([path.join(FIX, 'after.pb.gz'), '--src', repo, '--no-escape', '-f', 'json', '--top', '0']).stdout);
    const r = advisor([path.join(FIX, 'after.pb.gz'), '--src', repo, '--no-escape', '-f', 'json', '--top', '0', '--changed', 'main']);
    expect(r.code, r.stderr).toBe(0);
    const scoped = JSON.parse(r.stdout);
    expect(scoped.findings.length).toBeGreaterThan(0);
    expect(scoped.findings.length).toBeLessThan(all.findings.length);
    const fns = (rep: { findings: { site: { function: string } }[] }) => rep.findings.map((f) => f.site.function);
    // label() is new code; format only moved down, so it is not part of the change.
    expect(fns(scoped)).toContain('main.label');
    expect(fns(all)).toContain('main.format');
    expect(fns(scoped)).not.toContain('main.format');
    expect(scoped.scope.join(' ')).toMatch(/changed since main/);
  });

  test('an unknown revision and a folder outside git are clear errors', () => {
    const bad = advisor([path.join(FIX, 'after.pb.gz'), '--src', repo, '--no-escape', '--changed', 'no-such-rev']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^advisor: git: .*no-such-rev/);
    const outside = mkdtempSync(path.join(tmpdir(), 'advisor-nogit-'));
    writeFileSync(path.join(outside, 'go.mod'), 'module example.com/x\n');
    try {
      const r = advisor([path.join(FIX, 'after.pb.gz'), '--src', outside, '--no-escape', '--changed', 'main']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/git checkout/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('the hot-escape gate with --changed: this change touches a hot line that escapes', () => {
    const r = advisor([path.join(FIX, 'after.pb.gz'), '--src', repo, '--changed', 'main', '--fail-on', 'hot-escape', '-f', 'json']);
    const report = JSON.parse(r.stdout);
    const hotEscaping = report.findings.some((f: { hot: boolean; escapes: { kind: string }[] }) => f.hot && f.escapes.some((e) => e.kind === 'escapes' || e.kind === 'moved-to-heap'));
    expect(r.code, r.stderr).toBe(hotEscaping ? 1 : 0);
    expect(readFileSync(path.join(repo, 'main.go'), 'utf8')).toContain('func');
  });
});
