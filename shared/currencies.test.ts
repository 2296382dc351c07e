import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { currencyDigits, knownCurrencyDigits, minorPerMajor, minorToMajorString, parseMajorAmount } from './currencies';
import { formatMoney } from './format';

const intlDigits = (c: string) => new Intl.NumberFormat('en-US', { style: 'currency', currency: c }).resolvedOptions().maximumFractionDigits;

describe('ISO 4217 minor units', () => {
  it('JPY and KRW have none, BHD and KWD three, EUR two', () => {
    expect(['JPY', 'KRW', 'BHD', 'KWD', 'EUR', 'USD'].map(currencyDigits)).toEqual([0, 0, 3, 3, 2, 2]);
    expect(currencyDigits('jpy')).toBe(0);
    expect(currencyDigits('ZZZ')).toBe(0);
  });

  it('agrees with Intl except where CLDR shows fewer decimals than ISO counts', () => {
    // CLDR (Intl's data) drops the decimals that these countries' cash does not use; ISO 4217,
    // and so every payment amount in minor units, keeps them. Any other difference is a bug.
    const cldrShowsFewer = new Set(['AFN', 'ALL', 'COP', 'HUF', 'IDR', 'IQD', 'IRR', 'KPW', 'LAK', 'LBP', 'MGA', 'MMK', 'PKR', 'RSD', 'SLL', 'SLE', 'SOS', 'SYP', 'YER', 'UZS', 'TWD', 'AMD', 'CRC', 'MNT', 'MRU', 'STN']);
    // Funds and metals ISO lists with no minor unit ("N.A."): Intl formats them with two.
    const isoNone = new Set(['XAG', 'XAU', 'XBA', 'XBB', 'XBC', 'XBD', 'XDR', 'XPD', 'XPT', 'XSU', 'XTS', 'XUA', 'XXX']);
    const differ = Intl.supportedValuesOf('currency').filter((c) => !isoNone.has(c) && intlDigits(c) !== currencyDigits(c));
    expect(differ).toContain('IDR');
    for (const c of differ) {
      expect(cldrShowsFewer.has(c), `${c}: Intl ${intlDigits(c)} decimals, ISO table ${currencyDigits(c)}`).toBe(true);
      expect(intlDigits(c)).toBeLessThan(currencyDigits(c));
    }
  });
});

// A code outside ISO's current list had two decimals whatever it was: BYR (withdrawn 2016, no
// minor unit) 13367 read "133.67 BYR", and a code nobody knows was given two decimals too.
describe('codes outside ISO 4217\'s current list', () => {
  it('a withdrawn code takes the decimals CLDR keeps for it; one ISO listed with two while current keeps two', () => {
    expect(formatMoney(13367, 'BYR')).toBe('13,367 BYR');
    expect(formatMoney(1000, 'ITL')).toBe('1,000 ITL');
    expect(formatMoney(1250, 'HRK')).toBe('12.50 HRK');
    // CLDR shows their cash without decimals; ISO counted hundredths.
    expect(['MRO', 'STD', 'ZMK', 'SLL'].map(knownCurrencyDigits)).toEqual([2, 2, 2, 2]);
  });

  it('a code nobody knows is shown as minor units with its code, never with guessed decimals', () => {
    expect(knownCurrencyDigits('ZZZ')).toBeNull();
    expect(formatMoney(1250, 'ZZZ')).toBe('1,250 (minor units of ZZZ)');
  });

  // Exports show an unknown code's amounts as minor units, while a typed amount filter and the
  // charts read them with two guessed decimals: "12.50" ZZZ filtered on 1250, a chart's point of
  // 1250 minor units was 12.5. Both now count an unknown code in minor units, as exports do.
  it('a typed amount and a chart\'s value of a code nobody knows are minor units too', () => {
    expect(parseMajorAmount('1250', 'ZZZ')).toEqual({ ok: true, minor: 1250 });
    expect(parseMajorAmount('12.50', 'ZZZ')).toEqual({ ok: false, message: 'ZZZ is no currency whose minor unit is known: give the amount in minor units (a whole number)' });
    expect(minorToMajorString(1250, 'ZZZ')).toBe('1250');
    expect(minorPerMajor('ZZZ')).toBe(1);
  });

  it('every current ISO code keeps its table\'s decimals', () => {
    expect(['CLF', 'UYW', 'IQD', 'TND', 'JPY', 'KRW', 'BHD', 'KWD', 'XCG', 'XAD', 'ZWG', 'VED'].map(knownCurrencyDigits)).toEqual([4, 4, 3, 3, 0, 0, 3, 3, 2, 2, 2, 2]);
  });
});

describe('amounts typed in major units', () => {
  it('become exact minor units of the chosen currency', () => {
    expect(parseMajorAmount('12.5', 'EUR')).toEqual({ ok: true, minor: 1250 });
    expect(parseMajorAmount('0.29', 'EUR')).toEqual({ ok: true, minor: 29 });
    expect(parseMajorAmount('13367', 'JPY')).toEqual({ ok: true, minor: 13367 });
    expect(parseMajorAmount('1,250,000', 'JPY')).toEqual({ ok: true, minor: 1250000 });
    expect(parseMajorAmount('1.25', 'KWD')).toEqual({ ok: true, minor: 1250 });
    expect(parseMajorAmount(' 100.00 ', 'JPY')).toEqual({ ok: true, minor: 100 });
  });

  it('refuse more decimals than the currency has, and anything that is not a plain amount', () => {
    expect(parseMajorAmount('12.345', 'EUR')).toEqual({ ok: false, message: 'EUR has 2 decimals: "12.345" has more' });
    expect(parseMajorAmount('1.5', 'JPY')).toEqual({ ok: false, message: 'JPY has no minor unit: give a whole number' });
    for (const bad of ['-1', '1e3', 'abc', '', '.', '1.2.3']) expect(parseMajorAmount(bad, 'EUR').ok).toBe(false);
  });

  it('round-trip with minorToMajorString', () => {
    fc.assert(
      fc.property(fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF'), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (c, minor) => {
        expect(parseMajorAmount(minorToMajorString(minor, c), c)).toEqual({ ok: true, minor });
      }),
    );
  });
});
