// Thread: the engine thread (migration 360; then in the ingest transaction, behind ingest).
// Payments of segment cells stored before migration 350 counted them (NULL there). A cell's
// payments are its attempts less its retries (attempt 2 or later). Two passes:
//  - from the rollups alone (migration 360): a minute whose `attempt` cells hold no retry has
//    payments = attempts in every cell, and the total and `attempt` cells of every minute follow
//    from those cells; no event is read, so it holds where retention took the events;
//  - from the stored events, for the minutes holding retries, in steps of about
//    STEP_EVENTS events in the ingest transaction (as the payment index is filled behind
//    ingest): a cell is filled only when the events say exactly which of them it counted. A
//    minute whose events retention took (some or all) keeps NULL, and so does a value in the
//    minute its name was given or taken (its attempts split between its own cell and
//    '(other)'), with that dimension's '(other)'.
// Readers meanwhile judge the cells still NULL per attempt, as before.
import type { Database } from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import { NONE_VALUE, OTHER_VALUE, SEGMENT_DIMENSIONS } from '../../../shared/segments';
import { BUCKET_MIN, MINUTE_MS, TOTAL, rawSegmentValue } from './segmentValue';
import { floorDivSql } from './stepStart';

interface Tally {
  attempts: number;
  retries: number;
}

interface StoredOutcome {
  time_ms: number;
  merchant_id: string | null;
  currency: string | null;
  country: string | null;
  card_bin: string | null;
  json: string;
}

type Envelope = { data?: { method?: string; issuer?: string; scheme?: string; acquirer?: string; mcc?: string; threeDS?: string; attempt?: number } };

/** A stored outcome as the writer saw it, with what rawSegmentValue reads. */
function asEvent(r: StoredOutcome): NormalizedEvent & { retry: boolean } {
  const d = (JSON.parse(r.json) as Envelope).data ?? {};
  const dimensions = { issuer: d.issuer ?? null, scheme: d.scheme ?? null, acquirer: d.acquirer ?? null, mcc: d.mcc ?? null, threeDS: d.threeDS ?? null, attempt: d.attempt ?? null } as NonNullable<NormalizedEvent['dimensions']>;
  return { merchantId: r.merchant_id, currency: r.currency, country: r.country, cardBin: r.card_bin, method: d.method ?? null, dimensions, retry: d.attempt != null && d.attempt > 1 } as NormalizedEvent & { retry: boolean };
}

/** Per dimension of one minute, each raw value's attempts and retries. */
type MinuteTallies = Map<string, Map<string, Tally>>;

function tally(into: MinuteTallies, dim: string, value: string, retry: boolean): void {
  let values = into.get(dim);
  if (!values) into.set(dim, (values = new Map()));
  const t = values.get(value) ?? { attempts: 0, retries: 0 };
  t.attempts += 1;
  if (retry) t.retries += 1;
  values.set(value, t);
}

interface StoredCell {
  key_id: number;
  attempts: number;
  payments: number | null;
}

/**
 * The payments of one minute's cells of one dimension, by key id, from its events' tallies; the
 * cells the events cannot place exactly are left out.
 */
function dimensionPayments(cells: { cell: StoredCell; value: string }[], raw: Map<string, Tally> | undefined): Map<number, number> {
  const out = new Map<number, number>();
  const named = new Set<string>();
  let other: StoredCell | null = null;
  let exact = true;
  for (const { cell, value } of cells) {
    if (value === OTHER_VALUE) {
      other = cell;
      continue;
    }
    named.add(value);
    const t = raw?.get(value);
    if (t && t.attempts === cell.attempts) out.set(cell.key_id, cell.attempts - t.retries);
    else exact = false;
  }
  if (other && exact) {
    const rest = { attempts: 0, retries: 0 };
    for (const [value, t] of raw ?? []) {
      if (named.has(value)) continue;
      rest.attempts += t.attempts;
      rest.retries += t.retries;
    }
    if (rest.attempts === other.attempts) out.set(other.key_id, other.attempts - rest.retries);
  }
  return out;
}

/** Events read from the stored events per step behind ingest (whole minutes, at least one). */
export const STEP_EVENTS = 2_000;

/** Where the pass over the events stands (migration 360): absent when there is nothing left to do. */
const STATE = 'segment_payments_backfill';

/**
 * Fills from the rollups alone what they determine (see the head of this file), then registers
 * the minutes still NULL for the pass over the events. Idempotent: only NULL cells are written.
 */
export function startSegmentPaymentsBackfill(db: Database): void {
  const retries = `SELECT s.minute, SUM(s.attempts) AS n FROM segment_minute_coded s JOIN segment_key k ON k.id = s.key_id
    WHERE k.dim = 'attempt' AND k.value IN ('2', '3+') GROUP BY s.minute`;
  db.exec(`
    CREATE TEMP TABLE IF NOT EXISTS segment_retries (minute INTEGER PRIMARY KEY, n INTEGER NOT NULL);
    DELETE FROM temp.segment_retries;
    INSERT INTO temp.segment_retries ${retries};
    -- No retry in the minute: every attempt started a payment.
    UPDATE segment_minute_coded SET payments = attempts
      WHERE payments IS NULL AND minute NOT IN (SELECT minute FROM temp.segment_retries);
    -- The total and the attempt cells: their retries are the attempt cells'.
    UPDATE segment_minute_coded SET payments = attempts - (SELECT n FROM temp.segment_retries r WHERE r.minute = segment_minute_coded.minute)
      WHERE payments IS NULL AND key_id IN (SELECT id FROM segment_key WHERE dim = '${TOTAL}' AND value = '${TOTAL}');
    UPDATE segment_minute_coded SET payments = CASE WHEN key_id IN (SELECT id FROM segment_key WHERE dim = 'attempt' AND value = '1') THEN attempts ELSE 0 END
      WHERE payments IS NULL AND key_id IN (SELECT id FROM segment_key WHERE dim = 'attempt');
    DROP TABLE temp.segment_retries;
    CREATE TABLE IF NOT EXISTS ${STATE} (id INTEGER PRIMARY KEY CHECK (id = 1), next_minute INTEGER NOT NULL);
    INSERT OR REPLACE INTO ${STATE} (id, next_minute) SELECT 1, MIN(minute) FROM segment_minute_coded WHERE payments IS NULL HAVING MIN(minute) IS NOT NULL;
  `);
  fillTenMinutePayments(db);
}

/** Whether the pass over the events has minutes left (a database before migration 360 has none). */
export function segmentPaymentsBackfillPending(db: Database): boolean {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(STATE) === undefined) return false;
  return db.prepare(`SELECT 1 FROM ${STATE}`).get() !== undefined;
}

/**
 * One step of the pass over the events: the next minutes holding NULL cells, whole, up to about
 * `maxEvents` attempts (at least one minute). Call in a write transaction. Returns whether
 * minutes are left.
 */
export function stepSegmentPaymentsBackfill(db: Database, maxEvents = STEP_EVENTS): boolean {
  const state = db.prepare(`SELECT next_minute FROM ${STATE}`).pluck().get() as number | undefined;
  if (state === undefined) return false;
  const minutes = db
    .prepare(
      `SELECT s.minute, s.attempts FROM segment_minute_coded s
       WHERE s.minute >= ? AND s.key_id = (SELECT id FROM segment_key WHERE dim = '${TOTAL}' AND value = '${TOTAL}')
         AND EXISTS (SELECT 1 FROM segment_minute_coded n WHERE n.minute = s.minute AND n.payments IS NULL)
       ORDER BY s.minute LIMIT 1000`,
    )
    .all(state) as { minute: number; attempts: number }[];
  let taken = 0;
  let events = 0;
  while (taken < minutes.length && (taken === 0 || events + minutes[taken].attempts <= maxEvents)) events += minutes[taken++].attempts;
  if (taken === 0) {
    db.prepare(`DELETE FROM ${STATE}`).run();
    return false;
  }
  fillFromEvents(db, minutes.slice(0, taken).map((m) => m.minute));
  // The buckets these minutes are in (a bucket whose other minutes a later step fills is summed again then).
  fillTenMinutePayments(db, Math.floor(minutes[0].minute / BUCKET_MIN), Math.floor(minutes[taken - 1].minute / BUCKET_MIN));
  db.prepare(`UPDATE ${STATE} SET next_minute = ?`).run(minutes[taken - 1].minute + 1);
  return true;
}

/** Runs the pass over the events to its end (tests, scratch measurements); returns the steps taken. */
export function finishSegmentPaymentsBackfill(db: Database, maxEvents = STEP_EVENTS): number {
  let steps = 0;
  while (db.transaction(() => stepSegmentPaymentsBackfill(db, maxEvents))()) steps++;
  return steps;
}

/** Fills the NULL cells of `minutes` (ascending) that their stored events place exactly. */
function fillFromEvents(db: Database, minutes: number[]): void {
  const keys = new Map<number, { dim: string; value: string }>();
  for (const k of db.prepare('SELECT id, dim, value FROM segment_key').all() as { id: number; dim: string; value: string }[]) keys.set(k.id, k);
  const readEvents = db.prepare(
    `SELECT time_ms, merchant_id, currency, country, card_bin, json FROM event_log
     WHERE time_ms >= ? AND time_ms < ? AND type IN ('payment.authorized', 'payment.declined', 'payment.failed')`,
  );
  const readCells = db.prepare('SELECT minute, key_id, attempts, payments FROM segment_minute_coded WHERE minute = ?');
  const fill = db.prepare('UPDATE segment_minute_coded SET payments = ? WHERE minute = ? AND key_id = ? AND payments IS NULL');
  for (const minute of minutes) {
    const t: MinuteTallies = new Map();
    for (const r of readEvents.iterate(minute * MINUTE_MS, (minute + 1) * MINUTE_MS) as IterableIterator<StoredOutcome>) {
      const e = asEvent(r);
      tally(t, TOTAL, TOTAL, e.retry);
      for (const dim of SEGMENT_DIMENSIONS) {
        const value = rawSegmentValue(e, dim);
        if (value !== NONE_VALUE) tally(t, dim, value, e.retry);
      }
    }
    const byDim = new Map<string, { cell: StoredCell; value: string }[]>();
    for (const c of readCells.all(minute) as StoredCell[]) {
      const key = keys.get(c.key_id);
      if (!key) continue;
      const list = byDim.get(key.dim) ?? [];
      list.push({ cell: c, value: key.value });
      byDim.set(key.dim, list);
    }
    // Every outcome of the minute must still be stored: its total cell counts them.
    const total = byDim.get(TOTAL)?.[0]?.cell;
    if (!total || t.get(TOTAL)?.get(TOTAL)?.attempts !== total.attempts) continue;
    for (const [dim, cells] of byDim) {
      for (const [keyId, payments] of dimensionPayments(cells, t.get(dim))) fill.run(payments, minute, keyId);
    }
  }
}

/**
 * A ten-minute cell's payments (buckets [fromBucket, toBucket], default every bucket with one
 * unknown) are the sum of its minutes' where every one of them is known and they are all still
 * there (their attempts add up to the bucket's: retention may keep buckets longer than minutes).
 */
function fillTenMinutePayments(db: Database, fromBucket?: number, toBucket?: number): void {
  const range =
    fromBucket === undefined
      ? (db.prepare('SELECT MIN(bucket) AS a, MAX(bucket) AS b FROM segment_ten_minute_coded WHERE payments IS NULL').get() as { a: number | null; b: number | null })
      : { a: fromBucket, b: toBucket ?? fromBucket };
  if (range.a === null || range.b === null) return;
  db.prepare(
    `UPDATE segment_ten_minute_coded AS t SET payments = m.payments
    FROM (
      SELECT ${floorDivSql('minute', BUCKET_MIN)} AS bucket, key_id, SUM(attempts) AS attempts, SUM(payments) AS payments, COUNT(*) = COUNT(payments) AS known
      FROM segment_minute_coded WHERE minute >= ? AND minute < ?
      GROUP BY bucket, key_id
    ) AS m
    WHERE t.payments IS NULL AND m.bucket = t.bucket AND m.key_id = t.key_id AND m.known AND m.attempts = t.attempts`,
  ).run(range.a * BUCKET_MIN, (range.b + 1) * BUCKET_MIN);
}
