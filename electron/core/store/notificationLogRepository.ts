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

/**
 * How much of the notification log a session keeps: Alertmanager's notification log keeps 120 h
 * (`--data.retention`); rows are bounded too, since one attempt row repeats its message's alerts
 * and a receiver down for days makes many. Each group's last delivered message stays whatever
 * its age (lastSent: a restarted session must not page it again).
 */
export const NOTIFICATION_LOG_RETENTION = { maxAgeMs: 120 * 3600_000, maxRows: 50_000 } as const;
export interface NotificationLogRetention {
  maxAgeMs: number;
  maxRows: number;
}
/** Rows deleted per transaction: the engine's writes on the same file never wait long for the lock. */
const PRUNE_CHUNK = 5_000;
/** Each group's last delivered row (uses the index of migration 320). */
const LAST_SENT_IDS = `SELECT MAX(id) FROM notification_log WHERE outcome = 'sent' GROUP BY contact_point, group_key`;

type Row = Omit<NotificationLogEntry, 'groupLabels' | 'alerts' | 'final'> & { groupLabels: string; alerts: string; final: number };

export class NotificationLogRepository {
  private readonly sql: StatementCache;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /**
   * Deletes the rows older than `maxAgeMs` before `now` (wall time of the attempt) and those past
   * the newest `maxRows`, a bounded chunk per transaction, except each group's last delivered
   * row. Returns how many went.
   */
  prune(now: number, retention: NotificationLogRetention = NOTIFICATION_LOG_RETENTION): number {
    // Ids grow by one a row (AUTOINCREMENT) and only older rows are deleted: the newest maxRows
    // are the ids above MAX(id) - maxRows, found without reading the rows (they repeat alerts).
    const newest = (this.sql.pluck('SELECT MAX(id) FROM notification_log').get() as number | null) ?? 0;
    const beyond = newest - Math.max(0, Math.floor(retention.maxRows));
    const cutoff = now - retention.maxAgeMs;
    const oldest = (this.sql.pluck('SELECT MAX(id) FROM notification_log WHERE at < ?').get(cutoff) as number | null) ?? 0;
    const upTo = Math.max(beyond, oldest);
    if (upTo <= 0) return 0;
    // A range of ids, so the rows past the bounds are read, not the whole log.
    const remove = this.sql.prepare(
      `DELETE FROM notification_log WHERE id IN (
        SELECT id FROM notification_log WHERE id <= @upTo AND (id <= @beyond OR at < @cutoff) AND id NOT IN (${LAST_SENT_IDS}) ORDER BY id LIMIT @chunk)`,
    );
    let total = 0;
    for (;;) {
      const n = this.sql.transaction(() => remove.run({ upTo, beyond, cutoff, chunk: PRUNE_CHUNK }).changes)();
      total += n;
      if (n < PRUNE_CHUNK) return total;
    }
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
      .prepare(`${SELECT} WHERE id IN (${LAST_SENT_IDS}) ORDER BY id`)
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
