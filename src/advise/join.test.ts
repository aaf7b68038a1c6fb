import { describe, expect, it } from 'vitest';
import { finding } from '../../test/fixtures/advise/testkit.js';
import { compilerFunctionName, enclosingFunctionName, indexFindings, joinSite, type JoinQuery } from './join.js';

describe('function names', () => {
  it.each([
    ['example.com/m/pkg.(*T).M', '(*T).M', '(*T).M'],
    ['example.com/m/pkg.Outer.func1.2', 'Outer.func1.2', 'Outer'],
    ['main.main.func1', 'main.func1', 'main'],
    ['example.com/m/pkg.Map[go.shape.int]', 'Map[go.shape.int]', 'Map[go.shape.int]'],
    ['example.com/m/pkg.(*T).M.gowrap1', '(*T).M.gowrap1', '(*T).M'],
  ])('%s', (profileName, compilerName, outer) => {
    expect(compilerFunctionName(profileName)).toBe(compilerName);
    expect(enclosingFunctionName(compilerName)).toBe(outer);
  });
});

describe('indexFindings', () => {
  it('collapses identical lines, keeping the copy with -m=2 reasons', () => {
    const bare = finding('a.go', 5, 2, 'moved-to-heap', 'x');
    const rich = finding('a.go', 5, 2, 'moved-to-heap', 'x', { reasons: ['address-of', 'return'] });
    const idx = indexFindings([bare, rich, bare]);
    expect(idx.all).toEqual([rich]);
    expect(idx.byLine.get('a.go')?.get(5)).toEqual([rich]);
  });
  it('learns method names from inlining declarations', () => {
    const idx = indexFindings([
      finding('a.go', 1, 6, 'can-inline', '(*T).Get'),
      finding('a.go', 2, 6, 'cannot-inline', 'List[go.shape.int].Push'),
      finding('a.go', 3, 6, 'can-inline', 'run.func1'),
      finding('a.go', 4, 6, 'can-inline', 'plain'),
    ]);
    expect([...idx.methodNames].sort()).toEqual(['Get', 'Push']);
  });
  it('drops findings outside the module and kinds that say nothing about allocation', () => {
    const outside = { ...finding('x.go', 1, 1, 'escapes', 'y'), relFile: null };
    const idx = indexFindings([outside, finding('a.go', 1, 1, 'inlining-call', 'f')]);
    expect(idx.all).toEqual([]);
  });
});

describe('joinSite, function-variable', () => {
  const q = (over: Partial<JoinQuery>): JoinQuery => ({
    relFile: 'a.go',
    line: 20,
    function: 'example.com/m.run',
    callSites: [],
    functionStartLine: 10,
    siteText: '\tuse(x)',
    ...over,
  });
  it('only takes a variable of the same top-level function when -m=2 names it', () => {
    const mine = finding('a.go', 12, 2, 'moved-to-heap', 'x', { detail: { func: 'run' } });
    const theirs = finding('a.go', 12, 2, 'moved-to-heap', 'x', { detail: { func: 'other' } });
    expect(joinSite(indexFindings([mine]), q({})).match).toBe('function-variable');
    expect(joinSite(indexFindings([theirs]), q({})).match).toBe('none');
    // A closure's variables belong to its enclosing function.
    expect(joinSite(indexFindings([mine]), q({ function: 'example.com/m.run.func2' })).match).toBe('function-variable');
  });
  it('without source, takes only an unambiguous variable', () => {
    const x = finding('a.go', 12, 2, 'moved-to-heap', 'x');
    const y = finding('a.go', 13, 2, 'moved-to-heap', 'y');
    expect(joinSite(indexFindings([x]), q({ siteText: null })).primary).toBe(x);
    expect(joinSite(indexFindings([x, y]), q({ siteText: null })).match).toBe('none');
    expect(joinSite(indexFindings([x, y]), q({ siteText: '\tuse(y)' })).primary).toBe(y);
  });
  it('falls back to the nearest declaration the compiler reported when the start line is unknown', () => {
    const decl = finding('a.go', 8, 6, 'cannot-inline', 'run');
    const before = finding('a.go', 5, 2, 'moved-to-heap', 'x');
    const inside = finding('a.go', 12, 2, 'moved-to-heap', 'x');
    expect(joinSite(indexFindings([decl, before]), q({ functionStartLine: null })).match).toBe('none');
    expect(joinSite(indexFindings([decl, inside]), q({ functionStartLine: null })).primary).toBe(inside);
  });
});
