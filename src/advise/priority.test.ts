import { describe, expect, it } from 'vitest';
import { estimateSavings } from './estimate.js';
import { isOneOff, scoreOf, selectTiers, type OneOffInput } from './priority.js';

const base: OneOffInput = {
  value: 32 << 20,
  unit: 'bytes',
  companion: 1,
  companionUnit: 'count',
  share: 0.05,
  companionShare: 0.000001,
  samples: 1,
  maxSampleValue: 32 << 20,
  minShare: 0.01,
};

describe('isOneOff', () => {
  it('is a few large objects carrying a real share', () => {
    expect(isOneOff(base)).toBe(true);
    expect(isOneOff({ ...base, companion: 16, value: 16 * (256 << 10) })).toBe(true);
  });
  it('is not churn of many objects, small objects, or a negligible share', () => {
    expect(isOneOff({ ...base, companion: 17 })).toBe(false);
    expect(isOneOff({ ...base, value: 4 * ((256 << 10) - 1), companion: 4 })).toBe(false);
    expect(isOneOff({ ...base, share: 0.005 })).toBe(false);
  });
  it('reads objects from the value and bytes from the companion on an objects index', () => {
    expect(isOneOff({ ...base, value: 1, unit: 'count', companion: 32 << 20, companionUnit: 'bytes' })).toBe(true);
  });
  it('without a companion, needs one or two samples holding a large value', () => {
    const alone = { ...base, companion: null, companionUnit: null, companionShare: null };
    expect(isOneOff(alone)).toBe(true);
    expect(isOneOff({ ...alone, samples: 3 })).toBe(false);
    expect(isOneOff({ ...alone, maxSampleValue: base.value / 2 })).toBe(false);
  });
});

describe('selectTiers', () => {
  const s = (share: number, companionShare: number | null = share, oneOff = false) => ({ share, companionShare, score: scoreOf(share, companionShare), oneOff });
  it('takes the largest sites covering hotCover of each type; the rest with minShare are warm', () => {
    expect(selectTiers([s(0.5), s(0.3), s(0.15), s(0.05)], 0.8, 0.01)).toEqual(['hot', 'hot', 'warm', 'warm']);
    expect(selectTiers([s(0.5), s(0.3), s(0.15), s(0.05)], 0.81, 0.01)).toEqual(['hot', 'hot', 'hot', 'warm']);
  });
  it('is the union of the two covers: a site large in objects alone is hot', () => {
    // 3: 4.6% of bytes but 40% of objects; 2: 7.6% of bytes, few objects. Both are hot; none is "leave as is".
    expect(selectTiers([s(0.6, 0.3), s(0.2, 0.2), s(0.076, 0.01), s(0.046, 0.4), s(0.005, 0.005)], 0.8, 0.01)).toEqual(['hot', 'hot', 'warm', 'hot', 'cold']);
  });
  it('never leaves a site larger in both types colder than one smaller in both', () => {
    const sites = [s(0.3, 0.1), s(0.25, 0.3), s(0.09, 0.2), s(0.2, 0.05), s(0.1, 0.25), s(0.03, 0.06), s(0.02, 0.03), s(0.01, 0.01)];
    for (const cover of [0.5, 0.8, 0.95]) {
      const t = selectTiers(sites, cover, 0.01);
      const rank = { hot: 2, warm: 1, cold: 0 };
      for (let i = 0; i < sites.length; i++)
        for (let j = 0; j < sites.length; j++)
          if (sites[i].share > sites[j].share && (sites[i].companionShare ?? 0) > (sites[j].companionShare ?? 0)) expect(rank[t[i]]).toBeGreaterThanOrEqual(rank[t[j]]);
    }
  });
  it('measures cover against churn, leaving one-offs out of both covers (a large one-off is warm)', () => {
    expect(selectTiers([s(0.4, 0, true), s(0.3), s(0.2), s(0.1)], 0.8, 0.01)).toEqual(['warm', 'hot', 'hot', 'warm']);
  });
  it('skips sites under minShare in the type they would be hot by', () => {
    expect(selectTiers([s(0.5), s(0.005, 0.2), s(0.005, 0.001)], 1, 0.01)).toEqual(['hot', 'hot', 'cold']);
  });
  it('marks nothing in an empty or all-zero profile', () => {
    expect(selectTiers([], 0.8, 0.01)).toEqual([]);
    expect(selectTiers([s(0), s(0)], 0.8, 0.01)).toEqual(['cold', 'cold']);
  });
});

describe('estimateSavings', () => {
  const inp = { rule: 'slice-growth' as const, part: { value: 1000, companion: 100 }, unit: 'bytes', companionUnit: 'count', cumulative: true, durationNanos: 10e9, oneOff: false, partOfLine: 1 };
  it('gives no estimate without a rule assumption', () => {
    expect(estimateSavings({ ...inp, rule: null })).toMatchObject({ bytes: null, objects: null, note: expect.stringMatching(/^no estimate/) });
    expect(estimateSavings({ ...inp, rule: 'no-escape-info' }).bytes).toBeNull();
    expect(estimateSavings({ ...inp, rule: 'costly-call' })).toMatchObject({ bytes: null, note: expect.stringMatching(/depends on how the call changes/) });
  });
  it('applies the assumption to the part the rule explains, and says so', () => {
    const e = estimateSavings({ ...inp, rule: 'interface-boxing', part: { value: 40, companion: 4 }, partOfLine: 0.04 });
    expect(e).toMatchObject({ bytes: 40, objects: 4, bytesPerSecond: 4 });
    expect(e.note).toMatch(/only the 4% of the line this rule explains/);
    expect(estimateSavings(inp)).toMatchObject({ bytes: 500, objects: 75 });
  });
  it('labels every estimate as one', () => {
    for (const rule of ['return-pointer', 'slice-growth', 'large-retained'] as const) expect(estimateSavings({ ...inp, rule }).note).toMatch(/^estimate: /);
  });
});
