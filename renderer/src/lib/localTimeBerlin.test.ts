// The local-time inputs (dashboard custom range, explorer window, report window) read strictly in
// Europe/Berlin: a day the calendar does not have and a time the spring-forward skipped are
// refused by name instead of rolling over to another instant; a time a fall-back repeats is its
// first pass (the earlier instant).
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { EMPTY_FORM, parseLocal, readReportWindow, toEventFilter } from '../views/explorer/explorerModel';
import { readCustomRange } from './customRange';

const CLOCK = Date.UTC(2026, 10, 23, 12, 0, 0);
inTimeZone('Europe/Berlin');

describe('a local time that does not exist (Europe/Berlin)', () => {
  it('31 February is refused with the day named, not read as 3 March', () => {
    expect(parseLocal('2026-02-31T10:00')).toBeNull();
    expect(readCustomRange({ from: '2026-02-31T10:00', to: '2026-03-05T00:00' })).toEqual({
      error: '2026-02-31 does not exist: February 2026 has 28 days',
    });
    expect(toEventFilter({ ...EMPTY_FORM, range: 'custom', from: '2026-04-31T00:00:00', to: '' }, CLOCK)).toEqual({
      problem: { field: 'from', message: '2026-04-31 does not exist: April 2026 has 30 days' },
    });
    expect(parseLocal('2026-02-29T00:00')).toBeNull();
    expect(parseLocal('2028-02-29T00:00')).toBe(Date.UTC(2028, 1, 28, 23, 0));
  });

  it('02:30 on 29 March 2026 (the clocks go from 02:00 to 03:00) is refused, not read as 03:30', () => {
    const gap = '2026-03-29 02:30 does not exist in local time (Europe/Berlin): the clocks went forward from 02:00 to 03:00 that day';
    expect(parseLocal('2026-03-29T02:30')).toBeNull();
    expect(readCustomRange({ from: '2026-03-29T02:30', to: '2026-03-29T05:00' })).toEqual({ error: gap });
    expect(toEventFilter({ ...EMPTY_FORM, range: 'custom', from: '2026-03-29T01:00', to: '2026-03-29T02:30:00' }, CLOCK)).toEqual({
      problem: { field: 'to', message: gap },
    });
    expect(readReportWindow('2026-03-29T02:30:00', '2026-03-29T04:00:00', {})).toEqual({ error: `"from": ${gap}` });
    // the minutes either side of the gap exist
    expect(parseLocal('2026-03-29T01:59:59')).toBe(Date.UTC(2026, 2, 29, 0, 59, 59));
    expect(parseLocal('2026-03-29T03:00')).toBe(Date.UTC(2026, 2, 29, 1, 0));
  });

  it('02:30 on 25 October 2026 (read twice as the clocks go back) is the first pass, CEST', () => {
    expect(parseLocal('2026-10-25T02:30')).toBe(Date.UTC(2026, 9, 25, 0, 30));
    expect(readReportWindow('2026-10-25T02:30', '2026-10-25T03:30', {})).toEqual({ from: Date.UTC(2026, 9, 25, 0, 30), to: Date.UTC(2026, 9, 25, 2, 30) });
  });

  it('a text that is not the inputs\' local date-time is refused, not read as UTC', () => {
    // Date read a date alone as UTC midnight and a trailing Z as UTC: neither is the local time the inputs show.
    expect(parseLocal('2026-11-23')).toBeNull();
    expect(parseLocal('2026-11-23T13:30:00Z')).toBeNull();
    expect(parseLocal('Nov 23 2026')).toBeNull();
    expect(parseLocal('2026-11-23T24:00')).toBeNull();
    expect(parseLocal('2026-11-23 13:30')).toBe(Date.UTC(2026, 10, 23, 12, 30));
    expect(parseLocal('2026-11-23T13:30:05.250')).toBe(Date.UTC(2026, 10, 23, 12, 30, 5, 250));
  });
});
