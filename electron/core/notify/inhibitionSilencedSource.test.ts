// An inhibition's source that fires while a silence holds it still inhibits, as in Alertmanager
// (its inhibitor caches every firing alert that matches a source, silenced or not): an operator
// who silences "traffic stopped" while working on it does not get paged for every merchant's
// decline alert the outage raises. Once the source resolves, a target still firing goes out.
// Evaluator and router as a backtest runs them (and a live session alike).
import { describe, expect, it } from 'vitest';
import type { SilenceInForce } from '../alerts/silenceSet';
import { validateRouting } from '../../../shared/notificationConfig';
import { backtest } from '../alerts/backtest';
import { payments, rule, sec } from '../../../test/support/alertTestKit';
import { backtestRouting } from './routingBacktest';

const routing = () => {
  const v = validateRouting({
    contactPoints: [{ name: 'oncall', type: 'webhook', urlSecret: 'oncall' }],
    defaultPolicy: { contactPoint: 'oncall', groupBy: ['alertname', 'merchant'], groupWait: '10s', groupInterval: '1m', repeatInterval: '1h' },
    inhibitRules: [{ sourceMatchers: ['alertname=declines-everywhere'], targetMatchers: ['alertname=declines'] }],
  });
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.config;
};

const silenceAll: SilenceInForce = {
  id: 's-everywhere',
  matchers: [{ label: 'alertname', op: '=', value: 'declines-everywhere' }],
  createdAt: sec(0),
  startsAt: sec(0),
  endsAt: sec(3600),
  comment: 'known: acquirer outage',
  createdBy: 'alice',
  expiredAt: null,
};

describe('inhibition by a silenced source', () => {
  it('a source that fires silenced inhibits its targets; a target still firing after the source resolved goes out', () => {
    const rules = [
      rule({ name: 'declines-everywhere', severity: 'critical', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '20s' }),
      rule({ name: 'declines', severity: 'warning', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '20s', groupBy: 'merchant' }),
    ];
    // Every merchant declines from 60 s to 120 s (the source and m_1, m_2 fire); m_3 goes on to
    // 300 s, so its alert outlives the source, which resolves once m_1 and m_2 recover.
    const events = [1, 2, 3]
      .flatMap((m) => payments(0, 420, 10, (s) => (s >= 60 && s < (m === 3 ? 300 : 120) ? 100 : 0), () => ({ merchantId: `m_${m}` })))
      .sort((a, b) => a.timeMs! - b.timeMs!);
    const result = backtest(rules, events, { allowedLatenessMs: 0, silences: [silenceAll] });
    const fired = result.alerts.filter((a) => a.firedAt !== null).map((a) => [a.rule, a.labels.merchant ?? null, (a.firedAt! - sec(0)) / 1000, a.resolvedAt === null ? null : (a.resolvedAt - sec(0)) / 1000]);
    expect(fired).toEqual([
      ['declines-everywhere', null, 100, 150],
      ['declines', 'm_1', 100, 140],
      ['declines', 'm_2', 100, 140],
      ['declines', 'm_3', 100, 320],
    ]);
    const r = backtestRouting(routing(), result.notifications, result.alerts, result.to, result.silenceChanges);
    expect(r.suppressed.map((s) => [s.reason, s.labels.alertname, s.labels.merchant ?? null])).toEqual([
      ['silenced', 'declines-everywhere', null],
      ['inhibited', 'declines', 'm_1'],
      ['inhibited', 'declines', 'm_2'],
      ['inhibited', 'declines', 'm_3'],
    ]);
    // m_1 and m_2 were never paged, so their resolve goes nowhere; m_3 pages at its group's first
    // flush after the source resolved (groupWait at 110 s, then every minute: 170 s), and resolves.
    expect(r.wouldNotify.map((w) => [w.status, w.rules, w.alerts, (Date.parse(w.at) - sec(0)) / 1000])).toEqual([
      ['firing', 'declines', 1, 170],
      ['resolved', 'declines', 1, 350],
    ]);
  });
});
