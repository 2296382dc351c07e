// The Events / s tile reads what arrives per second (by arrival time), as an operator means it.
// By event time the last complete second is empty while ingest lags a second or more: with
// events arriving at 40/s two seconds behind their event time, the tile read 0.
import { describe, expect, it } from 'vitest';
import type { ArrivalView } from '../../../shared/metrics';
import { emptySnapshot } from '../../../test/support/emptySnapshot';
import { kpiValues } from './Kpis';

const T0 = Date.UTC(2026, 10, 23, 8, 0, 0);

describe('Events / s tile', () => {
  it('shows arrivals per second when the event-time second before now is still empty (2 s of lag)', () => {
    const now = T0 + 60_000;
    // As the engine's arrival metrics give it: 40 a second arrived in each of the last 120 s.
    const arrival: ArrivalView = { endSec: now / 1000, perSecond: Array<number>(120).fill(40), rates: { s1: 40, m1: 40, m5: 40 }, late: null };
    // By event time, the last complete second (59) holds nothing yet: its events arrive at 61 s.
    const snapshot = emptySnapshot(now, { rates: { total: { s1: 0, m1: 38.7, m5: 38.7 }, byType: {} }, arrival, arrivalLagMs: { p50: 2_000, p95: 2_000 } });
    const k = kpiValues(snapshot);
    expect(k.eventsPerSecond).toBe(40);
    expect(k.eventTimePerSecond).toBe(0);
    expect(k.lagP50).toBe(2_000);
  });

  it('falls back to the event-time rate where the snapshot carries no arrivals (a follower)', () => {
    const k = kpiValues(emptySnapshot(T0, { rates: { total: { s1: 12, m1: 11, m5: 10 }, byType: {} } }));
    expect(k.eventsPerSecond).toBe(12);
  });
});
