// Rewrites a database's coded rollups (migration 230) into the form written before it: tables
// named rollup_second, rollup_minute and rollup_ten_minute holding dim and key as text.
import type { Database } from 'better-sqlite3';

const NAMED: [table: string, columns: string, primaryKey: string, amountType: string][] = [
  ['rollup_second', 'sec, dim, key', 'sec, dim, key', 'INTEGER'],
  ['rollup_minute', 'dim, minute, key', 'dim, minute, key', 'REAL'],
  ['rollup_ten_minute', 'dim, bucket, key', 'dim, bucket, key', 'REAL'],
];

/** The pre-230 form, same rows; `userVersion` is set when given. */
export function toNamedRollups(db: Database, userVersion?: number): void {
  db.transaction(() => {
    for (const [table, columns, primaryKey, amountType] of NAMED) {
      const [a, b, c] = columns.split(', ');
      db.exec(`
        CREATE TABLE ${table}_named (
          ${a} ${a === 'dim' ? 'TEXT' : 'INTEGER'} NOT NULL,
          ${b} ${b === 'dim' ? 'TEXT' : 'INTEGER'} NOT NULL,
          ${c} TEXT NOT NULL,
          count INTEGER NOT NULL,
          amount ${amountType} NOT NULL DEFAULT 0,
          PRIMARY KEY (${primaryKey})
        ) WITHOUT ROWID;
        INSERT INTO ${table}_named (${columns}, count, amount) SELECT ${columns}, count, amount FROM ${table};
        DROP VIEW ${table};
        DROP TABLE ${table}_coded;
        ALTER TABLE ${table}_named RENAME TO ${table};
      `);
    }
    db.exec('DROP TABLE rollup_key');
    if (userVersion !== undefined) db.pragma(`user_version = ${userVersion}`);
  })();
}
