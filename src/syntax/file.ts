// Builds a GoFile from one tree-sitter parse: one pass over the tree indexes
// functions (with the names the Go compiler gives them), statements (with
// their header lines) and local declarations; the queries read that index.
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { isGeneratedSource } from './generated.js';
import { collectExprFacts } from './exprs.js';
import type { Declaration, DeclKind, FuncInfo, GoFile, ParseOptions, Span, StatementInfo } from './model.js';
import { Positions } from './positions.js';

/** A function while indexing: its info plus the counters that number its closures and range bodies. */
export interface FuncRec {
  info: FuncInfo;
  node: Node;
  /** Closures and range bodies are numbered in this record (the innermost declaration or closure). */
  parent: FuncRec | null;
  closures: number;
  ranges: number;
  /** Rows strictly inside the body braces. */
  bodyFirstRow: number;
  bodyLastRow: number;
}

export interface StmtRec {
  node: Node;
  kind: string;
  /** The parts of the node that belong to the statement itself (the header of compound statements). */
  parts: Node[];
  startIndex: number;
  endIndex: number;
  firstRow: number;
  lastRow: number;
  depth: number;
  func: FuncRec;
  rangeBody: FuncRec | null;
}

export interface DeclRec extends Declaration {
  name: string;
  row: number;
  index: number;
  scopeStart: number;
  scopeEnd: number;
}

export interface FileIndex {
  source: string;
  pos: Positions;
  decls: DeclRec[];
  consts: Set<string>;
  imports: Map<string, string>;
  funcs: FuncRec[];
  /** Methods and struct fields of this file and of the package files named in ParseOptions. */
  methods: Set<string>;
  fields: Set<string>;
  /** Declaration visible at a source index (innermost scope, then latest). */
  declAt(name: string, index: number): DeclRec | null;
}


const SIMPLE_KINDS: Record<string, string> = {
  expression_statement: 'expression',
  short_var_declaration: 'short-var-decl',
  inc_statement: 'inc-dec',
  dec_statement: 'inc-dec',
  send_statement: 'send',
  return_statement: 'return',
  go_statement: 'go',
  defer_statement: 'defer',
  var_declaration: 'var-decl',
  const_declaration: 'const-decl',
  type_declaration: 'type-decl',
  break_statement: 'branch',
  continue_statement: 'branch',
  goto_statement: 'branch',
  fallthrough_statement: 'branch',
};

const COMPOUND = new Set(['if_statement', 'for_statement', 'expression_switch_statement', 'type_switch_statement', 'select_statement']);
const CASES = new Set(['expression_case', 'default_case', 'type_case', 'communication_case']);
const STATEMENT_PARENTS = new Set(['statement_list', 'block', 'labeled_statement']);
/** Node types the index reads (besides SIMPLE_KINDS). */
const INTERESTING = new Set([
  'package_clause', 'import_spec', 'const_spec', 'var_spec', 'field_declaration', 'function_declaration', 'method_declaration', 'func_literal',
  'short_var_declaration', 'assignment_statement', 'range_clause', 'receive_statement', ...COMPOUND, ...CASES,
]);

const registry = new FinalizationRegistry<Tree>((t) => t.delete());

export function buildGoFile(parser: Parser, source: string, options: ParseOptions = {}): GoFile {
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  const pos = new Positions(source);
  const funcs: FuncRec[] = [];
  const stmts: StmtRec[] = [];
  const decls: DeclRec[] = [];
  const consts = new Set<string>();
  const imports = new Map<string, string>();
  const comments: Array<[number, number]> = [];
  const methodNames = new Set<string>();
  const fieldNames = new Set<string>();
  let errors = 0;
  let packageName = '';
  let packageNode: Node | null = null;
  let inits = 0;
  let pkgInit: FuncRec | null = null;

  const span = (n: Node): Span => ({ start: pos.at(n.startIndex), end: pos.at(n.endIndex) });
  const newFunc = (name: string, node: Node, lineNode: Node, body: Node | null, parent: FuncRec | null, extra: Partial<FuncInfo> = {}): FuncRec => {
    const rec: FuncRec = {
      info: { name, line: lineNode.startPosition.row + 1, span: span(node), isClosure: false, isRangeBody: false, ...extra },
      node,
      parent,
      closures: 0,
      ranges: 0,
      bodyFirstRow: body ? body.startPosition.row + 1 : node.startPosition.row,
      bodyLastRow: body ? body.endPosition.row - 1 : node.endPosition.row,
    };
    funcs.push(rec);
    return rec;
  };
  const addDecl = (id: Node, kind: DeclKind, typeNode: Node | null, init: string | null, scope: Node, func: FuncRec | null) => {
    if (!func || id.type !== 'identifier' || id.text === '_') return;
    const p = pos.at(id.startIndex);
    const rec: DeclRec = { name: id.text, line: p.line, column: p.column, row: p.line - 1, index: id.startIndex, typeText: typeNode ? typeNode.text : null, initText: init, kind, scopeStart: scope.startIndex, scopeEnd: scope.endIndex };
    decls.push(rec);
    const list = declsByName.get(rec.name);
    if (list) list.push(rec);
    else declsByName.set(rec.name, [rec]);
  };
  const declareParams = (list: Node | null, scope: Node, func: FuncRec) => {
    if (!list) return;
    for (const p of list.namedChildren) {
      if (!p || (p.type !== 'parameter_declaration' && p.type !== 'variadic_parameter_declaration')) continue;
      const t = p.childForFieldName('type');
      for (const n of p.childrenForFieldName('name')) if (n) addDecl(n, 'param', t, null, scope, func);
    }
  };
  /** The block (or if/for/switch statement) a declaration made by `n` is visible in. */
  const scopeOf = (n: Node): Node => {
    let p = n.parent;
    while (p && p.type !== 'block' && !COMPOUND.has(p.type) && !CASES.has(p.type) && p.type !== 'source_file') p = p.parent;
    return p ?? n;
  };
  const declareList = (left: Node | null, right: Node | null, kind: DeclKind, scope: Node, func: FuncRec | null, typeNode: Node | null = null) => {
    if (!left) return;
    const names = left.type === 'expression_list' ? left.namedChildren : [left];
    const values = right ? (right.type === 'expression_list' ? right.namedChildren : [right]) : [];
    names.forEach((n, i) => {
      if (!n) return;
      const v = values.length === names.length ? values[i] : values.length === 1 ? values[0] : null;
      addDecl(n, kind, typeNode, v ? (kind === 'range' ? `range ${v.text}` : v.text) : null, scope, func);
    });
  };

  // One walk with a cursor: Node objects are made only for the node types read below.
  const cursor = tree.walk();
  const visit = (func: FuncRec | null, rangeBody: FuncRec | null, depth: number, parentType: string): void => {
    const t = cursor.nodeType;
    if (t === 'ERROR' || cursor.nodeIsMissing) errors++;
    if (t === 'comment') {
      comments.push([cursor.startIndex, cursor.endIndex]);
      return;
    }
    const n = INTERESTING.has(t) || SIMPLE_KINDS[t] !== undefined ? cursor.currentNode : (null as unknown as Node);
    let curFunc = func;
    let curRange = rangeBody;
    if (t === 'package_clause') {
      packageNode = n;
      packageName = n.namedChildren.find((c) => c?.type === 'package_identifier')?.text ?? '';
    } else if (t === 'import_spec') {
      const path = n.childForFieldName('path')?.text.slice(1, -1) ?? '';
      const name = n.childForFieldName('name')?.text;
      const parts = path.split('/');
      let local = parts[parts.length - 1] ?? path;
      if (/^v\d+$/.test(local) && parts.length > 1) local = parts[parts.length - 2];
      local = local.replace(/\.v\d+$/, '').replace(/^go-/, '');
      imports.set(name && name !== '.' && name !== '_' ? name : local, path);
    } else if (t === 'const_spec' && !func) {
      for (const c of n.childrenForFieldName('name')) if (c) consts.add(c.text);
    } else if (t === 'function_declaration') {
      const nameNode = n.childForFieldName('name');
      let name = nameNode?.text ?? '?';
      if (name === 'init' && !n.childForFieldName('type_parameters')) name = `init.${(options.initOffset ?? 0) + inits++}`;
      curFunc = newFunc(name, n, n, n.childForFieldName('body'), null);
      curRange = null;
      declareParams(n.childForFieldName('parameters'), n, curFunc);
      declareParams(n.childForFieldName('result'), n, curFunc);
    } else if (t === 'field_declaration') {
      for (const c of n.childrenForFieldName('name')) if (c) fieldNames.add(c.text);
    } else if (t === 'method_declaration') {
      methodNames.add(n.childForFieldName('name')?.text ?? '');
      const recv = n.childForFieldName('receiver');
      curFunc = newFunc(`${receiverName(recv)}.${n.childForFieldName('name')?.text ?? '?'}`, n, n, n.childForFieldName('body'), null);
      curRange = null;
      declareParams(recv, n, curFunc);
      declareParams(n.childForFieldName('parameters'), n, curFunc);
      declareParams(n.childForFieldName('result'), n, curFunc);
    } else if (t === 'func_literal') {
      // Package-level func literals belong to the package's init function.
      if (!func && !pkgInit) {
        pkgInit = newFunc('init', packageNode ?? n, packageNode ?? n, null, null);
        pkgInit.closures = options.initClosureOffset ?? 0;
      }
      const owner = (func ?? pkgInit) as FuncRec;
      const k = ++owner.closures;
      const name = owner.info.isClosure ? `${owner.info.name}.${k}` : `${owner.info.name}.func${k}`;
      curFunc = newFunc(name, n, n, n.childForFieldName('body'), owner, { isClosure: true });
      curRange = null;
      declareParams(n.childForFieldName('parameters'), n, curFunc);
      declareParams(n.childForFieldName('result'), n, curFunc);
    }

    // Statements (only those that stand in a block: an if's initializer is part of the if).
    const elseIf = t === 'if_statement' && parentType === 'if_statement';
    if (func && (((t in SIMPLE_KINDS || t === 'assignment_statement' || COMPOUND.has(t)) && STATEMENT_PARENTS.has(parentType)) || CASES.has(t) || elseIf)) {
      const rec = statementRecord(n, func, rangeBody, depth);
      if (rec) stmts.push(rec);
    }

    // A function declaration's header line (parameters moved to heap are reported there).
    if ((t === 'function_declaration' || t === 'method_declaration') && curFunc) {
      const body = n.childForFieldName('body');
      let e = body ? body.startIndex : n.endIndex;
      while (e > n.startIndex && /\s/.test(source[e - 1])) e--;
      stmts.push({ node: n, kind: 'func-header', parts: [], startIndex: n.startIndex, endIndex: e, firstRow: n.startPosition.row, lastRow: pos.at(Math.max(n.startIndex, e - 1)).line - 1, depth, func: curFunc, rangeBody: null });
    }

    // Declarations.
    if (func) {
      if (t === 'short_var_declaration') declareList(n.childForFieldName('left'), n.childForFieldName('right'), 'short', scopeOf(n), func);
      else if (t === 'var_spec' || t === 'const_spec') {
        const names = n.childrenForFieldName('name').filter((x): x is Node => !!x);
        const value = n.childForFieldName('value');
        const values = value ? value.namedChildren : [];
        names.forEach((id, i) => addDecl(id, t === 'var_spec' ? 'var' : 'const', n.childForFieldName('type'), (values.length === names.length ? values[i] : values.length === 1 ? values[0] : null)?.text ?? null, scopeOf(n), func));
      } else if (t === 'range_clause') declareList(n.childForFieldName('left'), n.childForFieldName('right'), 'range', n.parent ?? n, func);
      else if (t === 'type_switch_statement') declareList(n.childForFieldName('alias'), n.childForFieldName('value'), 'short', n, func);
      else if (t === 'receive_statement' && n.parent?.type === 'communication_case') declareList(n.childForFieldName('left'), n.childForFieldName('right'), 'short', n.parent, func);
    }

    // Range-over-func bodies (a candidate: see FuncInfo.rangeOverFunc).
    if (t === 'for_statement' && func) {
      const rc = n.namedChildren.find((c) => c?.type === 'range_clause');
      const body = n.childForFieldName('body');
      if (rc && body && mayBeFunc(rc.childForFieldName('right'), n.startIndex)) {
        const owner = func;
        curRange = newFunc(`${owner.info.name}-range${++owner.ranges}`, n, n, body, owner, { isRangeBody: true, rangeOverFunc: 'maybe' });
        // Closures inside the body are still numbered in the owner: keep curFunc.
      }
    }

    if (cursor.gotoFirstChild()) {
      do visit(curFunc, curRange, depth + 1, t);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };

  const declsByName = new Map<string, DeclRec[]>();
  const declAt = (name: string, index: number): DeclRec | null => {
    let best: DeclRec | null = null;
    for (const d of declsByName.get(name) ?? []) {
      if ( d.scopeStart > index || d.scopeEnd < index || d.index > index) continue;
      if (!best || d.scopeStart > best.scopeStart || (d.scopeStart === best.scopeStart && d.index > best.index)) best = d;
    }
    return best;
  };

  const mayBeFunc = (e: Node | null, at: number): boolean => {
    if (!e) return false;
    switch (e.type) {
      case 'parenthesized_expression':
        return mayBeFunc(e.namedChildren[0] ?? null, at);
      case 'identifier': {
        const d = declAt(e.text, at);
        if (!d) return true;
        const ty = d.typeText ?? '';
        if (d.typeText) return /^(func\b|iter\.|\*?[A-Z]|[a-z]\w*\.[A-Z])/.test(ty) && !/^\[|^map\[|chan\b/.test(ty);
        const init = d.initText ?? '';
        return !/^(\[|map\[|make\(|len\(|[0-9'"`]|range |&?\w*\{|string\(|append\()/.test(init) && d.kind !== 'range';
      }
      case 'call_expression': {
        const fn = e.childForFieldName('function');
        const callee = fn?.text ?? '';
        if (/^(len|cap|make|append|new|min|max|string)$/.test(callee)) return false;
        if (fn?.type === 'selector_expression') {
          const pkg = fn.childForFieldName('operand')?.text ?? '';
          const path = imports.get(pkg);
          const f = fn.childForFieldName('field')?.text ?? '';
          if (path !== undefined && !path.includes('.')) return /^(maps\.(Keys|Values|All)|slices\.(All|Values|Backward|Chunk)|(strings|bytes)\.(Lines|SplitSeq|SplitAfterSeq|FieldsSeq|FieldsFuncSeq))$/.test(`${path}.${f}`) || /Seq$|^All$|^Iter/.test(f);
        }
        return true;
      }
      case 'selector_expression':
        return false;
      default:
        return false;
    }
  };

  const statementRecord = (n: Node, func: FuncRec, rangeBody: FuncRec | null, depth: number): StmtRec | null => {
    const t = n.type;
    let kind = SIMPLE_KINDS[t];
    let parts: Node[] = [n];
    let end = n.endIndex;
    if (t === 'assignment_statement') {
      const op = n.childForFieldName('operator')?.text ?? '=';
      kind = op === '=' ? 'assignment' : 'op-assignment';
    } else if (t === 'expression_statement') {
      const e = n.namedChildren[0];
      if (e?.type === 'unary_expression' && e.childForFieldName('operator')?.text === '<-') kind = 'receive';
    } else if (COMPOUND.has(t) || CASES.has(t)) {
      const open = n.children.find((c) => c && (c.type === (CASES.has(t) ? ':' : '{') || (t !== 'select_statement' && !CASES.has(t) && c.type === 'block')));
      end = open ? (open.type === 'block' ? open.startIndex : open.endIndex) : n.endIndex;
      parts = n.namedChildren.filter((c): c is Node => !!c && c.startIndex < end && c.type !== 'block' && c.type !== 'statement_list' && c.type !== 'comment');
      if (t === 'if_statement') kind = n.childForFieldName('initializer') ? 'if-init' : 'if';
      else if (t === 'for_statement') {
        const c = n.namedChildren.find((x) => x?.type === 'for_clause' || x?.type === 'range_clause');
        kind = c?.type === 'range_clause' ? 'range-clause' : c?.type === 'for_clause' ? 'for-clause' : 'for';
      } else if (t === 'expression_switch_statement') kind = n.childForFieldName('initializer') ? 'switch-init' : 'switch';
      else if (t === 'type_switch_statement') kind = 'type-switch';
      else if (t === 'select_statement') kind = 'select';
      else kind = 'case';
    }
    if (!kind) return null;
    // Trim trailing spaces before the `{` (the header text ends at its last token).
    let e = end;
    if (COMPOUND.has(t)) while (e > n.startIndex && /\s|\{/.test(source[e - 1])) e--;
    return { node: n, kind, parts, startIndex: n.startIndex, endIndex: e, firstRow: n.startPosition.row, lastRow: pos.at(Math.max(n.startIndex, e - 1)).line - 1, depth, func, rangeBody };
  };

  visit(null, null, 0, '');
  cursor.delete();
  registry.register(pos, tree, pos);

  const index: FileIndex = { source, pos, decls, consts, imports, funcs, declAt, methods: new Set([...methodNames, ...(options.methodNames ?? [])]), fields: new Set([...fieldNames, ...(options.fieldNames ?? [])]) };
  const generated = packageNode ? isGeneratedSource(source.slice(0, (packageNode as Node).startIndex).split('\n')) : false;

  const byName = new Map<string, FuncInfo>();
  for (const f of funcs) if (!byName.has(canonical(f.info.name))) byName.set(canonical(f.info.name), f.info);
  if (packageNode && !byName.has('init')) {
    const p = packageNode as Node;
    byName.set('init', { name: 'init', line: p.startPosition.row + 1, span: span(p), isClosure: false, isRangeBody: false });
  }

  const lineIsEmpty = (row: number): boolean => {
    const start = pos.lineStart(row);
    if (start < 0) return true;
    const stop = pos.lineStart(row + 1) < 0 ? source.length : pos.lineStart(row + 1);
    let rest = '';
    let i = start;
    // Comments are in source order: start at the first that ends after the line's start.
    let lo = 0;
    let hi = comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comments[mid][1] <= start) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < comments.length && comments[k][0] < stop; k++) {
      const [a, b] = comments[k];
      rest += source.slice(i, Math.max(i, a));
      i = Math.max(i, b);
    }
    if (i < stop) rest += source.slice(i, stop);
    const s = rest.trim();
    return s === '' || s === '}';
  };

  const cache = new Map<number, StatementInfo[]>();
  const stmtOf = new Map<StatementInfo, StmtRec>();
  let byRow: Map<number, StmtRec[]> | null = null;
  const indexRows = () => {
    const m = new Map<number, StmtRec[]>();
    for (const st of stmts)
      for (let r = st.firstRow; r <= st.lastRow; r++) {
        const list = m.get(r);
        if (list) list.push(st);
        else m.set(r, [st]);
      }
    return m;
  };
  const closures = funcs.filter((f) => f.info.isClosure);
  const statementsAt = (line: number): StatementInfo[] => {
    const hit = cache.get(line);
    if (hit) return hit;
    const row = line - 1;
    let best: StmtRec[] = [];
    if (!lineIsEmpty(row)) {
      best = (byRow ??= indexRows()).get(row) ?? [];
      // A line inside a func literal of the statement that no statement of the literal covers.
      best = best.filter((b) => !closures.some((f) => f.bodyFirstRow <= row && row <= f.bodyLastRow && f.node.startIndex >= b.startIndex && f.node.endIndex <= b.node.endIndex));
    }
    const infos = best.map((s) => {
      const info = describe(s, index);
      stmtOf.set(info, s);
      return info;
    });
    cache.set(line, infos);
    return infos;
  };
  /** The innermost, except that a func literal's statements give way to the statement holding the literal on the literal's first line. */
  const statementAt = (line: number): StatementInfo | null => {
    const all = statementsAt(line);
    if (all.length < 2) return all[0] ?? null;
    const row = line - 1;
    const recs = all.map((i) => stmtOf.get(i)!);
    let pick = recs.reduce((a, b) => (b.depth > a.depth ? b : a));
    for (;;) {
      const lit = enclosingLiteral(pick);
      if (!lit || lit.node.startPosition.row !== row) break;
      const outer = recs.filter((r) => r.startIndex <= lit.node.startIndex && r.node.endIndex >= lit.node.endIndex && r !== pick);
      if (!outer.length) break;
      pick = outer.reduce((a, b) => (b.depth > a.depth ? b : a));
    }
    return all[recs.indexOf(pick)];
  };
  const enclosingLiteral = (s: StmtRec): FuncRec | null => (s.func.info.isClosure ? s.func : null);

  const findFunction = (compilerName: string): FuncInfo | null => {
    const key = canonical(compilerName);
    const exact = byName.get(key);
    if (exact) return exact;
    // A closure of a function G inlined into another: `Outer.G.func2`,
    // `Outer.G.3`, `Outer.(*T).M.func3.1`. The first number counts closures
    // in Outer, not in G, so it names G's closure only when G has exactly one;
    // deeper numbers are G's own (`.1` of that closure).
    const tokens = splitName(key);
    for (let i = 1; i < tokens.length - 1; i++) {
      for (const k of [2, 1]) {
        const g = byName.get(tokens.slice(i, i + k).join('.'));
        const rest = tokens.slice(i + k);
        if (!g || g.isClosure || g.isRangeBody || rest.length === 0 || !/^(func)?\d+$/.test(rest[0])) continue;
        const rec = funcs.find((f) => f.info === g);
        const own = funcs.filter((f) => f.parent === rec && f.info.isClosure);
        if (own.length !== 1) continue;
        let c: FuncInfo | undefined = own[0].info;
        for (const n of rest.slice(1)) c = /^\d+$/.test(n) && c ? byName.get(canonical(`${c.name}.${n}`)) : undefined;
        if (c) return c;
      }
    }
    return null;
  };

  const declarationOf = (name: string, line: number): Declaration | null => {
    const start = pos.lineStart(line - 1);
    if (start < 0) return null;
    const stop = pos.lineStart(line) < 0 ? source.length : pos.lineStart(line) - 1;
    const d = declAt(name, stop);
    if (!d) return null;
    return { line: d.line, column: d.column, typeText: d.typeText, initText: d.initText, kind: d.kind };
  };

  return {
    generated,
    packageName,
    errors,
    initCount: inits,
    initClosureCount: pkgInit ? (pkgInit as FuncRec).closures - (options.initClosureOffset ?? 0) : 0,
    methodNames: [...methodNames],
    fieldNames: [...fieldNames],
    functions: funcs.map((f) => f.info),
    statementAt,
    statementsAt,
    findFunction,
    declarationOf,
    dispose: () => {
      if (registry.unregister(pos)) tree.delete();
    },
  };
}

function describe(s: StmtRec, index: FileIndex): StatementInfo {
  const { source, pos } = index;
  const facts = collectExprFacts(s, index);
  return {
    span: { start: pos.at(s.startIndex), end: pos.at(s.endIndex) },
    text: source.slice(s.startIndex, s.endIndex),
    kind: s.kind,
    hasError: s.parts.some((p) => p.hasError || p.isMissing),
    func: s.func.info,
    ...(s.rangeBody ? { rangeBody: s.rangeBody.info } : {}),
    assigned: facts.assigned,
    allocs: facts.allocs,
    calls: facts.calls,
  };
}

/** `(*T).M`, `T.M`, `(*T[...]).M` from a method's receiver list. */
function receiverName(recv: Node | null): string {
  const p = recv?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  let t = p?.childForFieldName('type') ?? null;
  let ptr = false;
  while (t && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) {
    if (t.type === 'pointer_type') ptr = true;
    t = t.namedChildren[0] ?? null;
  }
  let base = t?.text ?? '?';
  if (t?.type === 'generic_type') base = `${t.childForFieldName('type')?.text ?? '?'}[...]`;
  return ptr ? `(*${base})` : base;
}

/** `(*T).M.func1` -> ['(*T)', 'M', 'func1']: split at dots outside parentheses. */
function splitName(name: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of name) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A compiler name without its bracket parts (generic shapes or `[...]`), for matching. */
export function canonical(name: string): string {
  let out = '';
  let depth = 0;
  for (const ch of name) {
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}
