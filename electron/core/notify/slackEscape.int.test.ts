// Label values come from the payment stream (merchant ids, issuer names): data payops did not
// shape. In a Slack message "<!channel>", "<@U123>" or "<https://x|text>" would ping the whole
// channel or show a disguised link; Slack asks senders to escape &, < and >. Real receiver.
import { afterEach, describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver } from '../../../test/support/httpReceiver';
import { waitFor } from '../../../test/support/waitFor';
import { NotificationHub } from './notificationHub';
import { SLACK_TEXT_LIMIT } from './payloads';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

describe('a Slack message about hostile label values', () => {
  it('escapes &, < and > so a merchant named "<!channel>" pings nobody and a link cannot be disguised; the text limit still holds', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const v = validateRouting({
      contactPoints: [{ name: 'chat', type: 'slack', urlSecret: 'chat', maxAttempts: 1 }],
      defaultPolicy: { contactPoint: 'chat', groupBy: ['merchant'], groupWait: '0s' },
    });
    if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
    const hub = new NotificationHub({ routing: v.config, urls: new ContactPointUrls(null, { [secretEnvName('chat')]: `${receiver.url}/hook` }), log: () => undefined, dryRun: false });
    open.push({ close: () => hub.stop(0) });
    const merchant = '<!channel> A&B <https://evil.example/refund|Refund portal>';
    hub.observe({ kind: 'firing', rule: 'declines', severity: 'critical', labels: { merchant }, value: 1, summary: `FIRING declines: merchant ${merchant}`, at: Date.now() });
    const many = '<'.repeat(30_000);
    hub.observe({ kind: 'firing', rule: 'declines', severity: 'critical', labels: { merchant: 'm_big' }, value: 1, summary: `FIRING declines: merchant ${many}`, at: Date.now() });
    await waitFor(() => receiver.requests.length === 2, 'both Slack messages', 10_000);
    const [first, second] = receiver.requests.map((r) => (r.body as { text: string }).text);
    expect(first).not.toMatch(/[<>]/);
    expect(first).toContain('&lt;!channel&gt; A&amp;B &lt;https://evil.example/refund|Refund portal&gt;');
    expect(second.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
    expect(second).not.toContain('<');
  });
});
