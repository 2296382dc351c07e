// The dashboard's figures against plain SQL over the stored events, for random windows, on
// traffic this file did not shape toward the code: the PaySim sample at its own cardinality,
// and random traffic mixing zero-, two- and three-decimal currencies, events stored hours or
// days after their time and out of order, duplicates of (source, id), the same id from another
// source, times before 1970 and exactly on minute and ten-minute edges, retries of a paymentId.
// The minute and ten-minute rollups are checked against each other and against the events.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DashboardService } from '../../electron/core/dashboard/dashboardService';
import { parseApiRequest, type ApiParsedArgs } from '../../shared/api';
import { COMPARE_DAYS } from '../../shared/dashboardApi';
import { openDatabase } from '../../electron/core/store/database';
import { storeOn } from '../../electron/core/store/store';
import { parsePaysimCsv, paysimToEvents } from '../../electron/core/sim/paysimMapping';
import { PAYMENT_HORIZON_MS } from '../../electron/core/store/paymentOutcomes';
import { tempDir } from '../support/tempDir';
import { FreshDatabases, expectStepsMatch, expectTotalsMatch, rollupDisagreements, sqlWindow, storeInArrivalOrder, sentWithResends, storeWithRestart, type Sent } from '../support/sqlFigures';

const dir = tempDir('payops-dash-sql-');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PAYSIM_CSV = path.resolve(__dirname, '../../../shared/data/paysim-10k.csv');
/** PAYOPS_LONG=1: all 10,000 PaySim rows and 300 runs of random traffic per case (default: every fifth row, 15 runs). */
const LONG = Boolean(process.env.PAYOPS_LONG);

describe('PaySim at its own cardinality: the dashboard against SQL over the events', () => {
  const events = paysimToEvents(parsePaysimCsv(fs.readFileSync(PAYSIM_CSV, 'utf8')).filter((r) => LONG || r.row % 5 === 0));
  const db = openDatabase(path.join(dir, 'paysim.db'), { durability: 'normal' });
  const store = storeOn(db);
  const dash = new DashboardService(store);
  const first = Date.parse(String(events[0].time));
  const last = Date.parse(String(events[events.length - 1].time));
  beforeAll(() => {
    // Stored by arrival: most within a second, a tenth a day late (a backlog), in batches of 500.
    let k = 0;
    const sent: Sent[] = events.map((event) => ({ event, arrivalMs: Date.parse(String(event.time)) + (k++ % 10 === 0 ? DAY : k % 1000) }));
    storeInArrivalOrder(db, sent, 500);
  }, LONG ? 600_000 : 60_000);

  it('stored every event once', () => {
    expect((db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n).toBe(events.length);
  });

  it('random windows, from a minute to 31 days: totals, per-step rates, volumes, decisions, codes, latency', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: first - DAY, max: last }),
        fc.oneof(fc.integer({ min: 1, max: 120 * MINUTE }), fc.integer({ min: 1, max: 31 * DAY })),
        (fromMs, span) => {
          const toMs = fromMs + span;
          const s = dash.series({ fromMs, toMs, compare: 'none' });
          // A window is whole minutes: the one asked is widened to them.
          const from = Math.floor(fromMs / MINUTE) * MINUTE;
          const to = Math.max(from + MINUTE, Math.ceil(toMs / MINUTE) * MINUTE);
          expect([s.fromMs, s.toMs]).toEqual([from, to]);
          expectTotalsMatch(s, sqlWindow(db, from, to), `[${from}, ${to})`);
          expectStepsMatch(db, s, `[${from}, ${to})`);
        },
      ),
      { numRuns: LONG ? 100 : 10, seed: 17 },
    );
  }, LONG ? 600_000 : undefined);

  it('the minute and ten-minute rollups agree with each other and with the events', () => {
    expect(rollupDisagreements(db)).toEqual([]);
  });
});

/** ISO 4217 exponents (written out, not read from shared/currencies.ts). */
const CURRENCIES = ['JPY', 'KRW', 'KWD', 'BHD', 'JOD', 'EUR', 'USD'];
const AWKWARD_AMOUNTS = [0, 1, 5, 9, 10, 99, 101, 999, 1001, 1005, 12_345, 1_000_001, 987_654_321];
const TYPES = ['payment.authorized', 'payment.declined', 'payment.failed', 'payment.captured', 'payment.refunded', 'risk.scored', 'risk.flagged', 'com.example.other'] as const;

/** An event time within `spanMs` of `base`: on an edge (a minute, ten minutes, an hour, a millisecond either side) or anywhere. */
const timeAround = (base: number, spanMs: number) =>
  fc
    .oneof(
      fc.integer({ min: -spanMs, max: spanMs }).map((d) => base + d),
      fc
        .tuple(fc.integer({ min: -spanMs, max: spanMs }), fc.constantFrom(MINUTE, 10 * MINUTE, HOUR), fc.constantFrom(-1, 0, 0, 1))
        .map(([at, unit, d]) => Math.floor((base + at) / unit) * unit + d),
    )
    .map((t) => Math.min(base + spanMs, Math.max(base - spanMs, t)));

interface Drawn {
  type: (typeof TYPES)[number];
  timeMs: number;
  lagMs: number;
  currency: string;
  amount: number;
  latencyMs: number | null;
  declineCode: string | null;
  decision: 'approve' | 'review' | 'block';
  payment: number;
  source: number;
  id: number;
  resend: boolean;
}

const drawn = (base: number, spanMs: number): fc.Arbitrary<Drawn> =>
  fc.record({
    type: fc.constantFrom(...TYPES, 'payment.authorized', 'payment.declined'),
    timeMs: timeAround(base, spanMs),
    // Arrival: at once, a few seconds, 20 minutes, two hours, three days after its time.
    lagMs: fc.constantFrom(0, 0, 0, 1500, 20 * MINUTE, 2 * HOUR, 3 * DAY),
    currency: fc.constantFrom(...CURRENCIES),
    amount: fc.oneof(fc.constantFrom(...AWKWARD_AMOUNTS), fc.integer({ min: 0, max: 50_000_000 })),
    latencyMs: fc.option(fc.oneof(fc.constantFrom(0, 0.5, 1, 7, 180, 90_000), fc.integer({ min: 0, max: 5000 })), { nil: null }),
    declineCode: fc.option(fc.constantFrom('05', '51', '91', '14', '59'), { nil: null }),
    decision: fc.constantFrom('approve', 'review', 'block'),
    payment: fc.integer({ min: 0, max: 40 }),
    source: fc.integer({ min: 0, max: 2 }),
    id: fc.integer({ min: 0, max: 400 }),
    resend: fc.boolean(),
  });

function cloudEventOf(d: Drawn, runId: number): Record<string, unknown> {
  const source = ['psp/authorizer', 'psp/gateway', 'risk/engine'][d.source];
  const base = { specversion: '1.0', id: `e${runId}-${d.id}`, source, type: d.type, time: new Date(d.timeMs).toISOString() };
  const paymentId = `pay-${runId}-${d.payment}`;
  if (d.type === 'com.example.other') return { ...base, data: { anything: d.amount } };
  if (d.type.startsWith('risk.')) return { ...base, data: { paymentId, merchantId: 'm_1', score: d.amount % 101, decision: d.decision } };
  const data: Record<string, unknown> = { paymentId, merchantId: `m_${d.payment % 7}`, amount: d.amount, currency: d.currency };
  if (d.latencyMs !== null) data.latencyMs = d.latencyMs;
  if (d.type === 'payment.declined' && d.declineCode !== null) data.declineCode = d.declineCode;
  return { ...base, data };
}

/** The rollups agree with the events, and each window's totals and steps with SQL over them. */
function expectWindowsMatchSql(db: Database, windows: readonly (readonly [number, number])[]): void {
  expect(rollupDisagreements(db)).toEqual([]);
  const dash = new DashboardService(storeOn(db));
  for (const [fromMs, span] of windows) {
    const s = dash.series({ fromMs, toMs: fromMs + span, compare: 'none' });
    expectTotalsMatch(s, sqlWindow(db, s.fromMs, s.toMs), `[${s.fromMs}, ${s.toMs})`);
    expectStepsMatch(db, s, `[${s.fromMs}, ${s.toMs})`);
  }
}

/** Traffic around `base`: each drawn event sent once, or twice (the copy arriving 30 s later). */
const sentOf = (list: readonly Drawn[], runId: number): Sent[] =>
  sentWithResends(list, (d) => ({ event: cloudEventOf(d, runId), arrivalMs: Math.max(d.timeMs, 0) + d.lagMs }), 30_000);

describe('random traffic: the dashboard against SQL over the events', () => {
  let run = 0;
  const databases = new FreshDatabases(dir);
  const windowIn = (base: number, spanMs: number) =>
    fc.tuple(timeAround(base, spanMs), fc.oneof(fc.integer({ min: 1, max: 3 * HOUR }), fc.integer({ min: 1, max: 31 * DAY }))).filter(([from]) => from >= 0);

  /**
   * Each run stores its traffic in a new database, then asks for windows. The payments of a
   * run start within the per-payment horizon of each other (the console remembers an hour of
   * payments, README "The bound"); the other late events go as far back as three days.
   */
  const bases: [string, number][] = [
    ['an ordinary day', Date.UTC(2026, 10, 23, 8, 0, 0)],
    ['around 1970 (times before it too)', 0],
    ['around a DST change in Europe/Berlin', Date.UTC(2026, 9, 25, 1, 0, 0)],
  ];
  it.each(bases)('%s: totals and steps for random windows; rollups agree', (_name, base) => {
    const span = (PAYMENT_HORIZON_MS * 2) / 5;
    fc.assert(
      fc.property(
        fc.array(drawn(base, span), { minLength: 1, maxLength: 150 }),
        fc.array(windowIn(base, span), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 100 }),
        (list, windows, batch, restartPercent) =>
          databases.use((db) => {
            run += 1;
            storeWithRestart(db, sentOf(list, run), batch, restartPercent);
            expectWindowsMatchSql(db, windows);
          }),
      ),
      { numRuns: LONG ? 300 : 15, seed: 4242 },
    );
  }, LONG ? 600_000 : undefined);
});

describe('approval per payment across hours (README, "Approval per attempt and per payment")', () => {
  const databases = new FreshDatabases(dir);
  const T = Date.UTC(2026, 10, 23, 8, 0, 0);
  const attempt = (id: string, type: string, t: number, paymentId: string, n?: number, arrivalMs = t): Sent => ({
    event: { specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(t).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 1, currency: 'EUR', ...(n ? { attempt: n } : {}) } },
    arrivalMs,
  });
  const totals = (db: Parameters<Parameters<FreshDatabases['use']>[0]>[0], fromMs: number, toMs: number) => {
    const s = new DashboardService(storeOn(db)).series({ fromMs, toMs, compare: 'none' });
    expectTotalsMatch(s, sqlWindow(db, s.fromMs, s.toMs), `[${s.fromMs}, ${s.toMs})`);
    return [s.totals.approvedPayments, s.totals.payments];
  };

  it('a retry hours later (attempt 2) is the same payment: no window reads it as one of its own', () => {
    databases.use((db) => {
      // P declined, then approved 70 minutes later, and again 3 hours later (long forgotten by
      // then); Q approved, R declined in between. Stored one a batch, by arrival.
      storeInArrivalOrder(
        db,
        [
          attempt('1', 'payment.declined', T, 'P', 1),
          attempt('2', 'payment.authorized', T + 65 * MINUTE, 'Q'),
          attempt('3', 'payment.declined', T + 70 * MINUTE, 'R'),
          attempt('4', 'payment.declined', T + 70 * MINUTE + 1000, 'P', 2),
          attempt('5', 'payment.authorized', T + 3 * HOUR, 'P', 3),
        ],
        1,
      );
      expect(totals(db, T + 65 * MINUTE, T + 75 * MINUTE)).toEqual([1, 2]);
      expect(totals(db, T + 3 * HOUR, T + 3 * HOUR + MINUTE)).toEqual([0, 0]);
      expect(totals(db, T, T + 4 * HOUR)).toEqual([2, 3]);
      expect(totals(db, T, T + MINUTE)).toEqual([1, 1]);
    });
  });

  it('an earlier attempt arriving hours late joins the payment its retries began', () => {
    databases.use((db) => {
      // P's retry is stored first; its first attempt, two hours earlier, arrives four hours late
      // (P forgotten by then: the newest attempt is 100 minutes past its retry).
      storeInArrivalOrder(
        db,
        [
          attempt('1', 'payment.authorized', T + 2 * HOUR, 'P', 2),
          ...Array.from({ length: 5 }, (_, i) => attempt(`q${i}`, 'payment.declined', T + 2 * HOUR + (i + 1) * 20 * MINUTE, `Q${i}`)),
          attempt('2', 'payment.declined', T, 'P', 1, T + 4 * HOUR),
        ],
        1,
      );
      expect(totals(db, T, T + MINUTE)).toEqual([1, 1]);
      expect(totals(db, T + 2 * HOUR, T + 2 * HOUR + MINUTE)).toEqual([0, 0]);
      expect(totals(db, T, T + 5 * HOUR)).toEqual([1, 6]);
    });
  });

  it('a restart reads the payments it no longer remembers back from the store', () => {
    databases.use((db) => {
      storeInArrivalOrder(db, [attempt('1', 'payment.declined', T, 'P', 1), attempt('2', 'payment.authorized', T + 5 * HOUR, 'Q')], 1);
      // A new writer on the same file: it reads back the last hour, which does not hold P.
      storeInArrivalOrder(db, [attempt('3', 'payment.authorized', T + 5 * HOUR + 1000, 'P', 2)], 1);
      expect(totals(db, T, T + 6 * HOUR)).toEqual([2, 2]);
      expect(totals(db, T + 5 * HOUR, T + 6 * HOUR)).toEqual([1, 1]);
    });
  });

  it('random traffic over 8 hours whose retries say so: totals and steps equal SQL over the events', () => {
    const base = T + 4 * HOUR;
    let run = 1000;
    fc.assert(
      fc.property(
        fc.array(drawn(base, 4 * HOUR), { minLength: 1, maxLength: 120 }),
        fc.array(fc.tuple(timeAround(base, 4 * HOUR), fc.oneof(fc.integer({ min: 1, max: 3 * HOUR }), fc.integer({ min: 1, max: 31 * DAY }))), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 40 }),
        (list, windows, batch) =>
          databases.use((db) => {
            run += 1;
            // An attempt after its payment's earliest (by time, then by order drawn) says it is a retry.
            const first = new Map<number, number>();
            list.forEach((d, i) => {
              const f = first.get(d.payment);
              if (f === undefined || d.timeMs < list[f].timeMs) first.set(d.payment, i);
            });
            const sent = sentWithResends(list, (d) => {
              const event = cloudEventOf(d, run) as { data?: Record<string, unknown> };
              if (d.type.startsWith('payment.') && first.get(d.payment) !== list.indexOf(d)) event.data!.attempt = 2;
              return { event, arrivalMs: d.timeMs + d.lagMs };
            }, 30_000);
            storeInArrivalOrder(db, sent, batch);
            expectWindowsMatchSql(db, windows);
          }),
      ),
      { numRuns: LONG ? 200 : 10, seed: 364 },
    );
  }, LONG ? 600_000 : undefined);

  it('a retry that does not say so (no attempt), past the memory, is the same payment too (the filter of stored ids)', () => {
    databases.use((db) => {
      storeInArrivalOrder(db, [attempt('1', 'payment.declined', T, 'P'), attempt('2', 'payment.authorized', T + 2 * HOUR, 'Q'), attempt('3', 'payment.authorized', T + 2 * HOUR + 1000, 'P')], 1);
      expect(totals(db, T, T + 3 * HOUR)).toEqual([2, 2]);
      expect(totals(db, T + 2 * HOUR, T + 3 * HOUR)).toEqual([1, 1]);
    });
  });
});

describe('windows before 1970, asked through the request schema', () => {
  const databases = new FreshDatabases(dir);
  // A capture stamped by a producer with a zeroed clock: 1969-12-30 20:00 to 1970-01-01 01:00.
  const base = Date.UTC(1969, 11, 31, 0, 0, 0);
  const asked = (args: Record<string, unknown>) => parseApiRequest('dashboard.series', args).args as ApiParsedArgs<'dashboard.series'>;

  it('series over a pre-1970 stretch and its compare window equal SQL over the events', () => {
    fc.assert(
      fc.property(
        fc.array(drawn(base, 28 * HOUR), { minLength: 1, maxLength: 150 }),
        fc.array(fc.tuple(timeAround(base, 20 * HOUR), fc.oneof(fc.integer({ min: 1, max: 3 * HOUR }), fc.integer({ min: 1, max: 2 * DAY }))), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('none', 'yesterday') as fc.Arbitrary<'none' | 'yesterday'>,
        (list, windows, compare) =>
          databases.use((db) => {
            storeInArrivalOrder(db, sentOf(list, 1), 50);
            const dash = new DashboardService(storeOn(db));
            for (const [fromMs, span] of windows) {
              const s = dash.series(asked({ fromMs, toMs: fromMs + span, compare, timeZone: 'UTC' }));
              expectTotalsMatch(s, sqlWindow(db, s.fromMs, s.toMs), `[${s.fromMs}, ${s.toMs})`);
              expectStepsMatch(db, s, `[${s.fromMs}, ${s.toMs})`);
              if (compare === 'yesterday') {
                expect(s.compare!.offsetMs).toBe(DAY);
                const back = sqlWindow(db, s.fromMs - DAY, s.toMs - DAY);
                expect(s.compare!.totals).toMatchObject({ authorized: back.authorized, declined: back.declined, failed: back.failed });
              }
            }
          }),
      ),
      { numRuns: LONG ? 100 : 10, seed: 1969 },
    );
  });

  it('takes any time a Date holds, and refuses past it naming the field', () => {
    const LIMIT = 8.64e15;
    expect(asked({ fromMs: -LIMIT, toMs: -LIMIT + HOUR }).fromMs).toBe(-LIMIT);
    expect(() => asked({ fromMs: -LIMIT - MINUTE, toMs: -LIMIT + HOUR })).toThrow(/dashboard.series: fromMs: /);
    expect(() => asked({ fromMs: LIMIT - HOUR, toMs: LIMIT + MINUTE })).toThrow(/dashboard.series: toMs: /);
    databases.use((db) => {
      const dash = new DashboardService(storeOn(db));
      // A compare window reaching before the first time a Date holds: no events there, no error.
      for (const compare of ['yesterday', 'lastWeek'] as const) {
        for (const timeZone of ['UTC', 'Europe/Berlin', 'Asia/Kathmandu']) {
          const s = dash.series(asked({ fromMs: -LIMIT, toMs: -LIMIT + HOUR, compare, timeZone }));
          expect(s.compare!.totals.authorized).toBe(0);
          expect(s.compare!.fromMs).toBe(-LIMIT);
          expect(s.compare!.offsetMs).toBe(COMPARE_DAYS[compare] * DAY);
        }
      }
    });
  });

  it('yesterday of 1 March in the year 0 (a leap year) is 29 February', () => {
    databases.use((db) => {
      const march1 = Date.parse('0000-03-01T10:00:00Z');
      const feb29 = Date.parse('0000-02-29T10:00:00Z');
      const t = (ms: number) => new Date(ms).toISOString();
      storeInArrivalOrder(
        db,
        [0, 1, 2].map((i) => ({
          event: { specversion: '1.0', id: `y0-${i}`, source: 'psp/authorizer', type: 'payment.authorized', time: t(feb29 + i * MINUTE), data: { paymentId: `p${i}`, merchantId: 'm_1', amount: 1, currency: 'EUR' } },
          arrivalMs: Date.UTC(2026, 0, 1),
        })),
        10,
      );
      for (const timeZone of ['UTC', 'Europe/Berlin']) {
        const s = new DashboardService(storeOn(db)).series(asked({ fromMs: march1, toMs: march1 + HOUR, compare: 'yesterday', timeZone }));
        expect(s.compare!.offsetMs).toBe(DAY);
        expect(s.compare!.totals.authorized).toBe(3);
      }
    });
  });
});
