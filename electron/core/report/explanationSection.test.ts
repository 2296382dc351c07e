// The incident report's "Where and why" section on real SQLite filled by the simulator's
// issuer-outage scenario: an issuer-down alert over the outage explains to issuer
// tamarind-card first, then its BIN; BINs are masked unless masking is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { metricOfAlert } from '../../../shared/triage';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';

const dir = tempDir('payops-report-explain-');
let s: StoredScenario;
const KEY = 'issuer-down|issuer=tamarind-card|1';

/** An alert of `rule` over the scenario's outage, resolved at its end. */
const alertOf = (rule: string): AlertHistoryRecord => ({
  key: KEY,
  rule,
  severity: 'critical',
  labels: { issuer: 'tamarind-card' },
  group: 'issuer=tamarind-card',
  state: 'resolved',
  summary: 'issuer tamarind-card approval down',
  value: 0.1,
  peakValue: 0.1,
  activeSince: s.fromMs,
  firedAt: s.fromMs + 60_000,
  resolvedAt: s.toMs,
  endedAt: null,
  silenced: false,
  acknowledged: null,
  resolveNote: null,
  transitions: [
    { state: 'pending', at: s.fromMs },
    { state: 'firing', at: s.fromMs + 60_000 },
    { state: 'resolved', at: s.toMs },
  ],
});

beforeAll(async () => {
  s = await storeScenario(dir, 'issuer-outage');
  s.store.alerts.save([alertOf('issuer-down')]);
});
afterAll(() => s?.store.close());

describe('incident report: the explanation of its alert', () => {
  it('lists the planted issuer first, then its BIN, with share and effect; the HTML shows the section', () => {
    const r = buildReport(s.store, { alertKey: KEY, mask: false, sampleSize: 1 });
    const e = r.explanation!;
    expect(e.metric).toBe('approval-rate');
    expect(e.significant).toBe(true);
    expect(e.window.from).toBe(new Date(s.fromMs).toISOString());
    expect(e.contributors[0]).toMatchObject({ dimension: 'issuer', value: 'tamarind-card', effect: 'rate' });
    expect(e.contributors[0].shareOfChange!).toBeGreaterThan(0.5);
    expect(e.contributors[1]).toMatchObject({ dimension: 'cardBin', value: '529412' });
    expect(e.headline).toMatch(/issuer tamarind-card \(BIN 529412\)/);
    // Existing fields are unchanged by the new section.
    expect(r.source.alertKey).toBe(KEY);
    expect(r.alerts.map((a) => a.key)).toContain(KEY);
    const html = renderReportHtml(r);
    expect(html).toContain('Where and why');
    expect(html).toMatch(/<td>issuer <bdi>tamarind-card<\/bdi><\/td>/);
    // A window of one attempt says so: "(1 attempt)", not "(1 attempts)".
    const one = renderReportHtml({ ...r, explanation: { ...e, window: { ...e.window, attempts: 1 } } });
    expect(one).toMatch(/\(1 attempt\) against/);
  });

  it('masks the BIN in the section and its headline, as everywhere in the report', () => {
    const e = buildReport(s.store, { alertKey: KEY, sampleSize: 1 }).explanation!;
    expect(e.contributors[1].dimension).toBe('cardBin');
    expect(e.contributors[1].value).not.toBe('529412');
    expect(e.headline).not.toContain('529412');
    expect(e.contributors[0].value).toBe('tamarind-card');
  });

  it('explains a decline-rate alert by the decline rate, a failure one by failures, the rest by approval', () => {
    const metricOf = (rule: string) => {
      const key = `${rule}||1`;
      s.store.alerts.save([{ ...alertOf(rule), key }]);
      return buildReport(s.store, { alertKey: key, mask: false, sampleSize: 1 }).explanation!.metric;
    };
    expect(metricOf('decline-rate-spike')).toBe('decline-rate');
    expect(metricOf('authorization-failure-rate')).toBe('failure-rate');
    expect(metricOf('issuer-down')).toBe('approval-rate');
  });
});

describe('the rate an alert is explained by', () => {
  it("is its rule's metric when the alert carries it, whatever the rule is called", () => {
    expect(metricOfAlert({ rule: 'failover-approval', metric: 'approval_rate' })).toBe('approval-rate');
    expect(metricOfAlert({ rule: 'nordic-issuers', metric: 'decline_rate' })).toBe('decline-rate');
    expect(metricOfAlert({ rule: 'nordic-issuers', metric: 'failure_rate' })).toBe('failure-rate');
    expect(metricOfAlert({ rule: 'nordic-issuers' })).toBe('approval-rate');
  });
});
