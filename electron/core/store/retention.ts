import type { Database } from 'better-sqlite3';

const DAY_MS = 86_400_000;

/**
 * Deletes events, rollups and queue samples older than the retention, a bounded chunk at a
 * time so ingest is never blocked for long. Whole seconds go together, so the rollups stay
 * equal to the events they summarise. Returns the number of events deleted.
 */
export function applyRetention(db: Database, retentionDays: number, nowMs: number, chunk = 50_000): number {
  if (!(retentionDays > 0)) return 0;
  const cutoffSec = Math.floor((nowMs - retentionDays * DAY_MS) / 1000);
  const cutoffMs = cutoffSec * 1000;
  const deleteEvents = db.prepare(
    'DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE time_ms < ? ORDER BY time_ms LIMIT ?)',
  );
  let total = 0;
  for (;;) {
    const n = db.transaction(() => deleteEvents.run(cutoffMs, chunk).changes)();
    total += n;
    if (n < chunk) break;
  }
  db.transaction(() => {
    db.prepare('DELETE FROM rollup_second WHERE sec < ?').run(cutoffSec);
    db.prepare('DELETE FROM queue_depth WHERE at_ms < ?').run(cutoffMs);
    db.prepare('DELETE FROM quarantine WHERE arrival_ms < ?').run(cutoffMs);
  })();
  return total;
}
