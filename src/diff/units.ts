// The units a diff compares: one (function, file, line) of one side, with
// sites that differ only by inlined call site summed.
import type { Ranking, Site } from '../rank/model.js';
import type { DiffOptions, DiffSideName } from './index.js';
import type { MatchUnit } from './match.js';

/** One (function, file, line) of one side: sites that differ only by inlined call site are summed. */
export interface Unit extends MatchUnit {
  file: string | null;
  value: number;
  /** Companion value (objects for a space index). */
  companion: number;
  hot: boolean;
}

export function unitsOf(side: DiffSideName, ranking: Ranking, hot: Set<Site>, opts: DiffOptions): Unit[] {
  const byKey = new Map<string, { unit: Unit; rep: Site }>();
  for (const site of ranking.sites) {
    const file = opts.fileOf ? opts.fileOf(side, site.file) : site.file;
    const fileKey = file ?? site.file;
    const key = `${site.function}\0${fileKey}\0${site.line}`;
    let g = byKey.get(key);
    if (!g) {
      g = {
        unit: {
          function: site.function,
          fileKey,
          file,
          line: site.line,
          functionStartLine: site.functionStartLine,
          statement: null,
          value: 0,
          companion: 0,
          hot: false,
        },
        rep: site,
      };
      byKey.set(key, g);
    }
    g.unit.value += site.flat;
    g.unit.companion += site.flatCompanion;
    g.unit.hot ||= hot.has(site);
    if (Math.abs(site.flat) > Math.abs(g.rep.flat)) g.rep = site;
    if (g.unit.functionStartLine === 0) g.unit.functionStartLine = site.functionStartLine;
  }
  const units: Unit[] = [];
  for (const { unit, rep } of byKey.values()) {
    if (opts.statementOf) unit.statement = opts.statementOf(side, rep);
    units.push(unit);
  }
  return units;
}
