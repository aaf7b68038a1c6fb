// The terminal report: header, verdict, a table of hot sites, then one
// block per site (source with the line marked, the compiler's reasons in
// words, the estimate), the cold summary and notes. Pure: the CLI decides
// `color` (false for a non-TTY or NO_COLOR) and `width` (the terminal's).
import Table from 'cli-table3';
import type { Report } from '../model/report.js';
import { visible, visibleCode, visibleStrings } from './sanitize.js';
import { buildView, locationText, type FindingView, type ReportView, type ViewOptions } from './view.js';
import { formatPercent, formatValue } from '../model/units.js';
import { shortFunctionName as short } from '../model/names.js';
import { maxOf, pushAll } from '../arrays.js';

export interface TextOptions extends ViewOptions {
  color: boolean;
  /** Terminal columns; the layout drops columns below 120 and 80. */
  width: number;
}

interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
  magenta(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => (s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`);
const COLOR: Paint = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  green: sgr(32, 39),
  cyan: sgr(36, 39),
  magenta: sgr(35, 39),
};
const id = (s: string) => s;
const PLAIN: Paint = { bold: id, dim: id, red: id, yellow: id, green: id, cyan: id, magenta: id };

const MIN_WIDTH = 40;
const TAB = 4;

/** `path/file.go:12`, possibly followed by punctuation: never cut in two. */
const FILE_LINE = /^\S*\.[A-Za-z0-9]+:\d+[,;:)]?$/;

/**
 * A path that fits `max` columns: whole when it fits, else its end behind
 * '…', so the file name and line number stay together and readable
 * (`…/api/codec.go:33`). The whole path is in the JSON report.
 */
export function fitPath(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const tail = text.slice(text.length - (max - 1));
  // Start at a directory boundary when there is one: `…/codec.go:33`.
  const slash = tail.indexOf('/');
  return `…${slash >= 0 && slash < tail.length - 1 ? tail.slice(slash) : tail}`;
}

/**
 * Greedy word wrap; words longer than the line are cut, except `file:line`,
 * which is shortened from the left instead (fitPath). `first`/`rest` are
 * prefixes (their width counts).
 */
export function wrap(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let lineHasWord = false;
  const limit = (prefix: string) => Math.max(10, width - prefix.length);
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    let w = word;
    const prefix = lines.length === 0 ? first : rest;
    const avail = limit(prefix);
    const used = line.length - prefix.length;
    if (lineHasWord && used + 1 + w.length <= avail) {
      line += ` ${w}`;
      continue;
    }
    if (lineHasWord) {
      lines.push(line);
      line = rest;
      lineHasWord = false;
    }
    const cur = lines.length === 0 ? first : rest;
    if (w.length > limit(cur) && FILE_LINE.test(w)) w = fitPath(w, limit(cur));
    while (w.length > limit(cur)) {
      lines.push(line + w.slice(0, limit(cur)));
      w = w.slice(limit(cur));
      line = rest;
    }
    line += w;
    lineHasWord = true;
  }
  if (lineHasWord || lines.length === 0) lines.push(line);
  return lines.map((l) => l.replace(/\s+$/, ''));
}

// Most lines one table cell holds. cli-table3 re-measures a cell's whole
// content for every line it draws (a debug truncate that slices one
// character at a time), so a multi-line cell costs about lines x length^2:
// a profile with a few 10 kB function names kept the text report busy for
// minutes. Cells are cut to this many lines, ending in '…'; the block for
// each site below the table still shows the whole name.
const MAX_CELL_LINES = 4;

/** Cuts `text` into pieces of at most `width` characters, at most `maxLines` of them (the last ending in '…' when cut). */
function chunks(text: string, width: number, maxLines = Infinity): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += w) {
    if (out.length === maxLines) {
      out[maxLines - 1] = `${out[maxLines - 1].slice(0, w - 1)}…`;
      break;
    }
    out.push(text.slice(i, i + w));
  }
  return out.length > 0 ? out : [''];
}

/** At most `maxLines` lines of `width` characters' worth of text: the bound for a cell cli-table3 wraps itself. */
function clip(text: string, width: number, maxLines = MAX_CELL_LINES): string {
  const max = Math.max(1, width) * maxLines;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function labelled(label: string, text: string, width: number, labelWidth: number, paint: Paint): string[] {
  const pad = ' '.repeat(labelWidth);
  const lines = wrap(visible(text), width, pad, pad);
  lines[0] = paint.dim(label.padEnd(labelWidth)) + lines[0].slice(labelWidth);
  return lines;
}

function table(view: ReportView, width: number, paint: Paint): string {
  const hot = view.hot;
  const wide = width >= 120;
  const narrow = width < 80;
  const withObjects = view.companionType !== null && !narrow;
  const rankW = Math.max(1, String(hot.length ? hot[hot.length - 1].rank : 1).length) + 2;
  const shareW = Math.max(8, (narrow ? 'share' : view.sampleType).length) + 2;
  const objW = withObjects ? Math.max(8, view.companionType!.length) + 2 : 0;
  // The rule has a column of its own from 160 columns; below, it goes under
  // the site, which keeps the room for the name, its file:line and the advice.
  const ruleCol = width >= 160;
  const ruleW = ruleCol ? Math.min(25, maxOf(hot.map((f) => (f.ruleId ?? '').length), 6) + 2) : 0;
  const cols = 3 + (withObjects ? 1 : 0) + (ruleCol ? 1 : 0) + (wide ? 1 : 0);
  const fixed = rankW + shareW + objW + ruleW + cols + 1;
  const flexible = Math.max(wide ? 30 : 16, width - fixed);
  // Wide: the site column as wide as its longest name or file:line needs, up
  // to half the room, so names stay whole and the advice gets the rest.
  const needed = Math.max(...hot.map((f) => Math.max(short(f.function).length, locationText(f.location).length))) + 2;
  const siteW = wide ? Math.max(Math.floor(flexible * 0.35), Math.min(needed, Math.floor(flexible * 0.5))) : flexible;
  const adviceW = wide ? flexible - siteW : 0;

  const head = ['#', narrow ? 'share' : view.sampleType];
  const colWidths = [rankW, shareW];
  const colAligns: ('left' | 'right')[] = ['right', 'right'];
  if (withObjects) {
    head.push(view.companionType!);
    colWidths.push(objW);
    colAligns.push('right');
  }
  head.push('site');
  colWidths.push(siteW);
  colAligns.push('left');
  if (ruleCol) {
    head.push('rule');
    colWidths.push(ruleW);
    colAligns.push('left');
  }
  if (wide) {
    head.push('advice');
    colWidths.push(adviceW);
    colAligns.push('left');
  }

  const t = new Table({
    head: head.map((h) => paint.bold(h)),
    colWidths,
    colAligns,
    wordWrap: true,
    wrapOnWordBoundary: true,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
  });
  // Names and paths have no spaces, so they are cut at the cell width here,
  // before colouring: cli-table3's own hard wrap miscounts colour codes.
  const cut = (text: string, width: number, colour: (s: string) => string) => chunks(visible(text), width, MAX_CELL_LINES).map(colour);
  for (const f of hot) {
    const siteLines = [...cut(short(f.function), siteW - 2, paint.bold), paint.dim(fitPath(visible(locationText(f.location)), siteW - 2))];
    if (!ruleCol && f.ruleId) pushAll(siteLines, cut(f.ruleId, siteW - 2, paint.magenta));
    const row: Table.Cell[] = [String(f.rank), paint.yellow(f.share)];
    if (withObjects) row.push(f.objectsShare ?? '–');
    row.push({ content: siteLines.join('\n'), wordWrap: false });
    if (ruleCol) row.push({ content: cut(f.ruleId ?? '–', ruleW - 2, paint.magenta).join('\n'), wordWrap: false });
    if (wide) row.push(clip(visible(f.advice), adviceW - 2, 3 * MAX_CELL_LINES));
    t.push(row);
  }
  return t.toString();
}

function snippetLines(f: FindingView, width: number, paint: Paint): string[] {
  const s = f.finding.snippet;
  if (!s) return [];
  const last = s.startLine + s.lines.length - 1;
  const numW = String(last).length;
  return s.lines.map((code, i) => {
    const n = s.startLine + i;
    const focus = n === s.focusLine;
    const mark = focus ? paint.red('>') : ' ';
    const num = String(n).padStart(numW);
    // Code is cut at the terminal's edge rather than wrapped into the gutter.
    const room = Math.max(10, width - (numW + 9));
    const full = visibleCode(code, TAB);
    const text = full.length > room ? `${full.slice(0, room - 1)}…` : full;
    return `    ${mark} ${focus ? paint.bold(num) : paint.dim(num)} │ ${focus ? paint.bold(text) : text}`;
  });
}

function findingBlock(f: FindingView, view: ReportView, width: number, paint: Paint): string[] {
  const out: string[] = [];
  const L = 14;
  pushAll(out, wrap(visible(short(f.function)), width, `#${f.rank}  `, '    ').map((l) => paint.bold(l)));
  const indent = (lines: string[]) => lines.map((l) => `    ${l}`);
  const w = width - 4;
  let at = locationText(f.location) + (f.location.outside ? ' (outside --src)' : '');
  if (f.callSite) at += `, inlined into ${short(f.callSite.function)} at ${locationText(f.callSite.location)}`;
  pushAll(out, indent(labelled('At', at, w, L, paint)));
  let share = `${f.share} of ${view.sampleType} (${f.value})`;
  if (f.objectsShare !== null && view.companionType) share += `, ${f.objectsShare} of ${view.companionType}${f.objects ? ` (${f.objects})` : ''}`;
  if (f.oneOff) share += '; a single large allocation, not churn';
  pushAll(out, indent(labelled('Share', share, w, L, paint)));
  if (f.source) pushAll(out, indent(labelled('Source', f.source, w, L, paint)));
  if (f.ruleId) pushAll(out, indent(labelled('Rule', f.ruleTitle ? `${f.ruleId}: ${f.ruleTitle}` : f.ruleId, w, L, paint)));
  pushAll(out, indent(labelled('Advice', f.advice, w, L, paint)));
  f.reasons.forEach((r, i) => pushAll(out, indent(labelled(i === 0 ? 'Why' : '', r, w, L, paint))));
  if (f.matchNote) pushAll(out, indent(labelled(f.reasons.length ? '' : 'Why', f.matchNote, w, L, paint)));
  f.notes.forEach((n, i) => pushAll(out, indent(labelled(i === 0 ? 'Also' : '', n, w, L, paint))));
  f.calls.forEach((c, i) => pushAll(out, indent(labelled(i === 0 ? 'Calls' : '', c, w, L, paint))));
  pushAll(out, indent(labelled('Saves', f.estimate ?? 'not estimated', w, L, paint)));
  if (f.estimateNote) pushAll(out, indent(labelled('', f.estimateNote, w, L, paint)).map(paint.dim));
  if (f.rule && f.rule.fix) pushAll(out, indent(labelled('Fix', f.rule.fix, w, L, paint)));
  const code = snippetLines(f, width, paint);
  if (code.length) out.push('', ...code);
  return out;
}

/**
 * The ranking itself: flat and cum of the chosen sample type and of its
 * companion, with percentages, for each site (first user frame from the
 * leaf). Narrower terminals keep the percentages and drop absolute values.
 */
function sitesTable(report: Report, width: number): string {
  const { unit, total, companion } = report.profile;
  const pct = (v: number, t: number) => (t ? formatPercent(Math.abs(v) / t) : '-');
  type Col = { head: string; cell: (s: Report['sites'][number]) => string };
  const cols: Col[] = [];
  const wide = width >= 140;
  const medium = width >= 100;
  if (medium) cols.push({ head: 'flat', cell: (s) => formatValue(s.flat, unit) });
  cols.push({ head: 'flat%', cell: (s) => pct(s.flat, total) });
  if (wide) cols.push({ head: 'cum', cell: (s) => formatValue(s.cum, unit) });
  cols.push({ head: 'cum%', cell: (s) => pct(s.cum, total) });
  if (companion && medium) cols.push({ head: visible(companion.sampleType), cell: (s) => (s.objects === null ? '-' : formatValue(s.objects, companion.unit)) });
  if (companion && wide) cols.push({ head: '%', cell: (s) => (s.objects === null ? '-' : pct(s.objects, companion.total)) });
  const rows = report.sites.map((s) => cols.map((c) => c.cell(s)));
  const colWidths = cols.map((c, i) => maxOf(rows.map((r) => r[i].length), c.head.length) + 2);
  const siteWidth = Math.max(10, width - colWidths.reduce((a, b) => a + b, 0) - (cols.length + 2));
  const t = new Table({
    head: [...cols.map((c) => c.head), 'site'],
    style: { head: [], border: [], compact: true },
    colAligns: [...cols.map(() => 'right' as const), 'left' as const],
    colWidths: [...colWidths, siteWidth],
    wordWrap: true,
    wrapOnWordBoundary: false,
  });
  report.sites.forEach((s, i) =>
    t.push([...rows[i], `${clip(visible(short(s.function)), siteWidth - 2)}\n${fitPath(`${visible(s.file ?? s.profileFile)}:${s.line}`, siteWidth - 2)}`]),
  );
  return t.toString();
}

/** Cold lines listed one by one at most; the rest are counted. --top 0 lists every line with a share. */
const COLD_FEW = 5;

/**
 * The cold escapes folded: the few lines with the largest share (escapes on
 * one line together, as the share is the line's), then one line counting the
 * other lines with a share, and one counting those the profile never sampled,
 * by kind. The JSON report lists every item.
 */
function coldLines(report: Report, view: ReportView, width: number): string[] {
  type Line = { fileText: string; share: number; shareText: string; escapes: { kind: string; subject: string }[] };
  const byLine = new Map<string, Line>();
  view.cold.items.forEach((c, i) => {
    const share = report.cold.items[i]?.share ?? 0;
    let l = byLine.get(c.fileText);
    if (!l) byLine.set(c.fileText, (l = { fileText: c.fileText, share, shareText: c.share, escapes: [] }));
    l.escapes.push({ kind: c.kind, subject: c.subject });
  });
  const lines = [...byLine.values()];
  const sampled = lines.filter((l) => l.share > 0).sort((a, b) => b.share - a.share);
  const unsampled = lines.filter((l) => !(l.share > 0));
  const top = report.settings.top;
  const shown = sampled.slice(0, top === 0 ? sampled.length : Math.min(top, COLD_FEW));
  const out: string[] = [];
  const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  if (shown.length > 0) out.push(`  ${shown.length === sampled.length ? 'Lines with a share:' : `The ${count(shown.length, 'line')} with the largest share:`}`);
  const describe = (l: Line) => {
    const byKind = new Map<string, string[]>();
    for (const e of l.escapes) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.subject]);
    return [...byKind].map(([k, subjects]) => `${k}: ${subjects.join(', ')}`).join('; ');
  };
  for (const l of shown) pushAll(out, wrap(visible(`${l.fileText} (${l.shareText}) ${describe(l)}`), width, '  - ', '    '));
  const rest = sampled.slice(shown.length);
  if (rest.length > 0) {
    const escapes = rest.reduce((n, l) => n + l.escapes.length, 0);
    // Not summed: one allocation can be counted at two lines (inlined code).
    pushAll(out, wrap(`… ${count(escapes, 'more escape')} at ${count(rest.length, 'other line')}, each line ${rest[0].shareText} or less`, width, '  ', '    '));
  }
  if (unsampled.length > 0) {
    const kinds = new Map<string, number>();
    for (const l of unsampled) for (const e of l.escapes) kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    const escapes = unsampled.reduce((n, l) => n + l.escapes.length, 0);
    const byKind = [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`).join(', ');
    pushAll(out, wrap(visible(`… ${count(escapes, 'escape')} at ${count(unsampled.length, 'line')} the profile never sampled (0%): ${byKind}`), width, '  ', '    '));
  }
  if (view.cold.unlisted > 0 && view.cold.items.length > 0) out.push(`  … and ${count(view.cold.unlisted, 'more escape')} not listed`);
  return out;
}

export function renderText(raw: Report, opts: TextOptions): string {
  // Every string of the Report made visible first (units, names, notes, ...):
  // the escaping below is per context, this is for every field.
  const report = visibleStrings(raw);
  const paint = opts.color ? COLOR : PLAIN;
  const width = Math.max(MIN_WIDTH, Math.floor(opts.width) || 80);
  const view = buildView(report, opts);
  const out: string[] = [];
  const heading = (s: string) => {
    pushAll(out, ['', ...wrap(s, width).map((l) => paint.bold(l))]);
  };

  out.push(`${paint.bold(view.title)} ${paint.dim(`· ${view.tool}`)}`);
  const labelW = maxOf(view.header.map((h) => h.label.length)) + 2;
  for (const h of view.header) pushAll(out, labelled(`  ${h.label}`, h.value, width, labelW + 2, paint));

  heading('Verdict');
  pushAll(out, wrap(visible(view.verdict), width, '  '));

  if (view.hot.length > 0) {
    heading(`Hot allocation sites (${view.hot.length}, ${view.hotShare} of ${visible(view.sampleType)})`);
    out.push(table(view, width, paint));
    for (const f of view.hot) {
      out.push('');
      pushAll(out, findingBlock(f, view, width, paint));
    }
  }

  if (view.warm.length > 0) {
    heading('Below the hot threshold');
    for (const f of view.warm) {
      const line = `#${f.rank} ${f.share}  ${short(f.function)}  ${locationText(f.location)}${f.ruleId ? `  [${f.ruleId}]` : ''}`;
      pushAll(out, wrap(visible(line), width, '  ', '      '));
    }
  }

  if (report.sites.length > 0) {
    heading(`Top allocation sites by ${visible(report.profile.sampleType)} (as go tool pprof -lines counts them)`);
    out.push(sitesTable(report, width));
  }

  heading('Cold escapes');
  pushAll(out, wrap(visible(view.cold.sentence), width, '  '));
  pushAll(out, coldLines(report, view, width));

  if (view.diff) {
    heading(visible(view.diff.title));
    const colour = (status: string, s: string) =>
      status === 'regression' || status === 'new-hot' ? paint.red(s) : status === 'improvement' || status === 'fixed' ? paint.green(s) : s;
    out.push(...wrap(visible(view.diff.pairing), width, '  ').map(paint.dim));
    for (const r of view.diff.rows) {
      const head =
        view.diff.mode === 'subtract'
          ? `${r.statusText.padEnd(11)} ${r.delta} (${r.baseShare} → ${r.share}, ${r.relative})`
          : `${r.statusText.padEnd(11)} ${r.baseShare} → ${r.share} (${r.delta}, ${r.relative})`;
      pushAll(out, wrap(visible(head), width, '  ', '              ').map((l) => colour(r.status, l)));
      const how = r.movedFrom && r.matchText ? ` (${r.matchText})` : '';
      pushAll(out, wrap(visible(`${short(r.function)}  ${r.fileText}${how}`), width, '      ', '      '));
    }
  }

  if (view.history) {
    const hv = view.history;
    heading(`Trend of the hot sites (${hv.periods.length} profiles, share of today's total at today's workload)`);
    for (const n of hv.normalization) pushAll(out, wrap(visible(n), width, '  ').map(paint.dim));
    for (const site of hv.sites) {
      pushAll(out, wrap(visible(`${sparkText(site.values)}  ${site.cells.join(' ')}  ${site.summary}`), width, '  ', '    '));
      pushAll(out, wrap(visible(`${short(site.function)}  ${site.fileText}`), width, '      ', '      '));
    }
  }

  if (view.cpu) {
    heading(visible(view.cpu.title));
    pushAll(out, wrap(visible(view.cpu.sentence), width, '  '));
    if (view.cpu.note) pushAll(out, wrap(visible(view.cpu.note), width, '  ').map(paint.dim));
  }

  if (view.notes.length > 0 || view.warnings.length > 0) {
    heading('Notes');
    for (const n of view.notes) pushAll(out, wrap(visible(n), width, '  - ', '    '));
    for (const w of view.warnings) {
      const lines = wrap(visible(w), width, '  ! ', '    ');
      lines[0] = `  ${paint.yellow('!')}${lines[0].slice(3)}`;
      pushAll(out, lines);
    }
  }

  return `${out.join('\n')}\n`;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** One block character per period, scaled to the site's own largest share; a dot where it was absent. */
function sparkText(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values.map((v) => (v === null ? '·' : SPARK[max > 0 ? Math.min(7, Math.floor((v / max) * 7.999)) : 0])).join('');
}
