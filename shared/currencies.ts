// Minor units per ISO 4217 currency: how many decimals an event's `amount` (an integer of
// minor units, EVENTS.md) has. JPY 13367 is ¥13,367 (no minor unit), EUR 1250 is €12.50,
// KWD 1250 is 1.250 KWD (three decimals).
//
// The exponent comes from ISO 4217's own list (the "Minor unit" column of table A.1), not
// from Intl: Intl.NumberFormat's currency digits are CLDR's display preferences, which differ
// from ISO for money that payment systems really carry. CLDR shows IDR, HUF, PKR, COP, IQD
// ... with no decimals, while ISO (and so every acquirer, scheme and PSP API) counts IDR in
// hundredths and IQD in thousandths: taking Intl's digits would print an IDR amount 100 times
// too large. So the exponent is ISO's, and Intl only lays out the digits (format.ts).
// A code ISO 4217 no longer lists (withdrawn: BYR, the Belarusian ruble until 2016, had no minor
// unit) takes the decimals CLDR keeps for it, through Intl: ISO's list of withdrawn codes gives
// none. A code neither knows (a typo, a private code: "ZZZ") has no known minor unit: exports
// show its amounts as minor units with the code, never with guessed decimals (format.ts).
// Pure data: shared/ imports nothing.

/** ISO 4217 currencies whose minor unit is not 2 (table A.1, amendment 177, 2024). */
const ISO_4217_EXPONENTS: Readonly<Record<string, number>> = {
  // No minor unit.
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  // Thousandths.
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  // Ten-thousandths (units of account).
  CLF: 4, UYW: 4,
  // Funds and metals that ISO lists with no minor unit ("N.A."): counted in whole units.
  XAG: 0, XAU: 0, XBA: 0, XBB: 0, XBC: 0, XBD: 0, XDR: 0, XPD: 0, XPT: 0, XSU: 0, XTS: 0, XUA: 0, XXX: 0,
};

/**
 * ISO 4217's other current codes (list one, 2026-01-01): two decimals each. With them the codes
 * withdrawn lately that had two (ANG, CUC, HRK, SLL, ZWL), which events from before the change
 * still carry (CLDR shows SLL without decimals: its cash, not ISO's minor unit).
 */
const ISO_4217_TWO_DECIMALS = new Set(
  (
    'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE ' +
    'CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP ' +
    'LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB ' +
    'SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XAD XCD XCG ' +
    'YER ZAR ZMW ZWG ANG CUC HRK SLL ZWL'
  ).split(' '),
);
/**
 * Withdrawn codes that ISO listed with two decimals while they were current, where CLDR's digits
 * are their cash's (none): read with CLDR's they would be 100 times too large.
 */
const WITHDRAWN_TWO_DECIMALS = new Set(['MRO', 'STD', 'ZMK']);

/** English currency names of CLDR: a code it names is one it knows (a withdrawn one too). */
const cldrNames = new Intl.DisplayNames('en', { type: 'currency', fallback: 'none' });
const knownDigits = new Map<string, number | null>();

/**
 * Decimals of `currency`'s minor unit: ISO 4217's for its current codes, CLDR's for a withdrawn
 * code it knows, null for a code neither knows (its decimals would be a guess).
 */
export function knownCurrencyDigits(currency: string): number | null {
  const code = currency.toUpperCase();
  let digits = knownDigits.get(code);
  if (digits === undefined) {
    if (!CURRENCY_CODE.test(code)) digits = null;
    else if (code in ISO_4217_EXPONENTS) digits = ISO_4217_EXPONENTS[code];
    else if (ISO_4217_TWO_DECIMALS.has(code) || WITHDRAWN_TWO_DECIMALS.has(code)) digits = 2;
    else if (cldrNames.of(code) === undefined) digits = null;
    else digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? null;
    knownDigits.set(code, digits);
  }
  return digits;
}

/** The most decimals any ISO 4217 currency has (CLF, UYW). */
export const MAX_CURRENCY_DIGITS = 4;

/** Three upper-case letters, the form EVENTS.md requires of `currency`. */
export const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * Decimals of `currency`'s minor unit (knownCurrencyDigits), 0 for a code nobody knows: its
 * amounts are counted in minor units everywhere, as exports show them ("1,250 (minor units of
 * ZZZ)"), so a typed amount filter, a chart's value and a filter's description of such a code
 * are minor units too, never a guess of two decimals.
 */
export function currencyDigits(currency: string): number {
  return knownCurrencyDigits(currency) ?? 0;
}

/** Minor units per major unit: 1 for JPY, 100 for EUR, 1000 for KWD. */
export function minorPerMajor(currency: string): number {
  return 10 ** currencyDigits(currency);
}

/** Currencies offered first where an operator picks one (the simulator's and the demo's). */
export const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'KRW', 'BHD', 'KWD', 'CHF', 'SEK', 'PLN', 'BRL', 'INR'] as const;

export type MajorAmountResult = { ok: true; minor: number } | { ok: false; message: string };

/**
 * An amount typed in major units of `currency` ("12.50", "1,250,000", "13367") as an integer of
 * minor units, exactly (decimal arithmetic on the digits, no floating point): EUR "12.5" is
 * 1250, JPY "13367" is 13367, KWD "1.25" is 1250. Refuses more decimals than the currency has
 * ("12.345" EUR), signs, exponents and anything that is not a plain decimal number; a comma
 * or space groups thousands only ("1,250,000", "1 250"), so a decimal comma ("12,50") is refused,
 * and so is one comma group alone ("1,250": 1250, or 1.25 with a decimal comma).
 */
export function parseMajorAmount(text: string, currency: string): MajorAmountResult {
  const digits = currencyDigits(currency);
  const typed = text.trim();
  // A separator only groups thousands: "12,50" and "1.250,00" are decimal commas, which read
  // as groupings would be 100 and 1,000 times off.
  const m = /^(\d{1,3}(?:[,\s_]\d{3})+|\d+)(?:\.(\d*))?$/.exec(typed);
  // One comma group and no decimal point ("1,250") is 1.25 where the comma is the decimal
  // separator: neither reading is taken (a filter silently 1,000 times off is worse than a question).
  if (m && m[2] === undefined && /^\d{1,3},\d{3}$/.test(m[1])) {
    return { ok: false, message: `"${typed}" is ambiguous: a comma is a decimal separator in many locales; write ${m[1].replace(',', '')} or ${m[1].replace(',', '.').replace(/\.?0+$/, '')}` };
  }
  if (!m) {
    const why = /[,\s_]/.test(typed) ? ': a comma or space only groups thousands (1,250,000 or 1 250); decimals take a point (12.50)' : ' (digits, optionally a decimal point: 12.50)';
    return { ok: false, message: `"${typed}" is not an amount${why}` };
  }
  const whole = m[1].replace(/[,\s_]/g, '');
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits) {
    return {
      ok: false,
      message: knownCurrencyDigits(currency) === null
        ? `${currency} is no currency whose minor unit is known: give the amount in minor units (a whole number)`
        : digits === 0 ? `${currency} has no minor unit: give a whole number` : `${currency} has ${digits} decimal${digits === 1 ? '' : 's'}: "${text.trim()}" has more`,
    };
  }
  const minor = Number(whole + fraction.padEnd(digits, '0'));
  if (!Number.isSafeInteger(minor)) return { ok: false, message: `"${text.trim()}" is too large` };
  return { ok: true, minor };
}

/** Minor units as a plain decimal string in major units, no grouping: EUR 1250 → "12.50", JPY 13367 → "13367". */
export function minorToMajorString(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const negative = minor < 0;
  // BigInt spells every digit: String() turns to exponent notation from 1e21 ("6.3e+21").
  const whole = Math.abs(Math.trunc(minor));
  const s = whole >= 1e21 && Number.isFinite(whole) ? BigInt(whole).toString() : String(whole);
  if (digits === 0) return `${negative ? '-' : ''}${s}`;
  const padded = s.padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}
