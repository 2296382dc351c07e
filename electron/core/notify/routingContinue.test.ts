// `continue` as Alertmanager reads it from YAML: go-yaml's booleans (true/false, yes/no, on/off)
// on a policy, and refused on the default policy (Alertmanager: "cannot have continue in root
// route"), where it would be silently meaningless.
import { describe, expect, it } from 'vitest';
import { validateRulesText } from '../../../shared/rulesText';
import { parseRoutingText } from '../alerts/loadRulesFile';
import { NotificationRouter } from './router';

const HEAD = `rules: []
contactPoints:
  - { name: oncall, type: webhook, url: 'http://127.0.0.1:9/oncall' }
  - { name: team, type: webhook, url: 'http://127.0.0.1:9/team' }
`;

function routing(yaml: string) {
  const v = validateRulesText(HEAD + yaml, 'yaml');
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.routing;
}

function issuesOf(yaml: string): string[] {
  const v = validateRulesText(HEAD + yaml, 'yaml');
  return v.ok ? [] : v.issues.map((i) => i.text);
}

const critical = { alertname: 'approval-drop', severity: 'critical', merchant: 'm_1' };

describe('continue on a notification policy', () => {
  it.each(['yes', 'Yes', 'on', 'true', 'TRUE'])('continue: %s sends the alert on to the next matching policy too (was refused: expected boolean)', (word) => {
    const r = routing(`policies:
  - { contactPoint: oncall, matchers: ['severity=critical'], continue: ${word} }
  - { contactPoint: team, matchers: ['merchant=m_1'] }
`);
    expect(new NotificationRouter(r).routesFor(critical).map((p) => p.contactPoint.name)).toEqual(['oncall', 'team']);
  });

  it.each(['no', 'off', 'false'])('continue: %s stops at the first match', (word) => {
    const r = routing(`policies:
  - { contactPoint: oncall, matchers: ['severity=critical'], continue: ${word} }
  - { contactPoint: team, matchers: ['merchant=m_1'] }
`);
    expect(new NotificationRouter(r).routesFor(critical).map((p) => p.contactPoint.name)).toEqual(['oncall']);
  });

  it('a word that is not a boolean is refused, naming the field and what it takes', () => {
    expect(issuesOf(`policies:\n  - { contactPoint: oncall, continue: maybe }\n`)).toEqual(['policies[0].continue: must be true or false (yes/no and on/off are read as in Alertmanager)']);
  });

  it('continue on the default policy is refused, as Alertmanager refuses it on the root route (it was accepted and ignored)', () => {
    expect(issuesOf(`defaultPolicy: { contactPoint: team, continue: true }\n`)).toEqual([
      'defaultPolicy.continue: the default policy takes the alerts no policy takes: it has nothing to continue to (Alertmanager refuses continue on its root route)',
    ]);
    expect(issuesOf(`defaultPolicy: { contactPoint: team, continue: false }\n`)).toEqual([]);
  });

  it('sendResolved reads yes/no the same way', () => {
    const v = validateRulesText(`rules: []\ncontactPoints:\n  - { name: team, type: webhook, url: 'http://127.0.0.1:9/team', sendResolved: no }\n`, 'yaml');
    expect(v.ok ? v.routing.contactPoints.find((c) => c.name === 'team')!.sendResolved : v.issues.map((i) => i.text)).toBe(false);
  });

  // Before: a quoted "yes" (a string in YAML, refused by Alertmanager's go-yaml) was read as true.
  it.each([
    ['continue', `policies:\n  - { contactPoint: oncall, continue: "yes" }\n`, 'policies[0].continue', 'yes'],
    ['continue', `policies:\n  - contactPoint: oncall\n    continue: 'on'\n`, 'policies[0].continue', 'on'],
    ['continue', `policies:\n  - { contactPoint: oncall, continue: "true" }\n`, 'policies[0].continue', 'true'],
    ['continue', `defaultPolicy: { contactPoint: team, continue: 'false' }\n`, 'defaultPolicy.continue', 'false'],
    ['sendResolved', `contactPoints:\n  - { name: pager, type: webhook, url: 'http://127.0.0.1:9/p', sendResolved: "no" }\n`, 'contactPoints[0].sendResolved', 'no'],
  ])('a quoted %s value is a string, refused naming the field (%#)', (_field, yaml, at, word) => {
    const text = yaml.startsWith('contactPoints') ? HEAD.replace('contactPoints:\n', yaml) : HEAD + yaml;
    const v = validateRulesText(text, 'yaml');
    expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual([
      `${at}: must be true or false, not the string "${word}" (quoted, YAML reads a string, and Alertmanager refuses it): write it without quotes`,
    ]);
    expect(() => parseRoutingText(text, 'yaml')).toThrow(`${at}: must be true or false, not the string "${word}"`);
  });

  it('the same words in JSON are strings too; unquoted in YAML they stay booleans, and a label value "yes" stays a string', () => {
    const json = JSON.stringify({ rules: [], contactPoints: [{ name: 'team', type: 'webhook', url: 'http://127.0.0.1:9/team', sendResolved: 'yes' }] });
    const v = validateRulesText(json, 'json');
    expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual(['contactPoints[0].sendResolved: must be true or false, not the string "yes" (quoted, YAML reads a string, and Alertmanager refuses it): write it without quotes']);
    const r = routing(`policies:\n  - { contactPoint: oncall, matchers: ['severity=critical'], continue: yes }\n  - { contactPoint: team, matchers: ['merchant=m_1'] }\n`);
    expect(r.policies[0].continue).toBe(true);
    const labelled = validateRulesText(`rules:\n  - { name: r, description: d, severity: info, metric: decline_rate, condition: { above: 10% }, window: 1m, labels: { continue: yes, sendResolved: "no" } }\n`, 'yaml');
    expect(labelled.ok ? labelled.rules[0].labels : labelled.issues.map((i) => i.text)).toEqual({ continue: 'yes', sendResolved: 'no' });
  });

  it('a rule\'s enabled takes no quoted "true" either', () => {
    const v = validateRulesText(`rules:\n  - { name: r, description: d, severity: info, metric: decline_rate, condition: { above: 10% }, window: 1m, enabled: "true" }\n`, 'yaml');
    expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual(['rule "r" (rules[0]) field enabled: must be true or false']);
  });
});
