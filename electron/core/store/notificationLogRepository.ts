// Thread: the host process (CLI collect, the console backend), on its own connection.
import type { Database } from 'better-sqlite3';
import type { NotificationLogEntry } from '../../../shared/notifications';
import { openDatabase } from './database';
import { StatementCache } from './statementCache';

const INSERT = `INSERT INTO notification_log (at, event_at, contact_point, contact_type, outcome, status, group_key,
  group_labels_json, rule, alerts_json, attempt, max_attempts, final, http_status, error, duration_ms)
  VALUES (@at, @eventAt, @contactPoint, @contactType, @outcome, @status, @groupKey, @groupLabels, @rule, @alerts,
  @attempt, @maxAttempts, @final, @httpStatus, @error, @durationMs)`;
const SELECT = `SELECT id, at, event_at AS eventAt, contact_point AS contactPoint, contact_type AS contactType, outcome, status,
  group_key AS groupKey, group_labels_json AS groupLabels, rule, alerts_json AS alerts, attempt, max_attempts AS maxAttempts,
  final, http_status AS httpStatus, error, duration_ms AS durationMs FROM notification_log`;

type Row = Omit<NotificationLogEntry, 'groupLabels' | 'alerts' | 'final'> & { groupLabels: string; alerts: string; final: number };

export class NotificationLogRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  append(entry: Omit<NotificationLogEntry, 'id'>): number {
    const r = this.sql.prepare(INSERT).run({ ...entry, groupLabels: JSON.stringify(entry.groupLabels), alerts: JSON.stringify(entry.alerts), final: entry.final ? 1 : 0 });
    return Number(r.lastInsertRowid);
  }

  /** Oldest first; `afterId` pages on; at most `limit` rows. */
  list(options: { afterId?: number; limit?: number; since?: number } = {}): NotificationLogEntry[] {
    const rows = this.sql
      .prepare(`${SELECT} WHERE id > @afterId AND at >= @since ORDER BY id LIMIT @limit`)
      .all({ afterId: options.afterId ?? 0, since: options.since ?? 0, limit: options.limit ?? 10_000 }) as Row[];
    return rows.map((r) => ({ ...r, groupLabels: JSON.parse(r.groupLabels), alerts: JSON.parse(r.alerts), final: r.final === 1 }));
  }

  /**
   * The last message delivered to each contact point for each group (what its receiver was told
   * last): a restarted session's router carries on from these, as Alertmanager's notification log.
   */
  lastSent(): NotificationLogEntry[] {
    const rows = this.sql
      .prepare(`${SELECT} WHERE id IN (SELECT MAX(id) FROM notification_log WHERE outcome = 'sent' GROUP BY contact_point, group_key) ORDER BY id`)
      .all() as Row[];
    return rows.map((r) => ({ ...r, groupLabels: JSON.parse(r.groupLabels), alerts: JSON.parse(r.alerts), final: r.final === 1 }));
  }

  /** The newest `limit` rows, newest first (the alerts view). */
  recent(limit: number): NotificationLogEntry[] {
    const rows = this.sql.prepare(`${SELECT} ORDER BY id DESC LIMIT ?`).all(limit) as Row[];
    return rows.map((r) => ({ ...r, groupLabels: JSON.parse(r.groupLabels), alerts: JSON.parse(r.alerts), final: r.final === 1 }));
  }
}

export interface NotificationLogStore {
  readonly log: NotificationLogRepository;
  /** False when the database predates the log (opened read-only, not migrated). */
  readonly present: boolean;
  close(): void;
}

/** A connection of its own for the notification log (the engine thread keeps the store's). */
export function openNotificationLog(file: string, options: { readonly?: boolean } = {}): NotificationLogStore {
  const db = openDatabase(file, { readonly: options.readonly ?? false, durability: 'normal' });
  const present = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notification_log'`).get() !== undefined;
  return { log: new NotificationLogRepository(db), present, close: () => db.close() };
}
