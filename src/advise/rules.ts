// The rule catalogue: every piece of advice the engine can give, with a
// stable id. Reports, SARIF rule descriptors and the README table are all
// generated from this one table, so the wording lives in exactly one place.
import type { Rule, RuleId } from '../model/report.js';

/** Order in which rules are listed (README table, SARIF descriptors). */
export const RULE_ORDER: RuleId[] = [
  'return-pointer',
  'closure-capture',
  'interface-boxing',
  'fmt-boxing',
  'nonconstant-make',
  'too-large-for-stack',
  'slice-growth',
  'string-concat',
  'bytes-string-conversion',
  'map-growth',
  'leaking-param',
  'method-value',
  'large-retained',
  'no-escape-info',
];

export const RULES: Record<RuleId, Rule> = {
  'return-pointer': {
    id: 'return-pointer',
    title: 'Small struct returned by pointer',
    trigger:
      'The compiler reports `moved to heap: x` for a local whose address is returned, or `&T{...} escapes to heap` because it flows to a result.',
    fix: 'Return the small struct by value so it stays in the caller\'s frame; a copy of a few words is cheaper than a heap allocation plus GC work.',
    before: [
      'func newPoint(x, y int) *Point {',
      '\tp := Point{X: x, Y: y}',
      '\treturn &p // moved to heap: p',
      '}',
    ].join('\n'),
    after: [
      'func newPoint(x, y int) Point {',
      '\treturn Point{X: x, Y: y} // stays on the caller\'s stack',
      '}',
    ].join('\n'),
    whenNot:
      'The value is large (hundreds of bytes), must be shared and mutated through the pointer, or lives on anyway (stored in a long-lived structure).',
  },
  'closure-capture': {
    id: 'closure-capture',
    title: 'Variable captured by an escaping closure',
    trigger:
      'A func literal escapes (`func literal escapes to heap`, `go func`, stored callback) and a variable it captures by reference is `moved to heap` (reason `captured by a closure`).',
    fix: 'Pass the captured value to the function literal as an argument (or copy it into a local) so it is not shared by reference and need not move to the heap.',
    before: [
      'for _, job := range jobs {',
      '\tgo func() {',
      '\t\tprocess(job) // job captured by reference',
      '\t}()',
      '}',
    ].join('\n'),
    after: [
      'for _, job := range jobs {',
      '\tgo func(j Job) {',
      '\t\tprocess(j) // passed by value',
      '\t}(job)',
      '}',
    ].join('\n'),
    whenNot:
      'The closure must observe later writes to the variable, or it runs once per process (setup code), where the allocation does not matter.',
  },
  'interface-boxing': {
    id: 'interface-boxing',
    title: 'Value boxed into an interface on a hot path',
    trigger:
      'A non-pointer value converted to an interface escapes (`x escapes to heap` with reason `interface-converted`), so each conversion allocates a copy.',
    fix: 'Keep the concrete type on the hot path (a concrete parameter, or a generic function with a type parameter) so no interface box is allocated.',
    before: [
      'func record(v any) { sink = append(sink, v) }',
      '',
      'record(n) // n escapes to heap: boxed int',
    ].join('\n'),
    after: [
      'func record(v int) { sink = append(sink, v) }',
      '',
      'record(n) // no box; sink is []int',
    ].join('\n'),
    whenNot:
      'The value is a pointer or a small constant (no allocation), or the interface is genuinely needed for dynamic dispatch off the hot path.',
  },
  'fmt-boxing': {
    id: 'fmt-boxing',
    title: 'fmt/log formatting on a hot path',
    trigger:
      'fmt.Sprintf/Fprintf/Errorf or log.* allocates, or its `... argument` escapes: every operand is boxed into `...any` and the result string is new.',
    fix: 'Format with strconv.AppendInt/AppendQuote and friends into a reused []byte (or write directly to the io.Writer) instead of fmt on the hot path.',
    before: [
      'key := fmt.Sprintf("%s:%d", name, id)',
    ].join('\n'),
    after: [
      'buf = append(buf[:0], name...)',
      'buf = append(buf, \':\')',
      'buf = strconv.AppendInt(buf, int64(id), 10)',
      'key := string(buf) // or look up m[string(buf)] without allocating',
    ].join('\n'),
    whenNot:
      'The call is on an error or debug path, or its output is needed only rarely; readable fmt code is worth more there.',
  },
  'nonconstant-make': {
    id: 'nonconstant-make',
    title: 'make with a non-constant size',
    trigger:
      'The compiler reports `make(...) escapes to heap` with reason `non-constant size`: a slice whose length is only known at run time always goes to the heap.',
    fix: 'Use a constant capacity when the size has a small upper bound, reuse the buffer across calls, or take it from a sync.Pool.',
    before: [
      'func checksum(r io.Reader, n int) uint32 {',
      '\tbuf := make([]byte, n) // non-constant size',
      '\tio.ReadFull(r, buf)',
      '\treturn crc32.ChecksumIEEE(buf)',
      '}',
    ].join('\n'),
    after: [
      'func checksum(r io.Reader, n int) uint32 {',
      '\tvar arr [512]byte // constant size: stays on the stack',
      '\tbuf := arr[:0]',
      '\tif n <= len(arr) {',
      '\t\tbuf = arr[:n]',
      '\t} else {',
      '\t\tbuf = make([]byte, n)',
      '\t}',
      '\tio.ReadFull(r, buf)',
      '\treturn crc32.ChecksumIEEE(buf)',
      '}',
    ].join('\n'),
    whenNot:
      'The size is unbounded and large, the slice is returned or retained anyway, or the function runs rarely.',
  },
  'too-large-for-stack': {
    id: 'too-large-for-stack',
    title: 'Value too large for the stack',
    trigger:
      'The compiler reports `escapes to heap` with reason `too large for stack` (implicit allocations over 64 KiB, explicit ones over 10 MB).',
    fix: 'Reuse one buffer across calls (a field or a sync.Pool), shrink it, or accept it if the allocation is a one-off.',
    before: [
      'func handle(r io.Reader) {',
      '\tbuf := make([]byte, 1<<20) // too large for stack, every call',
      '\tr.Read(buf)',
      '}',
    ].join('\n'),
    after: [
      'var bufPool = sync.Pool{New: func() any { b := make([]byte, 1<<20); return &b }}',
      '',
      'func handle(r io.Reader) {',
      '\tbp := bufPool.Get().(*[]byte)',
      '\tdefer bufPool.Put(bp)',
      '\tr.Read(*bp)',
      '}',
    ].join('\n'),
    whenNot: 'It happens once (startup, a single big load): a one-off allocation is not churn and costs the GC little.',
  },
  'slice-growth': {
    id: 'slice-growth',
    title: 'Slice grown by append',
    trigger:
      'runtime.growslice allocates under an append statement: the slice starts small and is copied into a bigger array each time it fills.',
    fix: 'Preallocate the capacity with make([]T, 0, n) when the final length is known or can be bounded.',
    before: [
      'var out []string',
      'for _, r := range rows {',
      '\tout = append(out, r.Name) // grows and copies log2(n) times',
      '}',
    ].join('\n'),
    after: [
      'out := make([]string, 0, len(rows))',
      'for _, r := range rows {',
      '\tout = append(out, r.Name)',
      '}',
    ].join('\n'),
    whenNot: 'The final length is unknown and usually small, or the slice is built once; over-allocating wastes memory.',
  },
  'string-concat': {
    id: 'string-concat',
    title: 'String built by concatenation',
    trigger:
      'A `+`/`+=` on strings allocates a new string each time (runtime.concatstrings), typically in a loop, or strings.Builder grows repeatedly.',
    fix: 'Build the string with a strings.Builder and call Grow with the expected length first.',
    before: [
      's := ""',
      'for _, p := range parts {',
      '\ts += p + "/" // new string each iteration',
      '}',
    ].join('\n'),
    after: [
      'var b strings.Builder',
      'b.Grow(total)',
      'for _, p := range parts {',
      '\tb.WriteString(p)',
      '\tb.WriteByte(\'/\')',
      '}',
      's := b.String()',
    ].join('\n'),
    whenNot: 'It is a single concatenation of two or three strings: the compiler already does that in one allocation.',
  },
  'bytes-string-conversion': {
    id: 'bytes-string-conversion',
    title: 'Conversion between []byte and string',
    trigger:
      '`string(b)` or `[]byte(s)` escapes or allocates (runtime.slicebytetostring / stringtoslicebyte): each conversion copies the data.',
    fix: 'Keep one representation on the hot path: use the bytes package APIs, strconv.AppendX into the []byte, or forms the compiler does not allocate for, such as a map lookup m[string(b)].',
    before: [
      'func lookup(m map[string]int, key []byte) int {',
      '\tk := string(key) // copies',
      '\treturn m[k]',
      '}',
    ].join('\n'),
    after: [
      'func lookup(m map[string]int, key []byte) int {',
      '\treturn m[string(key)] // no allocation for a map index',
      '}',
    ].join('\n'),
    whenNot: 'The converted value is retained (a map key being stored, a field); a copy is then required for correctness.',
  },
  'map-growth': {
    id: 'map-growth',
    title: 'Map grown by assignment',
    trigger:
      'runtime.mapassign / hashGrow / newoverflow allocates under `m[k] = v`: the map is rehashed into bigger tables as it fills.',
    fix: 'Give make a size hint, make(map[K]V, n), when the number of entries is known or can be estimated.',
    before: [
      'm := map[string]int{}',
      'for _, w := range words {',
      '\tm[w]++ // rehashes as it grows',
      '}',
    ].join('\n'),
    after: [
      'm := make(map[string]int, len(words))',
      'for _, w := range words {',
      '\tm[w]++',
      '}',
    ].join('\n'),
    whenNot: 'The final size is unknown and usually small, or the map is long-lived and grows slowly.',
  },
  'leaking-param': {
    id: 'leaking-param',
    title: 'Parameter stored beyond the call',
    trigger:
      'The compiler reports `leaking param: p`: the callee keeps p (stores it in a global, a field or a channel), so every caller\'s argument must be on the heap.',
    fix: 'Do not retain the parameter: copy what you need out of it, or let the caller own the storage.',
    before: [
      'func (c *Cache) Remember(b []byte) {',
      '\tc.last = b // leaking param: b',
      '}',
    ].join('\n'),
    after: [
      'func (c *Cache) Remember(b []byte) {',
      '\tc.last = append(c.last[:0], b...) // copy into storage c owns',
      '}',
    ].join('\n'),
    whenNot: 'Retaining the value is the point of the function (a constructor, a queue, a cache insert).',
  },
  'method-value': {
    id: 'method-value',
    title: 'Method value allocates a closure',
    trigger:
      'A method value `t.M` (used without calling it) escapes: Go allocates a closure that binds the receiver.',
    fix: 'Pass a func literal that calls t.M(), or pass the receiver itself and call the method where it is needed.',
    before: [
      'sort.Slice(xs, s.less) // s.less escapes: closure bound to s',
    ].join('\n'),
    after: [
      'sort.Slice(xs, func(i, j int) bool { return s.less(i, j) })',
    ].join('\n'),
    whenNot: 'The method value is created once and stored (a handler registration); one allocation does not matter.',
  },
  'large-retained': {
    id: 'large-retained',
    title: 'Large memory retained (in use)',
    trigger:
      'With an inuse_space/inuse_objects profile, a site holds a large share of live heap: memory kept, not churned.',
    fix: 'Bound the cache or buffer that holds it (size limit, eviction), and drop references once the data is no longer needed.',
    before: [
      'var cache = map[string][]byte{}',
      '',
      'func get(k string) []byte {',
      '\tif v, ok := cache[k]; ok {',
      '\t\treturn v',
      '\t}',
      '\tv := load(k)',
      '\tcache[k] = v // grows without bound',
      '\treturn v',
      '}',
    ].join('\n'),
    after: [
      'var cache = lru.New[string, []byte](1024) // bounded',
      '',
      'func get(k string) []byte {',
      '\tif v, ok := cache.Get(k); ok {',
      '\t\treturn v',
      '\t}',
      '\tv := load(k)',
      '\tcache.Add(k, v)',
      '\treturn v',
      '}',
    ].join('\n'),
    whenNot: 'The data is needed for the life of the process (a loaded index, a config), and its size is expected.',
  },
  'no-escape-info': {
    id: 'no-escape-info',
    title: 'Allocation without compiler data',
    trigger:
      'The allocation happens in code that was not compiled here (standard library, vendored or outside --src), or no escape finding matches its line.',
    fix: 'Look at the call site in your code: call the allocating function less often, pass it a reused buffer, or pick an API that does not allocate.',
    before: [
      'for _, r := range records {',
      '\tdata, _ := json.Marshal(r) // allocates inside encoding/json',
      '\tw.Write(data)',
      '}',
    ].join('\n'),
    after: [
      'enc := json.NewEncoder(w) // one encoder, reused buffer',
      'for _, r := range records {',
      '\tenc.Encode(r)',
      '}',
    ].join('\n'),
    whenNot: 'The library call is not on a hot path, or no allocation-free alternative exists.',
  },
};

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The README's rule table: one row per rule, in RULE_ORDER. Generated so the
 * documentation cannot drift from the advice the tool prints.
 */
export function renderRuleTableMarkdown(): string {
  const out: string[] = ['| Rule | Pattern | Fix | Leave it when |', '| --- | --- | --- | --- |'];
  for (const id of RULE_ORDER) {
    const r = RULES[id];
    out.push(`| \`${r.id}\` | ${escapeCell(r.trigger)} | ${escapeCell(r.fix)} | ${escapeCell(r.whenNot)} |`);
  }
  return out.join('\n') + '\n';
}
