// Rules files written to break the reader: numbers past what a double holds (YAML's 1e400 and
// .inf read as Infinity), and label names JavaScript treats specially. Each is refused naming
// the field and what it takes, never "Invalid input" and never silently dropped.
import { describe, expect, it } from 'vitest';
import { validateRulesText } from '../../../shared/rulesText';

const RULE = `rules:
  - name: r
    description: d
    severity: warning
    metric: decline_rate
    window: 1m
`;

function issues(text: string): string[] {
  const v = validateRulesText(text, 'yaml');
  return v.ok ? [] : v.issues.map((i) => i.text);
}

describe('numbers past a double', () => {
  it.each(['1e400', '.inf', '-.inf'])('a threshold of %s names what a threshold is', (n) => {
    expect(issues(`${RULE}    condition: { above: ${n} }\n`)).toEqual(['rule "r" (rules[0]) field condition.above: must be a finite number, or a percentage such as "10%"']);
  });

  it.each(['1e400', '.inf'])('a duration of %s names what a duration is', (n) => {
    expect(issues(`${RULE}    condition: { above: 10% }\n    for: ${n}\n`)).toEqual(['rule "r" (rules[0]) field for: must be a duration like 30s, 5m, 1h30m (or a number of seconds)']);
    expect(issues(`rules: []\npolicies:\n  - { contactPoint: desktop, groupWait: ${n} }\n`)).toEqual(['policies[0].groupWait: must be a duration like 30s, 5m, 1h30m (or a number of seconds)']);
  });

  it('a burn-rate objective of .inf names what an objective is', () => {
    expect(issues(`rules: []\nburnRates:\n  - { name: s, objective: .inf }\n`)).toEqual(['burnRates[0].objective: must be a number or a percentage such as "97%"']);
  });
});

describe('label names', () => {
  it.each(['__proto__', '__name__'])('a rule label named %s is refused as reserved (__proto__ was dropped without a word)', (name) => {
    expect(issues(`${RULE}    condition: { above: 10% }\n    labels: { team: pay, ${name}: x }\n`)).toEqual([
      `rule "r" (rules[0]) field labels.${name}: label names starting with __ are reserved (as in Prometheus)`,
    ]);
  });

  it('so is one on a burn-rate rule', () => {
    expect(issues(`rules: []\nburnRates:\n  - { name: s, objective: 99%, labels: { __proto__: x } }\n`)).toEqual(['burnRates[0].labels.__proto__: label names starting with __ are reserved (as in Prometheus)']);
  });

  it('constructor and toString are ordinary label names', () => {
    const v = validateRulesText(`${RULE}    condition: { above: 10% }\n    labels: { constructor: x, toString: y }\n`, 'yaml');
    expect(v.ok && v.rules[0].labels).toEqual({ constructor: 'x', toString: 'y' });
  });
});
