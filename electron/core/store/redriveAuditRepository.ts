// Thread: whichever runs a redrive (the CLI process, the engine thread). The dead-letter
// redrive audit log (migration 150's `redrive_audit`), written one step at a time: each
// write commits before the broker is asked for the next step.
import type { Database } from 'better-sqlite3';
import { columnList, selectList, type Columns } from './columns';
import { StatementCache } from './statementCache';

/**
 * publishing: about to re-publish (a crash after this one leaves the message "in doubt");
 * confirmed: the broker confirmed the re-publish; removed: acknowledged on the dead-letter
 * queue; skipped / failed: left in the dead-letter queue (detail says why); refused: the
 * whole redrive was refused (read-only mode).
 */
export type { RedriveStep } from '../../../shared/deadLetters';
import type { RedriveStep } from '../../../shared/deadLetters';

export interface RedriveAuditRow {
  seq: number;
  redriveId: string;
  at: number;
  actor: string;
  messageId: string;
  fromQueue: string;
  toExchange: string | null;
  toRoutingKey: string | null;
  step: RedriveStep;
  detail: string | null;
  /** Which copy of the message (`copyIdOf`); null before migration 342, and for a whole-redrive step. */
  copyId: string | null;
}

/** One step of a message's history, as a redrive reads it. */
export interface RedriveHistoryStep {
  redriveId: string;
  copyId: string | null;
  step: RedriveStep;
}

const COLUMNS = {
  seq: 'seq',
  redriveId: 'redrive_id',
  at: 'at_ms',
  actor: 'actor',
  messageId: 'message_id',
  fromQueue: 'from_queue',
  toExchange: 'to_exchange',
  toRoutingKey: 'to_routing_key',
  step: 'step',
  detail: 'detail',
  copyId: 'copy_id',
} as const satisfies Columns<RedriveAuditRow>;
// A read-only store of a file older than migration 342 has no copy_id column: NULL stands in.
const SELECT = selectList(COLUMNS);
const SELECT_BEFORE_COPIES = selectList({ ...COLUMNS, copyId: 'NULL' });
const FIELDS = ['redriveId', 'at', 'actor', 'messageId', 'fromQueue', 'toExchange', 'toRoutingKey', 'step', 'detail', 'copyId'] as const;
const INSERT = `INSERT INTO redrive_audit (${columnList(COLUMNS, FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class RedriveAuditRepository {
  private readonly sql: StatementCache;

  private hasCopies: boolean | undefined;

  constructor(private readonly db: Database) {
    this.sql = new StatementCache(db);
  }

  /** `copyId` may be left out (a step of no one copy, or a caller from before copies). */
  record(row: Omit<RedriveAuditRow, 'seq' | 'copyId'> & { copyId?: string | null }): void {
    this.sql
      .prepare(INSERT)
      .run(row.redriveId, row.at, row.actor, row.messageId, row.fromQueue, row.toExchange, row.toRoutingKey, row.step, row.detail, row.copyId ?? null);
  }

  private select(): string {
    this.hasCopies ??= this.db.prepare("SELECT 1 FROM pragma_table_info('redrive_audit') WHERE name = 'copy_id'").get() !== undefined;
    return this.hasCopies ? SELECT : SELECT_BEFORE_COPIES;
  }

  /** The newest rows first (at most `limit`), optionally only those of [from, to). */
  list(limit: number, from = 0, to = Number.MAX_SAFE_INTEGER): RedriveAuditRow[] {
    return this.sql
      .prepare(`SELECT ${this.select()} FROM redrive_audit WHERE at_ms >= ? AND at_ms < ? ORDER BY seq DESC LIMIT ?`)
      .all(from, to, limit) as RedriveAuditRow[];
  }

  /** Every step recorded for a message of a queue, oldest first. */
  stepsOf(fromQueue: string, messageId: string): RedriveStep[] {
    return (
      this.sql.prepare('SELECT step FROM redrive_audit WHERE from_queue = ? AND message_id = ? ORDER BY seq').all(fromQueue, messageId) as {
        step: RedriveStep;
      }[]
    ).map((r) => r.step);
  }

  /** Every step recorded for a message id of a queue, all its copies, oldest first, with the redrive and the copy of each. */
  historyOf(fromQueue: string, messageId: string): RedriveHistoryStep[] {
    return this.sql
      .prepare('SELECT redrive_id AS redriveId, copy_id AS copyId, step FROM redrive_audit WHERE from_queue = ? AND message_id = ? ORDER BY seq')
      .all(fromQueue, messageId) as RedriveHistoryStep[];
  }
}
