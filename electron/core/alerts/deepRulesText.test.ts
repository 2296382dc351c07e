// A rules text nested thousands of levels deep ([[[[...]]]], pasted or hostile): the YAML reader
// recursed until the stack ran out, and 500 KB of brackets took 11.5 s to refuse, freezing the
// rule editor (it validates as the operator types) and the engine's rules.save. Refused now
// before parsing, naming the line; ordinary flow lists, brackets in text and quotes still read.
import { describe, expect, it } from 'vitest';
import { validateRulesText } from '../../../shared/rulesText';
import { parseRulesText } from './loadRulesFile';

const DEPTH = 200_000;
const deep = `rules:\n  - ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`;

describe('deeply nested rules text', () => {
  it('is refused at once, naming the line, by the editor validation and the file loader', () => {
    const started = performance.now();
    const v = validateRulesText(deep, 'yaml');
    expect(v.ok ? [] : v.issues.map((i) => [i.text, i.line])).toEqual([['rules file: nested more than 64 levels deep at line 2: a rules file needs a few', 2]]);
    expect(() => parseRulesText(deep, 'yaml')).toThrow(/nested more than 64 levels deep at line 2/);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('brackets inside quotes, comments and text do not count; a real file reads', () => {
    const text = `rules:
  - name: r # see [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
    description: "${'['.repeat(100)} in quotes" 
    runbookUrl: docs/r.md
    severity: warning
    metric: decline_rate
    window: 1m
    condition: { above: 10% }
    labels: { note: 'it''s ${'{'.repeat(100)}' }
policies:
  - { contactPoint: desktop, matchers: ['merchant=~"m_[0-9]+"', "{severity='x'}"] }
`;
    const v = validateRulesText(text.replace("\"{severity='x'}\"", '\'{severity="critical"}\''), 'yaml');
    expect(v.ok ? v.rules.map((r) => r.name) : v.issues.map((i) => i.text)).toEqual(['r']);
  });
});
