// Copies the WebAssembly files the syntax stage loads at run time (the
// tree-sitter runtime and its Go grammar) into dist/wasm/, next to the
// bundled CLI, so an installed package needs neither tree-sitter-go nor a
// native build. src/syntax/load.ts looks there first.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
mkdirSync('dist/wasm', { recursive: true });
for (const [pkg, file] of [['web-tree-sitter', 'tree-sitter.wasm'], ['tree-sitter-go', 'tree-sitter-go.wasm']]) {
  copyFileSync(require.resolve(`${pkg}/${file}`), `dist/wasm/${file}`);
}
