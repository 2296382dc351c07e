// The notification log keeps one row per attempt, each repeating the alerts it carried: a
// console left running for weeks against a receiver that is down grew it without bound. It is
// now kept bounded (Alertmanager's notification log keeps 120 h, `--data.retention`), by age and
// by rows, except each group's last delivered message, which the restart resume reads
// (lastSent) so a page delivered long ago is not sent again. lastSent reads an index of the
// delivered rows, not the whole log. Real SQLite files, a real receiver on loopback.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { validateRouting } from '../../../shared/notificationConfig';
import type { NotificationLogEntry, NotifiedAlert } from '../../../shared/notifications';
import { startReceiver } from '../../../test/support/httpReceiver';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { NOTIFICATION_LOG_RETENTION, openNotificationLog } from '../store/notificationLogRepository';
import { openStore } from '../store/store';
import { startSessionNotifications } from './notificationHub';
import { fingerprintOf } from './router';
import { secretEnvName } from './secretUrls';

const dir = tempDir('payops-notify-retention-');
const HOUR = 3600_000;
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

const labels = { merchant: 'm_1', alertname: 'failures', severity: 'critical' };
const alert: NotifiedAlert = { rule: 'failures', severity: 'critical', status: 'firing', labels, fingerprint: fingerprintOf(labels), startsAt: 0, endsAt: null, summary: 'FIRING failures: merchant m_1' };
const row = (over: Partial<NotificationLogEntry>): Omit<NotificationLogEntry, 'id'> => ({
  at: 0,
  eventAt: 0,
  contactPoint: 'oncall',
  contactType: 'webhook',
  outcome: 'failed',
  status: 'firing',
  groupKey: '-1:oncall:{alertname="failures"}',
  groupLabels: { alertname: 'failures' },
  rule: 'failures',
  alerts: [alert],
  attempt: 1,
  maxAttempts: 3,
  final: false,
  httpStatus: 503,
  error: 'HTTP 503',
  durationMs: 3,
  ...over,
});

describe('notification log retention', () => {
  it('drops rows past the age and the row bound, keeping each group\'s last delivered message', () => {
    const file = path.join(dir, 'prune.db');
    const s = openNotificationLog(file);
    open.push(s);
    const now = Date.UTC(2030, 0, 10);
    const old = now - 200 * HOUR;
    // A group paged long ago (its last delivered row), then weeks of failed attempts for another.
    s.log.append(row({ at: old - 1000, outcome: 'sent', groupKey: 'paged', httpStatus: 200, error: null, final: true }));
    s.log.append(row({ at: old - 500, outcome: 'sent', groupKey: 'paged', httpStatus: 200, error: null, final: true }));
    for (let i = 0; i < 300; i++) s.log.append(row({ at: old + i }));
    for (let i = 0; i < 300; i++) s.log.append(row({ at: now - HOUR + i }));
    const lastSentBefore = s.log.lastSent();
    expect(lastSentBefore).toHaveLength(1);

    const removed = s.log.prune(now, { maxAgeMs: 120 * HOUR, maxRows: 100 });
    const rows = s.log.list();
    expect(removed).toBe(2 + 300 + 300 - 101);
    expect(rows).toHaveLength(101);
    expect(rows.filter((r) => r.outcome === 'failed').every((r) => r.at >= now - HOUR + 200)).toBe(true);
    expect(s.log.lastSent()).toEqual(lastSentBefore);
    // Nothing more to do: a second pass removes nothing.
    expect(s.log.prune(now, { maxAgeMs: 120 * HOUR, maxRows: 100 })).toBe(0);
  });

  it('has Alertmanager\'s default age (120 h) and a row bound', () => {
    expect(NOTIFICATION_LOG_RETENTION.maxAgeMs).toBe(120 * HOUR);
    expect(NOTIFICATION_LOG_RETENTION.maxRows).toBeGreaterThan(0);
  });

  it('lastSent reads an index of the delivered rows, not the whole log', () => {
    const file = path.join(dir, 'plan.db');
    openNotificationLog(file).close();
    const db = openDatabase(file);
    try {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN SELECT MAX(id) FROM notification_log WHERE outcome = 'sent' GROUP BY contact_point, group_key`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan).toMatch(/COVERING INDEX notification_log_sent/);
      expect(plan).not.toMatch(/SCAN notification_log(?! USING)/);
    } finally {
      db.close();
    }
  });

  it('a live session started on a big old log prunes it and still does not page again what was delivered', async () => {
    const receiver = await startReceiver();
    open.push(receiver);
    const file = path.join(dir, 'restart.db');
    const now = Date.now();
    const firedAt = now - 300 * HOUR;
    const store = openStore(file);
    const record = { key: 'failures|merchant=m_1', rule: 'failures', severity: 'critical', labels: { merchant: 'm_1' }, group: 'merchant=m_1', state: 'firing', summary: 'merchant m_1', value: 0.5, peakValue: 0.5, resolvedAt: null, endedAt: null, silenced: false, acknowledged: null, resolveNote: null } satisfies Partial<AlertHistoryRecord>;
    store.alerts.save([{ ...record, activeSince: firedAt, firedAt, transitions: [{ state: 'pending', at: firedAt }, { state: 'firing', at: firedAt }] } as AlertHistoryRecord]);
    store.close();
    const log = openNotificationLog(file);
    log.log.append(row({ at: firedAt, eventAt: firedAt, outcome: 'sent', httpStatus: 200, error: null, final: true, alerts: [{ ...alert, startsAt: firedAt }] }));
    for (let i = 0; i < 2000; i++) log.log.append(row({ at: firedAt + i, groupKey: 'another', contactPoint: 'down' }));
    log.close();

    const v = validateRouting({
      contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '0s', groupInterval: '1s', repeatInterval: '400h' },
    });
    if (!v.ok) throw new Error('routing');
    const s = startSessionNotifications({ dbFile: file, routing: v.config, secrets: null, dryRun: false, live: true, env: { [secretEnvName('oncall')]: `${receiver.url}/hook` } });
    await s.stop();
    expect(receiver.requests).toHaveLength(0);
    const after = openNotificationLog(file, { readonly: true });
    open.push(after);
    expect(after.log.list().map((e) => `${e.contactPoint}:${e.outcome}`)).toEqual(['oncall:sent']);
  });

  it('a session that keeps logging keeps the log within its row bound', async () => {
    const file = path.join(dir, 'running.db');
    const v = validateRouting({
      contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['...'], groupWait: '0s', groupInterval: '1s', repeatInterval: '4h' },
    });
    if (!v.ok) throw new Error('routing');
    const s = startSessionNotifications({ dbFile: file, routing: v.config, secrets: null, dryRun: true, live: false, retention: { maxAgeMs: 120 * HOUR, maxRows: 200 } });
    const t0 = Date.UTC(2030, 0, 1);
    for (let i = 0; i < 1500; i++) s.hub.observe({ kind: 'firing', rule: 'failures', severity: 'critical', labels: { merchant: `m_${i}` }, value: 1, summary: `FIRING failures: merchant m_${i}`, at: t0 + i });
    await s.stop();
    const after = openNotificationLog(file, { readonly: true });
    open.push(after);
    const n = after.log.list({ limit: 100_000 }).length;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThanOrEqual(2 * 200);
  });
});
