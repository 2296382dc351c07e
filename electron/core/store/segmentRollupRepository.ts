// Thread: `addOutcomes` on the engine thread (inside the ingest transaction); reads on any thread.
import type { Database, Statement } from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import {
  BIN_DIGITS,
  MAX_VALUES_PER_DIMENSION,
  NONE_VALUE,
  OTHER_VALUE,
  SEGMENT_DIMENSIONS,
  type SegmentDimension,
} from '../../../shared/segments';
import { StatementCache } from './statementCache';

export const MINUTE_MS = 60_000;

/** Counts of one segment over some minutes. Attempts are authorized + declined + failed events. */
export interface SegmentCounts {
  attempts: number;
  approvals: number;
  declines: number;
  failures: number;
  amount: number;
  approvedAmount: number;
}

export interface SegmentRow extends SegmentCounts {
  dim: SegmentDimension;
  value: string;
}

export interface SegmentMinuteRow extends SegmentRow {
  minute: number;
}

type Outcome = 'approval' | 'decline' | 'failure';

function outcomeOf(type: string): Outcome | null {
  if (type === 'payment.authorized') return 'approval';
  if (type === 'payment.declined') return 'decline';
  if (type === 'payment.failed') return 'failure';
  return null;
}

/** The raw value of each dimension an event carries (before the cardinality bound). */
export function rawSegmentValue(e: NormalizedEvent, dim: SegmentDimension): string {
  const d = e.dimensions;
  let v: string | null | undefined;
  switch (dim) {
    case 'cardBin':
      v = e.cardBin?.slice(0, BIN_DIGITS);
      break;
    case 'merchantId':
    case 'country':
    case 'method':
    case 'currency':
      v = e[dim];
      break;
    case 'attempt':
      v = d?.attempt == null ? null : d.attempt >= 3 ? '3+' : String(d.attempt);
      break;
    default:
      v = d?.[dim];
  }
  return v === null || v === undefined || v === '' ? NONE_VALUE : v;
}

interface Cell extends SegmentCounts {
  minute: number;
  dim: string;
  value: string;
}

const ADD_CELL = `INSERT INTO segment_minute (minute, dim, value, attempts, approvals, declines, failures, amount, approved_amount)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (minute, dim, value) DO UPDATE SET attempts = attempts + excluded.attempts,
    approvals = approvals + excluded.approvals, declines = declines + excluded.declines,
    failures = failures + excluded.failures, amount = amount + excluded.amount,
    approved_amount = approved_amount + excluded.approved_amount`;
const ADD_CODE = `INSERT INTO segment_decline_minute (minute, dim, value, code, count) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (minute, dim, value, code) DO UPDATE SET count = count + excluded.count`;
const SUMS = `SUM(attempts) AS attempts, SUM(approvals) AS approvals, SUM(declines) AS declines,
  SUM(failures) AS failures, SUM(amount) AS amount, SUM(approved_amount) AS approvedAmount`;

/** Decline codes are bounded like values: a flood of invented codes folds into OTHER_VALUE. */
const MAX_CODES = 100;

/**
 * Segment rollups (migration 130): per minute, per value of each dimension, the attempts,
 * approvals, declines (and their codes), failures and amounts. Values past the bound of
 * shared/segments.ts fold into '(other)'.
 */
export class SegmentRollupRepository {
  private readonly sql: StatementCache;
  private addCell: Statement | null = null;
  private addCode: Statement | null = null;
  private admitted: Map<string, Set<string>> | null = null;
  private codes = new Set<string>();

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** Adds the attempt outcomes among freshly inserted events; call inside the ingest transaction. */
  addOutcomes(events: readonly NormalizedEvent[]): void {
    const cells = new Map<string, Cell>();
    const codeCells = new Map<string, { minute: number; dim: string; value: string; code: string; count: number }>();
    for (const e of events) {
      const outcome = outcomeOf(e.type);
      if (outcome === null || e.timeMs === null) continue;
      const minute = Math.floor(e.timeMs / MINUTE_MS);
      const amount = e.amount ?? 0;
      const code = outcome === 'decline' ? this.boundedCode(e.declineCode ?? 'unknown') : null;
      for (const dim of SEGMENT_DIMENSIONS) {
        const value = this.bounded(dim, rawSegmentValue(e, dim));
        const key = `${minute}\u0000${dim}\u0000${value}`;
        let cell = cells.get(key);
        if (!cell) {
          cell = { minute, dim, value, attempts: 0, approvals: 0, declines: 0, failures: 0, amount: 0, approvedAmount: 0 };
          cells.set(key, cell);
        }
        cell.attempts += 1;
        cell.amount += amount;
        if (outcome === 'approval') {
          cell.approvals += 1;
          cell.approvedAmount += amount;
        } else if (outcome === 'decline') cell.declines += 1;
        else cell.failures += 1;
        if (code !== null) {
          const ck = `${key}\u0000${code}`;
          const c = codeCells.get(ck);
          if (c) c.count += 1;
          else codeCells.set(ck, { minute, dim, value, code, count: 1 });
        }
      }
    }
    if (cells.size === 0) return;
    const addCell = (this.addCell ??= this.sql.prepare(ADD_CELL));
    for (const c of cells.values()) {
      addCell.run(c.minute, c.dim, c.value, c.attempts, c.approvals, c.declines, c.failures, c.amount, c.approvedAmount);
    }
    const addCode = (this.addCode ??= this.sql.prepare(ADD_CODE));
    for (const c of codeCells.values()) addCode.run(c.minute, c.dim, c.value, c.code, c.count);
  }

  private bounded(dim: string, value: string): string {
    if (value === NONE_VALUE) return value;
    const admitted = this.admittedValues();
    let values = admitted.get(dim);
    if (!values) admitted.set(dim, (values = new Set()));
    if (values.has(value)) return value;
    if (values.size >= MAX_VALUES_PER_DIMENSION) return OTHER_VALUE;
    values.add(value);
    this.sql.prepare('INSERT OR IGNORE INTO segment_value (dim, value) VALUES (?, ?)').run(dim, value);
    return value;
  }

  private boundedCode(code: string): string {
    if (this.codes.has(code)) return code;
    if (this.codes.size >= MAX_CODES) return OTHER_VALUE;
    this.codes.add(code);
    return code;
  }

  private admittedValues(): Map<string, Set<string>> {
    if (this.admitted) return this.admitted;
    const map = new Map<string, Set<string>>();
    const rows = this.sql.prepare('SELECT dim, value FROM segment_value').all() as { dim: string; value: string }[];
    for (const r of rows) {
      let set = map.get(r.dim);
      if (!set) map.set(r.dim, (set = new Set()));
      set.add(r.value);
    }
    const codes = this.sql.pluck('SELECT DISTINCT code FROM segment_decline_minute').all() as string[];
    this.codes = new Set(codes.slice(0, MAX_CODES));
    return (this.admitted = map);
  }

  /** Every segment's sums over minutes [fromMinute, toMinute). */
  segmentsBetween(fromMinute: number, toMinute: number): SegmentRow[] {
    return this.sql
      .prepare(`SELECT dim, value, ${SUMS} FROM segment_minute WHERE minute >= ? AND minute < ? GROUP BY dim, value`)
      .all(fromMinute, toMinute) as SegmentRow[];
  }

  /** One dimension's segments per minute in [fromMinute, toMinute), oldest first. */
  minutesOf(dim: SegmentDimension, fromMinute: number, toMinute: number): SegmentMinuteRow[] {
    return this.sql
      .prepare(
        `SELECT minute, dim, value, attempts, approvals, declines, failures, amount, approved_amount AS approvedAmount
         FROM segment_minute WHERE minute >= ? AND minute < ? AND dim = ? ORDER BY minute`,
      )
      .all(fromMinute, toMinute, dim) as SegmentMinuteRow[];
  }

  /** Decline codes over [fromMinute, toMinute), per segment of one dimension (or of every one). */
  declineCodesBetween(fromMinute: number, toMinute: number, dim?: SegmentDimension): { dim: string; value: string; code: string; count: number }[] {
    const where = dim ? 'AND dim = ?' : '';
    const args: unknown[] = dim ? [fromMinute, toMinute, dim] : [fromMinute, toMinute];
    return this.sql
      .prepare(
        `SELECT dim, value, code, SUM(count) AS count FROM segment_decline_minute
         WHERE minute >= ? AND minute < ? ${where} GROUP BY dim, value, code`,
      )
      .all(...args) as { dim: string; value: string; code: string; count: number }[];
  }

  /** The first and last minute holding any segment row (null when none). */
  minuteRange(): { first: number; last: number } | null {
    const r = this.sql.prepare('SELECT MIN(minute) AS first, MAX(minute) AS last FROM segment_minute').get() as { first: number | null; last: number | null };
    return r.first === null || r.last === null ? null : { first: r.first, last: r.last };
  }
}
