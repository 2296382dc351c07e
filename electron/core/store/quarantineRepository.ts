// Thread: `insert` on the engine thread (in the ingest transaction); reads on the read worker.
import type { Database, Statement } from 'better-sqlite3';
import type { QuarantineCursor } from '../../../shared/explorer';
import { columnList, selectList, type Columns } from './columns';
import { QUARANTINE_BODY_PREFIX_BYTES } from './migrations/290_quarantine_redelivery';
import { StatementCache } from './statementCache';

/** A refused message as stored: the body's first bytes only, and its whole size. */
export interface StoredQuarantine {
  seq: number;
  arrivalMs: number;
  reason: string;
  routingKey: string | null;
  /** The AMQP headers as JSON text, as written. */
  headers: string | null;
  contentType: string | null;
  origin: string | null;
  size: number;
  body: Buffer;
}

/** What the ingest transaction writes for a message it refused. */
export type QuarantineInsert = Omit<StoredQuarantine, 'seq' | 'size'>;

export interface QuarantineRange {
  from?: number;
  to?: number;
  /** Part of the reason, any case. */
  reason?: string;
  order: 'asc' | 'desc';
  cursor?: QuarantineCursor | null;
}

/** The quarantine table (migration 001). */
const QUARANTINE_COLUMNS = {
  seq: 'seq',
  arrivalMs: 'arrival_ms',
  reason: 'reason',
  routingKey: 'routing_key',
  headers: 'headers',
  contentType: 'content_type',
  origin: 'origin',
  body: 'body',
} as const satisfies Columns<Omit<StoredQuarantine, 'size'>>;
// Bodies can be large: reads take their size and their first bytes only (the bound is the
// first parameter of every select).
const SELECT = selectList<StoredQuarantine>({ ...QUARANTINE_COLUMNS, body: 'substr(body, 1, ?)', size: 'length(body)' });

const INSERT_FIELDS = ['arrivalMs', 'reason', 'routingKey', 'headers', 'contentType', 'body', 'origin'] as const satisfies readonly (keyof QuarantineInsert)[];
const INSERT_QUARANTINE = `INSERT INTO quarantine (${columnList(QUARANTINE_COLUMNS, INSERT_FIELDS)}) VALUES (${INSERT_FIELDS.map(() => '?').join(', ')})`;

export class QuarantineRepository {
  private readonly sql: StatementCache;
  private insertStatement: Statement | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  insert(q: QuarantineInsert): void {
    (this.insertStatement ??= this.sql.prepare(INSERT_QUARANTINE)).run(q.arrivalMs, q.reason, q.routingKey, q.headers, q.contentType, q.body, q.origin);
  }

  /**
   * Whether a message with this body and routing key is already quarantined: a redelivered
   * refusal whose first delivery was stored before its acknowledgement was lost. One seek in
   * quarantine_body (migration 290); a database before it scans.
   */
  holds(body: Buffer, routingKey: string | null): boolean {
    return (
      this.sql
        .prepare(
          `SELECT 1 FROM quarantine WHERE length(body) = ? AND substr(body, 1, ${QUARANTINE_BODY_PREFIX_BYTES}) = substr(?, 1, ${QUARANTINE_BODY_PREFIX_BYTES})
             AND body = ? AND routing_key IS ? LIMIT 1`,
        )
        .get(body.length, body, body, routingKey) !== undefined
    );
  }

  /** How many held messages arrived in [from, to). */
  countArrived(from: number, to: number): number {
    return this.sql.pluck('SELECT COUNT(*) FROM quarantine INDEXED BY quarantine_arrival WHERE arrival_ms >= ? AND arrival_ms < ?').get(from, to) as number;
  }

  /** A keyset page on (arrival, seq): at most `limit` rows, bodies cut to `bodyBytes`. */
  page(range: QuarantineRange, limit: number, bodyBytes: number): StoredQuarantine[] {
    const dir = range.order === 'desc' ? 'DESC' : 'ASC';
    const conds: string[] = [];
    const args: unknown[] = [];
    if (range.from !== undefined) { conds.push('arrival_ms >= ?'); args.push(range.from); }
    if (range.to !== undefined) { conds.push('arrival_ms < ?'); args.push(range.to); }
    if (range.reason !== undefined) { conds.push('instr(lower(reason), lower(?)) > 0'); args.push(range.reason); }
    const c = range.cursor;
    if (c) {
      if (range.order === 'desc') conds.push('arrival_ms <= ?', '(arrival_ms < ? OR seq < ?)');
      else conds.push('arrival_ms >= ?', '(arrival_ms > ? OR seq > ?)');
      args.push(c.arrivalMs, c.arrivalMs, c.seq);
    }
    return this.sql
      .prepare(
        `SELECT ${SELECT} FROM quarantine INDEXED BY quarantine_arrival ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
         ORDER BY arrival_ms ${dir}, seq ${dir} LIMIT ?`,
      )
      .all(bodyBytes, ...args, limit) as StoredQuarantine[];
  }

  /** One row, its body cut to `bodyBytes`. */
  get(seq: number, bodyBytes: number): StoredQuarantine | null {
    return (this.sql.prepare(`SELECT ${SELECT} FROM quarantine WHERE seq = ?`).get(bodyBytes, seq) as StoredQuarantine | undefined) ?? null;
  }
}
