// A statement's identity across versions of a file: its text with layout
// removed. gofmt re-indents code when a block is wrapped or unwrapped and
// authors add trailing comments, neither of which makes it another statement.
import { stripComment } from '../advise/statement.js';

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
