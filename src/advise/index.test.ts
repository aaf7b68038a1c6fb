// The advice engine on hand-built input. The Go source is a real module
// (test/fixtures/advise/shop; its `go build -gcflags=-m=2` output is
// escape-m2.txt beside it), and the findings below copy what Go 1.26 printed
// for it, reasons included.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeResult, finding, ranking, site } from '../../test/fixtures/advise/testkit.js';
import { readEscapeLogs } from '../escape/log.js';
import type { EscapeFinding } from '../escape/model.js';
import type { Site } from '../rank/model.js';
import { buildReport, type AdviseInput } from './index.js';
import type { Finding, RuleId } from '../model/report.js';

const SHOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/advise/shop');
const sources: Record<string, string[]> = {
  'shop.go': readFileSync(path.join(SHOP, 'shop.go'), 'utf8').split('\n'),
  'api.go': readFileSync(path.join(SHOP, 'api.go'), 'utf8').split('\n'),
};
/** 1-based line of a `// @marker` comment in the fixture. */
function at(marker: string, file = 'shop.go'): number {
  const i = sources[file].findIndex((l) => l.includes(`// @${marker}`));
  if (i < 0) throw new Error(`marker ${marker} not in ${file}`);
  return i + 1;
}
const BUILD = '/build/shop/';
const fn = (name: string) => `example.com/shop.${name}`;

// What the compiler said (-m=2, Go 1.26), as the escape stage would parse it.
const F = {
  declNewPoint: finding('shop.go', 12, 6, 'can-inline', 'newPoint'),
  declWorker: finding('shop.go', 34, 6, 'cannot-inline', 'worker'),
  declLess: finding('shop.go', 73, 6, 'can-inline', '(*sorter).less'),
  p: finding('shop.go', at('decl-p'), 2, 'moved-to-heap', 'p', {
    reasons: ['address-of', 'return'],
    flow: [{ dst: '~r0', src: '&p', notes: [] }],
  }),
  pInlined: finding('api.go', at('inlined-call', 'api.go'), 17, 'moved-to-heap', 'p', {
    reasons: ['address-of', 'assign-pair', 'assign'],
    flow: [
      { dst: '~r0', src: '&p', notes: [] },
      { dst: '{heap}', src: '~r0', notes: [] },
    ],
  }),
  make: finding('shop.go', at('make'), 13, 'escapes', 'make([]byte, n)', { reasons: ['spill', 'assign', 'return'] }),
  append: finding('shop.go', at('append'), 15, 'escapes', 'append', { reasons: ['spill', 'assign', 'return'] }),
  sprintfArgs: finding('shop.go', at('sprintf'), 20, 'does-not-escape', '... argument'),
  sprintfName: finding('shop.go', at('sprintf'), 30, 'escapes', 'name', {
    reasons: ['spill', 'slice-literal-element', 'spill', 'call parameter'],
    flow: [{ dst: '{heap}', src: '{storage for ... argument}', notes: [{ expr: 'fmt.Sprintf("%s:%d", ... argument...)', reason: 'call parameter', file: './shop.go', line: at('sprintf'), column: 20 }] }],
  }),
  sprintfId: finding('shop.go', at('sprintf'), 36, 'escapes', 'id', { reasons: ['spill', 'slice-literal-element', 'spill', 'call parameter'] }),
  leakName: finding('shop.go', 30, 10, 'leaking-param', 'name'),
  captureTotal: finding('shop.go', at('decl-total'), 2, 'capturing', 'total', {
    message: 'worker capturing by ref: total (addr=false assign=true width=8)',
  }),
  total: finding('shop.go', at('decl-total'), 2, 'moved-to-heap', 'total', { reasons: ['captured by a closure', 'reference'] }),
  funcLit: finding('shop.go', at('go-func'), 6, 'escapes', 'func literal', { reasons: ['spill'] }),
  concat: finding('shop.go', at('concat'), 10, 'escapes', 'p + "/"', { reasons: ['spill', 'assign'] }),
  conv: finding('shop.go', at('conv'), 14, 'does-not-escape', 'string(b)'),
  mapLit: finding('shop.go', at('map') - 2, 21, 'escapes', 'map[string]int{}', { reasons: ['spill', 'assign', 'return'] }),
  boxAppend: finding('shop.go', at('box'), 15, 'escapes', 'append', { reasons: ['spill', 'assign'] }),
  boxV: finding('shop.go', at('box'), 22, 'escapes', 'v', { reasons: ['spill', 'call parameter'] }),
  methodValue: finding('shop.go', at('method-value'), 12, 'escapes', 's.less', { reasons: ['spill', 'assign'] }),
  leakS: finding('shop.go', at('method-value') - 1, 7, 'leaking-param', 's'),
  big: finding('shop.go', at('big'), 6, 'moved-to-heap', 'b', { reasons: ['too large for stack'] }),
  leakB: finding('shop.go', at('remember'), 15, 'leaking-param', 'b', { reasons: ['assign'] }),
  leakArg: finding('shop.go', at('leak-arg'), 13, 'escapes', 'make([]byte, 16)', { reasons: ['spill', 'assign', 'call parameter'] }),
  table: finding('shop.go', at('table'), 15, 'escapes', 'make(map[string][]byte, 65536)', { reasons: ['spill', 'assign', 'return'] }),
  jobs: finding('shop.go', 34, 13, 'does-not-escape', 'jobs'),
};
const ALL_FINDINGS: EscapeFinding[] = Object.values(F);

function input(sites: Site[], over: Partial<AdviseInput> = {}, rankOpts: Parameters<typeof ranking>[1] = {}): AdviseInput {
  return {
    sources: ['allocs.pb.gz'],
    ranking: ranking(sites, rankOpts),
    profileMeta: { durationNanos: 0, timeNanos: 1_700_000_000_000_000_000 },
    escape: escapeResult(ALL_FINDINGS),
    mapPath: (f) => (f.startsWith(BUILD) ? f.slice(BUILD.length) : null),
    readSource: (rel) => sources[rel] ?? null,
    options: { hotCover: 0.8, minShare: 0.01, top: 20 },
    toolVersion: '0.1.0-test',
    ...over,
  };
}

/** One site per pattern, values chosen so each is clearly hot. */
const PATTERN_SITES: { rule: RuleId; site: Site }[] = [
  { rule: 'nonconstant-make', site: site({ function: fn('parseBody'), file: BUILD + 'shop.go', line: at('make'), flat: 900_000, flatCompanion: 900 }) },
  { rule: 'fmt-boxing', site: site({ function: fn('key'), file: BUILD + 'shop.go', line: at('sprintf'), flat: 800_000, flatCompanion: 40_000, allocatedBy: [{ function: 'fmt.Sprintf', via: null, value: 500_000, share: 0.625 }] }) },
  { rule: 'slice-growth', site: site({ function: fn('collect'), file: BUILD + 'shop.go', line: at('append'), flat: 700_000, flatCompanion: 1_000 }) },
  { rule: 'return-pointer', site: site({ function: fn('newPoint'), file: BUILD + 'shop.go', line: at('decl-p'), flat: 600_000, flatCompanion: 37_500 }) },
  { rule: 'closure-capture', site: site({ function: fn('worker'), file: BUILD + 'shop.go', line: at('decl-total'), flat: 500_000, flatCompanion: 62_500 }) },
  { rule: 'closure-capture', site: site({ function: fn('worker'), file: BUILD + 'shop.go', line: at('go-func'), flat: 480_000, flatCompanion: 20_000 }) },
  { rule: 'string-concat', site: site({ function: fn('join'), file: BUILD + 'shop.go', line: at('concat'), flat: 450_000, flatCompanion: 9_000 }) },
  { rule: 'bytes-string-conversion', site: site({ function: fn('lookup'), file: BUILD + 'shop.go', line: at('conv'), flat: 400_000, flatCompanion: 6_000 }) },
  { rule: 'map-growth', site: site({ function: fn('count'), file: BUILD + 'shop.go', line: at('map'), flat: 380_000, flatCompanion: 500 }) },
  { rule: 'interface-boxing', site: site({ function: fn('record'), file: BUILD + 'shop.go', line: at('box'), flat: 350_000, flatCompanion: 20_000 }) },
  { rule: 'method-value', site: site({ function: fn('(*sorter).hook'), file: BUILD + 'shop.go', line: at('method-value'), flat: 330_000, flatCompanion: 20_000 }) },
  { rule: 'too-large-for-stack', site: site({ function: fn('big'), file: BUILD + 'shop.go', line: at('big'), flat: 16 << 20, flatCompanion: 1 }) },
  { rule: 'leaking-param', site: site({ function: fn('caller'), file: BUILD + 'shop.go', line: at('leak-arg'), flat: 300_000, flatCompanion: 18_000 }) },
];

function byFunctionLine(r: { findings: Finding[] }, function_: string, line: number): Finding {
  const f = r.findings.find((x) => x.site.function === function_ && x.site.line === line);
  if (!f) throw new Error(`no finding for ${function_}:${line}`);
  return f;
}

describe('buildReport: rule per pattern', () => {
  const report = buildReport(input(PATTERN_SITES.map((p) => p.site), { options: { hotCover: 1, minShare: 0.001, top: 0 } }));

  it.each(PATTERN_SITES.map((p) => [p.rule, p.site.function.split('.').pop()!, p.site] as const))('%s at %s', (rule, _name, s) => {
    const f = byFunctionLine(report, s.function, s.line);
    expect(f.rule).toBe(rule);
    expect(f.site.file).toBe('shop.go');
    expect(f.snippet?.focusLine).toBe(s.line);
    expect(f.snippet?.lines[f.snippet.focusLine - f.snippet.startLine]).toBe(sources['shop.go'][s.line - 1]);
  });

  it('chooses the same rules from the escape stage\'s parse of the real -m=2 output', () => {
    const parsed = readEscapeLogs([{ name: 'escape-m2.txt', text: readFileSync(path.join(SHOP, 'escape-m2.txt'), 'utf8') }], { srcDir: SHOP });
    expect(parsed.findings.length).toBeGreaterThan(30);
    const r = buildReport(input(PATTERN_SITES.map((p) => p.site), { escape: parsed, options: { hotCover: 1, minShare: 0.001, top: 0 } }));
    for (const p of PATTERN_SITES) {
      const f = byFunctionLine(r, p.site.function, p.site.line);
      expect({ site: p.site.function, rule: f.rule, match: f.match }).toEqual({
        site: p.site.function,
        rule: p.rule,
        match: byFunctionLine(report, p.site.function, p.site.line).match,
      });
    }
  });

  it('records how each join was made', () => {
    expect(byFunctionLine(report, fn('parseBody'), at('make')).match).toBe('line');
    // The fmt line's first column is `... argument does not escape`; the boxed operand explains the allocation.
    const key = byFunctionLine(report, fn('key'), at('sprintf'));
    expect(key.match).toBe('same-line-other-column');
    expect(key.escapes[0].subject).toBe('name');
    expect(key.escapes.map((e) => e.subject).sort()).toEqual(['... argument', 'id', 'name']);
    // Map growth happens at m[w]++, where the compiler said nothing.
    expect(byFunctionLine(report, fn('count'), at('map')).match).toBe('none');
  });

  it('names the expression and the function in the advice', () => {
    expect(byFunctionLine(report, fn('parseBody'), at('make')).advice).toMatch(/`make\(\[\]byte, n\)` in shop\.parseBody .*% of alloc_space.*sync\.Pool/);
    expect(byFunctionLine(report, fn('newPoint'), at('decl-p')).advice).toMatch(/`p` in shop\.newPoint .*return the small struct by value/);
    expect(byFunctionLine(report, fn('worker'), at('decl-total')).advice).toMatch(/`total` in shop\.worker is captured/);
    expect(byFunctionLine(report, fn('collect'), at('append')).advice).toMatch(/`append\(out, r\)` in shop\.collect/);
    expect(byFunctionLine(report, fn('(*sorter).hook'), at('method-value')).advice).toMatch(/Method value `s\.less`/);
  });

  it('reads the statement shape', () => {
    expect(byFunctionLine(report, fn('count'), at('map')).statement).toBe('map-assign');
    expect(byFunctionLine(report, fn('join'), at('concat')).statement).toBe('string-concat-assign');
    expect(byFunctionLine(report, fn('key'), at('sprintf')).statement).toBe('fmt-call');
  });

  it('flags the 16 MiB single allocation as one-off, not hot churn', () => {
    const f = byFunctionLine(report, fn('big'), at('big'));
    expect(f.oneOff).toBe(true);
    expect(f.hot).toBe(false);
    expect(f.advice).toMatch(/single large allocation, not churn/);
    expect(f.estimate.bytesPerSecond).toBeNull();
  });
});

describe('buildReport: joins', () => {
  it('joins an inlined allocation at its physical call site first', () => {
    const s = site({
      function: fn('newPoint'),
      file: BUILD + 'shop.go',
      line: at('decl-p'),
      flat: 1000,
      flatCompanion: 10,
      callSite: { function: fn('handler'), file: BUILD + 'api.go', line: at('inlined-call', 'api.go') },
    });
    const r = buildReport(input([s]));
    const f = r.findings[0];
    expect(f.match).toBe('call-site-line');
    expect(f.escapes[0]).toMatchObject({ line: at('inlined-call', 'api.go'), kind: 'moved-to-heap', subject: 'p' });
    expect(f.rule).toBe('return-pointer');
    expect(f.site.callSite).toEqual({ function: fn('handler'), file: 'api.go', line: at('inlined-call', 'api.go') });
  });

  it('merges the inlined copies of one statement and joins at any of its call sites', () => {
    const line = at('decl-p');
    const a = site({ function: fn('newPoint'), file: BUILD + 'shop.go', line, flat: 300, flatCompanion: 3, callSite: { function: fn('other'), file: BUILD + 'api.go', line: 1 } });
    const b = site({ function: fn('newPoint'), file: BUILD + 'shop.go', line, flat: 200, flatCompanion: 2, callSite: { function: fn('handler'), file: BUILD + 'api.go', line: at('inlined-call', 'api.go') } });
    const other = site({ function: fn('collect'), file: BUILD + 'shop.go', line: at('append'), flat: 500, flatCompanion: 5 });
    const r = buildReport(input([a, b, other]));
    expect(r.findings).toHaveLength(2);
    const f = byFunctionLine(r, fn('newPoint'), line);
    expect(f.value).toBe(500);
    expect(f.objects).toBe(5);
    expect(f.share).toBeCloseTo(0.5, 10);
    expect(f.match).toBe('call-site-line');
    // The call site shown is the one the compiler's verdict came from.
    expect(f.site.callSite).toEqual({ function: fn('handler'), file: 'api.go', line: at('inlined-call', 'api.go') });
  });

  it('uses the profile function start line to bound the function-variable join', () => {
    // `return &p` has no finding of its own; p was moved to heap at its declaration.
    const s = site({ function: fn('newPoint'), file: BUILD + 'shop.go', line: at('return-p'), flat: 1000, functionStartLine: 12 });
    const escape = escapeResult([F.p]);
    const f = buildReport(input([s], { escape })).findings[0];
    expect(f).toMatchObject({ match: 'function-variable', rule: 'return-pointer', statement: 'return-address' });
    // With a start line after the declaration, the variable is out of range.
    const late = site({ ...s, functionStartLine: at('return-p') });
    expect(buildReport(input([late], { escape })).findings[0].match).toBe('none');
  });

  it('prefers the finding whose -json=0 inline position is the site\'s own line', () => {
    // Two inlined statements report identical text at one call-site position.
    const call = at('inlined-call', 'api.go');
    const from = (line: number) => [{ file: `/src/shop/shop.go`, relFile: 'shop.go', line, column: 9 }];
    const other = { ...finding('api.go', call, 17, 'escapes', '&Point{...}', { reasons: ['spill', 'return'] }), inlinedFrom: from(at('make')) };
    const mine = { ...finding('api.go', call, 17, 'escapes', '&Point{...}', { reasons: ['spill', 'assign'] }), inlinedFrom: from(at('decl-p')) };
    const s = site({ function: fn('newPoint'), file: BUILD + 'shop.go', line: at('decl-p'), flat: 1000, callSite: { function: fn('handler'), file: BUILD + 'api.go', line: call } });
    const f = buildReport(input([s], { escape: escapeResult([other, mine]) })).findings[0];
    expect(f.escapes).toHaveLength(1);
    expect(f.escapes[0].reasons).toEqual(['spill', 'assign']);
  });

  it('falls back to the site line when the call site has no finding', () => {
    const s = site({
      function: fn('newPoint'),
      file: BUILD + 'shop.go',
      line: at('decl-p'),
      flat: 1000,
      callSite: { function: fn('handler'), file: BUILD + 'api.go', line: 1 },
    });
    const f = buildReport(input([s])).findings[0];
    expect(f.match).toBe('line');
    expect(f.escapes[0].line).toBe(at('decl-p'));
  });

  it('joins a variable moved to heap at its declaration when the profile line is elsewhere in the function', () => {
    // The profile attributes the allocation to the line that uses `total`
    // inside the loop; the compiler reported it at the declaration.
    const useLine = at('go-func') + 1;
    const s = site({ function: fn('worker'), file: BUILD + 'shop.go', line: useLine, flat: 1000 });
    const escape = escapeResult([F.declWorker, F.total, F.captureTotal]);
    const f = buildReport(input([s], { escape })).findings[0];
    expect(f.match).toBe('function-variable');
    expect(f.escapes[0]).toMatchObject({ kind: 'moved-to-heap', subject: 'total', line: at('decl-total') });
    expect(f.rule).toBe('closure-capture');
  });

  it('does not join a variable the site line does not use', () => {
    const s = site({ function: fn('worker'), file: BUILD + 'shop.go', line: at('go-func') + 2, flat: 1000 });
    const escape = escapeResult([F.declWorker, finding('shop.go', at('decl-total'), 2, 'moved-to-heap', 'unused')]);
    expect(buildReport(input([s], { escape })).findings[0].match).toBe('none');
  });

  it('joins the same way whatever the profile path looks like, through mapPath', () => {
    const layouts = ['/home/ci/src/x/shop.go', 'example.com/shop/shop.go', 'C:\\build\\shop\\shop.go'];
    for (const file of layouts) {
      const s = site({ function: fn('parseBody'), file, line: at('make'), flat: 1000 });
      const r = buildReport(input([s], { mapPath: (f) => (f === file ? 'shop.go' : null) }));
      expect(r.findings[0]).toMatchObject({ match: 'line', rule: 'nonconstant-make', site: { file: 'shop.go', profileFile: file } });
    }
  });

  it('gives no-escape-info to a site outside --src and warns when no hot site maps', () => {
    const s = site({ function: fn('parseBody'), file: '/elsewhere/shop.go', line: at('make'), flat: 1000 });
    const r = buildReport(input([s]));
    expect(r.findings[0]).toMatchObject({ rule: 'no-escape-info', match: 'none', snippet: null, site: { file: null } });
    expect(r.warnings.join('\n')).toMatch(/maps into --src/);
  });

  it('gives no-escape-info to an allocation with no user frame', () => {
    const s = site({ function: 'runtime.malg', file: '$GOROOT/src/runtime/proc.go', line: 4000, flat: 1000, userCode: false });
    const f = buildReport(input([s])).findings[0];
    expect(f.rule).toBe('no-escape-info');
    expect(f.advice).toMatch(/outside --src/);
  });

  it('advises the call site for a library allocation with no compiler verdict', () => {
    const s = site({
      function: fn('handler'),
      file: BUILD + 'api.go',
      line: at('inlined-call', 'api.go') + 1,
      flat: 1000,
      allocatedBy: [{ function: 'encoding/json.(*encodeState).marshal', via: 'encoding/json.Marshal', value: 900, share: 0.9 }],
    });
    const f = buildReport(input([s], { escape: escapeResult([]) })).findings[0];
    expect(f.rule).toBe('no-escape-info');
    expect(f.advice).toMatch(/json\.Marshal called from shop\.handler/);
  });
});

describe('buildReport: hot, cold and priority', () => {
  // Two heavy sites, a tail, and compiler findings nobody allocates at.
  const heavy1 = site({ function: fn('parseBody'), file: BUILD + 'shop.go', line: at('make'), flat: 600, flatCompanion: 60 });
  const heavy2 = site({ function: fn('collect'), file: BUILD + 'shop.go', line: at('append'), flat: 300, flatCompanion: 30 });
  const tail = site({ function: fn('lookup'), file: BUILD + 'shop.go', line: at('conv'), flat: 95, flatCompanion: 10 });
  const dust = site({ function: fn('record'), file: BUILD + 'shop.go', line: at('box'), flat: 5, flatCompanion: 0 });
  const r = buildReport(input([tail, dust, heavy2, heavy1]));

  it('orders by score and marks the smallest prefix covering hotCover as hot', () => {
    expect(r.findings.map((f) => f.site.function)).toEqual([fn('parseBody'), fn('collect'), fn('lookup'), fn('record')]);
    expect(r.findings.map((f) => f.rank)).toEqual([1, 2, 3, 4]);
    expect(r.findings.map((f) => f.hot)).toEqual([true, true, false, false]);
    expect(r.findings[0].score).toBeCloseTo(0.5 * 0.6 + 0.5 * (60 / 100), 10);
  });

  it('lists every unclaimed allocation escape as cold, never a hot one', () => {
    const hotSubjects = new Set(['make([]byte, n)', 'append']);
    const coldKeys = r.cold.items.map((c) => `${c.line}:${c.subject}`);
    expect(coldKeys).not.toContain(`${at('make')}:make([]byte, n)`);
    expect(coldKeys).not.toContain(`${at('append')}:append`);
    // does-not-escape, capturing and inlining lines are not escapes.
    expect(r.cold.items.every((c) => c.kind === 'moved-to-heap' || c.kind === 'escapes' || c.kind === 'leaking-param')).toBe(true);
    const expected = ALL_FINDINGS.filter(
      (f) => ['moved-to-heap', 'escapes', 'leaking-param'].includes(f.kind) && !(hotSubjects.has(f.subject) && (f.line === at('make') || f.line === at('append'))),
    );
    expect(r.cold.escapes).toBe(expected.length);
    expect(r.cold.items).toHaveLength(expected.length);
    expect(r.cold.sites).toBe(2);
  });

  it('gives a cold escape the share the profile saw at its line', () => {
    const box = r.cold.items.filter((c) => c.line === at('box'));
    expect(box.map((c) => c.subject).sort()).toEqual(['append', 'v']);
    expect(box[0].share).toBeCloseTo(5 / 1000, 10);
    expect(r.cold.items[0].line).toBe(at('box'));
    expect(r.cold.share).toBeCloseTo(5 / 1000, 10);
    expect(r.cold.items.filter((c) => c.line !== at('box')).every((c) => c.share === 0)).toBe(true);
  });

  it('requires minShare of a hot site', () => {
    const rr = buildReport(input([tail, dust, heavy2, heavy1], { options: { hotCover: 1, minShare: 0.01, top: 20 } }));
    expect(rr.findings.map((f) => f.hot)).toEqual([true, true, true, false]);
  });

  it('limits the list with top but keeps counting the cold', () => {
    const rr = buildReport(input([tail, dust, heavy2, heavy1], { options: { hotCover: 0.8, minShare: 0.01, top: 1 } }));
    expect(rr.findings).toHaveLength(1);
    expect(rr.warnings.join('\n')).toMatch(/1 hot site\(s\) not listed because of --top 1/);
    expect(rr.cold.sites).toBe(2);
    // The unlisted hot site still claims its escape.
    expect(rr.cold.items.some((c) => c.line === at('append') && c.subject === 'append')).toBe(false);
  });

  it('weighs objects as much as bytes', () => {
    const bytesHeavy = site({ function: fn('parseBody'), file: BUILD + 'shop.go', line: at('make'), flat: 700, flatCompanion: 10 });
    const objectsHeavy = site({ function: fn('key'), file: BUILD + 'shop.go', line: at('sprintf'), flat: 300, flatCompanion: 90 });
    const rr = buildReport(input([bytesHeavy, objectsHeavy]));
    expect(rr.findings[0].site.function).toBe(fn('key'));
    expect(rr.findings[0].score).toBeCloseTo(0.5 * 0.3 + 0.5 * 0.9, 10);
  });

  it('scores by share alone without a companion type', () => {
    const rr = buildReport(input([heavy1, heavy2], {}, { companion: false }));
    expect(rr.findings[0].objectsShare).toBeNull();
    expect(rr.findings[0].score).toBeCloseTo(600 / 900, 10);
    expect(rr.profile.companion).toBeNull();
  });
});

describe('buildReport: estimates', () => {
  const s = site({ function: fn('collect'), file: BUILD + 'shop.go', line: at('append'), flat: 1_000_000, flatCompanion: 1_000 });
  const m = site({ function: fn('parseBody'), file: BUILD + 'shop.go', line: at('make'), flat: 3_000_000, flatCompanion: 3_000 });

  it('applies the rule assumption and a per-second rate over a delta window', () => {
    const r = buildReport(input([s, m], { profileMeta: { durationNanos: 30e9, timeNanos: 1 } }));
    const growth = byFunctionLine(r, fn('collect'), at('append'));
    expect(growth.estimate).toMatchObject({ bytes: 500_000, objects: 750 });
    expect(growth.estimate.bytesPerSecond).toBeCloseTo(500_000 / 30, 6);
    expect(growth.estimate.note).toMatch(/^estimate: .*half the bytes.*30 s window/);
    const make = byFunctionLine(r, fn('parseBody'), at('make'));
    expect(make.estimate).toMatchObject({ bytes: 3_000_000, objects: 3_000, objectsPerSecond: 100 });
    expect(r.profile.durationNanos).toBe(30e9);
  });

  it('gives no rate for a cumulative profile whose duration is only its write time', () => {
    const r = buildReport(input([s], { profileMeta: { durationNanos: 4_000_000, timeNanos: 1 } }));
    expect(r.findings[0].estimate.bytesPerSecond).toBeNull();
    expect(r.findings[0].estimate.bytes).toBe(500_000);
    expect(r.findings[0].estimate.note).toMatch(/no per-second rate/);
  });

  it('uses large-retained for hot sites of an inuse view, with an upper bound and no rate', () => {
    const t = site({ function: fn('loaded'), file: BUILD + 'shop.go', line: at('table'), flat: 5_000_000, flatCompanion: 20 });
    const r = buildReport(input([t, s], { profileMeta: { durationNanos: 30e9, timeNanos: 1 } }, { sampleType: 'inuse_space' }));
    const f = byFunctionLine(r, fn('loaded'), at('table'));
    expect(f.hot).toBe(true);
    expect(f.rule).toBe('large-retained');
    expect(f.advice).toMatch(/holds .*% of inuse_space/);
    expect(f.estimate).toMatchObject({ bytes: 5_000_000, bytesPerSecond: null });
    expect(r.profile.sampleType).toBe('inuse_space');
  });
});

describe('buildReport: report envelope', () => {
  it('fills the header from the ranking and escape result', () => {
    const r = buildReport(input([site({ function: fn('collect'), file: BUILD + 'shop.go', line: at('append'), flat: 10, flatCompanion: 1 })], { scope: ['--focus=shop'] }));
    expect(r).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'advisor', version: '0.1.0-test' },
      profile: { sources: ['allocs.pb.gz'], sampleType: 'alloc_space', unit: 'bytes', total: 10, companion: { sampleType: 'alloc_objects', unit: 'count', total: 1 }, durationNanos: null },
      escape: { source: 'compiler', goVersion: 'go1.26.8', packages: [{ importPath: 'example.com/shop', status: 'compiled' }] },
      settings: { hotCover: 0.8, minShare: 0.01, top: 20 },
      diff: null,
      cpu: null,
      scope: ['--focus=shop'],
    });
  });

  it('rejects out-of-range options as a usage error', () => {
    expect(() => buildReport(input([], { options: { hotCover: 0, minShare: 0.01, top: 5 } }))).toThrow(/--hot-cover/);
    expect(() => buildReport(input([], { options: { hotCover: 0.8, minShare: 0.01, top: -1 } }))).toThrow(/--top/);
  });

  it('handles an empty profile', () => {
    const r = buildReport(input([]));
    expect(r.findings).toEqual([]);
    expect(r.cold.sites).toBe(0);
    expect(r.cold.escapes).toBeGreaterThan(0);
  });

  it('warns when a mapped source file cannot be read', () => {
    const s = site({ function: fn('collect'), file: BUILD + 'gone.go', line: 3, flat: 10 });
    expect(buildReport(input([s])).warnings).toContain('source not readable: gone.go');
  });
});
