import type { Database } from 'better-sqlite3';

// The payment index (event_log_payment) was a B-tree kept in order row by row. Payment ids are
// random keys, so each ingest transaction wrote about one page of it per event to the WAL, and
// more as the file grew: at 1,000,000 PaySim-derived events it cost ~11 µs of ~30 per stored
// event (BENCHMARKS.md, twelfth session). It becomes a table filled behind ingest
// (store/paymentIndex.ts): the events up to through_seq are in it, and the newer ones (the
// tail) are found by a scan of their seq range. Its key leads with the partition (seq >> 16), so
// a seal writes into the newest partitions only, however large the file. `deferred` is set
// while a replay bulk loads; a killed replay leaves it set and the next session catches up.
export const migration260 = {
  version: 260,
  name: 'payment index filled behind ingest',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS event_payment_index (
        part INTEGER NOT NULL,
        payment_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (part, payment_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS event_payment_index_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_seq INTEGER NOT NULL,
        deferred INTEGER NOT NULL DEFAULT 0
      );
      DELETE FROM event_payment_index;
      INSERT INTO event_payment_index (part, payment_id, seq)
        SELECT seq >> 16, payment_id, seq FROM event_log WHERE payment_id IS NOT NULL; -- in seq order: a partition at a time
      INSERT OR REPLACE INTO event_payment_index_state (id, through_seq, deferred)
        VALUES (1, COALESCE((SELECT MAX(seq) FROM event_log), 0), 0);
      DROP INDEX IF EXISTS event_log_payment;

      -- Whatever deletes events (retention) takes their index rows with them.
      CREATE TRIGGER IF NOT EXISTS event_payment_index_forget AFTER DELETE ON event_log
        WHEN old.payment_id IS NOT NULL
        BEGIN DELETE FROM event_payment_index WHERE part = old.seq >> 16 AND payment_id = old.payment_id AND seq = old.seq; END;
      -- SQLite gives a new row MAX(seq) + 1: once the newest rows are deleted, a new event may
      -- get a seq at or below through_seq, where no reader would look for it in the tail.
      CREATE TRIGGER IF NOT EXISTS event_payment_index_clamp AFTER DELETE ON event_log
        WHEN old.seq >= (SELECT through_seq FROM event_payment_index_state)
        BEGIN
          UPDATE event_payment_index_state SET through_seq = COALESCE((SELECT MAX(seq) FROM event_log), 0)
            WHERE through_seq > COALESCE((SELECT MAX(seq) FROM event_log), 0);
        END;
    `);
  },
};
