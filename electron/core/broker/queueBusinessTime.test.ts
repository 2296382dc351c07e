import { describe, expect, it } from 'vitest';
import { FORECAST_HORIZON_S, HoltTrend, delaySeconds, drainSeconds, forecastOf, maxLengthOf, oldestMessageAge, stalledSeconds } from './queueBusinessTime';

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

describe('stalledSeconds: a stuck consumer in seconds', () => {
  const at = (s: number) => 1_000_000 + s * 1000;
  const q = (t: number, messages: number | null, consumers: number | null, deliver: number | null, ack: number | null) => ({ messages, consumers, rates: { deliver, ack }, at: at(t) });

  it('counts from the last poll that showed progress while messages wait and consumers take nothing', () => {
    let progress: number | undefined;
    const step = (sample: ReturnType<typeof q>) => {
      const r = stalledSeconds(sample, progress);
      progress = r.progressAt;
      return r.seconds;
    };
    expect(step(q(0, 40, 2, 10, 10))).toBe(0); // draining
    expect(step(q(5, 60, 2, 0, 0))).toBe(5); // stuck since the last poll that moved
    expect(step(q(65, 90, 2, 0, 0))).toBe(65);
    expect(step(q(70, 90, 2, 0, 3))).toBe(0); // an ack is progress
    expect(step(q(75, 90, 2, 0, 0))).toBe(5);
    expect(step(q(80, 0, 2, 0, 0))).toBe(0); // empty is not stalled
  });

  it('counts a poll whose cumulative counts grew as progress, though the rates read 0 again', () => {
    expect(stalledSeconds(q(90, 90, 2, 0, 0), at(30), true)).toEqual({ seconds: 0, progressAt: at(90) });
    expect(stalledSeconds(q(90, 90, 2, 0, 0), at(30), false)).toEqual({ seconds: 60, progressAt: at(30) });
  });

  it('cannot judge without rates or without consumers (the no-consumers rule covers that)', () => {
    expect(stalledSeconds(q(0, 40, 2, null, null), undefined).seconds).toBeNull();
    expect(stalledSeconds(q(0, null, 2, 0, 0), undefined).seconds).toBeNull();
    expect(stalledSeconds(q(0, 40, 0, 0, 0), at(-30)).seconds).toBeNull();
    // The first stalled poll starts the clock.
    expect(stalledSeconds(q(0, 40, 1, 0, 0), undefined)).toEqual({ seconds: 0, progressAt: at(0) });
  });
});

describe('the oldest waiting message', () => {
  it("is now minus its producer's timestamp (epoch seconds); a producer clock ahead reads 0; none without a timestamp", () => {
    const at = Date.UTC(2026, 11, 6, 23, 0, 0);
    expect(oldestMessageAge(at / 1000 - 90, at)).toBe(90);
    expect(oldestMessageAge(at / 1000 + 30, at)).toBe(0);
    expect(oldestMessageAge(null, at)).toBeNull();
    expect(oldestMessageAge(undefined, at)).toBeNull();
    expect(oldestMessageAge(0, at)).toBeNull();
  });
});
