import type { Database } from 'better-sqlite3';

// The rollup tables held their dim and key as TEXT in every row: on PaySim-derived traffic,
// where nearly every event has per-second rows of its own, 25 of the rollups' 130 bytes per
// stored event (and more with page overhead). From here each (dim, key) pair is stored once, in
// rollup_key, and the rollups hold its code (codeCatalogue.ts). Views with the old names and
// columns put dim and key back, so every reader reads as before, and a read-only store of an
// older database (tables of those names) answers the same queries.
// Per second, the code follows the time in the key (readers ask for a range of seconds, and
// ingest appends); per minute and ten minutes, it leads (readers ask for one dim's range).
// A table whose old name is already a view is in this form (a test rewinds user_version).

interface CodedTable {
  /** The old table's name: a view from here on; the coded table is `${name}_coded`. */
  name: string;
  at: string;
  amountType: 'INTEGER' | 'REAL';
  /**
   * The time leads the coded table's key (and the old table's columns), and the view's join
   * scans the cells first; otherwise the code leads, and the join reads the codes of a dim first.
   */
  timeFirst: boolean;
}

const TABLES: CodedTable[] = [
  { name: 'rollup_second', at: 'sec', amountType: 'INTEGER', timeFirst: true },
  { name: 'rollup_minute', at: 'minute', amountType: 'REAL', timeFirst: false },
  { name: 'rollup_ten_minute', at: 'bucket', amountType: 'REAL', timeFirst: false },
];

/** The view with the old table's name and columns, in their order. */
function viewSql(t: CodedTable): string {
  const coded = `${t.name}_coded`;
  const columns = t.timeFirst ? `c.${t.at} AS ${t.at}, k.dim AS dim` : `k.dim AS dim, c.${t.at} AS ${t.at}`;
  const join = t.timeFirst ? `${coded} c CROSS JOIN rollup_key k ON k.code = c.code` : `rollup_key k CROSS JOIN ${coded} c ON c.code = k.code`;
  return `CREATE VIEW ${t.name} AS SELECT ${columns}, k.key AS key, c.count AS count, c.amount AS amount FROM ${join}`;
}

export const migration230 = {
  version: 230,
  name: 'rollup dims and keys stored once, as codes',
  up(db: Database): void {
    db.exec('CREATE TABLE IF NOT EXISTS rollup_key (code INTEGER PRIMARY KEY, dim TEXT NOT NULL, key TEXT NOT NULL, UNIQUE (dim, key))');
    const kind = db.prepare('SELECT type FROM sqlite_schema WHERE name = ?').pluck();
    for (const t of TABLES) {
      if (kind.get(t.name) !== 'table') continue;
      const coded = `${t.name}_coded`;
      db.exec(`
        INSERT OR IGNORE INTO rollup_key (dim, key) SELECT DISTINCT dim, key FROM ${t.name} ORDER BY dim, key;
        CREATE TABLE ${coded} (
          ${t.at} INTEGER NOT NULL,
          code INTEGER NOT NULL,
          count INTEGER NOT NULL,
          amount ${t.amountType} NOT NULL DEFAULT 0,
          PRIMARY KEY (${t.timeFirst ? `${t.at}, code` : `code, ${t.at}`})
        ) WITHOUT ROWID;
        INSERT INTO ${coded} (${t.at}, code, count, amount)
          SELECT r.${t.at}, k.code, r.count, r.amount FROM ${t.name} r JOIN rollup_key k ON k.dim = r.dim AND k.key = r.key;
        DROP TABLE ${t.name};
        ${viewSql(t)};
      `);
    }
  },
};
