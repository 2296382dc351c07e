// shared/format.ts gives what the hand-written formatting it replaced gave (toFixed,
// toLocaleString('en-US'), ISO slices, Date getters), so reports, alert summaries, the CLI and
// the renderer read as before; and it reuses its Intl formatters.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  formatClock,
  formatDateTime,
  formatDurationMs,
  formatElapsed,
  formatFixed,
  formatHourMinute,
  formatInteger,
  formatMoney,
  formatMoneyAmount,
  formatMoneyTotal,
  formatNumber,
  formatPercent,
  formatSeconds,
} from './format';

const trim = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
// Values away from a rounding tie: toFixed rounds the binary value, Intl the decimal one,
// and the two may differ only exactly at a tie (x.xx5).
const value = fc.double({ min: -1e7, max: 1e7, noNaN: true }).filter((v) => Math.abs((v * 1000) % 10) !== 5);

describe('numbers', () => {
  it('formatFixed is toFixed, formatNumber is toFixed without trailing zeros', () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 3 }), (v, d) => {
        // toFixed writes "-0.00" for a tiny negative; payops writes "0.00" (no sign on zero).
        const fixed = v.toFixed(d).replace(/^-(0\.?0*)$/, '$1');
        expect(formatFixed(v, d)).toBe(fixed);
        expect(formatNumber(v, d)).toBe(trim(fixed));
      }),
    );
  });

  it('formatInteger is Math.round(v).toLocaleString("en-US")', () => {
    fc.assert(fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }), (v) => {
      expect(formatInteger(v)).toBe((Math.round(v) + 0).toLocaleString('en-US')); // + 0: no "-0"
    }));
    expect(formatInteger(1234567)).toBe('1,234,567');
  });

  it('percentages, signs, money and durations as the reports and tiles wrote them', () => {
    expect(formatPercent(0.12345, 2)).toBe('12.35%');
    expect(formatPercent(0.5, 0)).toBe('50%');
    expect(formatPercent(0.0123, 1, { sign: true })).toBe('+1.2%');
    expect(formatPercent(-0.0123, 1, { sign: true })).toBe('-1.2%');
    expect(formatPercent(0, 1, { sign: true })).toBe('+0.0%');
    expect(formatFixed(0.004, 2, { sign: true })).toBe('+0.00');
    expect(formatMoneyAmount(123456789, 'EUR', { grouping: false })).toBe('1234567.89');
    expect(formatMoneyAmount(123456789, 'EUR')).toBe('1,234,567.89');
    expect(formatMoneyAmount(5, 'USD')).toBe('0.05');
    expect([850, 1250, 12_500, 210_000, 5_400_000].map(formatDurationMs)).toEqual(['850 ms', '1.25 s', '12.5 s', '3.5 min', '1.5 h']);
    expect([0, 45_000, 185_000, 7_380_000].map(formatElapsed)).toEqual(['0s', '45s', '3m 05s', '2h 03m']);
    expect(formatSeconds(2000)).toBe('2.0 s');
  });
});

describe('money in minor units per ISO 4217 currency', () => {
  // Issue 11: a JPY amount of 13367 (JPY has no minor unit) was shown as "133.67 JPY".
  it('shows each currency with its own decimals', () => {
    expect(formatMoney(13367, 'JPY')).toBe('13,367 JPY');
    expect(formatMoney(50000, 'KRW')).toBe('50,000 KRW');
    expect(formatMoney(1250, 'EUR')).toBe('12.50 EUR');
    expect(formatMoney(1250, 'BHD')).toBe('1.250 BHD');
    expect(formatMoney(1234567, 'KWD')).toBe('1,234.567 KWD');
    expect(formatMoney(5, 'KWD')).toBe('0.005 KWD');
    // ISO counts IDR and HUF in hundredths although CLDR (Intl's default) shows none.
    expect(formatMoney(1000000, 'IDR')).toBe('10,000.00 IDR');
    expect(formatMoney(1250, 'EUR', { grouping: false })).toBe('12.50 EUR');
  });

  it('says "about" before a total that is past 2^53 minor units, where a double no longer holds every integer', () => {
    expect(formatMoneyTotal(2 ** 53 - 1, 'EUR')).toBe('90,071,992,547,409.91 EUR');
    expect(formatMoneyTotal(2 ** 53 + 2, 'EUR')).toBe('about 90,071,992,547,409.94 EUR');
    expect(formatMoneyTotal(9.9e18, 'KRW')).toBe('about 9,900,000,000,000,000,000 KRW');
    expect(formatMoneyTotal(0, 'JPY')).toBe('0 JPY');
    expect(formatMoneyTotal(1250, 'BHD')).toBe('1.250 BHD');
  });

  it('never passes an amount without its currency off as money', () => {
    expect(formatMoney(1250, null)).toBe('1,250 (minor units)');
  });

  it('round-trips every integer amount of every currency exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom('JPY', 'EUR', 'KWD', 'CLF', 'USD'), fc.integer({ min: 0, max: 2 ** 50 }), (c, minor) => {
        const text = formatMoneyAmount(minor, c, { grouping: false });
        const digits = c === 'JPY' ? 0 : c === 'KWD' ? 3 : c === 'CLF' ? 4 : 2;
        expect(text.replace('.', '')).toBe(String(minor).padStart(digits + 1, '0'));
      }),
    );
  });
});

describe('Intl formatters', () => {
  it('are built once per option set and reused', () => {
    formatFixed(1.5, 3);
    formatClock(0, 'UTC');
    const numbers = vi.spyOn(Intl, 'NumberFormat');
    const dates = vi.spyOn(Intl, 'DateTimeFormat');
    try {
      expect([formatFixed(2.25, 3), formatFixed(7, 3), formatClock(1000, 'UTC')]).toEqual(['2.250', '7.000', '00:00:01']);
      expect(numbers).not.toHaveBeenCalled();
      expect(dates).not.toHaveBeenCalled();
    } finally {
      numbers.mockRestore();
      dates.mockRestore();
    }
  });
});

describe('dates', () => {
  const times = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) });
  const pad = (n: number) => String(n).padStart(2, '0');

  it('in UTC: the ISO time slices the report charts used', () => {
    fc.assert(
      fc.property(times, (t) => {
        const iso = new Date(t).toISOString();
        expect(formatClock(t, 'UTC')).toBe(iso.slice(11, 19));
        expect(formatHourMinute(t, 'UTC')).toBe(iso.slice(11, 16));
        expect(formatHourMinute(t, 'UTC', true)).toBe(`${iso.slice(5, 10)} ${iso.slice(11, 16)}`);
        expect(formatDateTime(t, 'UTC')).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
      }),
    );
    expect(formatClock(Date.UTC(2026, 10, 23, 0, 5, 9), 'UTC')).toBe('00:05:09'); // 24-hour, never "24:05"
  });

  // Before: the year was Intl's, unpadded, so a range in the year 0001 printed "1-01-01", and
  // 1 BC (ISO's year 0000) printed as 1 AD.
  it('writes the year in four digits, as ISO 8601 does, from 0000 to 9999', () => {
    expect(formatDateTime(Date.parse('0001-01-01T00:00:00Z'), 'UTC')).toBe('0001-01-01 00:00:00');
    expect(formatDateTime(Date.parse('0000-06-01T12:00:00Z'), 'UTC')).toBe('0000-06-01 12:00:00');
    const anyYear = fc.integer({ min: Date.parse('0000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59Z') });
    fc.assert(
      fc.property(anyYear, (t) => {
        const iso = new Date(t).toISOString();
        expect(formatDateTime(t, 'UTC')).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 19)}`);
      }),
    );
  });

  it("in the machine's zone: what the Date getters gave", () => {
    fc.assert(
      fc.property(times, (t) => {
        const d = new Date(t);
        const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
        expect(formatClock(t)).toBe(clock);
        expect(formatDateTime(t)).toBe(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`);
      }),
    );
  });
});
