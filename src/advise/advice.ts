// The words of a finding: names (pprof-style short function names, the
// expression in backticks), the cost of the part a rule explains, and the
// context each rule module writes its one sentence from.
import type { EscapeFinding } from '../escape/model.js';
import type { StatementInfo } from '../syntax/model.js';
import type { EscapeCause } from './cause.js';
import type { Part } from './estimate.js';
import type { FindingContext } from './finding.js';
import type { JoinResult } from './join.js';
import type { AdviceContext } from './rules.js';

/**
 * pprof-style short name: the package's last path element, then the symbol
 * (`store.(*Store).Get`). Generic type arguments may hold paths with slashes
 * (`pkg.F[go.shape.struct { X github.com/a/b.T }]`): only the part before the
 * first `[` is searched for the last `/`.
 */
export function shortFunctionName(name: string): string {
  const bracket = name.indexOf('[');
  const head = bracket >= 0 ? name.slice(0, bracket) : name;
  const slash = head.lastIndexOf('/');
  return slash >= 0 ? name.slice(slash + 1) : name;
}

export function formatShare(share: number): string {
  const pct = share * 100;
  const abs = Math.abs(pct);
  if (abs >= 10) return `${Math.round(pct)}%`;
  if (abs >= 1) return `${pct.toFixed(1)}%`;
  if (abs >= 0.01) return `${pct.toFixed(2)}%`;
  return pct === 0 ? '0%' : '<0.01%';
}

function clip(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : one.slice(0, max - 1) + '…';
}

/** The expression the advice is about: the allocating expression the compiler's finding lies in, else its subject, else the statement. */
export function subjectOf(joined: JoinResult, statement: StatementInfo | null, line: number): string {
  const p = joined.primary;
  if (p && (p.kind === 'moved-to-heap' || p.kind === 'loopvar') && p.subject) return `\`${p.subject}\``;
  // A boxed operand: the operand, not the call or literal around it.
  if (p && p.kind === 'escapes' && /^[A-Za-z_]\w*$/.test(p.subject) && p.subject !== 'append') return `\`${p.subject}\``;
  const e = joined.expression;
  if (e) return `\`${clip(e.kind === 'string-concat-assign' && statement ? statement.text : e.text)}\``;
  if (p && p.subject) return `\`${clip(p.subject)}\``;
  if (statement) {
    const only = statement.allocs.length === 1 ? statement.allocs[0] : null;
    return `\`${clip(only ? only.text : statement.text)}\``;
  }
  return `line ${line}`;
}

export interface AdviceContextInput {
  fn: string;
  what: string;
  part: Part;
  ctx: FindingContext;
  primary: EscapeFinding | null;
  cause: EscapeCause | null;
  callee: string | null;
  remedy: string | null;
  captured: string[];
  expressionKind?: string | null;
  statementKind?: string | null;
  closureAssigns?: boolean;
  captureWidth?: number | null;
  inMethod?: boolean;
  elementOf?: string | null;
  keptAs?: AdviceContext['keptAs'];
  patternCallee?: string | null;
}

/** `22% of alloc_space (3.1% of alloc_objects)` for a part of a site. */
export function costText(part: Part, ctx: Pick<FindingContext, 'total' | 'companionTotal' | 'sampleType' | 'companionType'>): string {
  let s = `${formatShare(ctx.total ? part.value / ctx.total : 0)} of ${ctx.sampleType}`;
  if (ctx.companionType) s += ` (${formatShare(ctx.companionTotal ? part.companion / ctx.companionTotal : 0)} of ${ctx.companionType})`;
  return s;
}

export function adviceContext(i: AdviceContextInput): AdviceContext {
  return {
    fn: shortFunctionName(i.fn),
    what: i.what,
    cost: costText(i.part, i.ctx),
    primary: i.primary,
    cause: i.cause,
    callee: i.callee ? shortFunctionName(i.callee) : null,
    calleeRemedy: i.remedy,
    captured: i.captured,
    go: i.ctx.go,
    toolchain: i.ctx.toolchain,
    expressionKind: i.expressionKind ?? null,
    statementKind: i.statementKind ?? null,
    closureAssigns: i.closureAssigns ?? false,
    captureWidth: i.captureWidth ?? null,
    inMethod: i.inMethod ?? false,
    elementOf: i.elementOf ?? null,
    keptAs: i.keptAs ?? null,
    patternCallee: i.patternCallee ? shortFunctionName(i.patternCallee) : null,
  };
}
