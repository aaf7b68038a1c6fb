// The terminal report: header, verdict, a table of hot sites, then one
// block per site (source with the line marked, the compiler's reasons in
// words, the estimate), the cold summary and notes. Pure: the CLI decides
// `color` (false for a non-TTY or NO_COLOR) and `width` (the terminal's).
import Table from 'cli-table3';
import type { Report } from '../model/report.js';
import { visible, visibleCode, visibleStrings } from './sanitize.js';
import { buildView, locationText, type FindingView, type ReportView, type ViewOptions } from './view.js';
import { formatPercent, formatValue } from '../model/units.js';
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

/** Greedy word wrap; words longer than the line are cut. `first`/`rest` are prefixes (their width counts). */
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
  const ruleW = narrow ? 0 : Math.min(25, maxOf(hot.map((f) => (f.ruleId ?? '').length), 6) + 2);
  const cols = 3 + (withObjects ? 1 : 0) + (narrow ? 0 : 1) + (wide ? 1 : 0);
  const fixed = rankW + shareW + objW + ruleW + cols + 1;
  const flexible = Math.max(wide ? 30 : 16, width - fixed);
  const siteW = wide ? Math.floor(flexible * 0.45) : flexible;
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
  if (!narrow) {
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
    const siteLines = [...cut(f.function, siteW - 2, paint.bold), ...cut(locationText(f.location), siteW - 2, paint.dim)];
    if (narrow && f.ruleId) pushAll(siteLines, cut(f.ruleId, siteW - 2, paint.magenta));
    const row: Table.Cell[] = [String(f.rank), paint.yellow(f.share)];
    if (withObjects) row.push(f.objectsShare ?? '–');
    row.push({ content: siteLines.join('\n'), wordWrap: false });
    if (!narrow) row.push({ content: cut(f.ruleId ?? '–', ruleW - 2, paint.magenta).join('\n'), wordWrap: false });
    if (wide) row.push(clip(visible(f.advice), adviceW - 2, 3 * MAX_CELL_LINES));
    t.push(row);
  }
  return t.toString();
}

function snippetLines(f: FindingView, paint: Paint): string[] {
  const s = f.finding.snippet;
  if (!s) return [];
  const last = s.startLine + s.lines.length - 1;
  const numW = String(last).length;
  return s.lines.map((code, i) => {
    const n = s.startLine + i;
    const focus = n === s.focusLine;
    const mark = focus ? paint.red('>') : ' ';
    const num = String(n).padStart(numW);
    const text = visibleCode(code, TAB);
    return `    ${mark} ${focus ? paint.bold(num) : paint.dim(num)} │ ${focus ? paint.bold(text) : text}`;
  });
}

function findingBlock(f: FindingView, view: ReportView, width: number, paint: Paint): string[] {
  const out: string[] = [];
  const L = 14;
  pushAll(out, wrap(visible(f.function), width, `#${f.rank}  `, '    ').map((l) => paint.bold(l)));
  const indent = (lines: string[]) => lines.map((l) => `    ${l}`);
  const w = width - 4;
  let at = locationText(f.location) + (f.location.inSrc ? '' : ' (outside --src)');
  if (f.callSite) at += `, inlined into ${f.callSite.function} at ${locationText(f.callSite.location)}`;
  pushAll(out, indent(labelled('At', at, w, L, paint)));
  let share = `${f.share} of ${view.sampleType} (${f.value})`;
  if (f.objectsShare !== null && view.companionType) share += `, ${f.objectsShare} of ${view.companionType}${f.objects ? ` (${f.objects})` : ''}`;
  if (f.oneOff) share += '; a single large allocation, not churn';
  pushAll(out, indent(labelled('Share', share, w, L, paint)));
  if (f.ruleId) pushAll(out, indent(labelled('Rule', f.ruleTitle ? `${f.ruleId}: ${f.ruleTitle}` : f.ruleId, w, L, paint)));
  pushAll(out, indent(labelled('Advice', f.advice, w, L, paint)));
  f.reasons.forEach((r, i) => pushAll(out, indent(labelled(i === 0 ? 'Why' : '', r, w, L, paint))));
  if (f.matchNote) pushAll(out, indent(labelled(f.reasons.length ? '' : 'Why', f.matchNote, w, L, paint)));
  if (f.allocatedBy.length) pushAll(out, indent(labelled('Allocated by', f.allocatedBy.join(', '), w, L, paint)));
  pushAll(out, indent(labelled('Saves', f.estimate ?? 'not estimated', w, L, paint)));
  if (f.estimateNote) pushAll(out, indent(labelled('', f.estimateNote, w, L, paint)).map(paint.dim));
  if (f.rule && f.rule.fix) pushAll(out, indent(labelled('Fix', f.rule.fix, w, L, paint)));
  const code = snippetLines(f, paint);
  if (code.length) pushAll(out, ['', ...code]);
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
    t.push([...rows[i], `${clip(visible(s.function), siteWidth - 2)}\n${clip(`${visible(s.file ?? s.profileFile)}:${s.line}`, siteWidth - 2)}`]),
  );
  return t.toString();
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
      const line = `#${f.rank} ${f.share}  ${f.function}  ${locationText(f.location)}${f.ruleId ? `  [${f.ruleId}]` : ''}`;
      pushAll(out, wrap(visible(line), width, '  ', '      '));
    }
  }

  if (report.sites.length > 0) {
    heading(`Top allocation sites by ${visible(report.profile.sampleType)} (as go tool pprof -lines counts them)`);
    out.push(sitesTable(report, width));
  }

  heading('Cold escapes');
  pushAll(out, wrap(visible(view.cold.sentence), width, '  '));
  for (const c of view.cold.items) {
    pushAll(out, wrap(visible(`${c.fileText}  ${c.kind}: ${c.subject}  (${c.share})`), width, '  - ', '    '));
  }
  if (view.cold.unlisted > 0 && view.cold.items.length > 0) out.push(`  … and ${view.cold.unlisted} more`);

  if (view.diff) {
    heading(visible(view.diff.title));
    const colour = (status: string, s: string) =>
      status === 'regression' || status === 'new-hot' ? paint.red(s) : status === 'improvement' || status === 'fixed' ? paint.green(s) : s;
    for (const r of view.diff.rows) {
      const head = `${r.statusText.padEnd(11)} ${r.baseShare} → ${r.share} (${r.delta}, ${r.relative})`;
      pushAll(out, wrap(head, width, '  ', '              ').map((l) => colour(r.status, l)));
      pushAll(out, wrap(visible(`${r.function}  ${r.fileText}`), width, '      ', '      '));
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
