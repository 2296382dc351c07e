// What an on-call's tools read of an alert: Alertmanager's and Grafana's webhook give each
// alert the rule's annotations (summary, description, runbook_url) and Grafana its value
// (values, valueString). Notifications as the evaluator raises them, sent to a real HTTP
// receiver on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { validateRouting } from '../../../shared/notificationConfig';
import { payments, rule, sec } from '../../../test/support/alertTestKit';
import { startReceiver, type HttpReceiver } from '../../../test/support/httpReceiver';
import { waitFor } from '../../../test/support/waitFor';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import { NotificationHub } from './notificationHub';
import type { AlertmanagerWebhookV4 } from './payloads';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

/** The firing notification of a per-merchant decline rule with a runbook, 20 % of attempts declined. */
function firing(runbookUrl: string, merchant = 'm_1'): AlertNotification {
  const declines = rule({
    name: 'declines',
    description: 'Declines are up: check the issuer status page.',
    runbookUrl,
    metric: 'decline_rate',
    condition: { above: '10%' },
    window: '10s',
    for: '20s',
    groupBy: 'merchant',
    minVolume: 50,
  });
  const e = new AlertEvaluator([declines], null, { allowedLatenessMs: 0 });
  e.observeEvents(payments(0, 60, 100, () => 20, () => ({ merchantId: merchant })));
  const n = e.advanceTo(sec(60)).find((x) => x.kind === 'firing');
  if (!n) throw new Error('the rule did not fire');
  return { ...n, at: Date.now() };
}

function hubTo(receiver: HttpReceiver, type: 'webhook' | 'slack'): NotificationHub {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type, urlSecret: 'oncall', maxAttempts: 1 }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '0s' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const hub = new NotificationHub({ routing: v.config, urls: new ContactPointUrls(null, { [secretEnvName('oncall')]: `${receiver.url}/hook` }), log: () => undefined, dryRun: false });
  open.push({ close: () => hub.stop(0) });
  return hub;
}

describe("a webhook's annotations", () => {
  it('carries the rule’s runbook_url, a description (condition in words, window, basis, then the rule’s own text) and the value in the rule’s unit; summary as before', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const n = firing('https://wiki.example/runbooks/declines#issuer');
    hubTo(receiver, 'webhook').observe(n);
    await waitFor(() => receiver.requests.length === 1, 'the webhook', 10_000);
    const body = receiver.requests[0].body as AlertmanagerWebhookV4;
    const [alert] = body.alerts;
    expect(alert.annotations).toEqual({
      summary: n.summary,
      description: 'decline rate per attempt above 10 % over 10s, for 20s, per merchant, judged from 50 attempts. Declines are up: check the issuer status page.',
      runbook_url: 'https://wiki.example/runbooks/declines#issuer',
    });
    expect(alert.annotations.summary).toMatch(/^FIRING declines: /);
    expect(alert.values).toEqual({ decline_rate: 0.2 });
    expect(alert.valueString).toBe('20 % per attempt');
    // One alert: Alertmanager's commonAnnotations are its annotations.
    expect(body.commonAnnotations).toEqual(alert.annotations);
  });

  it('never sends a login or token written into a runbook URL', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    hubTo(receiver, 'webhook').observe(firing('https://ops:hunter2pw@wiki.example/runbooks/declines?token=tok3nSECRET&x=1'));
    await waitFor(() => receiver.requests.length === 1, 'the webhook', 10_000);
    const text = JSON.stringify(receiver.requests[0].body);
    expect(text).not.toContain('hunter2pw');
    expect(text).not.toContain('tok3nSECRET');
    const [alert] = (receiver.requests[0].body as AlertmanagerWebhookV4).alerts;
    expect(alert.annotations.runbook_url).toBe('https://ops:***@wiki.example/runbooks/declines?token=***&x=1');
  });

  it('a Slack message links the runbook (escaped, its | kept from naming the link) and still escapes the label values', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const hub = hubTo(receiver, 'slack');
    hub.observe(firing('https://wiki.example/run|books?a=1&b=<2>', '<!channel>'));
    await waitFor(() => receiver.requests.length === 1, 'the Slack message', 10_000);
    const text = (receiver.requests[0].body as { text: string }).text;
    expect(text).toContain('· <https://wiki.example/run%7Cbooks?a=1&amp;b=&lt;2&gt;|runbook>');
    expect(text).toContain('&lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
  });

  it('a relative docs path is said as text in Slack, and sent as it is to a webhook', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    hubTo(receiver, 'slack').observe(firing('electron/core/alerts/RULES.md#decline-rate-spike'));
    await waitFor(() => receiver.requests.length === 1, 'the Slack message', 10_000);
    expect((receiver.requests[0].body as { text: string }).text).toContain('· runbook: electron/core/alerts/RULES.md#decline-rate-spike');
  });
});
