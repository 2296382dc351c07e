import { describe, expect, it } from 'vitest';
import { validateRouting } from '../../../shared/notificationConfig';
import { backtest } from '../alerts/backtest';
import { payments, rule, sec } from '../../../test/support/alertTestKit';
import { backtestRouting } from './routingBacktest';

describe('backtest with routing (never delivers)', () => {
  it('counts what each contact point would have received, the time to the first page, and what was held back', () => {
    const rules = [
      rule({ name: 'declines', severity: 'critical', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '20s', groupBy: 'merchant' }),
    ];
    // m_1 and m_2 decline from 60 s to 120 s; m_3 (muted by its policy) too.
    const events = [1, 2, 3]
      .flatMap((m) => payments(0, 300, 10, (s) => (s >= 60 && s < 120 ? 100 : 0), () => ({ merchantId: `m_${m}` })))
      .sort((a, b) => a.timeMs! - b.timeMs!);
    const result = backtest(rules, events, { allowedLatenessMs: 0 });
    const v = validateRouting({
      contactPoints: [
        { name: 'oncall', type: 'webhook', urlSecret: 'oncall' },
        { name: 'chat', type: 'slack', urlSecret: 'chat' },
      ],
      muteTimings: [{ name: 'always', timeIntervals: [{ weekdays: ['sunday:saturday'] }] }],
      policies: [{ contactPoint: 'chat', matchers: ['merchant=m_3'], muteTimings: ['always'] }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname'], groupWait: '10s', groupInterval: '1m' },
    });
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const r = backtestRouting(v.config, result.notifications, result.alerts, result.to);
    expect(r.contactPoints.filter((c) => c.messages > 0)).toEqual([{ name: 'oncall', type: 'webhook', messages: 2, firing: 1, resolved: 1 }]);
    expect(r.wouldNotify.map((w) => [w.contactPoint, w.status, w.alerts, (Date.parse(w.at) - sec(0)) / 1000])).toEqual([
      ['oncall', 'firing', 2, 110],
      ['oncall', 'resolved', 2, 170],
    ]);
    expect(r.suppressed.map((s) => [s.reason, s.contactPoint, s.labels.merchant])).toEqual([['muted', 'chat', 'm_3']]);
    // pending at 80 s, firing at 100 s, first page at 110 s (groupWait 10 s): 30 s after the problem began
    expect(r.timeToFirstPage.map((p) => [p.labels.merchant, p.seconds])).toEqual([
      ['m_1', 30],
      ['m_2', 30],
      ['m_3', null],
    ]);
  });
});
