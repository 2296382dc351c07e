// Thread: `codeOf` on the engine thread (inside a write transaction); `isCoded` on any thread.
import type { Database } from 'better-sqlite3';
import { CodeCatalogue } from './codeCatalogue';
import { StatementCache } from './statementCache';

/**
 * The (dim, key) pairs of the rollup tables as small integers (migration 230). On PaySim-derived
 * traffic nearly every event has its own per-second rows, and their TEXT dim and key were half
 * of each row; a code of one or two bytes stands in for them, and the views of the old names
 * put them back for readers.
 */
export class RollupKeys {
  private readonly sql: StatementCache;
  private readonly catalogue: CodeCatalogue;
  private coded: boolean | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
    this.catalogue = new CodeCatalogue(this.sql, 'rollup_key', 'code', ['dim', 'key']);
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
    return this.catalogue.codeOf(dim, key);
  }

  /** A write transaction rolled back: codes it added are gone (CodeCatalogue.forgetUncommitted). */
  forgetUncommitted(): void {
    this.catalogue.forgetUncommitted();
  }
}
