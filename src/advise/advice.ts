// The one-sentence advice for a finding. It names the expression or variable
// and the function, says how much it costs, and gives the fix in the rule's
// terms, so it reads on its own in a PR comment or a SARIF result.
import type { EscapeFinding } from '../escape/model.js';
import type { AllocatedBy } from '../rank/model.js';
import type { RuleId } from '../model/report.js';
import type { Statement } from './statement.js';

export interface AdviceInput {
  rule: RuleId | null;
  /** Profile function name of the site. */
  function: string;
  line: number;
  primary: EscapeFinding | null;
  statement: Statement | null;
  allocatedBy: AllocatedBy[];
  share: number;
  sampleType: string;
  companionShare: number | null;
  companionType: string | null;
  oneOff: boolean;
  /** Outside --src or not user code. */
  inModule: boolean;
  /** Share (0..1) of the site allocated inside library frames, when the rule is about the statement itself. */
  libraryShare?: number;
  /** The primary finding is on the site's line (or call site), not a variable declared elsewhere. */
  primaryAtLine?: boolean;
  /** Variables the compiler says are captured by reference at this position (moved to heap, captured by a closure). */
  captured?: string[];
}

/** pprof-style short name: the last path element of the package, then the symbol (`store.(*Store).Get`). */
export function shortFunctionName(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

export function formatShare(share: number): string {
  const pct = share * 100;
  if (pct >= 10) return `${Math.round(pct)}%`;
  if (pct >= 1) return `${pct.toFixed(1)}%`;
  if (pct >= 0.01) return `${pct.toFixed(2)}%`;
  return pct === 0 ? '0%' : '<0.01%';
}

function clip(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : one.slice(0, max - 1) + '…';
}

/** The expression to name: the statement's own text when it matches the rule, else the compiler's subject. */
function subjectFor(inp: AdviceInput): string | null {
  const st = inp.statement;
  const p = inp.primary;
  const wants: Partial<Record<RuleId, string[]>> = {
    'slice-growth': ['append'],
    'string-concat': ['string-concat-assign', 'string-concat'],
    'map-growth': ['map-assign', 'make-map'],
    'nonconstant-make': ['make-slice'],
    'too-large-for-stack': ['make-slice', 'new', 'address-of-composite', 'composite-literal'],
    'fmt-boxing': ['fmt-call', 'log-call'],
    'bytes-string-conversion': ['string-conversion', 'bytes-conversion', 'runes-conversion'],
    'return-pointer': ['return-address', 'address-of-composite'],
    'closure-capture': ['go-func', 'func-literal', 'defer-func'],
  };
  if (p && (p.kind === 'moved-to-heap' || p.kind === 'leaking-param' || p.kind === 'loopvar') && p.subject) return p.subject;
  if (st && inp.rule && wants[inp.rule]) {
    for (const shape of wants[inp.rule] as Statement['shape'][]) {
      const expr = st.expressions[shape];
      if (expr === undefined) continue;
      // Assignments read better whole: `s += "/" + seg`, `counts[w]++`.
      if (shape === 'string-concat-assign' || shape === 'map-assign') return clip(st.text);
      return clip(expr);
    }
  }
  if (p && p.subject) return clip(p.subject);
  if (st) return clip(st.expression);
  return null;
}

function cost(inp: AdviceInput): string {
  let s = `${formatShare(inp.share)} of ${inp.sampleType}`;
  if (inp.companionShare !== null && inp.companionType) s += ` (${formatShare(inp.companionShare)} of ${inp.companionType})`;
  return s;
}

export function adviceText(inp: AdviceInput): string {
  const fn = shortFunctionName(inp.function);
  const subj = subjectFor(inp);
  const what = subj ? `\`${subj}\`` : `line ${inp.line}`;
  const c = cost(inp);
  const top = inp.allocatedBy[0];
  const lib = top ? shortFunctionName(top.via ?? top.function) : null;
  let text: string;
  switch (inp.rule) {
    case 'return-pointer':
      text = `${what} in ${fn} escapes because a pointer to it is returned, costing ${c}; return the small struct by value.`;
      break;
    case 'closure-capture':
      text = inp.primary?.kind === 'moved-to-heap' || inp.primary?.kind === 'loopvar'
        ? `${what} in ${fn} is captured by an escaping closure and moves to the heap, costing ${c}; pass it to the func literal as an argument.`
        : inp.captured && inp.captured.length > 0
          ? `The func literal in ${fn} escapes and captures ${inp.captured.map((v) => `\`${v}\``).join(', ')} by reference, costing ${c}; pass ${inp.captured.length > 1 ? 'them' : 'it'} to the func literal as ${inp.captured.length > 1 ? 'arguments' : 'an argument'}.`
          : `The func literal in ${fn} escapes with its captured variables, costing ${c}; pass the captured values as arguments.`;
      break;
    case 'interface-boxing':
      text = `${what} in ${fn} is boxed into an interface and escapes, costing ${c}; keep the concrete type (or a type parameter) on this path.`;
      break;
    case 'fmt-boxing':
      text = `${what} in ${fn} formats through ...any, costing ${c}; use strconv.AppendX into a reused buffer instead of fmt on this path.`;
      break;
    case 'nonconstant-make':
      text = `${what} in ${fn} has a non-constant size and allocates ${c}; size it from a constant or reuse a buffer (sync.Pool).`;
      break;
    case 'too-large-for-stack':
      text = `${what} in ${fn} is too large for the stack and allocates ${c}; reuse one buffer (sync.Pool) or shrink it.`;
      break;
    case 'slice-growth':
      text = `${what} in ${fn} grows its slice by copying, costing ${c}; preallocate the capacity with make([]T, 0, n).`;
      break;
    case 'string-concat':
      text = `${what} in ${fn} builds a new string on every concatenation, costing ${c}; use a strings.Builder and Grow it first.`;
      break;
    case 'bytes-string-conversion':
      text = `${what} in ${fn} copies between []byte and string, costing ${c}; keep one representation (bytes APIs, strconv.AppendX, m[string(b)] lookups).`;
      break;
    case 'map-growth':
      text = `${what} in ${fn} grows the map as it fills, costing ${c}; give make a size hint.`;
      break;
    case 'leaking-param':
      text = inp.primary?.kind === 'leaking-param'
        ? `Parameter ${what} of ${fn} is retained beyond the call, so callers allocate it on the heap (${c}); copy what you keep instead of storing it.`
        : `${what} in ${fn} is passed to a callee that keeps it, so it is heap-allocated (${c}); make the callee copy what it keeps instead of retaining its parameter.`;
      break;
    case 'method-value':
      text = `Method value ${what} in ${fn} allocates a closure, costing ${c}; pass a func literal that calls it, or pass the receiver.`;
      break;
    case 'large-retained':
      text = `${what} in ${fn} holds ${c}; bound the structure that keeps it and drop references when done.`;
      break;
    case 'no-escape-info': {
      const p = inp.primary;
      const also = p && inp.primaryAtLine && (p.kind === 'escapes' || p.kind === 'moved-to-heap') ? ` The compiler also reports \`${clip(p.subject, 40)}\` escaping here.` : '';
      text = inp.inModule
        ? `${lib ?? 'A library call'} called from ${fn} allocates ${c} in code the compiler did not analyse here; change the call site (call it less often, pass a reused buffer, or use an API that does not allocate).${also}`
        : `${fn} allocates ${c} outside --src (no compiler data); look at its callers in your code and change the call site.`;
      break;
    }
    default:
      text = inp.primary
        ? `${what} in ${fn} allocates ${c}; the compiler says: ${inp.primary.message}${inp.primary.reasons.length ? ` (${inp.primary.reasons.join(', ')})` : ''}.`
        : `${what} in ${fn} allocates ${c}; no compiler finding explains it${lib ? ` (allocated in ${lib})` : ''}.`;
  }
  if (inp.libraryShare !== undefined && inp.libraryShare >= 0.5 && lib) {
    text += ` Most of it (${formatShare(inp.libraryShare)}) is allocated inside ${lib}: reuse its buffers or call it less often.`;
  }
  if (inp.oneOff) text += ' It is a single large allocation, not churn: leave it unless it happens per request.';
  return text;
}
