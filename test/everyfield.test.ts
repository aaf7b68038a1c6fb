// One hostile value in every string field of a real Report (the service
// sample, with a baseline comparison and a CPU cost filled in), rendered in
// every format: the sample type's unit, sources, function and file names,
// snippet lines, compiler messages, notes, warnings, scope. Whatever field
// a renderer prints, no terminal control, bidi, zero-width or BOM character
// reaches the output raw, no tag is injected, and JSON and SARIF stay valid
// with the value intact. (Issue 18: the unit was printed raw in the text
// report's flat column.)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Report } from '../src/model/report.js';
import { parseProfileBytes } from '../src/profile/load.js';
import { FORMATS, renderReport } from '../src/report/index.js';
import { RULES } from '../src/advise/index.js';
import { cmarkGfm, cmarkGfmMissing } from './helpers/cmarkgfm.js';
import { LINK_TEMPLATE, reportFor, SERVICE } from './helpers/pipeline.js';

export const HOSTILE =
  '\u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007\u001b[2J\u001b]0;owned\u0007\u009b31m\u0085' +
  '\u200b\u200c\u200d\u2060\ufeff\u00ad\u061c\u202e\u2066\u2028' +
  '<img src=x onerror=alert(1)> www.evil.example foo@evil.example x.y_z@evil-mail.example (www.evil.example) @octocat https://evil.example/';

// Fields whose values advisor picks from a closed set; a stranger value there
// is not something a profile can put in.
const CLOSED = new Set(['status', 'kind', 'rule', 'match', 'source', 'normalize', 'name']);

function poison<T>(v: T, key = ''): T {
  if (typeof v === 'string') return (CLOSED.has(key) ? v : `${v}${HOSTILE}`) as T;
  if (Array.isArray(v)) return v.map((x) => poison(x, key)) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = poison(x, k);
    return out as T;
  }
  return v;
}

function hostileReport(): Report {
  const profile = parseProfileBytes(readFileSync(path.join(SERVICE, 'allocs.pb.gz')), 'allocs.pb.gz');
  const report = reportFor(profile, 'allocs.pb.gz');
  const f = report.findings[0];
  report.diff = {
    base: ['base.pb.gz'],
    normalize: 'total',
    normalization: { method: 'total', factor: 1, sites: null, text: 'shares of each total' },
    mode: 'ratio',
    pairing: { source: null, detail: null, note: 'pairing is by function and line only' },
    entries: (['new-hot', 'regression', 'improvement', 'fixed', 'unchanged'] as const).map((status) => ({
      function: f.site.function,
      file: f.site.file,
      line: f.site.line,
      base: status === 'new-hot' ? null : { file: f.site.file, line: f.site.line },
      match: status === 'new-hot' ? ('none' as const) : ('line' as const),
      delta: 100,
      companionDelta: null,
      status,
      baseValue: 100,
      value: 200,
      baseShare: 0.1,
      share: 0.2,
      shareDelta: 0.1,
      relativeChange: 1,
    })),
  };
  report.cpu = { source: 'cpu.pb.gz', allocShare: 0.1, gcShare: 0.05, totalShare: 0.15, note: 'from the CPU profile' };
  report.scope.push('--focus x');
  report.warnings.push('a warning');
  report.escape.notes.push('a note');
  return poison(report);
}

// Raw, these drive a terminal, reorder text, or hide in it.
// eslint-disable-next-line no-control-regex
const INVISIBLE_RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

describe('a hostile value in every field of the Report', () => {
  const report = hostileReport();
  const out: Record<string, string> = {};
  for (const format of FORMATS) {
    out[format] = renderReport(format, report, { rules: RULES, color: false, width: 160, linkTemplate: LINK_TEMPLATE, sha: 'abc123' });
  }

  test.each(FORMATS)('%s: no raw control, bidi, zero-width or BOM character', (format) => {
    const m = INVISIBLE_RAW.exec(out[format]);
    expect(m && `U+${m[0].codePointAt(0)!.toString(16)} at ${m.index}: ${JSON.stringify(out[format].slice(m.index - 40, m.index + 10))}`).toBeNull();
  });

  test('text: the unit is shown escaped in the flat column', () => {
    expect(out.text).toContain('\\x1b]8;;https://evil.example/\\x07click');
    expect(out.text).toContain('\\u200b');
    expect(out.text).toContain('\\ufeff');
  });

  test('html: no tag from the profile', () => {
    expect(out.html).not.toMatch(/<img/i);
  });

  // Issue 18, point 5: GitHub's renderer (cmark-gfm's autolink extension)
  // links www.x and x@y.z in plain text. The only links in a markdown
  // report are the --link-template's.
  const missing = cmarkGfmMissing();
  if (missing && process.env.CI !== 'true') console.warn(`skipping the cmark-gfm test: ${missing}`);
  test.skipIf(missing !== null && process.env.CI !== 'true')('markdown through cmark-gfm: no link but the template\'s, no tag', () => {
    const html = cmarkGfm(out.markdown);
    const hrefs = [...html.matchAll(/<a\b[^>]*href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href.startsWith('https://x.test/blob/abc123/'), href).toBe(true);
    expect(html).not.toMatch(/<img|mailto:|evil\.example"/i);
    // The text is still there, broken only where it would have linked.
    expect(html).toContain('evil.example');
  });

  test.each(['json', 'sarif'])('%s: valid JSON; the value survives as data', (format) => {
    const parsed = JSON.parse(out[format]);
    expect(JSON.stringify(parsed)).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });

  test('json: the data is the Report itself', () => {
    expect(JSON.parse(out.json).profile.unit).toBe(report.profile.unit);
  });
});
