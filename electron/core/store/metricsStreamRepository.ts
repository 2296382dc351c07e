// Thread: the engine thread (a collector's outbox) or the follower's own (its position and the
// tables it applies to). Migration 160's tables.
import type { Database } from 'better-sqlite3';
import type { MetricsMessage, MetricsPayload } from '../../../shared/metricsStream';
import type { AlertHistoryRepository } from './alertHistoryRepository';
import type { CounterName, CounterRepository } from './counterRepository';
import type { QueueSampleRepository } from './queueSampleRepository';
import type { RollupRepository } from './rollupRepository';
import { StatementCache } from './statementCache';

export interface OutboxRow {
  seq: number;
  at: number;
  /** The payload as JSON (MetricsPayload): the publisher adds version, collector and seq. */
  body: string;
}

/** Where a follower is in one stream and what it has met there. */
export interface FollowPosition {
  /** The offset to read next; null before the first message was applied. */
  nextOffset: number | null;
  applied: number;
  duplicates: number;
  skipped: number;
  lastSkip: string | null;
}

/**
 * One message read from the stream: decoded, or the reason it is skipped. `restart`: the
 * collector's sequence starts again at this message (a queue-fed collector restored from a
 * copy numbers new figures from a lower seq): applied, and its seq becomes the collector's.
 */
export type StreamItem = { offset: number; message: MetricsMessage; restart?: true } | { offset: number; skip: string };

export interface ApplyOutcome {
  applied: number;
  duplicates: number;
  skipped: number;
  /** A collector's sequence jumped (retention dropped messages this follower never read). */
  gaps: { collector: string; expected: number; got: number }[];
  /** The messages applied now (not the duplicates or skipped ones), in stream order. */
  appliedMessages: MetricsMessage[];
}

export interface MetricsSource {
  collector: string;
  lastSeq: number;
  heardAt: number;
  /** The collector process that numbered the last message applied (null: unknown, an older collector or payops). */
  incarnation?: string | null;
}

/** Where the last applied message's incarnation is kept, per collector (the meta table: no migration). */
const INCARNATION_KEY = 'metrics_incarnation:';

/** The tables a metrics message writes to. */
export interface MetricsTables {
  rollups: RollupRepository;
  counters: CounterRepository;
  alerts: AlertHistoryRepository;
  queueSamples: QueueSampleRepository;
}

export class MetricsStreamRepository {
  private readonly sql: StatementCache;

  constructor(db: Database, private readonly tables: MetricsTables) {
    this.sql = new StatementCache(db);
  }

  /** Adds a payload to the outbox (call it inside the transaction that stores what it describes). */
  appendOutbox(at: number, payload: MetricsPayload): void {
    this.sql.prepare('INSERT INTO metrics_outbox (at, body) VALUES (?, ?)').run(at, JSON.stringify(payload));
  }

  /** The oldest unpublished payloads, in order. */
  pendingOutbox(limit: number): OutboxRow[] {
    return this.sql.prepare('SELECT seq, at, body FROM metrics_outbox ORDER BY seq LIMIT ?').all(limit) as OutboxRow[];
  }

  /** Forgets the payloads the broker has confirmed (seq <= upTo). */
  removeOutbox(upTo: number): void {
    this.sql.prepare('DELETE FROM metrics_outbox WHERE seq <= ?').run(upTo);
  }

  outboxSize(): number {
    return this.sql.pluck('SELECT COUNT(*) FROM metrics_outbox').get() as number;
  }

  position(stream: string): FollowPosition {
    const row = this.sql.prepare('SELECT next_offset, applied, duplicates, skipped, last_skip FROM metrics_follow WHERE stream = ?').get(stream) as
      | { next_offset: number; applied: number; duplicates: number; skipped: number; last_skip: string | null }
      | undefined;
    if (!row) return { nextOffset: null, applied: 0, duplicates: 0, skipped: 0, lastSkip: null };
    return { nextOffset: row.next_offset, applied: row.applied, duplicates: row.duplicates, skipped: row.skipped, lastSkip: row.last_skip };
  }

  /** The collectors this database has heard from, and when it last did. */
  sources(): MetricsSource[] {
    return this.sql
      .prepare(
        `SELECT collector, last_seq AS lastSeq, heard_at AS heardAt, (SELECT value FROM meta WHERE key = '${INCARNATION_KEY}' || collector) AS incarnation
         FROM metrics_sources ORDER BY collector`,
      )
      .all() as MetricsSource[];
  }

  /**
   * Applies stream messages and stores the offset after the last one, in ONE transaction: a
   * follower killed at any moment resumes where its data ends. A message whose (collector,
   * seq) was applied already counts as a duplicate and changes nothing. `restart`: the stream
   * was deleted and created again, its offsets start again, so the stored one may go down.
   */
  applyBatch(stream: string, items: readonly StreamItem[], nowMs: number, options: { restart?: boolean } = {}): ApplyOutcome {
    const out: ApplyOutcome = { applied: 0, duplicates: 0, skipped: 0, gaps: [], appliedMessages: [] };
    if (items.length === 0) return out;
    const apply = this.sql.transaction(() => {
      const lastSeq = this.sql.pluck('SELECT last_seq FROM metrics_sources WHERE collector = ?');
      const setSeq = this.sql.prepare(
        `INSERT INTO metrics_sources (collector, last_seq, heard_at) VALUES (?, ?, ?)
         ON CONFLICT (collector) DO UPDATE SET last_seq = excluded.last_seq, heard_at = excluded.heard_at`,
      );
      const setIncarnation = this.sql.prepare(`INSERT INTO meta (key, value) VALUES ('${INCARNATION_KEY}' || ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
      const forgetIncarnation = this.sql.prepare(`DELETE FROM meta WHERE key = '${INCARNATION_KEY}' || ?`);
      let lastSkip: string | null = null;
      for (const item of items) {
        if ('skip' in item) {
          out.skipped += 1;
          lastSkip = `offset ${item.offset}: ${item.skip}`;
          continue;
        }
        const m = item.message;
        const last = item.restart ? m.seq - 1 : ((lastSeq.get(m.collector) as number | undefined) ?? 0);
        if (m.seq <= last) {
          out.duplicates += 1;
          continue;
        }
        if (m.seq !== last + 1 && last !== 0) out.gaps.push({ collector: m.collector, expected: last + 1, got: m.seq });
        this.applyMessage(m);
        setSeq.run(m.collector, m.seq, nowMs);
        if (m.incarnation) setIncarnation.run(m.collector, m.incarnation);
        else forgetIncarnation.run(m.collector);
        out.applied += 1;
        out.appliedMessages.push(m);
      }
      const nextOffset = Math.max(...items.map((i) => i.offset)) + 1;
      this.sql
        .prepare(
          `INSERT INTO metrics_follow (stream, next_offset, applied, duplicates, skipped, last_skip) VALUES (@stream, @next, @applied, @duplicates, @skipped, @lastSkip)
           ON CONFLICT (stream) DO UPDATE SET next_offset = CASE WHEN @restart THEN excluded.next_offset ELSE max(next_offset, excluded.next_offset) END, applied = applied + excluded.applied,
             duplicates = duplicates + excluded.duplicates, skipped = skipped + excluded.skipped, last_skip = coalesce(excluded.last_skip, last_skip)`,
        )
        .run({ stream, next: nextOffset, restart: options.restart ? 1 : 0, applied: out.applied, duplicates: out.duplicates, skipped: out.skipped, lastSkip });
    });
    try {
      apply();
    } catch (err) {
      // Rolled back: rollup codes this batch added are gone with it.
      this.tables.rollups.forgetUncommitted();
      throw err;
    }
    return out;
  }

  private applyMessage(m: MetricsMessage): void {
    const { rollups, counters, alerts, queueSamples } = this.tables;
    rollups.addAll(m.rollups);
    for (const [name, n] of Object.entries(m.counters)) if (n) counters.add(name as CounterName, n);
    if (m.queueSamples.length) queueSamples.record(m.queueSamples);
    if (m.alerts.length) alerts.save(m.alerts);
  }
}
