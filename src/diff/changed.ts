// --changed scoping: keep only what sits on lines a change touched, so a PR
// comment talks about code the PR changed and nothing else. The changed-line
// map comes from src/git/changed.ts; its paths are relative to --src, like
// Finding.site.file.
import type { DiffEntry, Finding } from '../model/report.js';

export type ChangedLines = ReadonlyMap<string, ReadonlySet<number>>;

function touched(changed: ChangedLines, file: string | null, line: number): boolean {
  return file !== null && (changed.get(file)?.has(line) ?? false);
}

/**
 * Findings whose site line changed, or, for an allocation inlined into a
 * caller, whose call-site line changed: editing the caller can be what made
 * the callee's allocation escape (the compiler reports it there).
 */
export function filterByChanged(findings: readonly Finding[], changed: ChangedLines): Finding[] {
  return findings.filter(
    (f) => touched(changed, f.site.file, f.site.line) || (f.site.callSite !== null && touched(changed, f.site.callSite.file, f.site.callSite.line)),
  );
}

/**
 * Diff entries on changed lines. A 'fixed' entry names its line in the base
 * version, which the working tree may no longer have, so it is kept when its
 * file changed at all.
 */
export function filterEntriesByChanged(entries: readonly DiffEntry[], changed: ChangedLines): DiffEntry[] {
  return entries.filter((e) =>
    e.status === 'fixed' ? e.file !== null && (changed.get(e.file)?.size ?? 0) > 0 : touched(changed, e.file, e.line),
  );
}
