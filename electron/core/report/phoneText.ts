// Phone numbers in free text (a refund note, a producer's reason, an alert's comment): masked as
// "***", as exports mask a field named for one. A number is read as a phone number only when it
// says so: written internationally ("+44 20 7946 0958", "+1 (415) 555-0132", "+442079460958":
// a "+", a country code, 9-15 digits in all as E.164 allows) or right after a word that names one
// ("tel: 0049 30 1234567", "call 020 7946 0958", "mobile no. 0151 2345 6789": 7-15 digits). So
// amounts, times, dates, IP addresses, order numbers, BINs, decline codes and durations, which
// never start with a "+" and a country code nor follow such a word, stay; so do a signed amount
// ("+1,250.00", "+1234567.89"), a date with a sign ("+2026-12-07") and an IPv4 address after a cue.
// Without a "+" or a cue word, only the national forms that nothing else is written as (NATIONAL):
// a North American number in its own shape ("(415) 555-0132", "415-555-0132", "415.555.0132") and
// a number with its trunk prefix "0" in three or more groups apart by one kind of separator ("020
// 7946 0958", "06 12 34 56 78", "0151-2345-6789": 9 to 12 digits). A run of digits alone
// ("02079460958"), two groups ("030 1234567", "07700 900123": a zero-padded id and a count side by
// side read so), a number beside other numbers ("1 020 7946 0958", "020 7946 0958 2") and anything
// that reads as a date ("07 12 2026 10 30") or an address stay: precision before recall.

/**
 * A candidate: a "+" or "(" or digit, then digits with single separators between them (a space,
 * a no-break space, a dash, a dot, a slash) and at most one parenthesised area code; bounded, so
 * each candidate is read once. checked() decides.
 */
const NUMBER = String.raw`(?:\+|\(\d{1,5}\)[ \u00a0./-]?)?\d(?:[ \u00a0./-]?(?:\(\d{1,5}\)[ \u00a0./-]?)?\d){4,24}`;
/** An international number: "+" and a country code (never 0), not inside a word or after another number's sign. */
const INTERNATIONAL = new RegExp(String.raw`(?<![\p{L}\p{N}_+\-./])(?=\+[1-9])${NUMBER}(?![\p{L}\p{N}_]|[.,/-]\p{N})`, 'gu');
/**
 * Words that name a phone number, then what may stand between the word and the number: a colon,
 * "=", "#", "no.", "number", "nr.", "on", "at", "to" and blanks. "call" and "dial" as verbs ("call
 * 020 7946 0958"). Whole words in any case ("Tel.:", "PHONE", "whatsapp").
 */
const CUE = String.raw`(?<![\p{L}\p{N}_])((?:tel(?:ephone)?|phone|ph|mobile|mob|cell(?:phone)?|fax|sms|whats[ -]?app|msisdn|call(?:ed|ing)?|dial(?:led|ing)?|ring)\.?(?:[ \t]*(?:no\.?|number|nr\.?|num\.?|on|at|to)\b\.?)?[ \t]*[:=#]?[ \t]*)`;
const CUED = new RegExp(`${CUE}(${NUMBER})(?![\\p{L}\\p{N}_]|[.,/-]\\p{N})`, 'giu');
/**
 * A national number: North American ("(415) 555-0132"; "415-555-0132" or with dots, area code and
 * exchange from 2, as NANP numbers them; with blanks only after a parenthesised area code, since
 * counts side by side read "415 555 1320"), or a trunk "0" then 1-4 digits and 2-4 more groups of
 * 2-8 digits, all apart by the same separator (a blank, a no-break space, a dot or a dash). Not
 * inside a word or a number, nor beside another number (a digit and a blank before it, a separator
 * and a digit after it): a row of values is no phone number. Each candidate is bounded.
 */
const NATIONAL = new RegExp(
  String.raw`(?<![\p{L}\p{N}_+\-./:,#]|\p{N}[ \u00a0])(?:\([2-9]\d\d\)[ \u00a0]?[2-9]\d\d[-. \u00a0]\d{4}|[2-9]\d\d([-.])[2-9]\d\d\1\d{4}|0[1-9]\d{0,3}([ \u00a0.-])\d{2,8}(?:\2\d{2,8}){1,3})(?![\p{L}\p{N}_]|[ \u00a0.,/:-]\p{N})`,
  'gu',
);
/**
 * What NATIONAL needs after SEVEN_DIGITS, cheaper than NATIONAL: "(" and a digit, a trunk "0" and a
 * digit where NATIONAL may start (so an ISO time's "-02" or ":07" is not one), or a NANP shape.
 * An export's timestamps, ids and amounts hold none and are not read again.
 */
const NATIONAL_MARK = /\(\d|(?:^|[^\d+\-./:,#_\p{L}])0[1-9]|[2-9]\d\d[-.][2-9]\d\d[-.]\d{4}/u;
/** A date written with blanks ("07 12 2026", "2026 12 07"), to set beside DATE_OR_ADDRESS. */
const SPACED_DATE = /(?:0?[1-9]|[12]\d|3[01])[ \u00a0](?:0?[1-9]|1[0-2])[ \u00a0](?:19|20)\d\d|(?:19|20)\d\d[ \u00a0](?:0?[1-9]|1[0-2])[ \u00a0](?:0?[1-9]|[12]\d|3[01])/;
/** An IPv4 address written with leading zeros ("010.001.002.003"): four dot-apart groups of at most three digits. */
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Pairs of digits ("06 12 34 56 78"), which a hex dump is written in too. */
const PAIRS = /^\d\d(?:[ \u00a0.-]\d\d)+$/;
/** A hex dump's byte before a candidate ("9f 01 00 00 00 00"), or two after it ("01 00 00 00 00 a0 1b"). */
const HEX_BYTE_BEFORE = /(?:^|[^\p{L}\p{N}])[0-9a-f]{2}[ \u00a0.:-]$/iu;
const HEX_BYTES_AFTER = /^[ \u00a0.:-][0-9a-f]{2}[ \u00a0.:-][0-9a-f]{2}(?![\p{L}\p{N}])/iu;

/**
 * Whether a national candidate (at `at` in `text`) reads as a phone number: 9-12 digits (a NANP
 * one has 10), no date, no address, and, written in pairs, no part of a hex dump around it.
 */
function checkedNational(number: string, at: number, text: string): boolean {
  const digits = number.replace(/\D/g, '').length;
  if (digits < 9 || digits > 12 || SPACED_DATE.test(number) || DOTTED_QUAD.test(number) || !checked(number, false)) return false;
  if (!PAIRS.test(number)) return true;
  const end = at + number.length;
  return !HEX_BYTE_BEFORE.test(text.slice(Math.max(0, at - 4), at)) && !HEX_BYTES_AFTER.test(text.slice(end, end + 7));
}

/**
 * What the patterns need, looked for first (an export masks every cell, most of them no phone):
 * seven digits with at most three other characters between two, then a "+" and a digit, or a cue word.
 */
const SEVEN_DIGITS = /\d(?:\D{0,3}\d){6}/;
const PLUS_DIGIT = /\+[1-9]/;
const CUE_WORD = /tel|phone|ph|mob|cell|fax|sms|whats|msisdn|call|dial|ring/i;

/** A date ("2026-12-07", "07/12/2026", "2026.12.07") or an IPv4 address: never a phone number. */
const DATE_OR_ADDRESS =
  /(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-./](?:0?[1-9]|1[0-2])[-./](?:19|20)\d\d|^\d{1,3}(?:\.\d{1,3}){3}$/;

/** Whether a candidate reads as a phone number: its digits, its separators, no date or address, no decimal amount. */
function checked(number: string, international: boolean): boolean {
  const digits = number.replace(/\D/g, '').length;
  if (digits < (international ? 9 : 7) || digits > 15) return false;
  if (DATE_OR_ADDRESS.test(number)) return false;
  // A decimal amount ("+1234567.89", "+199.89 0.00"): a word of it that is digits, one dot, one or two digits.
  if (number.split(/[ \u00a0]/).some((word) => /^\+?\d+\.\d{1,2}$/.test(word))) return false;
  // Thousands apart by dots or commas ("+1.250.000.000"): groups of three after the first.
  if (/^\+?\d{1,3}(?:\.\d{3}){2,}$/.test(number)) return false;
  return true;
}

/** Text with its phone numbers masked as "***" (the word that names one kept: "tel: ***"): international, cued, then national. */
export function maskPhones(text: string): string {
  if (text.length < 8 || !SEVEN_DIGITS.test(text)) return text;
  let out = text;
  if (PLUS_DIGIT.test(out)) out = out.replace(INTERNATIONAL, (number) => (checked(number, true) ? '***' : number));
  if (CUE_WORD.test(out)) out = out.replace(CUED, (whole, cue: string, number: string) => (checked(number, number.startsWith('+')) ? `${cue}***` : whole));
  if (NATIONAL_MARK.test(out)) out = out.replace(NATIONAL, (number: string, _sep1, _sep2, at: number, text: string) => (checkedNational(number, at, text) ? '***' : number));
  return out;
}
