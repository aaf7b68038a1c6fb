// --changed REV: the lines of files under --src that changed between REV and
// the working tree, so a PR comment can talk only about code the PR touched.
//
// What counts as changed:
// - Tracked files only: committed, staged and unstaged edits. Untracked files
//   are invisible to `git diff`; `git add -N <file>` (intent to add) makes a
//   new file show up as wholly added without staging its content.
// - Against the merge base of REV and HEAD, not REV itself, as GitHub's PR
//   diff (`REV...HEAD`) does: on a branch that is behind origin/main, diffing
//   against origin/main's tip would also report every line main changed since
//   the branch was cut. In a PR merge checkout the merge base is REV, so both
//   agree. When there is no merge base (unrelated histories, or a shallow clone
//   that lacks it) the diff is against REV itself.
// - Pure deletions mark the lines around the gap (see parseUnifiedZero).
// - A file renamed without edits has no changed lines; a renamed file's edits
//   are under its new name.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { AdvisorError } from '../errors.js';
import { gitReason, runGit } from './run.js';
import { parseUnifiedZero } from './unified.js';

export { parseUnifiedZero, unquoteC } from './unified.js';

export interface ChangedScope {
  /** Path relative to --src (forward slashes) -> changed new-side line numbers. Files outside --src are left out. */
  lines: Map<string, Set<number>>;
  /** The checkout's top-level directory (`git rev-parse --show-toplevel`). */
  repoRoot: string;
  /** --src relative to the top level, with a trailing slash; '' when --src is the top level. */
  prefix: string;
  /** REV as given. */
  rev: string;
  /** The commit diffed against: the merge base of REV and HEAD, or REV's commit. */
  baseCommit: string;
  /** True when baseCommit is a merge base rather than REV itself. */
  mergeBase: boolean;
}

export interface ChangedOptions {
  /** For tests: another git binary. */
  gitBinary?: string;
}

/** Changed lines under srcDir between REV (its merge base with HEAD) and the working tree. */
export async function changedLines(srcDir: string, rev: string, opts: ChangedOptions = {}): Promise<Map<string, Set<number>>> {
  return (await changedScope(srcDir, rev, opts)).lines;
}

export async function changedScope(srcDir: string, rev: string, opts: ChangedOptions = {}): Promise<ChangedScope> {
  const git = (args: string[]) => runGit(srcDir, args, opts.gitBinary);
  if (rev.trim() === '' || rev.startsWith('-')) {
    throw new AdvisorError('usage', `--changed needs a revision such as origin/main, got "${rev}"`);
  }
  try {
    if (!(await stat(srcDir)).isDirectory()) throw new AdvisorError('git', `--src ${srcDir} is not a directory`);
  } catch (e) {
    if (e instanceof AdvisorError) throw e;
    throw new AdvisorError('git', `--src ${srcDir} does not exist`);
  }

  const top = await git(['rev-parse', '--show-toplevel', '--show-prefix']);
  if (top.code !== 0) {
    const why = gitReason(top.stderr);
    if (/not a git repository|must be run in a work tree/i.test(top.stderr)) {
      throw new AdvisorError('git', `--changed needs --src to be inside a git checkout; ${srcDir} is not (${why})`);
    }
    throw new AdvisorError('git', `git cannot read ${srcDir}: ${why}`);
  }
  const [repoRoot = '', prefix = ''] = top.stdout.split('\n');

  const resolved = await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (resolved.code !== 0 || !/^[0-9a-f]{40,64}$/.test(resolved.stdout.trim())) {
    throw new AdvisorError('git', await unknownRevisionMessage(rev, git));
  }
  const revCommit = resolved.stdout.trim();

  let baseCommit = revCommit;
  let mergeBase = false;
  const mb = await git(['merge-base', revCommit, 'HEAD']);
  if (mb.code === 0 && /^[0-9a-f]{40,64}$/.test(mb.stdout.trim())) {
    baseCommit = mb.stdout.trim();
    mergeBase = baseCommit !== revCommit;
  }

  const diff = await git([
    'diff',
    '--unified=0',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--find-renames',
    '--ignore-submodules',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    baseCommit,
    '--',
    '.',
  ]);
  if (diff.code !== 0) throw new AdvisorError('git', `git diff ${rev} failed: ${gitReason(diff.stderr)}`);

  const lines = new Map<string, Set<number>>();
  for (const [repoPath, set] of parseUnifiedZero(diff.stdout)) {
    const rel = toSrcRelative(repoPath, prefix);
    if (rel !== null && set.size > 0) lines.set(rel, set);
  }
  return { lines, repoRoot, prefix, rev, baseCommit, mergeBase };
}

/** A path relative to the repository top level -> relative to --src (whose prefix is `sub/dir/` or ''); null outside it. */
export function toSrcRelative(repoPath: string, prefix: string): string | null {
  const p = repoPath.replace(/\\/g, '/');
  if (prefix === '') return p;
  const pre = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return p.startsWith(pre) ? p.slice(pre.length) : null;
}

/** --src-relative -> top-level-relative, the inverse of toSrcRelative. */
export function toRepoRelative(srcPath: string, prefix: string): string {
  return prefix === '' ? srcPath : path.posix.join(prefix, srcPath);
}

async function unknownRevisionMessage(
  rev: string,
  git: (args: string[]) => Promise<{ code: number; stdout: string }>,
): Promise<string> {
  const remotes = (await git(['remote'])).stdout.split('\n').map((s) => s.trim()).filter(Boolean);
  const shallow = (await git(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true';
  const slash = rev.replace(/^refs\/remotes\//, '').indexOf('/');
  const bare = rev.replace(/^refs\/remotes\//, '');
  const remote = slash > 0 ? bare.slice(0, slash) : null;
  let hint: string;
  if (remote !== null && remotes.includes(remote)) {
    hint = `fetch it first, e.g. git fetch ${remote} ${bare.slice(slash + 1)}`;
  } else if (remotes.length > 0) {
    hint = `check the name (git branch -a lists branches), or fetch it first, e.g. git fetch ${remotes.includes('origin') ? 'origin' : remotes[0]} ${rev}`;
  } else {
    hint = 'check the name (git branch -a lists branches)';
  }
  if (shallow) hint += '; this clone is shallow: in GitHub Actions use actions/checkout with fetch-depth: 0';
  return `unknown revision ${rev}: ${hint}`;
}
