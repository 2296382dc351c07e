import type { Database } from 'better-sqlite3';

// The writer's filter of the payment ids stored (paymentIdFilter.ts) was built from the payment
// index at its first need after each start: every id of every partition read and hashed, on the
// engine thread, in the first batch that asked (about 3 s at 10,000,000 events). It is built
// from this table instead: per partition of the payment index (seq >> 16), the hashes of the
// payment ids its events hold (paymentIdHashes.ts). A row is written only for a partition the
// index has sealed to its end, in the transaction that writes it, and never changes; a partition
// without a row is read from the index as before. Empty here: rows are written behind ingest (one
// partition a batch, and every partition a build of the filter reads from the index).
export const migration382 = {
  version: 382,
  name: 'payment id hashes per partition (the payment id filter kept on disk)',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS payment_id_hashes (
        part INTEGER PRIMARY KEY,
        hashes BLOB NOT NULL
      );
      -- SQLite gives a new event MAX(seq) + 1: once the newest events are deleted, a new one may
      -- get a seq in a partition that has its row, which does not hold its id. Those rows go.
      CREATE TRIGGER IF NOT EXISTS payment_id_hashes_clamp AFTER DELETE ON event_log
        WHEN old.seq > COALESCE((SELECT MAX(seq) FROM event_log), 0)
        BEGIN
          DELETE FROM payment_id_hashes WHERE part >= (COALESCE((SELECT MAX(seq) FROM event_log), 0) + 1) >> 16;
        END;
    `);
  },
};
