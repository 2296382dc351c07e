import type { Database } from 'better-sqlite3';
import { floorDivSql } from '../stepStart';

// Approval per payment counts a payment whose attempts all failed (timeouts, processor errors)
// as a payment not approved, as approval per attempt counts failed attempts: during an
// acquirer's outage it read "-" (no payments) while per attempt read 0 %. The per-payment
// rollups (dim 'payment', keys 'started' and 'approved'; migration 190) are written again from
// the stored events with payment.failed among the attempts, in the coded form of migration 230.
const STARTS = `
  SELECT ${floorDivSql('MIN(time_ms)', 1000)} AS sec, MAX(type = 'payment.authorized') AS approved FROM event_log
  WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed')
  GROUP BY COALESCE(payment_id, 'seq:' || seq)`;

export const migration300 = {
  version: 300,
  name: 'per-payment approval counts failed attempts',
  up(db: Database): void {
    db.exec(`CREATE TEMP TABLE payment_starts AS ${STARTS}`);
    const tables = [['rollup_minute_coded', 'minute', 60], ['rollup_ten_minute_coded', 'bucket', 600]] as const;
    for (const [table] of tables) db.exec(`DELETE FROM ${table} WHERE code IN (SELECT code FROM rollup_key WHERE dim = 'payment')`);
    // A database without payments gains no codes (the catalogue holds only pairs with cells).
    if (db.prepare('SELECT 1 FROM payment_starts LIMIT 1').get() !== undefined) {
      db.exec("INSERT OR IGNORE INTO rollup_key (dim, key) VALUES ('payment', 'started'), ('payment', 'approved')");
      const code = (key: string) => db.prepare("SELECT code FROM rollup_key WHERE dim = 'payment' AND key = ?").pluck().get(key) as number;
      const [started, approved] = [code('started'), code('approved')];
      for (const [table, at, per] of tables) {
        db.prepare(
          `INSERT INTO ${table} (${at}, code, count, amount)
             SELECT ${floorDivSql('sec', per)} AS t, ?, COUNT(*), 0 FROM payment_starts GROUP BY t
             UNION ALL
             SELECT ${floorDivSql('sec', per)} AS t, ?, SUM(approved), 0 FROM payment_starts GROUP BY t HAVING SUM(approved) > 0`,
        ).run(started, approved);
      }
    }
    db.exec('DROP TABLE payment_starts');
  },
};
