// Joins a ranked allocation site (file:line from the profile, no column) to
// the compiler's escape findings (file:line:column). The profile and the
// compiler disagree on positions in known ways, so the join tries, in order:
//   1. the exact line: the physical call site first for inlined allocations,
//      because the compiler reports each inlined copy there (reference §10.4),
//      then the site's own line (the out-of-line copy);
//   2. another column on that line, preferring findings that allocate;
//   3. a variable of the enclosing function moved to heap, reported at its
//      declaration rather than where the profile saw the allocation.
import type { EscapeFinding, EscapeKind } from '../escape/model.js';
import type { MatchKind } from '../model/report.js';

/** Kinds that say something about where a value lives; the rest (inlining, devirtualizing) never explain an allocation. */
const JOINABLE: ReadonlySet<EscapeKind> = new Set<EscapeKind>([
  'moved-to-heap',
  'escapes',
  'does-not-escape',
  'leaking-param',
  'leaking-param-content',
  'leaking-param-to-result',
  'loopvar',
]);

/** Allocation kinds: the ones that count as cold escapes when no hot site claims them. */
export const ALLOCATION_KINDS: ReadonlySet<EscapeKind> = new Set<EscapeKind>(['moved-to-heap', 'escapes', 'leaking-param']);

/** Lower is a better explanation of an allocation seen in the profile. */
function kindRank(f: EscapeFinding): number {
  switch (f.kind) {
    case 'moved-to-heap':
    case 'escapes':
      return 0;
    case 'loopvar':
      return /heap/.test(f.message) ? 0 : 3;
    case 'leaking-param':
      return 1;
    case 'leaking-param-content':
      return 2;
    case 'does-not-escape':
      return 3;
    case 'leaking-param-to-result':
      return 4;
    default:
      return 5;
  }
}

export interface FindingIndex {
  /** relFile -> line -> findings on that line (deduplicated, by column). */
  byLine: Map<string, Map<number, EscapeFinding[]>>;
  /** relFile -> `can inline` / `cannot inline` findings (function declarations), by line. */
  declarations: Map<string, EscapeFinding[]>;
  /** relFile -> names captured by reference (`f capturing by ref: x`). */
  capturedByRef: Map<string, Set<string>>;
  /** Method names declared in the compiled packages (`less` from `can inline (*sorter).less`), to tell method values from fields. */
  methodNames: Set<string>;
  /** Findings in the form they were indexed (deduplicated), for the cold list. */
  all: EscapeFinding[];
}

function dedupeKey(f: EscapeFinding): string {
  // Identical lines from different inlined statements stay apart when -json=0 tells them apart.
  const inner = f.inlinedFrom?.[f.inlinedFrom.length - 1];
  const from = inner ? `${inner.relFile ?? inner.file}:${inner.line}:${inner.column}` : '';
  return `${f.relFile}\u0000${f.line}\u0000${f.column ?? ''}\u0000${f.kind}\u0000${f.subject}\u0000${from}`;
}

/**
 * Index escape findings by module-relative file and line. Identical lines
 * (inlined copies, generic shapes) collapse into one entry: for joining, one
 * verdict per position is what matters; the count stays on the finding.
 */
export function indexFindings(findings: EscapeFinding[]): FindingIndex {
  const byLine = new Map<string, Map<number, EscapeFinding[]>>();
  const declarations = new Map<string, EscapeFinding[]>();
  const capturedByRef = new Map<string, Set<string>>();
  const seen = new Map<string, EscapeFinding>();
  const all: EscapeFinding[] = [];
  const methodNames = new Set<string>();
  for (const f of findings) {
    if (f.kind === 'can-inline' || f.kind === 'cannot-inline') {
      // `(*T).M`, `T.M`, `(*T[...]).M`: a dot left after dropping closure suffixes means a method.
      const name = declName(f);
      const outer = name ? enclosingFunctionName(name.replace(/\[[^\]]*\]/g, '')) : '';
      const dot = outer.lastIndexOf('.');
      if (dot > 0) methodNames.add(outer.slice(dot + 1));
    }
    if (f.relFile === null) continue;
    if (f.kind === 'can-inline' || f.kind === 'cannot-inline') {
      let list = declarations.get(f.relFile);
      if (!list) declarations.set(f.relFile, (list = []));
      list.push(f);
      continue;
    }
    if (f.kind === 'capturing') {
      const m = /capturing by ref:\s*([A-Za-z_]\w*)/.exec(f.message);
      const byRef = m !== null || f.detail['mode'] === 'ref' || f.detail['by'] === 'ref';
      const name = m ? m[1] : f.subject;
      if (byRef && name) {
        let set = capturedByRef.get(f.relFile);
        if (!set) capturedByRef.set(f.relFile, (set = new Set()));
        set.add(name);
      }
      continue;
    }
    if (!JOINABLE.has(f.kind)) continue;
    const key = dedupeKey(f);
    const prev = seen.get(key);
    if (prev) {
      // Keep the richest copy: -m=2 reasons may be on one duplicate only.
      if (prev.reasons.length === 0 && f.reasons.length > 0) {
        const i = all.indexOf(prev);
        all[i] = f;
        seen.set(key, f);
        replaceInLine(byLine, prev, f);
      }
      continue;
    }
    seen.set(key, f);
    all.push(f);
    let lines = byLine.get(f.relFile);
    if (!lines) byLine.set(f.relFile, (lines = new Map()));
    let list = lines.get(f.line);
    if (!list) lines.set(f.line, (list = []));
    list.push(f);
  }
  for (const lines of byLine.values()) {
    for (const list of lines.values()) list.sort((a, b) => (a.column ?? 0) - (b.column ?? 0) || kindRank(a) - kindRank(b));
  }
  for (const list of declarations.values()) list.sort((a, b) => a.line - b.line);
  return { byLine, declarations, capturedByRef, methodNames, all };
}

function replaceInLine(byLine: Map<string, Map<number, EscapeFinding[]>>, prev: EscapeFinding, next: EscapeFinding): void {
  const list = byLine.get(prev.relFile as string)?.get(prev.line);
  if (!list) return;
  const i = list.indexOf(prev);
  if (i >= 0) list[i] = next;
}

export interface JoinQuery {
  /** Module-relative file of the site (null: outside --src). */
  relFile: string | null;
  line: number;
  /** Profile function name of the site (`example.com/m/pkg.(*T).M`). */
  function: string;
  /** The physical call sites of inlined allocations, most important first; empty when not inlined. */
  callSites: { relFile: string | null; line: number; function: string }[];
  /** Start line of the (physical) function, when known from the profile or source. */
  functionStartLine: number | null;
  /** The site's source line, to tell which moved-to-heap variable it uses. */
  siteText: string | null;
  /** Hints from the source statement for picking among findings on one line. */
  preferSubject?: (f: EscapeFinding) => boolean;
}

export interface JoinResult {
  match: MatchKind;
  /** The finding that explains the allocation best; null when nothing matched. */
  primary: EscapeFinding | null;
  /** Every finding at the matched position, primary first. */
  related: EscapeFinding[];
  /** Where the matched findings sit. */
  file: string | null;
  line: number | null;
}

const NO_MATCH: JoinResult = { match: 'none', primary: null, related: [], file: null, line: null };

/** The compiler's name for a profile function: package path dropped (`(*T).M`, `Outer.func1`). */
export function compilerFunctionName(profileName: string): string {
  const slash = profileName.lastIndexOf('/');
  const tail = profileName.slice(slash + 1);
  const dot = tail.indexOf('.');
  return dot >= 0 ? tail.slice(dot + 1) : tail;
}

/** The top-level function a closure belongs to: `Outer.func1.2` -> `Outer`. */
export function enclosingFunctionName(compilerName: string): string {
  const parts = compilerName.split('.');
  let end = parts.length;
  while (end > 1 && /^(func\d+|gowrap\d+|deferwrap\d+|\d+)$/.test(parts[end - 1])) end--;
  return parts.slice(0, end).join('.');
}

/** Reasons that name the cause of an allocation outright; a finding with one explains more than one without. */
const DECISIVE_REASONS = ['too large for stack', 'non-constant size', 'interface-converted', 'captured by a closure'];

/**
 * `x escapes to heap` for a plain name is an interface conversion: named
 * variables that escape are reported as `moved to heap: x` instead. (Go 1.26
 * no longer prints the `interface-converted` reason on these paths.)
 */
export function isBoxedName(f: EscapeFinding, sameLine: EscapeFinding[] = []): boolean {
  if (f.kind !== 'escapes' || !/^[A-Za-z_]\w*$/.test(f.subject) || f.subject === 'append') return false;
  return !sameLine.some((g) => g.kind === 'moved-to-heap' && g.subject === f.subject && g.column === f.column);
}

/**
 * Where an inlined finding came from, against the site: 0 when its innermost
 * inlined position (-json=0, `inlinedFrom`) is the site's own line, 2 when it
 * is another line (another statement of the callee), 1 when unknown.
 */
export type OriginTest = (f: EscapeFinding) => 0 | 1 | 2;

function pickOnLine(list: EscapeFinding[], atCallSite: boolean, prefer?: (f: EscapeFinding) => boolean, origin?: OriginTest): EscapeFinding {
  let best = list[0];
  let bestScore = Infinity;
  for (const f of list) {
    // Kind first. At a call site, every statement of the inlined callee
    // reports on the same line, so the one matching the site's statement
    // comes next; on the statement's own line, a decisive -m=2 reason comes
    // first (boxing allocates per call, an append on the same line only
    // grows now and then). Then the leftmost column.
    // Last, an `append` ranks below other allocations of its statement: it
    // allocates only when the slice grows, a func literal or a box every time.
    const decisive = f.reasons.some((r) => DECISIVE_REASONS.includes(r)) || isBoxedName(f, list);
    const fits = prefer ? prefer(f) : false;
    const [first, second] = atCallSite ? [fits, decisive] : [decisive, fits];
    const amortized = f.subject === 'append';
    // The compiler's own record of where an inlined allocation came from beats every heuristic.
    const from = origin ? origin(f) : 1;
    const score = from * 1000 + kindRank(f) * 8 + (first ? 0 : 4) + (second ? 0 : 2) + (amortized ? 1 : 0);
    if (score < bestScore) {
      best = f;
      bestScore = score;
    }
  }
  return best;
}

function joinAtLine(
  index: FindingIndex,
  relFile: string | null,
  line: number,
  exact: MatchKind,
  prefer?: (f: EscapeFinding) => boolean,
  origin?: OriginTest,
): JoinResult | null {
  if (relFile === null) return null;
  const list = index.byLine.get(relFile)?.get(line);
  if (!list || list.length === 0) return null;
  const primary = pickOnLine(list, exact === 'call-site-line', prefer, origin);
  // When the compiler says where the primary came from, findings it says came from elsewhere are not evidence.
  const known = origin !== undefined && origin(primary) === 0;
  const related = [primary, ...list.filter((f) => f !== primary && !(known && origin(f) === 2))];
  return { match: primary === list[0] ? exact : 'same-line-other-column', primary, related, file: relFile, line };
}

/** Find the start line of the enclosing top-level function from the compiler's declaration lines. */
function declarationLine(index: FindingIndex, relFile: string, profileFunction: string, before: number): number | null {
  const decls = index.declarations.get(relFile);
  if (!decls) return null;
  const outer = enclosingFunctionName(compilerFunctionName(profileFunction));
  let byName: number | null = null;
  let nearest: number | null = null;
  for (const d of decls) {
    if (d.line > before) break;
    const name = declName(d);
    if (name !== null && enclosingFunctionName(name) === name && name === outer) byName = d.line;
    // Closures have their own `can inline Outer.func1` lines: only top-level declarations bound the search.
    if (name !== null && !/\.func\d+/.test(name)) nearest = d.line;
  }
  return byName ?? nearest;
}

function declName(d: EscapeFinding): string | null {
  if (d.subject) return d.subject.replace(/^(?:can|cannot) inline\s+/, '').split(/[\s:]/)[0] || null;
  const m = /^(?:can|cannot) inline ([^\s:]+)/.exec(d.message);
  return m ? m[1] : null;
}

function containsIdentifier(text: string, name: string): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name)) return false;
  return new RegExp(`(?<![\\w.])${name}(?!\\w)`).test(text);
}

/** Join one site to the escape findings; see the file comment for the order. */
export function joinSite(index: FindingIndex, q: JoinQuery): JoinResult {
  const siteFile = q.relFile;
  const origin: OriginTest = (f) => {
    const chain = f.inlinedFrom;
    if (!chain || chain.length === 0 || siteFile === null) return 1;
    const inner = chain[chain.length - 1];
    // inlinedFrom is module-relative; the site is --src-relative (a suffix of it when --src is a subdirectory).
    const sameFile = inner.relFile !== null && (inner.relFile === siteFile || inner.relFile.endsWith('/' + siteFile));
    return sameFile && inner.line === q.line ? 0 : 2;
  };
  for (const cs of q.callSites) {
    const r = joinAtLine(index, cs.relFile, cs.line, 'call-site-line', q.preferSubject, origin);
    if (r) return r;
  }
  const r = joinAtLine(index, q.relFile, q.line, 'line', q.preferSubject);
  if (r) return r;

  // 3. A variable of the enclosing function, moved to heap at its declaration.
  const cs = q.callSites[0];
  const physFile = cs ? cs.relFile : q.relFile;
  const physLine = cs ? cs.line : q.line;
  const physFunction = cs ? cs.function : q.function;
  if (physFile === null) return NO_MATCH;
  const lines = index.byLine.get(physFile);
  if (!lines) return NO_MATCH;
  const start = q.functionStartLine ?? declarationLine(index, physFile, physFunction, physLine);
  if (start === null) return NO_MATCH;
  // -m=2 names the function of each explanation (`x escapes to heap in f:`);
  // where it does, it must be the site's own top-level function.
  const outer = enclosingFunctionName(compilerFunctionName(physFunction));
  const candidates: EscapeFinding[] = [];
  for (const [line, list] of lines) {
    if (line < start || line > physLine) continue;
    for (const f of list) {
      if (f.kind !== 'moved-to-heap') continue;
      const owner = f.detail['func'];
      if (typeof owner === 'string' && enclosingFunctionName(owner) !== outer) continue;
      candidates.push(f);
    }
  }
  if (candidates.length === 0) return NO_MATCH;
  candidates.sort((a, b) => b.line - a.line || (a.column ?? 0) - (b.column ?? 0));
  let chosen: EscapeFinding | null = null;
  if (q.siteText !== null) {
    chosen = candidates.find((f) => containsIdentifier(q.siteText as string, f.subject)) ?? null;
  } else if (candidates.length === 1) {
    // Without source we cannot tell which variable the line uses; only an unambiguous one is safe.
    chosen = candidates[0];
  }
  if (!chosen) return NO_MATCH;
  return { match: 'function-variable', primary: chosen, related: [chosen], file: physFile, line: chosen.line };
}
