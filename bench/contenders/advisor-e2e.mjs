// Contender a: the advisor CLI end to end on the large profile, as a user runs it.
// The whole process is timed (node start-up included), since that is what the
// 0.6 s / 300 MB target is about.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export default {
  id: 'advisor-e2e',
  group: 'decode',
  label: 'advisor end to end (`node dist/cli.js PROFILE --format json --top 20`)',
  timed: 'whole process',
  kind: 'command',
  unavailable(ctx) {
    const cli = join(ctx.root, 'dist/cli.js');
    return existsSync(cli) ? null : 'dist/cli.js not built';
  },
  command(ctx) {
    return {
      cmd: process.execPath,
      args: [join(ctx.root, 'dist/cli.js'), ctx.profile, '--format', 'json', '--top', '20'],
      cwd: ctx.root,
      env: { ...process.env, NO_COLOR: '1' },
    };
  },
  /** An exit code of 0 with JSON on stdout; anything else is a failed run. */
  validate(run) {
    if (run.code !== 0) return `exit ${run.code}`;
    try {
      JSON.parse(readFileSync(run.stdoutFile, 'utf8'));
    } catch {
      return 'stdout is not JSON';
    }
    return null;
  },
};
