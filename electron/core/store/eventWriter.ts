import type { Database, Statement } from 'better-sqlite3';
import type { DecodeResult, NormalizedEvent, RawMessage } from '../../../shared/events/eventTypes';

/** A stored event with where and when it arrived. */
export interface IngestedEvent extends NormalizedEvent {
  arrivalMs: number;
  routingKey: string | null;
}

export interface IncomingMessage {
  raw: RawMessage;
  result: DecodeResult;
  /** The broker says it delivered this before (a crash or a lost ack). */
  redelivered?: boolean;
  /** Where a quarantined message came from when not the broker (e.g. "capture.ndjson:17"). */
  origin?: string;
}

export interface BatchOutcome {
  inserted: IngestedEvent[];
  duplicates: number;
  redeliveredDuplicates: number;
  quarantined: number;
  unknownTypes: number;
}

interface RollupCell {
  sec: number;
  dim: string;
  key: string;
  count: number;
  amount: number;
}

export const COUNTERS = ['duplicates', 'redelivered_duplicates', 'quarantined', 'unknown_types'] as const;

/**
 * Writes a batch of decoded messages in ONE transaction: events (idempotent on source+id),
 * quarantine rows and the per-second rollups of what was newly inserted. The caller
 * acknowledges the batch only after `commit` returns (ackAfterCommit).
 */
export class EventWriter {
  private readonly insertEvent: Statement;
  private readonly insertQuarantine: Statement;
  private readonly upsertRollup: Statement;
  private readonly bumpCounter: Statement;
  private readonly insertQueueDepth: Statement;
  private readonly writeBatch: (items: IncomingMessage[], out: BatchOutcome) => void;

  constructor(private readonly db: Database) {
    this.insertEvent = db.prepare(
      `INSERT OR IGNORE INTO events (source, id, type, category, time_ms, arrival_ms, subject, payment_id,
         merchant_id, amount, currency, country, method, card_bin, latency_ms, decline_code, score, decision,
         routing_key, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertQuarantine = db.prepare(
      `INSERT INTO quarantine (arrival_ms, reason, routing_key, headers, content_type, body, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.upsertRollup = db.prepare(
      `INSERT INTO rollup_second (sec, dim, key, count, amount) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (sec, dim, key) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`,
    );
    this.bumpCounter = db.prepare(
      `INSERT INTO counters (name, value) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET value = value + excluded.value`,
    );
    this.insertQueueDepth = db.prepare(
      `INSERT OR REPLACE INTO queue_depth (at_ms, queue, messages, consumers) VALUES (?, ?, ?, ?)`,
    );
    this.writeBatch = db.transaction((items: IncomingMessage[], out: BatchOutcome) => this.writeItems(items, out));
  }

  commit(items: IncomingMessage[]): BatchOutcome {
    const out: BatchOutcome = { inserted: [], duplicates: 0, redeliveredDuplicates: 0, quarantined: 0, unknownTypes: 0 };
    if (items.length === 0) return out;
    this.writeBatch(items, out);
    return out;
  }

  recordQueueDepths(samples: { queue: string; messages: number | null; consumers: number | null; at: number }[]): void {
    if (samples.length === 0) return;
    this.db.transaction(() => {
      for (const s of samples) this.insertQueueDepth.run(s.at, s.queue, s.messages, s.consumers);
    })();
  }

  private writeItems(items: IncomingMessage[], out: BatchOutcome): void {
    const rollups = new Map<string, RollupCell>();
    const add = (sec: number, dim: string, key: string, amount: number): void => {
      const k = `${sec}\u0000${dim}\u0000${key}`;
      const cell = rollups.get(k);
      if (cell) {
        cell.count += 1;
        cell.amount += amount;
      } else {
        rollups.set(k, { sec, dim, key, count: 1, amount });
      }
    };
    for (const item of items) {
      const raw = item.raw;
      if (!item.result.ok) {
        this.insertQuarantine.run(
          raw.arrivalMs,
          item.result.reason,
          raw.routingKey ?? null,
          raw.headers ? safeJson(raw.headers) : null,
          raw.contentType ?? null,
          Buffer.from(raw.body.buffer, raw.body.byteOffset, raw.body.byteLength),
          item.origin ?? null,
        );
        out.quarantined += 1;
        continue;
      }
      const e = item.result.event;
      const timeMs = e.timeMs ?? raw.arrivalMs;
      const info = this.insertEvent.run(
        e.source, e.id, e.type, e.category, timeMs, raw.arrivalMs, e.subject, e.paymentId,
        e.merchantId, e.amount, e.currency, e.country, e.method, e.cardBin, e.latencyMs, e.declineCode,
        e.score, e.decision, raw.routingKey ?? null, e.json,
      );
      if (info.changes === 0) {
        out.duplicates += 1;
        if (item.redelivered) out.redeliveredDuplicates += 1;
        continue;
      }
      const stored = e as IngestedEvent;
      stored.arrivalMs = raw.arrivalMs;
      stored.routingKey = raw.routingKey ?? null;
      if (e.timeMs === null) stored.timeMs = timeMs;
      out.inserted.push(stored);
      const sec = Math.floor(timeMs / 1000);
      add(sec, 'type', e.type, 0);
      if (e.category === 'unknown') out.unknownTypes += 1;
      else if (e.type === 'payment.authorized') add(sec, 'authorized', e.currency ?? '', e.amount ?? 0);
      else if (e.type === 'payment.declined') add(sec, 'decline', e.declineCode ?? 'unknown', 0);
      else if (e.type === 'payment.failed') add(sec, 'failed', e.currency ?? '', e.amount ?? 0);
      else if (e.category === 'risk') add(sec, 'decision', e.decision ?? 'unknown', e.score ?? 0);
    }
    for (const c of rollups.values()) this.upsertRollup.run(c.sec, c.dim, c.key, c.count, c.amount);
    if (out.duplicates) this.bumpCounter.run('duplicates', out.duplicates);
    if (out.redeliveredDuplicates) this.bumpCounter.run('redelivered_duplicates', out.redeliveredDuplicates);
    if (out.quarantined) this.bumpCounter.run('quarantined', out.quarantined);
    if (out.unknownTypes) this.bumpCounter.run('unknown_types', out.unknownTypes);
  }
}

function safeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer') return v;
    return v;
  });
}
