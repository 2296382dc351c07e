import type { Database } from 'better-sqlite3';

// How often a stream has been read from one offset without anything of it being stored. A stream
// redelivers nothing: a message that ends the process each time it is handled is read again from
// the stored offset by every new process, for ever (the stored offset never passes it), and
// carries no "redelivered" mark for delivery_attempts (migration 376) to count. The engine adds
// one here, committed before it hands on the first message it reads from `next_offset`; the
// ingest transaction that stores past it forgets the row (electron/core/broker/streamAttemptGuard.ts).
// `handed_to`: the newest offset a counted read handed on: the range later reads commit one by one.
export const migration378 = {
  version: 378,
  name: 'reads of a stream from one offset that stored nothing (streams redeliver nothing)',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS stream_attempts (
        queue TEXT PRIMARY KEY,
        next_offset INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        handed_to INTEGER NOT NULL,
        last_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
