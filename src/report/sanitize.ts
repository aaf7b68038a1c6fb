// Escaping for profile-derived text. A profile can name any function and
// file, and the compiler echoes source expressions, so every such string is
// untrusted in every output: it must not inject terminal control sequences,
// markdown, HTML or links. Each helper is for one output context only.
import { maxOf } from '../arrays.js';

// C0 and C1 controls and DEL; the bidi marks, overrides and isolates that
// can make source text read differently from what it is ("Trojan Source");
// line and paragraph separators; and the invisible ones that hide text or
// split a word where no one sees it: zero-width space, joiners, word joiner
// and invisible operators, soft hyphen, Mongolian vowel separator, BOM.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u2060-\u2064\ufeff]/g;

function escapeCodePoint(ch: string): string {
  let e = ESCAPED.get(ch);
  if (e === undefined) {
    const cp = ch.codePointAt(0)!;
    e = ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? '\\t' : cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    ESCAPED.set(ch, e);
  }
  return e;
}

// One shared string per escaped character: a name of 100,000 zero-width
// spaces makes 100,000 replacements, and none of them allocates.
const ESCAPED = new Map<string, string>();

/** Makes control and bidi characters visible (`\n`, `\x1b`, `\u202e`) so one string stays on one line and cannot drive a terminal. */
export function visible(s: string): string {
  return s.replace(INVISIBLE, escapeCodePoint);
}

/**
 * The Report (or any value) with `visible` applied to every string in it,
 * tabs kept (source lines): what the text, markdown and HTML renderers read,
 * so that no field, the sample type's unit included, reaches them raw,
 * whatever a renderer does with it. Idempotent, and a no-op on ordinary text.
 */
export function visibleStrings<T>(value: T): T {
  if (typeof value === 'string') return visibleCode(value) as T;
  if (Array.isArray(value)) return value.map((x) => visibleStrings(x)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) out[k] = visibleStrings(x);
    return out as T;
  }
  return value;
}

// The invisible characters JSON.stringify leaves raw (it escapes only C0).
const JSON_RAW = /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\u2060-\u2064\ufeff]/g;

function jsonEscape(ch: string): string {
  let e = JSON_ESCAPED.get(ch);
  if (e === undefined) {
    e = `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    JSON_ESCAPED.set(ch, e);
  }
  return e;
}
const JSON_ESCAPED = new Map<string, string>();

/**
 * JSON text of `value` with every invisible character written as a \u
 * escape: the same data, but `cat report.json` cannot drive a terminal or
 * hide text. (Such characters occur only inside JSON strings, where the
 * escape means the same character.)
 */
export function jsonText(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  JSON_RAW.lastIndex = 0;
  return JSON_RAW.test(text) ? text.replace(JSON_RAW, jsonEscape) : text;
}

/** Like `visible`, but keeps tabs (expanded to `tabWidth` spaces when given): for source lines. */
export function visibleCode(s: string, tabWidth?: number): string {
  const withTabs = tabWidth === undefined ? s : s.replace(/\t/g, ' '.repeat(tabWidth));
  return withTabs.replace(INVISIBLE, (ch) => (ch === '\t' ? ch : escapeCodePoint(ch)));
}

/** HTML text and attribute values (double- or single-quoted). */
export function escapeHtml(s: string): string {
  return visible(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text in a raw HTML line of a markdown document (`<summary>`): HTML-escaped,
 * and the characters markdown treats specially become numeric entities, so
 * the line is inert whether a renderer reads it as HTML or as markdown.
 */
export function escapeHtmlInMarkdown(s: string): string {
  return noWww(noMentions(escapeHtml(s).replace(/[[\]`*_|~$\\]/g, (c) => `&#${c.charCodeAt(0)};`)), '&#46;');
}

/**
 * Breaks `@name` and `@org/team` with a zero-width space after the `@`, as
 * Dependabot does: GitHub notifies whoever a PR comment mentions, and
 * escaping the `@` does not stop it (its mention filter reads the rendered
 * text). Like that filter, an `@` after a letter or digit (`mod@v1.2.0`) is
 * no mention; but when what follows it is a domain (`foo@evil.example`),
 * cmark-gfm's autolink extension would make it a mailto: link, and there
 * the zero-width space goes too (a backslash or an entity does not stop
 * it). Code spans need nothing: neither is looked for in code. For
 * markdown and HTML text only: the entity must not be escaped again.
 */
function noMentions(s: string): string {
  return s
    .replace(/(^|[^A-Za-z0-9_])@(?=[A-Za-z0-9])/g, '$1@&#8203;')
    .replace(/@(?=[A-Za-z0-9._\\&#;-]*\.[A-Za-z0-9._\\&#;-]*[A-Za-z.;](?![A-Za-z0-9._\\&#;-]))/g, '@&#8203;');
}

/**
 * cmark-gfm's autolink extension links a bare `www.` (and GitHub renders
 * it); an escaped dot does not start one. (`http://` and `mailto:` need a
 * colon, which escapeMarkdown escapes.)
 */
function noWww(s: string, dot: string): string {
  return s.replace(/(www)\./gi, `$1${dot}`);
}

/** HTML inside <pre>: like escapeHtml but tabs stay (or become `tabWidth` spaces). */
export function escapeHtmlCode(s: string, tabWidth?: number): string {
  return visibleCode(s, tabWidth)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Markdown inline text (paragraphs, list items, GFM table cells). The
 * characters that can open an inline construct are backslash-escaped
 * (CommonMark allows escaping any ASCII punctuation): emphasis, code spans,
 * links and images (`[`, `]`), strikethrough, math, table cell boundaries and
 * URL schemes (`:`, so no extended autolink forms). `<`, `>` and `&` become
 * entities, so no raw HTML, autolink or entity does. A leading `#`, `-`,
 * `+`, `=` or `1. ` is escaped so the text cannot start a block when it lands
 * at the start of a line. An `@` before a name gets a zero-width space
 * (noMentions). Newlines were already made visible.
 */
export function escapeMarkdown(s: string): string {
  const text = visible(s)
    .replace(/[\\`*_[\]|~$:]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^([#+\-=])/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
  return noWww(noMentions(text), '\\.');
}

/**
 * A markdown code span holding `s` literally. The delimiter is one backtick
 * longer than the longest run inside, and padding spaces keep a leading or
 * trailing backtick from merging with it. In a GFM table cell a `|` splits
 * the row even inside a code span, so `inTable` escapes it (GFM renders
 * `\|` in a cell's code span as `|`).
 */
export function markdownCode(s: string, inTable: boolean): string {
  let text = visible(s);
  if (inTable) text = text.replace(/\|/g, '\\|');
  const longest = maxOf(Array.from(text.matchAll(/`+/g), (m) => m[0].length), 0);
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || /^ .* $/.test(text) ? ' ' : '';
  if (text === '') return escapeMarkdown('""');
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** A fence that no line of `code` can close: longer than any backtick run in it, at least three. */
export function fenceFor(code: string): string {
  const longest = maxOf(Array.from(code.matchAll(/`+/g), (m) => m[0].length), 0);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Percent-encodes a relative path for a URL or SARIF uri, segment by segment. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}
