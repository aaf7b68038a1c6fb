// GitHub's markdown renderer, cmark-gfm with its extensions (autolink,
// table, strikethrough, tagfilter), through the `cmarkgfm` Python package,
// which .ci/run installs. On a developer machine without it the tests that
// need it are skipped with a line saying so; in CI (CI=true) its absence is
// a failure, not a skip.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import sys, cmarkgfm
from cmarkgfm.cmark import Options
sys.stdout.write(cmarkgfm.github_flavored_markdown_to_html(sys.stdin.read(), options=Options.CMARK_OPT_UNSAFE))
`;

function python(): string {
  return process.env.PYTHON ?? 'python3';
}

/** Why cmark-gfm cannot be run here, or null when it can. */
export function cmarkGfmMissing(): string | null {
  const r = spawnSync(python(), ['-c', 'import cmarkgfm'], { encoding: 'utf8' });
  if (r.status === 0) return null;
  return `cmark-gfm (the cmarkgfm Python package) is not installed: ${(r.stderr || String(r.error ?? '')).trim().split('\n').pop()}; \`python3 -m pip install cmarkgfm\` (.ci/run does)`;
}

/** Markdown to HTML as GitHub's renderer makes it (raw HTML kept, so nothing is hidden by sanitizing). */
export function cmarkGfm(markdown: string): string {
  const r = spawnSync(python(), ['-c', SCRIPT], { input: markdown, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`cmarkgfm failed: ${r.stderr}`);
  return r.stdout;
}
