import type { Database } from 'better-sqlite3';
import { OTHER_VALUE } from '../../../../shared/segments';
import { TOTAL } from '../segmentRollupRepository';

// When each value of a dimension was counted under its own name (segmentAdmission.ts). A value
// promoted out of the folded '(other)' tail had its earlier attempts counted in '(other)', and a
// value replaced by one has its later attempts counted there: over minutes that span either
// moment, comparing its named rows (or '(other)') between two periods compares a change of name,
// not of traffic, and explain named it as a mix contributor. Readers compare a value by name
// only over minutes it was named throughout, and fold it into '(other)' on both sides otherwise.
//
// One row per time a value was named: from_minute is the first minute wholly named (NULL: named
// from its first attempt, as every value admitted while its dimension had room), to_minute the
// first minute not named any more (NULL: still named).
//
// Carried over from the rollups, as well as they tell it: a value whose first named minute is
// after its dimension's first '(other)' minute was promoted (named from the minute after its
// first); one no longer admitted was replaced after its last named minute. A value replaced and
// promoted again before this migration reads as named all along its rows.
//
// A database that has the table already (written by this version, rewound to an older
// user_version) keeps its record as it is.
export const migration310 = {
  version: 310,
  name: 'when each segment value was named',
  up(db: Database): void {
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'segment_named'").get() !== undefined) return;
    db.exec(`
      CREATE TABLE segment_named (
        dim TEXT NOT NULL,
        value TEXT NOT NULL,
        from_minute INTEGER,
        to_minute INTEGER
      );
      CREATE INDEX segment_named_value ON segment_named (dim, value);
      CREATE TEMP TABLE named_span AS
        SELECT k.dim AS dim, k.value AS value, s.first AS first, s.last AS last FROM (
          SELECT key_id, MIN(minute) AS first, MAX(minute) AS last FROM segment_minute_coded GROUP BY key_id
        ) s JOIN segment_key k ON k.id = s.key_id;
    `);
    db.prepare(
      `INSERT INTO segment_named (dim, value, from_minute, to_minute)
       SELECT n.dim, n.value,
         CASE WHEN o.first IS NULL OR n.first <= o.first THEN NULL ELSE n.first + 1 END,
         CASE WHEN v.value IS NULL THEN n.last + 1 ELSE NULL END
       FROM named_span n
       LEFT JOIN named_span o ON o.dim = n.dim AND o.value = ?
       LEFT JOIN segment_value v ON v.dim = n.dim AND v.value = n.value
       WHERE n.dim <> ? AND n.value <> ?`,
    ).run(OTHER_VALUE, TOTAL, OTHER_VALUE);
    // Admitted values without a stored minute (retention removed them): named all along.
    db.exec(`INSERT INTO segment_named (dim, value, from_minute, to_minute)
      SELECT dim, value, NULL, NULL FROM segment_value v
      WHERE NOT EXISTS (SELECT 1 FROM segment_named n WHERE n.dim = v.dim AND n.value = v.value)`);
    db.exec('DROP TABLE named_span');
  },
};
