// Reads the shape of the Go statement at a profile line. A heap profile has
// lines but no columns and no types, so this is deliberately lexical: it
// recognises the handful of statement forms that allocate, and the advice
// engine only trusts a shape when the profile or the compiler agrees.

export type StatementShape =
  | 'append'
  | 'string-concat-assign' // s += x
  | 'string-concat' // a + "b", "a" + b
  | 'make-slice'
  | 'make-map'
  | 'make-chan'
  | 'new'
  | 'address-of-composite' // &T{...}
  | 'return-address' // return &x
  | 'composite-literal' // T{...}, []T{...}, map[K]V{...}
  | 'map-assign' // m[k] = v, m[k]++
  | 'go-func' // go func() {...}()
  | 'defer-func'
  | 'func-literal'
  | 'string-conversion' // string(b)
  | 'bytes-conversion' // []byte(s)
  | 'runes-conversion' // []rune(s)
  | 'fmt-call' // fmt.Sprintf, fmt.Fprintf, fmt.Errorf, ...
  | 'log-call' // log.Printf, slog.Info, ...
  | 'errors-new'
  | 'method-value'; // t.M used as a value (only with a subject hint)

export interface Statement {
  /** The most specific allocating shape on the line. */
  shape: StatementShape;
  /** Every shape recognised on the line, most specific first. */
  shapes: StatementShape[];
  /** The allocating expression as written (`make([]byte, n)`, `&Point{...}`), trimmed. */
  expression: string;
  /** The first expression of each shape on the line, for rules that name a shape other than the main one. */
  expressions: Partial<Record<StatementShape, string>>;
  /** Variable assigned or returned, when the statement names one (`buf` in `buf := make(...)`). */
  variable: string | null;
  /** For make: whether every size argument is a literal constant. */
  constantSize: boolean | null;
  /** The statement's text (joined continuation lines, comments removed). */
  text: string;
}

export interface ClassifyOptions {
  /** The compiler's subject at this line (`t.Sum`, `make([]int, n)`), to recognise shapes that are ambiguous lexically. */
  subject?: string;
}

/**
 * Classify the statement at `focus` (an index into `lines`). `lines` are the
 * few source lines around the site; continuation lines after the focus are
 * joined while brackets stay open, so a multi-line call is read whole.
 */
export function classifyStatement(lines: string[], focus: number, opts: ClassifyOptions = {}): Statement | null {
  if (focus < 0 || focus >= lines.length) return null;
  const text = joinContinuation(lines, focus);
  const code = blankStrings(text);
  if (code.trim() === '') return null;

  type Hit = { shape: StatementShape; at: number; expr: string };
  const hits: Hit[] = [];
  const add = (shape: StatementShape, at: number, expr?: string): void => {
    hits.push({ shape, at, expr: expr ?? balancedFrom(text, code, at) });
  };

  let m: RegExpExecArray | null;

  const appendRe = /\bappend\s*\(/g;
  while ((m = appendRe.exec(code))) add('append', m.index);

  const makeRe = /\bmake\s*\(\s*(map\b|chan\b|\[)/g;
  while ((m = makeRe.exec(code))) {
    const kind = m[1];
    add(kind === 'map' ? 'make-map' : kind === 'chan' ? 'make-chan' : 'make-slice', m.index);
  }

  // make(T, n) with a named type: most often a slice type.
  const makeNamed = /\bmake\s*\(\s*(?!map\b|chan\b)[A-Za-z_]/g;
  while ((m = makeNamed.exec(code))) add('make-slice', m.index);

  const newRe = /\bnew\s*\(/g;
  while ((m = newRe.exec(code))) add('new', m.index);

  // `return &x` (a variable, not a composite literal) is the classic escape.
  const retAddr = /\breturn\s+&\s*([A-Za-z_]\w*)\b(?!\s*[{.(\[])/.exec(code);
  if (retAddr) add('return-address', retAddr.index, `&${retAddr[1]}`);

  const addrLit = /&\s*((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*(?:\[[^\]]*\])?)\s*\{/g;
  while ((m = addrLit.exec(code))) add('address-of-composite', m.index);

  const goFunc = /\bgo\s+func\s*\(/.exec(code);
  if (goFunc) add('go-func', goFunc.index, 'go func');
  const deferFunc = /\bdefer\s+func\s*\(/.exec(code);
  if (deferFunc) add('defer-func', deferFunc.index, 'defer func');
  if (!goFunc && !deferFunc) {
    const funcLit = /(?:^|[^\w.])func\s*\(/.exec(code);
    // A method or function declaration line is not a literal.
    if (funcLit && !/^\s*func\b/.test(code)) add('func-literal', funcLit.index + (funcLit[0].length - funcLit[0].trimStart().length), 'func literal');
  }

  const conv = /(?<![\w.])(string|\[\]byte|\[\]rune)\s*\(/g;
  while ((m = conv.exec(code))) {
    add(m[1] === 'string' ? 'string-conversion' : m[1] === '[]byte' ? 'bytes-conversion' : 'runes-conversion', m.index);
  }

  const fmtRe = /\bfmt\.(Sprintf|Sprint|Sprintln|Errorf|Fprintf|Fprint|Fprintln|Printf|Print|Println|Appendf|Append|Appendln|Sscanf|Sscan)\s*\(/g;
  while ((m = fmtRe.exec(code))) add('fmt-call', m.index);

  const logRe = /\b(?:log|slog|logger|l|zap|logrus|klog)\.(Printf|Print|Println|Fatalf|Fatal|Panicf|Panic|Info|Infof|Warn|Warnf|Error|Errorf|Debug|Debugf|With|Log|LogAttrs)\s*\(/g;
  while ((m = logRe.exec(code))) add('log-call', m.index);

  const errNew = /\berrors\.New\s*\(/.exec(code);
  if (errNew) add('errors-new', errNew.index);

  // m[k] = v, m[k] += v, m[k]++ : an index expression on the left of an assignment.
  const mapAssign = /^\s*([A-Za-z_][\w.]*)\s*\[[^\]]+\]\s*(?:[-+*/|&^%]?=(?!=)|\+\+|--)/.exec(code);
  if (mapAssign) add('map-assign', mapAssign.index + mapAssign[0].length - mapAssign[0].trimStart().length, text.slice(mapAssign.index, mapAssign.index + mapAssign[0].length).trim());

  const plusAssign = /([A-Za-z_][\w.\[\]]*)\s*\+=/.exec(code);
  if (plusAssign && !mapAssign) add('string-concat-assign', plusAssign.index, text.slice(plusAssign.index).trim());

  // `a + b` is a concatenation for certain when one side is a string literal.
  const concat = /(""|``)\s*\+|\+\s*(""|``)/.exec(code);
  if (concat) add('string-concat', concat.index, assignedExpression(text, code) ?? text.trim());

  const lit = /(?:(?<![\w\]])\[\d*\]\s*[A-Za-z_*][\w.*\[\]]*|\bmap\s*\[[^\]]+\][\w.*\[\]]+|\b[A-Z]\w*(?:\.[A-Z]\w*)?)\s*\{/g;
  while ((m = lit.exec(code))) {
    // Skip the type in `&T{` (already counted) and struct/func declarations.
    if (code.slice(0, m.index).trimEnd().endsWith('&')) continue;
    if (/\b(type|struct|interface|func)\s*$/.test(code.slice(0, m.index))) continue;
    add('composite-literal', m.index);
  }

  if (opts.subject && isMethodValueUse(code, opts.subject)) {
    const at = code.indexOf(opts.subject);
    add('method-value', at, opts.subject);
  }

  if (hits.length === 0) return null;

  const order: StatementShape[] = [
    'go-func',
    'defer-func',
    'method-value',
    'return-address',
    'fmt-call',
    'log-call',
    'errors-new',
    'string-concat-assign',
    'string-concat',
    'append',
    'make-slice',
    'make-map',
    'make-chan',
    'map-assign',
    'string-conversion',
    'bytes-conversion',
    'runes-conversion',
    'new',
    'address-of-composite',
    'func-literal',
    'composite-literal',
  ];
  hits.sort((a, b) => order.indexOf(a.shape) - order.indexOf(b.shape) || a.at - b.at);
  const best = hits[0];
  const shapes: StatementShape[] = [];
  const expressions: Partial<Record<StatementShape, string>> = {};
  for (const h of hits) {
    if (shapes.includes(h.shape)) continue;
    shapes.push(h.shape);
    expressions[h.shape] = h.expr.trim();
  }

  let constantSize: boolean | null = null;
  if (best.shape === 'make-slice' || best.shape === 'make-map' || best.shape === 'make-chan') {
    constantSize = makeSizeIsConstant(best.expr);
  }
  return {
    shape: best.shape,
    shapes,
    expression: best.expr.trim(),
    expressions,
    variable: statementVariable(code, best.shape, best.expr),
    constantSize,
    text: text.trim(),
  };
}

/**
 * True when `subject` (a selector such as `t.Sum` or `s.handle`) appears in
 * the code and is not immediately called: that is how a method value reads.
 */
export function isMethodValueUse(code: string, subject: string): boolean {
  if (!/^[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+$/.test(subject)) return false;
  const re = new RegExp(`(?<![\\w.])${subject.replace(/\./g, '\\.')}(?![\\w])`, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) {
    const rest = code.slice(m.index + subject.length).trimStart();
    if (rest.startsWith('(')) continue;
    // Assigned to, incremented or indexed: a field, not a method value.
    if (/^(?:[-+*/|&^%]?=(?!=)|\+\+|--|\[|\.)/.test(rest)) continue;
    return true;
  }
  return false;
}

/** Lines a statement may span on either side of the focus. */
const MAX_CONTINUATION = 6;

/**
 * The statement around the focus line: back to the line that opened a still
 * unclosed `(` or `[` (the profile gives the line of an argument on a
 * continuation line, e.g. the boxed operands of a multi-line fmt.Sprintf),
 * then forward while brackets stay open. Braces are not followed backwards:
 * a `{` at a line end usually opens a block, not an expression.
 */
function joinContinuation(lines: string[], focus: number): string {
  let start = focus;
  let open = 0;
  for (let k = focus - 1; k >= 0 && k >= focus - MAX_CONTINUATION; k--) {
    open += parenDepth(stripComment(lines[k]));
    if (open > 0) {
      start = k;
      open = 0;
    }
  }
  let text = '';
  for (let k = start; k < focus; k++) text += stripComment(lines[k]) + '\n';
  text += stripComment(lines[focus] ?? '');
  let depth = bracketDepth(text);
  let i = focus + 1;
  while (depth > 0 && i < lines.length && i <= focus + MAX_CONTINUATION) {
    const next = stripComment(lines[i]);
    text += '\n' + next;
    depth += bracketDepth(next);
    i++;
  }
  return text;
}

function parenDepth(s: string): number {
  let d = 0;
  for (const ch of blankStrings(s)) {
    if (ch === '(' || ch === '[') d++;
    else if (ch === ')' || ch === ']') d--;
  }
  return d;
}

function bracketDepth(s: string): number {
  const code = blankStrings(s);
  let d = 0;
  for (const ch of code) {
    if (ch === '(' || ch === '[' || ch === '{') d++;
    else if (ch === ')' || ch === ']' || ch === '}') d--;
  }
  return d;
}

/** Remove a trailing `//` comment, respecting string and rune literals. */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === '\\' && quote !== '`') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    else if (ch === '/' && line[i + 1] === '/') return line.slice(0, i);
    else if (ch === '/' && line[i + 1] === '*') {
      const end = line.indexOf('*/', i + 2);
      if (end < 0) return line.slice(0, i);
      line = line.slice(0, i) + ' '.repeat(end + 2 - i) + line.slice(end + 2);
      i = end + 1;
    }
  }
  return line;
}

/**
 * Replace the contents of string and rune literals with spaces (keeping the
 * quotes and the length), so `"%d+%s"` cannot look like code.
 */
export function blankStrings(s: string): string {
  let out = '';
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quote) {
      if (ch === '\\' && quote !== '`') {
        out += '  ';
        i++;
        continue;
      }
      if (ch === quote) {
        quote = null;
        out += ch;
      } else out += ch === '\n' ? '\n' : ' ';
      continue;
    }
    if (ch === '"' || ch === '`' || ch === "'") quote = ch;
    out += ch;
  }
  // Collapse blanked literals so patterns can test for `""`.
  return out.replace(/"( +)"/g, (_, sp: string) => '""' + sp).replace(/`( +)`/g, (_, sp: string) => '``' + sp);
}

/** The expression starting at `at`: through its balanced bracket group, plus a trailing `{...}` or `(...)`. */
function balancedFrom(text: string, code: string, at: number): string {
  let i = at;
  let depth = 0;
  let opened = false;
  for (; i < code.length; i++) {
    const ch = code[i];
    if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      opened = true;
    } else if (ch === ')' || ch === ']' || ch === '}') {
      depth--;
      if (depth < 0) break;
      if (depth === 0 && opened) {
        // `[]byte{` / `T{` : the bracket group was the type; continue into the literal.
        const rest = code.slice(i + 1);
        if (ch === ']' && /^[\w.*\[\]]*\s*[{(]/.test(rest)) continue;
        i++;
        break;
      }
    } else if (depth === 0 && opened && (ch === ',' || ch === ';')) break;
  }
  return text.slice(at, i).replace(/\s+/g, ' ');
}

function assignedExpression(text: string, code: string): string | null {
  const m = /(?::=|(?<![=!<>])=(?!=)|\breturn\b)\s*/.exec(code);
  if (!m) return null;
  return text.slice(m.index + m[0].length).trim().replace(/\s+/g, ' ');
}

/** A make's size arguments are constant when each is a number literal (the compiler prints folded constants as literals). */
export function makeSizeIsConstant(expr: string): boolean {
  const inner = /^make\s*\((.*)\)$/s.exec(expr.trim());
  if (!inner) return false;
  const args = splitTopLevel(inner[1]).slice(1);
  if (args.length === 0) return true;
  return args.every((a) => /^[\d_]+(?:\s*(?:<<|\*|\+)\s*[\d_]+)*$/.test(a.trim()));
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

function statementVariable(code: string, shape: StatementShape, expr: string): string | null {
  if (shape === 'return-address') return expr.replace(/^&/, '');
  if (shape === 'map-assign') {
    const m = /^\s*([A-Za-z_][\w.]*)\s*\[/.exec(code);
    return m ? m[1] : null;
  }
  if (shape === 'string-concat-assign') {
    const m = /([A-Za-z_][\w.\[\]]*)\s*\+=/.exec(code);
    return m ? m[1] : null;
  }
  // x := expr, x = expr, var x = expr, x, err := expr (first name).
  const m = /^\s*(?:var\s+)?([A-Za-z_][\w.]*)(?:\s*,\s*[A-Za-z_][\w.]*)*(?:\s+[^=:]+)?\s*(?::=|(?<![=!<>])=(?!=))/.exec(code);
  if (m) return m[1];
  return null;
}
