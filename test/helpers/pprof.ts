// Runs `go tool pprof` as the oracle and parses its -top output.
//
// Its output is cached on disk, keyed by the profile's bytes (SHA-256), the
// arguments and the Go version: a re-run of the oracle tests reads the cache
// instead of starting a pprof process per profile and sample index (minutes
// on a 2-core machine). The cache is node_modules/.cache/advisor-tests/pprof,
// so a fresh clone or `npm ci` starts without it; ADVISOR_PPROF_CACHE=off
// skips it, ADVISOR_PPROF_CACHE=DIR puts it elsewhere.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
  /** pprof's mark after the name: every edge into the node is inlined, or some are. */
  inline: 'inline' | 'partial-inline' | null;
}

export interface TopOutput {
  total: number;
  rows: TopRow[];
}

const ROW = /^\s*(-?[\d.]+)(B?)\s+\S+%\s+\S+%\s+(-?[\d.]+)(B?)\s+\S+%\s+(.*?)(?: \(((?:partial-)?inline)\))?$/;

export function parseTop(text: string): TopOutput {
  const lines = text.split('\n');
  const total = /of (-?\d+)B? total/.exec(text);
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  const rows: TopRow[] = [];
  if (start >= 0) {
    for (const l of lines.slice(start + 1)) {
      const m = ROW.exec(l);
      if (!m) continue;
      rows.push({ name: m[5], flat: Number(m[1]), cum: Number(m[3]), inline: (m[6] as TopRow['inline']) ?? null });
    }
  }
  return { total: total ? Number(total[1]) : 0, rows };
}

/** `go tool pprof -top` with exact integers and nothing dropped. */
export function pprofTop(file: string, sampleIndex: number, lines = false): TopOutput {
  const flags = ['-symbolize=none', '-top', `-sample_index=${sampleIndex}`, '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000', '-unit=B'];
  if (lines) flags.push('-lines');
  return parseTop(goToolPprof(flags, file));
}

const CACHE = process.env.ADVISOR_PPROF_CACHE ?? path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'advisor-tests', 'pprof');

let goVersion: string | null = null;

/** `go env GOVERSION`, once per test process (the toolchain GOTOOLCHAIN selects). */
function currentGoVersion(): string {
  return (goVersion ??= execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim());
}

/** The stdout of `go tool pprof FLAGS FILE`, from the cache when this profile, these flags and this Go were seen before. */
export function goToolPprof(flags: string[], file: string): string {
  const run = (): string =>
    execFileSync('go', ['tool', 'pprof', ...flags, file], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent' },
      maxBuffer: 256 * 1024 * 1024,
    });
  if (CACHE === 'off') return run();
  const key = createHash('sha256')
    .update(currentGoVersion())
    .update('\0')
    .update(flags.join('\0'))
    .update('\0')
    .update(createHash('sha256').update(readFileSync(file)).digest('hex'))
    .digest('hex');
  const cached = path.join(CACHE, `${key}.txt`);
  try {
    return readFileSync(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  const out = run();
  mkdirSync(CACHE, { recursive: true });
  // Written aside and renamed, so test files running at once never read half a file.
  const tmp = `${cached}.${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, cached);
  return out;
}
