// Reader for the compiler's `-json=0,<dir>` optimisation log (reference §8),
// used only for one thing the text output cannot give: the source position an
// inlined allocation came from. The text reports an inlined callee's
// allocation at the call site; the JSON record for the same escape carries an
// `inlineLoc` chain down to the callee's own line, which is what a heap
// profile's innermost frame names.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EscapeFinding, InlinePosition } from './model.js';
import { relativeInside } from './paths.js';

interface LspPos {
  line: number;
  character: number;
}
interface Related {
  location?: { uri?: string; range?: { start?: LspPos } };
  message?: string;
}
interface Diagnostic {
  range?: { start?: LspPos };
  code?: string;
  message?: string;
  relatedInformation?: Related[];
}

export interface InlineRecord {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  /** Outermost-but-one to innermost, as the compiler lists them. */
  chain: { file: string; line: number; column: number }[];
}

function uriToPath(uri: string): string {
  if (uri.startsWith('file://')) {
    try {
      return fileURLToPath(uri);
    } catch {
      return uri.slice('file://'.length);
    }
  }
  return uri;
}

function* jsonFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* jsonFiles(p);
    else if (e.name.endsWith('.json')) yield p;
  }
}

/** Escape records that came from inlined code, from every log file under `dir`. */
export function readInlineRecords(dir: string): InlineRecord[] {
  const out: InlineRecord[] = [];
  for (const f of jsonFiles(dir)) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    let file: string | null = null;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i].trim();
      if (l === '') continue;
      let o: unknown;
      try {
        o = JSON.parse(l);
      } catch {
        continue;
      }
      if (i === 0) {
        const h = o as { file?: unknown };
        file = typeof h.file === 'string' ? h.file : null;
        if (file === null || !file.endsWith('.go')) break;
        continue;
      }
      const d = o as Diagnostic;
      const code = d.code ?? '';
      if (code !== 'escape' && code !== 'escapes' && code !== 'leak') continue;
      const start = d.range?.start;
      if (!start || file === null) continue;
      // The diagnostic's own inline chain is the run of inlineLoc entries
      // before its first escflow entry; later ones belong to flow steps.
      const chain: InlineRecord['chain'] = [];
      for (const r of d.relatedInformation ?? []) {
        if (r.message !== 'inlineLoc') break;
        const s = r.location?.range?.start;
        const uri = r.location?.uri;
        if (!s || !uri) continue;
        chain.push({ file: uriToPath(uri), line: s.line, column: s.character });
      }
      if (chain.length === 0) continue;
      out.push({ file, line: start.line, column: start.character, code, message: d.message ?? '', chain });
    }
  }
  return out;
}

/**
 * Sets `inlinedFrom` on findings that the JSON log shows came from inlined
 * code. Records are matched by position and message (`x escapes to heap` is
 * the JSON form of both `moved to heap: x` and `x escapes to heap`); when the
 * message does not decide, a position with a single chain is used.
 */
export function attachInlineChains(findings: EscapeFinding[], records: InlineRecord[], moduleRoot: string | null): number {
  if (records.length === 0) return 0;
  const byPos = new Map<string, InlineRecord[]>();
  for (const r of records) {
    const k = `${path.resolve(r.file)}:${r.line}:${r.column}`;
    let g = byPos.get(k);
    if (!g) byPos.set(k, (g = []));
    g.push(r);
  }
  let n = 0;
  for (const f of findings) {
    if (f.file === null || f.column === null) continue;
    if (f.kind !== 'escapes' && f.kind !== 'moved-to-heap' && !f.kind.startsWith('leaking-param')) continue;
    const g = byPos.get(`${path.resolve(f.file)}:${f.line}:${f.column}`);
    if (!g) continue;
    const names = [f.subject];
    if (typeof f.detail.explainedAs === 'string') names.push(f.detail.explainedAs);
    let rec = g.find((r) => names.some((s) => r.message === `${s} escapes to heap`));
    if (!rec && f.subject === 'append') rec = g.find((r) => r.message.startsWith('append(') && r.message.endsWith(' escapes to heap'));
    if (!rec && f.kind.startsWith('leaking-param')) rec = g.find((r) => r.message.startsWith(`parameter ${f.subject} leaks to `));
    if (!rec) {
      const distinct = new Set(g.map((r) => JSON.stringify(r.chain)));
      if (distinct.size === 1) rec = g[0];
    }
    if (!rec) continue;
    f.inlinedFrom = rec.chain.map((c): InlinePosition => ({
      file: c.file,
      relFile: moduleRoot ? relativeInside(moduleRoot, c.file) : null,
      line: c.line,
      column: c.column,
    }));
    n++;
  }
  return n;
}
