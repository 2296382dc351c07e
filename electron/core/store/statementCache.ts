// Thread: whichever thread owns the connection (a statement never crosses threads).
import type { Database, Statement } from 'better-sqlite3';

/** Distinct SQL texts kept per repository; shapes built from filters are few, bound them all the same. */
const MAX_STATEMENTS = 200;

/**
 * The prepared statements of one repository: each SQL text is prepared on first use and
 * reused for the life of the connection. Lazily, so that a read-only connection never
 * prepares a repository's writes, and a database written before a migration fails only when
 * a missing table is actually read (callers ask `ReadStore.hasTables` first).
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();

  constructor(readonly db: Database) {}

  /** Rows as objects. */
  prepare(sql: string): Statement {
    return this.cached(sql, sql, (s) => s);
  }

  /** Only the first column of each row. */
  pluck(sql: string): Statement {
    return this.cached(`pluck\u0000${sql}`, sql, (s) => s.pluck());
  }

  /** Rows as arrays of column values. */
  raw(sql: string): Statement {
    return this.cached(`raw\u0000${sql}`, sql, (s) => s.raw(true));
  }

  /** Whether every named table (or view) exists: a database opened read-only may predate a migration. */
  hasTables(...names: string[]): boolean {
    const exists = this.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?");
    return names.every((name) => exists.get(name) !== undefined);
  }

  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
    return this.db.transaction(fn);
  }

  private cached(key: string, sql: string, mode: (s: Statement) => Statement): Statement {
    let s = this.cache.get(key);
    if (!s) {
      s = mode(this.db.prepare(sql));
      if (this.cache.size >= MAX_STATEMENTS) this.cache.clear();
      this.cache.set(key, s);
    }
    return s;
  }
}
