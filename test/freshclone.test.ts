// The README's test command must pass on a fresh clone with nothing beside it
// (no ../shared). Two parts:
// - every test reads only files inside the repository (checked on the sources);
// - a clone of HEAD in an empty temporary directory runs the README's first
//   command exactly as written (npm ci, which builds, then an analysis) and
//   the second one, `npm test`, on the test files that read the real-world
//   corpus. The whole suite inside a test would double `npm test`'s time, so
//   the complete check (both commands verbatim) is `npm run check:fresh-clone`
//   (scripts/fresh-clone.sh), run by hand before a release.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## What you get'));
const [analyse, runTests] = [...quick.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);

/** The corpus readers: run in the clone to show they need nothing outside it. */
const CORPUS_TESTS = ['test/realworld.test.ts', 'test/stream.test.ts', 'src/profile/decode.test.ts', 'src/model/units.test.ts'];

function testSources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'fixtures' || e.name === 'golden') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.test\.ts$/.test(e.name) || full.includes(`${path.sep}helpers${path.sep}`)) out.push(full);
    }
  };
  walk(path.join(ROOT, 'src'));
  walk(path.join(ROOT, 'test'));
  return out;
}

test('no test reads ../shared (the team corpus beside a checkout) or /work/shared', () => {
  const outside: string[] = [];
  for (const f of testSources()) {
    if (f === __filename) continue;
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/['"`](?:\.\.\/)+shared\b[^'"`]*|['"`]\/work\/shared\b[^'"`]*|['"`]\.\.['"`],\s*['"`]shared['"`]/g)) {
      outside.push(`${path.relative(ROOT, f)}: ${m[0]}`);
    }
  }
  expect(outside).toEqual([]);
  for (const f of CORPUS_TESTS) expect(readFileSync(path.join(ROOT, f), 'utf8')).toMatch(/REALWORLD/);
});

const nested = process.env.ADVISOR_IN_FRESH_CLONE === '1';
if (nested) console.warn('freshclone.test.ts: the clone test is skipped inside a fresh clone made by a test or scripts/fresh-clone.sh');

describe.skipIf(nested)('a fresh clone with nothing beside it', () => {
  let tmp: string;
  let clone: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'advisor-clone-'));
    clone = path.join(tmp, 'advisor');
    const git = (args: string[], cwd: string) => {
      const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    const sha = git(['rev-parse', 'HEAD'], ROOT);
    git(['clone', '-q', '--no-checkout', ROOT, clone], tmp);
    git(['checkout', '-q', sha], clone);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  // A clean environment: nothing from the outer npm test or vitest run leaks in.
  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|TEST$|INIT_CWD$)/i.test(k)) e[k] = v;
    return { ...e, ADVISOR_IN_FRESH_CLONE: '1', NO_COLOR: '1', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
  };
  const sh = (command: string) => spawnSync('bash', ['-c', command], { cwd: clone, env: env(), encoding: 'utf8', timeout: 480_000, maxBuffer: 64 << 20 });

  test("the README's commands exit 0: the analysis verbatim, npm test on the corpus readers", { timeout: 900_000 }, () => {
    expect(existsSync(path.join(tmp, 'shared'))).toBe(false);
    expect(existsSync(path.join(clone, 'test', 'fixtures', 'realworld', 'MANIFEST.md'))).toBe(true);

    expect(analyse).toMatch(/^npm ci && node dist\/cli\.js samples\//);
    const first = sh(analyse);
    expect(first.status, `${analyse}\n${first.stderr.slice(-3000)}`).toBe(0);
    expect(first.stdout).toMatch(/^Verdict$/m);

    // npm ci ran in the first command; the second's `npm test` with the
    // corpus readers (its pretest builds again).
    expect(runTests).toBe('npm ci && npm test');
    const second = sh(`npm test -- ${CORPUS_TESTS.join(' ')}`);
    expect(second.status, second.stdout.slice(-3000) + second.stderr.slice(-3000)).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`Test Files\\s+(\\S+\\s+)?${CORPUS_TESTS.length} passed`));
  });
});
