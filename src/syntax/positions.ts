// Source index (UTF-16 code unit, as JavaScript strings and web-tree-sitter
// count) to the Go compiler's position: 1-based line, 1-based byte column
// (UTF-8 bytes; a tab counts 1).
import type { Pos } from './model.js';

export class Positions {
  private readonly starts: number[] = [0];

  constructor(private readonly source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Index of the first character of 0-based row, or -1 past the end. */
  lineStart(row: number): number {
    return row >= 0 && row < this.starts.length ? this.starts[row] : -1;
  }

  at(index: number): Pos {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: utf8Length(this.source, s[lo], index) + 1 };
  }
}

function utf8Length(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
