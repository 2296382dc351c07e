// The volume chart's tooltip and data table read a step's money in major units: each
// currency to its own ISO 4217 decimals, not rounded as an axis label is.
import { describe, expect, it } from 'vitest';
import { fmtMajorAmount, fmtRange, fmtPayments, fmtRate, fmtTileMoney } from './format';

describe('fmtMajorAmount', () => {
  it('gives three-decimal, zero-decimal and two-decimal money to the currency’s decimals', () => {
    expect(fmtMajorAmount(0.125, 'KWD')).toBe('0.125');
    expect(fmtRate(0.125)).toBe('0.13'); // what the tooltip read before
    expect(fmtMajorAmount(1234.567, 'BHD')).toBe('1,234.567');
    expect(fmtMajorAmount(13367, 'JPY')).toBe('13,367');
    expect(fmtMajorAmount(12.5, 'EUR')).toBe('12.50');
    expect(fmtMajorAmount(123.45, 'EUR')).toBe('123.45');
    expect(fmtMajorAmount(0, 'JOD')).toBe('0.000');
    // A step's sum divided to major units in floating point comes back to its exact minor units.
    expect(fmtMajorAmount(100_000_007 / 1000, 'KWD')).toBe('100,000.007');
    expect(fmtMajorAmount(null, 'EUR')).toBe('—');
    // A code nobody knows: the chart's value is its minor units, shown as exports show them.
    expect(fmtMajorAmount(1250, 'ZZZ')).toBe('1,250 (minor units)');
    expect(fmtTileMoney(123_456_789_012, 'ZZZ').text).toBe('123.46B');
  });
});

describe('fmtRange', () => {
  it('says which zone the times are in, and both zones when a daylight-saving change is inside the range', () => {
    const from = Date.UTC(2026, 2, 29, 0, 0);
    expect(fmtRange(from, from + 30 * 60_000, 'Europe/Berlin')).toBe('2026-03-29 01:00:00 – 2026-03-29 01:30:00 GMT+1');
    expect(fmtRange(from, from + 3 * 3600_000, 'Europe/Berlin')).toBe('2026-03-29 01:00:00 GMT+1 – 2026-03-29 05:00:00 GMT+2');
    expect(fmtRange(from, from + 60_000, 'UTC')).toBe('2026-03-29 00:00:00 – 2026-03-29 00:01:00 UTC');
  });
});

describe('fmtTileMoney (the Authorized / min tile)', () => {
  it('shows an amount that fits a tile exactly, to the currency’s decimals', () => {
    expect(fmtTileMoney(1250, 'KWD')).toEqual({ text: '1.250', exact: '1.250' });
    expect(fmtTileMoney(999_999_999, 'JPY')).toEqual({ text: '999,999,999', exact: '999,999,999' });
    expect(fmtTileMoney(1_234_567, 'EUR')).toEqual({ text: '12,345.67', exact: '12,345.67' });
  });

  it('shortens an amount too long for a tile (KRW, IDR, a huge JPY) and keeps the exact one beside it', () => {
    expect(fmtTileMoney(3_000_000_000, 'KRW')).toEqual({ text: '3B', exact: '3,000,000,000' });
    expect(fmtTileMoney(1_500_000_000_000, 'IDR')).toEqual({ text: '15B', exact: '15,000,000,000.00' });
    expect(fmtTileMoney(Number.MAX_SAFE_INTEGER * 3, 'JPY').text.length).toBeLessThanOrEqual(11);
    expect(fmtTileMoney(9_007_199_254_740_991, 'KWD')).toEqual({ text: '9.01T', exact: '9,007,199,254,740.991' });
  });

  it('says "about" for the whole amount once a minute sums past 2^53 minor units (no longer exact)', () => {
    expect(fmtTileMoney(2 ** 53 + 2, 'EUR')).toEqual({ text: '90.07T', exact: 'about 90,071,992,547,409.94' });
  });
});

describe('fmtPayments (the Authorized / min tile’s line under the amount)', () => {
  it('groups the count and says one payment in the singular', () => {
    expect(fmtPayments(1)).toBe('1 payment');
    expect(fmtPayments(12_345)).toBe('12,345 payments');
    expect(fmtPayments(0)).toBe('0 payments');
  });
});
