// Migration 310 records when each segment value was named: a database of the schema before it
// carries over with what its rollups tell (values named from the start, a value promoted out of
// (other), one replaced), and explain then compares the promoted value folded on both sides.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainRequestSchema } from '../../../shared/triage';
import { ADMISSION_T0, admissionTraffic } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import { explainFromStore } from '../triage/explainService';
import { openDatabase } from './database';
import { EventWriter } from './eventWriter';
import { MIGRATIONS, NEWEST_VERSION, migrate } from './migrate';
import { storeOn } from './store';

const dir = tempDir('payops-m310-');
const MIN = 60_000;

describe('migration 310: when each segment value was named', () => {
  it('carries a database over from its rollups, and explain reads a promotion in it as no change', () => {
    const file = path.join(dir, 'm310.db');
    // The writer of this version on the schema before 310 (segment_value only) writes no history.
    const before = new Database(file);
    migrate(before, MIGRATIONS.filter((m) => m.version < 310));
    new EventWriter(before).commit(admissionTraffic());
    expect(before.prepare("SELECT name FROM sqlite_master WHERE name = 'segment_named'").get()).toBeUndefined();
    before.close();

    const db = openDatabase(file);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(NEWEST_VERSION);
      const m0 = Math.floor(ADMISSION_T0 / MIN);
      const named = (value: string) => db.prepare("SELECT from_minute AS f, to_minute AS t FROM segment_named WHERE dim = 'acquirer' AND value = ?").all(value);
      // Admitted while the dimension had room: named from its first attempt, still named.
      expect(named('acq-7')).toEqual([{ f: null, t: null }]);
      // Promoted after (other) first had attempts: named wholly from the minute after its first named one.
      const late = named('acq-late') as { f: number; t: null }[];
      expect(late).toHaveLength(1);
      expect(late[0].t).toBeNull();
      expect(late[0].f).toBeGreaterThan(m0 + 50);
      expect(late[0].f).toBeLessThanOrEqual(m0 + 57);
      // The value it replaced (the weakest: acq-0) was named until after its last stored minute.
      expect(named('acq-0')).toEqual([{ f: null, t: m0 + 1 }]);
      expect(db.prepare("SELECT COUNT(*) FROM segment_named WHERE value IN ('(other)', '(all)')").pluck().get()).toBe(0);

      const e = explainFromStore(
        storeOn(db),
        explainRequestSchema.parse({ from: ADMISSION_T0 + 50 * MIN, to: ADMISSION_T0 + 60 * MIN, baselineFrom: ADMISSION_T0 + 37 * MIN, baselineTo: ADMISSION_T0 + 50 * MIN }),
      );
      expect(e.contributors.filter((c) => c.dimension === 'acquirer' && c.significant)).toEqual([]);
      expect(e.contributors.find((c) => c.significant)).toMatchObject({ dimension: 'merchantId', value: 'm-bad' });
    } finally {
      db.close();
    }
  });
});
