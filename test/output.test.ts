// -o: the temporary file beside the target is removed when a signal comes
// during the write, an existing file keeps its mode, and a symbolic link is
// written through (the file it points to is replaced, the link stays).
import { spawn } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, requireBuiltCli, runCli } from './helpers/cli.js';
import { encodeProfile, simpleHeapProfile } from './helpers/protoenc.js';

const SAMPLE = path.resolve(__dirname, '..', 'samples', 'service', 'allocs.pb.gz');
let tmp: string;

beforeAll(() => {
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'advisor-output-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('-o', () => {
  test('an existing 0600 file stays 0600; a new file gets the umask', () => {
    const out = path.join(tmp, 'private.json');
    writeFileSync(out, 'old');
    chmodSync(out, 0o600);
    const r = runCli([SAMPLE, '--format', 'json', '-o', out], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(2);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const fresh = path.join(tmp, 'fresh.json');
    expect(runCli([SAMPLE, '--format', 'json', '-o', fresh], { cwd: tmp }).code).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  test('a symbolic link is written through: the link stays, the file it names is replaced', () => {
    mkdirSync(path.join(tmp, 'reports'));
    const real = path.join(tmp, 'reports', 'actual.md');
    writeFileSync(real, 'old');
    const link = path.join(tmp, 'latest.md');
    symlinkSync('reports/actual.md', link);
    const r = runCli([SAMPLE, '--format', 'markdown', '-o', link], { cwd: tmp });
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('reports/actual.md');
    expect(readFileSync(real, 'utf8')).toMatch(/^## Heap allocation report/);
    expect(readdirSync(path.join(tmp, 'reports')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  // A report of about 50 MB (one 12 MiB function name, printed in several
  // places) takes long enough to write that the temporary file can be seen;
  // a SIGTERM or SIGINT then must not leave it behind.
  test('SIGTERM or SIGINT while the report is written leaves no temporary file and the old report intact', async () => {
    const dir = path.join(tmp, 'signal');
    mkdirSync(dir);
    const name = `example.com/app.${'L'.repeat(12 * 1024 * 1024)}`;
    const p = simpleHeapProfile([{ frames: [{ name, file: '/src/app/a.go', line: 3 }], bytes: 4096, objects: 1 }]);
    const profile = path.join(tmp, 'long.pb.gz');
    writeFileSync(profile, gzipSync(encodeProfile(p), { level: 1 }));
    const out = path.join(dir, 'report.json');
    writeFileSync(out, 'old report');
    let caught = 0;
    for (let trial = 0; trial < 6 && caught < 2; trial++) {
      const signal: NodeJS.Signals = trial % 2 === 0 ? 'SIGTERM' : 'SIGINT';
      const child = spawn(process.execPath, [CLI, profile, '--format', 'json', '-o', out], { cwd: tmp, stdio: 'ignore' });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, sig) => resolve({ code, signal: sig })));
      let running = true;
      void exited.then(() => (running = false));
      // Wait for the temporary file to appear, then signal at once.
      let seen = false;
      while (running && !seen) {
        seen = readdirSync(dir).some((f) => f.endsWith('.tmp'));
        if (!seen) await new Promise((r) => setTimeout(r, 1));
      }
      if (seen) child.kill(signal);
      const end = await exited;
      const left = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
      expect(left, `trial ${trial}: ${signal}`).toEqual([]);
      if (seen && end.signal === signal) {
        caught++;
        expect(readFileSync(out, 'utf8')).toBe('old report');
      }
    }
    expect(caught, 'the signal never arrived during a write').toBeGreaterThan(0);
  }, 240_000);
});
