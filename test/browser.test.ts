// The HTML report lays out without horizontal overflow at 1280 px in a real
// browser (Debian's chromium). Tests install nothing: without a Chromium this
// file skips with a line saying so, except under CI (CI=true, as .ci/run sets
// after installing chromium), where a missing browser is a failure.
import { describe, expect, test } from 'vitest';
import { RULES } from '../src/advise/index.js';
import { renderHtml } from '../src/report/html.js';
import { hostileReport } from './fixtures/report/hostile.js';
import { realisticReport } from './fixtures/report/realistic.js';
// @ts-expect-error -- plain ESM script without types
import { checkNoOverflow, chromiumPath, CHROMIUM_MISSING } from '../scripts/screenshot.mjs';

const chromium: string | null = chromiumPath();
const ci = process.env.CI === 'true';
if (!chromium && !ci) console.warn(`browser.test.ts skipped: ${CHROMIUM_MISSING}`);

describe('HTML report in headless Chromium', () => {
  test.runIf(ci)('CI has a Chromium (.ci/run installs it)', () => {
    expect(chromium, CHROMIUM_MISSING).toMatch(/chrom/);
  });
  test.skipIf(!chromium).each([
    ['realistic', realisticReport],
    ['hostile', hostileReport],
  ])('%s report fits 1280 px without horizontal overflow', (_name, report) => {
    const html = renderHtml(report, { rules: RULES });
    const res = checkNoOverflow(html, { width: 1280 });
    expect(res.ok, JSON.stringify(res)).toBe(true);
  });
});
