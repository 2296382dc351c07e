// Thread: whichever thread owns the connection (the engine thread, inside an ingest transaction).
// Many rows into one table, ROWS_PER_STATEMENT to a statement. A better-sqlite3 `run` costs about
// as much again around SQLite's own step (binding, the result object, resetting the statement),
// and an ingest batch writes several rollup and segment cells per event on sparse traffic.
import type { Database, Statement } from 'better-sqlite3';

const ROWS_PER_STATEMENT = 32;

export class RowBatch {
  private values: unknown[] = [];
  /** The statement for each row count, prepared on first use. */
  private readonly statements: Statement[] = [];

  /**
   * `insert`: up to and including VALUES (`INSERT INTO t (a, b) VALUES`); `width`: columns per
   * row; `conflict`: what follows the rows (an ON CONFLICT clause, or '').
   */
  constructor(
    private readonly db: Database,
    private readonly insert: string,
    private readonly width: number,
    private readonly conflict: string,
  ) {}

  /** Queues one row (`width` values); a full statement's worth is written at once. */
  add(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
    if (this.values.length === this.width * ROWS_PER_STATEMENT) this.write();
  }

  /** Writes what is queued. Call before anything in the transaction reads the table. */
  flush(): void {
    if (this.values.length > 0) this.write();
  }

  /** Forgets what is queued (its transaction rolled back). */
  discard(): void {
    this.values = [];
  }

  private write(): void {
    const rows = this.values.length / this.width;
    let statement = this.statements[rows];
    if (!statement) {
      const one = `(${new Array(this.width).fill('?').join(', ')})`;
      statement = this.statements[rows] = this.db.prepare(`${this.insert} ${new Array(rows).fill(one).join(', ')} ${this.conflict}`);
    }
    const values = this.values;
    this.values = [];
    // As arguments, not as one array: better-sqlite3 reads an array's values one by one through
    // V8's API (Object::Get, ~420 instructions a value: 6,400 per PaySim event), arguments directly.
    statement.run(...values);
  }
}
