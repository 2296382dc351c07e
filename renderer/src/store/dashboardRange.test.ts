import { describe, expect, it } from 'vitest';
import { createRangeStore, MIN_RANGE_MS, normaliseRange, rangeWindow } from './dashboardRange';

const clock = Date.UTC(2026, 10, 23, 12, 34, 56);

describe('the dashboard range', () => {
  it('follows the engine clock: a preset ends at the end of the current minute', () => {
    const store = createRangeStore();
    store.getState().choosePreset('1h');
    const w = rangeWindow(store.getState(), clock)!;
    expect(w.toMs).toBe(Date.UTC(2026, 10, 23, 12, 35));
    expect(w.toMs - w.fromMs).toBe(3600_000);
    expect(rangeWindow(store.getState(), clock + 60_000)!.toMs).toBe(Date.UTC(2026, 10, 23, 12, 36));
  });

  it('stops following on a fixed range (zoom or custom) and keeps it as the clock moves; back to live returns to the preset', () => {
    const store = createRangeStore();
    store.getState().choosePreset('24h');
    store.getState().fixRange(clock - 600_000, clock - 1200_000);
    const s = store.getState();
    expect(s.following).toBe(false);
    expect(s.preset).toBe('custom');
    expect(rangeWindow(s, clock + 3600_000)).toEqual({ fromMs: clock - 1200_000, toMs: clock - 600_000 });
    store.getState().follow();
    expect(store.getState()).toMatchObject({ following: true, preset: '24h' });
  });

  it('widens a zoom narrower than two minutes around its middle', () => {
    const r = normaliseRange(clock, clock + 1000);
    expect(r.toMs - r.fromMs).toBe(MIN_RANGE_MS);
    expect(r.fromMs).toBeLessThan(clock);
    expect(r.toMs).toBeGreaterThan(clock + 1000);
  });

  it('has no window before the first clock while following', () => {
    expect(rangeWindow(createRangeStore().getState(), null)).toBeNull();
  });
});
