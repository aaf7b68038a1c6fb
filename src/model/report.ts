// The one Report model, shared by every stage that fills it (advise, diff,
// cpu) and every output format (text, markdown, JSON, SARIF, HTML), each a
// pure function of this object, so they cannot drift apart.
import type { EscapeKind } from '../escape/model.js';
import type { Row } from '../rank/model.js';

export const SCHEMA_VERSION = 1;

export type RuleId =
  | 'return-pointer'
  | 'closure-capture'
  | 'interface-boxing'
  | 'fmt-boxing'
  | 'nonconstant-make'
  | 'too-large-for-stack'
  | 'slice-growth'
  | 'string-concat'
  | 'bytes-string-conversion'
  | 'map-growth'
  | 'leaking-param'
  | 'method-value'
  | 'large-retained'
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

export type MatchKind = 'line' | 'call-site-line' | 'same-line-other-column' | 'function-variable' | 'none';

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

export interface Finding {
  rank: number;
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
  /** Companion objects (or space, for an objects index); null when the profile has none. */
  objects: number | null;
  objectsShare: number | null;
  /** Combined priority score (0..1) from both shares. */
  score: number;
  /** Library APIs below the site that did the allocating (the frame the code called, e.g. encoding/json.Marshal), largest first. */
  allocatedBy: string[];
  escapes: EscapeRef[];
  match: MatchKind;
  rule: RuleId | null;
  advice: string;
  /** Statement shape read from the source (append, make, &T{, +=, ...). */
  statement: string | null;
  snippet: Snippet | null;
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

export interface DiffEntry {
  function: string;
  file: string | null;
  line: number;
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

export interface CpuCost {
  source: string;
  /** Share of CPU time spent in allocation (mallocgc and friends). */
  allocShare: number;
  /** Share of CPU time spent in GC (background mark workers, assists, sweeping). */
  gcShare: number;
  totalShare: number;
  note: string;
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
  diff: { base: string[]; normalize: 'total' | 'duration' | 'none'; entries: DiffEntry[] } | null;
  cpu: CpuCost | null;
  /** Filters and limits that shaped the report (--focus, --changed, ...). */
  scope: string[];
  warnings: string[];
}
