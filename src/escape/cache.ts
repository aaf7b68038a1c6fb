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
export const CACHE_FORMAT = 4;

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

/** On disk: the entry and the SHA-256 of its payload. */
interface StoredEntry extends CacheEntry {
  sha256: string;
}

/** The hash stored with an entry: of everything in it but the hash. */
export function payloadHash(e: CacheEntry): string {
  return sha256(JSON.stringify([e.format, e.key, e.importPath, e.dir, e.goVersion, e.findings]));
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrOrNull = (x: unknown): boolean => x === null || typeof x === 'string';
const isInt = (x: unknown): boolean => typeof x === 'number' && Number.isInteger(x);
const isIntOrNull = (x: unknown): boolean => x === null || isInt(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The shape of an EscapeFinding, checked field by field (a cached entry is read, not trusted). */
function isFinding(x: unknown): boolean {
  if (!isObj(x)) return false;
  if (!isStrOrNull(x.pkg) || !isStr(x.rawFile) || !isStrOrNull(x.file) || !isStrOrNull(x.relFile)) return false;
  if (!isInt(x.line) || !isIntOrNull(x.column) || !isStr(x.kind) || !isStr(x.subject) || !isStr(x.message) || !isInt(x.count)) return false;
  if (!Array.isArray(x.reasons) || !x.reasons.every(isStr)) return false;
  if (!isObj(x.detail) || !Object.values(x.detail).every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return false;
  if (!Array.isArray(x.flow) || !x.flow.every(isFlowStep)) return false;
  if (x.inlinedFrom !== undefined) {
    if (!Array.isArray(x.inlinedFrom)) return false;
    for (const p of x.inlinedFrom) if (!isObj(p) || !isStr(p.file) || !isStrOrNull(p.relFile) || !isInt(p.line) || !isInt(p.column)) return false;
  }
  return true;
}

function isFlowStep(x: unknown): boolean {
  if (!isObj(x) || !isStr(x.dst) || !isStr(x.src) || !Array.isArray(x.notes)) return false;
  return x.notes.every((n) => isObj(n) && isStr(n.expr) && isStr(n.reason) && isStrOrNull(n.file) && isInt(n.line) && isIntOrNull(n.column));
}

export class EscapeCache {
  readonly dir: string;
  constructor(baseDir: string) {
    this.dir = path.join(baseDir, 'escape');
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /**
   * The entry for `key`, or null when there is none or it cannot be
   * trusted: another format, another key, a payload whose hash is not the
   * one stored with it (a truncated or edited file), or a wrong shape. A
   * rejected entry costs a recompile, never a crash or a wrong report.
   */
  get(key: string): CacheEntry | null {
    try {
      const e = JSON.parse(readFileSync(this.file(key), 'utf8')) as StoredEntry;
      if (!e || typeof e !== 'object' || e.format !== CACHE_FORMAT || e.key !== key) return null;
      const entry: CacheEntry = { format: e.format, key: e.key, importPath: e.importPath, dir: e.dir, goVersion: e.goVersion, findings: e.findings };
      if (typeof e.sha256 !== 'string' || e.sha256 !== payloadHash(entry)) return null;
      if (typeof entry.importPath !== 'string' || typeof entry.dir !== 'string' || typeof entry.goVersion !== 'string') return null;
      if (!Array.isArray(entry.findings) || !entry.findings.every(isFinding)) return null;
      return entry;
    } catch {
      return null;
    }
  }

  /** Best effort: a cache that cannot be written only costs a recompile next time. */
  put(entry: CacheEntry): boolean {
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.file(entry.key)}.${process.pid}.tmp`;
      const stored: StoredEntry = { ...entry, sha256: payloadHash(entry) };
      writeFileSync(tmp, JSON.stringify(stored));
      renameSync(tmp, this.file(entry.key));
      return true;
    } catch {
      return false;
    }
  }
}
