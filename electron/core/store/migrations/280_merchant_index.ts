import type { Database } from 'better-sqlite3';

// The merchant index (event_log_merchant_time) was a B-tree kept in order row by row. With
// thousands of merchants (PaySim's traffic), an ingest transaction of 2,000 events wrote about
// as many of its leaf pages to the WAL: at 1,000,000 stored events, once the identity key had
// moved behind ingest (migration 270), it was a third of storing an event, 15-16 against 10-11
// µs (BENCHMARKS.md, thirteenth session). It becomes a table filled behind ingest
// (store/merchantIndex.ts), as the payment index is (migration 260): events up to through_seq
// are in it, the newer ones are found by a scan of their seq range. A seal inserts the tail
// sorted: each merchant's newest leaf page is written once per seal, not once per transaction.
// Not partitioned: the explorer pages a merchant's events in time order, one range of this key.
export const migration280 = {
  version: 280,
  name: 'merchant index filled behind ingest',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS event_merchant_index (
        merchant_id TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (merchant_id, time_ms, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS event_merchant_index_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_seq INTEGER NOT NULL,
        deferred INTEGER NOT NULL DEFAULT 0
      );
      DELETE FROM event_merchant_index;
      INSERT INTO event_merchant_index (merchant_id, time_ms, seq)
        SELECT merchant_id, time_ms, seq FROM event_log WHERE merchant_id IS NOT NULL ORDER BY merchant_id, time_ms, seq;
      INSERT OR REPLACE INTO event_merchant_index_state (id, through_seq, deferred)
        VALUES (1, COALESCE((SELECT MAX(seq) FROM event_log), 0), 0);
      DROP INDEX IF EXISTS event_log_merchant_time;

      CREATE TRIGGER IF NOT EXISTS event_merchant_index_forget AFTER DELETE ON event_log
        WHEN old.merchant_id IS NOT NULL
        BEGIN DELETE FROM event_merchant_index WHERE merchant_id = old.merchant_id AND time_ms = old.time_ms AND seq = old.seq; END;
      CREATE TRIGGER IF NOT EXISTS event_merchant_index_clamp AFTER DELETE ON event_log
        WHEN old.seq >= (SELECT through_seq FROM event_merchant_index_state)
        BEGIN
          UPDATE event_merchant_index_state SET through_seq = COALESCE((SELECT MAX(seq) FROM event_log), 0)
            WHERE through_seq > COALESCE((SELECT MAX(seq) FROM event_log), 0);
        END;
    `);
  },
};
