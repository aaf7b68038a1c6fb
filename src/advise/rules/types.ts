// The shape every rule module has: the catalogue entry (what the README, the
// SARIF descriptors and the reports show), the estimate it may claim, and the
// one-sentence advice it writes for a finding. One file per rule, as ESLint
// keeps them, so a rule's trigger, fix, "leave it when", wording, estimate and
// examples are read and changed in one place.
import type { EscapeFinding } from '../../escape/model.js';
import type { Rule } from '../../model/report.js';
import type { EscapeCause } from '../cause.js';
import type { RuleExample } from './example.js';

/** What a fix removes of the part of the site the rule explains. */
export interface Assumption {
  /** Fraction of the part's bytes the fix removes. */
  bytes: number;
  /** Fraction of the part's objects the fix removes. */
  objects: number;
  note: string;
}

/** The Go language version the code is compiled with (the module's `go` line, else the toolchain). */
export interface GoVersion {
  major: number;
  minor: number;
}

export interface AdviceContext {
  /** Short function name of the site (`api.(*Server).Handle`). */
  fn: string;
  /** The expression the advice is about, in backticks, or `line N`. */
  what: string;
  /** What the part this rule explains costs: `22% of alloc_space (3.1% of alloc_objects)`. */
  cost: string;
  /** The compiler's deciding finding, when there is one. */
  primary: EscapeFinding | null;
  /** Why the primary finding goes to the heap. */
  cause: EscapeCause | null;
  /** For costly-call and no-user-frame: the library function (short name). */
  callee: string | null;
  /** For costly-call: the remedy that fits that callee and call, when one is known. */
  calleeRemedy: string | null;
  /** Variables captured by reference at this position. */
  captured: string[];
  /** The language version (module `go` line): decides loop-variable semantics. */
  go: GoVersion | null;
  /** The toolchain that compiled it: decides what the compiler can keep on the stack. */
  toolchain: GoVersion | null;
  /** Kind of the allocating expression (`make-slice`, `address-of-composite`, ...), when known. */
  expressionKind: string | null;
  /** Kind of the statement (`go`, `defer`, `return`, ...), when known. */
  statementKind: string | null;
  /** The escaping closure assigns the captured variable (its state, not a copy, is what it needs). */
  closureAssigns: boolean;
  /** The captured variable's size in bytes when the compiler says (over 128 bytes Go captures by reference). */
  captureWidth: number | null;
  /** The site's function has a receiver (a method), so a buffer can live in a field of it. */
  inMethod: boolean;
  /** The value is one element of a container made in this function, inside a loop (`matrix[i] = make(...)`): the container's name. */
  elementOf: string | null;
  /**
   * How a stored value is kept, read from the cause: `field` (assigned to a
   * field it replaces each time), `element` (an element of a slice or map),
   * `appended` (appended to a slice), `holder` (a part of another new object),
   * `sent` (sent on a channel), `lazy` (made once, when the field is nil), or null.
   */
  keptAs: 'field' | 'element' | 'appended' | 'holder' | 'sent' | 'lazy' | null;
  /** For pattern rules whose cost is a library call (a strings.Builder, a bytes.Buffer): that callee (short name). */
  patternCallee: string | null;
}

/** True when v is at least major.minor. */
export function atLeast(v: GoVersion | null, major: number, minor: number): boolean {
  return v !== null && (v.major > major || (v.major === major && v.minor >= minor));
}

export interface RuleModule extends Rule {
  /** The estimate this rule may claim; null when the saving depends on how the code changes. */
  assumption: Assumption | null;
  advice(ctx: AdviceContext): string;
  /** What the Before/After snippets need to compile and what they must show (examples.test.ts). */
  example: RuleExample;
}

/** `s.uploads[req.Seq % 16]` -> backticked code, or a fallback. */
export function code(s: string | null | undefined, fallback = 'it'): string {
  return s ? `\`${s}\`` : fallback;
}
