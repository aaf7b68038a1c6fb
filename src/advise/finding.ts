// One finding: a site's evidence (what the statement allocates itself and
// what its calls allocate, the source check, the compiler's findings joined
// by column), the rule that explains the largest part, and the advice,
// estimate and notes that follow from it. The headline rule is charged only
// with the part its fix can remove.
import type { EscapeFinding } from '../escape/model.js';
import type { CallCost, Finding, FindingNote, RuleId, Snippet, SourceCheck, Tier } from '../model/report.js';
import type { Frame, Site } from '../rank/model.js';
import type { GoFile, StatementInfo } from '../syntax/model.js';
import { adviceContext, shortFunctionName, subjectOf } from './advice.js';
import { chooseSelfRule, isFmtCallee } from './choose.js';
import type { EscapeCause } from './cause.js';
import type { AdviceContext } from './rules.js';
import { isRuntimeFunction, splitCost, type CallPart } from './cost.js';
import { estimateSavings, type Part } from './estimate.js';
import { compilerFunctionName, joinSite, type FindingIndex, type JoinResult } from './join.js';
import { callRemedy } from './remedies.js';
import { RULE_MODULES, type GoVersion } from './rules.js';
import { checkSource } from './source-check.js';

/** Lines of context on each side of the site in a snippet. */
const SNIPPET_CONTEXT = 3;
/** A second part of a line gets a note when it carries at least this share of the line... */
const NOTE_MIN_LINE_SHARE = 0.01;
/** ...and at least this share of the profile. */
const NOTE_MIN_TOTAL_SHARE = 0.001;

/** Callees whose allocation one of the statement rules explains, line and callee together. */
const PATTERN_CALLEES: { match: RegExp; rule: RuleId }[] = [
  { match: /^strings\.\(\*Builder\)\.(?:grow|Grow|WriteString|WriteByte|WriteRune|Write)$/, rule: 'string-concat' },
  { match: /^bytes\.(?:growSlice|\(\*Buffer\)\.(?:grow|Grow|Write|WriteString|WriteByte|WriteRune|ReadFrom))$/, rule: 'slice-growth' },
  { match: /^slices\.(?:Grow|Insert|AppendSeq|Collect|Concat)(?:\[.*\])?$/, rule: 'slice-growth' },
  { match: /^maps\.(?:Copy|Collect|Insert)(?:\[.*\])?$/, rule: 'map-growth' },
];

function patternRule(callee: string): RuleId | null {
  if (isFmtCallee(callee)) return 'fmt-boxing';
  for (const p of PATTERN_CALLEES) if (p.match.test(callee)) return p.rule;
  return null;
}

/** What building findings needs from the profile, the compiler and the source. */
export interface FindingContext {
  index: FindingIndex;
  /** Last names of module functions with a leaking parameter (`Add`, `remember`). */
  leakingFunctions: ReadonlySet<string>;
  sampleType: string;
  unit: string;
  total: number;
  companionType: string | null;
  companionUnit: string | null;
  companionTotal: number;
  /** An inuse_* index: hot sites hold memory rather than churn it. */
  inuseView: boolean;
  durationNanos: number | null;
  /** Module path (for generated callees, which are module functions below the site). */
  modulePath: string | null;
  go: GoVersion | null;
  toolchain: GoVersion | null;
  /** Whether the compiler's findings cover this --src-relative file (its package compiled). */
  compiled(rel: string): boolean;
  readSource(rel: string | null): string[] | null;
  parse(rel: string | null): GoFile | null;
}

export interface SiteFacts {
  site: Site;
  relFile: string | null;
  /** Physical call sites of inlined members, largest first, with their --src-relative files. */
  callSites: { frame: Frame; rel: string | null }[];
  share: number;
  companionShare: number | null;
  score: number;
  oneOff: boolean;
}

export interface BuiltFinding {
  finding: Finding;
  joined: JoinResult;
}

function snippetOf(lines: string[], line: number): Snippet {
  const from = Math.max(1, line - SNIPPET_CONTEXT);
  const to = Math.min(lines.length, line + SNIPPET_CONTEXT);
  return { startLine: from, lines: lines.slice(from - 1, to), focusLine: line };
}

function isTestFile(file: string): boolean {
  return /_test\.go$/.test(file);
}

export function buildFinding(sf: SiteFacts, rank: number, tier: Tier, ctx: FindingContext): BuiltFinding {
  const site = sf.site;
  const hasCompanion = ctx.companionType !== null;
  const split = splitCost(site);
  const shareOf = (v: number): number => (ctx.total ? v / ctx.total : 0);
  const cshareOf = (v: number): number | null => (hasCompanion ? (ctx.companionTotal ? v / ctx.companionTotal : 0) : null);
  const calls: CallCost[] = split.calls.map((c) => ({
    function: c.function,
    value: c.value,
    companion: hasCompanion ? c.companion : null,
    share: shareOf(c.value),
    companionShare: cshareOf(c.companion),
    // A module function below the site can only be one a person cannot edit: were it editable, it would be the site.
    generated: c.function.startsWith('main.') || (ctx.modulePath !== null && (c.function.startsWith(ctx.modulePath + '.') || c.function.startsWith(ctx.modulePath + '/'))),
  }));

  const src = readSite(sf, split, ctx);
  const joined = joinFor(sf, src, ctx);
  // Report the call site the compiler's verdict came from, else the largest.
  const shown = (joined.match === 'call-site' && sf.callSites.find((c) => c.rel === joined.file)) || sf.callSites[0];
  const self = chooseSelfRule({
    primary: joined.primary,
    expression: joined.expression,
    related: joined.related,
    statement: src.statement,
    runtimeBelow: site.allocatedBy.map((a) => a.via ?? a.function).filter(isRuntimeFunction),
    leakingFunctions: ctx.leakingFunctions,
    declaredMethods: ctx.index.methodNames,
    capturedByRef: (joined.file && ctx.index.capturedByRef.get(joined.file)) || new Set<string>(),
    declarationOf: src.parsed ? (name, line) => src.parsed!.declarationOf(name, line) : null,
  });
  // A kept value's holder, as the site's own statement writes it (`matrix[i]`, not the inlined `util.matrix[util.i]`).
  const statement = src.statement;
  if (self.cause?.kind === 'stored' && statement && statement.assigned.length === 1 && (statement.kind === 'assignment' || statement.kind === 'short-var-decl')) {
    const assignedHere = statement.allocs.some((a) => joined.expression && a === joined.expression);
    if (assignedHere && /[.[]/.test(statement.assigned[0]) && !statement.assigned[0].includes(' ')) self.cause = { ...self.cause, target: statement.assigned[0] };
  }

  const headline = decideHeadline({ sf, tier, split, src, joined, self, ctx, shareOf });
  const { rule, part, selfPart } = headline;
  const advice = writeAdvice({ sf, src, joined, self, headline, calls, ctx });
  const estimate = estimateSavings({
    rule,
    part,
    unit: ctx.unit,
    companionUnit: ctx.companionUnit,
    cumulative: !ctx.inuseView,
    durationNanos: ctx.durationNanos,
    oneOff: sf.oneOff,
    partOfLine: site.flat ? part.value / site.flat : 1,
  });

  const finding: Finding = {
    rank,
    tier,
    hot: tier === 'hot',
    site: {
      function: site.function,
      file: sf.relFile,
      profileFile: site.file,
      line: site.line,
      callSite: shown ? { function: shown.frame.function, file: shown.rel, line: shown.frame.line } : null,
    },
    value: site.flat,
    share: sf.share,
    companion: hasCompanion ? site.flatCompanion : null,
    companionShare: sf.companionShare,
    score: sf.score,
    self: { value: selfPart.value, companion: hasCompanion ? selfPart.companion : null, share: shareOf(selfPart.value), companionShare: cshareOf(selfPart.companion) },
    calls,
    allocatedBy: [...new Set(site.allocatedBy.filter((a) => a.function !== site.function).map((a) => a.via ?? a.function))],
    escapes: joined.related.map(toRef),
    match: joined.match,
    rule,
    advice,
    notes: headline.notes,
    statement: joined.expression?.kind ?? statement?.kind ?? null,
    snippet: src.snippet,
    source: src.source,
    estimate,
    oneOff: sf.oneOff,
  };
  return { finding, joined };
}

/** The site's source, checked against the profile before anything is read from it. */
interface SiteSource {
  lines: string[] | null;
  parsed: GoFile | null;
  source: SourceCheck;
  stale: boolean;
  /** The site's statement; null when stale or not parsed. */
  statement: StatementInfo | null;
  snippet: Snippet | null;
}

function readSite(sf: SiteFacts, split: ReturnType<typeof splitCost>, ctx: FindingContext): SiteSource {
  const site = sf.site;
  const lines = ctx.readSource(sf.relFile);
  const parsed = ctx.parse(sf.relFile);
  const statementHere = parsed ? statementOf(parsed, site.line, site.function) : null;
  const source: SourceCheck =
    sf.relFile === null
      ? { status: 'unknown', reason: site.userCode ? 'the file is not under --src' : 'not the module\'s code' }
      : checkSource({
          function: site.function,
          line: site.line,
          startLine: site.functionStartLine,
          lines,
          parsed,
          statement: statementHere,
          hasCallees: split.calls.length > 0,
          allocatesItself: Math.abs(split.self.value) > 0,
        });
  const stale = source.status === 'stale';
  const snippet = !stale && lines && site.line >= 1 && site.line <= lines.length ? snippetOf(lines, site.line) : null;
  return { lines, parsed, source, stale, statement: stale ? null : statementHere, snippet };
}

/** The compiler's findings for the site (none from a stale source: they describe other code). */
function joinFor(sf: SiteFacts, src: SiteSource, ctx: FindingContext): JoinResult {
  if (src.stale) return { match: 'none', primary: null, expression: null, related: [], file: null, line: null };
  return joinSite(ctx.index, {
    relFile: sf.relFile,
    line: sf.site.line,
    function: sf.site.function,
    statement: src.statement,
    parsed: src.parsed,
    callSites: sf.callSites.map((c) => {
      const p = ctx.parse(c.rel);
      return { relFile: c.rel, line: c.frame.line, function: c.frame.function, statement: p ? statementOf(p, c.frame.line, c.frame.function) : null };
    }),
  });
}

interface Headline {
  rule: RuleId | null;
  /** The part of the line the rule is charged with. */
  part: Part;
  whole: Part;
  selfPart: Part;
  /** For costly-call and no-user-frame: the function named. */
  callee: string | null;
  /** The call below the line that allocates the most, if any. */
  largest: CallPart | undefined;
  notes: FindingNote[];
}

/**
 * The headline rule explains the largest part of the line: what it allocates
 * itself, or a call below it (costly-call); the other part becomes a note
 * with its own share. Sites with nothing of the module to fix come first.
 */
function decideHeadline(a: {
  sf: SiteFacts;
  tier: Tier;
  split: ReturnType<typeof splitCost>;
  src: SiteSource;
  joined: JoinResult;
  self: ReturnType<typeof chooseSelfRule>;
  ctx: FindingContext;
  shareOf: (v: number) => number;
}): Headline {
  const { sf, split, src, joined, self, ctx, shareOf } = a;
  const site = sf.site;
  const whole: Part = { value: site.flat, companion: site.flatCompanion };
  const selfPart: Part = { value: split.self.value, companion: split.self.companion };
  const largest: CallPart | undefined = split.calls[0];
  const callDominates = largest !== undefined && Math.abs(largest.value) >= Math.abs(split.self.value);
  const notes: FindingNote[] = [];
  const noteFor = (r: RuleId, text: string, p: Part): void => {
    const lineShare = site.flat ? Math.abs(p.value / site.flat) : 0;
    if (lineShare >= NOTE_MIN_LINE_SHARE && Math.abs(shareOf(p.value)) >= NOTE_MIN_TOTAL_SHARE) notes.push({ rule: r, text, value: p.value, share: shareOf(p.value) });
  };
  const done = (rule: RuleId | null, part: Part, callee: string | null = null): Headline => ({ rule, part, whole, selfPart, callee, largest, notes });

  if (ctx.inuseView && a.tier === 'hot') return done('large-retained', whole);
  if (!site.userCode) return done('no-user-frame', whole, site.function);
  if (isTestFile(site.file)) return done('test-code', whole);
  // fmt.Sprintf, a Builder or Buffer growing: the statement's rule covers the line and the call together.
  if (callDominates && patternRule(largest.function)) return done(patternRule(largest.function), whole);
  if (callDominates) {
    if (self.rule && !src.stale) {
      const c = adviceContext({ fn: site.function, what: subjectOf(joined, src.statement, site.line), part: selfPart, ctx, primary: joined.primary, cause: self.cause, callee: null, remedy: null, captured: capturedAt(joined) });
      noteFor(self.rule, RULE_MODULES[self.rule].advice(c), selfPart);
    }
    return done('costly-call', { value: largest.value, companion: largest.companion }, largest.function);
  }
  if (src.stale) return done(null, whole);
  const rule = self.rule ?? (sf.relFile !== null && !ctx.compiled(sf.relFile) ? 'no-escape-info' : null);
  const part = rule === 'fmt-boxing' && largest && isFmtCallee(largest.function) ? whole : split.calls.length > 0 ? selfPart : whole;
  if (largest && part !== whole) {
    const callPart = { value: largest.value, companion: largest.companion };
    const c = adviceContext({ fn: site.function, what: `\`${shortFunctionName(largest.function)}\``, part: callPart, ctx, primary: null, cause: null, callee: largest.function, remedy: callRemedy({ callee: largest.function, statement: src.statement?.text ?? null }), captured: [] });
    noteFor('costly-call', RULE_MODULES['costly-call'].advice(c), callPart);
  }
  return done(rule, part);
}

/** The one sentence: the headline rule's words, or why no rule was drawn. */
function writeAdvice(a: {
  sf: SiteFacts;
  src: SiteSource;
  joined: JoinResult;
  self: ReturnType<typeof chooseSelfRule>;
  headline: Headline;
  calls: CallCost[];
  ctx: FindingContext;
}): string {
  const { sf, src, joined, self, headline, calls, ctx } = a;
  const site = sf.site;
  const { rule, part, whole, callee, largest } = headline;
  const statement = src.statement;
  const what = rule === 'costly-call' || rule === 'no-user-frame' ? `\`${shortFunctionName(callee ?? site.function)}\`` : subjectOf(joined, statement, site.line);
  const remedy = rule === 'costly-call' && callee ? callRemedy({ callee, statement: statement?.text ?? null }) : null;
  const generatedNote = rule === 'costly-call' && calls[0]?.generated ? ' (generated code: change the call, or what the generator is given)' : '';
  const actx = adviceContext({
    fn: site.function,
    what,
    part,
    ctx,
    primary: joined.primary,
    cause: self.cause,
    callee,
    remedy: remedy ? remedy + generatedNote : generatedNote ? `call it less often${generatedNote}` : null,
    captured: capturedAt(joined),
    expressionKind: joined.expression?.kind ?? null,
    statementKind: statement?.kind ?? null,
    closureAssigns: joined.primary !== null && joined.file !== null && (ctx.index.capturedAssigned.get(joined.file)?.has(joined.primary.subject) ?? false),
    captureWidth: joined.primary !== null && joined.file !== null ? (ctx.index.captureWidth.get(joined.file)?.get(joined.primary.subject) ?? null) : null,
    inMethod: /^\(?\*?[A-Za-z_]\w*(?:\[[^\]]*\])?\)?\.[A-Za-z_]/.test(compilerFunctionName(site.function)),
    elementOf: self.cause?.kind === 'stored' ? elementContainer(statement, src.parsed) : null,
    keptAs: keptAs(self.cause, statement, src.lines),
    patternCallee: part === whole && largest && patternRule(largest.function) ? largest.function : null,
  });
  let advice: string;
  if (rule) advice = RULE_MODULES[rule].advice(actx);
  else if (src.stale) advice = `The source under --src does not match the profile at this site (${src.source.reason}), so no rule is drawn from it; check out the revision the binary was built from (\`go version -m BINARY\` shows vcs.revision).`;
  else if (joined.primary) advice = `${what} in ${shortFunctionName(site.function)} allocates ${actx.cost}; the compiler says: ${joined.primary.message}${joined.primary.reasons.length ? ` (${joined.primary.reasons.join(', ')})` : ''}, and no rule fits that.`;
  else advice = `${what} in ${shortFunctionName(site.function)} allocates ${actx.cost}; no compiler finding lies in an allocating expression of this statement.`;
  if (sf.oneOff) advice += ' It is a single large allocation, not churn: leave it unless it happens per request.';
  return advice;
}

/** How a stored value is kept, from its cause: the shape of the target the flow names. */
function keptAs(cause: EscapeCause | null, st: StatementInfo | null, lines: string[] | null): AdviceContext['keptAs'] {
  if (!cause) return null;
  if (cause.kind === 'sent') return 'sent';
  if (cause.kind !== 'stored') return null;
  // `if x.f == nil { x.f = make(...) }`: made once per object, lazily.
  if (cause.target && st && lines) {
    const above = lines[st.span.start.line - 2] ?? '';
    const re = new RegExp(`\\bif\\s+${cause.target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*==\\s*nil\\b`);
    if (re.test(above)) return 'lazy';
  }
  if (cause.expr && /^append\(/.test(cause.expr.trim())) return 'appended';
  const t = cause.target;
  if (!t) return null;
  if (/^&|\{/.test(t)) return 'holder';
  if (/\]$/.test(t)) return 'element';
  if (/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(t)) return 'field';
  return null;
}

/**
 * `matrix[i][j] = make(...)` where `matrix` is made in this function and `i`
 * is a loop variable: one allocation per element, which one backing array
 * would replace. Returns the container's name.
 */
function elementContainer(st: StatementInfo | null, parsed: GoFile | null): string | null {
  if (!st || !parsed || st.assigned.length !== 1) return null;
  const m = /^([A-Za-z_]\w*)((?:\[[A-Za-z_]\w*\])+)$/.exec(st.assigned[0]);
  if (!m) return null;
  const line = st.span.start.line;
  const container = parsed.declarationOf(m[1], line);
  if (!container || (container.kind !== 'short' && container.kind !== 'var')) return null;
  const indexes = [...m[2].matchAll(/\[([A-Za-z_]\w*)\]/g)].map((x) => x[1]);
  const loopVar = indexes.every((v) => {
    const d = parsed.declarationOf(v, line);
    return d !== null && (d.kind === 'range' || (d.kind === 'short' && /\bfor\b/.test(lineText(parsed, d.line))));
  });
  return loopVar ? m[1] : null;
}

function lineText(parsed: GoFile, line: number): string {
  return parsed.statementAt(line)?.text.split('\n')[0] ?? '';
}

/**
 * The statement at a line in the site's own function: a line may also hold
 * statements of a func literal's body (`append(hs, func(p *T) { kept = p })`),
 * which belong to the closure (`F.func1`), not to F.
 */
function statementOf(parsed: GoFile, line: number, profileFunction: string): StatementInfo | null {
  const all = parsed.statementsAt(line);
  if (all.length <= 1) return all[0] ?? parsed.statementAt(line);
  const name = compilerFunctionName(profileFunction).replace(/\[.*?\]/g, '[...]');
  const own = all.filter((st) => st.func.name === name || st.func.name.replace(/\[.*?\]/g, '[...]') === name);
  if (own.length > 0) return own[0];
  // Otherwise the outermost: the statement whose span holds the others.
  return all.reduce((a, b) => (spanLength(b) > spanLength(a) ? b : a));
}

function spanLength(st: StatementInfo): number {
  return (st.span.end.line - st.span.start.line) * 100000 + (st.span.end.column - st.span.start.column);
}

function capturedAt(joined: JoinResult): string[] {
  const out = new Set<string>(joined.expression?.captures ?? []);
  for (const e of joined.related) if (e.kind === 'moved-to-heap' && e.reasons.includes('captured by a closure')) out.add(e.subject);
  return [...out];
}

function toRef(f: EscapeFinding): Finding['escapes'][number] {
  return { line: f.line, column: f.column, kind: f.kind, subject: f.subject, reasons: [...f.reasons], message: f.message };
}

