// The advice engine on hand-built rankings over a real module
// (test/fixtures/advise/shop): its `go build -gcflags=-m=2` output is
// escape-m2.txt beside it, read by the escape stage's own parser, and its
// source is read with the Go parser, as the CLI does.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ranking, site } from '../../test/fixtures/advise/testkit.js';
import { readEscapeLogs } from '../escape/log.js';
import type { EscapeResult } from '../escape/model.js';
import type { Site } from '../rank/model.js';
import { loadGoParser, type GoParser } from '../syntax/index.js';
import { buildReport, type AdviseInput } from './index.js';
import type { Finding, Report, RuleId } from '../model/report.js';

const SHOP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/advise/shop');
const FILES = ['shop.go', 'api.go', 'zz_generated.go'];
const sources: Record<string, string[]> = Object.fromEntries(FILES.map((f) => [f, readFileSync(path.join(SHOP, f), 'utf8').split('\n')]));
/** 1-based line of a `// @marker` comment in the fixture. */
function at(marker: string, file = 'shop.go'): number {
  const i = sources[file].findIndex((l) => l.includes(`// @${marker}`));
  if (i < 0) throw new Error(`marker ${marker} not in ${file}`);
  return i + 1;
}
/** 1-based line of the `func` that declares `name` (for Function.start_line). */
function funcLine(decl: string, file = 'shop.go'): number {
  const i = sources[file].findIndex((l) => l.startsWith(decl));
  if (i < 0) throw new Error(`${decl} not in ${file}`);
  return i + 1;
}
const BUILD = '/build/shop/';
const fn = (name: string) => `example.com/shop.${name}`;

const ESCAPE: EscapeResult = readEscapeLogs([{ name: 'escape-m2.txt', text: readFileSync(path.join(SHOP, 'escape-m2.txt'), 'utf8') }], { srcDir: SHOP });

let parser: GoParser;
beforeAll(async () => {
  parser = await loadGoParser();
});

function input(sites: Site[], over: Partial<AdviseInput> = {}, rankOpts: Parameters<typeof ranking>[1] = {}): AdviseInput {
  return {
    sources: ['allocs.pb.gz'],
    ranking: ranking(sites, rankOpts),
    profileMeta: { durationNanos: 0, timeNanos: 1_700_000_000_000_000_000 },
    escape: ESCAPE,
    mapPath: (f) => (f.startsWith(BUILD) ? f.slice(BUILD.length) : null),
    readSource: (rel) => sources[rel] ?? null,
    parseSource: (rel) => (sources[rel] ? parser.parse(sources[rel].join('\n')) : null),
    modulePath: 'example.com/shop',
    goVersion: { major: 1, minor: 26 },
    options: { hotCover: 0.8, minShare: 0.01, top: 20 },
    toolVersion: '0.1.0-test',
    ...over,
  };
}

function s(name: string, marker: string, flat: number, flatCompanion: number, extra: Partial<Site> = {}): Site {
  return site({ function: fn(name), file: BUILD + 'shop.go', line: at(marker), flat, flatCompanion, ...extra });
}

/** One site per pattern, each clearly hot, with the rule a Go engineer would sign and why. */
const PATTERN_SITES: { rule: RuleId; site: Site; why: string }[] = [
  { rule: 'returned-buffer', site: s('parseBody', 'make', 900_000, 900), why: 'buf is returned: a constant size cannot keep it on the stack' },
  { rule: 'fmt-boxing', site: s('key', 'sprintf', 800_000, 40_000, { allocatedBy: [{ function: 'fmt.Sprintf', via: null, value: 500_000, companion: 20_000, share: 0.625 }] }), why: 'fmt.Sprintf boxes name and id' },
  { rule: 'slice-growth', site: s('collect', 'append', 700_000, 1_000), why: 'append in a loop from a nil slice' },
  { rule: 'return-pointer', site: s('newPoint', 'decl-p', 600_000, 37_500), why: 'p is moved to heap only because &p is returned' },
  { rule: 'closure-capture', site: s('worker', 'decl-total', 500_000, 62_500), why: 'total is captured by reference by the goroutine' },
  { rule: 'closure-capture', site: s('worker', 'go-func', 480_000, 20_000), why: 'a closure per goroutine' },
  { rule: 'string-concat', site: s('join', 'concat', 450_000, 9_000), why: 's += in a loop' },
  { rule: 'bytes-string-conversion', site: s('lookup', 'conv', 400_000, 6_000), why: 'string(b) only to index a map' },
  { rule: 'map-growth', site: s('count', 'map', 380_000, 500), why: 'm[w]++ on a map made without a size hint' },
  { rule: 'interface-boxing', site: s('record', 'box', 350_000, 20_000), why: 'v boxed into []any' },
  { rule: 'method-value', site: s('(*sorter).hook', 'method-value', 330_000, 20_000), why: 's.less stored as a func value' },
  { rule: 'too-large-for-stack', site: s('big', 'big', 16 << 20, 1), why: 'a 16 MiB array' },
  { rule: 'leaking-param', site: s('caller', 'leak-arg', 300_000, 18_000), why: 'remember keeps its parameter' },
  { rule: 'variadic-boxing', site: s('logIt', 'slog', 280_000, 30_000), why: 'id and n boxed into slog\'s ...any, enabled or not' },
];

function byFunctionLine(r: { findings: Finding[] }, function_: string, line: number): Finding {
  const f = r.findings.find((x) => x.site.function === function_ && x.site.line === line);
  if (!f) throw new Error(`no finding for ${function_}:${line}`);
  return f;
}

describe('buildReport: rule per pattern', () => {
  let report: Report;
  beforeAll(() => {
    report = buildReport(input(PATTERN_SITES.map((p) => p.site), { options: { hotCover: 1, minShare: 0.001, top: 0 } }));
  });

  it.each(PATTERN_SITES.map((p) => [p.rule, p.site.function.split('.').pop()!, p.site, p.why] as const))('%s at %s (%s)', (rule, _name, s) => {
    const f = byFunctionLine(report, s.function, s.line);
    expect(f.rule).toBe(rule);
    expect(f.site.file).toBe('shop.go');
    expect(f.source.status).toBe('matches');
    expect(f.snippet?.lines[f.snippet.focusLine - f.snippet.startLine]).toBe(sources['shop.go'][s.line - 1]);
  });

  it('records how each join was made', () => {
    expect(byFunctionLine(report, fn('parseBody'), at('make')).match).toBe('expression');
    // The fmt line: the boxed operands explain it, each inside the call's arguments.
    const key = byFunctionLine(report, fn('key'), at('sprintf'));
    expect(key.escapes.map((e) => e.subject).sort()).toEqual(['... argument', 'id', 'name']);
    // Map growth happens at m[w]++, where the compiler says nothing.
    expect(byFunctionLine(report, fn('count'), at('map')).match).toBe('none');
  });

  it('names the expression, the function, the cause and the fix in the advice', () => {
    expect(byFunctionLine(report, fn('parseBody'), at('make')).advice).toMatch(/`make\(\[\]byte, n\)` in shop\.parseBody escapes because it is returned .*caller pass the destination/);
    expect(byFunctionLine(report, fn('newPoint'), at('decl-p')).advice).toMatch(/`p` in shop\.newPoint .*return the small struct by value/);
    expect(byFunctionLine(report, fn('worker'), at('decl-total')).advice).toMatch(/`total` in shop\.worker is assigned after an escaping closure captures it/);
    expect(byFunctionLine(report, fn('worker'), at('go-func')).advice).toMatch(/started with `go` .*a closure per goroutine is inherent/);
    expect(byFunctionLine(report, fn('collect'), at('append')).advice).toMatch(/`append\(out, r\)` in shop\.collect/);
    expect(byFunctionLine(report, fn('(*sorter).hook'), at('method-value')).advice).toMatch(/Method value `s\.less`/);
    expect(byFunctionLine(report, fn('caller'), at('leak-arg')).advice).toMatch(/passed to `remember`, which keeps its parameter/);
    // The call as written, not the one the compiler sees after inlining ((*slog.Logger).log).
    expect(byFunctionLine(report, fn('logIt'), at('slog')).advice).toMatch(/^`id` in shop\.logIt is boxed into the \.\.\.any parameter of `l\.Info`/);
  });

  it('flags the 16 MiB single allocation as one-off: warm, not hot churn', () => {
    const f = byFunctionLine(report, fn('big'), at('big'));
    expect(f.oneOff).toBe(true);
    expect(f.tier).toBe('warm');
    expect(f.advice).toMatch(/single large allocation, not churn/);
    expect(f.estimate.bytesPerSecond).toBeNull();
  });
});

describe('buildReport: the part a rule is charged with', () => {
  const marshal = s('encode', 'marshal', 1_000_000, 10_000, {
    allocatedBy: [{ function: 'encoding/json.(*encodeState).marshal', via: 'encoding/json.Marshal', value: 960_000, companion: 9_000, share: 0.96 }],
  });
  it('makes a line whose bytes are mostly a library call a costly-call finding, with the same-line escape as a note', () => {
    const r = buildReport(input([marshal]));
    const f = r.findings[0];
    expect(f.rule).toBe('costly-call');
    expect(f.self).toMatchObject({ value: 40_000, companion: 1_000 });
    expect(f.calls).toEqual([{ function: 'encoding/json.Marshal', value: 960_000, companion: 9_000, share: 0.96, companionShare: 0.9, generated: false }]);
    // The headline names the callee and its own share, never the 4% escape's.
    expect(f.advice).toMatch(/^`json\.Marshal`, called here in shop\.encode, allocates 96% of alloc_space \(90% of alloc_objects\); the fix is at this call: .*json\.Encoder/);
    expect(f.notes).toHaveLength(1);
    expect(f.notes[0]).toMatchObject({ rule: 'interface-boxing', value: 40_000 });
    expect(f.notes[0].text).toMatch(/`e` in shop\.encode is boxed into an interface for `json\.Marshal`.*4\.0% of alloc_space/);
    // No estimate is claimed for a change at the call, and the verdict does not say "Fix them" with nothing to add up.
    expect(f.estimate.bytes).toBeNull();
    expect(r.summary).toMatchObject({ hot: { count: 1 }, fixable: { count: 0, estimateBytes: null }, calls: { count: 1, share: 1 } });
  });

  it('charges the statement rule with its own part only when the call is the smaller part', () => {
    const mostlySelf = { ...marshal, allocatedBy: [{ ...marshal.allocatedBy[0], value: 100_000, companion: 500, share: 0.1 }] };
    const f = buildReport(input([mostlySelf])).findings[0];
    expect(f.rule).toBe('interface-boxing');
    expect(f.advice).toMatch(/costing 90% of alloc_space \(95% of alloc_objects\)/);
    expect(f.estimate).toMatchObject({ bytes: 900_000, objects: 9_500 });
    expect(f.estimate.note).toMatch(/only the 90% of the line this rule explains/);
    expect(f.notes[0]).toMatchObject({ rule: 'costly-call', value: 100_000 });
  });

  it('names a pass-nil destination as the remedy for the call that allocates the result', () => {
    // Same mechanism as `zstd.(*Decoder).DecodeAll(data, nil)`: read from the statement, not a table.
    const line = ['package shop', 'func d(z dec, data []byte) []byte {', '\tout, _ := z.DecodeAll(data, nil)', '\treturn out', '}'];
    const r = buildReport(
      input([site({ function: fn('d'), file: BUILD + 'd.go', line: 3, flat: 100, flatCompanion: 1, allocatedBy: [{ function: 'example.com/zstd.(*Decoder).DecodeAll', via: null, value: 100, companion: 1, share: 1 }] })], {
        readSource: (rel) => (rel === 'd.go' ? line : null),
        parseSource: (rel) => (rel === 'd.go' ? parser.parse(line.join('\n')) : null),
      }),
    );
    expect(r.findings[0].advice).toMatch(/`DecodeAll` is passed `nil` where it can append to a destination/);
  });
});

describe('buildReport: joins by column', () => {
  it('joins an inlined allocation at its physical call site', () => {
    const inl = s('newPoint', 'decl-p', 1000, 10, { callSite: { function: fn('handler'), file: BUILD + 'api.go', line: at('inlined-call', 'api.go') } });
    const f = buildReport(input([inl])).findings[0];
    expect(f.match).toBe('call-site');
    expect(f.escapes[0]).toMatchObject({ line: at('inlined-call', 'api.go'), kind: 'moved-to-heap', subject: 'p' });
    expect(f.site.callSite).toEqual({ function: fn('handler'), file: 'api.go', line: at('inlined-call', 'api.go') });
  });

  it("does not take a closure's leaking parameter on the same line as evidence for the site", () => {
    const f = buildReport(input([s('register', 'append-closure', 1000, 10)])).findings[0];
    expect(f.escapes.map((e) => e.kind)).not.toContain('leaking-param');
    expect(f.escapes.map((e) => e.subject).sort()).toEqual(['append', 'func literal']);
    // The per-call allocation (the closure, stored in handlers) explains the line, not the amortized append.
    expect(f.rule).toBe('stored-closure');
  });

  it('gives two allocations on one line their own messages', () => {
    const f = buildReport(input([s('pair', 'two', 1000, 10)])).findings[0];
    expect(f.escapes.map((e) => e.subject).sort()).toEqual(['&Point{...}', 'make([]byte, n)']);
    for (const e of f.escapes) expect(e.reasons).toContain('return');
  });

  it('joins a variable moved to heap where it is declared when the statement takes its address', () => {
    const f = buildReport(input([s('newPoint', 'return-p', 1000, 10)])).findings[0];
    expect(f.match).toBe('variable');
    expect(f.escapes[0]).toMatchObject({ kind: 'moved-to-heap', subject: 'p', line: at('decl-p') });
  });
});

describe('buildReport: the source must be the profile\'s', () => {
  it('calls a site stale when the function starts elsewhere in the source, and draws no rule or snippet from it', () => {
    const stale = s('parseBody', 'make', 1000, 10, { functionStartLine: funcLine('func parseBody') - 3 });
    const r = buildReport(input([stale]));
    const f = r.findings[0];
    expect(f.source.status).toBe('stale');
    expect(f.source.reason).toMatch(/parseBody starts at line \d+ in the profile and at line \d+ in the source/);
    expect(f.snippet).toBeNull();
    expect(f.rule).toBeNull();
    expect(f.escapes).toEqual([]);
    expect(f.advice).toMatch(/does not match the profile .*go version -m/);
    expect(r.summary.stale).toBe(1);
    expect(r.warnings.join('\n')).toMatch(/1 hot site\(s\) do not match the source under --src/);
  });

  it('calls a site stale when its line is now a brace or a comment', () => {
    const brace = site({ function: fn('parseBody'), file: BUILD + 'shop.go', line: at('make') + 2, flat: 1000, flatCompanion: 10 });
    expect(buildReport(input([brace])).findings[0].source).toMatchObject({ status: 'stale', reason: expect.stringMatching(/is now `}`/) });
  });

  it('does not call a matching source stale: every pattern site, with its real start line', () => {
    const starts: Record<string, string> = { parseBody: 'func parseBody', newPoint: 'func newPoint', worker: 'func worker', collect: 'func collect' };
    const sites = Object.entries(starts).map(([name, decl]) => ({ ...PATTERN_SITES.find((p) => p.site.function === fn(name))!.site, functionStartLine: funcLine(decl) }));
    for (const f of buildReport(input(sites, { options: { hotCover: 1, minShare: 0, top: 0 } })).findings) expect(f.source).toMatchObject({ status: 'matches' });
  });
});

describe('buildReport: sites with nothing of the module to fix', () => {
  it('gives no-user-frame to a stack with no frame of the module, kept in the ranking but not among the sites to fix', () => {
    const lib = site({ function: 'encoding/json.init', file: '/usr/local/go/src/encoding/json/tables.go', line: 10, flat: 5000, flatCompanion: 50, userCode: false });
    const r = buildReport(input([lib, s('collect', 'append', 1000, 10)], { options: { hotCover: 1, minShare: 0.01, top: 0 } }));
    const f = r.findings.find((x) => x.site.function === 'encoding/json.init')!;
    expect(f.rule).toBe('no-user-frame');
    expect(f.advice).toMatch(/no frame of this module/);
    expect(r.summary.leave).toMatchObject({ count: 1 });
    expect(r.summary.fixable.count).toBe(1);
  });

  it('charges a generated callee to the editable caller, naming it as the call', () => {
    const gen = site({
      function: fn('clone'),
      file: BUILD + 'api.go',
      line: at('deepcopy-call', 'api.go'),
      flat: 1000,
      flatCompanion: 10,
      allocatedBy: [{ function: fn('(*Point).DeepCopy'), via: null, value: 1000, companion: 10, share: 1 }],
    });
    const f = buildReport(input([gen])).findings[0];
    expect(f.rule).toBe('costly-call');
    expect(f.calls[0]).toMatchObject({ function: fn('(*Point).DeepCopy'), generated: true });
    expect(f.advice).toMatch(/generated code/);
  });
});

describe('buildReport: tiers and order', () => {
  it('makes hot the union of the two covers, warm anything else above --min-share, and lists only cold escapes as cold', () => {
    // A growth site with 7.6% of the bytes is warm or hot, never "leave as is".
    const r = buildReport(
      input([s('parseBody', 'make', 600, 300), s('key', 'sprintf', 200, 200), s('collect', 'append', 76, 10), s('record', 'box', 46, 400), s('join', 'concat', 5, 5)], {
        options: { hotCover: 0.8, minShare: 0.01, top: 0 },
      }),
    );
    const tier = (name: string) => r.findings.find((f) => f.site.function === fn(name))!.tier;
    expect([tier('parseBody'), tier('key'), tier('record'), tier('collect'), tier('join')]).toEqual(['hot', 'hot', 'hot', 'warm', 'cold']);
    expect(r.summary.order).toMatch(/mean of each site's alloc_space and alloc_objects shares/);
    const coldLines = r.cold.items.map((c) => c.line);
    expect(coldLines).not.toContain(at('append'));
    expect(coldLines).toContain(at('concat'));
  });

  it('weighs objects as much as bytes in the order', () => {
    const r = buildReport(input([s('parseBody', 'make', 900, 1), s('key', 'sprintf', 100, 99)]));
    expect(r.findings.map((f) => f.site.function)).toEqual([fn('key'), fn('parseBody')]);
  });
});

describe('buildReport: estimates', () => {
  const growth = s('collect', 'append', 1_000_000, 1_000);
  it('applies the rule assumption and a per-second rate over a delta window', () => {
    const r = buildReport(input([growth], { profileMeta: { durationNanos: 30e9, timeNanos: 1 } }));
    expect(r.findings[0].estimate).toMatchObject({ bytes: 500_000, objects: 750 });
    expect(r.findings[0].estimate.bytesPerSecond).toBeCloseTo(500_000 / 30, 6);
    expect(r.findings[0].estimate.note).toMatch(/^estimate: .*half the bytes.*30 s window/);
  });

  it('gives no rate for a cumulative profile whose duration is only its write time', () => {
    const r = buildReport(input([growth], { profileMeta: { durationNanos: 4_000_000, timeNanos: 1 } }));
    expect(r.findings[0].estimate).toMatchObject({ bytes: 500_000, bytesPerSecond: null });
    expect(r.findings[0].estimate.note).toMatch(/no per-second rate/);
  });

  it('uses large-retained for hot sites of an inuse view, with an upper bound and no rate', () => {
    const t = s('loaded', 'table', 5_000_000, 20);
    const r = buildReport(input([t, growth], { profileMeta: { durationNanos: 30e9, timeNanos: 1 } }, { sampleType: 'inuse_space' }));
    const f = byFunctionLine(r, fn('loaded'), at('table'));
    expect(f.tier).toBe('hot');
    expect(f.rule).toBe('large-retained');
    expect(f.advice).toMatch(/holds .*% of inuse_space/);
    expect(f.estimate).toMatchObject({ bytes: 5_000_000, bytesPerSecond: null });
  });
});

describe('buildReport: report envelope', () => {
  it('fills the header, settings and summary, schema 2', () => {
    const r = buildReport(input([s('collect', 'append', 10, 1)], { scope: ['--focus=shop'] }));
    expect(r).toMatchObject({
      schemaVersion: 2,
      tool: { name: 'advisor', version: '0.1.0-test' },
      profile: { sources: ['allocs.pb.gz'], sampleType: 'alloc_space', unit: 'bytes', total: 10, companion: { sampleType: 'alloc_objects', unit: 'count', total: 1 }, durationNanos: null },
      escape: { source: 'log' },
      settings: { hotCover: 0.8, minShare: 0.01, top: 20 },
      summary: { hot: { count: 1, value: 10, share: 1 }, fixable: { count: 1, estimateBytes: 5 }, stale: 0 },
      diff: null,
      cpu: null,
      scope: ['--focus=shop'],
    });
    expect(r.findings[0]).toMatchObject({ tier: 'hot', hot: true, companion: 1, companionShare: 1 });
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
    const gone = site({ function: fn('collect'), file: BUILD + 'gone.go', line: 3, flat: 10 });
    expect(buildReport(input([gone])).warnings).toContain('source not readable: gone.go');
  });
});
