// Thread: `insert` on the engine thread (in the ingest transaction); reads on either thread.
import type { Database, Statement } from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import type { EventDetail, EventRow } from '../../../shared/explorer';
import { columnList, pickColumns, selectList, type Columns } from './columns';
import { StatementCache } from './statementCache';

/** The events table (migration 001): the column of each EventRow field. */
export const EVENT_COLUMNS = {
  seq: 'seq',
  timeMs: 'time_ms',
  arrivalMs: 'arrival_ms',
  source: 'source',
  id: 'id',
  type: 'type',
  category: 'category',
  subject: 'subject',
  paymentId: 'payment_id',
  merchantId: 'merchant_id',
  amount: 'amount',
  currency: 'currency',
  country: 'country',
  method: 'method',
  cardBin: 'card_bin',
  latencyMs: 'latency_ms',
  declineCode: 'decline_code',
  score: 'score',
  decision: 'decision',
  routingKey: 'routing_key',
} as const satisfies Columns<EventRow>;

/** Selects rows shaped as EventRow. */
export const EVENT_ROW_SELECT = selectList(EVENT_COLUMNS);
/** Selects rows shaped as EventDetail (the row and the whole CloudEvent text). */
export const EVENT_DETAIL_SELECT = `${EVENT_ROW_SELECT}, json`;

/** What alert evaluation reads of an event (priming, backtests). */
export type EventForAlerts = Pick<EventRow, 'type' | 'timeMs' | 'arrivalMs' | 'merchantId' | 'country' | 'score'>;
const ALERT_SELECT = selectList(pickColumns(EVENT_COLUMNS, ['type', 'timeMs', 'arrivalMs', 'merchantId', 'country', 'score']));

// The columns an insert writes, in the order `insert` passes them (seq is the rowid).
const INSERT_FIELDS = [
  'source', 'id', 'type', 'category', 'timeMs', 'arrivalMs', 'subject', 'paymentId', 'merchantId', 'amount', 'currency',
  'country', 'method', 'cardBin', 'latencyMs', 'declineCode', 'score', 'decision', 'routingKey',
] as const satisfies readonly (keyof EventRow)[];
const INSERT_EVENT = `INSERT OR IGNORE INTO events (${columnList(EVENT_COLUMNS, INSERT_FIELDS)}, json)
  VALUES (${[...INSERT_FIELDS, 'json'].map(() => '?').join(', ')})`;

export class EventRepository {
  private readonly sql: StatementCache;
  /** The ingest hot path: kept at hand rather than looked up per row. */
  private insertStatement: Statement | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /**
   * Stores one event once per (source, id) (the ingest transaction's write). False when it
   * was already stored: a duplicate.
   */
  insert(e: NormalizedEvent, timeMs: number, arrivalMs: number, routingKey: string | null): boolean {
    return (
      (this.insertStatement ??= this.sql.prepare(INSERT_EVENT)).run(
        e.source, e.id, e.type, e.category, timeMs, arrivalMs, e.subject, e.paymentId, e.merchantId, e.amount, e.currency,
        e.country, e.method, e.cardBin, e.latencyMs, e.declineCode, e.score, e.decision, routingKey, e.json,
      ).changes > 0
    );
  }

  get(seq: number): EventDetail | null {
    return (this.sql.prepare(`SELECT ${EVENT_DETAIL_SELECT} FROM events WHERE seq = ?`).get(seq) as EventDetail | undefined) ?? null;
  }

  /** The events of one payment in event-time order, at most `limit` (served by events_payment). */
  ofPayment(paymentId: string, limit: number): EventRow[] {
    return this.sql
      .prepare(`SELECT ${EVENT_ROW_SELECT} FROM events INDEXED BY events_payment WHERE payment_id = ? ORDER BY time_ms, seq LIMIT ?`)
      .all(paymentId, limit) as EventRow[];
  }

  /** First and last event time stored, or null when there are no events. */
  timeRange(): { first: number; last: number } | null {
    const row = this.sql.prepare('SELECT MIN(time_ms) AS first, MAX(time_ms) AS last FROM events').get() as { first: number | null; last: number | null };
    return row.first === null || row.last === null ? null : { first: row.first, last: row.last };
  }

  /** The newest event time stored, or null. */
  newestTime(): number | null {
    return (this.sql.prepare('SELECT MAX(time_ms) AS t FROM events').get() as { t: number | null }).t;
  }

  /** When the last stored event arrived (the row stored last), or null: what "Last event" shows beside the stored count. */
  newestArrival(): number | null {
    const row = this.sql.prepare('SELECT arrival_ms AS a FROM events ORDER BY seq DESC LIMIT 1').get() as { a: number } | undefined;
    return row?.a ?? null;
  }

  /** Whether at least one event is stored (one index step, whatever the size). */
  hasAny(): boolean {
    return (this.sql.prepare('SELECT COUNT(*) AS n FROM (SELECT 1 FROM events LIMIT 1)').get() as { n: number }).n > 0;
  }

  /** The time of the n-th newest event in [from, until] (n from 1), or null when there are fewer. */
  nthNewestTime(from: number, until: number, n: number): number | null {
    const row = this.sql
      .prepare('SELECT time_ms FROM events WHERE time_ms >= ? AND time_ms <= ? ORDER BY time_ms DESC LIMIT 1 OFFSET ?')
      .get(from, until, n - 1) as { time_ms: number } | undefined;
    return row ? row.time_ms : null;
  }

  /** Every event of [from, until] in (time, seq) order, read as it is iterated (alert priming). */
  forAlertsThrough(from: number, until: number): IterableIterator<EventForAlerts> {
    return this.sql
      .prepare(`SELECT ${ALERT_SELECT} FROM events WHERE time_ms >= ? AND time_ms <= ? ORDER BY time_ms, seq`)
      .iterate(from, until) as IterableIterator<EventForAlerts>;
  }

  /**
   * A keyset page of [after.timeMs, to) in (time, seq) order, strictly after `after`
   * (backtests: each page is one complete statement, so nothing stays open between pages).
   */
  forAlertsPage(after: { timeMs: number; seq: number }, to: number, limit: number): (EventForAlerts & { seq: number })[] {
    return this.sql
      .prepare(
        `SELECT seq, ${ALERT_SELECT} FROM events
         WHERE time_ms >= @t AND time_ms < @to AND (time_ms > @t OR seq > @seq)
         ORDER BY time_ms, seq LIMIT @n`,
      )
      .all({ t: after.timeMs, seq: after.seq, to, n: limit }) as (EventForAlerts & { seq: number })[];
  }
}
