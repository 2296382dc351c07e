import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TrailingSlot } from './trailingSlot';

describe('TrailingSlot', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands a value on after the delay, in a task of its own', () => {
    const got: number[] = [];
    const slot = new TrailingSlot<number>(300, (v) => got.push(v), 0);
    slot.offer(1);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(299);
    expect(got).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(got).toEqual([1]);
  });

  it('values offered while one is pending: only the newest is handed on, on the first one\'s time', () => {
    const got: string[] = [];
    const slot = new TrailingSlot<string>(300, (v) => got.push(v), 'a');
    slot.offer('b');
    vi.advanceTimersByTime(100);
    slot.offer('c');
    vi.advanceTimersByTime(200);
    expect(got).toEqual(['c']);
    vi.advanceTimersByTime(1000);
    expect(got).toEqual(['c']);
  });

  it('a value changing every 100 ms still shows every 300 ms (never starved)', () => {
    const got: number[] = [];
    const slot = new TrailingSlot<number>(300, (v) => got.push(v), 0);
    for (let i = 1; i <= 30; i++) {
      slot.offer(i);
      vi.advanceTimersByTime(100);
    }
    expect(got.length).toBe(10);
    expect(got[got.length - 1]).toBe(30);
  });

  it('what is shown is never handed on again; cancel drops the pending value', () => {
    const got: number[] = [];
    const shown = [1];
    const slot = new TrailingSlot<number[]>(50, (v) => got.push(v.length), shown);
    slot.offer(shown);
    vi.advanceTimersByTime(100);
    expect(got).toEqual([]);
    slot.offer([1, 2]);
    slot.cancel();
    vi.advanceTimersByTime(100);
    expect(got).toEqual([]);
  });
});
