// Flat and cum per function and per line equal `go tool pprof -top` (and
// -top -lines) on every real heap profile, for every heap sample index.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseProfileBytes } from '../src/profile/load.js';
import { isHeapLike, rankProfile } from '../src/rank/index.js';
import type { Row } from '../src/rank/model.js';
import { pprofTop, type TopOutput } from './helpers/pprof.js';
import { REALWORLD } from './helpers/realworld.js';


const SAMPLES = ['samples/service/allocs.pb.gz', 'samples/basic/allocs.pb.gz'].map((f) => path.resolve(__dirname, '..', f));

function cases(): [string, number][] {
  const out: [string, number][] = [];
  // The bundled samples: all four Go heap sample types.
  for (const f of SAMPLES) for (let i = 0; i < 4; i++) out.push([f, i]);
  for (const file of readdirSync(path.join(REALWORLD, 'profiles')).sort()) {
    const facts = JSON.parse(readFileSync(path.join(REALWORLD, 'oracle', `${file}.facts.json`), 'utf8'));
    if (facts.format !== 'protobuf') continue;
    const types: string[] = facts.sample_types;
    types.forEach((t, i) => {
      const [type, unit] = t.split('/');
      if (isHeapLike({ type, unit })) out.push([file, i]);
    });
  }
  return out;
}

export function lineName(r: Row): string {
  // pprof's NodeInfo.PrintableName for -lines: "name file:line".
  const parts = r.name ? [r.name] : [];
  if (r.line) parts.push(`${r.file}:${r.line}`);
  else if (r.file) parts.push(r.file);
  return parts.join(' ') || '<unknown>';
}

export function expectSameAsPprof(rows: Row[], top: TopOutput, total: number, nameOf: (r: Row) => string): void {
  expect(total).toBe(top.total);
  const ours = new Map<string, [number, number]>();
  for (const r of rows) {
    const k = nameOf(r);
    const prev = ours.get(k) ?? [0, 0];
    ours.set(k, [prev[0] + r.flat, prev[1] + r.cum]);
  }
  const theirs = new Map<string, [number, number]>();
  for (const r of top.rows) theirs.set(r.name, [r.flat, r.cum]);
  expect(ours.size).toBe(theirs.size);
  for (const [k, v] of theirs) expect([k, ours.get(k)]).toEqual([k, v]);
}

describe('numbers equal go tool pprof on real heap profiles', () => {
  test.each(cases())('%s sample index %i', (file, index) => {
    const full = path.isAbsolute(file) ? file : path.join(REALWORLD, 'profiles', file);
    const profile = parseProfileBytes(readFileSync(full), file);
    const ranking = rankProfile(profile, { sampleIndex: String(index) });
    const top = pprofTop(full, index);
    expectSameAsPprof(ranking.functions, top, ranking.total, (r) => r.name);
    expectSameAsPprof(ranking.lines, pprofTop(full, index, true), ranking.total, lineName);
    // And the "(inline)" / "(partial-inline)" marks of function nodes.
    const marks = new Map(ranking.functions.map((r) => [r.name, r.inline]));
    for (const r of top.rows) expect([r.name, marks.get(r.name)]).toEqual([r.name, r.inline]);
  });
});
