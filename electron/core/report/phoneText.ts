// Phone numbers in free text (a refund note, a producer's reason, an alert's comment): masked as
// "***", as exports mask a field named for one. A number is read as a phone number only when it
// says so: written internationally ("+44 20 7946 0958", "+1 (415) 555-0132", "+442079460958":
// a "+", a country code, 9-15 digits in all as E.164 allows) or right after a word that names one
// ("tel: 0049 30 1234567", "call 020 7946 0958", "mobile no. 0151 2345 6789": 7-15 digits). So
// amounts, times, dates, IP addresses, order numbers, BINs, decline codes and durations, which
// never start with a "+" and a country code nor follow such a word, stay; so do a signed amount
// ("+1,250.00", "+1234567.89"), a date with a sign ("+2026-12-07") and an IPv4 address after a cue.

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

/** Text with its phone numbers masked as "***" (the word that names one kept: "tel: ***"). */
export function maskPhones(text: string): string {
  if (text.length < 8 || !SEVEN_DIGITS.test(text)) return text;
  let out = text;
  if (PLUS_DIGIT.test(out)) out = out.replace(INTERNATIONAL, (number) => (checked(number, true) ? '***' : number));
  if (CUE_WORD.test(out)) out = out.replace(CUED, (whole, cue: string, number: string) => (checked(number, number.startsWith('+')) ? `${cue}***` : whole));
  return out;
}
