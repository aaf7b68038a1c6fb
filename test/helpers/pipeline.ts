// The whole pure pipeline on bytes, as the CLI runs it minus the compiler:
// parseProfileBytes -> rankProfile -> buildReport -> every renderer. The
// source context is the real one for samples/service (contained reads, the
// committed -m=2 log joined), so hostile profiles also exercise path mapping,
// source snippets and the join.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { buildReport, RULES } from '../../src/advise/index.js';
import type { Report } from '../../src/model/report.js';
import { readEscapeLogs } from '../../src/escape/log.js';
import type { EscapeResult } from '../../src/escape/model.js';
import { relativeInside } from '../../src/escape/paths.js';
import { parseProfileBytes, type LoadLimits } from '../../src/profile/load.js';
import type { Profile } from '../../src/profile/model.js';
import { rankProfile } from '../../src/rank/index.js';
import { FORMATS, renderReport, type Format } from '../../src/report/index.js';
import { sourceContext, type SourceContext } from '../../src/run.js';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVICE = path.join(ROOT, 'samples', 'service');
export { REALWORLD } from './realworld.js';
export const LINK_TEMPLATE = 'https://x.test/blob/{sha}/{path}#L{line}';

let cached: { ctx: SourceContext; escape: EscapeResult } | null = null;

/** samples/service as --src, with its committed -m=2 log as the escape result. */
export function serviceContext(): { ctx: SourceContext; escape: EscapeResult } {
  if (cached) return cached;
  const ctx = sourceContext(SERVICE, undefined);
  const res = readEscapeLogs([{ name: 'escape-m2.txt', text: readFileSync(path.join(SERVICE, 'escape-m2.txt'), 'utf8') }], { srcDir: SERVICE });
  const root = ctx.tree!.root;
  const escape = { ...res, findings: res.findings.map((f) => ({ ...f, relFile: f.file ? relativeInside(root, f.file) : null })) };
  cached = { ctx, escape };
  return cached;
}

export function reportFor(profile: Profile, name = 'fuzz.pb.gz', ctx = serviceContext()): Report {
  const ranking = rankProfile(profile, { name, module: ctx.ctx.modulePath });
  return buildReport({
    sources: [name],
    ranking,
    profileMeta: { durationNanos: profile.durationNanos, timeNanos: profile.timeNanos },
    escape: ctx.escape,
    mapPath: ctx.ctx.mapPath,
    readSource: (rel) => ctx.ctx.tree?.read(rel) ?? null,
    options: { hotCover: 0.8, minShare: 0.01, top: 20 },
    toolVersion: '0.0.0-test',
  });
}

export function renderAll(report: Report, color = false): Record<Format, string> {
  const out = {} as Record<Format, string>;
  for (const f of FORMATS) out[f] = renderReport(f, report, { rules: RULES, color, width: 100, linkTemplate: LINK_TEMPLATE, sha: 'abc123' });
  return out;
}

/** Every stage on raw bytes; returns the rendered outputs. */
export function runPipeline(bytes: Uint8Array, limits?: LoadLimits, name = 'fuzz.pb.gz'): Record<Format, string> {
  const profile = parseProfileBytes(bytes, name, limits);
  return renderAll(reportFor(profile, name));
}

// A real collection lets memory bounds measure what a case retains or peaks
// at, not garbage left over from the case before.
v8.setFlagsFromString('--expose-gc');
const gcFn = vm.runInNewContext('gc') as () => void;

export function gc(): void {
  gcFn();
}

/** Heap plus typed-array backing stores (samples live in typed arrays). */
export function memNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
