// The advice engine: joins the ranked allocation sites with the compiler's
// escape findings and the parsed source, picks a rule for the largest part of
// each site, puts each site in a tier (hot, warm, cold), estimates savings,
// and lists the cold escapes to leave alone. Pure: file access comes in
// through the readSource/parseSource/mapPath callbacks.
import { AdvisorError } from '../errors.js';
import type { EscapeFinding, EscapeResult } from '../escape/model.js';
import { SCHEMA_VERSION, type ColdEscape, type Finding, type Report, type Summary, type Tier } from '../model/report.js';
import type { Ranking } from '../rank/model.js';
import { SAMPLE_INDEX_REASONS } from '../rank/sampleIndex.js';
import type { GoFile } from '../syntax/model.js';
import { buildFinding, type FindingContext, type SiteFacts } from './finding.js';
import { ALLOCATION_KINDS, enclosingFunctionName, indexFindings, type FindingIndex } from './join.js';
import { byScore, orderText, scoreSite, selectTiers } from './priority.js';
import type { GoVersion } from './rules.js';
import { groupSitesByStatement } from './sites.js';

export { RULES, RULE_ORDER, RULE_MODULES, renderRuleTableMarkdown } from './rules.js';

export interface AdviseOptions {
  /** Fraction (0..1] of each sample type the hot sites must cover (default 0.8). */
  hotCover: number;
  /** A hot or warm site carries at least this share (0..1) of the chosen type or its companion (default 0.01). */
  minShare: number;
  /** Number of findings to list (every hot one, then the others by score); 0 lists every site. */
  top: number;
}

export interface AdviseInput {
  /** The profile sources as given on the command line (files or URLs), for the report header. */
  sources: string[];
  ranking: Ranking;
  /** From the Profile; 0 means unset. */
  profileMeta: { durationNanos: number; timeNanos: number };
  escape: EscapeResult;
  /** Profile file name (as the binary recorded it) -> path relative to --src, forward slashes; null when outside. */
  mapPath: (profileFile: string) => string | null;
  /** Lines of a file inside --src by its relative path, or null (missing, unreadable, outside). The CLI enforces containment. */
  readSource: (relPath: string) => string[] | null;
  /** The parsed Go file at a relative path, or null (not Go, not readable, no parser). */
  parseSource?: (relPath: string) => GoFile | null;
  /** Module path of the user's code, when known. */
  modulePath?: string | null;
  /** The Go language version the code is compiled with (module `go` line, else the toolchain). */
  goVersion?: GoVersion | null;
  options: AdviseOptions;
  toolVersion: string;
  /** Filters and limits that shaped the input (--focus, --changed, ...), passed through to the report. */
  scope?: string[];
  /** Warnings from earlier stages, passed through (the engine appends its own). */
  warnings?: string[];
}


/** `go1.26.8` -> 1.26. */
function toolchainVersion(v: string | null): GoVersion | null {
  const m = v ? /go(\d+)\.(\d+)/.exec(v) : null;
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : null;
}

function validateOptions(o: AdviseOptions): void {
  if (!(o.hotCover > 0 && o.hotCover <= 1)) throw new AdvisorError('usage', `--hot-cover must be in (0, 1], got ${o.hotCover}`);
  if (!(o.minShare >= 0 && o.minShare < 1)) throw new AdvisorError('usage', `--min-share must be in [0, 1), got ${o.minShare}`);
  if (!(Number.isInteger(o.top) && o.top >= 0)) throw new AdvisorError('usage', `--top must be a whole number >= 0, got ${o.top}`);
}

/** Memoizes a per-file reader, turning thrown errors into null: an unreadable file is missing evidence, not a reason to fail the report. */
function memo<T>(read: (rel: string) => T | null): (rel: string | null) => T | null {
  const cache = new Map<string, T | null>();
  return (rel) => {
    if (rel === null) return null;
    if (!cache.has(rel)) {
      let v: T | null;
      try {
        v = read(rel);
      } catch {
        v = null;
      }
      cache.set(rel, v);
    }
    return cache.get(rel) ?? null;
  };
}

/** Last names of the module's functions with a leaking parameter: `(*EventLog).Add` -> `Add`. */
function leakingFunctions(findings: EscapeFinding[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) {
    if (f.kind !== 'leaking-param' && f.kind !== 'leaking-param-content') continue;
    const owner = f.detail['func'];
    if (typeof owner !== 'string') continue;
    const outer = enclosingFunctionName(owner.replace(/\[[^\]]*\]/g, ''));
    out.add(outer.slice(outer.lastIndexOf('.') + 1));
  }
  return out;
}

export function buildReport(input: AdviseInput): Report {
  const { ranking, escape, options } = input;
  validateOptions(options);
  const choice = ranking.choice;
  const sampleType = choice.sampleType.type;
  const unit = choice.sampleType.unit;
  const companionType = choice.companionIndex !== null && choice.companionType ? choice.companionType : null;
  const warnings: string[] = [...(input.warnings ?? [])];
  const readSource = memo(input.readSource);
  const parse = memo((rel) => (input.parseSource && rel.endsWith('.go') ? input.parseSource(rel) : null));
  const mapPath = memo((file) => (file === '' ? null : input.mapPath(file)));

  // Score every site, order by score, and tier.
  const scoreCtx = { total: ranking.total, unit, companionTotal: ranking.companionTotal, companionUnit: companionType ? companionType.unit : null, minShare: options.minShare };
  const facts: SiteFacts[] = groupSitesByStatement(ranking.sites).map(({ site, callSites }) => ({
    site,
    relFile: site.userCode ? mapPath(site.file) : null,
    callSites: callSites.map((frame) => ({ frame, rel: mapPath(frame.file) })),
    ...scoreSite(site, scoreCtx),
  }));
  facts.sort(byScore);
  const tiers = selectTiers(facts, options.hotCover, options.minShare);

  const index = indexFindings(escape.findings);
  const compiledFiles = new Set<string>([...index.byLine.keys(), ...index.declarations.keys()]);
  const ctx: FindingContext = {
    index,
    leakingFunctions: leakingFunctions(escape.findings),
    sampleType,
    unit,
    total: ranking.total,
    companionType: companionType ? companionType.type : null,
    companionUnit: companionType ? companionType.unit : null,
    companionTotal: ranking.companionTotal,
    inuseView: sampleType.startsWith('inuse_'),
    durationNanos: input.profileMeta.durationNanos > 0 ? input.profileMeta.durationNanos : null,
    modulePath: input.modulePath ?? null,
    go: input.goVersion ?? null,
    toolchain: toolchainVersion(escape.goVersion),
    compiled: (rel) => compiledFiles.has(rel),
    readSource,
    parse,
  };

  const { findings, claimed } = buildFindings(facts, tiers, options, ctx, index, warnings);
  const cold = coldEscapes(index, claimed, facts, tiers);
  const summary = summarize(findings, facts, tiers, ranking.total, sampleType, companionType ? companionType.type : null);
  warnings.push(...sourceWarnings(facts, tiers, findings, escape, readSource));

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'advisor', version: input.toolVersion },
    profile: {
      sources: [...input.sources],
      sampleType,
      unit,
      total: ranking.total,
      companion: companionType ? { sampleType: companionType.type, unit: companionType.unit, total: ranking.companionTotal } : null,
      durationNanos: ctx.durationNanos,
      timeNanos: input.profileMeta.timeNanos > 0 ? input.profileMeta.timeNanos : null,
      sampleIndexReason: SAMPLE_INDEX_REASONS[choice.reason],
    },
    escape: {
      source: escape.source,
      goVersion: escape.goVersion,
      packages: escape.packages.map((p) => (p.error !== undefined ? { importPath: p.importPath, status: p.status, error: p.error } : { importPath: p.importPath, status: p.status })),
      notes: [...escape.notes],
    },
    settings: { hotCover: options.hotCover, minShare: options.minShare, top: options.top },
    summary,
    functions: options.top > 0 ? ranking.functions.slice(0, options.top) : [...ranking.functions],
    sites: (options.top > 0 ? ranking.sites.slice(0, options.top) : ranking.sites).map((s) => ({
      function: s.function,
      file: input.mapPath(s.file),
      profileFile: s.file,
      line: s.line,
      flat: s.flat,
      cum: s.cum,
      objects: ranking.choice.companionIndex === null ? null : s.flatCompanion,
      allocatedBy: s.allocatedBy.map((b) => ({ function: b.function, via: b.via, value: b.value, share: b.share })),
    })),
    findings,
    cold,
    diff: null,
    cpu: null,
    scope: [...(input.scope ?? [])],
    warnings,
  };
}

/**
 * Every hot finding, then the others by score up to --top. A hot or warm
 * statement owns what the compiler said about it: the joined findings, and
 * every copy at its own line and its call sites (the out-of-line copy of an
 * inlined function is the same allocation), so none of it is listed cold.
 */
function buildFindings(
  facts: SiteFacts[],
  tiers: Tier[],
  options: AdviseOptions,
  ctx: FindingContext,
  index: FindingIndex,
  warnings: string[],
): { findings: Finding[]; claimed: Set<EscapeFinding> } {
  const hotCount = tiers.filter((t) => t === 'hot').length;
  const listed = options.top > 0 ? Math.min(options.top, facts.length) : facts.length;
  if (hotCount > listed) warnings.push(`${hotCount - listed} hot site(s) listed beyond --top ${options.top}: every hot site is always listed`);
  const claimed = new Set<EscapeFinding>();
  const findings: Finding[] = [];
  for (let i = 0; i < facts.length; i++) {
    const tier = tiers[i];
    if (i >= listed && tier !== 'hot') continue;
    const { finding, joined } = buildFinding(facts[i], i + 1, tier, ctx);
    if (tier !== 'cold') {
      for (const e of joined.related) claimed.add(e);
      const sf = facts[i];
      for (const { rel, line } of [{ rel: sf.relFile, line: sf.site.line }, ...sf.callSites.map((c) => ({ rel: c.rel, line: c.frame.line }))]) {
        if (rel === null) continue;
        for (const e of index.byLine.get(rel)?.get(line) ?? []) claimed.add(e);
      }
    }
    findings.push(finding);
  }
  return { findings, claimed };
}

/**
 * The escapes nobody needs to fix: every allocation finding (moved to heap,
 * escapes, leaking param) that no hot or warm site joined. Each carries the
 * profile share seen at its line (cold sites whose line or inlined call site
 * is that line), usually 0: code the compiler flags but the profile never saw
 * allocate.
 */
function coldEscapes(index: FindingIndex, claimed: Set<EscapeFinding>, facts: SiteFacts[], tiers: Tier[]): Report['cold'] {
  const sitesAt = new Map<string, number[]>();
  const addKey = (rel: string | null, line: number, i: number): void => {
    if (rel === null) return;
    const k = `${rel}:${line}`;
    const list = sitesAt.get(k);
    if (list) {
      if (!list.includes(i)) list.push(i);
    } else sitesAt.set(k, [i]);
  };
  facts.forEach((f, i) => {
    addKey(f.relFile, f.site.line, i);
    for (const c of f.callSites) addKey(c.rel, c.frame.line, i);
  });

  const items: ColdEscape[] = [];
  const coldSitesSeen = new Set<number>();
  for (const f of index.all) {
    if (!ALLOCATION_KINDS.has(f.kind) || claimed.has(f)) continue;
    const at = (sitesAt.get(`${f.relFile}:${f.line}`) ?? []).filter((i) => tiers[i] === 'cold');
    let share = 0;
    for (const i of at) {
      share += facts[i].share;
      coldSitesSeen.add(i);
    }
    items.push({ file: f.relFile, line: f.line, kind: f.kind, subject: f.subject, share });
  }
  items.sort((a, b) => b.share - a.share || ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : 0) || a.line - b.line);
  let share = 0;
  for (const i of coldSitesSeen) share += facts[i].share;
  return { sites: tiers.filter((t) => t === 'cold').length, share, escapes: items.length, items };
}

/** Rules that leave nothing to fix in the module's production code. */
const LEAVE_RULES = new Set(['no-user-frame', 'test-code', 'inherent-copy']);

/** The sum of the byte rates of the findings with a byte estimate, when every one of them has a rate. */
function perSecond(fs: Finding[]): number | null {
  const withBytes = fs.filter((f) => f.estimate.bytes !== null);
  if (withBytes.length === 0 || !withBytes.every((f) => f.estimate.bytesPerSecond !== null)) return null;
  return withBytes.reduce((a, f) => a + (f.estimate.bytesPerSecond ?? 0), 0);
}

/** The facts the verdict is written from. */
function summarize(findings: Finding[], facts: SiteFacts[], tiers: Tier[], total: number, sampleType: string, companionType: string | null): Summary {
  const group = (fs: Finding[]) => {
    const value = fs.reduce((a, f) => a + f.value, 0);
    return { count: fs.length, value, share: total ? value / total : 0 };
  };
  const hot = findings.filter((f) => f.tier === 'hot');
  const fixable = hot.filter((f) => f.rule !== null && !LEAVE_RULES.has(f.rule) && f.rule !== 'costly-call' && (f.estimate.bytes !== null || f.estimate.objects !== null));
  const sum = (xs: (number | null)[]): number | null => (xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null);
  let warmValue = 0;
  let warmCount = 0;
  facts.forEach((f, i) => {
    if (tiers[i] === 'warm') {
      warmValue += f.site.flat;
      warmCount++;
    }
  });
  return {
    order: orderText(sampleType, companionType),
    hot: group(hot),
    fixable: {
      ...group(fixable),
      estimateBytes: sum(fixable.map((f) => f.estimate.bytes)),
      estimateObjects: sum(fixable.map((f) => f.estimate.objects)),
      estimateBytesPerSecond: perSecond(fixable),
    },
    calls: group(hot.filter((f) => f.rule === 'costly-call')),
    leave: group(hot.filter((f) => f.rule !== null && LEAVE_RULES.has(f.rule))),
    stale: hot.filter((f) => f.source.status === 'stale').length,
    warm: { count: warmCount, value: warmValue, share: total ? warmValue / total : 0 },
  };
}

function sourceWarnings(facts: SiteFacts[], tiers: Tier[], findings: Finding[], escape: EscapeResult, readSource: (rel: string | null) => string[] | null): string[] {
  const out: string[] = [];
  const hotUser = facts.filter((f, i) => tiers[i] === 'hot' && f.site.userCode);
  // Only worth saying when there was compiler data to join: without --src nothing maps, by design.
  if (escape.source !== 'none' && hotUser.length > 0 && hotUser.every((f) => f.relFile === null && f.callSites.every((c) => c.rel === null))) {
    out.push(`no hot site's file maps into --src (e.g. ${hotUser[0].site.file}); was the binary built from another checkout, or is --src pointing elsewhere?`);
  }
  const unreadable = new Set<string>();
  for (const f of facts) if (f.relFile !== null && readSource(f.relFile) === null) unreadable.add(f.relFile);
  for (const rel of [...unreadable].sort()) out.push(`source not readable: ${rel}`);
  const stale = findings.filter((f) => f.tier === 'hot' && f.source.status === 'stale');
  if (stale.length > 0) {
    out.push(
      `${stale.length} hot site(s) do not match the source under --src (e.g. ${stale[0].site.file}:${stale[0].site.line}: ${stale[0].source.reason}); check out the revision the binary was built from (\`go version -m BINARY\` shows vcs.revision) and run again`,
    );
  }
  if (escape.source === 'none' && hotUser.length > 0) out.push('no escape analysis data: rules come from the profile frames and the source statements only');
  return out;
}
