// The notification log's table as the renderer draws it (react-dom/server). Its times are local
// (Europe/Berlin) like every other table's, so the At heading names the zone and each cell's
// title the UTC instant; before, "At" named none (in a DST fall-back hour two rows read alike).
// The alerts' label values come from events: each is isolated with its undrawn characters
// shown; before they were joined raw ("merchantId=שלום attempt=2" reordered, an override drawn).
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertSilence } from '../../../shared/alerts';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { inTimeZone } from '../../../test/support/timeZone';
import { HistoryTable } from './AlertsHistory';
import { NotificationLogNotice, NotificationLogTable } from './AlertsNotifications';
import { SilencesTable } from './AlertsSilences';

inTimeZone('Europe/Berlin');

const AT = Date.UTC(2026, 9, 25, 0, 30, 0, 250); // 02:30:00.250 CEST, the first pass of the repeated hour
const entry = {
  id: 1, at: AT, eventAt: AT, contactPoint: 'ops-webhook', contactType: 'webhook', outcome: 'sent', status: 'firing', groupKey: 'g', groupLabels: {},
  rule: 'merchant-decline-spike', alerts: [{ rule: 'merchant-decline-spike', labels: { alertname: 'merchant-decline-spike', merchantId: 'שלום', country: 'm_\u202e1' } }],
  attempt: 1, maxAttempts: 3, final: true, httpStatus: 200, error: null, durationMs: 12,
} as unknown as NotificationLogEntry;

describe('notification log table', () => {
  it('names the zone of its times and gives each its UTC instant', () => {
    const html = renderToStaticMarkup(<NotificationLogTable entries={[entry]} />);
    expect(html).toContain('At (GMT+2)');
    expect(html).toContain('title="2026-10-25 02:30:00.250 GMT+2 · 2026-10-25T00:30:00.250Z"');
  });

  it("isolates each alert's label values, undrawn characters shown", () => {
    const html = renderToStaticMarkup(<NotificationLogTable entries={[entry]} />);
    expect(html).not.toContain('\u202e');
    expect(html).toContain('<bdi>שלום</bdi>');
    expect(html).toContain('<bdi>m_\\u202e1</bdi>');
  });
});

describe('notifications dropped before routing', () => {
  // Before: the evaluator counted the notifications its full queue dropped (stats().notificationsDropped)
  // and nothing showed the count: an operator reading the log saw no sign that pages were lost.
  it('are said above the log, also when it is empty, and not when none were', () => {
    const notice = (dropped: number, entries: NotificationLogEntry[]) =>
      renderToStaticMarkup(<NotificationLogNotice log={{ entries, routing: true, dropped }} error={null} onRetry={() => undefined} />);
    expect(notice(40, [entry])).toContain('40 alert notifications dropped before routing');
    expect(notice(1, [])).toContain('1 alert notification dropped before routing');
    expect(notice(1, [])).toContain('Nothing notified yet.');
    expect(notice(0, [entry])).not.toContain('dropped');
  });
});

describe('alert history times', () => {
  // Before: "Fired" and "Resolved" named no zone and the cells had no UTC title: an episode fired
  // in the first pass of the repeated hour read like one an hour later.
  it('name their zone in the headings, both sides when the clocks changed among the rows, the UTC instant in each title', () => {
    const record = (key: string, firedAt: number, resolvedAt: number | null) =>
      ({ key, rule: 'decline-rate-spike', severity: 'critical', labels: {}, group: '', state: resolvedAt ? 'resolved' : 'firing', summary: 'decline rate 23 %', value: 0.23, peakValue: 0.23,
        activeSince: firedAt, firedAt, resolvedAt, endedAt: null, silenced: false, acknowledged: null, resolveNote: null, transitions: [] }) as AlertHistoryRecord;
    const html = renderToStaticMarkup(<HistoryTable rows={[record('b', AT + 3_600_000, null), record('a', AT, AT + 60_000)]} now={AT + 7_200_000} onNote={() => undefined} />);
    expect(html).toContain('Fired (GMT+2 → GMT+1, the clocks changed)');
    expect(html).toContain('title="2026-10-25 02:30:00.250 GMT+2 · 2026-10-25T00:30:00.250Z"');
    expect(html).toContain('title="2026-10-25 02:30:00.250 GMT+1 · 2026-10-25T01:30:00.250Z"');
  });
});

describe('alert history peaks', () => {
  // Before: the Peak column printed the stored fraction ("0.230") where the live list reads "23.0 %".
  it("read in their rule's unit when the record carries its metric, a bare number when it does not", () => {
    const record = (key: string, metric?: string) =>
      ({ key, rule: 'decline-rate-spike', severity: 'critical', labels: {}, group: '', state: 'firing', summary: 'decline rate 23 %', value: 0.23, peakValue: 0.23, metric,
        activeSince: AT, firedAt: AT, resolvedAt: null, endedAt: null, silenced: false, acknowledged: null, resolveNote: null, transitions: [] }) as AlertHistoryRecord;
    const peak = (r: AlertHistoryRecord) => renderToStaticMarkup(<HistoryTable rows={[r]} now={AT + 60_000} onNote={() => undefined} />).replace(/<[^>]+>/g, ' ');
    expect(peak(record('a', 'decline_rate'))).toMatch(/23(\.0)? %/);
    expect(peak(record('a', 'decline_rate'))).not.toContain('0.230');
    expect(peak(record('b'))).toContain('0.230');
  });
});

describe('silence end times', () => {
  // Before: "Ends" named no zone and the cells had no UTC title.
  it('name their zone in the heading and the UTC instant in each title', () => {
    const silence: AlertSilence = { id: 's1', matchers: [{ label: 'merchantId', op: '=', value: 'm_1' }], endsAt: AT, comment: '', createdBy: 'ops', createdAt: AT - 3_600_000, expiredAt: null };
    const html = renderToStaticMarkup(<SilencesTable silences={[silence]} alerts={[]} now={AT - 60_000} onExpire={() => undefined} />);
    expect(html).toContain('Ends (GMT+2)');
    expect(html).toContain('title="2026-10-25 02:30:00.250 GMT+2 · 2026-10-25T00:30:00.250Z"');
  });
});
