// shortFunctionName against pprof itself: `go tool pprof -dot` labels each
// node with graph.ShortenFunctionName(name), its dots turned into line
// breaks, and keeps the full name in the node's tooltip. Every function node
// of Go profiles (and a Java one) must get the label pprof printed. (The
// corpus has no symbolized C++ profile, so the C++ pattern is not checked.)
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REALWORLD_PROFILES } from '../../test/helpers/realworld.js';
import { shortFunctionName } from './names.js';

const ROOT = path.resolve(__dirname, '../..');

test('the forms the report shows', () => {
  expect(shortFunctionName('example.com/advisor/samples/service/internal/api.readBody')).toBe('api.readBody');
  expect(shortFunctionName('example.com/advisor/samples/service/internal/api.(*Server).formatLines')).toBe('api.(*Server).formatLines');
  expect(shortFunctionName('github.com/grafana/pyroscope/v2/pkg/x.(*T[...]).F.func1')).toBe('x.(*T[...]).F.func1');
  expect(shortFunctionName('main.main')).toBe('main.main');
  expect(shortFunctionName('runtime.mallocgc')).toBe('runtime.mallocgc');
  expect(shortFunctionName('encoding/json.Marshal')).toBe('json.Marshal');
  expect(shortFunctionName('gopkg.in/yaml.v3.(*parser).node')).toBe('yaml.v3.(*parser).node');
  expect(shortFunctionName('')).toBe('');
});

/** (full name, label name lines) for each function node of pprof's dot output. */
function pprofLabels(file: string, extra: string[] = []): [string, string][] {
  const dot = execFileSync('go', ['tool', 'pprof', '-dot', '-symbolize=none', '-nodecount=1000000', '-nodefraction=0', '-edgefraction=0', ...extra, file], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const out: [string, string][] = [];
  for (const m of dot.matchAll(/^N\d+ \[label="((?:[^"\\]|\\.)*)" .* tooltip="((?:[^"\\]|\\.)*)"/gm)) {
    const [, label, tooltip] = m;
    if (/\\["\\]/.test(label + tooltip)) continue; // quoted characters: not worth unescaping here
    const full = tooltip.replace(/ \([^()]*\)$/, '');
    if (/^\[.*\]$/.test(full)) continue; // no function, only a mapping: pprof labels it by the mapping
    out.push([full, label]);
  }
  return out;
}

describe('shortFunctionName matches go tool pprof -dot labels', () => {
  const cases: [string, string, string[]][] = [
    ['samples/service', path.join(ROOT, 'samples/service/allocs.pb.gz'), []],
    ['samples/basic', path.join(ROOT, 'samples/basic/allocs.pb.gz'), []],
    ['pyroscope heap (module paths)', path.join(REALWORLD_PROFILES, 'grafana_pyroscope__heap'), ['-sample_index=alloc_space']],
    ['DataDog (mixed)', path.join(REALWORLD_PROFILES, 'DataDog_pprof-format__test.pprof'), []],
    ['golang/tools CPU (generics)', path.join(REALWORLD_PROFILES, 'golang_tools__sample.pprof'), []],
    ['Java CPU', path.join(REALWORLD_PROFILES, 'google_pprof__java.cpu'), []],
  ];
  test.each(cases)('%s', (_name, file, extra) => {
    const labels = pprofLabels(file, extra);
    expect(labels.length).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const [full, label] of labels) {
      const short = shortFunctionName(full).replace(/::/g, '\n').replace(/\[\.\.\.\]/g, '[…]').replace(/\./g, '\n');
      const want = `${short.replace(/\n/g, '\\n')}\\n`;
      if (!label.startsWith(want)) wrong.push(`${full}: pprof ${label} / ours ${want}`);
    }
    expect(wrong).toEqual([]);
  });
});
