// Runs the real Go toolchain on the fixture modules under test/fixtures/escape.
import { cpSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import type { EscapeResult } from './model.js';
import { collectEscapes } from './run.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../test/fixtures/escape');
const MOD = path.join(fixtures, 'mod');
const BROKEN = path.join(fixtures, 'broken');

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'advisor-run-test-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function freshCache(): string {
  return mkdtempSync(path.join(scratch, 'cache-'));
}

function ourTempDirs(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith('advisor-escape-'));
}

function find(r: EscapeResult, relFile: string, line: number, kind: string) {
  return r.findings.filter((f) => f.relFile === relFile && f.line === line && f.kind === kind);
}

describe('collectEscapes on a real module', () => {
  it('compiles only the packages holding hot files, whatever form the profile uses for paths', async () => {
    const progress: string[] = [];
    const before = ourTempDirs();
    const r = await collectEscapes({
      srcDir: MOD,
      files: [
        '/home/ci/src/escmod/store/store.go', // another checkout
        'example.com/escmod/shapes/shapes.go', // -trimpath
        '/usr/local/go/src/runtime/malloc.go', // GOROOT: ignored
        '$GOROOT/src/fmt/print.go',
      ],
      cacheDir: freshCache(),
      onProgress: (m) => progress.push(m),
    });
    expect(r.source).toBe('compiler');
    expect(r.goVersion).toMatch(/^go1\.\d+/);
    expect(r.packages.map((p) => [p.importPath, p.status])).toEqual([
      ['example.com/escmod/shapes', 'compiled'],
      ['example.com/escmod/store', 'compiled'],
    ]);
    expect(r.packages[1].dir).toBe(path.join(MOD, 'store'));
    expect(progress.some((m) => m === 'compiling 2 packages: shapes, store (go build -gcflags=-m=2)')).toBe(true);
    expect(progress.some((m) => /^compiled 2 packages: shapes, store \(\d+\.\ds\)$/.test(m))).toBe(true);
    // Nothing from packages that were not hot.
    expect(new Set(r.findings.map((f) => f.pkg))).toEqual(new Set(['example.com/escmod/shapes', 'example.com/escmod/store']));

    const moved = find(r, 'store/store.go', 11, 'moved-to-heap');
    expect(moved).toHaveLength(1);
    expect(moved[0].subject).toBe('r');
    expect(moved[0].file).toBe(path.join(MOD, 'store/store.go'));
    expect(moved[0].reasons).toEqual(['address-of', 'return']);
    expect(moved[0].detail.func).toBe('NewRecord');

    const captured = find(r, 'store/store.go', 28, 'moved-to-heap');
    expect(captured[0]?.subject).toBe('n');
    expect(captured[0].reasons).toContain('captured by a closure');
    expect(find(r, 'store/store.go', 28, 'capturing')[0]?.detail.mode).toBe('ref');

    const boxed = find(r, 'shapes/shapes.go', 14, 'escapes');
    expect(boxed[0]?.subject).toBe('n');

    // store.Big inlined into shapes.Large: reported at the call site, traced back to store.go.
    const big = find(r, 'shapes/shapes.go', 24, 'escapes');
    expect(big).toHaveLength(1);
    expect(big[0].subject).toBe('make([]byte, 1048576)');
    expect(big[0].reasons).toContain('too large for stack');
    expect(big[0].inlinedFrom?.at(-1)).toMatchObject({ relFile: 'store/store.go', line: 22 });

    expect(ourTempDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('serves an unchanged package from the cache, fast, and recompiles dependents of a changed one', async () => {
    const copy = path.join(scratch, 'modcopy');
    cpSync(MOD, copy, { recursive: true });
    const cacheDir = freshCache();
    const files = [path.join(copy, 'store/store.go'), path.join(copy, 'shapes/shapes.go')];
    const first = await collectEscapes({ srcDir: copy, files, cacheDir });
    expect(first.packages.map((p) => p.status)).toEqual(['compiled', 'compiled']);

    const t0 = performance.now();
    const second = await collectEscapes({ srcDir: copy, files, cacheDir });
    const ms = performance.now() - t0;
    expect(second.packages.map((p) => p.status)).toEqual(['cached', 'cached']);
    expect(second.findings).toEqual(first.findings);
    console.log(`escape cache: cached re-run took ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(2000);

    // shapes imports store: a change in store invalidates both; cold changes nothing.
    appendFileSync(path.join(copy, 'cold/cold.go'), '\nfunc Other() int { return 1 }\n');
    const third = await collectEscapes({ srcDir: copy, files, cacheDir });
    expect(third.packages.map((p) => p.status)).toEqual(['cached', 'cached']);
    appendFileSync(path.join(copy, 'store/store.go'), '\nfunc Extra() *int { x := 1; return &x }\n');
    const fourth = await collectEscapes({ srcDir: copy, files, cacheDir });
    expect(fourth.packages.map((p) => p.status)).toEqual(['compiled', 'compiled']);
    expect(fourth.findings.some((f) => f.kind === 'moved-to-heap' && f.detail.func === 'Extra')).toBe(true);
  });

  it('compiles a package with `go test -c` when the hot file is a _test.go file', async () => {
    const r = await collectEscapes({ srcDir: MOD, files: ['store/store_test.go'], cacheDir: freshCache() });
    expect(r.packages.map((p) => [p.importPath, p.status])).toEqual([['example.com/escmod/store', 'compiled']]);
    const bench = find(r, 'store/store_test.go', 9, 'escapes');
    expect(bench[0]?.subject).toBe('&Record{...}');
    expect(bench[0].pkg).toBe('example.com/escmod/store');
    // The generated test main is not user code and is dropped.
    expect(r.findings.every((f) => f.pkg === 'example.com/escmod/store')).toBe(true);
  });

  it('reports a package that does not compile as failed, and still analyses the others', async () => {
    const r = await collectEscapes({
      srcDir: BROKEN,
      files: ['good/good.go', 'bad/bad.go', 'main.go'].map((f) => path.join(BROKEN, f)),
      cacheDir: freshCache(),
    });
    const st = Object.fromEntries(r.packages.map((p) => [p.importPath, p]));
    expect(st['example.com/broken/good'].status).toBe('compiled');
    expect(st['example.com/broken/bad'].status).toBe('failed');
    expect(st['example.com/broken/bad'].error).toContain('bad/bad.go:7:17: undefined: foo');
    expect(st['example.com/broken/bad'].error).toContain('cannot use 1');
    // main imports bad, so it never reaches the compiler.
    expect(st['example.com/broken'].status).toBe('failed');
    expect(st['example.com/broken'].error).toMatch(/not compiled/);
    expect(find(r, 'good/good.go', 7, 'moved-to-heap')[0]?.subject).toBe('it');
    // Compiler errors never become findings.
    expect(r.findings.some((f) => f.message.includes('undefined'))).toBe(false);
    expect(r.notes.some((n) => n.includes('did not compile'))).toBe(true);
  });

  it('does not cache a failed package', async () => {
    const cacheDir = freshCache();
    const files = [path.join(BROKEN, 'bad/bad.go')];
    await collectEscapes({ srcDir: BROKEN, files, cacheDir });
    const again = await collectEscapes({ srcDir: BROKEN, files, cacheDir });
    expect(again.packages[0].status).toBe('failed');
  });

  it('says to run `go mod download` when dependencies are missing, without touching the network', async () => {
    const dir = path.join(scratch, 'nodeps');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'go.mod'), 'module example.com/nodeps\n\ngo 1.22\n\nrequire github.com/advisor-test/absent v1.2.3\n');
    writeFileSync(
      path.join(dir, 'go.sum'),
      'github.com/advisor-test/absent v1.2.3 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' +
        'github.com/advisor-test/absent v1.2.3/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n',
    );
    writeFileSync(path.join(dir, 'main.go'), 'package main\n\nimport "github.com/advisor-test/absent"\n\nfunc main() { absent.X() }\n');
    const r = await collectEscapes({ srcDir: dir, files: ['main.go'], cacheDir: freshCache() });
    expect(r.packages).toHaveLength(1);
    expect(r.packages[0].status).toBe('failed');
    expect(r.packages[0].error).toMatch(/go mod download/);
    expect(r.notes.some((n) => n.includes('go mod download'))).toBe(true);
  });

  it('stops the compiler when cancelled and leaves no temporary directory behind', async () => {
    const before = ourTempDirs();
    const ac = new AbortController();
    const p = collectEscapes({
      srcDir: MOD,
      files: ['store/store.go', 'shapes/shapes.go', 'main.go'],
      cacheDir: freshCache(),
      signal: ac.signal,
      onProgress: (m) => {
        if (m.startsWith('compiling')) setTimeout(() => ac.abort(), 50);
      },
    });
    await expect(p).rejects.toThrow(/cancelled/);
    expect(ourTempDirs().filter((d) => !before.includes(d))).toEqual([]);
  });

  it('returns source none with a note when go is not installed', async () => {
    const r = await collectEscapes({ srcDir: MOD, files: ['store/store.go'], goBinary: '/nonexistent/go', cacheDir: freshCache() });
    expect(r.source).toBe('none');
    expect(r.findings).toEqual([]);
    expect(r.notes.join(' ')).toMatch(/--escape-log/);
  });

  it('compiles a program without go.mod file by file, and reports one that does not build that way', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'advisor-nomod-'));
    try {
      writeFileSync(path.join(dir, 'main.go'), 'package main\n\ntype T struct{ A, B int }\n\nfunc mk(a int) *T {\n\treturn &T{A: a}\n}\n\nvar keep *T\n\nfunc main() { keep = mk(1) }\n');
      const ok = await collectEscapes({ srcDir: dir, files: ['/build/somewhere/main.go'], cacheDir: freshCache() });
      expect(ok.source).toBe('compiler');
      expect(ok.packages).toMatchObject([{ importPath: 'command-line-arguments (.)', status: 'compiled' }]);
      expect(ok.findings.some((f) => f.kind === 'escapes' && f.subject === '&T{...}' && f.file === path.join(realpathSync(dir), 'main.go'))).toBe(true);
      expect(ok.notes.join(' ')).toMatch(/not inside a Go module .*compiled on their own/);

      writeFileSync(path.join(dir, 'dep.go'), 'package main\n\nimport _ "example.com/not/there"\n');
      const bad = await collectEscapes({ srcDir: dir, files: ['/build/somewhere/main.go'], cacheDir: freshCache() });
      expect(bad.packages).toMatchObject([{ status: 'failed', error: expect.stringMatching(/does not compile on its own/) }]);
      expect(bad.findings).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });


  it('compiles nothing when no hot file is in the module', async () => {
    const progress: string[] = [];
    const r = await collectEscapes({
      srcDir: MOD,
      files: ['/usr/local/go/src/runtime/malloc.go', 'github.com/other/mod@v1.0.0/x.go'],
      cacheDir: freshCache(),
      onProgress: (m) => progress.push(m),
    });
    expect(r.source).toBe('compiler');
    expect(r.packages).toEqual([]);
    expect(r.notes[0]).toMatch(/no hot allocation site is in module example\.com\/escmod/);
    expect(progress).toEqual([]);
  });
});
