// Orchestration: load -> rank -> escape -> advise. The CLI parses arguments
// and renders; this wires the stages together and does their I/O.
import path from 'node:path';
import { buildReport } from './advise/index.js';
import type { Report } from './model/report.js';
import { AdvisorError } from './errors.js';
import type { EscapeFinding, EscapeResult } from './escape/model.js';
import { findModule, moduleRelativePath, relativeInside, type ModuleInfo } from './escape/paths.js';
import { collectEscapes } from './escape/run.js';
import { readEscapeLogs } from './escape/log.js';
import { readFile } from 'node:fs/promises';
import { loadProfile, mergeProfiles, sourceName, type LoadLimits } from './profile/index.js';
import { cpuCost, cpuSavingEstimate } from './cpu/index.js';
import { diffRankings, filterByChanged, filterEntriesByChanged, statementAt, type Normalize } from './diff/index.js';
import { changedScope } from './git/changed.js';
import type { Profile } from './profile/model.js';
import { rankProfile } from './rank/index.js';
import type { Ranking } from './rank/model.js';
import { openSourceTree, type SourceTree } from './source.js';

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
 * The profile file names worth compiling: user-code sites that could be hot
 * (their share reaches --min-share), plus their call sites. Cold code is not
 * compiled, which is most of the saving on a large module.
 */
export function hotFiles(ranking: Ranking, ctx: SourceContext, opts: Pick<RunOptions, 'minShare' | 'hotCover'>): string[] {
  const files = new Set<string>();
  const total = ranking.total || 1;
  const ctotal = ranking.companionTotal || 1;
  let covered = 0;
  for (const s of ranking.sites) {
    const share = Math.abs(s.flat) / total;
    const cshare = Math.abs(s.flatCompanion) / ctotal;
    if (share < opts.minShare && cshare < opts.minShare) continue;
    if (s.userCode) {
      if (ctx.mapPath(s.file) !== null) files.add(s.file);
      if (s.callSite && ctx.mapPath(s.callSite.file) !== null) files.add(s.callSite.file);
    }
    covered += share;
    // A little past the hot cover, so findings just below the line still join.
    if (covered >= Math.min(1, opts.hotCover + 0.1) && files.size > 0) break;
  }
  return [...files];
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
  const rankOpts = { sampleIndex: opts.sampleIndex, module: ctx.modulePath, focus, ignore };
  const ranking = rankProfile(profile, { ...rankOpts, name: sources.length === 1 ? sources[0] : 'the merged profiles' });
  const escape = await escapeFor(opts, ranking, ctx);
  const scope: string[] = [];
  if (focus) scope.push(`--focus ${opts.focus}`);
  if (ignore) scope.push(`--ignore ${opts.ignore}`);
  if (sources.length > 1) scope.push(`${sources.length} profiles merged`);
  opts.progress('joining');
  const report = buildReport({
    sources,
    ranking,
    profileMeta: { durationNanos: profile.durationNanos, timeNanos: profile.timeNanos },
    escape,
    mapPath: ctx.mapPath,
    readSource: (rel) => ctx.tree?.read(rel) ?? null,
    options: { hotCover: opts.hotCover, minShare: opts.minShare, top: opts.top },
    toolVersion: opts.toolVersion,
    scope,
  });
  explainRefusals(report.warnings, ctx.tree);

  if (opts.base.length > 0) {
    opts.progress('reading the baseline');
    const base = await loadAll(opts.base, opts.limits, opts.progress, fetch);
    const baseRanking = rankProfile(base.profile, {
      ...rankOpts,
      // The baseline is read at the same sample type as the current profile.
      sampleIndex: ranking.choice.sampleType.type,
      name: base.sources.length === 1 ? base.sources[0] : 'the merged baseline profiles',
    });
    report.diff = diffRankings(
      { ranking, durationNanos: profile.durationNanos, sources },
      { ranking: baseRanking, durationNanos: base.profile.durationNanos, sources: base.sources },
      {
        normalize: opts.normalize,
        hotCover: opts.hotCover,
        minShare: opts.minShare,
        fileOf: (_side, file) => ctx.mapPath(file),
        // The baseline's source is not at hand (it is last week's code), so
        // only the current side gives statements; matching falls back to the
        // line's offset within its function for moved lines.
        statementOf: (side, site) => {
          if (side !== 'current') return null;
          const rel = ctx.mapPath(site.file);
          return rel ? statementAt(ctx.tree?.read(rel) ?? null, site.line) : null;
        },
      },
    );
    scope.push(`compared with ${base.sources.join(', ')}`);
  }

  if (opts.cpu) {
    opts.progress(`reading CPU profile ${sourceName(opts.cpu)}`);
    const cpuProfile = await loadProfile(opts.cpu, { limits: opts.limits, seconds: opts.seconds, timeoutMs: opts.timeoutMs });
    const cost = cpuCost(cpuProfile, sourceName(opts.cpu));
    report.cpu = cost;
    for (const f of report.findings) {
      f.estimate.cpuShare = cpuSavingEstimate(cost, f.share, f.objectsShare);
    }
  }

  if (scopeChanged) {
    const before = report.findings.length;
    report.findings = filterByChanged(report.findings, scopeChanged.lines);
    if (report.diff) report.diff.entries = filterEntriesByChanged(report.diff.entries, scopeChanged.lines);
    scope.push(
      `only lines changed since ${opts.changed} (${scopeChanged.baseCommit.slice(0, 12)}): ${report.findings.length} of ${before} findings`,
    );
  }
  report.scope = [...report.scope, ...scope.filter((x) => !report.scope.includes(x))];
  return { report, profile, ranking, context: ctx };
}
