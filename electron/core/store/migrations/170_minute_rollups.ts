import type { Database } from 'better-sqlite3';
import { floorDivSql } from '../stepStart';

// Per-minute rollups for the dashboard's charts, keyed by dimension first so that one chart's
// 7-day range is one contiguous index range (10,080 minutes), never a scan of per-second rows
// or raw events. dim: those of rollup_second ('type', 'authorized', 'decline', 'decision',
// 'failed'), plus 'declined' (key = currency, amount = sum of minor units) and 'latency'
// (key = latency bucket of shared/latencyHistogram.ts, amount = sum of ms).
// What was stored before this migration is carried over from rollup_second; declined amounts
// and latencies of those older events are not (the events table is not read here).
export const migration170 = {
  version: 170,
  name: 'per-minute rollups for the dashboard',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE rollup_minute (
        dim TEXT NOT NULL,
        minute INTEGER NOT NULL,
        key TEXT NOT NULL,
        count INTEGER NOT NULL,
        amount REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (dim, minute, key)
      ) WITHOUT ROWID;
      INSERT INTO rollup_minute (dim, minute, key, count, amount)
        SELECT dim, ${floorDivSql('sec', 60)} AS minute, key, SUM(count), SUM(amount)
        FROM rollup_second GROUP BY dim, minute, key;
    `);
  },
};
