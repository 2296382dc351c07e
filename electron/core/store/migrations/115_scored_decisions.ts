import type { Database } from 'better-sqlite3';
import { floorDivSql } from '../stepStart';

// Risk decisions are counted once per scoring. Until now the 'decision' rollup counted every
// risk event, and the simulator (like most risk engines) follows a blocking risk.scored with
// a risk.blocked carrying the same decision, so reports said "358 blocked" over 179
// risk.blocked events. From now on the writer counts risk.scored events only; this rebuilds
// the 'decision' cells already stored from the events themselves (one pass over the
// risk.scored rows through their type index; seconds whose events retention already dropped
// lose their decision cells, as they would have lost them at the next retention run).
export const migration115 = {
  version: 115,
  name: 'risk decisions from risk.scored only',
  up(db: Database): void {
    db.exec(`
      DELETE FROM rollup_second WHERE dim = 'decision';
      INSERT INTO rollup_second (sec, dim, key, count, amount)
        SELECT ${floorDivSql('time_ms', 1000)} AS sec, 'decision', COALESCE(decision, 'unknown'), COUNT(*), COALESCE(SUM(score), 0)
        FROM events INDEXED BY events_type_time WHERE type = 'risk.scored'
        GROUP BY sec, COALESCE(decision, 'unknown');
    `);
  },
};
