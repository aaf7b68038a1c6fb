import { describe, expect, it } from 'vitest';
import { estimateSavings } from './estimate.js';
import { isOneOff, scoreOf, selectHot, type OneOffInput } from './priority.js';

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

describe('selectHot', () => {
  const s = (share: number, companionShare: number | null = share, oneOff = false) => ({ share, companionShare, score: scoreOf(share, companionShare), oneOff });
  it('takes the smallest prefix covering hotCover', () => {
    expect(selectHot([s(0.5), s(0.3), s(0.15), s(0.05)], 0.8, 0.01)).toEqual([true, true, false, false]);
    expect(selectHot([s(0.5), s(0.3), s(0.15), s(0.05)], 0.81, 0.01)).toEqual([true, true, true, false]);
  });
  it('measures cover against churn, leaving one-offs out of both', () => {
    expect(selectHot([s(0.4, 0, true), s(0.3), s(0.2), s(0.1)], 0.8, 0.01)).toEqual([false, true, true, false]);
  });
  it('skips sites under minShare in both types', () => {
    expect(selectHot([s(0.5), s(0.005, 0.2), s(0.005, 0.001)], 1, 0.01)).toEqual([true, true, false]);
  });
  it('marks nothing in an empty or all-zero profile', () => {
    expect(selectHot([], 0.8, 0.01)).toEqual([]);
    expect(selectHot([s(0), s(0)], 0.8, 0.01)).toEqual([false, false]);
  });
});

describe('estimateSavings', () => {
  const inp = { rule: 'slice-growth' as const, value: 1000, unit: 'bytes', companion: 100, companionUnit: 'count', cumulative: true, durationNanos: 10e9, oneOff: false };
  it('gives no estimate without a rule assumption', () => {
    expect(estimateSavings({ ...inp, rule: null })).toMatchObject({ bytes: null, objects: null, note: expect.stringMatching(/^no estimate/) });
    expect(estimateSavings({ ...inp, rule: 'no-escape-info' }).bytes).toBeNull();
  });
  it('scales by the share the statement itself allocates', () => {
    const e = estimateSavings({ ...inp, rule: 'interface-boxing', statementShare: 0.04 });
    expect(e).toMatchObject({ bytes: 40, objects: 4, bytesPerSecond: 4 });
    expect(e.note).toMatch(/only the 4%/);
  });
  it('labels every estimate as one', () => {
    for (const rule of ['return-pointer', 'slice-growth', 'large-retained'] as const) expect(estimateSavings({ ...inp, rule }).note).toMatch(/^estimate: /);
  });
});
