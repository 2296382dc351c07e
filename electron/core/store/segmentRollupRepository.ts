// Thread: `addOutcomes` on the engine thread (inside the ingest transaction); reads on any thread.
import type { Database, Statement } from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import {
  NONE_VALUE,
  OTHER_VALUE,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
} from '../../../shared/segments';
import { DOUBLE_FIELD, PairIds, cellKey } from './cellKeys';
import { CodeCatalogue } from './codeCatalogue';
import { RowBatch } from './rowBatch';
import { segmentPaymentsBackfillPending, stepSegmentPaymentsBackfill } from './segmentRollupPayments';
import { SegmentAdmission } from './segmentAdmission';
import { withNoneCodes, withNoneSegments } from './segmentNone';
import type { DeclineCodeRow, SegmentCounts, SegmentRow } from './segmentRow';
import { StatementCache } from './statementCache';
import { BUCKET_MIN, MINUTE_MS, TOTAL, rawSegmentValue } from './segmentValue';
import { floorDivSql } from './stepStart';

export { MINUTE_MS, TOTAL, rawSegmentValue } from './segmentValue';


export type { DeclineCodeRow, SegmentCounts, SegmentRow } from './segmentRow';

type Outcome = 'approval' | 'decline' | 'failure';

function outcomeOf(type: string): Outcome | null {
  if (type === 'payment.authorized') return 'approval';
  if (type === 'payment.declined') return 'decline';
  if (type === 'payment.failed') return 'failure';
  return null;
}


interface Cell extends SegmentCounts {
  minute: number;
  dim: string;
  value: string;
  /** Declines by code, when the cell has any. */
  codes: Map<string, number> | null;
  /** Known while it is being counted. */
  payments: number;
}

/**
 * What adding a segment cell to one already stored does (the minute and ten-minute tables alike).
 * Writes go to the coded tables of migration 240 (key_id in place of dim and value); reads go
 * through the views with the old names, which a database of an older schema has as tables.
 * `payments` (migration 350) only where the table has the column; a row stored before it holds
 * NULL, and NULL plus the new payments stays NULL (unknown).
 */
const CELL_CONFLICT = (at: string, payments: boolean) => `ON CONFLICT (${at}, key_id) DO UPDATE SET attempts = attempts + excluded.attempts,
    approvals = approvals + excluded.approvals, declines = declines + excluded.declines,
    failures = failures + excluded.failures, amount = amount + excluded.amount,
    approved_amount = approved_amount + excluded.approved_amount${payments ? ', payments = payments + excluded.payments' : ''}`;
const CODE_CONFLICT = (at: string) => `ON CONFLICT (${at}, key_id, code) DO UPDATE SET count = count + excluded.count`;
const CELL_COLUMNS = (payments: boolean) => `attempts, approvals, declines, failures, amount, approved_amount${payments ? ', payments' : ''}`;
/** The INSERT of cells (or decline codes) into `table` at `at`, up to VALUES: the rows follow. */
const cellInsert = (table: string, at: string, payments: boolean) => `INSERT INTO ${table} (${at}, key_id, ${CELL_COLUMNS(payments)}) VALUES`;
const codeInsert = (table: string, at: string) => `INSERT INTO ${table} (${at}, key_id, code, count) VALUES`;
const addCellSql = (table: string, at: string, payments: boolean) => `${cellInsert(table, at, payments)} (?, ?, ?, ?, ?, ?, ?, ?${payments ? ', ?' : ''}) ${CELL_CONFLICT(at, payments)}`;
const addCodeSql = (table: string, at: string) => `${codeInsert(table, at)} (?, ?, ?, ?) ${CODE_CONFLICT(at)}`;
/** Payments summed: unknown (NULL) when any summed row's are (stored before migration 350). */
const PAYMENTS_SUM = 'CASE WHEN COUNT(payments) = COUNT(*) THEN SUM(payments) END';
// Amounts summed with TOTAL (a double): SUM stops with "integer overflow" past 2^63, which a few
// thousand payments of the largest valid amount (2^53 - 1 minor units, EVENTS.md) reach.
const SUMS = (payments: boolean) => `SUM(attempts) AS attempts, SUM(approvals) AS approvals, SUM(declines) AS declines,
  SUM(failures) AS failures, TOTAL(amount) AS amount, TOTAL(approved_amount) AS approvedAmount,
  ${payments ? PAYMENTS_SUM : 'NULL'} AS payments`;

/** Whether the segment cells of `db` count payments (migration 350); a database opened read-only may predate it. */
function hasPaymentsColumn(db: Database): boolean {
  return db.prepare("SELECT 1 FROM pragma_table_info('segment_minute') WHERE name = 'payments'").get() !== undefined;
}

const CELL_DIMS: readonly (SegmentDimension | typeof TOTAL)[] = [TOTAL, ...SEGMENT_DIMENSIONS];

/** What a restart takes as an admitted value's recent attempts: its newest stored hour. */
const RESTART_RECENT_MINUTES = 60;

/** Decline codes are bounded like values: a flood of invented codes folds into OTHER_VALUE. */
const MAX_CODES = 100;

/** Buckets kept behind the newest event time before they are summed: late events stay cheap. */
const COMPACT_LAG_BUCKETS = 2;
const ADD_TEN_CODE = addCodeSql('segment_decline_ten_minute_coded', 'bucket');

/**
 * Sums the minutes of buckets [fromBucket, toBucket] into the ten-minute tables (migration 200).
 * Upserts, so a bucket that already has rows (its late events) keeps them and gains the rest.
 */
export function compactSegmentBuckets(db: Database, fromBucket: number, toBucket: number, payments = hasPaymentsColumn(db)): void {
  if (toBucket < fromBucket) return;
  const range = [fromBucket * BUCKET_MIN, (toBucket + 1) * BUCKET_MIN];
  db.prepare(
    `INSERT INTO segment_ten_minute_coded (bucket, key_id, ${CELL_COLUMNS(payments)})
     SELECT ${floorDivSql('minute', BUCKET_MIN)} AS b, key_id, SUM(attempts), SUM(approvals), SUM(declines), SUM(failures), TOTAL(amount), TOTAL(approved_amount)${payments ? `, ${PAYMENTS_SUM}` : ''}
     FROM segment_minute_coded WHERE minute >= ? AND minute < ? GROUP BY b, key_id
     ${CELL_CONFLICT('bucket', payments)}`,
  ).run(...range);
  db.prepare(
    `INSERT INTO segment_decline_ten_minute_coded (bucket, key_id, code, count)
     SELECT ${floorDivSql('minute', BUCKET_MIN)} AS b, key_id, code, SUM(count) FROM segment_decline_minute_coded
     WHERE minute >= ? AND minute < ? GROUP BY b, key_id, code
     ${CODE_CONFLICT('bucket')}`,
  ).run(...range);
}

/** The newest bucket to sum when the newest stored minute is `minute`. */
export function compactableBucket(minute: number): number {
  return Math.floor(minute / BUCKET_MIN) - COMPACT_LAG_BUCKETS;
}

/**
 * Segment rollups (migration 130): per minute, per value of each dimension, the attempts,
 * approvals, declines (and their codes), failures and amounts. Values past the bound of
 * shared/segments.ts fold into '(other)' until their recent attempts earn them a place
 * (segmentAdmission.ts).
 */
export class SegmentRollupRepository {
  private readonly sql: StatementCache;
  /** The id of each (dim, value) in segment_key (migration 240), which the coded tables hold. */
  private readonly keys: CodeCatalogue;
  /** Ids of (dim, value) for the keys of a batch's cells (not segment_key's: those go with a rollback). */
  private readonly cellIds = new PairIds();
  private coded: boolean | null = null;
  private addCells: RowBatch | null = null;
  private addCodes: RowBatch | null = null;
  private admission: SegmentAdmission | null = null;
  private codes = new Set<string>();
  private addTenCell: Statement | null = null;
  private addTenCode: Statement | null = null;
  /**
   * The writer's: every bucket up to this one is summed in the ten-minute tables, so a late
   * event of one is written there too. Undefined until read; null without migration 200.
   */
  private summedThrough: number | null | undefined;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
    this.keys = new CodeCatalogue(this.sql, 'segment_key', 'id', ['dim', 'value']);
  }

  /** Adds the attempt outcomes among freshly inserted events; call inside the ingest transaction. */
  addOutcomes(events: readonly NormalizedEvent[]): void {
    this.addOutcomeCells(events);
    // After this batch's cells: its events are stored already, and a minute of the pass must
    // find its cells counting the same events.
    if (events.length > 0) this.stepPaymentsBackfill();
  }

  private addOutcomeCells(events: readonly NormalizedEvent[]): void {
    const cells = new Map<number | string, Cell>();
    for (const e of events) {
      const outcome = outcomeOf(e.type);
      if (outcome === null || e.timeMs === null) continue;
      const minute = Math.floor(e.timeMs / MINUTE_MS);
      const amount = e.amount ?? 0;
      // A payment's first attempt (migration 350); a retry is attempt 2 or later of the same paymentId.
      const payment = e.dimensions?.attempt == null || e.dimensions.attempt <= 1 ? 1 : 0;
      const code = outcome === 'decline' ? this.boundedCode(e.declineCode || 'unknown') : null;
      for (const dim of CELL_DIMS) {
        const raw = dim === TOTAL ? TOTAL : rawSegmentValue(e, dim);
        // What an event does not carry is the total less the dimension's values (readers derive it).
        if (raw === NONE_VALUE) continue;
        const value = dim === TOTAL ? TOTAL : this.bounded(dim, raw, minute);
        const key = cellKey(minute, this.cellIds.id(dim, value));
        let cell = cells.get(key);
        if (!cell) {
          cell = { minute, dim, value, attempts: 0, approvals: 0, declines: 0, failures: 0, amount: DOUBLE_FIELD, approvedAmount: DOUBLE_FIELD, payments: 0, codes: null };
          cell.amount = 0;
          cell.approvedAmount = 0;
          cells.set(key, cell);
        }
        cell.attempts += 1;
        cell.payments += payment;
        cell.amount += amount;
        if (outcome === 'approval') {
          cell.approvals += 1;
          cell.approvedAmount += amount;
        } else if (outcome === 'decline') cell.declines += 1;
        else cell.failures += 1;
        if (code !== null) {
          const codes = (cell.codes ??= new Map());
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }
    }
    if (cells.size === 0) return;
    const through = this.writerSummedThrough();
    const payments = this.countsPayments();
    const addCells = (this.addCells ??= new RowBatch(this.sql.db, cellInsert('segment_minute_coded', 'minute', payments), payments ? 9 : 8, CELL_CONFLICT('minute', payments)));
    let newest = -Infinity;
    for (const c of cells.values()) {
      const key = this.keys.codeOfPair(c.dim, c.value);
      if (payments) addCells.add(c.minute, key, c.attempts, c.approvals, c.declines, c.failures, c.amount, c.approvedAmount, c.payments);
      else addCells.add(c.minute, key, c.attempts, c.approvals, c.declines, c.failures, c.amount, c.approvedAmount);
      if (c.minute > newest) newest = c.minute;
      if (through !== null && Math.floor(c.minute / BUCKET_MIN) <= through) {
        const counts = [c.attempts, c.approvals, c.declines, c.failures, c.amount, c.approvedAmount, ...(payments ? [c.payments] : [])];
        (this.addTenCell ??= this.sql.prepare(addCellSql('segment_ten_minute_coded', 'bucket', payments))).run(Math.floor(c.minute / BUCKET_MIN), key, ...counts);
      }
    }
    addCells.flush();
    const addCodes = (this.addCodes ??= new RowBatch(this.sql.db, codeInsert('segment_decline_minute_coded', 'minute'), 4, CODE_CONFLICT('minute')));
    for (const c of cells.values()) {
      if (c.codes === null) continue;
      const key = this.keys.codeOfPair(c.dim, c.value);
      for (const [code, count] of c.codes) {
        addCodes.add(c.minute, key, code, count);
        if (through !== null && Math.floor(c.minute / BUCKET_MIN) <= through) {
          (this.addTenCode ??= this.sql.prepare(ADD_TEN_CODE)).run(Math.floor(c.minute / BUCKET_MIN), key, code, count);
        }
      }
    }
    addCodes.flush();
    const target = compactableBucket(newest);
    if (through !== null && target > through) {
      compactSegmentBuckets(this.sql.db, through + 1, target, payments);
      this.summedThrough = target;
    }
  }

  /** Whether migration 360's pass over the events has minutes left: read once, then known. */
  private paymentsBackfill: boolean | null = null;

  /** One step of migration 360's pass over the stored events, while it has minutes left (segmentRollupPayments.ts). */
  private stepPaymentsBackfill(): void {
    if ((this.paymentsBackfill ??= segmentPaymentsBackfillPending(this.sql.db)) === false) return;
    this.paymentsBackfill = stepSegmentPaymentsBackfill(this.sql.db);
  }

  /** After a rolled-back batch: where the sums end is read again from the database. */
  forgetUncommitted(): void {
    this.paymentsBackfill = null;
    this.addCells?.discard();
    this.addCodes?.discard();
    // Admissions of the rolled-back batch are read again from what segment_value holds.
    this.admission = null;
    // Keys the batch created are gone, and their ids may go to other pairs on the retry.
    this.keys.forgetUncommitted();
    if (this.summedThrough !== null) this.summedThrough = undefined;
  }

  /** Where the ten-minute sums end, for the writer (first call reads it; see summedThrough). */
  private writerSummedThrough(): number | null {
    if (this.summedThrough !== undefined) return this.summedThrough;
    if (!this.hasTenMinutes()) return (this.summedThrough = null);
    // Buckets between the newest summed one and where the last compaction reached held nothing
    // then (or they would have rows): summing them again is harmless.
    const newest = this.sql.pluck('SELECT MAX(bucket) FROM segment_ten_minute').get() as number | null;
    const first = this.sql.pluck('SELECT MIN(minute) FROM segment_minute').get() as number | null;
    return (this.summedThrough = newest ?? (first === null ? -1 : Math.floor(first / BUCKET_MIN) - 1));
  }

  private paymentsColumn: boolean | null = null;
  /** Whether the cells count payments (migration 350): a test's writer on an older schema writes without. */
  private countsPayments(): boolean {
    return (this.paymentsColumn ??= hasPaymentsColumn(this.sql.db));
  }

  private tenMinuteTables: boolean | null = null;
  /** A database migrated before 200 and opened read-only has minutes only. */
  private hasTenMinutes(): boolean {
    return (this.tenMinuteTables ??= this.sql.hasTables('segment_ten_minute'));
  }

  /**
   * Minutes [fromMinute, toMinute) as the ten-minute buckets wholly inside it that are summed,
   * and the minutes left at either end. Call inside a read transaction with the reads it plans.
   */
  private plan(fromMinute: number, toMinute: number): { minutes: [number, number][]; buckets: [number, number] | null } {
    if (!this.hasTenMinutes()) return { minutes: [[fromMinute, toMinute]], buckets: null };
    const newest = this.sql.pluck('SELECT MAX(bucket) FROM segment_ten_minute').get() as number | null;
    const innerFrom = Math.ceil(fromMinute / BUCKET_MIN) * BUCKET_MIN;
    const innerTo = Math.min(Math.floor(toMinute / BUCKET_MIN) * BUCKET_MIN, newest === null ? -Infinity : (newest + 1) * BUCKET_MIN);
    if (!(innerTo > innerFrom)) return { minutes: [[fromMinute, toMinute]], buckets: null };
    const minutes: [number, number][] = [];
    if (fromMinute < innerFrom) minutes.push([fromMinute, innerFrom]);
    if (innerTo < toMinute) minutes.push([innerTo, toMinute]);
    return { minutes, buckets: [innerFrom / BUCKET_MIN, innerTo / BUCKET_MIN] };
  }

  /**
   * The name an attempt of `value` at `minute` is counted under (segmentAdmission.ts). A change
   * of the admitted values is recorded in segment_named (migration 310): a promoted value is
   * named wholly from the minute after this attempt's (attempts before it in this minute were
   * counted in (other)), a replaced one up to this attempt's minute.
   */
  private bounded(dim: string, value: string, minute: number): string {
    const { kept, change } = this.admissionState().observe(dim, value);
    if (change) {
      const named = this.hasNamedHistory();
      if (change.replaced !== null) {
        this.sql.prepare('DELETE FROM segment_value WHERE dim = ? AND value = ?').run(dim, change.replaced);
        if (named) this.sql.prepare('UPDATE segment_named SET to_minute = ? WHERE dim = ? AND value = ? AND to_minute IS NULL').run(minute, dim, change.replaced);
      }
      this.sql.prepare('INSERT OR IGNORE INTO segment_value (dim, value) VALUES (?, ?)').run(dim, change.admitted);
      if (named) {
        this.sql
          .prepare('INSERT INTO segment_named (dim, value, from_minute, to_minute) VALUES (?, ?, ?, NULL)')
          .run(dim, change.admitted, change.replaced === null ? null : minute + 1);
      }
    }
    return kept ? value : OTHER_VALUE;
  }

  private namedHistory: boolean | null = null;
  /** A database written before migration 310 (a test's older schema) has no segment_named. */
  private hasNamedHistory(): boolean {
    return (this.namedHistory ??= this.sql.hasTables('segment_named'));
  }

  /**
   * The values named throughout minutes [fromMinute, toMinute), as `dim \u0000 value` keys: a
   * value of a dimension not among them changed between its own name and (other) in those
   * minutes (or had no name in them), so its named rows there compare a name, not its traffic.
   * Null on a database before migration 310 (every value is taken as named throughout).
   */
  namedThroughout(fromMinute: number, toMinute: number): Set<string> | null {
    if (!this.hasNamedHistory()) return null;
    const rows = this.sql
      .prepare('SELECT dim, value FROM segment_named WHERE (from_minute IS NULL OR from_minute <= ?) AND (to_minute IS NULL OR to_minute >= ?)')
      .all(fromMinute, toMinute) as { dim: string; value: string }[];
    return new Set(rows.map((r) => `${r.dim}\u0000${r.value}`));
  }

  private boundedCode(code: string): string {
    // The stored codes first: before them, the first code of a batch would take a place of its own.
    this.admissionState();
    if (this.codes.has(code)) return code;
    if (this.codes.size >= MAX_CODES) return OTHER_VALUE;
    this.codes.add(code);
    return code;
  }

  /** The admitted values as stored, each with its attempts in the newest stored hour (a restart's "recent"). */
  private admissionState(): SegmentAdmission {
    if (this.admission) return this.admission;
    const rows = this.sql
      .prepare(
        `SELECT v.dim, v.value, COALESCE(r.n, 0) AS attempts FROM segment_value v LEFT JOIN (
           SELECT dim, value, SUM(attempts) AS n FROM segment_minute
           WHERE minute >= (SELECT MAX(minute) FROM segment_minute) - ${RESTART_RECENT_MINUTES} GROUP BY dim, value
         ) r USING (dim, value)`,
      )
      .all() as { dim: string; value: string; attempts: number }[];
    // The writer's database is migrated: the coded table, without a key lookup per row.
    // Every code stored by name (at most MAX_CODES, and '(other)' is none of them): the same
    // codes keep their names across a restart, and a new one still folds.
    const codes = this.sql.pluck('SELECT DISTINCT code FROM segment_decline_minute_coded').all() as string[];
    this.codes = new Set(codes.filter((c) => c !== OTHER_VALUE));
    return (this.admission = new SegmentAdmission(rows));
  }

  /** Every segment's sums over minutes [fromMinute, toMinute): whole summed buckets from the ten-minute table. */
  segmentsBetween(fromMinute: number, toMinute: number): SegmentRow[] {
    return this.sql.transaction(() => {
      const { minutes, buckets } = this.plan(fromMinute, toMinute);
      const read = (table: string, at: string, a: number, b: number) => this.sql.prepare(this.sumsSql(table, at)).all(a, b) as SegmentRow[];
      const parts = minutes.map(([a, b]) => read('segment_minute', 'minute', a, b));
      if (buckets) parts.push(read('segment_ten_minute', 'bucket', ...buckets));
      const rows = parts.length === 1 ? parts[0] : mergeSegmentRows(parts.flat());
      return withNoneSegments(rows, TOTAL);
    })();
  }

  /**
   * The totals of every attempt in consecutive slices of `sliceMinutes`, the last one ending at
   * `toMinute`, as many whole slices as fit after `fromMinute` (oldest first), leaving out the
   * slices without attempts. Only the stored minutes are visited (each found by one seek from the
   * one before), never every minute of the range, and only the slices holding attempts are kept:
   * a baseline from the epoch for a one-minute window would otherwise walk and allocate tens of
   * millions of empty minutes. (Numbers are bound as REAL, hence the cast of the slice.)
   */
  totalsBySlice(fromMinute: number, toMinute: number, sliceMinutes: number): SegmentCounts[] {
    const slices = sliceMinutes > 0 ? Math.floor((toMinute - fromMinute) / sliceMinutes) : 0;
    if (slices <= 0) return [];
    const first = toMinute - slices * sliceMinutes;
    const minutes = (table: string) => `WITH RECURSIVE m(minute) AS (
        SELECT (SELECT MIN(minute) FROM ${table} WHERE minute >= ?)
        UNION ALL SELECT (SELECT MIN(minute) FROM ${table} WHERE minute > m.minute) FROM m WHERE m.minute < ?)`;
    const slice = `CAST((s.minute - ?) / ? AS INTEGER) AS slice`;
    // Coded (migration 240): the total's key first, then one primary-key seek per minute.
    // Through the view, each minute would join every segment of it to its key.
    const totalKey = this.isCoded() ? (this.sql.pluck('SELECT id FROM segment_key WHERE dim = ? AND value = ?').get(TOTAL, TOTAL) as number | undefined) : null;
    const rows =
      totalKey === undefined
        ? []
        : totalKey !== null
          ? (this.sql
              .prepare(`${minutes('segment_minute_coded')} SELECT ${slice}, ${SUMS(this.countsPayments())} FROM m JOIN segment_minute_coded s ON s.minute = m.minute AND s.key_id = ? WHERE m.minute < ? GROUP BY slice`)
              .all(first, toMinute, first, sliceMinutes, totalKey, toMinute) as (SegmentCounts & { slice: number })[])
          : (this.sql
              .prepare(`${minutes('segment_minute')} SELECT ${slice}, ${SUMS(this.countsPayments())} FROM m JOIN segment_minute s ON s.minute = m.minute WHERE s.dim = '${TOTAL}' AND s.value = '${TOTAL}' AND m.minute < ? GROUP BY slice`)
              .all(first, toMinute, first, sliceMinutes, toMinute) as (SegmentCounts & { slice: number })[]);
    return rows
      .filter((r) => r.attempts > 0)
      .sort((a, b) => a.slice - b.slice)
      .map(({ slice: _slice, ...counts }) => counts);
  }

  /** Decline codes over [fromMinute, toMinute), per segment of one dimension (or of every one). */
  declineCodesBetween(fromMinute: number, toMinute: number, dim?: SegmentDimension): DeclineCodeRow[] {
    const where = dim ? 'AND dim IN (?, ?)' : '';
    const read = (table: string, column: string, a: number, b: number) =>
      this.sql
        .prepare(
          this.isCoded()
            ? `SELECT k.dim AS dim, k.value AS value, s.code AS code, s.count AS count FROM (
                 SELECT key_id, code, SUM(count) AS count FROM ${table}_coded WHERE ${column} >= ? AND ${column} < ?
                 ${dim ? 'AND key_id IN (SELECT id FROM segment_key WHERE dim IN (?, ?))' : ''} GROUP BY key_id, code
               ) s JOIN segment_key k ON k.id = s.key_id`
            : `SELECT dim, value, code, SUM(count) AS count FROM ${table} WHERE ${column} >= ? AND ${column} < ? ${where} GROUP BY dim, value, code`,
        )
        .all(...(dim ? [a, b, dim, TOTAL] : [a, b])) as DeclineCodeRow[];
    return this.sql.transaction(() => {
      const { minutes, buckets } = this.plan(fromMinute, toMinute);
      const parts = minutes.map(([a, b]) => read('segment_decline_minute', 'minute', a, b));
      if (buckets) parts.push(read('segment_decline_ten_minute', 'bucket', ...buckets));
      const rows = parts.length === 1 ? parts[0] : mergeCodeRows(parts.flat());
      return withNoneCodes(rows, TOTAL, dim ? [dim] : undefined);
    })();
  }


  /**
   * Sums per segment over [a, b) of `at` in `table`. Coded (migration 240), the rows are summed
   * per key id and the segments named after: one key lookup per segment, not per row.
   */
  private sumsSql(table: string, at: string): string {
    const sums = SUMS(this.countsPayments());
    return this.isCoded()
      ? `SELECT k.dim AS dim, k.value AS value, s.attempts AS attempts, s.approvals AS approvals, s.declines AS declines,
           s.failures AS failures, s.amount AS amount, s.approvedAmount AS approvedAmount, s.payments AS payments FROM (
           SELECT key_id, ${sums} FROM ${table}_coded WHERE ${at} >= ? AND ${at} < ? GROUP BY key_id
         ) s JOIN segment_key k ON k.id = s.key_id`
      : `SELECT dim, value, ${sums} FROM ${table} WHERE ${at} >= ? AND ${at} < ? GROUP BY dim, value`;
  }

  /** A read-only store of a database before migration 240 has the named tables only. */
  private isCoded(): boolean {
    return (this.coded ??= this.sql.hasTables('segment_key'));
  }

  /** The newest minute holding a segment row at or before `minute` (null when none): one seek. */
  newestMinuteAtOrBefore(minute: number): number | null {
    // The coded table itself: through the view, every row before `minute` would be joined to its key.
    return this.sql.pluck(`SELECT MAX(minute) FROM ${this.isCoded() ? 'segment_minute_coded' : 'segment_minute'} WHERE minute <= ?`).get(minute) as number | null;
  }

  /** The first and last minute holding any segment row (null when none). */
  minuteRange(): { first: number; last: number } | null {
    // Two subqueries: each reads one end of the primary key, where MIN and MAX together scan every row.
    const r = this.sql.prepare('SELECT (SELECT MIN(minute) FROM segment_minute) AS first, (SELECT MAX(minute) FROM segment_minute) AS last').get() as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }
}

/** Adds `more`'s counts to `into`. */
export function addCounts(into: SegmentCounts, more: SegmentCounts): void {
  into.attempts += more.attempts;
  into.approvals += more.approvals;
  into.declines += more.declines;
  into.failures += more.failures;
  into.amount += more.amount;
  into.approvedAmount += more.approvedAmount;
  into.payments = into.payments === null || more.payments === null ? null : into.payments + more.payments;
}

/** Rows of the same segment and code (from a ragged end and the whole buckets) summed. */
function mergeCodeRows(rows: DeclineCodeRow[]): DeclineCodeRow[] {
  const merged = new Map<string, DeclineCodeRow>();
  for (const r of rows) {
    const k = `${r.dim}\u0000${r.value}\u0000${r.code}`;
    const m = merged.get(k);
    if (m) m.count += r.count;
    else merged.set(k, { ...r });
  }
  return [...merged.values()];
}

/** Rows of the same segment (from a ragged end and the whole buckets) summed. */
function mergeSegmentRows(rows: SegmentRow[]): SegmentRow[] {
  const merged = new Map<string, SegmentRow>();
  for (const r of rows) {
    const k = `${r.dim}\u0000${r.value}`;
    const m = merged.get(k);
    if (m) addCounts(m, r);
    else merged.set(k, { ...r });
  }
  return [...merged.values()];
}
