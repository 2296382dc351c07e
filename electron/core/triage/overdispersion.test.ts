// Explain's overall test is quasi-binomial: a rate that wanders between slices of the baseline
// as long as the window (bursty merchants, retries) widens the test, so a change no larger than
// that wandering is not "significant"; a steady baseline keeps the binomial test.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { explainRequestSchema } from '../../../shared/triage';
import { tempDir } from '../../../test/support/tempDir';
import { storeScenario, type StoredScenario } from '../../../test/support/triageTestKit';
import type { SegmentRow } from '../store/segmentRollupRepository';
import type { SegmentCounts } from '../store/segmentRow';
import { computeExplanation } from './explain';
import { explainFromStore } from './explainService';
import { dispersion } from './stats';

const counts = (attempts: number, approvals: number): SegmentCounts => ({
  attempts,
  approvals,
  declines: attempts - approvals,
  failures: 0,
  amount: 0,
  approvedAmount: 0,
  payments: attempts,
});
const total = (attempts: number, approvals: number): SegmentRow => ({ dim: 'merchantId', value: 'm_1', ...counts(attempts, approvals) });

const explainWith = (slices: SegmentCounts[]) =>
  computeExplanation({
    metric: 'approval-rate',
    fromMs: Date.UTC(2026, 10, 23, 9),
    toMs: Date.UTC(2026, 10, 23, 9, 5),
    baselineFromMs: Date.UTC(2026, 10, 23, 8, 40),
    baselineToMs: Date.UTC(2026, 10, 23, 9),
    window: [total(4000, 3640)],
    baseline: [total(16_000, slices.reduce((a, s) => a + s.approvals, 0))],
    baselineSlices: slices,
    windowCodes: [],
    baselineCodes: [],
  });

describe('dispersion', () => {
  it('is about 1 for rates that differ by chance, more for rates that wander, null with under 3 slices', () => {
    expect(dispersion([{ x: 930, n: 1000 }, { x: 925, n: 1000 }, { x: 935, n: 1000 }, { x: 930, n: 1000 }])).toBeLessThan(1);
    expect(dispersion([{ x: 900, n: 1000 }, { x: 960, n: 1000 }, { x: 910, n: 1000 }, { x: 950, n: 1000 }])).toBeGreaterThan(10);
    expect(dispersion([{ x: 900, n: 1000 }, { x: 960, n: 1000 }, { x: 0, n: 0 }])).toBeNull();
    expect(dispersion([{ x: 10, n: 10 }, { x: 10, n: 10 }, { x: 10, n: 10 }])).toBeNull();
  });
});

describe('explain: the overall change against a wandering baseline', () => {
  it('a 2-point fall is significant against a steady baseline, not against one that wanders by 6 points', () => {
    const steady = explainWith([counts(4000, 3720), counts(4000, 3724), counts(4000, 3716), counts(4000, 3720)]);
    expect(steady.overdispersion).toBe(1);
    expect(steady.significant).toBe(true);
    const wandering = explainWith([counts(4000, 3600), counts(4000, 3840), counts(4000, 3640), counts(4000, 3800)]);
    expect(wandering.baseline.value).toBeCloseTo(steady.baseline.value!, 10);
    expect(wandering.overdispersion).toBeGreaterThan(10);
    expect(wandering.significant).toBe(false);
    expect(wandering.headline).toMatch(/nothing significant/);
  });
});

describe('the baseline slices a store gives explain', () => {
  const dir = tempDir('payops-overdispersion-');
  const opened: StoredScenario[] = [];
  afterAll(() => opened.forEach((s) => s.store.close()));

  it('are the totals of every attempt per slice, as SQL over the stored events counts them', async () => {
    const s = await storeScenario(dir, 'normal', { seed: 7, rate: 40, baselineMinutes: 23, anomalyMinutes: 1 });
    opened.push(s);
    const toMinute = s.fromMs / 60_000;
    const slices = s.store.segments.totalsBySlice(toMinute - 23, toMinute, 5);
    expect(slices).toHaveLength(4);
    const db = new Database(s.file, { readonly: true });
    try {
      slices.forEach((slice, i) => {
        const from = (toMinute - (4 - i) * 5) * 60_000;
        const sql = db
          .prepare(
            `SELECT COUNT(*) AS attempts, COALESCE(SUM(type = 'payment.authorized'), 0) AS approvals, COALESCE(SUM(type = 'payment.declined'), 0) AS declines,
               COALESCE(SUM(type = 'payment.failed'), 0) AS failures FROM events
             WHERE type IN ('payment.authorized', 'payment.declined', 'payment.failed') AND time_ms >= ? AND time_ms < ?`,
          )
          .get(from, from + 5 * 60_000);
        expect(slice, `slice ${i}`).toMatchObject(sql as object);
        expect(slice.attempts).toBeGreaterThan(0);
      });
    } finally {
      db.close();
    }
  });

  it('a planted outage is still significant, with the baseline slices read', async () => {
    const s = await storeScenario(dir, 'issuer-outage', { seed: 21 });
    opened.push(s);
    const e = explainFromStore(s.store, explainRequestSchema.parse({ from: s.fromMs, to: s.toMs, metric: 'approval-rate' }));
    expect(e.significant).toBe(true);
    expect(e.overdispersion).toBeGreaterThanOrEqual(1);
    expect(e.contributors[0]).toMatchObject({ dimension: 'issuer', value: 'tamarind-card' });
  });
});
