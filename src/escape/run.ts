// Runs the Go compiler's escape analysis on the packages that hold hot
// allocation sites, and only those, then parses and caches the result.
//
// Choices that matter:
// - Per-package `-gcflags=<importpath>=-m=2 …` flags: a pattern applies only to
//   the package it names (several patterns can be given; the last matching
//   one wins for a package), so dependencies compile normally and print
//   nothing.
// - `go build -json` (Go 1.24+) frames the output per package and marks
//   failures with `build-fail`, so a package that does not compile is told
//   apart from compiler diagnostics without guessing.
// - GOPROXY=off and GOTOOLCHAIN=local: a missing dependency or toolchain is a
//   clear error now rather than a network download (or a hang) later.
// - A fresh `-json=0,<tmp>` directory forces a real compile (the go build cache
//   never replays it, reference §1.6) and yields inline chains.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, existsSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import * as path from 'node:path';
import { AdvisorError } from '../errors.js';
import { CACHE_FORMAT, EscapeCache, FileHasher, defaultCacheDir, sha256 } from './cache.js';
import { attachInlineChains, readInlineRecords } from './inline.js';
import type { EscapeFinding, EscapeResult, PackageStatus } from './model.js';
import { parseEscapeOutputDetailed } from './parse.js';
import { findModule, moduleRelativePath, relativeInside, type ModuleInfo } from './paths.js';
import { pushAll } from '../arrays.js';

export interface CollectOptions {
  /** Directory inside the Go module to analyse (`--src`). */
  srcDir: string;
  /** File names of hot sites as the profile writes them. */
  files: string[];
  /** Cache root; default `$XDG_CACHE_HOME/advisor` or `~/.cache/advisor`. */
  cacheDir?: string;
  /** Skip reading and writing the cache. */
  noCache?: boolean;
  onProgress?: (msg: string) => void;
  goBinary?: string;
  signal?: AbortSignal;
  /** Also run `-json=0` to learn where inlined allocations come from (default true). */
  inlineChains?: boolean;
}

// ---------------------------------------------------------------------------
// Temporary directories: removed in `finally`, on exit, and on SIGINT/SIGTERM.

const liveTempDirs = new Set<string>();
let exitHookInstalled = false;

/** Removes every temporary directory this module created and has not removed yet. */
export function cleanupTempDirs(): void {
  for (const d of liveTempDirs) {
    try {
      rmSync(d, { recursive: true, force: true });
    } catch {
      // Nothing more can be done at exit.
    }
    liveTempDirs.delete(d);
  }
}

function makeTempDir(): string {
  if (!exitHookInstalled) {
    process.once('exit', cleanupTempDirs);
    exitHookInstalled = true;
  }
  const d = mkdtempSync(path.join(tmpdir(), 'advisor-escape-'));
  liveTempDirs.add(d);
  return d;
}

function removeTempDir(d: string): void {
  try {
    rmSync(d, { recursive: true, force: true });
  } catch {
    // Left for the exit hook.
    return;
  }
  liveTempDirs.delete(d);
}

// ---------------------------------------------------------------------------
// Signals: while go runs (or a compile's temp directory exists), SIGINT and
// SIGTERM stop go and everything it started, wait for them to exit, remove
// the temp directories, and then re-raise the signal so advisor dies of it
// (exit status 130 for Ctrl-C) as it would without a handler.
//
// go runs in its own process group (detached) so that the whole group, go
// and the compile processes it started, can be signalled: a SIGINT sent to
// advisor's pid alone (a CI runner cancelling a job, `kill -INT`) would
// otherwise leave go compiling on as an orphan, writing into the -json
// directory just removed (and so re-creating it) and keeping its own work
// directory. Waiting for the group before removing anything closes that race.

const liveChildren = new Set<ChildProcess>();
/** Set once a signal arrived: no new go run starts, running ones are being stopped. */
let stopping = false;
let guards = 0;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
/** How long go gets to exit after the signal before it is killed outright. */
const STOP_GRACE_MS = 2000;

function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    if (process.platform === 'win32') child.kill(sig);
    else process.kill(-child.pid, sig);
  } catch {
    // Already gone.
  }
}

function onSignal(sig: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  const children = [...liveChildren];
  for (const c of children) signalGroup(c, sig);
  const kill = setTimeout(() => {
    for (const c of children) signalGroup(c, 'SIGKILL');
  }, STOP_GRACE_MS);
  const exits = children.map((c) =>
    c.pid === undefined || c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => c.once('exit', () => r())),
  );
  void Promise.all(exits).then(() => {
    clearTimeout(kill);
    cleanupTempDirs();
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    process.kill(process.pid, sig);
  });
}

/** Keeps the signal handlers installed until the returned function is called. */
function guardSignals(): () => void {
  if (guards++ === 0) for (const s of SIGNALS) process.on(s, onSignal);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // While stopping, the handler stays: it re-raises the signal itself.
    if (--guards === 0 && !stopping) for (const s of SIGNALS) process.removeListener(s, onSignal);
  };
}

/** Runs a compile with the signal handlers in place, so its temp directories are removed on Ctrl-C. */
function withSignalCleanup<T>(fn: () => Promise<T>): Promise<T> {
  const release = guardSignals();
  return fn().finally(release);
}

// ---------------------------------------------------------------------------
// Running go

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Spawn failure (ENOENT when go is not installed). */
  spawnError?: NodeJS.ErrnoException;
}

function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, GOPROXY: 'off', GOTOOLCHAIN: 'local', GO111MODULE: 'on', ...extra };
}

function runGo(goBin: string, args: string[], cwd: string, signal?: AbortSignal, extraEnv?: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted || stopping) {
      reject(new AdvisorError('escape analysis', 'cancelled'));
      return;
    }
    const release = guardSignals();
    // Its own process group, so a signal can reach go and its compilers together (see onSignal).
    const child = spawn(goBin, args, { cwd, env: goEnv(extraEnv), stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
    liveChildren.add(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let spawnError: NodeJS.ErrnoException | undefined;
    const onAbort = (): void => {
      signalGroup(child, 'SIGTERM');
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on('close', (code) => {
      liveChildren.delete(child);
      release();
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted || stopping) {
        reject(new AdvisorError('escape analysis', 'cancelled'));
        return;
      }
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        spawnError,
      });
    });
  });
}

function firstLines(s: string, n: number): string {
  const lines = s.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
  return lines.slice(0, n).join('\n') + (lines.length > n ? `\n… (${lines.length - n} more lines)` : '');
}

/** Splits a stream of concatenated (pretty-printed) JSON objects, as `go list -json` writes them. */
export function splitJsonObjects(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(JSON.parse(text.slice(start, i + 1)));
        start = -1;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Package discovery

interface ListedPackage {
  Dir?: string;
  ImportPath: string;
  Name?: string;
  Standard?: boolean;
  GoFiles?: string[];
  CgoFiles?: string[];
  CFiles?: string[];
  CXXFiles?: string[];
  HFiles?: string[];
  SFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  IgnoredGoFiles?: string[];
  Deps?: string[];
  Module?: { Path?: string; Main?: boolean; Version?: string; Dir?: string; GoMod?: string };
  Error?: { Err?: string };
  DepsErrors?: { Err?: string }[];
}

interface HotPackage {
  pkg: ListedPackage;
  dir: string;
  mode: 'build' | 'test';
}

const LIST_FIELDS =
  'Dir,ImportPath,Name,Standard,GoFiles,CgoFiles,CFiles,CXXFiles,HFiles,SFiles,TestGoFiles,XTestGoFiles,IgnoredGoFiles,Deps,Module,Error,DepsErrors';

const MISSING_DEPS_RE =
  /module lookup disabled by GOPROXY=off|missing go\.sum entry|no required module provides package|cannot find module providing package|updates to go\.mod needed/;

function missingDepsMessage(root: string, detail: string): string {
  return (
    `module dependencies are not in the module cache; run \`go mod download\` in ${root} and try again ` +
    `(escape analysis never downloads: it runs go with GOPROXY=off). go said: ${firstLines(detail, 1)}`
  );
}

function versionAtLeast(goVersion: string, major: number, minor: number): boolean {
  const m = /go(\d+)\.(\d+)/.exec(goVersion);
  if (!m) return true; // devel toolchains: assume new
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a > major || (a === major && b >= minor);
}

// ---------------------------------------------------------------------------
// Main entry: the module and its toolchain, the hot packages, the cache, the
// compile of what the cache does not hold, and the result in package order.

export async function collectEscapes(opts: CollectOptions): Promise<EscapeResult> {
  const goBin = opts.goBinary ?? 'go';
  const progress = opts.onProgress ?? ((): void => {});
  const srcDir = path.resolve(opts.srcDir);
  let st;
  try {
    st = statSync(srcDir);
  } catch {
    throw new AdvisorError('escape analysis', `source directory ${opts.srcDir} does not exist`);
  }
  if (!st.isDirectory()) throw new AdvisorError('escape analysis', `source path ${opts.srcDir} is not a directory`);
  const mod = findModule(srcDir);
  if (!mod) return withSignalCleanup(() => collectLooseEscapes(opts, srcDir, goBin, progress));

  const toolchain = await goToolchainEnv(goBin, mod, opts.signal);
  if (toolchain.skipped) return toolchain.skipped;
  const env = toolchain.env;
  const goVersion = env.GOVERSION || null;
  const notes: string[] = [];
  const result: EscapeResult = { source: 'compiler', goVersion, packages: [], findings: [], notes };

  const { hot, byPath, pkgDirs } = await hotPackages(opts.files, mod, env, goBin, notes, progress, opts.signal);
  if (hot.length === 0) return result;

  const inline = opts.inlineChains !== false;
  const flags = ['-m=2'];
  if (goVersion && versionAtLeast(goVersion, 1, 22)) flags.push('-d=loopvar=2');
  const cache = opts.noCache ? null : new EscapeCache(opts.cacheDir ?? defaultCacheDir());
  const { statuses, found, toCompile } = fromCacheOrPlanned(hot, mod, env, flags, inline, byPath, cache, notes, progress);

  if (toCompile.length > 0) {
    const compile = { goBin, goVersion, mod, flags, inline, pkgDirs, goroot: env.GOROOT, signal: opts.signal };
    await withSignalCleanup(() => compileMisses(toCompile, compile, cache, statuses, found, notes, progress));
  }

  for (const h of hot) {
    const ip = h.pkg.ImportPath;
    result.packages.push(statuses.get(ip)!);
    pushAll(result.findings, found.get(ip) ?? []);
  }
  const failed = result.packages.filter((p) => p.status === 'failed');
  if (failed.length > 0) {
    notes.push(
      `${failed.length} of ${result.packages.length} hot package${result.packages.length === 1 ? '' : 's'} did not compile (${failed.map((p) => p.importPath).join(', ')}); their sites have no escape information`,
    );
  }
  return result;
}

/** `go env` for the module: the toolchain's version and settings, or the reason escape analysis is skipped (no Go). */
async function goToolchainEnv(goBin: string, mod: ModuleInfo, signal?: AbortSignal): Promise<{ env: Record<string, string>; skipped: null } | { env: null; skipped: EscapeResult }> {
  const envRun = await runGo(goBin, ['env', '-json', 'GOVERSION', 'GOROOT', 'GOOS', 'GOARCH', 'GOFLAGS', 'GOEXPERIMENT', 'CGO_ENABLED'], mod.root, signal);
  if (envRun.spawnError) {
    const why = envRun.spawnError.code === 'ENOENT' ? `the Go toolchain (\`${goBin}\`) was not found` : `could not run \`${goBin}\` (${envRun.spawnError.code ?? envRun.spawnError.message})`;
    return {
      env: null,
      skipped: {
        source: 'none',
        goVersion: null,
        packages: [],
        findings: [],
        notes: [`${why}, so escape analysis was skipped. Install Go, or pass --escape-log with saved \`go build -gcflags=-m=2\` output.`],
      },
    };
  }
  if (envRun.code !== 0) {
    throw new AdvisorError('escape analysis', `\`go env\` failed in ${mod.root}: ${firstLines(envRun.stderr, 2)}`);
  }
  return { env: JSON.parse(envRun.stdout) as Record<string, string>, skipped: null };
}

/**
 * The packages that hold the hot files (build mode, or test mode when a hot
 * file is a _test.go file), from `go list` on the hot directories only; a hot
 * file no package claims gets a note saying why.
 */
async function hotPackages(
  files: string[],
  mod: ModuleInfo,
  env: Record<string, string>,
  goBin: string,
  notes: string[],
  progress: (m: string) => void,
  signal?: AbortSignal,
): Promise<{ hot: HotPackage[]; byPath: Map<string, ListedPackage>; pkgDirs: Map<string, string> }> {
  const byPath = new Map<string, ListedPackage>();
  const pkgDirs = new Map<string, string>();
  // Hot files -> directories inside the module.
  const existsMemo = new Map<string, boolean>();
  const existsRel = (rel: string): boolean => {
    let v = existsMemo.get(rel);
    if (v === undefined) {
      v = existsSync(path.join(mod.root, rel));
      existsMemo.set(rel, v);
    }
    return v;
  };
  const hotDirs = new Map<string, Set<string>>();
  for (const f of new Set(files)) {
    const rel = moduleRelativePath(f, { root: mod.root, path: mod.path }, existsRel);
    if (rel === null || !rel.endsWith('.go')) continue;
    const abs = path.join(mod.root, rel);
    const d = path.dirname(abs);
    let s = hotDirs.get(d);
    if (!s) hotDirs.set(d, (s = new Set()));
    s.add(path.basename(abs));
  }
  if (hotDirs.size === 0) {
    notes.push(`no hot allocation site is in module ${mod.path || mod.root}; nothing was compiled`);
    return { hot: [], byPath, pkgDirs };
  }

  // Only the hot directories, plus their dependencies (for the cache key).
  const patterns = [...hotDirs.keys()].map((d) => {
    const r = path.relative(mod.root, d).split(path.sep).join('/');
    return r === '' ? '.' : `./${r}`;
  });
  progress(`go list: the packages of ${patterns.length} hot director${patterns.length === 1 ? 'y' : 'ies'} and their imports`);
  const list = await runGo(goBin, ['list', '-deps', '-e', `-json=${LIST_FIELDS}`, ...patterns], mod.root, signal);
  if (list.code !== 0) {
    const msg = MISSING_DEPS_RE.test(list.stderr) ? missingDepsMessage(mod.root, list.stderr) : `\`go list\` failed in ${mod.root}: ${firstLines(list.stderr, 3)}`;
    throw new AdvisorError('escape analysis', msg);
  }
  const listed = splitJsonObjects(list.stdout) as ListedPackage[];
  for (const p of listed) {
    byPath.set(p.ImportPath, p);
    if (p.Dir && !p.Standard) pkgDirs.set(p.ImportPath, p.Dir);
  }

  const hot: HotPackage[] = [];
  const claimed = new Set<string>();
  for (const p of listed) {
    if (p.Standard || !p.Dir) continue;
    const want = hotDirs.get(path.resolve(p.Dir));
    if (!want) continue;
    const plain = [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])];
    const tests = [...(p.TestGoFiles ?? []), ...(p.XTestGoFiles ?? [])];
    const hitPlain = plain.filter((f) => want.has(f));
    const hitTest = tests.filter((f) => want.has(f));
    if (hitPlain.length + hitTest.length === 0) continue;
    for (const f of [...hitPlain, ...hitTest]) claimed.add(path.join(p.Dir, f));
    hot.push({ pkg: p, dir: p.Dir, mode: hitTest.length > 0 ? 'test' : 'build' });
  }
  for (const [d, names] of hotDirs) {
    for (const n of names) {
      if (claimed.has(path.join(d, n))) continue;
      const owner = listed.find((p) => p.Dir && path.resolve(p.Dir) === d);
      const rel = path.relative(mod.root, path.join(d, n)).split(path.sep).join('/');
      if (owner?.IgnoredGoFiles?.includes(n)) {
        notes.push(`${rel} is excluded by build constraints for ${env.GOOS}/${env.GOARCH}; its escapes were not analysed`);
      } else {
        notes.push(`${rel} is not part of any package in module ${mod.path || mod.root}; its escapes were not analysed`);
      }
    }
  }
  hot.sort((a, b) => (a.pkg.ImportPath < b.pkg.ImportPath ? -1 : a.pkg.ImportPath > b.pkg.ImportPath ? 1 : 0));
  return { hot, byPath, pkgDirs };
}

/**
 * What the cache holds, what may not be compiled (a symbolic link out of the
 * module, dependencies not in the module cache), and what is left to compile.
 */
function fromCacheOrPlanned(
  hot: HotPackage[],
  mod: ModuleInfo,
  env: Record<string, string>,
  flags: string[],
  inline: boolean,
  byPath: Map<string, ListedPackage>,
  cache: EscapeCache | null,
  notes: string[],
  progress: (m: string) => void,
): { statuses: Map<string, PackageStatus>; found: Map<string, EscapeFinding[]>; toCompile: { h: HotPackage; key: string }[] } {
  const hasher = new FileHasher();
  const statuses = new Map<string, PackageStatus>();
  const found = new Map<string, EscapeFinding[]>();
  const misses: { h: HotPackage; key: string }[] = [];
  // Containment: go follows symbolic links, so a .go file (or a package
  // directory) inside the module that links outside it would be compiled from
  // there, and the compiler's messages quote what they parse (a syntax error
  // names the first token), carrying that file's content into the report. A
  // package that would read such a file is not compiled.
  const realRoot = realpathOrSelf(mod.root);
  for (const h of hot) {
    const outside = fileOutsideModule(h, byPath, mod.root, realRoot);
    if (outside === null) continue;
    statuses.set(h.pkg.ImportPath, {
      importPath: h.pkg.ImportPath,
      dir: h.dir,
      status: 'failed',
      error: `not compiled: ${outside} is a symbolic link to a file outside the module, and advisor compiles only files inside it`,
    });
  }

  for (const h of hot) {
    if (statuses.has(h.pkg.ImportPath)) continue;
    const key = cacheKey(h, mod, env, flags, inline, byPath, hasher);
    const hit = cache?.get(key);
    if (hit) {
      statuses.set(h.pkg.ImportPath, { importPath: h.pkg.ImportPath, dir: h.dir, status: 'cached' });
      found.set(h.pkg.ImportPath, hit.findings);
    } else misses.push({ h, key });
  }
  if (statuses.size > 0) progress(`escape analysis: ${statuses.size} package${statuses.size === 1 ? '' : 's'} from cache`);

  // Dependencies that cannot be loaded would fail the build: say so plainly, skip the compile.
  const toCompile: typeof misses = [];
  for (const m of misses) {
    const depErr = (m.h.pkg.DepsErrors ?? []).map((e) => e.Err ?? '').find((e) => MISSING_DEPS_RE.test(e));
    if (depErr) {
      const msg = missingDepsMessage(mod.root, depErr);
      statuses.set(m.h.pkg.ImportPath, { importPath: m.h.pkg.ImportPath, dir: m.h.dir, status: 'failed', error: msg });
      if (!notes.includes(msg)) notes.push(msg);
    } else toCompile.push(m);
  }
  return { statuses, found, toCompile };
}

/** Compiles the packages the cache did not hold, build mode then test mode, and caches what compiled. */
async function compileMisses(
  toCompile: { h: HotPackage; key: string }[],
  c: Omit<CompileArgs, 'mode' | 'group' | 'goVersion'> & { goVersion: string | null },
  cache: EscapeCache | null,
  statuses: Map<string, PackageStatus>,
  found: Map<string, EscapeFinding[]>,
  notes: string[],
  progress: (m: string) => void,
): Promise<void> {
  for (const mode of ['build', 'test'] as const) {
    const group = toCompile.filter((m) => m.h.mode === mode);
    if (group.length === 0) continue;
    const names = group.map((m) => m.h.pkg.ImportPath);
    // The last element of each import path, so the line fits a terminal.
    const shortNames = names.map((n) => n.slice(n.lastIndexOf('/') + 1)).join(', ');
    const what = `${names.length} package${names.length === 1 ? '' : 's'}${mode === 'test' ? ' with their tests' : ''}`;
    progress(`compiling ${what}: ${shortNames} (go build -gcflags=-m=2)`);
    const t0 = performance.now();
    const out = await compileGroup({ ...c, goVersion: c.goVersion ?? '', mode, group: group.map((g) => g.h) });
    const secs = ((performance.now() - t0) / 1000).toFixed(1);
    progress(`compiled ${what}: ${shortNames} (${secs}s)`);
    for (const n of out.notes) if (!notes.includes(n)) notes.push(n);
    for (const m of group) {
      const ip = m.h.pkg.ImportPath;
      const s = out.statuses.get(ip)!;
      statuses.set(ip, s);
      const fs = out.findings.get(ip) ?? [];
      found.set(ip, fs);
      if (s.status === 'compiled' && cache) {
        cache.put({ format: CACHE_FORMAT, key: m.key, importPath: ip, dir: m.h.dir, goVersion: c.goVersion ?? '', findings: fs });
      }
    }
  }
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * The first source file (module-relative) that the compile of `h` would read
 * from outside the module through a symbolic link: the package's own files,
 * then those of the main-module packages it imports. Null when there is none.
 * Files of other modules (the module cache, a `replace` to a directory) are
 * outside by design and not checked.
 */
function fileOutsideModule(h: HotPackage, byPath: Map<string, ListedPackage>, root: string, realRoot: string): string | null {
  const pkgs: ListedPackage[] = [h.pkg];
  for (const d of h.pkg.Deps ?? []) {
    const p = byPath.get(d);
    if (p && !p.Standard && p.Dir && p.Module?.Main === true) pkgs.push(p);
  }
  for (const p of pkgs) {
    if (!p.Dir) continue;
    const names = [...(p.GoFiles ?? []), ...(p.CgoFiles ?? []), ...(p.CFiles ?? []), ...(p.CXXFiles ?? []), ...(p.HFiles ?? []), ...(p.SFiles ?? [])];
    if (p === h.pkg && h.mode === 'test') pushAll(names, [...(p.TestGoFiles ?? []), ...(p.XTestGoFiles ?? [])]);
    for (const n of names) {
      const file = path.join(p.Dir, n);
      let real: string;
      try {
        real = realpathSync(file);
      } catch {
        continue; // missing or unreadable: go reports that itself, with no content
      }
      if (relativeInside(realRoot, real) === null) return relativeInside(root, file) ?? file;
    }
  }
  return null;
}

function cacheKey(
  h: HotPackage,
  mod: ModuleInfo,
  env: Record<string, string>,
  flags: string[],
  inline: boolean,
  byPath: Map<string, ListedPackage>,
  hasher: FileHasher,
): string {
  const files = (p: ListedPackage, withTests: boolean): [string, string][] => {
    const names = [...(p.GoFiles ?? []), ...(p.CgoFiles ?? [])];
    if (withTests) pushAll(names, [...(p.TestGoFiles ?? []), ...(p.XTestGoFiles ?? [])]);
    return names.sort().map((n) => [n, hasher.hash(path.join(p.Dir ?? '', n))]);
  };
  const deps: [string, [string, string][]][] = [];
  for (const d of h.pkg.Deps ?? []) {
    const p = byPath.get(d);
    if (!p || p.Standard || !p.Dir) continue;
    // Module-cache dependencies are pinned by go.sum; local ones (the main
    // module, or a `replace` to a directory) can change under us.
    const local = p.Module?.Main === true || (p.Module !== undefined && !p.Module.Version);
    if (local) deps.push([d, files(p, false)]);
  }
  const goSum = path.join(mod.root, 'go.sum');
  return sha256(
    JSON.stringify({
      format: CACHE_FORMAT,
      go: [env.GOVERSION, env.GOOS, env.GOARCH, env.GOFLAGS, env.GOEXPERIMENT, env.CGO_ENABLED],
      flags,
      inline,
      mode: h.mode,
      importPath: h.pkg.ImportPath,
      dir: h.dir,
      root: mod.root,
      files: files(h.pkg, h.mode === 'test'),
      deps,
      goMod: hasher.hash(mod.goMod),
      goSum: hasher.hash(goSum),
    }),
  );
}

interface CompileArgs {
  goBin: string;
  goVersion: string;
  mode: 'build' | 'test';
  group: HotPackage[];
  mod: ModuleInfo;
  flags: string[];
  inline: boolean;
  pkgDirs: Map<string, string>;
  goroot: string | undefined;
  signal?: AbortSignal;
}

/** `-json=0,<dir>` wants an absolute path (or a file:// URI); quote it for -gcflags' own splitting. */
function jsonFlag(dir: string): string {
  const v = process.platform === 'win32' ? `file:///${dir.replace(/\\/g, '/')}` : dir;
  const arg = `-json=0,${v}`;
  return /[\s'"]/.test(arg) ? `'${arg.replace(/'/g, '')}'` : arg;
}

async function compileGroup(a: CompileArgs): Promise<{
  statuses: Map<string, PackageStatus>;
  findings: Map<string, EscapeFinding[]>;
  notes: string[];
}> {
  // One temp directory holds the -json=0 output and go's own work directory
  // (GOTMPDIR): go killed by a signal leaves its go-build* directory behind,
  // and inside this one it is removed with the rest.
  const tmpRoot = makeTempDir();
  const tmp = a.inline ? path.join(tmpRoot, 'json') : null;
  const goTmp = path.join(tmpRoot, 'go');
  try {
    mkdirSync(goTmp);
    if (tmp) mkdirSync(tmp);
    const flagText = [...a.flags, ...(tmp ? [jsonFlag(tmp)] : [])].join(' ');
    const useJson = versionAtLeast(a.goVersion, 1, 24);
    const args = a.mode === 'build' ? ['build'] : ['test', '-c', '-vet=off'];
    if (useJson) args.push('-json');
    args.push('-o', devNull);
    for (const h of a.group) args.push(`-gcflags=${h.pkg.ImportPath}=${flagText}`);
    pushAll(args, a.group.map((h) => h.pkg.ImportPath));
    const run = await runGo(a.goBin, args, a.mod.root, a.signal, { GOTMPDIR: goTmp });
    if (run.spawnError) throw new AdvisorError('escape analysis', `could not run ${a.goBin}: ${run.spawnError.message}`);

    // Without -json (Go < 1.24) the diagnostics are on stderr, framed by `# pkg` headers.
    const parsed = parseEscapeOutputDetailed(useJson ? run.stdout : run.stderr, {
      pkgDirs: a.pkgDirs,
      moduleRoot: a.mod.root,
      modulePath: a.mod.path,
      cwd: a.mod.root,
      goroot: a.goroot,
    });
    const owner = (pkg: string | null): string | null => {
      if (pkg === null) return null;
      for (const h of a.group) {
        const ip = h.pkg.ImportPath;
        if (pkg === ip || pkg === `${ip}_test`) return ip;
      }
      return null;
    };
    const findings = new Map<string, EscapeFinding[]>();
    for (const f of parsed.findings) {
      const o = owner(f.pkg);
      if (o === null) continue; // generated test main, stray lines
      let arr = findings.get(o);
      if (!arr) findings.set(o, (arr = []));
      arr.push(f);
    }
    if (tmp) {
      const records = readInlineRecords(tmp);
      attachInlineChains(parsed.findings, records, a.mod.root);
    }

    const failedErrors = new Map<string, string[]>();
    const seen = new Set<string>();
    const otherErrors: string[] = [];
    for (const p of parsed.packages) {
      const o = owner(p.importPath);
      if (o !== null) seen.add(o);
      if (!p.failed && p.errors.length === 0) continue;
      if (o !== null) {
        if (p.failed) {
          const e = failedErrors.get(o) ?? [];
          pushAll(e, p.errors);
          failedErrors.set(o, e);
        }
      } else if (p.failed || p.errors.length > 0) {
        pushAll(otherErrors, p.errors);
      }
    }
    if (useJson && run.stderr.trim() !== '') pushAll(otherErrors, run.stderr.split('\n').filter((l) => l.trim() !== ''));
    const otherText = otherErrors.join('\n');
    const notes: string[] = [];
    const statuses = new Map<string, PackageStatus>();
    for (const h of a.group) {
      const ip = h.pkg.ImportPath;
      const errs = failedErrors.get(ip);
      if (errs) {
        const text = errs.join('\n');
        const msg = MISSING_DEPS_RE.test(text) ? missingDepsMessage(a.mod.root, text) : firstLines(text, 20) || 'build failed';
        statuses.set(ip, { importPath: ip, dir: h.dir, status: 'failed', error: msg });
      } else if (run.code !== 0 && !seen.has(ip)) {
        // Never compiled: something it depends on failed first.
        const failedHot = [...failedErrors.keys()].filter((k) => k !== ip);
        const why = otherText !== '' ? firstLines(otherText, 20) : `a package it may depend on failed to build (${failedHot.join(', ') || 'unknown'})`;
        const msg = MISSING_DEPS_RE.test(otherText) ? missingDepsMessage(a.mod.root, otherText) : `not compiled: ${why}`;
        statuses.set(ip, { importPath: ip, dir: h.dir, status: 'failed', error: msg });
        if (MISSING_DEPS_RE.test(otherText) && !notes.includes(msg)) notes.push(msg);
      } else {
        statuses.set(ip, { importPath: ip, dir: h.dir, status: 'compiled' });
      }
    }
    return { statuses, findings, notes };
  } finally {
    removeTempDir(tmpRoot);
  }
}

// ---------------------------------------------------------------------------
// Code outside any module (`go build main.go`, a GOPATH-era program)

/** The hot files' directories under srcDir, from the profile's file names, by their longest suffix that names a file there. */
function looseHotDirs(srcDir: string, files: string[]): Map<string, Set<string>> {
  const dirs = new Map<string, Set<string>>();
  for (const f of new Set(files)) {
    const parts = f.replace(/\\/g, '/').split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const abs = path.join(srcDir, ...parts.slice(i));
      if (!abs.endsWith('.go') || !existsSync(abs) || !abs.startsWith(srcDir + path.sep)) continue;
      let set = dirs.get(path.dirname(abs));
      if (!set) dirs.set(path.dirname(abs), (set = new Set()));
      set.add(path.basename(abs));
      break;
    }
  }
  return dirs;
}

/**
 * Without a go.mod, each hot directory's non-test .go files are compiled on
 * their own (`go build -gcflags=-m=2 a.go b.go`, the command-line-arguments
 * package), which works for programs that import only the standard library.
 * A directory that does not build that way is reported, and the report goes
 * on without its escapes. Nothing is cached: there is no module to key on.
 */
async function collectLooseEscapes(opts: CollectOptions, srcDir: string, goBin: string, progress: (m: string) => void): Promise<EscapeResult> {
  const versionRun = await runGo(goBin, ['env', 'GOVERSION'], srcDir, opts.signal, { GO111MODULE: 'on' });
  if (versionRun.spawnError) {
    const why = versionRun.spawnError.code === 'ENOENT' ? `the Go toolchain (\`${goBin}\`) was not found` : `could not run \`${goBin}\``;
    return { source: 'none', goVersion: null, packages: [], findings: [], notes: [`${why}, so escape analysis was skipped.`] };
  }
  const goVersion = versionRun.stdout.trim() || null;
  const notes = [`${opts.srcDir} is not inside a Go module (no go.mod): each hot directory's files were compiled on their own, which works when they import only the standard library; results are not cached`];
  const result: EscapeResult = { source: 'compiler', goVersion, packages: [], findings: [], notes };
  const flags = ['-m=2'];
  if (goVersion && versionAtLeast(goVersion, 1, 22)) flags.push('-d=loopvar=2');
  for (const dir of [...looseHotDirs(srcDir, opts.files).keys()].sort()) {
    const rel = path.relative(srcDir, dir).split(path.sep).join('/') || '.';
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.go') && !n.endsWith('_test.go')).sort();
    } catch {
      continue;
    }
    progress(`compiling ${rel} (${names.length} file${names.length === 1 ? '' : 's'}, no go.mod)`);
    const importPath = `command-line-arguments (${rel})`;
    const run = await runGo(goBin, ['build', '-o', devNull, `-gcflags=${flags.join(' ')}`, ...names], dir, opts.signal, { GO111MODULE: 'on', GOFLAGS: '-mod=mod' });
    const parsed = parseEscapeOutputDetailed(run.stderr, { moduleRoot: srcDir, cwd: dir });
    if (run.code !== 0) {
      const errors = parsed.packages.flatMap((p) => p.errors);
      result.packages.push({ importPath, dir, status: 'failed', error: `does not compile on its own: ${firstLines(errors.join('\n') || run.stderr, 2)}` });
      continue;
    }
    result.packages.push({ importPath, dir, status: 'compiled' });
    result.findings.push(...parsed.findings);
  }
  return result;
}
