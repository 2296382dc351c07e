// payops collect --rules with contact points, end to end: events through the real RabbitMQ,
// the real engine, a real HTTP receiver on loopback. A live decline spike on two merchants
// reaches the receiver as one Alertmanager v4 group message, firing, then resolved once their
// traffic is healthy again; a receiver
// answering 500 gets bounded retries, logged as failed, and ingest stays exact. The webhook
// URL (with its token) comes from PAYOPS_SECRET_ONCALL and appears in no output or file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL, deleteTopology, prepareQueue, publishAll, uniqueTopology, type TestTopology } from '../../test/support/broker';
import { lastJson, runPayops, startPayops } from '../../test/support/cli';
import { collectOutput, storedCount } from '../../test/support/faultKit';
import { startReceiver, type HttpReceiver } from '../../test/support/httpReceiver';
import { tempDir } from '../../test/support/tempDir';
import { waitFor } from '../../test/support/waitFor';
import type { NotificationLogJson } from '../../shared/notifications';

const dir = tempDir('payops-notify-');
const topologies: TestTopology[] = [];
afterAll(async () => {
  for (const t of topologies) await deleteTopology(t);
});
const TOKEN = 'T0001/B0002/XyZ123secretTOKEN456';

const RULES = `
version: 1
rules:
  - name: decline-rate-spike
    description: Declines spike for a merchant.
    severity: critical
    metric: decline_rate
    condition: { above: 50% }
    window: 10s
    groupBy: merchant
    minVolume: 20
contactPoints:
  - name: oncall
    type: webhook
    urlSecret: oncall
    timeout: 10s
    maxAttempts: 3
defaultPolicy:
  contactPoint: oncall
  groupBy: [alertname]
  groupWait: 2s
  groupInterval: 1s
  repeatInterval: 1h
`;

/** `type` events for two merchants, event time now: declines are a live spike, authorizations its end. */
function burstOf(type: 'payment.declined' | 'payment.authorized', n: number) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const e = paymentEvent(type, {}, { merchantId: i % 2 ? 'm_spike_a' : 'm_spike_b' });
    return { ...e, time: new Date(now - 500 + (i % 50)).toISOString() };
  });
}
const spike = (n: number) => burstOf('payment.declined', n);

function filesContaining(root: string, secret: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => path.join(root, f))
    .filter((p) => fs.statSync(p).isFile() && fs.readFileSync(p).includes(secret));
}

/**
 * `recovers`: once the receiver heard of the spike, the merchants' traffic goes on healthy (a
 * burst of authorizations a second) until `until`, as an incident ends: a window with no traffic
 * at all is no evidence that it ended (a firing alert holds through such a gap).
 */
async function collectWith(receiver: HttpReceiver, name: string, burstSize: number, until: () => boolean, recovers = false) {
  const home = path.join(dir, name);
  fs.mkdirSync(home);
  const rules = path.join(home, 'rules.yaml');
  fs.writeFileSync(rules, RULES);
  const t = uniqueTopology(`notify-${name}`);
  topologies.push(t);
  await prepareQueue(t);
  const db = path.join(home, 'live.db');
  const child = startPayops(
    ['collect', '--amqp', AMQP_URL, '--db', db, '--exchange', t.exchange, '--queue', t.queue, '--bind', '#', '--rules', rules, '--capture', path.join(home, 'capture.ndjson'), '--json'],
    { PAYOPS_SECRET_ONCALL: `${receiver.url}/services/${TOKEN}`, PAYOPS_HOME: home },
  );
  const out = collectOutput(child);
  // The spike is timed when the collector consumes, not when the test began: a collector that
  // took longer than the rule's window to start (a loaded machine) would judge it as history.
  await waitFor(() => /collecting from/.test(out.stderr()), 'collect to start', 30_000, 50);
  // The spike goes on, a burst every two seconds, until the receiver hears of it, as an incident does:
  // a burst the collector stored after the rule's window had passed it (a loaded machine)
  // is history, not a spike, and would leave the test waiting for an alert that is right not to fire.
  const events: ReturnType<typeof spike> = [];
  const heard = Date.now() + 60_000;
  do {
    const burst = spike(burstSize);
    events.push(...burst);
    await publishAll(t.exchange, burst.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
    await waitFor(() => receiver.requests.length > 0 || Date.now() > heard, 'a request or the next burst', 2_000, 50).catch(() => false);
  } while (receiver.requests.length === 0 && Date.now() < heard);
  let lastHealthy = 0;
  const healthyUntil = async () => {
    if (until()) return true;
    if (recovers && Date.now() - lastHealthy >= 1000) {
      lastHealthy = Date.now();
      const burst = burstOf('payment.authorized', burstSize);
      events.push(...burst);
      await publishAll(t.exchange, burst.map((e) => ({ body: JSON.stringify(e), routingKey: e.type })));
    }
    return false;
  };
  await waitFor(healthyUntil, 'the receiver to see the expected requests', 60_000, 100).catch((err: Error) => {
    child.kill('SIGKILL');
    const seen = receiver.requests.map((r) => (r.body as { status?: string }).status).join(',') || 'nothing';
    throw new Error(`${err.message}; the receiver saw: ${seen}; collector stderr:\n${out.stderr().slice(-2000)}`);
  });
  await waitFor(() => storedCount(db) === events.length, 'every event stored', 30_000, 100);
  child.kill('SIGTERM');
  expect(await out.exit).toBe(0);
  const summary = lastJson<{ events: number; duplicates: number }>(out.stdout());
  const log = JSON.parse((await runPayops(['notifications', '--db', db, '--json'])).stdout) as NotificationLogJson[];
  return { home, db, summary, log, events, output: out.stdout() + out.stderr() };
}

describe('payops collect delivers to contact points (real broker, real HTTP receiver)', () => {
  it('a live decline spike on two merchants: one grouped firing message, then resolved; the log matches the receiver', async () => {
    const receiver = await startReceiver();
    try {
      const resolvedSeen = () => receiver.requests.some((r) => (r.body as { status: string }).status === 'resolved');
      const run = await collectWith(receiver, 'ok', 200, resolvedSeen, true);
      const { events } = run;
      const bodies = receiver.requests.map((r) => r.body as { version: string; status: string; groupLabels: Record<string, string>; alerts: { status: string; labels: Record<string, string>; endsAt: string }[] });
      expect(receiver.requests.every((r) => r.path === `/services/${TOKEN}`)).toBe(true);
      // firing first, both merchants in one group message
      expect(bodies[0]).toMatchObject({ version: '4', status: 'firing', groupLabels: { alertname: 'decline-rate-spike' } });
      expect(bodies[0].alerts.map((a) => a.labels.merchant).sort()).toEqual(['m_spike_a', 'm_spike_b']);
      const last = bodies[bodies.length - 1];
      expect(last.status).toBe('resolved');
      expect(last.alerts.every((a) => a.status === 'resolved' && a.endsAt !== '0001-01-01T00:00:00Z')).toBe(true);
      // the log: one "sent" row per request the receiver saw, same status and alerts
      const sent = run.log.filter((e) => e.attempt > 0);
      expect(sent.map((e) => [e.outcome, e.status, e.httpStatus, e.alerts.map((a) => a.fingerprint).sort()])).toEqual(
        receiver.requests.map((r) => ['sent', (r.body as { status: string }).status, 200, (r.body as { alerts: { fingerprint: string }[] }).alerts.map((a) => a.fingerprint).sort()]),
      );
      expect(run.summary).toMatchObject({ events: events.length, duplicates: 0 });
      // the token: in no output, no file (database, WAL, capture, rules)
      expect(run.output).not.toContain('secretTOKEN');
      expect(filesContaining(run.home, 'secretTOKEN')).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('a receiver answering 500 gets 3 attempts, logged failed (the last final); ingest stays exact', async () => {
    const receiver = await startReceiver({ kind: 'status', status: 500 });
    try {
      const firing = () => receiver.requests.filter((r) => (r.body as { status: string }).status === 'firing');
      const run = await collectWith(receiver, 'err', 300, () => firing().length >= 3);
      const { events } = run;
      // (the resolved message may follow the firing one before the stop: only the firing delivery is judged)
      // A message that failed for good is sent again at the group's next flush (groupInterval 1 s
      // here), as Alertmanager does, so a fourth request may come before the stop: it is a new
      // delivery, its first attempt.
      const firingLog = run.log.filter((e) => e.status === 'firing').map((e) => [e.outcome, e.attempt, e.final, e.httpStatus, e.error]);
      expect(firing().length).toBeGreaterThanOrEqual(3);
      expect(firingLog.slice(0, 3)).toEqual([
        ['failed', 1, false, 500, 'HTTP 500'],
        ['failed', 2, false, 500, 'HTTP 500'],
        ['failed', 3, true, 500, 'HTTP 500'],
      ]);
      if (firingLog.length > 3) expect(firingLog[3]!.slice(0, 2)).toEqual(['failed', 1]);
      expect(run.summary).toMatchObject({ events: events.length, duplicates: 0 });
      expect(storedCount(run.db)).toBe(events.length);
      expect(run.output).not.toContain('secretTOKEN');
      expect(filesContaining(run.home, 'secretTOKEN')).toEqual([]);
    } finally {
      await receiver.close();
    }
  }, 120_000);
});
