// The dashboard's custom range picker through its datetime-local inputs (local time): a fixed
// range shown in the picker and applied unchanged must come back as it was, also in the hour a
// DST fall-back repeats. Runs in Europe/Berlin (as the explorer's explorerTimeEdges.test.ts).
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { DASHBOARD_MAX_RANGE_MS } from '../../../shared/dashboardApi';
import { normaliseRange } from '../store/dashboardRange';
import { customRangeForm, readCustomRange } from './customRange';

inTimeZone('Europe/Berlin');

describe('the dashboard custom range through the local-time inputs', () => {
  it('a range in the hour a fall-back repeats (02:00-03:00 CET on 2026-10-25) is applied unchanged, not one hour early', () => {
    // 01:10Z-01:40Z is 02:10-02:40 CET, the second 02:10 of that night; 00:10Z (CEST) reads the same.
    const w = { fromMs: Date.UTC(2026, 9, 25, 1, 10), toMs: Date.UTC(2026, 9, 25, 1, 40) };
    expect(customRangeForm(w).from).toBe(customRangeForm({ fromMs: Date.UTC(2026, 9, 25, 0, 10), toMs: 0 }).from);
    expect(readCustomRange(customRangeForm(w))).toEqual(w);
  });

  it('a range that starts before the repeated hour and ends in its second pass keeps its length', () => {
    const w = { fromMs: Date.UTC(2026, 9, 24, 23, 30), toMs: Date.UTC(2026, 9, 25, 1, 30) }; // 01:30 CEST - 02:30 CET
    expect(readCustomRange(customRangeForm(w))).toEqual(w);
  });

  it('milliseconds and seconds of a window survive the picker', () => {
    const w = { fromMs: Date.UTC(2026, 10, 23, 11, 0, 12, 250), toMs: Date.UTC(2026, 10, 23, 12, 0, 59, 751) };
    expect(readCustomRange(customRangeForm(w))).toEqual(w);
  });

  it('an edited input is read as typed, the untouched one stays exact', () => {
    const w = { fromMs: Date.UTC(2026, 9, 25, 1, 10), toMs: Date.UTC(2026, 9, 25, 1, 40) };
    const form = { ...customRangeForm(w), to: '2026-10-25T04:00' };
    expect(readCustomRange(form)).toEqual({ fromMs: w.fromMs, toMs: Date.UTC(2026, 9, 25, 3, 0) });
  });

  it('refuses an empty, reversed or too long range with a message', () => {
    expect(readCustomRange({ from: '', to: '2026-11-23T12:00' })).toEqual({ error: 'Both times are needed' });
    expect(readCustomRange({ from: '2026-11-23T12:00', to: '2026-11-23T12:00' })).toEqual({ error: 'The end must be after the start' });
    expect(readCustomRange({ from: '2026-10-01T00:00', to: '2026-11-01T00:01' })).toEqual({ error: 'At most 31 days, plus the hour a DST change can add (745 hours)' });
  });

  it('a range at the limit (31 days and an hour) is applied, and the whole minutes it is widened to still fit one request', () => {
    const fromMs = Date.UTC(2026, 10, 1, 10, 0);
    expect(readCustomRange(customRangeForm({ fromMs, toMs: fromMs + DASHBOARD_MAX_RANGE_MS }))).toEqual({ fromMs, toMs: fromMs + DASHBOARD_MAX_RANGE_MS });
    // seconds typed at both ends: 745 hours exactly, but its whole minutes are 745 hours and a minute
    expect(readCustomRange({ from: '2026-11-01T11:00:30', to: '2026-12-02T12:00:30' })).toEqual({ error: 'At most 31 days, plus the hour a DST change can add (745 hours)' });
    const r = readCustomRange({ from: '2026-11-01T11:00:30', to: '2026-12-02T11:59:30' });
    if ('error' in r) throw new Error(r.error);
    const n = normaliseRange(r.fromMs, r.toMs);
    expect(n.toMs - n.fromMs).toBe(DASHBOARD_MAX_RANGE_MS);
  });
});

describe('the dashboard custom range over a calendar month with a DST change', () => {
  it('1 Oct 00:00 to 1 Nov 00:00 in Europe/Berlin (745 h: October ends on the fall-back) is applied, a minute more is refused', () => {
    const r = readCustomRange({ from: '2026-10-01T00:00', to: '2026-11-01T00:00' });
    expect(r).toEqual({ fromMs: Date.UTC(2026, 8, 30, 22, 0), toMs: Date.UTC(2026, 9, 31, 23, 0) });
    if ('error' in r) throw new Error(r.error);
    expect(r.toMs - r.fromMs).toBe(745 * 3_600_000);
    expect(readCustomRange({ from: '2026-10-01T00:00', to: '2026-11-01T00:01' })).toMatchObject({ error: expect.stringMatching(/^At most 31 days/) });
  });

  it('March (1 Mar to 1 Apr, 743 h: the spring-forward hour is missing) is applied too', () => {
    expect(readCustomRange({ from: '2026-03-01T00:00', to: '2026-04-01T00:00' })).toEqual({ fromMs: Date.UTC(2026, 1, 28, 23, 0), toMs: Date.UTC(2026, 2, 31, 22, 0) });
  });
});

describe('the dashboard custom range before 1970', () => {
  // Before: the form refused any time before 1970 ('Times before 1970 cannot be shown'), though
  // dashboard.series takes any time a Date holds: a replay stamped 1969-12-31 could not be picked.
  it('reads a time before 1970 as the instant it names in local time and sends it', () => {
    // Berlin was on CET (+1) all of 1969.
    expect(readCustomRange({ from: '1969-12-31T23:00', to: '1970-01-01T10:00' })).toEqual({ fromMs: Date.UTC(1969, 11, 31, 22, 0), toMs: Date.UTC(1970, 0, 1, 9, 0) });
  });

  it('reads the first years of the calendar in their local mean time (Berlin +0:53:28 before 1893)', () => {
    const year1 = new Date(0);
    year1.setUTCFullYear(1, 0, 1);
    const lmt = (53 * 60 + 28) * 1000;
    expect(readCustomRange({ from: '0001-01-01T00:00', to: '0001-01-02T00:00' })).toEqual({ fromMs: year1.getTime() - lmt, toMs: year1.getTime() - lmt + 86_400_000 });
  });

  it('a window before 1970 shown in the picker comes back unchanged', () => {
    const w = { fromMs: Date.UTC(1969, 11, 31, 23, 0, 12, 250), toMs: Date.UTC(1970, 0, 1, 0, 30) };
    expect(readCustomRange(customRangeForm(w))).toEqual(w);
  });

  it('still refuses a time past the last one a Date holds', () => {
    expect(readCustomRange({ from: '275760-09-12T00:00', to: '275760-09-14T00:00' })).toEqual({ error: 'Not a valid time' });
  });
});
