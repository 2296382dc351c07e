// Approval per payment when a retry does not say it is one (no `attempt`) and comes after the
// writer's memory let its payment go (an hour of event time, or a restart): the writer asks its
// filter of the payment ids stored (paymentIdFilter.ts) and looks the payment up, so the
// per-payment rollups equal SQL over the stored events (one payment per paymentId, at its
// earliest attempt) after late retries, restarts between attempts and retention deletes; and
// new payments past the memory are not looked up one by one.
import fc from 'fast-check';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { FreshDatabases, distinctPayments, rolledUp, rollupDisagreements, sqlWindow, storeInArrivalOrder, storeWithRestart, type Sent } from '../../../test/support/sqlFigures';
import { openDatabase } from './database';
import { EventRepository } from './eventRepository';
import { EventWriter } from './eventWriter';
import { storeOn } from './store';

const dir = tempDir('payops-retries-past-memory-');
const T = Date.UTC(2026, 10, 23, 8, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An authorization attempt of `paymentId` at `t`, saying nothing of which attempt it is. */
const attempt = (id: string, type: string, t: number, paymentId: string, arrivalMs = t): Sent => ({
  event: { specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(t).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 1, currency: 'EUR' } },
  arrivalMs,
});

function expectFiguresOfSql(db: Database): void {
  expect(rollupDisagreements(db)).toEqual([]);
  expect(rolledUp(db)).toEqual(distinctPayments(db));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a retry without `attempt` after the writer let its payment go', () => {
  const databases = new FreshDatabases(dir);

  it('is the same payment, hours later: the rollups equal SQL over the events', () => {
    databases.use((db) => {
      // P declined at 08:00; Q at 10:00 moves the memory's clock two hours on; P approved at 10:00:01.
      storeInArrivalOrder(db, [attempt('1', 'payment.declined', T, 'P'), attempt('2', 'payment.authorized', T + 2 * HOUR, 'Q'), attempt('3', 'payment.authorized', T + 2 * HOUR + 1000, 'P')], 1);
      expectFiguresOfSql(db);
      expect(distinctPayments(db)).toEqual({ payments: 2, approved: 2 });
      expect(sqlWindow(db, T + 2 * HOUR, T + 3 * HOUR)).toMatchObject({ payments: 1, approvedPayments: 1 });
    });
  });

  it('is the same payment after a restart between its attempts (the new writer read back only the last hour)', () => {
    databases.use((db) => {
      storeInArrivalOrder(db, [attempt('1', 'payment.declined', T, 'P'), attempt('2', 'payment.authorized', T + 5 * HOUR, 'Q')], 1);
      storeInArrivalOrder(db, [attempt('3', 'payment.declined', T + 5 * HOUR + 1000, 'P'), attempt('4', 'payment.authorized', T + 6 * HOUR, 'P')], 1, new EventWriter(db));
      expectFiguresOfSql(db);
      expect(distinctPayments(db)).toEqual({ payments: 2, approved: 2 });
    });
  });

  it('joins the payment as the events a retention kept make it: counted at its first attempt kept', () => {
    databases.use((db) => {
      const store = storeOn(db);
      storeInArrivalOrder(db, [attempt('1', 'payment.declined', T, 'P'), attempt('2', 'payment.declined', T + 20 * MINUTE, 'P'), attempt('3', 'payment.declined', T + 30 * MINUTE, 'R')], 1, store.ingest);
      // The cut at 08:10 deletes P's first attempt; its second is kept.
      store.applyRetention(1, T + 10 * MINUTE + DAY);
      storeInArrivalOrder(db, [attempt('4', 'payment.authorized', T + 3 * HOUR, 'Q'), attempt('5', 'payment.authorized', T + 3 * HOUR + 1000, 'P'), attempt('6', 'payment.authorized', T + 9 * HOUR, 'R')], 1, store.ingest);
      expectFiguresOfSql(db);
      expect(distinctPayments(db)).toEqual({ payments: 3, approved: 3 });
      expect(sqlWindow(db, T + 20 * MINUTE, T + 21 * MINUTE)).toMatchObject({ payments: 1, approvedPayments: 1 });
    });
  });

  it('random traffic over 12 hours, retries hours apart that never say so, a restart anywhere: the rollups equal SQL', () => {
    const draw = fc.record({
      payment: fc.integer({ min: 0, max: 40 }),
      atMs: fc.integer({ min: 0, max: 12 * HOUR }),
      type: fc.constantFrom('payment.authorized', 'payment.declined', 'payment.failed'),
      // Most on time; some hours late (an out-of-order capture, a producer's backlog).
      lagMs: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 * HOUR }) }),
    });
    let run = 0;
    fc.assert(
      fc.property(fc.array(draw, { minLength: 1, maxLength: 150 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 100 }), (list, batch, restartPercent) =>
        databases.use((db) => {
          run += 1;
          const sent = list.map((d, i) => attempt(`e-${run}-${i}`, d.type, T + d.atMs, `p-${d.payment}`, T + d.atMs + d.lagMs));
          storeWithRestart(db, sent, batch, restartPercent);
          expectFiguresOfSql(db);
        }),
      ),
      { numRuns: 40, seed: 382 },
    );
  });
});

describe('new payments past the writer memory', () => {
  it('are not looked up one by one: the filter of stored ids answers for them', () => {
    const db = openDatabase(path.join(dir, 'new-payments.db'), { durability: 'normal' });
    try {
      const lookups = vi.spyOn(EventRepository.prototype, 'storedPayments');
      // A new payment every 30 s for 5 hours, each its own (PaySim's kind of traffic): the memory
      // lets payments go from the second hour on.
      const sent = Array.from({ length: 600 }, (_, i) => attempt(`n-${i}`, i % 7 === 0 ? 'payment.declined' : 'payment.authorized', T + i * 30_000, `new-${i}`));
      const writer = new EventWriter(db);
      storeInArrivalOrder(db, sent, 20, writer);
      expect(lookups).not.toHaveBeenCalled();
      // A retry of one of the first, without `attempt`: the one lookup.
      storeInArrivalOrder(db, [attempt('retry', 'payment.authorized', T + 5 * HOUR + 1000, 'new-0')], 1, writer);
      expect(lookups).toHaveBeenCalledTimes(1);
      expectFiguresOfSql(db);
    } finally {
      db.close();
    }
  });
});
