import type { Database } from 'better-sqlite3';

// Events are stored once per (source, id). `time_ms` is event time, or arrival time for
// unknown types that carry none (EVENTS.md: "placed by arrival time"). The JSON text is
// kept whole for the detail view and captures; the flat columns serve indexes and figures.
export const migration001 = {
  version: 1,
  name: 'events, quarantine, rollups, counters',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        category TEXT NOT NULL,
        time_ms INTEGER NOT NULL,
        arrival_ms INTEGER NOT NULL,
        subject TEXT,
        payment_id TEXT,
        merchant_id TEXT,
        amount INTEGER,
        currency TEXT,
        country TEXT,
        method TEXT,
        card_bin TEXT,
        latency_ms REAL,
        decline_code TEXT,
        score REAL,
        decision TEXT,
        routing_key TEXT,
        json TEXT NOT NULL
      );
      CREATE UNIQUE INDEX events_identity ON events(source, id);
      CREATE INDEX events_time ON events(time_ms);
      CREATE INDEX events_type_time ON events(type, time_ms);
      CREATE INDEX events_merchant_time ON events(merchant_id, time_ms) WHERE merchant_id IS NOT NULL;
      CREATE INDEX events_payment ON events(payment_id) WHERE payment_id IS NOT NULL;

      CREATE TABLE quarantine (
        seq INTEGER PRIMARY KEY,
        arrival_ms INTEGER NOT NULL,
        reason TEXT NOT NULL,
        routing_key TEXT,
        headers TEXT,
        content_type TEXT,
        body BLOB NOT NULL,
        origin TEXT
      );
      CREATE INDEX quarantine_arrival ON quarantine(arrival_ms);

      -- Per-second rollups so that dashboards and stats never scan raw events.
      -- dim: 'type' (key = event type), 'authorized' (key = currency, amount = sum),
      -- 'decline' (key = decline code), 'decision' (key = risk decision, amount = score sum),
      -- 'failed' (key = currency).
      CREATE TABLE rollup_second (
        sec INTEGER NOT NULL,
        dim TEXT NOT NULL,
        key TEXT NOT NULL,
        count INTEGER NOT NULL,
        amount INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (sec, dim, key)
      ) WITHOUT ROWID;

      CREATE TABLE counters (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE queue_depth (
        at_ms INTEGER NOT NULL,
        queue TEXT NOT NULL,
        messages INTEGER,
        consumers INTEGER,
        PRIMARY KEY (queue, at_ms)
      ) WITHOUT ROWID;
      CREATE INDEX queue_depth_at ON queue_depth(at_ms);

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `);
  },
};
