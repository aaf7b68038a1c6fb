import { atLeast, code, type RuleModule } from './types.js';

export const nonconstantMake: RuleModule = {
  id: 'nonconstant-make',
  title: 'make with a non-constant size',
  trigger:
    'The compiler reports `make(...) escapes to heap` with reason `non-constant size` and nothing else keeps the slice: its length is only known at run time.',
  fix: 'Use a constant capacity when the size has a small upper bound (a fixed array sliced to length), reuse the buffer across calls, or take it from a sync.Pool.',
  before: [
    'func checksum(data []byte, n int) byte {',
    '\tbuf := make([]byte, n) // non-constant size: on the heap when n is over 32 bytes',
    '\tcopy(buf, data)',
    '\tvar x byte',
    '\tfor _, b := range buf {',
    '\t\tx ^= b',
    '\t}',
    '\treturn x',
    '}',
  ].join('\n'),
  after: [
    'func checksum(data []byte, n int) byte {',
    '\tvar arr [512]byte // constant size: on the stack',
    '\tbuf := arr[:min(n, len(arr))]',
    '\tcopy(buf, data)',
    '\tvar x byte',
    '\tfor _, b := range buf {',
    '\t\tx ^= b',
    '\t}',
    '\treturn x',
    '}',
  ].join('\n'),
  whenNot: 'The size is unbounded and large, the slice is returned or stored anyway (then size is not the cause), or the function runs rarely.',
  assumption: { bytes: 1, objects: 1, note: 'assumes a constant-size or reused buffer removes all of this part' },
  example: {
    decls: 'var data = make([]byte, 100)\n\nvar sink byte',
    run: '\tsink = checksum(data, len(data))',
    shows: { message: '^make\\(\\[\\]byte, n\\) (does not escape|escapes to heap)$', at: 'make(' },
    proof: 'fewer-allocs',
  },
  advice: (c) => {
    if (c.primary?.kind === 'does-not-escape') {
      return `${c.what} in ${c.fn} does not escape, yet allocates ${c.cost}: since Go 1.25 the compiler keeps a variable-size make on the stack only when it needs at most 32 bytes, and larger ones are allocated on the heap at run time; size it from a constant (a fixed array sliced to length) when it has a small upper bound, or reuse a buffer.`;
    }
    const small = atLeast(c.toolchain, 1, 25) ? ' (since Go 1.25 one that needs at most 32 bytes stays on the stack; larger ones go to the heap at run time)' : '';
    return `${c.what} in ${c.fn} has a non-constant size and allocates ${c.cost}${small}; size it from a constant when it has a small upper bound, or reuse a buffer (a field, a sync.Pool).`;
  },
};

export const tooLargeForStack: RuleModule = {
  id: 'too-large-for-stack',
  title: 'Value too large for the stack',
  trigger:
    'The compiler reports `escapes to heap` with reason `too large for stack` (implicit allocations over 64 KiB, explicit ones over 10 MB).',
  fix: 'Reuse one buffer across calls (a field or a sync.Pool), shrink it, or accept it if the allocation is a one-off.',
  before: ['func handle(r io.Reader) {', '\tbuf := make([]byte, 1<<20) // too large for stack, every call', '\tr.Read(buf)', '}'].join('\n'),
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
  assumption: { bytes: 1, objects: 1, note: 'assumes one reused buffer replaces a fresh one per call' },
  example: {
    imports: ['io'],
    before: { decls: 'var src io.Reader = eof{}' },
    after: { imports: ['io', 'sync'], decls: 'var src io.Reader = eof{}' },
    decls: 'type eof struct{}\n\nfunc (eof) Read([]byte) (int, error) { return 0, io.EOF }',
    run: '\thandle(src)',
    shows: { message: '^make\\(\\[\\]byte, 1048576\\) escapes to heap$', at: 'make(' },
    proof: 'fewer-allocs',
  },
  advice: (c) => `${c.what} in ${c.fn} is too large for the stack and allocates ${c.cost}; reuse one buffer (a field or a sync.Pool) or shrink it.`,
};

export const opaqueCall: RuleModule = {
  id: 'opaque-call',
  title: 'Passed to a call that may keep it',
  trigger:
    'A value escapes because it is passed to a call that may keep it (-m=2 reason `call parameter`) and that call is an interface method or a function outside the compiled packages, so no change to the callee is possible from here.',
  fix: 'Reuse the buffer across calls (keep it in the receiver or a sync.Pool), since it cannot stay on the stack; or call a concrete type whose method the compiler can analyse.',
  before: [
    'func readAt(r io.ReaderAt, off int64, n int) byte {',
    '\tbuf := make([]byte, n) // escapes: passed to r.ReadAt, an interface method',
    '\tr.ReadAt(buf, off)',
    '\treturn buf[0]',
    '}',
  ].join('\n'),
  after: [
    'type reader struct{ scratch []byte }',
    '',
    'func (rd *reader) readAt(r io.ReaderAt, off int64, n int) byte {',
    '\tif cap(rd.scratch) < n {',
    '\t\trd.scratch = make([]byte, n) // only when it must grow',
    '\t}',
    '\tbuf := rd.scratch[:n]',
    '\tr.ReadAt(buf, off)',
    '\treturn buf[0]',
    '}',
  ].join('\n'),
  whenNot: 'The callee really keeps the value (then it needs its own copy anyway), or the call is rare.',
  assumption: { bytes: 1, objects: 1, note: 'assumes a reused buffer replaces the per-call allocation' },
  example: {
    imports: ['io', 'strings'],
    decls: 'var src io.ReaderAt = strings.NewReader(strings.Repeat("x", 256))\n\nvar sink byte',
    before: { run: '\tsink = readAt(src, 0, 64)' },
    after: { decls: 'var rd reader', run: '\tsink = rd.readAt(src, 0, 64)' },
    shows: { message: '^make\\(\\[\\]byte, n\\) escapes to heap$', at: 'make(' },
    proof: 'fewer-allocs',
  },
  advice: (c) => {
    const to = code(c.cause?.target, 'a call');
    const why = `which may keep it (the compiler cannot see through it: an interface method, a function value, or code outside the compiled packages)`;
    if (c.expressionKind === 'make-slice' || c.expressionKind === 'make' || c.expressionKind === 'composite-literal') {
      const reuse = c.inMethod ? 'reuse one buffer across calls, kept in a field of the receiver' : 'let the caller pass a scratch buffer it reuses (this function has no receiver to keep one in)';
      return `${c.what} in ${c.fn} escapes because it is passed to ${to}, ${why}, costing ${c.cost}; ${reuse}, or give the callee a concrete type the compiler can analyse so the buffer can stay on the stack.`;
    }
    const verb = c.primary?.kind === 'moved-to-heap' ? 'moves to the heap because its address is passed to' : 'escapes because it is passed to';
    return `${c.what} in ${c.fn} ${verb} ${to}, ${why}, costing ${c.cost}; if the callee does not keep it, a concrete callee the compiler can analyse keeps it on the stack; otherwise it is inherent: allocate fewer (one value reused across calls, one object for several fields).`;
  },
};

export const leakingParam: RuleModule = {
  id: 'leaking-param',
  title: 'Parameter stored beyond the call',
  trigger:
    "The compiler reports `leaking param: p` for a function of this module: it keeps p (stores it in a global, a field or a channel), so every caller's argument must be on the heap.",
  fix: 'Do not retain the parameter: copy what you need out of it, or let the caller own the storage.',
  before: ['type cache struct{ last []byte }', '', 'func (c *cache) remember(b []byte) { // leaking param: b', '\tc.last = b // kept after the call', '}'].join('\n'),
  after: ['type cache struct{ last []byte }', '', 'func (c *cache) remember(b []byte) {', '\tc.last = append(c.last[:0], b...) // copy into storage c owns', '}'].join('\n'),
  whenNot: 'Retaining the value is the point of the function (a constructor, a queue, a cache insert).',
  assumption: { bytes: 1, objects: 1, note: 'assumes callers can keep the argument on the stack once the callee stops retaining it' },
  example: {
    shows: { message: '^leaking param: b$', at: 'remember(b []byte)' },
    proof: 'escape-gone',
  },
  advice: (c) =>
    c.primary?.kind === 'leaking-param'
      ? `Parameter ${c.what} of ${c.fn} is retained beyond the call, so callers allocate it on the heap (${c.cost}); copy what you keep instead of storing it.`
      : `${c.what} in ${c.fn} is passed to ${code(c.cause?.target, 'a callee')}, which keeps its parameter, so it is heap-allocated (${c.cost}); make that function copy what it keeps instead of retaining its parameter.`,
};
