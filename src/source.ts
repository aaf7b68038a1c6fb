// Reading the user's source, contained to --src. A profile is untrusted: it can
// name /etc/passwd, ../../x, or a symlink that points outside the tree, and
// none of those may show up in a report. Every read resolves the real path and
// checks that it is inside the real --src before reading.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Largest source file read for snippets; bigger files are not Go source a person wrote. */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

export interface SourceTree {
  /** Real path of --src. */
  root: string;
  /** Lines of a file given relative to --src (forward slashes), or null if missing, unreadable or outside. */
  read(rel: string): string[] | null;
  /** True when the relative path names a regular file inside --src. */
  exists(rel: string): boolean;
}

export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export function openSourceTree(srcDir: string): SourceTree {
  const root = realpathSync(srcDir);
  const cache = new Map<string, string[] | null>();
  const resolveInside = (rel: string): string | null => {
    if (!rel || rel.includes('\0') || path.isAbsolute(rel)) return null;
    const joined = path.resolve(root, rel);
    if (!isInside(root, joined)) return null;
    let real: string;
    try {
      real = realpathSync(joined);
    } catch {
      return null;
    }
    if (!isInside(root, real)) return null;
    try {
      const st = statSync(real);
      if (!st.isFile() || st.size > MAX_SOURCE_BYTES) return null;
    } catch {
      return null;
    }
    return real;
  };
  return {
    root,
    exists: (rel) => resolveInside(rel) !== null,
    read(rel) {
      if (cache.has(rel)) return cache.get(rel) ?? null;
      const real = resolveInside(rel);
      let lines: string[] | null = null;
      if (real) {
        try {
          lines = readFileSync(real, 'utf8').split(/\r?\n/);
        } catch {
          lines = null;
        }
      }
      cache.set(rel, lines);
      return lines;
    },
  };
}

/**
 * Go's convention for generated files (https://go.dev/s/generatedcode): a line
 * `// Code generated … DO NOT EDIT.` before the package clause.
 */
export function isGeneratedSource(lines: string[]): boolean {
  for (const line of lines) {
    if (/^\/\/ Code generated .* DO NOT EDIT\.$/.test(line.replace(/\r$/, ''))) return true;
    if (/^package\s/.test(line)) return false;
  }
  return false;
}
