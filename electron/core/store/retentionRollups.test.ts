// Retention drops old events and their rollups together (README, "Rollups"): after it runs, the
// per-second, minute and ten-minute rollups the dashboard reads agree with the events kept,
// whatever second of a minute or a ten-minute bucket the cutoff falls on.
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DashboardService } from '../dashboard/dashboardService';
import { openDatabase } from './database';
import { storeOn } from './store';
import { tempDir } from '../../../test/support/tempDir';
import { expectTotalsMatch, rollupDisagreements, sqlWindow, storeInArrivalOrder, type Sent } from '../../../test/support/sqlFigures';

const dir = tempDir('payops-retention-rollups-');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/** An attempt every 7 seconds over 40 minutes, in two currencies, a third declined. */
function traffic(): Sent[] {
  const out: Sent[] = [];
  for (let i = 0; i < 40 * 60 / 7; i++) {
    const timeMs = T0 + i * 7000 + (i % 5);
    const type = i % 3 === 0 ? 'payment.declined' : 'payment.authorized';
    const data = { paymentId: `p-${i}`, merchantId: 'm_1', amount: 1000 + i, currency: i % 2 ? 'JPY' : 'KWD', latencyMs: 100 + i, ...(type === 'payment.declined' ? { declineCode: '05' } : {}) };
    out.push({ event: { specversion: '1.0', id: `r-${i}`, source: 'psp/authorizer', type, time: new Date(timeMs).toISOString(), data }, arrivalMs: timeMs });
  }
  return out;
}

describe('retention and the rollups', () => {
  const template = path.join(dir, 'template.db');
  const db0 = openDatabase(template);
  storeInArrivalOrder(db0, traffic(), 50);
  db0.close();
  let run = 0;

  it('leaves rollups equal to the events kept, for a cutoff on any second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 * 60 - 1 }), (cutoffSecAfterT0) => {
        const file = path.join(dir, `r-${++run}.db`);
        fs.copyFileSync(template, file);
        const db = openDatabase(file, { durability: 'normal' });
        try {
          const store = storeOn(db);
          store.applyRetention(1, T0 + cutoffSecAfterT0 * 1000 + DAY);
          expect(rollupDisagreements(db)).toEqual([]);
          const s = new DashboardService(store).series({ fromMs: T0 - 3600_000, toMs: T0 + 3600_000, compare: 'none' });
          expectTotalsMatch(s, sqlWindow(db, s.fromMs, s.toMs), 'the hour around the traffic');
        } finally {
          db.close();
        }
      }),
      { numRuns: 15, seed: 3 },
    );
  });
});
