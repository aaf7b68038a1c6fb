// Why a value goes to the heap, read from the compiler's -m=2 flow: the step
// that reaches `{heap}` (or a result, `~r0`) and the note that took it there.
// The cause decides which fix can work: a buffer that escapes because it is
// stored in a field needs its storage reused, not a constant size; a value
// returned to the caller needs an API where the caller owns the memory.
import type { EscapeFinding, FlowStep } from '../escape/model.js';

export type CauseKind =
  /** `too large for stack`: implicit allocations over 64 KiB, explicit over 10 MB. */
  | 'too-large'
  /** `non-constant size`: nothing but its size keeps it off the stack. */
  | 'non-constant'
  /** Captured by reference by a closure that escapes. */
  | 'captured'
  /** Returned to the caller (flows to a result and, in this function, nowhere else). */
  | 'returned'
  /** Assigned to something that outlives the call: a field, a global, a map or slice element. */
  | 'stored'
  /** Sent on a channel. */
  | 'sent'
  /** Passed to a call that may keep it (a leaking parameter, an interface method, code the compiler cannot see). */
  | 'call'
  | 'unknown';

export interface EscapeCause {
  kind: CauseKind;
  /** Where it went: the assigned target (`s.uploads[i]`), or the callee (`f.rdr.ReadAt`, `fmt.Sprintf`). */
  target: string | null;
  /** The compiler's expression for the deciding step (`s.uploads[req.Seq % 16] = body`). */
  expr: string | null;
  /** Converted to an interface on the way (`interface-converted`). */
  boxed: boolean;
  /** Put in the implicit slice of a `...` parameter (`slice-literal-element` into `... argument`). */
  variadic: boolean;
}

const RESULT = /^~[rR]\d+$/;

function lastNote(step: FlowStep): FlowStep['notes'][number] | null {
  return step.notes.length > 0 ? step.notes[step.notes.length - 1] : null;
}

/** `f.rdr.ReadAt(dat, n)` -> `f.rdr.ReadAt`; `fmt.Sprintf("…", ... argument...)` -> `fmt.Sprintf`. */
export function calleeOf(callExpr: string): string | null {
  const m = /^([A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\.[A-Za-z_]\w*)*)\s*\(/.exec(callExpr.trim());
  return m ? m[1] : null;
}

/** `append(callbacks, func literal)` -> `callbacks`. */
function firstArg(callExpr: string): string | null {
  const open = callExpr.indexOf('(');
  if (open < 0) return null;
  let depth = 0;
  for (let i = open + 1; i < callExpr.length; i++) {
    const ch = callExpr[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) return callExpr.slice(open + 1, i).trim() || null;
      depth--;
    } else if (ch === ',' && depth === 0) return callExpr.slice(open + 1, i).trim() || null;
  }
  return null;
}

/** `s.uploads[req.Seq % 16] = body` -> `s.uploads[req.Seq % 16]`. */
function assignTarget(expr: string): string | null {
  const m = /^(.+?)\s*(?<![=!<>:])=(?!=)/.exec(expr);
  return m ? m[1].trim() : null;
}

/** Reasons that name a cause outright wherever they appear on the path. */
function causeFromReasons(reasons: string[]): CauseKind | null {
  if (reasons.includes('too large for stack') || reasons.includes('too aligned for stack')) return 'too-large';
  if (reasons.includes('captured by a closure')) return 'captured';
  return null;
}

export function escapeCause(f: EscapeFinding): EscapeCause {
  const boxed = f.reasons.includes('interface-converted');
  const variadic = f.reasons.includes('slice-literal-element') && f.flow.some((s) => s.notes.some((n) => n.expr === '... argument'));
  const base = { boxed, variadic };
  const outright = causeFromReasons(f.reasons);
  if (outright) return { kind: outright, target: null, expr: null, ...base };

  // The steps that reach the heap decide; without one, a result. Where
  // several paths reach it, the code's own keeping (a store, a send) names
  // the cause before a call that may keep it: the value would be kept anyway.
  const heapSteps = f.flow.filter((s) => s.dst === '{heap}');
  const causes = heapSteps.map((step) => causeOfNote(lastNote(step))).filter((c): c is Omit<EscapeCause, 'boxed' | 'variadic'> => c !== null);
  const order: CauseKind[] = ['non-constant', 'stored', 'sent', 'returned', 'call'];
  causes.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  if (causes.length > 0) return { ...causes[0], ...base };
  if (f.reasons.includes('non-constant size')) return { kind: 'non-constant', target: null, expr: null, ...base };
  // Kept in another allocation (`{storage for &Words{...}}`): it lives as long as that does.
  const last = f.flow.length > 0 ? f.flow[f.flow.length - 1] : null;
  const holder = last ? /^\{storage for (.+)\}$/.exec(last.dst) : null;
  if (holder && !RESULT.test(holder[1]) && !/^\.\.\. argument$/.test(holder[1])) {
    return { kind: 'stored', target: holder[1], expr: lastNote(last as FlowStep)?.expr ?? null, ...base };
  }
  // A result (`~r0`) is a return only with a `return` note: after inlining,
  // an inlined call's result is a `~r0` too, assigned (`assign-pair`) to a
  // local of the caller.
  if (f.reasons.includes('return')) {
    const step = f.flow.find((s) => RESULT.test(s.dst));
    const note = step ? lastNote(step) : null;
    return { kind: 'returned', target: null, expr: note?.expr ?? null, ...base };
  }
  // Kept by a local of the caller the inlined result was assigned to (`rdr := ~r0`), which escapes on its own.
  if (last && /^[A-Za-z_]\w*$/.test(last.dst)) return { kind: 'stored', target: last.dst, expr: lastNote(last)?.expr ?? null, ...base };
  // -m=1 gives no flow: only the message, so the cause is unknown.
  return { kind: 'unknown', target: null, expr: null, ...base };
}

function causeOfNote(note: FlowStep['notes'][number] | null): Omit<EscapeCause, 'boxed' | 'variadic'> | null {
  if (!note) return null;
  switch (note.reason) {
    case 'non-constant size':
      return { kind: 'non-constant', target: null, expr: note.expr };
    case 'call parameter': {
      const callee = calleeOf(note.expr);
      // `append(xs, v)`: v is kept in the slice it is appended to.
      if (callee === 'append') return { kind: 'stored', target: firstArg(note.expr), expr: note.expr };
      return { kind: 'call', target: callee, expr: note.expr };
    }
    case 'send':
      return { kind: 'sent', target: null, expr: note.expr };
    case 'key of map put':
    case 'map literal key':
    case 'map literal value':
      return { kind: 'stored', target: null, expr: note.expr };
    case 'assign':
    case 'assign-pair':
      return { kind: 'stored', target: assignTarget(note.expr), expr: note.expr };
    case 'return':
      return { kind: 'returned', target: null, expr: note.expr };
    default:
      return null;
  }
}

/** A cause that keeps the value alive after the statement: a fix that only changes its size or shape cannot move it to the stack. */
export function isRetention(kind: CauseKind): boolean {
  return kind === 'returned' || kind === 'stored' || kind === 'sent' || kind === 'call';
}
