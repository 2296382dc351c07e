import { describe, expect, it } from 'vitest';
import { FORECAST_HORIZON_S, HoltTrend, delaySeconds, drainSeconds, forecastOf, maxLengthOf } from './queueBusinessTime';

describe('business time of a queue', () => {
  it("delay is depth over the deliver rate (Little's law); unknown when nothing drains", () => {
    expect(delaySeconds(40_000, 10_000)).toBe(4);
    expect(delaySeconds(0, 0)).toBe(0);
    expect(delaySeconds(100, 0)).toBeNull();
    expect(delaySeconds(100, null)).toBeNull();
    expect(delaySeconds(null, 5)).toBeNull();
  });

  it('drain is depth over the net rate; null when the queue is not draining', () => {
    expect(drainSeconds(1000, 40, 50)).toBe(100);
    expect(drainSeconds(1000, 50, 50)).toBeNull();
    expect(drainSeconds(1000, 60, 50)).toBeNull();
    expect(drainSeconds(0, 60, 50)).toBe(0);
    expect(drainSeconds(1000, null, 20)).toBe(50);
  });

  it("Holt's trend forecasts a linear climb's crossing, and none for a flat or falling queue", () => {
    const climbing = new HoltTrend();
    for (let t = 0; t <= 120; t += 2) climbing.add(1000 + 20 * t, t * 1000); // +20/s
    expect(climbing.slope).toBeCloseTo(20, 0);
    const f = forecastOf(climbing, 10_000, 1e9);
    expect(f.limitKind).toBe('x-max-length');
    // At t=120 s depth is 3400: 6600 more at 20/s is 330 s.
    expect(f.crossInSeconds!).toBeGreaterThan(300);
    expect(f.crossInSeconds!).toBeLessThan(360);

    const flat = new HoltTrend();
    for (let t = 0; t <= 120; t += 2) flat.add(500, t * 1000);
    expect(forecastOf(flat, null, 1000)).toMatchObject({ limitKind: 'threshold', crossInSeconds: null });

    const slow = new HoltTrend();
    for (let t = 0; t <= 60; t += 2) slow.add(t * 0.1, t * 1000);
    expect(slow.secondsUntil(1_000_000)).toBeNull(); // beyond the horizon
    expect(FORECAST_HORIZON_S).toBe(3600);
  });

  it('reads x-max-length from queue arguments only when it is a positive number', () => {
    expect(maxLengthOf({ 'x-max-length': 5000 })).toBe(5000);
    expect(maxLengthOf({ 'x-max-length': '5000' })).toBeNull();
    expect(maxLengthOf(null)).toBeNull();
  });
});
