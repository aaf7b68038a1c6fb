// Reading markdown the way a CommonMark renderer does, for tests that check
// what our markdown output renders as.

export interface StripOptions {
  /** What a code span becomes. */
  span: string;
  /**
   * What a backslash escape (`\` and the character after it) becomes; null
   * keeps it as written. Either way an escaped backtick opens no span.
   */
  escape: string | null;
}

/**
 * Replaces the code spans of one line of prose: a run of n backticks up to
 * the next run of exactly n. A run with no closing run is literal text.
 */
export function stripCodeSpans(line: string, opts: StripOptions): string {
  let out = '';
  for (let i = 0; i < line.length; ) {
    if (line[i] === '\\' && i + 1 < line.length) {
      out += opts.escape ?? line.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (line[i] === '`') {
      let n = 0;
      while (line[i + n] === '`') n++;
      const ticks = '`'.repeat(n);
      // The closing run has exactly n backticks.
      let close = -1;
      for (let k = line.indexOf(ticks, i + n); k >= 0; k = line.indexOf(ticks, k + 1)) {
        if (line[k - 1] !== '`' && line[k + n] !== '`') {
          close = k;
          break;
        }
      }
      if (close >= 0) {
        out += opts.span;
        i = close + n;
        continue;
      }
      out += ticks;
      i += n;
      continue;
    }
    out += line[i++];
  }
  return out;
}
