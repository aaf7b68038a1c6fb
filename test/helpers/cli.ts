// Running the built CLI from tests, as a user runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const CLI = path.resolve(__dirname, '../../dist/cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails clearly when dist/cli.js has not been built (npm test builds it in pretest). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it in pretest)');
}

/** Runs the built CLI without colour; `env` adds to the process's environment. */
export function runCli(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; input?: Buffer; timeout?: number }): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: opts.timeout,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
