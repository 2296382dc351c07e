// The overall change on a handful of attempts. Seen on the PaySim demo capture (a 90-minute
// window holding 2 attempts, both declined for suspected fraud, against 52 approved of 54):
// "approval 0.0 % vs 96.3 %: a significant change", from a normal z of 5.2 where the exact
// chance of 2 declines among 4 in 56 attempts falling both in the window is 1 in 257 (z 2.7).
// Real SQLite file through the real writer; the counts checked against SQL over the events.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { explainRequestSchema } from '../../../shared/triage';
import { ADMISSION_T0, attempt } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import { openStore, type Store } from '../store/store';
import { explainFromStore } from './explainService';

const dir = tempDir('payops-explain-few-');
const MIN = 60_000;
const T0 = ADMISSION_T0;
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

/**
 * A baseline of `baseline` attempts spread evenly over [0, 40) minutes, `baselineDeclined` of
 * them declined (one in each stretch, so its slices are steady), and a window [40, 50) of
 * `window` attempts, all declined.
 */
function stored(name: string, baseline: number, baselineDeclined: number, window: number): { store: Store; file: string } {
  const file = path.join(dir, name);
  const store = openStore(file);
  const batch = [];
  const every = Math.floor(baseline / baselineDeclined);
  for (let k = 0; k < baseline; k++) batch.push(attempt(T0 + Math.floor((k * 40 * MIN) / baseline), k % every !== every - 1, { merchantId: `m-${k % 3}` }));
  for (let k = 0; k < window; k++) batch.push(attempt(T0 + 40 * MIN + Math.floor((k * 10 * MIN) / window), false, { merchantId: `m-${k % 3}` }));
  store.ingest.commit(batch);
  stores.push(store);
  return { store, file };
}

function sqlAttempts(file: string, fromMs: number, toMs: number): { n: number; approved: number } {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("SELECT COUNT(*) AS n, COALESCE(SUM(type = 'payment.authorized'), 0) AS approved FROM events WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') AND time_ms >= ? AND time_ms < ?")
      .get(fromMs, toMs) as { n: number; approved: number };
  } finally {
    db.close();
  }
}

describe('explain: the overall change on a handful of attempts', () => {
  it('2 attempts declined against 52 approved of 54 is not called significant (exact chance 1 in 257)', () => {
    const { store, file } = stored('two.db', 54, 2, 2);
    const e = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 40 * MIN, to: T0 + 50 * MIN }));
    expect({ window: e.window.attempts, baseline: e.baseline.attempts }).toEqual({ window: sqlAttempts(file, T0 + 40 * MIN, T0 + 50 * MIN).n, baseline: sqlAttempts(file, T0, T0 + 40 * MIN).n });
    expect([e.window.attempts, e.baseline.attempts]).toEqual([2, 54]);
    expect(e.baseline.value).toBeCloseTo(52 / 54, 12);
    expect(e.overdispersion).toBe(1);
    expect(e.significant).toBe(false);
    expect(e.headline).toMatch(/: nothing significant$/);
  });

  it('15 attempts declined against 190 approved of 200 is significant still', () => {
    const { store, file } = stored('fifteen.db', 200, 10, 15);
    const e = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 40 * MIN, to: T0 + 50 * MIN }));
    expect(e.window.attempts).toBe(sqlAttempts(file, T0 + 40 * MIN, T0 + 50 * MIN).n);
    expect(e.baseline).toMatchObject({ attempts: 200, value: sqlAttempts(file, T0, T0 + 40 * MIN).approved / 200 });
    expect(e.significant).toBe(true);
  });
});
