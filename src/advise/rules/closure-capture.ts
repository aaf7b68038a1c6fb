import { atLeast, code, type RuleModule } from './types.js';

export const closureCapture: RuleModule = {
  id: 'closure-capture',
  title: 'Variable captured by an escaping closure',
  trigger:
    'A func literal escapes (`func literal escapes to heap`: a `go` statement, a stored callback) and a variable it captures by reference is `moved to heap` (reason `captured by a closure`).',
  fix: 'Pass the captured value to the function literal as an argument (or copy it into a local the closure alone uses) so it is not shared by reference and need not move to the heap.',
  before: [
    'func sum(xs []int, done chan<- int) {',
    '\ttotal := 0 // moved to heap: total (captured by reference)',
    '\tgo func() {',
    '\t\tfor _, x := range xs {',
    '\t\t\ttotal += x',
    '\t\t}',
    '\t\tdone <- total',
    '\t}()',
    '}',
  ].join('\n'),
  after: [
    'func sum(xs []int, done chan<- int) {',
    '\tgo func(xs []int) {',
    '\t\ttotal := 0 // local to the goroutine: stays on its stack',
    '\t\tfor _, x := range xs {',
    '\t\t\ttotal += x',
    '\t\t}',
    '\t\tdone <- total',
    '\t}(xs)',
    '}',
  ].join('\n'),
  whenNot:
    'The closure must observe later writes to the variable, or it is a callback stored for later (its captured state must live on the heap), or it runs once (setup code).',
  assumption: { bytes: 1, objects: 1, note: 'assumes the captured variables no longer move to the heap, removing all of this part' },
  example: {
    shows: { message: '^moved to heap: total$', at: 'total := 0' },
    proof: 'escape-gone',
  },
  advice: (c) => {
    const loop = c.primary?.kind === 'loopvar' && atLeast(c.go, 1, 22) ? ' (a loop variable: since Go 1.22 each iteration has its own, so each is a new heap object)' : '';
    if (c.primary && (c.primary.kind === 'moved-to-heap' || c.primary.kind === 'loopvar')) {
      if (c.captureWidth !== null && c.captureWidth > 128) {
        return `${c.what} in ${c.fn} is a ${c.captureWidth}-byte value an escaping closure captures; over 128 bytes Go captures by reference, so it moves to the heap, costing ${c.cost}${loop}; passing it as an argument would copy all ${c.captureWidth} bytes into each closure: capture a pointer to it instead (a pointer receiver, or \`p := &x\` outside the closure).`;
      }
      if (c.closureAssigns) {
        return `${c.what} in ${c.fn} is assigned after an escaping closure captures it (or by the closure itself), so the closure shares it by reference and it lives on the heap, costing ${c.cost}${loop}; if neither side writes it after the closure starts, pass it as an argument; if it is the closure's own state (a counter), keep that state in a struct the callback is a method of, or create fewer closures.`;
      }
      return `${c.what} in ${c.fn} is captured by reference by an escaping closure and moves to the heap, costing ${c.cost}${loop}; pass it to the func literal as an argument (or copy it into a local the closure alone uses).`;
    }
    const vars = c.captured.map((v) => `\`${v}\``).join(', ');
    if (c.statementKind === 'go') {
      return `The func literal started with \`go\` in ${c.fn} is allocated on every execution with what it captures${vars ? ` (${vars})` : ''}, costing ${c.cost}; a closure per goroutine is inherent: start fewer goroutines (a fixed pool of workers fed by a channel)${vars ? ', and pass the captured values as arguments so they do not move to the heap' : ''}.`;
    }
    if (vars) {
      return `The func literal in ${c.fn} escapes and captures ${vars} by reference, costing ${c.cost}; pass ${c.captured.length > 1 ? 'them' : 'it'} to the func literal as ${c.captured.length > 1 ? 'arguments' : 'an argument'}.`;
    }
    return `The func literal in ${c.fn} escapes (the closure and what it captures are allocated on every execution), costing ${c.cost}; create it once outside the hot path, or call a named function with the values as arguments.`;
  },
};

export const storedClosure: RuleModule = {
  id: 'stored-closure',
  title: 'Closure created per call and kept',
  trigger:
    'A func literal escapes because it is stored (appended to a slice of callbacks, assigned to a field, passed to a function that keeps it): each execution allocates the closure and its captured state.',
  fix: 'Create the callback once (outside the loop or at construction) or store the data it needs and call one named function, instead of a new closure per call.',
  before: [
    'var handlers []func() int',
    '',
    'func register(n int) {',
    '\thandlers = append(handlers, func() int { return n * 2 }) // func literal escapes',
    '}',
  ].join('\n'),
  after: ['var values []int', '', 'func register(n int) {', '\tvalues = append(values, n) // the data; one function reads it later', '}'].join('\n'),
  whenNot: 'The callbacks really differ per registration and are registered rarely (startup, configuration).',
  assumption: null,
  example: {
    shows: { message: '^func literal escapes to heap$', at: 'return n * 2' },
    proof: 'escape-gone',
  },
  advice: (c) =>
    `The func literal in ${c.fn} is kept ${c.cause?.target ? `(stored in ${code(c.cause.target)})` : '(stored or passed to a call that keeps it)'}, so each execution allocates a closure, costing ${c.cost}; passing values as arguments cannot help a stored callback: create it once, or store the data and call one named function.`,
};

export const methodValue: RuleModule = {
  id: 'method-value',
  title: 'Method value allocates a closure',
  trigger: 'A method value `t.M` (used without calling it) escapes: Go allocates a closure that binds the receiver.',
  fix: 'Pass a func literal that calls t.M(), or pass the receiver itself and call the method where it is needed.',
  before: [
    'type worker struct{ n int }',
    '',
    'func (w *worker) step() { w.n++ }',
    '',
    'var queue []func()',
    '',
    'func schedule(w *worker) {',
    '\tqueue = append(queue, w.step) // w.step escapes: a closure bound to w, per call',
    '}',
  ].join('\n'),
  after: [
    'type worker struct{ n int }',
    '',
    'func (w *worker) step() { w.n++ }',
    '',
    'var queue []*worker // the receivers; the drain loop calls w.step()',
    '',
    'func schedule(w *worker) {',
    '\tqueue = append(queue, w)',
    '}',
  ].join('\n'),
  whenNot: 'The method value is created once and stored (a handler registration); one allocation does not matter.',
  assumption: { bytes: 1, objects: 1, note: 'assumes the bound-method closure is no longer allocated' },
  example: {
    shows: { message: '^w\\.step escapes to heap$', at: 'w.step' },
    proof: 'escape-gone',
  },
  advice: (c) => `Method value ${c.what} in ${c.fn} allocates a closure, costing ${c.cost}; pass a func literal that calls it, or pass the receiver.`,
};
