// The real pipeline on samples/service and samples/basic: decode the allocs
// profile, rank it, read the compiler's -m=2 output saved beside it, and
// advise. The samples put each hot pattern in its own function
// (samples/README.md lists them with their rule ids); this checks that each
// gets its rule, that they outrank the cold ones, that cold escapes stay
// cold, and that moving the profile's paths (built with -trimpath, or in
// another checkout) changes nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readEscapeLogs } from '../escape/log.js';
import { collectEscapes } from '../escape/run.js';
import type { EscapeResult } from '../escape/model.js';
import { findModule, moduleRelativePath } from '../escape/paths.js';
import { loadProfile } from '../profile/index.js';
import type { Profile } from '../profile/model.js';
import { rankProfile } from '../rank/index.js';
import { buildReport } from './index.js';
import { loadGoParser, type GoParser } from '../syntax/index.js';
import type { Finding, Report, RuleId } from '../model/report.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface SampleSpec {
  name: string;
  module: string;
  /** The hot patterns (samples/README.md), by function, with the rule each must get. */
  hot: { fn: string; rule: RuleId }[];
  /** Functions that escape but run rarely: their escapes must stay cold. */
  coldFuncs: string[];
  /** Patterns README marks hot that must be flagged hot at the default --hot-cover. */
  mustBeHot: string[];
  oneOff?: { fn: string; rule: RuleId };
}

const SAMPLES: SampleSpec[] = [
  {
    name: 'service',
    module: 'example.com/advisor/samples/service',
    hot: [
      // The body buffer is stored in s.uploads after readBody is inlined: a retention cause, not its size.
      { fn: 'api.readBody', rule: 'stored-value' },
      // 96% of the line is json.Marshal's own allocation; boxing resp is a 4% note.
      { fn: 'api.encodeResponse', rule: 'costly-call' },
      { fn: 'textutil.Breadcrumb', rule: 'string-concat' },
      // json.Unmarshal allocates all of the line; `o` moves to heap on the line above.
      { fn: 'api.decodeOrder', rule: 'costly-call' },
      { fn: 'api.(*Server).formatLines', rule: 'fmt-boxing' },
      { fn: 'api.countLabels', rule: 'map-growth' },
      { fn: 'api.collectItemIDs', rule: 'slice-growth' },
      { fn: 'api.newSpan', rule: 'return-pointer' },
      { fn: 'api.(*Server).recordItemEvents', rule: 'interface-boxing' },
      { fn: 'textutil.CanonicalKey', rule: 'bytes-string-conversion' },
      { fn: 'api.(*Server).scheduleRetries', rule: 'closure-capture' },
      { fn: 'api.(*Server).lookupSKUs', rule: 'method-value' },
      { fn: 'textutil.Checksum', rule: 'nonconstant-make' },
    ],
    coldFuncs: ['api.(*Server).reportStats', 'api.(*Server).rejectMalformed', 'cache.(*Cache).evictColdest', 'main.loadConfig'],
    // The README's top five by alloc_space (76% of it).
    mustBeHot: ['api.readBody', 'api.encodeResponse', 'textutil.Breadcrumb', 'api.decodeOrder', 'api.(*Server).formatLines'],
    oneOff: { fn: 'cache.New', rule: 'too-large-for-stack' },
  },
  {
    name: 'basic',
    module: 'example.com/advisor/samples/basic',
    hot: [
      { fn: 'main.newPointPtr', rule: 'return-pointer' },
      { fn: 'main.collectShapes', rule: 'interface-boxing' },
      // The closure is stored in callbacks: passing values as arguments cannot help a stored callback.
      { fn: 'main.registerCounter', rule: 'stored-closure' },
    ],
    coldFuncs: ['main.loadSettings'],
    mustBeHot: ['main.newPointPtr', 'main.collectShapes', 'main.registerCounter'],
  },
];

const short = (name: string) => name.slice(name.lastIndexOf('/') + 1);
/** Lines of a file inside `dir`, or null: the containment the CLI enforces for --src. */
function sourceReader(dir: string): (rel: string) => string[] | null {
  return (rel) => {
    const abs = path.resolve(dir, rel);
    if (!abs.startsWith(dir + path.sep)) return null;
    try {
      return readFileSync(abs, 'utf8').split('\n');
    } catch {
      return null;
    }
  };
}

let parser: GoParser;
beforeAll(async () => {
  parser = await loadGoParser();
});

function advise(dir: string, modulePath: string, profile: Profile, escape: EscapeResult): Report {
  const ranking = rankProfile(profile, { module: modulePath });
  const mod = findModule(dir);
  if (!mod) throw new Error(`${dir} has no go.mod`);
  return buildReport({
    sources: [path.join(dir, 'allocs.pb.gz')],
    ranking,
    profileMeta: { durationNanos: profile.durationNanos, timeNanos: profile.timeNanos },
    escape,
    mapPath: (file) => moduleRelativePath(file, { root: mod.root, path: modulePath }, (rel) => existsSync(path.join(dir, rel))),
    readSource: sourceReader(dir),
    parseSource: (rel) => {
      const lines = sourceReader(dir)(rel);
      return lines ? parser.parse(lines.join('\n')) : null;
    },
    modulePath,
    goVersion: { major: 1, minor: 26 },
    options: { hotCover: 0.8, minShare: 0.01, top: 0 },
    toolVersion: 'test',
  });
}

/** The profile with every Function.filename inside `dir` rewritten by `to`. */
function relocate(dir: string, profile: Profile, to: (rel: string) => string): Profile {
  // The committed profile names the directory it was built in, which need not
  // be this checkout's: cut at the sample's own folder.
  const marker = `/samples/${path.basename(dir)}/`;
  const functions = profile.functions.map((f) => {
    const at = f.filename.indexOf(marker);
    return at >= 0 ? { ...f, filename: to(f.filename.slice(at + marker.length)) } : f;
  });
  // Lines hold Func objects: rebuild them so they see the new file names.
  const locations = profile.locations.map((l) => ({ ...l, lines: l.lines.map((ln) => ({ ...ln, function: functions[ln.function.index] })) }));
  return { ...profile, functions, locations };
}

function topFinding(r: Report, fn: string): Finding | undefined {
  return r.findings.find((f) => short(f.site.function) === fn);
}

/** A layout-independent summary of a report's findings. */
function summary(r: Report) {
  return r.findings.map((f) => ({
    fn: short(f.site.function),
    file: f.site.file,
    line: f.site.line,
    callSite: f.site.callSite && { file: f.site.callSite.file, line: f.site.callSite.line },
    hot: f.hot,
    rule: f.rule,
    match: f.match,
    escapes: f.escapes.map((e) => `${e.line}:${e.column} ${e.subject}`),
  }));
}

for (const spec of SAMPLES) {
  const dir = path.join(ROOT, 'samples', spec.name);
  const present = existsSync(path.join(dir, 'allocs.pb.gz')) && existsSync(path.join(dir, 'escape-m2.txt'));

  describe.runIf(present)(`samples/${spec.name} through the whole pipeline`, () => {
    let profile: Profile;
    let escape: EscapeResult;
    let report: Report;

    beforeAll(async () => {
      profile = await loadProfile(path.join(dir, 'allocs.pb.gz'));
      escape = readEscapeLogs([{ name: 'escape-m2.txt', text: readFileSync(path.join(dir, 'escape-m2.txt'), 'utf8') }], { srcDir: dir });
      report = advise(dir, spec.module, profile, escape);
    });

    it.each(spec.hot.map((h) => [h.fn, h.rule] as const))('%s gets %s', (fn, rule) => {
      const f = topFinding(report, fn);
      expect(f, `no finding for ${fn}`).toBeDefined();
      expect(f!.rule).toBe(rule);
      expect(f!.site.file).not.toBeNull();
      expect(f!.snippet).not.toBeNull();
      expect(f!.advice).toContain(fn);
      expect(f!.oneOff).toBe(false);
    });

    it('puts every hot pattern above every cold function', () => {
      const hotRanks = spec.hot.map((h) => topFinding(report, h.fn)!.rank);
      const coldRanks = report.findings.filter((f) => spec.coldFuncs.includes(short(f.site.function))).map((f) => f.rank);
      expect(Math.max(...hotRanks)).toBeLessThan(Math.min(Infinity, ...coldRanks));
    });

    it('flags the biggest patterns hot, and nothing outside the hot patterns', () => {
      for (const fn of spec.mustBeHot) expect(topFinding(report, fn)!.hot, fn).toBe(true);
      const hotFns = spec.hot.map((h) => h.fn);
      for (const f of report.findings.filter((x) => x.hot)) expect(hotFns).toContain(short(f.site.function));
    });

    it('lists the cold functions\' escapes as cold, and none at a hot line', () => {
      const hotLines = new Set<string>();
      for (const f of report.findings.filter((x) => x.hot)) {
        hotLines.add(`${f.site.file}:${f.site.line}`);
        if (f.site.callSite) hotLines.add(`${f.site.callSite.file}:${f.site.callSite.line}`);
      }
      expect(report.cold.escapes).toBe(report.cold.items.length);
      for (const c of report.cold.items) expect(hotLines.has(`${c.file}:${c.line}`), `${c.file}:${c.line} ${c.subject}`).toBe(false);
      // Every allocation escape the compiler reports inside a cold function is in the cold list.
      const coldDecls = escape.findings.filter(
        (f) => (f.kind === 'can-inline' || f.kind === 'cannot-inline') && spec.coldFuncs.some((fn) => fn.endsWith('.' + f.subject)),
      );
      expect(coldDecls.length).toBeGreaterThan(0);
      const inCold = escape.findings.filter(
        (f) =>
          ['moved-to-heap', 'escapes', 'leaking-param'].includes(f.kind) &&
          typeof f.detail['func'] === 'string' &&
          spec.coldFuncs.some((fn) => fn.endsWith('.' + (f.detail['func'] as string))),
      );
      expect(inCold.length).toBeGreaterThan(0);
      const coldKeys = new Set(report.cold.items.map((c) => `${c.file}:${c.line}:${c.subject}`));
      for (const f of inCold) expect(coldKeys.has(`${f.relFile}:${f.line}:${f.subject}`), `${f.relFile}:${f.line} ${f.subject}`).toBe(true);
      for (const c of report.cold.items.filter((x) => inCold.some((f) => f.relFile === x.file && f.line === x.line))) expect(c.share).toBeLessThan(0.001);
    });

    if (spec.oneOff) {
      const { fn, rule } = spec.oneOff;
      it(`flags ${fn} as a one-off, not hot`, () => {
        const f = topFinding(report, fn);
        expect(f).toBeDefined();
        expect(f!).toMatchObject({ oneOff: true, hot: false, rule });
      });
    }

    it('agrees with a fresh compiler run (real go build, with -json=0 inline positions)', async () => {
      const cacheDir = mkdtempSync(path.join(tmpdir(), 'advisor-advise-test-'));
      try {
        const files = [...new Set(rankProfile(profile, { module: spec.module }).sites.filter((x) => x.userCode).map((x) => x.file))];
        const compiled = await collectEscapes({ srcDir: dir, files, cacheDir, noCache: true });
        expect(compiled.source, compiled.notes.join('; ')).toBe('compiler');
        const fresh = advise(dir, spec.module, profile, compiled);
        const rules = (r: Report) => spec.hot.map((h) => ({ fn: h.fn, rule: topFinding(r, h.fn)?.rule, hot: topFinding(r, h.fn)?.hot }));
        expect(rules(fresh)).toEqual(rules(report));
        expect(fresh.findings.map((f) => f.rank)).toEqual(report.findings.map((f) => f.rank));
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }, 120_000);

    it.each([
      ['built with -trimpath', (rel: string) => `${spec.module}/${rel}`],
      ['built in another checkout', (rel: string) => `/home/ci/src/x/${rel}`],
    ])('joins the same when the profile was %s', (_name, to) => {
      const moved = advise(dir, spec.module, relocate(dir, profile, to), escape);
      expect(summary(moved)).toEqual(summary(report));
      expect(moved.cold).toEqual(report.cold);
      // The profile's own file names are kept for reference.
      expect(moved.findings[0].site.profileFile).toBe(to(moved.findings[0].site.file!));
    });
  });
}
