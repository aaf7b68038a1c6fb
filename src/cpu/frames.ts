// Which Go runtime frames mean "allocating" and which mean "collecting".
//
// A CPU sample is classified by the frames on its stack, the same way
// `go tool pprof -focus=RE` selects samples: a location matches when any of
// its Lines (inlined frames included) names a matching function. The patterns
// are written in the subset of regular-expression syntax that JavaScript and
// Go's RE2 read alike, so the very same source can be handed to
// `go tool pprof -focus` as an oracle (see index.test.ts).
//
// Names come from the Go 1.26 runtime sources (malloc*.go, mgc*.go,
// mbarrier.go, mwbbuf.go, map*.go, string.go, iface.go, internal/runtime/maps)
// plus the older names seen in real profiles written by Go 1.14 to 1.21
// (scanobject, (*mspan).sweep, largeAlloc, convT2E, growWork_fast64, ...),
// so profiles from older programs classify the same way.

/**
 * Allocation: the allocator entry points the compiler calls for `new`,
 * `make`, `append`, string building, interface boxing and map growth, and
 * the allocator's own slow path. Deliberately not listed:
 * - runtime.memclrNoHeapPointers and runtime.memmove: they also run for
 *   plain `clear`/`copy`; under mallocgc or growslice they are counted anyway
 *   because the sample's stack contains the allocator frame.
 * - runtime.(*mheap).alloc/allocSpan: also used for goroutine stacks; when
 *   they serve the heap, mcache/mcentral frames are on the stack.
 * - stack growth (runtime.newstack, runtime.copystack): not heap allocation.
 * Growth work that disappears when the allocation does is included: the copy
 * in growslice, and rehashing in map growth (hashGrow/growWork/evacuate for
 * the old maps, table grow/split/rehash for Swiss maps in Go >= 1.24).
 */
export const ALLOC_FUNCTIONS: readonly string[] = [
  // mallocgc and its Go 1.24+ split (mallocgcTiny, mallocgcSmallNoscan,
  // mallocgcSmallScanNoHeader, mallocgcLarge, the size-class specialised
  // mallocgcSmallNoScanSC2.. of Go 1.26), and the pre-1.16 largeAlloc.
  'runtime\\.mallocgc[A-Za-z0-9_]*',
  'runtime\\.largeAlloc',
  'runtime\\.newobject',
  'runtime\\.newarray',
  'runtime\\.makeslice(64|copy)?',
  'runtime\\.growslice',
  'runtime\\.makemap(64|_small)?',
  'runtime\\.makechan(64)?',
  // Strings and byte/rune slices: concatenation and conversions.
  'runtime\\.rawstring(tmp)?',
  'runtime\\.rawbyteslice',
  'runtime\\.rawruneslice',
  'runtime\\.concatstring[s0-9]*',
  'runtime\\.slicebytetostring',
  'runtime\\.slicerunetostring',
  'runtime\\.stringtoslice(byte|rune)',
  // Interface boxing: convT, convT16/32/64, convTstring, convTslice,
  // convTnoptr, and the pre-1.14 convT2E/convT2I family.
  'runtime\\.convT[A-Za-z0-9]*',
  // Map growth (the old hash maps, then Swiss tables).
  'runtime\\.hashGrow',
  'runtime\\.growWork[A-Za-z0-9_]*',
  'runtime\\.evacuate[A-Za-z0-9_]*',
  'internal/runtime/maps\\.\\(\\*table\\)\\.(grow|split|rehash)',
  'internal/runtime/maps\\.\\(\\*Map\\)\\.growTo(Small|Table)',
  // The allocator's slow path, listed for stacks truncated above mallocgc.
  'runtime\\.\\(\\*mcache\\)\\.(nextFree|refill|allocLarge)',
  'runtime\\.\\(\\*mcentral\\)\\.(cacheSpan|grow)',
];

/**
 * Garbage collection: marking (background workers, assists, root and object
 * scanning, Green Tea span scanning in Go >= 1.25), the write barrier (it
 * only does work while marking), cycle start and termination, and sweeping,
 * including the proportional sweeping an allocation pays in
 * deductSweepCredit and (*mheap).reclaim.
 * Deliberately not listed:
 * - the scavenger (runtime.bgscavenge): it returns memory to the OS and its
 *   cost follows the heap's size, not its collection;
 * - runtime.stopTheWorld*: also used by ReadMemStats and the profilers; the
 *   GC's own stops are under gcStart/gcMarkDone/gcMarkTermination;
 * - runtime.gcmarknewobject: marking a new object black is part of mallocgc.
 * runtime._GC is the pseudo-frame the CPU profiler records when it cannot
 * unwind a stack while the GC runs (runtime/proc.go sigprof).
 */
export const GC_FUNCTIONS: readonly string[] = [
  'runtime\\._GC',
  'runtime\\.GC',
  'runtime\\.gcBgMark[A-Za-z]*',
  'runtime\\.gcAssistAlloc[A-Za-z0-9]*',
  'runtime\\.gcDrain[A-Za-z]*',
  'runtime\\.gcStart',
  'runtime\\.gcMark[A-Za-z]*',
  'runtime\\.gcSweep',
  'runtime\\.gcFlushBgCredit',
  'runtime\\.gcParkAssist',
  'runtime\\.markroot[A-Za-z]*',
  'runtime\\.scan[A-Za-z]*',
  'runtime\\.tryDeferToSpanScan',
  'runtime\\.gcWriteBarrier[A-Za-z0-9_]*',
  'runtime\\.wbBufFlush[0-9]*',
  'runtime\\.bulkBarrier[A-Za-z]*',
  'runtime\\.bgsweep',
  'runtime\\.sweepone',
  'runtime\\.deductSweepCredit',
  'runtime\\.\\(\\*sweepLocked\\)\\.sweep',
  'runtime\\.\\(\\*mspan\\)\\.sweep',
  'runtime\\.\\(\\*mheap\\)\\.reclaim[A-Za-z]*',
  'runtime\\.\\(\\*mcache\\)\\.prepareForSweep',
];

// Closures keep their parent's name with a .funcN (or .funcN.M) suffix.
const CLOSURE = '(\\.func[0-9]+(\\.[0-9]+)*)?';

function anchored(names: readonly string[]): string {
  return `^(${names.join('|')})${CLOSURE}$`;
}

/** The allocation pattern's source: valid for JavaScript and for `go tool pprof -focus`. */
export const ALLOC_PATTERN = anchored(ALLOC_FUNCTIONS);
/** The GC pattern's source: valid for JavaScript and for `go tool pprof -focus`. */
export const GC_PATTERN = anchored(GC_FUNCTIONS);

export const ALLOC_RE = new RegExp(ALLOC_PATTERN);
export const GC_RE = new RegExp(GC_PATTERN);
