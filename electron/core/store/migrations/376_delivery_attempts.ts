import type { Database } from 'better-sqlite3';

// How often each message of a classic queue has been delivered without being stored. A quorum
// queue counts deliveries itself (x-delivery-count); a classic queue only says "redelivered",
// so payops counted a message's failures in memory, and a message that ended the process each
// time it was handled started again at 0 in the next one: never quarantined, a crash loop. The
// engine adds one here, committed before it hands a redelivered message on, and deletes the row
// in the transaction that stores the message (electron/core/broker/redeliveryGuard.ts).
// `key`: a digest of the queue, routing key and body (a message has no other stable name).
export const migration376 = {
  version: 376,
  name: 'delivery attempts of messages delivered again (classic queues count none)',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS delivery_attempts (
        key TEXT PRIMARY KEY,
        queue TEXT NOT NULL,
        redeliveries INTEGER NOT NULL,
        first_ms INTEGER NOT NULL,
        last_ms INTEGER NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
