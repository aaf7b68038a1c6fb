import { describe, expect, test } from 'vitest';
import { IntTupleIds, isInt32 } from './intmap.js';

describe('IntTupleIds', () => {
  test('gives dense ids in insertion order, the same id for the same tuple, across growth', () => {
    const t = new IntTupleIds(16);
    const tuples: [number, number, number, number][] = [];
    for (let i = 0; i < 5000; i++) tuples.push([i % 97, -i, i * 31, i % 2 === 0 ? -2147483648 : 2147483647]);
    tuples.forEach((k, i) => expect(t.intern(...k)).toBe(i));
    expect(t.size).toBe(5000);
    // Again, in another order: nothing new.
    for (let i = tuples.length - 1; i >= 0; i--) expect(t.intern(...tuples[i])).toBe(i);
    expect(t.size).toBe(5000);
    expect(Array.from(t.keys.subarray(4 * 1234, 4 * 1235))).toEqual(tuples[1234]);
    // Tuples that differ in one slot only are different.
    expect(t.intern(0, 0, 0, 0)).toBe(5000);
    expect(t.intern(0, 0, 0, 1)).toBe(5001);
    expect(t.intern(0, 0, 1, 0)).toBe(5002);
  });

  test('isInt32', () => {
    expect([0, -1, 2147483647, -2147483648].every(isInt32)).toBe(true);
    expect([2147483648, -2147483649, 0.5, 2 ** 53, NaN].some(isInt32)).toBe(false);
  });
});
