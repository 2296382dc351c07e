// Thread: the engine thread (inside the ingest transaction, through SegmentRollupRepository).
import type { Statement } from 'better-sqlite3';
import type { StatementCache } from './statementCache';

/**
 * The id of each (dim, value) in segment_key (migration 240), the column the coded segment
 * tables hold in their place. Ids are remembered for the life of the writer, since keys are
 * never deleted; a new one is created inside the ingest transaction, so after a rolled-back
 * batch `forget()` must be called: the same id may then be given to another pair.
 */
export class SegmentKeys {
  private readonly ids = new Map<string, number>();
  private find: Statement | null = null;
  private add: Statement | null = null;

  constructor(private readonly sql: StatementCache) {}

  idOf(dim: string, value: string): number {
    const k = `${dim}\u0000${value}`;
    const known = this.ids.get(k);
    if (known !== undefined) return known;
    const find = (this.find ??= this.sql.pluck('SELECT id FROM segment_key WHERE dim = ? AND value = ?'));
    let id = find.get(dim, value) as number | undefined;
    if (id === undefined) id = Number((this.add ??= this.sql.prepare('INSERT INTO segment_key (dim, value) VALUES (?, ?)')).run(dim, value).lastInsertRowid);
    this.ids.set(k, id);
    return id;
  }

  /** After a rolled-back batch: the ids it created are gone from the database. */
  forget(): void {
    this.ids.clear();
  }
}
