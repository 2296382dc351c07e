import type { Database } from 'better-sqlite3';

// Decodes begun, and not finished, of messages delivered again (classic and quorum queues). A
// message that ends the consumer thread (or the whole process: a heap exhausted inside
// JSON.parse aborts it) while it is decoded never reaches the engine, so neither the redelivery
// guard (376) nor the stream guard (378) counted it, and each new thread took it first and died
// again: a crash loop, the queue stuck behind it. The consumer thread asks the engine to add one
// here, committed, before it decodes a redelivered message, and the engine deletes the row once
// the message arrives decoded (electron/core/broker/decodeAttemptGuard.ts). A row left is a
// death while that message was being decoded. `key`: a digest of the queue, routing key and body.
export const migration384 = {
  version: 384,
  name: 'decodes begun and never finished of messages delivered again',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS decode_attempts (
        key TEXT PRIMARY KEY,
        queue TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        last_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
