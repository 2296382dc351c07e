// Rules saved while a live session runs (the console's rule editor, rules.save): the engine
// evaluates the new rules at once, and the routing in the same text (contact points,
// policies) must apply at once too, not at the next restart, without losing what the old
// routing held: a group still waiting for its groupWait still goes out, a page already
// delivered is not sent again, and the receiver that was paged gets the resolved message.
// Real SQLite file (the notification log), real receivers on loopback.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver, type HttpReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { startSessionNotifications } from './notificationHub';
import type { AlertmanagerWebhookV4 } from './payloads';
import { secretEnvName } from './secretUrls';

const dir = tempDir('payops-notify-reload-');
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

function config(raw: unknown) {
  const v = validateRouting(raw);
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  return v.config;
}
const hook = (name: string) => ({ name, type: 'webhook', urlSecret: name, timeout: '5s', maxAttempts: 3 });
const note = (kind: 'firing' | 'resolved', rule: string, severity: 'warning' | 'critical', merchant: string): AlertNotification => ({
  kind,
  rule,
  severity,
  labels: { merchant },
  value: 0.5,
  summary: `${kind.toUpperCase()} ${rule}: merchant ${merchant}`,
  at: Date.now(),
});
const seen = (r: HttpReceiver) => r.requests.map((q) => q.body as AlertmanagerWebhookV4).map((b) => `${b.status}:${b.alerts.map((a) => `${a.labels.alertname}/${a.labels.merchant}=${a.status}`).join(',')}`);

describe('rules saved during a live session', () => {
  it('routes new alerts on the saved policies at once; the alert paged before is not paged again and its resolve reaches the receiver that was paged', async () => {
    const a = await startReceiver();
    const b = await startReceiver();
    open.push(a, b);
    const env = { [secretEnvName('team-a')]: `${a.url}/a`, [secretEnvName('team-b')]: `${b.url}/b` };
    const policy = { groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s', repeatInterval: '4h' };
    const before = config({ contactPoints: [hook('team-a')], defaultPolicy: { contactPoint: 'team-a', ...policy } });
    const s = startSessionNotifications({ dbFile: path.join(dir, 'saved.db'), routing: before, secrets: null, dryRun: false, live: true, env });
    open.push({ close: () => s.stop() });

    s.hub.observe(note('firing', 'slow', 'warning', 'm_1'));
    await waitFor(() => a.requests.length >= 1, 'the page of the first alert');

    // The save: criticals now go to team-b; the rest stays with team-a.
    s.reload(config({ contactPoints: [hook('team-a'), hook('team-b')], policies: [{ contactPoint: 'team-b', matchers: ['severity=critical'], ...policy }], defaultPolicy: { contactPoint: 'team-a', ...policy } }));
    s.hub.observe(note('firing', 'failures', 'critical', 'm_2'));
    await waitFor(() => b.requests.length >= 1, () => `team-b's page (team-a has ${JSON.stringify(seen(a))})`);
    s.hub.observe(note('resolved', 'slow', 'warning', 'm_1'));
    await waitFor(() => a.requests.length >= 2, () => `team-a's resolved message (it has ${JSON.stringify(seen(a))})`);
    await s.stop();
    expect(seen(a)).toEqual(['firing:slow/m_1=firing', 'resolved:slow/m_1=resolved']);
    expect(seen(b)).toEqual(['firing:failures/m_2=firing']);
  });

  it('a group waiting for its groupWait at the save is not lost: it goes out on the saved timing', async () => {
    const a = await startReceiver();
    open.push(a);
    const env = { [secretEnvName('team-a')]: `${a.url}/a` };
    const timing = { groupBy: ['alertname'], groupInterval: '1s', repeatInterval: '4h' };
    const s = startSessionNotifications({ dbFile: path.join(dir, 'pending.db'), routing: config({ contactPoints: [hook('team-a')], defaultPolicy: { contactPoint: 'team-a', groupWait: '1h', ...timing } }), secrets: null, dryRun: false, live: true, env });
    open.push({ close: () => s.stop() });
    s.hub.observe(note('firing', 'slow', 'warning', 'm_1'));
    expect(s.hub.router.groupCount).toBe(1);

    s.reload(config({ contactPoints: [hook('team-a')], defaultPolicy: { contactPoint: 'team-a', groupWait: '0s', ...timing } }));
    await waitFor(() => a.requests.length >= 1, 'the page that was waiting for its groupWait');
    await s.stop();
    expect(seen(a)).toEqual(['firing:slow/m_1=firing']);
  });

  it('a resolved message waiting for its groupInterval at the save still reaches the receiver that was paged, once', async () => {
    const a = await startReceiver();
    open.push(a);
    const env = { [secretEnvName('team-a')]: `${a.url}/a` };
    const routing = (groupInterval: string | number) => config({ contactPoints: [hook('team-a')], defaultPolicy: { contactPoint: 'team-a', groupBy: ['alertname'], groupWait: '0s', groupInterval, repeatInterval: '4h' } });
    const s = startSessionNotifications({ dbFile: path.join(dir, 'owed.db'), routing: routing('1h'), secrets: null, dryRun: false, live: true, env });
    open.push({ close: () => s.stop() });
    s.hub.observe(note('firing', 'slow', 'warning', 'm_1'));
    await waitFor(() => a.requests.length >= 1, 'the page');
    s.hub.observe(note('resolved', 'slow', 'warning', 'm_1'));
    s.reload(routing(0.001)); // 1 ms, the shortest the router honours (0 is refused, as in Alertmanager)
    await waitFor(() => a.requests.length >= 2, 'the resolved message owed at the save');
    s.hub.advanceTo(Date.now() + 10_000);
    await s.stop();
    expect(seen(a)).toEqual(['firing:slow/m_1=firing', 'resolved:slow/m_1=resolved']);
  });
});
