// Thread: the engine thread (the one writer of events, quarantine, rollups and counters).
import type { Database } from 'better-sqlite3';
import type { DecodeResult, NormalizedEvent, RawMessage } from '../../../shared/events/eventTypes';
import { DOUBLE_FIELD, PairIds, cellKey } from './cellKeys';
import { CodeCatalogue } from './codeCatalogue';
import { CounterRepository } from './counterRepository';
import { EventRepository, wholeEventText } from './eventRepository';
import { MinuteRollupRepository, type MinuteRollupBatch } from './minuteRollupRepository';
import { MerchantIndex } from './merchantIndex';
import { PaymentIdFilter } from './paymentIdFilter';
import { PaymentIdHashes } from './paymentIdHashes';
import { PaymentIndex } from './paymentIndex';
import { PaymentOutcomes } from './paymentOutcomes';
import { QuarantineRepository } from './quarantineRepository';
import { RollupRepository, type RollupCell } from './rollupRepository';
import { SegmentRollupRepository } from './segmentRollupRepository';
import { StatementCache } from './statementCache';

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
  /**
   * Of `quarantined`: events whose (source, id) was stored already with a different body (the
   * stored copy is kept; this one is quarantined, its reason naming source and id).
   */
  conflictingDuplicates: number;
  unknownTypes: number;
  /** What this batch changed in the per-payment counts (dim 'payment'; a count may be -1). */
  payments: RollupCell[];
}

/** The tables one ingest transaction writes. */
export interface IngestTables {
  events: EventRepository;
  quarantine: QuarantineRepository;
  rollups: RollupRepository;
  counters: CounterRepository;
  /** Per-minute segment rollups (migration 130); null for a schema that predates them. */
  segments?: SegmentRollupRepository | null;
  /** The dashboard's per-minute rollups (migration 170); null for a schema that predates them. */
  minuteRollups?: MinuteRollupRepository | null;
  /** Per-payment counts (migration 190); null for a schema that predates them. */
  payments?: null;
}

/**
 * Writes a batch of decoded messages in ONE transaction: events (idempotent on source+id),
 * quarantine rows and the per-second rollups of what was newly inserted. The caller
 * acknowledges the batch only after `commit` returns (ackAfterCommit).
 */
/** More writes of a batch, in its transaction (rollups of other modules, a stream offset). */
export type BatchExtension = (items: IncomingMessage[], out: BatchOutcome) => void;

export class EventWriter {
  private readonly tables: IngestTables;
  private readonly writeBatch: (items: IncomingMessage[], out: BatchOutcome) => void;
  private readonly extensions: BatchExtension[] = [];
  /** Runs inside each batch's transaction with the rollup cells it added (the metrics stream's outbox). */
  onWrite: ((cells: RollupCell[], out: BatchOutcome) => void) | null = null;
  private readonly segments: SegmentRollupRepository | null;
  /** The dashboard's per-minute rollups (migration 170), written in the same transaction. */
  private readonly minuteRollups: MinuteRollupRepository | null;
  /** Ids of the per-second cells' (dim, key), for their keys in a batch's sums. */
  private readonly cellIds = new PairIds();
  /** Which attempts start or approve a payment; warmed from the newest stored attempts on first use (undefined until then). */
  private payments: PaymentOutcomes | null | undefined;
  /**
   * The payment ids stored, so that an attempt of a payment the memory let go is looked up only
   * when it may be a retry of one (paymentIdFilter.ts). Built from the store when first needed
   * (undefined until then), and again after retentions have deleted about as many as it holds;
   * null without the payment index (migration 260) or per-payment counts.
   */
  private storedPaymentIds: PaymentIdFilter | null | undefined;
  /** The ids the filter was built with (from the store): past twice that, a retention's deletes may be most of it. */
  private storedPaymentIdsBuiltWith = 0;
  /** Sealed in the batch's transaction when its tail is due (paymentIndex.ts); null for a schema that predates it (migration 260). */
  private readonly paymentIndex: PaymentIndex | null;
  /** The same for the merchant index (migration 280). */
  private readonly merchantIndex: MerchantIndex | null;
  /** The filter's hashes kept on disk per partition (migration 382), written behind the payment index's seals; null without the index or per-payment counts. */
  private readonly paymentIdHashes: PaymentIdHashes | null;

  /**
   * `tables`: the store's own repositories; by default, repositories of `db` for this writer alone.
   * `paymentIndexSealRows`, `merchantIndexSealRows`, `identityIndexSealRows`: the tails that a batch seals (tests make them small).
   */
  constructor(
    db: Database,
    tables?: IngestTables,
    options: { paymentIndexSealRows?: number; merchantIndexSealRows?: number; identityIndexSealRows?: number } = {},
  ) {
    this.paymentIndex = PaymentIndex.existsIn(db) ? new PaymentIndex(db, options.paymentIndexSealRows) : null;
    this.merchantIndex = MerchantIndex.existsIn(db) ? new MerchantIndex(db, options.merchantIndexSealRows) : null;
    const rollupKeys = CodeCatalogue.rollupKeys(db);
    this.tables = tables ?? {
      events: new EventRepository(db, { identitySealRows: options.identityIndexSealRows }),
      quarantine: new QuarantineRepository(db),
      rollups: new RollupRepository(db, rollupKeys),
      counters: new CounterRepository(db),
    };
    this.segments = tables?.segments === null ? null : (tables?.segments ?? new SegmentRollupRepository(db));
    this.minuteRollups = tables?.minuteRollups === null ? null : (tables?.minuteRollups ?? new MinuteRollupRepository(db, rollupKeys));
    if (tables?.payments === null) this.payments = this.storedPaymentIds = null;
    this.paymentIdHashes = tables?.payments === null ? null : PaymentIdHashes.of(new StatementCache(db));
    // BEGIN IMMEDIATE: the batch reads (identities, counters) before it writes. A deferred
    // transaction that read while another connection held the write lock (the notification
    // log, a second payops) cannot write once that one commits: SQLITE_BUSY at once, without
    // the busy timeout's wait, and ingest paused. Taking the write lock first waits for it.
    this.writeBatch = db.transaction((items: IncomingMessage[], out: BatchOutcome) => this.writeItems(items, out)).immediate;
  }

  /** Also runs `extension` in every batch's transaction, after the events are written. */
  also(extension: BatchExtension): void {
    this.extensions.push(extension);
  }

  commit(items: IncomingMessage[]): BatchOutcome {
    const out: BatchOutcome = { inserted: [], duplicates: 0, redeliveredDuplicates: 0, quarantined: 0, conflictingDuplicates: 0, unknownTypes: 0, payments: [] };
    if (items.length === 0) return out;
    try {
      this.writeBatch(items, out);
    } catch (err) {
      // The transaction rolled back: what the payment tracker, the segment sums, the rollup
      // codes and the source codes learned from this batch is not in the database. They are
      // read again from what is (the batch's retry then counts its payments as new, and no
      // summed bucket lacks its minutes).
      if (this.payments !== null) this.payments = undefined;
      this.paymentIdHashes?.forget();
      this.segments?.forgetUncommitted();
      this.tables.events.forgetUncommitted();
      this.tables.rollups.forgetUncommitted();
      this.minuteRollups?.forgetUncommitted();
      throw err;
    }
    return out;
  }

  /** The payments under way are read back from the store before the next batch (the retention deleted some of their attempts). */
  rereadPayments(): void {
    if (this.payments !== null) this.payments = undefined;
    this.paymentIdHashes?.forget();
    // Ids deleted stay in the filter (lookups that find nothing): built again once they may be most of it.
    if (this.storedPaymentIds && this.storedPaymentIds.ids > 2 * this.storedPaymentIdsBuiltWith) this.storedPaymentIds = undefined;
  }

  /** The batch's per-second cells by key (emptied as each batch begins). */
  private readonly rollupCells = new Map<number | string, RollupCell>();
  /** The batch's changes to the per-payment counts, by key (emptied as each batch begins). */
  private readonly paymentCells = new Map<number | string, RollupCell>();
  /** The batch's minute rollups (null without migration 170). */
  private minutes: MinuteRollupBatch | null = null;

  // The two below are made once, not per batch: a closure made per batch was a new call target
  // where it is called (here and in PaymentOutcomes.observe), and each batch deoptimized those
  // functions once more (BENCHMARKS.md, twenty-fourth session).
  private readonly addCell = (sec: number, dim: string, key: string, amount: number): void => {
    const k = cellKey(sec, this.cellIds.id(dim, key));
    const cell = this.rollupCells.get(k);
    if (cell) {
      cell.count += 1;
      cell.amount += amount;
    } else {
      const created: RollupCell = { sec, dim, key, count: 1, amount: DOUBLE_FIELD };
      created.amount = amount;
      this.rollupCells.set(k, created);
    }
  };

  // Per minute only (and to live metrics and followers): per-second rows of PaySim's sparse
  // traffic cost ~50 bytes per stored event, and nothing reads payments by the second.
  private readonly addPayment = (sec: number, key: 'started' | 'approved', delta: number): void => {
    this.minutes?.addPayment(sec, key, delta);
    const k = cellKey(sec, key === 'started' ? 0 : 1);
    const cell = this.paymentCells.get(k);
    if (cell) cell.count += delta;
    else this.paymentCells.set(k, { sec, dim: 'payment', key, count: delta, amount: 0 });
  };

  private writeItems(items: IncomingMessage[], out: BatchOutcome): void {
    const { events, rollups: rollupTable, counters } = this.tables;
    const rollups = this.rollupCells;
    rollups.clear();
    const paymentCells = this.paymentCells;
    paymentCells.clear();
    const minutes = (this.minutes = this.minuteRollups?.batch() ?? null);
    if (this.payments === undefined) this.payments = this.tables.events.rememberRecentPayments(new PaymentOutcomes());
    const payments = this.payments;
    if (payments) {
      payments.beginBatch();
      this.recallForgottenPayments(items, payments);
    }
    const sources = new Set<string>();
    for (const item of items) this.writeItem(item, out, sources);
    payments?.endBatch();
    rollupTable.addAll(rollups.values());
    for (const c of paymentCells.values()) if (c.count !== 0) out.payments.push(c);
    events.noteSources(sources);
    this.segments?.addOutcomes(out.inserted); // issue 13: per-minute segment rollups, same transaction
    minutes?.flush();
    if (out.inserted.length) {
      const sealed = this.paymentIndex?.sealIfDue() ?? 0;
      this.paymentIdHashes?.writeDue(sealed > 0);
      this.merchantIndex?.sealIfDue();
      events.sealIdentitiesIfDue();
    }
    if (out.duplicates) counters.add('duplicates', out.duplicates);
    if (out.redeliveredDuplicates) counters.add('redelivered_duplicates', out.redeliveredDuplicates);
    if (out.quarantined) counters.add('quarantined', out.quarantined);
    if (out.conflictingDuplicates) counters.add('conflicting_duplicates', out.conflictingDuplicates);
    if (out.unknownTypes) counters.add('unknown_types', out.unknownTypes);
    for (const extend of this.extensions) extend(items, out);
    this.onWrite?.([...rollups.values(), ...out.payments], out);
  }

  /**
   * One message of a batch, in its transaction. A function of its own, not the body of
   * writeItems' loop: V8 compiled that loop on stack replacement in the first batch, before the
   * code after it had run, and compiled writeItems again when it reached it (BENCHMARKS.md,
   * twenty-fourth session).
   */
  private writeItem(item: IncomingMessage, out: BatchOutcome, sources: Set<string>): void {
    const { events, quarantine } = this.tables;
    const add = this.addCell;
    const addPayment = this.addPayment;
    const payments = this.payments;
    const raw = item.raw;
    if (!item.result.ok) {
      const body = Buffer.from(raw.body.buffer, raw.body.byteOffset, raw.body.byteLength);
      const routingKey = raw.routingKey ?? null;
      // Refused before, committed, but not acknowledged: a redelivered duplicate, as for events.
      if (item.redelivered && quarantine.holds(body, routingKey)) {
        out.duplicates += 1;
        out.redeliveredDuplicates += 1;
        return;
      }
      quarantine.insert({
        arrivalMs: raw.arrivalMs,
        reason: item.result.reason,
        routingKey,
        headers: raw.headers ? safeJson(raw.headers) : null,
        contentType: raw.contentType ?? null,
        body,
        origin: item.origin ?? null,
      });
      out.quarantined += 1;
      return;
    }
    const e = item.result.event;
    const timeMs = e.timeMs ?? raw.arrivalMs;
    const unpaired = unpairedSurrogateField(e);
    if (unpaired !== null) {
      this.quarantineDecoded(item, e, out, `${unpaired}: holds an unpaired UTF-16 surrogate (a "\\ud800"-style escape), which is not Unicode text and cannot be stored as it is`);
      return;
    }
    // A type names its rollup cells: one no follower accepts (shared/metricsStream.ts) would
    // make every follower refuse the whole batch's message. Known types always pass.
    if (e.category === 'unknown' && !ROLLUP_TYPE.test(e.type)) {
      this.quarantineDecoded(item, e, out, `type: ${e.type.length > 200 ? `longer than 200 characters (${e.type.length})` : 'holds a control character'}, which no rollup can name`);
      return;
    }
    if (e.declineCode !== null && e.declineCode.length > MAX_ROLLUP_KEY) {
      this.quarantineDecoded(item, e, out, `data.declineCode: longer than ${MAX_ROLLUP_KEY} characters (${e.declineCode.length}), which no rollup can name`);
      return;
    }
    const stored = events.insert(e, timeMs, raw.arrivalMs, raw.routingKey ?? null);
    if (stored === 'duplicate') {
      out.duplicates += 1;
      if (item.redelivered) out.redeliveredDuplicates += 1;
      return;
    }
    if (stored === 'conflict') {
      if (this.quarantineDecoded(item, e, out, conflictReason(e))) out.conflictingDuplicates += 1;
      return;
    }
    const ingested = e as IngestedEvent;
    ingested.arrivalMs = raw.arrivalMs;
    ingested.routingKey = raw.routingKey ?? null;
    if (e.timeMs === null) ingested.timeMs = timeMs;
    out.inserted.push(ingested);
    sources.add(e.source);
    this.minutes?.observe(e, timeMs);
    const sec = Math.floor(timeMs / 1000);
    add(sec, 'type', e.type, 0);
    if (e.category === 'unknown') out.unknownTypes += 1;
    else if (e.type === 'payment.authorized') {
      add(sec, 'authorized', e.currency ?? '', e.amount ?? 0);
      payments?.observe(e.paymentId, timeMs, true, addPayment, raw.arrivalMs);
      if (e.paymentId !== null) this.storedPaymentIds?.add(e.paymentId);
    } else if (e.type === 'payment.declined') {
      add(sec, 'decline', e.declineCode || 'unknown', 0); // empty: as absent (followers refuse an empty key)
      payments?.observe(e.paymentId, timeMs, false, addPayment, raw.arrivalMs);
      if (e.paymentId !== null) this.storedPaymentIds?.add(e.paymentId);
    }
    else if (e.type === 'payment.failed') {
      add(sec, 'failed', e.currency ?? '', e.amount ?? 0);
      // A payment whose attempts all failed (timeouts, processor errors) was not approved.
      payments?.observe(e.paymentId, timeMs, false, addPayment, raw.arrivalMs);
      if (e.paymentId !== null) this.storedPaymentIds?.add(e.paymentId);
    }
    // One decision per scoring: risk.flagged and risk.blocked repeat the decision of the
    // risk.scored before them (counting them too doubled the report's risk decisions).
    else if (e.type === 'risk.scored') add(sec, 'decision', e.decision ?? 'unknown', e.score ?? 0);
  }

  /**
   * Before a batch is observed, reads back from the store the payments its attempts may belong
   * to that the memory has forgotten, in one lookup for the batch: a retry hours later is the
   * same payment, not a second one. Asked for: a retry by its `attempt`, an attempt older than
   * the memory's reach (PaymentOutcomes.wantsStored), and, once the memory has let any payment
   * go, an attempt of a payment not held whose id the filter of stored ids may hold (a retry
   * that does not say so). The filter is asked before this batch's attempts are added to it (as
   * they are stored), so a payment begun within the batch is not looked up.
   */
  private recallForgottenPayments(items: readonly IncomingMessage[], payments: PaymentOutcomes): void {
    const wanted = new Set<string>();
    for (const item of items) {
      if (!item.result.ok) continue;
      const e = item.result.event;
      if (e.paymentId === null || !ATTEMPT_TYPES.has(e.type)) continue;
      if (payments.wantsStored(e.paymentId, e.timeMs ?? item.raw.arrivalMs, e.dimensions?.attempt ?? null)) wanted.add(e.paymentId);
      else if (payments.mayBeForgotten(e.paymentId) && this.storedIds()?.mayHold(e.paymentId)) wanted.add(e.paymentId);
    }
    if (wanted.size === 0) return;
    payments.recallStored(this.tables.events.storedPayments([...wanted]));
  }

  /** The filter of the payment ids stored, built from the store on first use (null: no payment index to build it from). */
  private storedIds(): PaymentIdFilter | null {
    if (this.storedPaymentIds !== undefined) return this.storedPaymentIds;
    if (this.paymentIdHashes === null) return (this.storedPaymentIds = null);
    const filter = new PaymentIdFilter();
    this.paymentIdHashes.fill(filter);
    this.storedPaymentIdsBuiltWith = filter.ids;
    return (this.storedPaymentIds = filter);
  }

  /**
   * Quarantines a decoded event (false: a redelivery of one already quarantined, counted as a
   * duplicate). Its body was let go once decoded (ingestPipeline.ts): the whole CloudEvent is
   * kept instead, the same text for every copy of it, so a redelivery is found by it.
   */
  private quarantineDecoded(item: IncomingMessage, e: NormalizedEvent, out: BatchOutcome, reason: string): boolean {
    const { raw } = item;
    const body = Buffer.from(wholeEventText(e));
    const routingKey = raw.routingKey ?? null;
    if (item.redelivered && this.tables.quarantine.holds(body, routingKey)) {
      out.duplicates += 1;
      out.redeliveredDuplicates += 1;
      return false;
    }
    const headers = raw.headers ? safeJson(raw.headers) : null;
    this.tables.quarantine.insert({ arrivalMs: raw.arrivalMs, reason, routingKey, headers, contentType: 'application/cloudevents+json', body, origin: item.origin ?? null });
    out.quarantined += 1;
    return true;
  }
}

/** The longest rollup key followers accept (shared/metricsStream.ts, rollupDeltaSchema). */
const MAX_ROLLUP_KEY = 200;

/**
 * An event type a rollup key can be: shared/metricsStream.ts's EVENT_TYPE, which followers check
 * (kept here too: that module loads zod, which the store does not; a test holds them equal).
 */
export const ROLLUP_TYPE = /^[^\u0000-\u001f\u007f]{1,200}$/;

/** An unpaired surrogate: `u` mode matches a pair as one code point, so only a lone half is of category Cs. */
const UNPAIRED_SURROGATE = /\p{Cs}/u;

/**
 * The first field of `e` that the database would not give back as it is (SQLite holds text as
 * UTF-8, where an unpaired surrogate becomes U+FFFD: a source then no longer matched its stored
 * copy, and a redelivery was stored again; a payment id was changed), or null. An id is checked
 * too (CloudEvents forbids surrogate code points in any String attribute). The stored text is safe (JSON.stringify
 * escapes a lone surrogate); these are the strings stored as columns or rollup keys.
 */
function unpairedSurrogateField(e: NormalizedEvent): string | null {
  const d = e.dimensions;
  // Any surrogate (a pair too) is rare: hasSurrogate first (cheaper than the `u` expression's
  // test), the exact test field by field only then. A known type is one of a few literals.
  if (
    !hasSurrogate(e.source) && !hasSurrogate(e.id) && (e.category !== 'unknown' || !hasSurrogate(e.type)) && !hasSurrogate(e.paymentId) &&
    !hasSurrogate(e.merchantId) && !hasSurrogate(e.declineCode) && !hasSurrogate(e.method) && (d === undefined || (!hasSurrogate(d.issuer) && !hasSurrogate(d.acquirer)))
  ) return null;
  const fields: [string, string | null | undefined][] = [
    ['source', e.source], ['id', e.id], ['type', e.type], ['data.paymentId', e.paymentId], ['data.merchantId', e.merchantId],
    ['data.declineCode', e.declineCode], ['data.method', e.method], ['data.issuer', d?.issuer], ['data.acquirer', d?.acquirer],
  ];
  for (const [name, v] of fields) if (typeof v === 'string' && UNPAIRED_SURROGATE.test(v)) return name;
  return null;
}

/** Any surrogate code unit, paired or not (no `u` flag: a pair is two code units here). */
const SURROGATE = /[\ud800-\udfff]/;

function hasSurrogate(v: string | null | undefined): boolean {
  // Not a loop over code units: V8 tests this expression on text it holds one byte a character
  // (all of it below U+0100, as PaySim's ids are) without reading it (BENCHMARKS.md, twenty-seventh session).
  return v !== null && v !== undefined && SURROGATE.test(v);
}

/** Names of sources and ids in a reason are cut to this many characters (an id may be any length). */
const REASON_NAME_CHARS = 200;

/** Why a copy of a stored (source, id) with another body is quarantined (a dry run says it too). */
export function conflictReason(e: Pick<NormalizedEvent, 'source' | 'id'>): string {
  const name = (s: string) => JSON.stringify(s.length > REASON_NAME_CHARS ? `${s.slice(0, REASON_NAME_CHARS)}…` : s);
  return `conflicting duplicate: source ${name(e.source)} id ${name(e.id)} is already stored with a different body (the stored copy is kept; this copy is quarantined)`;
}

function safeJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer') return v;
    return v;
  });
}

const ATTEMPT_TYPES = new Set(['payment.authorized', 'payment.declined', 'payment.failed']);
