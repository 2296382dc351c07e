// The range panels as the renderer draws them (react-dom/server, no DOM needed) on a range that
// holds nothing: each says so in words, with no empty table and no separator before nothing.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { DashboardSeries } from '../../../shared/dashboardApi';
import type { ArrivalView } from '../../../shared/metrics';
import { ArrivalChart } from './ArrivalChart';
import { DecisionsPanel, DeclineCodesPanel, RangeChartsError, RatesPanel, thresholdLabel, VolumePanel } from './DashboardCharts';

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const empty: DashboardSeries = {
  fromMs: T0,
  toMs: T0 + 15 * 60_000,
  stepMs: 60_000,
  source: 'rollup_minute',
  compare: null,
  approvalRate: [],
  paymentApprovalRate: [],
  declineRate: [],
  latencyP50: [],
  latencyP95: [],
  latencyP99: [],
  attempts: [],
  volume: [],
  decisions: [],
  declineCodes: [],
  totals: { authorized: 0, declined: 0, failed: 0, payments: 0, approvedPayments: 0, latencyP50: null, latencyP95: null, latencyP99: null },
};
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('dashboard range panels on an empty range', () => {
  it('volume: says there are no payments, without a table of no currency', () => {
    const html = renderToStaticMarkup(<VolumePanel data={empty} />);
    expect(text(html)).toContain('No payments in this range');
    expect(html).not.toContain('data-testid="volume-totals"');
  });

  // A code nobody knows is charted in minor units (as exports show its amounts): the chart says so.
  it('volume: a code nobody knows is charted and named in minor units', () => {
    const zzz = { ...empty, volume: [{ currency: 'ZZZ', authorized: [[T0, 1250]], declined: [], authorizedMinor: 1250, declinedMinor: 0, authorizedCount: 1, declinedCount: 0 }] } as DashboardSeries;
    const html = renderToStaticMarkup(<VolumePanel data={zzz} />);
    expect(html).toContain('volume in ZZZ, minor units per step');
    expect(text(html)).toContain('1,250 (minor units of ZZZ)');
  });

  it('risk decisions: no separator left dangling after "decisions per minute"', () => {
    const html = renderToStaticMarkup(<DecisionsPanel data={empty} />);
    expect(text(html)).toContain('decisions per minute');
    expect(text(html)).not.toMatch(/decisions per minute ·/);
  });
});

describe('top decline codes', () => {
  // Before: the panel drew the ten codes it was sent, and the declines of the codes past them (and
  // of declines without a code) were nowhere, though counted in "N declines in the range".
  const codes = Array.from({ length: 10 }, (_, i) => ({ code: String(51 + i), count: 100 - i }));
  const totals = { ...empty.totals, declined: 955 + 45 };
  it('says how many codes and declines it leaves out, with their share', () => {
    const html = renderToStaticMarkup(<DeclineCodesPanel data={{ ...empty, declineCodes: codes, declineCodesLeftOut: { codes: 4, count: 45 }, totals }} />);
    expect(html).toContain('data-testid="decline-codes-left-out" data-count="45"');
    expect(text(html)).toContain('4 other codes not shown 45 · 4.5%');
  });

  it('says nothing of the kind when nothing is left out', () => {
    const html = renderToStaticMarkup(<DeclineCodesPanel data={{ ...empty, declineCodes: codes, declineCodesLeftOut: { codes: 0, count: 0 }, totals: { ...totals, declined: 955 } }} />);
    expect(html).not.toContain('decline-codes-left-out');
  });
});

describe('rates panel', () => {
  it('names every rate per attempt or per payment, the compared series too', () => {
    const point = (v: number): [number, number][] => [[T0, v]];
    const compare = { ...empty, with: 'yesterday', approvalRate: point(0.9), declineRate: point(0.1) } as unknown as DashboardSeries['compare'];
    const data: DashboardSeries = { ...empty, approvalRate: point(0.8), paymentApprovalRate: point(0.85), declineRate: point(0.2), compare };
    const html = renderToStaticMarkup(<RatesPanel data={data} />);
    expect(text(html)).toContain('Approval rate per attempt (yesterday)');
    expect(text(html)).toContain('Decline rate per attempt (yesterday)');
  });
});

describe('range charts that could not be read', () => {
  // Before: a new range whose read failed said "Charts unavailable: ..." above the charts of the
  // range before, drawn under the new range's picker as if they were its; with no charts yet it
  // said "Charts start with the first snapshot" under the error.
  it('names the range the charts below show', () => {
    const from = Date.UTC(2026, 10, 23, 8);
    const html = renderToStaticMarkup(<RangeChartsError error="the read worker stopped." shown={{ fromMs: from, toMs: from + 3_600_000 }} />);
    const said = html.replace(/<[^>]+>/g, '');
    expect(said).toMatch(/^Charts unavailable: the read worker stopped\. The charts below are of 2026-11-23 \d\d:00:00 – 2026-11-23 \d\d:00:00 \S+, read before\.$/);
    expect(renderToStaticMarkup(<RangeChartsError error="busy" shown={null} />).replace(/<[^>]+>/g, '')).toBe('Charts unavailable: busy.');
    expect(renderToStaticMarkup(<RangeChartsError error={null} shown={null} />)).toBe('');
  });
});

describe('top decline codes from the events', () => {
  // Before: a code was drawn raw: an override in it turned the row round, a long one widened the panel.
  it('isolates each code, its undrawn characters shown, cut to what a cell holds', () => {
    const codes = [{ code: '5\u202e1', count: 3 }, { code: '9'.repeat(500), count: 2 }];
    const html = renderToStaticMarkup(<DeclineCodesPanel data={{ ...empty, declineCodes: codes, totals: { ...empty.totals, declined: 5 } }} />);
    expect(text(html)).not.toContain('\u202e');
    expect(html).toContain('<bdi>5\\u202e1</bdi>');
    expect(html).toContain(`title="${'9'.repeat(500)}"`);
  });
});

describe('alert rule thresholds on the rates chart', () => {
  // Before: "approval below 90.0 %" beside two approval lines, one per attempt and one per payment;
  // the approval_rate rule judges per attempt.
  it('say the rate they are on is per attempt', () => {
    expect(thresholdLabel({ rule: 'low-approval', metric: 'approval_rate', kind: 'below', value: 0.9, severity: 'critical' })).toMatch(/^low-approval: approval per attempt below 90\.0\s?%$/);
    expect(thresholdLabel({ rule: 'declines', metric: 'decline_rate', kind: 'above', value: 0.2, severity: 'warning' })).toMatch(/^declines: decline per attempt above 20\.0\s?%$/);
  });
});

// The arrivals chart had no name: its plot is aria-hidden, so a screen reader heard only the
// line above it ("by arrival time · last 2 min · 12/s now"), not what the chart is nor what it
// holds. It is now an image named by what it shows, in which unit, over which window, and how
// many arrived, as the other charts are.
describe('the arrivals chart', () => {
  const arrival = (perSecond: number[]): ArrivalView => ({
    endSec: T0 / 1000, perSecond, rates: { s1: perSecond[perSecond.length - 1] ?? 0, m1: 3, m5: 3 }, late: null,
  } as unknown as ArrivalView);

  it('is named by what it shows, its unit, its window and what arrived', () => {
    const html = renderToStaticMarkup(<ArrivalChart arrival={arrival([0, 2, 1200, 4])} theme="dark" />);
    expect(html).toContain('role="img" aria-label="Events arriving per second by arrival time, last 2 minutes: 1,206 arrived, 4/s now"');
  });

  it('with nothing arrived, says so in its name too', () => {
    const html = renderToStaticMarkup(<ArrivalChart arrival={arrival([0, 0])} theme="dark" />);
    expect(html).toContain('aria-label="Events arriving per second by arrival time, last 2 minutes: nothing arrived"');
  });
});
