// `continue` as Alertmanager reads it from YAML: go-yaml's booleans (true/false, yes/no, on/off)
// on a policy, and refused on the default policy (Alertmanager: "cannot have continue in root
// route"), where it would be silently meaningless.
import { describe, expect, it } from 'vitest';
import { validateRulesText } from '../../../shared/rulesText';
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
});
