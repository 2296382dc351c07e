import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../store/migrate';
import { storeOn } from '../store/store';
import { AlertEvaluator } from './alertEvaluator';
import { AlertHistoryStore, alertHistoryJson } from './alertHistoryStore';
import { ev, payments, rule, sec } from '../../../test/support/alertTestKit';

describe('AlertHistoryStore on a real SQLite file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'payops-alerts-'));
    file = join(dir, 'alerts.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = () => {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return db;
  };

  it('keeps fired alerts with labels, peak, acknowledgement, notes and ISO transitions across a reopen', () => {
    let db = open();
    const declines = rule({ name: 'declines', metric: 'decline_rate', condition: { above: '50%' }, window: '30s', for: '20s', severity: 'critical', noDataState: 'normal' });
    const blips = rule({ name: 'blips', metric: 'risk_blocked_count', condition: { above: 100 }, window: '30s', for: '1m' });
    const fraud = rule({ name: 'fraud', metric: 'risk_blocked_count', groupBy: 'merchant', condition: { above: 2 }, window: '30s', for: '1m' });
    const e = new AlertEvaluator([declines, blips, fraud], new AlertHistoryStore(storeOn(db)), { allowedLatenessMs: 0, now: () => sec(1000) });
    e.observeEvents(payments(0, 200, 10, (s) => (s >= 60 && s < 120 ? 100 : 0), () => ({ merchantId: 'm_7' })));
    // A short fraud blip goes pending but never fires: history only, not in the default JSON.
    e.observeEvents([ev('risk.blocked', sec(200)), ev('risk.blocked', sec(201)), ev('risk.blocked', sec(202)), ev('risk.scored', sec(300))]);
    const key = e.list()[0].key;
    expect(e.acknowledge(key, 'alice', 'issuer outage')).toBe(true);
    expect(e.addResolveNote(key, 'bob', 'issuer fixed its HSM')).toBe(true);
    db.close();

    db = open();
    const json = alertHistoryJson(storeOn(db));
    expect(json).toEqual([
      {
        key: `declines/*/${sec(80)}`,
        rule: 'declines',
        severity: 'critical',
        labels: {},
        metric: 'decline_rate',
        description: 'decline rate per attempt above 50 % over 30s, for 20s. test rule',
        group: '',
        state: 'resolved',
        summary: 'decline rate 33 % per attempt, threshold above 50 % over 30s',
        value: 1 / 3,
        peakValue: 1,
        activeSince: new Date(sec(80)).toISOString(),
        firedAt: new Date(sec(100)).toISOString(),
        resolvedAt: new Date(sec(140)).toISOString(),
        endedAt: null,
        silenced: false,
        acknowledged: { by: 'alice', note: 'issuer outage', at: new Date(sec(1000)).toISOString() },
        resolveNote: { by: 'bob', note: 'issuer fixed its HSM', at: new Date(sec(1000)).toISOString() },
        transitions: [
          { state: 'pending', at: new Date(sec(80)).toISOString() },
          { state: 'firing', at: new Date(sec(100)).toISOString() },
          { state: 'resolved', at: new Date(sec(140)).toISOString() },
        ],
      },
    ]);
    const all = alertHistoryJson(storeOn(db), { includeUnfired: true });
    expect(all.map((a) => [a.rule, a.state, a.labels])).toEqual([
      ['fraud', 'normal', { merchant: 'm_1' }],
      ['declines', 'resolved', {}],
    ]);
    const store = new AlertHistoryStore(storeOn(db));
    expect(store.list({ rule: 'fraud' })).toHaveLength(1);
    expect(store.list({ labels: { merchant: 'm_1' } }).map((r) => r.rule)).toEqual(['fraud']);
    expect(store.list({ since: sec(150) }).map((r) => r.rule)).toEqual(['fraud']);
    expect(store.list({ until: sec(90) }).map((r) => r.rule)).toEqual(['declines']);
    expect(store.get(key)?.transitions.map((t) => t.state)).toEqual(['pending', 'firing', 'resolved']);
    // Notes on an alert that is no longer in memory go straight to the store.
    const fresh = new AlertEvaluator([declines], store, { now: () => 5 });
    expect(fresh.acknowledge(`fraud/merchant=m_1/${sec(210)}`, 'carol', 'false positive')).toBe(true);
    expect(store.get(`fraud/merchant=m_1/${sec(210)}`)?.acknowledged).toEqual({ by: 'carol', note: 'false positive', at: 5 });
    db.close();
  });

  it('persists silences and reloads the active ones', () => {
    let db = open();
    const r = rule({ name: 'x', metric: 'risk_blocked_count', condition: { above: 1 }, window: '30s' });
    const e = new AlertEvaluator([r], new AlertHistoryStore(storeOn(db)), { now: () => sec(0) });
    const kept = e.silence([{ label: 'alertname', op: '=', value: 'x' }], sec(3600), 'deploy', 'alice');
    const ended = e.silence([{ label: 'queue', op: '=~', value: 'work\\..*' }], sec(3600), 'drain');
    e.expireSilence(ended.id);
    db.close();
    db = open();
    const again = new AlertEvaluator([r], new AlertHistoryStore(storeOn(db)), { now: () => sec(10) });
    expect(again.listSilences().map((s) => [s.id, s.comment, s.createdBy, s.matchers])).toEqual([
      [kept.id, 'deploy', 'alice', [{ label: 'alertname', op: '=', value: 'x' }]],
    ]);
    expect(new AlertHistoryStore(storeOn(db)).listSilences()).toHaveLength(2);
    db.close();
  });

  it('closes instances an engine left open when it stopped', () => {
    const db = open();
    const r = rule({ name: 'x', metric: 'risk_blocked_count', condition: { above: 1 }, window: '30s' });
    const e = new AlertEvaluator([r], new AlertHistoryStore(storeOn(db)), { allowedLatenessMs: 0 });
    e.observeEvents([ev('risk.blocked', sec(1)), ev('risk.blocked', sec(2)), ev('risk.scored', sec(10))]);
    expect(e.list()[0].state).toBe('firing');
    const store = new AlertHistoryStore(storeOn(db));
    expect(store.closeOpenInstances(sec(99))).toBe(1);
    const [closed] = alertHistoryJson(storeOn(db));
    expect(closed).toMatchObject({ state: 'resolved', resolvedAt: new Date(sec(99)).toISOString() });
    expect(closed.transitions.map((t) => t.state)).toEqual(['firing', 'resolved']);
    expect(store.closeOpenInstances(sec(100))).toBe(0);
    db.close();
  });
});
