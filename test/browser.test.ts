// The HTML report lays out without horizontal overflow at 1280 px in a real
// browser (Debian's chromium, installed by the screenshot script when missing).
import { describe, expect, test } from 'vitest';
import { RULES } from '../src/advise/index.js';
import { renderHtml } from '../src/report/html.js';
import { hostileReport } from './fixtures/report/hostile.js';
import { realisticReport } from './fixtures/report/realistic.js';
// @ts-expect-error -- plain ESM script without types
import { checkNoOverflow, findChromium } from '../scripts/screenshot.mjs';

describe('HTML report in headless Chromium', () => {
  test('chromium is available (installed by scripts/screenshot.mjs when missing)', () => {
    expect(findChromium()).toMatch(/chrom/);
  });
  test.each([
    ['realistic', realisticReport],
    ['hostile', hostileReport],
  ])("%s report fits 1280 px without horizontal overflow", (_name, report) => {
    const html = renderHtml(report, { rules: RULES });
    const res = checkNoOverflow(html, { width: 1280 });
    expect(res.ok, JSON.stringify(res)).toBe(true);
  });
});
