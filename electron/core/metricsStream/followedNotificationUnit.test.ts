// A follower console's notification says the alert's value in its rule's unit, as the
// collector's own does ("value 20 %", not "value 0.2"): the collector's alert record carries
// the rule's metric over the metrics stream, and the follower puts it on its notification.
import { describe, expect, it } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { decodeMetricsMessage, METRICS_MESSAGE_VERSION } from '../../../shared/metricsStream';
import { formatAlertNotification } from '../../desktop/notifications';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import type { AlertHistorySink } from '../alerts/alertHistoryStore';
import { payments, rule, sec } from '../../../test/support/alertTestKit';
import { followedNotifications } from './followedAlerts';

/** The records a real evaluator saves when a 20 % decline rate fires (what the collector's outbox publishes). */
function savedRecords(): AlertHistoryRecord[] {
  const saved: AlertHistoryRecord[] = [];
  const sink: AlertHistorySink = { saveInstances: (r) => saved.push(...r), acknowledge: () => false, addResolveNote: () => false, saveSilence: () => {}, listSilences: () => [] };
  const e = new AlertEvaluator([rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '10s', for: 0, keepFiringFor: 0 })], sink, { allowedLatenessMs: 0 });
  e.observeEvents(payments(0, 60, 100, () => 20));
  e.advanceTo(sec(60));
  return saved;
}

describe("a follower's notification value in its rule's unit", () => {
  it('the record on the wire names the metric, and the follower notification says "value 20 %"', () => {
    const firing = savedRecords().filter((r) => r.state === 'firing');
    expect(firing.length).toBeGreaterThan(0);
    const at = firing[firing.length - 1].transitions.at(-1)!.at;
    const body = JSON.stringify({ v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at, rollups: [], counters: {}, queueSamples: [], alerts: firing });
    const decoded = decodeMetricsMessage(body, at);
    if (!decoded.ok) throw new Error(decoded.reason);
    const [n] = followedNotifications([decoded.message], at);
    expect(n).toMatchObject({ kind: 'firing', rule: 'declines', metric: 'decline_rate', value: 0.2 });
    expect(formatAlertNotification(n).body).toContain('value 20 %');
  });

  it('a record from an older collector (no metric) still notifies, with a bare number', () => {
    const r = savedRecords().find((x) => x.state === 'firing')!;
    const { metric: _dropped, ...old } = r;
    const at = r.transitions.at(-1)!.at;
    const [n] = followedNotifications([{ v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at, rollups: [], counters: {}, queueSamples: [], alerts: [old] }], at);
    expect(n.metric).toBeUndefined();
    expect(formatAlertNotification(n).body).toContain('value 0.2');
  });
});
