// The explorer's payment-dimension filters (issuer, BIN, scheme, acquirer, MCC, 3-D Secure,
// attempt, method) against plain SQL over the stored events, and their query plan: they are
// checked per row along the time index, so a window bounds the walk.
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFilterSchema, filterOfSegment, type EventFilter } from '../../../shared/explorer';
import { openDatabase } from '../store/database';
import { planQuery } from '../store/eventPages';
import { storeOn, type Store } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { storeEvents } from '../../../test/support/explorerTestKit';
import type Database from 'better-sqlite3';

const BASE = Date.UTC(2026, 10, 23, 5, 0, 0);
const ISSUERS = ['tamarind-card', 'north-bank', 'plum-credit'];
const BINS = ['529412', '52941277', '411111', '41111199', '371449'];
const SCHEMES = ['visa', 'mastercard', 'amex'];
const ACQUIRERS = ['acq-north', 'acq-south'];
const MCCS = ['5411', '5999', '4829'];
const THREE_DS = ['frictionless', 'challenged', 'failed', 'not_attempted'] as const;
const METHODS = ['card', 'wallet'];
const TYPES = ['payment.initiated', 'payment.authorized', 'payment.declined', 'payment.failed', 'risk.scored'];

/** Payments carrying each dimension or not; risk events carry an issuer too (they must not match). */
function dimensionEvents(n: number): Record<string, unknown>[] {
  let seed = 13;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  const maybe = <T,>(v: T) => (rnd(5) === 0 ? undefined : v);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[rnd(TYPES.length)];
    const time = new Date(BASE + rnd(600) * 200).toISOString();
    const data: Record<string, unknown> = {
      paymentId: `pay_d${rnd(400)}`,
      merchantId: `m_${rnd(3)}`,
      issuer: maybe(ISSUERS[rnd(ISSUERS.length)]),
    };
    if (type.startsWith('payment.')) {
      Object.assign(data, {
        amount: rnd(9000),
        currency: 'EUR',
        country: 'DE',
        method: maybe(METHODS[rnd(METHODS.length)]),
        cardBin: maybe(BINS[rnd(BINS.length)]),
        scheme: maybe(SCHEMES[rnd(SCHEMES.length)]),
        acquirer: maybe(ACQUIRERS[rnd(ACQUIRERS.length)]),
        mcc: maybe(MCCS[rnd(MCCS.length)]),
        threeDS: maybe(THREE_DS[rnd(THREE_DS.length)]),
        attempt: maybe(1 + rnd(4)),
        ...(type === 'payment.declined' ? { declineCode: '91' } : {}),
      });
    } else {
      Object.assign(data, { score: rnd(100), decision: 'approve' });
    }
    out.push({ specversion: '1.0', id: `d-${i}`, source: 'psp/dims', type, time, data: JSON.parse(JSON.stringify(data)) });
  }
  return out;
}

let db: Database.Database;
let store: Store;
const dir = tempDir('payops-dimensions-');

beforeAll(() => {
  db = openDatabase(path.join(dir, 'dimensions.db'));
  storeEvents(db, dimensionEvents(4000));
  store = storeOn(db);
});
afterAll(() => db?.close());

/** The reference: the same filter written directly over the `events` view and the CloudEvent text. */
function reference(filter: EventFilter): number[] {
  const w: string[] = ['true'];
  const a: unknown[] = [];
  // Only payment events carry the dimensions (a risk event's issuer does not count).
  if (Object.keys(filter).some((k) => k !== 'from' && k !== 'to')) w.push("category = 'payment'");
  if (filter.from !== undefined) { w.push('time_ms >= ?'); a.push(filter.from); }
  if (filter.to !== undefined) { w.push('time_ms < ?'); a.push(filter.to); }
  for (const key of ['issuer', 'scheme', 'acquirer', 'mcc', 'threeDS', 'method'] as const) {
    if (filter[key] !== undefined) { w.push(`json_extract(json, '$.data.${key}') = ?`); a.push(filter[key]); }
  }
  if (filter.cardBin !== undefined) { w.push("card_bin LIKE ? || '%'"); a.push(filter.cardBin); }
  if (filter.attemptMin !== undefined) { w.push("json_extract(json, '$.data.attempt') >= ?"); a.push(filter.attemptMin); }
  if (filter.attemptMax !== undefined) { w.push("json_extract(json, '$.data.attempt') <= ?"); a.push(filter.attemptMax); }
  return (db.prepare(`SELECT seq FROM events WHERE ${w.join(' AND ')} ORDER BY time_ms DESC, seq DESC`).all(...a) as { seq: number }[]).map((r) => r.seq);
}

function walk(filter: EventFilter, limit: number): number[] {
  const seqs: number[] = [];
  let cursor = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = store.eventPages.page({ filter, limit, cursor, scanBudgetRows: 3, initialSliceMs: 2_000 });
    seqs.push(...page.rows.map((r) => r.seq));
    if (!page.nextCursor) return seqs;
    cursor = page.nextCursor;
  }
  throw new Error('pages never ended');
}

const KEYS = ['window', 'issuer', 'cardBin', 'scheme', 'acquirer', 'mcc', 'threeDS', 'method', 'attempt'] as const;
const filterArb = fc
  .tuple(
    fc.record({
      from: fc.integer({ min: BASE - 1_000, max: BASE + 110_000 }),
      span: fc.integer({ min: 1, max: 60_000 }),
      issuer: fc.constantFrom(...ISSUERS, 'nobody-bank'),
      cardBin: fc.constantFrom(...BINS, '5294', '4111119'),
      scheme: fc.constantFrom(...SCHEMES),
      acquirer: fc.constantFrom(...ACQUIRERS),
      mcc: fc.constantFrom(...MCCS),
      threeDS: fc.constantFrom(...THREE_DS),
      method: fc.constantFrom(...METHODS),
      attempt: fc.constantFrom('1', '2', '3+', '4'),
    }),
    fc.subarray([...KEYS], { minLength: 1, maxLength: 3 }),
  )
  .map(([all, keys]) => {
    let filter: EventFilter = {};
    for (const k of keys) {
      if (k === 'window') filter = { ...filter, from: all.from, to: all.from + all.span };
      else if (k === 'attempt') filter = { ...filter, ...filterOfSegment('attempt', all.attempt) };
      else filter = { ...filter, [k]: all[k] };
    }
    return filter;
  });

describe('explorer filters by payment dimension', () => {
  it('every page walk equals direct SQL over the stored events (property)', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(filterArb, fc.integer({ min: 3, max: 60 }), (filter, limit) => {
        const parsed = eventFilterSchema.parse(filter);
        const want = reference(parsed);
        if (want.length > 0) nonEmpty += 1;
        expect(walk(parsed, limit)).toEqual(want);
      }),
      { numRuns: 120 },
    );
    expect(nonEmpty).toBeGreaterThan(60);
  });

  it('rows carry the dimensions they were filtered by', () => {
    const page = store.eventPages.page({ filter: { issuer: 'tamarind-card', cardBin: '529412' }, limit: 50 });
    expect(page.rows.length).toBeGreaterThan(5);
    for (const r of page.rows) {
      expect(r.issuer).toBe('tamarind-card');
      expect(r.cardBin?.startsWith('529412')).toBe(true);
      expect(r.category).toBe('payment');
    }
    expect(page.rows.some((r) => r.cardBin === '52941277')).toBe(true);
  });

  it('maps a triage segment to its filter; the folded tail and "(none)" have none', () => {
    expect(filterOfSegment('cardBin', '529412')).toEqual({ cardBin: '529412' });
    expect(filterOfSegment('attempt', '3+')).toEqual({ attemptMin: 3 });
    expect(filterOfSegment('attempt', '2')).toEqual({ attemptMin: 2, attemptMax: 2 });
    expect(filterOfSegment('threeDS', 'maybe')).toBeNull();
    expect(filterOfSegment('issuer', '(other)')).toBeNull();
    expect(filterOfSegment('acquirer', '(none)')).toBeNull();
    expect(filterOfSegment('merchantId', 'm_1')).toEqual({ merchantId: 'm_1' });
  });

  it('walks the time index (bounded by the window), never a table scan or a sort', () => {
    const plan = planQuery({ issuer: 'tamarind-card', cardBin: '529412', attemptMin: 2 });
    expect(plan.access).toEqual({ kind: 'time' });
    expect(plan.unindexed).toBe(true);
    const where = plan.residual.map((r) => r.sql).join(' AND ');
    const detail = (db.prepare(
      `EXPLAIN QUERY PLAN SELECT seq FROM event_log INDEXED BY event_log_time WHERE time_ms >= ? AND time_ms < ? AND ${where} ORDER BY time_ms DESC, seq DESC LIMIT 10`,
    ).all(0, 1, ...plan.residual.flatMap((r) => r.args)) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(detail).toMatch(/SEARCH event_log USING INDEX event_log_time \(time_ms>\? AND time_ms<\?\)/);
    expect(detail).not.toMatch(/TEMP B-TREE|SCAN event_log/);
  });
});
