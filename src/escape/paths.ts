// Path handling for the escape stage: where a compiler-printed file really is,
// and how a profile's file name maps onto the module being analysed.
//
// Two traps drive this file (reference §1.4, §1.6):
// - cmd/go prints paths relative to the cwd of the build, and a build-cache
//   replay prints the paths of the *first* build, whatever today's cwd is. The
//   only stable anchor is the package directory.
// - Profiles name files the way the binary was built: an absolute path from
//   another checkout (/home/ci/src/repo/..., /app/...), a module path under
//   -trimpath (github.com/acme/svc/...), GOROOT, or the module cache.
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** Top-level directories of the standard library; a path segment after `/src/` in this set is GOROOT. */
const STD_TOP = new Set([
  'archive', 'bufio', 'builtin', 'bytes', 'cmd', 'cmp', 'compress', 'container', 'context', 'crypto',
  'database', 'debug', 'embed', 'encoding', 'errors', 'expvar', 'flag', 'fmt', 'go', 'hash', 'html',
  'image', 'index', 'internal', 'io', 'iter', 'log', 'maps', 'math', 'mime', 'net', 'os', 'path',
  'plugin', 'reflect', 'regexp', 'runtime', 'slices', 'sort', 'strconv', 'strings', 'structs', 'sync',
  'syscall', 'testing', 'text', 'time', 'unicode', 'unique', 'unsafe', 'vendor', 'weak',
]);

/** Windows drive (`C:\`, `c:/`) or UNC (`\\server`) path. */
export function isWindowsAbsolute(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

export function isAbsoluteAnywhere(p: string): boolean {
  return p.startsWith('/') || isWindowsAbsolute(p);
}

function toSlash(p: string): string {
  return p.replace(/\\/g, '/');
}

/** Forward-slash path of `file` relative to `root`, or null when outside it. */
export function relativeInside(root: string, file: string): string | null {
  const rel = path.relative(root, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return toSlash(rel);
}

/**
 * Module cache directories escape upper-case letters as `!` + lower case
 * (golang.org/x/mod/module EscapePath); undo that to compare module paths.
 */
function unescapeModulePath(p: string): string {
  return p.replace(/!([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function isVendored(rel: string): boolean {
  return rel === 'vendor' || rel.startsWith('vendor/');
}

/**
 * Maps a file name as written in a profile to a path relative to the module
 * root (forward slashes), or null when the file is not part of the module
 * (standard library, another module, vendored code).
 *
 * `exists(rel)` answers whether `rel` (module-relative) exists; it decides
 * between interpretations of absolute paths from another checkout.
 */
export function moduleRelativePath(
  profilePath: string,
  mod: { root: string; path: string },
  exists: (rel: string) => boolean,
): string | null {
  if (!profilePath) return null;
  let p = toSlash(profilePath.trim());
  if (p.startsWith('$GOROOT/') || p.startsWith('<')) return null;
  const modPath = mod.path.replace(/\/+$/, '');
  const root = toSlash(path.resolve(mod.root)).replace(/\/+$/, '');

  // Module cache, absolute (…/pkg/mod/x@v/…) or -trimpath (x@v/…): the module
  // is named before the `@version` segment.
  const at = moduleCacheSplit(p);
  if (at) {
    return modPath !== '' && at.module === modPath ? cleanRel(at.rest) : null;
  }

  const absolute = p.startsWith('/') || isWindowsAbsolute(p);
  if (!absolute) {
    p = p.replace(/^(\.\/)+/, '');
    if (modPath !== '' && p.startsWith(modPath + '/')) {
      const rel = cleanRel(p.slice(modPath.length + 1));
      return rel !== null && !isVendored(rel) ? rel : null;
    }
    if (p.startsWith('../')) return null;
    if (exists(p)) return isVendored(p) ? null : p;
    return null; // std under -trimpath (`bytes/buffer.go`) or another module.
  }

  // Same checkout.
  const lowerRoot = root.toLowerCase();
  const isWin = isWindowsAbsolute(p);
  if ((isWin ? p.toLowerCase() : p).startsWith((isWin ? lowerRoot : root) + '/')) {
    const rel = p.slice(root.length + 1);
    return isVendored(rel) ? null : rel;
  }
  if (looksLikeGoroot(p)) return null;

  // Another checkout: the longest suffix that exists under the module root.
  const segs = p.replace(/^[A-Za-z]:/, '').split('/').filter((s) => s !== '');
  for (let i = 0; i < segs.length; i++) {
    const rel = segs.slice(i).join('/');
    if (isVendored(rel)) return null;
    if (exists(rel)) return rel;
  }
  return null;
}

function cleanRel(rel: string): string | null {
  const r = path.posix.normalize(rel);
  if (r === '.' || r.startsWith('../')) return null;
  return r;
}

function moduleCacheSplit(p: string): { module: string; rest: string } | null {
  let tail = p;
  const idx = p.lastIndexOf('/pkg/mod/');
  if (idx >= 0) tail = p.slice(idx + '/pkg/mod/'.length);
  else if (p.startsWith('/') || isWindowsAbsolute(p)) return null;
  const segs = tail.split('/');
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const a = seg.indexOf('@');
    if (a > 0) {
      const module = unescapeModulePath([...segs.slice(0, i), seg.slice(0, a)].join('/'));
      return { module, rest: segs.slice(i + 1).join('/') };
    }
  }
  return null;
}

/**
 * GOROOT is recognised by `/src/<std top-level dir>/` after a directory that
 * looks like a Go installation (`/usr/local/go`, `/usr/lib/go-1.22`,
 * `~/sdk/go1.22.0`, Homebrew's `libexec`). A GOPATH checkout such as
 * `~/go/src/github.com/x/y` does not match, because `github.com` is not std.
 */
function looksLikeGoroot(p: string): boolean {
  const last = p.lastIndexOf('/src/');
  if (last < 0) return false;
  const first = p.slice(last + 5).split('/')[0];
  if (!STD_TOP.has(first)) return false;
  const base = p.slice(0, last).split('/').pop() ?? '';
  return /^(go|golang|goroot|go[0-9][\w.+-]*|go-[\w.+-]+|libexec)$/i.test(base);
}

/** Reads the module path from a go.mod file's `module` directive. */
export function readModulePath(goModText: string): string | null {
  for (const raw of goModText.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    const m = /^module\s+(.+)$/.exec(line);
    if (m) {
      let v = m[1].trim();
      if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith('`') && v.endsWith('`'))) v = v.slice(1, -1);
      return v;
    }
  }
  return null;
}

export interface ModuleInfo {
  /** Directory holding go.mod. */
  root: string;
  /** Module path from the `module` line ('' when go.mod has none). */
  path: string;
  goMod: string;
}

/** Walks up from `dir` to the nearest go.mod; null when there is none. */
export function findModule(dir: string): ModuleInfo | null {
  let cur = path.resolve(dir);
  for (;;) {
    const goMod = path.join(cur, 'go.mod');
    if (existsSync(goMod)) {
      let text = '';
      try {
        text = readFileSync(goMod, 'utf8');
      } catch {
        // Unreadable go.mod: keep the root, the module path stays unknown.
      }
      return { root: cur, path: readModulePath(text) ?? '', goMod };
    }
    const parent = path.dirname(cur);
    if (parent === cur) return null;
    cur = parent;
  }
}

export interface ResolveContext {
  /** Package directory of the package whose compile printed the path. */
  pkgDir?: string | null;
  cwd?: string;
  moduleRoot?: string;
  goroot?: string;
  exists?: (abs: string) => boolean;
}

function defaultExists(abs: string): boolean {
  try {
    return statSync(abs).isFile();
  } catch {
    return false;
  }
}

/**
 * Absolute path of a file the compiler printed, or null when it names no real
 * file (`<autogenerated>`, `<unknown line number>`).
 *
 * A relative name is tried, in order, as the basename inside the package
 * directory (cmd/go compiles only files of that directory, so this survives
 * stale cache replays), relative to the cwd, relative to the module root,
 * and relative to the package directory; the first that exists wins. When
 * none exists the package-directory interpretation is returned.
 */
export function resolvePrintedFile(raw: string, ctx: ResolveContext): string | null {
  if (raw === '' || raw.startsWith('<')) return null;
  if (raw.startsWith('$GOROOT/') || raw.startsWith('$GOROOT\\')) {
    return ctx.goroot ? path.join(ctx.goroot, raw.slice('$GOROOT/'.length)) : null;
  }
  if (isWindowsAbsolute(raw)) return raw.replace(/\//g, '\\');
  if (raw.startsWith('/')) return path.normalize(raw);
  if (raw.startsWith('$WORK')) return null;
  const exists = ctx.exists ?? defaultExists;
  const rel = toSlash(raw);
  const candidates: string[] = [];
  if (ctx.pkgDir) candidates.push(path.join(ctx.pkgDir, path.posix.basename(rel)));
  if (ctx.cwd) candidates.push(path.resolve(ctx.cwd, rel));
  if (ctx.moduleRoot) candidates.push(path.resolve(ctx.moduleRoot, rel));
  if (ctx.pkgDir) candidates.push(path.resolve(ctx.pkgDir, rel));
  for (const c of candidates) if (exists(c)) return c;
  return candidates[0] ?? null;
}
