import { code, type RuleModule } from './types.js';

export const interfaceBoxing: RuleModule = {
  id: 'interface-boxing',
  title: 'Value boxed into an interface on a hot path',
  trigger:
    'A non-pointer value converted to an interface escapes (`x escapes to heap`, -m=2 reason `interface-converted`), so each conversion allocates a copy.',
  fix: 'Keep the concrete type on the hot path (a concrete parameter, or a generic function with a type parameter) so no interface box is allocated.',
  before: ['var sink []any', '', 'func record(v any) { sink = append(sink, v) }', '', 'func hot(n int) { record(n) } // n escapes to heap: boxed'].join('\n'),
  after: ['var sink []int', '', 'func record(v int) { sink = append(sink, v) }', '', 'func hot(n int) { record(n) } // no box'].join('\n'),
  whenNot:
    'The value is a pointer or a small constant (no allocation), the callee needs an interface (json.Marshal, a plug-in API), or the path is not hot.',
  assumption: { bytes: 1, objects: 1, note: 'assumes the concrete type removes the interface box, i.e. all of this part' },
  example: {
    shows: { message: '^n escapes to heap$', at: 'record(n)' },
    proof: 'escape-gone',
  },
  advice: (c) => {
    if (c.cause?.kind === 'returned') {
      return `${c.what} in ${c.fn} is returned as an interface value, so it is copied to the heap, costing ${c.cost}; return the concrete type where callers do not need the interface (box once, at the API boundary), or accept it when the interface is the API.`;
    }
    const into = c.cause?.kind === 'call' && c.cause.target ? ` for ${code(c.cause.target)}` : c.cause?.kind === 'stored' && c.cause.target ? ` stored in ${code(c.cause.target)}` : '';
    return `${c.what} in ${c.fn} is boxed into an interface${into} and escapes, costing ${c.cost}; keep the concrete type (or a type parameter) on this path.`;
  },
};

export const fmtBoxing: RuleModule = {
  id: 'fmt-boxing',
  title: 'fmt formatting on a hot path',
  trigger:
    'fmt.Sprintf/Fprintf/Errorf (or log.Printf, which formats with fmt) allocates, or its operands escape into `... argument`: every operand that is not a pointer is boxed into `...any`, and Sprintf returns a new string.',
  fix: 'Format with strconv.AppendInt/AppendQuote and friends into a reused []byte (or write directly to the io.Writer) instead of fmt on the hot path.',
  before: ['func key(name string, id int) string {', '\treturn fmt.Sprintf("%s:%d", name, id) // name, id escape: boxed', '}'].join('\n'),
  after: [
    'func appendKey(buf []byte, name string, id int) []byte {',
    '\tbuf = append(buf, name...)',
    "\tbuf = append(buf, ':')",
    '\treturn strconv.AppendInt(buf, int64(id), 10)',
    '}',
  ].join('\n'),
  whenNot: 'The call is on an error or debug path, or its output is needed only rarely; readable fmt code is worth more there.',
  assumption: { bytes: 1, objects: 1, note: 'assumes formatting into a reused buffer removes the boxed operands and the result string' },
  example: {
    before: { imports: ['fmt'], run: '\tsink = key("user", 123456)' },
    after: { imports: ['strconv'], run: '\tbuf = appendKey(buf[:0], "user", 123456)' },
    decls: 'var sink string\n\nvar buf []byte',
    shows: { message: '^id escapes to heap$', at: 'fmt.Sprintf' },
    proof: 'fewer-allocs',
  },
  advice: (c) => `${c.what} in ${c.fn} formats through fmt's ...any, costing ${c.cost}; use strconv.AppendX into a reused buffer instead of fmt on this path.`,
};

export const variadicBoxing: RuleModule = {
  id: 'variadic-boxing',
  title: 'Values boxed into a ...any parameter (logging, errors)',
  trigger:
    'A call passes values to a `...any` parameter that is not fmt formatting (slog, logr, zap\'s sugared logger, error wrapping): the implicit slice and every non-pointer operand are allocated, whether or not the message is ever written.',
  fix: "Check the level first (`if logger.Enabled(ctx, slog.LevelDebug)`), use the API's typed fields (slog.Int, zap.Int, LogAttrs), or move the call off the hot path.",
  before: ['func handle(log *slog.Logger, id, n int) {', '\tlog.Debug("handled", "id", id, "n", n) // id, n escape: boxed', '}'].join('\n'),
  after: [
    'func handle(ctx context.Context, log *slog.Logger, id, n int) {',
    '\tif log.Enabled(ctx, slog.LevelDebug) {',
    '\t\tlog.LogAttrs(ctx, slog.LevelDebug, "handled", slog.Int("id", id), slog.Int("n", n))',
    '\t}',
    '}',
  ].join('\n'),
  whenNot: 'The call runs only on errors or at startup, or the logger is always enabled at that level and the typed API is not available.',
  assumption: { bytes: 1, objects: 1, note: 'assumes the level check or typed fields remove the boxed operands and the implicit slice' },
  example: {
    decls: 'var logger = slog.New(slog.NewTextHandler(io.Discard, nil)) // Info level: Debug is off\n\nvar vid, vn = 123456, 654321',
    before: { imports: ['io', 'log/slog'], run: '\thandle(logger, vid, vn)' },
    after: { imports: ['context', 'io', 'log/slog'], run: '\thandle(context.Background(), logger, vid, vn)' },
    shows: { message: '^id escapes to heap$', at: 'log.Debug' },
    proof: 'fewer-allocs',
  },
  advice: (c) => {
    const callee = c.cause?.target ? code(c.cause.target) : 'the call';
    return `${c.what} in ${c.fn} is boxed into the ...any parameter of ${callee}, costing ${c.cost}; check the level before calling, use typed fields (slog.Int, LogAttrs, zap.Int), or move the call off the hot path.`;
  },
};
