// Thread: the engine thread writes (IdentityTail, in the ingest transaction); any thread reads
// through identitySeqs.
// The identity index (migration 270) is filled behind ingest: events up to through_seq are in
// event_identity_index; the newer ones, the tail, are held in memory by the writer (ident ->
// seq) and found by readers with a scan of their seq range. The writer looks each new event's
// identity up in both before it stores it: a read of one leaf page, where a UNIQUE index kept
// in order row by row dirtied one leaf page per event and wrote it to the WAL twice (BENCHMARKS.md,
// thirteenth session). A seal moves the tail into the index sorted, so each leaf page is
// written once per seal however many of its keys arrive.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/**
 * Events in the tail before a seal. A seal writes each leaf page its keys land on, and at a
 * million events they land on nearly all of them: fewer, larger seals write less (storing
 * 1,000,000 PaySim-derived events: 20.5 µs per event sealing every 20,000, 15.1 every 100,000;
 * BENCHMARKS.md, thirteenth session). The writer holds the tail's identities in memory (a Map
 * of this many numbers, a few MB), and a search by event id scans the tail's rows.
 */
export const IDENTITY_INDEX_SEAL_ROWS = 100_000;

/**
 * The seqs of the events holding any of the identity hashes `idents`, for `WHERE seq IN (sql)`:
 * one scan of the tail for all of them (an id searched for is hashed with every known source).
 * A read-only connection may hold a schema before migration 270, where the UNIQUE index finds them.
 */
export function identitySeqs(sql: StatementCache, idents: number[]): { sql: string; args: number[] } {
  const list = idents.map(() => '?').join(', ');
  return sql.hasTables('event_identity_index_state')
    ? {
        sql: `SELECT seq FROM event_identity_index WHERE ident IN (${list})
          UNION ALL SELECT seq FROM event_log WHERE seq > (SELECT through_seq FROM event_identity_index_state) AND ident IN (${list})`,
        args: [...idents, ...idents],
      }
    : { sql: `SELECT seq FROM event_log WHERE ident IN (${list})`, args: idents };
}

/**
 * The writer's view of the identities stored: the tail in memory, the index on disk. It stays
 * exact while this connection is the only writer of new rows and nothing it learned rolls
 * back. Any row it did not see being written shows as a gap in the seqs (`added` returns
 * false), and a rollback calls `forget`; either way the tail is read again from the database.
 */
export class IdentityTail {
  private readonly sql: StatementCache;
  private tail = new Map<number, number>();
  private through = 0;
  /** The newest seq this view accounts for; null until read from the database. */
  private lastSeq: number | null = null;

  constructor(
    db: Database,
    private readonly sealRows = IDENTITY_INDEX_SEAL_ROWS,
  ) {
    this.sql = new StatementCache(db);
  }

  /** Whether the database has it (a test's writer may run on a schema before migration 270). */
  static existsIn(db: Database): boolean {
    return new StatementCache(db).hasTables('event_identity_index_state');
  }

  /** The seq of the stored event holding `ident`, if any (the tail first, then one seek in the index). */
  holderOf(ident: number): number | undefined {
    this.sync();
    return this.tail.get(ident) ?? (this.sql.pluck('SELECT seq FROM event_identity_index WHERE ident = ? LIMIT 1').get(ident) as number | undefined);
  }

  /**
   * Records a row just stored as `seq` (`ident` null: stored without one). False when `seq`
   * does not follow the newest row this view knows: someone else wrote or deleted rows since,
   * and the caller must not trust the check it made (the view is read again on next use).
   */
  added(ident: number | null, seq: number): boolean {
    if (this.lastSeq === null || seq !== this.lastSeq + 1) {
      this.lastSeq = null;
      return false;
    }
    this.lastSeq = seq;
    if (ident !== null) this.tail.set(ident, seq);
    return true;
  }

  /**
   * A holder this view named is gone (deleted since the tail was read): forgets it so the
   * identity is free again. An index row left by a delete that bypassed the triggers goes too,
   * or the writer would be sent to it again and again.
   */
  dropHolder(ident: number, seq: number): void {
    if (this.tail.get(ident) === seq) this.tail.delete(ident);
    else this.sql.prepare('DELETE FROM event_identity_index WHERE ident = ? AND seq = ?').run(ident, seq);
  }

  /** The transaction that stored what this view learned rolled back. */
  forget(): void {
    this.lastSeq = null;
  }

  /** In the ingest transaction: moves the tail into the index when it holds `sealRows` events; returns how many seqs it moved (0: not due). */
  sealIfDue(): number {
    this.sync();
    return this.lastSeq! - this.through < this.sealRows ? 0 : this.seal();
  }

  /** Moves the tail into the index, in the caller's transaction or its own (the rows and the mark go together). */
  private seal(): number {
    const span = this.lastSeq! - this.through;
    this.sql.transaction(() => {
      this.sql
        .prepare(
          `INSERT INTO event_identity_index (ident, seq)
             SELECT ident, seq FROM event_log WHERE seq > ? AND ident IS NOT NULL ORDER BY ident, seq`,
        )
        .run(this.through);
      this.sql.prepare('UPDATE event_identity_index_state SET through_seq = ?').run(this.lastSeq);
    })();
    this.through = this.lastSeq!;
    this.tail.clear();
    return span;
  }

  /** Reads the tail and the newest seq from the database when this view may be stale. */
  private sync(): void {
    if (this.lastSeq !== null) return;
    this.through = this.sql.pluck('SELECT through_seq FROM event_identity_index_state').get() as number;
    this.lastSeq = this.sql.pluck('SELECT COALESCE(MAX(seq), 0) FROM event_log').get() as number;
    this.tail.clear();
    // A tail written by something other than a writer that seals (a bulk load) is sealed
    // rather than read into memory.
    if (this.lastSeq - this.through >= this.sealRows) {
      this.seal();
      return;
    }
    const rows = this.sql.raw('SELECT ident, seq FROM event_log WHERE seq > ? AND ident IS NOT NULL').iterate(this.through) as IterableIterator<[number, number]>;
    for (const [ident, seq] of rows) this.tail.set(ident, seq);
  }
}
