// Every catalogue example is a test: each rule's Before and After are
// compiled by the installed Go with -gcflags=-m=2 (one package per side, all
// rules in one module, one `go build`), the Before must show the compiler
// message the rule names at the marked line, and the After must be better:
// the message gone, or fewer allocations under testing.AllocsPerRun (one
// generated program measures every rule that needs it). The module lives in a
// temp dir removed afterwards (ADVISOR_KEEP_EXAMPLES=1 keeps it to look at);
// Go's own build cache is used as any go build uses it: with it warm the test
// takes a few seconds, cold it first compiles the standard library (~50 s).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_MODULES, RULE_ORDER } from '../rules.js';
import type { RuleExample } from './example.js';

// No network, no toolchain download, no user GOFLAGS or workspace: the module is self-contained.
const GO_ENV = { ...process.env, GOFLAGS: '', GOWORK: 'off', GOTOOLCHAIN: 'local', GOPROXY: 'off', GO111MODULE: 'on' };

function goVersion(): string | null {
  const r = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: GO_ENV });
  return r.status === 0 ? r.stdout.trim() : null;
}

const GO = goVersion();
const MODULE = 'example.com';
const RUNS = 100;

interface SideFile {
  /** File path relative to the module root, as the compiler prints it. */
  file: string;
  /** File line of the snippet's first line. */
  start: number;
  lines: number;
}

interface Generated {
  before: SideFile;
  after: SideFile;
}

function sideOf(ex: RuleExample, side: 'before' | 'after') {
  const s = ex[side] ?? {};
  return {
    imports: s.imports ?? ex.imports ?? [],
    decls: [ex.decls, s.decls].filter(Boolean).join('\n\n'),
    run: s.run ?? ex.run,
  };
}

function writeSide(root: string, id: string, side: 'before' | 'after', snippet: string, ex: RuleExample): SideFile {
  const dir = `rules/${id}/${side}`;
  mkdirSync(path.join(root, dir), { recursive: true });
  const s = sideOf(ex, side);
  const lines = [`package ${side}`, ''];
  if (s.imports.length > 0) lines.push('import (', ...s.imports.map((i) => `\t"${i}"`), ')', '');
  if (ex.wrap) lines.push(ex.wrap.head);
  const start = lines.length + 1;
  lines.push(...snippet.split('\n'));
  if (ex.wrap) lines.push(ex.wrap.tail);
  if (s.decls) lines.push('', s.decls);
  if (ex.proof === 'fewer-allocs') lines.push('', '// Run runs the example once, for testing.AllocsPerRun.', 'func Run() {', s.run ?? '', '}');
  const file = `${dir}/example.go`;
  writeFileSync(path.join(root, file), lines.join('\n') + '\n');
  return { file, start, lines: snippet.split('\n').length };
}

/** Writes the module: one package per rule and side, extra packages, and the AllocsPerRun program. */
function generate(root: string, goLine: string): Record<string, Generated> {
  writeFileSync(path.join(root, 'go.mod'), `module ${MODULE}\n\ngo ${goLine}\n`);
  const out: Record<string, Generated> = {};
  const imports: string[] = [];
  const measures: string[] = [];
  RULE_ORDER.forEach((id, i) => {
    const m = RULE_MODULES[id];
    const ex = m.example;
    for (const [p, src] of Object.entries(ex.packages ?? {})) {
      mkdirSync(path.join(root, p), { recursive: true });
      writeFileSync(path.join(root, p, 'x.go'), src);
    }
    out[id] = { before: writeSide(root, id, 'before', m.before, ex), after: writeSide(root, id, 'after', m.after, ex) };
    // Every package is a dependency of the program, so that `go build -o dir/` compiles (and reports on) all of them.
    if (ex.proof !== 'fewer-allocs') imports.push(`\t_ "${MODULE}/rules/${id}/before"`, `\t_ "${MODULE}/rules/${id}/after"`);
    else {
      imports.push(`\tb${i} "${MODULE}/rules/${id}/before"`, `\ta${i} "${MODULE}/rules/${id}/after"`);
      measures.push(`\tout[${JSON.stringify(id)}] = [2]float64{testing.AllocsPerRun(${RUNS}, b${i}.Run), testing.AllocsPerRun(${RUNS}, a${i}.Run)}`);
    }
  });
  mkdirSync(path.join(root, 'allocs'));
  writeFileSync(
    path.join(root, 'allocs', 'main.go'),
    [
      'package main',
      '',
      'import (',
      '\t"encoding/json"',
      '\t"flag"',
      '\t"os"',
      '\t"testing"',
      '',
      ...imports,
      ')',
      '',
      '// Prints, per rule, the allocations of one run of its Before and of its After.',
      'func main() {',
      '\ttesting.Init()',
      '\tflag.Set("test.benchtime", "100x") // examples that run a benchmark',
      '\tout := map[string][2]float64{}',
      ...measures,
      '\tjson.NewEncoder(os.Stdout).Encode(out)',
      '}',
      '',
    ].join('\n'),
  );
  return out;
}

interface Message {
  file: string;
  line: number;
  text: string;
}

function parseMessages(stderr: string): Message[] {
  const out: Message[] = [];
  for (const l of stderr.split('\n')) {
    const m = /^(?:\.\/)?(\S+?\.go):(\d+):\d+: (.*)$/.exec(l);
    if (m && !m[3].startsWith(' ')) out.push({ file: m[1], line: Number(m[2]), text: m[3] });
  }
  return out;
}

describe('catalogue example descriptions', () => {
  for (const id of RULE_ORDER) {
    it(`${id} says what its example proves`, () => {
      const m = RULE_MODULES[id];
      const ex = m.example;
      if (ex.shows) {
        expect(m.before.split('\n').filter((l) => l.includes(ex.shows!.at)), `exactly one Before line contains ${JSON.stringify(ex.shows.at)}`).toHaveLength(1);
        expect(() => new RegExp(ex.shows!.message)).not.toThrow();
      }
      if (ex.proof === 'escape-gone') expect(ex.shows, 'escape-gone needs the message the Before shows').toBeDefined();
      if (ex.proof === 'fewer-allocs') for (const side of ['before', 'after'] as const) expect(sideOf(ex, side).run, `${side} run`).toBeTruthy();
      if (ex.proof === 'compiles') expect(ex.illustrative?.trim(), 'an illustrative example says why it is only compiled').toBeTruthy();
    });
  }
});

const SKIPPED = 'skipped: `go` is not on PATH, so the rule examples cannot be compiled here (CI installs Go)';
if (GO === null) console.warn(`catalogue examples ${SKIPPED}`);

describe.skipIf(GO !== null)('catalogue examples without Go', () => {
  // A user's clone may have no Go; CI has it, and there a missing Go is a failure, not a skip.
  it.skipIf(!process.env.CI)('CI has Go on PATH', () => {
    expect(GO, 'go on PATH in CI').not.toBeNull();
  });
  it.skip(SKIPPED, () => {});
});

describe.skipIf(GO === null)('catalogue examples compiled by the installed Go', () => {
  let root = '';
  let files: Record<string, Generated> = {};
  let build = { status: -1 as number | null, stderr: '', errors: '' };
  let messages: Message[] = [];
  let allocs: Record<string, [number, number]> = {};
  let runError = '';

  beforeAll(() => {
    const v = /^go(\d+)\.(\d+)/.exec(GO!);
    if (!v) throw new Error(`cannot read the Go version from ${GO}`);
    root = mkdtempSync(path.join(os.tmpdir(), 'advisor-examples-'));
    files = generate(root, `${v[1]}.${v[2]}`);
    const b = spawnSync('go', ['build', '-gcflags=-m=2', '-o', path.join(root, 'bin') + path.sep, './...'], {
      cwd: root,
      encoding: 'utf8',
      env: GO_ENV,
      maxBuffer: 256 * 1024 * 1024,
    });
    build = { status: b.status, stderr: b.stderr ?? String(b.error), errors: '' };
    messages = parseMessages(build.stderr);
    if (b.status !== 0) {
      // The same build without -m: only the errors (the packages that compiled are cached).
      const e = spawnSync('go', ['build', './...'], { cwd: root, encoding: 'utf8', env: GO_ENV });
      build.errors = e.stderr ?? String(e.error);
      return;
    }
    const r = spawnSync(path.join(root, 'bin', 'allocs'), [], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (r.status === 0) allocs = JSON.parse(r.stdout);
    else runError = `allocs program failed (${r.status}): ${r.stderr}`;
  });

  afterAll(() => {
    if (!root) return;
    if (process.env.ADVISOR_KEEP_EXAMPLES) console.log(`examples module kept in ${root}`);
    else rmSync(root, { recursive: true, force: true });
  });

  it('all compile', () => {
    expect(build.status, `go build failed:\n${build.errors}`).toBe(0);
    expect(runError).toBe('');
  });

  for (const id of RULE_ORDER) {
    it(id, () => {
      const m = RULE_MODULES[id];
      const ex = m.example;
      const g = files[id];
      const errors = build.errors.split('\n').filter((l) => l.includes(`rules/${id}/`));
      expect(errors, `${id} does not compile`).toEqual([]);

      if (ex.shows) {
        const at = m.before.split('\n').flatMap((l, i) => (l.includes(ex.shows!.at) ? [i] : []));
        const line = g.before.start + at[0];
        const there = messages.filter((x) => x.file === g.before.file && x.line === line).map((x) => x.text);
        const re = new RegExp(ex.shows.message);
        expect(there.filter((t) => re.test(t)), `Before line ${at[0] + 1} shows /${ex.shows.message}/; the compiler printed there:\n${there.join('\n')}`).not.toEqual([]);
      }

      if (ex.proof === 'escape-gone') {
        const re = new RegExp(ex.shows!.message);
        const inAfter = messages.filter((x) => x.file === g.after.file && x.line >= g.after.start && x.line < g.after.start + g.after.lines && re.test(x.text));
        expect(inAfter.map((x) => `${x.line - g.after.start + 1}: ${x.text}`), 'the After still shows it').toEqual([]);
      } else if (ex.proof === 'fewer-allocs') {
        expect(allocs[id], 'the AllocsPerRun program ran (see "all compile")').toBeDefined();
        const [before, after] = allocs[id];
        expect(after, `allocations per run: Before ${before}, After ${after}`).toBeLessThan(before);
      }
    });
  }
});
