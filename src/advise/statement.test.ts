import { describe, expect, it } from 'vitest';
import { blankStrings, classifyStatement, isMethodValueUse, stripComment } from './statement.js';

const one = (line: string, subject?: string) => classifyStatement([line], 0, subject ? { subject } : {});

describe('classifyStatement', () => {
  it.each([
    ['\tout = append(out, r.Name)', 'append', 'append(out, r.Name)', 'out'],
    ['\ts += p + "/"', 'string-concat-assign', 's += p + "/"', 's'],
    ['\tkey := "user:" + name', 'string-concat', '"user:" + name', 'key'],
    ['\tbuf := make([]byte, n)', 'make-slice', 'make([]byte, n)', 'buf'],
    ['\tm := make(map[string]int)', 'make-map', 'make(map[string]int)', 'm'],
    ['\tch := make(chan int, 10)', 'make-chan', 'make(chan int, 10)', 'ch'],
    ['\tp := new(Point)', 'new', 'new(Point)', 'p'],
    ['\treturn &Point{X: x, Y: y}', 'address-of-composite', '&Point{X: x, Y: y}', null],
    ['\treturn &p', 'return-address', '&p', 'p'],
    ['\tpts := []Point{{1, 2}, {3, 4}}', 'composite-literal', '[]Point{{1, 2}, {3, 4}}', 'pts'],
    ['\tcounts[word]++', 'map-assign', 'counts[word]++', 'counts'],
    ['\tseen[k] = struct{}{}', 'map-assign', 'seen[k] =', 'seen'],
    ['\tgo func() {', 'go-func', 'go func', null],
    ['\tdefer func() {', 'defer-func', 'defer func', null],
    ['\tf := func(x int) int { return x * 2 }', 'func-literal', 'func literal', 'f'],
    ['\ts := string(b)', 'string-conversion', 'string(b)', 's'],
    ['\tb := []byte(s)', 'bytes-conversion', '[]byte(s)', 'b'],
    ['\tk := fmt.Sprintf("%s:%d", name, id)', 'fmt-call', 'fmt.Sprintf("%s:%d", name, id)', 'k'],
    ['\tlog.Printf("got %d", n)', 'log-call', 'log.Printf("got %d", n)', null],
  ])('%s -> %s', (line, shape, expression, variable) => {
    const st = one(line);
    expect(st).not.toBeNull();
    expect(st!.shape).toBe(shape);
    expect(st!.expression).toBe(expression);
    expect(st!.variable).toBe(variable);
  });

  it('prefers the formatting call over the append that holds its result', () => {
    const st = one('\tout = append(out, fmt.Sprintf("%d", i))')!;
    expect(st.shape).toBe('fmt-call');
    expect(st.shapes).toEqual(['fmt-call', 'append']);
  });

  it('does not read operators or calls inside string literals', () => {
    expect(one('\tconst s = "a + b make( append("')).toBeNull();
    expect(one('\tx := y // append(z)')).toBeNull();
  });

  it('tells constant from variable make sizes', () => {
    expect(one('\tb := make([]byte, 64)')!.constantSize).toBe(true);
    expect(one('\tb := make([]byte, 0, 1<<10)')!.constantSize).toBe(true);
    expect(one('\tb := make([]byte, n)')!.constantSize).toBe(false);
    expect(one('\tb := make([]byte, 0, len(xs))')!.constantSize).toBe(false);
  });

  it('joins continuation lines while brackets are open', () => {
    const st = classifyStatement(['\tmsg := fmt.Sprintf("%s=%d",', '\t\tname,', '\t\tvalue)', '\treturn msg'], 0)!;
    expect(st.shape).toBe('fmt-call');
    expect(st.expression).toBe('fmt.Sprintf("%s=%d", name, value)');
  });

  it('reads back to the line that opened the call when the focus is an argument line', () => {
    const lines = ['\tfor i, it := range items {', '\t\tout = append(out, fmt.Sprintf("%d %s",', '\t\t\ti+1, it.Name))', '\t}'];
    const st = classifyStatement(lines, 2)!;
    expect(st.shape).toBe('fmt-call');
    expect(st.expression).toBe('fmt.Sprintf("%d %s", i+1, it.Name)');
    // A block's `{` is not followed back.
    expect(classifyStatement(['\tif ok {', '\t\tx := new(T)'], 1)!.text).toBe('x := new(T)');
  });

  it('reads a method value only when the compiler names the selector', () => {
    expect(one('\tsort.Slice(xs, s.less)')?.shape).not.toBe('method-value');
    expect(one('\tsort.Slice(xs, s.less)', 's.less')!.shape).toBe('method-value');
    expect(one('\tv := s.less(i, j)', 's.less')?.shape).not.toBe('method-value');
  });

  it('returns null for lines with no allocating shape and for out-of-range focus', () => {
    expect(one('\tx = y + 1')).toBeNull();
    expect(one('}')).toBeNull();
    expect(classifyStatement(['a'], 3)).toBeNull();
  });

  it('does not take a declaration for a func literal', () => {
    expect(one('func (s *Server) handle(w http.ResponseWriter) {')).toBeNull();
  });
});

describe('helpers', () => {
  it('isMethodValueUse', () => {
    expect(isMethodValueUse('return t.Sum', 't.Sum')).toBe(true);
    expect(isMethodValueUse('return t.Sum()', 't.Sum')).toBe(false);
    expect(isMethodValueUse('t.Sum = 3', 't.Sum')).toBe(false);
    expect(isMethodValueUse('x := make([]int, n)', 'make([]int, n)')).toBe(false);
  });
  it('stripComment keeps // inside strings', () => {
    expect(stripComment('u := "http://x" // c')).toBe('u := "http://x" ');
  });
  it('blankStrings keeps quotes and length', () => {
    const s = 'f("a+b", `c`)';
    expect(blankStrings(s)).toHaveLength(s.length);
    expect(blankStrings(s)).not.toContain('+');
  });
});
