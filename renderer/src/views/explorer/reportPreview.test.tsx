// The report tab's preview as the renderer draws it (react-dom/server, no DOM needed): every
// rate says what it is per, and the window is in the operator's zone with the zone named.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ReportData, ReportFigures } from '../../../../shared/explorer';
import { inTimeZone } from '../../../../test/support/timeZone';
import { ReportPreview } from './ReportTab';

inTimeZone('America/New_York');

const figures: ReportFigures = {
  events: 1000, byType: {}, authorizedAmountByCurrency: { KWD: 1250 }, authorized: 800, declined: 150, failed: 50,
  approvalRate: 0.8, payments: 900, approvedPayments: 810, paymentApprovalRate: 0.9, declineRate: 0.15, declinesByCode: {},
  softDeclines: 100, hardDeclines: 50, riskDecisions: {}, eventsPerSecond: 1,
};
const fromMs = Date.UTC(2026, 10, 1, 5, 30);
const toMs = Date.UTC(2026, 10, 1, 6, 30); // New York falls back at 06:00Z: 01:30 EDT to 01:30 EST
const report = {
  title: 'Incident', generatedAt: new Date(toMs).toISOString(),
  window: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), fromMs, toMs, durationMs: toMs - fromMs },
  source: { alertKey: null, marginMinutes: null }, masked: false, maskFields: [], summary: [], totals: figures,
  previous: { window: { from: '', to: '' }, totals: figures }, change: { events: null, approvalRate: null, declineRate: null },
  alerts: [], alertCounts: { total: 0, bySeverity: {}, byRule: {} }, silences: [], timeline: [], topMerchants: [], topCountries: [],
  topDeclineCodes: [], topCardBins: [], series: { bucketMs: 60_000, throughput: [], declineRate: [], riskDecisions: [], queueDepth: [] },
  notes: null, sampleEvents: [], tookMs: 12,
} as unknown as ReportData;
const text = () => renderToStaticMarkup(<ReportPreview report={report} />).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('report preview', () => {
  it('says the decline rate is per attempt, as the approval rates beside it say theirs', () => {
    expect(text()).toContain('Decline rate per attempt');
  });

  it('gives its window in the operator\'s zone with the zone named, both ends across the fall-back', () => {
    expect(text()).toContain('2026-11-01 01:30:00 EDT – 2026-11-01 01:30:00 EST');
    expect(text()).not.toContain('2026-11-01T05:30:00.000Z');
  });
});

describe('report preview amounts', () => {
  // Past 2^53 minor units a sum is a double's nearest value: the summary line, the dashboard and
  // payops stats say "about"; the preview's table said the digits as if exact.
  it('says "about" for a total past 2^53 minor units, in each currency\'s own decimals', () => {
    const huge = { ...figures, authorizedAmountByCurrency: { JPY: 2 ** 53 + 2, KWD: 1250 } };
    const html = renderToStaticMarkup(<ReportPreview report={{ ...report, totals: huge }} />);
    const cells = [...html.matchAll(/data-currency="(\w+)"><td>[^<]*<\/td><td class="num mono">([^<]*)<\/td>/g)].map((m) => `${m[1]}: ${m[2]}`);
    expect(cells).toEqual(['JPY: about 9,007,199,254,740,994 JPY', 'KWD: 1.250 KWD']);
  });

  it('isolates the top merchants and decline codes, their undrawn characters shown', () => {
    const html = renderToStaticMarkup(
      <ReportPreview report={{ ...report, topMerchants: [{ merchantId: 'm_\u202e1', events: 3, declines: 1 }], topDeclineCodes: [{ declineCode: 'דחה', events: 2, meaning: 'Unknown', kind: 'soft' }] }} />,
    );
    expect(html).not.toContain('\u202e');
    expect(html).toContain('<bdi>m_\\u202e1</bdi>');
    expect(html).toContain('<bdi>דחה</bdi>');
  });
});
