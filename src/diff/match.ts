// Matching allocation sites across two versions of the code.
//
// A profile names a site by function, file and line, but lines move: add ten
// lines at the top of a file and every site below shifts by ten without being
// another site. So a site is identified by its function and its STATEMENT,
// and the line number is only the first, cheapest guess. Passes, in order,
// each over the sites the earlier passes left unmatched:
//
//   1. 'line'      same (function, file, line), unless that is a coincidence:
//                  both statements are known and differ (the line now holds
//                  another statement, code moved under it), or a statement is
//                  unknown and the function itself starts on another line
//                  (the whole function moved, so its lines did too).
//   2. 'statement' same (function, file, normalized statement text). When a
//                  function holds the same text more than once (two
//                  `buf = append(buf, b...)`), occurrences pair up in line order.
//   3. 'edited'    same (function, file, line) with two known, different
//                  statements that nothing else claimed: the statement was
//                  edited in place (make([]T, n) became make([]T, 0, n)).
//   4. 'offset'    same (function, line - function start line), when at least
//                  one side's statement is unknown (no base source) and both
//                  profiles record Function.start_line. Code added above the
//                  function shifts both lines alike. No file: a function moved
//                  to another file keeps its offsets.
//   5. 'order'     same function and the same rank by line within it, when
//                  at least one side's statement is unknown and the function has
//                  equally many unmatched sites on both sides; with unequal
//                  counts a site was added or removed and order proves nothing.
//
// Anything still unmatched is gone (base only) or new (current only).

export type MatchMethod = 'line' | 'statement' | 'edited' | 'offset' | 'order';

export interface MatchUnit {
  function: string;
  /** File identity for matching (the --src-relative path when known, else the profile's). */
  fileKey: string;
  line: number;
  /** Function.start_line; 0 when the profile lacks it. */
  functionStartLine: number;
  /** Normalized statement text; null when the source is unavailable. */
  statement: string | null;
}

export interface MatchResult<T extends MatchUnit> {
  pairs: { base: T; current: T; method: MatchMethod }[];
  baseOnly: T[];
  currentOnly: T[];
}

export function matchSites<T extends MatchUnit>(base: readonly T[], current: readonly T[]): MatchResult<T> {
  const pairs: MatchResult<T>['pairs'] = [];
  const baseLeft = new Set<T>(base);
  const curLeft = new Set<T>(current);
  const take = (b: T, c: T, method: MatchMethod): void => {
    pairs.push({ base: b, current: c, method });
    baseLeft.delete(b);
    curLeft.delete(c);
  };
  const bothKnownAndDiffer = (b: T, c: T): boolean => b.statement !== null && c.statement !== null && b.statement !== c.statement;
  const oneUnknown = (b: T, c: T): boolean => b.statement === null || c.statement === null;
  const functionMoved = (b: T, c: T): boolean =>
    b.functionStartLine > 0 && c.functionStartLine > 0 && b.functionStartLine !== c.functionStartLine;
  const lineKey = (u: T): string => `${u.function}\0${u.fileKey}\0${u.line}`;

  // 1. Same line, unless the statements or the function's position say otherwise.
  const curByLine = indexBy(current, lineKey);
  for (const b of base) {
    const c = curByLine.get(lineKey(b))?.find((x) => curLeft.has(x));
    if (!c || bothKnownAndDiffer(b, c) || (oneUnknown(b, c) && functionMoved(b, c))) continue;
    take(b, c, 'line');
  }

  // 2. Same statement text.
  pairInOrder(baseLeft, curLeft, (u) => (u.statement === null ? null : `${u.function}\0${u.fileKey}\0${u.statement}`), () => true, (b, c) => take(b, c, 'statement'));

  // 3. Edited in place.
  pairInOrder(baseLeft, curLeft, lineKey, bothKnownAndDiffer, (b, c) => take(b, c, 'edited'));

  // 4. Same offset from the function's first line.
  pairInOrder(
    baseLeft,
    curLeft,
    (u) => (u.functionStartLine > 0 ? `${u.function}\0${u.line - u.functionStartLine}` : null),
    oneUnknown,
    (b, c) => take(b, c, 'offset'),
  );

  // 5. Same rank within the function.
  const baseByFn = groupSorted(baseLeft);
  const curByFn = groupSorted(curLeft);
  for (const [fn, bs] of baseByFn) {
    const cs = curByFn.get(fn);
    if (!cs || cs.length !== bs.length) continue;
    if (!bs.every((b, i) => oneUnknown(b, cs[i]))) continue;
    bs.forEach((b, i) => take(b, cs[i], 'order'));
  }

  return { pairs, baseOnly: base.filter((b) => baseLeft.has(b)), currentOnly: current.filter((c) => curLeft.has(c)) };
}

function indexBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const l = m.get(k);
    if (l) l.push(it);
    else m.set(k, [it]);
  }
  return m;
}

const byLine = <T extends MatchUnit>(a: T, b: T): number => a.line - b.line || (a.fileKey < b.fileKey ? -1 : a.fileKey > b.fileKey ? 1 : 0);

/** Pairs the k-th unmatched base unit with the k-th unmatched current unit of each key, in line order. */
function pairInOrder<T extends MatchUnit>(
  baseLeft: Set<T>,
  curLeft: Set<T>,
  key: (u: T) => string | null,
  allowed: (b: T, c: T) => boolean,
  take: (b: T, c: T) => void,
): void {
  const group = (s: Set<T>): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const u of s) {
      const k = key(u);
      if (k === null) continue;
      const l = m.get(k);
      if (l) l.push(u);
      else m.set(k, [u]);
    }
    for (const l of m.values()) l.sort(byLine);
    return m;
  };
  const bg = group(baseLeft);
  const cg = group(curLeft);
  for (const [k, bs] of bg) {
    const cs = cg.get(k);
    if (!cs) continue;
    const n = Math.min(bs.length, cs.length);
    for (let i = 0; i < n; i++) if (allowed(bs[i], cs[i])) take(bs[i], cs[i]);
  }
}

function groupSorted<T extends MatchUnit>(items: Set<T>): Map<string, T[]> {
  const m = indexBy(items, (u) => u.function);
  for (const l of m.values()) l.sort(byLine);
  return m;
}
