import { describe, expect, it } from 'vitest';
import { finding } from '../../test/fixtures/advise/testkit.js';
import { compilerFunctionName, enclosingFunctionName, indexFindings } from './join.js';

describe('function names', () => {
  it.each([
    ['example.com/m/pkg.(*T).M', '(*T).M', '(*T).M'],
    ['example.com/m/pkg.Outer.func1.2', 'Outer.func1.2', 'Outer'],
    ['main.main.func1', 'main.func1', 'main'],
    ['example.com/m/pkg.Map[go.shape.int]', 'Map[go.shape.int]', 'Map[go.shape.int]'],
    ['example.com/m/pkg.(*T).M.gowrap1', '(*T).M.gowrap1', '(*T).M'],
    // Type arguments keep their paths: the package ends before the first '['.
    ['example.com/m/common.PointVector[go.shape.struct { X github.com/a/b.T }]', 'PointVector[go.shape.struct { X github.com/a/b.T }]', 'PointVector[go.shape.struct { X github.com/a/b.T }]'],
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
