// A follower console shows the runbook link of its collector's alerts: the metrics stream
// carries each record's runbookUrl and description, the follower stores them, lists them and
// puts them on its notifications and the alert record an incident report is resolved from. An older collector's record
// (neither field) is still read; a record whose runbook is no runbook (a javascript: link, a
// number) is refused with the reason, and the follower goes on. Real stream on the broker.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { AMQP_URL } from '../../../test/support/broker';
import { deleteQueues, publishToStream } from '../../../test/support/metricsStreamKit';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { AlertingSession } from '../alerts/alertingSession';
import { resolveWindow } from '../report/reportData';
import { openStore, type Store } from '../store/store';
import { FollowedAlertsService, followedNotifications, type FollowedTransitions } from './followedAlerts';
import { MetricsFollower } from './metricsFollower';

const dir = tempDir('payops-followed-runbook-');
const stream = `t.followrunbook.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const RUNBOOK = 'https://wiki.example/runbooks/declines#issuer';
const DESCRIPTION = 'decline rate per attempt above 10 % over 10s, per merchant. Declines are up.';

/** A collector's message of seq `seq` carrying one firing alert record (`extra` on the record). */
function message(seq: number, key: string, at: number, extra: Record<string, unknown>): string {
  const record = {
    key,
    rule: 'declines',
    severity: 'critical',
    labels: { merchant: 'm_1' },
    group: 'merchant=m_1',
    state: 'firing',
    summary: 'decline rate 20 % per attempt for merchant m_1',
    metric: 'decline_rate',
    value: 0.2,
    peakValue: 0.2,
    activeSince: at - 1000,
    firedAt: at,
    resolvedAt: null,
    endedAt: null,
    silenced: false,
    acknowledged: null,
    resolveNote: null,
    transitions: [
      { state: 'pending', at: at - 1000 },
      { state: 'firing', at },
    ],
    ...extra,
  };
  return JSON.stringify({ v: 1, collector: 'collector-a', seq, at, rollups: [], counters: {}, queueSamples: [], alerts: [record] });
}

function followedList(store: Store) {
  const session = new AlertingSession({ store, rules: [], replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined });
  open.push({ close: () => session.stop() });
  return new FollowedAlertsService(store, session).list({ includeResolved: true, limit: 100 }).alerts;
}

describe('the runbook of a followed alert', () => {
  it('is read from the stream and shown like the collector’s; an older collector’s record without it still reads; a malformed one is refused with its reason', async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createChannel();
    await ch.assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
    await conn.close();
    const at = Date.now() - 1000;
    await publishToStream(stream, [
      message(1, 'older', at, {}),
      message(2, 'hostile', at, { runbookUrl: 'javascript:alert(document.cookie)' }),
      message(3, 'not-text', at, { runbookUrl: 42 }),
      message(4, 'newer', at, { runbookUrl: RUNBOOK, description: DESCRIPTION }),
    ]);

    const store = openStore(path.join(dir, 'follower.db'));
    open.push({ close: () => store.close() });
    const logs: string[] = [];
    const notified: AlertNotification[] = [];
    const seen: FollowedTransitions = new Map();
    const follower = new MetricsFollower({
      url: AMQP_URL,
      stream,
      store,
      flushMs: 20,
      log: (l) => logs.push(l),
      onApplied: (outcome) => notified.push(...followedNotifications(outcome.appliedMessages, Date.now(), seen)),
    });
    open.push({ close: () => follower.stop() });
    await follower.start();
    await waitFor(() => follower.totals.applied + follower.totals.skipped === 4, () => `4 messages read (${JSON.stringify(follower.totals)}; ${logs.join(' | ')})`);

    expect(follower.totals).toMatchObject({ applied: 2, skipped: 2 });
    expect(logs.join('\n')).toContain('skipped metrics message at offset 1 of');
    expect(logs.join('\n')).toContain('malformed metrics message: alerts.0.runbookUrl: must be an http(s) URL or a relative docs path');
    expect(logs.join('\n')).toContain('malformed metrics message: alerts.0.runbookUrl: must be a string');
    expect(store.alerts.get('hostile')).toBeNull();

    // The alert list.
    const listed = followedList(store);
    expect(listed.map((a) => [a.key, a.runbookUrl])).toEqual(
      expect.arrayContaining([
        ['newer', RUNBOOK],
        ['older', null],
      ]),
    );
    expect(listed).toHaveLength(2);
    // The notifications (desktop and browser are drawn from these).
    const byKey = new Map(notified.map((n) => [n.key, n]));
    expect(byKey.get('newer')).toMatchObject({ kind: 'firing', runbookUrl: RUNBOOK, description: DESCRIPTION, metric: 'decline_rate' });
    expect(byKey.get('older')).toMatchObject({ kind: 'firing', runbookUrl: null });
    expect(byKey.get('older')).not.toHaveProperty('description');
    // The alert record an incident report's window is resolved from (resolveWindow).
    expect(resolveWindow(store, { alertKey: 'newer' }).alert).toMatchObject({ runbookUrl: RUNBOOK, description: DESCRIPTION });
    expect(resolveWindow(store, { alertKey: 'older' }).alert).not.toHaveProperty('runbookUrl');
  });
});
