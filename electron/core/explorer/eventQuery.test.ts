import Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explorerRequestSchemas, type EventFilter } from '../../../shared/explorer';
import { openDatabase } from '../store/database';
import { planQuery, type EventPages } from '../store/eventPages';
import { storeOn, type Store } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { loadDemoCapture, storeEvents, storeRaw } from '../../../test/support/explorerTestKit';
import { paymentTimeline } from './timeline';
import { quarantineGet, quarantinePage } from './quarantineQuery';

const TYPES = ['payment.initiated', 'payment.authorized', 'payment.declined', 'payment.captured', 'payment.failed', 'risk.scored', 'risk.flagged', 'risk.blocked', 'audit.note'];
const MERCHANTS = ['m_1', 'm_2', 'm_3', 'm_4'];
const COUNTRIES = ['DE', 'FR', 'GB', 'US'];
const CODES = ['51', '05', '14'];
const BASE = Date.UTC(2026, 10, 23, 5, 0, 0);

/** Events crowded onto few distinct milliseconds, so ties on time_ms are common. */
function syntheticEvents(n: number): Record<string, unknown>[] {
  let seed = 7;
  const rnd = (k: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % k;
  };
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const type = TYPES[rnd(TYPES.length)];
    const time = new Date(BASE + rnd(400) * 250).toISOString();
    const payment = `pay_s${rnd(300)}`;
    const merchantId = MERCHANTS[rnd(MERCHANTS.length)];
    if (type.startsWith('risk.')) {
      const decision = type === 'risk.blocked' ? 'block' : type === 'risk.flagged' ? 'review' : ['approve', 'review', 'block'][rnd(3)];
      out.push({ specversion: '1.0', id: `s-${i}`, source: 'risk/engine', type, time, data: { paymentId: payment, merchantId, score: rnd(100), decision } });
    } else if (type.startsWith('payment.')) {
      out.push({
        specversion: '1.0', id: `s-${i}`, source: `psp/${rnd(2) ? 'a' : 'b'}`, type, time,
        data: { paymentId: payment, merchantId, amount: rnd(5000), currency: rnd(2) ? 'EUR' : 'USD', country: COUNTRIES[rnd(4)], cardBin: `4${rnd(99999)}`, ...(type === 'payment.declined' ? { declineCode: CODES[rnd(3)] } : {}) },
      });
    } else {
      out.push({ specversion: '1.0', id: `s-${i}`, source: 'ops/audit', type, ...(rnd(2) ? { time } : {}) });
    }
  }
  return out;
}

let db: Database.Database;
let store: Store;
let q: EventPages;
const dir = tempDir('payops-explorer-');

beforeAll(async () => {
  db = openDatabase(path.join(dir, 'explorer.db'));
  await loadDemoCapture(db, 6000);
  storeEvents(db, syntheticEvents(3000));
  store = storeOn(db);
  q = store.eventPages;
});
afterAll(() => db?.close());

/** The same filter as plain SQL over the whole table: the reference answer. */
function reference(filter: EventFilter, order: 'asc' | 'desc'): number[] {
  const w: string[] = [];
  const a: unknown[] = [];
  if (filter.from !== undefined) { w.push('time_ms >= ?'); a.push(filter.from); }
  if (filter.to !== undefined) { w.push('time_ms < ?'); a.push(filter.to); }
  if (filter.types?.length) { w.push(`type IN (${filter.types.map(() => '?').join(',')})`); a.push(...filter.types); }
  if (filter.merchantId !== undefined) { w.push('merchant_id = ?'); a.push(filter.merchantId); }
  if (filter.country !== undefined) { w.push('country = ?'); a.push(filter.country); }
  if (filter.declineCode !== undefined) { w.push('decline_code = ?'); a.push(filter.declineCode); }
  if (filter.decision !== undefined) { w.push('decision = ?'); a.push(filter.decision); }
  if (filter.currency !== undefined) { w.push('currency = ?'); a.push(filter.currency); }
  if (filter.amountMin !== undefined) { w.push('amount >= ?'); a.push(filter.amountMin); }
  if (filter.amountMax !== undefined) { w.push('amount <= ?'); a.push(filter.amountMax); }
  if (filter.search !== undefined) { w.push('(payment_id = ? OR id = ?)'); a.push(filter.search, filter.search); }
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  return (db.prepare(`SELECT seq FROM events ${w.length ? `WHERE ${w.join(' AND ')}` : ''} ORDER BY time_ms ${dir}, seq ${dir}`).all(...a) as { seq: number }[]).map((r) => r.seq);
}

function walk(filter: EventFilter, order: 'asc' | 'desc', limit: number, scanBudgetRows?: number, initialSliceMs?: number): number[] {
  const seqs: number[] = [];
  let cursor = null;
  for (let guard = 0; guard < 100_000; guard++) {
    const page = q.page({ filter, order, limit, cursor, scanBudgetRows, scanBudgetMs: 10_000, initialSliceMs });
    expect(page.rows.length).toBeLessThanOrEqual(limit);
    if (!page.partial && page.nextCursor) expect(page.rows.length).toBe(limit);
    if (page.partial) partials += 1;
    seqs.push(...page.rows.map((r) => r.seq));
    if (!page.nextCursor) return seqs;
    cursor = page.nextCursor;
  }
  throw new Error('pages never ended');
}

const KEYS = ['from', 'types', 'merchantId', 'country', 'declineCode', 'decision', 'currency', 'amountMin', 'amountMax', 'search'] as const;
// Few conditions at a time (0 to 3), so that most walks span many pages.
const filterArb = fc
  .tuple(
    fc.record({
      from: fc.integer({ min: BASE - 5_000, max: BASE + 100_000 }),
      span: fc.integer({ min: 0, max: 120_000 }),
      types: fc.subarray(TYPES, { minLength: 1, maxLength: 4 }),
      merchantId: fc.constantFrom(...MERCHANTS, 'm_cash_out_06'),
      country: fc.constantFrom(...COUNTRIES, 'IE'),
      declineCode: fc.constantFrom(...CODES),
      decision: fc.constantFrom('approve' as const, 'review' as const, 'block' as const),
      currency: fc.constantFrom('EUR', 'USD', 'JPY'),
      amountMin: fc.integer({ min: 0, max: 3000 }),
      amountMax: fc.integer({ min: 1000, max: 6000 }),
      search: fc.constantFrom('pay_s1', 'pay_s17', 's-42', 'pay_ps04349', 'nothing'),
    }),
    fc.subarray([...KEYS], { minLength: 0, maxLength: 3 }),
  )
  .map(([all, keys]) => {
    const filter: Record<string, unknown> = {};
    for (const k of keys) filter[k] = all[k];
    // An amount bound always comes with its currency (the API refuses it otherwise).
    if (filter.amountMin !== undefined || filter.amountMax !== undefined) filter.currency = all.currency;
    if (keys.includes('from')) filter.to = all.from + all.span;
    return filter as EventFilter;
  });

let partials = 0;
const WALK_RUNS = process.env.PAYOPS_LONG ? 240 : 60;
const PARTIAL_RUNS = process.env.PAYOPS_LONG ? 300 : 75;
describe('explorer keyset pages', () => {
  let multiPage = 0;
  it('walking every page returns each matching row exactly once, in order (property)', () => {
    fc.assert(
      fc.property(
        filterArb,
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 2, max: 40 }),
        fc.option(fc.integer({ min: 2, max: 4 }), { nil: undefined }),
        fc.integer({ min: 200, max: 5000 }),
        (filter, order, limit, budget, slice) => {
          // Tiny scan budgets (partial pages) within a bounded window; the default budget otherwise.
          const bounded = filter.from !== undefined;
          const got = walk(filter, order, limit, bounded ? budget : undefined, bounded ? slice : undefined);
          const want = reference(filter, order);
          if (want.length > limit) multiPage += 1;
          expect(got).toEqual(want);
        },
      ),
      // A walk of all 9,000 rows a few at a time is thousands of pages (~0.5 ms each): 120
      // walks take ~15 s on a quiet machine; 200 took 84 s, past the limit, on a busy one.
      { numRuns: WALK_RUNS },
    );
    // The property is only worth something if most walks cross page boundaries.
    expect(multiPage).toBeGreaterThan(WALK_RUNS * 0.3);
  }, 120_000);

  it('partial pages (scan budget spent) continue exactly where the scan stopped (property)', () => {
    partials = 0;
    fc.assert(
      fc.property(
        // Window and slice edges often land on the 250 ms grid the events crowd on.
        fc.oneof(fc.integer({ min: BASE - 2_000, max: BASE + 90_000 }), fc.integer({ min: -8, max: 360 }).map((k) => BASE + k * 250 + 1)),
        fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 1, max: 120 }).map((k) => k * 250)),
        fc.constantFrom<EventFilter>({ country: 'FR' }, { decision: 'review' }, { currency: 'EUR', amountMin: 4000 }, { declineCode: '05' }, { types: ['risk.scored', 'payment.failed'], currency: 'USD', amountMax: 100 }),
        fc.constantFrom('asc' as const, 'desc' as const),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 3 }),
        fc.oneof(fc.integer({ min: 20, max: 800 }), fc.integer({ min: 1, max: 4 }).map((k) => k * 250)),
        (from, span, residual, order, limit, budget, slice) => {
          const filter = { ...residual, from, to: from + span };
          expect(walk(filter, order, limit, budget, slice)).toEqual(reference(filter, order));
        },
      ),
      { numRuns: PARTIAL_RUNS },
    );
    expect(partials).toBeGreaterThan(PARTIAL_RUNS / 3);
  });

  it('pages stay stable while new events arrive (no row twice, none skipped)', () => {
    const before = reference({ types: ['payment.authorized', 'risk.scored'] }, 'desc');
    const seen: number[] = [];
    let page = q.page({ filter: { types: ['payment.authorized', 'risk.scored'] }, limit: 25 });
    seen.push(...page.rows.map((r) => r.seq));
    // Live ingest meanwhile: 400 newer events land above the cursor; the walk goes on below it.
    const late = syntheticEvents(400).map((e, i) => ({ ...e, id: `late-${i}`, time: new Date(BASE + 500_000 + i).toISOString() }));
    storeEvents(db, late);
    while (page.nextCursor) {
      page = q.page({ filter: { types: ['payment.authorized', 'risk.scored'] }, limit: 25, cursor: page.nextCursor });
      seen.push(...page.rows.map((r) => r.seq));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(before);
  });

  it('an unfiltered first page is the newest events', () => {
    const page = q.page({ limit: 5 });
    expect(page.rows.map((r) => r.seq)).toEqual(reference({}, 'desc').slice(0, 5));
    expect(page.nextCursor).not.toBeNull();
    expect(page.partial).toBe(false);
  });

  it('uses the indexes it names (no temp b-tree sort, no table scan)', () => {
    const plans: string[] = [];
    for (const sql of [
      "SELECT seq FROM event_log INDEXED BY event_log_time WHERE time_ms <= 5 AND (time_ms < 5 OR seq < 3) ORDER BY time_ms DESC, seq DESC LIMIT 10",
      "SELECT seq FROM event_log INDEXED BY event_log_type_time WHERE type = 'x' AND time_ms <= 5 AND (time_ms < 5 OR seq < 3) ORDER BY time_ms DESC, seq DESC LIMIT 10",
      "SELECT seq FROM event_merchant_index WHERE merchant_id = 'm' AND time_ms >= 5 AND (time_ms > 5 OR seq > 3) ORDER BY time_ms ASC, seq ASC LIMIT 10",
    ]) {
      plans.push((db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | '));
    }
    for (const p of plans) {
      expect(p).toMatch(/USING (COVERING )?INDEX|USING PRIMARY KEY/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('plans a decline code onto the declined type and a decision onto the risk types', () => {
    expect(planQuery({ declineCode: '51' }).access).toEqual({ kind: 'types', types: ['payment.declined'] });
    expect(planQuery({ decision: 'block', types: ['payment.declined'] }).access).toEqual({ kind: 'none' });
    expect(planQuery({ merchantId: 'm_1', types: ['risk.scored'] }).access.kind).toBe('merchant');
  });

  it('finds a payment by id and an event by id, and shows the detail', () => {
    const byPayment = q.page({ filter: { search: 'pay_ps04349' }, order: 'asc' });
    expect(byPayment.rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(byPayment.rows.map((r) => r.paymentId))).toEqual(new Set(['pay_ps04349']));
    const byId = q.page({ filter: { search: 'cb0a03af-9c45-48d9-b387-16b4ed4f1dca' } });
    expect(byId.rows).toHaveLength(1);
    const detail = store.events.get(byId.rows[0].seq)!;
    expect(JSON.parse(detail.json).id).toBe('cb0a03af-9c45-48d9-b387-16b4ed4f1dca');
    expect(store.events.get(99_999_999)).toBeNull();
  });

  it('finds an event by id the moment its source is first stored, and an id under each of its sources', () => {
    expect(q.page({ filter: { search: 's-1' } }).rows.map((r) => r.id)).toEqual(['s-1']);
    storeEvents(db, [{ specversion: '1.0', id: 'new-source-1', source: 'psp/new-gateway', type: 'payment.initiated', time: new Date(BASE).toISOString(), data: { paymentId: 'pay_new_1', merchantId: 'm_1', amount: 100, currency: 'EUR' } }]);
    expect(q.page({ filter: { search: 'new-source-1' } }).rows.map((r) => [r.id, r.source])).toEqual([['new-source-1', 'psp/new-gateway']]);
    // The same id from another new source is another event: both are found.
    storeEvents(db, [{ specversion: '1.0', id: 'new-source-1', source: 'psp/other-gateway', type: 'payment.initiated', time: new Date(BASE + 1).toISOString(), data: { paymentId: 'pay_new_2', merchantId: 'm_1', amount: 100, currency: 'EUR' } }]);
    expect(q.page({ filter: { search: 'new-source-1' }, order: 'asc' }).rows.map((r) => r.source)).toEqual(['psp/new-gateway', 'psp/other-gateway']);
  });
});

describe('payment timeline', () => {
  it('lists every event of the payment in order with the time between steps', () => {
    const t = paymentTimeline(store, 'pay_ps04349');
    const expected = db.prepare('SELECT seq, time_ms FROM events WHERE payment_id = ? ORDER BY time_ms, seq').all('pay_ps04349') as { seq: number; time_ms: number }[];
    expect(t.steps.map((s) => s.seq)).toEqual(expected.map((e) => e.seq));
    expect(t.steps[0].sincePreviousMs).toBeNull();
    expect(t.steps[0].type).toBe('payment.initiated');
    expect(t.steps.some((s) => s.category === 'risk')).toBe(true);
    for (let i = 1; i < t.steps.length; i++) {
      expect(t.steps[i].sincePreviousMs).toBe(expected[i].time_ms - expected[i - 1].time_ms);
      expect(t.steps[i].sinceStartMs).toBe(expected[i].time_ms - expected[0].time_ms);
    }
    expect(t.durationMs).toBe(expected[expected.length - 1].time_ms - expected[0].time_ms);
    expect(paymentTimeline(store, 'no-such-payment').steps).toEqual([]);
  });
});

describe('quarantine browser', () => {
  it('pages by arrival, shows UTF-8 as text and binary as hex, capped', () => {
    const qdb = new Database(':memory:');
    qdb.close();
    const t0 = Date.UTC(2026, 10, 23, 6);
    storeRaw(db, [
      { body: Buffer.from('not json at all'), routingKey: 'payment.authorized', arrivalMs: t0, headers: { 'x-trace': 'abc' } },
      { body: Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80]), routingKey: 'payment.declined', arrivalMs: t0 + 1 },
      { body: Buffer.from(`{"x":"${'é'.repeat(3000)}"}`), routingKey: 'risk.scored', arrivalMs: t0 + 2 },
      { body: Buffer.from(`{"y":"${'€'.repeat(3000)}"}`), routingKey: 'risk.flagged', arrivalMs: t0 + 2 },
      { body: Buffer.from('{"specversion":"1.0"}'), routingKey: 'payment.captured', arrivalMs: t0 + 2 },
    ]);
    const all: number[] = [];
    let cursor = null;
    for (;;) {
      const page = quarantinePage(store, { limit: 1, cursor, order: 'asc' });
      all.push(...page.rows.map((r) => r.seq));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(5);
    expect([...all].sort((a, b) => a - b)).toEqual(all);
    const rows = quarantinePage(store, { limit: 10 }).rows;
    const text = rows.find((r) => r.routingKey === 'payment.authorized')!;
    expect(text.body).toMatchObject({ encoding: 'utf8', text: 'not json at all', truncated: false });
    expect(text.headers).toEqual({ 'x-trace': 'abc' });
    expect(text.reason).toMatch(/not JSON/);
    const bin = rows.find((r) => r.routingKey === 'payment.declined')!;
    expect(bin.body).toMatchObject({ encoding: 'hex', text: 'ff fe 00 01 80', size: 5 });
    const big = rows.find((r) => r.routingKey === 'risk.scored')!;
    expect(big.body.encoding).toBe('utf8');
    expect(big.body.truncated).toBe(true);
    expect(big.body.size).toBeGreaterThan(6000);
    expect(quarantineGet(store, big.seq)!.body.truncated).toBe(false);
    // Cut inside a 3-byte character: still text, ending at the last whole character.
    const euro = rows.find((r) => r.routingKey === 'risk.flagged')!;
    expect(euro.body.encoding).toBe('utf8');
    expect(euro.body.text.endsWith('€')).toBe(true);
    expect(quarantinePage(store, { reason: 'UTF-8' }).rows.map((r) => r.routingKey)).toEqual(['payment.declined']);
  });
});

describe('ids as stored', () => {
  // QA: an event whose paymentId and merchantId were 250 characters long (EVENTS.md sets no
  // length) was stored, but the explorer refused to search for it, filter by its merchant or
  // open its timeline ("Too big: expected string to have <=200 characters").
  it('finds a long payment id, merchant id and event id through the API contract', () => {
    const [paymentId, merchantId, id] = ['p', 'm', 'e'].map((c) => `${c}_${c.repeat(250)}`);
    storeEvents(db, [{ specversion: '1.0', id, source: 'psp/long', type: 'payment.authorized', time: new Date(BASE).toISOString(), data: { paymentId, merchantId, amount: 1, currency: 'EUR' } }]);
    const query = (filter: Record<string, unknown>) => q.page(explorerRequestSchemas['events.query'].parse({ filter })).rows.map((r) => r.id);
    expect(query({ search: paymentId })).toEqual([id]);
    expect(query({ search: id })).toEqual([id]);
    expect(query({ merchantId })).toEqual([id]);
    expect(paymentTimeline(store, explorerRequestSchemas['events.timeline'].parse({ paymentId }).paymentId).steps.map((s) => s.id)).toEqual([id]);
  });
});

describe('filter values as an API client types them', () => {
  // QA: events.query with country "de" answered no rows, without a word, on a database full of
  // DE events (events carry ISO 3166 codes in upper case; the console's form upper-cases, the
  // web host's API did not).
  it('finds a country in lower case', () => {
    const page = (country: string) => q.page(explorerRequestSchemas['events.query'].parse({ filter: { country }, limit: 5 })).rows.map((r) => r.seq);
    expect(page('DE')).toHaveLength(5);
    expect(page('de')).toEqual(page('DE'));
  });
});

describe('search pages of a busy payment', () => {
  // QA: a search by a payment id with 6,000 events, paged 500 at a time, returned 5,862 of them
  // (desc) and 5,858 (asc): each page took 5,000 of the payment's events in no order and sorted
  // those, so the events past that cut were skipped.
  it('pages through every event of the payment once, in order', () => {
    const events = Array.from({ length: 6000 }, (_, i) => ({
      specversion: '1.0', id: `busy-${i}`, source: 'psp/busy', type: i % 2 ? 'payment.authorized' : 'payment.declined',
      time: new Date(BASE + ((i * 7919) % 6000) * 100).toISOString(),
      data: { paymentId: 'pay_busy', merchantId: 'm_1', amount: 1, currency: 'EUR', ...(i % 2 ? {} : { declineCode: '05' }) },
    }));
    storeEvents(db, events);
    for (const order of ['desc', 'asc'] as const) {
      const seqs: number[] = [];
      let cursor = null;
      do {
        const page = q.page({ filter: { search: 'pay_busy' }, order, limit: 500, cursor });
        seqs.push(...page.rows.map((r) => r.seq));
        cursor = page.nextCursor;
      } while (cursor);
      const dir = order === 'desc' ? 'DESC' : 'ASC';
      const expected = db.prepare(`SELECT seq FROM events WHERE payment_id = 'pay_busy' ORDER BY time_ms ${dir}, seq ${dir}`).pluck().all();
      expect(seqs).toEqual(expected);
    }
  });
});
