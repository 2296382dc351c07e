import type { Database } from 'better-sqlite3';

/** What `payops stats --json` prints (the ingest issue's contract). */
export interface StoreStats {
  events: number;
  byType: Record<string, number>;
  quarantined: number;
  duplicates: number;
  redeliveredDuplicates: number;
  unknownTypes: number;
  authorizedAmountByCurrency: Record<string, number>;
  firstEventTime: string | null;
  lastEventTime: string | null;
}

function counter(db: Database, name: string): number {
  const row = db.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number } | undefined;
  return row?.value ?? 0;
}

/** Figures from the rollups and counters (never a scan of raw events), so it is instant at any size. */
export function computeStats(db: Database): StoreStats {
  const byType: Record<string, number> = {};
  let events = 0;
  for (const row of db
    .prepare(`SELECT key, SUM(count) AS n FROM rollup_second WHERE dim = 'type' GROUP BY key ORDER BY key`)
    .all() as { key: string; n: number }[]) {
    byType[row.key] = row.n;
    events += row.n;
  }
  const authorizedAmountByCurrency: Record<string, number> = {};
  for (const row of db
    .prepare(`SELECT key, SUM(amount) AS total FROM rollup_second WHERE dim = 'authorized' GROUP BY key ORDER BY key`)
    .all() as { key: string; total: number }[]) {
    authorizedAmountByCurrency[row.key] = row.total;
  }
  const range = db.prepare('SELECT MIN(time_ms) AS first, MAX(time_ms) AS last FROM events').get() as {
    first: number | null;
    last: number | null;
  };
  return {
    events,
    byType,
    quarantined: counter(db, 'quarantined'),
    duplicates: counter(db, 'duplicates'),
    redeliveredDuplicates: counter(db, 'redelivered_duplicates'),
    unknownTypes: counter(db, 'unknown_types'),
    authorizedAmountByCurrency,
    firstEventTime: range.first === null ? null : new Date(range.first).toISOString(),
    lastEventTime: range.last === null ? null : new Date(range.last).toISOString(),
  };
}
