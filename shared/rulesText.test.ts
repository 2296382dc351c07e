import { describe, expect, it } from 'vitest';
import { issueText, rulesFormatOfName, validateRulesText } from './rulesText';

const bad = `version: 1
rules:
  - name: a
    description: x
    severity: critical
    metric: decline_rate
    condition:
      above: 15%
    window: 20s
  - name: b
    description: y
    severity: bad
    metric: decline_rate
    condition:
      above: 15%
    window: 20x
    bogus: 1
  - name: c
    severity: warning
    metric: decline_rate
    condition: {above: 1}
    window:
`;

describe('validateRulesText', () => {
  it('accepts a valid YAML and JSON rule set', () => {
    const yaml = 'rules:\n  - name: a\n    description: x\n    severity: info\n    metric: throughput\n    condition: {below: 1}\n    window: 1m\n';
    const r = validateRulesText(yaml, 'yaml');
    expect(r.ok).toBe(true);
    expect(r.rules?.[0].windowMs).toBe(60_000);
    const j = validateRulesText(JSON.stringify({ rules: [{ name: 'a', description: 'x', severity: 'info', metric: 'throughput', condition: { below: 1 }, window: '1m' }] }), 'json');
    expect(j.ok).toBe(true);
  });

  it('names the rule, the field and the line of every problem', () => {
    const r = validateRulesText(bad, 'yaml');
    expect(r.ok).toBe(false);
    const texts = r.issues.map(issueText);
    expect(texts).toContain('line 12: rule "b" (rules[1]) field severity: must be critical, warning or info');
    expect(texts.find((t) => t.includes('field window:') && t.includes('"b"'))).toMatch(/^line 16: .*duration/);
    expect(texts).toContain('line 17: rule "b" (rules[1]) field bogus: unknown field');
    expect(texts.find((t) => t.includes('"c"') && t.includes('description'))).toMatch(/^line 18: rule "c" \(rules\[2\]\) field description: is required/);
    expect(texts.find((t) => t.includes('"c"') && t.includes('field window'))).toMatch(/^line 22: /);
  });

  it('reports syntax errors with their line, and JSON errors', () => {
    const r = validateRulesText('rules: [\n  - {name: a\n', 'yaml');
    expect(r.ok).toBe(false);
    expect(r.issues[0].text).toMatch(/^rules file: not valid YAML at line \d+/);
    expect(validateRulesText('{', 'json').issues[0].text).toMatch(/not valid JSON/);
    expect(validateRulesText('nothing: here', 'yaml').issues[0].text).toMatch(/must be a list of rules/);
    expect(validateRulesText('rules: []\nextra: 1', 'yaml').issues[0]).toMatchObject({ field: 'extra', line: 2 });
  });

  it('knows formats by file name', () => {
    expect(rulesFormatOfName('/x/rules.YML')).toBe('yaml');
    expect(rulesFormatOfName('r.json')).toBe('json');
    expect(rulesFormatOfName('r.txt')).toBeNull();
  });
});
