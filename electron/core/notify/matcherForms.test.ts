// The matcher forms an Alertmanager config holds: one matcher, several separated by commas, in
// braces or not, values quoted or not. What it does not read is refused naming what is wrong,
// never read as something else (`a="x", b="y"` was one matcher on a with the value `x", b="y`).
import { describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';
import { NotificationRouter } from './router';

function compiled(matchers: string[]) {
  return validateRouting({
    contactPoints: [{ name: 'pay', type: 'webhook', url: 'http://127.0.0.1:9/hook' }],
    policies: [{ contactPoint: 'pay', matchers }],
  });
}

function matchersOf(...texts: string[]) {
  const v = compiled(texts);
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config.policies[0].matchers;
}

function problemOf(text: string): string {
  const v = compiled([text]);
  return v.ok ? 'accepted' : v.issues.map((i) => i.text).join('\n');
}

const critical = [{ label: 'severity', op: '=', value: 'critical' }];

describe('matcher forms Alertmanager accepts', () => {
  it('the brace form {severity="critical"} (was refused: not a matcher)', () => {
    expect(matchersOf('{severity="critical"}')).toEqual(critical);
    expect(matchersOf('{ severity = critical }')).toEqual(critical);
  });

  it('several matchers in one entry, with or without braces, a trailing comma allowed', () => {
    const both = [
      { label: 'severity', op: '=', value: 'critical' },
      { label: 'team', op: '=~', value: 'pay.*' },
    ];
    expect(matchersOf('severity="critical", team=~"pay.*"')).toEqual(both);
    expect(matchersOf('{severity="critical",team=~"pay.*",}')).toEqual(both);
    expect(matchersOf('severity="critical"', 'team=~"pay.*"')).toEqual(both);
  });

  it('a comma or a brace inside a quoted value is part of the value', () => {
    expect(matchersOf('merchant="a,b}"')).toEqual([{ label: 'merchant', op: '=', value: 'a,b}' }]);
    expect(matchersOf('{merchant=~"m_(1|2),x", severity!="info"}')).toEqual([
      { label: 'merchant', op: '=~', value: 'm_(1|2),x' },
      { label: 'severity', op: '!=', value: 'info' },
    ]);
  });

  it('routes on every matcher of a brace entry', () => {
    const v = compiled(['{severity="critical", team=~"pay.*"}']);
    if (!v.ok) throw new Error('refused');
    const router = new NotificationRouter(v.config);
    expect(router.routesFor({ severity: 'critical', team: 'payments' })[0].contactPoint.name).toBe('pay');
    expect(router.routesFor({ severity: 'critical', team: 'risk' })[0].contactPoint.name).toBe('desktop');
  });
});

describe('matcher text Alertmanager does not read is refused, saying what is wrong', () => {
  it.each([
    ['{severity="critical"', 'opens { without a closing }'],
    ['severity="critical"}', 'closes } without an opening {'],
    ['severity="critical', 'the quoted value of severity is not closed'],
    ['severity="a", team="pay', 'the quoted value of team is not closed'],
    ['severity="crit"ical"', 'unescaped double quote in the value of severity: write \\" for a quote inside a quoted value'],
    ['severity=crit"ical', 'unescaped double quote in the value of severity: write \\" for a quote inside a quoted value'],
    ['severity', 'not a matcher: no operator (write label=value, label!=value, label=~regex or label!~regex)'],
    ['1severity=critical', '"1severity" is not a label name (letters, digits and _, not starting with a digit)'],
    ['severity==critical', 'the value of severity starts with "=": one operator too many? quote the value if it starts with ='],
    ['severity=critical,,team=pay', 'an empty matcher between two commas'],
    ['', 'empty: write a matcher such as severity=critical'],
  ])('%s', (text, problem) => {
    expect(problemOf(text)).toBe(`policies[0].matchers[0]: ${JSON.stringify(text)}: ${problem}`);
  });

  it('a bad regex still names the matcher and the RE2 error', () => {
    expect(problemOf('{merchant=~"(m_1"}')).toMatch(/^policies\[0\]\.matchers\[0\]: matcher merchant=~"\(m_1": not a valid regular expression/);
  });
});
