// Thread: `record` on the engine thread; reads on either thread (priming, backtests, reports).
import type { Database } from 'better-sqlite3';
import { columnList, selectList, type Columns } from './columns';
import { StatementCache } from './statementCache';
import { floorDivSql, stepStartArgs, stepStartSql } from './stepStart';

/** One poll of one queue's depth (migration 001's `queue_depth` table). */
export interface QueueSample {
  at: number;
  queue: string;
  messages: number | null;
  consumers: number | null;
  /** Seconds the head message had waited at `at` (migration 340); null when unknown, and for rows stored before it. */
  oldestMessageAgeSeconds: number | null;
}

/** What a poll gives to store: the age is left out where a source does not measure it. */
export type QueueSampleInput = Omit<QueueSample, 'oldestMessageAgeSeconds'> & { oldestMessageAgeSeconds?: number | null };

const QUEUE_SAMPLE_COLUMNS = { at: 'at_ms', queue: 'queue', messages: 'messages', consumers: 'consumers', oldestMessageAgeSeconds: 'oldest_age_s' } as const satisfies Columns<QueueSample>;
const SELECT = selectList(QUEUE_SAMPLE_COLUMNS);
// A database read as it is, from before migration 340 (read-only, not migrated), has no age column.
const SELECT_BEFORE_340 = selectList({ ...QUEUE_SAMPLE_COLUMNS, oldestMessageAgeSeconds: 'NULL' });
const FIELDS = ['at', 'queue', 'messages', 'consumers', 'oldestMessageAgeSeconds'] as const;
const RECORD = `INSERT OR REPLACE INTO queue_depth (${columnList(QUEUE_SAMPLE_COLUMNS, FIELDS)}) VALUES (?, ?, ?, ?, ?)`;

export class QueueSampleRepository {
  private readonly sql: StatementCache;
  private ageColumn: boolean | undefined;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** Stores one poll's samples in one transaction; a repeated (queue, at) replaces the earlier one. */
  record(samples: readonly QueueSampleInput[]): void {
    if (samples.length === 0) return;
    const insert = this.sql.prepare(RECORD);
    this.sql.transaction(() => {
      for (const s of samples) insert.run(s.at, s.queue, s.messages, s.consumers, finiteOrNull(s.oldestMessageAgeSeconds));
    })();
  }

  /** The samples of [from, to) in (time, queue) order, at most `limit`. */
  inRange(from: number, to: number, limit: number): QueueSample[] {
    const select = this.hasAgeColumn() ? SELECT : SELECT_BEFORE_340;
    return this.sql
      .prepare(`SELECT ${select} FROM queue_depth WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, queue LIMIT ?`)
      .all(from, to, limit) as QueueSample[];
  }

  /** The deepest known depth per queue in [fromSec, toSec), per `stepSec` (t = the step's first second), oldest first. */
  deepestBySteps(stepSec: number, fromSec: number, toSec: number): { t: number; queue: string; m: number }[] {
    return this.sql
      .prepare(
        `SELECT ${stepStartSql(floorDivSql('at_ms', 1000))} AS t, queue, MAX(messages) AS m FROM queue_depth
         WHERE at_ms >= ? AND at_ms < ? AND messages IS NOT NULL GROUP BY t, queue ORDER BY t`,
      )
      .all(...stepStartArgs(stepSec), fromSec * 1000, toSec * 1000) as { t: number; queue: string; m: number }[];
  }

  /** The deepest known depth per queue in [from, to) per bucket of `bucketMs` counted from `startMs` (b = bucket index). */
  deepestByBucket(startMs: number, bucketMs: number, from: number, to: number): { b: number; queue: string; m: number }[] {
    return this.sql
      .prepare(
        `SELECT CAST((at_ms - ?) / ? AS INTEGER) AS b, queue, MAX(messages) AS m FROM queue_depth INDEXED BY queue_depth_at
         WHERE at_ms >= ? AND at_ms < ? AND messages IS NOT NULL GROUP BY b, queue`,
      )
      .all(startMs, bucketMs, from, to) as { b: number; queue: string; m: number }[];
  }

  private hasAgeColumn(): boolean {
    return (this.ageColumn ??= this.sql.pluck("SELECT 1 FROM pragma_table_info('queue_depth') WHERE name = 'oldest_age_s'").get() !== undefined);
  }
}

function finiteOrNull(v: number | null | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
