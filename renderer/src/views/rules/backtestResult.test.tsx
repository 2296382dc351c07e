// A backtest's answer as the renderer draws it (react-dom/server): its window and its alerts'
// times are local, so they name the zone as the other views do (Europe/Berlin: 08:00 UTC is
// 09:00 CET), and its counts say their noun in the right form.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../../shared/alerts';
import type { AlertRule } from '../../../../shared/alertRules';
import type { RulesBacktestResult } from '../../../../shared/alertsApi';
import { inTimeZone } from '../../../../test/support/timeZone';
import { BacktestResultView, RuleSummary } from './RulesEditor';

inTimeZone('Europe/Berlin');

const FROM = Date.UTC(2026, 10, 23, 7, 0, 0);
const TO = Date.UTC(2026, 10, 23, 8, 0, 0);
const fired = { key: 'k1', rule: 'approval-drop', severity: 'critical', labels: {}, summary: 'approval fell', firedAt: FROM + 600_000, resolvedAt: null } as unknown as AlertHistoryRecord;
const result = (events: number, alerts: AlertHistoryRecord[]): RulesBacktestResult => ({
  ok: true, issues: [], alerts, firedCount: alerts.length, notifications: [], events, from: FROM, to: TO, truncated: null, evaluations: 60, elapsedMs: 12,
});
const text = (r: RulesBacktestResult) => renderToStaticMarkup(<BacktestResultView result={r} />).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a backtest result', () => {
  it('names the zone of the window it read', () => {
    expect(text(result(1200, []))).toContain('1,200 events from 2026-11-23 08:00:00 – 2026-11-23 09:00:00 GMT+1: nothing would have fired.');
  });

  it('one event is one event', () => {
    expect(text(result(1, []))).toContain('1 event from');
  });

  it("the alerts' Fired and Resolved headings name the zone", () => {
    const shown = text(result(1200, [fired]));
    expect(shown).toContain('Fired (GMT+1)');
    expect(shown).toContain('Resolved (GMT+1)');
    expect(shown).toContain('2026-11-23 08:10:00');
  });
});

// Issue 13: every rate says which it is. The rules judge approval, decline and failure per
// attempt; the summary of a rules file said "approval rate below 90 %".
describe('the summary of the rules in a file', () => {
  const rule = (metric: string, threshold: number) =>
    ({ name: metric, enabled: true, severity: 'critical', metric, condition: { kind: 'below', threshold }, windowMs: 60_000, forMs: 0, keepFiringForMs: 0 }) as unknown as AlertRule;
  it('says a rate is per attempt', () => {
    const html = renderToStaticMarkup(<RuleSummary rules={[rule('approval_rate', 0.9), rule('decline_rate', 0.2), rule('failure_rate', 0.05), rule('risk_blocked_rate', 0.1)]} />);
    expect(html).toContain('approval rate per attempt below 90 %');
    expect(html).toContain('decline rate per attempt below 20 %');
    expect(html).toContain('failure rate per attempt below 5 %');
    expect(html).toContain('risk blocked rate below 10 %');
  });
});
