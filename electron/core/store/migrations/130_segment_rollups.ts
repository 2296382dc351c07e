import type { Database } from 'better-sqlite3';

// Per-minute rollups per value of each dimension (shared/segments.ts), written in the ingest
// transaction: explain and the segment health board read these tables only, never the events.
// segment_value records which values a dimension admitted (the bound on cardinality), so that
// the same value keeps its row across restarts and the tail keeps folding into '(other)'.
export const migration130 = {
  version: 130,
  name: 'segment rollups per minute',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE segment_minute (
        minute INTEGER NOT NULL,
        dim TEXT NOT NULL,
        value TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        approvals INTEGER NOT NULL,
        declines INTEGER NOT NULL,
        failures INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        approved_amount INTEGER NOT NULL,
        PRIMARY KEY (minute, dim, value)
      ) WITHOUT ROWID;
      CREATE TABLE segment_decline_minute (
        minute INTEGER NOT NULL,
        dim TEXT NOT NULL,
        value TEXT NOT NULL,
        code TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (minute, dim, value, code)
      ) WITHOUT ROWID;
      CREATE TABLE segment_value (
        dim TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (dim, value)
      ) WITHOUT ROWID;
    `);
  },
};
