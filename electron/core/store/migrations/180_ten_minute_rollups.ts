import type { Database } from 'better-sqlite3';
import { floorDivSql } from '../stepStart';

// Ten-minute rollups beside the per-minute ones (migration 170), for dashboard ranges of more
// than about a day: a 7-day range read from minutes sums ~600,000 cells per chart dimension,
// from ten-minute buckets a tenth of that. Same dims, keys and sums as rollup_minute; `bucket`
// is the epoch minute divided by ten. Carried over from the minutes already stored.
export const migration180 = {
  version: 180,
  name: 'ten-minute rollups for long dashboard ranges',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE rollup_ten_minute (
        dim TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        key TEXT NOT NULL,
        count INTEGER NOT NULL,
        amount REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (dim, bucket, key)
      ) WITHOUT ROWID;
      INSERT INTO rollup_ten_minute (dim, bucket, key, count, amount)
        SELECT dim, ${floorDivSql('minute', 10)} AS bucket, key, SUM(count), SUM(amount)
        FROM rollup_minute GROUP BY dim, bucket, key;
    `);
  },
};
