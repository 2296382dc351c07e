import type { Database } from 'better-sqlite3';
import { NONE_VALUE } from '../../../../shared/segments';
import { TOTAL } from '../segmentRollupRepository';

// Segment rollups kept a `(none)` row per minute for every dimension an attempt did not carry:
// on PaySim-derived traffic (4 of the 11 dimensions) 41 % of segment_minute's rows, and 7 of
// the 11 upserts per attempt in a sparse minute. From here each minute (and ten-minute bucket)
// holds one total row instead, and readers derive a dimension's `(none)` as the total less its
// values (segmentNone.ts). Every attempt has exactly one row per dimension, so the total is the
// sum over any one of them; merchantId's is used. A bucket that has a total already is in the
// new form (written by this version's writer into a database of an older schema, as tests do).
export const migration220 = {
  version: 220,
  name: 'segment totals instead of (none) rows',
  up(db: Database): void {
    const sums = 'SUM(attempts), SUM(approvals), SUM(declines), SUM(failures), SUM(amount), SUM(approved_amount)';
    for (const [table, at] of [
      ['segment_minute', 'minute'],
      ['segment_ten_minute', 'bucket'],
    ]) {
      db.prepare(
        `INSERT INTO ${table} (${at}, dim, value, attempts, approvals, declines, failures, amount, approved_amount)
         SELECT ${at}, ?, ?, ${sums} FROM ${table} WHERE dim = 'merchantId' GROUP BY ${at} ON CONFLICT DO NOTHING`,
      ).run(TOTAL, TOTAL);
      db.prepare(`DELETE FROM ${table} WHERE value = ?`).run(NONE_VALUE);
    }
    for (const [table, at] of [
      ['segment_decline_minute', 'minute'],
      ['segment_decline_ten_minute', 'bucket'],
    ]) {
      db.prepare(
        `INSERT INTO ${table} (${at}, dim, value, code, count) SELECT ${at}, ?, ?, code, SUM(count) FROM ${table} WHERE dim = 'merchantId' GROUP BY ${at}, code ON CONFLICT DO NOTHING`,
      ).run(TOTAL, TOTAL);
      db.prepare(`DELETE FROM ${table} WHERE value = ?`).run(NONE_VALUE);
    }
  },
};
