// segment_named (migration 310) grows by a row each time a value is promoted out of '(other)':
// retention drops the rows of names that ended before what it keeps, so it stays bounded by
// the retained churn, and keeps every name still in use.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMISSION_T0, admissionTraffic } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import { Retention } from './retention';
import { openStore } from './store';

const dir = tempDir('payops-named-retention-');

describe('retention and segment_named', () => {
  it('drops names that ended before the cutoff, keeps the open ones', () => {
    const file = path.join(dir, 'named.db');
    const store = openStore(file);
    store.ingest.commit(admissionTraffic());
    store.close();
    const db = new Database(file);
    try {
      const rows = () => db.prepare("SELECT value FROM segment_named WHERE dim = 'acquirer' AND value IN ('acq-0', 'acq-7', 'acq-late') ORDER BY value").pluck().all();
      expect(rows()).toEqual(['acq-0', 'acq-7', 'acq-late']);
      // Keep one day back from a day and two hours after the traffic: everything stored goes.
      new Retention(db).apply(1, ADMISSION_T0 + 26 * 3_600_000);
      expect(rows()).toEqual(['acq-7', 'acq-late']);
    } finally {
      db.close();
    }
  });
});
