import type { Database } from 'better-sqlite3';

// The rollup tables held their dim and key as TEXT in every row: on PaySim-derived traffic,
// where nearly every event has per-second rows of its own, 25 of the rollups' 130 bytes per
// stored event (and more with page overhead). From here each (dim, key) pair is stored once, in
// rollup_key, and the rollups hold its code (rollupKeys.ts). Views with the old names and
// columns put dim and key back, so every reader reads as before, and a read-only store of an
// older database (tables of those names) answers the same queries.
// Per second, the code follows the time in the key (readers ask for a range of seconds, and
// ingest appends); per minute and ten minutes, it leads (readers ask for one dim's range).
// A table whose old name is already a view is in this form (a test rewinds user_version).

interface CodedTable {
  name: string;
  coded: string;
  at: string;
  amountType: 'INTEGER' | 'REAL';
  /** The coded table's key, and the order of the view's join (which side drives the scan). */
  primaryKey: string;
  view: string;
}

const TABLES: CodedTable[] = [
  {
    name: 'rollup_second',
    coded: 'rollup_second_coded',
    at: 'sec',
    amountType: 'INTEGER',
    primaryKey: 'sec, code',
    view: `SELECT c.sec AS sec, k.dim AS dim, k.key AS key, c.count AS count, c.amount AS amount
      FROM rollup_second_coded c CROSS JOIN rollup_key k ON k.code = c.code`,
  },
  {
    name: 'rollup_minute',
    coded: 'rollup_minute_coded',
    at: 'minute',
    amountType: 'REAL',
    primaryKey: 'code, minute',
    view: `SELECT k.dim AS dim, c.minute AS minute, k.key AS key, c.count AS count, c.amount AS amount
      FROM rollup_key k CROSS JOIN rollup_minute_coded c ON c.code = k.code`,
  },
  {
    name: 'rollup_ten_minute',
    coded: 'rollup_ten_minute_coded',
    at: 'bucket',
    amountType: 'REAL',
    primaryKey: 'code, bucket',
    view: `SELECT k.dim AS dim, c.bucket AS bucket, k.key AS key, c.count AS count, c.amount AS amount
      FROM rollup_key k CROSS JOIN rollup_ten_minute_coded c ON c.code = k.code`,
  },
];

export const migration230 = {
  version: 230,
  name: 'rollup dims and keys stored once, as codes',
  up(db: Database): void {
    db.exec('CREATE TABLE IF NOT EXISTS rollup_key (code INTEGER PRIMARY KEY, dim TEXT NOT NULL, key TEXT NOT NULL, UNIQUE (dim, key))');
    const kind = db.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck();
    for (const t of TABLES) {
      if (kind.get(t.name) !== 'table') continue;
      db.exec(`
        INSERT OR IGNORE INTO rollup_key (dim, key) SELECT DISTINCT dim, key FROM ${t.name} ORDER BY dim, key;
        CREATE TABLE ${t.coded} (
          ${t.at} INTEGER NOT NULL,
          code INTEGER NOT NULL,
          count INTEGER NOT NULL,
          amount ${t.amountType} NOT NULL DEFAULT 0,
          PRIMARY KEY (${t.primaryKey})
        ) WITHOUT ROWID;
        INSERT INTO ${t.coded} (${t.at}, code, count, amount)
          SELECT r.${t.at}, k.code, r.count, r.amount FROM ${t.name} r JOIN rollup_key k ON k.dim = r.dim AND k.key = r.key;
        DROP TABLE ${t.name};
        CREATE VIEW ${t.name} AS ${t.view};
      `);
    }
  },
};
