// Parser tests on real compiler output. The captured files under
// test/fixtures/escape/captured were printed by the toolchain named in
// captured/go-version.txt for the programs in test/fixtures/escape/{lab,broken}
// (regenerate with test/fixtures/escape/capture.sh). The go1.19 lines are
// quoted from the reference (§4.1, §13) and must keep parsing.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EscapeFinding } from './model.js';
import { parseEscapeOutput, parseEscapeOutputDetailed, parseNote, parseFlow, parseHeader, type ParseOptions } from './parse.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../test/fixtures/escape');
const captured = (name: string): string => readFileSync(path.join(fixtures, 'captured', name), 'utf8');
const LAB = path.join(fixtures, 'lab');
const labOpts: ParseOptions = { moduleRoot: LAB, modulePath: 'example.com/lab' };

function at(fs: EscapeFinding[], relFile: string, line: number, column: number | null, kind?: string): EscapeFinding[] {
  return fs.filter((f) => f.relFile === relFile && f.line === line && f.column === column && (kind === undefined || f.kind === kind));
}
function one(fs: EscapeFinding[], relFile: string, line: number, column: number | null, kind: string): EscapeFinding {
  const got = at(fs, relFile, line, column, kind);
  expect(got, `${relFile}:${line}:${column} ${kind}`).toHaveLength(1);
  return got[0];
}

describe('captured output is from the pinned toolchain', () => {
  it('names go1.26.8', () => {
    expect(captured('go-version.txt')).toMatch(/^go version go1\.26\.8 /);
  });
});

describe('parseEscapeOutput on go1.26 -m=2 text', () => {
  const text = captured('lab-m2.txt');
  const r = parseEscapeOutputDetailed(text, labOpts);
  const fs = r.findings;

  it('detects plain text and splits packages at # headers', () => {
    expect(r.format).toBe('text');
    expect(r.packages.map((p) => p.importPath)).toEqual(['example.com/lab/sub', 'example.com/lab/gen', 'example.com/lab/misc', 'example.com/lab']);
    expect(r.packages.every((p) => !p.failed && p.errors.length === 0)).toBe(true);
  });

  it('keeps every summary line: counts add up to the lines printed', () => {
    const summaryLines = text.split('\n').filter((l) => {
      if (l === '' || l.startsWith('# ')) return false;
      const m = /^(.+?):(\d+)(?::\d+)?: (?! )(.*)$/.exec(l);
      return m !== null && parseHeader(m[3]) === null;
    });
    const counted = fs.filter((f) => f.detail.explanationOnly !== true).reduce((n, f) => n + f.count, 0);
    expect(counted).toBe(summaryLines.length);
  });

  it('moved to heap, with the explanation printed elsewhere', () => {
    const t = one(fs, 'main.go', 15, 2, 'moved-to-heap');
    expect(t.subject).toBe('t');
    expect(t.pkg).toBe('example.com/lab');
    expect(t.rawFile).toBe('./main.go');
    expect(t.file).toBe(path.join(LAB, 'main.go'));
    expect(t.message).toBe('moved to heap: t');
    expect(t.reasons).toEqual(['address-of', 'return']);
    expect(t.detail.func).toBe('newT');
    expect(t.flow).toEqual([
      {
        dst: '~r0',
        src: '&t',
        notes: [
          { expr: '&t', reason: 'address-of', file: path.join(LAB, 'main.go'), line: 16, column: 9 },
          { expr: 'return &t', reason: 'return', file: path.join(LAB, 'main.go'), line: 16, column: 2 },
        ],
      },
    ]);
  });

  it('escapes / does not escape with their subject', () => {
    const mk = one(fs, 'main.go', 29, 11, 'escapes');
    expect(mk.subject).toBe('make([]int, n)');
    expect(mk.reasons).toEqual(['spill', 'assign', 'return']);
    expect(one(fs, 'main.go', 35, 13, 'escapes').reasons).toEqual(['too large for stack']);
    expect(one(fs, 'main.go', 34, 11, 'does-not-escape').subject).toBe('make([]int, 10)');
    expect(one(fs, 'main.go', 54, 16, 'escapes').subject).toBe('string(b)');
    expect(one(fs, 'main.go', 59, 45, 'escapes').subject).toBe('t.Sum');
    expect(one(fs, 'main.go', 125, 44, 'escapes').subject).toBe('a + b');
    expect(one(fs, 'main.go', 53, 11, 'does-not-escape').subject).toBe('b');
  });

  it('reads reasons from the right when the expression has parentheses', () => {
    const x = one(fs, 'main.go', 40, 14, 'escapes');
    expect(x.subject).toBe('x');
    expect(x.reasons).toEqual(['spill', 'slice-literal-element', 'spill', 'assign-pair', 'call parameter']);
    expect(x.flow.map((s) => `${s.dst} <- ${s.src}`)).toEqual([
      '{storage for ... argument} <- &{storage for x}',
      'fmt.a <- &{storage for ... argument}',
      '{heap} <- *fmt.a',
    ]);
    expect(x.flow[2].notes[0]).toMatchObject({ expr: 'fmt.Fprintln(os.Stdout, fmt.a...)', reason: 'call parameter', line: 40, column: 13 });
  });

  it('leaking param in all its forms', () => {
    const toResult = one(fs, 'main.go', 22, 11, 'leaking-param-to-result');
    expect(toResult.subject).toBe('p');
    expect(toResult.detail).toMatchObject({ result: '~r0', level: 0, leaksTo: '~r0', derefs: 0, func: 'keep' });
    expect(toResult.reasons).toEqual(['return']);
    const heap = one(fs, 'main.go', 24, 12, 'leaking-param');
    expect(heap.reasons).toEqual(['assign']);
    expect(heap.detail.leaksTo).toBe('{heap}');
    const content = one(fs, 'main.go', 26, 19, 'leaking-param-content');
    expect(content.subject).toBe('pp');
    expect(content.reasons).toEqual(['indirection', 'assign']);
    expect(content.detail.derefs).toBe(1);
    // `{storage for t.Sum}` contains " for ": the location is read brace-aware.
    const mv = one(fs, 'main.go', 59, 18, 'leaking-param');
    expect(mv.detail).toMatchObject({ leaksTo: '{storage for t.Sum}', func: 'methodValue', derefs: 0 });
  });

  it('keeps explanations that have no summary line (generic shapes, wrappers, value params)', () => {
    const byValue = one(fs, 'main.go', 49, 14, 'leaking-param');
    expect(byValue.detail).toMatchObject({ explanationOnly: true, leaksTo: '{storage for func literal}', func: 'byValue' });
    expect(byValue.reasons).toEqual(['captured by a closure']);
    // One block per instantiation (Map[go.shape.string], and Map[string] that wraps it).
    const shape = at(fs, 'gen/gen.go', 3, 17, 'leaking-param-content');
    expect(shape.map((f) => [f.detail.func, f.detail.explanationOnly, f.reasons])).toEqual([
      ['Map[go.shape.string]', true, ['range-deref', 'call parameter']],
      ['Map[string]', true, ['assign-pair', 'range-deref', 'call parameter']],
    ]);
    const wrapper = fs.find((f) => f.rawFile === '<autogenerated>' && f.kind === 'leaking-param');
    expect(wrapper?.subject).toBe('~p0');
  });

  it('capturing by ref and by value', () => {
    const ref = one(fs, 'main.go', 44, 2, 'capturing');
    expect(ref.subject).toBe('x');
    expect(ref.detail).toEqual({ func: 'closure', mode: 'ref', addr: false, assign: true, width: 8 });
    const val = one(fs, 'main.go', 49, 14, 'capturing');
    expect(val.detail).toEqual({ func: 'byValue', mode: 'value', addr: false, assign: false, width: 16 });
    expect(one(fs, 'main.go', 44, 2, 'moved-to-heap').reasons).toEqual(['captured by a closure', 'reference']);
  });

  it('inlining: can / cannot inline with cost and reason, inlining call to', () => {
    expect(one(fs, 'main.go', 14, 6, 'can-inline')).toMatchObject({ subject: 'newT', detail: { cost: 12 } });
    expect(one(fs, 'main.go', 57, 6, 'can-inline').subject).toBe('(*T).Sum');
    expect(one(fs, 'main.go', 69, 6, 'cannot-inline')).toMatchObject({ subject: 'noinl', detail: { reason: 'marked go:noinline' } });
    expect(one(fs, 'main.go', 134, 6, 'cannot-inline').detail.reason).toBe('unhandled op GO');
    expect(one(fs, 'gen/gen.go', 18, 6, 'cannot-inline').detail).toEqual({
      reason: 'function too complex: cost 215 exceeds budget 80',
      cost: 215,
      budget: 80,
    });
    const cycle = one(fs, 'main.go', 150, 15, 'cannot-inline');
    expect(cycle).toMatchObject({ subject: 'recursive', count: 2, detail: { into: 'main', reason: 'repeated recursive cycle' } });
    expect(one(fs, 'main.go', 138, 14, 'inlining-call').subject).toBe('sub.Make');
    expect(one(fs, 'main.go', 136, 23, 'inlining-call').subject).toBe('(*T).Sum');
  });

  it('devirtualizing, self-assignment, zero-copy', () => {
    expect(one(fs, 'main.go', 98, 12, 'devirtualizing')).toMatchObject({ subject: 'v.M', detail: { to: 'sub.V' } });
    expect(one(fs, 'main.go', 94, 42, 'self-assignment')).toMatchObject({
      subject: 'h.s = h.s[1:]',
      detail: { func: '(*sliceHolder).selfAssign' },
    });
    expect(one(fs, 'main.go', 148, 18, 'other').subject).toBe('zero-copy string->[]byte conversion');
  });

  it('append escapes / does not escape, explained by the `append(...)` block', () => {
    const a = one(fs, 'main.go', 104, 15, 'escapes');
    expect(a.subject).toBe('append');
    expect(a.reasons).toEqual(['spill', 'assign', 'return']);
    expect(a.flow[0].dst).toBe('out');
    expect(one(fs, 'main.go', 112, 15, 'does-not-escape').subject).toBe('append');
  });

  it('inlined callee: block names the callee variable, summary names the argument', () => {
    const boxed = one(fs, 'main.go', 159, 7, 'escapes');
    expect(boxed.subject).toBe('1000');
    expect(boxed.detail.explainedAs).toBe('x');
    expect(boxed.reasons).toEqual(['spill', 'assign']);
    expect(at(fs, 'main.go', 159, 7).filter((f) => f.detail.explanationOnly)).toEqual([]);
  });

  it('merges identical lines from generic shapes and inlined copies, with multiplicity', () => {
    const x = one(fs, 'gen/gen.go', 13, 6, 'moved-to-heap');
    expect(x.count).toBe(3);
    expect(x.reasons).toEqual(['address-of', 'struct literal element']);
    // Map[string] and Map[int] are both reported at Map's declaration: `append escapes to heap` twice.
    const shapes = at(fs, 'gen/gen.go', 3, 6, 'escapes');
    expect(shapes.map((f) => [f.subject, f.count])).toEqual([
      ['make([]go.shape.string, 0, len(xs))', 1],
      ['append', 2],
      ['make([]go.shape.int, 0, len(xs))', 1],
    ]);
    expect(shapes[1].detail.func).toBe('Map[string]');
  });

  it('autogenerated positions have no file and no column', () => {
    const w = fs.find((f) => f.rawFile === '<autogenerated>' && f.kind === 'inlining-call' && f.subject === 'V.M');
    expect(w).toMatchObject({ file: null, relFile: null, line: 1, column: null });
  });
});

describe('go build -json', () => {
  it('gives the same findings as the text, framed by ImportPath', () => {
    const j = parseEscapeOutputDetailed(captured('lab-m2.json'), labOpts);
    const t = parseEscapeOutputDetailed(captured('lab-m2.txt'), labOpts);
    expect(j.format).toBe('json');
    const key = (f: EscapeFinding): string => JSON.stringify(f);
    expect(j.findings.map(key).sort()).toEqual(t.findings.map(key).sort());
  });

  it('is recognised after plain go: lines, which are kept', () => {
    const opts = { moduleRoot: path.join(fixtures, 'broken'), modulePath: 'example.com/broken' };
    const text = 'go: downloading example.com/x v1.0.0\n' + captured('broken-m2.json');
    const r = parseEscapeOutputDetailed(text, opts);
    expect(r.format).toBe('json');
    expect(r.packages.find((p) => p.importPath === 'example.com/broken/bad')?.failed).toBe(true);
    expect(r.findings.filter((f) => f.kind === 'other').map((f) => f.message)).toEqual(['go: downloading example.com/x v1.0.0']);
    // A go command error outside any package is an error, not a finding.
    const e = parseEscapeOutputDetailed('go: updates to go.mod needed\n' + captured('broken-m2.json'), opts);
    expect(e.packages.find((p) => p.importPath === null)).toMatchObject({ failed: true, errors: ['go: updates to go.mod needed'] });
    expect(e.findings.some((f) => f.kind === 'other')).toBe(false);
  });

  it('separates test variants and drops the bracket from the package', () => {
    const r = parseEscapeOutputDetailed(captured('sub-test-m2.json'), labOpts);
    expect(r.packages.map((p) => p.id)).toEqual([
      'example.com/lab/sub [example.com/lab/sub.test]',
      'example.com/lab/sub_test [example.com/lab/sub.test]',
      'example.com/lab/sub.test',
    ]);
    const bench = one(r.findings, 'sub/sub_test.go', 7, 8, 'escapes');
    expect(bench.pkg).toBe('example.com/lab/sub');
    const ext = one(r.findings, 'sub/x_test.go', 10, 13, 'inlining-call');
    expect(ext.pkg).toBe('example.com/lab/sub_test');
    expect(ext.file).toBe(path.join(LAB, 'sub/x_test.go'));
    const main = r.findings.find((f) => f.rawFile === '_testmain.go');
    expect(main?.pkg).toBe('example.com/lab/sub.test');
    expect(main?.relFile).toBeNull();
  });
});

describe('compiler errors', () => {
  const opts: ParseOptions = { moduleRoot: path.join(fixtures, 'broken'), modulePath: 'example.com/broken' };
  for (const name of ['broken-m2.txt', 'broken-m2.json']) {
    it(`classifies a package that does not compile as failed (${name})`, () => {
      const r = parseEscapeOutputDetailed(captured(name), opts);
      const bad = r.packages.find((p) => p.importPath === 'example.com/broken/bad');
      expect(bad).toMatchObject({ failed: true });
      expect(bad?.errors).toEqual([
        'bad/bad.go:7:17: undefined: foo',
        'bad/bad.go:10:30: cannot use 1 (untyped int constant) as string value in return statement',
      ]);
      expect(r.packages.find((p) => p.importPath === 'example.com/broken/good')?.failed).toBe(false);
      expect(r.findings.every((f) => f.pkg === 'example.com/broken/good')).toBe(true);
      expect(one(r.findings, 'good/good.go', 7, 2, 'moved-to-heap').reasons).toEqual(['address-of', 'return']);
    });
  }
});

describe('-m=1, loopvar, -C, -L', () => {
  it('-m=1 has no explanations and no costs', () => {
    const fs = parseEscapeOutput(captured('lab-m1.txt'), labOpts);
    const t = one(fs, 'main.go', 15, 2, 'moved-to-heap');
    expect(t.flow).toEqual([]);
    expect(t.reasons).toEqual([]);
    expect(one(fs, 'main.go', 14, 6, 'can-inline').detail).toEqual({});
    expect(one(fs, 'main.go', 22, 11, 'leaking-param-to-result').detail).toEqual({ result: '~r0', level: 0 });
  });

  it('loop variable messages, including the inlined form', () => {
    const fs = parseEscapeOutput(captured('lab-loopvar-m1.txt'), labOpts);
    expect(one(fs, 'misc/misc.go', 7, 6, 'loopvar')).toMatchObject({ subject: 'i', detail: { placement: 'stack' } });
    const heap = at(fs, 'main.go', 119, 6, 'loopvar');
    expect(heap.map((f) => f.detail)).toEqual([{ placement: 'heap' }, { placement: 'heap', inlinedInto: './main.go:157' }]);
  });

  it('-C: positions without a column', () => {
    const fs = parseEscapeOutput(captured('misc-C-m1.txt'), labOpts);
    expect(fs.length).toBeGreaterThan(5);
    expect(fs.filter((f) => f.rawFile !== '<autogenerated>').every((f) => f.column === null)).toBe(true);
    expect(one(fs, 'misc/misc.go', 49, null, 'moved-to-heap').subject).toBe('x');
  });

  it('-L: //line positions with the real position in brackets', () => {
    const fs = parseEscapeOutput(captured('misc-L-m1.txt'), labOpts);
    const y = fs.find((f) => f.kind === 'moved-to-heap' && f.subject === 'y');
    expect(y).toMatchObject({ rawFile: 'gen.tmpl', line: 101, column: null });
    expect(String(y?.detail.orig)).toMatch(/misc\/misc\.go:58:2$/);
  });
});

describe('go1.19 output (reference §4.1 and §13)', () => {
  const block = [
    '# example.com/demo',
    './main.go:13:2: t escapes to heap:',
    './main.go:13:2:   flow: ~r0 = &t:',
    './main.go:13:2:     from &t (address-of) at ./main.go:14:9',
    './main.go:13:2:     from return &t (return) at ./main.go:14:2',
    './main.go:13:2: moved to heap: t',
    './main.go:27:19: parameter pp leaks to {heap} with derefs=1:',
    './main.go:27:19:   flow: {heap} = *pp:',
    './main.go:27:19:     from *pp (indirection) at ./main.go:27:38',
    './main.go:27:19:     from global = *pp (assign) at ./main.go:27:36',
    './main.go:27:19: leaking param content: pp',
    './main.go:41:13: x escapes to heap:',
    './main.go:41:13:   flow: {storage for ... argument} = &{storage for x}:',
    './main.go:41:13:     from x (spill) at ./main.go:41:13',
    './main.go:41:13:     from ... argument (slice-literal-element) at ./main.go:41:13',
    './main.go:41:13:   flow: fmt.a = &{storage for ... argument}:',
    './main.go:41:13:     from ... argument (spill) at ./main.go:41:13',
    './main.go:41:13:     from fmt.a := ... argument (assign-pair) at ./main.go:41:13',
    './main.go:41:13:   flow: {heap} = *fmt.a:',
    './main.go:41:13:     from fmt.Fprintln(io.Writer(os.Stdout), fmt.a...) (call parameter) at ./main.go:41:13',
    './main.go:41:13: ... argument does not escape',
    './main.go:41:13: x escapes to heap',
  ].join('\n');
  const m1 = [
    '# example.com/demo/sub',
    'sub/sub.go:5:6: can inline Make',
    'sub/sub.go:6:2: moved to heap: x',
    'sub/sub.go:7:9: &S{...} escapes to heap',
    '# example.com/demo',
    './main.go:21:11: leaking param: p to result ~r0 level=0',
    './main.go:25:12: leaking param: p',
    './main.go:27:19: leaking param content: pp',
    './main.go:30:11: make([]int, n) escapes to heap',
    './main.go:35:11: make([]int, 10) does not escape',
    './main.go:36:13: make([]byte, 100000) escapes to heap',
    './main.go:41:13: ... argument does not escape',
    './main.go:41:13: x escapes to heap',
    './main.go:46:9: func literal escapes to heap',
    './main.go:50:13: string(b) escapes to heap',
    './main.go:59:10: t.Sum escapes to heap',
    './main.go:97:32: new(int) escapes to heap',
    './main.go:103:6: can inline Map[go.shape.int_0]',
    './main.go:104:13: make([]go.shape.int_0, 0, len(xs)) escapes to heap',
    './main.go:120:17: ([]byte)("x") does not escape',
    './main.go:123:18: &T{} does not escape',
    './main.go:123:18: &T{} does not escape',
    './r.go:93:13: ... argument escapes to heap',
    './r.go:98:47: a + b escapes to heap',
    './r.go:100:48: ([]rune)(s) escapes to heap',
    './r.go:103:10: new([131072]byte) escapes to heap',
    './r.go:116:30: v escapes to heap',
    './r.go:118:42: devirtualizing v2.M to V',
    './r.go:83:29: selfAssign ignoring self-assignment in t.s = t.s[1:]',
    '<autogenerated>:1: inlining call to V.M',
    './main.go:71:6: cannot inline recursive: recursive',
    './main.go:79:6: cannot inline noinl: marked go:noinline',
    './main.go:81:6: cannot inline complexFn: function too complex: cost 114 exceeds budget 80',
    './main.go:111:6: cannot inline main: unhandled op DEFER',
    './main.go:45:2: closure capturing by ref: x (addr=false assign=true width=8)',
    './main.go:17:26:   flow: ~r0 = &{storage for &T{...}}:',
    './main.go:17:26:     from &T{...} (spill) at ./main.go:17:26',
    './main.go:30:11:     from make([]int, n) (non-constant size) at ./main.go:30:11',
    './main.go:36:13:     from make([]byte, 100000) (too large for stack) at ./main.go:36:13',
  ].join('\n');

  it('parses `=` flows and headers without a function name', () => {
    const fs = parseEscapeOutput(block, { moduleRoot: '/src/demo', modulePath: 'example.com/demo', exists: () => false });
    const t = fs.find((f) => f.kind === 'moved-to-heap')!;
    expect(t).toMatchObject({ subject: 't', line: 13, column: 2, reasons: ['address-of', 'return'], relFile: 'main.go' });
    expect(t.detail.func).toBeUndefined();
    expect(t.flow[0]).toMatchObject({ dst: '~r0', src: '&t' });
    const pp = fs.find((f) => f.kind === 'leaking-param-content')!;
    expect(pp.reasons).toEqual(['indirection', 'assign']);
    const x = fs.find((f) => f.kind === 'escapes' && f.subject === 'x')!;
    expect(x.flow.map((s) => s.dst)).toEqual(['{storage for ... argument}', 'fmt.a', '{heap}']);
    expect(x.flow[2].notes[0].expr).toBe('fmt.Fprintln(io.Writer(os.Stdout), fmt.a...)');
    expect(fs.filter((f) => f.detail.explanationOnly)).toEqual([]);
  });

  it('classifies every §13 line and keeps duplicates and orphan explanation lines', () => {
    const fs = parseEscapeOutput(m1, {});
    const kinds = (relLine: string): string[] =>
      fs.filter((f) => `${f.relFile}:${f.line}:${f.column}` === relLine).map((f) => `${f.kind} ${f.subject}`);
    expect(kinds('sub/sub.go:6:2')).toEqual(['moved-to-heap x']);
    expect(kinds('main.go:21:11')).toEqual(['leaking-param-to-result p']);
    expect(kinds('main.go:103:6')).toEqual(['can-inline Map[go.shape.int_0]']);
    expect(kinds('main.go:120:17')).toEqual(['does-not-escape ([]byte)("x")']);
    expect(fs.find((f) => f.line === 123)?.count).toBe(2);
    expect(kinds('r.go:118:42')).toEqual(['devirtualizing v2.M']);
    expect(kinds('r.go:83:29')).toEqual(['self-assignment t.s = t.s[1:]']);
    expect(kinds('main.go:71:6')).toEqual(['cannot-inline recursive']);
    expect(fs.find((f) => f.line === 81)?.detail).toMatchObject({ cost: 114, budget: 80 });
    expect(kinds('main.go:45:2')).toEqual(['capturing x']);
    // Without a header these lines explain nothing we can name; they are kept, not dropped.
    expect(fs.filter((f) => f.kind === 'other').map((f) => f.line)).toEqual([17, 17, 30, 36]);
    // No module given: relFile is the printed relative name, cleaned.
    expect(fs[0].relFile).toBe('sub/sub.go');
    expect(fs[0].file).toBeNull();
  });
});

describe('line grammar edge cases', () => {
  it('Windows paths keep their drive letter, also inside `at` positions', () => {
    const text = [
      '# example.com/lab',
      'C:\\work\\lab\\main.go:15:2: t escapes to heap in newT:',
      'C:\\work\\lab\\main.go:15:2:   flow: ~r0 ← &t:',
      'C:\\work\\lab\\main.go:15:2:     from &t (address-of) at C:\\work\\lab\\main.go:16:9',
      'C:\\work\\lab\\main.go:15:2:     from return &t (return) at C:\\work\\lab\\main.go:16:2',
      'C:\\work\\lab\\main.go:15:2: moved to heap: t',
      'C:\\work\\lab\\main.go:33: can inline small',
    ].join('\r\n');
    const fs = parseEscapeOutput(text, {});
    expect(fs).toHaveLength(2);
    expect(fs[0]).toMatchObject({ rawFile: 'C:\\work\\lab\\main.go', file: 'C:\\work\\lab\\main.go', line: 15, column: 2, reasons: ['address-of', 'return'] });
    expect(fs[0].flow[0].notes[0]).toMatchObject({ file: 'C:\\work\\lab\\main.go', line: 16, column: 9 });
    expect(fs[1]).toMatchObject({ kind: 'can-inline', line: 33, column: null });
  });

  it('matches a block to its summary by position and subject, not adjacency', () => {
    // Real go1.26 lines, reordered: summaries first, blocks later and interleaved.
    const text = [
      '# example.com/lab',
      './main.go:29:11: make([]int, n) escapes to heap',
      './main.go:15:2: moved to heap: t',
      './main.go:34:11: make([]int, 10) does not escape',
      './main.go:15:2: t escapes to heap in newT:',
      './main.go:15:2:   flow: ~r0 ← &t:',
      './main.go:15:2:     from &t (address-of) at ./main.go:16:9',
      './main.go:15:2:     from return &t (return) at ./main.go:16:2',
      './main.go:22:6: can inline keep with cost 2 as: func(*T) *T { return p }',
      './main.go:29:11: make([]int, n) escapes to heap in mk:',
      './main.go:29:11:   flow: s ← &{storage for make([]int, n)}:',
      './main.go:29:11:     from make([]int, n) (spill) at ./main.go:29:11',
      './main.go:29:11:     from s := make([]int, n) (assign) at ./main.go:29:4',
      './main.go:29:11:   flow: ~r0 ← s:',
      './main.go:29:11:     from return s (return) at ./main.go:30:2',
    ].join('\n');
    const fs = parseEscapeOutput(text, labOpts);
    expect(fs.map((f) => `${f.kind} ${f.subject} ${f.reasons.join(',')}`)).toEqual([
      'escapes make([]int, n) spill,assign,return',
      'moved-to-heap t address-of,return',
      'does-not-escape make([]int, 10) ',
      'can-inline keep ',
    ]);
  });

  it('two parameter blocks for one parameter go to the matching summaries', () => {
    const text = [
      './p.go:5:10: parameter p leaks to ~r0 for f with derefs=0:',
      './p.go:5:10:   flow: ~r0 ← p:',
      './p.go:5:10:     from return p (return) at ./p.go:7:2',
      './p.go:5:10: parameter p leaks to {heap} for f with derefs=0:',
      './p.go:5:10:   flow: {heap} ← p:',
      './p.go:5:10:     from g = p (assign) at ./p.go:6:4',
      './p.go:5:10: leaking param: p',
      './p.go:5:10: leaking param: p to result ~r0 level=0',
    ].join('\n');
    const fs = parseEscapeOutput(text, {});
    expect(fs.map((f) => [f.kind, f.reasons])).toEqual([
      ['leaking-param', ['assign']],
      ['leaking-param-to-result', ['return']],
    ]);
  });

  it('keeps unknown lines as other, and handles <unknown line number> and truncated explanations', () => {
    const text = [
      '# p',
      './a.go:3:4: can inline f',
      './a.go:9:1: a message from a future compiler',
      '<unknown line number>: moved to heap: z',
      './a.go:5:2: y escapes to heap in f:',
      './a.go:5:2:   flow: {heap} ← &y:',
      './a.go:5:2:   warning: truncated explanation due to assignment cycle; see golang.org/issue/35518',
      './a.go:5:2: moved to heap: y',
    ].join('\n');
    const fs = parseEscapeOutput(text, {});
    expect(fs.map((f) => f.kind)).toEqual(['can-inline', 'other', 'moved-to-heap', 'moved-to-heap']);
    expect(fs[1]).toMatchObject({ subject: 'a message from a future compiler', line: 9, column: 1 });
    expect(fs[2]).toMatchObject({ rawFile: '<unknown line number>', line: 0, file: null });
    expect(fs[3].detail.truncated).toBe(true);
  });

  it('resolves files against the package directory, so stale cache replays still land', () => {
    // A replay recorded from inside the package directory prints `./store.go`
    // even when today's build runs at the module root.
    const mod = path.join(fixtures, 'mod');
    const text = '# example.com/escmod/store\n./store.go:11:2: moved to heap: r\n';
    const fs = parseEscapeOutput(text, {
      moduleRoot: mod,
      cwd: mod,
      pkgDirs: new Map([['example.com/escmod/store', path.join(mod, 'store')]]),
    });
    expect(fs[0]).toMatchObject({ file: path.join(mod, 'store', 'store.go'), relFile: 'store/store.go' });
  });
});

describe('small parsers', () => {
  it('parseNote takes the reason and position from the right', () => {
    expect(parseNote('from f(g(x), (y)) (call parameter) at ./a.go:3:4')).toEqual({
      expr: 'f(g(x), (y))',
      reason: 'call parameter',
      pos: { rawFile: './a.go', line: 3, column: 4, orig: null },
    });
    expect(parseNote('from x (spill)')).toEqual({ expr: 'x', reason: 'spill', pos: null });
  });
  it('parseFlow splits outside {storage for …}', () => {
    expect(parseFlow('flow: {storage for a ← b} ← &{storage for x}:')).toEqual({ dst: '{storage for a ← b}', src: '&{storage for x}' });
    expect(parseFlow('flow: x = *{temp}:')).toEqual({ dst: 'x', src: '*{temp}' });
  });
  it('parseHeader reads both generations', () => {
    expect(parseHeader('&S{...} escapes to heap in Make:')).toMatchObject({ type: 'expr', subject: '&S{...}', func: 'Make' });
    expect(parseHeader('t escapes to heap:')).toMatchObject({ type: 'expr', subject: 't', func: null });
    expect(parseHeader('parameter .this leaks to {heap} with derefs=0:')).toMatchObject({ subject: '.this', leaksTo: '{heap}', derefs: 0, func: null });
    expect(parseHeader('x escapes to heap')).toBeNull();
  });
});
