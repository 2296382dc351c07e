// Thread: `addAll` on the engine thread (in the ingest transaction); reads on either thread.
import type { Database } from 'better-sqlite3';
import { CodeCatalogue } from './codeCatalogue';
import { RowBatch } from './rowBatch';
import { StatementCache } from './statementCache';
import { stepStartArgs, stepStartSql } from './stepStart';

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

/** A row of `RollupRepository.sums`. */
interface SumRow {
  g: number;
  dim: string;
  key: string;
  n: number;
  a: number;
}

const ADD_INSERT = 'INSERT INTO rollup_second_coded (sec, code, count, amount) VALUES';
const ADD_CONFLICT = 'ON CONFLICT (sec, code) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount';

/** The same into a database of a schema before 230 (its rollups by name). */
const ADD_NAMED_ROLLUP = `INSERT INTO rollup_second (sec, dim, key, count, amount) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (sec, dim, key) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

export class RollupRepository {
  private readonly sql: StatementCache;
  private addRows: RowBatch | null = null;

  /** `keys`: the codes of (dim, key), shared with the minute rollups of the same connection. */
  constructor(
    db: Database,
    private readonly keys = CodeCatalogue.rollupKeys(db),
  ) {
    this.sql = new StatementCache(db);
  }

  /** Adds each cell's count and amount to what its second already holds (an ingest batch's cells). */
  addAll(cells: Iterable<RollupCell>): void {
    if (!this.keys.isCoded()) {
      const named = this.sql.prepare(ADD_NAMED_ROLLUP);
      for (const c of cells) named.run(c.sec, c.dim, c.key, c.count, c.amount);
      return;
    }
    const rows = (this.addRows ??= new RowBatch(this.sql.db, ADD_INSERT, 4, ADD_CONFLICT));
    for (const c of cells) rows.add(c.sec, this.keys.codeOfPair(c.dim, c.key), c.count, c.amount);
    rows.flush();
  }

  /** After a write transaction rolled back: codes it added are gone (CodeCatalogue.forgetUncommitted). */
  forgetUncommitted(): void {
    this.addRows?.discard();
    this.keys.forgetUncommitted();
  }

  /** The 'type' and 'authorized' cells of [fromSec, toSec): what the live windows count by the second (a replay sought back refills them). */
  liveWindowCells(fromSec: number, toSec: number): RollupCell[] {
    return this.sql
      .prepare(`SELECT sec, dim, key, count, amount FROM rollup_second WHERE sec >= ? AND sec < ? AND dim IN ('type', 'authorized')`)
      .all(fromSec, toSec) as RollupCell[];
  }

  /** Events by type over everything stored, by type name. */
  countsByType(): { key: string; n: number }[] {
    return this.sums({ dims: "dim = 'type'", order: 'key' }).map(({ key, n }) => ({ key, n }));
  }

  /** Authorized amounts over everything stored, by currency. */
  authorizedByCurrency(): { key: string; total: number }[] {
    return this.sums({ dims: "dim = 'authorized'", order: 'key' }).map(({ key, a }) => ({ key, total: a }));
  }

  /** The first and last second that holds figures, or null when none does. */
  secondRange(): { first: number; last: number } | null {
    const table = this.keys.isCoded() ? 'rollup_second_coded' : 'rollup_second';
    const row = this.sql.prepare(`SELECT MIN(sec) AS first, MAX(sec) AS last FROM ${table}`).get() as { first: number | null; last: number | null };
    return row.first === null || row.last === null ? null : { first: row.first, last: row.last };
  }

  /** Events by type in [fromSec, toSec), summed per `stepSec` (t = the step's first second), oldest first. */
  typeCountsBySteps(stepSec: number, fromSec: number, toSec: number): { t: number; key: string; n: number }[] {
    return this.sums({ group: stepStartSql('sec'), groupArgs: stepStartArgs(stepSec), fromSec, toSec, dims: "dim = 'type'", order: 'g' }).map(({ g, key, n }) => ({ t: g, key, n }));
  }

  /** Every cell but 'type' in [fromSec, toSec), summed per (dim, key): a report window's whole seconds. */
  sumsExceptType(fromSec: number, toSec: number): { dim: string; key: string; n: number; a: number }[] {
    return this.sums({ fromSec, toSec, dims: "dim <> 'type'" }).map(({ dim, key, n, a }) => ({ dim, key, n, a }));
  }

  /** Risk decisions in [fromSec, toSec) per bucket of `bucketSec` counted from `startSec` (b = bucket index). */
  decisionsByBucket(startSec: number, bucketSec: number, fromSec: number, toSec: number): { b: number; key: string; n: number }[] {
    return this.sums({ group: 'CAST((sec - ?) / ? AS INTEGER)', groupArgs: [startSec, bucketSec], fromSec, toSec, dims: "dim = 'decision'" }).map(({ g, key, n }) => ({
      b: g,
      key,
      n,
    }));
  }

  /**
   * Count and amount sums of the cells of `dims` (SQL over dim), per `group` (an expression of
   * sec; one group when absent) and pair, in [fromSec, toSec) when given. Coded, the cells are
   * summed per code and the pairs named after: a key lookup per sum, not per row (a 24-hour
   * report reads ~500,000 per-second rows at 10 M events a week). Amounts are summed with
   * TOTAL (a double, exact up to 2^53): SUM refuses a window whose sum passes 2^63 with
   * "integer overflow", and amounts of up to 2^53 - 1 each are valid (EVENTS.md).
   */
  private sums(q: { group?: string; groupArgs?: unknown[]; fromSec?: number; toSec?: number; dims: string; order?: 'key' | 'g' }): SumRow[] {
    const group = q.group ?? '0';
    const range = q.fromSec === undefined ? '1' : 'sec >= ? AND sec < ?';
    const args = [...(q.groupArgs ?? []), ...(q.fromSec === undefined ? [] : [q.fromSec, q.toSec])];
    const order = q.order ? `ORDER BY ${q.order}` : '';
    const sql = this.keys.isCoded()
      ? `SELECT s.g AS g, k.dim AS dim, k.key AS key, s.n AS n, s.a AS a FROM (
           SELECT ${group} AS g, code, SUM(count) AS n, TOTAL(amount) AS a FROM rollup_second_coded
           WHERE ${range} AND code IN (SELECT code FROM rollup_key WHERE ${q.dims}) GROUP BY g, code
         ) s JOIN rollup_key k ON k.code = s.code ${order}`
      : `SELECT ${group} AS g, dim, key, SUM(count) AS n, TOTAL(amount) AS a FROM rollup_second WHERE ${range} AND ${q.dims} GROUP BY g, dim, key ${order}`;
    return this.sql.prepare(sql).all(...args) as SumRow[];
  }
}
