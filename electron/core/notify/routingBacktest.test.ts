import { describe, expect, it } from 'vitest';
import type { SilenceInForce } from '../alerts/silenceSet';
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

  it('models the silences in force at the time: a silenced alert is held back by the silence and not paged, as live', () => {
    const rules = [
      rule({ name: 'declines', severity: 'critical', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '20s', groupBy: 'merchant' }),
    ];
    // m_1 and m_2 decline from 60 s to 120 s, m_3 from 60 s to 300 s.
    const events = [1, 2, 3]
      .flatMap((m) => payments(0, 420, 10, (s) => (s >= 60 && s < (m === 3 ? 300 : 120) ? 100 : 0), () => ({ merchantId: `m_${m}` })))
      .sort((a, b) => a.timeMs! - b.timeMs!);
    const silence = (merchant: string, fromSec: number, toSec: number): SilenceInForce => ({
      id: `s-${merchant}`,
      matchers: [{ label: 'merchant', op: '=', value: merchant }],
      createdAt: sec(fromSec),
      startsAt: sec(fromSec),
      endsAt: sec(toSec),
      comment: 'known',
      createdBy: 'alice',
      expiredAt: null,
    });
    const silences = [
      silence('m_2', 0, 3600), // before m_2 fires: it never pages
      silence('m_3', 130, 3600), // after m_3's page: no repeat while it lasts, its resolve still goes out
      silence('m_1', 200, 3600), // made after m_1's incident ended: it changes nothing
    ];
    const result = backtest(rules, events, { allowedLatenessMs: 0, silences });
    const v = validateRouting({
      contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
      defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname', 'merchant'], groupWait: '10s', groupInterval: '1m', repeatInterval: '1m' },
    });
    if (!v.ok) throw new Error(JSON.stringify(v.issues));
    const r = backtestRouting(v.config, result.notifications, result.alerts, result.to, result.silenceChanges);
    const byMerchant = (merchant: string) => result.notifications.filter((n) => n.labels.merchant === merchant).map((n) => n.kind);
    // m_2 fired silenced: announced to no one; m_3 was announced before its silence, so its resolve is.
    expect(byMerchant('m_2')).toEqual([]);
    expect(byMerchant('m_3')).toEqual(['firing', 'resolved']);
    expect(r.suppressed.map((s) => [s.reason, s.contactPoint, s.labels.merchant, (Date.parse(s.at) - sec(0)) / 1000])).toEqual([
      ['silenced', 'oncall', 'm_2', 100],
      ['silenced', 'oncall', 'm_3', 130],
    ]);
    // m_1: page at 110 s and resolved; m_3: page at 110 s, no repeats while silenced, resolved.
    expect(r.wouldNotify.map((w) => [w.status, (Date.parse(w.at) - sec(0)) / 1000])).toEqual([
      ['firing', 110],
      ['firing', 110],
      ['resolved', 170],
      ['resolved', 350],
    ]);
    expect(r.timeToFirstPage.map((p) => [p.labels.merchant, p.seconds])).toEqual([
      ['m_1', 30],
      ['m_2', null],
      ['m_3', 30],
    ]);
  });
});
