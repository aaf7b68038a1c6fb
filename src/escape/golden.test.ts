// Golden files: saved compiler output, parsed, dumped in a readable form and
// compared with a committed file. `UPDATE=1 npx vitest run src/escape/golden.test.ts`
// rewrites them; review the diff like any other code change.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EscapeFinding } from './model.js';
import { parseEscapeOutputDetailed, type ParseResult } from './parse.js';
import { findModule } from './paths.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const fixtures = path.join(repo, 'test/fixtures/escape');
const goldenDir = path.join(fixtures, 'golden');
const update = process.env.UPDATE === '1';

/** One line per finding, indented flow lines under it; absolute paths shown relative to the module. */
export function dumpParse(r: ParseResult, root: string): string {
  const show = (file: string | null, raw: string): string => {
    if (file === null) return raw === '' ? '-' : `${raw} (unresolved)`;
    const rel = path.relative(root, file).split(path.sep).join('/');
    return rel.startsWith('..') ? `${raw} (outside)` : rel;
  };
  const out: string[] = [`format: ${r.format}`];
  for (const p of r.packages) {
    out.push(`package ${p.id ?? '(none)'}${p.failed ? ' FAILED' : ''}`);
    for (const e of p.errors) out.push(`  error: ${e}`);
  }
  const byPkg = new Map<string | null, EscapeFinding[]>();
  for (const f of r.findings) {
    const g = byPkg.get(f.pkg) ?? [];
    g.push(f);
    byPkg.set(f.pkg, g);
  }
  for (const [pkg, fs] of byPkg) {
    out.push('', `# ${pkg ?? '(none)'}`);
    for (const f of fs) {
      let line = `${show(f.file, f.rawFile)}:${f.line}:${f.column ?? '-'} ${f.kind} ${JSON.stringify(f.subject)}`;
      if (f.count > 1) line += ` x${f.count}`;
      if (f.reasons.length > 0) line += ` [${f.reasons.join(', ')}]`;
      if (Object.keys(f.detail).length > 0) line += ` ${JSON.stringify(f.detail)}`;
      if (f.kind === 'other') line += ` | ${f.message}`;
      out.push(line);
      for (const s of f.flow) {
        out.push(`    ${s.dst} <- ${s.src}`);
        for (const n of s.notes) out.push(`      ${n.expr} (${n.reason}) at ${show(n.file, '?')}:${n.line}:${n.column ?? '-'}`);
      }
    }
  }
  return out.join('\n') + '\n';
}

interface Case {
  name: string;
  input: string;
  root: string;
}

function cases(): Case[] {
  const list: Case[] = [
    { name: 'lab-m2.txt', input: path.join(fixtures, 'captured/lab-m2.txt'), root: path.join(fixtures, 'lab') },
    { name: 'sub-test-m2.json', input: path.join(fixtures, 'captured/sub-test-m2.json'), root: path.join(fixtures, 'lab') },
    { name: 'broken-m2.json', input: path.join(fixtures, 'captured/broken-m2.json'), root: path.join(fixtures, 'broken') },
  ];
  const samples = path.join(repo, 'samples');
  if (existsSync(samples)) {
    for (const s of readdirSync(samples).sort()) {
      const input = path.join(samples, s, 'escape-m2.txt');
      if (existsSync(input)) list.push({ name: `samples-${s}-escape-m2.txt`, input, root: path.join(samples, s) });
    }
  }
  return list;
}

describe('golden parsed output', () => {
  for (const c of cases()) {
    it(c.name, () => {
      const mod = findModule(c.root);
      const r = parseEscapeOutputDetailed(readFileSync(c.input, 'utf8'), {
        moduleRoot: mod?.root ?? c.root,
        modulePath: mod?.path,
      });
      const got = dumpParse(r, mod?.root ?? c.root);
      const file = path.join(goldenDir, `${c.name}.golden`);
      if (update || !existsSync(file)) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(file, got);
        if (!update) throw new Error(`wrote missing golden ${path.relative(repo, file)}; rerun to compare`);
      }
      expect(got).toBe(readFileSync(file, 'utf8'));
    });
  }
});
