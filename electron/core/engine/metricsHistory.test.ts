// The dashboard's history read from the rollups: bounded to SERIES_MAX_POINTS, each point the
// average rate over its step (a long window merges seconds instead of returning all of them).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERIES_MAX_POINTS } from '../../../shared/metrics';
import { openStore } from '../store/store';
import { tempDir } from '../../../test/support/tempDir';
import { readMetricsHistory } from './metricsHistory';

const dir = tempDir('payops-history-');

describe('metrics history', () => {
  it('an hour at 4 events/s comes back as at most SERIES_MAX_POINTS points of 4 events/s', () => {
    const store = openStore(path.join(dir, 'h.db'), { durability: 'normal' });
    const end = 1_800_000_000;
    store.rollups.addAll(Array.from({ length: 3600 }, (_, i) => ({ sec: end - 3600 + i, dim: 'type', key: 'payment.authorized', count: 4, amount: 0 })));
    for (let sec = end - 3600; sec < end; sec += 5) store.queueSamples.record([{ at: sec * 1000, queue: 'q', messages: 7, consumers: 1 }]);
    const h = readMetricsHistory(store, end * 1000, 60);
    store.close();
    expect(h.throughput.length).toBeGreaterThan(SERIES_MAX_POINTS / 2);
    expect(h.throughput.length).toBeLessThanOrEqual(SERIES_MAX_POINTS);
    const step = h.throughput[1].t - h.throughput[0].t;
    expect(step).toBe(4);
    // Whole steps inside the window average exactly 4 events/s.
    for (const p of h.throughput.slice(1, -1)) expect(p.counts['payment.authorized']).toBe(4);
    expect(h.queueDepth.length).toBeLessThanOrEqual(SERIES_MAX_POINTS);
    expect(h.queueDepth.every((p) => p.depths.q === 7)).toBe(true);
  });

  it('gives every second of a 15-minute window, an empty one too, so an event stored later can be added to it', () => {
    const store = openStore(path.join(dir, 'empty-seconds.db'), { durability: 'normal' });
    const end = 1_800_000_000;
    store.rollups.addAll([{ sec: end - 10, dim: 'type', key: 'payment.authorized', count: 3, amount: 0 }]);
    const h = readMetricsHistory(store, end * 1000, 15);
    store.close();
    expect(h.throughput.map((p) => p.t)).toEqual(Array.from({ length: 900 }, (_, i) => end - 900 + i));
    expect(h.throughput.find((p) => p.t === end - 10)?.counts).toEqual({ 'payment.authorized': 3 });
    expect(h.throughput.find((p) => p.t === end - 2)?.counts).toEqual({});
  });
});

