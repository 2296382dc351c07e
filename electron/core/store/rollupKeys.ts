// Thread: `codeOf` on the engine thread (inside a write transaction); `isCoded` on any thread.
import type { Database, Statement } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/**
 * The (dim, key) pairs of the rollup tables as small integers (migration 230). On PaySim-derived
 * traffic nearly every event has its own per-second rows, and their TEXT dim and key were half
 * of each row; a code of one or two bytes stands in for them, and the views of the old names
 * put them back for readers.
 */
export class RollupKeys {
  private readonly sql: StatementCache;
  private readonly codes = new Map<string, number>();
  private find: Statement | null = null;
  private create: Statement | null = null;
  private coded: boolean | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /**
   * Whether the database holds the coded form. A database of a schema before 230 (a tool or a
   * test opens it before it migrates) keeps its rollups by name, and its writers write them so.
   */
  isCoded(): boolean {
    return (this.coded ??= this.sql.hasTables('rollup_key'));
  }

  /** The code of (dim, key), added to the catalogue in the caller's transaction when new. */
  codeOf(dim: string, key: string): number {
    const k = `${dim}\u0000${key}`;
    const known = this.codes.get(k);
    if (known !== undefined) return known;
    (this.create ??= this.sql.prepare('INSERT OR IGNORE INTO rollup_key (dim, key) VALUES (?, ?)')).run(dim, key);
    const code = (this.find ??= this.sql.pluck('SELECT code FROM rollup_key WHERE dim = ? AND key = ?')).get(dim, key) as number;
    this.codes.set(k, code);
    return code;
  }

  /**
   * A write transaction rolled back: a code it added is gone, and the next new pair may be given
   * the same number. Everything is looked up again (a few dozen pairs).
   */
  forgetUncommitted(): void {
    this.codes.clear();
  }
}
