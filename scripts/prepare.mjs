// npm's `prepare` step. npm runs it after `npm ci` / `npm install` in a clone,
// before `npm pack`, and when installing from a git URL (after installing the
// dev dependencies there). It builds dist/ when the build tools are present.
// The packed tarball ships dist/, and npm runs no `prepare` when it installs a
// tarball, so `npm install -g ./go-alloc-advisor-X.Y.Z.tgz` needs no
// TypeScript. In a checkout without dev dependencies and without dist/ (say,
// `npm install -g .` on a fresh clone) it says what to run instead of failing
// with `tsc: not found`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function installed(name) {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

if (installed('typescript') && installed('rolldown')) {
  const npm = process.env.npm_execpath;
  const r = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  process.exit(r.status ?? 1);
} else if (existsSync(path.join(root, 'dist', 'cli.js'))) {
  console.log('advisor: dist/ is already built; nothing to do (the build tools are dev dependencies).');
} else {
  console.error(
    'advisor: dist/ is not built and the build tools (typescript, rolldown: dev dependencies) are not installed.\n' +
      'From a clone: npm ci && npm install -g .   Or install a packed tarball: npm pack && npm install -g ./go-alloc-advisor-*.tgz',
  );
  process.exit(1);
}
