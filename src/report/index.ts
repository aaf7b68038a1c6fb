// Format name -> renderer, as knip's reporters/index and ESLint's
// formatters are laid out. Each renderer is a pure function of the Report;
// the CLI picks one with --format and writes the string it returns.
import type { Report } from '../model/report.js';
import { renderHtml, type HtmlOptions } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';
import { renderSarif, type SarifOptions } from './sarif.js';
import { renderText, type TextOptions } from './text.js';

export type { HtmlOptions } from './html.js';
export type { MarkdownOptions } from './markdown.js';
export type { SarifOptions } from './sarif.js';
export type { TextOptions } from './text.js';
export type { RuleCatalogue, ViewOptions } from './view.js';
export { renderHtml, renderJson, renderMarkdown, renderSarif, renderText };

/** Everything any format reads; each renderer ignores what it does not use. */
export interface RenderOptions extends Partial<TextOptions>, MarkdownOptions, SarifOptions, HtmlOptions {}

export const FORMATS = ['text', 'markdown', 'json', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const RENDERERS: Record<Format, (report: Report, opts: RenderOptions) => string> = {
  text: (report, opts) => renderText(report, { ...opts, color: opts.color ?? false, width: opts.width ?? 80 }),
  markdown: (report, opts) => renderMarkdown(report, opts),
  json: (report) => renderJson(report),
  sarif: (report, opts) => renderSarif(report, opts),
  html: (report, opts) => renderHtml(report, opts),
};

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

export function renderReport(format: Format, report: Report, opts: RenderOptions = {}): string {
  return RENDERERS[format](report, opts);
}
