import type { Database } from 'better-sqlite3';
import { compactableBucket } from '../segmentRollupRepository';
import { floorDivSql } from '../stepStart';

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
    if (span.first !== null && span.last !== null) sumBuckets(db, Math.floor(span.first / 10), compactableBucket(span.last));
  },
};

/**
 * The buckets [fromBucket, toBucket] summed from the minutes, in the tables of this schema
 * (dim and value as TEXT): the writer's compactSegmentBuckets writes the coded tables of
 * migration 240, which do not exist yet here.
 */
function sumBuckets(db: Database, fromBucket: number, toBucket: number): void {
  if (toBucket < fromBucket) return;
  const range = [fromBucket * 10, (toBucket + 1) * 10];
  db.prepare(
    `INSERT INTO segment_ten_minute (bucket, dim, value, attempts, approvals, declines, failures, amount, approved_amount)
     SELECT ${floorDivSql('minute', 10)} AS b, dim, value, SUM(attempts), SUM(approvals), SUM(declines), SUM(failures), SUM(amount), SUM(approved_amount)
     FROM segment_minute WHERE minute >= ? AND minute < ? GROUP BY b, dim, value`,
  ).run(...range);
  db.prepare(
    `INSERT INTO segment_decline_ten_minute (bucket, dim, value, code, count)
     SELECT ${floorDivSql('minute', 10)} AS b, dim, value, code, SUM(count) FROM segment_decline_minute
     WHERE minute >= ? AND minute < ? GROUP BY b, dim, value, code`,
  ).run(...range);
}
