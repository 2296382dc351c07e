import type { Database } from 'better-sqlite3';

// Where ingest from a RabbitMQ stream queue goes on: the offset after the last message stored,
// written in the same transaction as the events it covers, so a restart resumes exactly there
// (exactly once without per-message acknowledgements).
export const migration121 = {
  version: 121,
  name: 'stream offsets',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE stream_offsets (
        queue TEXT PRIMARY KEY,
        next_offset INTEGER NOT NULL,
        updated_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
