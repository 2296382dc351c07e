// `payops report --margin`: Number() read "" and " " as 0 and "0x10" as 16 minutes.
import { describe, expect, it } from 'vitest';
import { marginMinutes } from './reportCommand';

describe('report --margin', () => {
  it('takes decimal minutes from 0 to 1440', () => {
    expect(marginMinutes('15')).toBe(15);
    expect(marginMinutes('0')).toBe(0);
    expect(marginMinutes('2.5')).toBe(2.5);
  });

  it('refuses an empty value, hex, exponents and signs instead of reading them as numbers', () => {
    for (const v of ['', ' ', '0x10', '1e3', '-1', '+5', '1441', 'ten']) {
      expect(() => marginMinutes(v), JSON.stringify(v)).toThrow('--margin must be minutes between 0 and 1440');
    }
  });
});
