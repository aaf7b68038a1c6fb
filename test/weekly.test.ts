// The weekly review as a user runs it: the built CLI on real profiles of a
// small Go program (test/fixtures/weekly, see regenerate.sh). v2 fixes one hot
// site (main.lookup) and adds lines above the others; v3 calls main.index 4x
// as often. The profiles carry no duration, as WriteHeapProfile writes them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../src/model/report.js';
import { requireBuiltCli, runCli } from './helpers/cli.js';
// @ts-expect-error -- plain ESM script without types
import { checkNoOverflow } from '../scripts/screenshot.mjs';

const ROOT = path.resolve(__dirname, '..');
const W = 'test/fixtures/weekly';
const GATES = ['--fail-on', 'regression:10%', '--fail-on', 'new-hot'];

function json(args: string[]): { code: number; report: Report; stderr: string } {
  const r = runCli([...args, '--no-escape', '-f', 'json'], { cwd: ROOT });
  expect(r.stdout, r.stderr).not.toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const changed = (r: Report) => r.diff!.entries.filter((e) => e.status !== 'unchanged').map((e) => `${e.status} ${e.function}:${e.line}`);

beforeAll(() => requireBuiltCli());

describe('a fix, the same workload, profiles without a duration', () => {
  const pureFix = ['after.pb.gz', '--base', 'before.pb.gz'].map((a) => (a.endsWith('.gz') ? `${W}/${a}` : a));

  it('without the baseline source: exactly the fixed site changed, the gates stay quiet, and the report says how it paired', () => {
    const { code, report, stderr } = json([...pureFix, '--src', `${W}/v2`, ...GATES]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(changed(report)).toEqual(['fixed main.lookup:55']);
    expect(report.diff!.normalization).toMatchObject({ method: 'workload', sites: 8 });
    expect(Math.abs(report.diff!.normalization.factor - 1)).toBeLessThan(0.05);
    expect(report.diff!.pairing).toMatchObject({ source: null });
    expect(report.diff!.pairing.note).toMatch(/pairing is by function and line only/);
    // Every site moved down (v2 added a function above them); each is paired with its old line.
    const byFn = Object.fromEntries(report.diff!.entries.map((e) => [`${e.function}:${e.line}`, e]));
    expect(byFn['main.parse:37']).toMatchObject({ base: { file: 'main.go', line: 31 }, match: 'offset', status: 'unchanged' });
    expect(byFn['main.format:46']).toMatchObject({ base: { file: 'main.go', line: 39 }, match: 'order', status: 'unchanged' });
    expect(byFn['main.lookup:55']).toMatchObject({ base: { file: 'main.go', line: 55 }, match: 'none', value: 0 });
  });

  it('with --base-src: the same verdict, every pair by statement', () => {
    const { code, report } = json([...pureFix, '--src', `${W}/v2`, '--base-src', `${W}/v1`, ...GATES]);
    expect(code).toBe(0);
    expect(changed(report)).toEqual(['fixed main.lookup:55']);
    expect(report.diff!.pairing).toEqual({ source: 'base-src', detail: `${W}/v1`, note: null });
    const paired = report.diff!.entries.filter((e) => e.base !== null && e.value !== 0);
    expect(paired.length).toBe(5);
    expect(paired.every((e) => e.match === 'statement' && e.line - e.base!.line >= 6)).toBe(true);
  });

  it('by shares (--normalize total, the old default) the same fix reads as four regressions and a new hot site', () => {
    const { code, report, stderr } = json([...pureFix, '--src', `${W}/v2`, '--normalize', 'total', ...GATES]);
    expect(code).toBe(1);
    expect(report.diff!.entries.filter((e) => e.status === 'regression')).toHaveLength(4);
    expect(report.diff!.entries.filter((e) => e.status === 'new-hot')).toHaveLength(1);
    expect(stderr).toMatch(/regression:10% tripped/);
  });

  it('text, markdown and HTML show where a line moved and how the profiles were scaled', () => {
    const args = [...pureFix, '--src', `${W}/v2`, '--base-src', `${W}/v1`, '--no-escape'];
    const text = runCli([...args, '--top', '5'], { cwd: ROOT }).stdout;
    expect(text).toMatch(/Since the baseline \(test\/fixtures\/weekly\/before\.pb\.gz; workload ratio 1\.0\d, from 7 matched sites\)/);
    expect(text).toContain('main.parse main.go:31 → main.go:37 (moved statement)');
    const md = runCli([...args, '-f', 'markdown'], { cwd: ROOT }).stdout;
    expect(md).toContain('main.go\\:31 → main.go\\:37 <sub>(moved statement)</sub>');
    expect(md).toMatch(/workload ratio 1\.0\d, from 7 matched sites/);
    const html = runCli([...args, '-f', 'html'], { cwd: ROOT }).stdout;
    expect(html).toContain('<span class="loc">main.go:31 →</span>');
    expect(html).toMatch(/workload ratio 1\.0\d, from 7 matched sites/);
  });
});

describe('a real regression', () => {
  it('main.index called 4x as often still trips the gates, and nothing else does', () => {
    const { code, report, stderr } = json([`${W}/regress.pb.gz`, '--base', `${W}/after.pb.gz`, '--src', `${W}/v3`, '--base-src', `${W}/v2`, ...GATES]);
    expect(code).toBe(1);
    // main.index was already hot last week by its share of objects (hot is the union of the two covers), so it is a regression, not new.
    expect(changed(report)).toEqual(['regression main.index:54']);
    const index = report.diff!.entries[0];
    expect(index.relativeChange!).toBeGreaterThan(2.5);
    expect(index.relativeChange!).toBeLessThan(3.5);
    expect(stderr).toMatch(/^advisor: regression:10% tripped: main\.index \(main\.go:54\) grew 29\d% at the same workload \(13\.93% → 39\.68% of alloc_space\)$/m);
  });
});

describe('--diff subtract', () => {
  it('ranks by the change in normalized bytes, and gives objects too', () => {
    const { report } = json([`${W}/regress.pb.gz`, '--base', `${W}/after.pb.gz`, '--src', `${W}/v3`, '--diff', 'subtract']);
    const d = report.diff!;
    expect(d.mode).toBe('subtract');
    const deltas = d.entries.map((e) => Math.abs(e.delta));
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
    expect(d.entries[0].function).toBe('main.index');
    // About 3x the baseline's bytes at that site, at the baseline's workload.
    expect(d.entries[0].delta / d.entries[0].baseValue).toBeCloseTo(d.entries[0].relativeChange!, 9);
    expect(d.entries[0].companionDelta).toBeGreaterThan(0);
    const text = runCli([`${W}/regress.pb.gz`, '--base', `${W}/after.pb.gz`, '--src', `${W}/v3`, '--diff', 'subtract', '--no-escape'], { cwd: ROOT }).stdout;
    expect(text).toMatch(/regression \+\d+(\.\d+)?MB, \+[\d,]+ alloc_objects \(13\.93% → 39\.68%, \+29\d%\)/);
  });
});

describe('--base-rev on a real git repository', () => {
  let repo = '';
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'advisor-base-rev-'));
    git('init', '-q', '-b', 'main');
    cpSync(path.join(ROOT, W, 'v1'), repo, { recursive: true });
    git('add', '.');
    git('commit', '-q', '-m', 'v1');
    // v2 moves every site down and edits the fixed one: code moved between the commits.
    cpSync(path.join(ROOT, W, 'v2'), repo, { recursive: true });
    git('commit', '-q', '-am', 'v2');
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('reads the old files with git show and pairs every moved site by statement', () => {
    const { code, report } = json([`${ROOT}/${W}/after.pb.gz`, '--base', `${ROOT}/${W}/before.pb.gz`, '--src', repo, '--base-rev', 'HEAD~1', ...GATES]);
    expect(code).toBe(0);
    expect(changed(report)).toEqual(['fixed main.lookup:55']);
    expect(report.diff!.pairing).toEqual({ source: 'base-rev', detail: 'HEAD~1', note: null });
    const parse = report.diff!.entries.find((e) => e.function === 'main.parse')!;
    expect(parse).toMatchObject({ line: 37, base: { file: 'main.go', line: 31 }, match: 'statement' });
  });

  it('an unknown revision is a one-line error', () => {
    const r = runCli([`${ROOT}/${W}/after.pb.gz`, '--base', `${ROOT}/${W}/before.pb.gz`, '--src', repo, '--base-rev', 'no-such-rev', '--no-escape'], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^advisor: .*no-such-rev.*\n$/);
  });
});

describe('--history', () => {
  const args = [`${W}/regress.pb.gz`, '--src', `${W}/v3`, '--history', `${W}/history`, '--no-escape'];

  it('gives each of today\'s hot sites its share per week, scaled to today\'s workload', () => {
    const { report } = json(args);
    const h = report.history!;
    expect(h.periods.map((p) => path.basename(p.source))).toEqual(['2026-11-16.pb.gz', '2026-11-23.pb.gz', '2026-11-30.pb.gz', 'regress.pb.gz']);
    // 80, 120 and 100 rounds against today's 100.
    expect(h.periods.slice(0, 3).map((p) => Math.round(p.normalization.factor * 100) / 100)).toEqual([1.25, 0.84, 1.02]);
    const index = h.sites.find((s) => s.function === 'main.index')!;
    const parse = h.sites.find((s) => s.function === 'main.parse')!;
    expect(index.history).toHaveLength(4);
    // Flat for three weeks, then 4x: the trend shows the jump, not the fix in week 3.
    expect(index.history[3]! / index.history[0]!).toBeGreaterThan(3.5);
    // Hot by objects in week 3 already, by both this week.
    expect(index.hot).toEqual([false, false, true, true]);
    for (const v of parse.history) expect(Math.abs(v! / parse.history[3]! - 1)).toBeLessThan(0.05);
    expect(parse.hot.every(Boolean)).toBe(true);
  });

  it('markdown: a compact table well under the 65,000-character limit', () => {
    const md = runCli([...args, '-f', 'markdown'], { cwd: ROOT }).stdout;
    expect(md.length).toBeLessThan(65_000);
    expect(md).toContain('### Trend of the hot sites');
    expect(md).toContain('| Site | 2026-11-16 | 2026-11-23 | 2026-11-30 | now | |');
    expect(md).toMatch(/\| `main\.index`<br>.*\| hot in 2 of 4 profiles, since 2026-11-30 \|/);
  });

  it('HTML: a sparkline per site, laid out in Chromium without overflow', () => {
    const html = runCli([...args, '-f', 'html'], { cwd: ROOT }).stdout;
    expect(html.match(/<svg class="spark"/g)).toHaveLength(4);
    const res = checkNoOverflow(html, { width: 1280 });
    expect(res.ok, JSON.stringify(res)).toBe(true);
  });
});

describe('option parsing', () => {
  it('--base taking the current profile says so', () => {
    const r = runCli(['--base', `${W}/before.pb.gz`, `${W}/after.pb.gz`], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `advisor: usage: no current profile: --base took all of ${W}/before.pb.gz ${W}/after.pb.gz (it takes every value up to the next option); put the current profile first: advisor ${W}/after.pb.gz --base ${W}/before.pb.gz\n`,
    );
  });

  it('--base, --history, --base-src with no value are errors', () => {
    for (const flag of ['--base', '--history']) {
      const r = runCli([`${W}/after.pb.gz`, flag], { cwd: ROOT });
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^advisor: usage: ${flag} needs a value`));
    }
    const r = runCli([`${W}/after.pb.gz`, '--base-src', `${W}/v1`], { cwd: ROOT });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("advisor: usage: --base-src gives the baseline's source: it needs --base OLD.pb.gz\n");
  });
});
