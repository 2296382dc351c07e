// Thread: writes on the engine thread (the evaluator, operators' notes); reads on either thread.
import type { Database } from 'better-sqlite3';
import type { AlertHistoryRecord, AlertState, Severity } from '../../../shared/alerts';
import { StatementCache } from './statementCache';

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

/** A row of alert_instances (migration 010). */
interface InstanceRow {
  key: string;
  rule: string;
  severity: Severity;
  group_key: string;
  labels_json: string;
  state: AlertState;
  summary: string;
  /** The rule's metric (migration 374); NULL in rows stored before it. */
  metric: string | null;
  /** The rule's runbook and description (migration 380); NULL in rows stored before it. */
  runbook_url: string | null;
  description: string | null;
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

// The mapping both ways, declared here once: a record (transitions aside) to its row...
function toRow(r: AlertHistoryRecord): InstanceRow {
  return {
    key: r.key,
    rule: r.rule,
    severity: r.severity,
    group_key: r.group,
    labels_json: JSON.stringify(r.labels),
    state: r.state,
    summary: r.summary,
    metric: r.metric ?? null,
    runbook_url: r.runbookUrl ?? null,
    description: r.description ?? null,
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
  };
}

// ...and a row (with its transitions) back to the record.
function toRecord(row: InstanceRow, transitions: AlertHistoryRecord['transitions']): AlertHistoryRecord {
  return {
    key: row.key,
    rule: row.rule,
    severity: row.severity,
    labels: JSON.parse(row.labels_json),
    group: row.group_key,
    state: row.state,
    summary: row.summary,
    ...(row.metric == null ? {} : { metric: row.metric }),
    ...(row.runbook_url == null ? {} : { runbookUrl: row.runbook_url }),
    ...(row.description == null ? {} : { description: row.description }),
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
    transitions,
  };
}

// Notes set by an operator survive an update from the evaluator that does not carry them, and
// so do the metric, runbook and description (an older collector's record over the metrics
// stream has none, nor a save between an alert's changes of state). A record that carries its
// annotations (a description) carries them whole: no runbook there means the rule has none now.
const UPSERT_SQL = `
  INSERT INTO alert_instances (key, rule, severity, group_key, labels_json, state, summary, metric, runbook_url, description, value, peak_value,
    active_since, fired_at, resolved_at, ended_at, silenced, ack_by, ack_note, ack_at, resolve_note, resolve_note_by, resolve_note_at)
  VALUES (@key, @rule, @severity, @group_key, @labels_json, @state, @summary, @metric, @runbook_url, @description, @value, @peak_value,
    @active_since, @fired_at, @resolved_at, @ended_at, @silenced, @ack_by, @ack_note, @ack_at, @resolve_note, @resolve_note_by, @resolve_note_at)
  ON CONFLICT (key) DO UPDATE SET
    state = excluded.state, summary = excluded.summary, metric = coalesce(excluded.metric, metric),
    runbook_url = CASE WHEN excluded.description IS NULL THEN runbook_url ELSE excluded.runbook_url END, description = coalesce(excluded.description, description), value = excluded.value, peak_value = excluded.peak_value,
    fired_at = excluded.fired_at, resolved_at = excluded.resolved_at, ended_at = excluded.ended_at,
    silenced = excluded.silenced, labels_json = excluded.labels_json, severity = excluded.severity,
    ack_by = coalesce(excluded.ack_by, ack_by), ack_note = coalesce(excluded.ack_note, ack_note), ack_at = coalesce(excluded.ack_at, ack_at),
    resolve_note = coalesce(excluded.resolve_note, resolve_note), resolve_note_by = coalesce(excluded.resolve_note_by, resolve_note_by),
    resolve_note_at = coalesce(excluded.resolve_note_at, resolve_note_at)`;

/** Firing at some point in [from, to) (args: to, from): the firing [fired_at, resolved_at) overlaps the window. */
const FIRING_IN = 'fired_at IS NOT NULL AND fired_at < ? AND coalesce(resolved_at, ended_at, 9e15) > ?';

/** Alert instances (one episode of a rule for one group) and their state transitions. */
export class AlertHistoryRepository {
  private readonly sql: StatementCache;
  /** Runs inside each save's transaction (the metrics stream's outbox). */
  onSave: ((records: readonly AlertHistoryRecord[]) => void) | null = null;

  constructor(db: Database) {
    this.sql = new StatementCache(db);
  }

  /** Inserts or updates instances and their transitions, all in one transaction. */
  save(records: readonly AlertHistoryRecord[]): void {
    if (records.length === 0) return;
    const upsert = this.sql.prepare(UPSERT_SQL);
    const putTransition = this.sql.prepare('INSERT OR REPLACE INTO alert_transitions (instance_key, seq, state, at) VALUES (?, ?, ?, ?)');
    const trimTransitions = this.sql.prepare('DELETE FROM alert_transitions WHERE instance_key = ? AND seq >= ?');
    this.sql.transaction(() => {
      for (const r of records) {
        upsert.run(toRow(r));
        r.transitions.forEach((t, seq) => putTransition.run(r.key, seq, t.state, t.at));
        trimTransitions.run(r.key, r.transitions.length);
      }
      this.onSave?.(records);
    })();
  }

  get(key: string): AlertHistoryRecord | null {
    const row = this.sql.prepare('SELECT * FROM alert_instances WHERE key = ?').get(key) as InstanceRow | undefined;
    return row ? this.withTransitions(row) : null;
  }

  /** Newest first (by when they became active). */
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
    return (this.sql.prepare(sql).all(...args) as InstanceRow[]).map((row) => this.withTransitions(row));
  }

  /**
   * Instances that were firing at some point in [from, to): fired before `to`, and neither
   * resolved nor ended before `from`. Oldest first (by when they became active), at most `limit`.
   */
  firingIn(from: number, to: number, limit: number): AlertHistoryRecord[] {
    const rows = this.sql
      .prepare(`SELECT * FROM alert_instances WHERE ${FIRING_IN} ORDER BY active_since, key LIMIT ?`)
      .all(to, from, Math.max(0, Math.floor(limit))) as InstanceRow[];
    return rows.map((row) => this.withTransitions(row));
  }

  /** How many instances were firing at some point in [from, to) (firingIn's rows), per rule and severity. */
  firingCounts(from: number, to: number): { rule: string; severity: Severity; n: number }[] {
    return this.sql
      .prepare(`SELECT rule, severity, COUNT(*) AS n FROM alert_instances WHERE ${FIRING_IN} GROUP BY rule, severity ORDER BY rule, severity`)
      .all(to, from) as { rule: string; severity: Severity; n: number }[];
  }

  /** Instances neither resolved nor ended (left open by an engine that stopped). */
  open(): AlertHistoryRecord[] {
    const rows = this.sql.prepare('SELECT * FROM alert_instances WHERE resolved_at IS NULL AND ended_at IS NULL').all() as InstanceRow[];
    return rows.map((row) => this.withTransitions(row));
  }

  /** False when there is no such instance. */
  acknowledge(key: string, by: string, note: string, at: number): boolean {
    return this.sql.prepare('UPDATE alert_instances SET ack_by = ?, ack_note = ?, ack_at = ? WHERE key = ?').run(by, note, at, key).changes > 0;
  }

  /** False when there is no such instance. */
  addResolveNote(key: string, by: string, note: string, at: number): boolean {
    return (
      this.sql.prepare('UPDATE alert_instances SET resolve_note = ?, resolve_note_by = ?, resolve_note_at = ? WHERE key = ?').run(note, by, at, key)
        .changes > 0
    );
  }

  private withTransitions(row: InstanceRow): AlertHistoryRecord {
    const transitions = this.sql.prepare('SELECT state, at FROM alert_transitions WHERE instance_key = ? ORDER BY seq').all(row.key) as AlertHistoryRecord['transitions'];
    return toRecord(row, transitions);
  }
}
