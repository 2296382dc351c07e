import type { Database } from 'better-sqlite3';

// The notification log (issue 14): one row per delivery attempt to a contact point, plus one
// per decision not to deliver (muted, inhibited, silenced, would_notify in a replay). Written by
// the host process (deliveries run off the engine thread) over its own WAL connection.
// Never a URL: a row names the contact point only (webhook URLs carry tokens).
export const migration140 = {
  version: 140,
  name: 'notification log',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE notification_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        event_at INTEGER NOT NULL,
        contact_point TEXT NOT NULL,
        contact_type TEXT NOT NULL,
        outcome TEXT NOT NULL,
        status TEXT NOT NULL,
        group_key TEXT NOT NULL,
        group_labels_json TEXT NOT NULL,
        rule TEXT NOT NULL,
        alerts_json TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        final INTEGER NOT NULL,
        http_status INTEGER,
        error TEXT,
        duration_ms INTEGER
      );
      CREATE INDEX notification_log_at ON notification_log (at);
    `);
  },
};
