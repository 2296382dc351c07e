import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CloudEventObject } from './cloudEvent';
import { startPacedTraffic } from './pacedTraffic';
import { TokenBucket } from './tokenBucket';

describe('TokenBucket', () => {
  it('grants rate x elapsed, capped by capacity, and forgets saved tokens on drain', () => {
    const bucket = new TokenBucket(100, 50, 0);
    expect(bucket.take(100)).toBe(10);
    expect(bucket.take(105)).toBe(0);
    expect(bucket.take(110)).toBe(1);
    expect(bucket.take(10_000)).toBe(50);
    expect(bucket.take(10_100, 4)).toBe(4);
    expect(bucket.take(10_100)).toBe(6);
    bucket.drainTo(10_200);
    expect(bucket.take(10_200)).toBe(0);
    bucket.refund(3);
    expect(bucket.take(10_200)).toBe(3);
  });
});

describe('startPacedTraffic', () => {
  afterEach(() => vi.useRealTimers());

  it('delivers rate events per second in batches, nothing while blocked or stalled', () => {
    vi.useFakeTimers();
    let clock = 1_000_000;
    const batches: CloudEventObject[][] = [];
    let blocked = false;
    const traffic = startPacedTraffic({
      seed: 1,
      scenario: 'stall',
      rate: 500,
      timings: { anomalyStartMs: 2_000, anomalyDurationMs: 1_000 },
      now: () => clock,
      onBatch: (events) => batches.push(events),
      isBlocked: () => blocked,
    });
    const advance = (ms: number) => {
      for (let t = 0; t < ms; t += 20) {
        clock += 20;
        vi.advanceTimersByTime(20);
      }
    };
    advance(1_000);
    expect(traffic.sent).toBeGreaterThanOrEqual(490);
    expect(traffic.sent).toBeLessThanOrEqual(500);
    expect(batches.length).toBeGreaterThan(40);
    blocked = true;
    advance(500);
    const whileBlocked = traffic.sent;
    blocked = false;
    advance(500); // reaches the stall at 2 s
    const beforeStall = traffic.sent;
    expect(beforeStall - whileBlocked).toBeLessThanOrEqual(260);
    advance(980); // the stall ends at 3 s
    expect(traffic.sent).toBe(beforeStall);
    advance(1_020);
    expect(traffic.sent - beforeStall).toBeGreaterThan(400);
    traffic.stop();
    const final = traffic.sent;
    advance(200);
    expect(traffic.sent).toBe(final);
    // Event times follow the wall clock the traffic started on.
    const all = batches.flat();
    expect(Date.parse(all[0].time)).toBe(1_000_000);
  });
});
