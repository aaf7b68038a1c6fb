import { describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import { mkDiff, mkEntry, mkEscape, mkFinding, mkReport } from '../../test/fixtures/diff/rankings.js';
import { evaluateGates, parseFailOn, parseFailOnList, requiresBase, type Condition } from './gate.js';

const parse = (...specs: string[]): Condition[] => parseFailOnList(specs);

const hotParse = mkFinding('main.parse', 'internal/api/parse.go', 42, 0.164, {
  hot: true,
  escapes: [mkEscape('escapes', 'make([]byte, n)', 'make([]byte, n) escapes to heap', 42)],
});
const hotNoEscape = mkFinding('main.grow', 'internal/api/grow.go', 7, 0.3, {
  hot: true,
  escapes: [mkEscape('does-not-escape', 'make([]int, 0, 8)', 'make([]int, 0, 8) does not escape', 7), mkEscape('leaking-param', 'p', 'leaking param: p', 7)],
});
const coldEscape = mkFinding('main.cold', 'cold.go', 3, 0.004, { escapes: [mkEscape('moved-to-heap', 'x', 'moved to heap: x', 3)] });

describe('parseFailOn', () => {
  it('parses every condition', () => {
    expect(parseFailOn('new-hot')).toEqual({ kind: 'new-hot', spec: 'new-hot' });
    expect(parseFailOn('regression:10%')).toEqual({ kind: 'regression', percent: 10, spec: 'regression:10%' });
    expect(parseFailOn('regression:2.5')).toEqual({ kind: 'regression', percent: 2.5, spec: 'regression:2.5%' });
    expect(parseFailOn('regression')).toEqual({ kind: 'regression', percent: 10, spec: 'regression:10%' });
    expect(parseFailOn(' Hot-Escape ')).toEqual({ kind: 'hot-escape', spec: 'hot-escape' });
    expect(parseFailOn('hot')).toEqual({ kind: 'hot', spec: 'hot' });
    expect(parseFailOn('share:5%')).toEqual({ kind: 'share', percent: 5, spec: 'share:5%' });
  });

  it('splits comma lists and drops duplicates', () => {
    expect(parse('hot-escape,new-hot', 'new-hot', 'regression:10', 'regression:10%').map((c) => c.spec)).toEqual(['hot-escape', 'new-hot', 'regression:10%']);
  });

  it.each([
    ['nope', /unknown --fail-on condition "nope"; valid conditions: new-hot, regression:N% \(e.g. regression:10%\), hot-escape, hot, share:N%/],
    ['hot:5%', /--fail-on hot takes no value/],
    ['share', /share needs a percentage/],
    ['share:150%', /share needs a percentage in \(0, 100\]/],
    ['regression:-3%', /regression needs a percentage above 0/],
    ['regression:ten', /regression needs a percentage above 0/],
    ['', /is not a condition/],
  ])('rejects %j with a usage error', (spec, msg) => {
    let err: unknown;
    try {
      parseFailOn(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdvisorError);
    expect((err as AdvisorError).stage).toBe('usage');
    expect((err as AdvisorError).message).toMatch(msg);
  });

  it('says which conditions need a baseline', () => {
    expect(requiresBase(parseFailOn('new-hot'))).toMatch(/--fail-on new-hot compares with a baseline: add --base/);
    expect(requiresBase(parseFailOn('regression:5%'))).toMatch(/--fail-on regression:5% compares with a baseline/);
    for (const s of ['hot-escape', 'hot', 'share:1%']) expect(requiresBase(parseFailOn(s))).toBeNull();
  });
});

describe('evaluateGates', () => {
  it('hot-escape trips on a hot finding with a heap escape, not on a cold one or a non-escaping one', () => {
    const r = evaluateGates(mkReport([hotNoEscape, hotParse, coldEscape]), parse('hot-escape'));
    expect(r).toEqual({
      tripped: true,
      reasons: ['hot-escape tripped: main.parse (internal/api/parse.go:42) is hot (16.40% of alloc_space) and the compiler says: make([]byte, n) escapes to heap'],
    });
    expect(evaluateGates(mkReport([hotNoEscape, coldEscape]), parse('hot-escape'))).toEqual({ tripped: false, reasons: [] });
  });

  it('hot trips on any hot finding', () => {
    expect(evaluateGates(mkReport([hotParse, hotNoEscape, coldEscape]), parse('hot')).reasons).toEqual([
      'hot tripped: 2 hot sites, the largest main.grow (internal/api/grow.go:7) at 30.00% of alloc_space',
    ]);
    expect(evaluateGates(mkReport([coldEscape]), parse('hot')).tripped).toBe(false);
    expect(evaluateGates(mkReport([]), parse('hot')).tripped).toBe(false);
  });

  it('share:N% trips on any finding at or above N%', () => {
    expect(evaluateGates(mkReport([hotParse, hotNoEscape]), parse('share:16.4%')).reasons).toEqual([
      'share:16.4% tripped: main.grow (internal/api/grow.go:7) has 30.00% of alloc_space, at least 16.4% (and 1 more)',
    ]);
    expect(evaluateGates(mkReport([hotParse, hotNoEscape]), parse('share:31%')).tripped).toBe(false);
  });

  it('new-hot trips on a new-hot diff entry only', () => {
    const diff = (status: 'new-hot' | 'regression') => mkDiff([mkEntry('main.parse', 'internal/api/parse.go', 42, { status, baseShare: 0.004, share: 0.164 })]);
    expect(evaluateGates(mkReport([hotParse], diff('new-hot')), parse('new-hot')).reasons).toEqual([
      'new-hot tripped: main.parse (internal/api/parse.go:42) is newly hot at 16.40% of alloc_space, was 0.4%',
    ]);
    expect(evaluateGates(mkReport([hotParse], diff('regression')), parse('new-hot')).tripped).toBe(false);
  });

  it('regression:N% trips when a hot site grew by at least N%', () => {
    const diff = mkDiff([
      mkEntry('main.parse', 'internal/api/parse.go', 42, { status: 'regression', baseShare: 0.12, share: 0.164 }),
      // Grew more, but is not hot: not this gate's business.
      mkEntry('main.cold', 'cold.go', 3, { status: 'regression', baseShare: 0.001, share: 0.004 }),
    ]);
    const report = mkReport([hotParse, coldEscape], diff);
    expect(evaluateGates(report, parse('regression:10%')).reasons).toEqual([
      'regression:10% tripped: main.parse (internal/api/parse.go:42) grew 37% (12.00% → 16.40% of alloc_space)',
    ]);
    expect(evaluateGates(report, parse('regression:36.6%')).tripped).toBe(true);
    expect(evaluateGates(report, parse('regression:37%')).tripped).toBe(false);
    // Per second when normalized by duration.
    expect(evaluateGates(mkReport([hotParse], { ...diff, normalize: 'duration' as const, entries: [{ ...diff.entries[0], relativeChange: 0.5 }] }), parse('regression')).reasons[0]).toMatch(
      /grew 50% per second \(12\.00% → 16\.40% of alloc_space\)$/,
    );
    // A hot site that appeared from nothing regressed by any N.
    const appeared = mkEntry('main.parse', 'internal/api/parse.go', 42, { status: 'new-hot', baseShare: 0, share: 0.164 });
    expect(evaluateGates(mkReport([hotParse], { ...diff, entries: [appeared] }), parse('regression:500%')).reasons[0]).toMatch(/main\.parse .* appeared \(0% → 16\.40% of alloc_space\)/);
    // Grew per second but not in share, so the diff did not call it a regression: neither does the gate.
    const flat = { ...diff.entries[0], status: 'unchanged' as const, relativeChange: 0.5, shareDelta: -0.01 };
    expect(evaluateGates(mkReport([hotParse], { ...diff, entries: [flat] }), parse('regression')).tripped).toBe(false);
  });

  it('gives one reason per tripped condition, in the given order, and none for quiet ones', () => {
    const r = evaluateGates(mkReport([hotParse, hotNoEscape]), parse('share:50%', 'hot', 'hot-escape'));
    expect(r.tripped).toBe(true);
    expect(r.reasons.map((x) => x.split(' ')[0])).toEqual(['hot', 'hot-escape']);
  });

  it('refuses baseline conditions without a baseline', () => {
    for (const spec of ['new-hot', 'regression:10%']) {
      expect(() => evaluateGates(mkReport([hotParse]), parse(spec))).toThrow(AdvisorError);
      expect(() => evaluateGates(mkReport([hotParse]), parse(spec))).toThrow(/compares with a baseline/);
    }
  });
});
