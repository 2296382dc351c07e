// Thread: `add` on the engine thread (in the ingest transaction); reads on either thread.
import type { Database, Statement } from 'better-sqlite3';
import { RollupKeys } from './rollupKeys';
import { StatementCache } from './statementCache';

/**
 * One cell of the per-second rollups (migration 001). dim: 'type' (key = event type),
 * 'authorized' (key = currency, amount = sum), 'decline' (key = decline code), 'decision'
 * (key = the risk decision of risk.scored events, amount = score sum; migration 115),
 * 'failed' (key = currency). Per-payment counts are per minute only (minuteRollupRepository.ts).
 */
export interface RollupCell {
  sec: number;
  dim: string;
  key: string;
  count: number;
  amount: number;
}

const ADD_ROLLUP = `INSERT INTO rollup_second_coded (sec, code, count, amount) VALUES (?, ?, ?, ?)
  ON CONFLICT (sec, code) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

/** The same into a database of a schema before 230 (its rollups by name). */
const ADD_NAMED_ROLLUP = `INSERT INTO rollup_second (sec, dim, key, count, amount) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (sec, dim, key) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

export class RollupRepository {
  private readonly sql: StatementCache;
  private addStatement: Statement | null = null;

  /** `keys`: the codes of (dim, key), shared with the minute rollups of the same connection. */
  constructor(
    db: Database,
    private readonly keys = new RollupKeys(db),
  ) {
    this.sql = new StatementCache(db);
  }

  /** Adds a cell's count and amount to what the second already holds. */
  add(c: RollupCell): void {
    if (!this.keys.isCoded()) {
      this.sql.prepare(ADD_NAMED_ROLLUP).run(c.sec, c.dim, c.key, c.count, c.amount);
      return;
    }
    (this.addStatement ??= this.sql.prepare(ADD_ROLLUP)).run(c.sec, this.keys.codeOf(c.dim, c.key), c.count, c.amount);
  }

  /** After a write transaction rolled back: codes it added are gone (RollupKeys.forgetUncommitted). */
  forgetUncommitted(): void {
    this.keys.forgetUncommitted();
  }

  /** Events by type over everything stored, by type name. */
  countsByType(): { key: string; n: number }[] {
    return this.sql.prepare(`SELECT key, SUM(count) AS n FROM rollup_second WHERE dim = 'type' GROUP BY key ORDER BY key`).all() as { key: string; n: number }[];
  }

  /** Authorized amounts over everything stored, by currency. */
  authorizedByCurrency(): { key: string; total: number }[] {
    return this.sql
      .prepare(`SELECT key, SUM(amount) AS total FROM rollup_second WHERE dim = 'authorized' GROUP BY key ORDER BY key`)
      .all() as { key: string; total: number }[];
  }

  /** Events by type in [fromSec, toSec), summed per `stepSec` (t = the step's first second), oldest first. */
  typeCountsBySteps(stepSec: number, fromSec: number, toSec: number): { t: number; key: string; n: number }[] {
    return this.sql
      .prepare(
        `SELECT CAST(sec / ? AS INTEGER) * ? AS t, key, SUM(count) AS n FROM rollup_second
         WHERE dim = 'type' AND sec >= ? AND sec < ? GROUP BY t, key ORDER BY t`,
      )
      .all(stepSec, stepSec, fromSec, toSec) as { t: number; key: string; n: number }[];
  }

  /** Every cell but 'type' in [fromSec, toSec), summed per (dim, key): a report window's whole seconds. */
  sumsExceptType(fromSec: number, toSec: number): { dim: string; key: string; n: number; a: number }[] {
    return this.sql
      .prepare(`SELECT dim, key, SUM(count) AS n, SUM(amount) AS a FROM rollup_second WHERE sec >= ? AND sec < ? AND dim <> 'type' GROUP BY dim, key`)
      .all(fromSec, toSec) as { dim: string; key: string; n: number; a: number }[];
  }

  /** Risk decisions in [fromSec, toSec) per bucket of `bucketSec` counted from `startSec` (b = bucket index). */
  decisionsByBucket(startSec: number, bucketSec: number, fromSec: number, toSec: number): { b: number; key: string; n: number }[] {
    return this.sql
      .prepare(
        `SELECT CAST((sec - ?) / ? AS INTEGER) AS b, key, SUM(count) AS n FROM rollup_second
         WHERE sec >= ? AND sec < ? AND dim = 'decision' GROUP BY b, key`,
      )
      .all(startSec, bucketSec, fromSec, toSec) as { b: number; key: string; n: number }[];
  }
}
