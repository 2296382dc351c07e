import { describe, expect, it } from 'vitest';
import { labelRegex, labelRegexProblem, silenceMatcherMatches, silenceMatchersProblem } from './labelMatchers';

describe('label matcher regular expressions (RE2, anchored, as in Alertmanager)', () => {
  it('match the whole value', () => {
    expect(labelRegex('m_1.*').test('m_123')).toBe(true);
    expect(labelRegex('m_1').test('m_123')).toBe(false);
    expect(labelRegex('a|b').test('b')).toBe(true);
    expect(labelRegex('a|b').test('ab')).toBe(false);
    expect(silenceMatcherMatches({ label: 'merchant', op: '!~', value: 'M1.*' }, 'M2000')).toBe(true);
  });

  it('a nested quantifier against a long label value answers at once (JavaScript\'s RegExp backtracks for hours)', () => {
    const value = `${'a'.repeat(60)}b`;
    expect(labelRegex('(a+)+').test(value)).toBe(false);
    expect(silenceMatcherMatches({ label: 'merchant', op: '=~', value: '(a|aa)*' }, value)).toBe(false);
    expect(labelRegex('(a+)+').test('a'.repeat(60))).toBe(true);
  });

  it('refuses what RE2 does not have (look-around, back-references), naming the problem', () => {
    expect(labelRegexProblem('(?=m_)m.*')).toMatch(/invalid or unsupported Perl syntax/);
    expect(labelRegexProblem('(a)\\1')).toMatch(/escape/);
    expect(labelRegexProblem('m_[')).toMatch(/missing closing \]/);
    expect(silenceMatchersProblem([{ label: 'merchant', op: '=~', value: '(?=m_)m.*' }])).toMatch(
      /^matcher merchant=~"\(\?=m_\)m\.\*": not a valid regular expression \(RE2 syntax, as in Alertmanager\): /,
    );
    expect(labelRegexProblem('m_1.*')).toBeNull();
  });
});
