import { code, type RuleModule } from './types.js';

export const returnPointer: RuleModule = {
  id: 'return-pointer',
  title: 'Small struct returned by pointer',
  trigger:
    'The compiler reports `moved to heap: x` for a local whose address is returned, or `&T{...} escapes to heap` because it flows to a result and nowhere else.',
  fix: "Return the small struct by value so it stays in the caller's frame; a copy of a few words is cheaper than a heap allocation plus GC work.",
  before: ['type Point struct{ X, Y int }', '', 'func newPoint(x, y int) *Point {', '\tp := Point{X: x, Y: y} // moved to heap: p', '\treturn &p // its address is returned', '}'].join('\n'),
  after: ['type Point struct{ X, Y int }', '', 'func newPoint(x, y int) Point {', "\treturn Point{X: x, Y: y} // stays in the caller's frame", '}'].join('\n'),
  whenNot:
    'The value is large (hundreds of bytes), must be shared and mutated through the pointer, or the caller stores it anyway (then it is kept by the caller: see stored-value).',
  assumption: { bytes: 1, objects: 1, note: "assumes the returned value stays on the caller's stack, removing all of this part" },
  example: {
    decls: 'var sink *Point',
    shows: { message: '^moved to heap: p$', at: 'p := Point' },
    proof: 'escape-gone',
  },
  advice: (c) =>
    c.cause?.boxed
      ? `${c.what} in ${c.fn} is returned as an interface value, so the object must live on the heap as long as the caller holds it, costing ${c.cost}; a struct returned by value through an interface is boxed just the same: if callers need only the concrete type, return it by value; otherwise it is one allocation per object, inherent to the interface.`
      : `${c.what} in ${c.fn} goes to the heap only because a pointer to it is returned, costing ${c.cost}; return the small struct by value.`,
};

export const returnedBuffer: RuleModule = {
  id: 'returned-buffer',
  title: 'New buffer or string returned to the caller',
  trigger:
    'A slice, map or string made in the function escapes because it is returned (the -m=2 flow ends in a result, `~r0`): every call allocates a new one for the caller.',
  fix: 'Let the caller own the memory: an append-style API (`func F(dst []byte, …) []byte`) or a buffer the caller passes in, so one buffer serves many calls.',
  before: ['func encode(v uint64) []byte {', '\tb := make([]byte, 0, 20) // escapes: returned', '\treturn strconv.AppendUint(b, v, 10)', '}'].join('\n'),
  after: [
    'func appendEncoded(dst []byte, v uint64) []byte {',
    '\treturn strconv.AppendUint(dst, v, 10) // the caller reuses dst',
    '}',
  ].join('\n'),
  whenNot: 'The caller keeps every result (stores it, sends it on), or the function is called rarely; an API change is not worth it there.',
  assumption: { bytes: 1, objects: 1, note: 'assumes callers reuse one destination buffer, removing the per-call allocation' },
  example: {
    imports: ['strconv'],
    decls: 'var sink, dst []byte',
    before: { run: '\tsink = encode(1234567)' },
    after: { run: '\tdst = appendEncoded(dst[:0], 1234567)' },
    shows: { message: '^make\\(\\[\\]byte, 0, 20\\) escapes to heap$', at: 'make(' },
    proof: 'fewer-allocs',
  },
  advice: (c) =>
    `${c.what} in ${c.fn} escapes because it is returned to the caller, costing ${c.cost}; a smaller or constant size cannot keep it on the stack: let the caller pass the destination (an append-style \`F(dst, …)\`) so one buffer is reused.`,
};

export const storedValue: RuleModule = {
  id: 'stored-value',
  title: 'Allocation kept by a longer-lived object',
  trigger:
    'The -m=2 flow ends with an assignment to something that outlives the call (`x.field = v`, `m[k] = v`, a global) or a channel send: the value must be on the heap for as long as it is kept.',
  fix: 'Reuse the storage instead of replacing it (`x.buf = append(x.buf[:0], …)`), keep values rather than pointers in the container, or allocate one backing array for many elements; otherwise the allocation is what keeping the data costs.',
  before: [
    'type conn struct{ last []byte }',
    '',
    'func (c *conn) remember(p []byte) {',
    '\tc.last = make([]byte, len(p)) // stored in c.last: a new array per call',
    '\tcopy(c.last, p)',
    '}',
  ].join('\n'),
  after: [
    'type conn struct{ last []byte }',
    '',
    'func (c *conn) remember(p []byte) {',
    '\tc.last = append(c.last[:0], p...) // reuses c.last\'s array once it is big enough',
    '}',
  ].join('\n'),
  whenNot: 'Each stored value must stay distinct (a queue, a cache of independent entries, data handed to another goroutine): then the allocation is inherent.',
  assumption: { bytes: 1, objects: 1, note: 'assumes the stored buffer is reused instead of replaced; an upper bound, since the first use of each slot still allocates' },
  example: {
    decls: 'var c conn\n\nvar data = make([]byte, 64)',
    run: '\tc.remember(data)',
    shows: { message: '^make\\(\\[\\]byte, len\\(p\\)\\) escapes to heap$', at: 'make(' },
    proof: 'fewer-allocs',
  },
  advice: (c) => {
    if (c.elementOf) {
      return `${c.what} in ${c.fn} makes one allocation per element of \`${c.elementOf}\`, costing ${c.cost}; allocate one backing array for all of them and slice each element from it (one allocation instead of one per element), or reuse the whole \`${c.elementOf}\` across calls.`;
    }
    const pointer = c.expressionKind === 'address-of-composite' || c.expressionKind === 'new';
    const target = code(c.cause?.target, 'a longer-lived object');
    let into: string;
    let fix: string;
    switch (c.keptAs) {
      case 'field':
        into = `replaces ${target} each time it runs`;
        fix = pointer
          ? `if ${target} can be reset and reused rather than replaced, that removes it; otherwise it is one allocation per object kept`
          : `when the old ${target} has the capacity, reuse it (\`${c.cause?.target ?? 'x'} = ${c.cause?.target ?? 'x'}[:n]\`, making a new one only to grow) instead of replacing it`;
        break;
      case 'element':
        into = `is kept as an element of ${target}`;
        fix = pointer
          ? 'keep values instead of pointers in the container (a []T, map[K]T) to drop one allocation per element; otherwise it is inherent to keeping each element'
          : 'allocate one backing array for many elements and slice each from it, or reuse the element being replaced; otherwise it is inherent to keeping each element';
        break;
      case 'appended':
        into = `is appended to ${target} and kept there`;
        fix = pointer
          ? 'keep values instead of pointers in that slice (a []T) to drop one allocation per element; otherwise it is inherent'
          : 'reuse the elements the slice drops (truncate and refill instead of making new ones), or slice them all from one backing array';
        break;
      case 'lazy':
        into = `is made once per object, when ${target} is nil (a lazy cache), and kept there`;
        fix = 'it is one allocation per object: allocate it together with the object, or embed a fixed-size array in it when the size has a small bound, to save the separate allocation';
        break;
      case 'holder':
        into = `becomes part of a new ${target} that is kept`;
        fix = 'it is one allocation per object made: inherent unless fewer of them are made, or each is sized to what it holds';
        break;
      case 'sent':
        into = 'is sent on a channel, so the receiver keeps it';
        fix = pointer ? 'send the value instead of a pointer when it is small, or recycle them with a free list the receiver returns them to' : 'recycle the buffers with a free list the receiver returns them to';
        break;
      default:
        into = `is kept in ${target}`;
        fix = pointer
          ? 'if the holder can keep values instead of pointers (a []T or map[K]T), that removes one allocation per element; otherwise it is inherent to keeping it'
          : 'if it replaces an older buffer of enough capacity, reuse that one (`x = x[:n]`); if it grows the storage or each kept value must stay distinct, it is inherent: allocate less often (grow geometrically, reuse whole objects)';
    }
    return `${c.what} in ${c.fn} ${into}, so it must live on the heap, costing ${c.cost}; ${fix}.`;
  },
};
