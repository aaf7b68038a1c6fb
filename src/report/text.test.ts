// The terminal report at the widths people use: pprof's short function names
// (the full name stays in the JSON), a file:line never split across lines,
// and the cold list folded to the few lines that matter.
import { describe, expect, it } from 'vitest';
import type { ColdEscape, Report } from '../model/report.js';
import { manyFindingsReport } from '../../test/fixtures/report/many.js';
import { realisticReport } from '../../test/fixtures/report/realistic.js';
import { hostileReport } from '../../test/fixtures/report/hostile.js';
import { FIXTURE_RULES } from '../../test/fixtures/report/rules.js';
import { visible } from './sanitize.js';
import { renderJson } from './json.js';
import { fitPath, renderText, wrap } from './text.js';

const WIDTHS = [40, 60, 80, 100, 120, 160];
const render = (r: Report, width: number) => renderText(r, { color: false, width, rules: FIXTURE_RULES });

/** Every file:line the report names. */
function locations(r: Report): string[] {
  const out = new Set<string>();
  for (const f of r.findings) {
    out.add(`${f.site.file ?? f.site.profileFile}:${f.site.line}`);
    if (f.site.callSite) out.add(`${f.site.callSite.file ?? f.site.profileFile}:${f.site.callSite.line}`);
  }
  for (const s of r.sites) out.add(`${s.file ?? s.profileFile}:${s.line}`);
  // As the terminal shows them: control characters escaped.
  return [...out].map(visible);
}

describe('fitPath', () => {
  it('keeps a path that fits, else its end from a directory boundary', () => {
    expect(fitPath('internal/api/codec.go:33', 40)).toBe('internal/api/codec.go:33');
    expect(fitPath('internal/api/codec.go:33', 20)).toBe('…/api/codec.go:33');
    expect(fitPath('internal/api/codec.go:33', 14)).toBe('…/codec.go:33');
    expect(fitPath('/home/ci/go/pkg/mod/example.com/x@v1.4.0/pb/order.pb.go:412', 30)).toBe('…/x@v1.4.0/pb/order.pb.go:412');
    expect(fitPath('a_very_long_file_name.go:1234', 12)).toBe('…ame.go:1234');
    for (const max of [1, 5, 12, 20, 30]) expect([...fitPath('/home/ci/go/pkg/mod/example.com/x/pb/order.pb.go:412', max)].length).toBeLessThanOrEqual(max);
  });
  it('wrap shortens a file:line from the left instead of cutting it', () => {
    const lines = wrap('At /home/ci/go/pkg/mod/example.com/shop-gen@v1.4.0/pb/order.pb.go:412, inlined', 40, '  ', '  ');
    expect(lines).toEqual(['  At', '  …/shop-gen@v1.4.0/pb/order.pb.go:412,', '  inlined']);
  });
});

describe('the text report', () => {
  it('names functions as pprof does; the JSON keeps the full name', () => {
    const out = render(realisticReport, 100);
    expect(out).toContain('#1  catalog.(*Index).Lookup\n');
    expect(out).toContain('inlined into httpapi.(*Server).writeJSON at');
    expect(out).not.toContain('example.com/shop/internal/catalog.(*Index).Lookup');
    expect(JSON.parse(renderJson(realisticReport)).findings[0].site.function).toBe('example.com/shop/internal/catalog.(*Index).Lookup');
  });

  it('never breaks a file:line across lines, at any width', () => {
    for (const report of [realisticReport, manyFindingsReport(30, 50), hostileReport]) {
      for (const width of WIDTHS) {
        const lines = render(report, width).split('\n');
        // A path with a space in it (the hostile fixture has one) wraps at its
        // space like any text; the rule is for paths without spaces.
        for (const loc of locations(report).filter((l) => !/\s/.test(l))) {
          const base = loc.slice(loc.lastIndexOf('/') + 1);
          // Whole, or its end behind '…', with the file name and line intact, on one line.
          const whole = lines.some((l) => l.includes(loc));
          const fitted = lines.some((l) => {
            const i = l.indexOf('…');
            return i >= 0 && loc.endsWith(l.slice(i + 1).replace(/[\s│,]+$/, '').replace(/ .*$/, '')) && l.includes(base);
          });
          expect(whole || fitted, `${loc} at ${width} columns`).toBe(true);
        }
        for (const l of lines) expect([...l].length, `${width}: ${l}`).toBeLessThanOrEqual(width);
      }
    }
  });

  describe('cold escapes, folded', () => {
    // 12 lines with a share (two escapes on the first), 9 the profile never sampled.
    const items: ColdEscape[] = [
      { file: 'cmd/svc/main.go', line: 54, kind: 'escapes', subject: '&cache.Cache{...}', share: 0.0569 },
      { file: 'cmd/svc/main.go', line: 54, kind: 'escapes', subject: 'make([]byte, 33554432)', share: 0.0569 },
      ...Array.from({ length: 11 }, (_, i): ColdEscape => ({ file: 'internal/api/render.go', line: 100 + i, kind: 'moved-to-heap', subject: `v${i}`, share: 0.01 / (i + 1) })),
      ...Array.from({ length: 6 }, (_, i): ColdEscape => ({ file: 'cmd/svc/main.go', line: 200 + i, kind: 'leaking-param', subject: `p${i}`, share: 0 })),
      ...Array.from({ length: 3 }, (_, i): ColdEscape => ({ file: 'cmd/svc/main.go', line: 300 + i, kind: 'escapes', subject: `e${i}`, share: 0 })),
    ];
    const withCold = (top: number): Report => ({
      ...realisticReport,
      settings: { ...realisticReport.settings, top },
      cold: { ...realisticReport.cold, escapes: items.length + 4, items },
    });
    const coldSection = (out: string) => out.slice(out.indexOf('\nCold escapes\n'), out.indexOf('\nSince the baseline'));

    it('lists the largest few lines (escapes on one line together), counts the rest, and sums up the unsampled by kind', () => {
      const cold = coldSection(render(withCold(20), 120));
      expect(cold).toContain('The 5 lines with the largest share:\n');
      expect(cold).toContain('  - cmd/svc/main.go:54 (5.69%) escapes to heap: &cache.Cache{...}, make([]byte, 33554432)\n');
      expect(cold.match(/^ {2}- /gm)).toHaveLength(5);
      expect(cold).toContain('  … 7 more escapes at 7 other lines, each line 0.2% or less\n');
      expect(cold).toContain('  … 9 escapes at 9 lines the profile never sampled (0%): 6 leaking param, 3 escapes to heap\n');
      expect(cold).toContain('  … and 4 more escapes not listed');
    });

    it('--top limits the list; --top 0 lists every line with a share', () => {
      expect(coldSection(render(withCold(3), 120)).match(/^ {2}- /gm)).toHaveLength(3);
      const all = coldSection(render(withCold(0), 120));
      expect(all).toContain('Lines with a share:');
      expect(all.match(/^ {2}- /gm)).toHaveLength(12);
      expect(all).not.toContain('other lines');
    });
  });
});
