// The progress line ticks by itself: while one step (a long compile) runs,
// the elapsed time keeps moving and the step stays named.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { progressPrinter } from './progress.js';

describe('progressPrinter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const sink = (columns = 80) => {
    const writes: string[] = [];
    return { writes, sink: { write: (s: string) => void writes.push(s), columns: () => columns } };
  };
  const lines = (writes: string[]) => writes.map((w) => w.replace(/^\r\x1b\[2K/, '')).filter((w) => w !== '');

  test('redraws with the elapsed time while a step runs, and clears the line when done', () => {
    let t = 1_000_000;
    const { writes, sink: s } = sink(120);
    const p = progressPrinter(s, 200, () => t);
    p.say('compiling 3 packages with go build -gcflags=-m=2: api, cache, textutil');
    for (let i = 0; i < 30; i++) {
      t += 200;
      vi.advanceTimersByTime(200);
    }
    const shown = lines(writes);
    expect(shown[0]).toBe('advisor [0.0s] compiling 3 packages with go build -gcflags=-m=2: api, cache, textutil');
    expect(shown.at(-1)).toBe('advisor [6.0s] compiling 3 packages with go build -gcflags=-m=2: api, cache, textutil');
    expect(new Set(shown.map((l) => /\[(\d+\.\d)s\]/.exec(l)![1])).size).toBe(31);
    p.done();
    expect(writes.at(-1)).toBe('\r\x1b[2K');
    const after = writes.length;
    vi.advanceTimersByTime(2000);
    expect(writes.length).toBe(after);
  });

  test('cut at the terminal width, elapsed time first', () => {
    const { writes, sink: s } = sink(40);
    const p = progressPrinter(s, 200, () => 0);
    p.say('compiling 12 packages with go build -gcflags=-m=2: a, b, c, d, e');
    const [line] = lines(writes);
    expect(line).toBe('advisor [0.0s] compiling 12 packages w…');
    expect(line.length).toBe(39);
    p.done();
  });

  test('prints nothing without a terminal', () => {
    const p = progressPrinter(null);
    p.say('x');
    p.done();
    expect(vi.getTimerCount()).toBe(0);
  });
});
