// Secrets inside --src: a profile may name .git/config (where actions/checkout
// keeps the job's token), .env or .git/logs/HEAD, spelled directly, through
// `..`, through a symbolic link, or as another checkout's absolute path. Only
// Go source (.go, .s) outside hidden directories is ever quoted; the rest is
// "not a Go source file" and nothing of it reaches any format. A .go file
// over the 4 MiB bound is named as too large, not as "another checkout".
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FORMATS } from '../src/report/index.js';
import { isGoSourcePath, openSourceTree } from '../src/source.js';
import { requireBuiltCli, runCli } from './helpers/cli.js';
import { encodeProfile, simpleHeapProfile } from './helpers/protoenc.js';

// Split so that this file never holds the marker whole.
const TOKEN = ['ghs', 'TOKENc0ffee', 'inconfig'].join('_');

let tmp: string;
let src: string;
let profileFile: string;

beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-secrets-'));
  src = path.join(tmp, 'x');
  mkdirSync(path.join(src, '.git', 'logs'), { recursive: true });
  mkdirSync(path.join(src, 'internal'), { recursive: true });
  mkdirSync(path.join(src, '.hidden'), { recursive: true });
  writeFileSync(path.join(src, 'go.mod'), 'module example.com/x\n\ngo 1.22\n');
  writeFileSync(path.join(src, 'main.go'), 'package main\n\nfunc main() {\n\t_ = make([]byte, 10)\n}\n');
  writeFileSync(path.join(src, '.git', 'config'), `[http]\n\textraheader = AUTHORIZATION: basic ${TOKEN}\n`.repeat(5));
  writeFileSync(path.join(src, '.git', 'logs', 'HEAD'), `0000 1111 ${TOKEN} commit\n`.repeat(5));
  writeFileSync(path.join(src, '.env'), `TOKEN=${TOKEN}\n`.repeat(5));
  writeFileSync(path.join(src, 'notes.txt'), `${TOKEN}\n`.repeat(5));
  writeFileSync(path.join(src, '.hidden', 'x.go'), `package hidden\n// ${TOKEN}\n`.repeat(5));
  symlinkSync('.git/config', path.join(src, 'cfg.go'));
  // A Go file over the bound: named as too large, never quoted.
  writeFileSync(path.join(src, 'big.go'), `package main\n// ${TOKEN}\n${'// filler\n'.repeat(460_000)}`);
  const site = (name: string, file: string, line: number) => ({
    frames: [
      { name, file, line },
      { name: 'main.main', file: path.join(src, 'main.go'), line: 4 },
    ],
    bytes: 100_000,
    objects: 100,
  });
  const other = '/home/runner/work/x/x';
  const p = simpleHeapProfile([
    site('main.config', path.join(src, '.git/config'), 2),
    site('main.configdotdot', path.join(src, 'internal/../.git/config'), 2),
    site('main.otherCheckout', `${other}/.git/config`, 2),
    site('main.logs', `${other}/.git/logs/HEAD`, 1),
    site('main.env', path.join(src, '.env'), 1),
    site('main.notes', path.join(src, 'notes.txt'), 1),
    site('main.hidden', path.join(src, '.hidden/x.go'), 2),
    site('main.link', path.join(src, 'cfg.go'), 2),
    site('main.modpath', 'example.com/x/.git/config', 2),
    site('main.big', path.join(src, 'big.go'), 2),
  ]);
  profileFile = path.join(tmp, 'secrets.pb');
  writeFileSync(profileFile, encodeProfile(p));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('only Go source inside --src is quoted', () => {
  test('isGoSourcePath: .go and .s files outside hidden directories', () => {
    for (const ok of ['main.go', 'a/b/c.go', 'asm_amd64.s', './x.go']) expect(isGoSourcePath(ok), ok).toBe(true);
    for (const no of ['.git/config', '.env', '.git/logs/HEAD', 'internal/../.git/config', '.hidden/x.go', 'a/.x/y.go', 'notes.txt', 'x.go/', 'go', '.go']) {
      expect(isGoSourcePath(no), no).toBe(false);
    }
  });

  test('the source tree refuses secrets and over-large files, and says why', () => {
    const tree = openSourceTree(src);
    expect(tree.read('main.go')?.join('\n')).toContain('package main');
    for (const rel of ['.git/config', 'internal/../.git/config', '.git/logs/HEAD', '.env', 'notes.txt', '.hidden/x.go', 'cfg.go']) {
      expect(tree.read(rel), rel).toBeNull();
      expect(tree.refusal(rel), rel).toBe('not a Go source file');
    }
    expect(tree.exists('big.go')).toBe(true);
    expect(tree.read('big.go')).toBeNull();
    expect(tree.refusal('big.go')).toBe('larger than 4 MiB');
  });

  test('no format shows a line of .git/config, .env, .git/logs/HEAD or an over-large file', () => {
    for (const format of FORMATS) {
      const r = runCli([profileFile, '--src', src, '--no-escape', '--format', format, '--top', '0', '--hot-cover', '100%', '--min-share', '0'], {
        cwd: tmp,
        timeout: 60_000,
      });
      expect(r.stderr, format).toBe('');
      expect(r.code, format).toBe(0);
      expect(r.stdout, format).not.toContain(TOKEN);
      expect(r.stdout, format).not.toContain('extraheader');
      if (format === 'text') {
        expect(r.stdout).toMatch(/source not shown: \.git\/config: not a Go source file/);
        expect(r.stdout).toMatch(/source not shown: big\.go: larger than 4 MiB/);
      }
    }
  });

  test('a .go file over 4 MiB is named as too large, not as "built from another checkout"', () => {
    // As a CI checkout names it: mapped into --src by the file's existence.
    const p = simpleHeapProfile([{ frames: [{ name: 'main.big', file: '/home/runner/work/x/x/big.go', line: 2 }], bytes: 100_000, objects: 100 }]);
    const prof = path.join(tmp, 'big.pb');
    writeFileSync(prof, encodeProfile(p));
    const log = path.join(tmp, 'm2.txt');
    writeFileSync(log, '# example.com/x\n./main.go:3:6: can inline main\n');
    const r = runCli([prof, '--src', src, '--escape-log', log], { cwd: tmp, timeout: 60_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/source not shown: big\.go: larger than 4 MiB/);
    expect(r.stdout).not.toMatch(/another checkout/);
    expect(r.stdout).not.toContain(TOKEN);
  });
});
