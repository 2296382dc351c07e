import type { Database } from 'better-sqlite3';

// How far a stream's consumer thread has received (a little past it), committed before it decodes
// what it received there. A stream message that ends the whole process while it is decoded never
// reached the engine, and what the decode guard (384) suspected was held in memory, so each new
// process read it again from the stored offset as if new and died again. A row left at a start
// (a clean stop deletes it) is an unfinished attempt: offsets from the stored one up to
// `received_to` are decoded one at a time, each counted in decode_attempts first
// (electron/core/broker/decodeAttemptGuard.ts, decodeGate.ts).
export const migration386 = {
  version: 386,
  name: 'how far a stream was received before its decode',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS stream_received (
        queue TEXT PRIMARY KEY,
        received_to INTEGER NOT NULL,
        last_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
