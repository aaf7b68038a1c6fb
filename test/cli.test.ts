// End-to-end: the built CLI on the samples and on bad input, as a user runs it.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireBuiltCli, runCli, type CliResult } from './helpers/cli.js';
import { pprofTop } from './helpers/pprof.js';
import { REALWORLD } from './helpers/realworld.js';

const ROOT = path.resolve(__dirname, '..');
const SERVICE = path.join(ROOT, 'samples', 'service');
const BASIC = path.join(ROOT, 'samples', 'basic');
const run = promisify(execFile);

type Result = CliResult;

const advisor = (args: string[], opts: { env?: NodeJS.ProcessEnv; input?: Buffer; cwd?: string } = {}): Result =>
  runCli(args, { cwd: opts.cwd ?? ROOT, env: opts.env, input: opts.input });

let tmp: string;
let cacheDir: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-cli-'));
  cacheDir = path.join(tmp, 'cache');
  requireBuiltCli();
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A bad-input outcome: exit 2, one line on stderr naming the cause, no stack. */
function expectOneLineError(r: Result, re: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^advisor: /);
  expect(lines[0]).toMatch(re);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('wording without --src, with --top 0 (issue 14)', () => {
  test('no "at most 0", no "outside --src" when --src was not given, no "no escapes" when nothing was compiled, no CPU saving without an estimate', () => {
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--top', '0', '--cpu', path.join(ROOT, 'test/fixtures/realworld/profiles/golang_tools__sample.pprof')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/at most 0\b/);
    expect(r.stdout).not.toContain('outside --src');
    expect(r.stdout).not.toMatch(/No escapes/);
    expect(r.stdout).toContain('Escape analysis did not run, so cold escapes are unknown.');
    // A finding that estimates nothing says "not estimated", with no CPU share beside it.
    // Every finding without an estimate reads "not estimated", never a CPU share alone.
    const json = JSON.parse(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--top', '0', '--cpu', path.join(ROOT, 'test/fixtures/realworld/profiles/golang_tools__sample.pprof'), '-f', 'json']).stdout);
    // The text details the hot findings only.
    const unestimated = json.findings.filter((f: { hot: boolean; estimate: { bytes: number | null; objects: number | null } }) => f.hot && f.estimate.bytes === null && f.estimate.objects === null);
    expect(unestimated.length).toBeGreaterThan(0);
    expect(r.stdout.match(/Saves +not estimated/g)?.length).toBe(unestimated.length);
    expect(r.stdout).toMatch(/Saves +~.*of CPU time/);
  });
});

describe('the service sample, end to end', () => {
  test('json: ranks the planted hot patterns with the right rules and compiles only hot packages', () => {
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--format', 'json', '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.schemaVersion).toBe(2);
    expect(report.profile.sampleType).toBe('alloc_space');
    expect(report.escape.source).toBe('compiler');
    // internal/load and cmd/service hold no hot site, so they are not compiled.
    const compiled = report.escape.packages.map((p: { importPath: string }) => p.importPath).sort();
    expect(compiled).not.toContain('example.com/advisor/samples/service/internal/load');
    const hot = report.findings.filter((f: { hot: boolean }) => f.hot);
    const ruleOf = (fn: string) => hot.find((f: { site: { function: string } }) => f.site.function.endsWith(fn))?.rule;
    expect(ruleOf('api.readBody')).toBe('stored-value');
    expect(ruleOf('api.(*Server).formatLines')).toBe('fmt-boxing');
    expect(ruleOf('textutil.Breadcrumb')).toBe('string-concat');
    expect(hot[0].site.file).toBe('internal/api/codec.go');
    // Numbers are the profile's own: the first finding's value is its site's flat.
    const total = report.profile.total;
    for (const f of report.findings) expect(f.share).toBeCloseTo(f.value / total, 12);
  });

  test('a second run uses the compiler cache', () => {
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--format', 'json', '--cache-dir', cacheDir]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.escape.packages.every((p: { status: string }) => p.status === 'cached')).toBe(true);
  });

  test('offline: --escape-log joins the saved -m=2 output the same way', () => {
    const live = JSON.parse(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--format', 'json', '--cache-dir', cacheDir]).stdout);
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--escape-log', path.join(SERVICE, 'escape-m2.txt'), '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const offline = JSON.parse(r.stdout);
    expect(offline.escape.source).toBe('log');
    const pick = (rep: { findings: { site: { function: string; line: number }; rule: string | null; hot: boolean }[] }) =>
      rep.findings.filter((f) => f.hot).map((f) => `${f.site.function}:${f.site.line} ${f.rule}`);
    expect(pick(offline)).toEqual(pick(live));
  });

  test.each(['text', 'markdown', 'sarif', 'html'])('%s renders', (format) => {
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--escape-log', path.join(SERVICE, 'escape-m2.txt'), '--format', format]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('readBody');
    if (format === 'sarif') expect(JSON.parse(r.stdout).version).toBe('2.1.0');
    if (format === 'text') expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  test('--output replaces a file atomically; a missing folder is a clear error', () => {
    const out = path.join(tmp, 'report.md');
    writeFileSync(out, 'old');
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--escape-log', path.join(SERVICE, 'escape-m2.txt'), '--src', SERVICE, '-f', 'markdown', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('readBody');
    expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '-o', path.join(tmp, 'nope', 'x.md')]), /does not exist/);
  });

  test('standard input', () => {
    const r = advisor(['-', '--format', 'json'], { input: readFileSync(path.join(SERVICE, 'allocs.pb.gz')) });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).profile.sources).toEqual(['<stdin>']);
  });

  test('--fail-on: hot trips with exit 1 and a one-line reason; baseline conditions need --base', () => {
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--escape-log', path.join(SERVICE, 'escape-m2.txt'), '--fail-on', 'hot', '-o', path.join(tmp, 'gate.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^advisor: hot/m);
    const ok = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--fail-on', 'share:99%', '-o', path.join(tmp, 'gate2.txt')]);
    expect(ok.code, ok.stderr).toBe(0);
    expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--fail-on', 'new-hot']), /--base/);
    expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--fail-on', 'sometimes']), /fail-on/);
  });

  test('without go on PATH the report goes on and says why escape data is missing', () => {
    const nodeDir = path.dirname(process.execPath);
    const r = advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', SERVICE, '--format', 'json', '--cache-dir', path.join(tmp, 'nogo')], {
      env: { PATH: `${nodeDir}:/usr/bin:/bin`.split(':').filter((d) => !existsSync(path.join(d, 'go'))).join(':') },
    });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.escape.source).toBe('none');
    expect(report.escape.notes.join(' ')).toMatch(/--escape-log/);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});

describe('numbers equal go tool pprof on a freshly generated profile', () => {
  test('basic sample: rebuilt and rerun with Go, flat and cum per function match', async () => {
    const bin = path.join(tmp, 'basic-bin');
    const prof = path.join(tmp, 'basic.pb.gz');
    await run('go', ['build', '-o', bin, '.'], { cwd: BASIC });
    await run(bin, ['-memprofile', prof], { cwd: tmp });
    const r = advisor([prof, '--format', 'json', '--top', '0']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const top = pprofTop(prof, 1);
    expect(report.profile.total).toBe(top.total);
    const ours = new Map<string, [number, number]>(report.functions.map((f: { name: string; flat: number; cum: number }) => [f.name, [f.flat, f.cum]]));
    expect(ours.size).toBe(top.rows.length);
    for (const row of top.rows) expect([row.name, ours.get(row.name)]).toEqual([row.name, [row.flat, row.cum]]);
  });
});

describe('bad input: one line, exit 2, never a stack', () => {
  test('a missing file', () => expectOneLineError(advisor(['/nonexistent/x.pb.gz']), /no such file/));
  test('no profile at all', () => expectOneLineError(advisor([]), /no profile given/));
  test('a CPU profile where a heap profile is needed', () =>
    expectOneLineError(advisor([path.join(REALWORLD, 'profiles', 'Fekinox_aoc-2024__cpu.prof')]), /not a heap profile.*debug\/pprof\/allocs/));
  test('JSON', () => expectOneLineError(advisor([path.join(REALWORLD, 'malformed', 'derived__not_a_profile.json')]), /looks like JSON/));
  test('truncated gzip', () => expectOneLineError(advisor([path.join(REALWORLD, 'malformed', 'derived__truncated_gzip__ecoologic_mem.pprof')]), /truncated gzip/));
  test('a legacy text profile', () =>
    expectOneLineError(advisor([path.join(REALWORLD, 'profiles', 'google_pprof__gobench.heap')]), /legacy text profile.*go tool pprof -proto/));
  test('an unknown flag', () => expectOneLineError(advisor(['x.pb.gz', '--frobnicate']), /frobnicate/));
  test('an unknown sample index', () =>
    expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--sample-index', 'cpu']), /no such sample type/));
  test('a bad regex', () => expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--focus', '(']), /--focus/));
  test('--src that does not exist', () => expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--src', '/nonexistent/src']), /--src/));
  test('profiles with different sample types cannot be merged', () =>
    expectOneLineError(
      advisor([path.join(SERVICE, 'allocs.pb.gz'), path.join(REALWORLD, 'profiles', 'grafana_pyroscope__gotruncatefix_heap_go_truncated_1.pb.gz')]),
      /sample types differ/,
    ));
  test('a decompression bomb is capped', () =>
    expectOneLineError(advisor([path.join(SERVICE, 'allocs.pb.gz'), '--max-decompressed', '1kB']), /(decompresses to more than|larger than) .*--max-decompressed/));
});

describe('help', () => {
  test('--help explains usage, formats and exit codes', () => {
    const r = advisor(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: advisor <profile\.\.\.>/);
    expect(r.stdout).toMatch(/--escape-log/);
    expect(r.stdout).toMatch(/Exit codes: 0 report written, 1 a --fail-on condition tripped, 2 usage or input error/);
  });
  test('--version', () => {
    const r = advisor(['--version']);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });
});

test('the go toolchain used by these tests', () => {
  expect(execFileSync('go', ['version'], { encoding: 'utf8' })).toMatch(/^go version go1\./);
});
