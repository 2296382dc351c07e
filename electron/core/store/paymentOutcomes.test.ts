// Approval per payment: retries of a paymentId are one payment, counted at its earliest
// attempt; the order attempts arrive in does not change the counts; the memory is bounded.
import { describe, expect, it } from 'vitest';
import { PaymentOutcomes, type PaymentCellKey } from './paymentOutcomes';

type Attempt = [id: string, timeMs: number, approved: boolean];

/** Net counts per (second, key) after observing `attempts` in order. */
function counts(attempts: Attempt[], tracker = new PaymentOutcomes()): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, t, ok] of attempts) {
    tracker.observe(id, t, ok, (sec: number, key: PaymentCellKey, delta: number) => {
      out[`${sec}:${key}`] = (out[`${sec}:${key}`] ?? 0) + delta;
    });
  }
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return out;
}

describe('PaymentOutcomes', () => {
  it('counts a declined attempt and its approved retry as one approved payment at the first attempt', () => {
    expect(counts([['p1', 10_500, false], ['p1', 72_000, true]])).toEqual({ '10:started': 1, '10:approved': 1 });
  });

  it('counts a payment whose retries all declined as one payment, not approved', () => {
    expect(counts([['p1', 1000, false], ['p1', 2000, false], ['p1', 3000, false]])).toEqual({ '1:started': 1 });
  });

  it('counts a payment of event times before 1970 as after: approved once, retries within the hour one payment', () => {
    // 1969-12-31T23:59:58.5Z and a retry after it; then an attempt 90 minutes before the newest.
    expect(counts([['p1', -1500, true], ['p1', -1200, true], ['p1', -1000, false]])).toEqual({ '-2:started': 1, '-2:approved': 1 });
    expect(counts([['p2', -7_200_000, false], ['p2', -7_100_000, true]])).toEqual({ '-7200:started': 1, '-7200:approved': 1 });
  });

  it('an event stamped years ahead of its arrival (a wrong clock) does not make it forget the payments under way', () => {
    const T = Date.UTC(2026, 10, 23, 5);
    const out: Record<string, number> = {};
    const tracker = new PaymentOutcomes();
    const emit = (sec: number, key: PaymentCellKey, delta: number) => (out[`${sec}:${key}`] = (out[`${sec}:${key}`] ?? 0) + delta);
    tracker.observe('p1', T, false, emit, T);
    tracker.observe('p-wrong-clock', Date.UTC(9999, 0, 1), true, emit, T + 1000);
    tracker.observe('p1', T + 60_000, true, emit, T + 60_000); // the retry, a minute later: the same payment, approved
    expect(out[`${T / 1000}:started`]).toBe(1);
    expect(out[`${T / 1000}:approved`]).toBe(1);
    expect(out[`${T / 1000 + 60}:started`] ?? 0).toBe(0);
  });

  it('never counts a payment approved twice (a second approval of the same id)', () => {
    expect(counts([['p1', 1000, true], ['p1', 2000, true]])).toEqual({ '1:started': 1, '1:approved': 1 });
  });

  it('gives the same counts whatever order the attempts arrive in', () => {
    const attempts: Attempt[] = [
      ['a', 5000, false], ['a', 9000, false], ['a', 12_000, true],
      ['b', 7000, true],
      ['c', 8000, false], ['c', 3000, false],
    ];
    const want = counts(attempts);
    expect(want).toEqual({ '5:started': 1, '5:approved': 1, '7:started': 1, '7:approved': 1, '3:started': 1 });
    for (const order of [[5, 4, 3, 2, 1, 0], [2, 0, 1, 5, 3, 4], [3, 2, 5, 1, 0, 4]]) {
      expect(counts(order.map((i) => attempts[i]))).toEqual(want);
    }
  });

  it('forgets the oldest payments past its bound, so a late retry of one counts as a new payment', () => {
    const tracker = new PaymentOutcomes(3);
    const got = counts([['p1', 1000, false], ['p2', 2000, false], ['p3', 3000, false], ['p4', 4000, false], ['p1', 5000, true]], tracker);
    expect(tracker.size).toBe(3);
    expect(got['5:started']).toBe(1);
    // p1's return pushed p2 out; p3 is still known, so its retry is not a new payment.
    expect(counts([['p3', 6000, true]], tracker)).toEqual({ '3:approved': 1 });
  });

  it('forgets payments started more than its horizon before the newest attempt', () => {
    const tracker = new PaymentOutcomes(1000, 60);
    counts([['old', 0, false], ['new', 61_000, false]], tracker);
    expect(tracker.size).toBe(1);
    expect(counts([['old', 62_000, true]], tracker)).toEqual({ '62:started': 1, '62:approved': 1 });
  });
});
