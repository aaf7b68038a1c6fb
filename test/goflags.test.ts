// Go and pprof habits: single-dash long flags, underscores, `-flag=value`,
// `-no-flag` for booleans, and host:port without a scheme as a profile source.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { goStyleArgs } from '../src/goflags.js';
import { profileSource } from '../src/profile/fetch.js';
import { CLI, requireBuiltCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const LONG = new Set(['src', 'sample-index', 'top', 'focus', 'ignore', 'escape', 'escape-log', 'hot-cover', 'max-decompressed', 'help', 'version']);
const BOOL = new Set(['escape', 'help', 'version']);
const go = (...a: string[]) => goStyleArgs(a, LONG, BOOL);

describe('goStyleArgs', () => {
  test('single-dash long flags, with a separate value or =value', () => {
    expect(go('p.pb.gz', '-src', '.', '-top', '5', '-focus', 'RE')).toEqual(['p.pb.gz', '--src', '.', '--top', '5', '--focus', 'RE']);
    expect(go('-sample_index=alloc_objects', '-top=5')).toEqual(['--sample-index=alloc_objects', '--top=5']);
  });
  test('underscores for every long option, with one dash or two', () => {
    expect(go('--sample_index', 'alloc_space', '--hot_cover=50%', '-escape_log', 'm2.txt', '--max_decompressed', '2GiB')).toEqual([
      '--sample-index', 'alloc_space', '--hot-cover=50%', '--escape-log', 'm2.txt', '--max-decompressed', '2GiB',
    ]);
  });
  test('booleans: -no-escape, -no_escape, -escape=false', () => {
    expect(go('-no-escape')).toEqual(['--no-escape']);
    expect(go('-no_escape')).toEqual(['--no-escape']);
    expect(go('-escape=false')).toEqual(['--escape=false']);
  });
  test('a value that starts with a dash stays the value, as Go reads it', () => {
    expect(go('-focus', '-x', '-top', '-5')).toEqual(['--focus=-x', '--top=-5']);
    expect(go('-src', '-weird-dir')).toEqual(['--src=-weird-dir']);
  });
  test('untouched: one-letter flags, a lone -, negative numbers, values, and everything after --', () => {
    expect(go('-f', 'json', '-o', 'r.txt', '-h', '-', '-5')).toEqual(['-f', 'json', '-o', 'r.txt', '-h', '-', '-5']);
    expect(go('--', '-src', 'x')).toEqual(['--', '-src', 'x']);
    expect(go('--src', 'dir_with_underscores')).toEqual(['--src', 'dir_with_underscores']);
  });
  test('an unknown single-dash word is one unknown long option, not a cluster of letters', () => {
    expect(go('-xyz')).toEqual(['--xyz']);
    expect(go('--not_known')).toEqual(['--not_known']);
  });
});

describe('profileSource (pprof adjustURL)', () => {
  const none = () => false;
  test('host:port without a scheme is http, and a bare address gets the default path', () => {
    expect(profileSource('localhost:6060', '/debug/pprof/allocs', none)).toBe('http://localhost:6060/debug/pprof/allocs');
    expect(profileSource('127.0.0.1:6060/debug/pprof/heap', '/debug/pprof/allocs', none)).toBe('http://127.0.0.1:6060/debug/pprof/heap');
    expect(profileSource(':6060', '/debug/pprof/profile', none)).toBe('http://:6060/debug/pprof/profile');
    expect(profileSource('[::1]:6060/debug/pprof/allocs?seconds=5', '/x', none)).toBe('http://[::1]:6060/debug/pprof/allocs?seconds=5');
    expect(profileSource('http://h:1', '/debug/pprof/allocs', none)).toBe('http://h:1/debug/pprof/allocs');
    expect(profileSource('https://h:1/?seconds=3', '/debug/pprof/allocs', none)).toBe('https://h:1/debug/pprof/allocs?seconds=3');
  });
  test('files win, as in pprof (an existing file named like host:port), and other names stay paths', () => {
    expect(profileSource('mem_03:55:24', '/x', () => true)).toBe('mem_03:55:24');
    expect(profileSource('host:6060', '/x', (p) => p === 'host:6060')).toBe('host:6060');
    for (const p of ['allocs.pb.gz', 'dir/a:b.pb', 'C:/x.pb', '-']) expect(profileSource(p, '/x', none)).toBe(p);
    expect(profileSource('http://h:1/debug/pprof/allocs', '/x', none)).toBe('http://h:1/debug/pprof/allocs');
  });
});

describe('the CLI with Go spellings', () => {
  beforeAll(requireBuiltCli);
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const profile = 'samples/service/allocs.pb.gz';

  test('-src . -sample_index=alloc_objects -top 5 -focus RE give the report the -- spellings give', () => {
    const goStyle = run([profile, '-src', 'samples/service', '-no_escape', '-sample_index=alloc_objects', '-top', '5', '-focus', 'api', '-format', 'json']);
    const kebab = run([profile, '--src', 'samples/service', '--no-escape', '--sample-index', 'alloc_objects', '--top', '5', '--focus', 'api', '--format', 'json']);
    expect(goStyle.status, goStyle.stderr).toBe(0);
    expect(kebab.status, kebab.stderr).toBe(0);
    const report = JSON.parse(goStyle.stdout);
    expect(report.profile.sampleType).toBe('alloc_objects');
    expect(report.settings.top).toBe(5);
    expect(goStyle.stdout).toBe(kebab.stdout);
  });

  test('every long option is accepted with underscores', () => {
    const r = run([profile, '--no_escape', '--hot_cover', '50%', '--min_share=2%', '--max_samples', '1000000', '--max_stack_depth=100', '--max_strings', '100000', '--max_decompressed', '1GiB', '--sample_index', 'alloc_space', '-f', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).settings.hotCover).toBe(0.5);
  });

  test('an unknown single-dash flag is named whole', () => {
    const r = run([profile, '-srcdir', '.']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('advisor: usage: Unknown argument: srcdir (see advisor --help)');
  });
});
