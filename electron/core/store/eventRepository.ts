// Thread: `insert` on the engine thread (in the ingest transaction); reads on either thread.
import type { Database, RunResult, Statement } from 'better-sqlite3';
import { paymentDimensionsOf, type NormalizedEvent, type PaymentDimensions } from '../../../shared/events/eventTypes';
import type { EventDetail, EventRow } from '../../../shared/explorer';
import { restoreEnvelope, storedSource, storedSubject, withSourceCode, withSourceText, type EnvelopeColumns, type JsonObject, type SourceOfCode } from '../../../shared/events/storedEnvelope';
import { CodeCatalogue } from './codeCatalogue';
import { pickColumns, selectList, type Columns } from './columns';
import { eventIdentity } from './eventIdentity';
import { IdentityTail, identitySeqs } from './identityIndex';
import { AUTHORIZATION_ATTEMPTS_SQL, EVENT_CATEGORY_SQL, ROUTING_KEY_SQL } from './eventTypeSql';
import { PAYMENT_INDEX_PARTS, paymentSeqs } from './paymentIndex';
import { PAYMENT_CLOCK_AHEAD_MS, PAYMENT_HORIZON_MS, PAYMENT_MEMORY, type PaymentOutcomes } from './paymentOutcomes';
import { SourceNames } from './sourceNames';
import { StatementCache } from './statementCache';
import { StoredLiveWindows } from './storedLiveWindows';

/** The EventRow fields kept only in the CloudEvent text (migration 120), read by `toEventRows`. */
type EnvelopeField = 'source' | 'id' | 'subject' | 'method' | 'latencyMs' | PaymentDimensionField;
type PaymentDimensionField = keyof PaymentDimensions;

/** The column of each stored EventRow field in event_log (migration 120). */
export const EVENT_COLUMNS = {
  seq: 'seq',
  timeMs: 'time_ms',
  arrivalMs: 'arrival_ms',
  type: 'type',
  category: EVENT_CATEGORY_SQL,
  paymentId: 'payment_id',
  merchantId: 'merchant_id',
  amount: 'amount',
  currency: 'currency',
  country: 'country',
  cardBin: 'card_bin',
  declineCode: 'decline_code',
  score: 'score',
  decision: 'decision',
  routingKey: ROUTING_KEY_SQL,
} as const satisfies Columns<Omit<EventRow, EnvelopeField>>;

/** A row as selected by EVENT_ROW_SELECT: the stored fields and the CloudEvent text. */
export type StoredEventRow = Omit<EventRow, EnvelopeField> & { envelope: string };

/**
 * Selects rows for `toEventRows`. The envelope fields are read by one JSON.parse per row in
 * JavaScript: SQLite re-parses the text for every `->>`, five of which cost several times more.
 */
export const EVENT_ROW_SELECT = `${selectList(EVENT_COLUMNS)}, json AS envelope`;
/** Selects rows for `toEventDetails` (the row; its whole CloudEvent text is restored from it). */
export const EVENT_DETAIL_SELECT = EVENT_ROW_SELECT;

type StoredEnvelope = JsonObject & {
  /** Absent when the text holds its code (migration 250). */
  source?: string;
  id: string;
  subject?: string;
  data?: { method?: string; latencyMs?: number } & { [K in PaymentDimensionField]?: EventRow[K] };
};

/**
 * Rows of EVENT_ROW_SELECT as EventRows (in place: the row objects are reused); `sourceOf`
 * names coded sources (the reading repository's SourceNames).
 */
export function toEventRows(rows: unknown[], sourceOf: SourceOfCode): EventRow[] {
  for (const r of rows as (StoredEventRow & Partial<EventRow>)[]) toEventRow(r, JSON.parse(r.envelope) as StoredEnvelope, sourceOf);
  return rows as EventRow[];
}

function toEventRow(r: StoredEventRow & Partial<EventRow>, ce: StoredEnvelope, sourceOf: SourceOfCode): void {
  r.source = storedSource(ce, sourceOf) as string;
  r.id = ce.id;
  r.subject = storedSubject(ce, r.paymentId);
  const payment = r.category === 'payment';
  const data = payment ? ce.data : undefined;
  r.method = data?.method ?? null;
  r.latencyMs = data?.latencyMs ?? null;
  r.issuer = data?.issuer ?? null;
  r.scheme = data?.scheme ?? null;
  r.acquirer = data?.acquirer ?? null;
  r.mcc = data?.mcc ?? null;
  r.threeDS = data?.threeDS ?? null;
  r.attempt = data?.attempt ?? null;
  delete (r as Partial<StoredEventRow>).envelope;
}

/** A stored event's row and its whole CloudEvent, restored as an object (not yet text). */
export type RestoredEvent = EventRow & { event: JsonObject };

/** Rows of EVENT_DETAIL_SELECT as EventRows with their whole CloudEvents (for callers that read its fields, as the CSV export). */
export function toRestoredEvents(rows: unknown[], sourceOf: SourceOfCode): RestoredEvent[] {
  for (const r of rows as (StoredEventRow & Partial<RestoredEvent>)[]) {
    const ce = JSON.parse(r.envelope) as StoredEnvelope;
    toEventRow(r, ce, sourceOf);
    r.event = restoreEnvelope(ce, r as EventRow, sourceOf);
  }
  return rows as RestoredEvent[];
}

/** Rows of EVENT_DETAIL_SELECT as EventDetails, each with its whole CloudEvent text. */
export function toEventDetails(rows: unknown[], sourceOf: SourceOfCode): EventDetail[] {
  for (const r of toRestoredEvents(rows, sourceOf) as (EventRow & { event?: JsonObject; json?: string })[]) {
    r.json = JSON.stringify(r.event);
    delete r.event;
  }
  return rows as EventDetail[];
}

/**
 * A stored text (compactEnvelope's, whose source is left for the writer to give) with its
 * source's code given, or, in a database before migration 250, its source put back. Ingest and
 * `payops compact` store texts through it.
 */
export function withStoredSource(text: string, source: string, sources: CodeCatalogue): string {
  return sources.isCoded() ? withSourceCode(text, sources.codeOf(source)) : withSourceText(text, source);
}

/** A routing key equal to the event's type is stored as the integer 0 (no bytes in the record). */
const ROUTING_KEY_IS_TYPE = BigInt(0);

/** What alert evaluation reads of an event (priming, backtests). */
export type EventForAlerts = Pick<EventRow, 'type' | 'timeMs' | 'arrivalMs' | 'merchantId' | 'country' | 'score' | 'cardBin' | 'method'> & {
  /** The segment dimensions rules may group by (issuer, scheme, acquirer, ...); payment events only. */
  dimensions?: PaymentDimensions;
};
const ALERT_SELECT = `${selectList(pickColumns(EVENT_COLUMNS, ['type', 'timeMs', 'arrivalMs', 'merchantId', 'country', 'score', 'cardBin', 'category']))}, json AS envelope`;

/**
 * A row of ALERT_SELECT as alert evaluation reads it live (in place). The method and the
 * dimensions are in the stored text only: without them a backtest or a restart's priming saw
 * no issuer, scheme or acquirer, and rules grouped by them never fired there.
 */
function toAlertInput(r: EventForAlerts & { category?: string; envelope?: string }): EventForAlerts {
  const data = r.category === 'payment' ? (JSON.parse(r.envelope!) as StoredEnvelope).data : undefined;
  r.method = data?.method ?? null;
  if (data) r.dimensions = paymentDimensionsOf(data);
  delete r.category;
  delete r.envelope;
  return r;
}

function* alertInputs(rows: IterableIterator<EventForAlerts>): IterableIterator<EventForAlerts> {
  for (const r of rows) yield toAlertInput(r);
}

/** A stored event as the live windows count it (LiveMetrics.observe's fields). */
export type LiveWindowEvent = Pick<EventRow, 'timeMs' | 'arrivalMs' | 'type' | 'category' | 'paymentId' | 'amount' | 'currency' | 'score'>;
const LIVE_WINDOW_SELECT = selectList(pickColumns(EVENT_COLUMNS, ['timeMs', 'arrivalMs', 'type', 'category', 'paymentId', 'amount', 'currency', 'score']));

const INSERT_EVENT = `INSERT INTO event_log (ident, time_ms, arrival_ms, type, merchant_id, payment_id, amount, currency, country,
    card_bin, decline_code, score, decision, routing_key, json)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The same into a database of a schema before migration 270, whose UNIQUE index refuses a taken identity. */
const INSERT_EVENT_UNIQUE = `${INSERT_EVENT} ON CONFLICT (ident) DO NOTHING`;

/** What `EventRepository.insert` did with an event (see there). */
export type InsertResult = 'stored' | 'duplicate' | 'conflict';

/** A stored event as a repeat of its identity is compared with it: its columns and its text. */
type HolderRow = EnvelopeColumns & { json: string };
const HOLDER_SELECT = `SELECT ${selectList(
  pickColumns(EVENT_COLUMNS, ['type', 'timeMs', 'paymentId', 'merchantId', 'amount', 'currency', 'country', 'cardBin', 'declineCode', 'score', 'decision']),
)}, json FROM event_log`;

/** The columns an event's text leaves out (storedEnvelope.ts) are the same; a time the event did not carry (placed by arrival) is not compared. */
function sameColumns(e: NormalizedEvent, h: EnvelopeColumns): boolean {
  return (
    e.type === h.type && (e.timeMs === null || e.timeMs === h.timeMs) && e.paymentId === h.paymentId && e.merchantId === h.merchantId &&
    e.amount === h.amount && e.currency === h.currency && e.country === h.country && e.cardBin === h.cardBin &&
    e.declineCode === h.declineCode && e.score === h.score && e.decision === h.decision
  );
}

/** Two parsed JSON values are equal (object keys in any order). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ob = b as JsonObject;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(ob, k) && sameJson((a as JsonObject)[k], ob[k]));
}

/**
 * `ce` as compared with another copy of it: its `time` as the instant it names (its row's
 * time, parsed at ingest), since "+01:00", a lower-case "t" or fewer fraction digits are another
 * spelling of the same time, not another body; an event without `time` is left as it is (its
 * row's time is its arrival).
 */
function comparable(ce: JsonObject, timeMs: number | null): JsonObject {
  // JSON format: an attribute whose value is null is absent (the decoder reads it so); the
  // conformance cases send the same event with and without null optional attributes.
  for (const key of Object.keys(ce)) if (ce[key] === null) delete ce[key];
  if (typeof ce.time === 'string' && timeMs !== null) ce.time = timeMs;
  // CloudEvents JSON format: no datacontenttype reads as application/json (what a binary-mode
  // copy of the same event states in its content type).
  if (ce.datacontenttype === 'application/json') delete ce.datacontenttype;
  return ce;
}

/** A decoded event's whole CloudEvent (its text and columns put back together), parsed. */
function wholeEnvelope(e: NormalizedEvent): JsonObject {
  return restoreEnvelope(JSON.parse(e.json) as JsonObject, e, () => e.source);
}

/** A decoded event's whole CloudEvent as structured JSON text: what the writer quarantines of a conflicting copy. */
export function wholeEventText(e: NormalizedEvent): string {
  return JSON.stringify(wholeEnvelope(e));
}

/** An event on its way into event_log. */
interface PendingRow {
  e: NormalizedEvent;
  /** Its stored text (the source coded). */
  json: string;
  timeMs: number;
  arrivalMs: number;
  routingKey: string | null;
}

/** Payment ids per statement of storedPayments (a JSON array bound once). */
const PAYMENT_LOOKUP_BATCH = 500;

/** Stored events read at most to warm the payment tracker. */
const RECENT_PAYMENT_ROWS = PAYMENT_MEMORY;
/** The stored rows whose newest arrival bounds the warm-up's clock (a few batches: bounded cost). */
const ARRIVAL_TAIL_ROWS = 10_000;

export class EventRepository {
  private readonly sql: StatementCache;
  /** The ingest hot path: kept at hand rather than looked up per row. */
  private insertStatement: Statement | null = null;
  /** The identities stored, as the writer checks them (migration 270); null before that schema, where a UNIQUE index does. */
  private identities: IdentityTail | null | undefined;
  private readonly sourceCodes: CodeCatalogue;
  /** Names the sources that stored texts hold as codes (for this repository's readers and for callers that read rows themselves). */
  readonly sourceNames: SourceNames;
  /** The counts a replay sought back fills its live windows with (engine/replayRefill.ts). */
  readonly liveWindows: StoredLiveWindows;

  /** `identitySealRows`: the identity index's tail that a batch seals (tests make it small). */
  constructor(
    db: Database,
    private readonly options: { identitySealRows?: number } = {},
  ) {
    this.sql = new StatementCache(db);
    this.liveWindows = new StoredLiveWindows(this.sql);
    this.sourceCodes = CodeCatalogue.sourceCodes(db);
    this.sourceNames = new SourceNames(db);
  }

  /**
   * The batch's transaction rolled back: source codes it created are gone, and the next new
   * source may be given the same number (its rows would read as the wrong source).
   */
  forgetUncommitted(): void {
    this.identities?.forget();
    this.sourceCodes.forgetUncommitted();
    this.sourceNames.forgetUncommitted();
  }

  /**
   * Teaches `payments` the attempts (authorized, declined, failed) among the newest stored events (a restart or a new
   * writer keeps grouping the retries of payments already under way): those of the tracker's
   * horizon before the newest event time, at most RECENT_PAYMENT_ROWS events read, through the
   * time index. A bounded cost: ~0.1 s on a 10 M-event database of 7 days.
   */
  rememberRecentPayments(payments: PaymentOutcomes, rows = RECENT_PAYMENT_ROWS): PaymentOutcomes {
    const newestTime = this.newestTime();
    if (newestTime === null) return payments;
    // As the tracker's own clock: an event stamped far past its arrival (a wrong clock) does
    // not set it, or the hour read would hold nothing of the payments under way. The newest
    // arrival among the last rows stored, not the last row's: rows stored out of time order (a
    // replayed capture, arrival = event time) put the clock minutes back, and the hour read
    // missed the payments under way (each retry then counted as a payment of its own).
    const arrival = this.sql.pluck('SELECT MAX(arrival_ms) FROM (SELECT arrival_ms FROM event_log ORDER BY seq DESC LIMIT ?)').get(Math.min(rows, ARRIVAL_TAIL_ROWS)) as number | null;
    const newest = Math.min(newestTime, (arrival ?? newestTime) + PAYMENT_CLOCK_AHEAD_MS);
    const recent = this.sql
      .prepare(
        `SELECT paymentId, timeMs, approved FROM (
           SELECT payment_id AS paymentId, time_ms AS timeMs, type = 'payment.authorized' AS approved, type
           FROM event_log INDEXED BY event_log_time WHERE time_ms >= ? AND time_ms <= ? ORDER BY time_ms DESC LIMIT ?)
         WHERE type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND paymentId IS NOT NULL`,
      )
      .all(newest - PAYMENT_HORIZON_MS, newest, rows) as { paymentId: string; timeMs: number; approved: number }[];
    for (let i = recent.length - 1; i >= 0; i--) payments.remember(recent[i].paymentId, recent[i].timeMs, recent[i].approved === 1);
    // The attempts before those read are not in memory: an attempt of their time is looked up.
    const oldestRead = recent.length === rows ? recent[recent.length - 1].timeMs : newest - PAYMENT_HORIZON_MS;
    payments.forgottenBefore(oldestRead);
    return payments;
  }

  /**
   * The payments of `paymentIds` as their stored attempts (authorized, declined, failed) make
   * them, whatever their times: [paymentId, earliest attempt's time, 1 when one was authorized].
   * Through the payment index, one statement per PAYMENT_LOOKUP_BATCH ids (the index's tail is
   * scanned once per statement, not per id). `throughMs`: only the attempts of event time up to
   * it (a replay sought back reads the payments as they stood at its clock).
   */
  storedPayments(paymentIds: readonly string[], throughMs = Number.MAX_SAFE_INTEGER): [paymentId: string, startMs: number, approved: number][] {
    const out: [string, number, number][] = [];
    if (paymentIds.length === 0) return out;
    const indexed = this.sql.hasTables('event_payment_index_state');
    const seqs = indexed
      ? `SELECT seq FROM event_payment_index WHERE part IN (${PAYMENT_INDEX_PARTS}) AND payment_id IN (SELECT value FROM json_each(?))
         UNION ALL SELECT seq FROM event_log WHERE seq > (SELECT through_seq FROM event_payment_index_state) AND payment_id IN (SELECT value FROM json_each(?))`
      : 'SELECT seq FROM event_log WHERE payment_id IN (SELECT value FROM json_each(?))';
    const stmt = this.sql.raw(
      `SELECT payment_id, MIN(time_ms), MAX(type = 'payment.authorized') FROM event_log NOT INDEXED
       WHERE seq IN (${seqs}) AND type IN ${AUTHORIZATION_ATTEMPTS_SQL} AND time_ms <= ? GROUP BY payment_id`,
    );
    for (let i = 0; i < paymentIds.length; i += PAYMENT_LOOKUP_BATCH) {
      const ids = JSON.stringify(paymentIds.slice(i, i + PAYMENT_LOOKUP_BATCH));
      for (const r of (indexed ? stmt.all(ids, ids, throughMs) : stmt.all(ids, throughMs)) as [string, number, number][]) out.push(r);
    }
    return out;
  }

  /**
   * Stores one event once per (source, id) (the ingest transaction's write): 'stored', or, when
   * that identity is stored already, 'duplicate' (the same event again) or 'conflict' (another
   * body under the same identity: the stored copy is kept, the caller reports this one). The
   * identity hash is looked up first (identityIndex.ts); when it is taken, the stored event's
   * own (source, id) says whether this is a repeat or a hash collision. Bodies are compared on
   * that taken-identity path only: an event never seen before costs nothing more.
   */
  insert(e: NormalizedEvent, timeMs: number, arrivalMs: number, routingKey: string | null): InsertResult {
    const ident = eventIdentity(e.source, e.id);
    const row: PendingRow = { e, json: withStoredSource(e.json, e.source, this.sourceCodes), timeMs, arrivalMs, routingKey };
    const identities = this.identityTail();
    if (identities === null) {
      if (this.store(this.sql.prepare(INSERT_EVENT_UNIQUE), ident, row).changes > 0) return 'stored';
      return this.insertColliding(row, this.sql.prepare(`${HOLDER_SELECT} WHERE ident = ?`).get(ident) as HolderRow);
    }
    for (;;) {
      const holder = identities.holderOf(ident);
      if (holder !== undefined) {
        const holderRow = this.sql.prepare(`${HOLDER_SELECT} WHERE seq = ?`).get(holder) as HolderRow | undefined;
        if (holderRow !== undefined) return this.insertColliding(row, holderRow);
        identities.dropHolder(ident, holder); // deleted (retention) since the tail was read
        continue;
      }
      const seq = Number(this.store((this.insertStatement ??= this.sql.prepare(INSERT_EVENT)), ident, row).lastInsertRowid);
      if (identities.added(ident, seq)) return 'stored';
      // Rows this writer did not see came or went since it last looked: its check may have
      // missed the identity. Undone, and checked again against the database.
      this.sql.prepare('DELETE FROM event_log WHERE seq = ?').run(seq);
    }
  }

  private store(statement: Statement, ident: number | null, { e, json, timeMs, arrivalMs, routingKey }: PendingRow): RunResult {
    return statement.run(
      ident, timeMs, arrivalMs, e.type, e.merchantId, e.paymentId, e.amount, e.currency, e.country, e.cardBin, e.declineCode,
      e.score, e.decision, routingKey === e.type ? ROUTING_KEY_IS_TYPE : routingKey, json,
    );
  }

  /**
   * The identity hash is held by the stored event `holder`: `row` is a repeat when that event,
   * or an overflow row, is the same (source, id) (a duplicate or a conflict, as their bodies
   * say); otherwise it is stored without the hash and listed in the overflow.
   */
  private insertColliding(row: PendingRow, holder: HolderRow): InsertResult {
    const { e } = row;
    const holderCe = JSON.parse(holder.json) as JsonObject;
    if (holderCe.id === e.id && storedSource(holderCe, this.sourceNames.sourceOf) === e.source) return this.sameEvent(row, holder, holderCe) ? 'duplicate' : 'conflict';
    const overflow = this.sql.prepare(`${HOLDER_SELECT} WHERE seq = (SELECT seq FROM event_identity_overflow WHERE source = ? AND id = ?)`).get(e.source, e.id) as HolderRow | undefined;
    if (overflow !== undefined) return this.sameEvent(row, overflow, JSON.parse(overflow.json) as JsonObject) ? 'duplicate' : 'conflict';
    if (this.sql.pluck('SELECT 1 FROM event_identity_overflow WHERE source = ? AND id = ?').get(e.source, e.id) !== undefined) return 'duplicate';
    const seq = Number(this.store(this.sql.prepare(INSERT_EVENT), null, row).lastInsertRowid);
    this.identities?.added(null, seq);
    this.sql.prepare('INSERT INTO event_identity_overflow (source, id, seq) VALUES (?, ?, ?)').run(e.source, e.id, seq);
    return 'stored';
  }

  /**
   * Whether `row` is the stored event `holder` again (its body may differ in key order, spacing
   * and the spelling of numbers, as another serializer writes it; arrival and routing key are
   * the transport's). Equal texts and columns answer at once (a redelivery); otherwise both
   * whole CloudEvents are restored and compared as values.
   */
  private sameEvent(row: PendingRow, holder: HolderRow, holderCe: JsonObject): boolean {
    const { e } = row;
    if (holder.json === row.json && sameColumns(e, holder)) return true;
    return sameJson(comparable(restoreEnvelope(holderCe, holder, this.sourceNames.sourceOf), holder.timeMs), comparable(wholeEnvelope(e), e.timeMs));
  }

  /** In the ingest transaction: moves the identity index's tail into it when due (identityIndex.ts); 0 when not due or before migration 270. */
  sealIdentitiesIfDue(): number {
    return this.identityTail()?.sealIfDue() ?? 0;
  }

  private identityTail(): IdentityTail | null {
    return (this.identities ??= IdentityTail.existsIn(this.sql.db) ? new IdentityTail(this.sql.db, this.options.identitySealRows) : null);
  }

  /** Lists sources seen (the explorer's event id search hashes each with the id asked for). */
  noteSources(sources: Iterable<string>): void {
    if (this.sourceCodes.isCoded()) return; // coding a source listed it
    const add = this.sql.prepare('INSERT OR IGNORE INTO event_sources (source) VALUES (?)');
    for (const s of sources) add.run(s);
  }

  /**
   * What `insert` would answer for `e`, without writing: 'absent' (it would store it), or
   * 'duplicate' / 'conflict' as the stored copy's body says. A dead-letter dry run asks it of
   * the console's database, which it must not touch.
   */
  heldAs(e: NormalizedEvent): 'absent' | InsertResult & ('duplicate' | 'conflict') {
    const [seq] = this.seqsOfId([e.source], e.id);
    if (seq === undefined) return 'absent';
    const holder = this.sql.prepare(`${HOLDER_SELECT} WHERE seq = ?`).get(seq) as HolderRow;
    // The event's own text (its source not coded: coding may write); the comparison then goes by value.
    const row: PendingRow = { e, json: e.json, timeMs: e.timeMs ?? 0, arrivalMs: 0, routingKey: null };
    return this.sameEvent(row, holder, JSON.parse(holder.json) as JsonObject) ? 'duplicate' : 'conflict';
  }

  /** The sequence numbers of the events with this id from any of `sources` (identity hash, then overflow). */
  seqsOfId(sources: string[], id: string): number[] {
    const out: number[] = [];
    if (sources.length > 0) {
      const seqs = identitySeqs(this.sql, sources.map((source) => eventIdentity(source, id)));
      for (const row of this.sql.prepare(`SELECT seq, json FROM event_log NOT INDEXED WHERE seq IN (${seqs.sql})`).all(...seqs.args) as { seq: number; json: string }[]) {
        const ce = JSON.parse(row.json) as JsonObject;
        if (ce.id === id && sources.includes(storedSource(ce, this.sourceNames.sourceOf) as string)) out.push(row.seq);
      }
    }
    for (const seq of this.sql.pluck('SELECT seq FROM event_identity_overflow WHERE id = ?').all(id) as number[]) out.push(seq);
    return out;
  }

  get(seq: number): EventDetail | null {
    const row = this.sql.prepare(`SELECT ${EVENT_DETAIL_SELECT} FROM event_log WHERE seq = ?`).get(seq);
    return row === undefined ? null : toEventDetails([row], this.sourceNames.sourceOf)[0];
  }

  /** The events of one payment in event-time order, at most `limit` (the payment index and its tail). */
  ofPayment(paymentId: string, limit: number): EventRow[] {
    const seqs = paymentSeqs(this.sql, paymentId);
    const rows = this.sql.prepare(`SELECT ${EVENT_ROW_SELECT} FROM event_log NOT INDEXED WHERE seq IN (${seqs.sql}) ORDER BY time_ms, seq LIMIT ?`).all(...seqs.args, limit);
    return toEventRows(rows, this.sourceNames.sourceOf);
  }

  /** First and last event time stored, or null when there are no events. */
  timeRange(): { first: number; last: number } | null {
    const row = this.sql.prepare('SELECT MIN(time_ms) AS first, MAX(time_ms) AS last FROM event_log').get() as { first: number | null; last: number | null };
    return row.first === null || row.last === null ? null : { first: row.first, last: row.last };
  }

  /** About how many events are stored, read from the ends of the seq range (exact until something is deleted). */
  approximateCount(): number {
    return this.sql.pluck('SELECT COALESCE(MAX(seq) - MIN(seq) + 1, 0) FROM event_log').get() as number;
  }

  /** The newest event time stored, or null. */
  newestTime(): number | null {
    return (this.sql.prepare('SELECT MAX(time_ms) AS t FROM event_log').get() as { t: number | null }).t;
  }

  /** The seq of the event stored last (0 when none): what an export reads up to, so rows stored after it began stay out. */
  newestSeq(): number {
    return this.sql.pluck('SELECT COALESCE(MAX(seq), 0) FROM event_log').get() as number;
  }

  /** When the last stored event arrived (the row stored last), or null: what "Last event" shows beside the stored count. */
  newestArrival(): number | null {
    const row = this.sql.prepare('SELECT arrival_ms AS a FROM event_log ORDER BY seq DESC LIMIT 1').get() as { a: number } | undefined;
    return row?.a ?? null;
  }

  /** Whether at least one event is stored (one index step, whatever the size). */
  hasAny(): boolean {
    return (this.sql.prepare('SELECT COUNT(*) AS n FROM (SELECT 1 FROM event_log LIMIT 1)').get() as { n: number }).n > 0;
  }

  /** The time of the n-th newest event in [from, until] (n from 1), or null when there are fewer. */
  nthNewestTime(from: number, until: number, n: number): number | null {
    const row = this.sql
      .prepare('SELECT time_ms FROM event_log WHERE time_ms >= ? AND time_ms <= ? ORDER BY time_ms DESC LIMIT 1 OFFSET ?')
      .get(from, until, n - 1) as { time_ms: number } | undefined;
    return row ? row.time_ms : null;
  }

  /**
   * Every event of (after, until] in (time, seq) order with what the live windows count, read as
   * it is iterated: a replay sought back refills its windows from it (engine/replayRefill.ts).
   */
  forLiveWindows(after: number, until: number): IterableIterator<LiveWindowEvent> {
    return this.sql
      .prepare(`SELECT ${LIVE_WINDOW_SELECT} FROM event_log INDEXED BY event_log_time WHERE time_ms > ? AND time_ms <= ? ORDER BY time_ms, seq`)
      .iterate(after, until) as IterableIterator<LiveWindowEvent>;
  }

  /** The newest event of [from, until) (time and arrival), or null: the last event stored before a replay's clock. */
  newestIn(from: number, until: number): { timeMs: number; arrivalMs: number } | null {
    const row = this.sql
      .prepare('SELECT time_ms AS timeMs, arrival_ms AS arrivalMs FROM event_log INDEXED BY event_log_time WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms DESC LIMIT 1')
      .get(from, until) as { timeMs: number; arrivalMs: number } | undefined;
    return row ?? null;
  }

  /** Every event of [from, until] in (time, seq) order, read as it is iterated (alert priming). */
  forAlertsThrough(from: number, until: number): IterableIterator<EventForAlerts> {
    return alertInputs(
      this.sql
        .prepare(`SELECT ${ALERT_SELECT} FROM event_log WHERE time_ms >= ? AND time_ms <= ? ORDER BY time_ms, seq`)
        .iterate(from, until) as IterableIterator<EventForAlerts>,
    );
  }

  /**
   * A keyset page of [after.timeMs, to) in (time, seq) order, strictly after `after`
   * (backtests: each page is one complete statement, so nothing stays open between pages).
   */
  forAlertsPage(after: { timeMs: number; seq: number }, to: number, limit: number): (EventForAlerts & { seq: number })[] {
    return this.sql
      .prepare(
        `SELECT seq, ${ALERT_SELECT} FROM event_log
         WHERE time_ms >= @t AND time_ms < @to AND (time_ms > @t OR seq > @seq)
         ORDER BY time_ms, seq LIMIT @n`,
      )
      .all({ t: after.timeMs, seq: after.seq, to, n: limit })
      .map((r) => toAlertInput(r as EventForAlerts)) as (EventForAlerts & { seq: number })[];
  }
}
