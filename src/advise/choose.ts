// Picks the rule for one site from three kinds of evidence, strongest first:
// the compiler's verdict (message and -m=2 reasons), the frames that actually
// allocated below the site (fmt.Sprintf, growslice, mapassign, ...), and the
// shape of the source statement. Each choice carries the reason it was made,
// so a surprising rule can be traced back to its evidence.
import type { EscapeFinding } from '../escape/model.js';
import type { AllocatedBy } from '../rank/model.js';
import type { RuleId } from '../model/report.js';
import { isBoxedName } from './join.js';
import { isMethodValueUse, makeSizeIsConstant, type Statement } from './statement.js';

export interface RuleEvidence {
  primary: EscapeFinding | null;
  related: EscapeFinding[];
  allocatedBy: AllocatedBy[];
  statement: Statement | null;
  /** A hot site of an inuse_* view: memory held, not churned, whatever the statement. */
  retained: boolean;
  /** The site is user code inside --src. */
  inModule: boolean;
  /** Names captured by reference by some closure in the site's file. */
  capturedByRef: ReadonlySet<string>;
  /** Source line text at the compiler's position (for method values). */
  findingText: string | null;
  /** Method names declared in the compiled packages. */
  declaredMethods: ReadonlySet<string>;
  /** The compiler's verdict is at the site's own line (or its call site), not a variable found elsewhere in the function. */
  atLine: boolean;
}

export interface RuleChoice {
  rule: RuleId | null;
  /** Which evidence decided: `escape`, `allocated-by`, `statement`, `profile`. */
  basis: 'escape' | 'allocated-by' | 'statement' | 'profile' | 'none';
}

const FMT_FUNC = /^(?:fmt\.|log\.|log\/slog\.|.*\/(?:zap|logrus|zerolog)\.)/;
const CONCAT_FUNC = /^(?:runtime\.concatstring|runtime\.concatstrings|runtime\.rawstring|strings\.\(\*Builder\)\.grow|strings\.\(\*Builder\)\.WriteString|strings\.\(\*Builder\)\.WriteByte|strings\.\(\*Builder\)\.WriteRune|strings\.Join|strings\.Repeat)/;
const GROWSLICE_FUNC = /^(?:runtime\.growslice|bytes\.growSlice|bytes\.\(\*Buffer\)\.(?:grow|Write|WriteString|WriteByte|WriteRune|ReadFrom)\b|slices\.(?:Grow|Insert|AppendSeq|Collect))/;
const MAP_FUNC = /^(?:runtime\.mapassign|runtime\.hashGrow|runtime\.\(\*hmap\)\.newoverflow|runtime\.makeBucketArray|runtime\.growWork|internal\/runtime\/maps\.|runtime\.newarray)/;
const CONVERSION_FUNC = /^(?:runtime\.slicebytetostring|runtime\.stringtoslicebyte|runtime\.slicerunetostring|runtime\.stringtoslicerune|runtime\.intstring|runtime\.rawbyteslice|runtime\.rawruneslice)/;

/** `string(b)`, `([]byte)(s)`, `[]rune(s)` as the compiler prints them. */
const CONVERSION_SUBJECT = /^(?:string\(|\(?\[\](?:byte|rune)\)?\()/;

function reasonsOf(fs: EscapeFinding[]): Set<string> {
  const out = new Set<string>();
  for (const f of fs) for (const r of f.reasons) out.add(r);
  return out;
}

/** Whether the -m=2 flow of a finding ends by leaving through a result. */
function flowsToResult(f: EscapeFinding): boolean {
  if (f.reasons.includes('return')) return true;
  return f.flow.some((s) => /^~r\d+$|^~R\d+$/.test(s.dst) || s.notes.some((n) => n.reason === 'return'));
}

function isFmtStatement(st: Statement | null): boolean {
  return st !== null && (st.shapes.includes('fmt-call') || st.shapes.includes('log-call'));
}

function isFmtFinding(f: EscapeFinding): boolean {
  if (f.subject === '... argument') return true;
  return f.flow.some((s) => /^(?:fmt|log|slog)\./.test(s.dst) || s.notes.some((n) => /\b(?:fmt|log|slog)\.\w+\(/.test(n.expr)));
}

/** Classify from the compiler's verdict on this line, or null when it says nothing specific. */
function fromEscape(ev: RuleEvidence): RuleId | null {
  const p = ev.primary;
  if (!p) return null;
  const allocating = ev.related.filter((f) => f.kind === 'escapes' || f.kind === 'moved-to-heap');
  const reasons = reasonsOf(allocating.length > 0 ? allocating : [p]);
  const st = ev.statement;
  const subject = p.subject;

  if (p.kind === 'escapes' || p.kind === 'moved-to-heap' || (p.kind === 'loopvar' && /heap/.test(p.message))) {
    if (reasons.has('too large for stack')) return 'too-large-for-stack';
    if (reasons.has('non-constant size')) return 'nonconstant-make';
    if (p.kind === 'moved-to-heap' || p.kind === 'loopvar') {
      if (reasons.has('captured by a closure') || ev.capturedByRef.has(subject)) return 'closure-capture';
      if (flowsToResult(p) || (st && st.shape === 'return-address')) return 'return-pointer';
      if (reasons.has('interface-converted')) return isFmtStatement(st) ? 'fmt-boxing' : 'interface-boxing';
      if (p.kind === 'loopvar') return 'closure-capture';
      return null;
    }
    // `<expr> escapes to heap`
    const boxing: RuleId = isFmtStatement(st) || isFmtFinding(p) ? 'fmt-boxing' : 'interface-boxing';
    if (subject === 'func literal') return 'closure-capture';
    if (subject === 'append') return 'slice-growth';
    if (/^\.\.\. argument$/.test(subject)) return boxing;
    if (CONVERSION_SUBJECT.test(subject)) return 'bytes-string-conversion';
    if (/\s\+\s/.test(subject)) {
      // `a + b` is a concatenation for certain with a string literal operand;
      // `i + 1` passed to fmt is a number being boxed.
      if (/["`]/.test(subject)) return 'string-concat';
      if (boxing === 'fmt-boxing' || reasons.has('slice-literal-element')) return boxing;
      return 'string-concat';
    }
    if (reasons.has('interface-converted') && !/^(?:&|new\(|make\()/.test(subject)) return boxing;
    if (/^&/.test(subject) || /^new\(/.test(subject)) {
      if (flowsToResult(p) || (st && /^\s*return\b/.test(st.text))) return 'return-pointer';
    }
    // A struct or array value literal (`Rect{...}`, not `&Rect{...}`) only
    // needs the heap when it is boxed into an interface.
    if (/^[A-Za-z_][\w.]*(?:\[[^\]]*\])?\{/.test(subject)) return boxing;
    // Passed to a callee that keeps it: the fix is the callee's leaking parameter.
    if (/^(?:&|new\(|make\(|\[\])/.test(subject) && reasons.has('call parameter') && !flowsToResult(p)) return 'leaking-param';
    if (/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(subject)) {
      // A selector escapes either as a method value (a closure binding the
      // receiver) or as a boxed field. Lexically they look alike, so it is a
      // method value when the name is a method the compiler declared, or when
      // it is stored rather than passed to a call (boxing flows through a call parameter).
      const name = subject.slice(subject.lastIndexOf('.') + 1);
      const text = ev.findingText ?? st?.text ?? null;
      const uncalled = text === null || isMethodValueUse(text, subject);
      if (uncalled && (ev.declaredMethods.has(name) || !reasons.has('call parameter'))) return 'method-value';
      return boxing;
    }
    if (isBoxedName(p, ev.related)) return boxing;
    if (/^make\(\[\]/.test(subject) && !makeSizeIsConstant(subject)) return 'nonconstant-make';
    return null;
  }
  if (p.kind === 'leaking-param') return 'leaking-param';
  if (p.kind === 'does-not-escape') {
    // The compiler kept it on the stack, yet the profile saw an allocation here:
    // a conversion or concatenation longer than the 32-byte stack buffer, or a
    // variable-size make whose stack buffer (Go >= 1.25) was too small.
    if (CONVERSION_SUBJECT.test(subject)) return 'bytes-string-conversion';
    if (/\s\+\s/.test(subject) && /["`]/.test(subject)) return 'string-concat';
    if (/^make\(\[\]/.test(subject) && !makeSizeIsConstant(subject)) return 'nonconstant-make';
    return null;
  }
  return null;
}

function fromAllocatedBy(ev: RuleEvidence): RuleId | null {
  for (const a of ev.allocatedBy) {
    // The API the user called (`via`) names the pattern, not the leaf: a
    // bytes.growSlice under json.Marshal is Marshal's business, not slice growth.
    const name = a.via ?? a.function;
    const test = (re: RegExp): boolean => re.test(name);
    if (test(FMT_FUNC)) return 'fmt-boxing';
    if (test(CONCAT_FUNC)) return 'string-concat';
    if (test(GROWSLICE_FUNC)) return 'slice-growth';
    if (test(MAP_FUNC)) return 'map-growth';
    if (test(CONVERSION_FUNC)) return 'bytes-string-conversion';
    // The largest allocating frame is a library we have no rule for: only the call site can change.
    if (a.share >= 0.5) return null;
  }
  return null;
}

function fromStatement(st: Statement | null, primary: EscapeFinding | null): RuleId | null {
  if (!st) return null;
  switch (st.shape) {
    case 'append':
      return 'slice-growth';
    case 'string-concat-assign':
    case 'string-concat':
      return 'string-concat';
    case 'map-assign':
      return 'map-growth';
    case 'make-slice':
      // A named constant looks variable in the source; the compiler prints it folded (`make([]byte, 96)`).
      if (primary && /^make\(\[\]/.test(primary.subject) && makeSizeIsConstant(primary.subject)) return null;
      return st.constantSize === false ? 'nonconstant-make' : null;
    case 'make-map':
      // No size hint: the map starts small and grows.
      return /^make\s*\(\s*map\[[^\]]*\][^,]*\)$/.test(st.expression) ? 'map-growth' : null;
    case 'composite-literal':
      return /^map\s*\[[^\]]*\][^{]*\{\s*\}$/.test(st.expression) ? 'map-growth' : null;
    case 'go-func':
    case 'func-literal':
    case 'defer-func':
      return 'closure-capture';
    case 'return-address':
      return 'return-pointer';
    case 'string-conversion':
    case 'bytes-conversion':
    case 'runes-conversion':
      return 'bytes-string-conversion';
    case 'fmt-call':
    case 'log-call':
      return 'fmt-boxing';
    case 'method-value':
      return 'method-value';
    case 'address-of-composite':
      return /^\s*return\b/.test(st.text) ? 'return-pointer' : null;
    default:
      return null;
  }
}

/** Share (0..1) of a site's value allocated in frames below it: library code the team can only change at the call. */
export function libraryShare(allocatedBy: AllocatedBy[]): number {
  let share = 0;
  for (const a of allocatedBy) share += a.share;
  return Math.min(1, Math.max(0, share));
}

function allocatedInLibrary(ev: RuleEvidence): boolean {
  return libraryShare(ev.allocatedBy) >= 0.5;
}

export function chooseRule(ev: RuleEvidence): RuleChoice {
  if (ev.retained) return { rule: 'large-retained', basis: 'profile' };
  if (!ev.inModule) return { rule: 'no-escape-info', basis: 'profile' };

  // When library frames below the site did most of the allocating, a
  // pattern in those frames (fmt, growslice, mapassign) decides. Otherwise a
  // compiler verdict on the line itself still names what the code can change
  // there (json.Marshal(resp) boxes resp), and the advice says how much of the
  // site happens inside the library; with no verdict on the line, all the
  // team can change is the call.
  const byFrames = fromAllocatedBy(ev);
  const byEscape = fromEscape(ev);
  if (allocatedInLibrary(ev)) {
    if (byFrames) return { rule: byFrames, basis: 'allocated-by' };
    if (byEscape && ev.atLine) return { rule: byEscape, basis: 'escape' };
    return { rule: 'no-escape-info', basis: 'allocated-by' };
  }
  if (byEscape) return { rule: byEscape, basis: 'escape' };
  if (byFrames) return { rule: byFrames, basis: 'allocated-by' };
  const byStatement = fromStatement(ev.statement, ev.primary);
  if (byStatement) return { rule: byStatement, basis: 'statement' };
  return { rule: null, basis: 'none' };
}
