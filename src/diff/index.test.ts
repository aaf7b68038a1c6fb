import { describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import type { Site } from '../rank/model.js';
import { mkRanking, mkSite } from '../../test/fixtures/diff/rankings.js';
import { classify, diffRankings, diffRankingsDetailed, type DiffOptions, type DiffSide } from './index.js';

const MB = 1 << 20;
const OPTS: DiffOptions = { normalize: 'total', hotCover: 0.8, minShare: 0.01 };

function side(sites: Site[], durationNanos = 0, sources = ['x.pb.gz']): DiffSide {
  return { ranking: mkRanking(sites), durationNanos, sources };
}

/** Source of two versions of parse.go, by line, for statementOf. */
function sourceOf(base: Record<number, string> | null, current: Record<number, string>): DiffOptions['statementOf'] {
  return (s, site) => {
    const src = s === 'base' ? base : current;
    return src?.[site.line] ?? null;
  };
}

function entryAt(res: ReturnType<typeof diffRankingsDetailed>, fn: string, line: number) {
  const i = res.diff.entries.findIndex((e) => e.function === fn && e.line === line);
  expect(i, `entry ${fn}:${line} in ${JSON.stringify(res.diff.entries.map((e) => `${e.function}:${e.line}`))}`).toBeGreaterThanOrEqual(0);
  return { entry: res.diff.entries[i], method: res.methods[i] };
}

// A cold tail so that hot sites are a real subset.
const tail = (n: number, each: number): Site[] => Array.from({ length: n }, (_, i) => mkSite(`main.cold${i}`, 'cold.go', 10 + i, each));

describe('matching sites across code versions', () => {
  it('matches a statement that moved because code was added above it (source on both sides)', () => {
    const base = side([mkSite('main.parse', 'parse.go', 42, 50 * MB), mkSite('main.parse', 'parse.go', 50, 30 * MB), ...tail(4, 5 * MB)]);
    const cur = side([mkSite('main.parse', 'parse.go', 52, 50 * MB), mkSite('main.parse', 'parse.go', 60, 30 * MB), ...tail(4, 5 * MB)]);
    const res = diffRankingsDetailed(cur, base, {
      ...OPTS,
      statementOf: sourceOf(
        { 42: 'buf := make([]byte, n)', 50: 'out = append(out, rec)' },
        { 52: 'buf := make([]byte, n)', 60: 'out = append(out, rec)' },
      ),
    });
    const a = entryAt(res, 'main.parse', 52);
    expect(a.method).toBe('statement');
    expect(a.entry.status).toBe('unchanged');
    expect(a.entry.baseValue).toBe(50 * MB);
    expect(entryAt(res, 'main.parse', 60).method).toBe('statement');
    // Nothing reported as new or gone: the shift alone is no change.
    expect(res.diff.entries.filter((e) => e.status !== 'unchanged')).toEqual([]);
  });

  it('does not pair two different statements that happen to sit on the same line number', () => {
    // Base: make at 42. Current: code added above pushed an append onto line 42, and the make to 47.
    const base = side([mkSite('main.parse', 'parse.go', 42, 50 * MB), mkSite('main.parse', 'parse.go', 37, 20 * MB), ...tail(6, 5 * MB)]);
    const cur = side([mkSite('main.parse', 'parse.go', 47, 50 * MB), mkSite('main.parse', 'parse.go', 42, 20 * MB), ...tail(6, 5 * MB)]);
    const res = diffRankingsDetailed(cur, base, {
      ...OPTS,
      statementOf: sourceOf({ 42: 'buf := make([]byte, n)', 37: 'out = append(out, rec)' }, { 47: 'buf := make([]byte, n)', 42: 'out = append(out, rec)' }),
    });
    expect(entryAt(res, 'main.parse', 47).entry.baseValue).toBe(50 * MB);
    expect(entryAt(res, 'main.parse', 42).entry.baseValue).toBe(20 * MB);
    expect(entryAt(res, 'main.parse', 47).method).toBe('statement');
    expect(entryAt(res, 'main.parse', 42).method).toBe('statement');
  });

  it('falls back to the offset from the function start when the base source is unavailable', () => {
    // The whole function moved down 10 lines; the current line 42 now holds a different site.
    const base = side([
      mkSite('main.parse', 'parse.go', 42, 50 * MB, { functionStartLine: 30 }),
      mkSite('main.load', 'parse.go', 12, 20 * MB, { functionStartLine: 10 }),
      ...tail(6, 5 * MB),
    ]);
    const cur = side([
      mkSite('main.parse', 'parse.go', 52, 50 * MB, { functionStartLine: 40 }),
      mkSite('main.parse', 'parse.go', 42, 4 * MB, { functionStartLine: 40 }),
      mkSite('main.load', 'parse.go', 12, 20 * MB, { functionStartLine: 10 }),
      ...tail(6, 5 * MB),
    ]);
    const res = diffRankingsDetailed(cur, base, { ...OPTS, statementOf: sourceOf(null, { 52: 'buf := make([]byte, n)', 42: 'x := new(T)' }) });
    const moved = entryAt(res, 'main.parse', 52);
    expect(moved.method).toBe('offset');
    expect(moved.entry.baseValue).toBe(50 * MB);
    expect(moved.entry.status).toBe('unchanged');
    // Line 42 of the moved function is a new site, not the old line 42.
    const fresh = entryAt(res, 'main.parse', 42);
    expect(fresh.method).toBeNull();
    expect(fresh.entry.baseValue).toBe(0);
    // An unmoved function still matches by line.
    expect(entryAt(res, 'main.load', 12).method).toBe('line');
  });

  it('pairs by order within the function when neither source nor start line is known, only with equal counts', () => {
    const base = side([mkSite('main.a', 'a.go', 10, 40 * MB), mkSite('main.a', 'a.go', 20, 30 * MB), mkSite('main.b', 'a.go', 50, 10 * MB), ...tail(4, 5 * MB)]);
    const cur = side([
      mkSite('main.a', 'a.go', 13, 40 * MB),
      mkSite('main.a', 'a.go', 23, 30 * MB),
      // main.b gained a site: two now, one before, so order proves nothing.
      mkSite('main.b', 'a.go', 53, 6 * MB),
      mkSite('main.b', 'a.go', 60, 4 * MB),
      ...tail(4, 5 * MB),
    ]);
    const res = diffRankingsDetailed(cur, base, OPTS);
    expect(entryAt(res, 'main.a', 13)).toMatchObject({ method: 'order', entry: { baseValue: 40 * MB } });
    expect(entryAt(res, 'main.a', 23)).toMatchObject({ method: 'order', entry: { baseValue: 30 * MB } });
    expect(entryAt(res, 'main.b', 53).method).toBeNull();
    expect(entryAt(res, 'main.b', 50)).toMatchObject({ method: null, entry: { value: 0, status: 'fixed' } });
  });

  it('pairs a statement edited in place by its line, and repeated statements in line order', () => {
    const base = side([
      mkSite('main.f', 'f.go', 5, 40 * MB),
      mkSite('main.f', 'f.go', 9, 20 * MB),
      mkSite('main.f', 'f.go', 12, 20 * MB),
      ...tail(4, 5 * MB),
    ]);
    const cur = side([
      mkSite('main.f', 'f.go', 5, 30 * MB),
      mkSite('main.f', 'f.go', 10, 25 * MB),
      mkSite('main.f', 'f.go', 14, 15 * MB),
      ...tail(4, 5 * MB),
    ]);
    const res = diffRankingsDetailed(cur, base, {
      ...OPTS,
      statementOf: sourceOf(
        { 5: 'buf := make([]byte, n)', 9: 'b = append(b, x...)', 12: 'b = append(b, x...)' },
        { 5: 'buf := make([]byte, 0, n)', 10: 'b = append(b, x...)', 14: 'b = append(b, x...)' },
      ),
    });
    expect(entryAt(res, 'main.f', 5)).toMatchObject({ method: 'edited', entry: { baseValue: 40 * MB, value: 30 * MB } });
    expect(entryAt(res, 'main.f', 10)).toMatchObject({ method: 'statement', entry: { baseValue: 20 * MB } });
    expect(entryAt(res, 'main.f', 14)).toMatchObject({ method: 'statement', entry: { baseValue: 20 * MB, value: 15 * MB } });
  });

  it('matches builds from different checkout directories through fileOf, and sums inlined copies of one line', () => {
    const inl = (caller: string, v: number) =>
      mkSite('main.small', '/home/ci/w/small.go', 7, v, { callSite: { function: caller, file: '/home/ci/w/main.go', line: 3 } });
    const base = side([inl('main.x', 30 * MB), inl('main.y', 30 * MB), ...tail(8, 5 * MB)]);
    const cur = side([
      mkSite('main.small', '/tmp/build/small.go', 7, 40 * MB, { callSite: { function: 'main.x', file: '/tmp/build/main.go', line: 3 } }),
      mkSite('main.small', '/tmp/build/small.go', 7, 40 * MB, { callSite: { function: 'main.y', file: '/tmp/build/main.go', line: 3 } }),
      ...tail(8, 5 * MB),
    ]);
    const fileOf = (_s: 'base' | 'current', f: string) => f.replace(/^\/home\/ci\/w\/|^\/tmp\/build\//, '');
    const res = diffRankingsDetailed(cur, base, { ...OPTS, fileOf });
    const e = entryAt(res, 'main.small', 7);
    expect(e.method).toBe('line');
    expect(e.entry).toMatchObject({ file: 'small.go', baseValue: 60 * MB, value: 80 * MB });
    expect(res.diff.entries.filter((x) => x.function === 'main.small')).toHaveLength(1);
  });
});

describe('classifying changes', () => {
  it('finds new-hot, regression, improvement, fixed and unchanged, biggest move first', () => {
    const base = side([
      mkSite('main.grows', 'a.go', 1, 20 * MB), // 20% -> 30%
      mkSite('main.shrinks', 'a.go', 2, 30 * MB), // 30% -> 15%
      mkSite('main.gone', 'a.go', 3, 25 * MB), // hot, then gone
      mkSite('main.steady', 'a.go', 4, 15 * MB), // 15% -> 15.5%
      mkSite('main.warms', 'a.go', 5, 0.5 * MB), // cold, becomes hot
      ...tail(19, 0.5 * MB),
    ]);
    const cur = side([
      mkSite('main.grows', 'a.go', 1, 30 * MB),
      mkSite('main.shrinks', 'a.go', 2, 15 * MB),
      mkSite('main.steady', 'a.go', 4, 15.5 * MB),
      mkSite('main.warms', 'a.go', 5, 25 * MB),
      mkSite('main.new', 'a.go', 6, 5 * MB), // appears, 5%, not hot
      ...tail(19, 0.5 * MB),
    ]);
    expect(base.ranking.total).toBe(100 * MB);
    expect(cur.ranking.total).toBe(100 * MB);
    const { diff } = diffRankingsDetailed(cur, base, OPTS);
    expect(diff.normalize).toBe('total');
    expect(diff.base).toEqual(['x.pb.gz']);
    const byFn = Object.fromEntries(diff.entries.map((e) => [e.function, e]));
    expect(byFn['main.warms'].status).toBe('new-hot');
    expect(byFn['main.grows']).toMatchObject({ status: 'regression', shareDelta: expect.closeTo(0.1, 9) });
    expect(byFn['main.grows'].relativeChange).toBeCloseTo(0.5, 9);
    expect(byFn['main.shrinks']).toMatchObject({ status: 'improvement' });
    expect(byFn['main.shrinks'].relativeChange).toBeCloseTo(-0.5, 9);
    expect(byFn['main.gone']).toMatchObject({ status: 'fixed', value: 0, share: 0, relativeChange: -1 });
    expect(byFn['main.steady'].status).toBe('unchanged');
    expect(byFn['main.new']).toMatchObject({ status: 'regression', baseValue: 0, relativeChange: null });
    // The cold tail did not move and is noise: left out.
    expect(diff.entries.some((e) => e.function.startsWith('main.cold'))).toBe(false);
    // Changes first, by the size of the move in share; unchanged last.
    expect(diff.entries.map((e) => e.function)).toEqual(['main.gone', 'main.warms', 'main.shrinks', 'main.grows', 'main.new', 'main.steady']);
  });

  it('normalizes by duration when both profiles have one, and does not blame a site that only grew with the traffic', () => {
    // Twice the traffic in the same hour: every site doubles, shares stay.
    const base = side([mkSite('main.a', 'a.go', 1, 60 * MB), mkSite('main.b', 'a.go', 2, 40 * MB)], 3600e9);
    const cur = side([mkSite('main.a', 'a.go', 1, 120 * MB), mkSite('main.b', 'a.go', 2, 80 * MB)], 3600e9);
    const { diff } = diffRankingsDetailed(cur, base, { ...OPTS, normalize: 'auto' });
    expect(diff.normalize).toBe('duration');
    for (const e of diff.entries) {
      expect(e.relativeChange).toBeCloseTo(1, 9);
      expect(e.status).toBe('unchanged');
    }
  });

  it('compares per second: the same bytes over twice the time is an improvement when the share fell', () => {
    const base = side([mkSite('main.a', 'a.go', 1, 50 * MB), mkSite('main.b', 'a.go', 2, 50 * MB)], 60e9);
    const cur = side([mkSite('main.a', 'a.go', 1, 50 * MB), mkSite('main.b', 'a.go', 2, 150 * MB)], 120e9);
    const { diff } = diffRankingsDetailed(cur, base, { ...OPTS, normalize: 'duration' });
    const a = diff.entries.find((e) => e.function === 'main.a')!;
    expect(a.relativeChange).toBeCloseTo(-0.5, 9);
    expect(a.status).toBe('improvement');
    const b = diff.entries.find((e) => e.function === 'main.b')!;
    expect(b.relativeChange).toBeCloseTo(0.5, 9);
    expect(b.status).toBe('regression');
  });

  it("'auto' falls back to total without durations; 'duration' without them is a usage error", () => {
    const base = side([mkSite('main.a', 'a.go', 1, 10)], 0);
    const cur = side([mkSite('main.a', 'a.go', 1, 10)], 5e9);
    expect(diffRankings(cur, base, { ...OPTS, normalize: 'auto' }).normalize).toBe('total');
    expect(() => diffRankings(cur, base, { ...OPTS, normalize: 'duration' })).toThrow(/the baseline records none/);
    try {
      diffRankings(cur, base, { ...OPTS, normalize: 'duration' });
    } catch (e) {
      expect(e).toBeInstanceOf(AdvisorError);
      expect((e as AdvisorError).stage).toBe('usage');
    }
  });

  it("'none' compares raw values", () => {
    const base = side([mkSite('main.a', 'a.go', 1, 100), mkSite('main.b', 'a.go', 2, 100)]);
    const cur = side([mkSite('main.a', 'a.go', 1, 300), mkSite('main.b', 'a.go', 2, 100)]);
    const { diff } = diffRankingsDetailed(cur, base, { ...OPTS, normalize: 'none' });
    expect(diff.entries.find((e) => e.function === 'main.a')).toMatchObject({ relativeChange: 2, status: 'regression' });
    expect(diff.entries.find((e) => e.function === 'main.b')).toMatchObject({ relativeChange: 0, status: 'unchanged' });
    // Raw growth is a regression even when another site grew more and this one's share fell.
    const cur2 = side([mkSite('main.a', 'a.go', 1, 300), mkSite('main.b', 'a.go', 2, 130), mkSite('main.c', 'a.go', 3, 800)]);
    const d2 = diffRankings(cur2, base, { ...OPTS, normalize: 'none' });
    expect(d2.entries.find((e) => e.function === 'main.b')).toMatchObject({ status: 'regression', shareDelta: expect.any(Number) });
    expect(d2.entries.find((e) => e.function === 'main.b')!.shareDelta).toBeLessThan(0);
  });

  it('refuses to compare different sample types', () => {
    const base = { ranking: mkRanking([mkSite('main.a', 'a.go', 1, 1)], { sampleType: 'inuse_space' }), durationNanos: 0, sources: [] };
    const cur = side([mkSite('main.a', 'a.go', 1, 1)]);
    expect(() => diffRankings(cur, base, OPTS)).toThrow(/cannot compare alloc_space with the baseline's inuse_space/);
  });

  it('respects the threshold and the noise floor', () => {
    const x = { present: true, hot: false, basePresent: true, baseHot: false, minShare: 0.01, threshold: 0.1, shareMustMove: true };
    expect(classify({ ...x, share: 0.3, baseShare: 0.275, shareDelta: 0.025, relativeChange: 0.09 })).toBe('unchanged');
    expect(classify({ ...x, share: 0.3, baseShare: 0.27, shareDelta: 0.03, relativeChange: 0.11 })).toBe('regression');
    expect(classify({ ...x, share: 0.003, baseShare: 0.001, shareDelta: 0.002, relativeChange: 2 })).toBe('unchanged');
    expect(classify({ ...x, hot: true, baseHot: true, share: 0.4, baseShare: 0.3, shareDelta: 0.1, relativeChange: 0.33 })).toBe('regression');
    expect(classify({ ...x, present: false, share: 0, baseShare: 0.005, shareDelta: -0.005, relativeChange: -1 })).toBe('unchanged');
    expect(classify({ ...x, present: false, share: 0, baseShare: 0.02, shareDelta: -0.02, relativeChange: -1 })).toBe('fixed');
    expect(classify({ ...x, share: 0.3, baseShare: 0.35, shareDelta: -0.05, relativeChange: 0.5 })).toBe('unchanged');
    expect(classify({ ...x, shareMustMove: false, share: 0.3, baseShare: 0.35, shareDelta: -0.05, relativeChange: 0.5 })).toBe('regression');
  });
});
