// Behaviour of the renderers beyond the golden files: escaping of hostile
// profile text in every format, the markdown size budget, SARIF schema
// validity, and the text layout at different widths.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import type { Report } from '../model/report.js';
import { RULES } from '../advise/rules.js';
import { emptyReport } from '../../test/fixtures/report/empty.js';
import { EVIL, hostileReport } from '../../test/fixtures/report/hostile.js';
import { manyFindingsReport } from '../../test/fixtures/report/many.js';
import { noEscapeReport } from '../../test/fixtures/report/noescape.js';
import { realisticReport } from '../../test/fixtures/report/realistic.js';
import { FIXTURE_RULES } from '../../test/fixtures/report/rules.js';
import { escapeMarkdown, fenceFor, markdownCode } from './sanitize.js';
import { FORMATS, isFormat, renderReport } from './index.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { DEFAULT_MAX_CHARS, renderMarkdown } from './markdown.js';
import { ERROR_SHARE, renderSarif } from './sarif.js';
import { renderText, wrap } from './text.js';
import { explainEscape } from './view.js';
import { stripCodeSpans } from '../../test/helpers/markdown.js';

const FIXTURES: [string, Report][] = [
  ['realistic', realisticReport],
  ['noescape', noEscapeReport],
  ['empty', emptyReport],
  ['hostile', hostileReport],
];

// ---------------------------------------------------------------- markdown

/** A GFM row's cells: a `|` directly after a backslash never delimits (cmark-gfm's longest-match cell scanner). */
function cellCount(row: string): number {
  let delimiters = 0;
  for (let i = 0; i < row.length; i++) if (row[i] === '|' && row[i - 1] !== '\\') delimiters++;
  return delimiters - 1;
}

interface MdBlocks {
  /** Lines outside fenced code blocks. */
  prose: string[];
  fences: { info: string; body: string[] }[];
  unclosed: boolean;
}

/** CommonMark fences: a backtick fence closes only on a line of at least as many backticks and nothing else. */
function splitFences(markdown: string): MdBlocks {
  const prose: string[] = [];
  const fences: MdBlocks['fences'] = [];
  let open: { len: number; info: string; body: string[] } | null = null;
  for (const line of markdown.split('\n')) {
    if (open) {
      const m = /^ {0,3}(`+)\s*$/.exec(line);
      if (m && m[1].length >= open.len) {
        fences.push({ info: open.info, body: open.body });
        open = null;
      } else open.body.push(line);
      continue;
    }
    const m = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
    if (m) open = { len: m[1].length, info: m[2].trim(), body: [] };
    else prose.push(line);
  }
  return { prose, fences, unclosed: open !== null };
}

function checkWellFormedMarkdown(markdown: string): void {
  const { prose, fences, unclosed } = splitFences(markdown);
  expect(unclosed, 'every fence closes').toBe(false);
  // Tables: every row has as many cells as its header.
  let width = -1;
  for (const line of prose) {
    if (line.startsWith('|')) {
      if (width < 0) width = cellCount(line);
      else expect(cellCount(line), line).toBe(width);
    } else width = -1;
  }
  // Raw HTML only from the renderer's own small set of tags.
  const text = prose.map((l) => stripCodeSpans(l, { span: ' CODE ', escape: null })).join('\n');
  for (const m of text.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)) {
    expect(['details', 'summary', 'strong', 'sub', 'br'], m[0]).toContain(m[1].toLowerCase());
  }
  expect(text).not.toMatch(/<!--/);
  expect(text).not.toMatch(/\]\(javascript:/i);
  // <details> blocks balance and sit on their own lines.
  const opens = prose.filter((l) => l === '<details>').length;
  expect(prose.filter((l) => l === '</details>').length).toBe(opens);
  expect(text.match(/<details>/g)?.length ?? 0).toBe(opens);
  for (const f of fences) for (const l of f.body) expect(l).not.toMatch(/^\s*`{3,}\s*$/);
}

describe('renderMarkdown', () => {
  it('keeps every fixture well-formed', () => {
    for (const [name, report] of FIXTURES) {
      const md = renderMarkdown(report, { rules: FIXTURE_RULES, linkTemplate: 'https://x.test/{sha}/{path}#L{line}' });
      try {
        checkWellFormedMarkdown(md);
      } catch (e) {
        throw new Error(`${name}: ${(e as Error).message}`);
      }
    }
  });

  it('escapes hostile names, paths and code so nothing injects markdown or HTML', () => {
    const md = renderMarkdown(hostileReport, { rules: FIXTURE_RULES, linkTemplate: 'https://x.test/blob/{sha}/{path}#L{line}' });
    const { prose, fences } = splitFences(md);
    // Hostile code stays inside its fence, fence chosen longer than its backtick runs.
    const evilFence = fences.find((f) => f.body.some((l) => l.includes(EVIL.longFence)));
    expect(evilFence?.body.some((l) => l.includes('</details> <script>alert(1)</script>'))).toBe(true);
    expect(evilFence?.body).toHaveLength(5);
    // The hostile text is there, escaped, not dropped.
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain('main.`tick`\\|<script>alert(1)</script>](javascript:x)');
    // Newlines in names cannot start a heading or a new block.
    for (const l of prose) expect(l).not.toMatch(/^#+ (not a heading|heading\.go)/);
    // The ANSI escape from the notes is shown, not passed through.
    expect(md).not.toContain('\u001b');
    // Links built from the template percent-encode hostile paths.
    expect(md).toContain('(https://x.test/blob/HEAD/pkg/%3Cscript%3Ealert%281%29%3C/script%3E/a%7Cb%60c%60.go#L7)');
  });

  it('stays under the default 65,000 characters with 500 findings and says what it dropped', () => {
    const report = manyFindingsReport(500);
    const md = renderMarkdown(report, { rules: FIXTURE_RULES });
    expect(md.length).toBeLessThanOrEqual(DEFAULT_MAX_CHARS);
    expect(md.length).toBeGreaterThan(DEFAULT_MAX_CHARS * 0.8);
    expect(md).toMatch(/> \*\*Note:\*\* shortened to fit 65,000 characters: left out the list of 2,000 cold escapes, source and fix examples for #11–#\d+ and hot sites #\d+–#500\./);
    checkWellFormedMarkdown(md);
    // The most important parts survive: the top ten sites with their code.
    expect(md).toContain('<strong>#1 example.com/big/internal/pkg00.(&#42;Handler0).ServeRequest.func1</strong>');
    for (let i = 0; i < 10; i++) expect(md).toContain(`buf := make([]byte, n${i})`);
    expect(md).not.toContain('buf := make([]byte, n10)');
    const kept = md.match(/^\| \d+ \|/gm)!.length;
    expect(kept).toBeGreaterThan(20);
    expect(kept).toBeLessThan(500);
    // Every kept site is summarised and has its details block; the rest are named in the note.
    expect(md).toContain(`<strong>#${kept} `);
    expect(md).not.toContain(`<strong>#${kept + 1} `);
    expect(md).toContain(`hot sites #${kept + 1}–#500.`);
  });

  it('drops the cold list first when that is enough', () => {
    const report = { ...realisticReport, cold: manyFindingsReport(1, 3000).cold };
    const full = renderMarkdown(report, { maxChars: 10_000_000 });
    expect(full).toContain('internal/cold/file2999.go');
    const md = renderMarkdown(report, { rules: FIXTURE_RULES, maxChars: 40_000 });
    expect(md.length).toBeLessThanOrEqual(40_000);
    expect(md).not.toContain('internal/cold/file0.go');
    expect(md).toContain('left out the list of 3,000 cold escapes and 2 sites below the hot threshold.');
    expect(md).toContain('func (ix *Index) Lookup(sku string) *Item {');
  });

  it('honours any budget, down to a tiny one', () => {
    for (const max of [200, 1000, 3000, 8000, 20000]) {
      const md = renderMarkdown(manyFindingsReport(50, 100), { rules: FIXTURE_RULES, maxChars: max });
      expect(md.length, `maxChars ${max}`).toBeLessThanOrEqual(max);
      if (max >= 3000) checkWellFormedMarkdown(md);
    }
    const huge: Report = {
      ...hostileReport,
      findings: hostileReport.findings.map((f) => ({ ...f, site: { ...f.site, function: 'x'.repeat(100_000) } })),
    };
    const md = renderMarkdown(huge, { maxChars: 5000 });
    expect(md.length).toBeLessThanOrEqual(5000);
    expect(md).toContain('does not fit 5,000 characters');
  });

  it('reads rule texts from the catalogue when given, the finding advice always', () => {
    const withRules = renderMarkdown(realisticReport, { rules: FIXTURE_RULES });
    const without = renderMarkdown(realisticReport, {});
    expect(withRules).toContain('Return small values, not pointers');
    expect(withRules).toContain('func newPoint(x, y int) Point {');
    expect(without).not.toContain('Return small values, not pointers');
    expect(without).toContain('Return Item by value (it is 64 bytes)');
  });
});

describe('markdown escaping helpers', () => {
  it('code spans outlast any backtick run inside', () => {
    expect(markdownCode('a`b', false)).toBe('``a`b``');
    expect(markdownCode('`x`', false)).toBe('`` `x` ``');
    expect(markdownCode('a|b', true)).toBe('`a\\|b`');
    expect(fenceFor('x ``` y')).toBe('````');
    expect(fenceFor('plain')).toBe('```');
  });
  it('plain text cannot open links, emphasis, HTML or blocks', () => {
    expect(escapeMarkdown('[x](javascript:y)')).toBe('\\[x\\](javascript\\:y)');
    expect(escapeMarkdown('<b>&amp;</b>')).toBe('&lt;b&gt;&amp;amp;&lt;/b&gt;');
    expect(escapeMarkdown('# h')).toBe('\\# h');
    expect(escapeMarkdown('1. x')).toBe('1\\. x');
    // GitHub would notify @someone and @org/team; a module version is no mention.
    expect(escapeMarkdown('@someone, (@org/team)')).toBe('@&#8203;someone, (@&#8203;org/team)');
    // A module version is left alone; an e-mail address is broken like a
    // mention, since cmark-gfm's autolink extension would link it.
    expect(escapeMarkdown('mod/x@v1.2.0/a.go a@b.c a @ b')).toBe('mod/x@v1.2.0/a.go a@&#8203;b.c a @ b');
    expect(escapeMarkdown('see www.evil.example')).toBe('see www\\.evil.example');
    expect(escapeMarkdown('1.5MB')).toBe('1.5MB');
    expect(escapeMarkdown('a\nb')).toBe('a\\\\nb');
  });
});

// -------------------------------------------------------------------- HTML

/** Every tag in the document: name and raw attribute text. */
function tags(html: string): { name: string; attrs: string }[] {
  return Array.from(html.matchAll(/<(\/?[a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g), (m) => ({
    name: m[1].replace('/', '').toLowerCase(),
    attrs: m[2],
  }));
}

const HTML_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'section', 'div', 'p', 'h1', 'h2', 'h3', 'span',
  'strong', 'a', 'br', 'table', 'colgroup', 'col', 'thead', 'tbody', 'tr', 'th', 'td', 'details', 'summary', 'dl', 'dt',
  'dd', 'ul', 'li', 'code', 'pre', 'svg', 'g', 'title', 'text', 'rect', 'i', 'footer',
]);

describe('renderHtml', () => {
  it('is self-contained: no script, no remote resource, a CSP that forbids both', () => {
    for (const [, report] of FIXTURES) {
      const html = renderHtml(report, { rules: FIXTURE_RULES });
      expect(html).not.toMatch(/<script/i);
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
      expect(style).not.toMatch(/@import|url\(/i);
      for (const t of tags(html)) {
        expect(t.name).not.toMatch(/^(link|script|img|iframe|object|embed)$/);
        expect(t.attrs).not.toMatch(/\s(src|srcset|action|formaction)\s*=/i);
        const href = /\shref="([^"]*)"/.exec(t.attrs)?.[1];
        if (href !== undefined) expect(href).toMatch(/^#site-\d+$/);
      }
      expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
      expect(html).toMatch(/^<!doctype html>/);
    }
  });

  it('escapes hostile text in text, attributes and the SVG title', () => {
    const html = renderHtml(hostileReport, { rules: FIXTURE_RULES, linkTemplate: 'https://x.test/{path}#L{line}' });
    for (const t of tags(html)) {
      expect(HTML_TAGS, `<${t.name}>`).toContain(t.name);
      expect(t.attrs, `<${t.name}${t.attrs}>`).not.toMatch(/\son[a-z]+\s*=/i);
    }
    expect(html).not.toMatch(/<!--/);
    expect(html).not.toContain('\u001b');
    expect(html).toContain('<title>main.`tick`|&lt;script&gt;alert(1)&lt;/script&gt;](javascript:x) (pkg/&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('href="https://x.test/pkg/%3Cscript%3Ealert%281%29%3C/script%3E/a%7Cb%60c%60.go#L7"');
    // No attribute value is left open by a quote from the profile.
    expect(html).not.toMatch(/="[^"]*'[^"]*"\s*onerror/);
  });

  it('lays out for narrow screens: fixed tables, wrapping names, scrolling code', () => {
    const html = renderHtml(realisticReport, {});
    expect(html).toContain('table-layout:fixed');
    expect(html).toContain('overflow-wrap:anywhere');
    expect(html).toMatch(/\.code\{[^}]*overflow-x:auto/);
    expect(html).toContain('<svg viewBox="0 0 1000 ');
  });
});

// ------------------------------------------------------------------- SARIF

const here = dirname(fileURLToPath(import.meta.url));
const schema = JSON.parse(readFileSync(join(here, '../../test/fixtures/report/sarif-2.1.0-rtm.5.json'), 'utf8'));
// Both packages are CommonJS with the class on `.default` as well, which is
// the one spelling that works under NodeNext types and at run time.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;
// The official schema's `language` pattern has a stray `]` that is only legal without the u flag.
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validateSarif = ajv.compile(schema);

describe('renderSarif', () => {
  it('is valid SARIF 2.1.0 for every fixture, with the test catalogue and the real one', () => {
    for (const [name, report] of [...FIXTURES, ['many', manyFindingsReport(40, 10)] as [string, Report]]) {
      for (const rules of [FIXTURE_RULES, RULES, undefined]) {
        const log = JSON.parse(renderSarif(report, { rules }));
        const ok = validateSarif(log);
        expect(ok, `${name}: ${JSON.stringify(validateSarif.errors?.slice(0, 3))}`).toBe(true);
      }
    }
  });

  it('has one result per hot finding, at its file and line or its function', () => {
    const log = JSON.parse(renderSarif(realisticReport, { rules: FIXTURE_RULES }));
    const run = log.runs[0];
    const hot = realisticReport.findings.filter((f) => f.hot);
    expect(run.results).toHaveLength(hot.length);
    const first = run.results[0];
    expect(first.ruleId).toBe('return-pointer');
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe('return-pointer');
    expect(first.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'internal/catalog/index.go', uriBaseId: '%SRCROOT%' });
    expect(first.locations[0].physicalLocation.region.startLine).toBe(88);
    expect(first.properties.share).toBe(0.3121);
    expect(first.properties.companionShare).toBe(0.281);
    expect(first.properties.estimate.bytes).toBe(hot[0].estimate.bytes);
    // Outside --src: no physical location, the function as a logical one.
    const outside = run.results[5];
    expect(outside.locations[0].physicalLocation).toBeUndefined();
    expect(outside.locations[0].logicalLocations[0]).toEqual({
      fullyQualifiedName: 'example.com/shop/gen/pb.(*Order).Unmarshal',
      name: 'pb.(*Order).Unmarshal',
      kind: 'function',
    });
    // Level follows the share.
    for (const [i, r] of run.results.entries()) expect(r.level).toBe(hot[i].share >= ERROR_SHARE ? 'error' : 'warning');
    // Rules carry the catalogue texts, before/after in help.
    const rp = run.tool.driver.rules.find((r: { id: string }) => r.id === 'return-pointer');
    expect(rp.shortDescription.text).toBe('Return small values, not pointers');
    expect(rp.help.markdown).toContain('func newPoint(x, y int) Point {');
    expect(rp.properties.tags).toContain('performance');
  });

  it('keeps hostile text as data: valid JSON, encoded uris, a rule for findings without one', () => {
    const log = JSON.parse(renderSarif(hostileReport, { rules: FIXTURE_RULES }));
    const run = log.runs[0];
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('pkg/%3Cscript%3Ealert(1)%3C/script%3E/a%7Cb%60c%60.go'.replace('(1)', '%281%29'));
    expect(run.results[1].ruleId).toBe('hot-allocation');
    expect(run.tool.driver.rules[run.results[1].ruleIndex].id).toBe('hot-allocation');
    expect(run.results[0].message.text).toContain('<script>alert(1)</script>');
  });

  it('fingerprints survive a line move', () => {
    const moved: Report = {
      ...realisticReport,
      findings: realisticReport.findings.map((f) => ({ ...f, site: { ...f.site, line: f.site.line + 7 } })),
    };
    const a = JSON.parse(renderSarif(realisticReport, {})).runs[0].results;
    const b = JSON.parse(renderSarif(moved, {})).runs[0].results;
    expect(b.map((r: { partialFingerprints: object }) => r.partialFingerprints)).toEqual(
      a.map((r: { partialFingerprints: object }) => r.partialFingerprints),
    );
  });
});

// -------------------------------------------------------------------- text

describe('renderText', () => {

  it('fits the width it is given (source lines included) and drops columns when narrow', () => {
    for (const width of [40, 60, 80, 100, 120, 160]) {
      for (const [name, report] of FIXTURES) {
        const out = renderText(report, { color: false, width, rules: FIXTURE_RULES });
        for (const line of out.split('\n')) {
          expect([...line].length, `${name} @${width}: ${line}`).toBeLessThanOrEqual(width);
        }
      }
    }
    const wide = renderText(realisticReport, { color: false, width: 140 });
    const mid = renderText(realisticReport, { color: false, width: 100 });
    const narrow = renderText(realisticReport, { color: false, width: 60 });
    const header = (s: string) => s.split('\n').find((l) => l.startsWith('│ #'))!;
    expect(header(wide)).toMatch(/alloc_space.*alloc_objects.*site.*advice/);
    expect(header(renderText(realisticReport, { color: false, width: 160 }))).toMatch(/alloc_space.*alloc_objects.*site.*rule.*advice/);
    // Below 120 columns the rule is under the site, in the site's column.
    expect(header(mid)).toMatch(/alloc_space.*alloc_objects.*site/);
    expect(header(mid)).not.toMatch(/rule|advice/);
    expect(header(narrow)).toMatch(/# │ +share │ site/);
  });

  it('colours only when asked, and never passes terminal escapes from the profile', () => {
    const plain = renderText(hostileReport, { color: false, width: 100 });
    expect(plain).not.toContain('\u001b');
    expect(plain).toContain('ESC \\x1b[31mred\\x1b[0m and BEL \\x07');
    const coloured = renderText(realisticReport, { color: true, width: 100 });
    expect(coloured).toContain('\u001b[1m');
    const stripped = coloured.replace(/\u001b\[\d+m/g, '');
    expect(stripped).toBe(renderText(realisticReport, { color: false, width: 100 }));
    const hostileColoured = renderText(hostileReport, { color: true, width: 100 });
    expect(hostileColoured.replace(/\u001b\[\d+m/g, '')).not.toContain('\u001b');
  });

  it('shows the parts the brief asks for', () => {
    const out = renderText(realisticReport, { color: false, width: 100, rules: FIXTURE_RULES });
    const flat = out.replace(/\s+/g, ' ');
    expect(out).toContain('Sample index     alloc_space (alloc_space: allocation churn is what drives GC cost)');
    expect(flat).toContain('make([]byte, 0, n) escapes to heap because its size is not a constant (non-constant size)');
    expect(out).toMatch(/ {4}> 88 │ {5}return &Item\{/);
    expect(flat).toContain('8 cold escapes outside the hot and warm sites, 1.86% of alloc_space combined at their lines: leave as is.');
    expect(flat).toContain('Since the baseline (profiles/base-mem.pprof; values per second, duration ratio 1.00)');
    expect(flat).toContain('internal/httpapi/log.go:28 → internal/httpapi/log.go:31 (moved statement)');
    expect(flat).toContain('Trend of the hot sites (4 profiles');
    expect(flat).toContain('19.90% of CPU time goes to memory management');
    const none = renderText(noEscapeReport, { color: false, width: 100 });
    expect(none).toContain('go not installed: escape analysis skipped');
    expect(none).not.toContain('Since the baseline');
    expect(none).not.toContain('CPU cost');
  });

  it('wraps words and cuts what cannot wrap', () => {
    expect(wrap('aaa bbb ccc', 12, '  ')).toEqual(['  aaa bbb', '  ccc']);
    expect(wrap('x'.repeat(25), 12)).toEqual(['x'.repeat(12), 'x'.repeat(12), 'x']);
  });
});

// ------------------------------------------------------------ json & index

describe('renderJson and the format map', () => {
  it('round-trips the report with schemaVersion first', () => {
    const json = renderJson(realisticReport);
    expect(JSON.parse(json)).toEqual(realisticReport);
    expect(json.startsWith('{\n  "schemaVersion": 2,')).toBe(true);
  });

  it('maps every format name to its renderer', () => {
    expect(FORMATS).toEqual(['text', 'markdown', 'json', 'sarif', 'html']);
    expect(isFormat('sarif')).toBe(true);
    expect(isFormat('xml')).toBe(false);
    const opts = { rules: FIXTURE_RULES, color: false, width: 90 };
    expect(renderReport('text', realisticReport, opts)).toBe(renderText(realisticReport, opts));
    expect(renderReport('markdown', realisticReport, opts)).toBe(renderMarkdown(realisticReport, opts));
    expect(renderReport('json', realisticReport, opts)).toBe(renderJson(realisticReport));
    expect(renderReport('sarif', realisticReport, opts)).toBe(renderSarif(realisticReport, opts));
    expect(renderReport('html', realisticReport, opts)).toBe(renderHtml(realisticReport, opts));
  });
});

describe('escape reasons in plain words', () => {
  it('explains the chain and keeps the raw reasons', () => {
    expect(
      explainEscape({ line: 1, column: 2, kind: 'escapes', subject: 'make([]byte, n)', reasons: ['non-constant size'], message: 'make([]byte, n) escapes to heap' }),
    ).toBe('make([]byte, n) escapes to heap because its size is not a constant (non-constant size)');
    expect(
      explainEscape({ line: 1, column: 2, kind: 'moved-to-heap', subject: 'x', reasons: ['captured by a closure', 'reference'], message: 'moved to heap: x' }),
    ).toBe('x is moved to the heap because a closure captures it by reference (captured by a closure, reference)');
    expect(explainEscape({ line: 1, column: null, kind: 'escapes', subject: 'y', reasons: ['spill', 'assign'], message: '' })).toBe(
      'y escapes to heap (spill, assign)',
    );
    expect(explainEscape({ line: 1, column: null, kind: 'loopvar', subject: 'i', reasons: [], message: 'loop variable i now per-iteration, heap-allocated' })).toBe(
      'loop variable i now per-iteration, heap-allocated',
    );
  });
});
