// A file as it was at a revision, so the diff can read a baseline's
// statements when the baseline profile came from a known commit (the base
// branch of a PR, last week's release tag). Without it, sites are matched by
// their offset in the function (src/diff/match.ts).
import { AdvisorError } from '../errors.js';
import { gitReason, runGit } from './run.js';

/**
 * Lines of `srcRelPath` (relative to srcDir, forward slashes) at `rev`, or
 * null when the file did not exist there. Throws AdvisorError('git') when rev
 * is unknown or srcDir is not a checkout.
 */
export async function readFileAtRev(srcDir: string, rev: string, srcRelPath: string, gitBinary?: string): Promise<string[] | null> {
  if (rev.startsWith('-')) throw new AdvisorError('usage', `not a revision: "${rev}"`);
  // `REV:./path` is relative to the current directory, i.e. to --src.
  const out = await runGit(srcDir, ['show', '--no-textconv', `${rev}:./${srcRelPath}`], gitBinary);
  if (out.code === 0) return out.stdout.split('\n');
  if (/does not exist in|exists on disk, but not in/.test(out.stderr)) return null;
  if (/not a git repository/.test(out.stderr)) throw new AdvisorError('git', `${srcDir} is not inside a git checkout`);
  throw new AdvisorError('git', `cannot read ${srcRelPath} at ${rev}: ${gitReason(out.stderr)}`);
}
