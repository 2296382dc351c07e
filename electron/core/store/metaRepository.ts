// Thread: the engine thread. The database's own facts (migration 001's `meta` table), by key.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/** The keys payops keeps in `meta`. */
export type MetaKey = 'console_id';

export class MetaRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  get(key: MetaKey): string | null {
    const row = this.sql.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
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
