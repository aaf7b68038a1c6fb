import { code, type RuleModule } from './types.js';

export const sliceGrowth: RuleModule = {
  id: 'slice-growth',
  title: 'Slice grown by append',
  trigger: 'An append statement allocates (runtime.growslice): the slice starts small and is copied into a bigger array each time it fills.',
  fix: 'Preallocate the capacity with make([]T, 0, n) when the final length is known or can be bounded, or reuse the slice across calls (s = s[:0]).',
  before: ['func names(rows []Row) []string {', '\tvar out []string', '\tfor _, r := range rows {', '\t\tout = append(out, r.Name) // grows and copies log2(n) times', '\t}', '\treturn out', '}'].join('\n'),
  after: ['func names(rows []Row) []string {', '\tout := make([]string, 0, len(rows))', '\tfor _, r := range rows {', '\t\tout = append(out, r.Name)', '\t}', '\treturn out', '}'].join('\n'),
  whenNot: 'The final length is unknown and usually small, or the slice is built once; over-allocating wastes memory.',
  assumption: {
    bytes: 0.5,
    objects: 0.75,
    note: 'assumes preallocation removes the growth copies: about half the bytes and most objects (doubling allocates ~2x the final size)',
  },
  example: {
    decls: 'type Row struct{ Name string }\n\nvar rows = make([]Row, 100)\n\nvar sink []string',
    run: '\tsink = names(rows)',
    proof: 'fewer-allocs',
  },
  advice: (c) =>
    c.patternCallee && /Buffer/.test(c.patternCallee)
      ? `${c.what} in ${c.fn} grows its bytes.Buffer by copying, costing ${c.cost}; call Grow with the expected size first, or reuse the Buffer (Reset) across calls.`
      : `${c.what} in ${c.fn} grows its slice by copying, costing ${c.cost}; preallocate the capacity with make([]T, 0, n), or reuse the slice across calls.`,
};

export const mapGrowth: RuleModule = {
  id: 'map-growth',
  title: 'Map grown by assignment',
  trigger: 'runtime.mapassign (or the swiss-table growth under it) allocates under `m[k] = v`: the map is rehashed into bigger tables as it fills.',
  fix: 'Give make a size hint, make(map[K]V, n), when the number of entries is known or can be estimated, or clear and reuse the map.',
  before: ['func count(words []string) map[string]int {', '\tm := map[string]int{}', '\tfor _, w := range words {', '\t\tm[w]++ // rehashes as it grows', '\t}', '\treturn m', '}'].join('\n'),
  after: ['func count(words []string) map[string]int {', '\tm := make(map[string]int, len(words))', '\tfor _, w := range words {', '\t\tm[w]++', '\t}', '\treturn m', '}'].join('\n'),
  whenNot: 'The final size is unknown and usually small, or the map is long-lived and grows slowly.',
  assumption: { bytes: 0.5, objects: 0.75, note: 'assumes a size hint removes the rehash growth: about half the bytes and most objects' },
  example: {
    imports: ['strconv'],
    decls: 'var words = func() (w []string) {\n\tfor i := range 100 {\n\t\tw = append(w, "w"+strconv.Itoa(i))\n\t}\n\treturn w\n}()\n\nvar sink map[string]int',
    run: '\tsink = count(words)',
    proof: 'fewer-allocs',
  },
  advice: (c) => `${c.what} in ${c.fn} grows the map as it fills, costing ${c.cost}; give make a size hint, or clear and reuse the map.`,
};

export const stringConcat: RuleModule = {
  id: 'string-concat',
  title: 'String built by repeated concatenation',
  trigger:
    'A `+=` (or `s = s + x`) on a string in a loop allocates a new string each time (runtime.concatstrings), copying everything built so far.',
  fix: 'Build the string with a strings.Builder and call Grow with the expected length first.',
  before: ['func join(parts []string) string {', '\ts := ""', '\tfor _, p := range parts {', '\t\ts += p + "/" // new string each iteration', '\t}', '\treturn s', '}'].join('\n'),
  after: [
    'func join(parts []string) string {',
    '\tn := 0',
    '\tfor _, p := range parts {',
    '\t\tn += len(p) + 1',
    '\t}',
    '\tvar b strings.Builder',
    '\tb.Grow(n) // one allocation',
    '\tfor _, p := range parts {',
    '\t\tb.WriteString(p)',
    "\t\tb.WriteByte('/')",
    '\t}',
    '\treturn b.String()',
    '}',
  ].join('\n'),
  whenNot: 'It is a single concatenation of two or three strings whose result is kept: the compiler already does that in one allocation, and the result needs it.',
  assumption: { bytes: 0.5, objects: 0.75, note: 'assumes a pre-grown strings.Builder replaces the intermediate strings: about half the bytes and most objects' },
  example: {
    after: { imports: ['strings'] },
    decls: 'var parts = []string{"usr", "local", "share", "go", "src", "runtime", "internal", "sys"}\n\nvar sink string',
    run: '\tsink = join(parts)',
    proof: 'fewer-allocs',
  },
  advice: (c) =>
    c.patternCallee && /Builder/.test(c.patternCallee)
      ? `${c.what} in ${c.fn} grows its strings.Builder as it writes, costing ${c.cost}; call Grow with the expected length first (or reuse the Builder's buffer with Reset only when the result is not kept).`
      : `${c.what} in ${c.fn} builds a new string on every concatenation, costing ${c.cost}; use a strings.Builder and Grow it first.`,
};

export const bytesStringConversion: RuleModule = {
  id: 'bytes-string-conversion',
  title: 'Conversion between []byte and string',
  trigger: '`string(b)` or `[]byte(s)` escapes or allocates (runtime.slicebytetostring / stringtoslicebyte): each conversion copies the data.',
  fix: 'Keep one representation on the hot path: use the bytes package APIs, strconv.AppendX into the []byte, or forms the compiler does not allocate for, such as a map lookup m[string(b)].',
  before: ['func writeName(w io.Writer, name string) {', '\tw.Write([]byte(name)) // copies name into a new []byte', '}'].join('\n'),
  after: ['func writeName(w io.Writer, name string) {', '\tio.WriteString(w, name) // no copy when w has WriteString (bufio.Writer, bytes.Buffer, io.Discard)', '}'].join('\n'),
  whenNot: 'The converted value is kept (stored as a map key, in a field, returned): the copy is then required for correctness.',
  assumption: { bytes: 1, objects: 1, note: 'assumes the conversion copy disappears when one representation is kept' },
  example: {
    imports: ['io'],
    decls: 'var name = "a name"',
    run: '\twriteName(io.Discard, name)',
    shows: { message: '^\\(\\[\\]byte\\)\\(name\\) escapes to heap$', at: '[]byte(name)' },
    proof: 'fewer-allocs',
  },
  advice: (c) => `${c.what} in ${c.fn} copies between []byte and string, costing ${c.cost}; keep one representation (bytes APIs, strconv.AppendX, m[string(b)] lookups).`,
};

export const inherentCopy: RuleModule = {
  id: 'inherent-copy',
  title: 'Conversion or concatenation whose result is kept',
  trigger:
    'A `string(b)`, `[]byte(s)`, `[]rune(s)` or a one-off concatenation allocates, and its result is stored, returned or used as a stored map key: the new value must exist.',
  fix: 'Nothing at the conversion: the copy is what keeping the value costs; reduce how often it happens (intern repeated values, convert once and keep the result).',
  before: ['func index(m map[string]int, key []byte, v int) {', '\tm[string(key)] = v // stored map key: the string must be its own copy', '}'].join('\n'),
  after: ['func index(m map[string]int, key []byte, v int) {', '\tif _, ok := m[string(key)]; !ok { // a lookup does not allocate', '\t\tm[string(key)] = v // only new keys are copied', '\t}', '}'].join('\n'),
  whenNot: 'Always a judgement: this rule says the allocation is inherent at the statement; only fewer calls make it smaller.',
  assumption: null,
  example: {
    decls: 'var m = map[string]int{"k1": 1}\n\nvar key = []byte("k1")',
    run: '\tindex(m, key, 2)',
    shows: { message: '^string\\(key\\) escapes to heap$', at: 'm[string(key)] = v' },
    proof: 'fewer-allocs',
  },
  advice: (c) =>
    `${c.what} in ${c.fn} allocates ${c.cost}, and the result is kept${c.cause?.target ? ` (${code(c.cause.target)})` : c.cause?.kind === 'returned' ? ' (returned)' : ''}, so the copy is inherent; only converting less often (caching, interning repeated values) makes it smaller.`,
};

export const channelMake: RuleModule = {
  id: 'channel-make',
  title: 'Channel made on a hot path',
  trigger: 'A `make(chan T, n)` allocates: a channel and its buffer are always on the heap (runtime.makechan), whatever escape analysis says.',
  fix: 'Make the channel once and reuse it (or pass results another way); size its buffer to what is needed.',
  before: ['func run(jobs []int) int {', '\tdone := make(chan int, len(jobs)) // a new channel and buffer per call', '\tfor _, j := range jobs {', '\t\tgo func(j int) { done <- j * 2 }(j)', '\t}', '\tsum := 0', '\tfor range jobs {', '\t\tsum += <-done', '\t}', '\treturn sum', '}'].join('\n'),
  after: ['type runner struct{ done chan int }', '', 'func (r *runner) run(jobs []int) int { // one channel, made once in the constructor', '\tfor _, j := range jobs {', '\t\tgo func(j int) { r.done <- j * 2 }(j)', '\t}', '\tsum := 0', '\tfor range jobs {', '\t\tsum += <-r.done', '\t}', '\treturn sum', '}'].join('\n'),
  whenNot: 'The channel is made once per long-lived object (a connection, a worker pool), or its buffer is small and the path is not hot.',
  assumption: null,
  example: {
    decls: 'var jobs = []int{1, 2, 3, 4}\n\nvar sink int',
    before: { run: '\tsink = run(jobs)' },
    after: { decls: 'var r = &runner{done: make(chan int, 4)}', run: '\tsink = r.run(jobs)' },
    proof: 'fewer-allocs',
  },
  advice: (c) => `${c.what} in ${c.fn} allocates a channel and its buffer every time it runs (channels are always on the heap), costing ${c.cost}; make it once and reuse it, or size the buffer to what is needed.`,
};
