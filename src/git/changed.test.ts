// Runs the real git on throwaway repositories: the parser is checked against
// what git actually prints, and changedLines end to end, errors included.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import { changedLines, changedScope, parseUnifiedZero, toRepoRelative, toSrcRelative } from './changed.js';

const tmpRoot = mkdtempSync(path.join(tmpdir(), 'advisor-git-'));
const savedEnv = { ...process.env };

beforeAll(() => {
  // Isolate from the user's git config, and stop git looking above tmpRoot
  // for a repository (so "not a checkout" is true whatever /tmp sits in).
  process.env.GIT_CEILING_DIRECTORIES = tmpRoot;
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  process.env.GIT_CONFIG_GLOBAL = path.join(tmpRoot, 'no-global-config');
  process.env.GIT_AUTHOR_NAME = process.env.GIT_COMMITTER_NAME = 'test';
  process.env.GIT_AUTHOR_EMAIL = process.env.GIT_COMMITTER_EMAIL = 'test@example.com';
});

afterAll(() => {
  process.env = savedEnv;
  rmSync(tmpRoot, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(dir: string, rel: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), content);
}

function newRepo(name: string): string {
  const dir = path.join(tmpRoot, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  return dir;
}

const lines = (prefix: string, n: number): string => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join('\n') + '\n';

async function advisorError(p: Promise<unknown>): Promise<AdvisorError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AdvisorError);
    return e as AdvisorError;
  }
  throw new Error('expected an AdvisorError');
}

/** A repository with every kind of change, under svc/ and outside it, not committed. */
function richRepo(): string {
  const dir = newRepo('rich');
  write(dir, 'svc/parse.go', lines('L', 10));
  write(dir, 'svc/gone.go', lines('G', 3));
  write(dir, 'svc/old name.go', lines('R', 6));
  write(dir, 'svc/pure.go', lines('P', 4));
  write(dir, 'svc/sp ace.go', lines('S', 3));
  write(dir, 'svc/naïve.go', lines('N', 3));
  write(dir, 'svc/t\tab.go', lines('T', 3));
  write(dir, 'svc/noeol.go', 'E1\nE2');
  write(dir, 'svc/bin.dat', Buffer.from([0, 1, 2, 3, 0, 255]));
  write(dir, 'svc/plus.go', lines('P', 6));
  write(dir, 'top.go', lines('X', 3));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');

  // parse.go: delete L1, replace L3, insert two lines after L5, delete L9.
  write(dir, 'svc/parse.go', ['L2', 'X3', 'L4', 'L5', 'A', 'B', 'L6', 'L7', 'L8', 'L10'].join('\n') + '\n');
  rmSync(path.join(dir, 'svc/gone.go'));
  git(dir, 'mv', 'svc/old name.go', 'svc/new name.go');
  write(dir, 'svc/new name.go', ['R1', 'CHANGED', 'R3', 'R4', 'R5', 'R6'].join('\n') + '\n');
  git(dir, 'mv', 'svc/pure.go', 'svc/pure2.go');
  write(dir, 'svc/sp ace.go', 'S1\nS2 changed\nS3\n');
  write(dir, 'svc/naïve.go', 'N1\nN2\nN3 changed\n');
  write(dir, 'svc/t\tab.go', 'T1 changed\nT2\nT3\n');
  write(dir, 'svc/noeol.go', 'E1\nE2 changed');
  write(dir, 'svc/bin.dat', Buffer.from([0, 9, 9, 9, 0, 255]));
  // An added line that reads "++ x" is printed "+++ x" in the hunk body,
  // and another hunk of the same file follows it.
  write(dir, 'svc/plus.go', ['P1', '++ x', 'P3', 'P4', 'P5 changed', 'P6'].join('\n') + '\n');
  write(dir, 'svc/fresh.go', 'F1\n-- y\nF3\n');
  git(dir, 'add', '-N', 'svc/fresh.go');
  write(dir, 'svc/untracked.go', lines('U', 3));
  write(dir, 'top.go', 'X1\nX2\nX3 changed\n');
  return dir;
}

describe('parseUnifiedZero on real git output', () => {
  let dir: string;
  beforeAll(() => {
    dir = richRepo();
  });

  it('reads new-side lines for edits, insertions, deletions, renames and quoted names', () => {
    const text = git(dir, 'diff', '--unified=0', '--no-color', '--no-ext-diff', '--find-renames', '--src-prefix=a/', '--dst-prefix=b/', 'HEAD', '--');
    // The hunks this test relies on really are in git's output.
    expect(text).toContain('@@ -1 +0,0 @@');
    expect(text).toContain('+++ "b/svc/na\\303\\257ve.go"');
    expect(text).toContain('+++ b/svc/sp ace.go\t');
    expect(text).toContain('\n+++ x\n');
    expect(text).toContain('rename from svc/pure.go');
    expect(text).toContain('\\ No newline at end of file');
    const got = Object.fromEntries([...parseUnifiedZero(text)].map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
    expect(got).toEqual({
      // Deleting L1 marks the new first line; deleting L9 marks both neighbours.
      'svc/parse.go': [1, 2, 5, 6, 9, 10],
      'svc/new name.go': [2],
      'svc/sp ace.go': [2],
      'svc/naïve.go': [3],
      'svc/t\tab.go': [1],
      'svc/noeol.go': [2],
      'svc/plus.go': [2, 5],
      'svc/fresh.go': [1, 2, 3],
      'top.go': [3],
    });
  });

  it('honours another destination prefix', () => {
    const text = git(dir, 'diff', '--unified=0', '--no-prefix', 'HEAD', '--', 'top.go');
    expect([...parseUnifiedZero(text, { dstPrefix: '' }).keys()]).toEqual(['top.go']);
  });

  it('keeps its place when a hunk header is malformed or truncated', () => {
    const text = ['diff --git a/x.go b/x.go', '--- a/x.go', '+++ b/x.go', '@@ -1,2 +1,2 @@', '-a', 'garbage', '@@ -9 +9 @@', '-q', '+r', ''].join('\n');
    expect([...parseUnifiedZero(text).get('x.go')!].sort((a, b) => a - b)).toEqual([1, 2, 9]);
  });
});

describe('changedLines', () => {
  let dir: string;
  beforeAll(() => {
    dir = path.join(tmpRoot, 'rich');
  });

  it('maps paths to --src and leaves out files outside it', async () => {
    const m = await changedLines(path.join(dir, 'svc'), 'HEAD');
    expect([...m.keys()].sort()).toEqual(['fresh.go', 'naïve.go', 'new name.go', 'noeol.go', 'parse.go', 'plus.go', 'sp ace.go', 't\tab.go']);
    expect([...m.get('parse.go')!].sort((a, b) => a - b)).toEqual([1, 2, 5, 6, 9, 10]);
    const atRoot = await changedScope(dir, 'HEAD');
    expect(atRoot.prefix).toBe('');
    expect([...atRoot.lines.get('top.go')!]).toEqual([3]);
    expect(atRoot.lines.has('svc/parse.go')).toBe(true);
    // Untracked files are not in git diff; `git add -N` ones are.
    expect(atRoot.lines.has('svc/untracked.go')).toBe(false);
  });

  it('diffs against the merge base, so changes made on the base branch since are not counted', async () => {
    const repo = newRepo('branches');
    write(repo, 'a.go', lines('A', 10));
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'base');
    git(repo, 'checkout', '-qb', 'feature');
    write(repo, 'a.go', lines('A', 10).replace('A8\n', 'A8 feature\n'));
    git(repo, 'commit', '-qam', 'feature edit');
    git(repo, 'checkout', '-q', 'main');
    write(repo, 'a.go', lines('A', 10).replace('A2\n', 'A2 main\n'));
    git(repo, 'commit', '-qam', 'main edit');
    git(repo, 'checkout', '-q', 'feature');
    write(repo, 'a.go', lines('A', 10).replace('A8\n', 'A8 feature\n').replace('A5\n', 'A5 wip\n'));
    const scope = await changedScope(repo, 'main');
    expect(scope.mergeBase).toBe(true);
    expect([...scope.lines.get('a.go')!].sort((a, b) => a - b)).toEqual([5, 8]);
  });

  it('says so when --src is not a git checkout', async () => {
    const plain = path.join(tmpRoot, 'plain');
    mkdirSync(plain, { recursive: true });
    const e = await advisorError(changedLines(plain, 'origin/main'));
    expect(e.stage).toBe('git');
    expect(e.message).toMatch(/^--changed needs --src to be inside a git checkout; .*plain is not \(not a git repository/);
    expect((await advisorError(changedLines(path.join(tmpRoot, 'missing'), 'HEAD'))).message).toMatch(/missing does not exist$/);
  });

  it('says how to fetch an unknown revision', async () => {
    const upstream = newRepo('upstream');
    write(upstream, 'a.go', lines('A', 3));
    git(upstream, 'add', '-A');
    git(upstream, 'commit', '-qm', 'one');
    write(upstream, 'a.go', lines('A', 4));
    git(upstream, 'commit', '-qam', 'two');
    const clone = path.join(tmpRoot, 'clone');
    git(tmpRoot, 'clone', '-q', '--depth', '1', `file://${upstream}`, clone);
    git(clone, 'remote', 'set-branches', 'origin', 'none');
    git(clone, 'update-ref', '-d', 'refs/remotes/origin/main');

    const e = await advisorError(changedLines(clone, 'origin/main'));
    expect(e.stage).toBe('git');
    expect(e.message).toBe(
      'unknown revision origin/main: fetch it first, e.g. git fetch origin main; this clone is shallow: in GitHub Actions use actions/checkout with fetch-depth: 0',
    );
    const local = newRepo('local');
    write(local, 'a.go', 'x\n');
    git(local, 'add', '-A');
    git(local, 'commit', '-qm', 'one');
    expect((await advisorError(changedLines(local, 'nosuch'))).message).toBe('unknown revision nosuch: check the name (git branch -a lists branches)');
    const usage = await advisorError(changedLines(local, '--output=/tmp/x'));
    expect(usage.stage).toBe('usage');
  });

  it('says so when git is not installed', async () => {
    const e = await advisorError(changedLines(tmpRoot, 'HEAD', { gitBinary: path.join(tmpRoot, 'no-such-git') }));
    expect(e.message).toBe('git is not installed or not on PATH; --changed needs it');
  });
});

describe('path mapping', () => {
  it('converts between the repository top level and --src', () => {
    expect(toSrcRelative('svc/internal/a.go', 'svc/')).toBe('internal/a.go');
    expect(toSrcRelative('svcx/a.go', 'svc/')).toBeNull();
    expect(toSrcRelative('a.go', '')).toBe('a.go');
    expect(toRepoRelative('internal/a.go', 'svc/')).toBe('svc/internal/a.go');
    expect(toRepoRelative('a.go', '')).toBe('a.go');
  });
});
