// @vitest-environment happy-dom
// Issue 11: an alert's value read "0.255" beside a KPI reading 14.0 %. A rate must read as a
// percentage wherever an alert is shown; the engine says which metric a value is in.
// Issue 13: every rate says which it is, per attempt or per payment. The alert rules judge
// approval, decline and failure per attempt, so an alert's value and peak say so.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord, AlertView } from '../../../shared/alerts';
import { AlertList } from '../components/AlertList';
import { HistoryTable } from '../views/AlertsHistory';
import { fmtAlertValue } from './format';

describe('fmtAlertValue', () => {
  it('shows a rate as a percentage, like the KPI beside it, not as a raw fraction', () => {
    expect(fmtAlertValue(0.255, 'decline_rate')).toBe('26 % per attempt');
    expect(fmtAlertValue(0.045, 'risk_blocked_rate')).toBe('4.5 %');
    expect(fmtAlertValue(0.255, 'decline_rate')).not.toMatch(/0\.255/);
  });

  it('says the approval, decline and failure rates are per attempt (what the rules judge)', () => {
    expect(fmtAlertValue(0.61, 'approval_rate')).toBe('61 % per attempt');
    expect(fmtAlertValue(0.2, 'decline_rate')).toBe('20 % per attempt');
    expect(fmtAlertValue(0.031, 'failure_rate')).toBe('3.1 % per attempt');
  });

  it('shows other metrics in their unit, and a bare number when the metric is unknown', () => {
    expect(fmtAlertValue(12.5, 'throughput')).toBe('12.5/s');
    expect(fmtAlertValue(0, 'no_data')).toBe('0');
    expect(fmtAlertValue(3, undefined)).toBe('3');
    expect(fmtAlertValue(null, 'decline_rate')).toBe('—');
  });
});

const view: AlertView = {
  key: 'k1', rule: 'approval-drop', severity: 'critical', labels: { alertname: 'approval-drop', severity: 'critical' }, metric: 'approval_rate',
  state: 'firing', value: 0.61, peakValue: 0.55, summary: 'approval rate 61 %', runbookUrl: null, activeSince: 0, firedAt: 0, resolvedAt: null,
  silenced: false, acknowledged: null, transitions: [],
};

describe('the alert list and history say the basis of a rate', () => {
  it("the list's Value: '61 % per attempt'", () => {
    const html = renderToStaticMarkup(createElement(AlertList, { alerts: [view] }));
    expect(html).toMatch(/data-testid="alert-value"[^>]*>61 % per attempt</);
  });

  it("the history's Peak: '55 % per attempt'", () => {
    const record = { ...view, peakValue: 0.55 } as unknown as AlertHistoryRecord;
    const html = renderToStaticMarkup(createElement(HistoryTable, { rows: [record], now: 0, onNote: () => {} }));
    expect(html).toContain('>55 % per attempt<');
  });
});
