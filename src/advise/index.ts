// The advice engine: joins the ranked allocation sites with the compiler's
// escape findings, reads the source statement, picks a rule, decides which
// few sites are hot, estimates savings, and lists the cold escapes to leave
// alone. Pure: file access comes in through the readSource/mapPath callbacks.
import { AdvisorError } from '../errors.js';
import type { EscapeFinding, EscapeResult } from '../escape/model.js';
import type { Frame, Ranking, Site } from '../rank/model.js';
import { adviceText } from './advice.js';
import { chooseRule, libraryShare } from './choose.js';
import { estimateSavings } from './estimate.js';
import { ALLOCATION_KINDS, compilerFunctionName, enclosingFunctionName, indexFindings, joinSite, type FindingIndex, type JoinResult } from './join.js';
import { SCHEMA_VERSION, type ColdEscape, type EscapeRef, type Finding, type Report, type Snippet } from '../model/report.js';
import { byScore, scoreSite, selectHot } from './priority.js';
import { groupSitesByStatement } from './sites.js';
import { classifyStatement, type Statement } from './statement.js';

export { RULES, RULE_ORDER, renderRuleTableMarkdown } from './rules.js';

export interface AdviseOptions {
  /** Fraction (0..1] of the churn score the hot sites must cover together (default 0.8). */
  hotCover: number;
  /** A hot site carries at least this share (0..1) of the chosen type or its companion (default 0.01). */
  minShare: number;
  /** Number of findings to list (hot first, then cold by score); 0 lists every site. */
  top: number;
}

export interface AdviseInput {
  /** The profile sources as given on the command line (files or URLs), for the report header. */
  sources: string[];
  ranking: Ranking;
  /** From the Profile; 0 means unset. */
  profileMeta: { durationNanos: number; timeNanos: number };
  escape: EscapeResult;
  /** Profile file name (as the binary recorded it) -> path relative to the module root / --src, forward slashes; null when outside. */
  mapPath: (profileFile: string) => string | null;
  /** Lines of a file inside --src by its relative path, or null (missing, unreadable, outside). The CLI enforces containment. */
  readSource: (relPath: string) => string[] | null;
  options: AdviseOptions;
  toolVersion: string;
  /** Filters and limits that shaped the input (--focus, --changed, ...), passed through to the report. */
  scope?: string[];
  /** Warnings from earlier stages, passed through (the engine appends its own). */
  warnings?: string[];
}

/** Lines of context on each side of the site in a snippet. */
const SNIPPET_CONTEXT = 3;

const INDEX_REASON: Record<Ranking['choice']['reason'], string> = {
  flag: 'chosen with --sample-index',
  alloc_space: 'alloc_space: allocation churn is what drives GC cost',
  default: "the profile's default_sample_type",
  last: 'the last sample type (pprof default when the profile declares none)',
};

interface SiteFacts {
  site: Site;
  relFile: string | null;
  /** Physical call sites of inlined members, largest first, with their --src-relative files. */
  callSites: { frame: Frame; rel: string | null }[];
  share: number;
  companionShare: number | null;
  score: number;
  oneOff: boolean;
}

function validateOptions(o: AdviseOptions): void {
  if (!(o.hotCover > 0 && o.hotCover <= 1)) throw new AdvisorError('usage', `--hot-cover must be in (0, 1], got ${o.hotCover}`);
  if (!(o.minShare >= 0 && o.minShare < 1)) throw new AdvisorError('usage', `--min-share must be in [0, 1), got ${o.minShare}`);
  if (!(Number.isInteger(o.top) && o.top >= 0)) throw new AdvisorError('usage', `--top must be a whole number >= 0, got ${o.top}`);
}

/**
 * The profile's start line of the site function (Go >= 1.20 writes it). A
 * closure's own start line is no use: the variables it captures are declared
 * in the enclosing function, above it, so closures fall back to the source.
 */
function startLineOf(site: Site): number | null {
  const v = site.functionStartLine;
  if (!(typeof v === 'number' && v > 0)) return null;
  const name = compilerFunctionName(site.function);
  return enclosingFunctionName(name) === name ? v : null;
}

/** The nearest top-level `func` line at or above `line` (1-based), from the source. */
function funcLineAbove(lines: string[], line: number): number | null {
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) if (/^func\b/.test(lines[i])) return i + 1;
  return null;
}

function toRef(f: EscapeFinding): EscapeRef {
  return { line: f.line, column: f.column, kind: f.kind, subject: f.subject, reasons: [...f.reasons], message: f.message };
}

/** Does a compiler subject describe one of the allocating expressions of this statement? */
function subjectFits(st: Statement | null, f: EscapeFinding): boolean {
  if (!st) return false;
  if (st.variable !== null && f.subject === st.variable) return true;
  return st.shapes.some((shape) => subjectFitsShape(shape, st.expressions[shape] ?? '', f));
}

function subjectFitsShape(shape: Statement['shape'], expression: string, f: EscapeFinding): boolean {
  const s = f.subject;
  switch (shape) {
    case 'append':
      return s === 'append';
    case 'make-slice':
      return /^make\(\s*(?!map\[|chan\b)/.test(s);
    case 'make-map':
      return s.startsWith('make(map[');
    case 'make-chan':
      return s.startsWith('make(chan');
    case 'new':
      return s.startsWith('new(');
    case 'address-of-composite':
      // `&Span{...}` at home, `&api.Span{...}` when inlined elsewhere: compare the type's own name.
      return s.startsWith('&') && typeName(s) === typeName(expression);
    case 'composite-literal':
      return /\{/.test(s) && !s.startsWith('&');
    case 'go-func':
    case 'defer-func':
    case 'func-literal':
      return s === 'func literal';
    case 'string-conversion':
      return s.startsWith('string(');
    case 'bytes-conversion':
    case 'runes-conversion':
      return /^\(?\[\](?:byte|rune)/.test(s);
    case 'string-concat':
    case 'string-concat-assign':
      return /\s\+\s/.test(s);
    case 'fmt-call':
    case 'log-call':
      return s === '... argument' || f.reasons.includes('interface-converted') || (f.kind === 'escapes' && /^[A-Za-z_]/.test(s) && f.reasons.includes('slice-literal-element'));
    case 'return-address':
      return f.kind === 'moved-to-heap' && `&${s}` === expression;
    case 'method-value':
      return s === expression;
    default:
      return false;
  }
}

/** `&pkg.T[...]{...}` -> `T`. */
function typeName(expr: string): string {
  const m = /^&\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)/.exec(expr);
  return m ? m[1] : '';
}

export function buildReport(input: AdviseInput): Report {
  const { ranking, escape, options } = input;
  validateOptions(options);
  const choice = ranking.choice;
  const sampleType = choice.sampleType.type;
  const unit = choice.sampleType.unit;
  const companionType = choice.companionIndex !== null && choice.companionType ? choice.companionType : null;
  const inuseView = sampleType.startsWith('inuse_');
  const durationNanos = input.profileMeta.durationNanos > 0 ? input.profileMeta.durationNanos : null;
  const timeNanos = input.profileMeta.timeNanos > 0 ? input.profileMeta.timeNanos : null;
  const warnings: string[] = [...(input.warnings ?? [])];

  const sourceCache = new Map<string, string[] | null>();
  const readSource = (rel: string | null): string[] | null => {
    if (rel === null) return null;
    if (!sourceCache.has(rel)) {
      let lines: string[] | null;
      try {
        lines = input.readSource(rel);
      } catch {
        // An unreadable file is missing evidence, not a reason to fail the report.
        lines = null;
      }
      sourceCache.set(rel, lines);
    }
    return sourceCache.get(rel) ?? null;
  };
  const pathCache = new Map<string, string | null>();
  const mapPath = (file: string): string | null => {
    if (!pathCache.has(file)) pathCache.set(file, file === '' ? null : input.mapPath(file));
    return pathCache.get(file) ?? null;
  };

  // Score every site, then order by score (byScore).
  const scoreCtx = {
    total: ranking.total,
    unit,
    companionTotal: ranking.companionTotal,
    companionUnit: companionType ? companionType.unit : null,
    minShare: options.minShare,
  };
  const facts: SiteFacts[] = groupSitesByStatement(ranking.sites).map(({ site, callSites }) => ({
    site,
    relFile: site.userCode ? mapPath(site.file) : null,
    callSites: callSites.map((frame) => ({ frame, rel: mapPath(frame.file) })),
    ...scoreSite(site, scoreCtx),
  }));
  facts.sort(byScore);
  const hot = selectHot(facts, options.hotCover, options.minShare);
  const hotCount = hot.filter(Boolean).length;

  const index = indexFindings(escape.findings);
  const listed = options.top > 0 ? Math.min(options.top, facts.length) : facts.length;
  if (hotCount > listed) warnings.push(`${hotCount - listed} hot site(s) not listed because of --top ${options.top}`);

  const claimed = new Set<EscapeFinding>();
  const findings: Finding[] = [];
  const unreadable = new Set<string>();
  for (let i = 0; i < facts.length; i++) {
    if (i >= listed && !hot[i]) continue;
    const f = buildFinding(facts[i], i + 1, hot[i]);
    if (hot[i]) {
      // A hot statement owns what the compiler said about it: the matched
      // findings, and every copy at its own line and its call sites (the
      // out-of-line copy of an inlined function is the same allocation).
      for (const e of f.joined.related) claimed.add(e);
      const sf = facts[i];
      const at = [{ rel: sf.relFile, line: sf.site.line }, ...sf.callSites.map((c) => ({ rel: c.rel, line: c.frame.line }))];
      for (const { rel, line } of at) {
        if (rel === null) continue;
        for (const e of index.byLine.get(rel)?.get(line) ?? []) claimed.add(e);
      }
    }
    if (i < listed) findings.push(f.finding);
  }

  function buildFinding(sf: SiteFacts, rank: number, isHot: boolean): { finding: Finding; joined: JoinResult } {
    const site = sf.site;
    const lines = readSource(sf.relFile);
    if (sf.relFile !== null && lines === null) unreadable.add(sf.relFile);
    let snippet: Snippet | null = null;
    let statement: Statement | null = null;
    let siteText: string | null = null;
    if (lines && site.line >= 1 && site.line <= lines.length) {
      const from = Math.max(1, site.line - SNIPPET_CONTEXT);
      const to = Math.min(lines.length, site.line + SNIPPET_CONTEXT);
      snippet = { startLine: from, lines: lines.slice(from - 1, to), focusLine: site.line };
      statement = classifyStatement(lines, site.line - 1);
      siteText = lines[site.line - 1];
    }
    const phys = sf.callSites[0];
    const physLines = phys ? readSource(phys.rel) : lines;
    const physLine = phys ? phys.frame.line : site.line;
    const functionStartLine = !phys && startLineOf(site) !== null ? startLineOf(site) : physLines ? funcLineAbove(physLines, physLine) : null;

    const joined: JoinResult =
      sf.relFile === null && sf.callSites.every((c) => c.rel === null)
        ? { match: 'none', primary: null, related: [], file: null, line: null }
        : joinSite(index, {
            relFile: sf.relFile,
            line: site.line,
            function: site.function,
            callSites: sf.callSites.map((c) => ({ relFile: c.rel, line: c.frame.line, function: c.frame.function })),
            functionStartLine,
            siteText: phys ? (physLines?.[physLine - 1] ?? null) : siteText,
            preferSubject: (f) => subjectFits(statement, f),
          });
    // Report the call site the compiler's verdict came from, else the largest.
    const shown = (joined.match === 'call-site-line' && sf.callSites.find((c) => c.rel === joined.file && c.frame.line === joined.line)) || phys;

    // A selector subject (`t.Sum`) is only a method value if the source uses it uncalled: re-read with that hint.
    const primary = joined.primary;
    let findingText: string | null = null;
    if (primary && joined.file) {
      const fl = readSource(joined.file);
      findingText = fl?.[primary.line - 1] ?? null;
      if (lines && /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(primary.subject) && joined.file === sf.relFile && primary.line === site.line) {
        statement = classifyStatement(lines, site.line - 1, { subject: primary.subject }) ?? statement;
      }
    }

    const allocatedBy = site.allocatedBy.filter((a) => a.function !== site.function);
    const inModule = site.userCode && sf.relFile !== null;
    const capturedByRef = (joined.file && index.capturedByRef.get(joined.file)) || new Set<string>();
    const { rule, basis } = chooseRule({
      primary,
      related: joined.related,
      allocatedBy,
      statement,
      retained: inuseView && isHot,
      inModule,
      capturedByRef,
      findingText,
      declaredMethods: index.methodNames,
      atLine: joined.match !== 'none' && joined.match !== 'function-variable',
    });
    const advice = adviceText({
      rule,
      function: site.function,
      line: site.line,
      primary,
      statement,
      allocatedBy,
      share: sf.share,
      sampleType,
      companionShare: sf.companionShare,
      companionType: companionType ? companionType.type : null,
      oneOff: sf.oneOff,
      inModule,
      libraryShare: basis === 'escape' ? libraryShare(allocatedBy) : 0,
      primaryAtLine: joined.match !== 'none' && joined.match !== 'function-variable',
      captured: joined.related.filter((e) => e.kind === 'moved-to-heap' && (e.reasons.includes('captured by a closure') || capturedByRef.has(e.subject))).map((e) => e.subject),
    });
    const estimate = estimateSavings({
      rule,
      value: site.flat,
      unit,
      companion: companionType ? site.flatCompanion : null,
      companionUnit: companionType ? companionType.unit : null,
      cumulative: !inuseView,
      durationNanos,
      oneOff: sf.oneOff,
      // A fix at the statement leaves what the library allocates below it.
      statementShare: basis === 'allocated-by' ? 1 : 1 - libraryShare(allocatedBy),
    });
    const finding: Finding = {
      rank,
      hot: isHot,
      site: {
        function: site.function,
        file: sf.relFile,
        profileFile: site.file,
        line: site.line,
        callSite: shown ? { function: shown.frame.function, file: shown.rel, line: shown.frame.line } : null,
      },
      value: site.flat,
      share: sf.share,
      objects: companionType ? site.flatCompanion : null,
      objectsShare: sf.companionShare,
      score: sf.score,
      // The API the code called (json.Marshal), not the library's internals below it.
      allocatedBy: [...new Set(allocatedBy.map((a) => a.via ?? a.function))],
      escapes: joined.related.map(toRef),
      match: joined.match,
      rule,
      advice,
      statement: statement ? statement.shape : null,
      snippet,
      estimate,
      oneOff: sf.oneOff,
    };
    return { finding, joined };
  }

  const cold = coldEscapes(index, claimed, facts, hot);

  const hotUserSites = facts.filter((f, i) => hot[i] && f.site.userCode);
  // Only worth saying when there was compiler data to join: without --src nothing maps, by design.
  if (escape.source !== 'none' && hotUserSites.length > 0 && hotUserSites.every((f) => f.relFile === null && f.callSites.every((c) => c.rel === null))) {
    warnings.push(
      `no hot site's file maps into --src (e.g. ${hotUserSites[0].site.file}); was the binary built from another checkout, or is --src pointing elsewhere?`,
    );
  }
  for (const rel of [...unreadable].sort()) warnings.push(`source not readable: ${rel}`);
  if (escape.source === 'none' && hotCount > 0) {
    warnings.push('no escape analysis data: rules come from the profile frames and the source statements only');
  }

  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'advisor', version: input.toolVersion },
    profile: {
      sources: [...input.sources],
      sampleType,
      unit,
      total: ranking.total,
      companion: companionType ? { sampleType: companionType.type, unit: companionType.unit, total: ranking.companionTotal } : null,
      durationNanos,
      timeNanos,
      sampleIndexReason: INDEX_REASON[choice.reason],
    },
    escape: {
      source: escape.source,
      goVersion: escape.goVersion,
      packages: escape.packages.map((p) => (p.error !== undefined ? { importPath: p.importPath, status: p.status, error: p.error } : { importPath: p.importPath, status: p.status })),
      notes: [...escape.notes],
    },
    settings: { hotCover: options.hotCover, minShare: options.minShare, top: options.top },
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
 * The escapes nobody needs to fix: every allocation finding (moved to heap,
 * escapes, leaking param) that no hot site joined. Each carries the profile
 * share seen at its line (sites whose line or inlined call site is that line),
 * usually 0: code the compiler flags but the profile never saw allocate.
 */
function coldEscapes(index: FindingIndex, claimed: Set<EscapeFinding>, facts: SiteFacts[], hot: boolean[]): Report['cold'] {
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
    const at = (sitesAt.get(`${f.relFile}:${f.line}`) ?? []).filter((i) => !hot[i]);
    let share = 0;
    for (const i of at) {
      share += facts[i].share;
      coldSitesSeen.add(i);
    }
    items.push({ file: f.relFile, line: f.line, kind: f.kind, subject: f.subject, share });
  }
  items.sort(
    (a, b) => b.share - a.share || ((a.file ?? '') < (b.file ?? '') ? -1 : (a.file ?? '') > (b.file ?? '') ? 1 : 0) || a.line - b.line,
  );
  let share = 0;
  for (const i of coldSitesSeen) share += facts[i].share;
  return { sites: hot.filter((h) => !h).length, share, escapes: items.length, items };
}
