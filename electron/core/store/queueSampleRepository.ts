// Thread: `record` on the engine thread; reads on either thread (priming, backtests, reports).
import type { Database } from 'better-sqlite3';
import { columnList, selectList, type Columns } from './columns';
import { StatementCache } from './statementCache';

/** One poll of one queue's depth (migration 001's `queue_depth` table). */
export interface QueueSample {
  at: number;
  queue: string;
  messages: number | null;
  consumers: number | null;
}

const QUEUE_SAMPLE_COLUMNS = { at: 'at_ms', queue: 'queue', messages: 'messages', consumers: 'consumers' } as const satisfies Columns<QueueSample>;
const SELECT = selectList(QUEUE_SAMPLE_COLUMNS);
const FIELDS = ['at', 'queue', 'messages', 'consumers'] as const;
const RECORD = `INSERT OR REPLACE INTO queue_depth (${columnList(QUEUE_SAMPLE_COLUMNS, FIELDS)}) VALUES (?, ?, ?, ?)`;

export class QueueSampleRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** Stores one poll's samples in one transaction; a repeated (queue, at) replaces the earlier one. */
  record(samples: readonly QueueSample[]): void {
    if (samples.length === 0) return;
    const insert = this.sql.prepare(RECORD);
    this.sql.transaction(() => {
      for (const s of samples) insert.run(s.at, s.queue, s.messages, s.consumers);
    })();
  }

  /** The samples of [from, to) in (time, queue) order, at most `limit`. */
  inRange(from: number, to: number, limit: number): QueueSample[] {
    return this.sql
      .prepare(`SELECT ${SELECT} FROM queue_depth WHERE at_ms >= ? AND at_ms < ? ORDER BY at_ms, queue LIMIT ?`)
      .all(from, to, limit) as QueueSample[];
  }

  /** The deepest known depth per queue in [fromSec, toSec), per `stepSec` (t = the step's first second), oldest first. */
  deepestBySteps(stepSec: number, fromSec: number, toSec: number): { t: number; queue: string; m: number }[] {
    return this.sql
      .prepare(
        `SELECT CAST(at_ms / 1000 / ? AS INTEGER) * ? AS t, queue, MAX(messages) AS m FROM queue_depth
         WHERE at_ms >= ? AND at_ms < ? AND messages IS NOT NULL GROUP BY t, queue ORDER BY t`,
      )
      .all(stepSec, stepSec, fromSec * 1000, toSec * 1000) as { t: number; queue: string; m: number }[];
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
}
