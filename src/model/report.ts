// The one Report model, shared by every stage that fills it (advise, diff,
// cpu) and every output format (text, markdown, JSON, SARIF, HTML), each a
// pure function of this object, so they cannot drift apart.
import type { EscapeKind } from '../escape/model.js';
import type { Row } from '../rank/model.js';

export const SCHEMA_VERSION = 2;

export type RuleId =
  | 'return-pointer'
  | 'returned-buffer'
  | 'stored-value'
  | 'closure-capture'
  | 'stored-closure'
  | 'method-value'
  | 'interface-boxing'
  | 'fmt-boxing'
  | 'variadic-boxing'
  | 'nonconstant-make'
  | 'too-large-for-stack'
  | 'opaque-call'
  | 'leaking-param'
  | 'slice-growth'
  | 'map-growth'
  | 'string-concat'
  | 'bytes-string-conversion'
  | 'inherent-copy'
  | 'channel-make'
  | 'costly-call'
  | 'large-retained'
  | 'test-code'
  | 'no-user-frame'
  | 'no-escape-info';

export interface Rule {
  id: RuleId;
  title: string;
  /** What triggers it, in words. */
  trigger: string;
  /** The fix in one sentence. */
  fix: string;
  before: string;
  after: string;
  /** When not to apply it. */
  whenNot: string;
}

export interface EscapeRef {
  line: number;
  column: number | null;
  kind: EscapeKind;
  subject: string;
  /** Reason chain from -m=2 (`non-constant size`, `captured by a closure`, ...). */
  reasons: string[];
  /** The compiler's message as printed. */
  message: string;
}

export interface Snippet {
  /** Line number of lines[0]. */
  startLine: number;
  lines: string[];
  /** The site's line. */
  focusLine: number;
}

export interface Estimate {
  /** Bytes per profile the fix would remove (chosen space type, or companion). */
  bytes: number | null;
  objects: number | null;
  bytesPerSecond: number | null;
  objectsPerSecond: number | null;
  /** Always says it is an estimate and what it assumes. */
  note: string;
  /** Estimated CPU share saved, when --cpu was given (0..1 of total CPU). */
  cpuShare?: number | null;
}

/**
 * How the compiler's findings were joined: `expression` (the finding's column
 * lies in an allocating expression of the statement), `call-site` (an inlined
 * allocation, reported at the call), `variable` (a variable the statement
 * captures or takes the address of, moved to heap where it is declared), or
 * `none`.
 */
export type MatchKind = 'expression' | 'call-site' | 'variable' | 'none';

/** A ranked allocation site as the ranking stage counted it (issue: `--format json` `sites`). */
export interface SiteRow {
  function: string;
  /** Relative to --src, forward slashes; null when outside it. */
  file: string | null;
  /** The file as the profile names it. */
  profileFile: string;
  line: number;
  flat: number;
  cum: number;
  /** Companion value of the site's own samples (objects for a space index). */
  objects: number | null;
  allocatedBy: { function: string; via: string | null; value: number; share: number }[];
}

/** hot: worth fixing now; warm: carries at least --min-share but is outside both covers; cold: the rest (leave as is). */
export type Tier = 'hot' | 'warm' | 'cold';

/** A function the site's line calls, and what it allocates below the line. */
export interface CallCost {
  /** The function called (the frame just below the site), e.g. `encoding/json.Unmarshal`. */
  function: string;
  value: number;
  /** Companion value (objects for a space index); null when the profile has none. */
  companion: number | null;
  /** 0..1 of the chosen sample type's total. */
  share: number;
  companionShare: number | null;
  /** The callee is a generated file of the module (`// Code generated … DO NOT EDIT.`). */
  generated: boolean;
}

/** Whether the source under --src is the code the profile was taken from, at this site. */
export interface SourceCheck {
  status: 'matches' | 'stale' | 'unknown';
  /** Why, in words: `function starts at line 61 in the profile and 64 in the source`. */
  reason: string;
}

/** A second allocation on the same line, with its own rule and share. */
export interface FindingNote {
  rule: RuleId;
  text: string;
  value: number;
  share: number;
}

export interface Finding {
  rank: number;
  tier: Tier;
  /** tier === 'hot' (kept for schema 1 readers). */
  hot: boolean;
  site: {
    function: string;
    /** Relative to --src, forward slashes; null when outside it. */
    file: string | null;
    /** The file as the profile names it. */
    profileFile: string;
    line: number;
    /** For inlined allocations: the physical call site the compiler reports at. */
    callSite: { function: string; file: string | null; line: number } | null;
  };
  /** Value at the chosen sample index. */
  value: number;
  /** 0..1 of the chosen sample type's total. */
  share: number;
  /** Companion value (objects for a space index, space for an objects index); null when the profile has none. */
  companion: number | null;
  companionShare: number | null;
  /** Mean of share and companionShare (share alone without a companion): the order of the findings. */
  score: number;
  /** What the statement allocates itself (the rest is in `calls`). */
  self: { value: number; companion: number | null; share: number; companionShare: number | null };
  /** What the functions the line calls allocate below it, largest first. */
  calls: CallCost[];
  /** Library APIs below the site that did the allocating (the frame the code called, e.g. encoding/json.Marshal), largest first. */
  allocatedBy: string[];
  /** The compiler's findings joined to this site's allocating expressions. */
  escapes: EscapeRef[];
  match: MatchKind;
  rule: RuleId | null;
  advice: string;
  /** Other allocations on the same line, each with its own rule and share. */
  notes: FindingNote[];
  /** Statement shape read from the source (append, make, &T{, +=, ...). */
  statement: string | null;
  /** The source around the site; null when the source does not match the profile (stale) or is not at hand. */
  snippet: Snippet | null;
  source: SourceCheck;
  estimate: Estimate;
  /** A single huge allocation, not churn. */
  oneOff: boolean;
}

export interface ColdEscape {
  file: string | null;
  line: number;
  kind: EscapeKind;
  subject: string;
  /** Share of the total at that line (0 when the profile never saw it). */
  share: number;
}

/**
 * How a diff entry was paired with the baseline (src/diff/match.ts):
 * 'line' the same function, file and line; 'statement' the same statement,
 * moved; 'edited' the same line, its statement edited in place; 'offset' the
 * same offset from the function's first line; 'order' the same rank by line in
 * the function; 'none' present on one side only (new, or gone).
 */
export type DiffMatch = 'line' | 'statement' | 'edited' | 'offset' | 'order' | 'none';

/**
 * How two profiles were put on one scale (src/diff/normalize.ts). Current
 * values are divided by `factor` to compare with the baseline's:
 * 'workload' the median ratio over the sites paired on both sides, weighted
 * by the baseline's value; 'duration' the ratio of the durations; 'total' the
 * ratio of the totals (shares are compared); 'none' 1.
 */
export interface Normalization {
  method: 'workload' | 'duration' | 'total' | 'none';
  factor: number;
  /** For 'workload': how many paired sites the ratio comes from; else null. */
  sites: number | null;
  /** One sentence for every format: "workload ratio 1.02, from 41 matched sites". */
  text: string;
}

export interface DiffEntry {
  function: string;
  file: string | null;
  line: number;
  /** The paired site in the baseline (file as --base-src/--src names it); null for a site the baseline lacks. */
  base: { file: string | null; line: number } | null;
  match: DiffMatch;
  /** Change of the normalized value, in the baseline's units and workload (value / factor - baseValue). */
  delta: number;
  /** The same for the companion type (objects for a space index); null when either profile has none. */
  companionDelta: number | null;
  status: 'new-hot' | 'regression' | 'improvement' | 'fixed' | 'unchanged';
  baseValue: number;
  value: number;
  baseShare: number;
  share: number;
  /** Change in share, in share points (share - baseShare). */
  shareDelta: number;
  /** Relative change of the normalized value ((value - base) / base); null when base is 0. */
  relativeChange: number | null;
}

export interface HistoryPeriod {
  /** The profile source as given (the last period is today's profile). */
  source: string;
  /** How the period was scaled to today's workload. */
  normalization: Normalization;
}

export interface HistorySite {
  function: string;
  file: string | null;
  line: number;
  /**
   * Per period, oldest first, today last: the site's value scaled to today's
   * workload, as a share of today's total; null when the site is absent.
   */
  history: (number | null)[];
  /** Per period: whether the site was hot in that profile. */
  hot: boolean[];
  /** How the site was paired in each earlier period (today's entry is 'line'). */
  match: DiffMatch[];
}

export interface History {
  periods: HistoryPeriod[];
  sites: HistorySite[];
}

export interface CpuCost {
  source: string;
  /** Share of CPU time spent in allocation (mallocgc and friends). */
  allocShare: number;
  /** Share of CPU time spent in GC (background mark workers, assists, sweeping). */
  gcShare: number;
  totalShare: number;
  note: string;
}

/** A group of findings and what they add up to. */
export interface FindingGroup {
  count: number;
  /** Sum of the findings' values, and its share (0..1) of the total. */
  value: number;
  share: number;
}

export interface Summary {
  /** How findings are ordered, in words (the same in every format). */
  order: string;
  hot: FindingGroup;
  /** Hot findings with a fix at the statement and an estimate, and what their estimates add up to (a rate only when every one has one). */
  fixable: FindingGroup & { estimateBytes: number | null; estimateObjects: number | null; estimateBytesPerSecond: number | null };
  /** Hot findings whose cost is mostly inside a call (costly-call): changed at the call site, no estimate. */
  calls: FindingGroup;
  /** Hot findings with nothing to fix in the module's code: no frame of the module, test code, or an inherent allocation. */
  leave: FindingGroup;
  /** Hot sites whose source under --src does not match the profile. */
  stale: number;
  warm: FindingGroup;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'advisor'; version: string };
  profile: {
    sources: string[];
    sampleType: string;
    unit: string;
    total: number;
    companion: { sampleType: string; unit: string; total: number } | null;
    durationNanos: number | null;
    timeNanos: number | null;
    sampleIndexReason: string;
  };
  escape: {
    source: 'compiler' | 'log' | 'none';
    goVersion: string | null;
    packages: { importPath: string; status: string; error?: string }[];
    notes: string[];
  };
  settings: { hotCover: number; minShare: number; top: number };
  /** The facts the verdict is written from, so every format states the same ones. */
  summary: Summary;
  functions: Row[];
  /** Top ranked sites, before any join (all of them with --top 0). */
  sites: SiteRow[];
  findings: Finding[];
  cold: {
    /** Ranked sites (statements) that are not hot, one-offs included. */
    sites: number;
    /** Combined share (0..1) of the chosen type at the cold escapes' lines, each site counted once. */
    share: number;
    /** Number of cold escapes (= items.length). */
    escapes: number;
    /** Allocation escapes (moved to heap, escapes, leaking param) no hot site joined; largest share first. */
    items: ColdEscape[];
  };
  diff: {
    base: string[];
    normalize: Normalization['method'];
    normalization: Normalization;
    /** 'ratio' ranks by the relative move; 'subtract' (--diff subtract, as pprof -diff_base) by the change in normalized value. */
    mode: 'ratio' | 'subtract';
    /** Where the baseline's statements came from: --base-src, --base-rev, or nowhere (pairing by function and line only). */
    pairing: { source: 'base-src' | 'base-rev' | null; detail: string | null; note: string | null };
    entries: DiffEntry[];
  } | null;
  /**
   * --history: today's hot sites across earlier profiles (one per week,
   * oldest first). Optional in the type only because the advice stage builds
   * the Report before analyze() adds it; analyze() always sets it (null
   * without --history).
   */
  history?: History | null;
  cpu: CpuCost | null;
  /** Filters and limits that shaped the report (--focus, --changed, ...). */
  scope: string[];
  warnings: string[];
}
