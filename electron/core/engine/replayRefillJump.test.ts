// A replay sought back, then its clock jumps forward over the stored stretch (a forward seek, or
// the clock racing on at max): each read added every event stored between the last fill and the
// clock, so a jump of 16 minutes read 16 minutes of events one by one on the engine thread (the
// cost a seek's refill was bounded to avoid: 5.7 s at 1,000 events/s for 15 minutes).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveMetrics } from '../metrics/liveMetrics';
import { openDatabase } from '../store/database';
import { PAYMENT_INDEX_SEAL_ROWS } from '../store/paymentIndex';
import { openStore, storeOn } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { captureLines } from '../../../test/support/replayTestKit';
import { incoming } from '../../../test/support/storedTextKit';
import { EVENT_FILL_SECONDS, ReplayRefill } from './replayRefill';

const dir = tempDir('payops-refill-jump-');

/** LiveMetrics that counts the stored events handed to it one by one. */
class CountingMetrics extends LiveMetrics {
  handed = 0;
  override addStored(events: Parameters<LiveMetrics['addStored']>[0]): void {
    super.addStored([...events].map((e) => (this.handed++, e)));
  }
}

describe('a replay sought back whose clock then jumps far forward', () => {
  it('is filled as a seek there fills it, reading no more events than such a seek', () => {
    const store = openStore(path.join(dir, 'jump.db'));
    const events = captureLines(20 * 60, 1, false).map((line) => JSON.parse(line) as { time: string });
    const times = events.map((e) => Date.parse(e.time));
    for (let i = 0; i < events.length; i += 500) store.ingest.commit(events.slice(i, i + 500).map((e, k) => incoming(e, times[i + k] + 1_500)));
    const end = times.at(-1)!;
    const at = (minute: number) => times[minute * 60];

    const refilled = (clocks: number[]) => {
      const metrics = new CountingMetrics();
      metrics.watermark = end;
      const refill = new ReplayRefill(store, metrics);
      for (const c of clocks) {
        metrics.handed = 0;
        refill.beforeRead(c, c);
      }
      return { figures: metrics.figures(clocks.at(-1)!, true), handed: metrics.handed };
    };
    const direct = refilled([end, at(18)]);
    const jumped = refilled([end, at(2), at(18)]);
    expect(jumped.figures).toEqual(direct.figures);
    // At most the clock's second and the seconds a seek reads events of, at 1 event a second.
    expect(jumped.handed).toBeLessThanOrEqual(EVENT_FILL_SECONDS + 1);
    store.close();
  });
});

describe('per-payment approval after a backward seek', () => {
  it('equals a straight replay over the same window, at the seek and as the clock is paced on, for retries of payments begun long before', () => {
    const store = openStore(path.join(dir, 'payments.db'));
    const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
    const X = T0 + 3 * 3600_000; // the seek's target
    const attempt = (id: string, type: string, t: number, paymentId: string) =>
      ({ specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(t).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 100, currency: 'EUR' } });
    const events: { ce: object; t: number }[] = [];
    const add = (id: string, type: string, t: number, paymentId: string) => events.push({ ce: attempt(id, type, t, paymentId), t });
    // A payment every 20 s around X - 2 h and X, approved; some declined first and retried (no
    // `attempt`) 2 hours, 10 minutes or 30 s later, approved.
    for (let t = T0 + 50 * 60_000, i = 150; t < X + 4 * 60_000; t += 20_000, i++) {
      if (t > T0 + 70 * 60_000 && t < X - 15 * 60_000) continue;
      if (i % 4 === 0) {
        add(`d-${i}`, 'payment.declined', t, `p-${i}`);
        const later = [2 * 3600_000, 10 * 60_000, 30_000][i % 3];
        add(`r-${i}`, 'payment.authorized', t + later, `p-${i}`);
      } else add(`a-${i}`, 'payment.authorized', t, `p-${i}`);
    }
    // Retries within the paced stretch of payments begun before the seek's reads.
    add('q-1', 'payment.declined', X - 20 * 60_000, 'q');
    add('q-2', 'payment.authorized', X + 100_000, 'q');
    add('q-3', 'payment.declined', X - 150 * 60_000, 'q-old');
    add('q-4', 'payment.declined', X + 130_000, 'q-old');
    events.sort((a, b) => a.t - b.t);
    const end = events.at(-1)!.t;
    // A straight replay: the writer's commits, in event time order, feed the windows (engine.ts).
    const straight = new LiveMetrics();
    const straightAt: Record<number, ReturnType<LiveMetrics['figures']>> = {};
    const stops = [X, X + 60_000, X + 150_000];
    for (let i = 0, s = 0; i < events.length; i += 5) {
      const batch = events.slice(i, i + 5);
      for (; s < stops.length && batch[0].t > stops[s]; s++) straightAt[stops[s]] = straight.figures(stops[s], true);
      const out = store.ingest.commit(batch.map((e) => incoming(e.ce, e.t)));
      const clock = batch.at(-1)!.t;
      straight.observe(out.inserted, clock);
      straight.observePayments(out.payments, clock);
    }
    const metrics = new LiveMetrics();
    metrics.watermark = end;
    const refill = new ReplayRefill(store, metrics);
    refill.beforeRead(end, end);
    const perPayment = (f: ReturnType<LiveMetrics['figures']>) => ({ paymentApprovalRate: f.paymentApprovalRate, paymentsLastMinute: f.paymentsLastMinute });
    for (const at of stops) {
      refill.beforeRead(at, at);
      expect(perPayment(metrics.figures(at, true)), `at X + ${(at - X) / 1000} s`).toEqual(perPayment(straightAt[at]));
    }
    store.close();
  });
});

describe('a backward seek in a replay that defers its index seals', () => {
  it('moves the payment index tail in, so the payments looked up as the clock is paced on are probed in the index, not found by a scan of every event replayed', () => {
    const db = openDatabase(path.join(dir, 'deferred.db'));
    const store = storeOn(db);
    store.deferExplorerIndexes();
    // Past the seal's tail (PAYMENT_INDEX_SEAL_ROWS): 20 minutes at 20 events a second.
    const events = captureLines(24_000, 20, false).map((line) => JSON.parse(line) as { time: string });
    for (let i = 0; i < events.length; i += 2_000) store.ingest.commit(events.slice(i, i + 2_000).map((e) => incoming(e, Date.parse(e.time))));
    const state = () => db.prepare('SELECT (SELECT MAX(seq) FROM event_log) - through_seq AS tail, deferred FROM event_payment_index_state').get() as { tail: number; deferred: number };
    expect(state().tail).toBeGreaterThan(PAYMENT_INDEX_SEAL_ROWS);
    const end = Date.parse(events.at(-1)!.time);
    const metrics = new LiveMetrics();
    metrics.watermark = end;
    const refill = new ReplayRefill(store, metrics);
    refill.beforeRead(end, end);
    refill.beforeRead(end - 10 * 60_000, end - 10 * 60_000);
    expect(state()).toEqual({ tail: 0, deferred: 1 });
    store.close();
  });
});
