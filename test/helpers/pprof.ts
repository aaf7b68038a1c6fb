// Runs `go tool pprof` as the oracle and parses its -top output.
import { execFileSync } from 'node:child_process';

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
  const args = ['tool', 'pprof', '-symbolize=none', '-top', `-sample_index=${sampleIndex}`, '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000', '-unit=B'];
  if (lines) args.push('-lines');
  args.push(file);
  const out = execFileSync('go', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PPROF_BINARY_PATH: '/nonexistent' }, maxBuffer: 256 * 1024 * 1024 });
  return parseTop(out);
}
