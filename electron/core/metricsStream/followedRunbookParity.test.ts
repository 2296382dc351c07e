// The collector's own alert list and its follower's give the same runbook link: the
// collector's evaluator saves the rule's runbook (a login or token in it hidden) and
// description with each instance, its outbox publishes the records, the follower stores them.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertRule } from '../../../shared/alertRules';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { decodeMetricsMessage, METRICS_MESSAGE_VERSION } from '../../../shared/metricsStream';
import { payments, rule, sec } from '../../../test/support/alertTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { AlertEvaluator } from '../alerts/alertEvaluator';
import type { AlertHistorySink } from '../alerts/alertHistoryStore';
import { AlertHistoryStore } from '../alerts/alertHistoryStore';
import { AlertingSession } from '../alerts/alertingSession';
import { AlertsService } from '../alerts/alertsService';
import type { IncomingMessage } from '../store/eventWriter';
import { MIGRATIONS, NEWEST_VERSION, migrate } from '../store/migrate';
import { migration380 } from '../store/migrations/380_alert_annotations';
import { openStore, storeOn, type Store } from '../store/store';
import { FollowedAlertsService } from './followedAlerts';

const dir = tempDir('payops-followed-runbook-unit-');
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const declines = (runbookUrl: string | null) =>
  rule({ name: 'declines', description: 'Declines are up.', runbookUrl, metric: 'decline_rate', condition: { above: '10%' }, window: '10s', for: 0, keepFiringFor: 0 });

/** The records a real evaluator saves when a 20 % decline rate fires (what the collector's outbox publishes). */
function savedRecords(r: AlertRule): AlertHistoryRecord[] {
  const saved: AlertHistoryRecord[] = [];
  const sink: AlertHistorySink = { saveInstances: (x) => saved.push(...(JSON.parse(JSON.stringify(x)) as AlertHistoryRecord[])), acknowledge: () => false, addResolveNote: () => false, saveSilence: () => {}, listSilences: () => [] };
  const e = new AlertEvaluator([r], sink, { allowedLatenessMs: 0 });
  e.observeEvents(payments(0, 60, 100, () => 20));
  e.advanceTo(sec(60));
  return saved;
}

function session(store: Store, rules: AlertRule[]): AlertingSession {
  return new AlertingSession({ store, rules, replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined, wallClock: () => sec(60) });
}

describe('a runbook link on the collector and its follower', () => {
  it('the follower lists the runbook the collector lists (before: null on the follower)', () => {
    const leaderStore = openStore(path.join(dir, 'leader.db'));
    const followerStore = openStore(path.join(dir, 'follower.db'));
    stores.push(leaderStore, followerStore);
    const records = savedRecords(declines('https://wiki.example/runbooks/declines'));
    leaderStore.alerts.save(records);
    const message = { v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at: sec(60), rollups: [], counters: {}, queueSamples: [], alerts: records };
    const decoded = decodeMetricsMessage(JSON.stringify(message), sec(60));
    if (!decoded.ok) throw new Error(decoded.reason);
    followerStore.metricsStream.applyBatch('s', [{ offset: 0, message: decoded.message }], sec(60));

    const leaderSession = session(leaderStore, []);
    const followerSession = session(followerStore, []);
    const leading = new AlertsService(leaderSession).history({ limit: 10 });
    const followed = new FollowedAlertsService(followerStore, followerSession).list({ includeResolved: true, limit: 10 }).alerts;
    expect(followed.map((a) => a.runbookUrl)).toEqual(['https://wiki.example/runbooks/declines']);
    expect(leading.map((a) => a.runbookUrl)).toEqual(['https://wiki.example/runbooks/declines']);
    expect(followerStore.alerts.get(followed[0].key)).toMatchObject({ description: 'decline rate per attempt above 10 % over 10s. Declines are up.' });
    // The list an on-call opens first shows the rule's condition in words on both consoles.
    expect(followed.map((a) => a.description)).toEqual(['decline rate per attempt above 10 % over 10s. Declines are up.']);
    const live = new AlertEvaluator([declines('https://wiki.example/runbooks/declines')], { saveInstances: () => undefined, acknowledge: () => false, addResolveNote: () => false, saveSilence: () => {}, listSilences: () => [] }, { allowedLatenessMs: 0 });
    live.observeEvents(payments(0, 60, 100, () => 20));
    live.advanceTo(sec(60));
    expect(live.list().map((a) => a.description)).toEqual(followed.map((a) => a.description));
    leaderSession.stop();
    followerSession.stop();
  });

  it('a login or token in the rule’s runbook URL never reaches the stream', () => {
    const records = savedRecords(declines('https://ops:hunter2pw@wiki.example/runbooks?token=tok3nSECRET'));
    expect(records.length).toBeGreaterThan(0);
    const text = JSON.stringify(records);
    expect(text).not.toContain('hunter2pw');
    expect(text).not.toContain('tok3nSECRET');
    expect(records[0].runbookUrl).toBe('https://ops:***@wiki.example/runbooks?token=***');
  });

  it('the collector lists the runbook its follower and webhooks get, a login or token hidden (before: the rule’s URL whole)', () => {
    const leaderStore = openStore(path.join(dir, 'leader-secret.db'));
    const followerStore = openStore(path.join(dir, 'follower-secret.db'));
    stores.push(leaderStore, followerStore);
    const rules = [declines('https://ops:hunter2pw@wiki.example/runbooks?token=tok3nSECRET')];
    const records = savedRecords(rules[0]);
    const message = { v: METRICS_MESSAGE_VERSION, collector: 'c1', seq: 1, at: sec(60), rollups: [], counters: {}, queueSamples: [], alerts: records };
    const decoded = decodeMetricsMessage(JSON.stringify(message), sec(60));
    if (!decoded.ok) throw new Error(decoded.reason);
    followerStore.metricsStream.applyBatch('s', [{ offset: 0, message: decoded.message }], sec(60));
    const followerSession = session(followerStore, []);
    const followed = new FollowedAlertsService(followerStore, followerSession).list({ includeResolved: true, limit: 10 }).alerts;

    const leaderSession = session(leaderStore, rules);
    leaderSession.evaluator.observeEvents(payments(0, 60, 100, () => 20));
    leaderSession.evaluator.advanceTo(sec(60));
    const leading = new AlertsService(leaderSession).list({ includeResolved: true, limit: 10 }).alerts;
    expect(leading.map((a) => a.state)).toEqual(['firing']);
    expect(leading.map((a) => a.runbookUrl)).toEqual(['https://ops:***@wiki.example/runbooks?token=***']);
    expect(leading.map((a) => a.runbookUrl)).toEqual(followed.map((a) => a.runbookUrl));
    expect(JSON.stringify(leading)).not.toMatch(/hunter2pw|tok3nSECRET/);
    leaderSession.stop();
    followerSession.stop();
  });

  it('keeps the runbook of a record saved again without its annotations (an older collector, a save between changes), drops it when they come without one, and reads old rows as none', () => {
    const store = openStore(path.join(dir, 'resave.db'));
    stores.push(store);
    const r = savedRecords(declines('docs/runbooks.md#declines')).find((x) => x.state === 'firing')!;
    store.alerts.save([r]);
    const { runbookUrl: _r, description: _d, ...old } = r;
    store.alerts.save([{ ...old, summary: 'again' }]);
    expect(store.alerts.get(r.key)).toMatchObject({ summary: 'again', runbookUrl: 'docs/runbooks.md#declines', description: r.description });
    // A record that carries its annotations carries them whole: a rule whose runbook was taken away
    // (a rules save the alert fired on through) leaves none, not the one stored before.
    store.alerts.save([{ ...old, description: r.description }]);
    expect(store.alerts.get(r.key)).not.toHaveProperty('runbookUrl');
    expect(store.alerts.get(r.key)).toMatchObject({ description: r.description });
    store.alerts.save([{ ...old, key: 'bare' }]);
    expect(store.alerts.get('bare')).not.toHaveProperty('runbookUrl');
    expect(store.alerts.get('bare')).not.toHaveProperty('description');
  });

  it('migration 380 adds the columns to an older history; run again, changes nothing', () => {
    const r = savedRecords(declines('docs/runbooks.md#declines')).find((x) => x.state === 'firing')!;
    const older = new Database(path.join(dir, 'older.db'));
    const columns = () => older.prepare("SELECT name FROM pragma_table_info('alert_instances') WHERE name IN ('runbook_url', 'description') ORDER BY name").all();
    const before = MIGRATIONS.filter((m) => m.version < 380);
    expect(migrate(older, before)).toBe(Math.max(...before.map((m) => m.version)));
    expect(columns()).toEqual([]);
    expect(migrate(older)).toBe(NEWEST_VERSION);
    expect(columns()).toEqual([{ name: 'description' }, { name: 'runbook_url' }]);
    migration380.up(older);
    const store = storeOn(older);
    store.alerts.save([r]);
    expect(store.alerts.get(r.key)).toMatchObject({ runbookUrl: 'docs/runbooks.md#declines' });
    older.close();
  });

  it('a firing alert saved at every tick sends its annotations with its first save and each change of state, and the stores keep them', () => {
    const store = openStore(path.join(dir, 'ticks.db'));
    const follower = openStore(path.join(dir, 'ticks-follower.db'));
    stores.push(store, follower);
    const published: AlertHistoryRecord[] = [];
    store.alerts.onSave = (records) => published.push(...(JSON.parse(JSON.stringify(records)) as AlertHistoryRecord[]));
    const e = new AlertEvaluator([declines('docs/runbooks.md#declines')], new AlertHistoryStore(store), { allowedLatenessMs: 0 });
    // Events arriving as they happen, the collector saving after each batch.
    for (let t = 10; t <= 120; t += 10) {
      e.observeEvents(payments(t - 10, t, 100, (x) => (x < 90 ? 20 : 0)));
      e.advanceTo(sec(t));
    }
    const saves = published.filter((r) => r.rule === 'declines');
    expect(saves.filter((r) => r.state === 'firing').length).toBeGreaterThan(3);
    // Carried: the first save, and one each time the state changed (firing, resolved); not the repeats.
    const carried = saves.filter((r) => r.description !== undefined).map((r) => r.transitions.length);
    expect(carried).toEqual([...new Set(saves.map((r) => r.transitions.length))]);
    expect(carried.length).toBeLessThan(saves.length);
    const key = saves[0].key;
    expect(store.alerts.get(key)).toMatchObject({ state: 'resolved', runbookUrl: 'docs/runbooks.md#declines' });
    follower.metricsStream.applyBatch('s', published.map((r, i) => ({ offset: i, message: { v: 1, collector: 'c1', seq: i + 1, at: sec(120), rollups: [], counters: {}, queueSamples: [], alerts: [r] } })), sec(120));
    expect(follower.alerts.get(key)).toMatchObject({ runbookUrl: 'docs/runbooks.md#declines', description: store.alerts.get(key)!.description });
  });

  // A rules save that takes the runbook away: the alert firing on was still stored with the old one.
  it.each([
    ['docs/new.md', 'their runbook, not the old one'],
    [null, 'none when they name none, not the old one'],
  ] as [string | null, string][])('a rules save gives the alert firing under the new rules their runbook (%s: %s)', (newRunbook, _why) => {
    const store = openStore(path.join(dir, `reload-${newRunbook === null ? 'none' : 'new'}.db`));
    stores.push(store);
    // A reload reads back the stored events of the rules' windows up to the wall clock: events of the last minute.
    const wall = Date.now();
    const t0 = wall - 60_000;
    const items: IncomingMessage[] = [];
    // More than one chunk of 2,000 read back (AlertingSession.prime), the decline rate rising in
    // the last 14 s: the new evaluator saves the alert more than once, the last save with another value.
    for (let n = 0; n < 6000; n++) {
      const id = `p${n}`;
      const timeMs = t0 + n * 10;
      const event = { source: 'psp', id, type: n % 5 < (timeMs < wall - 14_000 ? 1 : 2) ? 'payment.declined' : 'payment.authorized', category: 'payment' as const, timeMs, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
      items.push({ raw: { body: new Uint8Array(), arrivalMs: timeMs }, result: { ok: true, event } });
    }
    const s = new AlertingSession({ store, rules: [declines('docs/old.md')], replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: () => undefined, wallClock: () => wall });
    s.observeCommitted(store.ingest.commit(items), wall);
    s.evaluator.advanceTo(wall);
    const [firing] = store.alerts.open().filter((r) => r.state === 'firing');
    expect(firing).toMatchObject({ runbookUrl: 'docs/old.md' });
    s.reload([declines(newRunbook)]);
    const after = store.alerts.open().filter((r) => r.state === 'firing');
    // Primed on the stored events, the new evaluator saved the alert several times: the record it keeps is the last.
    expect(after.map((r) => [r.runbookUrl ?? null, r.description])).toEqual([[newRunbook, firing.description]]);
    s.stop();
  });
});
