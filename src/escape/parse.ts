// Parser for the Go compiler's -m / -m=2 diagnostics, as printed by
// `go build -gcflags=-m=2` (plain text with `# pkg` headers) or by
// `go build -json` (a stream of {ImportPath, Action, Output} objects).
//
// Facts the design rests on (reference §1–§8, checked against go1.26.8):
// - Lines are `<file>:<line>[:<col>][[<orig>]]:<spaces><message>`. One space
//   is a message, three a `flow:`/`warning:` line, five a `from` note.
// - A -m=2 explanation block (`X escapes to heap in f:` or `parameter p leaks
//   to L for f with derefs=N:` followed by its flow lines) is NOT printed next
//   to the summary it explains (`moved to heap: X`, `leaking param: p`).
//   Blocks are therefore matched to summaries by (package, position, subject).
// - Output is neither sorted nor de-duplicated: inlined copies and generic
//   shape instantiations print identical lines. Identical findings are merged
//   and counted.
// - go1.26 writes `←` in flow lines and names the function in headers
//   (`… escapes to heap in newT:`); go1.19 wrote `=` and no function. Both parse.
import type { EscapeFinding, EscapeKind, FlowStep } from './model.js';
import { isWindowsAbsolute, relativeInside, resolvePrintedFile } from './paths.js';
import { pushAll } from '../arrays.js';

export interface ParseOptions {
  /** Import path -> package directory. */
  pkgDirs?: Map<string, string>;
  moduleRoot?: string;
  /** Module path, used to guess package directories missing from pkgDirs. */
  modulePath?: string;
  /** Directory the build ran in; defaults to moduleRoot. */
  cwd?: string;
  /** Expands `$GOROOT/` paths. */
  goroot?: string;
  /** Overrides the file-existence check used to choose between path interpretations. */
  exists?: (abs: string) => boolean;
}

export interface ParsedPackage {
  /** Package as printed (`# p` header or JSON ImportPath, ` [p.test]` suffix removed); null for lines before any header. */
  importPath: string | null;
  /** The full package id as printed, including any ` [p.test]` suffix. */
  id: string | null;
  failed: boolean;
  /** Compiler or go command errors for this package, one per line as printed. */
  errors: string[];
}

export interface ParseResult {
  format: 'text' | 'json';
  findings: EscapeFinding[];
  packages: ParsedPackage[];
}

export function parseEscapeOutput(text: string, opts: ParseOptions = {}): EscapeFinding[] {
  return parseEscapeOutputDetailed(text, opts).findings;
}

// ---------------------------------------------------------------------------
// Lines and positions

export interface Position {
  rawFile: string;
  line: number;
  column: number | null;
  /** `-L` original position in brackets, as printed. */
  orig: string | null;
}

// Non-greedy file so that `C:\x\y.go:12:3: …` keeps its drive letter.
const LINE_RE = /^(.+?):(\d+)(?::(\d+))?(?:\[([^\]]*)\])?:( +)(.*)$/;
const POS_RE = /^(.+?):(\d+)(?::(\d+))?(?:\[([^\]]*)\])?$/;
const UNKNOWN_POS = '<unknown line number>';

interface RawLine {
  pos: Position;
  /** Position text exactly as printed; blocks are keyed on it. */
  posText: string;
  indent: number;
  msg: string;
}

export function splitPositionedLine(line: string): RawLine | null {
  if (line.startsWith(UNKNOWN_POS + ':')) {
    const rest = line.slice(UNKNOWN_POS.length + 1);
    const msg = rest.replace(/^ +/, '');
    return {
      pos: { rawFile: UNKNOWN_POS, line: 0, column: null, orig: null },
      posText: UNKNOWN_POS,
      indent: rest.length - msg.length,
      msg,
    };
  }
  const m = LINE_RE.exec(line);
  if (!m) return null;
  const posText = line.slice(0, line.length - m[5].length - m[6].length - 1);
  return {
    pos: { rawFile: m[1], line: Number(m[2]), column: m[3] === undefined ? null : Number(m[3]), orig: m[4] ?? null },
    posText,
    indent: m[5].length,
    msg: m[6],
  };
}

export function parsePosition(text: string): Position | null {
  if (text === UNKNOWN_POS) return { rawFile: UNKNOWN_POS, line: 0, column: null, orig: null };
  const m = POS_RE.exec(text);
  if (!m) return null;
  return { rawFile: m[1], line: Number(m[2]), column: m[3] === undefined ? null : Number(m[3]), orig: m[4] ?? null };
}

// ---------------------------------------------------------------------------
// Message classification

interface Classified {
  kind: EscapeKind;
  subject: string;
  detail: Record<string, string | number | boolean>;
  /** Known message without a dedicated kind (kind 'other' but not an error). */
  known?: boolean;
}

/** Messages the compiler prints at -m that have no kind of their own. */
const KNOWN_OTHER: RegExp[] = [
  /^zero-copy string->\[\]byte conversion$/,
  /^assuming .+ is unsafe uintptr$/,
  /^marking .+ as escaping (\.\.\.)?uintptr$/,
  /^mutates param: .+ derefs=-?\d+$/,
  /^calls param: .+ derefs=-?\d+$/,
  /^.+ does not escape, mutate, or call$/,
  /^cannot devirtualize .+: shaped (receiver|interface) .+$/,
  /^failed to devirtualize .+$/,
  /^(for|range) loop ending at \d+:\d+ was modified/,
  /^PGO devirtualiz/,
  /^alias analysis: /,
  /^index bounds check elided/,
  /^imprecise interface call/,
  /^function .+ considered 'big'; reducing max cost of inlinees$/,
  /^rewriting OCONVIFACE value from /,
  /^.+ escapes to heap, not allowed in runtime$/,
];

export function classifyMessage(msg: string): Classified | null {
  let m: RegExpExecArray | null;
  if ((m = /^moved to heap: (.+)$/.exec(msg))) return { kind: 'moved-to-heap', subject: m[1], detail: {} };
  if ((m = /^leaking param content: (.+)$/.exec(msg))) return { kind: 'leaking-param-content', subject: m[1], detail: {} };
  if ((m = /^leaking param: (\S+) to result (\S+) level=(-?\d+)$/.exec(msg))) {
    return { kind: 'leaking-param-to-result', subject: m[1], detail: { result: m[2], level: Number(m[3]) } };
  }
  if ((m = /^leaking param: (.+)$/.exec(msg))) return { kind: 'leaking-param', subject: m[1], detail: {} };
  if (msg.endsWith(' escapes to heap')) {
    return { kind: 'escapes', subject: msg.slice(0, -' escapes to heap'.length), detail: {} };
  }
  if (msg.endsWith(' does not escape')) {
    return { kind: 'does-not-escape', subject: msg.slice(0, -' does not escape'.length), detail: {} };
  }
  if ((m = /^can inline (.+?)(?: with cost (\d+) as: .*)?$/.exec(msg))) {
    const detail: Classified['detail'] = {};
    if (m[2] !== undefined) detail.cost = Number(m[2]);
    return { kind: 'can-inline', subject: m[1], detail };
  }
  if ((m = /^inlining call to (.+?)(?: with score (-?\d+))?$/.exec(msg))) {
    const detail: Classified['detail'] = {};
    if (m[2] !== undefined) detail.score = Number(m[2]);
    return { kind: 'inlining-call', subject: m[1], detail };
  }
  if ((m = /^cannot inline (.+?) into (.+): repeated recursive cycle$/.exec(msg))) {
    return { kind: 'cannot-inline', subject: m[1], detail: { into: m[2], reason: 'repeated recursive cycle' } };
  }
  if ((m = /^cannot inline (.+?): (.+)$/.exec(msg))) {
    const detail: Classified['detail'] = { reason: m[2] };
    const c = /cost (\d+) exceeds budget (\d+)/.exec(m[2]);
    if (c) {
      detail.cost = Number(c[1]);
      detail.budget = Number(c[2]);
    }
    return { kind: 'cannot-inline', subject: m[1], detail };
  }
  if ((m = /^(.+?) capturing by (ref|value): (.+) \(addr=(\w+) assign=(\w+) width=(\d+)\)$/.exec(msg))) {
    return {
      kind: 'capturing',
      subject: m[3],
      detail: { func: m[1], mode: m[2], addr: m[4] === 'true', assign: m[5] === 'true', width: Number(m[6]) },
    };
  }
  if ((m = /^(.+?) ignoring self-assignment in (.+)$/.exec(msg))) {
    return { kind: 'self-assignment', subject: m[2], detail: { func: m[1] } };
  }
  if ((m = /^(partially )?devirtualizing (.+?) to (.+)$/.exec(msg))) {
    const detail: Classified['detail'] = { to: m[3] };
    if (m[1]) detail.partial = true;
    return { kind: 'devirtualizing', subject: m[2], detail };
  }
  if ((m = /^loop variable (.+?) now per-iteration, (heap|stack)-allocated(?: \(loop inlined into (.+):(\d+)\))?$/.exec(msg))) {
    const detail: Classified['detail'] = { placement: m[2] };
    if (m[3] !== undefined) detail.inlinedInto = `${m[3]}:${m[4]}`;
    return { kind: 'loopvar', subject: m[1], detail };
  }
  for (const re of KNOWN_OTHER) if (re.test(msg)) return { kind: 'other', subject: msg, detail: {}, known: true };
  return null;
}

// ---------------------------------------------------------------------------
// -m=2 explanation blocks

interface Header {
  type: 'expr' | 'param';
  subject: string;
  func: string | null;
  /** Parameter headers: where it leaks and with how many dereferences. */
  leaksTo?: string;
  derefs?: number;
  message: string;
}

/** Index of `sep` in `s` outside `{…}` braces, or -1. */
function indexOutsideBraces(s: string, sep: string, from = 0): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && s.startsWith(sep, i)) return i;
  }
  return -1;
}

export function parseHeader(msg: string): Header | null {
  if (!msg.endsWith(':')) return null;
  if (msg.startsWith('parameter ')) {
    const m = /^parameter (\S+) leaks to /.exec(msg);
    if (!m) return null;
    const rest = msg.slice(m[0].length);
    let loc: string;
    let after: string;
    if (rest.startsWith('{')) {
      let depth = 0;
      let end = -1;
      for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '{') depth++;
        else if (rest[i] === '}' && --depth === 0) {
          end = i;
          break;
        }
      }
      if (end < 0) return null;
      loc = rest.slice(0, end + 1);
      after = rest.slice(end + 1);
    } else {
      const sp = rest.indexOf(' ');
      if (sp < 0) return null;
      loc = rest.slice(0, sp);
      after = rest.slice(sp);
    }
    const t = /^(?: for (.+?))? with derefs=(-?\d+):$/.exec(after);
    if (!t) return null;
    return { type: 'param', subject: m[1], func: t[1] ?? null, leaksTo: loc, derefs: Number(t[2]), message: msg };
  }
  const idx = msg.lastIndexOf(' escapes to heap');
  if (idx <= 0) return null;
  const after = msg.slice(idx + ' escapes to heap'.length);
  if (after === ':') return { type: 'expr', subject: msg.slice(0, idx), func: null, message: msg };
  const t = /^ in (.+):$/.exec(after);
  if (!t) return null;
  return { type: 'expr', subject: msg.slice(0, idx), func: t[1], message: msg };
}

/** `flow: dst ← ops src:` (go1.26) or `flow: dst = ops src:` (go1.19). */
export function parseFlow(msg: string): { dst: string; src: string } | null {
  if (!msg.startsWith('flow: ')) return null;
  let body = msg.slice('flow: '.length);
  if (body.endsWith(':')) body = body.slice(0, -1);
  let i = indexOutsideBraces(body, ' ← ');
  let sepLen = 3;
  if (i < 0) {
    i = indexOutsideBraces(body, ' = ');
    sepLen = 3;
  }
  if (i < 0) return null;
  return { dst: body.slice(0, i), src: body.slice(i + sepLen) };
}

/**
 * `from <expr> (<reason>) at <pos>`. The expression can contain parentheses
 * and spaces (`from fmt.Fprintln(os.Stdout, fmt.a...) (call parameter) at …`),
 * so the reason and position are taken from the right.
 */
export function parseNote(msg: string): { expr: string; reason: string; pos: Position | null } | null {
  if (!msg.startsWith('from ')) return null;
  const body = msg.slice('from '.length);
  let head = body;
  let pos: Position | null = null;
  const at = body.lastIndexOf(') at ');
  if (at >= 0) {
    pos = parsePosition(body.slice(at + ') at '.length));
    head = body.slice(0, at + 1);
  }
  if (!head.endsWith(')')) return null;
  const open = head.lastIndexOf(' (');
  if (open < 0) return null;
  return { expr: head.slice(0, open), reason: head.slice(open + 2, -1), pos };
}

// ---------------------------------------------------------------------------
// Input framing: plain text or `go build -json`

interface Chunk {
  id: string | null;
  /** -json: raw Output pieces (a piece may end mid-line); text: whole lines. */
  text: string[];
  lines?: string[];
  failed: boolean;
}

/**
 * `go build -json` output is recognised by content: one of the first lines is
 * a JSON object with an Action or ImportPath. (A log saved with `2>&1` can
 * start with plain `go: …` lines before the events.)
 */
function looksLikeBuildJson(text: string): boolean {
  let pos = 0;
  for (let seen = 0; seen < 5 && pos < text.length; ) {
    const end = text.indexOf('\n', pos);
    const line = text.slice(pos, end < 0 ? undefined : end).trim();
    pos = end < 0 ? text.length : end + 1;
    if (line === '') continue;
    seen++;
    if (!line.startsWith('{')) continue;
    try {
      const o = JSON.parse(line) as unknown;
      if (typeof o === 'object' && o !== null && ('Action' in o || 'ImportPath' in o)) return true;
    } catch {
      // not JSON
    }
  }
  return false;
}

interface BuildEvent {
  ImportPath?: string;
  Action?: string;
  Output?: string;
  Package?: string;
}

function frameJson(text: string): Chunk[] {
  const chunks = new Map<string, Chunk>();
  const order: Chunk[] = [];
  const loose: string[] = [];
  const get = (id: string): Chunk => {
    let c = chunks.get(id);
    if (!c) {
      c = { id, text: [], failed: false };
      chunks.set(id, c);
      order.push(c);
    }
    return c;
  };
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    let ev: BuildEvent | null = null;
    if (t.startsWith('{')) {
      try {
        ev = JSON.parse(t) as BuildEvent;
      } catch {
        ev = null;
      }
    }
    if (!ev || typeof ev !== 'object') {
      loose.push(line);
      continue;
    }
    // test2json events (`Package`, no `ImportPath`) carry test output, not compiler output.
    if (ev.ImportPath === undefined) continue;
    if (ev.Action === 'build-output' && typeof ev.Output === 'string') get(ev.ImportPath).text.push(ev.Output);
    else if (ev.Action === 'build-fail') get(ev.ImportPath).failed = true;
  }
  const out = order;
  if (loose.length > 0) pushAll(out, frameText(loose.join('\n')));
  return out;
}

function frameText(text: string): Chunk[] {
  const out: Chunk[] = [];
  let cur: Chunk = { id: null, text: [], lines: [], failed: false };
  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) {
      if (cur.id !== null || cur.lines!.length > 0) out.push(cur);
      cur = { id: line.slice(2).trim(), text: [], lines: [], failed: false };
      continue;
    }
    cur.lines!.push(line);
  }
  if (cur.id !== null || cur.lines!.length > 0) out.push(cur);
  return out;
}

/** `p [p.test]` -> `p`. */
function stripTestSuffix(id: string): string {
  const b = id.indexOf(' [');
  return b > 0 && id.endsWith(']') ? id.slice(0, b) : id;
}

// ---------------------------------------------------------------------------
// Main entry

interface Summary {
  seq: number;
  pos: Position;
  posText: string;
  message: string;
  cls: Classified;
  header?: PendingHeader;
  /** Further blocks for the same (position, subject): other paths the compiler also printed. */
  extras?: PendingHeader[];
}

interface PendingHeader {
  seq: number;
  pos: Position;
  posText: string;
  header: Header;
  flow: FlowStep[];
  truncated: boolean;
  used: boolean;
}

export function parseEscapeOutputDetailed(text: string, opts: ParseOptions = {}): ParseResult {
  const json = looksLikeBuildJson(text);
  const chunks = json ? frameJson(text) : frameText(text);
  const resolver = makeResolver(opts);
  const findings: EscapeFinding[] = [];
  const byKey = new Map<string, EscapeFinding[]>();
  const packages: ParsedPackage[] = [];
  const pkgIndex = new Map<string, ParsedPackage>();

  for (const chunk of chunks) {
    const pkg = chunk.id === null ? null : stripTestSuffix(chunk.id);
    const res = parseChunk(chunk, pkg, resolver);
    const k = chunk.id ?? '\0';
    let p = pkgIndex.get(k);
    if (!p) {
      p = { importPath: pkg, id: chunk.id, failed: false, errors: [] };
      pkgIndex.set(k, p);
      packages.push(p);
    }
    p.failed ||= res.failed;
    pushAll(p.errors, res.errors);
    for (const f of res.findings) {
      // Identical lines only: the message is compared too, so `p to result ~r0`
      // and `p to result ~r1`, or a loop variable with and without
      // `(loop inlined into …)`, stay apart. The map key leaves the (possibly
      // long) message out; variants sharing a key are few.
      const key = `${f.pkg}\0${f.file ?? f.rawFile}\0${f.line}\0${f.column}\0${f.kind}\0${f.subject}`;
      const variants = byKey.get(key);
      const prev = variants?.find((v) => v.message === f.message);
      if (prev) {
        prev.count += f.count;
        if (prev.flow.length === 0 && f.flow.length > 0) {
          prev.flow = f.flow;
          prev.reasons = f.reasons;
          prev.detail = { ...f.detail, ...prev.detail };
        }
        continue;
      }
      if (variants) variants.push(f);
      else byKey.set(key, [f]);
      findings.push(f);
    }
  }
  return { format: json ? 'json' : 'text', findings, packages };
}

type Resolver = (raw: string, pkg: string | null) => { file: string | null; relFile: string | null };

function makeResolver(opts: ParseOptions): Resolver {
  const cache = new Map<string | null, Map<string, { file: string | null; relFile: string | null }>>();
  const root = opts.moduleRoot;
  const cwd = opts.cwd ?? root;
  const pkgDir = (pkg: string | null): string | null => {
    if (pkg === null || pkg.endsWith('.test')) return null;
    const d = opts.pkgDirs?.get(pkg) ?? (pkg.endsWith('_test') ? opts.pkgDirs?.get(pkg.slice(0, -5)) : undefined);
    if (d) return d;
    if (root && opts.modulePath) {
      const base = pkg.endsWith('_test') ? pkg.slice(0, -5) : pkg;
      if (base === opts.modulePath) return root;
      if (base.startsWith(opts.modulePath + '/')) return `${root}/${base.slice(opts.modulePath.length + 1)}`;
    }
    return null;
  };
  return (raw, pkg) => {
    let perPkg = cache.get(pkg);
    if (!perPkg) cache.set(pkg, (perPkg = new Map()));
    const hit = perPkg.get(raw);
    if (hit) return hit;
    let out: { file: string | null; relFile: string | null };
    const absolute = raw.startsWith('/') || raw.startsWith('$GOROOT') || isWindowsAbsolute(raw);
    if (!absolute && pkg !== null && pkg.endsWith('.test')) {
      // The generated test main (`_testmain.go`) lives in the build's work directory.
      out = { file: null, relFile: null };
    } else if (!absolute && !root && !cwd && !opts.pkgDirs) {
      // Nothing to resolve against: keep a cleaned relative name so a join by suffix is still possible.
      const rel = raw.startsWith('<') || raw.startsWith('../') ? null : raw.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
      out = { file: null, relFile: rel };
    } else {
      const file = resolvePrintedFile(raw, { pkgDir: pkgDir(pkg), cwd, moduleRoot: root, goroot: opts.goroot, exists: opts.exists });
      out = { file, relFile: file && root ? relativeInside(root, file) : null };
    }
    perPkg.set(raw, out);
    return out;
  };
}

/** Resolved file of a `from … at <pos>` note; the printed name when nothing resolves it. */
function noteFile(pos: Position | null, at: { file: string | null } | null): string | null {
  if (!pos || pos.rawFile.startsWith('<')) return null;
  return at?.file ?? pos.rawFile;
}

function subjectKey(kind: 'param' | 'expr', s: string): string {
  if (kind === 'expr' && s.startsWith('append(')) return 'expr:append';
  return `${kind}:${s}`;
}

/** cmd/go progress lines that can precede compiler output without meaning failure. */
const GO_INFO = /^go: (downloading|finding|extracting|added|upgraded|found) /;

function isResultName(loc: string): boolean {
  return /^~[rR]\d+$/.test(loc);
}

function parseChunk(
  chunk: Chunk,
  pkg: string | null,
  resolve: Resolver,
): { findings: EscapeFinding[]; failed: boolean; errors: string[] } {
  const lines = chunk.lines ?? chunk.text.join('').split('\n');
  const summaries: Summary[] = [];
  const headers: PendingHeader[] = [];
  const unknown: { seq: number; line: string; raw: RawLine | null }[] = [];
  let recognised = 0;
  let open: PendingHeader | null = null;
  let seq = 0;

  for (let line of lines) {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    if (line.startsWith('# ')) continue; // header repeated inside -json Output
    seq++;
    const raw = splitPositionedLine(line);
    if (!raw) {
      open = null;
      unknown.push({ seq, line, raw: null });
      continue;
    }
    if (raw.indent > 1) {
      // Explanation line: belongs to the open block with the same printed position.
      if (open && open.posText === raw.posText) {
        const flow = parseFlow(raw.msg);
        if (flow) {
          open.flow.push({ dst: flow.dst, src: flow.src, notes: [] });
          recognised++;
          continue;
        }
        if (raw.msg.startsWith('warning: truncated explanation')) {
          open.truncated = true;
          recognised++;
          continue;
        }
        const note = parseNote(raw.msg);
        if (note && open.flow.length > 0) {
          const at = note.pos ? resolve(note.pos.rawFile, pkg) : null;
          open.flow[open.flow.length - 1].notes.push({
            expr: note.expr,
            reason: note.reason,
            file: noteFile(note.pos, at),
            line: note.pos?.line ?? 0,
            column: note.pos?.column ?? null,
          });
          recognised++;
          continue;
        }
      }
      unknown.push({ seq, line, raw });
      continue;
    }
    const header = parseHeader(raw.msg);
    if (header) {
      open = { seq, pos: raw.pos, posText: raw.posText, header, flow: [], truncated: false, used: false };
      headers.push(open);
      recognised++;
      continue;
    }
    open = null;
    const cls = classifyMessage(raw.msg);
    if (!cls) {
      unknown.push({ seq, line, raw });
      continue;
    }
    if (!cls.known) recognised++;
    summaries.push({ seq, pos: raw.pos, posText: raw.posText, message: raw.msg, cls });
  }

  matchHeaders(summaries, headers);

  // A package whose output has no recognised diagnostic but has other lines did
  // not get past type checking: those lines are compiler errors.
  const failed =
    chunk.failed ||
    (recognised === 0 && unknown.some((u) => u.raw !== null || (/^go: /.test(u.line) && !GO_INFO.test(u.line))));
  const errors: string[] = [];
  const items: { seq: number; f: EscapeFinding }[] = [];

  const make = (pos: Position, kind: EscapeKind, subject: string, message: string, detail: EscapeFinding['detail']): EscapeFinding => {
    const r = resolve(pos.rawFile, pkg);
    const d = { ...detail };
    if (pos.orig !== null) d.orig = pos.orig;
    return {
      pkg,
      rawFile: pos.rawFile,
      file: r.file,
      relFile: r.relFile,
      line: pos.line,
      column: pos.column,
      kind,
      subject,
      message,
      reasons: [],
      flow: [],
      detail: d,
      count: 1,
    };
  };
  const attach = (f: EscapeFinding, h: PendingHeader): void => {
    f.flow = h.flow;
    f.reasons = h.flow.flatMap((s) => s.notes.map((n) => n.reason));
    if (h.header.func !== null) f.detail.func = h.header.func;
    if (h.header.type === 'param') {
      f.detail.leaksTo = h.header.leaksTo!;
      f.detail.derefs = h.header.derefs!;
    }
    if (h.truncated) f.detail.truncated = true;
  };

  for (const s of summaries) {
    const f = make(s.pos, s.cls.kind, s.cls.subject, s.message, s.cls.detail);
    if (s.header) attach(f, s.header);
    if (s.extras) {
      f.detail.moreExplanations = s.extras.length;
      f.detail.moreReasons = s.extras.flatMap((h) => h.flow.flatMap((st) => st.notes.map((n) => n.reason))).join(', ');
    }
    items.push({ seq: s.seq, f });
  }
  for (const h of headers) {
    if (h.used) continue;
    // An explanation with no summary line: generic shape instantiations and
    // wrappers print no parameter summaries, and some escapes are explained
    // only. The explanation itself says the value escapes or leaks.
    let kind: EscapeKind = 'escapes';
    const detail: EscapeFinding['detail'] = { explanationOnly: true };
    if (h.header.type === 'param') {
      const loc = h.header.leaksTo!;
      const derefs = h.header.derefs!;
      if (isResultName(loc)) {
        kind = 'leaking-param-to-result';
        detail.result = loc;
        detail.level = derefs;
      } else kind = derefs <= 0 ? 'leaking-param' : 'leaking-param-content';
    }
    const f = make(h.pos, kind, h.header.subject, h.header.message, detail);
    attach(f, h);
    items.push({ seq: h.seq, f });
  }
  for (const u of unknown) {
    if (failed) {
      errors.push(u.line);
      continue;
    }
    if (u.raw) {
      items.push({ seq: u.seq, f: make(u.raw.pos, 'other', u.raw.msg.trim(), u.raw.msg.trim(), {}) });
    } else {
      items.push({ seq: u.seq, f: make({ rawFile: '', line: 0, column: null, orig: null }, 'other', u.line.trim(), u.line.trim(), {}) });
    }
  }
  items.sort((a, b) => a.seq - b.seq);
  return { findings: items.map((i) => i.f), failed, errors };
}

/**
 * Pairs each summary with the explanation block printed for the same
 * (position, subject). Repeated pairs (inlined copies, shapes) pair up in
 * order. Parameter summaries pick the block whose destination fits them:
 * `to result r level=N` the block leaking to r with derefs N, `leaking param`
 * a derefs=0 block to the heap, `leaking param content` a derefs>=1 block.
 */
function matchHeaders(summaries: Summary[], headers: PendingHeader[]): void {
  const groups = new Map<string, PendingHeader[]>();
  for (const h of headers) {
    const k = `${h.posText}\0${subjectKey(h.header.type, h.header.subject)}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(h);
  }
  // Result names a parameter is reported to leak to, per (position, parameter).
  const resultLocsOf = new Map<string, Set<string>>();
  for (const o of summaries) {
    if (o.cls.kind !== 'leaking-param-to-result') continue;
    const k = `${o.posText}\0${o.cls.subject}`;
    let set = resultLocsOf.get(k);
    if (!set) resultLocsOf.set(k, (set = new Set()));
    set.add(String(o.cls.detail.result));
  }
  const take = (g: PendingHeader[] | undefined, ok: (h: PendingHeader) => boolean): PendingHeader | undefined => {
    const h = g?.find((x) => !x.used && ok(x));
    if (h) h.used = true;
    return h;
  };
  for (const s of summaries) {
    const kind = s.cls.kind;
    if (kind === 'moved-to-heap' || kind === 'escapes') {
      const subject = s.cls.subject === 'append' ? 'append(' : s.cls.subject;
      const g = groups.get(`${s.posText}\0${subjectKey('expr', subject)}`);
      s.header = take(g, () => true);
    } else if (kind === 'leaking-param' || kind === 'leaking-param-content' || kind === 'leaking-param-to-result') {
      const g = groups.get(`${s.posText}\0${subjectKey('param', s.cls.subject)}`);
      if (!g) continue;
      const resultLocs = resultLocsOf.get(`${s.posText}\0${s.cls.subject}`) ?? new Set<string>();
      const toResult = (h: PendingHeader): boolean => isResultName(h.header.leaksTo!) || resultLocs.has(h.header.leaksTo!);
      if (kind === 'leaking-param-to-result') {
        const res = String(s.cls.detail.result);
        s.header = take(g, (h) => h.header.leaksTo === res && h.header.derefs === s.cls.detail.level) ?? take(g, (h) => h.header.leaksTo === res);
      } else if (kind === 'leaking-param') {
        s.header = take(g, (h) => h.header.derefs! <= 0 && !toResult(h)) ?? take(g, (h) => h.header.derefs! <= 0);
      } else {
        s.header = take(g, (h) => h.header.derefs! >= 1 && !toResult(h)) ?? take(g, (h) => h.header.derefs! >= 1);
      }
    }
  }
  // Inlined calls: the block names the callee's variable (`x escapes to heap in
  // main:` for `iface(1000)`) while the summary names the argument (`1000
  // escapes to heap`). Pair what is left at the same position, in order.
  absorbExtras(summaries, headers);
  const leftByPos = new Map<string, PendingHeader[]>();
  for (const h of headers) {
    if (h.used || h.header.type !== 'expr') continue;
    let g = leftByPos.get(h.posText);
    if (!g) leftByPos.set(h.posText, (g = []));
    g.push(h);
  }
  if (leftByPos.size === 0) return;
  for (const s of summaries) {
    if (s.header || (s.cls.kind !== 'escapes' && s.cls.kind !== 'moved-to-heap')) continue;
    const h = take(leftByPos.get(s.posText), () => true);
    if (h) {
      s.header = h;
      s.cls = { ...s.cls, detail: { ...s.cls.detail, explainedAs: h.header.subject } };
    }
  }
  absorbExtras(summaries, headers);
}

/**
 * The compiler can print several blocks for one variable or parameter (one
 * per path it found: `parameter c leaks to {heap}`, `… to ~r0`, `… to
 * {storage for &entry{...}}`) but only one summary, after merging them into
 * one escape tag. Blocks left over for a (position, subject) that already has
 * a summary belong to that summary; they are not separate findings.
 */
function absorbExtras(summaries: Summary[], headers: PendingHeader[]): void {
  const owner = new Map<string, Summary>();
  for (const s of summaries) {
    if (!s.header) continue;
    owner.set(`${s.posText}\0${subjectKey(s.header.header.type, s.header.header.subject)}`, s);
  }
  for (const h of headers) {
    if (h.used) continue;
    const s = owner.get(`${h.posText}\0${subjectKey(h.header.type, h.header.subject)}`);
    if (!s) continue;
    h.used = true;
    (s.extras ??= []).push(h);
  }
}
