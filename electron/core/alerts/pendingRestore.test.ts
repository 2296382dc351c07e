// A pending alert (a rule with `for:`) carried over a restart, as Prometheus restores its
// alerts' `for` state (rules/group.go RestoreForState): the restarted engine's windows are empty
// until events arrive again, and an empty window is no evidence that the condition ended, so
// the alert stays pending (same key and history) until a tick can judge it; the time it was
// pending before the restart counts, the time the engine was down does not, and it waits at
// least the grace period (10 min) before firing; a `for` shorter than that starts again; one
// left pending more than the outage tolerance (1 h) ago is not carried on. Real SQLite file,
// an alerting session stopped and started again on it, on a manual wall clock.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertNotification } from '../../../shared/alerts';
import { tempDir } from '../../../test/support/tempDir';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore, type Store } from '../store/store';
import { AlertingSession } from './alertingSession';
import { FOR_GRACE_PERIOD_MS, FOR_OUTAGE_TOLERANCE_MS } from './alertEvaluator';
import { parseRulesText } from './loadRulesFile';

const dir = tempDir('payops-pending-restore-');
const stores: Store[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.close()));

const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const MIN = 60_000;

const rulesFor = (forText: string) =>
  parseRulesText(
    `rules:
  - name: declines-held
    description: Declines held for a while.
    severity: critical
    metric: decline_rate
    condition: { above: 15% }
    window: 5s
    for: ${forText}
    keepFiringFor: 0s
    minVolume: 10
    noDataState: normal
`,
    'yaml',
  );

let n = 0;
/** Payments every 100 ms of [fromMs, toMs), 40 % declined, arriving when they happen. */
function declines(fromMs: number, toMs: number): IncomingMessage[] {
  const items: IncomingMessage[] = [];
  for (let t = fromMs; t < toMs; t += 100) {
    const id = `e${n++}`;
    const type = n % 5 < 2 ? 'payment.declined' : 'payment.authorized';
    const event = { source: 'psp', id, type, category: 'payment' as const, timeMs: t, subject: null, paymentId: id, merchantId: 'm_1', amount: 100, currency: 'EUR', country: 'DE', method: null, cardBin: null, latencyMs: null, declineCode: null, score: null, decision: null, json: '{}' };
    items.push({ raw: { body: new Uint8Array(), arrivalMs: t }, result: { ok: true, event } });
  }
  return items;
}

/** An alerting session on `name`'s database (a live engine's, restarted by calling it again) at wall time `wall.t`. */
function start(name: string, forText: string, wall: { t: number }) {
  const store = openStore(path.join(dir, `${name}.db`));
  stores.push(store);
  /** What the evaluator raised, as the session passes it on. */
  const notes: AlertNotification[] = [];
  const session = new AlertingSession({ store, rules: rulesFor(forText), replay: false, rulesFile: null, defaultSavePath: path.join(dir, 'rules.yaml'), notify: (x) => notes.push(x), wallClock: () => wall.t });
  const run = (fromMs: number, toMs: number) => {
    wall.t = toMs;
    session.observeCommitted(store.ingest.commit(declines(fromMs, toMs)), toMs);
    notes.push(...session.evaluator.advanceTo(toMs));
  };
  const active = () => session.evaluator.list({ includeResolved: false }).map((a) => ({ key: a.key, state: a.state }));
  const stop = () => {
    session.stop();
    store.close();
    stores.splice(stores.indexOf(store), 1);
  };
  return { session, store, notes, run, active, stop };
}

const firedAt = (notes: AlertNotification[]) => notes.filter((x) => x.kind === 'firing').map((x) => ({ key: x.key, at: x.at }));

describe('a pending alert carried over a restart', () => {
  it('stays pending on the empty windows after the restart; its time pending before counts, the downtime does not, and it fires under its key', () => {
    const wall = { t: T0 };
    const first = start('held', '15m', wall);
    first.run(T0, T0 + 2 * MIN); // two minutes of 40 % declines: pending
    const [before] = first.active();
    expect(before.state).toBe('pending');
    const since = first.session.evaluator.list()[0].activeSince!;
    first.stop();

    // Down for 3 minutes; nothing has arrived since: the windows are empty, which proves nothing.
    wall.t = T0 + 5 * MIN;
    const second = start('held', '15m', wall);
    expect(second.active()).toEqual([before]);
    second.notes.push(...second.session.evaluator.advanceTo(wall.t));
    wall.t += 30_000;
    second.notes.push(...second.session.evaluator.advanceTo(wall.t));
    expect(second.active()).toEqual([before]);
    // The incident goes on: it fires 15 minutes of pending after it began, the 3 minutes (and the
    // half minute of waiting for evidence) down not counted: not at the restart's first tick.
    for (let t = wall.t; t < T0 + 30 * MIN && firedAt(second.notes).length === 0; t += MIN) second.run(t, t + MIN);
    const fired = firedAt(second.notes);
    expect(fired.map((f) => f.key)).toEqual([before.key]);
    const pendingFor = fired[0].at - since - 3 * MIN;
    expect(pendingFor).toBeGreaterThanOrEqual(15 * MIN);
    expect(pendingFor).toBeLessThan(15 * MIN + 2 * MIN);
  });

  it('waits at least the grace period after the restart when less of its `for` was left', () => {
    const wall = { t: T0 };
    const first = start('grace', '15m', wall);
    first.run(T0, T0 + 12 * MIN); // 12 of its 15 minutes pending
    const [before] = first.active();
    expect(before.state).toBe('pending');
    first.stop();
    wall.t = T0 + 13 * MIN;
    const restartedAt = wall.t;
    const second = start('grace', '15m', wall);
    for (let t = restartedAt; t < T0 + 40 * MIN && firedAt(second.notes).length === 0; t += MIN) second.run(t, t + MIN);
    const fired = firedAt(second.notes);
    expect(fired.map((f) => f.key)).toEqual([before.key]);
    expect(fired[0].at).toBeGreaterThanOrEqual(restartedAt + FOR_GRACE_PERIOD_MS - 10_000);
    expect(fired[0].at).toBeLessThan(restartedAt + FOR_GRACE_PERIOD_MS + MIN);
  });

  it('a `for` shorter than the grace period starts again at the restart', () => {
    const wall = { t: T0 };
    const first = start('short', '2m', wall);
    first.run(T0, T0 + 90_000);
    const [before] = first.active();
    expect(before.state).toBe('pending');
    first.stop();
    wall.t = T0 + 5 * MIN;
    const restartedAt = wall.t;
    const second = start('short', '2m', wall);
    for (let t = restartedAt; t < T0 + 20 * MIN && firedAt(second.notes).length === 0; t += 10_000) second.run(t, t + 10_000);
    const fired = firedAt(second.notes);
    expect(fired.map((f) => f.key)).toEqual([before.key]);
    expect(fired[0].at).toBeGreaterThanOrEqual(restartedAt + 2 * MIN - 10_000);
    expect(fired[0].at).toBeLessThan(restartedAt + 2 * MIN + 30_000);
  });

  it('one left pending more than the outage tolerance ago is not carried on', () => {
    const wall = { t: T0 };
    const first = start('outage', '15m', wall);
    first.run(T0, T0 + 2 * MIN);
    expect(first.active().map((a) => a.state)).toEqual(['pending']);
    first.stop();
    wall.t = T0 + 2 * MIN + FOR_OUTAGE_TOLERANCE_MS + MIN;
    const second = start('outage', '15m', wall);
    expect(second.active()).toEqual([]);
    expect(second.session.history.list({}).map((r) => r.endedAt !== null)).toEqual([true]);
  });
});
