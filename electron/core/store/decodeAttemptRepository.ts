// Thread: the engine thread. Decodes begun and not finished of messages delivered again
// (migration 384): one added, committed, before the consumer thread decodes such a message, the
// row deleted once it arrives decoded (electron/core/broker/decodeAttemptGuard.ts).
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

  /** Forgets counts not added to since `beforeMs` (messages quarantined long ago, or taken by another consumer). */
  forgetIdle(beforeMs: number): number {
    return this.sql.prepare('DELETE FROM decode_attempts WHERE last_ms < ?').run(beforeMs).changes;
  }
}
