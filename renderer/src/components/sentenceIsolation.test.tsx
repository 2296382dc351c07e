// Sentences the core composes around values from events (the triage headline, an alert's summary,
// a report's summary lines, a quarantine reason) as the renderer draws them (react-dom/server).
// A value in right-to-left letters carries no control character to escape, yet it reorders the
// figures beside it: "Most active merchant: שלום (1,234 events" is drawn with 1,234 and the
// parenthesis on the merchant's left, as if part of it. Each value must be its own isolate
// (<bdi>), the sentence's own figures outside it.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertView } from '../../../shared/alerts';
import type { RulesBacktestResult } from '../../../shared/alertsApi';
import type { QuarantineRow, ReportData } from '../../../shared/explorer';
import type { Explanation } from '../../../shared/triage';
import { ExplainView } from '../views/Triage';
import { EXPLAIN_IDLE } from '../views/triageModel';
import { ReportPreview } from '../views/explorer/ReportTab';
import { QuarantineTable } from '../views/explorer/QuarantineTab';
import { BacktestResultView } from '../views/rules/RulesEditor';
import { AlertList } from './AlertList';

const HEBREW = 'קפה שלום';
const ARABIC = 'دينار';

/** The text of every <bdi> in the markup. */
const isolated = (html: string) => [...html.matchAll(/<bdi[^>]*>([^<]*)<\/bdi>/g)].map((m) => m[1]);
/** The markup with every <bdi>…</bdi> taken out: what is left is the sentence's own text. */
const outside = (html: string) => html.replace(/<bdi[^>]*>[^<]*<\/bdi>/g, '[value]');

function explanation(headline: string, values: string[]): Explanation {
  const period = { from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T08:15:00.000Z', value: 0.81, attempts: 2000 };
  return {
    metric: 'approval-rate', significant: true, overdispersion: 1, basis: 'per attempt', headline,
    window: period, baseline: { ...period, from: '2026-11-23T07:00:00.000Z', to: '2026-11-23T08:00:00.000Z', value: 0.93 },
    contributors: values.map((value) => ({
      dimension: 'merchantId', value, effect: 'rate', contribution: -0.1, rateEffect: -0.1, mixEffect: 0, shareOfChange: 0.91, significant: true,
      window: { attempts: 300, value: 0.12 }, baseline: { attempts: 1200, value: 0.93 }, topCodes: ['91'],
    })),
    declineCodes: [],
  } as unknown as Explanation;
}

const headlineOf = (e: Explanation) => {
  const html = renderToStaticMarkup(<ExplainView state={{ ...EXPLAIN_IDLE, explanation: e }} />);
  return html.match(/<p[^>]*data-testid="triage-headline"[^>]*>(.*?)<\/p>/)![1];
};

describe('values in core-built sentences are isolated from the figures beside them', () => {
  it('the triage headline: the merchant in Hebrew is one isolate, its figures outside', () => {
    const h = headlineOf(explanation(`approval 81.0 % vs 93.0 % (per attempt): merchant ${HEBREW} approval 12.0 % vs 93.0 %, 91 % of the drop`, [HEBREW]));
    expect(isolated(h)).toEqual([HEBREW]);
    expect(outside(h)).toBe('approval 81.0 % vs 93.0 % (per attempt): merchant [value] approval 12.0 % vs 93.0 %, 91 % of the drop');
  });

  it('a short value is isolated as a word, never inside a figure ("attempt 1" beside "12.0 %")', () => {
    const h = headlineOf(explanation('approval 81.0 % vs 93.0 % (per attempt): attempt 1 approval 12.0 % vs 93.0 %, 91 % of the drop', ['1']));
    expect(outside(h)).toBe('approval 81.0 % vs 93.0 % (per attempt): attempt [value] approval 12.0 % vs 93.0 %, 91 % of the drop');
  });

  it("a value's undrawn characters are still shown as \\uXXXX, inside its isolate", () => {
    const h = headlineOf(explanation('approval 81 % vs 93 %: merchant m_\u202e1 approval 12 % vs 93 %', ['m_\u202e1']));
    expect(isolated(h)).toEqual(['m_\\u202e1']);
    expect(h).not.toContain('\u202e');
  });

  it("an alert's summary: its label value is isolated, in the line and in the row's title", () => {
    const alert: AlertView = {
      key: 'k1', rule: 'merchant-decline-spike', severity: 'critical', labels: { merchantId: HEBREW }, state: 'firing',
      metric: 'decline_rate', value: 0.23, peakValue: 0.23, summary: `decline rate 23 % for merchantId ${HEBREW}, baseline 4 % +/- 1.5 %`, runbookUrl: null,
      activeSince: 0, firedAt: 0, resolvedAt: null, silenced: false, acknowledged: null, transitions: [],
    };
    const html = renderToStaticMarkup(<AlertList alerts={[alert]} />);
    const line = html.match(/<div class="muted small">(.*?)<\/div>/)![1];
    expect(outside(line)).toBe('decline rate 23 % for merchantId [value], baseline 4 % +/- 1.5 %');
    // A title is plain text: the value is held between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE.
    expect(html).toContain(`title="decline rate 23 % for merchantId \u2068${HEBREW}\u2069, baseline 4 % +/- 1.5 %"`);
  });

  it("the compact list (the dashboard's) says an alert's summary in the row, not only in a mouse-over title", () => {
    // A title is reachable neither by the keyboard nor, reliably, by a screen reader.
    const alert: AlertView = {
      key: 'k1', rule: 'merchant-decline-spike', severity: 'critical', labels: { merchantId: HEBREW }, state: 'firing',
      metric: 'decline_rate', value: 0.23, peakValue: 0.23, summary: `decline rate 23 % for merchantId ${HEBREW}`, runbookUrl: null,
      activeSince: 0, firedAt: 0, resolvedAt: null, silenced: false, acknowledged: null, transitions: [],
    };
    const html = renderToStaticMarkup(<AlertList alerts={[alert]} compact />);
    const line = html.match(/<div class="muted small alert-summary">(.*?)<\/div>/)?.[1];
    expect(line).toBeDefined();
    expect(outside(line!)).toBe('decline rate 23 % for merchantId [value]');
  });

  it("a report's summary line: the most active merchant is isolated from its counts", () => {
    const report = {
      title: 'Incident', generatedAt: '2026-11-23T09:00:00.000Z',
      window: { from: '2026-11-23T08:00:00.000Z', to: '2026-11-23T09:00:00.000Z', fromMs: Date.UTC(2026, 10, 23, 8), toMs: Date.UTC(2026, 10, 23, 9), durationMs: 3_600_000 },
      summary: [`Most active merchant: ${HEBREW} (1,234 events, 56 declines).`, `Most frequent decline code: ${ARABIC} Unknown code (soft, 12).`],
      totals: { authorizedAmountByCurrency: {}, byType: {}, declinesByCode: {}, riskDecisions: {} },
      previous: { window: { from: '', to: '' }, totals: { authorizedAmountByCurrency: {}, byType: {}, declinesByCode: {}, riskDecisions: {} } },
      topMerchants: [{ merchantId: HEBREW, events: 1234, declines: 56 }], topDeclineCodes: [{ declineCode: ARABIC, events: 12, meaning: 'Unknown code', kind: 'soft' }],
      alerts: [], alertCounts: { total: 0, bySeverity: {}, byRule: {} }, tookMs: 1,
    } as unknown as ReportData;
    const html = renderToStaticMarkup(<ReportPreview report={report} />);
    const lines = [...html.matchAll(/<li>(.*?)<\/li>/g)].map((m) => outside(m[1]));
    expect(lines).toEqual(['Most active merchant: [value] (1,234 events, 56 declines).', 'Most frequent decline code: [value] Unknown code (soft, 12).']);
  });

  it('a quarantine reason: right-to-left text the console cannot name is isolated all the same', () => {
    const row = { seq: 1, arrivalMs: Date.UTC(2026, 10, 23, 8), reason: `data.currency: expected an ISO 4217 code, got ${ARABIC} 12 (5 characters)`, routingKey: 'k', body: { size: 10 } } as unknown as QuarantineRow;
    const html = renderToStaticMarkup(<QuarantineTable rows={[row]} openSeq={null} gone={new Set()} onOpen={() => undefined} />);
    // The reason's run, then the routing key (a value of its own too).
    expect(isolated(html)).toEqual([ARABIC, 'k']);
    expect(outside(html)).toContain('got [value] 12 (5 characters)');
  });

  it("a backtest's alert labels are isolated and their undrawn characters shown, as the alert list's are", () => {
    const record = {
      key: 'k1', rule: 'merchant-decline-spike', severity: 'critical', labels: { merchantId: `m_\u202e1`, country: 'IL' }, group: 'merchantId=m_1', state: 'firing',
      summary: 'decline rate 23 %', value: 0.23, peakValue: 0.23, activeSince: 0, firedAt: Date.UTC(2026, 10, 23, 8), resolvedAt: null, endedAt: null,
      silenced: false, acknowledged: null, resolveNote: null, transitions: [],
    } as AlertHistoryRecord;
    const result: RulesBacktestResult = { ok: true, issues: [], alerts: [record], firedCount: 1, notifications: [], events: 10, from: Date.UTC(2026, 10, 23, 7), to: Date.UTC(2026, 10, 23, 9), truncated: null, evaluations: 1, elapsedMs: 3 };
    const html = renderToStaticMarkup(<BacktestResultView result={result} />);
    expect(html).not.toContain('\u202e');
    expect(isolated(html)).toEqual(expect.arrayContaining(['m_\\u202e1', 'IL']));
  });
});
