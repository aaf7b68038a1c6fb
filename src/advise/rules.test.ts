import { describe, expect, it } from 'vitest';
import { RULES, RULE_ORDER, renderRuleTableMarkdown } from './rules.js';

describe('rule catalogue', () => {
  it('lists every rule once, keyed by its own id', () => {
    expect(new Set(RULE_ORDER).size).toBe(RULE_ORDER.length);
    expect([...RULE_ORDER].sort()).toEqual(Object.keys(RULES).sort());
    for (const [key, rule] of Object.entries(RULES)) expect(rule.id).toBe(key);
  });

  it('gives each rule a one-sentence fix and Go before/after snippets', () => {
    for (const id of RULE_ORDER) {
      const r = RULES[id];
      for (const field of [r.title, r.trigger, r.fix, r.before, r.after, r.whenNot]) expect(field.trim()).not.toBe('');
      // One sentence: a single full stop, at the end (dots inside code like sync.Pool do not count).
      expect(r.fix.replace(/\b\w+\.\w+/g, 'x').match(/\.(\s|$)/g) ?? []).toHaveLength(1);
      expect(r.fix.endsWith('.')).toBe(true);
      expect(r.before).not.toBe(r.after);
    }
  });

  it('renders the README table with one row per rule, in order, with pipes escaped', () => {
    const md = renderRuleTableMarkdown();
    const rows = md.trimEnd().split('\n');
    expect(rows[0]).toBe('| Rule | Pattern | Fix | Leave it when |');
    expect(rows).toHaveLength(2 + RULE_ORDER.length);
    RULE_ORDER.forEach((id, i) => {
      expect(rows[2 + i].startsWith(`| \`${id}\` |`)).toBe(true);
      // Exactly 5 unescaped pipes: 4 columns.
      expect(rows[2 + i].replace(/\\\|/g, '').match(/\|/g)).toHaveLength(5);
    });
  });
});
