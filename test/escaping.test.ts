// Fuzzed hostile text through every renderer. A real decoded profile (the
// service sample) gets attacker-chosen function names and file paths, the
// source it shows gets hostile lines, and the compiler findings (escape logs
// are untrusted too) get hostile messages; then the report must keep its
// structure in every format: markdown tables keep their cell count and
// fences close, no raw HTML or link survives outside escaped text, SARIF is
// valid JSON with relative URIs, and no control character from the profile
// reaches a terminal.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { buildReport } from '../src/advise/index.js';
import type { Report } from '../src/model/report.js';
import { parseProfileBytes } from '../src/profile/load.js';
import type { Profile } from '../src/profile/model.js';
import { rankProfile } from '../src/rank/index.js';
import { LINK_TEMPLATE, renderAll, SERVICE, serviceContext } from './helpers/pipeline.js';
import { stripCodeSpans } from './helpers/markdown.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2024);
const RUNS = Number(process.env.FUZZ_RUNS ?? 120);
/** Per-test timeout for the property: FUZZ_RUNS=2000 locally must not hit vitest's default. */
const PROPERTY_TIMEOUT = Math.max(120_000, RUNS * 1500);

const PROFILE_BYTES = readFileSync(path.join(SERVICE, 'allocs.pb.gz'));

// Pieces that each try to leave their context somewhere.
const TOKENS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  'javascript:alert(1)',
  '](javascript:alert(1))',
  '[x](https://evil.example/)',
  '![i](https://evil.example/i.png)',
  '<https://evil.example/>',
  '|',
  '\\|',
  '\\',
  '`',
  '``',
  '```',
  '~~~',
  '<!--',
  '-->',
  '<details open>',
  '</details>',
  '</summary>',
  '</code></pre>',
  '"',
  "'",
  '&amp;',
  '&#60;script&#62;',
  '$x$',
  '*',
  '_',
  '~~',
  '#',
  '\n# heading\n',
  '\r\n',
  '\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007',
  '\u009b31m',
  '\u202e',
  '\u2066',
  '\u2028',
  '\u200b',
  '::error::forged',
  '@everyone',
  '@octocat',
  ':',
  '/',
  '../',
  ' ',
];
const hostile = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''));

interface Injection {
  /** Suffixes for function names (the package prefix stays, so user-code attribution does not change). */
  names: string[];
  /** Replacements for the file base names. */
  files: string[];
  /** Appended to every source line the report quotes. */
  source: string;
  /** Compiler finding subjects and messages. */
  escape: string;
}

const injection: fc.Arbitrary<Injection> = fc.record({
  names: fc.array(hostile, { minLength: 1, maxLength: 8 }),
  files: fc.array(hostile, { minLength: 1, maxLength: 8 }),
  source: hostile,
  escape: hostile,
});

function hostileReport(inj: Injection): Report {
  const profile: Profile = parseProfileBytes(PROFILE_BYTES, 'allocs.pb.gz');
  const base = serviceContext();
  // Every function gets a hostile suffix; every few a hostile file name.
  profile.functions.forEach((f, i) => {
    f.name = `${f.name}${inj.names[i % inj.names.length]}`;
    if (i % 3 === 0) f.filename = `${path.posix.dirname(f.filename)}/${inj.files[i % inj.files.length]}`;
  });
  const escape = {
    ...base.escape,
    findings: base.escape.findings.map((f, i) =>
      i % 2 === 0 ? { ...f, subject: `${f.subject}${inj.escape}`, message: `${f.message}${inj.escape}`, reasons: [...f.reasons, inj.escape] } : f,
    ),
    notes: [...base.escape.notes, `note ${inj.escape}`],
  };
  const ranking = rankProfile(profile, { name: 'allocs.pb.gz', module: base.ctx.modulePath });
  return buildReport({
    sources: [`allocs${inj.files[0]}.pb.gz`],
    ranking,
    profileMeta: { durationNanos: profile.durationNanos, timeNanos: profile.timeNanos },
    escape,
    // Hostile file names still map when their directory is in --src, so links and snippets are built from them.
    mapPath: (file) => base.ctx.mapPath(file) ?? (file.includes('/internal/') ? `internal/${path.posix.basename(file)}` : null),
    readSource: (rel) => base.ctx.tree?.read(rel)?.map((l) => l + inj.source) ?? Array.from({ length: 400 }, (_, i) => `line ${i} ${inj.source}`),
    options: { hotCover: 0.8, minShare: 0.01, top: 20 },
    toolVersion: '0.0.0-test',
  });
}

// ---------------------------------------------------------------------------
// Structure checks, one per format. Plain throws in the loops: thousands of
// expect() calls per case would cost more than rendering.

function fail(msg: string): never {
  throw new Error(msg);
}

// C0 and C1 controls (but newline and tab) and the bidi/line-separator characters.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

/** GFM splits a table row on every `|` not preceded by a backslash (cmark-gfm's table extension), code spans included. */
function cellDelimiters(row: string): number {
  let n = 0;
  for (let i = 0; i < row.length; i++) if (row[i] === '|' && row[i - 1] !== '\\') n++;
  return n;
}

/** Markdown with fenced blocks and code spans removed, and each fenced block checked to close. */
function markdownProse(md: string): string[] {
  const out: string[] = [];
  const lines = md.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})/.exec(lines[i]);
    if (open) {
      const fence = open[1];
      let j = i + 1;
      // CommonMark: closed by a line of at least as many of the same character, and nothing else.
      while (j < lines.length && !new RegExp(`^${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[j])) j++;
      if (j >= lines.length) fail(`fence opened at line ${i + 1} never closes`);
      i = j;
      continue;
    }
    out.push(stripCodeSpans(lines[i], { span: ' ', escape: ' ' }));
  }
  return out;
}

const MD_TAGS = /<\/?(details|summary|strong|br|sub)>/g;

function checkMarkdown(md: string): void {
  expect(md).not.toMatch(RAW_CONTROL);
  const lines = md.split('\n');
  // Tables: header, delimiter row and body rows all have the same number of cells.
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('|')) continue;
    const want = cellDelimiters(lines[i]);
    let j = i;
    for (; j < lines.length && lines[j].startsWith('|'); j++) {
      if (cellDelimiters(lines[j]) !== want) fail(`table row ${j + 1} has ${cellDelimiters(lines[j])} cell delimiters, the header ${want}: ${lines[j]}`);
    }
    i = j;
  }
  for (const prose of markdownProse(md)) {
    const rest = prose.replace(MD_TAGS, '');
    if (rest.includes('<')) fail(`raw HTML in markdown prose: ${prose}`);
    if (rest.includes('![')) fail(`an image in markdown prose: ${prose}`);
    // The only links are the --link-template's.
    for (const m of rest.matchAll(/\]\(/g)) {
      if (!rest.startsWith('https://x.test/blob/abc123/', m.index! + 2)) fail(`a link not from --link-template: ${prose}`);
    }
    // A newline from the profile would start a block of its own (TOKENS holds '\n# heading\n').
    if (/^\s*(# heading|::error)/.test(prose)) fail(`a profile string starts a line: ${prose}`);
  }
}

const HTML_TAGS = new Set([
  'html', 'head', 'meta', 'title', 'style', 'body', 'main', 'header', 'footer', 'section', 'div', 'p', 'span', 'strong', 'br',
  'h1', 'h2', 'h3', 'a', 'table', 'colgroup', 'col', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'dl', 'dt', 'dd',
  'details', 'summary', 'pre', 'code', 'svg', 'g', 'text', 'rect', 'title', 'i',
]);
const HTML_ATTRS = new Set(['rel', 'lang', 'charset', 'name', 'content', 'http-equiv', 'class', 'id', 'href', 'style', 'open', 'viewBox', 'role', 'aria-label', 'x', 'y', 'width', 'height', 'rx']);

// A whole tag: name, then only well-formed attributes (a quote or angle
// bracket from the profile inside an attribute value would end the match).
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:="[^"<>]*")?)*)\s*(\/?)>/y;

function checkHtml(html: string): void {
  expect(html).not.toMatch(RAW_CONTROL);
  const body = html.replace(/<style>[^<]*<\/style>/, '<style></style>').replace(/^<!doctype html>/, '');
  expect(body).not.toContain('<!--');
  for (const m of body.matchAll(/</g)) {
    TAG.lastIndex = m.index!;
    const tag = TAG.exec(body);
    if (!tag) fail(`stray < at ${body.slice(m.index!, m.index! + 60)}`);
    if (!HTML_TAGS.has(tag[2])) fail(`tag ${tag[2]}`);
    for (const a of tag[3].matchAll(/([a-zA-Z-]+)(?:="([^"]*)")?/g)) {
      if (!HTML_ATTRS.has(a[1])) fail(`attribute ${a[1]} in ${tag[0]}`);
      if (a[1] === 'href' && !/^(#site-\d+|https:\/\/x\.test\/blob\/abc123\/[^"\s]*)$/.test(a[2])) fail(`href ${a[2]}`);
    }
  }
}

function checkSarif(sarif: string): void {
  const log = JSON.parse(sarif);
  expect(log.version).toBe('2.1.0');
  for (const run of log.runs) {
    for (const r of run.results ?? []) {
      for (const loc of r.locations ?? []) {
        const uri: string | undefined = loc.physicalLocation?.artifactLocation?.uri;
        if (uri === undefined) continue;
        expect(uri).not.toMatch(/^\/|^[a-z]+:/i);
        expect(uri.split('/')).not.toContain('..');
        expect(uri).toMatch(/^[A-Za-z0-9%._~!$&'()*+,;=:@/-]+$/);
      }
    }
  }
}

function checkText(text: string, color: boolean): void {
  // eslint-disable-next-line no-control-regex
  const plain = color ? text.replace(/\u001b\[[0-9;]*m/g, '') : text;
  expect(plain).not.toContain('\u001b');
  expect(plain).not.toMatch(RAW_CONTROL);
  // No line from the profile starts a line of its own (forged CI log commands).
  expect(plain).not.toMatch(/^::error/m);
}

describe('fuzzed names, paths, source and compiler text through every renderer', () => {
  test('the structure of each format survives', () => {
    let hotSeen = 0;
    fc.assert(
      fc.property(injection, fc.boolean(), (inj, color) => {
        const report = hostileReport(inj);
        hotSeen += report.findings.filter((f) => f.hot).length;
        const out = renderAll(report, color);
        checkMarkdown(out.markdown);
        checkHtml(out.html);
        checkSarif(out.sarif);
        checkText(out.text, color);
        // JSON is data: valid, and the hostile names come back exactly.
        const json = JSON.parse(out.json);
        const names = new Set(report.findings.map((f) => f.site.function));
        for (const f of json.findings) expect(names.has(f.site.function)).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The hostile text reached the hot sites (summary table, details, snippets), not only the cold list.
    expect(hotSeen).toBeGreaterThan(RUNS);
  }, PROPERTY_TIMEOUT);

  test('the checks catch what they look for (an unescaped renderer would fail them)', () => {
    expect(() => checkMarkdown('| a | b |\n|--|--|\n| x|y | z |\n')).toThrow();
    expect(() => checkMarkdown('text <script>alert(1)</script>\n')).toThrow();
    expect(() => checkMarkdown('see [x](javascript:alert(1))\n')).toThrow();
    expect(() => checkMarkdown('```go\ncode\n')).toThrow();
    expect(() => checkHtml('<p><img src=x onerror=alert(1)></p>')).toThrow();
    expect(() => checkHtml('<p><a href="javascript:x">y</a></p>')).toThrow();
    expect(() => checkHtml('<p title="x" onclick="y">z</p>')).toThrow();
    expect(() => checkText('a\u001b[2Jb', false)).toThrow();
    expect(() => checkText('a\n::error::x', false)).toThrow();
    expect(() => checkSarif('{"version":"2.1.0","runs":[{"results":[{"locations":[{"physicalLocation":{"artifactLocation":{"uri":"../etc/passwd"}}}]}]}]}')).toThrow();
    // And pass what a renderer legitimately writes.
    checkMarkdown('| a | `b\\|c` |\n|--|--|\n| x\\|y | z |\n\n<details>\n<summary>s</summary>\n\n```go\n<script>\n```\n\n</details>\n');
    checkHtml('<p class="x"><a href="#site-1">a</a> &lt;script&gt;</p>');
  });
});

test('LINK_TEMPLATE is what the link checks expect', () => {
  expect(LINK_TEMPLATE).toBe('https://x.test/blob/{sha}/{path}#L{line}');
});
