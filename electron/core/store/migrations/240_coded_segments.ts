import type { Database } from 'better-sqlite3';

// The four segment tables repeated their TEXT dimension and value in every row ('merchantId',
// 'm_cash_out_06'): about a third of their ~47 bytes per stored event on PaySim-derived traffic.
// From here each (dim, value) pair is stored once, in segment_key, and the tables hold its id.
//
// segment_key is append-only: an admission (segment_value) may replace a value, but its key is
// never deleted, so an id never changes meaning; retention may leave unused keys (a few hundred
// rows per dimension at most). Its id column is not called `code`: the decline tables have one.
//
// The old names stay as views with the old columns, so every reader is unchanged, and a
// database of an older schema opened read-only (never migrated) is read through the same SQL
// from its real tables. The views join CROSS JOIN so that SQLite scans the coded table by its
// time range (the primary key's first column) and looks each key up by id. Writers and
// retention write the coded tables (a view takes no INSERT or DELETE).
//
// A table whose old name is a view already is in this form (a database written by this
// version and rewound to an older user_version): it is left as it is.

const COUNTS = ['attempts', 'approvals', 'declines', 'failures', 'amount', 'approved_amount'];

interface CodedTable {
  /** The old name: a view from here on. */
  view: string;
  coded: string;
  /** The time column, first in the primary key so that ingest appends at the B-tree's right edge. */
  at: 'minute' | 'bucket';
  /** Columns after (time, dim, value), in the old order. */
  columns: string[];
}

const CODED_SEGMENT_TABLES: readonly CodedTable[] = [
  { view: 'segment_minute', coded: 'segment_minute_coded', at: 'minute', columns: COUNTS },
  { view: 'segment_ten_minute', coded: 'segment_ten_minute_coded', at: 'bucket', columns: COUNTS },
  { view: 'segment_decline_minute', coded: 'segment_decline_minute_coded', at: 'minute', columns: ['code', 'count'] },
  { view: 'segment_decline_ten_minute', coded: 'segment_decline_ten_minute_coded', at: 'bucket', columns: ['code', 'count'] },
];

function createCoded(db: Database, t: CodedTable): void {
  const hasCode = t.columns.includes('code');
  const cols = t.columns.map((c) => (c === 'code' ? 'code TEXT NOT NULL' : `${c} INTEGER NOT NULL`)).join(', ');
  db.exec(`CREATE TABLE IF NOT EXISTS ${t.coded} (
    ${t.at} INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    ${cols},
    PRIMARY KEY (${t.at}, key_id${hasCode ? ', code' : ''})
  ) WITHOUT ROWID`);
}

function createView(db: Database, t: CodedTable): void {
  db.exec(`CREATE VIEW ${t.view} AS
    SELECT cells.${t.at} AS ${t.at}, k.dim AS dim, k.value AS value, ${t.columns.map((c) => `cells.${c} AS ${c}`).join(', ')}
    FROM ${t.coded} AS cells CROSS JOIN segment_key AS k ON k.id = cells.key_id`);
}

export const migration240 = {
  version: 240,
  name: 'segment rollups keyed by a catalogue of (dim, value)',
  up(db: Database): void {
    db.exec(`CREATE TABLE IF NOT EXISTS segment_key (
      id INTEGER PRIMARY KEY,
      dim TEXT NOT NULL,
      value TEXT NOT NULL,
      UNIQUE (dim, value)
    )`);
    const kind = db.prepare('SELECT type FROM sqlite_master WHERE name = ?').pluck();
    for (const t of CODED_SEGMENT_TABLES) {
      createCoded(db, t);
      if (kind.get(t.view) === 'view') continue;
      db.exec(`INSERT OR IGNORE INTO segment_key (dim, value) SELECT DISTINCT dim, value FROM ${t.view} ORDER BY dim, value`);
      // In primary-key order, so the coded B-tree is written left to right and packed.
      db.exec(`INSERT INTO ${t.coded} (${t.at}, key_id, ${t.columns.join(', ')})
        SELECT old.${t.at}, k.id, ${t.columns.map((c) => `old.${c}`).join(', ')}
        FROM ${t.view} AS old JOIN segment_key AS k ON k.dim = old.dim AND k.value = old.value
        ORDER BY old.${t.at}, k.id${t.columns.includes('code') ? ', old.code' : ''}`);
      db.exec(`DROP TABLE ${t.view}`);
      createView(db, t);
    }
  },
};
