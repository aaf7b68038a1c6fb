// --fail-on: conditions a CI job can fail on, evaluated on the finished
// Report so that what trips a gate is exactly what the report shows (after
// --changed scoping, --focus, and so on). Exit code 1 is the CLI's business;
// this only says whether and why.
import { AdvisorError } from '../errors.js';
import type { DiffEntry, EscapeRef, Finding, Report } from '../model/report.js';
import { formatPercent, formatRelative } from '../model/units.js';

export type Condition =
  /** Some site is hot now and was absent or cold in the baseline. */
  | { kind: 'new-hot'; spec: string }
  /** Some hot site regressed (or became hot), its normalized value up by at least `percent` %. */
  | { kind: 'regression'; percent: number; spec: string }
  /** Some hot finding has a heap escape from the compiler (moved to heap, escapes to heap). */
  | { kind: 'hot-escape'; spec: string }
  /** Some finding is hot. */
  | { kind: 'hot'; spec: string }
  /** Some finding carries at least `percent` % of the chosen sample type. */
  | { kind: 'share'; percent: number; spec: string };

export interface GateResult {
  tripped: boolean;
  /** One line per tripped condition, in the order the conditions were given. */
  reasons: string[];
}

/** The valid spellings, for usage messages and --help. */
export const FAIL_ON_SPECS: readonly string[] = ['new-hot', 'regression:N% (e.g. regression:10%)', 'hot-escape', 'hot', 'share:N% (e.g. share:5%)'];

/** `--fail-on regression` alone means this much. */
export const DEFAULT_REGRESSION_PERCENT = 10;

const VALID = `valid conditions: ${FAIL_ON_SPECS.join(', ')}`;

export function parseFailOn(spec: string): Condition {
  const raw = spec.trim();
  const m = /^([a-z-]+)(?::(.*))?$/i.exec(raw);
  if (!m) throw new AdvisorError('usage', `--fail-on "${spec}" is not a condition; ${VALID}`);
  const name = m[1].toLowerCase();
  const arg = m[2];
  const noValue = (kind: 'new-hot' | 'hot-escape' | 'hot'): Condition => {
    if (arg !== undefined) throw new AdvisorError('usage', `--fail-on ${name} takes no value, got "${raw}"; ${VALID}`);
    return { kind, spec: kind };
  };
  switch (name) {
    case 'new-hot':
    case 'hot-escape':
    case 'hot':
      return noValue(name);
    case 'regression': {
      const percent = arg === undefined ? DEFAULT_REGRESSION_PERCENT : parsePercent(name, arg, raw, Infinity);
      return { kind: 'regression', percent, spec: `regression:${percent}%` };
    }
    case 'share': {
      if (arg === undefined) throw new AdvisorError('usage', `--fail-on share needs a percentage, e.g. share:5%`);
      const percent = parsePercent(name, arg, raw, 100);
      return { kind: 'share', percent, spec: `share:${percent}%` };
    }
    default:
      throw new AdvisorError('usage', `unknown --fail-on condition "${raw}"; ${VALID}`);
  }
}

function parsePercent(name: string, arg: string, raw: string, max: number): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%?\s*$/.exec(arg);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0 && n <= max)) {
    const range = max === Infinity ? 'a percentage above 0' : `a percentage in (0, ${max}]`;
    throw new AdvisorError('usage', `--fail-on "${raw}": ${name} needs ${range}, e.g. ${name}:${name === 'share' ? 5 : 10}%`);
  }
  return n;
}

/** Parses repeated and comma-separated --fail-on values, dropping duplicates. */
export function parseFailOnList(specs: string | readonly string[]): Condition[] {
  const list = typeof specs === 'string' ? [specs] : specs;
  const out: Condition[] = [];
  const seen = new Set<string>();
  for (const s of list) {
    for (const part of s.split(',')) {
      if (part.trim() === '') continue;
      const c = parseFailOn(part);
      if (!seen.has(c.spec)) {
        seen.add(c.spec);
        out.push(c);
      }
    }
  }
  return out;
}

/** The usage error text for a condition that compares with a baseline when none was given; null when it needs none. */
export function requiresBase(condition: Condition): string | null {
  if (condition.kind !== 'new-hot' && condition.kind !== 'regression') return null;
  return `--fail-on ${condition.spec} compares with a baseline: add --base OLD.pb.gz (last week's profile, or one from the base branch)`;
}

/** Escape kinds that mean a heap allocation; a leaking parameter or "does not escape" is not one by itself. */
function isHeapEscape(e: EscapeRef): boolean {
  if (e.kind === 'moved-to-heap' || e.kind === 'escapes') return true;
  return e.kind === 'loopvar' && /heap/.test(e.message);
}

export function evaluateGates(report: Report, conditions: readonly Condition[]): GateResult {
  const reasons: string[] = [];
  const sampleType = report.profile.sampleType;
  const of = (share: number): string => `${formatPercent(share)} of ${sampleType}`;
  const more = (n: number): string => (n > 1 ? ` (and ${n - 1} more)` : '');

  for (const c of conditions) {
    const needsBase = requiresBase(c);
    if (needsBase !== null && report.diff === null) throw new AdvisorError('usage', needsBase);
    switch (c.kind) {
      case 'new-hot': {
        const hits = report.diff!.entries.filter((e) => e.status === 'new-hot').sort(byShareDesc);
        if (hits.length === 0) break;
        const e = hits[0];
        const from = e.baseValue === 0 ? 'new since the baseline' : `was ${formatPercent(e.baseShare)}`;
        reasons.push(`new-hot tripped: ${entryPlace(e)} is newly hot at ${of(e.share)}, ${from}${more(hits.length)}`);
        break;
      }
      case 'regression': {
        const hot = hotKeys(report.findings);
        const limit = c.percent / 100;
        const hits = report.diff!.entries
          .filter((e) => (e.status === 'regression' || e.status === 'new-hot') && hot.has(placeKey(e.function, e.file, e.line)))
          .filter((e) => (e.relativeChange === null ? e.baseValue === 0 && e.value !== 0 : e.relativeChange >= limit - 1e-12))
          .sort((a, b) => (b.relativeChange ?? Infinity) - (a.relativeChange ?? Infinity) || b.shareDelta - a.shareDelta);
        if (hits.length === 0) break;
        const e = hits[0];
        const per = report.diff!.normalize === 'duration' ? ' per second' : report.diff!.normalize === 'workload' ? ' at the same workload' : '';
        const how = e.relativeChange === null ? 'appeared' : `grew ${formatRelative(e.relativeChange).replace(/^\+/, '')}${per}`;
        reasons.push(`${c.spec} tripped: ${entryPlace(e)} ${how} (${formatPercent(e.baseShare)} → ${of(e.share)})${more(hits.length)}`);
        break;
      }
      case 'hot-escape': {
        const hits = report.findings.filter((f) => f.hot && f.escapes.some(isHeapEscape)).sort((a, b) => b.share - a.share);
        if (hits.length === 0) break;
        const f = hits[0];
        const esc = f.escapes.find(isHeapEscape)!;
        reasons.push(`hot-escape tripped: ${findingPlace(f)} is hot (${of(f.share)}) and the compiler says: ${esc.message}${more(hits.length)}`);
        break;
      }
      case 'hot': {
        const hits = report.findings.filter((f) => f.hot).sort((a, b) => b.share - a.share);
        if (hits.length === 0) break;
        const n = hits.length;
        reasons.push(`hot tripped: ${n} hot site${n === 1 ? '' : 's'}, the largest ${findingPlace(hits[0])} at ${of(hits[0].share)}`);
        break;
      }
      case 'share': {
        const limit = c.percent / 100;
        const hits = report.findings.filter((f) => f.share >= limit - 1e-12).sort((a, b) => b.share - a.share);
        if (hits.length === 0) break;
        reasons.push(`${c.spec} tripped: ${findingPlace(hits[0])} has ${of(hits[0].share)}, at least ${c.percent}%${more(hits.length)}`);
        break;
      }
    }
  }
  return { tripped: reasons.length > 0, reasons };
}

function byShareDesc(a: DiffEntry, b: DiffEntry): number {
  return b.share - a.share;
}

function placeKey(fn: string, file: string | null, line: number): string {
  return `${fn}\0${file ?? ''}\0${line}`;
}

/** Hot findings by (function, --src-relative file, line): the identity diff entries carry. */
function hotKeys(findings: readonly Finding[]): Set<string> {
  const s = new Set<string>();
  for (const f of findings) if (f.hot) s.add(placeKey(f.site.function, f.site.file, f.site.line));
  return s;
}

function entryPlace(e: DiffEntry): string {
  return e.file === null ? `${e.function} (line ${e.line})` : `${e.function} (${e.file}:${e.line})`;
}

function findingPlace(f: Finding): string {
  return `${f.site.function} (${f.site.file ?? f.site.profileFile}:${f.site.line})`;
}
