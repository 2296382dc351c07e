// Approval per payment on the segment rollups, at the edges of a window. Stripe's deduplicated
// rate takes each payment once, with its final outcome (approved if any attempt was), at the
// payment's start. The segment cells count per minute the attempts that start a payment
// (`attempt` absent or 1) and the approvals of any attempt: of a window, approvals over payments
// is a flow ratio, with these exact differences from the final outcome at its edges:
//  - a retry approved in the window of a payment started before it counts in the window,
//  - a retry approved after the window of a payment started in it does not,
// so in steady traffic the two balance (the rate is the final-outcome rate), at the start of
// traffic the window reads high (approvals capped at payments), and a window ending while a
// retry is still to come reads low by that payment.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attempt } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import type { IncomingMessage } from '../store/eventWriter';
import { openStore } from '../store/store';
import { paymentCounts } from './healthDispersion';

const dir = tempDir('payops-payment-edges-');
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/**
 * Minutes [0, 10) of merchant m: each minute 9 payments approved at once and one declined at :55
 * and approved on its retry 10 s later, in the next minute. Every payment is approved in the end.
 */
function traffic(): IncomingMessage[] {
  const out: IncomingMessage[] = [];
  for (let m = 0; m < 10; m++) {
    for (let k = 0; k < 9; k++) out.push(attempt(T0 + m * MIN + k * 1000, true, { merchantId: 'm', attempt: 1 }));
    const paymentId = `retried-${m}`;
    out.push(attempt(T0 + m * MIN + 55_000, false, { merchantId: 'm', paymentId, attempt: 1 }));
    out.push(attempt(T0 + m * MIN + 65_000, true, { merchantId: 'm', paymentId, attempt: 2 }));
  }
  return out;
}

describe('approval per payment at the edges of a window', () => {
  it('is the final-outcome rate in steady traffic, reads high where it holds retries of payments started before it (capped), low where a retry is still to come', () => {
    const store = openStore(path.join(dir, 'edges.db'));
    try {
      store.ingest.commit(traffic());
      const perPayment = (from: number, to: number) => {
        const row = store.segments.segmentsBetween(T0 / MIN + from, T0 / MIN + to).find((r) => r.dim === 'merchantId' && r.value === 'm')!;
        return { attempts: row.attempts, approvals: row.approvals, payments: row.payments, counted: paymentCounts(row) };
      };
      // Minutes 3-8: the retry approved in minute 3 belongs to a payment of minute 2, the payment
      // of minute 7 is approved in minute 8 (outside): they balance. 50 payments, all approved,
      // as the final outcome says.
      expect(perPayment(3, 8)).toEqual({ attempts: 55, approvals: 50, payments: 50, counted: { x: 50, n: 50 } });
      // Minute 10: only the retry of minute 9's payment, no payment started: nothing to judge.
      expect(perPayment(10, 11)).toEqual({ attempts: 1, approvals: 1, payments: 0, counted: null });
      // Minutes 9-11 hold 10 payments and 11 approvals (one of a payment of minute 8): capped at 10.
      expect(perPayment(9, 11)).toEqual({ attempts: 12, approvals: 11, payments: 10, counted: { x: 10, n: 10 } });
      // Minutes 0-5 end while the payment of minute 4 waits for its retry: 49 of 50, where the
      // final outcome is 50 of 50 (its retry lands in minute 5, outside the window, for good).
      expect(perPayment(0, 5)).toEqual({ attempts: 54, approvals: 49, payments: 50, counted: { x: 49, n: 50 } });
    } finally {
      store.close();
    }
  });
});
