// Migration 220: segment tables hold a total per minute (and ten-minute bucket) instead of a
// `(none)` row per dimension. A database in the old form answers the same segment queries
// read-only before it migrates and after it, and ingest then goes on in the new form.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { NONE_VALUE, SEGMENT_DIMENSIONS } from '../../../shared/segments';
import { forgetSegmentPayments, toSegmentTablesBeforeCoding } from '../../../test/support/segmentTablesBeforeCoding';
import { storeScenario } from '../../../test/support/triageTestKit';
import { tempDir } from '../../../test/support/tempDir';
import { migrateAfterReadOnlyAnswers } from '../../../test/support/migrationKit';
import { TOTAL } from './segmentRollupRepository';

const dir = tempDir('payops-m220-');
const MINUTE = 60_000;

const TABLES = [
  { table: 'segment_minute', at: 'minute', codes: 'segment_decline_minute' },
  { table: 'segment_ten_minute', at: 'bucket', codes: 'segment_decline_ten_minute' },
];

/** Rewrites the segment tables into the form written before 220: a `(none)` row per dimension, no totals. */
function toOldForm(db: Database.Database): void {
  // Real tables with dim and value as TEXT first (before migration 240's catalogue and views).
  toSegmentTablesBeforeCoding(db);
  const cols = ['attempts', 'approvals', 'declines', 'failures', 'amount', 'approved_amount'];
  db.transaction(() => {
    for (const { table, at, codes } of TABLES) {
      for (const dim of SEGMENT_DIMENSIONS) {
        db.prepare(
          `INSERT INTO ${table} (${at}, dim, value, ${cols.join(', ')})
           SELECT t.${at}, ?, ?, ${cols.map((c) => `t.${c} - COALESCE(SUM(v.${c}), 0)`).join(', ')}
           FROM ${table} t LEFT JOIN ${table} v ON v.${at} = t.${at} AND v.dim = ?
           WHERE t.dim = ? GROUP BY t.${at} HAVING t.attempts - COALESCE(SUM(v.attempts), 0) > 0`,
        ).run(dim, NONE_VALUE, dim, TOTAL);
        db.prepare(
          `INSERT INTO ${codes} (${at}, dim, value, code, count)
           SELECT t.${at}, ?, ?, t.code, t.count - COALESCE(SUM(v.count), 0)
           FROM ${codes} t LEFT JOIN ${codes} v ON v.${at} = t.${at} AND v.code = t.code AND v.dim = ?
           WHERE t.dim = ? GROUP BY t.${at}, t.code HAVING t.count - COALESCE(SUM(v.count), 0) > 0`,
        ).run(dim, NONE_VALUE, dim, TOTAL);
      }
      db.prepare(`DELETE FROM ${table} WHERE dim = ?`).run(TOTAL);
      db.prepare(`DELETE FROM ${codes} WHERE dim = ?`).run(TOTAL);
    }
    db.pragma('user_version = 210');
  })();
}

const sorted = <T extends { dim: string; value: string; code?: string }>(rows: T[]) =>
  [...rows].sort((a, b) => `${a.dim}\u0000${a.value}\u0000${a.code ?? ''}`.localeCompare(`${b.dim}\u0000${b.value}\u0000${b.code ?? ''}`));

describe('migration 220: segment totals instead of (none) rows', () => {
  it('a database in the old form answers the same read-only, migrates, and answers the same after', async () => {
    // 50 minutes: ten-minute buckets are summed, and windows cross their edges.
    const s = await storeScenario(dir, 'issuer-outage', { rate: 10, baselineMinutes: 44, anomalyMinutes: 6 });
    const first = Math.floor((s.toMs - 50 * MINUTE) / MINUTE);
    const windows = [
      [first, first + 50],
      [first + 3, first + 47],
      [first + 12, first + 29],
      [first + 44, first + 50],
    ];
    const answers = (store: { segments: typeof s.store.segments }) =>
      windows.map(([a, b]) => ({ segments: sorted(store.segments.segmentsBetween(a, b)), codes: sorted(store.segments.declineCodesBetween(a, b)) }));
    // The old form predates payments (migration 350): it must answer as a database that has none.
    forgetSegmentPayments(s.file);
    const want = answers(s.store);
    expect(want[0].segments.some((r) => r.value === NONE_VALUE)).toBe(true);
    expect(want[0].codes.some((r) => r.value === NONE_VALUE)).toBe(true);
    s.store.close();

    const raw = new Database(s.file);
    toOldForm(raw);
    const noneRows = raw.prepare('SELECT COUNT(*) FROM segment_minute WHERE value = ?').pluck().get(NONE_VALUE) as number;
    expect(noneRows).toBeGreaterThan(0);
    raw.close();

    // Opened read-only (never migrated), the stored (none) rows are read as they are.
    const { store: again, migrated } = migrateAfterReadOnlyAnswers(s.file, answers, want);
    for (const { table, codes } of TABLES) {
      expect(migrated.prepare(`SELECT COUNT(*) FROM ${table} WHERE value = ?`).pluck().get(NONE_VALUE)).toBe(0);
      expect(migrated.prepare(`SELECT COUNT(*) FROM ${codes} WHERE value = ?`).pluck().get(NONE_VALUE)).toBe(0);
    }
    const totalRows = migrated.prepare('SELECT COUNT(*) FROM segment_minute WHERE dim = ?').pluck().get(TOTAL) as number;
    expect(totalRows).toBe(50);
    expect(noneRows).toBeGreaterThan(totalRows);
    migrated.close();
    // Migration 360 recounts the payments from the stored events (migration360.test.ts): the
    // rewrite is compared as the old form answered, without them.
    forgetSegmentPayments(s.file);
    expect(answers(again)).toEqual(want);
    again.close();
  }, 60_000);
});
