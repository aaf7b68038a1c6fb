// Array helpers for lists of any length. `a.push(...b)` and `Math.max(...b)`
// pass every element as an argument, and past about 100,000 of them V8
// throws "Maximum call stack size exceeded": a long name wrapped into many
// lines, or a package with 135,000 escape findings, crashed that way.

/** Appends every item of `from` to `to`; returns `to`. */
export function pushAll<T>(to: T[], from: Iterable<T>): T[] {
  for (const x of from) to.push(x);
  return to;
}

/** The largest of `values`, or `init` when it is larger (or `values` is empty). */
export function maxOf(values: Iterable<number>, init = -Infinity): number {
  let m = init;
  for (const v of values) if (v > m) m = v;
  return m;
}
