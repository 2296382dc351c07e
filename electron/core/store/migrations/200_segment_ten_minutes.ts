import type { Database } from 'better-sqlite3';
import { compactSegmentBuckets, compactableBucket } from '../segmentRollupRepository';

// Ten-minute sums of the segment rollups (migration 130), for explanations over long windows:
// a 24-hour report explained against its 4-day baseline summed ~2.5 million minute rows (about
// 2 s at 10 M events); whole ten-minute buckets are a tenth of that. Unlike the dashboard's
// ten-minute rollups (migration 180) these are not written per event: the ingest writer sums
// each bucket once it is 20 minutes behind the newest event time (a compaction), and writes
// later events of an already summed bucket to both tables. So every bucket up to the newest
// one here holds all of its minutes (SegmentRollupRepository). Carried over from the minutes
// stored, up to the same point.
export const migration200 = {
  version: 200,
  name: 'ten-minute segment rollups',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE segment_ten_minute (
        bucket INTEGER NOT NULL,
        dim TEXT NOT NULL,
        value TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        approvals INTEGER NOT NULL,
        declines INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        approved_amount INTEGER NOT NULL,
        PRIMARY KEY (bucket, dim, value)
      ) WITHOUT ROWID;
      CREATE TABLE segment_decline_ten_minute (
        bucket INTEGER NOT NULL,
        dim TEXT NOT NULL,
        value TEXT NOT NULL,
        code TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (bucket, dim, value, code)
      ) WITHOUT ROWID;
    `);
    const span = db.prepare('SELECT MIN(minute) AS first, MAX(minute) AS last FROM segment_minute').get() as { first: number | null; last: number | null };
    if (span.first !== null && span.last !== null) compactSegmentBuckets(db, Math.floor(span.first / 10), compactableBucket(span.last));
  },
};
