import type { Database } from 'better-sqlite3';

// The audit log of dead-letter redrives (issue 15): one row per step of each message (about
// to publish, confirmed by the broker, removed from the dead-letter queue, skipped, failed),
// written before and after each step, so a redrive killed half way leaves a log that says
// which messages may have gone out twice or are still waiting.
export const migration150 = {
  version: 150,
  name: 'dead-letter redrive audit log',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE redrive_audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        redrive_id TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        message_id TEXT NOT NULL,
        from_queue TEXT NOT NULL,
        to_exchange TEXT,
        to_routing_key TEXT,
        step TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX redrive_audit_message ON redrive_audit (from_queue, message_id);
      CREATE INDEX redrive_audit_at ON redrive_audit (at_ms);
    `);
  },
};
