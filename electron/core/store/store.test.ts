// The Store on a real SQLite file: the column mapping round-trips, every read repository
// works on a read-only connection (where the read worker runs them) and cannot write there,
// and statements are prepared once per repository, not per call.
import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertHistoryRecord } from '../../../shared/alerts';
import { decodeMessage } from '../../../shared/events/decode';
import { paymentEvent, riskEvent } from '../../../bench/events';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import type { IncomingMessage } from './eventWriter';
import { migrate } from './migrate';
import { migration001 } from './migrations/001_events';
import { openStore, storeOn, type ReadStore, type Store } from './store';

const dir = tempDir('payops-store-');
const file = path.join(dir, 'store.db');
const T0 = Date.UTC(2026, 10, 23, 5, 0, 0);

const incoming = (value: unknown, arrivalMs: number, routingKey = 'rk'): IncomingMessage => {
  const raw = { body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)), arrivalMs, routingKey };
  return { raw, result: decodeMessage(raw) };
};

const declined = paymentEvent(
  'payment.declined',
  { id: 'd-1', time: new Date(T0 + 1500).toISOString(), subject: 'cus_1' },
  {
    paymentId: 'pay_x', merchantId: 'm_7', amount: 4200, currency: 'EUR', country: 'FR', method: 'card', cardBin: '411111', latencyMs: 85.5, declineCode: '05',
    issuer: 'tamarind-card', scheme: 'visa', acquirer: 'acq-north', mcc: '5411', threeDS: 'challenged', attempt: 2,
  },
);
const blocked = riskEvent('risk.blocked', { id: 'r-1', time: new Date(T0 + 2500).toISOString() }, { paymentId: 'pay_x', merchantId: 'm_7', score: 97, decision: 'block' });
const authorized = paymentEvent('payment.authorized', { id: 'a-1', time: new Date(T0 + 500).toISOString() }, { paymentId: 'pay_y', amount: 1000, currency: 'USD' });

const alert: AlertHistoryRecord = {
  key: 'declines|*|1', rule: 'declines', severity: 'critical', labels: { merchant: 'm_7' }, group: 'merchant=m_7', state: 'firing',
  summary: 'decline rate 100%', value: 1, peakValue: 1, activeSince: T0 + 1000, firedAt: T0 + 2000, resolvedAt: null, endedAt: null,
  silenced: false, acknowledged: null, resolveNote: null, transitions: [{ state: 'pending', at: T0 + 1000 }, { state: 'firing', at: T0 + 2000 }],
};
const silence = { id: 's-1', matchers: [{ label: 'merchant', op: '=' as const, value: 'm_7' }], endsAt: T0 + 60_000, comment: 'known issue', createdBy: 'ana', createdAt: T0, expiredAt: null };

beforeAll(() => {
  const store = openStore(file);
  store.ingest.commit([incoming(authorized, T0 + 600, 'payment.authorized'), incoming(declined, T0 + 1600, 'payment.declined'), incoming(blocked, T0 + 2600)]);
  store.ingest.commit([{ ...incoming('not json', T0 + 3000), origin: 'capture.ndjson:9' }, incoming(declined, T0 + 3100)]);
  store.queueSamples.record([
    { queue: 'payments', messages: 5, consumers: 1, at: T0 + 1000 },
    { queue: 'payments', messages: 9, consumers: 1, at: T0 + 2000 },
    { queue: 'risk', messages: null, consumers: 0, at: T0 + 2000 },
  ]);
  store.alerts.save([alert]);
  store.silences.save(silence);
  store.close();
});

describe('a read-only store', () => {
  let ro: ReadStore;
  beforeAll(() => {
    ro = openStore(file, { readonly: true });
  });
  afterAll(() => ro.close());

  it('maps every column of an event to its field and back', () => {
    const row = ro.events.ofPayment('pay_x', 10)[0];
    expect(row).toEqual({
      seq: row.seq, timeMs: T0 + 1500, arrivalMs: T0 + 1600, source: 'psp/authorizer', id: 'd-1', type: 'payment.declined', category: 'payment',
      subject: 'cus_1', paymentId: 'pay_x', merchantId: 'm_7', amount: 4200, currency: 'EUR', country: 'FR', method: 'card', cardBin: '411111',
      latencyMs: 85.5, declineCode: '05', score: null, decision: null, routingKey: 'payment.declined',
      issuer: 'tamarind-card', scheme: 'visa', acquirer: 'acq-north', mcc: '5411', threeDS: 'challenged', attempt: 2,
    });
    expect(JSON.parse(ro.events.get(row.seq)!.json)).toMatchObject({ id: 'd-1', type: 'payment.declined' });
    expect(ro.events.get(row.seq + 1000)).toBeNull();
  });

  it('reads events: bounds, payments, pages and what alerts need', () => {
    expect(ro.events.hasAny()).toBe(true);
    expect(ro.events.timeRange()).toEqual({ first: T0 + 500, last: T0 + 2500 });
    expect(ro.events.newestTime()).toBe(T0 + 2500);
    expect(ro.events.nthNewestTime(T0, T0 + 5000, 2)).toBe(T0 + 1500);
    expect(ro.events.nthNewestTime(T0, T0 + 5000, 4)).toBeNull();
    expect(ro.events.ofPayment('pay_x', 10).map((r) => r.type)).toEqual(['payment.declined', 'risk.blocked']);
    expect([...ro.events.forAlertsThrough(T0, T0 + 2500)]).toEqual([
      {
        type: 'payment.authorized', timeMs: T0 + 500, arrivalMs: T0 + 600, merchantId: expect.any(String), country: 'DE', score: null, cardBin: '424242', method: 'card',
        dimensions: { issuer: null, scheme: null, acquirer: null, mcc: null, threeDS: null, attempt: null },
      },
      // The dimensions rules group by are in the stored text only: read back for priming and backtests.
      {
        type: 'payment.declined', timeMs: T0 + 1500, arrivalMs: T0 + 1600, merchantId: 'm_7', country: 'FR', score: null, cardBin: '411111', method: 'card',
        dimensions: { issuer: 'tamarind-card', scheme: 'visa', acquirer: 'acq-north', mcc: '5411', threeDS: 'challenged', attempt: 2 },
      },
      { type: 'risk.blocked', timeMs: T0 + 2500, arrivalMs: T0 + 2600, merchantId: 'm_7', country: null, score: 97, cardBin: null, method: null },
    ]);
    const first = ro.events.forAlertsPage({ timeMs: T0, seq: -1 }, T0 + 5000, 2);
    expect(first.map((r) => r.type)).toEqual(['payment.authorized', 'payment.declined']);
    const rest = ro.events.forAlertsPage({ timeMs: first[1].timeMs, seq: first[1].seq }, T0 + 5000, 2);
    expect(rest.map((r) => r.type)).toEqual(['risk.blocked']);
    const page = ro.eventPages.page({ filter: { merchantId: 'm_7' }, order: 'asc', limit: 1 });
    expect(page.rows.map((r) => r.id)).toEqual(['d-1']);
    expect(ro.eventPages.page({ filter: { merchantId: 'm_7' }, order: 'asc', limit: 1, cursor: page.nextCursor }).rows.map((r) => r.id)).toEqual(['r-1']);
  });

  it('reads the quarantine with bodies cut to the bound asked for', () => {
    const [q] = ro.quarantine.page({ order: 'desc' }, 10, 3);
    expect(q).toMatchObject({ arrivalMs: T0 + 3000, reason: expect.any(String), routingKey: 'rk', origin: 'capture.ndjson:9', size: 8 });
    expect(Buffer.from(q.body).toString()).toBe('not');
    expect(Buffer.from(ro.quarantine.get(q.seq, 100)!.body).toString()).toBe('not json');
    expect(ro.quarantine.page({ order: 'asc', reason: 'no such reason' }, 10, 3)).toEqual([]);
  });

  it('reads rollups, counters, queue samples, alert history and silences', () => {
    expect(ro.stats()).toMatchObject({ events: 3, duplicates: 1, quarantined: 1, byType: { 'payment.authorized': 1, 'payment.declined': 1, 'risk.blocked': 1 }, authorizedAmountByCurrency: { USD: 1000 } });
    expect(ro.counters.value('duplicates')).toBe(1);
    const sec = Math.floor(T0 / 1000);
    expect(ro.rollups.typeCountsBySteps(1, sec, sec + 3)).toEqual([
      { t: sec, key: 'payment.authorized', n: 1 },
      { t: sec + 1, key: 'payment.declined', n: 1 },
      { t: sec + 2, key: 'risk.blocked', n: 1 },
    ]);
    expect(ro.rollups.sumsExceptType(sec, sec + 3)).toEqual(
      expect.arrayContaining([{ dim: 'authorized', key: 'USD', n: 1, a: 1000 }, { dim: 'decline', key: '05', n: 1, a: 0 }]),
    );
    // A risk.blocked repeats the decision of its risk.scored: decisions are counted once, on the scoring.
    expect(ro.rollups.sumsExceptType(sec, sec + 3).some((c) => c.dim === 'decision')).toBe(false);
    expect(ro.rollups.decisionsByBucket(sec, 10, sec, sec + 10)).toEqual([]);
    expect(ro.queueSamples.inRange(T0, T0 + 2000, 10)).toEqual([{ at: T0 + 1000, queue: 'payments', messages: 5, consumers: 1, oldestMessageAgeSeconds: null }]);
    expect(ro.queueSamples.inRange(T0, T0 + 2001, 10).map((s) => s.queue)).toEqual(['payments', 'payments', 'risk']);
    expect(ro.queueSamples.deepestBySteps(1, sec, sec + 10)).toEqual([{ t: sec + 1, queue: 'payments', m: 5 }, { t: sec + 2, queue: 'payments', m: 9 }]);
    expect(ro.queueSamples.deepestByBucket(T0, 1000, T0, T0 + 3000)).toEqual(
      expect.arrayContaining([{ b: 1, queue: 'payments', m: 5 }, { b: 2, queue: 'payments', m: 9 }]),
    );
    expect(ro.alerts.get(alert.key)).toEqual(alert);
    expect(ro.alerts.list({ labels: { merchant: 'm_7' } })).toEqual([alert]);
    expect(ro.alerts.open().map((a) => a.key)).toEqual([alert.key]);
    expect(ro.silences.list(T0 + 1)).toEqual([silence]);
    expect(ro.silences.list(T0 + 60_000)).toEqual([]);
  });

  it('answers the report queries', () => {
    expect(ro.reports.types()).toEqual(['payment.authorized', 'payment.declined', 'risk.blocked']);
    expect(ro.reports.countOfType('payment.declined', T0, T0 + 2000)).toBe(1);
    expect(ro.reports.merchantCounts(T0, T0 + 3000).get('m_7')).toBe(2);
    expect([...ro.reports.declines(T0, T0 + 3000)]).toEqual([['m_7', 'FR', '411111', '05']]);
    expect(ro.reports.countryBinCounts(T0 + 1000, T0 + 2000)).toEqual([['FR,411111', 1]]);
    expect(ro.reports.figureGroups(T0, T0 + 1000)).toEqual([{ type: 'payment.authorized', category: 'payment', currency: 'USD', code: 'unknown', decision: 'unknown', n: 1, a: 1000 }]);
    expect(ro.reports.newestProblems(T0, T0 + 3000, 5).map((e) => e.timeMs)).toEqual([T0 + 2500, T0 + 1500]);
    expect(ro.reports.newest(T0, T0 + 3000, 1).map((e) => e.timeMs)).toEqual([T0 + 2500]);
    expect(ro.reports.exportChunk(T0, T0 + 3000, T0 + 1500, Number.MAX_SAFE_INTEGER, ro.events.newestSeq(), 10).map((e) => e.id)).toEqual(['r-1']);
  });

  it('cannot write', () => {
    const writable = ro as Store;
    expect(() => writable.queueSamples.record([{ queue: 'q', messages: 1, consumers: 1, at: T0 }])).toThrow(/readonly/);
    expect(() => writable.ingest.commit([incoming(paymentEvent('payment.captured'), T0)])).toThrow(/readonly/);
    expect(() => writable.alerts.acknowledge(alert.key, 'bob', 'x', T0)).toThrow(/readonly/);
  });
});

describe('a database from before the alert tables', () => {
  // Its readers query today's schema (event_log, migration 120), so an older database is
  // migrated before a read-only connection reads it.
  it('is migrated before it is read, and reads events', () => {
    const old = path.join(dir, 'old.db');
    const db = new Database(old);
    migrate(db, [migration001]);
    db.close();
    const ro = openStore(old, { readonly: true });
    try {
      expect(ro.hasTables('events', 'queue_depth', 'alert_instances')).toBe(true);
      expect(ro.hasTables('no_such_table')).toBe(false);
      expect(ro.events.hasAny()).toBe(false);
      expect(ro.stats().events).toBe(0);
    } finally {
      ro.close();
    }
  });
});

describe('prepared statements', () => {
  it('are prepared once per repository and reused by later calls', () => {
    const db = openDatabase(file, { readonly: true });
    const prepare = vi.spyOn(db, 'prepare');
    const store = storeOn(db);
    const work = () => {
      store.reports.types();
      store.eventPages.page({ filter: { country: 'FR' }, limit: 5 });
      store.quarantine.page({ order: 'desc' }, 5, 100);
      store.stats();
    };
    work();
    const first = prepare.mock.calls.length;
    expect(first).toBeGreaterThan(0);
    work();
    work();
    expect(prepare.mock.calls.length).toBe(first);
    store.close();
  });
});
