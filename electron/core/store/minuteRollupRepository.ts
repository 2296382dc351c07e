// Thread: `batch().flush()` on the engine thread (inside the ingest transaction); reads on
// either thread. The per-minute rollups of migration 170 that the dashboard's charts read.
import type { Database, Statement } from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import { latencyBucket } from '../../../shared/latencyHistogram';
import { StatementCache } from './statementCache';

export type MinuteDim = 'type' | 'authorized' | 'declined' | 'decline' | 'decision' | 'failed' | 'latency';

/** One step of a dimension: `t` is the step's first minute (epoch minutes). */
export interface MinuteCell {
  t: number;
  key: string;
  n: number;
  a: number;
}

const ADD = `INSERT INTO rollup_minute (dim, minute, key, count, amount) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (dim, minute, key) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

/** What one ingest batch adds, summed in memory so each (dim, minute, key) is one upsert. */
export class MinuteRollupBatch {
  private readonly cells = new Map<string, { dim: MinuteDim; minute: number; key: string; count: number; amount: number }>();

  constructor(private readonly write: (dim: MinuteDim, minute: number, key: string, count: number, amount: number) => void) {}

  private add(dim: MinuteDim, minute: number, key: string, amount: number): void {
    const k = `${dim}\u0000${minute}\u0000${key}`;
    const cell = this.cells.get(k);
    if (cell) {
      cell.count += 1;
      cell.amount += amount;
    } else this.cells.set(k, { dim, minute, key, count: 1, amount });
  }

  /** A newly stored event at `timeMs` (event time; arrival time for unknown types without one). */
  observe(e: NormalizedEvent, timeMs: number): void {
    const minute = Math.floor(timeMs / 60_000);
    this.add('type', minute, e.type, 0);
    if (e.category === 'unknown') return;
    if (e.type === 'payment.authorized') this.add('authorized', minute, e.currency ?? '', e.amount ?? 0);
    else if (e.type === 'payment.declined') {
      this.add('declined', minute, e.currency ?? '', e.amount ?? 0);
      this.add('decline', minute, e.declineCode ?? 'unknown', 0);
    } else if (e.type === 'payment.failed') this.add('failed', minute, e.currency ?? '', e.amount ?? 0);
    else if (e.type === 'risk.scored') this.add('decision', minute, e.decision ?? 'unknown', e.score ?? 0);
    if (e.category === 'payment' && e.latencyMs !== null) {
      const bucket = latencyBucket(e.latencyMs);
      if (bucket !== null) this.add('latency', minute, String(bucket), e.latencyMs);
    }
  }

  flush(): void {
    for (const c of this.cells.values()) this.write(c.dim, c.minute, c.key, c.count, c.amount);
    this.cells.clear();
  }
}

export class MinuteRollupRepository {
  private readonly sql: StatementCache;
  private addStatement: Statement | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** A batch whose flush writes through this repository (call it inside the ingest transaction). */
  batch(): MinuteRollupBatch {
    return new MinuteRollupBatch((dim, minute, key, count, amount) => {
      (this.addStatement ??= this.sql.prepare(ADD)).run(dim, minute, key, count, amount);
    });
  }

  /** A dimension's cells in minutes [fromMin, toMin), summed per `stepMin` minutes, oldest first. */
  bySteps(dim: MinuteDim, stepMin: number, fromMin: number, toMin: number): MinuteCell[] {
    return this.sql
      .prepare(
        `SELECT CAST(minute / ? AS INTEGER) * ? AS t, key, SUM(count) AS n, SUM(amount) AS a FROM rollup_minute
         WHERE dim = ? AND minute >= ? AND minute < ? GROUP BY t, key ORDER BY t`,
      )
      .all(stepMin, stepMin, dim, fromMin, toMin) as MinuteCell[];
  }

  /** A dimension's totals per key in minutes [fromMin, toMin). */
  totals(dim: MinuteDim, fromMin: number, toMin: number): { key: string; n: number; a: number }[] {
    return this.sql
      .prepare(`SELECT key, SUM(count) AS n, SUM(amount) AS a FROM rollup_minute WHERE dim = ? AND minute >= ? AND minute < ? GROUP BY key`)
      .all(dim, fromMin, toMin) as { key: string; n: number; a: number }[];
  }
}
