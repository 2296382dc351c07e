// A message that failed for good (every attempt refused) is not taken as told: as with
// Alertmanager, whose notification log records a notification only once it was delivered, the
// group's next groupInterval flush sends it again, instead of the receiver hearing nothing until
// repeatInterval (hours) - or never, for a resolve. The router runs on a controlled clock; the
// receiver is a real HTTP server on loopback that is down (503) and then back.
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { startReceiver, type HttpReceiver } from '../../../test/support/httpReceiver';
import { waitFor } from '../../../test/support/waitFor';
import { NotificationHub } from './notificationHub';
import type { AlertmanagerWebhookV4 } from './payloads';
import { ContactPointUrls, secretEnvName } from './secretUrls';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const at = (s: number) => T0 + s * 1000;
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const note = (kind: 'firing' | 'resolved', s: number, merchant: string): AlertNotification => ({ kind, rule: 'declines', severity: 'critical', labels: { merchant }, value: 0.5, summary: `${kind.toUpperCase()} declines`, at: at(s) });

async function routed() {
  const receiver = await startReceiver({ kind: 'status', status: 503 });
  open.push(receiver);
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '5s', maxAttempts: 2 }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' },
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const log: NotificationLogEntry[] = [];
  // A live hub (its clock started), on a clock the test moves.
  let now = at(0);
  const hub = new NotificationHub({
    clock: () => now,
    routing: v.config,
    urls: new ContactPointUrls(null, { [secretEnvName('oncall')]: `${receiver.url}/hook` }),
    log: (e) => log.push({ ...e, id: log.length + 1 }),
    dryRun: false,
    backoff: { initialMs: 10, maxMs: 20, jitter: 0 },
  });
  hub.start(3_600_000);
  open.push({ close: () => hub.stop(0) });
  const advanceTo = (t: number) => {
    now = t;
    hub.advanceTo(t);
  };
  const finals = () => log.filter((e) => e.final).map((e) => `${e.outcome}:${e.status}`);
  return { receiver, hub, finals, advanceTo };
}

const seen = (r: HttpReceiver) => r.requests.filter((q) => q.status === 200).map((q) => q.body as AlertmanagerWebhookV4).map((b) => `${b.status}:${b.alerts.map((a) => `${a.labels.merchant}=${a.status}`).join(',')}`);

describe('a message that failed for good', () => {
  it('a page: the next groupInterval flush sends it again once the receiver is back, not the repeatInterval', async () => {
    const { receiver, hub, finals, advanceTo } = await routed();
    hub.observe(note('firing', 0, 'm_1'));
    advanceTo(at(30));
    await waitFor(() => finals().length === 1, 'the page failed for good');
    expect(finals()).toEqual(['failed:firing']);
    receiver.mode = { kind: 'ok' };
    advanceTo(at(329));
    await hub.delivery.idle();
    expect(seen(receiver)).toEqual([]); // not before the group's next flush
    advanceTo(at(330));
    await waitFor(() => finals().length === 2, 'the page sent again');
    expect(seen(receiver)).toEqual(['firing:m_1=firing']);
    // Delivered now: the flushes after it do not repeat it before repeatInterval.
    advanceTo(at(3600));
    await hub.delivery.idle();
    expect(seen(receiver)).toEqual(['firing:m_1=firing']);
  });

  it('a resolve: sent again at the next flush (the receiver was told the alert fires)', async () => {
    const { receiver, hub, finals, advanceTo } = await routed();
    receiver.mode = { kind: 'ok' };
    hub.observe(note('firing', 0, 'm_1'));
    advanceTo(at(30));
    await waitFor(() => finals().length === 1, 'the page');
    receiver.mode = { kind: 'status', status: 503 };
    hub.observe(note('resolved', 100, 'm_1'));
    advanceTo(at(330));
    await waitFor(() => finals().length === 2, 'the resolve failed for good');
    expect(finals()).toEqual(['sent:firing', 'failed:resolved']);
    receiver.mode = { kind: 'ok' };
    advanceTo(at(630));
    await waitFor(() => finals().length === 3, 'the resolve sent again');
    expect(seen(receiver)).toEqual(['firing:m_1=firing', 'resolved:m_1=resolved']);
    expect(hub.router.groupCount).toBe(0);
  });

  it('a failure older than a later message of its group changes nothing (that message said it all)', async () => {
    const { receiver, hub, finals, advanceTo } = await routed();
    receiver.mode = { kind: 'ok' };
    hub.observe(note('firing', 0, 'm_1'));
    advanceTo(at(30));
    await waitFor(() => finals().length === 1, 'the page');
    advanceTo(at(4 * 3600 + 30));
    await waitFor(() => finals().length === 2, 'the repeat');
    advanceTo(at(5 * 3600));
    await hub.delivery.idle();
    expect(seen(receiver)).toEqual(['firing:m_1=firing', 'firing:m_1=firing']);
  });
});
