// Thread: any (pure functions over rows read by SegmentRollupRepository).
// Since migration 220 the segment tables hold no `(none)` rows: each minute (or ten-minute
// bucket) has a total row instead, and a dimension's `(none)` is that total less the
// dimension's values. These put the derived rows back, so every reader sees what it saw when
// they were stored. Rows in the old form (a read-only database never migrated) have no total:
// nothing is derived and their stored `(none)` rows pass through as they are.
import { NONE_VALUE, SEGMENT_DIMENSIONS, type SegmentDimension } from '../../../shared/segments';
import type { DeclineCodeRow, SegmentCounts, SegmentRow } from './segmentRow';

const COUNT_FIELDS = ['attempts', 'approvals', 'declines', 'failures', 'amount', 'approvedAmount'] as const;

const zero = (): SegmentCounts => ({ attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0, payments: 0 });

/** `total` less each of `parts`, or null when nothing is left (every attempt carried the dimension). */
function remainder(total: SegmentCounts, parts: readonly SegmentCounts[]): SegmentCounts | null {
  const left = zero();
  for (const f of COUNT_FIELDS) left[f] = total[f] - parts.reduce((sum, p) => sum + p[f], 0);
  // Payments unknown in the total or any part (stored before migration 350): unknown here too.
  left.payments = total.payments === null || parts.some((p) => p.payments === null) ? null : total.payments - parts.reduce((sum, p) => sum + p.payments!, 0);
  return left.attempts > 0 ? left : null;
}

/** One window's segments (total rows among them) as stored before 220: values and `(none)`, no total. */
export function withNoneSegments(rows: readonly SegmentRow[], totalDim: string, dims: readonly SegmentDimension[] = SEGMENT_DIMENSIONS): SegmentRow[] {
  const total = rows.find((r) => r.dim === totalDim);
  const out = rows.filter((r) => r.dim !== totalDim);
  if (!total) return out;
  for (const dim of dims) {
    const none = remainder(total, out.filter((r) => r.dim === dim));
    if (none) out.push({ dim, value: NONE_VALUE, ...none });
  }
  return out;
}

/** Decline codes per segment (total rows among them), with each dimension's `(none)` derived per code. */
export function withNoneCodes(rows: readonly DeclineCodeRow[], totalDim: string, dims: readonly SegmentDimension[] = SEGMENT_DIMENSIONS): DeclineCodeRow[] {
  const totals = new Map<string, number>();
  const carried = new Map<string, number>();
  const out: DeclineCodeRow[] = [];
  for (const r of rows) {
    if (r.dim === totalDim) totals.set(r.code, (totals.get(r.code) ?? 0) + r.count);
    else {
      out.push(r);
      const k = `${r.dim}\u0000${r.code}`;
      carried.set(k, (carried.get(k) ?? 0) + r.count);
    }
  }
  for (const dim of dims) {
    for (const [code, total] of totals) {
      const count = total - (carried.get(`${dim}\u0000${code}`) ?? 0);
      if (count > 0) out.push({ dim, value: NONE_VALUE, code, count });
    }
  }
  return out;
}
