// Is the source under --src the code the profile was taken from, at this
// site? Profiles come from deployed binaries and --src is often a newer
// checkout; advice built on the wrong line is confident nonsense. The profile
// itself carries the evidence:
//   1. Function.start_line (Go >= 1.20) against the line of the `func` with
//      that name in the source (methods, generics and closures resolved);
//   2. the site's line must hold code that can allocate or call: not a blank
//      line, a comment or a lone brace (a `}` is a call line only where a
//      deferred call runs);
//   3. a line whose bytes come from a callee must contain a call.
// A check that cannot be made says `unknown`, never `stale`: calling a
// matching source stale would throw good advice away.
import type { SourceCheck } from '../model/report.js';
import type { GoFile, StatementInfo } from '../syntax/model.js';
import { compilerFunctionName } from './join.js';

export interface SourceCheckInput {
  /** Profile function name of the site. */
  function: string;
  line: number;
  /** Function.start_line from the profile; 0 when absent. */
  startLine: number;
  /** The file's lines, or null when not readable. */
  lines: string[] | null;
  parsed: GoFile | null;
  /** The statement at the line, from the parser. */
  statement: StatementInfo | null;
  /** The line's bytes come partly from callees (the frames below it name them). */
  hasCallees: boolean;
  /** The line's own part (allocated by the statement itself) is non-zero. */
  allocatesItself: boolean;
}

function quote(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return '`' + (one.length > 60 ? one.slice(0, 59) + '…' : one) + '`';
}

export function checkSource(q: SourceCheckInput): SourceCheck {
  if (!q.lines) return { status: 'unknown', reason: 'the source file is not readable under --src' };
  if (q.line < 1 || q.line > q.lines.length) {
    return { status: 'stale', reason: `line ${q.line} is past the end of the file (${q.lines.length} lines)` };
  }
  const text = q.lines[q.line - 1];
  const name = compilerFunctionName(q.function);

  // 1. Where the function starts.
  if (q.parsed && q.startLine > 0) {
    const fn = q.parsed.findFunction(name);
    if (fn && fn.line !== q.startLine) {
      return {
        status: 'stale',
        reason: `${name} starts at line ${q.startLine} in the profile and at line ${fn.line} in the source` + (q.line > 0 ? `; line ${q.line} is now ${quote(text) || 'blank'}` : ''),
      };
    }
  }

  // 2. The line must hold code.
  const code = stripLineComment(text).trim();
  if (code === '' || code === '}' || code === ')' || code === '{' || code === '})' || code === '}()') {
    const deferredCall = code.startsWith('}') && q.hasCallees && !q.allocatesItself && functionHasDefer(q.lines, q.parsed, q.line);
    if (!deferredCall) {
      return { status: 'stale', reason: `line ${q.line} is now ${code === '' ? (text.trim() === '' ? 'blank' : 'a comment') : quote(code)}, which allocates nothing` };
    }
  }

  // 3. The statement must be able to do what the profile says it did.
  const st = q.statement;
  if (q.parsed && st && st.kind !== 'func-header' && st.calls.length === 0 && st.allocs.length === 0 && !/\bgo\b|\bdefer\b|<-|\.\(|\[/.test(st.text)) {
    if (q.hasCallees) return { status: 'stale', reason: `line ${q.line} is ${quote(st.text)}, which calls nothing, yet the profile has calls below it` };
    if (q.allocatesItself && !mayAllocateImplicitly(st, q.parsed)) {
      return { status: 'stale', reason: `line ${q.line} is ${quote(st.text)}, which neither allocates nor calls anything` };
    }
  }
  if (q.parsed && q.startLine > 0) return { status: 'matches', reason: `the function starts where the profile says (line ${q.startLine}) and line ${q.line} holds code` };
  return { status: q.parsed ? 'matches' : 'unknown', reason: q.parsed ? `line ${q.line} holds code that can allocate (the profile has no function start line to compare)` : 'the source could not be parsed' };
}

/** Statements that allocate without a visible call or allocating expression: boxing on assignment or return (`var x any = v`, `return v` into an interface result), closures' captured variables, string concatenation on typed names. */
function mayAllocateImplicitly(st: StatementInfo, parsed: GoFile): boolean {
  if (st.kind === 'inc-dec') return false;
  if (/\+=|[^+]\+[^+]/.test(st.text) && st.assigned.length === 1) {
    // `total += x` allocates only on a string; a numeric declaration settles it.
    const decl = parsed.declarationOf(st.assigned[0], st.span.start.line);
    const type = decl?.typeText?.trim() ?? null;
    if (type !== null && NUMERIC.test(type)) return false;
  }
  return st.kind === 'return' || st.kind === 'var-decl' || st.kind === 'assignment' || st.kind === 'short-var-decl' || st.kind === 'send' || /\+/.test(st.text);
}

const NUMERIC = /^(?:u?int(?:8|16|32|64)?|uintptr|float(?:32|64)|complex(?:64|128)|byte|rune|bool)$/;

function stripLineComment(line: string): string {
  const i = line.indexOf('//');
  return i >= 0 && !/["`']/.test(line.slice(0, i)) ? line.slice(0, i) : line;
}

function functionHasDefer(lines: string[], parsed: GoFile | null, line: number): boolean {
  const fn = parsed?.functions.filter((f) => f.span.start.line <= line && f.span.end.line >= line).pop();
  const from = fn ? fn.span.start.line : Math.max(1, line - 200);
  for (let i = from; i <= line && i <= lines.length; i++) if (/\bdefer\b/.test(lines[i - 1])) return true;
  return false;
}
