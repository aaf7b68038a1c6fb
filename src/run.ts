// Orchestration: load -> rank -> escape -> advise. The CLI parses arguments
// and renders; this wires the stages together and does their I/O.
import path from 'node:path';
import { analyze, type BaselineInput, type HistoryInput } from './analyze.js';
import { readFileAtRev } from './git/show.js';
import { readdir, stat } from 'node:fs/promises';
import type { CpuCost, Report } from './model/report.js';
import { AdvisorError } from './errors.js';
import type { EscapeFinding, EscapeResult } from './escape/model.js';
import { findModule, moduleRelativePath, relativeInside, type ModuleInfo } from './escape/paths.js';
import { collectEscapes } from './escape/run.js';
import { readEscapeLogs } from './escape/log.js';
import { readFile } from 'node:fs/promises';
import { loadProfile, mergeProfiles, sourceName, type LoadLimits } from './profile/index.js';
import { cpuCost, heapSamplingWarning } from './cpu/index.js';
import { statementAt, type Normalize } from './diff/index.js';
import { changedScope } from './git/changed.js';
import type { Profile } from './profile/model.js';
import { rankProfile } from './rank/index.js';
import type { Ranking } from './rank/model.js';
import type { DiffOptions } from './diff/index.js';
import { openSourceTree, type SourceTree } from './source.js';
import { isGeneratedSource } from './syntax/generated.js';
import { loadGoParser, type GoFile, type GoParser } from './syntax/index.js';
import type { GoVersion } from './advise/rules.js';

export interface RunOptions {
  profiles: string[];
  src?: string;
  module?: string;
  escapeLogs: string[];
  noEscape: boolean;
  sampleIndex?: string;
  focus?: string;
  ignore?: string;
  hotCover: number;
  minShare: number;
  top: number;
  limits: Partial<LoadLimits>;
  cacheDir?: string;
  toolVersion: string;
  /** Reports progress (the CLI shows it only on a TTY). */
  progress: (msg: string) => void;
  goBinary?: string;
  /** --base: baseline profiles to compare against. */
  base: string[];
  normalize: Normalize | 'auto';
  /** --base-src DIR: a checkout of the baseline's code, to pair sites by statement. */
  baseSrc?: string;
  /** --base-rev REV: the baseline's code as git has it at REV in the --src repository. */
  baseRev?: string;
  /** --diff: rank the comparison by relative move (ratio) or by change in normalized value (subtract). */
  diffMode?: 'ratio' | 'subtract';
  /** --history: earlier profiles (files or directories), oldest first. */
  history?: string[];
  /** --changed REV: only findings on lines changed since REV. */
  changed?: string;
  /** --cpu: a CPU profile (file or URL) for the CPU cost of allocation. */
  cpu?: string;
  /** For URLs. */
  seconds?: number;
  timeoutMs?: number;
  onFetchProgress?: (source: string, received: number, total: number | null) => void;
}

export interface LoadedProfiles {
  profile: Profile;
  sources: string[];
}

function compileRegex(flag: string, re: string | undefined): RegExp | null {
  if (re === undefined || re === '') return null;
  try {
    return new RegExp(re);
  } catch (e) {
    throw new AdvisorError('usage', `${flag} ${JSON.stringify(re)} is not a valid regular expression: ${(e as Error).message}`);
  }
}

export interface FetchSettings {
  seconds?: number;
  timeoutMs?: number;
  onFetchProgress?: (source: string, received: number, total: number | null) => void;
}

export async function loadAll(
  sources: string[],
  limits: Partial<LoadLimits>,
  progress: (m: string) => void,
  fetch: FetchSettings = {},
): Promise<LoadedProfiles> {
  if (sources.length === 0) throw new AdvisorError('usage', 'no profile given; pass a heap profile file, a URL, or - for standard input');
  if (sources.filter((s) => s === '-').length > 1) throw new AdvisorError('usage', 'standard input (-) can be read only once');
  const profiles: Profile[] = [];
  for (const s of sources) {
    progress(`reading ${sourceName(s)}`);
    profiles.push(
      await loadProfile(s, {
        limits,
        seconds: fetch.seconds,
        timeoutMs: fetch.timeoutMs,
        onProgress: fetch.onFetchProgress ? (r, t) => fetch.onFetchProgress?.(sourceName(s), r, t) : undefined,
      }),
    );
  }
  const names = sources.map(sourceName);
  return { profile: mergeProfiles(profiles, names), sources: names };
}

export interface SourceContext {
  tree: SourceTree | null;
  module: ModuleInfo | null;
  /** Module path whose functions are the user's code. */
  modulePath: string | null;
  /** Profile file name -> path relative to --src, or null when outside. */
  mapPath: (profileFile: string) => string | null;
}

export function sourceContext(src: string | undefined, modulePath: string | undefined): SourceContext {
  if (!src) {
    return { tree: null, module: null, modulePath: modulePath ?? null, mapPath: () => null };
  }
  let tree: SourceTree;
  try {
    tree = openSourceTree(src);
  } catch {
    throw new AdvisorError('usage', `--src ${src}: no such directory`);
  }
  const mod = findModule(tree.root);
  const cache = new Map<string, string | null>();
  const mapPath = (profileFile: string): string | null => {
    if (cache.has(profileFile)) return cache.get(profileFile) ?? null;
    let rel: string | null = null;
    if (mod) {
      const modRel = moduleRelativePath(profileFile, { root: mod.root, path: modulePath ?? mod.path }, (r) =>
        tree.exists(relativeInside(tree.root, path.join(mod.root, r)) ?? '\0'),
      );
      rel = modRel === null ? null : relativeInside(tree.root, path.join(mod.root, modRel));
    } else {
      rel = suffixInside(tree, profileFile);
    }
    cache.set(profileFile, rel);
    return rel;
  };
  return { tree, module: mod, modulePath: modulePath ?? (mod?.path || null), mapPath };
}

// A file inside --src that advisor would not read (not Go source, too
// large) is named in the warnings with the reason, in place of the generic
// "source not readable".
function explainRefusals(warnings: string[], tree: SourceTree | null): void {
  if (!tree) return;
  for (let i = 0; i < warnings.length; i++) {
    const m = /^source not readable: (.*)$/s.exec(warnings[i]);
    const why = m ? tree.refusal(m[1]) : null;
    if (why) warnings[i] = `source not shown: ${m![1]}: ${why}`;
  }
}

// Without a go.mod, a profile path is matched to --src by its longest suffix
// that names an existing file.
function suffixInside(tree: SourceTree, file: string): string | null {
  const parts = file.replace(/\\/g, '/').split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    const rel = parts.slice(i).join('/');
    if (tree.exists(rel)) return rel;
  }
  return null;
}

/** Re-bases escape findings' paths from the module root to --src. */
function rebaseFindings(findings: EscapeFinding[], ctx: SourceContext): EscapeFinding[] {
  if (!ctx.tree) return findings;
  const root = ctx.tree.root;
  return findings.map((f) => ({ ...f, relFile: f.file ? relativeInside(root, f.file) : null }));
}

async function escapeFor(opts: RunOptions, ranking: Ranking, ctx: SourceContext): Promise<EscapeResult> {
  if (opts.escapeLogs.length > 0) {
    const texts = [];
    for (const name of opts.escapeLogs) {
      try {
        texts.push({ name, text: await readFile(name, 'utf8') });
      } catch (e) {
        throw new AdvisorError('escape analysis', `--escape-log ${name}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
    }
    const res = readEscapeLogs(texts, { srcDir: ctx.tree?.root });
    return { ...res, findings: rebaseFindings(res.findings, ctx) };
  }
  if (opts.noEscape || !ctx.tree) {
    return {
      source: 'none',
      goVersion: null,
      packages: [],
      findings: [],
      notes: [
        opts.noEscape
          ? 'escape analysis skipped (--no-escape)'
          : 'no escape analysis: pass --src DIR (the Go module the profile came from) or --escape-log FILE to join the compiler findings',
      ],
    };
  }
  // Only the packages of hot-enough sites are compiled.
  const files = hotFiles(ranking, ctx, opts);
  const res = await collectEscapes({
    srcDir: ctx.tree.root,
    files,
    cacheDir: opts.cacheDir,
    onProgress: opts.progress,
    goBinary: opts.goBinary,
  });
  return { ...res, findings: rebaseFindings(res.findings, ctx) };
}

/**
 * The profile file names worth compiling: the files of user-code sites that
 * can be hot or warm (they carry at least --min-share of either sample type),
 * plus their call sites. Cold code is not compiled, which is most of the
 * saving on a large module.
 */
export function hotFiles(ranking: Ranking, ctx: SourceContext, opts: Pick<RunOptions, 'minShare'>): string[] {
  const files = new Set<string>();
  const total = ranking.total || 1;
  const ctotal = ranking.companionTotal || 1;
  for (const s of ranking.sites) {
    if (!s.userCode) continue;
    if (Math.abs(s.flat) / total < opts.minShare && Math.abs(s.flatCompanion) / ctotal < opts.minShare) continue;
    if (ctx.mapPath(s.file) !== null) files.add(s.file);
    if (s.callSite && ctx.mapPath(s.callSite.file) !== null) files.add(s.callSite.file);
  }
  return [...files];
}

/** The Go language version of the code: the module's `go` line, else the toolchain's (`go1.26.8`). */
export function goLanguageVersion(goMod: string | null, toolchain: string | null): GoVersion | null {
  const m = (goMod !== null ? /^go\s+(\d+)\.(\d+)/m.exec(goMod) : null) ?? (toolchain !== null ? /go(\d+)\.(\d+)/.exec(toolchain) : null);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

/** Parses Go files under --src on demand (the parser is loaded once); null without a parser or source. */
function sourceParser(tree: SourceTree | null, parser: GoParser | null): (rel: string) => GoFile | null {
  return (rel) => {
    if (!tree || !parser || !rel.endsWith('.go')) return null;
    const lines = tree.read(rel);
    return lines ? parser.parse(lines.join('\n')) : null;
  };
}

/** Files a person can edit: a file under --src whose header says it is generated is not; without a go.mod, nothing outside --src is. */
function editableFile(ctx: SourceContext): ((profileFile: string) => boolean) | undefined {
  const tree = ctx.tree;
  if (!tree) return undefined;
  return (profileFile) => {
    const rel = ctx.mapPath(profileFile);
    // Without a go.mod there is no module path to tell the user's code from a
    // GOPATH dependency's: the user's code is what lies under --src.
    if (rel === null) return ctx.module !== null;
    const lines = tree.read(rel);
    return !(lines && isGeneratedSource(lines));
  };
}

export interface RunResult {
  report: Report;
  profile: Profile;
  ranking: Ranking;
  context: SourceContext;
}

export async function runAdvisor(opts: RunOptions): Promise<RunResult> {
  const focus = compileRegex('--focus', opts.focus);
  const ignore = compileRegex('--ignore', opts.ignore);
  const ctx = sourceContext(opts.src, opts.module);
  if (opts.changed !== undefined && !ctx.tree) {
    throw new AdvisorError('usage', '--changed needs --src: the git checkout whose changed lines to follow');
  }
  // Resolve git first: an unknown revision should fail before minutes of work.
  const scopeChanged = opts.changed !== undefined && ctx.tree ? await changedScope(ctx.tree.root, opts.changed) : null;
  const fetch = { seconds: opts.seconds, timeoutMs: opts.timeoutMs, onFetchProgress: opts.onFetchProgress };
  const { profile, sources } = await loadAll(opts.profiles, opts.limits, opts.progress, fetch);
  opts.progress('ranking allocation sites');
  const rankOpts = { sampleIndex: opts.sampleIndex, module: ctx.modulePath, focus, ignore, editable: editableFile(ctx) };
  const ranking = rankProfile(profile, { ...rankOpts, name: sources.length === 1 ? sources[0] : 'the merged profiles' });
  const escape = await escapeFor(opts, ranking, ctx);
  const scope: string[] = [];
  if (focus) scope.push(`--focus ${opts.focus}`);
  if (ignore) scope.push(`--ignore ${opts.ignore}`);
  if (sources.length > 1) scope.push(`${sources.length} profiles merged`);
  let base: BaselineInput | null = null;
  if (opts.base.length > 0) {
    opts.progress('reading the baseline');
    const loaded = await loadAll(opts.base, opts.limits, opts.progress, fetch);
    const baseRanking = rankProfile(loaded.profile, {
      ...rankOpts,
      // The baseline is read at the same sample type as the current profile.
      sampleIndex: ranking.choice.sampleType.type,
      name: loaded.sources.length === 1 ? loaded.sources[0] : 'the merged baseline profiles',
    });
    const baseSource = await baselineSource(opts, ctx, baseRanking);
    base = {
      ranking: baseRanking,
      durationNanos: loaded.profile.durationNanos,
      sources: loaded.sources,
      options: {
        normalize: opts.normalize,
        mode: opts.diffMode ?? 'ratio',
        pairing: baseSource.pairing,
        fileOf: (side, file) => (side === 'base' ? baseSource.mapPath(file) : ctx.mapPath(file)),
        statementOf: (side, site) => {
          if (side === 'base') {
            const rel = baseSource.mapPath(site.file);
            return rel ? statementAt(baseSource.read(rel), site.line) : null;
          }
          const rel = ctx.mapPath(site.file);
          return rel ? statementAt(ctx.tree?.read(rel) ?? null, site.line) : null;
        },
      },
    };
  } else if (opts.baseSrc !== undefined || opts.baseRev !== undefined) {
    throw new AdvisorError('usage', `${opts.baseSrc !== undefined ? '--base-src' : '--base-rev'} gives the baseline's source: it needs --base OLD.pb.gz`);
  }
  let history: HistoryInput | null = null;
  if (opts.history && opts.history.length > 0) {
    const files = await expandHistory(opts.history);
    const periods = [];
    for (const file of files) {
      opts.progress(`reading history ${sourceName(file)}`);
      const loaded = await loadAll([file], opts.limits, opts.progress, fetch);
      periods.push({
        ranking: rankProfile(loaded.profile, { ...rankOpts, sampleIndex: ranking.choice.sampleType.type, name: loaded.sources[0] }),
        durationNanos: loaded.profile.durationNanos,
        sources: loaded.sources,
      });
    }
    history = {
      periods,
      options: {
        normalize: opts.normalize,
        fileOf: (_side, file) => ctx.mapPath(file),
        statementOf: (side, site) => {
          const rel = side === 'current' ? ctx.mapPath(site.file) : null;
          return rel ? statementAt(ctx.tree?.read(rel) ?? null, site.line) : null;
        },
      },
    };
  }
  let cpu: CpuCost | null = null;
  let samplingWarning: string | null = null;
  if (opts.cpu) {
    opts.progress(`reading CPU profile ${sourceName(opts.cpu)}`);
    const cpuProfile = await loadProfile(opts.cpu, { limits: opts.limits, seconds: opts.seconds, timeoutMs: opts.timeoutMs });
    cpu = cpuCost(cpuProfile, sourceName(opts.cpu));
    samplingWarning = heapSamplingWarning(profile, cpuProfile, sourceName(opts.cpu));
  }
  opts.progress('joining');
  let parser: GoParser | null = null;
  const warnings: string[] = samplingWarning ? [samplingWarning] : [];
  if (ctx.tree) {
    try {
      parser = await loadGoParser();
    } catch (e) {
      warnings.push(`the Go parser could not be loaded (${(e as Error).message}); statements are not read from the source`);
    }
  }
  let goMod: string | null = null;
  try {
    goMod = ctx.module ? await readFile(ctx.module.goMod, 'utf8') : null;
  } catch {
    goMod = null;
  }
  const report = analyze({
    advice: {
      parseSource: sourceParser(ctx.tree, parser),
      modulePath: ctx.modulePath,
      goVersion: goLanguageVersion(goMod, escape.goVersion),
      warnings,
      sources,
      ranking,
      profileMeta: { durationNanos: profile.durationNanos, timeNanos: profile.timeNanos },
      escape,
      mapPath: ctx.mapPath,
      readSource: (rel) => ctx.tree?.read(rel) ?? null,
      options: { hotCover: opts.hotCover, minShare: opts.minShare, top: opts.top },
      toolVersion: opts.toolVersion,
      scope,
    },
    durationNanos: profile.durationNanos,
    base,
    cpu,
    history,
    changed: scopeChanged && opts.changed !== undefined ? { rev: opts.changed, baseCommit: scopeChanged.baseCommit, lines: scopeChanged.lines } : null,
  });
  explainRefusals(report.warnings, ctx.tree);
  return { report, profile, ranking, context: ctx };
}

interface BaselineSource {
  pairing: DiffOptions['pairing'];
  /** Baseline profile file name -> path relative to the baseline's source root. */
  mapPath: (profileFile: string) => string | null;
  read: (rel: string) => string[] | null;
}

/**
 * The baseline's source, to pair sites by statement across edits: a checkout
 * (--base-src), the --src repository at a revision (--base-rev: every file the
 * baseline names is read with git show up front), or nothing.
 */
async function baselineSource(opts: RunOptions, ctx: SourceContext, baseRanking: Ranking): Promise<BaselineSource> {
  if (opts.baseSrc !== undefined && opts.baseRev !== undefined) {
    throw new AdvisorError('usage', '--base-src and --base-rev both give the baseline\'s source: pass one');
  }
  if (opts.baseSrc !== undefined) {
    let bctx: SourceContext;
    try {
      bctx = sourceContext(opts.baseSrc, opts.module ?? ctx.modulePath ?? undefined);
    } catch {
      throw new AdvisorError('usage', `--base-src ${opts.baseSrc}: no such directory`);
    }
    return { pairing: { source: 'base-src', detail: opts.baseSrc }, mapPath: bctx.mapPath, read: (rel) => bctx.tree?.read(rel) ?? null };
  }
  if (opts.baseRev !== undefined) {
    if (!ctx.tree) throw new AdvisorError('usage', '--base-rev needs --src: the git checkout whose history holds the baseline\'s code');
    const files = new Map<string, string[] | null>();
    for (const site of baseRanking.sites) {
      const rel = ctx.mapPath(site.file);
      if (rel === null || files.has(rel)) continue;
      opts.progress(`reading ${rel} at ${opts.baseRev}`);
      files.set(rel, await readFileAtRev(ctx.tree.root, opts.baseRev, rel));
    }
    return { pairing: { source: 'base-rev', detail: opts.baseRev }, mapPath: ctx.mapPath, read: (rel) => files.get(rel) ?? null };
  }
  return { pairing: null, mapPath: ctx.mapPath, read: () => null };
}

const PROFILE_FILE = /\.(pb\.gz|pprof|prof|pb|gz)$/i;

/** --history arguments: files as given; a directory gives its profile files in name order (name them by date). */
async function expandHistory(items: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const item of items) {
    let isDir = false;
    try {
      isDir = !/^https?:\/\//.test(item) && (await stat(item)).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      out.push(item);
      continue;
    }
    const names = (await readdir(item)).filter((n) => PROFILE_FILE.test(n)).sort();
    if (names.length === 0) throw new AdvisorError('usage', `--history ${item}: the directory holds no profile (*.pb.gz, *.pprof, *.prof)`);
    out.push(...names.map((n) => path.join(item, n)));
  }
  return out;
}
