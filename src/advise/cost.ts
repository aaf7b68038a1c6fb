// What a hot line allocates itself, and what the calls on it allocate below
// it. A line's bytes often come mostly from a library it calls (a parser, a
// decoder, a client's Get) while the compiler also reports a small escape on
// the same line; a rule may only be charged with the part its fix removes.
//
// runtime/pprof drops the leading `runtime.` frames of every heap stack
// (reference §10.3), so an allocation the statement makes itself (`new`,
// `make`, `&T{}`, a conversion, a concatenation, a boxed value) has the site
// as its leaf. What is left of the runtime below a site (map growth:
// `runtime.mapassign_faststr`, `internal/runtime/maps.…`) is the statement's
// own too. Every other frame below the site is a function the line called.
import type { Site } from '../rank/model.js';

/** A callee of the site's line and what it allocated below it. */
export interface CallPart {
  /** The function the line called (the frame just below the site), e.g. `encoding/json.Unmarshal`. */
  function: string;
  value: number;
  companion: number;
}

export interface CostSplit {
  /** What the statement allocates itself. */
  self: { value: number; companion: number };
  /** What each callee allocates below the line, largest value first. */
  calls: CallPart[];
}

/** Functions whose allocations belong to the statement that reached them (map growth left below a site). */
const RUNTIME_PREFIX = /^(?:runtime\.|internal\/runtime\/)/;

export function isRuntimeFunction(name: string): boolean {
  return RUNTIME_PREFIX.test(name);
}

/** Splits a site's value (and companion) into the statement's own part and one part per callee. */
export function splitCost(site: Site): CostSplit {
  const calls = new Map<string, CallPart>();
  let callValue = 0;
  let callCompanion = 0;
  for (const a of site.allocatedBy) {
    const callee = a.via ?? a.function;
    if (callee === site.function || isRuntimeFunction(callee)) continue;
    let part = calls.get(callee);
    if (!part) calls.set(callee, (part = { function: callee, value: 0, companion: 0 }));
    part.value += a.value;
    part.companion += a.companion;
    callValue += a.value;
    callCompanion += a.companion;
  }
  const list = [...calls.values()].sort(
    (a, b) => Math.abs(b.value) - Math.abs(a.value) || Math.abs(b.companion) - Math.abs(a.companion) || (a.function < b.function ? -1 : 1),
  );
  return { self: { value: site.flat - callValue, companion: site.flatCompanion - callCompanion }, calls: list };
}
