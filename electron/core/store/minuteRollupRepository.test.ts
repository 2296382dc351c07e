// The rollup readers over what the writer stored in a real SQLite file: amounts whose sum
// passes 2^63 are still read (the minute amounts are REAL columns, migrations 170, 180 and
// 230, so SUM adds doubles and cannot raise "integer overflow"; the per-second amounts are
// INTEGER and read with TOTAL), sums up to 2^53 stay exact, and
// steps before 1970 are the steps that hold them (floor, not truncation toward zero).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MinuteRollupRepository } from './minuteRollupRepository';
import { RollupRepository } from './rollupRepository';

const dir = tempDir('payops-minute-rollups-');
let n = 0;
const freshDb = () => openDatabase(path.join(dir, `m-${++n}.db`));
const MAX_AMOUNT = Number.MAX_SAFE_INTEGER; // the largest amount EVENTS.md allows

const authorized = (timeMs: number, amount: number, currency = 'EUR'): IncomingMessage => {
  const e = paymentEvent('payment.authorized', { time: new Date(timeMs).toISOString() }, { amount, currency });
  const raw = { body: Buffer.from(JSON.stringify(e)), arrivalMs: timeMs, routingKey: 'rk' };
  return { raw, result: decodeMessage(raw) };
};

describe('minute rollups: amounts', () => {
  it('reads a day whose authorized amounts add up past 2^63', () => {
    const db = freshDb();
    const writer = new EventWriter(db);
    const day0 = Date.UTC(2026, 10, 23) / 60_000;
    // One event of the largest amount in each minute of a day: 1,440 x (2^53 - 1) > 2^63.
    const minutes = 1440;
    writer.commit(Array.from({ length: minutes }, (_, i) => authorized((day0 + i) * 60_000, MAX_AMOUNT)));
    const repo = new MinuteRollupRepository(db);
    const expected = minutes * MAX_AMOUNT;

    const [day] = repo.bySteps('authorized', 1440, day0, day0 + minutes);
    expect(day).toMatchObject({ t: day0, key: 'EUR', n: minutes });
    expect(day.a / expected).toBeCloseTo(1, 12);
    // A window with ragged ends reads minutes besides the ten-minute buckets.
    const ragged = repo.bySteps('authorized', 60, day0 + 5, day0 + minutes - 5);
    expect(ragged.reduce((s, c) => s + c.n, 0)).toBe(minutes - 10);
    const [total] = repo.totals('authorized', day0, day0 + minutes);
    expect(total.n).toBe(minutes);
    expect(total.a / expected).toBeCloseTo(1, 12);
    const [raggedTotal] = repo.totals('authorized', day0 + 3, day0 + minutes - 3);
    expect(raggedTotal.n).toBe(minutes - 6);
    // Steps that are not whole ten minutes are summed from the minutes alone.
    const odd = repo.bySteps('authorized', 1445, day0, day0 + minutes);
    expect(odd.reduce((s, c) => s + c.n, 0)).toBe(minutes);
    expect(odd.reduce((s, c) => s + c.a, 0) / expected).toBeCloseTo(1, 12);
    db.close();
  });

  it('keeps a sum up to 2^53 - 1 exact, as the per-second rollups do', () => {
    const db = freshDb();
    const writer = new EventWriter(db);
    const t0 = Date.UTC(2026, 10, 23, 5, 0, 0);
    // Odd parts in different minutes, ten-minute buckets and commits: 2^52 + (2^52 - 3) + 1 + 1.
    const parts = [2 ** 52, 2 ** 52 - 3, 1, 1];
    parts.forEach((amount, i) => writer.commit([authorized(t0 + i * 11 * 60_000, amount)]));
    const repo = new MinuteRollupRepository(db);
    const m0 = t0 / 60_000;
    expect(repo.totals('authorized', m0, m0 + 60)).toEqual([{ key: 'EUR', n: 4, a: MAX_AMOUNT }]);
    expect(repo.totals('authorized', m0 + 1, m0 + 60)).toEqual([{ key: 'EUR', n: 3, a: 2 ** 52 - 1 }]);
    expect(repo.bySteps('authorized', 60, m0, m0 + 60)).toEqual([{ t: m0, key: 'EUR', n: 4, a: MAX_AMOUNT }]);
    expect(repo.bySteps('authorized', 20, m0 + 1, m0 + 59).reduce((s, c) => s + c.a, 0)).toBe(2 ** 52 - 1);
    const seconds = new RollupRepository(db);
    expect(seconds.authorizedByCurrency()).toEqual([{ key: 'EUR', total: MAX_AMOUNT }]);
    db.close();
  });
});

describe('rollup steps before 1970', () => {
  // 1969-12-31 23:55:30: minute -5 (second -270), in the step of -60 for a step of an hour.
  const before1970 = -270_000;

  it('puts a minute before 1970 in the step that holds it', () => {
    const db = freshDb();
    new EventWriter(db).commit([authorized(before1970, 100), authorized(90_000, 7)]);
    const repo = new MinuteRollupRepository(db);
    // Whole ten-minute buckets (the ten-minute rollups) and ragged ends (the minutes).
    for (const [from, to] of [
      [-60, 60],
      [-57, 57],
    ]) {
      expect(repo.bySteps('authorized', 60, from, to).map(({ t, a }) => ({ t, a }))).toEqual([
        { t: -60, a: 100 },
        { t: 0, a: 7 },
      ]);
      expect(repo.bySteps('type', 20, from, to).map(({ t, n }) => ({ t, n }))).toEqual([
        { t: -20, n: 1 },
        { t: 0, n: 1 },
      ]);
      // Not whole ten minutes: summed from the minutes.
      expect(repo.bySteps('type', 15, from, to).map(({ t, n }) => ({ t, n }))).toEqual([
        { t: -15, n: 1 },
        { t: 0, n: 1 },
      ]);
    }
    db.close();
  });

  it('puts a second before 1970 in the step that holds it (typeCountsBySteps)', () => {
    const db = freshDb();
    new EventWriter(db).commit([authorized(before1970, 100), authorized(-1_000, 1), authorized(0, 1)]);
    const steps = new RollupRepository(db).typeCountsBySteps(60, -600, 600);
    expect(steps).toEqual([
      { t: -300, key: 'payment.authorized', n: 1 },
      { t: -60, key: 'payment.authorized', n: 1 },
      { t: 0, key: 'payment.authorized', n: 1 },
    ]);
    db.close();
  });
});
