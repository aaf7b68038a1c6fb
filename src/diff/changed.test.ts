import { describe, expect, it } from 'vitest';
import { mkEntry, mkFinding } from '../../test/fixtures/diff/rankings.js';
import { filterByChanged, filterEntriesByChanged } from './changed.js';

const changed = new Map([
  ['internal/api/parse.go', new Set([42, 43])],
  ['cmd/main.go', new Set([9])],
]);

describe('filterByChanged', () => {
  it('keeps findings on a changed line, or whose inlined call site is on one', () => {
    const onLine = mkFinding('api.parse', 'internal/api/parse.go', 42, 0.2);
    const otherLine = mkFinding('api.parse', 'internal/api/parse.go', 50, 0.2);
    const viaCaller = mkFinding('api.small', 'internal/api/small.go', 3, 0.1, {
      site: { function: 'api.small', file: 'internal/api/small.go', profileFile: '/b/small.go', line: 3, callSite: { function: 'main.main', file: 'cmd/main.go', line: 9 } },
    });
    const outside = mkFinding('fmt.Sprintf', null, 42, 0.1);
    const sameLineOtherFile = mkFinding('x.y', 'internal/api/other.go', 42, 0.1);
    expect(filterByChanged([onLine, otherLine, viaCaller, outside, sameLineOtherFile], changed)).toEqual([onLine, viaCaller]);
    expect(filterByChanged([onLine], new Map())).toEqual([]);
  });
});

describe('filterEntriesByChanged', () => {
  it('keeps entries on changed lines, and fixed entries of changed files', () => {
    const a = mkEntry('api.parse', 'internal/api/parse.go', 43, { status: 'regression', baseShare: 0.1, share: 0.2 });
    const b = mkEntry('api.parse', 'internal/api/parse.go', 80, { status: 'regression', baseShare: 0.1, share: 0.2 });
    const fixed = mkEntry('api.parse', 'internal/api/parse.go', 120, { status: 'fixed', baseShare: 0.1, share: 0 });
    const fixedElsewhere = mkEntry('api.load', 'internal/api/load.go', 5, { status: 'fixed', baseShare: 0.1, share: 0 });
    expect(filterEntriesByChanged([a, b, fixed, fixedElsewhere], changed)).toEqual([a, fixed]);
  });
});
