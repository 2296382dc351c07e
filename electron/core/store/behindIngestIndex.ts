// Thread: the engine thread (in the ingest transaction, or when a bulk load ends).
// An index filled behind ingest (the payment index, migration 260; the merchant index, 280):
// the events up to its state's through_seq are in it; the newer ones, the tail, are found by
// readers with a scan of their seq range. A seal moves the tail in with one INSERT ... SELECT,
// in the ingest transaction that finds the tail long enough, unless a bulk load (a replay)
// defers it to its end. Deferral is stored, so a killed replay is caught up at the next start.
import type { Database } from 'better-sqlite3';
import { StatementCache } from './statementCache';

/** What one such index is: its state table and the statement that fills it from the tail. */
export interface BehindIngestSpec {
  /** The table holding (id = 1, through_seq, deferred). */
  state: string;
  /** Inserts the rows of events with seq > through_seq (it reads the mark from `state`). */
  fill: string;
}

interface TailState {
  tail: number;
  deferred: number;
}

export class BehindIngestIndex {
  private readonly sql: StatementCache;

  constructor(
    db: Database,
    private readonly spec: BehindIngestSpec,
    private readonly sealRows: number,
  ) {
    this.sql = new StatementCache(db);
  }

  /** Whether the database has it (a test's writer may run on an older schema). */
  static presentIn(db: Database, spec: BehindIngestSpec): boolean {
    return new StatementCache(db).hasTables(spec.state);
  }

  /** In the ingest transaction: seals when the tail reached `sealRows` and no bulk load defers it; returns the tail's span in seqs (0: not due). */
  sealIfDue(): number {
    const { tail, deferred } = this.tailState();
    return deferred || tail < this.sealRows ? 0 : this.sealAll();
  }

  /** A bulk load: no seal until `catchUp`. */
  defer(): void {
    this.sql.prepare(`UPDATE ${this.spec.state} SET deferred = 1`).run();
  }

  /**
   * Seals the whole tail now if it holds more than `sealRows`, even while a bulk load defers
   * seals (which its catchUp still ends); returns the tail's span sealed (0: none). For readers
   * that look many payments up while nothing new is stored: a replay sought back.
   */
  sealLongTail(): number {
    return this.tailState().tail > this.sealRows ? this.sealAll() : 0;
  }

  /** Seals the whole tail if a bulk load deferred it; true when it did. */
  catchUp(): boolean {
    return this.sql.transaction(() => {
      if (!this.tailState().deferred) return false;
      this.sealAll();
      this.sql.prepare(`UPDATE ${this.spec.state} SET deferred = 0`).run();
      return true;
    })();
  }

  /** How many seqs are in the tail, and whether a bulk load defers sealing. */
  private tailState(): TailState {
    return this.sql
      .prepare(`SELECT COALESCE((SELECT MAX(seq) FROM event_log), 0) - through_seq AS tail, deferred FROM ${this.spec.state}`)
      .get() as TailState;
  }

  /** Moves the whole tail into the index (in the caller's transaction, or its own); returns the tail's span in seqs. */
  private sealAll(): number {
    return this.sql.transaction(() => {
      const { tail } = this.tailState();
      if (tail <= 0) return 0;
      this.sql.prepare(this.spec.fill).run();
      this.sql.prepare(`UPDATE ${this.spec.state} SET through_seq = (SELECT MAX(seq) FROM event_log)`).run();
      return tail;
    })();
  }
}
