// Where --src sits in its git repository: code scanning and source links name
// files relative to the repository root (the git top level), while advisor
// names them relative to --src. Also the commit checked out, for {sha}.
import { runGit } from './run.js';

export interface RepoPlace {
  /** The git top level, absolute. */
  top: string;
  /** --src relative to the top level, forward slashes, '' or ending in '/'. */
  prefix: string;
  /** `git rev-parse HEAD`: the commit checked out, or null in a repository without commits. */
  head: string | null;
}

/** null when `dir` is not in a git work tree or git is not installed. */
export async function repoPlace(dir: string): Promise<RepoPlace | null> {
  let r;
  try {
    r = await runGit(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  } catch {
    return null;
  }
  if (r.code !== 0) return null;
  const [top, prefix = ''] = r.stdout.split('\n');
  if (!top) return null;
  const head = await runGit(dir, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  const sha = head.code === 0 ? head.stdout.trim() : '';
  return { top, prefix, head: /^[0-9a-f]{40,64}$/.test(sha) ? sha : null };
}
