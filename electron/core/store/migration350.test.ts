// Migration 350 counts payments (first attempts) in the segment rollups. A database written
// before it opens, migrates and its health board answers per attempt for the minutes stored
// before whose events are gone (their payments are unknown, not 0); minutes stored after count them, and the board
// judges approval per payment where both the window and its baseline do.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthRequestSchema, type HealthBoard } from '../../../shared/triage';
import { attempt } from '../../../test/support/admissionKit';
import { migrateAfterReadOnlyAnswers } from '../../../test/support/migrationKit';
import { tempDir } from '../../../test/support/tempDir';
import { healthFromStore } from '../triage/triageService';
import { EventWriter, type IncomingMessage } from './eventWriter';
import { MIGRATIONS, migrate } from './migrate';
import type { ReadStore } from './store';

const dir = tempDir('payops-m350-');
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

/**
 * Minutes [from, to) of merchant m-retry: each minute 10 payments, one declined and approved on
 * its retry (attempt 2), one declined for good. Per attempt 9 of 11 approved, per payment 9 of 10.
 */
function traffic(from: number, to: number): IncomingMessage[] {
  const out: IncomingMessage[] = [];
  for (let m = from; m < to; m++) {
    const at = (k: number) => T0 + m * MIN + k * 5000;
    for (let k = 0; k < 8; k++) out.push(attempt(at(k), true, { merchantId: 'm-retry', attempt: 1 }));
    out.push(attempt(at(8), false, { merchantId: 'm-retry', attempt: 1 }));
    const paymentId = `retried-${m}`;
    out.push(attempt(at(9), false, { merchantId: 'm-retry', paymentId, attempt: 1 }));
    out.push(attempt(at(9) + 2000, true, { merchantId: 'm-retry', paymentId, attempt: 2 }));
  }
  return out;
}

const board = (store: ReadStore, atMinute: number): HealthBoard => healthFromStore(store, healthRequestSchema.parse({ at: T0 + atMinute * MIN, windowMinutes: 5, baselineMinutes: 60 }));
const merchant = (b: HealthBoard) => b.segments.find((s) => s.dimension === 'merchantId' && s.value === 'm-retry')!;
const answers = (store: ReadStore) => {
  const b = board(store, 65);
  const m = merchant(b);
  return { basis: b.basis, state: m.state, merchantBasis: m.basis, payments: m.window.payments, reason: m.reason };
};
const PER_ATTEMPT: ReturnType<typeof answers> = { basis: 'per attempt', state: 'ok', merchantBasis: 'per attempt', payments: null, reason: 'approval per attempt 81.8 % vs 81.8 % (own baseline), 55 attempts' };

describe('migration 350: payments in the segment rollups', () => {
  it('a database written before it opens, migrates, and its board answers per attempt for the old minutes, per payment for new ones', () => {
    const file = path.join(dir, 'm350.db');
    const before = new Database(file);
    migrate(before, MIGRATIONS.filter((m) => m.version < 350));
    new EventWriter(before).commit(traffic(0, 65));
    expect(before.prepare("SELECT 1 FROM pragma_table_info('segment_minute') WHERE name = 'payments'").get()).toBeUndefined();
    // Retention took the events (the rollups stay): migration 360 cannot recount these minutes'
    // payments from them (migration360.test.ts), so they stay unknown.
    before.prepare('DELETE FROM event_log').run();
    before.close();

    // Read-only (never migrated), then migrated: the same answer, per attempt.
    const { store, migrated } = migrateAfterReadOnlyAnswers(file, answers, PER_ATTEMPT);
    try {
      expect(answers(store)).toEqual(PER_ATTEMPT);
      // The merchant's cells (migration 360 knows the total and attempt cells from the rollups alone).
      const unknownRows = () => migrated.prepare("SELECT COUNT(*) FROM segment_minute WHERE minute < ? AND dim = 'merchantId' AND payments IS NOT NULL").pluck().get(T0 / MIN + 65);
      expect(unknownRows()).toBe(0);

      // 70 minutes more, after the migration (ten-minute buckets are summed behind them); and a
      // late event of an old minute, which leaves that minute unknown rather than counting 1.
      store.ingest.commit([...traffic(65, 135), ...traffic(10, 11)]);
      expect(unknownRows()).toBe(0);
      expect(migrated.prepare('SELECT COUNT(*) FROM segment_ten_minute WHERE payments IS NOT NULL').pluck().get()).toBeGreaterThan(0);
      const late = board(store, 135);
      expect(late.basis).toBe('per payment');
      expect(merchant(late)).toMatchObject({
        state: 'ok',
        basis: 'per payment',
        window: { attempts: 55, payments: 50, paymentApproval: 0.9 },
        baseline: { attempts: 660, payments: 600, paymentApproval: 0.9 },
        reason: 'approval per payment 90.0 % vs 90.0 % (own baseline), 50 payments (55 attempts)',
      });
      // A window of new minutes against a baseline partly stored before: per attempt.
      const straddling = merchant(board(store, 70));
      expect(straddling).toMatchObject({ basis: 'per attempt', window: { payments: 50 }, baseline: { payments: null, paymentApproval: null } });
    } finally {
      migrated.close();
      store.close();
    }
  });
});
