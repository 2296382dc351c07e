import type { SegmentRow } from '../../electron/core/store/segmentRow';

/**
 * One segment rollup row as the triage code reads it, amounts at 100 per attempt. Declines are
 * what is neither approved nor failed; payments default to one per attempt (no retries).
 */
export function segmentRow(
  dim: SegmentRow['dim'],
  value: string,
  attempts: number,
  approvals: number,
  { failures = 0, payments = attempts }: { failures?: number; payments?: number | null } = {},
): SegmentRow {
  return {
    dim,
    value,
    attempts,
    approvals,
    declines: attempts - approvals - failures,
    failures,
    amount: attempts * 100,
    approvedAmount: approvals * 100,
    payments,
  };
}
