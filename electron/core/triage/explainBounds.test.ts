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

describe('a baseline that overlaps the window', () => {
  it('is refused at the boundary: attempts on both sides would be compared with themselves', () => {
    const overlapping = [
      { from: T0 + 10 * MIN, to: T0 + 20 * MIN, baselineFrom: T0, baselineTo: T0 + 15 * MIN },
      { from: T0 + 10 * MIN, to: T0 + 20 * MIN, baselineFrom: T0 + 10 * MIN, baselineTo: T0 + 20 * MIN },
      { from: T0 + 10 * MIN, to: T0 + 20 * MIN, baselineFrom: T0 + 12 * MIN, baselineTo: T0 + 13 * MIN },
      { from: T0 + 10 * MIN, to: T0 + 20 * MIN, baselineFrom: T0 + 19 * MIN, baselineTo: T0 + 40 * MIN },
    ];
    for (const args of overlapping) {
      const r = explainRequestSchema.safeParse(args);
      expect(r.success, JSON.stringify(args)).toBe(false);
      expect(r.error!.issues[0].message).toMatch(/overlap/);
    }
    // Touching is not overlapping (half-open), before or after the window.
    expect(explainRequestSchema.safeParse({ from: T0 + 10 * MIN, to: T0 + 20 * MIN, baselineFrom: T0, baselineTo: T0 + 10 * MIN }).success).toBe(true);
    expect(explainRequestSchema.safeParse({ from: T0 + 10 * MIN, to: T0 + 20 * MIN, baselineFrom: T0 + 20 * MIN, baselineTo: T0 + 30 * MIN }).success).toBe(true);
  });

  it('widened to whole minutes, does not take in the window\'s first or last minute', () => {
    const store = stores.find(Boolean) ?? small('edges.db');
    // Window from 10:00:30 (its minute from 10:00), baseline up to 10:00:30 (its minute to 10:01).
    const before = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 10.5 * MIN, to: T0 + 12 * MIN, baselineFrom: T0, baselineTo: T0 + 10.5 * MIN }));
    expect(before.window.attempts).toBe(20);
    expect(before.baseline.attempts).toBe(100);
    expect(Date.parse(before.baseline.to)).toBeLessThanOrEqual(Date.parse(before.window.from));
    const after = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 10 * MIN, to: T0 + 11.5 * MIN, baselineFrom: T0 + 11.5 * MIN, baselineTo: T0 + 20 * MIN }));
    expect(after.window.attempts).toBe(20);
    expect(after.baseline.attempts).toBe(80);
    expect(Date.parse(after.baseline.from)).toBeGreaterThanOrEqual(Date.parse(after.window.to));
  });
});

describe('decline codes explain cannot look up', () => {
  it("declines without a code read as such, and codes past the bound as the folded tail, not as one unknown code", () => {
    const store = openStore(path.join(dir, 'codes.db'));
    stores.push(store);
    const batch = [];
    let n = 0;
    const code = (i: number) => `x${String(i).padStart(3, '0')}`;
    for (let m = 0; m < 50; m++) {
      for (let k = 0; k < 40; k++) {
        const declined = m < 40 ? k === 0 : k < 20;
        // Declines of the window carry no code at merchant m-nocode, or codes past the first 100 at m-many.
        const data = m < 40 || k % 2 === 0 ? { merchantId: 'm-nocode', declineCode: m < 40 ? code(n++ % 100) : undefined } : { merchantId: 'm-many', declineCode: `y${n++}` };
        batch.push(attempt(T0 + m * MIN + k * 1000, !declined, data));
      }
    }
    store.ingest.commit(batch);
    const e = explainFromStore(store, explainRequestSchema.parse({ from: T0 + 40 * MIN, to: T0 + 50 * MIN, metric: 'decline-rate' }));
    const byCode = new Map(e.declineCodes.map((c) => [c.code, c]));
    expect(byCode.get('unknown')?.meaning).toBe('No decline code given');
    expect(byCode.get('(other)')?.meaning).toMatch(/codes past the first 100/i);
    expect(e.headline).not.toMatch(/code (unknown|\(other\)) not in the payops table/);
  });
});

describe('the health board by default', () => {
  it('judges the newest minutes up to now, not the minute of one event stamped a year ahead', () => {
    const store = openStore(path.join(dir, 'skewed.db'));
    stores.push(store);
    const batch = [];
    for (let m = 0; m < 60; m++) {
      for (let k = 0; k < 20; k++) {
        // Acquirer acq-x declines everything in the last five minutes.
        batch.push(attempt(T0 + m * MIN + k * 2000, m < 55 || k % 2 === 1, { acquirer: k % 2 === 0 ? 'acq-x' : 'acq-y' }));
      }
    }
    batch.push(attempt(T0 + 365 * 24 * 60 * MIN, true, { acquirer: 'acq-y' }));
    store.ingest.commit(batch);
    const board = healthFromStore(store, healthRequestSchema.parse({}), T0 + 61 * MIN);
    expect(board.to).toBe(new Date(T0 + 60 * MIN).toISOString());
    expect(board.segments.find((s) => s.dimension === 'acquirer' && s.value === 'acq-x')).toMatchObject({ state: 'down' });
    // Producers' clocks a little ahead of this machine's: their newest minutes still count.
    expect(healthFromStore(store, healthRequestSchema.parse({}), T0 + 58 * MIN).to).toBe(new Date(T0 + 60 * MIN).toISOString());
    // A database whose every minute is after now (a capture of tomorrow's test traffic) is judged at its newest minute.
    expect(healthFromStore(store, healthRequestSchema.parse({}), T0 - 10 * MIN).to).toBe(new Date(T0 + 365 * 24 * 60 * MIN + MIN).toISOString());
  });
});

describe('windows before 1970', () => {
  // A producer with a zeroed clock stamps 1969-12-31T23:59 (events of the years 0000-9999 are
  // stored, before 1970 as negative times): explain refused them, "--from: must be a time (epoch ms)".
  it('are explained from the events stored there, across the epoch, with a default baseline before it', () => {
    const store = openStore(path.join(dir, 'before-1970.db'));
    stores.push(store);
    const batch = [];
    // 1969-12-31 23:00 to 1970-01-01 00:30: acq-x declines everything from 23:50 on.
    for (let m = -60; m < 30; m++) for (let k = 0; k < 20; k++) batch.push(attempt(m * MIN + k * 2000, m < -10 || k % 2 === 1, { acquirer: k % 2 === 0 ? 'acq-x' : 'acq-y' }));
    store.ingest.commit(batch);
    const e = explainFromStore(store, explainRequestSchema.parse({ from: -10 * MIN, to: 0 }));
    expect(e.window).toMatchObject({ from: '1969-12-31T23:50:00.000Z', to: '1970-01-01T00:00:00.000Z', attempts: 200, value: 0.5 });
    expect(e.baseline).toMatchObject({ from: '1969-12-31T23:10:00.000Z', to: '1969-12-31T23:50:00.000Z', attempts: 800, value: 1 });
    expect(e.contributors[0]).toMatchObject({ dimension: 'acquirer', value: 'acq-x', significant: true, window: { attempts: 100, value: 0 }, health: { state: 'down' } });
    const across = explainFromStore(store, explainRequestSchema.parse({ from: -10 * MIN, to: 10 * MIN, baselineFrom: -60 * MIN, baselineTo: -10 * MIN }));
    expect(across.window.attempts).toBe(400);
    expect(across.baseline.attempts).toBe(1000);
    const board = healthFromStore(store, healthRequestSchema.parse({ at: 0, windowMinutes: 10, baselineMinutes: 40 }));
    expect(board.segments.find((x) => x.dimension === 'acquirer' && x.value === 'acq-x')).toMatchObject({ state: 'down' });
  });

  it('still refuse a time before the first one a Date holds', () => {
    const r = explainRequestSchema.safeParse({ from: -8.7e15, to: 0 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].path).toEqual(['from']);
  });
});
