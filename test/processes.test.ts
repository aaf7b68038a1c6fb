// The processes advisor starts: go runs with an argument array (never a
// shell), only on the user's --src, and every temporary directory advisor or
// go creates is gone when advisor exits: after a report, after a package that
// does not compile, and after Ctrl-C in the middle of a compile. Each run gets
// a private TMPDIR (os.tmpdir() for advisor, the work directory for go), so
// "nothing left behind" is checked exactly rather than against a shared /tmp.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, requireBuiltCli } from './helpers/cli.js';
import { encodeProfile, simpleHeapProfile, type SimpleFrame } from './helpers/protoenc.js';

const ROOT = path.resolve(__dirname, '..');

let tmp: string;
beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-proc-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh, empty TMPDIR for one advisor run. */
function privateTmp(name: string): string {
  const d = path.join(tmp, `tmpdir ${name}`);
  mkdirSync(d, { recursive: true });
  return d;
}

function env(tmpDir: string): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', TMPDIR: tmpDir, CI: 'true' };
}

/** A module with one package `pkg` whose hot function allocates; `extra` is added to the package. */
function makeModule(dir: string, modPath: string, extra = ''): { profile: string } {
  mkdirSync(path.join(dir, 'pkg'), { recursive: true });
  writeFileSync(path.join(dir, 'go.mod'), `module ${modPath}\n\ngo 1.22\n`);
  const file = path.join(dir, 'pkg', 'pkg.go');
  writeFileSync(file, `package pkg\n\ntype T struct{ A, B int }\n\nfunc New(n int) *T {\n\treturn &T{A: n, B: n}\n}\n${extra}`);
  const frames: SimpleFrame[] = [
    { name: `${modPath}/pkg.New`, file, line: 6 },
    { name: 'main.main', file: path.join(dir, 'main.go'), line: 3 },
  ];
  const profile = path.join(dir, 'allocs.pb');
  writeFileSync(profile, encodeProfile(simpleHeapProfile([{ frames, bytes: 1 << 20, objects: 1000 }])));
  return { profile };
}

/** advisor's JSON report on `profile` with --src `dir`, run with TMPDIR `tmpDir`; fails the test unless it exits 0. */
function reportJson(profile: string, dir: string, cacheName: string, tmpDir: string) {
  const r = spawnSync(process.execPath, [CLI, profile, '--src', dir, '--format', 'json', '--cache-dir', path.join(tmp, cacheName)], {
    cwd: tmp,
    env: env(tmpDir),
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** Processes whose command line mentions `needle` (go and the compile it started), other than ps itself. */
function processesMentioning(needle: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(needle) && !/\bps -eo\b/.test(l));
}

describe('go is run with an argument array', () => {
  test('shell metacharacters and spaces in --src and TMPDIR run nothing extra, and the compile still works', () => {
    // Names a shell would act on: command substitution, a separator, a glob, quotes are left out
    // (go's -gcflags splitting has its own quoting), spaces are in.
    const evil = 'src dir; touch PWNED1 && $(touch PWNED2) `touch PWNED3` *';
    const dir = path.join(tmp, evil);
    const { profile } = makeModule(dir, 'example.com/metachars');
    const tmpDir = privateTmp('meta $(touch PWNED4); x');
    const report = reportJson(profile, dir, 'cache-meta', tmpDir);
    expect(report.escape.source).toBe('compiler');
    expect(report.escape.packages).toEqual([expect.objectContaining({ importPath: 'example.com/metachars/pkg', status: 'compiled' })]);
    const f = report.findings.find((x: { site: { function: string } }) => x.site.function === 'example.com/metachars/pkg.New');
    expect(f.site.file).toBe('pkg/pkg.go');
    expect(f.escapes.length).toBeGreaterThan(0);
    for (const where of [tmp, dir, tmpDir, ROOT, process.cwd()]) {
      for (const n of ['PWNED1', 'PWNED2', 'PWNED3', 'PWNED4']) expect(existsSync(path.join(where, n)), `${where}/${n}`).toBe(false);
    }
    expect(readdirSync(tmpDir)).toEqual([]);
  });
});

describe('temporary directories are removed', () => {
  test('after a package that does not compile: the report says so, and TMPDIR is empty', () => {
    const dir = path.join(tmp, 'broken');
    const { profile } = makeModule(dir, 'example.com/broken', '\nfunc Broken() int { return undefinedName }\n');
    const tmpDir = privateTmp('broken');
    const report = reportJson(profile, dir, 'cache-broken', tmpDir);
    expect(report.escape.packages).toEqual([expect.objectContaining({ importPath: 'example.com/broken/pkg', status: 'failed' })]);
    expect(report.escape.packages[0].error).toMatch(/undefinedName/);
    expect(readdirSync(tmpDir)).toEqual([]);
  });

  test('after SIGINT in the middle of a compile: a prompt exit by the signal, no stack, no directory and no go process left', async () => {
    // A package big enough that -m=2 takes several seconds.
    const dir = path.join(tmp, 'slow');
    const modPath = `example.com/sigint${process.pid}`;
    let extra = '\nimport "fmt"\n\n';
    for (let i = 0; i < 6000; i++) extra += `func F${i}(n int) *T {\n\tt := &T{A: n, B: ${i}}\n\t_ = fmt.Sprint(t.A)\n\treturn t\n}\n\n`;
    const { profile } = makeModule(dir, modPath, '');
    writeFileSync(path.join(dir, 'pkg', 'gen.go'), `package pkg\n${extra}`);
    const tmpDir = privateTmp('sigint');

    const child = spawn(process.execPath, [CLI, profile, '--src', dir, '--format', 'json', '--cache-dir', path.join(tmp, 'cache-sigint')], {
      cwd: tmp,
      env: env(tmpDir),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );

    // The compile has started once go's work directory (go-build*) exists, wherever it is under TMPDIR.
    const t0 = Date.now();
    for (;;) {
      const names = readdirSync(tmpDir, { recursive: true }).map(String);
      if (names.some((n) => path.basename(n).startsWith('go-build'))) break;
      if (Date.now() - t0 > 90_000) throw new Error(`the compile never started; TMPDIR holds ${names.join(', ')}; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(processesMentioning(modPath).length, 'go should be compiling').toBeGreaterThan(0);

    const sent = Date.now();
    child.kill('SIGINT');
    const { code, signal } = await exited;
    const took = Date.now() - sent;
    expect(took).toBeLessThan(5000);
    // Killed by the signal (a shell shows 130), or a non-zero exit: never a success.
    expect(signal === 'SIGINT' || (code !== null && code !== 0), `code ${code} signal ${signal}`).toBe(true);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toMatch(/internal error/);

    // Nothing keeps running and nothing is left, not even a moment later.
    await new Promise((r) => setTimeout(r, 1500));
    expect(processesMentioning(modPath)).toEqual([]);
    expect(readdirSync(tmpDir)).toEqual([]);
  });
});
