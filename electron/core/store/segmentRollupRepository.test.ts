// Segment rollups: bounded cardinality, BIN at 6 digits, and the same rollups whatever the batching
// (live traffic commits small batches, a replay large ones).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../shared/events/decode';
import { MAX_VALUES_PER_DIMENSION, OTHER_VALUE } from '../../../shared/segments';
import { tempDir } from '../../../test/support/tempDir';
import { createTrafficGenerator } from '../sim/trafficGenerator';
import type { IncomingMessage } from './eventWriter';
import { openStore } from './store';

const dir = tempDir('payops-segments-');
const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

const message = (e: object, time: string): IncomingMessage => {
  const raw = { body: Buffer.from(JSON.stringify(e)), headers: null, contentType: null, routingKey: null, arrivalMs: Date.parse(time) };
  return { raw, result: decodeMessage(raw) };
};

const authorized = (i: number, data: Record<string, unknown>) => {
  const time = new Date(T0 + i * 10).toISOString();
  return message(
    { specversion: '1.0', id: `e${i}`, source: 's', type: 'payment.authorized', time, data: { paymentId: `p${i}`, merchantId: 'm', amount: 100, currency: 'EUR', ...data } },
    time,
  );
};

describe('segment rollups', () => {
  it('keep the first values of a dimension exactly and fold the tail into (other)', () => {
    const store = openStore(path.join(dir, 'bound.db'));
    const n = MAX_VALUES_PER_DIMENSION + 50;
    store.ingest.commit(Array.from({ length: n }, (_, i) => authorized(i, { acquirer: `acq-${i}` })));
    const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'acquirer');
    expect(rows.length).toBe(MAX_VALUES_PER_DIMENSION + 1);
    expect(rows.find((r) => r.value === OTHER_VALUE)!.attempts).toBe(50);
    expect(rows.reduce((a, r) => a + r.attempts, 0)).toBe(n);
    store.close();
    // The admitted values survive a restart: a known value keeps its row, a new one still folds.
    const again = openStore(path.join(dir, 'bound.db'));
    again.ingest.commit([authorized(n + 1, { acquirer: 'acq-3' }), authorized(n + 2, { acquirer: 'acq-new' })]);
    const after = again.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'acquirer');
    expect(after.find((r) => r.value === 'acq-3')!.attempts).toBe(2);
    expect(after.find((r) => r.value === OTHER_VALUE)!.attempts).toBe(51);
    again.close();
  });

  it('keep BINs at 6 digits', () => {
    const store = openStore(path.join(dir, 'bin.db'));
    store.ingest.commit([authorized(1, { cardBin: '52941234' }), authorized(2, { cardBin: '529412' })]);
    const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).filter((r) => r.dim === 'cardBin');
    expect(rows).toEqual([expect.objectContaining({ value: '529412', attempts: 2 })]);
    store.close();
  });

  it('are the same for the same events whatever the batching (live vs replay)', () => {
    const gen = createTrafficGenerator({ seed: 21, scenario: 'issuer-outage', startMs: T0, rate: 100, timings: { anomalyStartMs: 20_000, anomalyDurationMs: 20_000 } });
    const items: IncomingMessage[] = [];
    for (let i = 0; i < 6_000; i++) {
      const e = gen.next();
      items.push(message(e, e.time));
    }
    const read = (batch: number) => {
      const store = openStore(path.join(dir, `batch-${batch}.db`));
      for (let i = 0; i < items.length; i += batch) store.ingest.commit(items.slice(i, i + batch));
      const rows = store.segments.segmentsBetween(0, Number.MAX_SAFE_INTEGER).sort((a, b) => `${a.dim}${a.value}`.localeCompare(`${b.dim}${b.value}`));
      const codes = store.segments.declineCodesBetween(0, Number.MAX_SAFE_INTEGER).sort((a, b) => `${a.dim}${a.value}${a.code}`.localeCompare(`${b.dim}${b.value}${b.code}`));
      store.close();
      return { rows, codes };
    };
    const live = read(7);
    expect(live.rows.length).toBeGreaterThan(50);
    expect(read(5000)).toEqual(live);
  }, 180_000);
});
