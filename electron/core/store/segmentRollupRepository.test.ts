// Segment rollups: bounded cardinality, BIN at 6 digits, and the same rollups whatever the batching
// (live traffic commits small batches, a replay large ones).
import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { MAX_VALUES_PER_DIMENSION, OTHER_VALUE } from '../../../shared/segments';
import { tempDir } from '../../../test/support/tempDir';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import type { IncomingMessage } from './eventWriter';
import { withNoneCodes, withNoneSegments } from './segmentNone';
import { TOTAL } from './segmentRollupRepository';
import type { DeclineCodeRow, SegmentRow } from './segmentRow';
import { openStore } from './store';

const dir = tempDir('payops-segments-');
const MINUTE_SUMS = `SELECT dim, value, SUM(attempts) AS attempts, SUM(approvals) AS approvals, SUM(declines) AS declines, SUM(failures) AS failures,
  SUM(amount) AS amount, SUM(approved_amount) AS approvedAmount, SUM(payments) AS payments FROM segment_minute WHERE minute >= ? AND minute < ?`;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

const message = (e: object, time: string): IncomingMessage => {
  const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: null, routingKey: null, arrivalMs: Date.parse(time) };
  return { raw, result: decodeMessage(raw) };
};

const authorized = (i: number, data: Record<string, unknown>) => {
  const time = new Date(T0 + i * 10).toISOString();
  return message(
    { specversion: '1.0', id: `e${i}`, source: 's', type: 'payment.authorized', time, data: { paymentId: `p${i}`, merchantId: 'm', amount: 100, currency: 'EUR', ...data } },
    time,
  );
};

describe('segment rollups', () => {
  it('keep the first values of a dimension exactly and fold the tail into (other)', () => {
    const store = openStore(path.join(dir, 'bound.db'));
    const n = MAX_VALUES_PER_DIMENSION + 50;
    store.ingest.commit(Array.from({ length: n }, (_, i) => authorized(i, { acquirer: `acq-${i}` })));
    const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'acquirer');
    expect(rows.length).toBe(MAX_VALUES_PER_DIMENSION + 1);
    expect(rows.find((r) => r.value === OTHER_VALUE)!.attempts).toBe(50);
    expect(rows.reduce((a, r) => a + r.attempts, 0)).toBe(n);
    store.close();
    // The admitted values survive a restart: a known value keeps its row, a new one still folds.
    const again = openStore(path.join(dir, 'bound.db'));
    again.ingest.commit([authorized(n + 1, { acquirer: 'acq-3' }), authorized(n + 2, { acquirer: 'acq-new' })]);
    const after = again.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'acquirer');
    expect(after.find((r) => r.value === 'acq-3')!.attempts).toBe(2);
    expect(after.find((r) => r.value === OTHER_VALUE)!.attempts).toBe(51);
    again.close();
  });

  it('give a value that grows after the dimension is full a row of its own, the same in any batching', () => {
    const items = [
      ...Array.from({ length: MAX_VALUES_PER_DIMENSION + 10 }, (_, i) => authorized(i, { merchantId: `m-${i}` })),
      ...Array.from({ length: 60 }, (_, k) => authorized(1000 + k, { merchantId: 'm-late' })),
    ];
    const read = (batch: number) => {
      const file = path.join(dir, `late-${batch}.db`);
      const store = openStore(file);
      for (let i = 0; i < items.length; i += batch) store.ingest.commit(items.slice(i, i + batch));
      const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'merchantId');
      store.close();
      return rows.sort((a, b) => a.value.localeCompare(b.value));
    };
    const rows = read(7);
    expect(read(5000)).toEqual(rows);
    // Its first 19 attempts went to (other); the 20th made it twice the weakest (m-0, one attempt).
    expect(rows.find((r) => r.value === 'm-late')?.attempts).toBe(41);
    expect(rows.find((r) => r.value === OTHER_VALUE)?.attempts).toBe(10 + 19);
    expect(rows.find((r) => r.value === 'm-0')?.attempts).toBe(1); // its row stays; later attempts would be (other)
    expect(rows.reduce((a, r) => a + r.attempts, 0)).toBe(items.length);
    const again = openStore(path.join(dir, 'late-7.db'));
    again.ingest.commit([authorized(2000, { merchantId: 'm-0' }), authorized(2001, { merchantId: 'm-late' })]);
    const after = again.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'merchantId');
    expect(after.find((r) => r.value === 'm-late')?.attempts).toBe(42);
    expect(after.find((r) => r.value === OTHER_VALUE)?.attempts).toBe(30);
    again.close();
  });

  it('let a value earn its place after an event stamped a year ahead (recent follows attempts, not a clock)', () => {
    const store = openStore(path.join(dir, 'skew.db'));
    const full = Array.from({ length: MAX_VALUES_PER_DIMENSION }, (_, i) => authorized(i, { acquirer: `acq-${i}` }));
    const ahead = authorized(300, { acquirer: 'acq-0' });
    const body = JSON.parse(ahead.raw.body.toString()) as { time: string };
    body.time = new Date(T0 + 366 * 86_400_000).toISOString();
    const skewed = message(body, body.time);
    // Then steady traffic: 100 attempts for each admitted acquirer, and a newcomer with 100.
    // Decayed by attempts, the admitted ones hold ~38 recent attempts each and the newcomer
    // gets in at ~76; had the year-ahead event stopped the decay, it would need 2 x 101.
    const steady = Array.from({ length: 100 * MAX_VALUES_PER_DIMENSION }, (_, i) => authorized(1000 + i, { acquirer: `acq-${i % MAX_VALUES_PER_DIMENSION}` }));
    const newcomer = Array.from({ length: 100 }, (_, k) => authorized(30_000 + k, { acquirer: 'acq-new' }));
    const all = [...full, skewed, ...steady, ...newcomer];
    for (let i = 0; i < all.length; i += 5000) store.ingest.commit(all.slice(i, i + 5000));
    const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'acquirer');
    expect(rows.find((r) => r.value === 'acq-new')?.attempts).toBeGreaterThan(0);
    expect(rows.reduce((a, r) => a + r.attempts, 0)).toBe(all.length);
    store.close();
  });

  it('keep BINs at 6 digits', () => {
    const store = openStore(path.join(dir, 'bin.db'));
    store.ingest.commit([authorized(1, { cardBin: '52941234' }), authorized(2, { cardBin: '529412' })]);
    const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'cardBin');
    expect(rows).toEqual([expect.objectContaining({ value: '529412', attempts: 2 })]);
    store.close();
  });

  it('are the same for the same events whatever the batching (live vs replay)', () => {
    const gen = createTrafficGenerator({ seed: 21, scenario: 'issuer-outage', startMs: T0, rate: 100, timings: { anomalyStartMs: 20_000, anomalyDurationMs: 20_000 } });
    const items: IncomingMessage[] = [];
    for (let i = 0; i < 6_000; i++) {
      const e = gen.next();
      items.push(message(e, e.time));
    }
    const read = (batch: number) => {
      const store = openStore(path.join(dir, `batch-${batch}.db`));
      for (let i = 0; i < items.length; i += batch) store.ingest.commit(items.slice(i, i + batch));
      const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).sort((a, b) => `${a.dim}${a.value}`.localeCompare(`${b.dim}${b.value}`));
      const codes = store.segments.declineCodesBetween(0, Number.MAX_SAFE_INTEGER).sort((a, b) => `${a.dim}${a.value}${a.code}`.localeCompare(`${b.dim}${b.value}${b.code}`));
      store.close();
      return { rows, codes };
    };
    const live = read(7);
    expect(live.rows.length).toBeGreaterThan(50);
    expect(read(5000)).toEqual(live);
  }, 180_000);

  it('read from ten-minute sums over long windows give what the minutes say, late events into summed buckets included', () => {
    const store = openStore(path.join(dir, 'tens.db'));
    const db = new Database(path.join(dir, 'tens.db'), { readonly: true });
    const codes = ['05', '51', '91'];
    const attempt = (i: number, minute: number) => {
      const time = new Date(T0 + minute * 60_000 + (i % 60) * 1000).toISOString();
      const type = i % 4 === 0 ? 'payment.declined' : i % 9 === 0 ? 'payment.failed' : 'payment.authorized';
      const data = { paymentId: `p${i}`, merchantId: `m${i % 5}`, amount: 100 + i, currency: 'EUR', issuer: `iss-${i % 3}`, attempt: 1 + (i % 7 === 0 ? 1 : 0), ...(type === 'payment.declined' ? { declineCode: codes[i % 3] } : {}) };
      return message({ specversion: '1.0', id: `t${i}`, source: 's', type, time, data }, time);
    };
    // Three hours in time order, then late events into buckets already summed.
    let i = 0;
    for (let minute = 0; minute < 180; minute++) store.ingest.commit(Array.from({ length: 12 }, () => attempt(i++, minute)));
    const summed = db.prepare('SELECT MAX(bucket) FROM segment_ten_minute').pluck().get() as number;
    expect(summed).toBeGreaterThan(Math.floor(T0 / 600_000) + 10);
    for (const minute of [3, 47, 48, 121, 160]) store.ingest.commit([attempt(i++, minute), attempt(i++, minute)]);
    // The minutes alone, each dimension's (none) derived from their totals as the repository does.
    const direct = (a: number, b: number) => ({
      rows: withNoneSegments(db.prepare(`${MINUTE_SUMS} GROUP BY dim, value`).all(a, b) as SegmentRow[], TOTAL),
      codes: withNoneCodes(
        db.prepare('SELECT dim, value, code, SUM(count) AS count FROM segment_decline_minute WHERE minute >= ? AND minute < ? GROUP BY dim, value, code').all(a, b) as DeclineCodeRow[],
        TOTAL,
      ),
    });
    const byKey = <T extends { dim: string; value: string; code?: string }>(rows: T[]) => [...rows].sort((x, y) => `${x.dim}\u0000${x.value}\u0000${x.code ?? ''}`.localeCompare(`${y.dim}\u0000${y.value}\u0000${y.code ?? ''}`));
    const m0 = Math.floor(T0 / 60_000);
    fc.assert(
      fc.property(fc.integer({ min: -5, max: 185 }), fc.integer({ min: 1, max: 190 }), (from, length) => {
        const [a, b] = [m0 + from, m0 + from + length];
        const want = direct(a, b);
        expect(byKey(store.segments.segmentsBetween(a, b))).toEqual(byKey(want.rows as never[]));
        expect(byKey(store.segments.declineCodesBetween(a, b))).toEqual(byKey(want.codes as never[]));
      }),
      { numRuns: 60 },
    );
    db.close();
    store.close();
  });

  it('a batch that rolls back after summing buckets leaves the ten-minute sums equal to the minutes once retried', () => {
    const file = path.join(dir, 'rollback.db');
    const store = openStore(file);
    const at = (i: number, minute: number) => {
      const time = new Date(T0 + minute * 60_000 + i).toISOString();
      return message({ specversion: '1.0', id: `r${i}`, source: 's', type: 'payment.declined', time, data: { paymentId: `p${i}`, merchantId: 'm', amount: 100, currency: 'EUR', declineCode: '05' } }, time);
    };
    store.ingest.commit([at(1, 0), at(2, 5)]);
    let refuse = true;
    store.ingest.also(() => {
      if (refuse) throw new Error('SQLITE_FULL: database or disk is full');
    });
    // Minute 45 moves the summing point past minutes 0-29; the batch then fails and rolls back.
    expect(() => store.ingest.commit([at(3, 45)])).toThrow(/SQLITE_FULL/);
    refuse = false;
    store.ingest.commit([at(4, 7)]); // a late event of a bucket the failed batch had summed
    store.ingest.commit([at(3, 45)]);
    const db = new Database(file, { readonly: true });
    const m0 = Math.floor(T0 / 60_000);
    const want = withNoneSegments(db.prepare(`${MINUTE_SUMS} GROUP BY dim, value`).all(m0, m0 + 60) as SegmentRow[], TOTAL)
      .map((r) => ({ dim: r.dim, value: r.value, attempts: r.attempts }))
      .sort((x, y) => `${x.dim}\u0000${x.value}`.localeCompare(`${y.dim}\u0000${y.value}`));
    const got = store.segments
      .segmentsBetween(m0, m0 + 60)
      .map((r) => ({ dim: r.dim, value: r.value, attempts: r.attempts }))
      .sort((x, y) => `${x.dim}\u0000${x.value}`.localeCompare(`${y.dim}\u0000${y.value}`));
    expect(got).toEqual(want);
    expect(got.find((r) => r.dim === 'merchantId')?.attempts).toBe(4);
    db.close();
    store.close();
  });

  it('a batch that rolls back after creating a segment key leaves no stale id: the retry stores each value under its own name', () => {
    // Keys (migration 240) are created inside the ingest transaction; the rolled-back key's id
    // is given to the next new pair, so a remembered id would count m-first's attempts as m-second's.
    const store = openStore(path.join(dir, 'rollback-keys.db'));
    store.ingest.commit([authorized(1, { merchantId: 'm-stored' })]);
    let refuse = true;
    store.ingest.also(() => {
      if (refuse) throw new Error('SQLITE_FULL: database or disk is full');
    });
    expect(() => store.ingest.commit([authorized(2, { merchantId: 'm-first' })])).toThrow(/SQLITE_FULL/);
    refuse = false;
    store.ingest.commit([authorized(3, { merchantId: 'm-second' })]);
    store.ingest.commit([authorized(2, { merchantId: 'm-first' }), authorized(4, { merchantId: 'm-first' })]);
    const m0 = Math.floor(T0 / 60_000);
    const merchants = store.segments
      .segmentsBetween(m0, m0 + 1)
      .filter((r) => r.dim === 'merchantId')
      .map((r) => [r.value, r.attempts])
      .sort();
    expect(merchants).toEqual([
      ['m-first', 2],
      ['m-second', 1],
      ['m-stored', 1],
    ]);
    store.close();
  });
});
