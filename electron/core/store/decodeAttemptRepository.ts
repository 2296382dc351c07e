// Thread: the engine thread. Decodes begun and not finished of messages delivered again
// (migration 384): one added, committed, before the consumer thread decodes such a message, the
// row deleted once it arrives decoded (electron/core/broker/decodeAttemptGuard.ts). For a stream,
// how far its consumer thread has received (migration 386): committed before it decodes there,
// deleted at a clean stop; a row found at a start is a read that ended the process unfinished.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';
import { withoutFsync } from './withoutFsync';

export class DecodeAttemptRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** One more decode of `key` begun (committed when this returns); its count, this one included. */
  begin(queue: string, key: string, nowMs: number): number {
    return withoutFsync(this.sql.db, () =>
      this.sql
        .pluck(
          `INSERT INTO decode_attempts (key, queue, attempts, last_ms) VALUES (?, ?, 1, ?)
           ON CONFLICT (key) DO UPDATE SET attempts = attempts + 1, last_ms = excluded.last_ms
           RETURNING attempts`,
        )
        .get(key, queue, nowMs) as number,
    );
  }

  /** The decode of `key` finished: nothing ended while it ran. */
  finished(key: string): void {
    withoutFsync(this.sql.db, () => this.sql.prepare('DELETE FROM decode_attempts WHERE key = ?').run(key));
  }

  /** Stream `queue` is received up to `offset` (committed when this returns, without an fsync). */
  receiving(queue: string, offset: number, nowMs: number): void {
    withoutFsync(this.sql.db, () =>
      this.sql
        .prepare(
          `INSERT INTO stream_received (queue, received_to, last_ms) VALUES (?, ?, ?)
           ON CONFLICT (queue) DO UPDATE SET received_to = excluded.received_to, last_ms = excluded.last_ms`,
        )
        .run(queue, offset, nowMs),
    );
  }

  /** How far stream `queue` was received by a read that has not stopped cleanly (null: none). */
  receivedTo(queue: string): number | null {
    return (this.sql.pluck('SELECT received_to FROM stream_received WHERE queue = ?').get(queue) as number | undefined) ?? null;
  }

  /** Everything stream `queue` received is stored: no read is unfinished. */
  forgetReceived(queue: string): void {
    this.sql.prepare('DELETE FROM stream_received WHERE queue = ?').run(queue);
  }

  /** Forgets counts not added to since `beforeMs` (messages quarantined long ago, or taken by another consumer). */
  forgetIdle(beforeMs: number): number {
    return this.sql.prepare('DELETE FROM decode_attempts WHERE last_ms < ?').run(beforeMs).changes;
  }
}
