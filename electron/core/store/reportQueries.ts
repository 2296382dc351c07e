// Thread: read worker (read-only connection): report figures, top lists, samples and CSV rows.
import type { Database } from 'better-sqlite3';
import { EVENT_DETAIL_SELECT, toEventDetails, toRestoredEvents, type RestoredEvent } from './eventRepository';
import { AUTHORIZATION_ATTEMPTS_SQL, EVENT_CATEGORY_SQL } from './eventTypeSql';
import { ExplorerIndexPresence, type ExplorerIndex } from './explorerIndexes';
import { MERCHANT_TAIL_FROM } from './merchantIndex';
import { PAYMENT_INDEX_PARTS } from './paymentIndex';
import { SourceNames } from './sourceNames';
import { StatementCache } from './statementCache';

/** Raw-event figures of a stretch of time, grouped as the rollups group them. */
export interface EventFigureGroup {
  type: string;
  category: string;
  /** '' when none. */
  currency: string;
  /** 'unknown' when none. */
  code: string;
  /** 'unknown' when none. */
  decision: string;
  n: number;
  /** Sum of amounts (none counts 0). */
  a: number;
}

/** A sampled event: its CloudEvent text and where it sorts. */
export interface SampledEvent {
  seq: number;
  timeMs: number;
  json: string;
}


/** An authorization attempt (payment.authorized, .declined or .failed): [paymentId, time_ms, 1 when authorized]. */
export type PaymentAttempt = [paymentId: string | null, timeMs: number, approved: number];

/**
 * How far before and after an attempt its payment's other attempts are looked for: any time a
 * Date holds, as the writer groups a payment's attempts however far apart (paymentOutcomes.ts).
 */
export const PAYMENT_LOOKUP_MS = 2 * 8.64e15;

/** Payment ids per lookup statement (a JSON array bound once). */
const PAYMENT_LOOKUP_BATCH = 500;


/**
 * The per-window counts and scans of incident reports over raw events. Counts by type and
 * by merchant are index-only (no table reads); the distinct types and merchants are found
 * by skipping through their index one seek per value (a manual skip-scan).
 */
export class ReportQueries {
  private readonly sql: StatementCache;
  private readonly indexes: ExplorerIndexPresence;
  private readonly sources: SourceNames;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
    this.indexes = new ExplorerIndexPresence(db);
    this.sources = new SourceNames(db);
  }

  /** `event_log INDEXED BY name`, or the bare table while a replay defers that index. */
  private from(name: ExplorerIndex): string {
    return `event_log ${this.indexes.indexedBy(name)}`;
  }

  /** Every distinct event type (at most 10,000), in order. */
  types(): string[] {
    const first = this.sql.pluck(`SELECT type FROM ${this.from('event_log_type_time')} ORDER BY type LIMIT 1`);
    const next = this.sql.pluck(`SELECT type FROM ${this.from('event_log_type_time')} WHERE type > ? ORDER BY type LIMIT 1`);
    const out: string[] = [];
    let t = first.get() as string | undefined;
    while (t !== undefined && out.length < 10_000) {
      out.push(t);
      t = next.get(t) as string | undefined;
    }
    return out;
  }

  /** Events of `type` in [from, to). */
  countOfType(type: string, from: number, to: number): number {
    return this.sql.pluck(`SELECT COUNT(*) FROM ${this.from('event_log_type_time')} WHERE type = ? AND time_ms >= ? AND time_ms < ?`).get(type, from, to) as number;
  }

  /**
   * Raw figures of [from, to) grouped by type, category, currency, decline code and decision (a
   * window's partial seconds). TOTAL, not SUM: a sum past 2^63 is a figure, not an "integer overflow".
   */
  figureGroups(from: number, to: number): EventFigureGroup[] {
    return this.sql
      .prepare(
        `SELECT type, ${EVENT_CATEGORY_SQL} AS category, COALESCE(currency, '') AS currency, COALESCE(decline_code, 'unknown') AS code,
           COALESCE(decision, 'unknown') AS decision, COUNT(*) AS n, TOTAL(amount) AS a
         FROM event_log INDEXED BY event_log_time WHERE time_ms >= ? AND time_ms < ? GROUP BY 1, 2, 3, 4, 5`,
      )
      .all(from, to) as EventFigureGroup[];
  }

  /**
   * Events per merchant in [from, to) (merchants with none left out). Through the merchant index
   * (merchantIndex.ts): each merchant found with one seek and counted from the index alone
   * (no table reads), then the tail's events in one scan. While a replay defers it, one pass
   * over the window's rows.
   */
  merchantCounts(from: number, to: number): Map<string, number> {
    const counts = new Map<string, number>();
    const add = (m: string, n: number) => counts.set(m, (counts.get(m) ?? 0) + n);
    if (!this.indexes.merchantIndexUsable()) {
      const rows = this.sql.raw('SELECT merchant_id, COUNT(*) FROM event_log INDEXED BY event_log_time WHERE time_ms >= ? AND time_ms < ? AND merchant_id IS NOT NULL GROUP BY 1');
      for (const [m, n] of rows.all(from, to) as [string, number][]) add(m, n);
      return counts;
    }
    const first = this.sql.pluck('SELECT merchant_id FROM event_merchant_index ORDER BY merchant_id LIMIT 1');
    const next = this.sql.pluck('SELECT merchant_id FROM event_merchant_index WHERE merchant_id > ? ORDER BY merchant_id LIMIT 1');
    const count = this.sql.pluck('SELECT COUNT(*) FROM event_merchant_index WHERE merchant_id = ? AND time_ms >= ? AND time_ms < ?');
    for (let m = first.get() as string | undefined; m !== undefined; m = next.get(m) as string | undefined) {
      const n = count.get(m, from, to) as number;
      if (n > 0) add(m, n);
    }
    const tail = this.sql.raw(
      `SELECT merchant_id, COUNT(*) FROM event_log NOT INDEXED
       WHERE seq > ${MERCHANT_TAIL_FROM} AND merchant_id IS NOT NULL AND time_ms >= ? AND time_ms < ? GROUP BY 1`,
    );
    for (const [m, n] of tail.all(from, to) as [string, number][]) add(m, n);
    return counts;
  }

  /** The declines of [from, to) as [merchant, country, card BIN, decline code], read as iterated. */
  declines(from: number, to: number): IterableIterator<(string | null)[]> {
    return this.sql
      .raw(
        `SELECT merchant_id, country, card_bin, decline_code FROM ${this.from('event_log_type_time')}
         WHERE type = 'payment.declined' AND time_ms >= ? AND time_ms < ?`,
      )
      .iterate(from, to) as IterableIterator<(string | null)[]>;
  }

  /**
   * Events of [from, to) with a country or a BIN, counted per "country,BIN" ('' for none).
   * Callers keep the stretch short (small sorts inside SQLite beat a JavaScript call per row).
   */
  countryBinCounts(from: number, to: number): [string, number][] {
    return this.sql
      .raw(
        `SELECT COALESCE(country, '') || ',' || COALESCE(card_bin, ''), COUNT(*) FROM event_log INDEXED BY event_log_time
         WHERE time_ms >= ? AND time_ms < ? AND (country IS NOT NULL OR card_bin IS NOT NULL) GROUP BY 1`,
      )
      .all(from, to) as [string, number][];
  }

  /** The newest `limit` declines, failures and blocks of [from, to). */
  newestProblems(from: number, to: number, limit: number): SampledEvent[] {
    return toEventDetails(this.sql
      .prepare(
        `SELECT ${EVENT_DETAIL_SELECT} FROM ${this.from('event_log_type_time')} WHERE type IN ('payment.declined', 'payment.failed', 'risk.blocked')
         AND time_ms >= ? AND time_ms < ? ORDER BY time_ms DESC LIMIT ?`,
      )
      .all(from, to, limit), this.sources.sourceOf);
  }

  /** The newest `limit` events of [from, to). */
  newest(from: number, to: number, limit: number): SampledEvent[] {
    return toEventDetails(this.sql
      .prepare(`SELECT ${EVENT_DETAIL_SELECT} FROM event_log INDEXED BY event_log_time WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms DESC, seq DESC LIMIT ?`)
      .all(from, to, limit), this.sources.sourceOf);
  }

  /**
   * A keyset chunk of [from, to) in (time, seq) order after (afterTime, afterSeq): the CSV
   * export's rows, those stored up to `throughSeq` (the export's start: late events of the
   * window committed while it runs would otherwise land in it or not by where the keyset had
   * got to). Each chunk is one complete statement, so nothing stays open on the connection
   * between chunks.
   */
  exportChunk(from: number, to: number, afterTime: number, afterSeq: number, throughSeq: number, limit: number): RestoredEvent[] {
    return toRestoredEvents(this.sql
      .prepare(
        `SELECT ${EVENT_DETAIL_SELECT} FROM event_log INDEXED BY event_log_time
         WHERE time_ms >= ? AND time_ms < ? AND (time_ms > ? OR seq > ?) AND seq <= ?
         ORDER BY time_ms, seq LIMIT ?`,
      )
      .all(from, to, afterTime, afterSeq, throughSeq, limit), this.sources.sourceOf);
  }

  /**
   * The events `seqs`, whole, in the order given (one statement for them all: a filtered CSV
   * export's chunk of the explorer's matching rows). A seq no longer stored is left out.
   */
  restoredBySeqs(seqs: readonly number[]): RestoredEvent[] {
    if (seqs.length === 0) return [];
    const rows = toRestoredEvents(
      this.sql.prepare(`SELECT ${EVENT_DETAIL_SELECT} FROM event_log NOT INDEXED WHERE seq IN (SELECT value FROM json_each(?))`).all(JSON.stringify(seqs)),
      this.sources.sourceOf,
    );
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
  }

  /** The authorization attempts of [from, to), in no particular order. */
  paymentAttempts(from: number, to: number): PaymentAttempt[] {
    return this.sql
      .raw(
        `SELECT payment_id, time_ms, type = 'payment.authorized' FROM ${this.from('event_log_type_time')}
         WHERE type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND time_ms >= ? AND time_ms < ?`,
      )
      .all(from, to) as PaymentAttempt[];
  }

  /**
   * The authorization attempts in [from, to) of the payments `paymentIds`, through the payment index
   * (one probe per partition and payment, and one pass over its tail per batch of ids); a
   * schema before migration 260 scans the time range instead.
   */
  attemptsOfPayments(paymentIds: readonly string[], from: number, to: number): PaymentAttempt[] {
    const out: PaymentAttempt[] = [];
    if (paymentIds.length === 0 || !(to > from)) return out;
    const indexed = this.sql.hasTables('event_payment_index_state');
    const stmt = indexed
      ? this.sql.raw(
          `SELECT payment_id, time_ms, type = 'payment.authorized' FROM event_log NOT INDEXED WHERE seq IN (
             SELECT seq FROM event_payment_index WHERE part IN (${PAYMENT_INDEX_PARTS}) AND payment_id IN (SELECT value FROM json_each(?))
             UNION ALL SELECT seq FROM event_log WHERE seq > (SELECT through_seq FROM event_payment_index_state) AND payment_id IN (SELECT value FROM json_each(?)))
           AND type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND time_ms >= ? AND time_ms < ?`,
        )
      : this.sql.raw(
          `SELECT payment_id, time_ms, type = 'payment.authorized' FROM event_log INDEXED BY event_log_time
           WHERE time_ms >= ? AND time_ms < ? AND type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND payment_id IN (SELECT value FROM json_each(?))`,
        );
    for (let i = 0; i < paymentIds.length; i += PAYMENT_LOOKUP_BATCH) {
      const ids = JSON.stringify(paymentIds.slice(i, i + PAYMENT_LOOKUP_BATCH));
      const rows = (indexed ? stmt.all(ids, ids, from, to) : stmt.all(from, to, ids)) as PaymentAttempt[];
      for (const r of rows) out.push(r);
    }
    return out;
  }
}
