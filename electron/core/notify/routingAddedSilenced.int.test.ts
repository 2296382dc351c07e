// A live session with no routing (no rules file) announces an alert on the console only; an
// operator silences it; a rules save then adds routing (reloadConsoleNotifications starts a hub,
// resumed from the database). The new hub must know the alert is silenced: nothing is paged while
// the silence lasts, and once it ends with the alert still firing the receiver, never told, is paged
// as for any alert whose silence ends. The hub dropped the alert as "silenced, never told" and the
// silence's end (an `unsilenced` change, since the console had announced it) brought nothing back.
// A real engine session and SQLite file, requests through its services, a real loopback receiver.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSilence } from '../../../shared/alerts';
import { composeEngine } from '../engine/composeEngine';
import { MemorySecretStore } from '../secrets/secretStore';
import { startReceiver } from '../../../test/support/httpReceiver';
import { sessionRequests } from '../../../test/support/routedSessionKit';
import { declineRateRule, storePayments } from '../../../test/support/sessionTraffic';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import type { AlertmanagerWebhookV4 } from './payloads';
import { reloadConsoleNotifications } from './consoleNotifications';
import type { SessionNotifications } from './notificationHub';
import { contactPointSecretKey } from './secretUrls';

const dir = tempDir('payops-routing-added-silenced-');
const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

const RULES = `rules:${declineRateRule('decline-rate-high', '15%')}`;
const ROUTED = `contactPoints:\n  - { name: oncall, type: webhook, urlSecret: oncall }\ndefaultPolicy: { contactPoint: oncall, groupWait: 0s, groupInterval: 1s, repeatInterval: 1m }\n${RULES}`;

describe('routing added by a rules save while an announced alert is silenced', () => {
  it('pages nothing while the silence lasts, and pages the alert once its silence ends', async () => {
    const receiver = await startReceiver();
    closers.push(() => receiver.close());
    const dbFile = path.join(dir, 'live.db');
    let notifications: SessionNotifications | null = null;
    const session = composeEngine(
      { dbFile, session: 'live', rulesFile: null },
      { snapshot: () => undefined, log: () => undefined, alert: (n) => notifications?.hub.observe(n), silence: (c) => notifications?.hub.silence(c) },
    );
    closers.push(() => session.stop());
    const { request, firing } = sessionRequests(session);
    const received = () => receiver.requests.map((q) => q.body as AlertmanagerWebhookV4).map((b) => `${b.status}:${b.alerts.map((a) => `${a.labels.alertname}=${a.status}`).join(',')}`);

    // Rules without routing: the alert fires and is announced on the console only.
    storePayments(session.engine, 20, 40);
    expect(await request('rules.save', { text: RULES })).toMatchObject({ ok: true, reloaded: true });
    expect((await firing()).map((a) => a.rule)).toEqual(['decline-rate-high']);
    const silence = await request<AlertSilence>('alerts.silence', { matchers: [{ label: 'alertname', op: '=', value: 'decline-rate-high' }], durationMs: 3600_000, comment: 'on it', by: 'alice' });

    // The save that adds routing, as the console backend applies it.
    const secrets = new MemorySecretStore();
    await secrets.set(contactPointSecretKey('oncall'), `${receiver.url}/hook`);
    const saved = await request<{ ok: boolean; path: string }>('rules.save', { text: ROUTED });
    notifications = reloadConsoleNotifications(null, { dbFile, session: 'live', rulesFile: saved.path }, secrets, () => undefined);
    closers.push(() => notifications?.stop());
    storePayments(session.engine, 5, 40);
    session.alerting.onWallTick();
    expect(await firing()).toMatchObject([{ rule: 'decline-rate-high', silenced: true }]);
    // Ten minutes of the router's clock while the silence lasts: nothing goes out.
    notifications!.hub.advanceTo(Date.now() + 600_000);
    await notifications!.hub.delivery.idle();
    expect(received()).toEqual([]);

    // The silence ends while the alert still fires: the receiver, never told, is paged.
    expect(await request('alerts.expireSilence', { id: silence.id })).toEqual({ ok: true });
    storePayments(session.engine, 5, 40);
    session.alerting.onWallTick();
    expect(await firing()).toMatchObject([{ rule: 'decline-rate-high', silenced: false }]);
    notifications!.hub.advanceTo(Date.now() + 601_000);
    await waitFor(() => receiver.requests.length > 0, () => `the page after the silence ended (received ${JSON.stringify(received())})`);
    await notifications!.stop();
    expect(received()).toEqual(['firing:decline-rate-high=firing']);
  });
});
