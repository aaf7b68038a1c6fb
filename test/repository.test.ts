// Paths that work in code scanning: with the Go module in a subdirectory of a
// git repository, SARIF locations and --link-template paths are relative to
// the repository root, and {sha} is the commit checked out.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, requireBuiltCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
let repo: string;
let sha: string;

beforeAll(() => {
  requireBuiltCli();
  repo = realpathSync(mkdtempSync(path.join(tmpdir(), 'advisor-repo-')));
  mkdirSync(path.join(repo, 'services'));
  cpSync(path.join(ROOT, 'samples', 'service'), path.join(repo, 'services', 'svc'), { recursive: true });
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'service');
  sha = git('rev-parse', 'HEAD');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

const run = (args: string[], cwd = repo) => {
  const r = spawnSync(process.execPath, [CLI, path.join(repo, 'services/svc/allocs.pb.gz'), '--no-escape', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

describe('a module in a subdirectory of a git repository', () => {
  test('SARIF locations are relative to the git top level, which originalUriBaseIds names', () => {
    const sarif = JSON.parse(run(['--src', 'services/svc', '-f', 'sarif']));
    const base = sarif.runs[0].originalUriBaseIds['%SRCROOT%'];
    expect(base.uri).toBe(pathToFileURL(`${repo}/`).href);
    expect(base.description.text).toContain('--src is services/svc/');
    const uris = sarif.runs[0].results.map((r: any) => r.locations[0].physicalLocation?.artifactLocation);
    expect(uris.length).toBeGreaterThan(0);
    for (const u of uris) {
      expect(u.uriBaseId).toBe('%SRCROOT%');
      expect(u.uri).toMatch(/^services\/svc\/(internal|cmd)\//);
    }
    expect(uris).toContainEqual({ uri: 'services/svc/internal/api/codec.go', uriBaseId: '%SRCROOT%' });
  });

  test('the same from inside the module (--src .)', () => {
    const sarif = JSON.parse(run(['--src', '.', '-f', 'sarif'], path.join(repo, 'services', 'svc')));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^services\/svc\//);
  });

  test('--link-template: {path} from the repository root, {sha} the commit checked out unless --sha says otherwise', () => {
    const template = 'https://github.com/org/repo/blob/{sha}/{path}#L{line}';
    const md = run(['--src', 'services/svc', '-f', 'markdown', '--link-template', template]);
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(md).toContain(`https://github.com/org/repo/blob/${sha}/services/svc/internal/api/codec.go#L33`);
    expect(md).not.toContain('/blob/HEAD/');
    const pinned = run(['--src', 'services/svc', '-f', 'markdown', '--link-template', template, '--sha', 'v1.2.3']);
    expect(pinned).toContain('https://github.com/org/repo/blob/v1.2.3/services/svc/internal/api/codec.go#L33');
  });

  test('outside a git repository: relative to --src, as before', () => {
    const plain = realpathSync(mkdtempSync(path.join(tmpdir(), 'advisor-norepo-')));
    try {
      cpSync(path.join(ROOT, 'samples', 'service'), path.join(plain, 'svc'), { recursive: true });
      const r = spawnSync(process.execPath, [CLI, path.join(plain, 'svc/allocs.pb.gz'), '--no-escape', '--src', 'svc', '-f', 'sarif'], {
        cwd: plain,
        encoding: 'utf8',
        env: { ...process.env, GIT_CEILING_DIRECTORIES: path.dirname(plain) },
      });
      expect(r.status, r.stderr).toBe(0);
      const sarif = JSON.parse(r.stdout);
      expect(sarif.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBeUndefined();
      expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(/^internal\//);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
