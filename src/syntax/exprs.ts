// The expressions of one statement: what it assigns, what may allocate in it
// (with column spans) and every call. Read from syntax only: without types a
// field looks like a method value, and a call's variadic parameters are known
// only for a few standard functions (fmt, log, log/slog).
import type { Node } from 'web-tree-sitter';
import type { FileIndex, StmtRec } from './file.js';
import type { AllocExpr, AllocKind, CallInfo, Span } from './model.js';

export interface ExprFacts {
  assigned: string[];
  allocs: AllocExpr[];
  calls: CallInfo[];
}

/** Standard functions with a `...any` parameter: import path.name -> number of fixed parameters. */
const VARIADIC_ANY: Record<string, number> = {};
for (const f of ['Sprintf', 'Printf', 'Errorf', 'Sscanf', 'Scanf', 'Fprint', 'Fprintln', 'Append', 'Appendln', 'Sscan', 'Sscanln', 'Fscan', 'Fscanln']) VARIADIC_ANY[`fmt.${f}`] = 1;
for (const f of ['Fprintf', 'Appendf', 'Fscanf']) VARIADIC_ANY[`fmt.${f}`] = 2;
for (const f of ['Sprint', 'Sprintln', 'Print', 'Println', 'Scan', 'Scanln']) VARIADIC_ANY[`fmt.${f}`] = 0;
for (const f of ['Printf', 'Fatalf', 'Panicf']) VARIADIC_ANY[`log.${f}`] = 1;
for (const f of ['Print', 'Println', 'Fatal', 'Fatalln', 'Panic', 'Panicln']) VARIADIC_ANY[`log.${f}`] = 0;
for (const f of ['Info', 'Debug', 'Warn', 'Error', 'With']) VARIADIC_ANY[`log/slog.${f}`] = f === 'With' ? 0 : 1;
for (const f of ['InfoContext', 'DebugContext', 'WarnContext', 'ErrorContext']) VARIADIC_ANY[`log/slog.${f}`] = 2;
VARIADIC_ANY['log/slog.Log'] = 3;

const STRING_FUNCS = /^(fmt\.Sprint(f|ln)?|strconv\.(Itoa|Format\w+|Quote\w*)|strings\.(Join|Repeat|Replace\w*|To\w+|Trim\w*|Title)|string)$/;

export function collectExprFacts(s: StmtRec, ix: FileIndex): ExprFacts {
  const { pos, source } = ix;
  const allocs: AllocExpr[] = [];
  const calls: CallInfo[] = [];
  const assigned: string[] = [];
  const span = (n: Node): Span => ({ start: pos.at(n.startIndex), end: pos.at(n.endIndex) });
  const add = (kind: AllocKind, n: Node, extra: Partial<AllocExpr> = {}) => allocs.push({ kind, span: span(n), anchor: pos.at(anchorOf(n)), text: n.text, ...extra });
  const at = s.startIndex;

  const listOf = (n: Node | null): Node[] => (!n ? [] : n.type === 'expression_list' ? n.namedChildren.filter((x): x is Node => !!x) : [n]);
  const assign = (n: Node | null) => {
    for (const e of listOf(n)) if (e.text !== '_') assigned.push(e.text);
  };

  const declType = (name: string): { type: string | null; init: string | null } | null => {
    const d = ix.declAt(name, at);
    return d ? { type: d.typeText, init: d.initText } : null;
  };

  /** A name declared `string`, or initialized from a string literal, a string(...) conversion or another such name. */
  const stringyName = (name: string, depth: number): boolean => {
    const d = declType(name);
    if (!d) return false;
    if (d.type) return d.type === 'string';
    const init = d.init ?? '';
    if (/^["`]/.test(init) || /^string\(/.test(init) || STRING_FUNCS.test(init.replace(/\(.*$/s, ''))) return true;
    return depth < 4 && /^[A-Za-z_]\w*$/.test(init) && init !== name && stringyName(init, depth + 1);
  };

  const isStringy = (e: Node | null): boolean => {
    if (!e) return false;
    switch (e.type) {
      case 'interpreted_string_literal':
      case 'raw_string_literal':
        return true;
      case 'parenthesized_expression':
        return isStringy(e.namedChildren[0] ?? null);
      case 'binary_expression':
        return e.childForFieldName('operator')?.text === '+' && (isStringy(e.childForFieldName('left')) || isStringy(e.childForFieldName('right')));
      case 'identifier':
        return stringyName(e.text, 0);
      case 'index_expression': {
        const base = e.childForFieldName('operand');
        if (base?.type !== 'identifier') return false;
        const t = declType(base.text)?.type ?? '';
        return /^(\[\d*\]|map\[[^\]]*\])string$/.test(t) || t === '...string';
      }
      case 'call_expression': {
        const callee = calleeKey(e.childForFieldName('function'));
        return STRING_FUNCS.test(callee);
      }
      default:
        return false;
    }
  };

  /** `fmt.Sprintf` with the package's import path (`log/slog.Info`), or the callee text. */
  const calleeKey = (fn: Node | null): string => {
    if (!fn) return '';
    if (fn.type === 'selector_expression') {
      const op = fn.childForFieldName('operand');
      const path = op?.type === 'identifier' && !ix.declAt(op.text, at) ? ix.imports.get(op.text) : undefined;
      if (path !== undefined) return `${path}.${fn.childForFieldName('field')?.text ?? ''}`;
    }
    return fn.text;
  };

  const isConst = (e: Node | null): boolean => {
    if (!e) return false;
    switch (e.type) {
      case 'int_literal':
      case 'float_literal':
      case 'rune_literal':
      case 'imaginary_literal':
      case 'iota':
        return true;
      case 'identifier': {
        const d = ix.declAt(e.text, at);
        return d ? d.kind === 'const' : ix.consts.has(e.text);
      }
      case 'parenthesized_expression':
      case 'unary_expression':
        return e.namedChildren.every((c) => !c || isConst(c));
      case 'binary_expression':
        return isConst(e.childForFieldName('left')) && isConst(e.childForFieldName('right'));
      default:
        return false;
    }
  };

  const captures = (lit: Node): string[] => {
    const out: string[] = [];
    const seen = new Set<string>();
    const walk = (n: Node) => {
      if (n.type === 'identifier' && !seen.has(n.text)) {
        const p = n.parent;
        const isKey = p?.type === 'literal_element' && p.parent?.type === 'keyed_element' && p.parent.namedChildren[0]?.equals(p);
        if (!isKey) {
          const d = ix.declAt(n.text, n.startIndex);
          if (d && (d.index < lit.startIndex || d.index >= lit.endIndex) && d.scopeStart <= lit.startIndex) {
            seen.add(n.text);
            out.push(n.text);
          }
        }
      }
      for (const c of n.namedChildren) if (c) walk(c);
    };
    walk(lit);
    return out;
  };

  const VALUE_PARENTS = new Set(['argument_list', 'expression_list', 'literal_element', 'return_statement', 'send_statement']);

  const visit = (n: Node, concatDone: boolean): void => {
    switch (n.type) {
      case 'func_literal':
        add('func-literal', n, { captures: captures(n) });
        return;
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        const argList = n.childForFieldName('arguments');
        const args = (argList?.namedChildren ?? []).filter((a): a is Node => !!a && a.type !== 'comment');
        const spread = args.length > 0 && args[args.length - 1].type === 'variadic_argument';
        const ta = n.childForFieldName('type_arguments');
        calls.push({ callee: (fn?.text ?? '') + (ta?.text ?? ''), span: span(n), anchor: pos.at(anchorOf(n)), args: args.map((a) => ({ text: a.text, span: span(a) })), spread });
        const name = fn?.type === 'identifier' && !ix.declAt(fn.text, at) ? fn.text : '';
        if (name === 'make' && args.length > 0) {
          const ty = args[0].type;
          const kind: AllocKind = ty === 'slice_type' ? 'make-slice' : ty === 'map_type' ? 'make-map' : ty === 'channel_type' ? 'make-chan' : args.length === 3 ? 'make-slice' : 'make';
          add(kind, n, { constantSize: args.slice(1).every(isConst) });
        } else if (name === 'new') add('new', n);
        else if (name === 'append') add('append', n);
        else if (name === 'string' && args.length === 1) add('string-conversion', n);
        else if (fn?.type === 'parenthesized_expression' && /^\((\[\]byte|\[\]rune|string)\)$/.test(fn.text)) add(fn.text === '(string)' ? 'string-conversion' : fn.text === '([]byte)' ? 'bytes-conversion' : 'runes-conversion', n);
        else {
          const fixed = VARIADIC_ANY[calleeKey(fn)];
          if (fixed !== undefined && !spread && args.length > fixed) add('variadic-call', n);
        }
        break;
      }
      case 'type_conversion_expression': {
        const ty = n.childForFieldName('type');
        if (ty?.type === 'slice_type') {
          const el = ty.childForFieldName('element')?.text;
          if (el === 'byte' || el === 'uint8') add('bytes-conversion', n);
          else if (el === 'rune' || el === 'int32') add('runes-conversion', n);
        } else if (ty?.text === 'string') add('string-conversion', n);
        break;
      }
      case 'unary_expression': {
        if (n.childForFieldName('operator')?.text === '&') {
          let op = n.childForFieldName('operand');
          while (op?.type === 'parenthesized_expression') op = op.namedChildren[0] ?? null;
          if (op?.type === 'composite_literal') {
            add('address-of-composite', n);
            const body = op.childForFieldName('body');
            if (body) visit(body, false);
            return;
          }
          add('address-of', n, { operand: op?.text ?? '' });
        }
        break;
      }
      case 'composite_literal':
        add('composite-literal', n);
        break;
      case 'binary_expression':
        if (!concatDone && n.childForFieldName('operator')?.text === '+' && isStringy(n)) {
          add('string-concat', n);
          concatDone = true;
        } else if (n.childForFieldName('operator')?.text !== '+') concatDone = false;
        for (const c of n.namedChildren) if (c) visit(c, concatDone);
        return;
      case 'selector_expression': {
        const p = n.parent;
        const op = n.childForFieldName('operand');
        const isPkg = op?.type === 'identifier' && ix.imports.has(op.text) && !ix.declAt(op.text, at);
        const isCallee = p?.type === 'call_expression' && p.childForFieldName('function')?.equals(n);
        const builtinArg = p?.type === 'argument_list' && /^(len|cap|make|new|append|copy|delete|clear|min|max|print|println)$/.test(p.parent?.childForFieldName('function')?.text ?? '');
        const valuePos = VALUE_PARENTS.has(p?.type ?? '') && !builtinArg && !(p?.type === 'expression_list' && isLeftSide(p));
        const field = n.childForFieldName('field')?.text ?? '';
        if (!isPkg && !isCallee && valuePos && ix.methods.has(field) && !ix.fields.has(field)) add('method-value', n, { operand: op?.text ?? '' });
        break;
      }
    }
    for (const c of n.namedChildren) if (c) visit(c, false);
  };

  const n = s.node;
  switch (n.type) {
    case 'short_var_declaration':
      assign(n.childForFieldName('left'));
      break;
    case 'assignment_statement': {
      assign(n.childForFieldName('left'));
      const op = n.childForFieldName('operator')?.text;
      if (op === '+=') {
        const left = listOf(n.childForFieldName('left'))[0] ?? null;
        const right = listOf(n.childForFieldName('right'))[0] ?? null;
        if (isStringy(left) || isStringy(right)) add('string-concat-assign', n);
      }
      break;
    }
    case 'inc_statement':
    case 'dec_statement':
      assign(n.namedChildren[0] ?? null);
      break;
    case 'var_declaration':
    case 'const_declaration':
      for (const spec of n.descendantsOfType(['var_spec', 'const_spec'])) for (const id of spec?.childrenForFieldName('name') ?? []) if (id && id.text !== '_') assigned.push(id.text);
      break;
    case 'if_statement':
    case 'expression_switch_statement':
    case 'for_statement':
    case 'type_switch_statement':
    case 'communication_case': {
      for (const part of s.parts) {
        if (part.type === 'short_var_declaration' || part.type === 'assignment_statement' || part.type === 'receive_statement') assign(part.childForFieldName('left'));
        if (part.type === 'for_clause') {
          const init = part.childForFieldName('initializer');
          if (init) assign(init.childForFieldName('left'));
        }
        if (part.type === 'range_clause') assign(part.childForFieldName('left'));
      }
      if (n.type === 'type_switch_statement') assign(n.childForFieldName('alias'));
      break;
    }
  }
  for (const part of s.parts) visit(part, false);
  allocs.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.column - b.span.start.column);
  void source;
  return { assigned, allocs, calls };
}

/** The source index the Go compiler reports for an expression (see AllocExpr.anchor). */
function anchorOf(n: Node): number {
  switch (n.type) {
    case 'call_expression':
      return n.childForFieldName('arguments')?.startIndex ?? n.startIndex;
    case 'type_conversion_expression':
      return n.children.find((c) => c?.type === '(')?.startIndex ?? n.startIndex;
    case 'composite_literal':
      return n.childForFieldName('body')?.startIndex ?? n.startIndex;
    case 'binary_expression':
    case 'assignment_statement':
      return n.childForFieldName('operator')?.startIndex ?? n.startIndex;
    case 'selector_expression':
      return n.children.find((c) => c?.type === '.')?.startIndex ?? n.startIndex;
    case 'index_expression':
      return n.children.find((c) => c?.type === '[')?.startIndex ?? n.startIndex;
    default:
      return n.startIndex;
  }
}

function isLeftSide(list: Node): boolean {
  const p = list.parent;
  if (!p) return false;
  const left = p.childForFieldName('left');
  return !!left && left.equals(list);
}
