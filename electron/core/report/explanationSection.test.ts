// The incident report's "Where and why" section on real SQLite filled by the simulator's
// issuer-outage scenario: an issuer-down alert over the outage explains to issuer
// tamarind-card first, then its BIN; BINs are masked unless masking is off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { buildReport } from './reportData';
import { renderReportHtml } from './reportHtml';

const dir = tempDir('payops-report-explain-');
let s: StoredScenario;
const KEY = 'issuer-down|issuer=tamarind-card|1';

beforeAll(async () => {
  s = await storeScenario(dir, 'issuer-outage');
  const alert: AlertHistoryRecord = {
    key: KEY,
    rule: 'issuer-down',
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
  };
  s.store.alerts.save([alert]);
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
    expect(html).toMatch(/<td>issuer tamarind-card<\/td>/);
  });

  it('masks the BIN in the section and its headline, as everywhere in the report', () => {
    const e = buildReport(s.store, { alertKey: KEY, sampleSize: 1 }).explanation!;
    expect(e.contributors[1].dimension).toBe('cardBin');
    expect(e.contributors[1].value).not.toBe('529412');
    expect(e.headline).not.toContain('529412');
    expect(e.contributors[0].value).toBe('tamarind-card');
  });
});
