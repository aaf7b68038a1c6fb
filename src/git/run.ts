// Runs git with an argument array (never a shell, so a revision or path is
// never interpreted by one) and a fixed environment.
import { execFile } from 'node:child_process';
import { AdvisorError } from '../errors.js';

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Large enough for the diff of a big vendoring change; git is stopped beyond it. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

/**
 * Config a user or a CI image may set that would change what `git diff`
 * prints. `-c` on the command line wins over every config file.
 */
export const NEUTRAL_CONFIG: readonly string[] = [
  '-c', 'core.quotePath=false',
  '-c', 'diff.noprefix=false',
  '-c', 'diff.mnemonicPrefix=false',
  '-c', 'diff.relative=false',
  '-c', 'color.ui=false',
];

/**
 * Resolves with the exit code and output, whatever the code. Rejects only
 * when git cannot be started (AdvisorError 'git').
 */
export function runGit(cwd: string, args: readonly string[], gitBinary = 'git'): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      gitBinary,
      [...NEUTRAL_CONFIG, ...args],
      {
        cwd,
        encoding: 'utf8',
        maxBuffer: MAX_OUTPUT_BYTES,
        windowsHide: true,
        env: {
          ...process.env,
          // git's messages are matched below; keep them in English.
          LC_ALL: 'C',
          LANGUAGE: 'C',
          // Reading must not write: no opportunistic index refresh, no lock.
          GIT_OPTIONAL_LOCKS: '0',
          GIT_TERMINAL_PROMPT: '0',
          GIT_PAGER: 'cat',
        },
      },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            reject(new AdvisorError('git', `git is not installed or not on PATH; --changed needs it`));
          } else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            reject(new AdvisorError('git', `git ${args[0]} printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MB; narrow --src`));
          } else {
            reject(new AdvisorError('git', `cannot run git: ${err.message}`));
          }
          return;
        }
        const exit = err ? ((err as { code?: unknown }).code as number | undefined) ?? 1 : 0;
        resolve({ code: typeof exit === 'number' ? exit : 1, stdout, stderr });
      },
    );
  });
}

/** git's own reason, one line: the first `fatal:`/`error:` line, else the first line. */
export function gitReason(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const fatal = lines.find((l) => /^(fatal|error):/.test(l));
  return (fatal ?? lines[0] ?? 'no message').replace(/^(fatal|error):\s*/, '');
}
