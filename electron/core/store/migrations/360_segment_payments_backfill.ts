import type { Database } from 'better-sqlite3';
import { startSegmentPaymentsBackfill } from '../segmentRollupPayments';

// Migration 350 counts payments in the segment cells from then on; the cells stored before it
// hold NULL (unknown), so the health board judged their minutes per attempt, and a board whose
// baseline reached back before the upgrade did for an hour. Their payments are recounted
// (segmentRollupPayments.ts): here, what the rollups alone determine (the minutes without a
// retry, and every minute's total and attempt cells); the minutes holding retries from their
// stored events, behind ingest, in steps of about 2,000 events (segment_payments_backfill holds
// where it stands). A cell whose events are not all there stays unknown. Only NULL cells are
// written: run again (a rewound user_version), it changes nothing it filled before.

export const migration360 = {
  version: 360,
  name: 'segment rollups: payments of cells stored before 350, from the stored events',
  up(db: Database): void {
    const hasColumn = db.prepare("SELECT 1 FROM pragma_table_info('segment_minute_coded') WHERE name = 'payments'").get() !== undefined;
    if (hasColumn) startSegmentPaymentsBackfill(db);
  },
};
