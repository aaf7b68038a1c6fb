// The rule catalogue: every piece of advice the engine can give, with a
// stable id, one module per rule under rules/. Reports, SARIF rule
// descriptors and the README table are all generated from this one table, so
// the wording lives in exactly one place.
import type { Rule, RuleId } from '../model/report.js';
import { costlyCall, largeRetained, noEscapeInfo, noUserFrame, testCode } from './rules/calls.js';
import { closureCapture, methodValue, storedClosure } from './rules/closure-capture.js';
import { fmtBoxing, interfaceBoxing, variadicBoxing } from './rules/boxing.js';
import { bytesStringConversion, channelMake, inherentCopy, mapGrowth, sliceGrowth, stringConcat } from './rules/growth.js';
import { leakingParam, nonconstantMake, opaqueCall, tooLargeForStack } from './rules/make.js';
import { returnedBuffer, returnPointer, storedValue } from './rules/return-pointer.js';
import type { RuleModule } from './rules/types.js';

export type { AdviceContext, Assumption, GoVersion, RuleModule } from './rules/types.js';

const MODULES: RuleModule[] = [
  returnPointer,
  returnedBuffer,
  storedValue,
  closureCapture,
  storedClosure,
  methodValue,
  interfaceBoxing,
  fmtBoxing,
  variadicBoxing,
  nonconstantMake,
  tooLargeForStack,
  opaqueCall,
  leakingParam,
  sliceGrowth,
  mapGrowth,
  stringConcat,
  bytesStringConversion,
  inherentCopy,
  channelMake,
  costlyCall,
  largeRetained,
  testCode,
  noUserFrame,
  noEscapeInfo,
];

/** Order in which rules are listed (README table, SARIF descriptors). */
export const RULE_ORDER: RuleId[] = MODULES.map((m) => m.id);

/** The rule modules by id: catalogue text, estimate assumption and advice wording. */
export const RULE_MODULES = Object.fromEntries(MODULES.map((m) => [m.id, m])) as Record<RuleId, RuleModule>;

/** The catalogue entries (what reports and SARIF show), by id. */
export const RULES: Record<RuleId, Rule> = Object.fromEntries(
  MODULES.map((m) => [m.id, { id: m.id, title: m.title, trigger: m.trigger, fix: m.fix, before: m.before, after: m.after, whenNot: m.whenNot }]),
) as Record<RuleId, Rule>;

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
