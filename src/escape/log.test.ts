import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readEscapeLogs } from './log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../test/fixtures/escape');
const captured = (name: string): string => readFileSync(path.join(fixtures, 'captured', name), 'utf8');
const LAB = path.join(fixtures, 'lab');

describe('readEscapeLogs', () => {
  it('reads a saved -m=2 text log against the module it came from', () => {
    const r = readEscapeLogs([{ name: 'lab-m2.txt', text: captured('lab-m2.txt') }], { srcDir: path.join(LAB, 'sub') });
    expect(r.source).toBe('log');
    expect(r.goVersion).toBeNull();
    expect(r.notes).toEqual([]);
    expect(r.packages.map((p) => [p.importPath, p.status, p.dir])).toEqual([
      ['example.com/lab/sub', 'log', path.join(LAB, 'sub')],
      ['example.com/lab/gen', 'log', path.join(LAB, 'gen')],
      ['example.com/lab/misc', 'log', path.join(LAB, 'misc')],
      ['example.com/lab', 'log', LAB],
    ]);
    const t = r.findings.find((f) => f.kind === 'moved-to-heap' && f.relFile === 'main.go' && f.line === 15);
    expect(t?.file).toBe(path.join(LAB, 'main.go'));
    expect(t?.reasons).toEqual(['address-of', 'return']);
  });

  it('reads go build -json logs and several files at once', () => {
    const r = readEscapeLogs(
      [
        { name: 'lab-m2.json', text: captured('lab-m2.json') },
        { name: 'broken-m2.json', text: captured('broken-m2.json') },
      ],
      { srcDir: LAB },
    );
    const bad = r.packages.find((p) => p.importPath === 'example.com/broken/bad');
    expect(bad?.status).toBe('failed');
    expect(bad?.error).toContain('undefined: foo');
    expect(r.findings.some((f) => f.pkg === 'example.com/broken/good' && f.kind === 'moved-to-heap')).toBe(true);
  });

  it('says when a log has no explanations, or nothing at all', () => {
    const m1 = readEscapeLogs([{ name: 'm1', text: captured('lab-m1.txt') }], { srcDir: LAB });
    expect(m1.notes.join('\n')).toMatch(/no -m=2 explanations/);
    const empty = readEscapeLogs([{ name: 'empty.txt', text: '\n' }]);
    expect(empty.findings).toEqual([]);
    expect(empty.notes[0]).toMatch(/^empty\.txt: no compiler diagnostics found/);
  });

  it('works without a source directory, keeping printed relative names', () => {
    const r = readEscapeLogs([{ name: 'lab-m2.txt', text: captured('lab-m2.txt') }]);
    const t = r.findings.find((f) => f.kind === 'moved-to-heap' && f.line === 15 && f.rawFile === './main.go');
    expect(t).toMatchObject({ file: null, relFile: 'main.go' });
    expect(r.packages.every((p) => p.dir === null)).toBe(true);
  });
});
