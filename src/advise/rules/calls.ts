import { code, type RuleModule } from './types.js';

export const costlyCall: RuleModule = {
  id: 'costly-call',
  title: 'A call on the hot line allocates most of its bytes',
  trigger:
    'Most of the line\'s bytes or objects are allocated inside a function it calls (a decoder, a parser, a client), not by the statement itself: only the call site can change.',
  fix: 'Change the call, not the callee: reuse its result or buffer (pass a destination instead of nil, a reused decoder or reader), call it less often (cache, batch, hoist out of the loop), or use a streaming or appending API.',
  before: ['func encodeAll(w io.Writer, rows []Row) {', '\tfor _, r := range rows {', '\t\tdata, _ := json.Marshal(r) // a new buffer per row inside encoding/json', '\t\tw.Write(data)', '\t}', '}'].join('\n'),
  after: ['func encodeAll(w io.Writer, rows []Row) {', '\tenc := json.NewEncoder(w) // one encoder, its buffer reused', '\tfor _, r := range rows {', '\t\tenc.Encode(r)', '\t}', '}'].join('\n'),
  whenNot: 'The call is setup or runs rarely, or the library offers no cheaper way to get the result; then the allocation is the cost of using it.',
  assumption: null,
  example: {
    imports: ['encoding/json', 'io'],
    decls: 'type Row struct {\n\tID   int\n\tName string\n}\n\nvar rows = []Row{{1, "a"}, {2, "b"}, {3, "c"}, {4, "d"}}',
    run: '\tencodeAll(io.Discard, rows)',
    proof: 'fewer-allocs',
  },
  advice: (c) => {
    const remedy = c.calleeRemedy ?? 'reuse its result or buffer, call it less often (cache, batch, hoist out of the loop), or use a streaming or appending API';
    return `${code(c.callee, 'A library call')}, called here in ${c.fn}, allocates ${c.cost}; the fix is at this call: ${remedy}.`;
  },
};

export const noUserFrame: RuleModule = {
  id: 'no-user-frame',
  title: 'No frame of your module on the stack',
  trigger: 'Every stack of the site lies outside the module (package init, a dependency\'s background goroutine, the runtime): there is no line of yours to change.',
  fix: 'Nothing to change in your code at this site; if it matters, configure or replace the library (its options, pool sizes), or report it upstream.',
  before: ['import _ "example.com/heavy" // its init builds large tables'].join('\n'),
  after: ['import _ "example.com/light" // a library that builds them on first use, or one configured to'].join('\n'),
  whenNot: 'Almost always: this site is listed for completeness, not to fix.',
  assumption: null,
  example: {
    packages: {
      heavy: 'package heavy\n\nvar table = build(1 << 16)\n\nfunc build(n int) []int { return make([]int, n) }\n',
      light: 'package light\n\nvar table []int\n\n// Table builds the table on first use.\nfunc Table() []int {\n\tif table == nil {\n\t\ttable = make([]int, 1<<16)\n\t}\n\treturn table\n}\n',
    },
    proof: 'compiles',
    illustrative: 'the allocation is in a library\'s init, outside any function of yours: there is no call to measure',
  },
  advice: (c) => `${code(c.callee, 'Library code')} allocates ${c.cost} on stacks with no frame of this module (package init, a library's own goroutine), so there is no line of yours to change; look at how the library is configured or used, or leave it.`,
};

export const testCode: RuleModule = {
  id: 'test-code',
  title: 'Allocation in a test or benchmark itself',
  trigger: 'The site is in a `_test.go` file: the allocation is made by the test or benchmark (setup, fixtures, its own loop), not by the code under test.',
  fix: 'Leave it, or move setup before b.ResetTimer() / out of the b.Loop body so it does not blur the measurement of the code under test.',
  before: ['func BenchmarkParse(b *testing.B) {', '\tfor i := 0; i < b.N; i++ {', '\t\tinput := makeInput() // the benchmark\'s own allocation, every iteration', '\t\tparse(input)', '\t}', '}'].join('\n'),
  after: ['func BenchmarkParse(b *testing.B) {', '\tinput := makeInput() // once, before timing', '\tb.ResetTimer()', '\tfor i := 0; i < b.N; i++ {', '\t\tparse(input)', '\t}', '}'].join('\n'),
  whenNot: 'Always, for production: test code is not shipped.',
  assumption: null,
  example: {
    imports: ['testing'],
    decls: 'func makeInput() []byte { return make([]byte, 1024) }\n\nvar parsed []byte\n\nfunc parse(b []byte) { parsed = b }',
    run: '\ttesting.Benchmark(BenchmarkParse) // 100 iterations (test.benchtime=100x)',
    proof: 'fewer-allocs',
  },
  advice: (c) => `${c.what} in ${c.fn} is in a test file: the test or benchmark allocates ${c.cost} itself, not the code under test; it is not a production cost, so leave it (or move setup out of the timed loop).`,
};

export const largeRetained: RuleModule = {
  id: 'large-retained',
  title: 'Large memory retained (in use)',
  trigger: 'With an inuse_space/inuse_objects profile, a site holds a large share of live heap: memory kept, not churned.',
  fix: 'Bound the cache or buffer that holds it (size limit, eviction), and drop references once the data is no longer needed.',
  before: ['var cache = map[string][]byte{}', '', 'func get(k string) []byte {', '\tif v, ok := cache[k]; ok {', '\t\treturn v', '\t}', '\tv := load(k)', '\tcache[k] = v // grows without bound', '\treturn v', '}'].join('\n'),
  after: ['var cache = newLRU(1024) // bounded', '', 'func get(k string) []byte {', '\tif v, ok := cache.Get(k); ok {', '\t\treturn v', '\t}', '\tv := load(k)', '\tcache.Add(k, v)', '\treturn v', '}'].join('\n'),
  whenNot: 'The data is needed for the life of the process (a loaded index, a config), and its size is expected.',
  assumption: null,
  example: {
    decls: 'func load(k string) []byte { return []byte(k) }',
    after: {
      decls: [
        'type lru struct {',
        '\tmax  int',
        '\tm    map[string][]byte',
        '\tkeys []string // oldest first',
        '}',
        '',
        'func newLRU(max int) *lru { return &lru{max: max, m: map[string][]byte{}} }',
        '',
        'func (c *lru) Get(k string) ([]byte, bool) { v, ok := c.m[k]; return v, ok }',
        '',
        'func (c *lru) Add(k string, v []byte) {',
        '\tif len(c.keys) == c.max {',
        '\t\tdelete(c.m, c.keys[0])',
        '\t\tc.keys = c.keys[1:]',
        '\t}',
        '\tc.m[k] = v',
        '\tc.keys = append(c.keys, k)',
        '}',
      ].join('\n'),
    },
    proof: 'compiles',
    illustrative: 'the rule is about memory kept (an inuse profile), not allocations per call: neither escape output nor AllocsPerRun measures it',
  },
  advice: (c) => `${c.what} in ${c.fn} holds ${c.cost}; bound the structure that keeps it and drop references when done.`,
};

export const noEscapeInfo: RuleModule = {
  id: 'no-escape-info',
  title: 'Allocation without compiler data',
  trigger: 'The site is in your code, but the compiler printed nothing that explains it (the package did not compile here, or no finding lies in the allocating expression).',
  fix: 'Run advisor where the package compiles (or pass --escape-log) to learn why it allocates; until then, the profile gives only where and how much.',
  before: ['// go build fails here (missing dependency, build tag, GOEXPERIMENT)', 'buf := make([]byte, n)', 'r.Read(buf)'].join('\n'),
  after: ['// with `go mod download` (or the right GOFLAGS) the compiler explains it', 'buf := make([]byte, n) // escapes to heap: passed to r.Read, an interface method', 'r.Read(buf)'].join('\n'),
  whenNot: 'The site is small; compiler data would not change its priority.',
  assumption: null,
  example: {
    imports: ['io'],
    wrap: { head: 'func read(r io.Reader, n int) {', tail: '}' },
    proof: 'compiles',
    illustrative: 'the rule is about missing compiler data, not the code: both sides are the same code',
  },
  advice: (c) => `${c.what} in ${c.fn} allocates ${c.cost}, but the compiler printed nothing that explains it here; compile the package (or pass --escape-log) to learn why.`,
};
