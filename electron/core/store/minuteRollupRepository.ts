// Thread: `batch().flush()` on the engine thread (inside the ingest transaction); reads on
// either thread. The per-minute rollups of migration 170 that the dashboard's charts read.
import type { Database } from 'better-sqlite3';
import type { NormalizedEvent } from '../../../shared/events/eventTypes';
import { latencyBucket } from '../../../shared/latencyHistogram';
import { DOUBLE_FIELD, PairIds, cellKey } from './cellKeys';
import { CodeCatalogue } from './codeCatalogue';
import { AUTHORIZATION_ATTEMPT_TYPES } from './eventTypeSql';
import { RowBatch } from './rowBatch';
import { StatementCache } from './statementCache';
import { stepStartArgs, stepStartSql } from './stepStart';

/** 'payment': keys 'started' and 'approved', payments at their start minute (paymentOutcomes.ts). */
export type MinuteDim = 'type' | 'authorized' | 'declined' | 'decline' | 'decision' | 'failed' | 'latency' | 'payment';

/** One step of a dimension: `t` is the step's first minute (epoch minutes). */
export interface MinuteCell {
  t: number;
  key: string;
  n: number;
  a: number;
}

/** Adds cells to a table; `flush` writes what `add` queued. */
interface CellWriter {
  add(dim: MinuteDim, at: number, key: string, count: number, amount: number): void;
  flush(): void;
}

/** The attempts whose latencyMs is authorization latency (authorized + declined + failed, as the rates count attempts). */
const AUTHORIZATION_ATTEMPTS: ReadonlySet<string> = new Set(AUTHORIZATION_ATTEMPT_TYPES);

/** Adds cells to `table` (coded, migration 230) at `at`: the rows go between these two. */
const addHead = (table: string, at: string) => `INSERT INTO ${table} (code, ${at}, count, amount) VALUES`;
const addConflict = (at: string) => `ON CONFLICT (code, ${at}) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

/** The same into a database of a schema before 230 (its rollups by name). */
const addNamedSql = (table: string, at: string) => `INSERT INTO ${table} (dim, ${at}, key, count, amount) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT (dim, ${at}, key) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount`;

/** What one ingest batch adds, summed in memory so each (dim, minute, key) is one upsert. */
export class MinuteRollupBatch {
  private readonly cells = new Map<number | string, { dim: MinuteDim; minute: number; key: string; count: number; amount: number; id: number }>();

  constructor(
    private readonly write: CellWriter,
    /** The ten-minute rollups (migration 180), summed from the same cells. */
    private readonly writeTen: CellWriter | null = null,
    /** Ids of (dim, key) for the cells' keys; the repository's, so they outlive the batch. */
    private readonly ids = new PairIds(),
  ) {}

  private add(dim: MinuteDim, minute: number, key: string, amount: number, count = 1): void {
    const id = this.ids.id(dim, key);
    const k = cellKey(minute, id);
    const cell = this.cells.get(k);
    if (cell) {
      cell.count += count;
      cell.amount += amount;
    } else {
      const created = { dim, minute, key, count, amount: DOUBLE_FIELD, id };
      created.amount = amount;
      this.cells.set(k, created);
    }
  }

  /** A change to the per-payment counts at second `sec` (from PaymentOutcomes). */
  addPayment(sec: number, key: 'started' | 'approved', delta: number): void {
    this.add('payment', Math.floor(sec / 60), key, 0, delta);
  }

  /** A newly stored event at `timeMs` (event time; arrival time for unknown types without one). */
  observe(e: NormalizedEvent, timeMs: number): void {
    const minute = Math.floor(timeMs / 60_000);
    this.add('type', minute, e.type, 0);
    if (e.category === 'unknown') return;
    if (e.type === 'payment.authorized') this.add('authorized', minute, e.currency ?? '', e.amount ?? 0);
    else if (e.type === 'payment.declined') {
      this.add('declined', minute, e.currency ?? '', e.amount ?? 0);
      this.add('decline', minute, e.declineCode || 'unknown', 0);
    } else if (e.type === 'payment.failed') this.add('failed', minute, e.currency ?? '', e.amount ?? 0);
    else if (e.type === 'risk.scored') this.add('decision', minute, e.decision ?? 'unknown', e.score ?? 0);
    // Authorization latency: the attempts' only. A capture's or refund's latencyMs is the time
    // of another call (a batch capture takes minutes) and would pass for a slow issuer.
    if (AUTHORIZATION_ATTEMPTS.has(e.type) && e.latencyMs !== null) {
      const bucket = latencyBucket(e.latencyMs);
      if (bucket !== null) this.add('latency', minute, String(bucket), e.latencyMs);
    }
  }

  flush(): void {
    const tens = this.writeTen ? new Map<number | string, { dim: MinuteDim; bucket: number; key: string; count: number; amount: number }>() : null;
    for (const c of this.cells.values()) {
      if (c.count === 0 && c.amount === 0) continue; // a payment's start moved within the batch
      this.write.add(c.dim, c.minute, c.key, c.count, c.amount);
      if (!tens) continue;
      const bucket = Math.floor(c.minute / 10);
      const k = cellKey(bucket, c.id);
      const ten = tens.get(k);
      if (ten) {
        ten.count += c.count;
        ten.amount += c.amount;
      } else {
        const created = { dim: c.dim, bucket, key: c.key, count: c.count, amount: DOUBLE_FIELD };
        created.amount = c.amount;
        tens.set(k, created);
      }
    }
    this.write.flush();
    if (tens && this.writeTen) {
      for (const t of tens.values()) this.writeTen.add(t.dim, t.bucket, t.key, t.count, t.amount);
      this.writeTen.flush();
    }
    this.cells.clear();
  }
}

export class MinuteRollupRepository {
  private readonly sql: StatementCache;
  private tenMinuteTable: boolean | null = null;
  private readonly cellIds = new PairIds();
  /** The coded tables' queued rows, by table. */
  private readonly rowBatches = new Map<string, RowBatch>();

  /** `keys`: the codes of (dim, key), shared with the per-second rollups of the same connection. */
  constructor(
    db: Database,
    private readonly keys = CodeCatalogue.rollupKeys(db),
  ) {
    this.sql = new StatementCache(db);
  }

  /** A batch whose flush writes through this repository (call it inside the ingest transaction). */
  batch(): MinuteRollupBatch {
    return new MinuteRollupBatch(this.cellWriter('rollup_minute', 'minute'), this.hasTenMinutes() ? this.cellWriter('rollup_ten_minute', 'bucket') : null, this.cellIds);
  }

  /** After a write transaction rolled back: codes it added are gone (CodeCatalogue.forgetUncommitted). */
  forgetUncommitted(): void {
    for (const rows of this.rowBatches.values()) rows.discard();
    this.keys.forgetUncommitted();
  }

  /** Each table's writer, made once: a writer made per batch was a new call target in MinuteRollupBatch.flush, which deoptimized it. */
  private readonly cellWriters = new Map<string, CellWriter>();

  private cellWriter(table: 'rollup_minute' | 'rollup_ten_minute', at: 'minute' | 'bucket'): CellWriter {
    let writer = this.cellWriters.get(table);
    if (writer) return writer;
    if (!this.keys.isCoded()) {
      const named = this.sql.prepare(addNamedSql(table, at));
      writer = { add: (dim, t, key, count, amount) => named.run(dim, t, key, count, amount), flush: () => undefined };
    } else {
      const rows = new RowBatch(this.sql.db, addHead(`${table}_coded`, at), 4, addConflict(at));
      this.rowBatches.set(table, rows);
      writer = { add: (dim, t, key, count, amount) => rows.add(this.keys.codeOfPair(dim, key), t, count, amount), flush: () => rows.flush() };
    }
    this.cellWriters.set(table, writer);
    return writer;
  }

  /**
   * A dimension's cells in minutes [fromMin, toMin), summed per `stepMin` minutes, oldest first.
   * Steps of whole ten minutes read the ten-minute rollups for the whole buckets inside the
   * window and the minutes only for its ragged ends: the same sums from a tenth of the rows.
   */
  bySteps(dim: MinuteDim, stepMin: number, fromMin: number, toMin: number): MinuteCell[] {
    const innerFrom = Math.ceil(fromMin / 10) * 10;
    const innerTo = Math.floor(toMin / 10) * 10;
    if (stepMin % 10 !== 0 || innerTo <= innerFrom || !this.hasTenMinutes()) return this.minuteSteps(dim, stepMin, fromMin, toMin);
    // A step of one bucket is the rows as stored, in key order: grouping them again cost ~40 %.
    const tens = (
      stepMin === 10
        ? this.sql
            .prepare(`SELECT bucket * 10 AS t, key, count AS n, amount AS a FROM rollup_ten_minute WHERE dim = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`)
            .all(dim, innerFrom / 10, innerTo / 10)
        : this.sql
            .prepare(
              `SELECT ${stepStartSql('bucket')} * 10 AS t, key, SUM(count) AS n, SUM(amount) AS a FROM rollup_ten_minute
               WHERE dim = ? AND bucket >= ? AND bucket < ? GROUP BY t, key ORDER BY t`,
            )
            .all(...stepStartArgs(stepMin / 10), dim, innerFrom / 10, innerTo / 10)
    ) as MinuteCell[];
    const head = innerFrom > fromMin ? this.minuteSteps(dim, stepMin, fromMin, innerFrom) : [];
    const tail = toMin > innerTo ? this.minuteSteps(dim, stepMin, innerTo, toMin) : [];
    return head.length === 0 && tail.length === 0 ? tens : mergeCells([...head, ...tens, ...tail]);
  }

  /** A dimension's totals per key in minutes [fromMin, toMin): whole ten-minute buckets from their rollups. */
  totals(dim: MinuteDim, fromMin: number, toMin: number): { key: string; n: number; a: number }[] {
    const minutes = (a: number, b: number) =>
      this.sql.prepare(`SELECT key, SUM(count) AS n, SUM(amount) AS a FROM rollup_minute WHERE dim = ? AND minute >= ? AND minute < ? GROUP BY key`).all(dim, a, b) as {
        key: string;
        n: number;
        a: number;
      }[];
    const innerFrom = Math.ceil(fromMin / 10) * 10;
    const innerTo = Math.floor(toMin / 10) * 10;
    if (innerTo <= innerFrom || !this.hasTenMinutes()) return minutes(fromMin, toMin);
    const parts = [
      ...(this.sql
        .prepare(`SELECT key, SUM(count) AS n, SUM(amount) AS a FROM rollup_ten_minute WHERE dim = ? AND bucket >= ? AND bucket < ? GROUP BY key`)
        .all(dim, innerFrom / 10, innerTo / 10) as { key: string; n: number; a: number }[]),
      ...(innerFrom > fromMin ? minutes(fromMin, innerFrom) : []),
      ...(toMin > innerTo ? minutes(innerTo, toMin) : []),
    ];
    const merged = new Map<string, { key: string; n: number; a: number }>();
    for (const r of parts) {
      const m = merged.get(r.key);
      if (m) {
        m.n += r.n;
        m.a += r.a;
      } else merged.set(r.key, { ...r });
    }
    return [...merged.values()];
  }

  private minuteSteps(dim: MinuteDim, stepMin: number, fromMin: number, toMin: number): MinuteCell[] {
    if (stepMin === 1) {
      return this.sql
        .prepare(`SELECT minute AS t, key, count AS n, amount AS a FROM rollup_minute WHERE dim = ? AND minute >= ? AND minute < ? ORDER BY minute`)
        .all(dim, fromMin, toMin) as MinuteCell[];
    }
    return this.sql
      .prepare(
        `SELECT ${stepStartSql('minute')} AS t, key, SUM(count) AS n, SUM(amount) AS a FROM rollup_minute
         WHERE dim = ? AND minute >= ? AND minute < ? GROUP BY t, key ORDER BY t`,
      )
      .all(...stepStartArgs(stepMin), dim, fromMin, toMin) as MinuteCell[];
  }

  /** A database migrated before 180 and opened read-only has minutes only. */
  private hasTenMinutes(): boolean {
    return (this.tenMinuteTable ??= this.sql.hasTables('rollup_ten_minute'));
  }
}

/** Cells of the same step and key (a ragged end shares its step with a whole bucket) summed, oldest first. */
function mergeCells(cells: MinuteCell[]): MinuteCell[] {
  const merged = new Map<string, MinuteCell>();
  for (const c of cells) {
    const k = `${c.t}\u0000${c.key}`;
    const m = merged.get(k);
    if (m) {
      m.n += c.n;
      m.a += c.a;
    } else merged.set(k, { ...c });
  }
  return [...merged.values()].sort((x, y) => x.t - y.t);
}
