import { describe, expect, it } from 'vitest';
import { buildReport } from '../advise/index.js';
import { loadProfile } from '../profile/index.js';
import { rankProfile } from '../rank/index.js';
import type { Site } from '../rank/model.js';
import { mkRanking, mkSite } from '../../test/fixtures/diff/rankings.js';
import { hotSet, hotSitesOf } from './hot.js';

const key = (f: { function: string; line: number }) => `${f.function}:${f.line}`;

describe('hotSet', () => {
  it('takes the smallest top set covering hotCover, each at least minShare', () => {
    const sites: Site[] = [
      mkSite('main.a', 'a.go', 1, 50),
      mkSite('main.b', 'a.go', 2, 25),
      mkSite('main.c', 'a.go', 3, 10),
      ...Array.from({ length: 30 }, (_, i) => mkSite(`main.t${i}`, 't.go', i + 1, 0.5)),
    ];
    const r = mkRanking(sites);
    expect([...hotSet(r.sites, r.total, 0.8, 0.01)].map(key).sort()).toEqual(['main.a:1', 'main.b:2', 'main.c:3']);
    expect([...hotSet(r.sites, r.total, 0.5, 0.01)].map(key)).toEqual(['main.a:1']);
    // Sites below minShare never count, even when the cover is not reached.
    expect([...hotSet(r.sites, r.total, 1, 0.01)].map(key).sort()).toEqual(['main.a:1', 'main.b:2', 'main.c:3']);
  });

  for (const sample of ['basic', 'service']) {
    it(`agrees with the advice engine's hot findings on samples/${sample}`, async () => {
      const profile = await loadProfile(`samples/${sample}/allocs.pb.gz`);
      const ranking = rankProfile(profile);
      for (const [hotCover, minShare] of [
        [0.8, 0.01],
        [0.5, 0.02],
        [0.95, 0.001],
      ]) {
        const report = buildReport({
          sources: ['allocs.pb.gz'],
          ranking,
          profileMeta: { durationNanos: profile.durationNanos, timeNanos: profile.timeNanos },
          escape: { source: 'none', goVersion: null, packages: [], findings: [], notes: [] },
          mapPath: () => null,
          readSource: () => null,
          options: { hotCover, minShare, top: 0 },
          toolVersion: 'test',
        });
        const fromEngine = report.findings.filter((f) => f.hot).map((f) => `${key(f.site)}:${f.site.profileFile}:${f.site.callSite?.function ?? ''}`).sort();
        const ours = [...hotSitesOf(ranking, hotCover, minShare)].map((s) => `${key(s)}:${s.file}:${s.callSite?.function ?? ''}`).sort();
        expect(fromEngine.length).toBeGreaterThan(0);
        expect(ours).toEqual(fromEngine);
      }
    });
  }
});
