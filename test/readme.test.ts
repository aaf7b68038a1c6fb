// The README is the user's entry point: its rule table is the catalogue's,
// and its Quick start commands are the ones CI runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { renderRuleTableMarkdown, RULE_ORDER } from '../src/advise/index.js';

const ROOT = path.resolve(__dirname, '..');
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

test('the README rule table is the catalogue', () => {
  const m = /<!-- rules:start[^>]*-->\n([\s\S]*?)\n<!-- rules:end -->/.exec(readme);
  expect(m, 'rules markers in README.md').not.toBeNull();
  expect(m![1].trim()).toBe(renderRuleTableMarkdown().trim());
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
