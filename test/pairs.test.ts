// The advice on real code nobody here wrote: each pair in
// test/fixtures/pairs is a heap profile committed next to the exact source it
// came from (PAIRS.md, and each PAIR.md, name their origin and license), with
// the compiler's -m=2 output for its hot packages saved beside it
// (regenerate.sh), so this runs without the pairs' dependencies or a compiler.
// The golden files (test/golden/pairs/<pair>.txt) list each hot and warm
// finding as a person reads it: tier, shares, site, whether the source
// matches, rule, advice and notes. docs/accuracy.md gives a reviewer's verdict
// on each hot finding; a change here must be judged there too.
// `UPDATE=1 npx vitest run test/pairs.test.ts` rewrites the goldens.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../src/model/report.js';
import { requireBuiltCli, runCli } from './helpers/cli.js';

const ROOT = path.resolve(__dirname, '..');
const PAIRS = path.join(ROOT, 'test/fixtures/pairs');
const GOLDEN = path.join(ROOT, 'test/golden/pairs');
const UPDATE = process.env.UPDATE === '1';
const pairs = readdirSync(PAIRS).filter((d) => existsSync(path.join(PAIRS, d, 'profile.pb.gz')));

let tmp = '';
beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-pairs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pct(x: number | null): string {
  return x === null ? '-' : `${(x * 100).toFixed(2)}%`;
}

/** One finding as a reviewer reads it. */
function describeFinding(f: Finding): string[] {
  const out = [
    `#${f.rank} ${f.tier}  ${pct(f.share)} of bytes, ${pct(f.companionShare)} of objects  ${f.site.file ?? f.site.profileFile}:${f.site.line}  ${f.site.function}`,
  ];
  if (f.snippet) out.push(`    line:   ${f.snippet.lines[f.snippet.focusLine - f.snippet.startLine].trim()}`);
  out.push(`    source: ${f.source.status} (${f.source.reason})`);
  if (f.calls.length > 0) out.push(`    calls:  ${f.calls.map((c) => `${c.function} ${pct(f.value ? c.value / f.value : 0)} of the line`).join('; ')}`);
  out.push(`    rule:   ${f.rule ?? '(none)'}  [match: ${f.match}]`);
  out.push(`    advice: ${f.advice}`);
  for (const n of f.notes) out.push(`    note:   ${n.rule}: ${n.text}`);
  out.push(`    saves:  ${f.estimate.bytes === null ? 'no estimate' : `${f.estimate.bytes} bytes, ${f.estimate.objects} objects`}`);
  return out;
}

function describeReport(r: Report): string {
  const s = r.summary;
  const lines = [
    `escape: ${r.escape.source}, ${r.escape.packages.length} package(s): ${r.escape.packages.map((p) => `${p.importPath} ${p.status}`).join(', ')}`,
    `summary: ${s.hot.count} hot (${pct(s.hot.share)}), ${s.fixable.count} fixable at the statement, ${s.calls.count} costly calls, ${s.leave.count} to leave, ${s.stale} stale, ${s.warm.count} warm`,
    `order: ${s.order}`,
    '',
  ];
  for (const f of r.findings.filter((x) => x.tier !== 'cold')) lines.push(...describeFinding(f), '');
  return lines.join('\n');
}

describe('advice on real code (test/fixtures/pairs)', () => {
  test.each(pairs)('%s', (pair) => {
    const dir = path.join(PAIRS, pair);
    const log = path.join(tmp, `${pair}.m2.txt`);
    writeFileSync(log, gunzipSync(readFileSync(path.join(dir, 'escape-m2.txt.gz'))));
    const r = runCli([path.join(dir, 'profile.pb.gz'), '--src', path.join(dir, 'src'), '--escape-log', log, '-f', 'json', '--top', '30'], { cwd: ROOT, timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const text = describeReport(report);
    const golden = path.join(GOLDEN, `${pair}.txt`);
    if (UPDATE || !existsSync(golden)) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(golden, text);
      if (!UPDATE) throw new Error(`wrote missing golden file ${golden}; run again`);
    }
    expect(text).toBe(readFileSync(golden, 'utf8'));
    // Never confident advice on a line the source does not hold.
    for (const f of report.findings.filter((x) => x.source.status === 'stale')) {
      expect(f.snippet).toBeNull();
      expect(f.rule === null || f.rule === 'costly-call' || f.rule === 'no-user-frame' || f.rule === 'test-code').toBe(true);
    }
    // The headline is charged only with the part its rule explains.
    for (const f of report.findings) {
      if (f.rule === 'costly-call') expect(f.estimate.bytes).toBeNull();
      if (f.estimate.bytes !== null && f.value > 0) expect(f.estimate.bytes).toBeLessThanOrEqual(Math.abs(f.value));
    }
  }, 180_000);
});
