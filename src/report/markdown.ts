// The PR-comment report (GitHub-flavoured markdown): verdict, summary
// table, one collapsed block per hot site with its source, reasons and fix,
// the cold list collapsed. It must fit a comment (GitHub rejects bodies over
// 65,536 characters), so it drops the least important parts first and says
// what it left out.
//
// Every profile-derived string is escaped for the exact context it lands
// in: code spans (table-safe), plain markdown text, raw HTML inside
// <summary>, or fenced blocks whose fence no content line can close.
import type { Report } from '../model/report.js';
import { escapeHtmlInMarkdown as htmlText, escapeMarkdown, fenceFor, markdownCode, visibleCode, visibleStrings } from './sanitize.js';
import { formatCount } from '../model/units.js';
import { buildView, locationText, type FindingView, type Location, type ReportView, type ViewOptions } from './view.js';
import { pushAll } from '../arrays.js';

export interface MarkdownOptions extends ViewOptions {
  /** Hard limit on the output length in characters (UTF-16 code units); default 65,000. */
  maxChars?: number;
}

export const DEFAULT_MAX_CHARS = 65_000;
/** How many top sites keep their source and fix examples until all lower sites are dropped. */
const CODE_FLOOR = 10;

const md = escapeMarkdown;

/** A link destination from the user's --link-template: characters that would end it are percent-encoded. */
function safeUrl(url: string): string {
  return url.replace(/[\s<>()[\]`"']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function loc(l: Location): string {
  const text = md(locationText(l));
  return l.url ? `[${text}](${safeUrl(l.url)})` : text;
}

function summaryRow(f: FindingView, view: ReportView): string {
  const cells = [String(f.rank), `${f.share}`];
  if (view.companionType !== null) cells.push(f.objectsShare ?? '–');
  cells.push(`${markdownCode(f.function, true)}<br>${loc(f.location)}${f.location.outside ? ' (outside --src)' : ''}`);
  cells.push(f.ruleId ? markdownCode(f.ruleId, true) : '–');
  cells.push(md(f.advice));
  return `| ${cells.join(' | ')} |`;
}

function summaryTable(rows: FindingView[], view: ReportView): string[] {
  const head = ['#', md(view.sampleType)];
  const align = ['--:', '--:'];
  if (view.companionType !== null) {
    head.push(md(view.companionType));
    align.push('--:');
  }
  head.push('Site', 'Rule', 'Advice');
  align.push(':--', ':--', ':--');
  return [`| ${head.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((f) => summaryRow(f, view))];
}

function fenced(code: string, info: string): string[] {
  const fence = fenceFor(code);
  return [`${fence}${info}`, code, fence];
}

function snippetBlock(f: FindingView): string[] {
  const s = f.finding.snippet;
  if (!s || s.lines.length === 0) return [];
  const numW = String(s.startLine + s.lines.length - 1).length;
  const code = s.lines
    .map((line, i) => {
      const n = s.startLine + i;
      return `${n === s.focusLine ? '▶' : ' '} ${String(n).padStart(numW)}  ${visibleCode(line, 4)}`;
    })
    .join('\n');
  return ['', ...fenced(code, 'go')];
}

/** Multi-line code with each line made safe (controls visible, tabs kept). */
function codeLines(code: string): string {
  return code.split(/\r?\n/).map((l) => visibleCode(l)).join('\n');
}

function fixBlock(f: FindingView): string[] {
  const r = f.rule;
  if (!r) return [];
  const out = ['', `**Fix:** ${md(r.fix)}`];
  if (r.before.trim() !== '' && r.after.trim() !== '') {
    out.push('', 'Before:', '', ...fenced(codeLines(r.before), 'go'), '', 'After:', '', ...fenced(codeLines(r.after), 'go'));
  }
  if (r.whenNot.trim() !== '') out.push('', `*When not to:* ${md(r.whenNot)}`);
  return out;
}

function findingDetails(f: FindingView, view: ReportView, withCode: boolean): string {
  const summary =
    `<summary><strong>#${f.rank} ${htmlText(f.function)}</strong> · ${htmlText(f.share)} of ${htmlText(view.sampleType)}` +
    (f.ruleId ? ` · ${htmlText(f.ruleId)}` : '') +
    '</summary>';
  const out = ['<details>', summary, ''];
  let at = `**At** ${loc(f.location)}${f.location.outside ? ' (outside --src)' : ''}`;
  if (f.callSite) at += `, inlined into ${markdownCode(f.callSite.function, false)} at ${loc(f.callSite.location)}`;
  out.push(at, '');
  let share = `**Share** ${f.share} of ${md(view.sampleType)} (${md(f.value)})`;
  if (f.objectsShare !== null && view.companionType !== null) {
    share += `, ${f.objectsShare} of ${md(view.companionType)}${f.objects ? ` (${md(f.objects)})` : ''}`;
  }
  if (f.oneOff) share += '. A single large allocation, not churn.';
  out.push(share, '');
  if (f.source) out.push(`**Source** ${md(f.source)}`, '');
  if (f.ruleId) out.push(`**Rule** ${markdownCode(f.ruleId, false)}${f.ruleTitle ? `: ${md(f.ruleTitle)}` : ''}`, '');
  out.push(`**Advice** ${md(f.advice)}`);
  if (f.reasons.length > 0 || f.matchNote) {
    out.push('', '**Why**', '');
    for (const r of f.reasons) out.push(`- ${md(r)}`);
    if (f.matchNote) out.push(`- ${md(f.matchNote)}`);
  }
  for (const n of f.notes) out.push('', `**Also** ${md(n)}`);
  if (f.calls.length > 0) out.push('', `**Calls** ${f.calls.map((c) => md(c)).join('; ')}`);
  if (f.estimate || f.estimateNote) {
    out.push('', `**Estimated saving** ${f.estimate ? md(f.estimate) : 'none'}${f.estimateNote ? ` <br><sub>${md(f.estimateNote)}</sub>` : ''}`);
  }
  if (withCode) {
    pushAll(out, snippetBlock(f));
    pushAll(out, fixBlock(f));
  }
  out.push('', '</details>');
  return out.join('\n');
}

function coldBlock(view: ReportView, withItems: boolean): string {
  const out = ['### Cold escapes', '', md(view.cold.sentence)];
  if (withItems && view.cold.items.length > 0) {
    out.push('', '<details>', `<summary>${formatCount(view.cold.items.length)} listed</summary>`, '');
    out.push('| Location | Kind | Expression | Share |', '|:--|:--|:--|--:|');
    for (const c of view.cold.items) {
      const where = c.location ? loc(c.location) : md(c.fileText);
      out.push(`| ${where} | ${md(c.kind)} | ${markdownCode(c.subject, true)} | ${c.share} |`);
    }
    if (view.cold.unlisted > 0) out.push('', `…and ${formatCount(view.cold.unlisted)} more.`);
    out.push('', '</details>');
  }
  return out.join('\n');
}

function warmBlock(view: ReportView): string {
  if (view.warm.length === 0) return '';
  const out = ['### Below the hot threshold', ''];
  for (const f of view.warm) {
    out.push(`- #${f.rank} ${f.share} ${markdownCode(f.function, false)} at ${loc(f.location)}${f.ruleId ? ` (${markdownCode(f.ruleId, false)})` : ''}`);
  }
  return out.join('\n');
}

function diffBlock(view: ReportView): string {
  const d = view.diff;
  if (!d) return '';
  const out = [`### ${md(d.title)}`, '', `<sub>${md(d.pairing)}</sub>`, ''];
  if (d.rows.length === 0) {
    out.push('No site changed.');
    return out.join('\n');
  }
  out.push(`| Status | Site | Before | Now | ${d.mode === 'subtract' ? 'Change (normalized)' : 'Change'} | Relative |`, '|:--|:--|--:|--:|--:|--:|');
  for (const r of d.rows) {
    const icon = r.status === 'regression' || r.status === 'new-hot' ? '🔺 ' : r.status === 'improvement' || r.status === 'fixed' ? '✅ ' : '';
    const here = r.location ? loc(r.location) : md(r.movedFrom ? r.fileText.slice(r.movedFrom.length + 3) : r.fileText);
    const where = r.movedFrom ? `${md(r.movedFrom)} → ${here}${r.matchText ? ` <sub>(${md(r.matchText)})</sub>` : ''}` : here;
    out.push(`| ${icon}${md(r.statusText)} | ${markdownCode(r.function, true)}<br>${where} | ${r.baseShare} | ${r.share} | ${md(r.delta)} | ${md(r.relative)} |`);
  }
  return out.join('\n');
}

function historyBlock(view: ReportView): string {
  const hv = view.history;
  if (!hv) return '';
  const out = [`### Trend of the hot sites`, '', `<sub>Share of today's total at today's workload, per profile, oldest first.</sub>`, ''];
  out.push(`| Site | ${hv.periods.map(md).join(' | ')} | |`, `|:--|${hv.periods.map(() => '--:|').join('')}:--|`);
  for (const site of hv.sites) {
    const where = site.location ? loc(site.location) : md(site.fileText);
    out.push(`| ${markdownCode(site.function, true)}<br>${where} | ${site.cells.map(md).join(' | ')} | ${md(site.summary)} |`);
  }
  if (hv.normalization.length > 0) {
    out.push('', '<details>', '<summary>How each profile was scaled</summary>', '');
    for (const n of hv.normalization) out.push(`- ${md(n)}`);
    out.push('', '</details>');
  }
  return out.join('\n');
}

function cpuBlock(view: ReportView): string {
  const c = view.cpu;
  if (!c) return '';
  const out = [`### ${md(c.title)}`, '', md(c.sentence)];
  if (c.note) out.push('', `<sub>${md(c.note)}</sub>`);
  return out.join('\n');
}

function notesBlock(view: ReportView): string {
  if (view.notes.length === 0 && view.warnings.length === 0) return '';
  const out = ['### Notes', ''];
  for (const n of view.notes) out.push(`- ${md(n)}`);
  for (const w of view.warnings) out.push(`- ⚠️ ${md(w)}`);
  return out.join('\n');
}

function aboutBlock(view: ReportView): string {
  const out = ['<details>', '<summary>Profile and settings</summary>', ''];
  for (const h of view.header) out.push(`- **${md(h.label)}:** ${md(h.value)}`);
  out.push('', '</details>');
  return out.join('\n');
}

interface Plan {
  coldItems: boolean;
  warm: boolean;
  /** Findings ranked at or above this index (0-based) keep snippet and fix examples. */
  codeUpTo: number;
  /** How many hot findings are kept at all. */
  kept: number;
}

function truncationNote(view: ReportView, plan: Plan, maxChars: number): string {
  const n = view.hot.length;
  const parts: string[] = [];
  if (!plan.coldItems && view.cold.items.length > 0) parts.push(`the list of ${formatCount(view.cold.items.length)} cold escapes`);
  if (!plan.warm && view.warm.length > 0) parts.push(`${formatCount(view.warm.length)} sites below the hot threshold`);
  const codeFrom = plan.codeUpTo;
  const codeTo = Math.min(plan.kept, n);
  if (codeFrom < codeTo) parts.push(`source and fix examples for #${view.hot[codeFrom].rank}–#${view.hot[codeTo - 1].rank}`);
  if (plan.kept < n) parts.push(`hot sites #${view.hot[plan.kept].rank}–#${view.hot[n - 1].rank}`);
  if (parts.length === 0) return '';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `> **Note:** shortened to fit ${formatCount(maxChars)} characters: left out ${list}. Run advisor with \`--format html\` or \`--format json\` for the full report.`;
}

function assemble(view: ReportView, details: { full: string; short: string }[], plan: Plan, maxChars: number): string {
  const kept = view.hot.slice(0, plan.kept);
  const sections: string[] = [];
  sections.push(`## ${md(view.title)}`);
  const meta = [view.header[0]?.value, `${view.sampleType} total ${view.total}`].filter(Boolean).map((s) => md(s!));
  sections.push(`<sub>${meta.join(' · ')} · ${md(view.tool)}</sub>`);
  sections.push(md(view.verdict));
  const note = truncationNote(view, plan, maxChars);
  if (note) sections.push(note);
  if (kept.length > 0) {
    sections.push(summaryTable(kept, view).join('\n'));
    sections.push(`### Hot sites`);
    sections.push(kept.map((_, i) => (i < plan.codeUpTo ? details[i].full : details[i].short)).join('\n\n'));
  }
  if (plan.warm) {
    const w = warmBlock(view);
    if (w) sections.push(w);
  }
  for (const block of [diffBlock(view), historyBlock(view), cpuBlock(view)]) if (block) sections.push(block);
  sections.push(coldBlock(view, plan.coldItems));
  const notes = notesBlock(view);
  if (notes) sections.push(notes);
  sections.push(aboutBlock(view));
  return `${sections.join('\n\n')}\n`;
}

export function renderMarkdown(raw: Report, opts: MarkdownOptions = {}): string {
  // Every string of the Report made visible first (units, names, notes, ...):
  // the escaping below is per context, this is for every field.
  const report = visibleStrings(raw);
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const view = buildView(report, opts);
  const details = view.hot.map((f) => ({ full: findingDetails(f, view, true), short: findingDetails(f, view, false) }));
  const n = view.hot.length;
  const plan: Plan = { coldItems: true, warm: true, codeUpTo: n, kept: n };

  let out = assemble(view, details, plan, maxChars);
  if (out.length <= maxChars) return out;

  // Least important first: the cold list, the warm list, code of the
  // lowest-ranked sites, then the lowest-ranked sites themselves. The top
  // CODE_FLOOR sites keep their code until every site below them is gone:
  // the fix for #1 matters more than the existence of #400. Lengths are
  // tracked per part so 500 findings do not mean 500 re-renders.
  plan.coldItems = false;
  plan.warm = false;
  out = assemble(view, details, plan, maxChars);
  let excess = out.length - maxChars;
  const floor = Math.min(CODE_FLOOR, n);
  const dropCode = (limit: number) => {
    while (excess > 0 && plan.codeUpTo > limit) {
      plan.codeUpTo--;
      excess -= details[plan.codeUpTo].full.length - details[plan.codeUpTo].short.length;
    }
  };
  const dropSites = (limit: number) => {
    while (excess > 0 && plan.kept > limit) {
      plan.kept--;
      const d = plan.kept < plan.codeUpTo ? details[plan.kept].full : details[plan.kept].short;
      excess -= d.length + summaryRow(view.hot[plan.kept], view).length + 3;
      plan.codeUpTo = Math.min(plan.codeUpTo, plan.kept);
    }
  };
  dropCode(floor);
  dropSites(floor);
  dropCode(0);
  dropSites(1);
  // The note grows as parts are dropped; settle on a plan that fits.
  for (;;) {
    out = assemble(view, details, plan, maxChars);
    if (out.length <= maxChars) return out;
    if (plan.codeUpTo > floor) plan.codeUpTo--;
    else if (plan.kept > floor) {
      plan.kept--;
      plan.codeUpTo = Math.min(plan.codeUpTo, plan.kept);
    } else if (plan.codeUpTo > 0) plan.codeUpTo--;
    else if (plan.kept > 1) plan.kept--;
    else break;
  }
  // Even one site does not fit (a hostile profile with megabyte-long
  // names): keep only what is certain to be small.
  const minimal = [
    `## ${md(view.title)}`,
    md(view.verdict),
    `> **Note:** this report does not fit ${formatCount(maxChars)} characters even with one site. Run advisor with \`--format html\` or \`--format json\` for the full report.`,
  ].join('\n\n');
  if (minimal.length + 1 <= maxChars) return `${minimal}\n`;
  const note = `> **Note:** report left out: it does not fit ${formatCount(maxChars)} characters.\n`;
  return note.length <= maxChars ? note : note.slice(0, Math.max(0, maxChars));
}
