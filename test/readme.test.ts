// The README is the user's entry point: its rule table is the catalogue's,
// and its Quick start commands are the ones CI runs.
// UPDATE=1 npx vitest run test/readme.test.ts rewrites the table from the catalogue.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { renderRuleTableMarkdown, RULE_ORDER } from '../src/advise/index.js';

const ROOT = path.resolve(__dirname, '..');
const RULES_SECTION = /(<!-- rules:start[^>]*-->\n)([\s\S]*?)(\n<!-- rules:end -->)/;
let readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
if (process.env.UPDATE === '1') {
  readme = readme.replace(RULES_SECTION, (_, start: string, _table: string, end: string) => start + renderRuleTableMarkdown().trim() + end);
  writeFileSync(path.join(ROOT, 'README.md'), readme);
}

test('the README rule table is the catalogue', () => {
  const m = RULES_SECTION.exec(readme);
  expect(m, 'rules markers in README.md').not.toBeNull();
  expect(m![2].trim(), 'README rule table differs from the catalogue: rewrite it with UPDATE=1 npx vitest run test/readme.test.ts').toBe(renderRuleTableMarkdown().trim());
  for (const id of RULE_ORDER) expect(readme).toContain(`\`${id}\``);
});

test('the Quick start has the two commands, and .ci/run runs the test one', () => {
  const quick = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## What you get'));
  const commands = [...quick.matchAll(/```sh\n([^\n]+)\n```/g)].map((m) => m[1]);
  expect(commands).toHaveLength(2);
  expect(commands[0]).toMatch(/^npm ci && node dist\/cli\.js samples\//);
  expect(commands[1]).toBe('npm ci && npm test');
  const ci = readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
  expect(ci).toMatch(/^npm ci$/m);
  expect(ci).toMatch(/^npm test$/m);
});
