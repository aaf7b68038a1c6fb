// The whole analysis as one pure function: everything the stages need comes
// in (rankings, escape results, the baseline's ranking, the CPU cost, the
// changed lines, source text through callbacks), the finished Report comes out.
// src/run.ts does the I/O (profiles, the compiler, git) and calls this; the
// renderers read what it returns. Stages, in order:
//   advice   buildReport (src/advise): findings, cold escapes, sites
//   diff     --base: each site against the baseline (src/diff)
//   cpu      --cpu: the CPU share a fix could give back, per finding
//   history  --history: today's hot sites across earlier profiles
//   changed  --changed: only findings and diff entries on changed lines
//   scope    what shaped the report, each item once
import { buildReport, type AdviseInput } from './advise/index.js';
import { cpuSavingEstimate } from './cpu/index.js';
import { historyOf } from './diff/history.js';
import { diffRankings, filterByChanged, filterEntriesByChanged, type DiffOptions, type DiffSide } from './diff/index.js';
import type { ChangedLines } from './diff/changed.js';
import type { CpuCost, Report } from './model/report.js';

export interface BaselineInput extends DiffSide {
  /** How the diff normalizes, pairs and scales; see DiffOptions. hotCover and minShare come from the advice options. */
  options: Omit<DiffOptions, 'hotCover' | 'minShare'>;
}

export interface ChangedInput {
  /** The revision as given (--changed REV). */
  rev: string;
  /** The commit it resolved to. */
  baseCommit: string;
  /** Changed lines by --src-relative path. */
  lines: ChangedLines;
}

export interface HistoryInput {
  /** One side per earlier profile (a week), oldest first. */
  periods: DiffSide[];
  options: Omit<DiffOptions, 'hotCover' | 'minShare'>;
}

export interface AnalyzeInputs {
  /** Everything buildReport needs: the current ranking, escape results, source access, options. */
  advice: AdviseInput;
  /** Profile.duration_nanos of the current profile(s); 0 when unset. */
  durationNanos: number;
  /** --base: the baseline side, or null. */
  base: BaselineInput | null;
  /** --cpu: the CPU cost of allocation, or null. */
  cpu: CpuCost | null;
  /** --changed: the changed lines, or null. */
  changed: ChangedInput | null;
  /** --history: earlier profiles, or null. */
  history?: HistoryInput | null;
}

export function analyze(inputs: AnalyzeInputs): Report {
  const report = buildReport(inputs.advice);
  const scope = [...(inputs.advice.scope ?? [])];
  const withDiff = inputs.base ? diffStage(report, inputs, inputs.base) : report;
  if (inputs.base) scope.push(`compared with ${inputs.base.sources.join(', ')}`);
  const withCpu = inputs.cpu ? cpuStage(withDiff, inputs.cpu) : withDiff;
  const withHistory = { ...withCpu, history: inputs.history ? historyStage(inputs, inputs.history) : null };
  const { report: scoped, scope: changedScope } = inputs.changed ? changedStage(withHistory, inputs.changed) : { report: withHistory, scope: null };
  if (inputs.history) scope.push(`history of ${inputs.history.periods.length} earlier profile${inputs.history.periods.length === 1 ? '' : 's'}`);
  if (changedScope) scope.push(changedScope);
  return { ...scoped, scope: [...scoped.scope, ...scope.filter((x) => !scoped.scope.includes(x))] };
}

/** Report.diff: each site of the current profile against the baseline. */
export function diffStage(report: Report, inputs: Pick<AnalyzeInputs, 'advice' | 'durationNanos'>, base: BaselineInput): Report {
  const { ranking, sources, options } = inputs.advice;
  const diff = diffRankings(
    { ranking, durationNanos: inputs.durationNanos, sources },
    { ranking: base.ranking, durationNanos: base.durationNanos, sources: base.sources },
    { ...base.options, hotCover: options.hotCover, minShare: options.minShare },
  );
  return { ...report, diff };
}

/** Report.history: today's hot sites, each with its scaled share in every earlier profile. */
export function historyStage(inputs: Pick<AnalyzeInputs, 'advice' | 'durationNanos'>, history: HistoryInput): NonNullable<Report['history']> {
  const { ranking, sources, options } = inputs.advice;
  return historyOf({ ranking, durationNanos: inputs.durationNanos, sources }, history.periods, {
    ...history.options,
    hotCover: options.hotCover,
    minShare: options.minShare,
  });
}

/** Estimate.cpuShare on every finding, and Report.cpu. */
export function cpuStage(report: Report, cost: CpuCost): Report {
  return {
    ...report,
    cpu: cost,
    findings: report.findings.map((f) => ({ ...f, estimate: { ...f.estimate, cpuShare: cpuSavingEstimate(cost, f.share, f.companionShare) } })),
  };
}

/** Only the findings and diff entries on changed lines, and the scope line that says so. */
export function changedStage(report: Report, changed: ChangedInput): { report: Report; scope: string } {
  const findings = filterByChanged(report.findings, changed.lines);
  const diff = report.diff ? { ...report.diff, entries: filterEntriesByChanged(report.diff.entries, changed.lines) } : null;
  const scope = `only lines changed since ${changed.rev} (${changed.baseCommit.slice(0, 12)}): ${findings.length} of ${report.findings.length} findings`;
  return { report: { ...report, findings, diff }, scope };
}
