// The metrics stream (issue 16). A collector keeps what it has to publish in an outbox written
// in the same transaction as the data it describes, so a crash between commit and publish
// loses nothing: the outbox is published (with confirms) and emptied after. A follower keeps,
// per stream, the offset to read next and, per collector, the last sequence it applied, both
// written in the transaction that applies the messages.
import type { Database } from 'better-sqlite3';

export const migration160 = {
  version: 160,
  name: 'metrics stream outbox and follower position',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS metrics_outbox (
        seq  INTEGER PRIMARY KEY AUTOINCREMENT,
        at   INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS metrics_follow (
        stream      TEXT PRIMARY KEY,
        next_offset INTEGER NOT NULL,
        applied     INTEGER NOT NULL DEFAULT 0,
        duplicates  INTEGER NOT NULL DEFAULT 0,
        skipped     INTEGER NOT NULL DEFAULT 0,
        last_skip   TEXT
      );
      CREATE TABLE IF NOT EXISTS metrics_sources (
        collector TEXT PRIMARY KEY,
        last_seq  INTEGER NOT NULL,
        heard_at  INTEGER NOT NULL
      );
    `);
  },
};
