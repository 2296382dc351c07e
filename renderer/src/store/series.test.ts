import { describe, expect, it } from 'vitest';
import type { ThroughputPoint } from '../../../shared/metrics';
import {
  appendDepth,
  appendThroughput,
  compact,
  DEFAULT_LIMITS,
  fillThroughput,
  mergeThroughput,
  totalCounts,
  type SeriesLimits,
  type TPoint,
} from './series';

const big: SeriesLimits = { ...DEFAULT_LIMITS, windowSeconds: 1e9 };

function tp(t: number, counts: Record<string, number>): ThroughputPoint {
  return { t, counts };
}

function seconds(from: number, n: number, count = 1): ThroughputPoint[] {
  return Array.from({ length: n }, (_, i) => tp(from + i, { 'payment.authorized': count, 'risk.scored': 2 * count }));
}

describe('series downsampling', () => {
  it('keeps at most 1000 points, preserves totals and keeps recent seconds at full resolution', () => {
    let s: TPoint[] = [];
    // 5000 seconds in chunks, as snapshots would deliver them
    for (let i = 0; i < 50; i++) s = appendThroughput(s, seconds(1_000_000 + i * 100, 100, (i % 7) + 1), big);
    expect(s.length).toBeLessThanOrEqual(1000);
    let expected = 0;
    for (let i = 0; i < 50; i++) expected += 100 * ((i % 7) + 1);
    const totals = totalCounts(s);
    expect(totals['payment.authorized']).toBe(expected);
    expect(totals['risk.scored']).toBe(2 * expected);
    // the newest 500 seconds are untouched
    const recent = s.slice(-500);
    expect(recent.every((p) => p.span === 1)).toBe(true);
    expect(recent[recent.length - 1].t).toBe(1_000_000 + 4999);
    // the series covers contiguous time without overlap, oldest first
    for (let i = 1; i < s.length; i++) expect(s[i].t).toBe(s[i - 1].t + s[i - 1].span);
    expect(s[0].t).toBe(1_000_000);
  });

  it('compact merges pairs of the oldest points only', () => {
    const pts: TPoint[] = Array.from({ length: 12 }, (_, i) => ({ t: i, span: 1, counts: { a: i } }));
    const out = compact(pts, mergeThroughput, { maxPoints: 10, keepRecent: 4 });
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out.slice(-4).map((p) => p.t)).toEqual([8, 9, 10, 11]);
    expect(out[0]).toEqual({ t: 0, span: 2, counts: { a: 1 } });
    expect(totalCounts(out).a).toBe(66);
  });

  it('returns the same array when nothing changes', () => {
    const s = appendThroughput([], seconds(100, 5), big);
    expect(appendThroughput(s, [], big)).toBe(s);
    expect(appendThroughput(s, seconds(100, 5), big)).toBe(s);
  });

  it('drops points older than the window', () => {
    const limits: SeriesLimits = { ...DEFAULT_LIMITS, windowSeconds: 60 };
    let s = appendThroughput([], seconds(0, 30), limits);
    s = appendThroughput(s, seconds(100, 10), limits);
    expect(s[0].t).toBeGreaterThanOrEqual(50);
    expect(s.length).toBe(10);
  });

  it('a 15-minute window of live seconds never exceeds 1000 points', () => {
    let s: TPoint[] = [];
    for (let i = 0; i < 3600; i++) s = appendThroughput(s, [tp(5000 + i, { x: 1 })], DEFAULT_LIMITS, 5000 + i + 1);
    expect(s.length).toBeLessThanOrEqual(DEFAULT_LIMITS.windowSeconds);
    expect(s[s.length - 1].t).toBe(5000 + 3599);
  });
});

describe('appending tails', () => {
  it('ignores duplicate and out-of-order seconds', () => {
    let s = appendThroughput([], [tp(10, { a: 1 }), tp(11, { a: 2 })], big);
    s = appendThroughput(s, [tp(11, { a: 99 }), tp(9, { a: 99 }), tp(12, { a: 3 }), tp(12, { a: 99 }), tp(11.5, { a: 99 })], big);
    expect(s.map((p) => [p.t, p.counts.a])).toEqual([
      [10, 1],
      [11, 2],
      [12, 3],
    ]);
  });

  it('keeps gaps (a second without events is simply absent)', () => {
    const s = appendThroughput([], [tp(10, { a: 1 }), tp(15, { a: 1 })], big);
    expect(s.map((p) => p.t)).toEqual([10, 15]);
  });

  it('queue depth keeps the peak when merging', () => {
    const tail = Array.from({ length: 30 }, (_, i) => ({ t: i, depths: { q: i % 10 === 3 ? 500 : i } }));
    const s = appendDepth([], tail, { maxPoints: 10, keepRecent: 4, windowSeconds: 1e9 });
    expect(s.length).toBeLessThanOrEqual(10);
    expect(Math.max(...s.map((p) => p.depths.q))).toBe(500);
    expect(s.filter((p) => p.depths.q === 500).length).toBe(3);
  });
});

describe('history fill', () => {
  it('prepends history without overriding seconds the tails delivered', () => {
    const live = appendThroughput([], [tp(100, { a: 10 }), tp(101, { a: 11 })], big);
    const s = fillThroughput(live, [tp(98, { a: 1 }), tp(99, { a: 1 }), tp(100, { a: 5 })], big);
    expect(s.map((p) => [p.t, p.counts.a])).toEqual([
      [98, 1],
      [99, 1],
      [100, 10],
      [101, 11],
    ]);
  });

  it('fills a gap left while disconnected', () => {
    const live = appendThroughput([], [tp(100, { a: 1 }), tp(110, { a: 1 })], big);
    const s = fillThroughput(live, seconds(100, 11, 7), big);
    expect(s.map((p) => p.t)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
    expect(s[0].counts.a).toBe(1);
    expect(s[1].counts['payment.authorized']).toBe(7);
  });

  it('stays bounded when history is long', () => {
    const s = fillThroughput([], seconds(0, 5000), big);
    expect(s.length).toBeLessThanOrEqual(1000);
    expect(totalCounts(s)['payment.authorized']).toBe(5000);
  });
});
