import { describe, expect, it } from 'vitest';
import { parseMatcher, secretEnvName, urlHoldsCredential, validateRouting } from './notificationConfig';
import { validateRulesText } from './rulesText';

const TOKEN_URL = 'https://hooks.example.com/services/T0001/B0002/XyZ123secretTOKEN456';

describe('routing sections of a rules file', () => {
  it('parses contact points, policies, mute timings, inhibition and burn rates with defaults', () => {
    const v = validateRouting({
      contactPoints: [
        { name: 'oncall-hook', type: 'webhook', urlSecret: 'oncall-hook' },
        { name: 'team-chat', type: 'slack', urlSecret: 'team-chat', timeout: '2s', maxAttempts: 4, maxAlerts: 50 },
        { name: 'desk', type: 'desktop' },
      ],
      policies: [{ contactPoint: 'oncall-hook', matchers: ['severity=critical', 'merchant=~"m_1.*"'], groupBy: ['alertname'], continue: true, muteTimings: ['nightly'] }],
      defaultPolicy: { contactPoint: 'desk' },
      muteTimings: [{ name: 'nightly', timeIntervals: [{ times: [{ start: '23:30', end: '01:00' }], weekdays: ['friday:monday'] }] }],
      inhibitRules: [{ sourceMatchers: ['alertname=traffic-stopped'], targetMatchers: ['severity!=info'] }],
      burnRates: [{ name: 'approval-slo', objective: '97%', groupBy: 'merchant', minVolume: 100 }],
    });
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const c = v.config;
    expect(c.contactPoints.map((p) => [p.name, p.type, p.timeoutMs, p.maxAttempts, p.maxAlerts])).toEqual([
      ['oncall-hook', 'webhook', 5000, 3, 0],
      ['team-chat', 'slack', 2000, 4, 50],
      ['desk', 'desktop', 5000, 3, 0],
      ['desktop', 'desktop', 10000, 1, 0],
    ]);
    expect(c.policies[0].matchers).toEqual([
      { label: 'severity', op: '=', value: 'critical' },
      { label: 'merchant', op: '=~', value: 'm_1.*' },
    ]);
    expect(c.policies[0]).toMatchObject({ groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3600_000, continue: true });
    expect(c.muteTimings[0].intervals[0]).toEqual({ times: [{ startMin: 1410, endMin: 60 }], weekdays: [5, 6, 0, 1], location: 'UTC' });
    expect(c.burnRates[0]).toMatchObject({ objective: 0.97, sli: 'approval', groupBy: 'merchant', minVolume: 100, periodMs: 30 * 86400_000 });
    expect(c.burnRates[0].windows.map((w) => [w.severity, w.factor, w.longMs / 60_000, w.shortMs / 60_000])).toEqual([
      ['critical', 14.4, 60, 5],
      ['warning', 6, 360, 30],
    ]);
  });

  it('refuses a URL holding a token in the file, without repeating the URL in the message', () => {
    const v = validateRouting({ contactPoints: [{ name: 'hook', type: 'webhook', url: TOKEN_URL }] });
    expect(v.ok).toBe(false);
    const text = JSON.stringify(v);
    expect(text).toContain('contactPoints[0].url: holds a token or credential: keep it in the secret store and write urlSecret');
    expect(text).not.toContain('secretTOKEN');
    expect(urlHoldsCredential('https://user:pw@example.com/hook')).toBe(true);
    expect(urlHoldsCredential('https://example.com/hook?token=abc')).toBe(true);
    expect(urlHoldsCredential('http://127.0.0.1:8080/alerts')).toBe(false);
  });

  it('refuses a Slack incoming webhook URL written in the file, whatever the length of its token', () => {
    // Every path under hooks.slack.com is a token (T…/B…/…): a short one must not pass as public.
    const url = 'https://hooks.slack.com/services/T000/B000/shortTOKEN1';
    const v = validateRouting({ contactPoints: [{ name: 'chat', type: 'slack', url }], defaultPolicy: { contactPoint: 'chat' } });
    expect(v.ok).toBe(false);
    expect(JSON.stringify(v)).toContain('contactPoints[0].url: holds a token or credential');
    expect(JSON.stringify(v)).not.toContain('shortTOKEN1');
    expect(urlHoldsCredential('https://HOOKS.SLACK.COM/services/T0/B0/x')).toBe(true);
  });

  it('refuses Discord, Teams and Google Chat webhook URLs written in the file, whatever their token looks like', () => {
    // Their path (Discord, Teams) or query (Google Chat key= and token=) is the credential: a
    // token with no digit, or a GUID of letters, must not pass as a public URL.
    const tokens: [url: string, secret: string][] = [
      ['https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz_-AbCdEfGhIjKlMnOpQrStUvWxYz_-AbCdEfGhIjKl', 'AbCdEfGhIjKl'],
      ['https://discordapp.com/api/webhooks/1/shortSecretA', 'shortSecretA'],
      ['https://canary.discord.com/api/v10/webhooks/1/shortSecretB', 'shortSecretB'],
      ['https://Discord.com./api/webhooks/1/shortSecretC', 'shortSecretC'],
      ['https://contoso.webhook.office.com/webhookb2/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee@ffffffff-aaaa-bbbb-cccc-dddddddddddd/IncomingWebhook/abcdefabcdef/aaaaaaaa', 'abcdefabcdef'],
      ['https://outlook.office.com/webhook/aaaa@bbbb/IncomingWebhook/shortSecretD/dddd', 'shortSecretD'],
      ['https://chat.googleapis.com/v1/spaces/AAAA/messages?key=KEYVALUE&token=TOKENVALUE', 'TOKENVALUE'],
    ];
    for (const [url, secret] of tokens) {
      expect(urlHoldsCredential(url), url).toBe(true);
      const v = validateRouting({ contactPoints: [{ name: 'hook', type: 'webhook', url }] });
      expect(v.ok, url).toBe(false);
      expect(JSON.stringify(v)).toContain('contactPoints[0].url: holds a token or credential');
      expect(JSON.stringify(v)).not.toContain(secret);
    }
    // The same hosts' other pages are no webhooks.
    expect(urlHoldsCredential('https://discord.com/developers/docs/resources/webhook')).toBe(false);
    expect(urlHoldsCredential('https://outlook.office.com/mail')).toBe(false);
  });

  it('refuses two urlSecret names that share one PAYOPS_SECRET_ variable (one team would page through the other\'s hook)', () => {
    const hooks = (a: string, b: string) =>
      validateRouting({
        contactPoints: [
          { name: 'team-a', type: 'webhook', urlSecret: a },
          { name: 'team-b', type: 'slack', urlSecret: b },
        ],
      });
    for (const [a, b] of [['pay-hook', 'pay_hook'], ['pay-hook', 'PAY-HOOK'], ['pay.hook', 'pay-hook']]) {
      const v = hooks(a, b);
      expect(v.ok).toBe(false);
      expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual([
        `contactPoints[1].urlSecret: secrets "${a}" (contactPoints[0]) and "${b}" both read the environment variable PAYOPS_SECRET_PAY_HOOK in headless runs; rename one so each has its own`,
      ]);
    }
    // One secret named by two contact points is one hook, shared on purpose.
    expect(hooks('pay-hook', 'pay-hook').ok).toBe(true);
    expect(hooks('pay-hook', 'pay-hook2').ok).toBe(true);
    expect(secretEnvName('oncall-hook')).toBe('PAYOPS_SECRET_ONCALL_HOOK');
  });

  it('names each problem by section, entry and field, also through the rules editor validation', () => {
    const yaml = [
      'rules: []',
      'contactPoints:',
      '  - { name: a, type: pager, url: "http://x/" }',
      'policies:',
      '  - { contactPoint: nobody, matchers: ["severity critical"], muteTimings: [never] }',
    ].join('\n');
    const v = validateRulesText(yaml, 'yaml');
    expect(v.ok).toBe(false);
    expect(v.issues.map((i) => i.text)).toEqual([
      'contactPoints[0].type: must be webhook, slack or desktop',
      'policies[0].contactPoint: no contact point named "nobody"',
      'policies[0].muteTimings[0]: no mute timing named "never"',
      'policies[0].matchers[0]: "severity critical": not a matcher: no operator (write label=value, label!=value, label=~regex or label!~regex)',
    ]);
  });

  it('refuses a burn-rate window whose factor the objective can never reach (more than every attempt bad)', () => {
    // A 90 % objective is a 10 % budget: burning 14.4x would take 144 % of attempts bad, so the
    // default page pair could never fire; 6x (60 % bad) can.
    const v = validateRouting({ burnRates: [{ name: 'approval-slo', objective: '90%' }] });
    expect(v.ok).toBe(false);
    expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual([
      'burnRates[0].windows[0]: factor 14.4 can never be reached with a 90 % objective: when every attempt is bad the burn rate is 10x; write windows with a factor of at most 10',
    ]);
    const ok = validateRouting({ burnRates: [{ name: 'approval-slo', objective: '90%', windows: [{ severity: 'critical', factor: 10, long: '1h', short: '5m' }] }] });
    expect(ok.ok).toBe(true);
  });

  it('refuses two burn-rate rules of one name (they would share alerts and history)', () => {
    const v = validateRouting({ burnRates: [{ name: 'approval-slo', objective: '99%' }, { name: 'approval-slo', objective: '99.9%', groupBy: 'merchant' }] });
    expect(v.ok ? [] : v.issues.map((i) => i.text)).toEqual(['burnRates[1].name: duplicates the name of burnRates[0]']);
  });

  it('parses the four matcher operators, quoted or not', () => {
    expect(['a=b', 'a!=b', 'a=~"b.*"', 'a !~ c|d'].map(parseMatcher)).toEqual([
      { label: 'a', op: '=', value: 'b' },
      { label: 'a', op: '!=', value: 'b' },
      { label: 'a', op: '=~', value: 'b.*' },
      { label: 'a', op: '!~', value: 'c|d' },
    ]);
    expect(parseMatcher('no operator')).toBeNull();
  });
});
