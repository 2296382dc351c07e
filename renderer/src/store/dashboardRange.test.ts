import { describe, expect, it } from 'vitest';
import { DASHBOARD_MAX_RANGE_MS } from '../../../shared/dashboardApi';
import { createRangeStore, MIN_RANGE_MS, normaliseRange, panWindow, rangeWindow, zoomWindow } from './dashboardRange';

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
    // whole minutes around the drag (12:14:56 – 12:24:56): the minutes the charts read
    expect(rangeWindow(s, clock + 3600_000)).toEqual({ fromMs: Date.UTC(2026, 10, 23, 12, 14), toMs: Date.UTC(2026, 10, 23, 12, 25) });
    store.getState().follow();
    expect(store.getState()).toMatchObject({ following: true, preset: '24h' });
  });

  it('keeps a dragged range as the whole minutes its figures cover (the label says that range, not the drag’s seconds)', () => {
    // The host reads per-minute rollups from the start of the first minute to the end of the
    // last: a range labelled 12:03:17 – 12:09:41 showed figures for 12:03:00 – 12:10:00.
    const r = normaliseRange(Date.UTC(2026, 10, 23, 12, 9, 41, 250), Date.UTC(2026, 10, 23, 12, 3, 17, 900));
    expect(r).toEqual({ fromMs: Date.UTC(2026, 10, 23, 12, 3), toMs: Date.UTC(2026, 10, 23, 12, 10) });
    // already whole minutes: unchanged
    expect(normaliseRange(Date.UTC(2026, 10, 23, 12, 3), Date.UTC(2026, 10, 23, 12, 10))).toEqual(r);
  });

  it('widens a zoom narrower than two minutes around its middle', () => {
    const r = normaliseRange(clock, clock + 1000);
    expect(r.toMs - r.fromMs).toBe(MIN_RANGE_MS);
    expect(r.fromMs).toBeLessThan(clock);
    expect(r.toMs).toBeGreaterThan(clock + 1000);
    expect(r.fromMs % 60_000).toBe(0);
  });

  it('has no window before the first clock while following', () => {
    expect(rangeWindow(createRangeStore().getState(), null)).toBeNull();
  });
});

describe('zooming and moving the range from the keyboard', () => {
  const H = 3600_000;
  const MIN = 60_000;
  // Half a minute before noon: a followed window ends at noon, and so may a zoomed one.
  const now = Date.UTC(2026, 11, 3, 11, 59, 30);
  const noon = Date.UTC(2026, 11, 3, 12, 0);
  const hour = { fromMs: noon - 3 * H, toMs: noon - 2 * H };

  it('zooms out and in around the same centre', () => {
    expect(zoomWindow(hour, 2, now)).toEqual({ fromMs: noon - 3.5 * H, toMs: noon - 1.5 * H });
    expect(zoomWindow(hour, 0.5, now)).toEqual({ fromMs: noon - 2.75 * H, toMs: noon - 2.25 * H });
  });

  it('keeps the length between the smallest range and 31 days, in whole minutes', () => {
    const smallest = zoomWindow({ fromMs: noon - 3 * MIN, toMs: noon - MIN }, 0.5, now);
    expect(smallest.toMs - smallest.fromMs).toBe(MIN_RANGE_MS);
    const month = zoomWindow({ fromMs: noon - 20 * 24 * H, toMs: noon }, 2, now);
    expect(month.toMs - month.fromMs).toBe(DASHBOARD_MAX_RANGE_MS);
    const odd = zoomWindow({ fromMs: noon - 15 * MIN, toMs: noon - 2 * MIN }, 0.5, now);
    expect(odd.fromMs % MIN).toBe(0);
    expect(odd.toMs % MIN).toBe(0);
    expect(odd.toMs - odd.fromMs).toBe(7 * MIN);
  });

  it('never ends past the current minute: a range that would keeps its length and ends there', () => {
    expect(zoomWindow({ fromMs: noon - H, toMs: noon }, 2, now)).toEqual({ fromMs: noon - 2 * H, toMs: noon });
    expect(panWindow(hour, 0.5, now)).toEqual({ fromMs: noon - 2.5 * H, toMs: noon - 1.5 * H });
    expect(panWindow(hour, 5, now)).toEqual({ fromMs: noon - H, toMs: noon });
    // The followed window at this clock is the one these end with.
    expect(rangeWindow({ preset: '1h', following: true, fromMs: null, toMs: null, compare: 'none', lastPreset: '1h' }, now)!.toMs).toBe(noon);
  });

  it('moves back by a share of its length', () => {
    expect(panWindow(hour, -0.5, now)).toEqual({ fromMs: noon - 3.5 * H, toMs: noon - 2.5 * H });
  });
});
