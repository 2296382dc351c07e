import type { Database } from 'better-sqlite3';

// The identity key (event_log_identity, UNIQUE on the 53-bit hash of (source, id)) was a B-tree
// of random keys kept in order row by row. Every ingest transaction of 2,000 events dirtied
// about as many of its leaf pages, and wrote each to the WAL and again at the checkpoint: at
// 1,000,000 PaySim-derived events storing an event cost 25 µs and wrote 6.4 KB (BENCHMARKS.md,
// thirteenth session). It becomes a table filled behind ingest (store/identityIndex.ts), as the
// payment index is (migration 260): events up to through_seq are in event_identity_index, the
// newer ones (the tail) are known to the writer in memory and found by readers with a scan of
// their seq range. Exactly-once is the writer's check against both before each insert, no
// longer a UNIQUE constraint: a check reads one page of the index and dirties none. Unlike the
// payment index its key is not partitioned: the writer looks every event up in it, so one seek
// each, and a seal's sorted rows meet each leaf at most once.
export const migration270 = {
  version: 270,
  name: 'identity index filled behind ingest',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS event_identity_index (
        ident INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (ident, seq)
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS event_identity_index_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        through_seq INTEGER NOT NULL
      );
      DELETE FROM event_identity_index;
      INSERT INTO event_identity_index (ident, seq)
        SELECT ident, seq FROM event_log WHERE ident IS NOT NULL ORDER BY ident, seq;
      INSERT OR REPLACE INTO event_identity_index_state (id, through_seq)
        VALUES (1, COALESCE((SELECT MAX(seq) FROM event_log), 0));
      DROP INDEX IF EXISTS event_log_identity;

      -- Whatever deletes events (retention) takes their identities with them.
      CREATE TRIGGER IF NOT EXISTS event_identity_index_forget AFTER DELETE ON event_log
        WHEN old.ident IS NOT NULL
        BEGIN DELETE FROM event_identity_index WHERE ident = old.ident AND seq = old.seq; END;
      -- As for the payment index: a new event may take a seq at or below through_seq once the
      -- newest rows are deleted, where readers would not look for it in the tail.
      CREATE TRIGGER IF NOT EXISTS event_identity_index_clamp AFTER DELETE ON event_log
        WHEN old.seq >= (SELECT through_seq FROM event_identity_index_state)
        BEGIN
          UPDATE event_identity_index_state SET through_seq = COALESCE((SELECT MAX(seq) FROM event_log), 0)
            WHERE through_seq > COALESCE((SELECT MAX(seq) FROM event_log), 0);
        END;
    `);
  },
};
