// The query benchmark's database is written straight into SQLite (bench/queryData.ts), not
// through the ingest writer: this fills its segment rollups (migration 130) once, through the
// real SegmentRollupRepository, from the stored attempt outcomes. Cached with the database.
import Database from 'better-sqlite3';
import type { NormalizedEvent } from '../shared/events/eventTypes';
import { openStore } from '../electron/core/store/store';
import { SegmentRollupRepository } from '../electron/core/store/segmentRollupRepository';

const CHUNK = 50_000;

export function ensureSegmentRollups(file: string, log: (line: string) => void): void {
  openStore(file).close(); // migrates the cached database to the segment tables
  const db = new Database(file);
  try {
    if (db.prepare('SELECT 1 FROM segment_minute LIMIT 1').get()) return;
    const t0 = performance.now();
    const segments = new SegmentRollupRepository(db);
    const read = db.prepare(
      `SELECT seq, type, time_ms AS timeMs, merchant_id AS merchantId, country, method, currency, card_bin AS cardBin, amount, decline_code AS declineCode
       FROM events WHERE seq > ? AND type IN ('payment.authorized', 'payment.declined', 'payment.failed') ORDER BY seq LIMIT ?`,
    );
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = read.all(after, CHUNK) as (Partial<NormalizedEvent> & { seq: number })[];
      if (rows.length === 0) break;
      db.transaction(() => segments.addOutcomes(rows as NormalizedEvent[]))();
      after = rows[rows.length - 1].seq;
      n += rows.length;
    }
    log(`segment rollups: ${n.toLocaleString('en-US')} attempts in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } finally {
    db.close();
  }
}
