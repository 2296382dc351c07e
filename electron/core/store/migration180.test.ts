// Migration 180: a database written before it (per-minute rollups only) gets ten-minute
// rollups that sum its minutes, and the dashboard reads the same figures from both.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { MIGRATIONS, migrate } from './migrate';

const dir = tempDir('payops-m180-');

describe('migration 180: ten-minute rollups', () => {
  it('sums the minutes a database already holds into ten-minute buckets', () => {
    const db = new Database(path.join(dir, 'old.db'));
    try {
      expect(migrate(db, MIGRATIONS.filter((m) => m.version < 180))).toBe(170);
      const insert = db.prepare('INSERT INTO rollup_minute (dim, minute, key, count, amount) VALUES (?, ?, ?, ?, ?)');
      const first = Math.floor(Date.UTC(2026, 10, 23, 8, 3) / 60_000);
      for (let m = first; m < first + 95; m++) {
        insert.run('type', m, 'payment.authorized', m % 7, 0);
        insert.run('authorized', m, 'JPY', 2, 1000 + m);
        if (m % 3 === 0) insert.run('decline', m, '05', 1, 0);
      }
      expect(migrate(db, MIGRATIONS.filter((m) => m.version <= 180))).toBe(180);
      const tens = db.prepare('SELECT dim, bucket, key, count, amount FROM rollup_ten_minute ORDER BY dim, bucket, key').all();
      const want = db
        .prepare('SELECT dim, CAST(minute / 10 AS INTEGER) AS bucket, key, SUM(count) AS count, SUM(amount) AS amount FROM rollup_minute GROUP BY 1, 2, 3 ORDER BY 1, 2, 3')
        .all();
      expect(tens).toEqual(want);
      // 95 minutes from minute 3 of an hour: ten whole or ragged buckets per dim.
      expect(new Set(tens.map((t) => (t as { bucket: number }).bucket)).size).toBe(10);
    } finally {
      db.close();
    }
  });
});
