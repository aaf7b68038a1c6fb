// On-disk cache of parsed escape results, one JSON file per package.
//
// The key covers everything that changes what the compiler prints for a
// package: toolchain and target, the flags, the package's own files, the
// module-local packages it imports (their exported escape tags and inline
// bodies feed into it), and go.mod/go.sum (which pin every other dependency).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import type { EscapeFinding } from './model.js';

/** Bump when the parser or the stored shape changes, so old entries are ignored. */
export const CACHE_FORMAT = 3;

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return path.join(base, 'advisor');
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Content hashes of files, memoised for one run. */
export class FileHasher {
  private readonly memo = new Map<string, string>();
  hash(file: string): string {
    let h = this.memo.get(file);
    if (h === undefined) {
      try {
        h = sha256(readFileSync(file));
      } catch {
        h = 'missing';
      }
      this.memo.set(file, h);
    }
    return h;
  }
}

export interface CacheEntry {
  format: number;
  key: string;
  importPath: string;
  dir: string;
  goVersion: string;
  findings: EscapeFinding[];
}

export class EscapeCache {
  readonly dir: string;
  constructor(baseDir: string) {
    this.dir = path.join(baseDir, 'escape');
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  get(key: string): CacheEntry | null {
    try {
      const e = JSON.parse(readFileSync(this.file(key), 'utf8')) as CacheEntry;
      if (e.format !== CACHE_FORMAT || e.key !== key || !Array.isArray(e.findings)) return null;
      return e;
    } catch {
      return null;
    }
  }

  /** Best effort: a cache that cannot be written only costs a recompile next time. */
  put(entry: CacheEntry): boolean {
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.file(entry.key)}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(entry));
      renameSync(tmp, this.file(entry.key));
      return true;
    } catch {
      return false;
    }
  }
}
