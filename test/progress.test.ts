// The progress line on a real terminal (a pseudo-terminal from util-linux
// `script`): while the compiler runs on a cold cache, the line keeps ticking
// and names the packages it compiles.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CLI, requireBuiltCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
if (!hasScript) console.warn('test/progress.test.ts skipped: util-linux `script` (for a pseudo-terminal) is not installed');

let tmp: string;
beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-progress-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test.skipIf(!hasScript)('ticks during the compile and says what it compiles', () => {
  const log = path.join(tmp, 'tty.log');
  const cmd = [process.execPath, CLI, 'samples/service/allocs.pb.gz', '--src', 'samples/service', '--cache-dir', path.join(tmp, 'cache'), '-o', path.join(tmp, 'r.txt')]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  // Not CI: under CI=true advisor shows no progress line.
  const env: NodeJS.ProcessEnv = { ...process.env, COLUMNS: '120', LINES: '40' };
  delete env.CI;
  const r = spawnSync('script', ['-qfec', `stty cols 120 2>/dev/null; ${cmd}`, log], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
  expect(r.status, r.stderr).toBe(0);
  const frames = readFileSync(log, 'utf8')
    .split(/\r|\n/)
    .map((l) => l.replace(/\x1b\[2K/g, ''))
    .filter((l) => l.startsWith('advisor ['));
  const compiling = frames.filter((l) => /\] compiling 4 packages: service, api, cache, textutil \(go build -gcflags=-m=2\)$/.test(l));
  // At least two different elapsed times while the one compile step runs.
  expect(new Set(compiling.map((l) => /\[(\d+\.\d)s\]/.exec(l)![1])).size).toBeGreaterThanOrEqual(2);
  expect(frames.some((l) => /\] compiled 4 packages: service, api, cache, textutil \(\d+\.\ds\)$/.test(l))).toBe(true);
});
