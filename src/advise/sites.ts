// One finding per source statement. The ranking keeps an inlined function's
// allocation apart per call site (the compiler may decide differently at
// each), but a developer fixes the statement once, so its cost is the sum
// over every caller it was inlined into. The call sites are kept, largest
// first, for the join.
import type { AllocatedBy, Frame, Site } from '../rank/model.js';
import { maxOf } from '../arrays.js';

export interface StatementSite {
  /** The statement's site, values summed over its members; callSite is the largest member's. */
  site: Site;
  /** Distinct physical call sites of the inlined members, largest first. */
  callSites: Frame[];
}

export function groupSitesByStatement(sites: Site[]): StatementSite[] {
  const groups = new Map<string, Site[]>();
  for (const s of sites) {
    const key = `${s.function}\u0000${s.file}\u0000${s.line}\u0000${s.userCode ? 1 : 0}`;
    const g = groups.get(key);
    if (g) g.push(s);
    else groups.set(key, [s]);
  }
  const out: StatementSite[] = [];
  for (const members of groups.values()) {
    members.sort((a, b) => Math.abs(b.flat) - Math.abs(a.flat) || Math.abs(b.flatCompanion) - Math.abs(a.flatCompanion));
    const first = members[0];
    if (members.length === 1) {
      out.push({ site: first, callSites: first.callSite ? [first.callSite] : [] });
      continue;
    }
    const callSites: Frame[] = [];
    const seen = new Set<string>();
    for (const m of members) {
      if (!m.callSite) continue;
      const k = `${m.callSite.function}\u0000${m.callSite.file}\u0000${m.callSite.line}`;
      if (!seen.has(k)) {
        seen.add(k);
        callSites.push(m.callSite);
      }
    }
    const flat = members.reduce((s, m) => s + m.flat, 0);
    const by = new Map<string, AllocatedBy>();
    for (const m of members) {
      for (const a of m.allocatedBy) {
        const k = `${a.function}\u0000${a.via ?? ''}`;
        const prev = by.get(k);
        if (prev) {
          prev.value += a.value;
          prev.companion += a.companion;
        }
        else by.set(k, { ...a });
      }
    }
    const allocatedBy = [...by.values()]
      .map((a) => ({ ...a, share: flat ? a.value / flat : 0 }))
      .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.function.localeCompare(b.function));
    out.push({
      site: {
        ...first,
        flat,
        flatCompanion: members.reduce((s, m) => s + m.flatCompanion, 0),
        // cum is per line already (pprof -lines), the same for every member.
        cum: maxOf(members.map((m) => m.cum)),
        allocatedBy,
        samples: members.reduce((s, m) => s + m.samples, 0),
        maxSampleValue: maxOf(members.map((m) => m.maxSampleValue)),
      },
      callSites,
    });
  }
  return out;
}
