import type { Database } from 'better-sqlite3';
import { floorDivSql } from '../stepStart';

// Approval per payment (issue 13): the per-minute and ten-minute rollups gain dim 'payment'
// with keys 'started' and 'approved', counted at each payment's start (its earliest decided
// attempt), as the ingest writer's PaymentOutcomes keeps them from now on. No new table; this
// carries over what is already stored, grouping every stored attempt of a paymentId (the
// writer groups those of the last hour and 200,000 payments: on a database older than that
// the two can differ).
const PAYMENTS = `
  SELECT MIN(time_ms) AS start_ms, MAX(type = 'payment.authorized') AS approved FROM event_log
  WHERE type IN ('payment.authorized', 'payment.declined')
  GROUP BY COALESCE(payment_id, 'seq:' || seq)`;

export const migration190 = {
  version: 190,
  name: 'per-payment approval rollups',
  up(db: Database): void {
    db.exec(`CREATE TEMP TABLE payment_starts AS SELECT ${floorDivSql('start_ms', 1000)} AS sec, approved FROM (${PAYMENTS})`);
    const fill = (table: string, column: string, per: number): void => {
      db.exec(`
        INSERT INTO ${table} (${column}, dim, key, count, amount)
          SELECT ${floorDivSql('sec', per)} AS at, 'payment', 'started', COUNT(*), 0 FROM payment_starts GROUP BY at
          UNION ALL
          SELECT ${floorDivSql('sec', per)} AS at, 'payment', 'approved', SUM(approved), 0 FROM payment_starts GROUP BY at HAVING SUM(approved) > 0
        ON CONFLICT DO UPDATE SET count = count + excluded.count`);
    };
    fill('rollup_minute', 'minute', 60);
    fill('rollup_ten_minute', 'bucket', 600);
    db.exec('DROP TABLE payment_starts');
  },
};
