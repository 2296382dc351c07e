// Thread: the engine thread. Reads of a stream from its stored offset that stored nothing
// (migration 378): written in a transaction of its own before the messages are handed on, moved
// or forgotten in the ingest transaction that stores them (electron/core/broker/streamAttemptGuard.ts).
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';
import { withoutFsync } from './withoutFsync';

export interface StreamAttempts {
  /** The offset the reads counted started at (the first not stored). */
  next: number;
  /** Reads that handed on `next` and ended without storing it, the current one included. */
  attempts: number;
  /** The newest offset those reads handed on. */
  handedTo: number;
}

export class StreamAttemptRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  get(queue: string): StreamAttempts | null {
    const row = this.sql.prepare('SELECT next_offset AS next, attempts, handed_to AS handedTo FROM stream_attempts WHERE queue = ?').get(queue) as StreamAttempts | undefined;
    return row ?? null;
  }

  /** Writes `queue`'s row before its messages are handed on: committed on return, without an fsync (withoutFsync). */
  record(queue: string, row: StreamAttempts, nowMs: number): void {
    withoutFsync(this.sql.db, () => this.put(queue, row, nowMs));
  }

  /** Writes `queue`'s row inside the ingest transaction. */
  put(queue: string, row: StreamAttempts, nowMs: number): void {
    this.sql
      .prepare(
        `INSERT INTO stream_attempts (queue, next_offset, attempts, handed_to, last_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (queue) DO UPDATE SET next_offset = excluded.next_offset, attempts = excluded.attempts, handed_to = excluded.handed_to, last_ms = excluded.last_ms`,
      )
      .run(queue, row.next, row.attempts, row.handedTo, nowMs);
  }

  forget(queue: string): void {
    this.sql.prepare('DELETE FROM stream_attempts WHERE queue = ?').run(queue);
  }
}
