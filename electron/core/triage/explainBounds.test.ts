// Explain asked about windows an operator (or a script through the API) did not shape: from the
// epoch to the end of representable time, a baseline of fifty years for a one-minute window.
// Real SQLite file, real writer; the answers must come back, not hang the read worker or run it
// out of memory.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainRequestSchema, healthRequestSchema } from '../../../shared/triage';
import { ADMISSION_T0, attempt } from '../../../test/support/admissionKit';
import { tempDir } from '../../../test/support/tempDir';
import { openStore, type Store } from '../store/store';
import { explainFromStore } from './explainService';
import { healthFromStore } from './triageService';

const dir = tempDir('payops-explain-bounds-');
const MIN = 60_000;
const T0 = ADMISSION_T0;
const stores: Store[] = [];
afterAll(() => stores.forEach((s) => s.close()));

function small(name: string): Store {
  const store = openStore(path.join(dir, name));
  const batch = [];
  for (let m = 0; m < 30; m++) for (let k = 0; k < 10; k++) batch.push(attempt(T0 + m * MIN + k * 5000, k !== 0, {}));
  store.ingest.commit(batch);
  stores.push(store);
  return store;
}

const MAX_MS = 8.64e15;

describe('explain over windows far wider than the stored minutes', () => {
  it('a window from the epoch to the last representable time: its attempts, a baseline that is a time', { timeout: 30_000 }, () => {
    const store = small('wide.db');
    const e = explainFromStore(store, explainRequestSchema.parse({ from: 0, to: MAX_MS }));
    expect(e.window.attempts).toBe(300);
    expect(e.baseline.attempts).toBe(0);
    expect(Number.isNaN(Date.parse(e.baseline.from))).toBe(false);
    expect(e.headline).toMatch(/no payment attempts in the baseline/);
  });

  it('a one-minute window against a baseline from the epoch: the baseline\'s attempts, no slice per empty minute', { timeout: 30_000 }, () => {
    const store = small('long-baseline.db');
    const e = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 29 * MIN, to: T0 + 30 * MIN, baselineFrom: 0, baselineTo: T0 + 29 * MIN }));
    expect(e.window.attempts).toBe(10);
    expect(e.baseline.attempts).toBe(290);
    expect(e.overdispersion).toBeGreaterThanOrEqual(1);
  });
});

describe('times past the last one a Date holds', () => {
  it('are refused at the boundary with the field named, not thrown as a RangeError from the answer', () => {
    const store = small('beyond.db');
    for (const [schema, args, field] of [
      [explainRequestSchema, { from: 0, to: 8.7e15 }, 'to'],
      [explainRequestSchema, { from: T0, to: T0 + MIN, baselineFrom: 0, baselineTo: 8.7e15 }, 'baselineTo'],
      [healthRequestSchema, { at: 9e15 }, 'at'],
    ] as const) {
      const r = schema.safeParse(args);
      expect(r.success, JSON.stringify(args)).toBe(false);
      expect(r.error!.issues[0].path).toEqual([field]);
    }
    // The largest accepted answers.
    expect(healthFromStore(store, healthRequestSchema.parse({ at: MAX_MS })).segments).toEqual([]);
  });
});
