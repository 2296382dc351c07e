// Thread: the engine thread. The database's own facts (migration 001's `meta` table), by key.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/**
 * The keys payops keeps in `meta`. `live_since`: when a live session (a broker, or a followed
 * metrics stream) first opened the database, so a replay can tell it is the live one.
 * `stream_last_message:<queue>`: a digest of the newest message stored from that stream queue
 * (streamResume.ts), to tell the stream from another of the same name.
 */
export type MetaKey = 'console_id' | 'live_since' | `stream_last_message:${string}`;

export class MetaRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  get(key: MetaKey): string | null {
    const row = this.sql.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  /**
   * When live data first could flow into this database (`live_since`), or null for a session
   * database. A database of an older payops is live if it named a console queue after itself
   * (`console_id`, made only by a live session consuming its own queue): then 'unknown'.
   */
  liveSince(): string | null {
    return this.get('live_since') ?? (this.get('console_id') !== null ? 'unknown' : null);
  }

  /** Sets the value under `key` (inside the caller's transaction when there is one). */
  set(key: MetaKey, value: string): void {
    this.sql.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** The value under `key`, made with `make` and kept the first time (the same ever after). */
  getOrCreate(key: MetaKey, make: () => string): string {
    return this.sql.transaction(() => {
      const existing = this.get(key);
      if (existing !== null) return existing;
      const value = make();
      this.sql.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, value);
      return value;
    })();
  }
}
