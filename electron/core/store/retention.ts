// Thread: the engine thread (deletes, in bounded chunks between ingest transactions).
import type { Database } from 'better-sqlite3';
import type { EventRepository } from './eventRepository';
import type { MinuteRollupRepository } from './minuteRollupRepository';
import { SplitPayments } from './retentionSplitPayments';
import { StatementCache } from './statementCache';

const DAY_MS = 86_400_000;
/** Quarantined rows deleted per transaction: each may hold a body up to the size limit (1 MiB by default). */
const QUARANTINE_CHUNK = 1_000;
/** Where events and their rollups are cut: the start of a ten-minute bucket (migration 180's and the segments'). */
const EDGE_MS = 600_000;

/**
 * Deletes events, rollups, queue samples and quarantined messages older than the retention.
 */
export class Retention {
  private readonly sql: StatementCache;

  /**
   * `events` and `minutes`: the store's (a payment cut through is counted again through them); absent, its payments are not.
   * `splitScanAbove`: see SplitPayments (tests set it).
   */
  constructor(
    db: Database,
    private readonly payments?: { events: EventRepository; minutes: MinuteRollupRepository; splitScanAbove?: number },
  ) {
    this.sql = new StatementCache(db);
  }

  /**
   * Events go a bounded chunk at a time so ingest is never blocked for long. Whole ten-minute
   * buckets go together, so every rollup (second, minute, ten minutes, segments) stays equal to
   * the events it summarises. Queue samples and quarantined messages are cut at the second.
   * Returns the number of events deleted.
   */
  apply(retentionDays: number, nowMs: number, chunk = 50_000, quarantineChunk = QUARANTINE_CHUNK): number {
    if (!(retentionDays > 0)) return 0;
    const cutoffMs = Math.floor((nowMs - retentionDays * DAY_MS) / 1000) * 1000;
    // Events and every rollup of them go at one edge, the start of a ten-minute bucket: cut at
    // any second, the minute and the ten-minute bucket holding it stayed whole while the events
    // of their first seconds went, and the dashboard counted events that were no longer stored
    // (up to ten minutes' more is kept).
    const cutoffSec = Math.floor(cutoffMs / EDGE_MS) * (EDGE_MS / 1000);
    const split = this.payments && this.sql.hasTables('rollup_minute') ? new SplitPayments(this.sql, this.payments.splitScanAbove) : null;
    const chunkSeqs = 'SELECT seq FROM event_log WHERE time_ms < ? ORDER BY time_ms LIMIT ?';
    const deleteEvents = this.sql.prepare(`DELETE FROM event_log WHERE seq IN (${chunkSeqs})`);
    let total = 0;
    for (;;) {
      const n = this.sql.transaction(() => {
        split?.noteDeleting(chunkSeqs, [cutoffSec * 1000, chunk]);
        return deleteEvents.run(cutoffSec * 1000, chunk).changes;
      })();
      total += n;
      if (n < chunk) break;
    }
    this.sql.transaction(() => {
      this.deleteRollupsBefore(cutoffSec);
      if (this.payments && split) split.recountKept(this.payments.events, this.payments.minutes);
      // The coded tables (migration 240): the old names are views. Their keys stay (append-only).
      this.sql.prepare('DELETE FROM segment_minute_coded WHERE minute < ?').run(Math.floor(cutoffSec / 60));
      this.sql.prepare('DELETE FROM segment_decline_minute_coded WHERE minute < ?').run(Math.floor(cutoffSec / 60));
      this.sql.prepare('DELETE FROM segment_ten_minute_coded WHERE bucket < ?').run(Math.floor(cutoffSec / 600));
      this.sql.prepare('DELETE FROM segment_decline_ten_minute_coded WHERE bucket < ?').run(Math.floor(cutoffSec / 600));
      // A name that ended before the first kept minute names nothing kept (migration 310).
      if (this.hasNamedHistory()) this.sql.prepare('DELETE FROM segment_named WHERE to_minute <= ?').run(Math.floor(cutoffSec / 60));
      this.sql.prepare('DELETE FROM queue_depth WHERE at_ms < ?').run(cutoffMs);
      this.sql.prepare('DELETE FROM event_identity_overflow WHERE seq NOT IN (SELECT seq FROM event_log)').run();
    })();
    // Quarantined messages a chunk at a time too: a flood of refused messages went in one
    // transaction, with the write lock (and ingest) held until the last had gone.
    const deleteQuarantined = this.sql.prepare('DELETE FROM quarantine WHERE seq IN (SELECT seq FROM quarantine WHERE arrival_ms < ? ORDER BY arrival_ms LIMIT ?)');
    while (this.sql.transaction(() => deleteQuarantined.run(cutoffMs, quarantineChunk).changes)() === quarantineChunk);
    return total;
  }

  private namedHistory: boolean | null = null;
  private hasNamedHistory(): boolean {
    return (this.namedHistory ??= this.sql.hasTables('segment_named'));
  }

  /** The per-second, minute and ten-minute rollups of seconds before `cutoffSec`, coded (migration 230) or by name. */
  private deleteRollupsBefore(cutoffSec: number): void {
    const bounds: [table: string, at: string, before: number][] = [
      ['rollup_second', 'sec', cutoffSec],
      ['rollup_minute', 'minute', Math.floor(cutoffSec / 60)],
      ['rollup_ten_minute', 'bucket', Math.floor(cutoffSec / 600)],
    ];
    const coded = this.sql.hasTables('rollup_key');
    for (const [table, at, before] of bounds) {
      if (!coded) this.sql.prepare(`DELETE FROM ${table} WHERE ${at} < ?`).run(before);
      // The minute tables lead with the code: one range of each code's rows, not a scan of all.
      else if (at === 'sec') this.sql.prepare(`DELETE FROM ${table}_coded WHERE sec < ?`).run(before);
      else this.sql.prepare(`DELETE FROM ${table}_coded WHERE code IN (SELECT code FROM rollup_key) AND ${at} < ?`).run(before);
    }
  }
}
