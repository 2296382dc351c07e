// The live figures (KPI tiles: throughput, approval per attempt and per payment, decline and
// failure rates, risk shares, authorized minor units per currency) against plain SQL over the
// events stored by then, at random moments of random traffic: late events (arrival minutes to
// days after their time), duplicates, zero- and three-decimal currencies, retries of a
// paymentId, and the writer restarted mid-stream (its payments remembered from the store).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveMetrics } from '../../electron/core/metrics/liveMetrics';
import { tempDir } from '../support/tempDir';
import { FreshDatabases, sentWithResends, storeWithRestart, type Sent } from '../support/sqlFigures';

const dir = tempDir('payops-live-sql-');
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);
const CURRENCIES = ['JPY', 'KRW', 'KWD', 'BHD', 'JOD', 'EUR'];
const TYPES = ['payment.authorized', 'payment.authorized', 'payment.declined', 'payment.failed', 'payment.captured', 'risk.scored', 'risk.flagged', 'risk.blocked'] as const;

const item = fc.record({
  type: fc.constantFrom(...TYPES),
  offsetMs: fc.oneof(fc.integer({ min: 0, max: 10 * 60_000 }), fc.constantFrom(0, 60_000, 119_999, 120_000, 300_000)),
  lagMs: fc.constantFrom(0, 0, 0, 400, 2500, 90_000, 20 * 60_000, 86_400_000),
  currency: fc.constantFrom(...CURRENCIES),
  amount: fc.oneof(fc.constantFrom(0, 1, 5, 999, 1001, 987_654_321), fc.integer({ min: 0, max: 10_000_000 })),
  payment: fc.integer({ min: 0, max: 30 }),
  id: fc.integer({ min: 0, max: 300 }),
  resend: fc.boolean(),
});
type Item = typeof item extends fc.Arbitrary<infer T> ? T : never;

/** Each drawn event sent once, or twice (the copy a second later). */
function sentOf(list: readonly Item[], run: number): Sent[] {
  return sentWithResends(
    list,
    (d) => {
      const time = new Date(T0 + d.offsetMs).toISOString();
      const paymentId = `p${run}-${d.payment}`;
      const risk = d.type.startsWith('risk.');
      const data = risk
        ? { paymentId, merchantId: 'm_1', score: d.amount % 101, decision: d.type === 'risk.blocked' ? 'block' : d.type === 'risk.flagged' ? 'review' : 'approve' }
        : { paymentId, merchantId: 'm_1', amount: d.amount, currency: d.currency, ...(d.type === 'payment.declined' ? { declineCode: '05' } : {}) };
      return { event: { specversion: '1.0', id: `l${run}-${d.id}`, source: risk ? 'risk/engine' : 'psp/authorizer', type: d.type, time, data }, arrivalMs: T0 + d.offsetMs + d.lagMs };
    },
    1000,
  );
}

describe('live figures against SQL over the events stored by then', () => {
  let run = 0;
  const databases = new FreshDatabases(dir);

  it('at random moments, after a writer restart too', () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 12 * 60_000 }),
        fc.integer({ min: 0, max: 100 }),
        (list, batch, cutOffset, restartPercent) =>
          databases.use((db) => {
            run += 1;
            const cut = T0 + cutOffset;
            const live = new LiveMetrics();
            for (const out of storeWithRestart(db, sentOf(list, run).filter((s) => s.arrivalMs <= cut), batch, restartPercent)) {
              if (out.inserted.length === 0) continue;
              const clock = Math.max(...out.inserted.map((e) => e.arrivalMs));
              live.observe(out.inserted, clock);
              live.observePayments(out.payments, clock);
            }
            const end = Math.floor(cut / 1000) * 1000;
            const f = live.figures(cut);
            const count = (sql: string) => (db.prepare(sql).get(end - 60_000, end) as { n: number }).n;
            const n = (type: string) => count(`SELECT COUNT(*) AS n FROM events WHERE time_ms >= ? AND time_ms < ? AND type = '${type}'`);
            const [a, d, fl, scored, flagged, blocked] = ['payment.authorized', 'payment.declined', 'payment.failed', 'risk.scored', 'risk.flagged', 'risk.blocked'].map(n);
            const attempts = a + d + fl;
            const all = count(`SELECT COUNT(*) AS n FROM events WHERE time_ms >= ? AND time_ms < ?`);
            expect(f.rates.total.m1 * 60, 'events in the last minute').toBeCloseTo(all, 9);
            expect(f.approvalRate).toBe(attempts ? a / attempts : null);
            expect(f.declineRate).toBe(attempts ? d / attempts : null);
            expect(f.failureRate).toBe(attempts ? fl / attempts : null);
            expect(f.failuresPerMin).toBe(fl);
            expect(f.riskFlaggedPerMin).toBe(flagged);
            expect(f.riskBlockedRate).toBe(scored ? blocked / scored : null);
            const p = db
              .prepare(
                `WITH p AS (SELECT MIN(time_ms) AS start, MAX(type = 'payment.authorized') AS ok FROM events
                   WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') GROUP BY payment_id)
                 SELECT COUNT(*) AS n, COALESCE(SUM(ok), 0) AS ok FROM p WHERE start >= ? AND start < ?`,
              )
              .get(end - 60_000, end) as { n: number; ok: number };
            expect(f.paymentsLastMinute, 'payments started in the last minute').toBe(p.n);
            expect(f.paymentApprovalRate).toBe(p.n ? Math.min(1, p.ok / p.n) : null);
            const volumes = db
              .prepare(
                `SELECT currency, SUM(amount) AS amount, COUNT(*) AS count FROM events WHERE time_ms >= ? AND time_ms < ? AND type = 'payment.authorized' GROUP BY currency`,
              )
              .all(end - 60_000, end) as { currency: string; amount: number; count: number }[];
            const byCurrency = (v: { currency: string }[]) => [...v].sort((x, y) => (x.currency < y.currency ? -1 : 1));
            expect(byCurrency(f.authorizedLastMinute)).toEqual(byCurrency(volumes));
            expect(f.authorizedCurrencies, 'currencies authorized in the last minute').toBe(volumes.length);
          }),
      ),
      { numRuns: process.env.PAYOPS_LONG ? 500 : 25, seed: 99 },
    );
  }, process.env.PAYOPS_LONG ? 600_000 : undefined);
});
