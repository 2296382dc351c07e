// A replay whose retries never say `attempt` and come hours after their payments began (past the
// writer's memory), sought back and run on to its end again: the per-payment rollups of its
// database equal SQL over the events it stored (one payment per paymentId, at its earliest
// attempt), and the live figures at the seek equal those of a replay that ran only up to there.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineSession } from '../engine/composeEngine';
import { openDatabase } from '../store/database';
import { tempDir } from '../../../test/support/tempDir';
import { writeCapture } from '../../../test/support/replayTestKit';
import { liveFigures, replayedThenSought, replayedUpTo } from '../../../test/support/seekBackKit';
import { rollupDisagreements } from '../../../test/support/sqlFigures';
import { waitFor } from '../../../test/support/waitFor';

const dir = tempDir('payops-seek-payment-figures-');
const running: EngineSession[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop();
});

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const MINUTE = 60_000;

/** Four hours: a payment every 2 s (batches of the replay apart); every third declined first and retried (no `attempt`) 2 h 10 min later, approved. */
function captureOfLateRetries(): { lines: string[]; end: number } {
  const timed: { t: number; line: string }[] = [];
  const add = (id: string, type: string, t: number, paymentId: string) =>
    timed.push({ t, line: JSON.stringify({ specversion: '1.0', id, source: 'psp/authorizer', type, time: new Date(t).toISOString(), data: { paymentId, merchantId: 'm_1', amount: 100, currency: 'EUR' } }) });
  for (let i = 0, t = T0; t < T0 + 4 * 60 * MINUTE; i++, t += 2_000) {
    if (i % 3 === 0 && t < T0 + 100 * MINUTE) {
      add(`d-${i}`, 'payment.declined', t, `p-${i}`);
      add(`r-${i}`, 'payment.authorized', t + 130 * MINUTE, `p-${i}`);
    } else add(`a-${i}`, 'payment.authorized', t, `p-${i}`);
  }
  timed.sort((a, b) => a.t - b.t);
  return { lines: timed.map((x) => x.line), end: timed.at(-1)!.t };
}

describe('a replay of retries past the writer memory, sought back', () => {
  it('keeps per-payment rollups equal to SQL over its events, and reads at the seek what a replay up to there reads', async () => {
    const { lines, end } = captureOfLateRetries();
    const file = writeCapture(path.join(dir, 'late-retries.jsonl'), lines);
    // Back to 08:20, among the retries of payments begun 2 h 10 min before.
    const target = T0 + 140 * MINUTE;
    const { session, sought } = await replayedThenSought(dir, file, 'sought', target, running);
    const reference = await replayedUpTo(dir, file, 'up-to', target, running);
    expect(reference.paymentApprovalRate).toBe(1);
    expect(liveFigures(sought)).toEqual(reference);

    // On at max to the end again: every line already stored, as a duplicate.
    await session.services.replay.control({ action: 'speed', speed: 'max' });
    await waitFor(async () => (await session.services.replay.status({})).position === end, 'the replay back at its end');
    await session.stop();
    const db = openDatabase(path.join(dir, 'sought.db'), { readonly: true });
    try {
      expect(rollupDisagreements(db)).toEqual([]);
      const sql = db.prepare("SELECT COUNT(DISTINCT payment_id) AS payments, COUNT(DISTINCT CASE WHEN type = 'payment.authorized' THEN payment_id END) AS approved FROM event_log").get();
      const rolled = db.prepare("SELECT SUM(CASE WHEN key = 'started' THEN count END) AS payments, SUM(CASE WHEN key = 'approved' THEN count END) AS approved FROM rollup_minute WHERE dim = 'payment'").get();
      expect(rolled).toEqual(sql);
      expect(sql).toEqual({ payments: 7_200, approved: 7_200 });
    } finally {
      db.close();
    }
  });
});
