// A follower console's notification says the alert's value in its rule's unit, as the
// collector's own does ("value 20 %", not "value 0.2"): the collector's alert record carries
// the rule's metric over the metrics stream, and the follower puts it on its notification.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord, AlertNotification, AlertView } from '../../../shared/alerts';
import { BURN_RATE_METRIC, formatNamedMetricValue } from '../../../shared/alertValueFormat';
import { decodeMetricsMessage, METRICS_MESSAGE_VERSION, type MetricsMessage } from '../../../shared/metricsStream';
import { formatAlertNotification } from '../../desktop/notifications';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import type { AlertHistorySink } from '../alerts/alertHistoryStore';
import { payments, rule, sec } from '../../../test/support/alertTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { AlertingSession } from '../alerts/alertingSession';
import { AlertsService } from '../alerts/alertsService';
import { BurnRateHistory } from '../alerts/burnRateHistory';
import type { IncomingMessage } from '../store/eventWriter';
import { MIGRATIONS, NEWEST_VERSION, migrate } from '../store/migrate';
import { migration374 } from '../store/migrations/374_alert_metric';
import { openStore, storeOn, type Store } from '../store/store';
import { FollowedAlertsService, followedNotifications } from './followedAlerts';

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

  // Before: the follower notified the last transition of every record the collector saved:
  // the collector saves a firing alert at every tick, so one firing was notified again and again
  // (6 times in its first minute); a record that fired and resolved in one save notified only
  // the resolve; an alert that fired under a silence was notified; and the summary lacked the
  // collector's "FIRING declines: " (desktop and Slack lines differed).
  it('says what the collector\'s own notifications say, once each, tick by tick', () => {
    const saves: AlertHistoryRecord[][] = [];
    const sink: AlertHistorySink = { saveInstances: (r) => saves.push(JSON.parse(JSON.stringify(r)) as AlertHistoryRecord[]), acknowledge: () => false, addResolveNote: () => false, saveSilence: () => {}, listSilences: () => [] };
    const e = new AlertEvaluator([rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '10s', for: 0, keepFiringFor: 0 })], sink, { allowedLatenessMs: 0 });
    const own: AlertNotification[] = [];
    const followed: AlertNotification[] = [];
    const seen = new Map<string, number>();
    // Events arriving as they happen, the collector saving after each batch (its outbox's messages).
    for (let t = 10; t <= 120; t += 10) {
      e.observeEvents(payments(t - 10, t, 100, (s) => (s < 70 ? 20 : 0)));
      own.push(...e.advanceTo(sec(t)));
      for (const alerts of saves.splice(0)) followed.push(...followedNotifications([{ v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at: sec(t), rollups: [], counters: {}, queueSamples: [], alerts }], sec(t), seen));
    }
    expect(own.map((n) => n.kind)).toEqual(['firing', 'resolved']);
    expect(followed.map((n) => formatAlertNotification(n))).toEqual(own.map((n) => formatAlertNotification(n)));
    expect(followed.map((n) => n.summary)).toEqual(own.map((n) => n.summary));
  });

  it('a record that fired and resolved in one save notifies both; one that fired silenced, neither; a burn-rate summary is not prefixed twice', () => {
    const at = sec(100);
    const base = savedRecords().find((x) => x.state === 'firing')!;
    const both = { ...base, state: 'resolved' as const, resolvedAt: at, transitions: [{ state: 'firing' as const, at: at - 20_000 }, { state: 'resolved' as const, at }] };
    const msg = (alerts: AlertHistoryRecord[]): MetricsMessage[] => [{ v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at, rollups: [], counters: {}, queueSamples: [], alerts }];
    expect(followedNotifications(msg([both]), at).map((n) => [n.kind, n.at])).toEqual([
      ['firing', at - 20_000],
      ['resolved', at],
    ]);
    const silenced = { ...base, silenced: true, transitions: [{ state: 'firing' as const, at }] };
    expect(followedNotifications(msg([silenced]), at)).toEqual([]);
    const burn: AlertHistoryRecord[] = [];
    new BurnRateHistory({ saveInstances: (r) => burn.push(...(JSON.parse(JSON.stringify(r)) as AlertHistoryRecord[])) }).observe({ kind: 'firing', rule: 'checkout-slo', severity: 'critical', labels: {}, value: 14.4, summary: 'FIRING checkout-slo: burn 14.4x', at, metric: BURN_RATE_METRIC });
    expect(followedNotifications(msg(burn), at).map((n) => n.summary)).toEqual(['FIRING checkout-slo: burn 14.4x']);
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

describe("a follower's alert list and history in the rule's unit, as its collector's", () => {
  const dir = tempDir('payops-followed-unit-');
  const stores: Store[] = [];
  afterEach(() => stores.splice(0).forEach((s) => s.close()));
  const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);

  /** Payments every 100 ms of [fromMs, toMs), 20 % declined, as the collector's intake commits them. */
  function declines(fromMs: number, toMs: number): IncomingMessage[] {
    const items: IncomingMessage[] = [];
    for (let t = fromMs, n = 0; t < toMs; t += 100, n++) {
      const id = `e${t}`;
      const type = n % 5 === 0 ? 'payment.declined' : 'payment.authorized';
      const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
      items.push({ raw: { body: new Uint8Array(), arrivalMs: t }, result: { ok: true, event } });
    }
    return items;
  }

  function session(store: Store, rules: AlertRule[], wall: { t: number }): AlertingSession {
    return new AlertingSession({ store, rules, replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined, wallClock: () => wall.t });
  }

  it('shows "20 %" and "14.4x burn" on both consoles (the follower stores the metric the stream carries)', () => {
    const declinesRule = rule({ name: 'declines', metric: 'decline_rate', condition: { above: '10%' }, window: '10s', for: 0, keepFiringFor: 0, minVolume: 10 });
    const leaderStore = openStore(path.join(dir, 'leader.db'));
    const followerStore = openStore(path.join(dir, 'follower.db'));
    stores.push(leaderStore, followerStore);
    // What the collector's outbox publishes: each save's records as they were saved.
    const published: AlertHistoryRecord[] = [];
    leaderStore.alerts.onSave = (records) => published.push(...(JSON.parse(JSON.stringify(records)) as AlertHistoryRecord[]));
    const wall = { t: T0 + 30_000 };
    const leader = session(leaderStore, [declinesRule], wall);
    leader.observeCommitted(leaderStore.ingest.commit(declines(T0, T0 + 30_000)), T0 + 30_000);
    leader.evaluator.advanceTo(T0 + 30_000);
    new BurnRateHistory(leader.history).observe({ kind: 'firing', rule: 'checkout-slo', severity: 'critical', labels: { slo: 'checkout' }, value: 14.4, summary: 'checkout burns', at: T0 + 30_000, metric: BURN_RATE_METRIC });
    expect(published.some((r) => r.rule === 'declines' && r.state === 'firing')).toBe(true);

    const message = { v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at: T0 + 30_000, rollups: [], counters: {}, queueSamples: [], alerts: published };
    const decoded = decodeMetricsMessage(JSON.stringify(message), T0 + 30_000);
    if (!decoded.ok) throw new Error(decoded.reason);
    followerStore.metricsStream.applyBatch('s', [{ offset: 0, message: decoded.message }], T0 + 30_000);
    // The follower's own rules do not name the collector's (it evaluates nothing).
    const followed = new FollowedAlertsService(followerStore, session(followerStore, [], wall));
    const leading = new AlertsService(leader);

    const text = (value: number | null, metric: string | undefined) => (value === null ? 'n/a' : (formatNamedMetricValue(metric, value) ?? String(value)));
    const listed = (alerts: readonly AlertView[], name: string) => alerts.filter((a) => a.rule === name).map((a) => text(a.value, a.metric));
    const followerList = followed.list({ includeResolved: true, limit: 100 }).alerts;
    expect(listed(followerList, 'declines')).toEqual(['20 %']);
    expect(listed(followerList, 'declines')).toEqual(listed(leading.list({ includeResolved: true, limit: 100 }).alerts, 'declines'));
    expect(listed(followerList, 'checkout-slo')).toEqual(['14.4x burn']);
    // The collector lists its burn-rate (SLO) alert too (before: only in its history).
    expect(listed(leading.list({ includeResolved: true, limit: 100 }).alerts, 'checkout-slo')).toEqual(['14.4x burn']);
    expect(leading.list({ includeResolved: true, limit: 100 }).alerts.map((a) => a.key)).toEqual(followerList.map((a) => a.key));

    const history = (records: readonly AlertHistoryRecord[]) => records.map((r) => `${r.rule} ${text(r.peakValue, r.metric)}`).sort();
    const followerHistory = history(followed.history({ limit: 500 }));
    expect(followerHistory).toEqual(['checkout-slo 14.4x burn', 'declines 20 %']);
    expect(history(leading.history({ limit: 500 }))).toEqual(followerHistory);
    leader.stop();
  });

  // Before: the list read the 500 newest instances and kept the active ones among them: an alert
  // firing for hours dropped off the follower's list once 500 newer episodes (pending ones for
  // other merchants that never fired) had begun, while the collector's list still showed it.
  it('lists an alert still firing behind 600 newer episodes, as the collector does', () => {
    const store = openStore(path.join(dir, 'busy.db'));
    stores.push(store);
    const r = savedRecords().find((x) => x.state === 'firing')!;
    const ended = (i: number): AlertHistoryRecord => ({ ...r, key: `ended-${i}`, state: 'normal', firedAt: null, endedAt: r.activeSince + 2000 + i, activeSince: r.activeSince + 1000 + i, transitions: [{ state: 'pending', at: r.activeSince + 1000 + i }, { state: 'normal', at: r.activeSince + 2000 + i }] });
    store.alerts.save([r, ...Array.from({ length: 600 }, (_, i) => ended(i))]);
    const followed = new FollowedAlertsService(store, session(store, [], { t: T0 }));
    expect(followed.list({ includeResolved: true, limit: 100 }).alerts.map((a) => a.key)).toEqual([r.key]);
  });

  it('keeps the metric of a record saved again without it (an older collector), and reads old rows as none', () => {
    const store = openStore(path.join(dir, 'resave.db'));
    stores.push(store);
    const r = savedRecords().find((x) => x.state === 'firing')!;
    store.alerts.save([r]);
    const { metric: _dropped, ...old } = r;
    store.alerts.save([{ ...old, summary: 'again' }]);
    expect(store.alerts.get(r.key)).toMatchObject({ summary: 'again', metric: 'decline_rate' });
    const bare = { ...old, key: 'bare' };
    store.alerts.save([bare]);
    expect(store.alerts.get('bare')).not.toHaveProperty('metric');
  });

  it('migration 374 adds the column to an older history; run again, changes nothing', () => {
    const r = savedRecords().find((x) => x.state === 'firing')!;
    const older = new Database(path.join(dir, 'older.db'));
    const hasColumn = () => older.prepare("SELECT 1 FROM pragma_table_info('alert_instances') WHERE name = 'metric'").get() !== undefined;
    expect(migrate(older, MIGRATIONS.filter((m) => m.version < 374))).toBe(372);
    expect(hasColumn()).toBe(false);
    expect(migrate(older)).toBe(NEWEST_VERSION);
    expect(hasColumn()).toBe(true);
    migration374.up(older);
    const store = storeOn(older);
    store.alerts.save([r]);
    expect(store.alerts.get(r.key)).toMatchObject({ metric: 'decline_rate' });
    older.close();
  });
});
