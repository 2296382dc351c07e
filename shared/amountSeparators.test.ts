// Amounts typed in major units with separators: a comma or space only groups thousands. Read as
// a grouping anywhere, "12,50" EUR (a decimal comma, as typed in much of Europe) became 1,250.00
// EUR and "1.250,00" became 1.25 EUR: an amount filter 100 or 1,000 times off without a word.
import { describe, expect, it } from 'vitest';
import { parseMajorAmount } from './currencies';

describe('separators in a typed amount', () => {
  it('a decimal comma is refused with what to type instead, not read as a thousands separator', () => {
    const hint = 'a comma or space only groups thousands (1,250,000 or 1 250); decimals take a point (12.50)';
    expect(parseMajorAmount('12,50', 'EUR')).toEqual({ ok: false, message: `"12,50" is not an amount: ${hint}` });
    expect(parseMajorAmount('1.250,00', 'EUR')).toEqual({ ok: false, message: `"1.250,00" is not an amount: ${hint}` });
    expect(parseMajorAmount('1,5', 'KWD')).toMatchObject({ ok: false });
    expect(parseMajorAmount('1,0000', 'JPY')).toMatchObject({ ok: false });
    expect(parseMajorAmount('12.5 0', 'EUR')).toMatchObject({ ok: false });
    expect(parseMajorAmount(',250', 'JPY')).toMatchObject({ ok: false });
  });

  it('one comma group alone ("1,250") is refused: in much of the world it is 1.25', () => {
    const message = '"1,250" is ambiguous: a comma is a decimal separator in many locales; write 1250 or 1.25';
    expect(parseMajorAmount('1,250', 'JPY')).toEqual({ ok: false, message });
    expect(parseMajorAmount('1,250', 'EUR')).toEqual({ ok: false, message });
    expect(parseMajorAmount('12,500', 'KWD')).toMatchObject({ ok: false });
  });

  it('groups of three digits still read as thousands where no decimal reading is possible', () => {
    expect(parseMajorAmount('1,250,000', 'JPY')).toEqual({ ok: true, minor: 1250000 });
    expect(parseMajorAmount('1,250.50', 'EUR')).toEqual({ ok: true, minor: 125050 });
    expect(parseMajorAmount('12,345,678.50', 'EUR')).toEqual({ ok: true, minor: 1234567850 });
    expect(parseMajorAmount('1 000', 'JPY')).toEqual({ ok: true, minor: 1000 });
    expect(parseMajorAmount('1\u00a0000.250', 'KWD')).toEqual({ ok: true, minor: 1000250 });
    expect(parseMajorAmount('1_000', 'JPY')).toEqual({ ok: true, minor: 1000 });
    expect(parseMajorAmount('1250', 'JPY')).toEqual({ ok: true, minor: 1250 });
  });
});
