// Thread: the engine thread. Redeliveries of messages not yet stored (migration 376), counted
// in a transaction of their own before the messages are handed on, forgotten in the ingest
// transaction that stores them (electron/core/broker/redeliveryGuard.ts).
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';
import { withoutFsync } from './withoutFsync';

export class DeliveryAttemptRepository {
  private readonly sql: StatementCache;
  private readonly countAll: (queue: string, keys: readonly string[], nowMs: number, below: number) => number[];

  constructor(db: Database) {
    this.sql = new StatementCache(db);
    // IMMEDIATE: each count is read back after it is written, and nothing else writes between.
    this.countAll = db.transaction((queue: string, keys: readonly string[], nowMs: number, below: number) =>
      keys.map((key) => {
        const counted = this.sql
          .pluck(
            `INSERT INTO delivery_attempts (key, queue, redeliveries, first_ms, last_ms) VALUES (?, ?, 1, ?, ?)
             ON CONFLICT (key) DO UPDATE SET redeliveries = redeliveries + 1, last_ms = excluded.last_ms WHERE redeliveries < ?
             RETURNING redeliveries`,
          )
          .get(key, queue, nowMs, nowMs, below) as number | undefined;
        return counted ?? -(this.sql.pluck('SELECT redeliveries FROM delivery_attempts WHERE key = ?').get(key) as number);
      }),
    ).immediate;
  }

  /**
   * Counts one more redelivery of each key whose count is below `below` (committed when this
   * returns). Each key's count: this redelivery included when counted; negated when it was not
   * (at `below` or more already).
   */
  countRedeliveries(queue: string, keys: readonly string[], nowMs: number, below = Number.MAX_SAFE_INTEGER): number[] {
    if (keys.length === 0) return [];
    return withoutFsync(this.sql.db, () => this.countAll(queue, keys, nowMs, below));
  }

  /** Forgets the keys of messages stored (call inside the ingest transaction). */
  forget(keys: readonly string[]): void {
    const del = this.sql.prepare('DELETE FROM delivery_attempts WHERE key = ?');
    for (const key of keys) del.run(key);
  }

  /** Forgets counts not added to since `beforeMs` (messages taken by another consumer, or deleted with their queue). */
  forgetIdle(beforeMs: number): number {
    return this.sql.prepare('DELETE FROM delivery_attempts WHERE last_ms < ?').run(beforeMs).changes;
  }
}
