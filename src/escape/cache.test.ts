// The escape cache reads entries it did not necessarily write whole: a
// truncated, edited or wrong-typed entry is a miss (a recompile), never a
// crash or a silently changed report.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CACHE_FORMAT, EscapeCache, payloadHash, type CacheEntry } from './cache.js';
import { parseEscapeOutputDetailed } from './parse.js';

const SERVICE = path.resolve(__dirname, '..', '..', 'samples', 'service');
const dir = mkdtempSync(path.join(tmpdir(), 'advisor-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function entry(key: string): CacheEntry {
  const findings = parseEscapeOutputDetailed(readFileSync(path.join(SERVICE, 'escape-m2.txt'), 'utf8'), {}).findings.slice(0, 50);
  return { format: CACHE_FORMAT, key, importPath: 'example.com/service/x', dir: '/src/x', goVersion: 'go1.26', findings };
}

describe('cache entries are checked before use', () => {
  const cache = new EscapeCache(dir);
  const file = (key: string) => path.join(dir, 'escape', `${key}.json`);

  test('an entry written is read back as it was', () => {
    const e = entry('a'.repeat(64));
    expect(e.findings.length).toBeGreaterThan(0);
    expect(cache.put(e)).toBe(true);
    expect(cache.get(e.key)).toEqual(e);
  });

  test('a changed finding (the hash no longer matches) is a miss', () => {
    const e = entry('b'.repeat(64));
    cache.put(e);
    const stored = JSON.parse(readFileSync(file(e.key), 'utf8'));
    stored.findings[0].message = 'moved to heap: edited';
    writeFileSync(file(e.key), JSON.stringify(stored));
    expect(cache.get(e.key)).toBeNull();
  });

  test('a truncated entry, or one without a hash, is a miss', () => {
    const e = entry('c'.repeat(64));
    cache.put(e);
    const text = readFileSync(file(e.key), 'utf8');
    writeFileSync(file(e.key), text.slice(0, text.length >> 1));
    expect(cache.get(e.key)).toBeNull();
    writeFileSync(file(e.key), JSON.stringify(e));
    expect(cache.get(e.key)).toBeNull();
  });

  test.each([
    ['a line that is a string', (f: Record<string, unknown>) => (f.line = '12')],
    ['reasons that are not strings', (f: Record<string, unknown>) => (f.reasons = [{}])],
    ['a flow step without notes', (f: Record<string, unknown>) => (f.flow = [{ dst: 'x', src: 'y' }])],
    ['a finding that is null', null],
  ])('a wrong-typed entry with a matching hash is a miss: %s', (_what, change) => {
    const e = entry('d'.repeat(64));
    const findings = structuredClone(e.findings) as unknown as (Record<string, unknown> | null)[];
    if (change) change(findings[0]!);
    else findings[0] = null;
    const bad = { ...e, findings } as unknown as CacheEntry;
    writeFileSync(file(e.key), JSON.stringify({ ...bad, sha256: payloadHash(bad) }));
    expect(cache.get(e.key)).toBeNull();
  });
});
