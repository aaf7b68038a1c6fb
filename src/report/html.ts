// The HTML report: one self-contained file (inline CSS and SVG, no script,
// no fonts or images from anywhere), the same content as the markdown
// report plus a bar chart of the top sites. A Content-Security-Policy meta
// tag forbids scripts and remote loads, as a second line of defence behind
// escaping every profile-derived string (text, attributes, SVG <title>).
//
// Layout rules that keep a 1280px window free of horizontal scrolling:
// long names wrap anywhere, tables are fixed-layout, code scrolls inside
// its own bounded box.
import type { Report } from '../model/report.js';
import { escapeHtml as h, escapeHtmlCode, visibleStrings } from './sanitize.js';
import { formatCount, formatPercent } from '../model/units.js';
import { shortFunctionName } from '../model/names.js';
import { buildView, locationText, type FindingView, type Location, type ReportView, type ViewOptions } from './view.js';
import { maxOf } from '../arrays.js';

export interface HtmlOptions extends ViewOptions {
  /** Page title; default "Heap allocation report". */
  title?: string;
}

// Tabs are expanded: tab stops would count from the line-number gutter.
const TAB = 4;

const CSS = `
:root{--bg:#f6f8fa;--panel:#fff;--text:#1f2328;--muted:#59636e;--border:#d1d9e0;--soft:#eef1f4;
--hot:#cf222e;--hot-soft:#ffebe9;--warm:#9a6700;--warm-soft:#fff8c5;--cold:#8c959f;--good:#1a7f37;--good-soft:#dafbe1;
--link:#0969da;--code-bg:#f6f8fa;--focus:#fff8c5;--mono:ui-monospace,SFMono-Regular,"SF Mono",Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--panel:#151b23;--text:#e6edf3;--muted:#9198a1;--border:#3d444d;--soft:#212830;
--hot:#ff7b72;--hot-soft:#3b1d1f;--warm:#d29922;--warm-soft:#3a2e12;--cold:#656c76;--good:#3fb950;--good-soft:#12301c;
--link:#4493f8;--code-bg:#0d1117;--focus:#3a2e12}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
main{max-width:1180px;margin:0 auto;padding:32px 28px 48px}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:28px;line-height:1.2;margin:4px 0 6px;letter-spacing:-.01em}
h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--border)}
h3{font-size:15px;margin:18px 0 8px}
code,pre,.mono{font-family:var(--mono);font-size:13px}
.eyebrow{color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.06em}
.sources{color:var(--muted);margin:0;font-family:var(--mono);font-size:13px}
.verdict{margin:22px 0 0;padding:16px 20px;background:var(--panel);border:1px solid var(--border);border-left:4px solid var(--hot);border-radius:8px;font-size:16px}
.verdict.clean{border-left-color:var(--good)}
.note{margin:14px 0 0;padding:10px 14px;border-radius:6px;background:var(--warm-soft);border:1px solid var(--border);font-size:14px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:12px;margin:16px 0 0}
.card{background:var(--panel);border:1px solid var(--border);border-radius:8px;padding:14px 16px;min-width:0}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.card .v{font-size:22px;font-weight:600;margin-top:2px}
.card .s{color:var(--muted);font-size:13px}
.panel{background:var(--panel);border:1px solid var(--border);border-radius:8px;padding:16px 18px}
.chart svg{display:block;width:100%;height:auto}
.chart text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--text)}
.chart .lbl{font-size:14px}.chart .val{font-size:13px;font-weight:600}.chart .rank{fill:var(--muted);font-size:13px}
.chart .track{fill:var(--soft)}.chart .bar-hot{fill:var(--hot)}.chart .bar-warm{fill:var(--warm)}.chart .bar-cold{fill:var(--cold)}
.legend{display:flex;gap:18px;color:var(--muted);font-size:13px;margin-top:8px;flex-wrap:wrap}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
table{width:100%;border-collapse:collapse;table-layout:fixed;background:var(--panel);border:1px solid var(--border);border-radius:8px;overflow:hidden}
th,td{padding:9px 12px;border-bottom:1px solid var(--border);text-align:left;vertical-align:top;overflow-wrap:anywhere;word-break:break-word}
th{font-size:13px;color:var(--muted);background:var(--soft);font-weight:600}
tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td .fn{font-family:var(--mono);font-size:13px;font-weight:600}
td .loc{font-family:var(--mono);font-size:12px;color:var(--muted)}
.pill{display:inline-block;font-family:var(--mono);font-size:12px;padding:1px 8px;border-radius:999px;background:var(--soft);border:1px solid var(--border);white-space:nowrap;max-width:100%;overflow:hidden;text-overflow:ellipsis;vertical-align:middle}
.pill.share{background:var(--hot-soft);border-color:transparent;color:var(--hot);font-weight:600}
details.site{background:var(--panel);border:1px solid var(--border);border-radius:8px;margin:0 0 12px}
details.site>summary{cursor:pointer;padding:12px 16px;list-style:none;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
details.site>summary::-webkit-details-marker{display:none}
details.site>summary::before{content:"▸";color:var(--muted);width:12px;flex:none}
details.site[open]>summary::before{content:"▾"}
details.site>summary .rank{font-weight:700;color:var(--muted);flex:none}
details.site>summary .fn{font-family:var(--mono);font-size:14px;font-weight:600;flex:1 1 380px;min-width:0}
details.site .body{padding:4px 18px 16px 38px;border-top:1px solid var(--border)}
dl.facts{display:grid;grid-template-columns:130px minmax(0,1fr);gap:6px 16px;margin:14px 0}
dl.facts dt{color:var(--muted);font-size:13px;padding-top:2px}
dl.facts dd{margin:0;min-width:0}
ul.why{margin:0;padding-left:18px}ul.why li{margin:2px 0}
.estimate-note{color:var(--muted);font-size:13px}
.code{margin:12px 0 0;background:var(--code-bg);border:1px solid var(--border);border-radius:6px;max-width:100%;overflow-x:auto}
.code pre{margin:0;padding:10px 0;tab-size:4;-moz-tab-size:4;line-height:1.5;white-space:pre;overflow-wrap:normal}
.code .l{display:block;padding:0 14px}
.code .l.focus{background:var(--focus);box-shadow:inset 3px 0 0 var(--hot)}
.code .n{display:inline-block;width:4ch;margin-right:16px;text-align:right;color:var(--muted);user-select:none}
.fix{margin-top:14px}
.fix .pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}
.fix .pair .code{margin-top:4px}
.fix .cap{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
.status{font-weight:600}.status.bad{color:var(--hot)}.status.ok{color:var(--good)}
.spark{display:block}.spark polyline{fill:none;stroke:var(--hot);stroke-width:1.5}.spark circle{fill:var(--hot)}.spark line{stroke:var(--border)}
p.diffnote{font-size:13px;color:var(--muted);margin:0 0 10px}
ul.plain{margin:0;padding-left:20px}
ul.notes li.warn{list-style:none;margin-left:-20px}ul.notes li.warn::before{content:"⚠";display:inline-block;width:20px;color:var(--warm)}
details.more>summary{cursor:pointer;color:var(--link);margin:10px 0}
.muted{color:var(--muted)}
footer{margin-top:40px;color:var(--muted);font-size:13px}
@media (max-width:760px){main{padding:20px 14px}dl.facts{grid-template-columns:1fr}.fix .pair{grid-template-columns:1fr}details.site .body{padding-left:16px}}
`;

function link(loc: Location, cls = 'loc'): string {
  const text = h(locationText(loc)) + (loc.outside ? ' <span class="muted">(outside --src)</span>' : '');
  return loc.url
    ? `<a class="${cls}" href="${h(loc.url)}" rel="noopener noreferrer">${text}</a>`
    : `<span class="${cls}">${text}</span>`;
}

function tail(s: string, max: number): string {
  return s.length <= max ? s : `…${s.slice(s.length - max + 1)}`;
}

function chart(view: ReportView, report: Report): string {
  const rows = [...view.hot, ...view.warm].slice(0, 12);
  const coldShare = report.escape.source === 'none' ? 0 : report.cold.share;
  type Bar = { label: string; full: string; share: number; cls: string; rank: string; value: string };
  const bars: Bar[] = rows.map((f) => ({
    label: tail(shortFunctionName(f.function), 70),
    full: `${f.function} (${locationText(f.location)})`,
    share: f.finding.share,
    cls: f.hot ? 'bar-hot' : 'bar-warm',
    rank: `#${f.rank}`,
    value: `${f.share} · ${f.value}`,
  }));
  if (coldShare > 0) {
    bars.push({
      label: `${formatCount(report.cold.escapes)} cold escapes, combined`,
      full: view.cold.sentence,
      share: coldShare,
      cls: 'bar-cold',
      rank: '',
      value: formatPercent(coldShare),
    });
  }
  if (bars.length === 0) return '';
  const W = 1000;
  const rowH = 46;
  const left = 44;
  const barW = W - left - 150;
  const max = maxOf(bars.map((b) => b.share), 1e-9);
  const H = bars.length * rowH + 6;
  const parts = bars.map((b, i) => {
    const y = i * rowH + 4;
    const w = Math.max(2, Math.round((b.share / max) * barW));
    return (
      `<g><title>${h(b.full)}: ${h(formatPercent(b.share))}</title>` +
      `<text class="rank" x="0" y="${y + 15}">${h(b.rank)}</text>` +
      `<text class="lbl" x="${left}" y="${y + 15}">${h(b.label)}</text>` +
      `<rect class="track" x="${left}" y="${y + 22}" width="${barW}" height="14" rx="3"/>` +
      `<rect class="${b.cls}" x="${left}" y="${y + 22}" width="${w}" height="14" rx="3"/>` +
      `<text class="val" x="${left + barW + 10}" y="${y + 34}">${h(b.value)}</text></g>`
    );
  });
  const legend = [
    '<span><i style="background:var(--hot)"></i>hot: fix these</span>',
    view.warm.length ? '<span><i style="background:var(--warm)"></i>below the hot threshold</span>' : '',
    coldShare > 0 ? '<span><i style="background:var(--cold)"></i>cold escapes: leave as is</span>' : '',
  ].join('');
  return (
    `<section class="chart"><h2>Where ${h(view.sampleType)} goes</h2><div class="panel">` +
    `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Share of ${h(view.sampleType)} by allocation site">` +
    parts.join('') +
    `</svg><div class="legend">${legend}</div><div class="legend">Bar length is relative to the largest site (${h(formatPercent(max))}).</div></div></section>`
  );
}

function summaryTable(view: ReportView): string {
  if (view.hot.length === 0) return '';
  const withObjects = view.companionType !== null;
  const cols =
    `<colgroup><col style="width:44px"><col style="width:120px">${withObjects ? '<col style="width:130px">' : ''}` +
    `<col style="width:36%"><col style="width:160px"><col></colgroup>`;
  const head =
    `<tr><th class="num">#</th><th class="num">${h(view.sampleType)}</th>` +
    (withObjects ? `<th class="num">${h(view.companionType!)}</th>` : '') +
    '<th>Site</th><th>Rule</th><th>Advice</th></tr>';
  const rows = view.hot.map(
    (f) =>
      `<tr><td class="num">${f.rank}</td><td class="num"><strong>${h(f.share)}</strong><br><span class="loc">${h(f.value)}</span></td>` +
      (withObjects ? `<td class="num">${h(f.objectsShare ?? '–')}</td>` : '') +
      `<td><a href="#site-${f.rank}" class="fn">${h(f.function)}</a><br>${link(f.location)}</td>` +
      `<td>${f.ruleId ? `<span class="pill">${h(f.ruleId)}</span>` : '–'}</td><td>${h(f.advice)}</td></tr>`,
  );
  return `<section><h2>Hot sites</h2><table class="summary">${cols}<thead>${head}</thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function codeBlock(lines: string[], startLine: number | null, focusLine: number | null): string {
  const body = lines
    .map((line, i) => {
      const n = startLine === null ? null : startLine + i;
      const focus = n !== null && n === focusLine;
      return `<span class="l${focus ? ' focus' : ''}">${n !== null ? `<span class="n">${n}</span>` : ''}${escapeHtmlCode(line, TAB) || ' '}</span>`;
    })
    .join('');
  return `<div class="code"><pre><code>${body}</code></pre></div>`;
}

function siteDetails(f: FindingView, view: ReportView, open: boolean): string {
  const facts: string[] = [];
  const fact = (k: string, v: string) => facts.push(`<dt>${k}</dt><dd>${v}</dd>`);
  let at = link(f.location);
  if (f.callSite) at += `, inlined into <span class="mono">${h(f.callSite.function)}</span> at ${link(f.callSite.location)}`;
  fact('At', at);
  let share = `${h(f.share)} of ${h(view.sampleType)} (${h(f.value)})`;
  if (f.objectsShare !== null && view.companionType) {
    share += `, ${h(f.objectsShare)} of ${h(view.companionType)}${f.objects ? ` (${h(f.objects)})` : ''}`;
  }
  if (f.oneOff) share += '. A single large allocation, not churn.';
  fact('Share', share);
  if (f.ruleId) fact('Rule', `<span class="pill">${h(f.ruleId)}</span>${f.ruleTitle ? ` ${h(f.ruleTitle)}` : ''}`);
  fact('Advice', h(f.advice));
  const why = [...f.reasons, ...(f.matchNote ? [f.matchNote] : [])];
  if (why.length > 0) fact('Why', `<ul class="why">${why.map((r) => `<li>${h(r)}</li>`).join('')}</ul>`);
  if (f.source) fact('Source', h(f.source));
  for (const n of f.notes) fact('Also', h(n));
  if (f.calls.length > 0) fact('Calls', f.calls.map((c) => h(c)).join('<br>'));
  if (f.estimate || f.estimateNote) {
    fact('Estimated saving', `${f.estimate ? h(f.estimate) : 'none'}${f.estimateNote ? `<div class="estimate-note">${h(f.estimateNote)}</div>` : ''}`);
  }
  const s = f.finding.snippet;
  const code = s && s.lines.length > 0 ? codeBlock(s.lines, s.startLine, s.focusLine) : '';
  let fix = '';
  const r = f.rule;
  if (r) {
    fix = `<div class="fix"><h3>Fix</h3><p>${h(r.fix)}</p>`;
    if (r.before.trim() !== '' && r.after.trim() !== '') {
      fix +=
        `<div class="pair"><div><div class="cap">Before</div>${codeBlock(r.before.split(/\r?\n/), null, null)}</div>` +
        `<div><div class="cap">After</div>${codeBlock(r.after.split(/\r?\n/), null, null)}</div></div>`;
    }
    if (r.whenNot.trim() !== '') fix += `<p class="estimate-note"><strong>When not to:</strong> ${h(r.whenNot)}</p>`;
    fix += '</div>';
  }
  return (
    `<details class="site" id="site-${f.rank}"${open ? ' open' : ''}><summary>` +
    `<span class="rank">#${f.rank}</span><span class="fn">${h(f.function)}</span>` +
    `<span class="pill share">${h(f.share)}</span>${f.ruleId ? `<span class="pill">${h(f.ruleId)}</span>` : ''}</summary>` +
    `<div class="body"><dl class="facts">${facts.join('')}</dl>${code}${fix}</div></details>`
  );
}

function cards(view: ReportView, report: Report): string {
  const card = (k: string, v: string, s: string) => `<div class="card"><div class="k">${k}</div><div class="v">${v}</div><div class="s">${s}</div></div>`;
  const out = [
    card('Hot sites', h(formatCount(view.hot.length)), `${h(view.hotShare)} of ${h(view.sampleType)}`),
    card('Estimated saving', view.savings ? h(view.savings.replace(/ \(.*$/, '')) : '–', view.savings && / \((.*)\)$/.test(view.savings) ? h(/ \((.*)\)$/.exec(view.savings)![1]) : 'if every hot site is fixed'),
    card(
      'Cold escapes',
      report.escape.source === 'none' ? '–' : h(formatCount(report.cold.escapes)),
      report.escape.source === 'none' ? 'escape analysis did not run' : `${h(formatPercent(report.cold.share))} combined: leave as is`,
    ),
    card('Total', h(view.total), h(view.header.find((x) => x.label === 'Duration')?.value ?? view.sampleType)),
  ];
  return `<section class="cards">${out.join('')}</section>`;
}

export function renderHtml(raw: Report, opts: HtmlOptions = {}): string {
  // Every string of the Report made visible first (units, names, notes, ...):
  // the escaping below is per context, this is for every field.
  const report = visibleStrings(raw);
  const view = buildView(report, opts);
  const title = opts.title ?? view.title;
  const body: string[] = [];
  body.push(
    `<header><div class="eyebrow">${h(view.tool)}</div><h1>${h(title)}</h1>` +
      `<p class="sources">${h(view.header[0]?.value ?? '')}</p></header>`,
  );
  body.push(`<p class="verdict${view.hot.length === 0 ? ' clean' : ''}">${h(view.verdict)}</p>`);
  body.push(cards(view, report));
  body.push(chart(view, report));
  body.push(summaryTable(view));
  if (view.hot.length > 0) {
    body.push(`<section><h2>Details</h2>${view.hot.map((f, i) => siteDetails(f, view, i < 3)).join('')}</section>`);
  }
  if (view.warm.length > 0) {
    body.push(
      `<section><h2>Below the hot threshold</h2><ul class="plain">${view.warm
        .map((f) => `<li>#${f.rank} <strong>${h(f.share)}</strong> <span class="mono">${h(f.function)}</span> at ${link(f.location)}${f.ruleId ? ` <span class="pill">${h(f.ruleId)}</span>` : ''}</li>`)
        .join('')}</ul></section>`,
    );
  }
  if (view.diff) {
    const d = view.diff;
    const rows = d.rows.map((r) => {
      const cls = r.status === 'regression' || r.status === 'new-hot' ? ' bad' : r.status === 'improvement' || r.status === 'fixed' ? ' ok' : '';
      const here = r.location ? link(r.location) : `<span class="loc">${h(r.movedFrom ? r.fileText.slice(r.movedFrom.length + 3) : r.fileText)}</span>`;
      const where = r.movedFrom
        ? `<span class="loc">${h(r.movedFrom)} →</span> ${here}${r.matchText ? ` <span class="pill">${h(r.matchText)}</span>` : ''}`
        : here;
      return (
        `<tr><td><span class="status${cls}">${h(r.statusText)}</span></td><td><span class="fn">${h(r.function)}</span><br>${where}</td>` +
        `<td class="num">${h(r.baseShare)}</td><td class="num">${h(r.share)}</td><td class="num">${h(r.delta)}</td><td class="num">${h(r.relative)}</td></tr>`
      );
    });
    body.push(
      `<section><h2>${h(d.title)}</h2><p class="diffnote">${h(d.pairing)}</p>` +
        (rows.length === 0
          ? '<p>No site changed.</p>'
          : `<table><colgroup><col style="width:140px"><col><col style="width:90px"><col style="width:90px"><col style="width:100px"><col style="width:100px"></colgroup>` +
            `<thead><tr><th>Status</th><th>Site</th><th class="num">Before</th><th class="num">Now</th><th class="num">${d.mode === 'subtract' ? 'Change (normalized)' : 'Change'}</th><th class="num">Relative</th></tr></thead><tbody>${rows.join('')}</tbody></table>`) +
        '</section>',
    );
  }
  if (view.history) body.push(historySection(view.history));
  if (view.cpu) {
    const c = view.cpu;
    const W = 1000;
    const a = Math.round(Math.min(1, Math.max(0, c.allocShare)) * W);
    const g = Math.round(Math.min(1, Math.max(0, c.gcShare)) * W);
    body.push(
      `<section><h2>${h(c.title)}</h2><div class="panel"><p style="margin-top:0">${h(c.sentence)}</p>` +
        `<div class="chart"><svg viewBox="0 0 ${W} 18" role="img" aria-label="${h(c.sentence)}"><rect class="track" x="0" y="0" width="${W}" height="18" rx="4"/>` +
        `<rect class="bar-hot" x="0" y="0" width="${a}" height="18"><title>allocating: ${h(formatPercent(c.allocShare))}</title></rect>` +
        `<rect class="bar-warm" x="${a}" y="0" width="${g}" height="18"><title>garbage collection: ${h(formatPercent(c.gcShare))}</title></rect></svg></div>` +
        `<div class="legend"><span><i style="background:var(--hot)"></i>allocating ${h(formatPercent(c.allocShare))}</span><span><i style="background:var(--warm)"></i>garbage collection ${h(formatPercent(c.gcShare))}</span></div>` +
        (c.note ? `<p class="estimate-note">${h(c.note)}</p>` : '') +
        '</div></section>',
    );
  }
  {
    let cold = `<section><h2>Cold escapes</h2><p>${h(view.cold.sentence)}</p>`;
    if (view.cold.items.length > 0) {
      const rows = view.cold.items.map(
        (c) =>
          `<tr><td>${c.location ? link(c.location) : `<span class="loc">${h(c.fileText)}</span>`}</td><td>${h(c.kind)}</td><td><code>${h(c.subject)}</code></td><td class="num">${h(c.share)}</td></tr>`,
      );
      cold +=
        `<details class="more"><summary>Show ${formatCount(view.cold.items.length)} cold escapes</summary>` +
        `<table><colgroup><col style="width:34%"><col style="width:150px"><col><col style="width:90px"></colgroup>` +
        `<thead><tr><th>Location</th><th>Kind</th><th>Expression</th><th class="num">Share</th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
        (view.cold.unlisted > 0 ? `<p>…and ${formatCount(view.cold.unlisted)} more.</p>` : '') +
        '</details>';
    }
    body.push(`${cold}</section>`);
  }
  if (view.notes.length > 0 || view.warnings.length > 0) {
    body.push(
      `<section><h2>Notes</h2><ul class="plain notes">${view.notes.map((n) => `<li>${h(n)}</li>`).join('')}` +
        `${view.warnings.map((w) => `<li class="warn">${h(w)}</li>`).join('')}</ul></section>`,
    );
  }
  body.push(
    `<section><h2>Profile and settings</h2><div class="panel"><dl class="facts" style="margin:0">${view.header
      .map((x) => `<dt>${h(x.label)}</dt><dd>${h(x.value)}</dd>`)
      .join('')}</dl></div></section>`,
  );
  body.push(`<footer>Generated by ${h(view.tool)} · report schema ${report.schemaVersion}. Estimates are estimates: measure after each fix.</footer>`);

  return (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">\n` +
    `<title>${h(title)} · ${h(view.sampleType)}</title>\n<style>${CSS}</style>\n</head>\n<body>\n<main>\n` +
    body.filter(Boolean).join('\n') +
    '\n</main>\n</body>\n</html>\n'
  );
}

/** A sparkline: one point per profile (absent ones leave a gap), scaled to the largest share in the table so lines compare. */
function sparkline(values: readonly (number | null)[], max: number, label: string): string {
  const W = 160;
  const H = 32;
  const n = values.length;
  const x = (i: number) => (n === 1 ? W / 2 : 4 + (i * (W - 8)) / (n - 1));
  const y = (v: number) => H - 3 - (max > 0 ? (v / max) * (H - 6) : 0);
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run.join(' '));
      run = [];
    } else run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
  });
  if (run.length) runs.push(run.join(' '));
  const last = values[n - 1];
  return (
    `<svg class="spark" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${h(label)}"><title>${h(label)}</title>` +
    `<line x1="0" y1="${H - 3}" x2="${W}" y2="${H - 3}"/>` +
    runs.map((pts) => `<polyline points="${pts}"/>`).join('') +
    (last !== null && last !== undefined ? `<circle cx="${x(n - 1).toFixed(1)}" cy="${y(last).toFixed(1)}" r="2.5"/>` : '') +
    '</svg>'
  );
}

function historySection(hv: NonNullable<ReportView['history']>): string {
  const max = Math.max(0, ...hv.sites.flatMap((s) => s.values.map((v) => v ?? 0)));
  const rows = hv.sites.map((s) => {
    const where = s.location ? link(s.location) : `<span class="loc">${h(s.fileText)}</span>`;
    const label = `${s.function}: ${hv.periods.map((p, i) => `${p} ${s.cells[i]}`).join(', ')}`;
    return (
      `<tr><td><span class="fn">${h(s.function)}</span><br>${where}</td><td>${sparkline(s.values, max, label)}</td>` +
      s.cells.map((c) => `<td class="num">${h(c)}</td>`).join('') +
      `<td>${h(s.summary)}</td></tr>`
    );
  });
  const notes = hv.normalization.length ? `<details class="more"><summary>How each profile was scaled</summary><ul class="plain">${hv.normalization.map((n) => `<li>${h(n)}</li>`).join('')}</ul></details>` : '';
  return (
    `<section><h2>Trend of the hot sites</h2><p class="diffnote">Share of today's total at today's workload, per profile, oldest first.</p>` +
    `<table><colgroup><col><col style="width:176px">${hv.periods.map(() => '<col style="width:84px">').join('')}<col style="width:200px"></colgroup><thead><tr><th>Site</th><th>Trend</th>${hv.periods.map((p) => `<th class="num">${h(p)}</th>`).join('')}<th></th></tr></thead><tbody>${rows.join('')}</tbody></table>` +
    notes +
    '</section>'
  );
}
