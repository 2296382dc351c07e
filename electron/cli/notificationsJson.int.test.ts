// Issue 14's contract for `payops notifications --json`: each entry has "its contact point,
// rule, labels, status (firing/resolved), attempts and error". The log named the labels only
// inside groupLabels and alerts[].labels, and the attempts only as attempt/maxAttempts, so a
// reader of `labels` or `attempts` found nothing. Real SQLite file, the built CLI.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NotificationLogEntry, NotifiedAlert } from '../../shared/notifications';
import { runPayops } from '../../test/support/cli';
import { tempDir } from '../../test/support/tempDir';
import { openNotificationLog } from '../core/store/notificationLogRepository';
import { openStore } from '../core/store/store';

const dir = tempDir('payops-notifications-json-');

const alertOf = (merchant: string): NotifiedAlert => ({
  rule: 'declines',
  severity: 'critical',
  status: 'firing',
  labels: { alertname: 'declines', severity: 'critical', merchant },
  fingerprint: `fp-${merchant}`,
  startsAt: 0,
  endsAt: null,
  summary: `FIRING declines: merchant ${merchant}`,
});

const row = (over: Partial<NotificationLogEntry>): Omit<NotificationLogEntry, 'id'> => ({
  at: 1_000,
  eventAt: 1_000,
  contactPoint: 'oncall-hook',
  contactType: 'webhook',
  outcome: 'sent',
  status: 'firing',
  groupKey: '0:oncall-hook:{alertname="declines"}',
  groupLabels: { alertname: 'declines' },
  rule: 'declines',
  alerts: [alertOf('m_1')],
  attempt: 1,
  maxAttempts: 3,
  final: true,
  httpStatus: 200,
  error: null,
  durationMs: 4,
  ...over,
});

describe('payops notifications --json', () => {
  it('names each entry\'s labels and attempts as the issue does, beside the fields it had', async () => {
    const db = path.join(dir, 'log.db');
    openStore(db).close(); // a session database, migrated
    const log = openNotificationLog(db);
    log.log.append(row({ outcome: 'failed', final: false, httpStatus: 500, error: 'HTTP 500' }));
    log.log.append(row({ attempt: 2, at: 2_000 }));
    // Two merchants in one group message: the labels they share.
    log.log.append(row({ alerts: [alertOf('m_1'), alertOf('m_2')], at: 3_000 }));
    log.log.append(row({ outcome: 'muted', attempt: 0, maxAttempts: 0, httpStatus: null, durationMs: null, at: 4_000 }));
    log.close();

    const r = await runPayops(['notifications', '--db', db, '--json']);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(entries.map((e) => [e.contactPoint, e.rule, e.labels, e.status, e.attempts, e.error])).toEqual([
      ['oncall-hook', 'declines', { alertname: 'declines', severity: 'critical', merchant: 'm_1' }, 'firing', 1, 'HTTP 500'],
      ['oncall-hook', 'declines', { alertname: 'declines', severity: 'critical', merchant: 'm_1' }, 'firing', 2, null],
      ['oncall-hook', 'declines', { alertname: 'declines', severity: 'critical' }, 'firing', 1, null],
      ['oncall-hook', 'declines', { alertname: 'declines', severity: 'critical', merchant: 'm_1' }, 'firing', 0, null],
    ]);
    // The fields it already had stay as they were.
    expect(entries[1]).toMatchObject({ attempt: 2, maxAttempts: 3, groupLabels: { alertname: 'declines' }, outcome: 'sent' });
  }, 30_000);
});
