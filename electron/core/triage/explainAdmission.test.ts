// A value that earns a name of its own (out of the folded '(other)' tail, segmentAdmission.ts)
// inside the compared minutes changed its name, not its traffic: explain must not name it (nor
// '(other)', which lost it) as a mix contributor. Real SQLite file, real decoder and writer.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OTHER_VALUE } from '../../../shared/segments';
import { explainRequestSchema, healthRequestSchema } from '../../../shared/triage';
import { tempDir } from '../../../test/support/tempDir';
import { ADMISSION_T0, admissionTraffic, attempt } from '../../../test/support/admissionKit';
import { MAX_VALUES_PER_DIMENSION } from '../../../shared/segments';
import { openStore, type Store } from '../store/store';
import { explainFromStore } from './explainService';
import { healthFromStore } from './triageService';

const dir = tempDir('payops-explain-admission-');
const T0 = ADMISSION_T0;
const MIN = 60_000;
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

function fill(file: string): Store {
  const store = openStore(file);
  store.ingest.commit(admissionTraffic());
  stores.push(store);
  return store;
}

describe('explain over a value admitted to its own name during the compared minutes', () => {
  it('does not name it (nor the (other) that lost it) as a contributor: its traffic did not move', () => {
    const store = fill(path.join(dir, 'admitted.db'));
    // The premise: acq-late was folded before minute 55 and named from it.
    const named = (a: number, b: number) => store.segments.segmentsBetween(a, b).find((r) => r.dim === 'acquirer' && r.value === 'acq-late')?.attempts ?? 0;
    const m0 = Math.floor(T0 / MIN);
    expect(named(m0 + 37, m0 + 54)).toBe(0);
    expect(named(m0 + 56, m0 + 60)).toBe(20);

    const e = explainFromStore(
      store,
      explainRequestSchema.parse({ from: T0 + 50 * MIN, to: T0 + 60 * MIN, baselineFrom: T0 + 37 * MIN, baselineTo: T0 + 50 * MIN, metric: 'approval-rate' }),
    );
    expect(e.significant).toBe(true);
    expect(e.contributors.find((c) => c.significant)).toMatchObject({ dimension: 'merchantId', value: 'm-bad', effect: 'rate' });
    const acquirers = e.contributors.filter((c) => c.dimension === 'acquirer');
    expect(acquirers.filter((c) => c.significant)).toEqual([]);
    // Compared where it was named on both sides, or folded on both: no share moved.
    for (const c of acquirers) expect(Math.abs(c.mixEffect)).toBeLessThan(0.002);
    expect(e.headline).toMatch(/merchant m-bad/);
    expect(acquirers.map((c) => c.value)).not.toContain('acq-late');
    // Named throughout the minutes after its promotion, and compared by name there.
    expect(store.segments.namedThroughout(m0 + 56, m0 + 60)?.has('acquirer\u0000acq-late')).toBe(true);
    expect(store.segments.namedThroughout(m0 + 50, m0 + 60)?.has('acquirer\u0000acq-late')).toBe(false);
    expect(store.segments.namedThroughout(m0 + 50, m0 + 60)?.has('acquirer\u0000acq-7')).toBe(true);
    // The value it replaced (the weakest, acq-0) was named up to then.
    expect(store.segments.namedThroughout(m0, m0 + 50)?.has('acquirer\u0000acq-0')).toBe(true);
    expect(store.segments.namedThroughout(m0, m0 + 60)?.has('acquirer\u0000acq-0')).toBe(false);
  });

  it('the health board judges it within (other), where all of its traffic is on both sides', () => {
    const store = stores[0] ?? fill(path.join(dir, 'admitted-health.db'));
    const board = healthFromStore(store, healthRequestSchema.parse({ at: T0 + 60 * MIN, windowMinutes: 10, baselineMinutes: 13 }));
    const acquirers = board.segments.filter((s) => s.dimension === 'acquirer');
    expect(acquirers.map((s) => s.value)).toEqual([OTHER_VALUE]);
    expect(acquirers[0]).toMatchObject({ state: 'ok', window: { attempts: 50 }, baseline: { attempts: 65 } });
  });
});

describe('explain over a value from the tail whose own traffic got it its name', () => {
  it('names it: card testing on a merchant never seen before is the contributor, not (other)', () => {
    // 200 merchants fill the dimension; from minute 50 a new merchant takes 80 attempts a minute,
    // 95 % declined. It is promoted out of (other) by that flood, inside the window.
    const batch = [];
    for (let v = 0; v < MAX_VALUES_PER_DIMENSION; v++) for (let k = 0; k < 45; k++) batch.push(attempt(T0 + ((v * 45 + k) % 60_000), true, { merchantId: `m-${v}` }));
    for (let m = 1; m < 60; m++) {
      for (let k = 0; k < 100; k++) batch.push(attempt(T0 + m * MIN + k * 600, k % 10 !== 0, { merchantId: `m-${k % 50}` }));
      if (m >= 50) for (let k = 0; k < 80; k++) batch.push(attempt(T0 + m * MIN + k * 700 + 300, k % 20 === 0, { merchantId: 'm-attack' }));
    }
    const store = openStore(path.join(dir, 'attack.db'));
    stores.push(store);
    store.ingest.commit(batch);
    const m0 = Math.floor(T0 / MIN);
    // The premise: promoted inside the window, so not named throughout it.
    expect(store.segments.namedThroughout(m0 + 10, m0 + 60)?.has('merchantId\u0000m-attack')).toBe(false);
    const e = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 50 * MIN, to: T0 + 60 * MIN, metric: 'approval-rate' }));
    expect(e.significant).toBe(true);
    expect(e.contributors[0]).toMatchObject({ dimension: 'merchantId', value: 'm-attack', significant: true });
    expect(e.headline).toMatch(/merchant m-attack/);
    const board = healthFromStore(store, healthRequestSchema.parse({ at: T0 + 60 * MIN, windowMinutes: 10, baselineMinutes: 40 }));
    expect(board.segments.some((s) => s.dimension === 'merchantId' && s.value === 'm-attack')).toBe(true);
  });
});
