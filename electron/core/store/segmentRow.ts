// Thread: any (types only). The rows the segment rollups are read as (migration 130).
import type { SegmentDimension } from '../../../shared/segments';

/** Counts of one segment over some minutes. Attempts are authorized + declined + failed events. */
export interface SegmentCounts {
  attempts: number;
  approvals: number;
  declines: number;
  failures: number;
  amount: number;
  approvedAmount: number;
  /**
   * Payments: the attempts that are a payment's first (`attempt` absent or 1), migration 350.
   * Approval per payment is approvals over these (a payment is approved at most once). Null when
   * unknown: some of the summed minutes were stored before the migration.
   */
  payments: number | null;
}

export interface SegmentRow extends SegmentCounts {
  dim: SegmentDimension;
  value: string;
}

/** Declines of one segment with one decline code. */
export interface DeclineCodeRow {
  dim: string;
  value: string;
  code: string;
  count: number;
}
