// Reading the user's source, contained to --src. A profile is untrusted: it can
// name /etc/passwd, ../../x, a symlink that points outside the tree, or a file
// inside --src that is no source at all (.git/config, where actions/checkout
// keeps the job's token; .env), and none of those may show up in a report.
// Every read resolves the real path, checks that it is inside the real --src,
// and reads only what a Go frame can name: a .go or .s file, not under a
// hidden directory (.git/, .ssh/, ...), of a sane size.
import { closeSync, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** Largest source file read for snippets; bigger files are not Go source a person wrote. */
export const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** File names whose content may be shown: Go source and Go assembly. */
const SOURCE_FILE = /\.(go|s)$/;

export interface SourceTree {
  /** Real path of --src. */
  root: string;
  /** Lines of a Go source file given relative to --src (forward slashes), or null if missing, unreadable, outside, or not Go source. */
  read(rel: string): string[] | null;
  /** True when the relative path names a regular file inside --src (of any kind: a name can be mapped without its content being read). */
  exists(rel: string): boolean;
  /** Why read(rel) returned null for a file that exists: "not a Go source file" or "larger than 4 MiB"; null otherwise. */
  refusal(rel: string): string | null;
}

export function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** True when a path (relative to --src) names a Go or assembly file outside any hidden directory or file. */
export function isGoSourcePath(rel: string): boolean {
  if (/[\\/]$/.test(rel)) return false;
  const parts = rel.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) return false;
  if (parts.some((p) => p.startsWith('.'))) return false;
  return SOURCE_FILE.test(parts[parts.length - 1]);
}

export function openSourceTree(srcDir: string): SourceTree {
  const root = realpathSync(srcDir);
  const cache = new Map<string, string[] | null>();
  const refused = new Map<string, string>();
  /** The real path of a regular file inside --src, or null. */
  const resolveInside = (rel: string): { real: string; size: number } | null => {
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
      if (!st.isFile()) return null;
      return { real, size: st.size };
    } catch {
      return null;
    }
  };
  const refuse = (rel: string, why: string): null => {
    refused.set(rel, why);
    return null;
  };
  const readLines = (rel: string): string[] | null => {
    const found = resolveInside(rel);
    if (!found) return null;
    // Both the name the profile gave and the file it leads to (through any
    // symbolic link) must be Go source: a.go -> ../.git/config is refused.
    if (!isGoSourcePath(path.relative(root, path.resolve(root, rel))) || !isGoSourcePath(path.relative(root, found.real))) {
      return refuse(rel, 'not a Go source file');
    }
    if (found.size > MAX_SOURCE_BYTES) return refuse(rel, 'larger than 4 MiB');
    let fd: number;
    try {
      fd = openSync(found.real, 'r');
    } catch {
      return null;
    }
    try {
      // Read at most the bound (plus one byte to notice a file that grew).
      const st = fstatSync(fd);
      if (!st.isFile()) return null;
      const buf = Buffer.alloc(Math.min(st.size, MAX_SOURCE_BYTES) + 1);
      let n = 0;
      while (n < buf.length) {
        const got = readSync(fd, buf, n, buf.length - n, n);
        if (got === 0) break;
        n += got;
      }
      if (n > MAX_SOURCE_BYTES) return refuse(rel, 'larger than 4 MiB');
      return buf.toString('utf8', 0, n).split(/\r?\n/);
    } catch {
      return null;
    } finally {
      closeSync(fd);
    }
  };
  return {
    root,
    exists: (rel) => resolveInside(rel) !== null,
    read(rel) {
      if (!cache.has(rel)) cache.set(rel, readLines(rel));
      return cache.get(rel) ?? null;
    },
    refusal: (rel) => refused.get(rel) ?? null,
  };
}
