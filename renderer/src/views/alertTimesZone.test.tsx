// Alert times outside the tables (react-dom/server): the line said when a silence is made and
// the report tab's alert picker. Before, both gave a local time with no zone: in the hour a DST
// fall-back repeats (Europe/Berlin, 25 October 2026) "until 02:30:00" named two instants.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertView } from '../../../shared/alerts';
import { HistoryTable } from './AlertsHistory';
import { NotificationLogTable } from './AlertsNotifications';
import { SilencesTable } from './AlertsSilences';
import { inTimeZone } from '../../../test/support/timeZone';
import { AlertList } from '../components/AlertList';
import { silencedLine } from './AlertsActions';
import { reportAlertOption } from './explorer/ReportTab';

inTimeZone('Europe/Berlin');

const FIRST_PASS = Date.UTC(2026, 9, 25, 0, 30); // 02:30 CEST
const SECOND_PASS = Date.UTC(2026, 9, 25, 1, 30); // 02:30 CET

const alert = (over: Partial<AlertView>): AlertView => ({
  key: 'k1', rule: 'merchant-decline-spike', severity: 'critical', labels: { alertname: 'merchant-decline-spike', severity: 'critical', merchantId: 'm_1' },
  state: 'firing', value: 0.3, peakValue: 0.3, summary: 'decline rate 30 %', runbookUrl: null, activeSince: FIRST_PASS, firedAt: FIRST_PASS, resolvedAt: null,
  silenced: false, acknowledged: null, transitions: [], ...over,
});

describe('the line said when a silence is made', () => {
  it('names the zone of its end, each pass of the repeated hour its own', () => {
    const matchers = [{ label: 'merchantId', op: '=' as const, value: 'm_1' }];
    const line = (endsAt: number) => renderToStaticMarkup(<>{silencedLine({ matchers, endsAt })}</>);
    expect(line(FIRST_PASS)).toContain('until 2026-10-25 02:30:00 GMT+2');
    expect(line(SECOND_PASS)).toContain('until 2026-10-25 02:30:00 GMT+1');
  });
});

describe("the report tab's alert picker", () => {
  it('names the zone of when each alert fired and resolved', () => {
    const text = reportAlertOption(alert({ firedAt: FIRST_PASS, resolvedAt: SECOND_PASS, state: 'resolved' }));
    expect(text).toContain('fired 2026-10-25 02:30:00 GMT+2');
    expect(text).toContain('resolved 2026-10-25 02:30:00 GMT+1');
  });

  // Before: only the rule and the times: the spikes of two merchants that fired together read alike.
  it("tells two alerts of one rule apart by their labels, each value isolated, its undrawn characters shown", () => {
    const one = reportAlertOption(alert({ labels: { alertname: 'merchant-decline-spike', severity: 'critical', merchantId: 'שלום' } }));
    const two = reportAlertOption(alert({ labels: { alertname: 'merchant-decline-spike', severity: 'critical', merchantId: 'm_\u202e2' } }));
    expect(one).toContain('merchantId=\u2068שלום\u2069');
    expect(two).toContain('merchantId=\u2068m_\\u202e2\u2069');
    expect(one).not.toContain('severity=');
  });
});

describe("the alert list's Since column", () => {
  it('titles each age with the local time, its zone and the UTC instant', () => {
    const html = renderToStaticMarkup(<AlertList alerts={[alert({ firedAt: SECOND_PASS, activeSince: SECOND_PASS })]} />);
    expect(html).toContain('title="2026-10-25 02:30:00.000 GMT+1 · 2026-10-25T01:30:00.000Z"');
  });
});

// A screen reader lists a page's tables by their names and says a table's name on entering it.
// The alert tables had none ("table, 8 columns"), beside charts' data tables that did.
describe('the alert tables are named', () => {
  it('the alert list, the history, the silences and the notification log', () => {
    expect(renderToStaticMarkup(<AlertList alerts={[alert({})]} />)).toContain('<caption class="sr-only">Alerts, firing and pending first</caption>');
    const record = { ...alert({}), group: '', endedAt: null, resolveNote: null } as unknown as AlertHistoryRecord;
    expect(renderToStaticMarkup(<HistoryTable rows={[record]} now={FIRST_PASS} onNote={() => undefined} />)).toContain('<caption class="sr-only">Alert history</caption>');
    expect(renderToStaticMarkup(<SilencesTable silences={[]} alerts={[]} now={FIRST_PASS} onExpire={() => undefined} />)).toContain('<caption class="sr-only">Silences</caption>');
    expect(renderToStaticMarkup(<NotificationLogTable entries={[]} />)).toContain('<caption class="sr-only">Notification log, newest first</caption>');
  });
});
