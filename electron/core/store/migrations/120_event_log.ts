import type { Database } from 'better-sqlite3';
import { eventIdentity } from '../eventIdentity';
import { EXPLORER_INDEXES } from '../explorerIndexes';

const PAYMENT = `('payment.initiated', 'payment.authorized', 'payment.declined', 'payment.captured', 'payment.refunded', 'payment.failed', 'payment.chargeback')`;
const RISK = `('risk.scored', 'risk.flagged', 'risk.blocked')`;

/** The `events` view: the columns of migration 001's table, computed from event_log. */
export const EVENTS_VIEW = eventsViewSql({ subject: "json ->> '$.subject'", json: 'json' });

/** The `events` view's SQL, with the expressions that read the subject, the whole CloudEvent text and (when not in the text) the source. */
export function eventsViewSql(read: { subject: string; json: string; source?: string }): string {
  return `
  CREATE VIEW events AS SELECT
    seq,
    ${read.source ?? "json ->> '$.source'"} AS source,
    json ->> '$.id' AS id,
    type,
    CASE WHEN type IN ${PAYMENT} THEN 'payment' WHEN type IN ${RISK} THEN 'risk' ELSE 'unknown' END AS category,
    time_ms,
    arrival_ms,
    ${read.subject} AS subject,
    payment_id,
    merchant_id,
    amount,
    currency,
    country,
    CASE WHEN type IN ${PAYMENT} THEN json ->> '$.data.method' END AS method,
    card_bin,
    CASE WHEN type IN ${PAYMENT} THEN json ->> '$.data.latencyMs' END AS latency_ms,
    decline_code,
    score,
    decision,
    CASE WHEN typeof(routing_key) = 'integer' THEN type ELSE routing_key END AS routing_key,
    ${read.json} AS json
  FROM event_log`;
}

// Events move to an append-only log holding per row what ingest and the queries need: a
// 53-bit identity hash of (source, id) as the unique key (8 bytes instead of two strings in
// the row and again in an index), event and arrival time, type, the columns that indexes,
// filters and report scans read, and the CloudEvent text. Source, id, subject, method and
// latency live in that text only, category follows from the type, and a routing key equal to
// the type is stored as the integer 0 (no bytes). `events` stays as a view with the old
// columns, so every reader of the old table keeps working. Distinct sources are listed in
// event_sources (the explorer's event id search hashes each with the id it is given).
export const migration120 = {
  version: 120,
  name: 'append-only event log, identity hash, events view',
  up(db: Database): void {
    db.function('payops_event_identity', { deterministic: true }, (source: unknown, id: unknown) => eventIdentity(String(source), String(id)));
    db.exec(`
      CREATE TABLE event_log (
        seq INTEGER PRIMARY KEY,
        ident INTEGER,
        time_ms INTEGER NOT NULL,
        arrival_ms INTEGER NOT NULL,
        type TEXT NOT NULL,
        merchant_id TEXT,
        payment_id TEXT,
        amount INTEGER,
        currency TEXT,
        country TEXT,
        card_bin TEXT,
        decline_code TEXT,
        score REAL,
        decision TEXT,
        routing_key,
        json TEXT NOT NULL
      );
      CREATE UNIQUE INDEX event_log_identity ON event_log(ident);
      -- A distinct event whose identity hash another already has (about one in 10^8 at
      -- 10 M events): its (source, id) is kept here and its row's ident is NULL.
      CREATE TABLE event_identity_overflow (
        source TEXT NOT NULL,
        id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (source, id)
      ) WITHOUT ROWID;
      CREATE TABLE event_sources (source TEXT PRIMARY KEY) WITHOUT ROWID;

      INSERT INTO event_log (seq, ident, time_ms, arrival_ms, type, merchant_id, payment_id, amount, currency, country,
          card_bin, decline_code, score, decision, routing_key, json)
        SELECT seq, payops_event_identity(source, id), time_ms, arrival_ms, type, merchant_id, payment_id, amount, currency,
          country, card_bin, decline_code, score, decision, CASE WHEN routing_key = type THEN 0 ELSE routing_key END, json
        FROM events WHERE true ORDER BY seq
        ON CONFLICT (ident) DO NOTHING;
      INSERT INTO event_identity_overflow (source, id, seq)
        SELECT source, id, seq FROM events WHERE seq NOT IN (SELECT seq FROM event_log);
      INSERT INTO event_log (seq, ident, time_ms, arrival_ms, type, merchant_id, payment_id, amount, currency, country,
          card_bin, decline_code, score, decision, routing_key, json)
        SELECT seq, NULL, time_ms, arrival_ms, type, merchant_id, payment_id, amount, currency,
          country, card_bin, decline_code, score, decision, CASE WHEN routing_key = type THEN 0 ELSE routing_key END, json
        FROM events WHERE seq IN (SELECT seq FROM event_identity_overflow);
      INSERT INTO event_sources (source) SELECT DISTINCT source FROM events;

      DROP TABLE events;
      CREATE INDEX event_log_time ON event_log(time_ms);
      ${Object.values(EXPLORER_INDEXES).join(';\n')};
      ${EVENTS_VIEW};
    `);
  },
};
