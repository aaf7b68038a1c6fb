// The syntax stage: Go source read with a real parser (tree-sitter's Go
// grammar, WebAssembly). Load once (async), then parse synchronously.
export { loadGoParser } from './load.js';
export { isGeneratedSource } from './generated.js';
export { canonical as canonicalFunctionName } from './file.js';
export type { AllocExpr, AllocKind, CallArg, CallInfo, Declaration, DeclKind, FuncInfo, GoFile, GoParser, Pos, Span, StatementInfo } from './model.js';
