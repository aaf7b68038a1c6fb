// Picks the rule for the part of a site the statement allocates itself, from
// the compiler's verdict on the allocating expression (its -m=2 cause
// first: a retention cause outranks a size cause), then the frames left below
// the line (map growth), then the parsed statement. Each choice carries the
// evidence it rests on, so a surprising rule can be traced back.
import type { EscapeFinding } from '../escape/model.js';
import type { RuleId } from '../model/report.js';
import type { AllocExpr, StatementInfo } from '../syntax/model.js';
import { escapeCause, type EscapeCause } from './cause.js';
import { isBoxedName, spanContains } from './join.js';

export interface SelfEvidence {
  primary: EscapeFinding | null;
  /** The allocating expression the primary finding lies in. */
  expression: AllocExpr | null;
  related: EscapeFinding[];
  statement: StatementInfo | null;
  /** Runtime functions left below the line (`runtime.mapassign_faststr`, `internal/runtime/maps.…`). */
  runtimeBelow: string[];
  /** Names of module functions the compiler reports a leaking parameter for (`Add`, `(*EventLog).Add`). */
  leakingFunctions: ReadonlySet<string>;
  /** Method names declared in the compiled packages. */
  declaredMethods: ReadonlySet<string>;
  /** Names captured by reference by some closure of the file. */
  capturedByRef: ReadonlySet<string>;
  /** Where a name is declared in the site's function (from the parser), to tell a method call from a package function. */
  declarationOf: ((name: string, line: number) => unknown) | null;
}

export interface SelfChoice {
  rule: RuleId | null;
  cause: EscapeCause | null;
  /** Which evidence decided. */
  basis: 'escape' | 'frames' | 'statement' | 'none';
}

/** fmt formatting (and log, which formats with fmt): the only ...any callers fmt-boxing speaks for. */
const FMT_CALLEE = /^(?:fmt\.(?:Sprintf|Sprint|Sprintln|Errorf|Fprintf|Fprint|Fprintln|Printf|Print|Println|Appendf|Append|Appendln)|log\.(?:Printf|Print|Println|Fatalf|Fatal|Fatalln|Panicf|Panic|Panicln)|[\w.]*\.(?:Printf|Fatalf|Panicf|Errorf|Sprintf))$/;

export function isFmtCallee(callee: string | null): boolean {
  return callee !== null && FMT_CALLEE.test(callee);
}

const MAP_RUNTIME = /^(?:runtime\.mapassign|runtime\.hashGrow|runtime\.\(\*hmap\)\.newoverflow|runtime\.makeBucketArray|runtime\.growWork|internal\/runtime\/maps\.)/;
const CONVERSION_SUBJECT = /^(?:string\(|\(?\[\](?:byte|rune)\)?\()/;
const KEEP: ReadonlySet<string> = new Set(['returned', 'stored', 'sent']);

function lastName(expr: string): string {
  const base = expr.replace(/\[.*\]$/, '');
  const dot = base.lastIndexOf('.');
  return dot >= 0 ? base.slice(dot + 1) : base;
}

/**
 * A value passed to a call that may keep it. leaking-param only for a plain
 * function call (`F(x)`, `pkg.F(x)`) to one of the module's functions whose
 * parameter the compiler reports leaking: a method call through a field or
 * variable (`f.rdr.ReadAt`) may be an interface method, which no change to
 * the module's functions can fix.
 */
function callRule(cause: EscapeCause, ev: SelfEvidence): RuleId {
  const t = cause.target;
  if (t && ev.leakingFunctions.has(lastName(t)) && !isMethodCall(t, ev)) return 'leaking-param';
  return 'opaque-call';
}

/**
 * `x.M`, `x.y.M` or `T.M` (a method, as the compiler spells an inlined one),
 * not `pkg.F`: package names are lower case and not variables of the function.
 */
function isMethodCall(callee: string, ev: SelfEvidence): boolean {
  const parts = callee.replace(/\[.*\]$/, '').split('.');
  if (parts.length <= 1) return false;
  if (parts.length > 2 || !/^[a-z]/.test(parts[0])) return true;
  const st = ev.statement;
  return st !== null && ev.declarationOf !== null && ev.declarationOf(parts[0], st.span.start.line) !== null;
}

function boxingRule(cause: EscapeCause, st: StatementInfo | null): RuleId {
  const callee = cause.target ?? (st?.calls.find((c) => isFmtCallee(c.callee))?.callee ?? null);
  if (isFmtCallee(callee)) return 'fmt-boxing';
  if (cause.variadic) return 'variadic-boxing';
  return 'interface-boxing';
}

function kindOf(e: AllocExpr | null, f: EscapeFinding): string {
  if (e) return e.kind;
  const s = f.subject;
  if (s === 'func literal') return 'func-literal';
  if (s === 'append') return 'append';
  if (/^make\(map\[/.test(s)) return 'make-map';
  if (/^make\(chan/.test(s)) return 'make-chan';
  if (/^make\(/.test(s)) return 'make-slice';
  if (/^new\(/.test(s)) return 'new';
  if (s.startsWith('&')) return 'address-of-composite';
  if (CONVERSION_SUBJECT.test(s)) return s.startsWith('string(') ? 'string-conversion' : 'bytes-conversion';
  if (/\s\+\s/.test(s)) return 'string-concat';
  if (/^[A-Za-z_][\w.]*(?:\[[^\]]*\])?\{/.test(s)) return 'composite-literal';
  return 'value';
}

/**
 * The call as the statement writes it (`l.Info`, `json.Marshal`), for a value
 * passed to a call: the compiler's flow names the call it sees after
 * inlining (`(*slog.Logger).log`), which the reader never wrote.
 */
function withCallAsWritten(cause: EscapeCause, p: EscapeFinding, st: StatementInfo | null): EscapeCause {
  if (cause.kind !== 'call' || !st || p.column === null) return cause;
  let best: StatementInfo['calls'][number] | null = null;
  for (const c of st.calls) {
    // The value must be one of the call's arguments (not the call itself, as for `make(...)`).
    if (!c.args.some((a) => spanContains(a.span, p.line, p.column as number))) continue;
    if (!best || (c.span.end.line - c.span.start.line) * 10000 + (c.span.end.column - c.span.start.column) < (best.span.end.line - best.span.start.line) * 10000 + (best.span.end.column - best.span.start.column)) best = c;
  }
  return best && best.callee !== cause.target ? { ...cause, target: best.callee } : cause;
}

/** The rule for what the statement allocates itself. */
export function chooseSelfRule(ev: SelfEvidence): SelfChoice {
  const p = ev.primary;
  const st = ev.statement;
  if (p && (p.kind === 'escapes' || p.kind === 'moved-to-heap' || (p.kind === 'loopvar' && /heap/.test(p.message)))) {
    const cause = withCallAsWritten(escapeCause(p), p, st);
    const kind = kindOf(ev.expression, p);
    const rule = fromHeapVerdict(p, kind, cause, ev);
    if (rule) return { rule, cause, basis: 'escape' };
  }
  if (p && p.kind === 'does-not-escape') {
    // The compiler kept it on the stack, yet the profile saw an allocation
    // here: a conversion or concatenation longer than its 32-byte stack
    // buffer, or (Go >= 1.25) a variable-size make larger than 32 bytes.
    const kind = kindOf(ev.expression, p);
    if (kind.endsWith('conversion')) return { rule: 'bytes-string-conversion', cause: null, basis: 'escape' };
    if (kind.startsWith('string-concat')) return { rule: 'string-concat', cause: null, basis: 'escape' };
    if (kind === 'make-slice' && ev.expression?.constantSize !== true) return { rule: 'nonconstant-make', cause: null, basis: 'escape' };
  }
  if (ev.runtimeBelow.some((f) => MAP_RUNTIME.test(f))) return { rule: 'map-growth', cause: null, basis: 'frames' };
  const byStatement = fromStatement(st);
  if (byStatement) return { rule: byStatement, cause: null, basis: 'statement' };
  return { rule: null, cause: p ? escapeCause(p) : null, basis: 'none' };
}

/** A value literal of a named (struct or array) type: on the heap only when boxed into an interface. */
function isValueLiteral(kind: string, e: AllocExpr | null, f: EscapeFinding): boolean {
  if (kind !== 'composite-literal') return false;
  const text = (e?.text ?? f.subject).trim();
  return !/^(?:\[|map\[)/.test(text);
}

function fromHeapVerdict(p: EscapeFinding, kind: string, cause: EscapeCause, ev: SelfEvidence): RuleId | null {
  const st = ev.statement;
  if (cause.kind === 'too-large') return 'too-large-for-stack';
  if (kind === 'func-literal') {
    if (st?.kind === 'go' || st?.kind === 'defer') return 'closure-capture';
    return cause.kind === 'stored' || cause.kind === 'call' || cause.kind === 'returned' ? 'stored-closure' : 'closure-capture';
  }
  if (p.kind === 'moved-to-heap' || p.kind === 'loopvar') {
    // The variable itself moves: converting its address to an interface allocates no box.
    if (cause.kind === 'captured' || ev.capturedByRef.has(p.subject) || p.kind === 'loopvar') return 'closure-capture';
    if (cause.kind === 'returned') return 'return-pointer';
    if (cause.kind === 'stored' || cause.kind === 'sent') return 'stored-value';
    if (cause.kind === 'call') return callRule(cause, ev);
    if (cause.kind === 'non-constant') return 'nonconstant-make';
    return null;
  }
  // `<expr> escapes to heap`
  if (kind === 'append') return 'slice-growth';
  if (kind === 'method-value') return 'method-value';
  if (kind.endsWith('conversion')) return KEEP.has(cause.kind) ? 'inherent-copy' : 'bytes-string-conversion';
  if (kind === 'string-concat-assign') return 'string-concat';
  if (kind === 'string-concat') {
    if (st?.allocs.some((a) => a.kind === 'string-concat-assign')) return 'string-concat';
    if (cause.boxed || isFmtCallee(cause.target)) return boxingRule(cause, st);
    return KEEP.has(cause.kind) ? 'inherent-copy' : 'string-concat';
  }
  // Values boxed into an interface: a plain name, a value literal of a named type (`Rect{...}`), a field.
  if (isValueLiteral(kind, ev.expression, p) || isBoxedName(p, ev.related)) return boxingRule(cause, st);
  if (kind === 'value' && /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(p.subject)) {
    // A selector escaping is a method value (a closure binding the receiver) or a boxed field.
    const name = p.subject.slice(p.subject.lastIndexOf('.') + 1);
    if (ev.declaredMethods.has(name) && cause.kind !== 'call') return 'method-value';
    return boxingRule(cause, st);
  }
  if (kind === 'value') return cause.boxed ? boxingRule(cause, st) : null;
  // Allocations proper: &T{}, new(T), make, slice and map literals. A pointer
  // converted to an interface allocates no box: where it goes decides.
  const pointer = kind === 'address-of-composite' || kind === 'new';
  if (cause.kind === 'returned') return pointer ? 'return-pointer' : 'returned-buffer';
  if (cause.kind === 'stored' || cause.kind === 'sent') return 'stored-value';
  if (cause.kind === 'call') return callRule(cause, ev);
  if (cause.kind === 'non-constant') return 'nonconstant-make';
  if (kind === 'make-slice' && ev.expression?.constantSize === false && cause.kind === 'unknown') return 'nonconstant-make';
  return null;
}

/** Without a compiler verdict: what the statement's allocating expressions say, when they say one thing. */
function fromStatement(st: StatementInfo | null): RuleId | null {
  if (!st) return null;
  const kinds = new Set(st.allocs.map((a) => a.kind));
  if (kinds.has('string-concat-assign')) return 'string-concat';
  if (kinds.size === 1 && kinds.has('make-chan')) return 'channel-make';
  // `m[k] = v`, `m[k]++` with nothing else allocating: only a map assignment allocates there.
  if (kinds.size === 0 && (st.kind === 'assignment' || st.kind === 'inc-dec') && st.assigned.some((a) => /\[.+\]$/.test(a)) && !/:=/.test(st.text)) return 'map-growth';
  if (kinds.size === 1 && kinds.has('append')) return 'slice-growth';
  if (kinds.size === 1 && (kinds.has('string-conversion') || kinds.has('bytes-conversion') || kinds.has('runes-conversion'))) return 'bytes-string-conversion';
  if (st.calls.some((c) => isFmtCallee(c.callee)) && kinds.size <= 1) return 'fmt-boxing';
  return null;
}
