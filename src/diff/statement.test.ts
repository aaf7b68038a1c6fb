import { describe, expect, it } from 'vitest';
import { normalizeStatement, statementAt } from './statement.js';

describe('normalizeStatement', () => {
  it('ignores indentation, spacing and trailing comments', () => {
    expect(normalizeStatement('\t\tbuf := make([]byte,  n) // reuse later')).toBe('buf := make([]byte, n)');
    expect(normalizeStatement('    buf := make([]byte, n)')).toBe('buf := make([]byte, n)');
    expect(normalizeStatement('x := f(a) /* hot */ + g(b)')).toBe('x := f(a) + g(b)');
  });

  it('keeps comment markers inside string, raw string and rune literals', () => {
    expect(normalizeStatement('u := "http://x" + s // y')).toBe('u := "http://x" + s');
    expect(normalizeStatement('u := `a//b` + s')).toBe('u := `a//b` + s');
    expect(normalizeStatement(`s := "say \\"//\\"" + t`)).toBe(`s := "say \\"//\\"" + t`);
    expect(normalizeStatement(`r := '/'; q := "/*x*/"`)).toBe(`r := '/'; q := "/*x*/"`);
  });

  it('identifies nothing for blank, comment-only and brace-only lines', () => {
    for (const s of ['', '   ', '// only a comment', '\t}', '})', '{']) expect(normalizeStatement(s)).toBeNull();
  });
});

describe('statementAt', () => {
  it('reads a 1-based line, null out of range or without source', () => {
    const lines = ['package main', '', 'func f() {', '\tb := new(T)', '}'];
    expect(statementAt(lines, 4)).toBe('b := new(T)');
    expect(statementAt(lines, 0)).toBeNull();
    expect(statementAt(lines, 6)).toBeNull();
    expect(statementAt(null, 4)).toBeNull();
  });
});
