// The local-time inputs read strictly in America/New_York (DST changes at 02:00 local, on other
// dates than Europe's): the skipped hour is refused by name, the repeated one is its first pass.
import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../../../test/support/timeZone';
import { parseLocal } from '../views/explorer/explorerModel';
import { readCustomRange } from './customRange';

inTimeZone('America/New_York');

describe('a local time that does not exist (America/New_York)', () => {
  it('02:30 on 8 March 2026 (the clocks go from 02:00 to 03:00) is refused, not read as 03:30 EDT', () => {
    expect(parseLocal('2026-03-08T02:30:00')).toBeNull();
    expect(readCustomRange({ from: '2026-03-08T00:00', to: '2026-03-08T02:30' })).toEqual({
      error: '2026-03-08 02:30 does not exist in local time (America/New_York): the clocks went forward from 02:00 to 03:00 that day',
    });
    expect(parseLocal('2026-03-08T03:00:00')).toBe(Date.UTC(2026, 2, 8, 7, 0));
  });

  it('01:30 on 1 November 2026 (read twice as the clocks go back) is the first pass, EDT', () => {
    expect(parseLocal('2026-11-01T01:30')).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expect(readCustomRange({ from: '2026-11-01T01:30', to: '2026-11-01T02:30' })).toEqual({ fromMs: Date.UTC(2026, 10, 1, 5, 30), toMs: Date.UTC(2026, 10, 1, 7, 30) });
  });
});
