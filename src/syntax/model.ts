// Types of the syntax stage: facts read from one Go source file by a real
// parser (tree-sitter's Go grammar). Positions are what the Go compiler
// prints: 1-based lines and 1-based byte columns (a tab counts 1, a
// non-ASCII character counts its UTF-8 bytes).

export interface Pos {
  line: number;
  column: number;
}

/** `end` is exclusive: the position just past the last byte. */
export interface Span {
  start: Pos;
  end: Pos;
}

export interface FuncInfo {
  /** The name the Go toolchain gives it, without the package path: `F`, `(*T).M`, `T.M`, `(*T[...]).M`, `F.func1`, `F.func1.2`, `F-range1`, `init.0`. Generic type parameters are written `[...]`. */
  name: string;
  /** Line of the `func` keyword (closures: the func literal's; range-over-func bodies: the `for` line). */
  line: number;
  span: Span;
  isClosure: boolean;
  /** A range-over-func loop body (`F-range1`). Which `for ... range` loops range over a function cannot be known without types: see rangeOverFunc. */
  isRangeBody: boolean;
  /** For range bodies: 'maybe' when the range expression could be a function (a call, a name); range bodies that are surely not over a func are not listed. */
  rangeOverFunc?: 'maybe';
}

export type AllocKind =
  | 'make-slice'
  | 'make-map'
  | 'make-chan'
  /** make of a named type: slice, map or chan cannot be told without types. */
  | 'make'
  | 'new'
  | 'address-of-composite'
  | 'composite-literal'
  | 'append'
  | 'string-conversion'
  | 'bytes-conversion'
  | 'runes-conversion'
  | 'string-concat'
  | 'string-concat-assign'
  | 'func-literal'
  | 'method-value'
  | 'address-of'
  | 'variadic-call';

export interface AllocExpr {
  kind: AllocKind;
  span: Span;
  /** Where the Go compiler positions this expression in its messages (cmd/compile/internal/syntax): a call or conversion at its `(`, a composite literal at its `{`, a binary `+` at its (outermost) operator, `x.M` at the dot, `&x` and func literals at their start (all checked against go1.26 -m output); `s += x` at the `+=` (not seen in -m output). Conversions are sometimes also reported at their operand: join messages by span, prefer the anchor. */
  anchor: Pos;
  text: string;
  /** make: every size argument is a constant (literals, and constants declared in this file). */
  constantSize?: boolean;
  /** func literal: free variables it uses from the enclosing function(s). */
  captures?: string[];
  /** &x: the variable (as written). method value: the receiver expression. */
  operand?: string;
}

export interface CallArg {
  text: string;
  span: Span;
}

export interface CallInfo {
  /** The callee as written: `json.Unmarshal`, `z.rdr.DecodeAll`, `make`, `F[int]`. */
  callee: string;
  span: Span;
  /** The `(` of the call: where the compiler positions it. */
  anchor: Pos;
  args: CallArg[];
  /** The last argument is spread (`xs...`): no variadic slice is built. */
  spread: boolean;
}

export interface StatementInfo {
  /** For if/for/switch/select and case clauses, only the header (up to the `{` or `:`). */
  span: Span;
  text: string;
  kind: string;
  /** The statement holds a syntax error (an ERROR or MISSING node). */
  hasError: boolean;
  func: FuncInfo;
  /** Set when the statement lies in a `for ... range` body that may range over a function (the profile then names it `F-range1`). */
  rangeBody?: FuncInfo;
  assigned: string[];
  allocs: AllocExpr[];
  calls: CallInfo[];
}

export type DeclKind = 'param' | 'var' | 'short' | 'range' | 'const';

export interface Declaration {
  line: number;
  column: number;
  typeText: string | null;
  initText: string | null;
  kind: DeclKind;
}

export interface GoFile {
  /** `// Code generated ... DO NOT EDIT.` before the package clause. */
  generated: boolean;
  /** Package name from the package clause ('' when absent). */
  packageName: string;
  /** Number of syntax errors (ERROR and MISSING nodes); the file is still usable around them. */
  errors: number;
  /** `func init()` declarations and package-level func literals in this file (see ParseOptions.initOffset). */
  initCount: number;
  initClosureCount: number;
  /** Names of the methods declared in this file. */
  methodNames: string[];
  /** Names of the struct fields declared in this file. */
  fieldNames: string[];
  /** Every function: declarations, methods, closures and candidate range-over-func bodies, in source order. */
  functions: FuncInfo[];
  statementAt(line: number): StatementInfo | null;
  /** The statement at `line`: the innermost (a multi-line call is one statement; a line inside a func literal's body gives the literal's statement, but on the literal's first line the statement holding the literal wins). Headers only for if/for/switch/select and case clauses; `func-header` for a declaration's signature line. null for blank, comment-only and `}`-only lines and lines outside functions. When several statements share a line, see statementsAt. */
  /** Every statement at `line` at any depth (`a := f(); b := g()`; `if err := f(); err != nil { return err }` gives the if header and the return), in source order, leaving out statements that reach the line only through the inside of a multi-line func literal. */
  statementsAt(line: number): StatementInfo[];
  findFunction(compilerName: string): FuncInfo | null;
  declarationOf(name: string, line: number): Declaration | null;
  /** Frees the parser's tree now (it is also freed when the GoFile is garbage collected). */
  dispose(): void;
}

export interface ParseOptions {
  /** Method names declared elsewhere in the package (GoFile.methodNames of its other files): `x.M` not called is a method-value candidate only when M is a method and no struct field M is declared. */
  methodNames?: Iterable<string>;
  /** Struct field names declared elsewhere in the package (GoFile.fieldNames of its other files). */
  fieldNames?: Iterable<string>;
  /** The compiler numbers `func init()` (init.0, init.1, ...) and package-level func literals (init.func1, ...) across the package's files in the order it compiles them (by file name): the counts of the files before this one (sums of GoFile.initCount and GoFile.initClosureCount). Default 0, right for the first such file. */
  initOffset?: number;
  initClosureOffset?: number;
}

export interface GoParser {
  parse(source: string, options?: ParseOptions): GoFile;
}
