// analyze(): the report users see, from one pure call. Real profiles of two
// versions of one program (test/fixtures/diff, see regenerate.sh).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeInputs } from './analyze.js';
import { cpuSavingEstimate } from './cpu/index.js';
import type { CpuCost } from './model/report.js';
import { loadProfile } from './profile/index.js';
import { rankProfile } from './rank/index.js';
import { runAdvisor } from './run.js';

const DIR = 'test/fixtures/diff';
const MODULE = 'example.com/diffdemo';
const v2 = readFileSync(`${DIR}/v2/main.go`, 'utf8').split('\n');
const mapPath = (f: string) => (f.startsWith(`${MODULE}/`) ? f.slice(MODULE.length + 1) : null);
const NO_ESCAPE = { source: 'none' as const, goVersion: null, packages: [], findings: [], notes: ['no escape analysis'] };

async function inputs(): Promise<AnalyzeInputs> {
  const cur = await loadProfile(`${DIR}/after.pb.gz`);
  const base = await loadProfile(`${DIR}/before.pb.gz`);
  const ranking = rankProfile(cur, { module: MODULE, name: 'after.pb.gz' });
  return {
    advice: {
      sources: ['after.pb.gz'],
      ranking,
      profileMeta: { durationNanos: cur.durationNanos, timeNanos: cur.timeNanos },
      escape: NO_ESCAPE,
      mapPath,
      readSource: (rel) => (rel === 'main.go' ? v2 : null),
      options: { hotCover: 0.8, minShare: 0.01, top: 20 },
      toolVersion: 'test',
      scope: [],
    },
    durationNanos: cur.durationNanos,
    base: {
      ranking: rankProfile(base, { module: MODULE, name: 'before.pb.gz', sampleIndex: ranking.choice.sampleType.type }),
      durationNanos: base.durationNanos,
      sources: ['before.pb.gz'],
      options: { normalize: 'none', fileOf: (_s, f) => mapPath(f) },
    },
    cpu: null,
    changed: null,
  };
}

const COST: CpuCost = { source: 'cpu.pb.gz', allocShare: 0.2, gcShare: 0.1, totalShare: 0.3, note: 'n' };

describe('analyze', async () => {
  const inp = await inputs();

  it('without --base, --cpu or --changed is buildReport alone', () => {
    const r = analyze({ ...inp, base: null });
    expect(r.diff).toBeNull();
    expect(r.cpu).toBeNull();
    expect(r.findings.every((f) => f.estimate.cpuShare === undefined)).toBe(true);
    expect(r.scope).toEqual([]);
  });

  it('--base: the diff is part of the report, and the scope says what it was compared with', () => {
    const r = analyze(inp);
    expect(r.diff?.base).toEqual(['before.pb.gz']);
    const statuses = Object.fromEntries(r.diff!.entries.map((e) => [`${e.function}:${e.line}`, e.status]));
    expect(statuses).toMatchObject({ 'main.label:30': 'new-hot', 'main.parse:36': 'regression', 'main.parse:23': 'fixed' });
    expect(r.scope).toEqual(['compared with before.pb.gz']);
  });

  it('--cpu: every finding carries its CPU share, and the inputs are not changed', () => {
    const r = analyze({ ...inp, cpu: COST });
    expect(r.cpu).toBe(COST);
    expect(r.findings.length).toBeGreaterThan(2);
    for (const f of r.findings) expect(f.estimate.cpuShare).toBeCloseTo(cpuSavingEstimate(COST, f.share, f.companionShare), 12);
    // A second run on the same inputs gives the same report: nothing was patched in place.
    expect(analyze({ ...inp, cpu: COST })).toEqual(r);
  });

  it('--changed: findings and diff entries on changed lines only, counted in the scope', () => {
    const full = analyze(inp);
    const lines = new Map([['main.go', new Set([30, 36])]]);
    const r = analyze({ ...inp, cpu: COST, changed: { rev: 'origin/main', baseCommit: '0123456789abcdef0123', lines } });
    expect(r.findings.map((f) => `${f.site.function}:${f.site.line}`).sort()).toEqual(['main.label:30', 'main.parse:36']);
    // A fixed site names its base line, which the tree may no longer have: kept when its file changed.
    expect(r.diff!.entries.map((e) => `${e.function}:${e.line}:${e.status}`).sort()).toEqual(
      ['main.label:30:new-hot', 'main.parse:23:fixed', 'main.parse:36:regression'].sort(),
    );
    expect(r.scope).toEqual([
      'compared with before.pb.gz',
      `only lines changed since origin/main (0123456789ab): 2 of ${full.findings.length} findings`,
    ]);
    expect(r.findings.every((f) => typeof f.estimate.cpuShare === 'number')).toBe(true);
  });

  it('--history: today\'s hot sites across earlier profiles, and null without it', async () => {
    expect(analyze(inp).history).toBeNull();
    const week = await loadProfile(`${DIR}/before.pb.gz`);
    const r = analyze({
      ...inp,
      history: {
        periods: [{ ranking: inp.base!.ranking, durationNanos: week.durationNanos, sources: ['before.pb.gz'] }],
        options: { normalize: 'none', fileOf: (_s, f) => mapPath(f) },
      },
    });
    expect(r.history!.periods.map((p) => p.source)).toEqual(['before.pb.gz', 'after.pb.gz']);
    const label = r.history!.sites.find((s) => s.function === 'main.label')!;
    // New in v2: absent the week before, hot now.
    expect(label.history[0]).toBeNull();
    expect(label.hot).toEqual([false, true]);
    expect(r.scope).toEqual(['compared with before.pb.gz', 'history of 1 earlier profile']);
  });

  it('is what runAdvisor returns for the same files: run.ts only reads them', async () => {
    const { report } = await runAdvisor({
      profiles: [`${DIR}/after.pb.gz`],
      base: [`${DIR}/before.pb.gz`],
      normalize: 'none',
      module: MODULE,
      escapeLogs: [],
      noEscape: true,
      hotCover: 0.8,
      minShare: 0.01,
      top: 20,
      limits: {},
      toolVersion: 'test',
      progress: () => {},
    });
    const expected = analyze({
      ...inp,
      advice: { ...inp.advice, sources: [`${DIR}/after.pb.gz`], readSource: () => null, mapPath: () => null, escape: { ...NO_ESCAPE, notes: report.escape.notes } },
      base: { ...inp.base!, sources: [`${DIR}/before.pb.gz`], options: { normalize: 'none', fileOf: () => null } },
    });
    expect(report.diff).toEqual(expected.diff);
    expect(report.findings).toEqual(expected.findings);
  });
});
