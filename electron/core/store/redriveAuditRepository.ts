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
} as const satisfies Columns<RedriveAuditRow>;
const SELECT = selectList(COLUMNS);
const FIELDS = ['redriveId', 'at', 'actor', 'messageId', 'fromQueue', 'toExchange', 'toRoutingKey', 'step', 'detail'] as const;
const INSERT = `INSERT INTO redrive_audit (${columnList(COLUMNS, FIELDS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class RedriveAuditRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  record(row: Omit<RedriveAuditRow, 'seq'>): void {
    this.sql
      .prepare(INSERT)
      .run(row.redriveId, row.at, row.actor, row.messageId, row.fromQueue, row.toExchange, row.toRoutingKey, row.step, row.detail);
  }

  /** The newest rows first (at most `limit`), optionally only those of [from, to). */
  list(limit: number, from = 0, to = Number.MAX_SAFE_INTEGER): RedriveAuditRow[] {
    return this.sql
      .prepare(`SELECT ${SELECT} FROM redrive_audit WHERE at_ms >= ? AND at_ms < ? ORDER BY seq DESC LIMIT ?`)
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
}
