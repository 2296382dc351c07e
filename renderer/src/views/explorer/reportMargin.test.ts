// The report tab's margin around an alert (minutes): Number() read an emptied field and " " as 0
// (a report of the alert's bare active window, without a word), and "0x10" as 16.
import { describe, expect, it } from 'vitest';
import { readMarginMinutes } from './explorerModel';

describe('the report margin', () => {
  it('reads minutes as typed, fractions too', () => {
    expect(readMarginMinutes('15')).toEqual({ minutes: 15 });
    expect(readMarginMinutes(' 0 ')).toEqual({ minutes: 0 });
    expect(readMarginMinutes('2.5')).toEqual({ minutes: 2.5 });
  });

  it('refuses an empty field and what is not a number of minutes, instead of reading 0 or hex', () => {
    for (const v of ['', '  ', '0x10', '1e3', '-5', 'abc', '1441']) {
      expect(readMarginMinutes(v), JSON.stringify(v)).toEqual({ error: 'the margin must be a number of minutes from 0 to 1440' });
    }
  });
});
