// Retention drops old events and their rollups together (README, "Rollups"): after it runs, the
// per-second, minute and ten-minute rollups the dashboard reads agree with the events kept,
// whatever second of a minute or a ten-minute bucket the cutoff falls on.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DashboardService } from '../dashboard/dashboardService';
import { openDatabase } from './database';
import { Retention } from './retention';
import { CodeCatalogue } from './codeCatalogue';
import { EventRepository } from './eventRepository';
import { MinuteRollupRepository } from './minuteRollupRepository';
import { storeOn } from './store';
import { tempDir } from '../../../test/support/tempDir';
import { expectTotalsMatch, rollupDisagreements, sqlWindow, storeInArrivalOrder, type Sent } from '../../../test/support/sqlFigures';

const dir = tempDir('payops-retention-rollups-');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** An attempt every 7 seconds over 40 minutes, in two currencies, a third declined. */
function traffic(): Sent[] {
  const out: Sent[] = [];
  for (let i = 0; i < 40 * 60 / 7; i++) {
    const timeMs = T0 + i * 7000 + (i % 5);
    const type = i % 3 === 0 ? 'payment.declined' : 'payment.authorized';
    const data = { paymentId: `p-${i}`, merchantId: 'm_1', amount: 1000 + i, currency: i % 2 ? 'JPY' : 'KWD', latencyMs: 100 + i, ...(type === 'payment.declined' ? { declineCode: '05' } : {}) };
    out.push({ event: { specversion: '1.0', id: `r-${i}`, source: 'psp/authorizer', type, time: new Date(timeMs).toISOString(), data }, arrivalMs: timeMs });
  }
  return out;
}

/** Runs `check` on a copy of `template` (written without fsync), closed after. */
function onCopyOf(template: string, name: string, check: (db: ReturnType<typeof openDatabase>) => void): void {
  const file = path.join(dir, name);
  fs.copyFileSync(template, file);
  const db = openDatabase(file, { durability: 'normal' });
  try {
    check(db);
  } finally {
    db.close();
  }
}

describe('retention and the rollups', () => {
  const template = path.join(dir, 'template.db');
  const db0 = openDatabase(template);
  storeInArrivalOrder(db0, traffic(), 50);
  db0.close();
  let run = 0;

  it('leaves rollups equal to the events kept, for a cutoff on any second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 60 - 1 }), (cutoffSecAfterT0) =>
        onCopyOf(template, `r-${++run}.db`, (db) => {
          const store = storeOn(db);
          store.applyRetention(1, T0 + cutoffSecAfterT0 * 1000 + DAY);
          expect(rollupDisagreements(db)).toEqual([]);
          const s = new DashboardService(store).series({ fromMs: T0 - 3600_000, toMs: T0 + 3600_000, compare: 'none' });
          expectTotalsMatch(s, sqlWindow(db, s.fromMs, s.toMs), 'the hour around the traffic');
        }),
      ),
      { numRuns: 15, seed: 3 },
    );
  });
});

describe('retention and the payments it cuts through', () => {
  /** A payment every 40 s over 80 minutes: declined, then approved on its retry 25 minutes later (attempt 2), some retried again 50 minutes later. */
  function retried(): Sent[] {
    const out: Sent[] = [];
    const at = (id: string, type: string, timeMs: number, paymentId: string, attempt: number): Sent => ({
      event: { specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(timeMs).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 100, currency: 'EUR', attempt } },
      arrivalMs: timeMs,
    });
    for (let i = 0; i < (80 * 60) / 40; i++) {
      const t = T0 + i * 40_000 + (i % 7) * 1000;
      out.push(at(`d-${i}`, 'payment.declined', t, `p-${i}`, 1));
      out.push(at(`a-${i}`, i % 3 === 0 ? 'payment.declined' : 'payment.authorized', t + 25 * 60_000, `p-${i}`, 2));
      if (i % 3 === 0) out.push(at(`b-${i}`, 'payment.authorized', t + 50 * 60_000, `p-${i}`, 3));
    }
    return out;
  }
  const template = path.join(dir, 'retried.db');
  const db0 = openDatabase(template);
  storeInArrivalOrder(db0, retried(), 50);
  db0.close();
  let run = 0;

  it('the writer that stored the payment reads it back after the retention: a retry then credits the minute kept', () => {
    const file = path.join(dir, 'same-writer.db');
    const db = openDatabase(file, { durability: 'normal' });
    try {
      const store = storeOn(db);
      const at = (id: string, type: string, timeMs: number, attempt: number): Sent => ({
        event: { specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(timeMs).toISOString(), data: { paymentId: 'P', merchantId: 'm_1', amount: 1, currency: 'EUR', attempt } },
        arrivalMs: timeMs,
      });
      storeInArrivalOrder(db, [at('1', 'payment.declined', T0, 1), at('2', 'payment.declined', T0 + 20 * 60_000, 2)], 1, store.ingest);
      store.applyRetention(1, T0 + 10 * 60_000 + DAY);
      storeInArrivalOrder(db, [at('3', 'payment.authorized', T0 + 35 * 60_000, 3)], 1, store.ingest);
      expect(rollupDisagreements(db)).toEqual([]);
      expect(sqlWindow(db, T0, T0 + 3600_000)).toMatchObject({ payments: 1, approvedPayments: 1 });
    } finally {
      db.close();
    }
  });

  it.each([
    ['a lookup per payment deleted', undefined],
    ['a scan of the events kept', 0],
  ])('counts a payment again however far apart its attempts around the cut are (hours, not the hour either side): %s', (_how, splitScanAbove) => {
    const db = openDatabase(path.join(dir, `far-apart-${splitScanAbove ?? 'probe'}.db`), { durability: 'normal' });
    try {
      const store = storeOn(db);
      const cut = T0 + 3 * 3600_000; // a ten-minute edge
      const at = (id: string, type: string, timeMs: number, paymentId: string, attempt: number): Sent => ({
        event: { specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(timeMs).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 1, currency: 'EUR', attempt } },
        arrivalMs: timeMs,
      });
      storeInArrivalOrder(
        db,
        [
          at('f1', 'payment.declined', cut - 2 * 3600_000, 'far', 1),
          at('n1', 'payment.declined', cut - 20 * 60_000, 'near', 1),
          at('n2', 'payment.authorized', cut + 20 * 60_000, 'near', 2),
          at('f2', 'payment.declined', cut + 90 * 60_000, 'far', 2),
          at('f3', 'payment.authorized', cut + 5 * 3600_000, 'far', 3),
        ],
        2,
        store.ingest,
      );
      new Retention(db, { events: new EventRepository(db), minutes: new MinuteRollupRepository(db, CodeCatalogue.rollupKeys(db)), splitScanAbove }).apply(1, cut + DAY);
      expect(rollupDisagreements(db)).toEqual([]);
      expect(sqlWindow(db, cut, cut + 6 * 3600_000)).toMatchObject({ payments: 2, approvedPayments: 2 });
    } finally {
      db.close();
    }
  });

  it('counts a payment whose first attempts it deleted at its first attempt kept, as SQL over the events kept does', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80 * 60 }), (cutoffSecAfterT0) =>
        onCopyOf(template, `p-${++run}.db`, (db) => {
          const store = storeOn(db);
          store.applyRetention(1, T0 + cutoffSecAfterT0 * 1000 + DAY);
          expect(rollupDisagreements(db)).toEqual([]);
          const s = new DashboardService(store).series({ fromMs: T0, toMs: T0 + 3 * 3600_000, compare: 'none' });
          expectTotalsMatch(s, sqlWindow(db, s.fromMs, s.toMs), 'the traffic kept');
          // A retry stored after the retention joins the payment as the events kept make it.
          const last = (80 * 60) / 40 - 1;
          storeInArrivalOrder(db, [{ event: { specversion: '1.0', id: 'late-retry', source: 'psp/authorizer', type: 'payment.authorized', time: new Date(T0 + 2 * 3600_000).toISOString(), data: { paymentId: `p-${last}`, merchantId: 'm_1', amount: 1, currency: 'EUR', attempt: 4 } }, arrivalMs: T0 + 2 * 3600_000 }], 1, store.ingest);
          expect(rollupDisagreements(db)).toEqual([]);
        }),
      ),
      { numRuns: 12, seed: 364 },
    );
  });
});
