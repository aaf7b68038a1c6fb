// Golden files: every format for every fixture, colour off, compared
// byte for byte. `UPDATE=1 npx vitest run src/report/golden.test.ts`
// rewrites them; review the diff before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../model/report.js';
import { emptyReport } from '../../test/fixtures/report/empty.js';
import { hostileReport } from '../../test/fixtures/report/hostile.js';
import { noEscapeReport } from '../../test/fixtures/report/noescape.js';
import { realisticReport } from '../../test/fixtures/report/realistic.js';
import { FIXTURE_RULES } from '../../test/fixtures/report/rules.js';
import { renderReport, type Format, type RenderOptions } from './index.js';

const GOLDEN = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/golden/report');
const UPDATE = process.env.UPDATE === '1';

const FIXTURES: Record<string, Report> = {
  realistic: realisticReport,
  noescape: noEscapeReport,
  empty: emptyReport,
  hostile: hostileReport,
};

const LINKS: RenderOptions = {
  linkTemplate: 'https://github.com/acme/shop/blob/{sha}/{path}#L{line}',
  sha: '3f2a9c1',
};

interface Case {
  file: string;
  format: Format;
  opts: RenderOptions;
}

const CASES: Case[] = [];
for (const name of Object.keys(FIXTURES)) {
  const base: RenderOptions = { rules: FIXTURE_RULES, color: false, width: 100 };
  CASES.push({ file: `${name}.text`, format: 'text', opts: base });
  CASES.push({ file: `${name}.markdown`, format: 'markdown', opts: { ...base, ...LINKS } });
  CASES.push({ file: `${name}.json`, format: 'json', opts: base });
  CASES.push({ file: `${name}.sarif`, format: 'sarif', opts: base });
  CASES.push({ file: `${name}.html`, format: 'html', opts: { ...base, ...LINKS } });
}
CASES.push({ file: 'realistic.w60.text', format: 'text', opts: { rules: FIXTURE_RULES, color: false, width: 60 } });
CASES.push({ file: 'realistic.w140.text', format: 'text', opts: { rules: FIXTURE_RULES, color: false, width: 140 } });
CASES.push({ file: 'realistic.norules.markdown', format: 'markdown', opts: {} });

describe('golden report files', () => {
  for (const c of CASES) {
    it(c.file, () => {
      const name = c.file.split('.')[0];
      const got = renderReport(c.format, FIXTURES[name], c.opts);
      const path = join(GOLDEN, c.file);
      if (UPDATE || !existsSync(path)) {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(path, got);
        if (!UPDATE) throw new Error(`wrote missing golden file ${c.file}; run again`);
        return;
      }
      expect(got).toBe(readFileSync(path, 'utf8'));
    });
  }
});
