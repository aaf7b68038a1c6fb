#!/usr/bin/env node
// node bench/parsers.mjs [DIR...]   (default: samples/, the go-lua pair, $(go env GOROOT)/src)
//
// The measurement behind docs/parser-choice.md: parses every .go file under
// each DIR with each candidate, each candidate in its own child process, and
// prints a markdown table: files, MB, load time, total and median parse time
// per file, throughput, peak RSS, and files/nodes with syntax errors.
// Candidates:
//   tree-sitter     web-tree-sitter + tree-sitter-go's wasm (what src/syntax uses)
//   advisor-syntax  src/syntax as built in dist/: parse plus its index (functions,
//                   statements, declarations), as advisor uses it per hot file
//   advisor-lines   the same, then statementAt on every line of every file (the
//                   worst case: advisor asks only for hot lines)
//   (the advisor-* rows are skipped for trees over 10 MB)
//   lezer           @lezer/go, only when installed: `npm install --no-save @lezer/go`
// A benchmark, not a test: it exits 0 once it has measured.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function goFiles(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'testdata') goFiles(p, out); // Go tools skip testdata/, which holds deliberately invalid Go
    }
    else if (e.name.endsWith('.go')) out.push(p);
  }
  return out;
}

async function child(which, dir) {
  const texts = goFiles(dir).map((f) => readFileSync(f, 'utf8'));
  const t0 = performance.now();
  let parse;
  if (which === 'tree-sitter') {
    const { Parser, Language } = await import('web-tree-sitter');
    await Parser.init();
    const p = new Parser();
    p.setLanguage(await Language.load(require.resolve('tree-sitter-go/tree-sitter-go.wasm')));
    parse = (s) => {
      const t = p.parse(s);
      let n = 0;
      if (t.rootNode.hasError) {
        const visit = (x) => {
          if (x.isError || x.isMissing) n++;
          else for (const c of x.children) visit(c);
        };
        visit(t.rootNode);
      }
      t.delete();
      return n;
    };
  } else if (which.startsWith('advisor-')) {
    const { loadGoParser } = await import(pathToFileURL(join(ROOT, 'dist/syntax/index.js')).href);
    const p = await loadGoParser();
    parse = (s) => {
      const f = p.parse(s);
      if (which === 'advisor-lines') {
        const lines = s.split('\n').length;
        for (let l = 1; l <= lines; l++) f.statementAt(l);
      }
      f.dispose();
      return f.errors;
    };
  } else {
    const { parser } = await import(pathToFileURL(require.resolve('@lezer/go')).href);
    parse = (s) => {
      let n = 0;
      parser.parse(s).iterate({ enter: (x) => void (x.type.isError && n++) });
      return n;
    };
  }
  const loadMs = performance.now() - t0;
  const times = [];
  let errFiles = 0;
  let errNodes = 0;
  for (const s of texts) {
    const a = performance.now();
    const n = parse(s);
    times.push(performance.now() - a);
    if (n) {
      errFiles++;
      errNodes += n;
    }
  }
  const total = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  const bytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  return { files: texts.length, mb: bytes / 1e6, loadMs, totalMs: total, medianMs: times[times.length >> 1], maxMs: times[times.length - 1], errFiles, errNodes };
}

if (process.argv[2] === '--child') {
  const r = await child(process.argv[3], process.argv[4]);
  r.peakRssMB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify(r));
} else {
  let dirs = process.argv.slice(2);
  if (!dirs.length) {
    dirs = [join(ROOT, 'samples'), join(ROOT, '../shared/realworld/pairs/akzj_go-lua_1c80684/src')];
    try {
      dirs.push(join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src'));
    } catch {}
  }
  const candidates = ['tree-sitter', 'advisor-syntax', 'advisor-lines'];
  try {
    require.resolve('@lezer/go');
    candidates.push('lezer');
  } catch {
    console.log('(@lezer/go is not installed: `npm install --no-save @lezer/go` to measure it too)\n');
  }
  console.log('| tree | parser | files | MB | load ms | total ms | median ms/file | max ms | MB/s | peak RSS MB | files with errors | error nodes |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const dir of dirs.filter((d) => existsSync(d))) {
    const big = goFiles(dir).reduce((a, f) => a + readFileSync(f).length, 0) > 10e6;
    for (const c of candidates.filter((x) => !(big && x.startsWith('advisor-')))) {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', c, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) {
        console.log(`| ${dir} | ${c} | failed: ${r.stderr.split('\n')[0]} |`);
        continue;
      }
      const x = JSON.parse(r.stdout);
      const f = (v, d = 1) => v.toFixed(d);
      console.log(`| ${dir.replace(ROOT + '/', '')} | ${c} | ${x.files} | ${f(x.mb, 2)} | ${f(x.loadMs, 0)} | ${f(x.totalMs, 0)} | ${f(x.medianMs, 2)} | ${f(x.maxMs, 0)} | ${f(x.mb / (x.totalMs / 1000))} | ${f(x.peakRssMB, 0)} | ${x.errFiles} | ${x.errNodes} |`);
    }
  }
}
