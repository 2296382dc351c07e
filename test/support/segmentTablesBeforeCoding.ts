// Test support: rewrites the segment tables of a database written by this version (coded tables
// behind views, migration 240) into the form before 240: real tables with the old names and
// columns (dim and value as TEXT in every row), no catalogue and no coded tables. The caller sets
// the user_version it stands for. For migration tests of 240 and of the migrations before it.
import DatabaseCtor from 'better-sqlite3';
import type Database from 'better-sqlite3';

const OLD_TABLES = [
  { name: 'segment_minute', at: 'minute', counts: true },
  { name: 'segment_ten_minute', at: 'bucket', counts: true },
  { name: 'segment_decline_minute', at: 'minute', counts: false },
  { name: 'segment_decline_ten_minute', at: 'bucket', counts: false },
];

/** The DDL of migrations 130 and 200. */
function oldTableSql(name: string, at: string, counts: boolean): string {
  const columns = counts
    ? 'attempts INTEGER NOT NULL, approvals INTEGER NOT NULL, declines INTEGER NOT NULL, failures INTEGER NOT NULL, amount INTEGER NOT NULL, approved_amount INTEGER NOT NULL'
    : 'code TEXT NOT NULL, count INTEGER NOT NULL';
  return `CREATE TABLE ${name} (${at} INTEGER NOT NULL, dim TEXT NOT NULL, value TEXT NOT NULL, ${columns},
    PRIMARY KEY (${at}, dim, value${counts ? '' : ', code'})) WITHOUT ROWID`;
}

export function toSegmentTablesBeforeCoding(db: Database.Database): void {
  db.transaction(() => {
    for (const t of OLD_TABLES) {
      db.exec(oldTableSql(`${t.name}_uncoded`, t.at, t.counts));
      // The columns of 130 and 200 only (the views have more since migration 350).
      const columns = `${t.at}, dim, value, ${t.counts ? 'attempts, approvals, declines, failures, amount, approved_amount' : 'code, count'}`;
      db.exec(`INSERT INTO ${t.name}_uncoded (${columns}) SELECT ${columns} FROM ${t.name}`);
    }
    for (const t of OLD_TABLES) db.exec(`DROP VIEW ${t.name}; DROP TABLE ${t.name}_coded;`);
    db.exec('DROP TABLE segment_key');
    for (const t of OLD_TABLES) db.exec(`ALTER TABLE ${t.name}_uncoded RENAME TO ${t.name}`);
  })();
}

/**
 * Sets every segment cell's payments (migration 350) to unknown, as in a database written before
 * it: what a database rewritten into an older form must answer, since those forms cannot hold them.
 */
export function forgetSegmentPayments(file: string): void {
  const db = new DatabaseCtor(file);
  try {
    db.exec('UPDATE segment_minute_coded SET payments = NULL; UPDATE segment_ten_minute_coded SET payments = NULL;');
  } finally {
    db.close();
  }
}
