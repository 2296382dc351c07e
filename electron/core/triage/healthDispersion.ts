// How far the rates of a dimension's segments wander between slices of the baseline as long as
// the board's window: the quasi-binomial factor their health tests are widened by, as explain
// widens its overall test (overdispersion).
import type { SegmentRow } from '../store/segmentRollupRepository';
import { dispersion } from './stats';

/**
 * How much wider than binomial a segment's approval and failure counts vary (1 at least). Retries
 * cluster the outcomes (one payment declined three times is three declines, not three chances) and
 * a merchant's traffic comes in bursts; the binomial z of attempt counts then reads chance as a fall.
 */
export interface SegmentDispersion {
  /** Of approval per attempt. */
  approval: number;
  /** Of approval per payment (approvals over first attempts): retries no longer cluster it. */
  paymentApproval: number;
  failure: number;
}

export const BINOMIAL: SegmentDispersion = { approval: 1, paymentApproval: 1, failure: 1 };

/**
 * Approvals and payments of a segment for approval per payment, or null when its payments are
 * unknown (stored before migration 350) or none. Approvals are capped at the payments: a retry
 * approved in these minutes may belong to a payment that started just before them.
 */
export function paymentCounts(c: Pick<SegmentRow, 'approvals' | 'payments'>): { x: number; n: number } | null {
  if (c.payments === null || c.payments <= 0) return null;
  return { x: Math.min(c.approvals, c.payments), n: c.payments };
}

export const segmentKey = (r: Pick<SegmentRow, 'dim' | 'value'>): string => `${r.dim}\u0000${r.value}`;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Each dimension's dispersion (1 at least), by dimension name: the median over its segments of
 * each one's own Pearson dispersion across the slices. Per dimension, since a small segment's
 * dozen slices cannot tell retries from chance (judged by its own, calm traffic still read
 * degraded); the median, since a segment whose incident began within the baseline wanders by that
 * incident: its own dispersion would hide it, and a pooled sum would hide it in every segment.
 */
export function dimensionDispersions(slices: readonly SegmentRow[][]): Map<string, SegmentDispersion> {
  const bySegment = new Map<string, SegmentRow[]>();
  slices.forEach((rows, i) => {
    for (const r of rows) {
      const k = segmentKey(r);
      let own = bySegment.get(k);
      if (!own) bySegment.set(k, (own = slices.map(() => ({ ...r, attempts: 0, approvals: 0, declines: 0, failures: 0, payments: 0 }))));
      own[i] = r;
    }
  });
  const perDimension = new Map<string, { approval: number[]; paymentApproval: number[]; failure: number[] }>();
  for (const rows of bySegment.values()) {
    const d = perDimension.get(rows[0].dim) ?? { approval: [], paymentApproval: [], failure: [] };
    const approval = dispersion(rows.map((s) => ({ x: s.approvals, n: s.attempts })));
    const failure = dispersion(rows.map((s) => ({ x: s.failures, n: s.attempts })));
    // Only a segment whose every slice knows its payments (a slice with attempts and unknown
    // payments was stored before migration 350).
    const perPayment = rows.map((s) => (s.attempts === 0 ? { x: 0, n: 0 } : s.payments === null ? null : { x: Math.min(s.approvals, s.payments), n: s.payments }));
    const paymentApproval = perPayment.every((c) => c !== null) ? dispersion(perPayment as { x: number; n: number }[]) : null;
    if (approval !== null) d.approval.push(approval);
    if (paymentApproval !== null) d.paymentApproval.push(paymentApproval);
    if (failure !== null) d.failure.push(failure);
    perDimension.set(rows[0].dim, d);
  }
  const spread = new Map<string, SegmentDispersion>();
  const atLeastOne = (values: number[]) => Math.max(1, median(values) ?? 1);
  for (const [dim, d] of perDimension) spread.set(dim, { approval: atLeastOne(d.approval), paymentApproval: atLeastOne(d.paymentApproval), failure: atLeastOne(d.failure) });
  return spread;
}
