import { describe, expect, it } from 'vitest';
import { ArrivalMetrics, LATE_AFTER_MS } from './arrivalMetrics';
import { LiveMetrics } from './liveMetrics';
import type { IngestedEvent } from '../store/eventWriter';

describe('arrival-time view', () => {
  it('counts what arrives per second and says when it is two hours behind', () => {
    const a = new ArrivalMetrics();
    const now = Date.UTC(2030, 0, 1, 12);
    const twoHours = 2 * 3_600_000;
    for (let s = 30; s > 0; s--) for (let i = 0; i < 50; i++) a.observe(now - s * 1000 + i * 10, now - s * 1000 - twoHours);
    const v = a.view(now);
    expect(v.perSecond.slice(-30)).toEqual(new Array(30).fill(50));
    expect(v.rates.s1).toBe(50);
    expect(v.late!.eventsPerSecond).toBe(50);
    expect(v.late!.behindMs).toBeGreaterThan(twoHours);
    expect(v.late!.behindMs).toBeLessThan(twoHours + 1000);
  });

  it('on-time events raise no banner', () => {
    const a = new ArrivalMetrics();
    const now = Date.UTC(2030, 0, 1, 12);
    for (let s = 10; s > 0; s--) a.observe(now - s * 1000, now - s * 1000 - 200);
    expect(a.view(now).late).toBeNull();
    expect(LATE_AFTER_MS).toBe(900_000);
  });

  it('the banner counts the late events alone: a straggler among on-time events raises none, a late share its own rate and lag', () => {
    const now = Date.UTC(2030, 0, 1, 12);
    const straggler = new ArrivalMetrics();
    for (let s = 10; s > 0; s--) for (let i = 0; i < 10; i++) straggler.observe(now - s * 1000 + i * 100, now - s * 1000 - 200);
    straggler.observe(now - 5000, now - 3 * 365 * 86_400_000);
    expect(straggler.view(now).late).toBeNull();

    // A fifth of the traffic two hours late (a producer's clock): 2 a second of 10, not the mean of all.
    const share = new ArrivalMetrics();
    const twoHours = 2 * 3_600_000;
    for (let s = 10; s > 0; s--) for (let i = 0; i < 10; i++) share.observe(now - s * 1000 + i * 100, now - s * 1000 - (i < 2 ? twoHours : 200));
    const late = share.view(now).late!;
    expect(late.eventsPerSecond).toBe(2);
    expect(late.behindMs).toBeGreaterThanOrEqual(twoHours);
    expect(late.behindMs).toBeLessThan(twoHours + 1000);
  });

  it('arrival lag is reported at its true size (days), not capped at an hour', () => {
    const m = new LiveMetrics();
    const now = Date.now();
    const lag = 90 * 86_400_000; // three months
    const events = Array.from({ length: 20 }, (_, i) => ({ type: 'payment.authorized', category: 'payment', timeMs: now - lag - i, arrivalMs: now - 1500, score: null, amount: 100, currency: 'EUR' }));
    m.observe(events as unknown as IngestedEvent[], now);
    const f = m.figures(now);
    expect(f.arrivalLagMs.p50! / lag).toBeGreaterThan(0.8);
    expect(f.arrivalLagMs.p50! / lag).toBeLessThan(1.25);
    expect(f.rates.total.s1).toBe(0); // event time: nothing in the last second
    expect(f.arrival!.late!.eventsPerSecond).toBe(2); // 20 over the 10-second window
  });
});
