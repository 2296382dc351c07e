// Test support: a database as payops wrote it before migration 120 (migrations 001, 010 and
// 115, events in the `events` table with their (source, id) key and four secondary indexes),
// filled through today's EventWriter with only the event insert of that schema swapped in, so
// its rollups, counters and quarantine are exactly what that payops stored.
import type { Database } from 'better-sqlite3';
import { decodeMessage } from '../../shared/events/decode';
import type { NormalizedEvent } from '../../shared/events/eventTypes';
import { CounterRepository } from '../../electron/core/store/counterRepository';
import type { EventRepository } from '../../electron/core/store/eventRepository';
import { EventWriter, type IncomingMessage } from '../../electron/core/store/eventWriter';
import { migrate } from '../../electron/core/store/migrate';
import { migration001 } from '../../electron/core/store/migrations/001_events';
import { migration010 } from '../../electron/core/store/migrations/010_alerts';
import { migration115 } from '../../electron/core/store/migrations/115_scored_decisions';
import { QuarantineRepository } from '../../electron/core/store/quarantineRepository';
import { RollupRepository } from '../../electron/core/store/rollupRepository';
import { wholeEventText } from './wholeEventText';

/** Migrates `db` to the schema before 120 (user_version 115). */
export function migrateToLegacySchema(db: Database): void {
  migrate(db, [migration001, migration010, migration115]);
}

/** The events insert of migration 001's table, as the EventRepository of before wrote it. */
function legacyEvents(db: Database): Pick<EventRepository, 'insert' | 'noteSources' | 'sealIdentitiesIfDue'> {
  const insert = db.prepare(`INSERT OR IGNORE INTO events (source, id, type, category, time_ms, arrival_ms, subject, payment_id,
      merchant_id, amount, currency, country, method, card_bin, latency_ms, decline_code, score, decision, routing_key, json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  return {
    insert: (e: NormalizedEvent, timeMs: number, arrivalMs: number, routingKey: string | null) =>
      insert.run(
        e.source, e.id, e.type, e.category, timeMs, arrivalMs, e.subject, e.paymentId, e.merchantId, e.amount, e.currency,
        e.country, e.method, e.cardBin, e.latencyMs, e.declineCode, e.score, e.decision, routingKey, wholeEventText(e, timeMs),
      ).changes > 0 ? 'stored' : 'duplicate', // that payops never compared bodies
    noteSources: () => undefined,
    sealIdentitiesIfDue: () => 0, // the schema before migration 120 has a UNIQUE (source, id)
  };
}

/** An EventWriter over the legacy schema. */
export function legacyEventWriter(db: Database): EventWriter {
  return new EventWriter(db, {
    events: legacyEvents(db) as EventRepository,
    quarantine: new QuarantineRepository(db),
    rollups: new RollupRepository(db),
    counters: new CounterRepository(db),
    segments: null,
    minuteRollups: null,
    payments: null,
  });
}

/** Raw messages decoded as the pipeline decodes them. */
export function decoded(raws: IncomingMessage['raw'][]): IncomingMessage[] {
  return raws.map((raw) => ({ raw, result: decodeMessage(raw) }));
}
