// Containment: a profile names files, and a profile is untrusted. Whatever it
// names (/etc/passwd, ../../x, an absolute path outside --src, a symlink
// inside --src that points out of it), no content of a file outside --src may
// reach a report, in any format. The compiler is held to the same line: go
// follows symbolic links, so a package that would read a linked file from
// outside the module is not compiled (its syntax errors would quote it).
// --changed asks git only about --src.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { changedScope } from '../src/git/changed.js';
import { FORMATS } from '../src/report/index.js';
import { openSourceTree } from '../src/source.js';
import { requireBuiltCli, runCli, type CliResult } from './helpers/cli.js';
import { encodeProfile, simpleHeapProfile } from './helpers/protoenc.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2024);

// Markers written only into files outside --src. Split so this test file
// itself never contains them whole (a grep of the tree must not match it).
const SECRET = ['SECRET', 'MARKER', 'c0ffee'].join('_');
const SECRET_GO = ['GO', 'SECRET', 'b4d'].join('_');
const PASSWD_LINE = existsSync('/etc/passwd') ? (readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? '') : '';

let tmp: string;
let repo: string;
let src: string;
let outside: string;
let profileFile: string;
let baseCommit: string;

function git(args: string[], cwd = repo): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();
}

beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-contain-'));
  repo = path.join(tmp, 'repo');
  src = path.join(repo, 'svc');
  outside = path.join(repo, 'outside');
  mkdirSync(path.join(src, 'app'), { recursive: true });
  mkdirSync(outside, { recursive: true });

  // Outside --src (but in the same git checkout, so --changed could see it).
  writeFileSync(path.join(outside, 'secret.go'), `${SECRET} root:x:0:0:root:/root:/bin/bash\n`);
  writeFileSync(path.join(outside, 'valid.go'), `package main\n\nvar Leak = "${SECRET_GO}"\n\nfunc leak() *string { s := "${SECRET_GO}"; return &s }\n`);

  // --src: a module with one legitimate hot package and links out of the tree.
  writeFileSync(path.join(src, 'go.mod'), 'module example.com/victim\n\ngo 1.22\n');
  writeFileSync(
    path.join(src, 'app', 'app.go'),
    'package app\n\ntype Item struct{ ID, Size int }\n\n// NewItem is the legitimate hot site.\nfunc NewItem(id int) *Item {\n\treturn &Item{ID: id, Size: id * 2}\n}\n',
  );
  writeFileSync(
    path.join(src, 'main.go'),
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/victim/app"\n)\n\nfunc main() {\n\tfmt.Println(app.NewItem(3))\n}\n',
  );
  symlinkSync('../outside/secret.go', path.join(src, 'link.go'));
  symlinkSync('../outside', path.join(src, 'linkdir'));

  git(['init', '-q', '-b', 'main'], repo);
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'base']);
  baseCommit = git(['rev-parse', 'HEAD']);
  // Changes after the base, inside and outside --src.
  writeFileSync(path.join(outside, 'secret.go'), `${SECRET} changed\n${SECRET} root:x:0:0:root:/root:/bin/bash\n`);
  writeFileSync(
    path.join(src, 'app', 'app.go'),
    'package app\n\ntype Item struct{ ID, Size int }\n\n// NewItem is the legitimate hot site.\nfunc NewItem(id int) *Item {\n\treturn &Item{ID: id, Size: id * 3}\n}\n',
  );

  const site = (name: string, file: string, line: number, bytes = 100_000) => ({
    frames: [
      { name, file, line },
      { name: 'main.main', file: path.join(src, 'main.go'), line: 10 },
    ],
    bytes,
    objects: 100,
  });
  const p = simpleHeapProfile([
    site('example.com/victim/app.NewItem', path.join(src, 'app', 'app.go'), 7, 400_000),
    site('main.passwd', '/etc/passwd', 1),
    site('main.shadow', '/etc/shadow', 1),
    site('main.environ', '/proc/self/environ', 1),
    site('main.up', '../../x', 1),
    site('main.upgo', '../outside/secret.go', 1),
    site('main.abs', path.join(outside, 'secret.go'), 1),
    site('main.absvalid', path.join(outside, 'valid.go'), 5),
    site('main.link', path.join(src, 'link.go'), 1),
    site('main.linkmod', 'example.com/victim/link.go', 1),
    site('main.linkdir', path.join(src, 'linkdir', 'valid.go'), 5),
    site('main.linkdirmod', 'example.com/victim/linkdir/secret.go', 1),
    site('main.modup', 'example.com/victim/../outside/valid.go', 5),
    site('main.dotdot', `${src}/app/../../outside/secret.go`, 1),
    site('main.nul', `${src}/app/app.go\u0000../../outside/secret.go`, 1),
    site('main.home', '~/.ssh/id_rsa', 1),
  ]);
  profileFile = path.join(tmp, 'hostile.pb');
  writeFileSync(profileFile, encodeProfile(p));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const advisor = (args: string[]): CliResult => runCli(args, { cwd: tmp, timeout: 120_000 });

function expectNoOutsideContent(text: string): void {
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(SECRET_GO);
  if (PASSWD_LINE) expect(text).not.toContain(PASSWD_LINE);
  expect(text).not.toContain('root:x:0:0');
}

describe('the source tree reads only inside --src', () => {
  test('relative, absolute, dot-dot, NUL and symlinked paths are refused; a real file is read', () => {
    const tree = openSourceTree(src);
    expect(tree.read('app/app.go')?.join('\n')).toContain('func NewItem');
    for (const rel of [
      'link.go',
      'linkdir/valid.go',
      'linkdir/secret.go',
      '../outside/secret.go',
      'app/../../outside/secret.go',
      '/etc/passwd',
      path.join(outside, 'secret.go'),
      'app/app.go\u0000../../outside/secret.go',
      '.',
      '',
      'app',
    ]) {
      expect(tree.read(rel), rel).toBeNull();
      expect(tree.exists(rel), rel).toBe(false);
    }
  });

  test('any path built from hostile segments yields nothing or a file inside --src', () => {
    const tree = openSourceTree(src);
    const segment = fc.constantFrom('..', '.', '', 'app', 'app.go', 'link.go', 'linkdir', 'secret.go', 'valid.go', 'outside', 'etc', 'passwd', '%2e%2e', '..\\..', '~');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), fc.boolean(), (segs, absolute) => {
        const rel = (absolute ? '/' : '') + segs.join('/');
        const lines = tree.read(rel);
        if (lines !== null) {
          expectNoOutsideContent(lines.join('\n'));
          expect(lines.join('\n')).toContain('package app');
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('reports from a profile that names files outside --src', () => {
  // One run per format, with the real compiler: the legitimate package
  // compiles, the packages that would read linked files do not.
  const outputs = new Map<string, string>();
  beforeAll(() => {
    for (const format of FORMATS) {
      const r = advisor([profileFile, '--src', src, '--format', format, '--min-share', '0', '--top', '0', '--cache-dir', path.join(tmp, 'cache')]);
      expect(r.code, r.stderr).toBe(0);
      outputs.set(format, r.stdout + r.stderr);
    }
  });

  test.each([...FORMATS])('%s shows no content of any file outside --src', (format) => {
    const out = outputs.get(format)!;
    expect(out.length).toBeGreaterThan(200);
    expectNoOutsideContent(out);
  });

  test('the legitimate site keeps its snippet and escape data; the others are named but not read', () => {
    const report = JSON.parse(outputs.get('json')!);
    const hot = report.findings.find((f: { site: { function: string } }) => f.site.function === 'example.com/victim/app.NewItem');
    expect(hot.site.file).toBe('app/app.go');
    expect(hot.snippet.lines.join('\n')).toContain('return &Item{');
    expect(hot.escapes.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      if (f === hot) continue;
      // Outside --src (or through a link out of it): no snippet, no --src path.
      expect(f.snippet, f.site.function).toBeNull();
    }
    const failed = report.escape.packages.filter((p: { status: string }) => p.status === 'failed');
    expect(failed.map((p: { importPath: string }) => p.importPath).sort()).toEqual(['example.com/victim', 'example.com/victim/linkdir']);
    for (const p of failed) expect(p.error).toMatch(/symbolic link to a file outside the module/);
    expect(report.escape.packages.find((p: { importPath: string }) => p.importPath === 'example.com/victim/app').status).toMatch(/compiled|cached/);
    expect(report.warnings.join('\n')).toMatch(/source not readable: link\.go/);
  });

  test('--changed: only lines under --src count, and nothing outside is read', async () => {
    const scope = await changedScope(src, baseCommit);
    expect([...scope.lines.keys()]).toEqual(['app/app.go']);
    for (const format of ['json', 'markdown'] as const) {
      const r = advisor([profileFile, '--src', src, '--changed', baseCommit, '--no-escape', '--format', format, '--min-share', '0', '--top', '0']);
      expect(r.code, r.stderr).toBe(0);
      expectNoOutsideContent(r.stdout + r.stderr);
      if (format === 'json') {
        const report = JSON.parse(r.stdout);
        expect(report.findings.map((f: { site: { file: string } }) => f.site.file)).toEqual(['app/app.go']);
      }
    }
  });
});
