// The words and numbers every human-readable format shows, computed once
// from the Report (as pprof's report.TextItems are), so text, markdown and
// HTML only lay them out and cannot disagree. All strings here are plain,
// unescaped text; each format escapes them for its own context.
import type { ColdEscape, DiffEntry, EscapeRef, Finding, Report, Rule, RuleId } from '../model/report.js';
import type { EscapeKind } from '../escape/model.js';
import { encodePath } from './sanitize.js';
import { SAMPLE_INDEX_REASONS } from '../rank/sampleIndex.js';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatRelative,
  formatSharePoints,
  formatValue,
  isBytesUnit,
} from '../model/units.js';

/** The rule catalogue, or part of it: src/advise/rules.ts exports RULES of this shape. */
export type RuleCatalogue = Partial<Record<RuleId, Rule>>;

/** Options every human-readable format accepts. */
export interface ViewOptions {
  /** Rule texts (title, before/after). Without it the report uses each finding's own advice and the rule id. */
  rules?: RuleCatalogue;
  /** e.g. `https://github.com/org/repo/blob/{sha}/{path}#L{line}`: makes source locations links. */
  linkTemplate?: string;
  /** Substituted for {sha} in linkTemplate; default 'HEAD' (the CLI passes `git rev-parse HEAD`). */
  sha?: string;
  /** Whether --src was given (set by buildView from the report); without it nothing is "outside --src". */
  srcGiven?: boolean;
  /** --src relative to the repository root ('' or ending in '/'), put before {path}: links name files as the repository does. */
  pathPrefix?: string;
}

export interface Location {
  /** Relative to --src when inSrc, else the file as the profile names it. */
  file: string;
  line: number;
  inSrc: boolean;
  /** Outside --src when --src was given (say so); false when no --src was given at all. */
  outside: boolean;
  /** Where linkTemplate points, or null (no template, or outside --src). */
  url: string | null;
}

export interface FindingView {
  finding: Finding;
  rank: number;
  hot: boolean;
  function: string;
  location: Location;
  /** For an inlined allocation: where the compiler reports it. */
  callSite: { function: string; location: Location } | null;
  share: string;
  /** Auto-scaled per value (`770.19MB`), as pprof's Label prints one value. */
  value: string;
  objectsShare: string | null;
  objects: string | null;
  ruleId: string | null;
  ruleTitle: string | null;
  rule: Rule | null;
  advice: string;
  /** One sentence per compiler finding: what escapes and why, in plain words. */
  reasons: string[];
  allocatedBy: string[];
  /** The functions the line calls and the share of the line each allocates: `encoding/json.Unmarshal: 96% of this line`. */
  calls: string[];
  tier: Finding['tier'];
  /** Said when the source does not (or may not) match the profile here: `stale: …`; null when it matches. */
  source: string | null;
  /** Other allocations on the line, each a sentence with its own rule and share. */
  notes: string[];
  /** "~767.23MB (25.57MB/s), ~8,404,150 objects, ~6.2% of CPU", or null when nothing is estimated. */
  estimate: string | null;
  estimateNote: string;
  oneOff: boolean;
  matchNote: string | null;
}

export interface ColdView {
  sentence: string;
  items: { location: Location | null; fileText: string; kind: string; subject: string; share: string }[];
  /** How many cold escapes exist beyond the items listed (0 when the engine lists them all). */
  unlisted: number;
}

export interface DiffView {
  title: string;
  /** How the two profiles were scaled, with the factor: "workload ratio 1.02, from 41 matched sites". */
  normalization: string;
  /** Where the baseline's statements came from, or the warning that pairing is by function and line only. */
  pairing: string;
  /** 'subtract': the Change column holds the change in normalized value, not in share points. */
  mode: 'ratio' | 'subtract';
  rows: {
    status: DiffEntry['status'];
    statusText: string;
    function: string;
    location: Location | null;
    /** "main.go:43", or "old.go:40 → new.go:43" where the line moved. */
    fileText: string;
    /** The baseline's place when it differs from the current one ("main.go:40"), else null. */
    movedFrom: string | null;
    /** How the site was paired, in words ("moved statement"); null when on one side only. */
    matchText: string | null;
    baseShare: string;
    share: string;
    delta: string;
    relative: string;
  }[];
}

export interface HistoryView {
  /** Period labels, oldest first, "now" last. */
  periods: string[];
  /** One sentence per earlier period on how it was scaled. */
  normalization: string[];
  sites: {
    function: string;
    location: Location | null;
    fileText: string;
    /** Share per period (null: absent), for the sparkline. */
    values: (number | null)[];
    /** Formatted, "–" when absent. */
    cells: string[];
    /** "hot in 4 of 4 profiles", "new this week". */
    summary: string;
  }[];
}

export interface CpuView {
  title: string;
  sentence: string;
  note: string;
  allocShare: number;
  gcShare: number;
}

export interface ReportView {
  title: string;
  tool: string;
  header: { label: string; value: string }[];
  verdict: string;
  sampleType: string;
  companionType: string | null;
  total: string;
  hot: FindingView[];
  warm: FindingView[];
  /** Hot findings' combined share, formatted. */
  hotShare: string;
  savings: string | null;
  cold: ColdView;
  diff: DiffView | null;
  history: HistoryView | null;
  cpu: CpuView | null;
  notes: string[];
  warnings: string[];
}

// -m=2 reasons that carry the value along without deciding anything
// (spills, assignments, field and index steps): left out of the words,
// still listed in the raw chain.
const PLUMBING = new Set([
  'spill',
  'assign',
  'assign-pair',
  'assign-pair-dot-type',
  'assign-pair-mapr',
  'assign-pair-receive',
  'dot',
  'dot of pointer',
  'dot-equals',
  'fixed-array-index-of',
  'indirection',
  'range',
  'range-deref',
  'slice',
  'struct literal element',
  'array literal element',
]);

const REASON_WORDS: Record<string, string> = {
  'non-constant size': 'its size is not a constant',
  'too large for stack': 'it is too large for the stack',
  'too aligned for stack': 'it is too aligned for the stack',
  'interface-converted': 'it is converted to an interface',
  'captured by a closure': 'a closure captures it',
  reference: 'a closure captures it by reference',
  return: 'it is returned to the caller',
  'address-of': 'its address is taken',
  'call parameter': 'it is passed to a call that may keep it',
  'key of map put': 'it is stored as a map key',
  'map literal key': 'it is a key in a map literal',
  'map literal value': 'it is a value in a map literal',
  send: 'it is sent on a channel',
  'slice-literal-element': 'it is put in a slice literal (such as the implicit ... argument)',
  'appended slice...': 'it is appended to another slice',
  'appendee slice': 'it is the slice being appended to',
  'copied slice': 'it is copied into another slice',
  'switch case': 'a type switch binds it',
  'conversion to unsafe.Pointer': 'it is converted to unsafe.Pointer',
  'reflect.Header.Data': 'it is stored through a reflect header',
  '//go:uintptrescapes': 'a //go:uintptrescapes function receives it',
};

const KIND_WORDS: Record<EscapeKind, string> = {
  'moved-to-heap': 'moved to heap',
  escapes: 'escapes to heap',
  'does-not-escape': 'does not escape',
  'leaking-param': 'leaking param',
  'leaking-param-content': 'leaking param content',
  'leaking-param-to-result': 'leaking param to result',
  capturing: 'captured',
  'can-inline': 'can inline',
  'cannot-inline': 'cannot inline',
  'inlining-call': 'inlined call',
  devirtualizing: 'devirtualized',
  'self-assignment': 'self-assignment',
  loopvar: 'loop variable',
  other: 'note',
};

export function kindWords(kind: EscapeKind): string {
  return KIND_WORDS[kind] ?? kind;
}

function subjectClause(ref: EscapeRef): string | null {
  switch (ref.kind) {
    case 'escapes':
      return `${ref.subject} escapes to heap`;
    case 'moved-to-heap':
      return `${ref.subject} is moved to the heap`;
    case 'leaking-param':
      return `parameter ${ref.subject} leaks`;
    case 'leaking-param-content':
      return `what parameter ${ref.subject} points to leaks`;
    case 'leaking-param-to-result':
      return `parameter ${ref.subject} flows to a result`;
    default:
      return null;
  }
}

/**
 * The compiler's explanation in plain words, e.g. "make([]byte, n) escapes
 * to heap because its size is not a constant (non-constant size)". The raw
 * -m=2 reason chain stays in parentheses so nothing is lost.
 */
export function explainEscape(ref: EscapeRef): string {
  const subject = subjectClause(ref);
  if (!subject) return ref.message;
  if (ref.reasons.length === 0) return subject;
  const words: string[] = [];
  const captured = ref.reasons.includes('captured by a closure') && ref.reasons.includes('reference');
  for (const r of ref.reasons) {
    if (PLUMBING.has(r)) continue;
    if (captured && r === 'captured by a closure') continue;
    const w = REASON_WORDS[r] ?? r;
    if (!words.includes(w)) words.push(w);
  }
  const raw = `(${ref.reasons.join(', ')})`;
  if (words.length === 0) return `${subject} ${raw}`;
  return `${subject} because ${words.join(', then ')} ${raw}`;
}

export function sourceUrl(template: string | undefined, sha: string | undefined, file: string, line: number, pathPrefix = ''): string | null {
  if (!template) return null;
  return template
    .replace(/\{sha\}/g, encodeURIComponent(sha ?? 'HEAD'))
    .replace(/\{path\}/g, encodePath(pathPrefix + file))
    .replace(/\{line\}/g, String(line));
}

function location(file: string | null, profileFile: string, line: number, opts: ViewOptions): Location {
  if (file !== null) return { file, line, inSrc: true, outside: false, url: sourceUrl(opts.linkTemplate, opts.sha, file, line, opts.pathPrefix) };
  return { file: profileFile, line, inSrc: false, outside: opts.srcGiven !== false, url: null };
}

export function locationText(loc: Location): string {
  return `${loc.file}:${loc.line}`;
}

/** The reason as the report holds it (advise words it), or, in a hand-made report, a bare SampleIndexChoice reason. */
function sampleIndexWords(reason: string): string {
  return Object.hasOwn(SAMPLE_INDEX_REASONS, reason) ? SAMPLE_INDEX_REASONS[reason as keyof typeof SAMPLE_INDEX_REASONS] : reason;
}

const MATCH_NOTES: Record<Finding['match'], string | null> = {
  expression: null,
  'call-site': 'The allocation was inlined; the compiler reports it at the call site.',
  variable: 'The compiler reports a variable this statement captures or takes the address of, where the variable is declared.',
  none: 'No compiler finding lies in an allocating expression of this statement: the advice rests on the profile and the source.',
};

const DIFF_STATUS_WORDS: Record<DiffEntry['status'], string> = {
  'new-hot': 'new hot',
  regression: 'regression',
  improvement: 'improvement',
  fixed: 'fixed',
  unchanged: 'unchanged',
};

function estimateText(f: Finding): string | null {
  const e = f.estimate;
  const parts: string[] = [];
  if (e.bytes !== null) {
    parts.push(`~${formatBytes(e.bytes)}` + (e.bytesPerSecond !== null ? ` (${formatBytes(e.bytesPerSecond)}/s)` : ''));
  }
  if (e.objects !== null) {
    parts.push(`~${formatCount(e.objects)} objects` + (e.objectsPerSecond !== null ? ` (${formatCount(e.objectsPerSecond)}/s)` : ''));
  }
  if (parts.length > 0 && e.cpuShare !== undefined && e.cpuShare !== null) parts.push(`~${formatPercent(e.cpuShare)} of CPU time`);
  return parts.length > 0 ? parts.join(', ') : null;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function findingView(f: Finding, report: Report, opts: ViewOptions): FindingView {
  const rule = f.rule ? (opts.rules?.[f.rule] ?? null) : null;
  const companion = report.profile.companion;
  const callSite = f.site.callSite
    ? { function: f.site.callSite.function, location: location(f.site.callSite.file, f.site.callSite.file ?? f.site.profileFile, f.site.callSite.line, opts) }
    : null;
  return {
    finding: f,
    rank: f.rank,
    hot: f.hot,
    function: f.site.function,
    location: location(f.site.file, f.site.profileFile, f.site.line, opts),
    callSite,
    share: formatPercent(f.share),
    value: formatValue(f.value, report.profile.unit),
    objectsShare: f.companionShare !== null ? formatPercent(f.companionShare) : null,
    objects: f.companion !== null && companion ? formatValue(f.companion, companion.unit) : null,
    ruleId: f.rule,
    ruleTitle: rule?.title ?? null,
    rule,
    advice: f.advice,
    reasons: f.escapes.map(explainEscape),
    allocatedBy: f.allocatedBy,
    calls: f.calls.map((c) => `${c.function}${c.generated ? ' (generated)' : ''}: ${formatPercent(f.value ? c.value / f.value : 0)} of this line`),
    tier: f.tier,
    source: f.source.status === 'stale' ? `stale: ${f.source.reason}` : null,
    notes: f.notes.map((n) => `${n.rule}: ${n.text}`),
    estimate: estimateText(f),
    estimateNote: f.estimate.note,
    oneOff: f.oneOff,
    matchNote: MATCH_NOTES[f.match] ?? null,
  };
}

function coldView(report: Report, opts: ViewOptions): ColdView {
  const { cold, profile, escape } = report;
  let sentence: string;
  if (escape.source === 'none') {
    sentence = 'Escape analysis did not run, so cold escapes are unknown.';
  } else if (!escape.packages.some((p) => p.status !== 'failed')) {
    sentence = 'No package compiled, so cold escapes are unknown.';
  } else if (cold.escapes === 0) {
    sentence = 'No escapes in cold code.';
  } else {
    // cold.sites counts every ranked site that is not hot; cold.share is the
    // share at the cold escapes' lines, so the sentence pairs it with those.
    sentence =
      `${plural(cold.escapes, 'cold escape')} outside the hot and warm sites, ` +
      `${formatPercent(cold.share)} of ${profile.sampleType} combined at their lines: leave as is.`;
  }
  const items = cold.items.map((c: ColdEscape) => {
    const loc = c.file !== null ? location(c.file, c.file, c.line, opts) : null;
    return {
      location: loc,
      fileText: c.file !== null ? `${c.file}:${c.line}` : `${opts.srcGiven === false ? '(unknown file)' : '(outside --src)'}:${c.line}`,
      kind: kindWords(c.kind),
      subject: c.subject,
      share: formatPercent(c.share),
    };
  });
  return { sentence, items, unlisted: Math.max(0, cold.escapes - cold.items.length) };
}

const MATCH_WORDS: Record<DiffEntry['match'], string | null> = {
  line: 'same line',
  statement: 'moved statement',
  edited: 'edited in place',
  offset: 'same offset in its function',
  order: 'same order in its function',
  none: null,
};

const PAIRING_WORDS = {
  'base-src': (d: string) => `Sites paired by statement, the baseline's source read from ${d} (--base-src).`,
  'base-rev': (d: string) => `Sites paired by statement, the baseline's source read from git at ${d} (--base-rev).`,
};

function placeText(file: string | null, line: number, srcGiven = true): string {
  return file !== null ? `${file}:${line}` : `${srcGiven ? '(outside --src)' : '(unknown file)'}:${line}`;
}

function diffView(report: Report, opts: ViewOptions): DiffView | null {
  const d = report.diff;
  if (!d) return null;
  const unit = report.profile.unit;
  const companion = report.profile.companion;
  const signed = (v: number, u: string): string => {
    const abs = formatValue(Math.abs(v), u);
    return /^0(\D|$)/.test(abs) && !/[1-9]/.test(abs) ? '±0' : `${v > 0 ? '+' : '-'}${abs}`;
  };
  return {
    title: `Since the baseline (${d.base.join(', ')}; ${d.normalization.text})`,
    normalization: `Normalized: ${d.normalization.text}.`,
    pairing: d.pairing.source !== null ? PAIRING_WORDS[d.pairing.source](d.pairing.detail ?? '') : `Note: ${d.pairing.note ?? 'pairing is by function and line only'}.`,
    mode: d.mode,
    rows: d.entries.map((e) => {
      const loc = e.file !== null ? location(e.file, e.file, e.line, opts) : null;
      const here = placeText(e.file, e.line, opts.srcGiven !== false);
      const moved = e.base !== null && e.status !== 'fixed' && (e.base.file !== e.file || e.base.line !== e.line);
      const from = moved && e.base ? placeText(e.base.file, e.base.line, opts.srcGiven !== false) : null;
      return {
        status: e.status,
        statusText: DIFF_STATUS_WORDS[e.status] ?? e.status,
        function: e.function,
        location: loc,
        fileText: from ? `${from} → ${here}` : here,
        movedFrom: from,
        matchText: MATCH_WORDS[e.match] ?? null,
        baseShare: formatPercent(e.baseShare),
        share: formatPercent(e.share),
        delta:
          d.mode === 'subtract'
            ? signed(e.delta, unit) + (e.companionDelta !== null && companion ? `, ${signed(e.companionDelta, companion.unit)} ${companion.sampleType}` : '')
            : formatSharePoints(e.shareDelta),
        relative: e.status === 'fixed' ? 'gone' : formatRelative(e.relativeChange),
      };
    }),
  };
}

function historyView(report: Report, opts: ViewOptions): HistoryView | null {
  const hist = report.history;
  if (!hist) return null;
  const n = hist.periods.length;
  const periods = hist.periods.map((p, i) => (i === n - 1 ? 'now' : historyLabel(p.source, i, n)));
  return {
    periods,
    normalization: hist.periods.slice(0, -1).map((p, i) => `${periods[i]} (${p.source}): ${p.normalization.text}`),
    sites: hist.sites.map((s) => {
      const hotCount = s.hot.filter(Boolean).length;
      const firstHot = s.hot.indexOf(true);
      const present = s.history.findIndex((v) => v !== null);
      const summary =
        firstHot === n - 1
          ? present === n - 1
            ? 'new in the latest profile'
            : `present since ${periods[present]}, hot only now`
          : `hot in ${hotCount} of ${n} profiles, since ${periods[firstHot]}`;
      return {
        function: s.function,
        location: s.file !== null ? location(s.file, s.file, s.line, opts) : null,
        fileText: placeText(s.file, s.line),
        values: s.history,
        cells: s.history.map((v) => (v === null ? '–' : formatPercent(v))),
        summary,
      };
    }),
  };
}

/** A short column label: the file's base name without the profile extension (name history files by date). */
function historyLabel(source: string, i: number, n: number): string {
  const base = source.replace(/\\/g, '/').split('/').pop() ?? source;
  const stem = base.replace(/\.(pb\.gz|pprof|prof|pb|gz)$/i, '');
  return stem.length > 0 && stem.length <= 16 ? stem : `−${n - 1 - i}`;
}

function cpuView(report: Report): CpuView | null {
  const c = report.cpu;
  if (!c) return null;
  return {
    title: `CPU cost of allocation (${c.source})`,
    sentence:
      `${formatPercent(c.totalShare)} of CPU time goes to memory management: ` +
      `${formatPercent(c.allocShare)} allocating and ${formatPercent(c.gcShare)} in garbage collection.`,
    note: c.note,
    allocShare: c.allocShare,
    gcShare: c.gcShare,
  };
}

function escapeHeader(report: Report): string {
  const e = report.escape;
  if (e.source === 'none') return 'not run';
  const counts = new Map<string, number>();
  for (const p of e.packages) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const parts = [...counts].map(([status, n]) => `${formatCount(n)} ${status}`);
  const pkgs = `${plural(e.packages.length, 'package')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
  const from = e.source === 'log' ? 'from an escape log' : 'go build -gcflags=-m=2';
  return `${from}${e.goVersion ? `, ${e.goVersion}` : ''}, ${pkgs}`;
}

function verdict(report: Report, total: string): string {
  const type = report.profile.sampleType;
  const unit = report.profile.unit;
  const sm = report.summary;
  const out: string[] = [];
  const them = (n: number) => (n === 1 ? 'it' : 'them');
  if (sm.hot.count === 0) {
    out.push(`No allocation site is hot in ${type} (total ${total}): nothing here is worth changing for allocation alone.`);
  } else {
    out.push(
      `${sm.hot.count === 1 ? '1 hot site accounts' : `${formatCount(sm.hot.count)} hot sites account`} for ${formatPercent(sm.hot.share)} of ${type} ` +
        `(${formatValue(sm.hot.value, unit)} of ${total}).`,
    );
    if (sm.fixable.count > 0) {
      const est: string[] = [];
      if (sm.fixable.estimateBytes !== null) est.push(`~${formatBytes(sm.fixable.estimateBytes)}`);
      if (sm.fixable.estimateObjects !== null) est.push(`~${formatCount(sm.fixable.estimateObjects)} objects`);
      const all = sm.fixable.count === sm.hot.count;
      out.push(
        `${all ? (sm.fixable.count === 1 ? 'It has' : 'Each has') : `${formatCount(sm.fixable.count)} ${sm.fixable.count === 1 ? 'has' : 'have'}`} a fix at the statement ` +
          `(${formatPercent(sm.fixable.share)} of ${type}); fix ${them(sm.fixable.count)} in the order below` +
          (est.length > 0 ? `: together the estimates come to ${est.join(', ')}.` : '.'),
      );
    }
    if (sm.calls.count > 0) {
      out.push(
        `${sm.calls.count === 1 ? '1 is a library call' : `${formatCount(sm.calls.count)} are library calls`} that allocate${sm.calls.count === 1 ? 's' : ''} ` +
          `${formatPercent(sm.calls.share)} below the line: change the call site (no estimate: it depends on the change).`,
      );
    }
    if (sm.leave.count > 0) {
      out.push(
        `${sm.leave.count === 1 ? '1 has' : `${formatCount(sm.leave.count)} have`} nothing to fix in the module's production code ` +
          `(${formatPercent(sm.leave.share)}: library-only stacks, test code, inherent copies).`,
      );
    }
    if (sm.stale > 0) {
      out.push(`${sm.stale === 1 ? '1 hot site does' : `${formatCount(sm.stale)} hot sites do`} not match the source under --src, so no rule is drawn from it there.`);
    }
  }
  if (sm.warm.count > 0) {
    out.push(
      `${sm.warm.count === 1 ? '1 more site carries' : `${formatCount(sm.warm.count)} more sites carry`} at least ${formatPercent(report.settings.minShare)} ` +
        `(warm, ${formatPercent(sm.warm.share)} together): look at ${them(sm.warm.count)} after the hot ones.`,
    );
  }
  const compiled = report.escape.packages.some((p) => p.status !== 'failed');
  if (report.escape.source !== 'none' && compiled && report.cold.escapes > 0) {
    out.push(
      `The ${plural(report.cold.escapes, 'escape')} in cold code ${report.cold.escapes === 1 ? 'comes' : 'come'} to ` +
        `${formatPercent(report.cold.share)}: leave ${report.cold.escapes === 1 ? 'it as it is' : 'them as they are'}.`,
    );
  }
  if (report.escape.source === 'none') out.push('Escape analysis did not run, so the reasons behind each site are not shown.');
  else if (!compiled) out.push('No package compiled, so the reasons behind each site are not shown.');
  return out.join(' ');
}

export function buildView(report: Report, viewOpts: ViewOptions = {}): ReportView {
  const { profile } = report;
  const opts: ViewOptions = { ...viewOpts, srcGiven: report.findings.some((f) => f.site.file !== null) || report.sites.some((x) => x.file !== null) };
  const hotFindings = report.findings.filter((f) => f.hot);
  const warmFindings = report.findings.filter((f) => !f.hot);
  const total = formatValue(profile.total, profile.unit);
  const hotShare = hotFindings.reduce((a, f) => a + f.share, 0);

  // What fixing the hot sites saves: the same sum the verdict states (summary.fixable), so the two cannot disagree.
  const fx = report.summary.fixable;
  const savings =
    fx.estimateBytes !== null
      ? `~${formatBytes(fx.estimateBytes)}${fx.estimateBytesPerSecond !== null ? ` (${formatBytes(fx.estimateBytesPerSecond)}/s)` : ''}`
      : fx.estimateObjects !== null
        ? `~${formatCount(fx.estimateObjects)} objects`
        : null;

  const header: { label: string; value: string }[] = [];
  header.push({ label: 'Profile', value: profile.sources.join(', ') || '(stdin)' });
  header.push({
    label: 'Sample index',
    value: `${profile.sampleType} (${sampleIndexWords(profile.sampleIndexReason)})`,
  });
  const totals = [`${total} ${profile.sampleType}`];
  if (profile.companion) totals.push(`${formatValue(profile.companion.total, profile.companion.unit)} ${profile.companion.sampleType}`);
  header.push({ label: 'Total', value: totals.join(', ') });
  if (profile.durationNanos !== null && profile.durationNanos > 0) {
    const seconds = profile.durationNanos / 1e9;
    const rate = isBytesUnit(profile.unit) ? `, ${formatBytes(profile.total / seconds)}/s` : '';
    header.push({ label: 'Duration', value: `${formatDuration(profile.durationNanos)}${rate}` });
  }
  header.push({ label: 'Escape analysis', value: escapeHeader(report) });
  const s = report.settings;
  header.push({
    label: 'Hot means',
    value: profile.companion
      ? `the largest sites covering ${formatPercent(s.hotCover)} of ${profile.sampleType}, and those covering ${formatPercent(s.hotCover)} of ${profile.companion.sampleType}, each at least ${formatPercent(s.minShare)}; warm: any other site with at least ${formatPercent(s.minShare)} of either`
      : `the largest sites covering ${formatPercent(s.hotCover)} of ${profile.sampleType}, each at least ${formatPercent(s.minShare)}; warm: any other site with at least ${formatPercent(s.minShare)}`,
  });
  header.push({ label: 'Order', value: report.summary.order });
  if (report.scope.length > 0) header.push({ label: 'Scope', value: report.scope.join('; ') });

  const notes = [...report.escape.notes];
  for (const p of report.escape.packages) {
    if (p.error) notes.push(`${p.importPath} (${p.status}): ${p.error}`);
  }

  return {
    title: 'Heap allocation report',
    tool: `${report.tool.name} ${report.tool.version}`,
    header,
    verdict: verdict(report, total),
    sampleType: profile.sampleType,
    companionType: profile.companion?.sampleType ?? null,
    total,
    hot: hotFindings.map((f) => findingView(f, report, opts)),
    warm: warmFindings.map((f) => findingView(f, report, opts)),
    hotShare: formatPercent(hotShare),
    savings,
    cold: coldView(report, opts),
    diff: diffView(report, opts),
    history: historyView(report, opts),
    cpu: cpuView(report),
    notes,
    warnings: [...report.warnings],
  };
}
