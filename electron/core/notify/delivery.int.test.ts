// Routing and delivery against a real HTTP receiver on loopback and a real SQLite log. The
// router runs on a controlled event-time clock; deliveries are real HTTP requests.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { validateRouting } from '../../../shared/notificationConfig';
import { openNotificationLog, type NotificationLogStore } from '../store/notificationLogRepository';
import { deadPort, startReceiver, type HttpReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { NotificationHub } from './notificationHub';
import { ContactPointUrls, secretEnvName } from './secretUrls';
import type { AlertmanagerWebhookV4 } from './payloads';

const dir = tempDir();
const T0 = Date.UTC(2026, 10, 23, 6, 0, 0); // a Monday
const at = (s: number) => T0 + s * 1000;
const TOKEN_PATH = '/services/T0001/B0002/XyZ123secretTOKEN456';
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

function note(kind: 'firing' | 'resolved', rule: string, s: number, labels: Record<string, string>, severity: 'critical' | 'warning' = 'critical'): AlertNotification {
  return { kind, rule, severity, labels, value: 0.5, summary: `${kind.toUpperCase()} ${rule}: ${JSON.stringify(labels)}`, at: at(s) };
}

async function setup(receiver: { url: string }, sections: Record<string, unknown> = {}, contact: Record<string, unknown> = {}) {
  const secret = `${receiver.url}${TOKEN_PATH}`;
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall', timeout: '10s', maxAttempts: 3, ...contact }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '30s', groupInterval: '5m', repeatInterval: '1h' },
    ...sections,
  });
  if (!v.ok) throw new Error(v.issues.map((i) => i.text).join('\n'));
  const file = path.join(dir, `log-${Math.random().toString(36).slice(2)}.db`);
  const store: NotificationLogStore = openNotificationLog(file);
  open.push(store);
  const hub = new NotificationHub({
    routing: v.config,
    urls: new ContactPointUrls(null, { [secretEnvName('oncall')]: secret }),
    log: (e) => store.log.append(e),
    dryRun: false,
    backoff: { initialMs: 20, maxMs: 100, jitter: 0 },
  });
  open.push({ close: () => hub.stop() });
  return { hub, store, file, secret };
}

const bodies = (r: HttpReceiver) => r.requests.map((q) => q.body as AlertmanagerWebhookV4);
const merchants = (b: AlertmanagerWebhookV4) => `${b.status}:${b.alerts.map((a) => `${a.labels.merchant}=${a.status}`).join(',')}`;

/** Every attempt the log records that reached the receiver, in order: what the receiver saw. */
function attemptsLogged(log: NotificationLogEntry[]) {
  return log.filter((e) => (e.outcome === 'sent' || e.outcome === 'failed') && e.attempt > 0);
}

describe('notification delivery to a real HTTP receiver', () => {
  it('groups two merchants into one Alertmanager v4 message, then the resolved one; the log matches what the receiver saw', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const { hub, store } = await setup(receiver);
    hub.observe(note('firing', 'decline-rate-spike', 0, { merchant: 'm_1' }));
    hub.observe(note('firing', 'decline-rate-spike', 12, { merchant: 'm_2' }));
    hub.advanceTo(at(29));
    await hub.delivery.idle();
    expect(receiver.requests).toHaveLength(0);
    hub.advanceTo(at(30));
    await waitFor(() => receiver.requests.length === 1, 'the group message');
    const [first] = bodies(receiver);
    expect(receiver.requests[0].path).toBe(TOKEN_PATH);
    expect(first).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'oncall',
      groupLabels: { alertname: 'decline-rate-spike' },
      commonLabels: { alertname: 'decline-rate-spike', severity: 'critical' },
      truncatedAlerts: 0,
    });
    expect(first.alerts.map((a) => [a.status, a.labels.alertname, a.labels.merchant, a.startsAt, a.endsAt])).toEqual([
      ['firing', 'decline-rate-spike', 'm_1', new Date(at(0)).toISOString(), '0001-01-01T00:00:00Z'],
      ['firing', 'decline-rate-spike', 'm_2', new Date(at(12)).toISOString(), '0001-01-01T00:00:00Z'],
    ]);
    expect(first.alerts[0].annotations.summary).toContain('FIRING decline-rate-spike');
    expect(first.alerts[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);

    hub.observe(note('resolved', 'decline-rate-spike', 100, { merchant: 'm_1' }));
    hub.observe(note('resolved', 'decline-rate-spike', 110, { merchant: 'm_2' }));
    hub.advanceTo(at(330));
    await waitFor(() => receiver.requests.length === 2, 'the resolved message');
    const resolved = bodies(receiver)[1];
    expect(merchants(resolved)).toBe('resolved:m_1=resolved,m_2=resolved');
    expect(resolved.alerts[0].endsAt).toBe(new Date(at(100)).toISOString());
    expect(resolved.alerts[0].fingerprint).toBe(first.alerts[0].fingerprint);

    await hub.delivery.idle();
    const log = store.log.list();
    expect(attemptsLogged(log).map((e) => [e.outcome, e.status, e.attempt, e.httpStatus, e.alerts.length, e.rule])).toEqual([
      ['sent', 'firing', 1, 200, 2, 'decline-rate-spike'],
      ['sent', 'resolved', 1, 200, 2, 'decline-rate-spike'],
    ]);
    expect(log.map((e) => e.alerts.map((a) => a.fingerprint))).toEqual(bodies(receiver).map((b) => b.alerts.map((a) => a.fingerprint)));
  });

  it('a secret URL with user:password@ (a receiver behind basic auth) is delivered with an Authorization header, the password nowhere', async () => {
    // Alertmanager's webhook sends a URL's userinfo as basic auth; fetch refuses such a URL outright.
    const receiver = await startReceiver();
    open.push(receiver);
    const withAuth = { url: receiver.url.replace('http://', 'http://ops%40payco:pa55%3Aword@') };
    const { hub, store, file } = await setup(withAuth);
    hub.observe(note('firing', 'failures', 0, { merchant: 'm_1' }));
    hub.advanceTo(at(30));
    await waitFor(() => store.log.list().some((e) => e.final), 'the delivery');
    expect(store.log.list().map((e) => [e.outcome, e.httpStatus, e.error])).toEqual([['sent', 200, null]]);
    expect(receiver.requests.map((q) => [q.path, q.authorization])).toEqual([[TOKEN_PATH, `Basic ${Buffer.from('ops@payco:pa55:word').toString('base64')}`]]);
    await hub.stop();
    const bytes = Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(file + s)).map((s) => fs.readFileSync(file + s)));
    expect(bytes.includes('pa55')).toBe(false);
  });

  it('repeatInterval: an unchanged firing group is sent again only after the repeat interval', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const { hub } = await setup(receiver, {
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: 0, groupInterval: '1m', repeatInterval: '10m' },
    });
    hub.observe(note('firing', 'failures', 0, { merchant: 'm_1' }));
    hub.advanceTo(at(599));
    await waitFor(() => receiver.requests.length === 1, 'the first message');
    await hub.delivery.idle();
    expect(receiver.requests).toHaveLength(1);
    hub.advanceTo(at(600));
    await waitFor(() => receiver.requests.length === 2, 'the repeat');
    expect(merchants(bodies(receiver)[1])).toBe('firing:m_1=firing');
  });

  it('a mute timing holds the message (logged muted) and it goes out after the mute; an inhibited target is never sent but logged', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const { hub, store } = await setup(receiver, {
      muteTimings: [{ name: 'settlement', timeIntervals: [{ times: [{ start: '06:00', end: '06:05' }] }] }],
      inhibitRules: [{ sourceMatchers: ['alertname=traffic-stopped'], targetMatchers: ['alertname=decline-rate-spike'] }],
      policies: [{ contactPoint: 'oncall', matchers: ['severity=warning'], groupWait: 0, groupInterval: '1m', muteTimings: ['settlement'] }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: 0, groupInterval: '1m' },
    });
    hub.observe(note('firing', 'queue-depth-growing', 10, { queue: 'work' }, 'warning'));
    hub.observe(note('firing', 'traffic-stopped', 20, {}));
    hub.observe(note('firing', 'decline-rate-spike', 25, { merchant: 'm_1' }));
    hub.advanceTo(at(299));
    await waitFor(() => receiver.requests.length === 1, 'the source alert');
    await hub.delivery.idle();
    expect(bodies(receiver).map((b) => b.alerts.map((a) => a.labels.alertname).join())).toEqual(['traffic-stopped']);
    hub.advanceTo(at(310)); // the mute ended at 06:05 (300 s): next flush at 310
    await waitFor(() => receiver.requests.length === 2, 'the muted alert after the mute');
    expect(bodies(receiver)[1].alerts.map((a) => a.labels.alertname)).toEqual(['queue-depth-growing']);
    await hub.delivery.idle();
    const decisions = store.log.list().filter((e) => e.outcome === 'muted' || e.outcome === 'inhibited');
    expect(decisions.map((e) => [e.outcome, e.rule, (e.eventAt - T0) / 1000])).toEqual([
      ['muted', 'queue-depth-growing', 10],
      ['inhibited', 'decline-rate-spike', 25],
    ]);
  });

  it.each([
    ['answers 500', async () => startReceiver({ kind: 'status', status: 500 }), 'HTTP 500', 500],
    ['is slower than the timeout', async () => startReceiver({ kind: 'slow', delayMs: 3000 }), 'timed out after 200 ms', null],
  ] as const)('a receiver that %s gets bounded retries, each logged, the last as final', async (_what, start, error, httpStatus) => {
    const receiver = await start();
    open.push(receiver);
    const { hub, store, file } = await setup(receiver, {}, { timeout: 0.2 });
    hub.observe(note('firing', 'failures', 0, { merchant: 'm_1' }));
    hub.advanceTo(at(30));
    await waitFor(() => store.log.list().some((e) => e.final && e.outcome === 'failed'), 'the final failure', 15_000);
    expect(receiver.requests).toHaveLength(3);
    const log = store.log.list();
    expect(log.map((e) => [e.outcome, e.attempt, e.maxAttempts, e.final, e.httpStatus, e.error])).toEqual([
      ['failed', 1, 3, false, httpStatus, error],
      ['failed', 2, 3, false, httpStatus, error],
      ['failed', 3, 3, true, httpStatus, error],
    ]);
    // The token in the URL is nowhere in the log, not even in the database file's bytes.
    await hub.stop();
    const bytes = Buffer.concat(['', '-wal'].filter((s) => fs.existsSync(file + s)).map((s) => fs.readFileSync(file + s)));
    expect(bytes.includes('secretTOKEN')).toBe(false);
  });

  it('a receiver that is down is logged as failed (connection refused) after the bounded attempts, the token redacted', async () => {
    const port = await deadPort();
    const { hub, store } = await setup({ url: `http://127.0.0.1:${port}` });
    hub.observe(note('firing', 'failures', 0, { merchant: 'm_1' }));
    hub.advanceTo(at(30));
    await waitFor(() => store.log.list().some((e) => e.final), 'the final failure', 15_000);
    const log = store.log.list();
    expect(log.map((e) => [e.outcome, e.attempt, e.final])).toEqual([
      ['failed', 1, false],
      ['failed', 2, false],
      ['failed', 3, true],
    ]);
    expect(log[2].error).toMatch(/ECONNREFUSED/);
    expect(JSON.stringify(log)).not.toContain('secretTOKEN');
  });
  it('a 4xx answer is final at once (it will not change on a retry); a 503 or 429 is retried', async () => {
    const outcomes = async (status: number) => {
      const receiver = await startReceiver({ kind: 'status', status });
      open.push(receiver);
      const { hub, store } = await setup(receiver);
      hub.observe(note('firing', 'failures', 0, { merchant: 'm_1' }));
      hub.advanceTo(at(30));
      await waitFor(() => store.log.list().some((e) => e.final), `the final word on HTTP ${status}`, 15_000);
      return { log: store.log.list().map((e) => [e.attempt, e.final, e.error]), received: receiver.requests.length };
    };
    expect(await outcomes(404)).toEqual({ log: [[1, true, 'HTTP 404']], received: 1 });
    expect(await outcomes(400)).toEqual({ log: [[1, true, 'HTTP 400']], received: 1 });
    expect(await outcomes(503)).toEqual({ log: [[1, false, 'HTTP 503'], [2, false, 'HTTP 503'], [3, true, 'HTTP 503']], received: 3 });
    expect((await outcomes(429)).received).toBe(3);
  });

  it('a redirect is not followed: logged final with what to do, and the other address receives nothing', async () => {
    const elsewhere = await startReceiver();
    open.push(elsewhere);
    const redirecting = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(307, { location: `${elsewhere.url}/collect` }).end());
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((resolve) => redirecting.close(resolve)) });
    const { hub, store } = await setup({ url: `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}` });
    hub.observe(note('firing', 'failures', 0, { merchant: 'm_1' }));
    hub.advanceTo(at(30));
    await waitFor(() => store.log.list().some((e) => e.final), 'the final word on the redirect', 15_000);
    const log = store.log.list();
    expect(log.map((e) => [e.outcome, e.attempt, e.final])).toEqual([['failed', 1, true]]);
    expect(log[0].error).toMatch(/^HTTP 307: the receiver redirects, and payops does not follow redirects; give the contact point its final URL$/);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('a stop delivers what is queued within its grace (one attempt each), then logs the rest failed "shutting down"', async () => {
    // The receiver answers after 300 ms: the second message is still queued behind the first
    // when the stop comes, as a replay's resolved message is behind its firing one at the end.
    const receiver = await startReceiver({ kind: 'slow', delayMs: 300 });
    open.push(receiver);
    const { hub, store } = await setup(receiver, { defaultPolicy: { contactPoint: 'oncall', groupBy: ['merchant'], groupWait: '0s' } });
    hub.observe(note('firing', 'declines', 0, { merchant: 'm_1' }));
    hub.observe(note('firing', 'declines', 0, { merchant: 'm_2' }));
    hub.advanceTo(at(1));
    await hub.delivery.stop();
    expect(receiver.requests.map((q) => merchants(q.body as AlertmanagerWebhookV4))).toEqual(['firing:m_1=firing', 'firing:m_2=firing']);
    expect(store.log.list().map((e) => [e.outcome, e.groupLabels.merchant])).toEqual([
      ['sent', 'm_1'],
      ['sent', 'm_2'],
    ]);

    const late = await setup(receiver, { defaultPolicy: { contactPoint: 'oncall', groupBy: ['merchant'], groupWait: '0s' } });
    late.hub.observe(note('firing', 'declines', 0, { merchant: 'm_3' }));
    late.hub.observe(note('firing', 'declines', 0, { merchant: 'm_4' }));
    late.hub.advanceTo(at(1));
    await late.hub.delivery.stop(0);
    const log = late.store.log.list();
    expect(log.map((e) => [e.outcome, e.groupLabels.merchant, e.error])).toEqual([
      ['sent', 'm_3', null],
      ['failed', 'm_4', 'not sent: payops is shutting down'],
    ]);
  });
});
