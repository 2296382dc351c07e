import type { Database } from 'better-sqlite3';

// The health board judged segments per attempt, and merchants retry soft declines: one payment
// declined three times is three declines, so on calm traffic a merchant's attempt counts wander
// beyond chance and the board marked it degraded. Each segment cell now also counts its
// payments, the attempts that are a payment's first (`attempt` absent or 1), so approval can be
// judged per payment (approvals over payments: a payment is approved at most once).
//
// NULL in a row written before this migration: its payments are unknown (not 0), and a sum
// over minutes holding one is unknown too (readers fall back to per attempt). An upsert adds
// to NULL and keeps it NULL, so a late event of an old minute does not make it look known.
//
// The views of migration 240 are made again with the column. A table that has it already (a
// database written by this version, rewound to an older user_version) keeps it.

const TABLES = [
  { view: 'segment_minute', coded: 'segment_minute_coded', at: 'minute' },
  { view: 'segment_ten_minute', coded: 'segment_ten_minute_coded', at: 'bucket' },
] as const;

const COLUMNS = ['attempts', 'approvals', 'declines', 'failures', 'amount', 'approved_amount', 'payments'];

export const migration350 = {
  version: 350,
  name: 'segment rollups count payments (first attempts)',
  up(db: Database): void {
    const hasColumn = db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').pluck();
    for (const t of TABLES) {
      if (hasColumn.get(t.coded, 'payments') === undefined) db.exec(`ALTER TABLE ${t.coded} ADD COLUMN payments INTEGER`);
      db.exec(`DROP VIEW IF EXISTS ${t.view}`);
      db.exec(`CREATE VIEW ${t.view} AS
        SELECT cells.${t.at} AS ${t.at}, k.dim AS dim, k.value AS value, ${COLUMNS.map((c) => `cells.${c} AS ${c}`).join(', ')}
        FROM ${t.coded} AS cells CROSS JOIN segment_key AS k ON k.id = cells.key_id`);
    }
  },
};
