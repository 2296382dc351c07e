// Alert history: one row per alert instance (an episode of a rule for one group), its state
// transitions, and operator silences. Kept apart from events so retention can differ.
import type { Database } from 'better-sqlite3';

export const migration010 = {
  version: 10,
  name: 'alerts',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE IF NOT EXISTS alert_instances (
        key             TEXT PRIMARY KEY,
        rule            TEXT NOT NULL,
        severity        TEXT NOT NULL,
        group_key       TEXT NOT NULL,
        labels_json     TEXT NOT NULL,
        state           TEXT NOT NULL,
        summary         TEXT NOT NULL,
        value           REAL,
        peak_value      REAL,
        active_since    INTEGER NOT NULL,
        fired_at        INTEGER,
        resolved_at     INTEGER,
        ended_at        INTEGER,
        silenced        INTEGER NOT NULL DEFAULT 0,
        ack_by          TEXT,
        ack_note        TEXT,
        ack_at          INTEGER,
        resolve_note    TEXT,
        resolve_note_by TEXT,
        resolve_note_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS alert_instances_active_since ON alert_instances (active_since);
      CREATE INDEX IF NOT EXISTS alert_instances_fired_at ON alert_instances (fired_at);
      CREATE INDEX IF NOT EXISTS alert_instances_rule ON alert_instances (rule, active_since);

      CREATE TABLE IF NOT EXISTS alert_transitions (
        instance_key TEXT NOT NULL REFERENCES alert_instances (key) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        state        TEXT NOT NULL,
        at           INTEGER NOT NULL,
        PRIMARY KEY (instance_key, seq)
      ) WITHOUT ROWID;

      CREATE TABLE IF NOT EXISTS alert_silences (
        id            TEXT PRIMARY KEY,
        matchers_json TEXT NOT NULL,
        ends_at       INTEGER NOT NULL,
        comment       TEXT NOT NULL,
        created_by    TEXT NOT NULL,
        created_at    INTEGER NOT NULL,
        expired_at    INTEGER
      );
    `);
  },
};
