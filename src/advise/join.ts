// Joins a ranked allocation site (file:line from the profile, no column) to
// the compiler's escape findings (file:line:column), by column: a finding
// belongs to the site only when its position lies inside an allocating
// expression of the site's statement (read with the Go parser), or it is the
// `moved to heap` of a variable such an expression captures or takes the
// address of. A finding from another expression on the same line (a
// closure's parameter, an expression inside a func literal's body) is not
// evidence for the site. The order:
//   1. for inlined allocations, the physical call site first, because the
//      compiler reports each inlined copy there (reference §10.4): findings
//      inside the inlined call, whose -json=0 origin (when known) is the
//      site's own line;
//   2. the site's own statement (the out-of-line copy);
//   3. variables moved to heap at their declaration that the statement
//      captures or takes the address of.
import type { EscapeFinding, EscapeKind } from '../escape/model.js';
import type { MatchKind } from '../model/report.js';
import type { AllocExpr, GoFile, Pos, Span, StatementInfo } from '../syntax/model.js';

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
  /** relFile -> names a closure captures by reference because they are assigned (`… assign=true …`). */
  capturedAssigned: Map<string, Set<string>>;
  /** relFile -> name -> the captured variable's size in bytes (`width=136`): over 128 bytes, Go captures by reference. */
  captureWidth: Map<string, Map<string, number>>;
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
  const capturedAssigned = new Map<string, Set<string>>();
  const captureWidth = new Map<string, Map<string, number>>();
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
        const width = /\bwidth=(\d+)/.exec(f.message);
        if (width) {
          let w = captureWidth.get(f.relFile);
          if (!w) captureWidth.set(f.relFile, (w = new Map()));
          w.set(name, Math.max(w.get(name) ?? 0, Number(width[1])));
        }
        if (/\bassign=true\b/.test(f.message) || f.detail['assign'] === true) {
          let a = capturedAssigned.get(f.relFile);
          if (!a) capturedAssigned.set(f.relFile, (a = new Set()));
          a.add(name);
        }
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
  return { byLine, declarations, capturedByRef, capturedAssigned, captureWidth, methodNames, all };
}

function replaceInLine(byLine: Map<string, Map<number, EscapeFinding[]>>, prev: EscapeFinding, next: EscapeFinding): void {
  const list = byLine.get(prev.relFile as string)?.get(prev.line);
  if (!list) return;
  const i = list.indexOf(prev);
  if (i >= 0) list[i] = next;
}

/** The compiler's name for a profile function: package path dropped (`(*T).M`, `Outer.func1`). */
export function compilerFunctionName(profileName: string): string {
  // Type arguments may hold paths (`F[go.shape.struct { X github.com/a/b.T }]`): look for the package before the first '['.
  const bracket = profileName.indexOf('[');
  const head = bracket >= 0 ? profileName.slice(0, bracket) : profileName;
  const slash = head.lastIndexOf('/');
  const dot = profileName.indexOf('.', slash + 1);
  return dot >= 0 && (bracket < 0 || dot < bracket) ? profileName.slice(dot + 1) : profileName.slice(slash + 1);
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


function declName(d: EscapeFinding): string | null {
  if (d.subject) return d.subject.replace(/^(?:can|cannot) inline\s+/, '').split(/[\s:]/)[0] || null;
  const m = /^(?:can|cannot) inline ([^\s:]+)/.exec(d.message);
  return m ? m[1] : null;
}


/** `x escapes to heap` style kinds that can explain an allocation at a site; declarations (`leaking param`) never do. */
const SITE_KINDS: ReadonlySet<EscapeKind> = new Set<EscapeKind>(['moved-to-heap', 'escapes', 'does-not-escape', 'loopvar']);

export interface JoinQuery {
  /** --src-relative file of the site (null: outside --src). */
  relFile: string | null;
  line: number;
  /** Profile function name of the site (`example.com/m/pkg.(*T).M`). */
  function: string;
  /** The site's statement, when the source is parsed and matches the profile. */
  statement: StatementInfo | null;
  /** The parsed file of the site, for variable declarations. */
  parsed: GoFile | null;
  /** The physical call sites of inlined allocations, most important first; empty when not inlined. */
  callSites: { relFile: string | null; line: number; function: string; statement: StatementInfo | null }[];
}

export interface JoinResult {
  match: MatchKind;
  /** The finding that explains the allocation best; null when nothing matched. */
  primary: EscapeFinding | null;
  /** The allocating expression the primary finding lies in, when known. */
  expression: AllocExpr | null;
  /** Every finding joined to the site's allocating expressions, primary first. */
  related: EscapeFinding[];
  /** Where the matched findings sit. */
  file: string | null;
  line: number | null;
}

const NO_MATCH: JoinResult = { match: 'none', primary: null, expression: null, related: [], file: null, line: null };

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.column <= b.column);
}

export function spanContains(span: Span, line: number, column: number): boolean {
  const p = { line, column };
  return before(span.start, p) && before(p, { line: span.end.line, column: span.end.column });
}

function spanSize(s: Span): number {
  return (s.end.line - s.start.line) * 10000 + (s.end.column - s.start.column);
}

/** The innermost allocating expression of the statement that holds the position. */
export function allocAt(st: StatementInfo, line: number, column: number | null): AllocExpr | null {
  if (column === null) return null;
  let best: AllocExpr | null = null;
  for (const a of st.allocs) {
    if (!spanContains(a.span, line, column)) continue;
    if (!best || spanSize(a.span) < spanSize(best.span)) best = a;
  }
  return best;
}

/** `v escapes to heap` for a plain name or a selector: an operand converted to an interface, not an allocating expression. */
function isOperand(f: EscapeFinding, sameLine: EscapeFinding[]): boolean {
  return isBoxedName(f, sameLine) || (f.kind === 'escapes' && /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(f.subject));
}

function operandOrAlloc(st: StatementInfo, f: EscapeFinding, sameLine: EscapeFinding[]): AllocExpr | null {
  const e = allocAt(st, f.line, f.column);
  if (e && e.kind === 'method-value') return e;
  return isOperand(f, sameLine) ? null : e;
}

/** Findings on the lines a statement spans. */
function findingsIn(index: FindingIndex, relFile: string, span: Span): EscapeFinding[] {
  const lines = index.byLine.get(relFile);
  if (!lines) return [];
  const out: EscapeFinding[] = [];
  for (let l = span.start.line; l <= span.end.line; l++) for (const f of lines.get(l) ?? []) out.push(f);
  return out;
}

/**
 * Where an inlined finding came from, against the site: 0 when its innermost
 * inlined position (-json=0, `inlinedFrom`) is the site's own line, 2 when it
 * is another line (another statement of the callee), 1 when unknown.
 */
function originOf(f: EscapeFinding, siteFile: string | null, siteLine: number): number {
  const chain = f.inlinedFrom;
  if (!chain || chain.length === 0 || siteFile === null) return 1;
  const inner = chain[chain.length - 1];
  // inlinedFrom is module-relative; the site is --src-relative (a suffix of it when --src is a subdirectory).
  const sameFile = inner.relFile !== null && (inner.relFile === siteFile || inner.relFile.endsWith('/' + siteFile));
  return sameFile && inner.line === siteLine ? 0 : 2;
}

/** Lower is a better explanation of an allocation seen in the profile. */
function explainRank(f: EscapeFinding, all: EscapeFinding[]): number {
  // Kind first: a heap verdict explains an allocation, `does not escape`
  // only when the runtime still had to allocate (a long conversion, a
  // variable-size make). Then a decisive -m=2 reason. Last, an append ranks
  // below other allocations of its statement: it allocates only when the
  // slice grows, a func literal or a box every time.
  const decisive = f.reasons.some((r) => DECISIVE_REASONS.includes(r)) || isBoxedName(f, all);
  const amortized = f.subject === 'append';
  return kindRank(f) * 8 + (decisive ? 0 : 4) + (amortized ? 1 : 0);
}

function pick(cands: { f: EscapeFinding; e: AllocExpr | null; origin: number }[], all: EscapeFinding[]): { f: EscapeFinding; e: AllocExpr | null } {
  let best = cands[0];
  let bestScore = Infinity;
  for (const c of cands) {
    const score = c.origin * 1000 + explainRank(c.f, all) * 10 + (c.e ? 0 : 5);
    if (score < bestScore || (score === bestScore && (c.f.column ?? 0) < (best.f.column ?? 0))) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

function result(match: MatchKind, cands: { f: EscapeFinding; e: AllocExpr | null; origin: number }[], all: EscapeFinding[], file: string, line: number): JoinResult {
  const best = pick(cands, all);
  const related = [best.f, ...cands.filter((c) => c !== best && c.f !== best.f).map((c) => c.f)];
  return { match, primary: best.f, expression: best.e, related: [...new Set(related)], file, line };
}

/** Join one site to the escape findings; see the file comment for the order. */
export function joinSite(index: FindingIndex, q: JoinQuery): JoinResult {
  // 1. The inlined copies, at their call sites.
  for (const cs of q.callSites) {
    if (cs.relFile === null) continue;
    const st = cs.statement;
    const onLine = st ? findingsIn(index, cs.relFile, st.span) : (index.byLine.get(cs.relFile)?.get(cs.line) ?? []);
    const calleeName = shortName(q.function);
    const call = st?.calls.find((c) => calleeMatches(c.callee, calleeName)) ?? null;
    const cands = onLine
      .filter((f) => SITE_KINDS.has(f.kind))
      .filter((f) => (call && f.column !== null ? spanContains(call.span, f.line, f.column) : true))
      .map((f) => ({ f, e: null as AllocExpr | null, origin: originOf(f, q.relFile, q.line) }))
      .filter((c) => c.origin !== 2);
    if (cands.length > 0) {
      // The inlined finding's own expression, read from the site's statement through -json=0's inner column.
      for (const c of cands) {
        const inner = c.f.inlinedFrom?.[c.f.inlinedFrom.length - 1];
        if (inner && q.statement) c.e = allocAt(q.statement, inner.line, inner.column);
        else if (q.statement) {
          // No -json=0 position: the finding belongs to the site's statement when its subject is one of the statement's
          // allocating expressions or a variable the statement declares; the others come from other lines of the callee.
          c.e = subjectExpression(q.statement, c.f);
          const declared = (c.f.kind === 'moved-to-heap' || c.f.kind === 'loopvar') && q.statement.assigned.includes(c.f.subject);
          if (c.origin === 1 && !c.e && !declared) c.origin = 1.5;
        }
      }
      return result('call-site', cands, onLine, cs.relFile, st ? st.span.start.line : cs.line);
    }
  }
  if (q.relFile === null) return NO_MATCH;

  // 2. The site's own statement. Its findings on the site's own line come
  // first: a statement spread over lines has one profile line per allocation.
  const st = q.statement;
  if (st) {
    const onLines = findingsIn(index, q.relFile, st.span);
    const literals = st.allocs.filter((a) => a.kind === 'func-literal');
    const inLiteralBody = (f: EscapeFinding): boolean =>
      f.column !== null && literals.some((a) => spanContains(a.span, f.line, f.column as number) && !(f.line === a.span.start.line && f.column === a.span.start.column));
    const cands = onLines
      .filter((f) => SITE_KINDS.has(f.kind))
      // A boxed operand is its own expression, not the call or append around it.
      .map((f) => ({ f, e: operandOrAlloc(st, f, onLines), origin: f.line === q.line ? 0 : 1 }))
      .filter((c) => {
        // A func literal's own finding is at its `func` keyword; one inside its body is about the body.
        if (c.e && c.e.kind === 'func-literal') return c.f.line === c.e.span.start.line && c.f.column === c.e.span.start.column;
        if (inLiteralBody(c.f)) return false;
        if (c.e !== null) return true;
        // A variable declared by this statement (a parameter of a func header, a := or var).
        if (c.f.kind === 'moved-to-heap' || c.f.kind === 'loopvar') return true;
        // An implicit conversion to an interface (an operand boxed into a parameter, a result, a field).
        return isBoxedName(c.f, onLines) || /^[A-Za-z_][\w.]*(?:\[[^\]]*\])?\{/.test(c.f.subject);
      });
    if (cands.length > 0) return result('expression', cands, onLines, q.relFile, st.span.start.line);

    // 3. Variables the statement captures or takes the address of, moved to heap where they are declared.
    const names = new Set<string>();
    for (const a of st.allocs) {
      if (a.kind === 'func-literal') for (const v of a.captures ?? []) names.add(v);
      if (a.kind === 'address-of' && a.operand) names.add(a.operand);
    }
    if (names.size > 0 && q.parsed) {
      const vars: { f: EscapeFinding; e: AllocExpr | null; origin: number }[] = [];
      for (const name of names) {
        const decl = q.parsed.declarationOf(name, st.span.start.line);
        if (!decl) continue;
        for (const f of index.byLine.get(q.relFile)?.get(decl.line) ?? []) {
          if ((f.kind === 'moved-to-heap' || f.kind === 'loopvar') && f.subject === name) {
            vars.push({ f, e: st.allocs.find((a) => (a.captures ?? []).includes(name) || a.operand === name) ?? null, origin: 1 });
          }
        }
      }
      if (vars.length > 0) return { ...result('variable', vars, [], q.relFile, vars[0].f.line) };
    }
    return NO_MATCH;
  }

  // Without a parsed statement (the source is not at hand or not the profile's): the line only.
  const list = (index.byLine.get(q.relFile)?.get(q.line) ?? []).filter((f) => SITE_KINDS.has(f.kind));
  if (list.length === 0) return NO_MATCH;
  return result('expression', list.map((f) => ({ f, e: null, origin: 1 })), list, q.relFile, q.line);
}

/** Without a -json=0 position, the allocating expression of the site's statement the compiler's subject names. */
function subjectExpression(st: StatementInfo, f: EscapeFinding): AllocExpr | null {
  const s = f.subject;
  for (const a of st.allocs) {
    if (s === 'func literal' && a.kind === 'func-literal') return a;
    if (s === 'append' && a.kind === 'append') return a;
    if (s.startsWith('make(') && a.kind.startsWith('make')) return a;
    if (s.startsWith('new(') && a.kind === 'new') return a;
    if (s.startsWith('&') && a.kind === 'address-of-composite') return a;
    // `Rect{...}`, `pkg.Rect{...}` (the inlined copy's spelling) for the literal `Rect{W: 1}`.
    const lit = /^(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)(?:\[[^\]]*\])?\{/.exec(s);
    if (lit && a.kind === 'composite-literal' && new RegExp(`^(?:[A-Za-z_]\\w*\\.)?${lit[1]}\\b`).test(a.text)) return a;
    if (/^string\(/.test(s) && a.kind === 'string-conversion') return a;
    if (/^\(?\[\]byte/.test(s) && a.kind === 'bytes-conversion') return a;
    if (/^\(?\[\]rune/.test(s) && a.kind === 'runes-conversion') return a;
    if (/\s\+\s/.test(s) && (a.kind === 'string-concat' || a.kind === 'string-concat-assign')) return a;
  }
  return null;
}

/** `example.com/m/pkg.(*T).M` -> `M`; `pkg.F[...]` -> `F`; closures keep their outer name's last part. */
function shortName(profileName: string): string {
  const outer = enclosingFunctionName(compilerFunctionName(profileName)).replace(/\[.*\]/g, '');
  const dot = outer.lastIndexOf('.');
  return dot >= 0 ? outer.slice(dot + 1) : outer;
}

/** `s.store.Get`, `api.readBody`, `readBody[int]` call `Get` / `readBody`. */
function calleeMatches(callee: string, name: string): boolean {
  const base = callee.replace(/\[.*\]$/, '');
  const dot = base.lastIndexOf('.');
  return (dot >= 0 ? base.slice(dot + 1) : base) === name;
}
