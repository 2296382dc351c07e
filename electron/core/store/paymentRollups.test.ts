// The per-payment rollups the writer keeps (dim 'payment') equal direct SQL over the stored
// events, whatever order and batches the attempts arrive in, with duplicates; migration 190
// gives a database written before them the same cells; a new writer on the same file keeps
// grouping the retries of payments already under way.
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { migration190 } from './migrations/190_payment_rollups';
import { migration300 } from './migrations/300_payment_failures';
import { toNamedRollups } from '../../../test/support/namedRollups';

const dir = tempDir('payops-payments-');
let n = 0;
const freshDb = () => openDatabase(path.join(dir, `p-${++n}.db`));
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);

interface Attempt {
  payment: number;
  offsetMs: number;
  approved: boolean;
  /** Not approved by a technical failure (payment.failed) rather than a decline. */
  failed?: boolean;
}

const message = (a: Attempt, i: number): IncomingMessage => {
  const e = paymentEvent(a.approved ? 'payment.authorized' : a.failed ? 'payment.failed' : 'payment.declined', { id: `att-${a.payment}-${i}`, time: new Date(T0 + a.offsetMs).toISOString() }, { paymentId: `pay_${a.payment}`, attempt: i + 1 });
  const raw = { body: Buffer.from(JSON.stringify(e)), arrivalMs: T0, routingKey: 'rk' };
  return { raw, result: decodeMessage(raw) };
};

/** The cells SQL computes from the stored events: each payment at its earliest attempt. */
function expected(db: Database, per: number): { at: number; key: string; count: number }[] {
  return db
    .prepare(
      `WITH p AS (SELECT MIN(time_ms) AS start_ms, MAX(type = 'payment.authorized') AS ok FROM event_log
         WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') GROUP BY payment_id)
       SELECT * FROM (
         SELECT CAST(start_ms / 1000 / ${per} AS INTEGER) AS at, 'started' AS key, COUNT(*) AS count FROM p GROUP BY at
         UNION ALL SELECT CAST(start_ms / 1000 / ${per} AS INTEGER) AS at, 'approved' AS key, SUM(ok) AS count FROM p GROUP BY at HAVING SUM(ok) > 0)
       ORDER BY at, key`,
    )
    .all() as { at: number; key: string; count: number }[];
}

function stored(db: Database, table: string, column: string): { at: number; key: string; count: number }[] {
  return db.prepare(`SELECT ${column} AS at, key, count FROM ${table} WHERE dim = 'payment' AND count <> 0 ORDER BY at, key`).all() as {
    at: number;
    key: string;
    count: number;
  }[];
}

const TABLES: [string, string, number][] = [
  ['rollup_minute', 'minute', 60],
  ['rollup_ten_minute', 'bucket', 600],
];

/** Payments of 1-4 attempts over 40 minutes; at most the last attempt is approved; the others declined, or failed. */
const paymentsArb = fc.array(
  fc.record({ first: fc.integer({ min: 0, max: 40 * 60_000 }), gaps: fc.array(fc.integer({ min: 1, max: 300_000 }), { maxLength: 3 }), approved: fc.boolean(), failing: fc.boolean() }),
  { minLength: 1, maxLength: 60 },
);

describe('per-payment rollups', () => {
  it('equal SQL over the stored events in any arrival order and batching, duplicates included', () => {
    fc.assert(
      fc.property(paymentsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 25 }), (payments, shuffle, batch) => {
        const messages: IncomingMessage[] = [];
        payments.forEach((p, id) => {
          let t = p.first;
          const times = [t, ...p.gaps.map((g) => (t += g))];
          times.forEach((time, i) => messages.push(message({ payment: id, offsetMs: time, approved: p.approved && i === times.length - 1, failed: p.failing }, i)));
        });
        // A seeded shuffle, and a few messages delivered twice.
        for (let i = messages.length - 1; i > 0; i--) {
          const j = shuffle[i % shuffle.length] % (i + 1);
          [messages[i], messages[j]] = [messages[j], messages[i]];
        }
        messages.push(...messages.slice(0, 3));
        const db = freshDb();
        try {
          const w = new EventWriter(db);
          for (let i = 0; i < messages.length; i += batch) w.commit(messages.slice(i, i + batch));
          for (const [table, column, per] of TABLES) expect(stored(db, table, column)).toEqual(expected(db, per));
        } finally {
          db.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('migration 190 gives a database written before it the cells the writer keeps', () => {
    const db = freshDb();
    try {
      const messages: IncomingMessage[] = [];
      for (let p = 0; p < 200; p++) {
        const attempts = 1 + (p % 3);
        for (let i = 0; i < attempts; i++) messages.push(message({ payment: p, offsetMs: p * 7_919 + i * 45_000, approved: i === attempts - 1 && p % 5 !== 0 }, i));
      }
      new EventWriter(db).commit(messages);
      const written = TABLES.map(([table, column]) => stored(db, table, column));
      expect(written[0].length).toBeGreaterThan(20);
      toNamedRollups(db); // the form before 230, which 190 wrote into
      db.exec("DELETE FROM rollup_minute WHERE dim = 'payment'; DELETE FROM rollup_ten_minute WHERE dim = 'payment'");
      db.transaction(() => migration190.up(db))();
      expect(TABLES.map(([table, column]) => stored(db, table, column))).toEqual(written);
    } finally {
      db.close();
    }
  });

  it('migration 300 writes the cells again with failed attempts counted: a payment whose attempts all failed is one not approved', () => {
    const db = freshDb();
    try {
      const messages: IncomingMessage[] = [];
      for (let p = 0; p < 200; p++) {
        const attempts = 1 + (p % 3);
        // Every fourth payment only ever fails (an acquirer timing out); the others end declined or approved.
        for (let i = 0; i < attempts; i++) messages.push(message({ payment: p, offsetMs: p * 7_919 + i * 45_000, approved: i === attempts - 1 && p % 5 !== 0 && p % 4 !== 0, failed: p % 4 === 0 }, i));
      }
      new EventWriter(db).commit(messages);
      const written = TABLES.map(([table, column]) => stored(db, table, column));
      expect(written).toEqual(TABLES.map(([, , per]) => expected(db, per)));
      const startedCells = (cells: { key: string; count: number }[]) => cells.filter((c) => c.key === 'started').reduce((sum, c) => sum + c.count, 0);
      expect(startedCells(written[0])).toBe(200);
      // What migration 190 left: cells of the declined and approved payments only (here, some other count).
      db.exec(`
        DELETE FROM rollup_minute_coded WHERE code IN (SELECT code FROM rollup_key WHERE dim = 'payment');
        DELETE FROM rollup_ten_minute_coded WHERE code IN (SELECT code FROM rollup_key WHERE dim = 'payment');
        INSERT INTO rollup_minute_coded (minute, code, count, amount) SELECT 1, code, 99, 0 FROM rollup_key WHERE dim = 'payment';`);
      db.transaction(() => migration300.up(db))();
      expect(TABLES.map(([table, column]) => stored(db, table, column))).toEqual(written);
    } finally {
      db.close();
    }
  });

  it('a new writer on the same database keeps grouping retries of payments already stored', () => {
    const db = freshDb();
    try {
      new EventWriter(db).commit([message({ payment: 1, offsetMs: 0, approved: false }, 0)]);
      // A restart: a new writer, the retry approved a minute later.
      const out = new EventWriter(db).commit([message({ payment: 1, offsetMs: 60_000, approved: true }, 1)]);
      expect(out.payments).toEqual([{ sec: T0 / 1000, dim: 'payment', key: 'approved', count: 1, amount: 0 }]);
      expect(db.prepare("SELECT COUNT(*) FROM rollup_second WHERE dim = 'payment'").pluck().get()).toBe(0); // minutes only
      expect(stored(db, 'rollup_minute', 'minute')).toEqual([
        { at: T0 / 60_000, key: 'approved', count: 1 },
        { at: T0 / 60_000, key: 'started', count: 1 },
      ]);
    } finally {
      db.close();
    }
  });

  it('a batch that rolls back and is retried counts its payments once, as if it had never failed', () => {
    const db = freshDb();
    try {
      const w = new EventWriter(db);
      w.commit([message({ payment: 1, offsetMs: 0, approved: false }, 0)]);
      let refuse = true;
      // A refusal inside the transaction (a full disk, a lock) after the events were written.
      w.also(() => {
        if (refuse) throw new Error('SQLITE_FULL: database or disk is full');
      });
      const batch = [message({ payment: 1, offsetMs: 30_000, approved: true }, 1), message({ payment: 2, offsetMs: 40_000, approved: false }, 0)];
      expect(() => w.commit(batch)).toThrow(/SQLITE_FULL/);
      refuse = false;
      w.commit(batch);
      for (const [table, column, per] of TABLES) expect(stored(db, table, column)).toEqual(expected(db, per));
      expect(stored(db, 'rollup_minute', 'minute')).toEqual([
        { at: T0 / 60_000, key: 'approved', count: 1 },
        { at: T0 / 60_000, key: 'started', count: 2 },
      ]);
    } finally {
      db.close();
    }
  });

  it('a restarted writer remembers the payments under way though one stored event is stamped years ahead', () => {
    const db = freshDb();
    const msg = (paymentId: string, type: string, timeMs: number, arrivalMs: number): IncomingMessage => {
      const raw = { body: Buffer.from(JSON.stringify(paymentEvent(type, { time: new Date(timeMs).toISOString() }, { paymentId }))), arrivalMs, routingKey: type };
      return { raw, result: decodeMessage(raw) };
    };
    new EventWriter(db).commit([msg('p1', 'payment.declined', T0, T0), msg('p-wrong-clock', 'payment.authorized', Date.UTC(9999, 0, 1), T0 + 1000)]);
    // A restart: a new writer warms its payment tracker from the stored events.
    const out = new EventWriter(db).commit([msg('p1', 'payment.authorized', T0 + 60_000, T0 + 60_000)]);
    expect(out.payments).toEqual([{ sec: T0 / 1000, dim: 'payment', key: 'approved', count: 1, amount: 0 }]);
  });
});

