// The retention deletes quarantined messages a bounded chunk at a time, each chunk its own
// transaction, as it does events: a flood of refused messages (bodies up to the size limit
// each) went in one transaction, holding the write lock, and ingest behind it, until all had gone.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { tempDir } from '../../../test/support/tempDir';
import { openDatabase } from './database';
import { Retention } from './retention';
import { storeOn } from './store';

const dir = tempDir('payops-qretention-');
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

describe('retention of quarantined messages', () => {
  it('commits every chunk before deleting the next: another connection sees the rows go chunk by chunk', () => {
    const file = path.join(dir, 'chunks.db');
    const db = openDatabase(file);
    const watcher = new Database(file, { readonly: true });
    try {
      const store = storeOn(db);
      const old = Array.from({ length: 10 }, (_, i) => {
        const raw = { body: Buffer.from(`refused ${i}`), arrivalMs: NOW - 10 * DAY + i, routingKey: 'rk' };
        return { raw, result: decodeMessage(raw) };
      });
      store.ingest.commit(old);
      // Each deleted row asks another connection what is committed: in one transaction, all 10 until the end.
      const committed: number[] = [];
      const count = watcher.prepare('SELECT COUNT(*) FROM quarantine').pluck();
      db.function('committed_quarantine', () => {
        committed.push(count.get() as number);
        return 0;
      });
      db.exec('CREATE TEMP TRIGGER watch_quarantine_delete AFTER DELETE ON quarantine BEGIN SELECT committed_quarantine(); END');
      new Retention(db).apply(7, NOW, 50_000, 3);
      expect(committed).toHaveLength(10);
      expect(committed).toEqual([10, 10, 10, 7, 7, 7, 4, 4, 4, 1]);
      expect(count.get()).toBe(0);
      expect(store.stats()).toMatchObject({ quarantined: 10, quarantineHeld: 0 });
    } finally {
      watcher.close();
      db.close();
    }
  });
});
