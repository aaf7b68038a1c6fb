// Goldens of the real CLI on the bundled samples, in every format: every
// advice sentence the tool prints for them is pinned here, so a change to one
// shows in review. Stable across machines: the compiler's saved output
// (--escape-log, so no Go version or cache state), fixed width, no colour,
// paths relative to the repository. `UPDATE=1 npx vitest run test/cli-golden.test.ts`
// rewrites them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { requireBuiltCli, runCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const GOLDEN = path.join(ROOT, 'test/golden/cli');
const UPDATE = process.env.UPDATE === '1';

beforeAll(() => requireBuiltCli());

const cases = ['service', 'basic'].flatMap((sample) => ['text', 'markdown', 'json', 'sarif', 'html'].map((format) => [sample, format] as const));

describe('the CLI on the bundled samples', () => {
  test.each(cases)('%s, %s', (sample, format) => {
    const dir = `samples/${sample}`;
    const r = runCli([`${dir}/allocs.pb.gz`, '--src', dir, '--escape-log', `${dir}/escape-m2.txt`, '-f', format], {
      cwd: ROOT,
      env: { COLUMNS: '100', NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.code, r.stderr).toBe(0);
    // The checkout's own path (SARIF's originalUriBaseIds) differs per machine.
    const out = r.stdout.split(`file://${ROOT}/`).join('file:///REPO/');
    const file = path.join(GOLDEN, `${sample}.${format === 'markdown' ? 'md' : format}`);
    if (UPDATE || !existsSync(file)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, out);
      if (!UPDATE) throw new Error(`wrote missing golden file ${file}; run again`);
    }
    expect(out).toBe(readFileSync(file, 'utf8'));
  });
});
