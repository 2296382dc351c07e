import type Database from 'better-sqlite3';
import fc from 'fast-check';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlPayments as paymentsBySql, storeEvents } from '../../../test/support/explorerTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from '../store/database';
import { storeOn, type Store } from '../store/store';
import { buildReport, PaymentStarts, windowFigures } from './reportData';

// Per-payment approval over windows that cut through minutes (and seconds): retries of one
// paymentId spread over several minutes, earlier attempts stored after later ones, attempts
// without a paymentId, approvals that come minutes after the first decline.

const dir = tempDir('payops-payments-');
const BASE = Date.UTC(2026, 10, 23, 10, 0, 0);
const SPAN = 12 * 60_000;
let db: Database.Database;
let store: Store;

/** A deterministic generator (mulberry32), so that the data are the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function payments(n: number): Record<string, unknown>[] {
  const r = rng(42);
  const out: Record<string, unknown>[] = [];
  let id = 0;
  const ev = (type: string, t: number, paymentId: string | null) => {
    id += 1;
    out.push({
      specversion: '1.0', id: `pf-${id}`, source: 'psp', type, time: new Date(t).toISOString(),
      data: { ...(paymentId === null ? {} : { paymentId }), merchantId: 'm_1', amount: 1000, currency: 'EUR', ...(type === 'payment.declined' ? { declineCode: '05' } : {}) },
    });
  };
  for (let p = 0; p < n; p++) {
    const start = BASE + Math.floor(r() * SPAN);
    const pid = r() < 0.05 ? null : `pay-${p}`;
    const attempts = 1 + Math.floor(r() * r() * 4);
    let t = start;
    for (let a = 0; a < attempts; a++) {
      const last = a === attempts - 1;
      ev(last && r() < 0.6 ? 'payment.authorized' : 'payment.declined', t, pid);
      // Retries a few ms to three minutes later: many cross a second or a minute.
      t += Math.floor(r() * (r() < 0.5 ? 2_000 : 180_000));
    }
    if (r() < 0.3) ev('payment.failed', start + 5, pid);
  }
  // Stored in a shuffled order: an earlier attempt often arrives after a later one.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Payments started in [from, to) and how many were approved, by plain SQL over the stored events. */
const sqlPayments = (from: number, to: number) => paymentsBySql(db, from, to);

beforeAll(() => {
  db = openDatabase(path.join(dir, 'payments.db'));
  const events = payments(3000);
  // Several batches: the writer's payment memory sees the late attempts as they arrive.
  for (let i = 0; i < events.length; i += 700) storeEvents(db, events.slice(i, i + 700));
  store = storeOn(db);
});
afterAll(() => db?.close());

describe('per-payment figures equal plain SQL over the stored events, for any window', () => {
  it('part-minutes at either edge count (the QA case: 10:00:30 to 10:01:30)', () => {
    for (const [from, to] of [
      [BASE + 30_000, BASE + 90_000],
      [BASE + 30_500, BASE + 150_250],
      [BASE + 61_000, BASE + 61_500],
      [BASE, BASE + SPAN],
      [BASE - 60_000, BASE + SPAN + 600_000],
    ]) {
      const f = windowFigures(store, from, to);
      const s = sqlPayments(from, to);
      expect({ payments: f.payments, approvedPayments: f.approvedPayments }).toEqual(s);
      expect(s.payments).toBeGreaterThan(0);
    }
  });

  it('random unaligned windows (property), the report and the window before it', () => {
    fc.assert(
      fc.property(fc.integer({ min: BASE - 90_000, max: BASE + SPAN }), fc.integer({ min: 1, max: 8 * 60_000 }), (from, span) => {
        const to = from + span;
        const r = buildReport(store, { from, to, mask: false, sampleSize: 0 });
        const s = sqlPayments(from, to);
        expect({ payments: r.totals.payments, approvedPayments: r.totals.approvedPayments }).toEqual(s);
        expect(r.totals.paymentApprovalRate).toBe(s.payments ? s.approvedPayments / s.payments : null);
        const p = sqlPayments(from - span, from);
        expect({ payments: r.previous.totals.payments, approvedPayments: r.previous.totals.approvedPayments }).toEqual(p);
      }),
      { numRuns: 80 },
    );
  });

  it('adjacent windows add up to their union, and a minute split anywhere adds up to its rollup', () => {
    fc.assert(
      fc.property(fc.integer({ min: BASE, max: BASE + SPAN }), fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 300_000 }), (a, x, y) => {
        const starts = new PaymentStarts(store);
        const left = windowFigures(store, a, a + x, undefined, starts);
        const right = windowFigures(store, a + x, a + x + y, undefined, starts);
        const union = windowFigures(store, a, a + x + y);
        expect(left.payments + right.payments).toBe(union.payments);
        expect(left.approvedPayments + right.approvedPayments).toBe(union.approvedPayments);
      }),
      { numRuns: 40 },
    );
  });
});
