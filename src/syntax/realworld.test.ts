// The parser on real code: every .go file of the samples and of the
// real-world pairs (test/fixtures/pairs: their .go files and profiles) parses; every hot
// line (test/fixtures/syntax/hot-lines.json: the profiles' user lines, from
// `advisor PROFILE --src SRC -f json --top 0`, sites[].file:line) yields a
// statement without syntax errors; the allocating expressions found there are
// listed in test/golden/syntax/hot-lines.txt (rewrite it with
// UPDATE_GOLDEN=1); and findFunction's line equals Function.start_line for
// every user function the pairs' profiles name.
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseProfileBytes } from '../profile/index.js';
import { loadGoParser, type GoFile, type GoParser, type StatementInfo } from './index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PAIRS = join(ROOT, 'test', 'fixtures', 'pairs');
const HAVE_PAIRS = existsSync(PAIRS);
const HOT: Record<string, string[]> = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/syntax/hot-lines.json'), 'utf8'));
const GOLDEN = join(ROOT, 'test/golden/syntax/hot-lines.txt');

if (!HAVE_PAIRS) console.log(`syntax: ${PAIRS} is missing: the real-world pairs are skipped, only samples/ is checked`);

let parser: GoParser;
beforeAll(async () => {
  parser = await loadGoParser();
});

function goFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) goFiles(p, out);
    else if (e.name.endsWith('.go')) out.push(p);
  }
  return out;
}

/** The tree a fixture key names: samples/basic -> samples/basic, pairs/X -> test/fixtures/pairs/X/src. */
function treeOf(key: string): string | null {
  if (key.startsWith('samples/')) return join(ROOT, key);
  return HAVE_PAIRS ? join(PAIRS, key.slice('pairs/'.length), 'src') : null;
}

const parsed = new Map<string, GoFile>();
function parseFile(path: string): GoFile {
  let f = parsed.get(path);
  if (!f) {
    f = parser.parse(readFileSync(path, 'utf8'));
    parsed.set(path, f);
  }
  return f;
}

const fmtSpan = (s: StatementInfo['span']) => (s.start.line === s.end.line ? `${s.start.line}:${s.start.column}-${s.end.column}` : `${s.start.line}:${s.start.column}-${s.end.line}:${s.end.column}`);
const oneLine = (t: string, max = 100) => {
  const s = t.replace(/\s*\n\s*/g, ' ⏎ ');
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

describe('every .go file parses', () => {
  const trees = [join(ROOT, 'samples'), ...(HAVE_PAIRS ? readdirSync(PAIRS).filter((p) => existsSync(join(PAIRS, p, 'src'))).map((p) => join(PAIRS, p, 'src')) : [])];
  test.each(trees.map((t) => [t.startsWith(PAIRS) ? `pairs/${t.slice(PAIRS.length + 1)}` : 'samples', t]))('%s', (_label, dir) => {
    const files = goFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    const withErrors = files.filter((f) => parseFile(f).errors > 0).map((f) => f.slice(dir.length + 1));
    expect(withErrors).toEqual([]);
  });
});

describe('hot lines', () => {
  const keys = Object.keys(HOT).filter((k) => treeOf(k) !== null);

  test('every hot line yields a statement without syntax errors', () => {
    const missing: string[] = [];
    for (const key of keys) {
      const dir = treeOf(key)!;
      for (const at of HOT[key]) {
        const [file, line] = [at.slice(0, at.lastIndexOf(':')), Number(at.slice(at.lastIndexOf(':') + 1))];
        const path = join(dir, file);
        if (!existsSync(path)) {
          missing.push(`${key}/${at}: file missing`);
          continue;
        }
        const text = readFileSync(path, 'utf8').split('\n')[line - 1] ?? '';
        const st = parseFile(path).statementAt(line);
        if (!st) missing.push(`${key}/${at}: no statement for ${JSON.stringify(text)}`);
        else if (st.hasError) missing.push(`${key}/${at}: syntax error in ${JSON.stringify(st.text)}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('the allocating expressions at each hot line match the golden file', () => {
    const out: string[] = [
      '# Hot lines of the samples and real-world pairs (test/fixtures/syntax/hot-lines.json), read by src/syntax.',
      '# Per line: the statement (kind, function, span as line:column-column in the compiler\'s byte columns), its text,',
      '# then each allocating expression: kind, span, text. Rewrite with UPDATE_GOLDEN=1 npx vitest run src/syntax/realworld.test.ts',
      '',
    ];
    for (const key of Object.keys(HOT)) {
      const dir = treeOf(key);
      if (!dir) continue;
      out.push(`## ${key}`);
      for (const at of HOT[key]) {
        const [file, line] = [at.slice(0, at.lastIndexOf(':')), Number(at.slice(at.lastIndexOf(':') + 1))];
        const path = join(dir, file);
        const st = existsSync(path) ? parseFile(path).statementAt(line) : null;
        if (!st) {
          out.push(`${at}  (no statement)`);
          continue;
        }
        out.push(`${at}  ${st.kind} in ${st.func.name}${st.rangeBody ? ` (body ${st.rangeBody.name}?)` : ''}  ${fmtSpan(st.span)}`);
        out.push(`    ${oneLine(st.text)}`);
        if (st.assigned.length) out.push(`    assigns ${st.assigned.join(', ')}`);
        for (const a of st.allocs) {
          const extra = [a.constantSize !== undefined ? `constantSize=${a.constantSize}` : '', a.captures ? `captures=[${a.captures.join(', ')}]` : ''].filter(Boolean).join(' ');
          out.push(`    ${a.kind} ${fmtSpan(a.span)}  ${oneLine(a.text, 60)}${extra ? `  ${extra}` : ''}`);
        }
        const callees = st.calls.map((c) => c.callee).filter((c) => !/^(make|new|append|len|cap|string)$/.test(c));
        if (callees.length) out.push(`    calls ${callees.map((c) => oneLine(c, 40)).join(', ')}`);
      }
      out.push('');
    }
    const text = out.join('\n');
    if (!HAVE_PAIRS) {
      console.log('syntax: golden file not compared (it covers the real-world pairs, which are missing)');
      return;
    }
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, text);
    }
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});

describe.skipIf(!HAVE_PAIRS)('findFunction against the profiles\' Function.start_line', () => {
  const pairs = HAVE_PAIRS ? readdirSync(PAIRS).filter((p) => existsSync(join(PAIRS, p, 'profile.pb.gz'))) : [];
  test.each(pairs)('%s', (pair) => {
    const src = join(PAIRS, pair, 'src');
    const files = goFiles(src).map((f) => f.slice(src.length + 1));
    const profile = parseProfileBytes(readFileSync(join(PAIRS, pair, 'profile.pb.gz')), pair);
    // The profile's GOROOT, from the runtime's own files: functions there (inlined into user code too) are not user code.
    const rt = profile.functions.find((f) => f.name.startsWith('runtime.') && /\/runtime\/[^/]+\.go$/.test(f.filename.replace(/\\/g, '/')));
    const goroot = rt ? rt.filename.replace(/\\/g, '/').replace(/\/runtime\/[^/]+\.go$/, '/') : null;
    const wrong: string[] = [];
    let checked = 0;
    for (const fn of profile.functions) {
      if (fn.startLine <= 0) continue;
      const name = fn.filename.replace(/\\/g, '/');
      if (/\/pkg\/mod\/|\/vendor\/|^vendor\//.test(name)) continue;
      if (goroot && name.startsWith(goroot)) continue;
      const file = longestSuffix(name, files);
      if (!file) continue;
      checked++;
      const found = parseFile(join(src, file)).findFunction(shortName(fn.name));
      if (!found || found.line !== fn.startLine) wrong.push(`${fn.name} ${file}: profile ${fn.startLine}, source ${found ? found.line : 'not found'}`);
    }
    expect(wrong).toEqual([]);
    if (pair !== 'AwolDes_crackr_899a2e5') expect(checked).toBeGreaterThan(0);
  });
});

/** The repository file a profile path names: the one with the longest matching path suffix (at least the file name). */
function longestSuffix(path: string, files: string[]): string | null {
  let best: string | null = null;
  for (const f of files) if ((path === f || path.endsWith(`/${f}`)) && (!best || f.length > best.length)) best = f;
  return best;
}

/** `github.com/a/b/pkg.(*T).M` -> `(*T).M`: drop the package path (the last `/` outside brackets, then up to the first dot). */
function shortName(name: string): string {
  let depth = 0;
  let slash = -1;
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === '/' && depth === 0) slash = i;
  }
  const rest = name.slice(slash + 1);
  return rest.slice(rest.indexOf('.') + 1);
}
