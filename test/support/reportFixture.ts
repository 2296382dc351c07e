// A report's data with nothing in it, for tests of its writers (HTML, text) to fill what they test.
import type { ReportData } from '../../shared/explorer';

/** The least a report holds: nothing in its window. */
export function minimalReport(bucketMs = 60_000): ReportData {
  const figures = {
    events: 0, byType: {}, authorizedAmountByCurrency: {}, authorized: 0, declined: 0, failed: 0, approvalRate: null,
    payments: 0, approvedPayments: 0, paymentApprovalRate: null, declineRate: null, declinesByCode: {}, softDeclines: 0,
    hardDeclines: 0, riskDecisions: {}, eventsPerSecond: 0,
  };
  return {
    title: 'r', generatedAt: '2026-12-07T00:00:00.000Z',
    window: { from: '2026-10-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z', fromMs: 0, toMs: 1, durationMs: 1 },
    source: { alertKey: null, marginMinutes: null }, masked: true, maskFields: [], totals: figures,
    previous: { window: { from: '', to: '' }, totals: figures }, change: { events: null, approvalRate: null, declineRate: null },
    alerts: [], alertCounts: { total: 0, bySeverity: {}, byRule: {} }, silences: [], timeline: [], redrives: [], explanation: null,
    topMerchants: [], topCountries: [], topDeclineCodes: [], topCardBins: [],
    series: { bucketMs, throughput: [], declineRate: [], riskDecisions: [], queueDepth: [] },
    notes: null, sampleEvents: [], summary: [], tookMs: 0,
  } as ReportData;
}
