// Thread: the engine thread (written in the ingest transaction); read when a session starts.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/** The next stream offset to read per stream queue (migration 121). */
export class StreamOffsetRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** The offset to resume `queue` from, or null when nothing of it is stored. */
  next(queue: string): number | null {
    return (this.sql.pluck('SELECT next_offset FROM stream_offsets WHERE queue = ?').get(queue) as number | undefined) ?? null;
  }

  /** Records that everything before `nextOffset` is stored (call inside the ingest transaction). */
  save(queue: string, nextOffset: number, nowMs: number): void {
    this.write(queue, nextOffset, nowMs, 'MAX(next_offset, excluded.next_offset)');
  }

  /**
   * Records `nextOffset` even below what was stored: the stream was deleted and created again
   * under its name, and its offsets started again at 0 (call inside the ingest transaction).
   */
  restart(queue: string, nextOffset: number, nowMs: number): void {
    this.write(queue, nextOffset, nowMs, 'excluded.next_offset');
  }

  private write(queue: string, nextOffset: number, nowMs: number, next: 'MAX(next_offset, excluded.next_offset)' | 'excluded.next_offset'): void {
    this.sql
      .prepare(
        `INSERT INTO stream_offsets (queue, next_offset, updated_ms) VALUES (?, ?, ?)
         ON CONFLICT (queue) DO UPDATE SET next_offset = ${next}, updated_ms = excluded.updated_ms`,
      )
      .run(queue, nextOffset, nowMs);
  }
}
