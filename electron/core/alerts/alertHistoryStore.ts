// Alert history in SQLite (tables from migration 010): instances, their transitions and
// silences. The evaluator writes through it in one transaction per call, so a replay at full
// speed costs one commit per batch, not one per transition.
import type { Database, Statement } from 'better-sqlite3';
import {
  alertHistoryRecordToJson,
  type AlertHistoryJson,
  type AlertHistoryRecord,
  type AlertSilence,
  type AlertState,
  type Severity,
} from '../../../shared/alerts';

export interface AlertHistoryFilter {
  rule?: string;
  severity?: Severity;
  state?: AlertState;
  /** Only instances that fired (the default for `payops alerts`). */
  firedOnly?: boolean;
  /** Instances active at some point in [since, until). */
  since?: number;
  until?: number;
  /** Every given label must be equal. */
  labels?: Record<string, string>;
  /** Newest first; at most this many (default 1000). */
  limit?: number;
}

interface InstanceRow {
  key: string;
  rule: string;
  severity: Severity;
  group_key: string;
  labels_json: string;
  state: AlertState;
  summary: string;
  value: number | null;
  peak_value: number | null;
  active_since: number;
  fired_at: number | null;
  resolved_at: number | null;
  ended_at: number | null;
  silenced: number;
  ack_by: string | null;
  ack_note: string | null;
  ack_at: number | null;
  resolve_note: string | null;
  resolve_note_by: string | null;
  resolve_note_at: number | null;
}

/** What the evaluator writes through: the SQLite store, or an in-memory one for backtests. */
export interface AlertHistorySink {
  saveInstances(records: readonly AlertHistoryRecord[]): void;
  acknowledge(key: string, by: string, note: string, at: number): boolean;
  addResolveNote(key: string, by: string, note: string, at: number): boolean;
  saveSilence(s: AlertSilence): void;
  listSilences(activeAt?: number): AlertSilence[];
}

export class AlertHistoryStore implements AlertHistorySink {
  private readonly upsert: Statement;
  private readonly putTransition: Statement;
  private readonly trimTransitions: Statement;
  private readonly transitionsOf: Statement;
  private readonly putSilence: Statement;

  constructor(private readonly db: Database) {
    this.upsert = db.prepare(`
      INSERT INTO alert_instances (key, rule, severity, group_key, labels_json, state, summary, value, peak_value,
        active_since, fired_at, resolved_at, ended_at, silenced, ack_by, ack_note, ack_at, resolve_note, resolve_note_by, resolve_note_at)
      VALUES (@key, @rule, @severity, @group_key, @labels_json, @state, @summary, @value, @peak_value,
        @active_since, @fired_at, @resolved_at, @ended_at, @silenced, @ack_by, @ack_note, @ack_at, @resolve_note, @resolve_note_by, @resolve_note_at)
      ON CONFLICT (key) DO UPDATE SET
        state = excluded.state, summary = excluded.summary, value = excluded.value, peak_value = excluded.peak_value,
        fired_at = excluded.fired_at, resolved_at = excluded.resolved_at, ended_at = excluded.ended_at,
        silenced = excluded.silenced, labels_json = excluded.labels_json, severity = excluded.severity,
        ack_by = coalesce(excluded.ack_by, ack_by), ack_note = coalesce(excluded.ack_note, ack_note), ack_at = coalesce(excluded.ack_at, ack_at),
        resolve_note = coalesce(excluded.resolve_note, resolve_note), resolve_note_by = coalesce(excluded.resolve_note_by, resolve_note_by),
        resolve_note_at = coalesce(excluded.resolve_note_at, resolve_note_at)`);
    this.putTransition = db.prepare('INSERT OR REPLACE INTO alert_transitions (instance_key, seq, state, at) VALUES (?, ?, ?, ?)');
    this.trimTransitions = db.prepare('DELETE FROM alert_transitions WHERE instance_key = ? AND seq >= ?');
    this.transitionsOf = db.prepare('SELECT state, at FROM alert_transitions WHERE instance_key = ? ORDER BY seq');
    this.putSilence = db.prepare(`
      INSERT OR REPLACE INTO alert_silences (id, matchers_json, ends_at, comment, created_by, created_at, expired_at)
      VALUES (@id, @matchers_json, @ends_at, @comment, @created_by, @created_at, @expired_at)`);
  }

  /** Inserts or updates instances and their transitions, all in one transaction. */
  saveInstances(records: readonly AlertHistoryRecord[]): void {
    if (records.length === 0) return;
    this.db.transaction(() => {
      for (const r of records) {
        this.upsert.run({
          key: r.key,
          rule: r.rule,
          severity: r.severity,
          group_key: r.group,
          labels_json: JSON.stringify(r.labels),
          state: r.state,
          summary: r.summary,
          value: r.value,
          peak_value: r.peakValue,
          active_since: r.activeSince,
          fired_at: r.firedAt,
          resolved_at: r.resolvedAt,
          ended_at: r.endedAt,
          silenced: r.silenced ? 1 : 0,
          ack_by: r.acknowledged?.by ?? null,
          ack_note: r.acknowledged?.note ?? null,
          ack_at: r.acknowledged?.at ?? null,
          resolve_note: r.resolveNote?.note ?? null,
          resolve_note_by: r.resolveNote?.by ?? null,
          resolve_note_at: r.resolveNote?.at ?? null,
        });
        r.transitions.forEach((t, seq) => this.putTransition.run(r.key, seq, t.state, t.at));
        this.trimTransitions.run(r.key, r.transitions.length);
      }
    })();
  }

  get(key: string): AlertHistoryRecord | null {
    const row = this.db.prepare('SELECT * FROM alert_instances WHERE key = ?').get(key) as InstanceRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  list(filter: AlertHistoryFilter = {}): AlertHistoryRecord[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (clause: string, ...values: unknown[]) => {
      where.push(clause);
      args.push(...values);
    };
    if (filter.rule !== undefined) add('rule = ?', filter.rule);
    if (filter.severity !== undefined) add('severity = ?', filter.severity);
    if (filter.state !== undefined) add('state = ?', filter.state);
    if (filter.firedOnly) add('fired_at IS NOT NULL');
    if (filter.until !== undefined) add('active_since < ?', filter.until);
    if (filter.since !== undefined) add('coalesce(resolved_at, ended_at, 9e15) >= ?', filter.since);
    for (const [name, value] of Object.entries(filter.labels ?? {})) add('json_extract(labels_json, ?) = ?', `$."${name.replace(/"/g, '')}"`, value);
    const limit = Math.max(1, Math.min(100_000, Math.floor(filter.limit ?? 1000)));
    const sql = `SELECT * FROM alert_instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY active_since DESC, key LIMIT ${limit}`;
    return (this.db.prepare(sql).all(...args) as InstanceRow[]).map((row) => this.toRecord(row));
  }

  acknowledge(key: string, by: string, note: string, at: number): boolean {
    return this.db.prepare('UPDATE alert_instances SET ack_by = ?, ack_note = ?, ack_at = ? WHERE key = ?').run(by, note, at, key).changes > 0;
  }

  addResolveNote(key: string, by: string, note: string, at: number): boolean {
    return (
      this.db.prepare('UPDATE alert_instances SET resolve_note = ?, resolve_note_by = ?, resolve_note_at = ? WHERE key = ?').run(note, by, at, key)
        .changes > 0
    );
  }

  /**
   * Closes instances left open by an engine that stopped (the evaluator starts fresh):
   * firing ones resolve, others end, each with a transition at `atMs`.
   */
  closeOpenInstances(atMs: number): number {
    const open = this.db.prepare('SELECT * FROM alert_instances WHERE resolved_at IS NULL AND ended_at IS NULL').all() as InstanceRow[];
    const records = open.map((row) => {
      const r = this.toRecord(row);
      const fired = r.firedAt !== null;
      r.state = fired ? 'resolved' : 'normal';
      if (fired) r.resolvedAt = atMs;
      else r.endedAt = atMs;
      r.summary = `${r.summary} (closed: the engine restarted)`;
      r.transitions.push({ state: r.state, at: atMs });
      return r;
    });
    this.saveInstances(records);
    return records.length;
  }

  saveSilence(s: AlertSilence): void {
    this.putSilence.run({
      id: s.id,
      matchers_json: JSON.stringify(s.matchers),
      ends_at: s.endsAt,
      comment: s.comment,
      created_by: s.createdBy,
      created_at: s.createdAt,
      expired_at: s.expiredAt,
    });
  }

  /** Silences not expired by an operator and ending after `activeAt` (all when omitted). */
  listSilences(activeAt?: number): AlertSilence[] {
    const rows = (
      activeAt === undefined
        ? this.db.prepare('SELECT * FROM alert_silences ORDER BY created_at').all()
        : this.db.prepare('SELECT * FROM alert_silences WHERE expired_at IS NULL AND ends_at > ? ORDER BY created_at').all(activeAt)
    ) as { id: string; matchers_json: string; ends_at: number; comment: string; created_by: string; created_at: number; expired_at: number | null }[];
    return rows.map((r) => ({
      id: r.id,
      matchers: JSON.parse(r.matchers_json),
      endsAt: r.ends_at,
      comment: r.comment,
      createdBy: r.created_by,
      createdAt: r.created_at,
      expiredAt: r.expired_at,
    }));
  }

  private toRecord(row: InstanceRow): AlertHistoryRecord {
    return {
      key: row.key,
      rule: row.rule,
      severity: row.severity,
      labels: JSON.parse(row.labels_json),
      group: row.group_key,
      state: row.state,
      summary: row.summary,
      value: row.value,
      peakValue: row.peak_value,
      activeSince: row.active_since,
      firedAt: row.fired_at,
      resolvedAt: row.resolved_at,
      endedAt: row.ended_at,
      silenced: row.silenced === 1,
      acknowledged: row.ack_by !== null && row.ack_at !== null ? { by: row.ack_by, note: row.ack_note ?? '', at: row.ack_at } : null,
      resolveNote:
        row.resolve_note !== null && row.resolve_note_at !== null ? { by: row.resolve_note_by ?? '', note: row.resolve_note, at: row.resolve_note_at } : null,
      transitions: this.transitionsOf.all(row.key) as { state: AlertState; at: number }[],
    };
  }
}

/** What `payops alerts --db FILE --json` prints: fired alerts, newest first, times in ISO. */
/** False for a database written before alerting existed (no alert tables). */
export function hasAlertHistory(db: Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alert_instances'").get() !== undefined;
}

export function alertHistoryJson(db: Database, filter: AlertHistoryFilter & { includeUnfired?: boolean } = {}): AlertHistoryJson[] {
  const { includeUnfired, ...rest } = filter;
  return new AlertHistoryStore(db).list({ firedOnly: !includeUnfired, ...rest }).map(alertHistoryRecordToJson);
}
