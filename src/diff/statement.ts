// A statement's identity across versions of a file: its text with layout
// removed. gofmt re-indents code when a block is wrapped or unwrapped and
// authors add trailing comments, neither of which makes it another statement.

/**
 * Trim, collapse runs of whitespace to one space, and drop a trailing `//`
 * comment (one that is not inside a string or rune literal). Returns null for
 * a line with no code (blank, comment only, a lone brace), which identifies
 * nothing.
 */
export function normalizeStatement(text: string): string | null {
  const code = stripComment(text).replace(/\s+/g, ' ').trim();
  if (code === '' || /^[{}()\[\],;]+$/.test(code)) return null;
  return code;
}

/** The normalized statement at a 1-based line of a file's lines; null when out of range or empty. */
export function statementAt(lines: readonly string[] | null, line: number): string | null {
  if (!lines || line < 1 || line > lines.length) return null;
  return normalizeStatement(lines[line - 1]);
}

/** Remove a trailing `//` comment, respecting string and rune literals. */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote !== '`') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (ch === '/' && line[i + 1] === '/') return line.slice(0, i);
    else if (ch === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) return line.slice(0, i);
      line = line.slice(0, i) + ' '.repeat(end + 2 - i) + line.slice(end + 2);
      i = end + 1;
    }
  }
  return line;
}
