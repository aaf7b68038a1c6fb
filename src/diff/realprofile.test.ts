// Two real heap profiles of two versions of one program (test/fixtures/diff,
// see regenerate.sh): v2 added a function above the others, so every site
// below moved, dropped a preallocation (regression) and added a labelling
// loop (new hot sites).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../advise/index.js';
import { loadProfile, type Profile } from '../profile/index.js';
import { rankProfile } from '../rank/index.js';
import { evaluateGates, parseFailOnList } from './gate.js';
import { diffRankingsDetailed, statementAt, type DiffOptions, type DiffSide } from './index.js';

const DIR = 'test/fixtures/diff';
const MODULE = 'example.com/diffdemo';
const source = (v: string) => readFileSync(`${DIR}/${v}/main.go`, 'utf8').split('\n');
const fileOf = (_: 'base' | 'current', f: string) => (f.startsWith(`${MODULE}/`) ? f.slice(MODULE.length + 1) : null);

async function sideOf(file: string): Promise<DiffSide & { profile: Profile }> {
  const profile = await loadProfile(`${DIR}/${file}`);
  return { profile, ranking: rankProfile(profile, { module: MODULE }), durationNanos: profile.durationNanos, sources: [file] };
}

const OPTS: DiffOptions = { normalize: 'none', hotCover: 0.8, minShare: 0.01, fileOf };

function find(res: ReturnType<typeof diffRankingsDetailed>, fn: string, line: number) {
  const i = res.diff.entries.findIndex((e) => e.function === fn && e.line === line);
  expect(i, `${fn}:${line} in ${res.diff.entries.map((e) => `${e.function}:${e.line}:${e.status}`).join(' ')}`).toBeGreaterThanOrEqual(0);
  return { ...res.diff.entries[i], method: res.methods[i] };
}

describe('diff of real profiles across a line shift', async () => {
  const base = await sideOf('before.pb.gz');
  const cur = await sideOf('after.pb.gz');
  const v1 = source('v1');
  const v2 = source('v2');
  // The fixture says what the test assumes: the same statements, 11 lines apart.
  expect(v1[24].trim()).toBe('out = append(out, &Record{ID: i, Name: "r"})');
  expect(v2[35].trim()).toBe(v1[24].trim());
  expect(v2[41]).toBe(v1[30]);

  const expectStory = (res: ReturnType<typeof diffRankingsDetailed>, moved: 'statement' | 'offset') => {
    // parse's append: same statement, 25 -> 36, grew because the slice is no longer preallocated.
    const append = find(res, 'main.parse', 36);
    expect(append.method).toBe(moved);
    expect(append.status).toBe('regression');
    expect(append.baseValue).toBeGreaterThan(0);
    expect(append.relativeChange!).toBeGreaterThan(0.5);
    // format did not change: the make moved 31 -> 42 with the same bytes.
    const make = find(res, 'main.format', 42);
    expect(make.method).toBe(moved);
    expect(make.status).toBe('unchanged');
    expect(Math.abs(make.relativeChange!)).toBeLessThan(0.01);
    // The preallocation is gone.
    expect(find(res, 'main.parse', 23)).toMatchObject({ status: 'fixed', value: 0, method: null });
    // The new labelling is hot and was not there.
    expect(find(res, 'main.label', 30)).toMatchObject({ status: 'new-hot', baseValue: 0, relativeChange: null });
    // Nothing in format or parse is reported as appearing from nothing: the shift alone is no change.
    expect(res.diff.entries.filter((e) => /main\.(format|parse)/.test(e.function) && e.baseValue === 0)).toEqual([]);
  };

  it('matches by statement when both versions of the source are at hand', () => {
    const res = diffRankingsDetailed(cur, base, {
      ...OPTS,
      statementOf: (s, site) => statementAt(s === 'base' ? v1 : v2, site.line),
    });
    expectStory(res, 'statement');
    // Measured against the baseline's total, the new labelling and the append moved most.
    expect(res.diff.entries.slice(0, 2).map((e) => `${e.function}:${e.line}`)).toEqual(['main.label:30', 'main.parse:36']);
    expect(res.diff.entries.at(-1)!.status).toBe('unchanged');
  });

  it('matches by offset in the function when only the current source is', () => {
    expect(base.ranking.sites.find((s) => s.function === 'main.parse')!.functionStartLine).toBe(22);
    const res = diffRankingsDetailed(cur, base, {
      ...OPTS,
      statementOf: (s, site) => (s === 'base' ? null : statementAt(v2, site.line)),
    });
    expectStory(res, 'offset');
  });

  it('trips new-hot and regression gates on the report', () => {
    const res = diffRankingsDetailed(cur, base, { ...OPTS, statementOf: (s, site) => statementAt(s === 'base' ? v1 : v2, site.line) });
    const report = buildReport({
      sources: ['after.pb.gz'],
      ranking: cur.ranking,
      profileMeta: { durationNanos: cur.profile.durationNanos, timeNanos: cur.profile.timeNanos },
      escape: { source: 'none', goVersion: null, packages: [], findings: [], notes: [] },
      mapPath: (f) => fileOf('current', f),
      readSource: (rel) => (rel === 'main.go' ? v2 : null),
      options: { hotCover: 0.8, minShare: 0.01, top: 10 },
      toolVersion: 'test',
    });
    report.diff = res.diff;
    const gates = evaluateGates(report, parseFailOnList(['new-hot', 'regression:50%', 'share:90%']));
    expect(gates.reasons).toHaveLength(2);
    expect(gates.reasons[0]).toMatch(/^new-hot tripped: main\.label \(main\.go:30\) is newly hot at [\d.]+% of alloc_space, new since the baseline$/);
    // A hot site that appeared from nothing is the largest regression of all.
    expect(gates.reasons[1]).toMatch(/^regression:50% tripped: main\.\w+ \(main\.go:\d+\) appeared \(0% → [\d.]+% of alloc_space\) \(and 1 more\)$/);
    // Without the new sites, parse's append alone (+129%) trips 50% but not 200%.
    const old = { ...res.diff, entries: res.diff.entries.filter((e) => e.baseValue > 0) };
    report.diff = old;
    expect(evaluateGates(report, parseFailOnList('regression:50%')).reasons).toEqual([
      expect.stringMatching(/^regression:50% tripped: main\.parse \(main\.go:36\) grew 1\d\d% \(42\.\d\d% → 40\.\d\d% of alloc_space\)$/),
    ]);
    expect(evaluateGates(report, parseFailOnList('regression:200%')).tripped).toBe(false);
  });
});
