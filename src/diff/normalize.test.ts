import { describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import { loadProfile } from '../profile/index.js';
import { rankProfile } from '../rank/index.js';
import { diffRankings, type DiffSide } from './index.js';
import { MIN_WORKLOAD_SITES, normalization, resolveNormalize, workloadRatio } from './normalize.js';

describe('workloadRatio', () => {
  it('is the median ratio, weighted by the baseline value, which one changed site cannot move', () => {
    const pairs = [
      { base: 100, current: 200 },
      { base: 100, current: 202 },
      { base: 100, current: 198 },
      // Fixed: 20x smaller. Grew 4x. Neither moves the median.
      { base: 100, current: 10 },
      { base: 100, current: 800 },
    ];
    expect(workloadRatio(pairs)).toEqual({ factor: 2, sites: 5 });
  });

  it('weights by the baseline: a heavy site outvotes several light ones', () => {
    expect(workloadRatio([{ base: 1000, current: 1000 }, { base: 1, current: 5 }, { base: 1, current: 5 }, { base: 1, current: 5 }])!.factor).toBe(1);
  });

  it('takes the midpoint when the weights split exactly in half', () => {
    expect(workloadRatio([{ base: 1, current: 1 }, { base: 1, current: 1 }, { base: 1, current: 3 }, { base: 1, current: 3 }])!.factor).toBe(2);
  });

  it(`needs ${MIN_WORKLOAD_SITES} pairs with values on both sides, and falls back to totals saying so`, () => {
    const two = [{ base: 1, current: 2 }, { base: 1, current: 2 }, { base: 0, current: 5 }];
    expect(workloadRatio(two)).toBeNull();
    const n = normalization('workload', { total: 30, durationNanos: 0 }, { total: 10, durationNanos: 0 }, two);
    expect(n).toMatchObject({ method: 'total', factor: 3, sites: null });
    expect(n.text).toBe('shares of each total: only 2 sites matched on both sides, too few for a workload ratio (needs 3)');
  });

  it("'auto' is duration when both sides have one, else workload; duration without one is a usage error", () => {
    const withD = { total: 1, durationNanos: 5e9 };
    const without = { total: 1, durationNanos: 0 };
    expect(resolveNormalize('auto', withD, withD)).toBe('duration');
    expect(resolveNormalize('auto', withD, without)).toBe('workload');
    expect(() => resolveNormalize('duration', withD, without)).toThrowError(AdvisorError);
    expect(() => resolveNormalize('duration', withD, without)).toThrowError(/the baseline records none .* use --normalize workload$/);
  });
});

// test/fixtures/weekly (see regenerate.sh): v1 run for 100 and for 200 rounds.
describe('the workload ratio on real profiles', async () => {
  const side = async (file: string): Promise<DiffSide> => {
    const p = await loadProfile(`test/fixtures/weekly/${file}`);
    return { ranking: rankProfile(p, { module: 'example.com/weekly' }), durationNanos: p.durationNanos, sources: [file] };
  };
  const before = await side('before.pb.gz');
  const double = await side('double.pb.gz');

  it('is 2 within 5% when the second run does twice the work with no code change, and no site changes class', () => {
    expect(before.durationNanos).toBe(0);
    const diff = diffRankings(double, before, { normalize: 'auto', hotCover: 0.8, minShare: 0.01 });
    expect(diff.normalization.method).toBe('workload');
    expect(Math.abs(diff.normalization.factor / 2 - 1)).toBeLessThan(0.05);
    expect(diff.normalization.sites).toBeGreaterThanOrEqual(6);
    expect(diff.normalization.text).toMatch(/^workload ratio 2\.\d\d, from \d+ matched sites$/);
    expect(diff.entries.filter((e) => e.status !== 'unchanged')).toEqual([]);
    // Raw values would call every site a regression: that is what the ratio is for.
    const raw = diffRankings(double, before, { normalize: 'none', hotCover: 0.8, minShare: 0.01 });
    expect(raw.entries.filter((e) => e.status === 'regression').length).toBeGreaterThanOrEqual(5);
  });
});
