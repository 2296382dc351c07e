// Clock times the console gives on their own, outside the tables (react-dom/server, Europe/Berlin):
// the header's "CONNECTION LOST since", the paused banner, the alerts' "updated", the charts'
// tooltips and data tables. Before, each was a local HH:MM:SS with no zone anywhere near it: in
// the hour a DST fall-back repeats (25 October 2026) "since 02:30:00" named two instants.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardSeries } from '../../../shared/dashboardApi';
import { emptySnapshot } from '../../../test/support/emptySnapshot';
import { inTimeZone } from '../../../test/support/timeZone';
import { statusBadge } from '../lib/statusBadge';
import { AlertsUpdated } from '../views/AlertsPage';
import { pausedText } from './Banners';
import { ChartTooltipBox } from './ChartTooltip';
import { RatesPanel } from './DashboardCharts';
import { liveTimeTitle } from './LivePlot';
import { rangeTimeTitle } from './TimeChart';

inTimeZone('Europe/Berlin');

const FIRST_PASS = Date.UTC(2026, 9, 25, 0, 30); // 02:30 CEST
const SECOND_PASS = Date.UTC(2026, 9, 25, 1, 30); // 02:30 CET
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('the header status badge', () => {
  it('says since when the engine was lost with the zone, in the label and the title', () => {
    const badge = statusBadge(emptySnapshot(SECOND_PASS), null, SECOND_PASS + 6000);
    expect(badge.label).toBe('CONNECTION LOST since 02:30:00 GMT+1');
    expect(badge.title).toContain('the figures shown are from 02:30:00 GMT+1');
  });

  it('says since when the broker connection was lost with the zone', () => {
    const lost = emptySnapshot(FIRST_PASS, {
      connection: { state: 'reconnecting', url: 'amqp://h', since: FIRST_PASS, attempts: 4, lastError: 'ECONNRESET' },
      status: { state: 'lost', since: FIRST_PASS, lastReceivedAt: null, detail: 'ECONNRESET' },
    });
    expect(statusBadge(lost, null, FIRST_PASS).label).toBe('CONNECTION LOST since 02:30:00 GMT+2');
  });
});

describe('the paused banner and the alerts list', () => {
  it('name the zone of the time the view froze and the list was read', () => {
    expect(pausedText(SECOND_PASS)).toContain('frozen since 02:30:00 GMT+1');
    expect(text(renderToStaticMarkup(<AlertsUpdated error={null} loadedAt={FIRST_PASS} />))).toBe('updated 02:30:00 GMT+2');
  });
});

describe('the charts', () => {
  it("tooltips name the zone of the time they show, beside the time's text (the data table's row)", () => {
    expect(liveTimeTitle(SECOND_PASS / 1000)).toEqual({ text: '02:30:00', zone: 'GMT+1' });
    expect(rangeTimeTitle(FIRST_PASS)).toEqual({ text: '2026-10-25 02:30:00', zone: 'GMT+2' });
    const html = renderToStaticMarkup(<ChartTooltipBox time={rangeTimeTitle(FIRST_PASS)} items={[]} unit="" format={String} />);
    expect(html).toContain('<span class="chart-tooltip-time">2026-10-25 02:30:00</span> <span class="chart-tooltip-zone">GMT+2</span>');
  });

  it("data tables name the zone of their times in the heading, both sides across the clocks' change", () => {
    const data: DashboardSeries = {
      fromMs: FIRST_PASS, toMs: SECOND_PASS + 60_000, stepMs: 60_000, source: 'rollup_minute', compare: null,
      approvalRate: [[FIRST_PASS, 0.9], [SECOND_PASS, 0.8]], paymentApprovalRate: [], declineRate: [[FIRST_PASS, 0.1], [SECOND_PASS, 0.2]],
      latencyP50: [], latencyP95: [], latencyP99: [], attempts: [[FIRST_PASS, 10], [SECOND_PASS, 10]], volume: [], decisions: [], declineCodes: [],
      totals: { authorized: 17, declined: 3, failed: 0, payments: 20, approvedPayments: 17, latencyP50: null, latencyP95: null, latencyP99: null },
    };
    expect(renderToStaticMarkup(<RatesPanel data={data} />)).toContain('<th scope="col">Time (GMT+2 → GMT+1, the clocks changed)</th>');
  });
});
