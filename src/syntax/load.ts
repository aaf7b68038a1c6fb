// Loads tree-sitter (web-tree-sitter, WebAssembly) and its Go grammar once.
// Both .wasm files are copied into dist/wasm/ by the build (scripts/copy-wasm.mjs),
// so the bundled CLI (dist/cli.js) and the tsc output (dist/syntax/*.js) find
// them next to themselves; from the sources (tests) they come from node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import type { GoParser } from './model.js';
import { buildGoFile } from './file.js';

const WASM = { runtime: ['tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm'], go: ['tree-sitter-go.wasm', 'tree-sitter-go/tree-sitter-go.wasm'] } as const;

function locate([file, pkgPath]: readonly [string, string]): string {
  for (const rel of [`./wasm/${file}`, `../wasm/${file}`]) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  try {
    return createRequire(import.meta.url).resolve(pkgPath);
  } catch {
    throw new Error(`cannot find ${file} (looked in dist/wasm/ and node_modules/${pkgPath})`);
  }
}

let loading: Promise<GoParser> | null = null;

/** Loads the Go grammar (once); parsing with the result is synchronous. */
export function loadGoParser(): Promise<GoParser> {
  loading ??= (async () => {
    await Parser.init({ wasmBinary: readFileSync(locate(WASM.runtime)) } as object);
    const go = await Language.load(readFileSync(locate(WASM.go)));
    const parser = new Parser();
    parser.setLanguage(go);
    return { parse: (source, options) => buildGoFile(parser, source, options) };
  })();
  loading.catch(() => (loading = null));
  return loading;
}
