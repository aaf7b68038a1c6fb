// Installing advisor as a user does: the package has its own name on the
// registry (`advisor` there is somebody else's package), every doc and example
// that runs npx names this package, and a packed tarball installs globally
// without the dev dependencies and runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, requireBuiltCli, runCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Every text file a user reads or copies: docs, examples, CI scripts, the help. */
function userFacingFiles(): string[] {
  const skip = new Set(['node_modules', 'dist', '.git', 'realworld', 'golden', 'out']);
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (skip.has(e.name)) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(md|ya?ml|sh)$/.test(e.name) || full === path.join(ROOT, '.ci', 'run')) out.push(full);
    }
  };
  walk(ROOT);
  return out;
}

/** The bins of the dev dependencies (vitest, tsc, ...): `npx` runs those from node_modules/.bin. */
function devBins(): Set<string> {
  const bins = new Set<string>();
  for (const dep of Object.keys(pkg.devDependencies ?? {})) {
    const p = JSON.parse(readFileSync(path.join(ROOT, 'node_modules', dep, 'package.json'), 'utf8'));
    if (typeof p.bin === 'string') bins.add(p.name);
    else for (const b of Object.keys(p.bin ?? {})) bins.add(b);
  }
  return bins;
}

/**
 * What an `npx` command line would fetch or run: the `-p`/`--package` names
 * (without a version), else the command itself.
 */
export function npxTargets(line: string): { packages: string[]; command: string | null } {
  const words = line.trim().split(/\s+/);
  const packages: string[] = [];
  let i = 1;
  for (; i < words.length; i++) {
    const w = words[i];
    const eq = /^--package=(.+)$/.exec(w);
    if (eq) packages.push(eq[1]);
    else if (w === '-p' || w === '--package') packages.push(words[++i] ?? '');
    else if (!w.startsWith('-')) break;
  }
  const bare = (spec: string) => spec.replace(/^(@?[^@]+)@.*$/, '$1');
  return { packages: packages.map(bare), command: words[i] ? bare(words[i]) : null };
}

describe('the package name', () => {
  test('is not the registry\'s unrelated `advisor`, and the command is still `advisor`', () => {
    expect(pkg.name).toBe('go-alloc-advisor');
    expect(pkg.bin).toEqual({ advisor: 'dist/cli.js' });
  });

  test('npxTargets reads the forms npx takes', () => {
    expect(npxTargets('npx --yes advisor x.pb.gz')).toEqual({ packages: [], command: 'advisor' });
    expect(npxTargets('npx -p go-alloc-advisor advisor x')).toEqual({ packages: ['go-alloc-advisor'], command: 'advisor' });
    expect(npxTargets('npx --yes --package=go-alloc-advisor@0.1 advisor')).toEqual({ packages: ['go-alloc-advisor'], command: 'advisor' });
    expect(npxTargets('npx vitest run src/a.test.ts')).toEqual({ packages: [], command: 'vitest' });
  });

  test('every doc, example and the help run npx on this package only (or on a dev tool of this repository)', () => {
    requireBuiltCli();
    const allowed = devBins();
    const texts: [string, string][] = userFacingFiles().map((f) => [path.relative(ROOT, f), readFileSync(f, 'utf8')]);
    const help = runCli(['--help'], { cwd: ROOT });
    expect(help.code).toBe(0);
    texts.push(['advisor --help', help.stdout]);
    const seen: string[] = [];
    const wrong: string[] = [];
    for (const [name, text] of texts) {
      for (const m of text.matchAll(/\bnpx(?:\s+[^\s`'"|&;)]+)+/g)) {
        const { packages, command } = npxTargets(m[0]);
        seen.push(`${name}: ${m[0]}`);
        const ok = packages.length > 0 ? packages.every((p) => p === pkg.name) && command === 'advisor' : command !== null && allowed.has(command);
        if (!ok) wrong.push(`${name}: ${m[0]}`);
      }
    }
    expect(wrong).toEqual([]);
    // The recipes, the workflow and the help do run advisor through npx.
    const ours = seen.filter((s) => s.includes(`-p ${pkg.name} advisor`));
    expect(ours.some((s) => s.startsWith('examples/github-actions/'))).toBe(true);
    expect(ours.some((s) => s.startsWith('docs/recipes.md'))).toBe(true);
    expect(ours.some((s) => s.startsWith('advisor --help'))).toBe(true);
  });
});

describe('a global install from a packed tarball', () => {
  let tmp: string;
  beforeAll(() => {
    requireBuiltCli();
    tmp = mkdtempSync(path.join(tmpdir(), 'advisor-install-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const npm = (args: string[], cwd: string) =>
    spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' } });

  test('packs dist/ (built by npm test\'s pretest), installs with npm install -g into a prefix, and runs', () => {
    // --ignore-scripts: dist/ is already built; packing must not rebuild it here.
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], ROOT);
    expect(pack.status, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout);
    const files: string[] = info.files.map((f: { path: string }) => f.path);
    expect(files).toContain('dist/cli.js');
    expect(files).toContain('package.json');
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    const tarball = path.join(tmp, info.filename);
    expect(info.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);

    // The install gets only the runtime dependencies (from the local npm
    // cache when it has them); no TypeScript, no build.
    const prefix = path.join(tmp, 'prefix');
    const install = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], tmp);
    expect(install.status, install.stderr).toBe(0);
    const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
    expect(existsSync(path.join(installed, 'dist', 'cli.js'))).toBe(true);
    expect(existsSync(path.join(installed, 'node_modules', 'typescript'))).toBe(false);

    const bin = path.join(prefix, 'bin', 'advisor');
    const run = (args: string[]) => spawnSync(bin, args, { cwd: tmp, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
    const version = run(['--version']);
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    // One analysis: the installed command gives the report the repository's build gives.
    const profile = path.join(ROOT, 'samples', 'service', 'allocs.pb.gz');
    const args = [profile, '--format', 'json', '--top', '5'];
    const fromInstall = run(args);
    expect(fromInstall.status, fromInstall.stderr).toBe(0);
    const fromRepo = spawnSync(process.execPath, [CLI, ...args], { cwd: tmp, encoding: 'utf8' });
    const report = JSON.parse(fromInstall.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report).toEqual(JSON.parse(fromRepo.stdout));
  });
});

describe('no side effects', () => {
  test('no test, source file or script starts a system package manager (.ci/run installs Chromium)', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (['node_modules', 'dist', 'fixtures', 'golden', 'out'].includes(e.name)) continue;
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (/\.(ts|mjs|js)$/.test(e.name)) {
          const text = readFileSync(full, 'utf8');
          if (/\b(exec|spawn|execFile)\w*\(\s*['"`](apt-get|apt|dpkg|yum|dnf|apk|brew|snap)['"`]/.test(text)) offenders.push(path.relative(ROOT, full));
        }
      }
    };
    for (const d of ['src', 'test', 'scripts', 'bench']) walk(path.join(ROOT, d));
    expect(offenders).toEqual([]);
    expect(readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toMatch(/apt-get install -y chromium/);
  });
});
