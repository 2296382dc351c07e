// IBANs in free text (a refund note, a producer's reason): masked as exports show an account
// number, all but its last four characters. ISO 13616: a country code, two check digits and
// the country's BBAN, upper case, written electronically or in groups of four; only a run that
// passes the ISO 7064 mod 97-10 check, at its country's length, is one (so ids, times and
// amounts never are). Typed in lower or mixed case (a form that does not upper-case it), it is
// read as upper case; then only a country of the registry, at its length, counts (a lower-case
// id of another two letters is none).

/** The IBAN length of each country of the SWIFT IBAN registry (others: ISO 13616's 15-34). */
const IBAN_LENGTHS: ReadonlyMap<string, number> = new Map(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 FR27 ' +
    'GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 ' +
    'MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 ' +
    'TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  ).split(' ').map((e) => [e.slice(0, 2), Number(e.slice(2))]),
);

/**
 * A candidate: country code and check digits, then the BBAN electronically (11-30 letters and
 * digits) or in groups of four apart by one space (of any kind) or dash, the last of 1-4; not part of a longer word.
 * Bounded, so each character of a text is read a bounded number of times.
 */
const IBAN_RUN = /(?<![\p{L}\p{N}_])[A-Za-z]{2}\d{2}(?:[A-Za-z0-9]{11,30}|(?:[\p{Zs}-][A-Za-z0-9]{4}){2,8}(?:[\p{Zs}-][A-Za-z0-9]{1,4})?)(?![\p{L}\p{N}_])/gu;
/** Between groups: a space of any kind (the no-break space of one copied from a web page or a PDF) or a dash. */
const GROUP_SEPARATOR = /[\p{Zs}-]/gu;
const IBAN_START = /[A-Za-z]{2}\d{2}/;

/** Whether an IBAN (electronic form, upper case) has its country's length and passes ISO 7064 mod 97-10. */
export function isIban(iban: string): boolean {
  const length = IBAN_LENGTHS.get(iban.slice(0, 2));
  if (length ? iban.length !== length : iban.length < 15 || iban.length > 34) return false;
  const check = Number(iban.slice(2, 4));
  if (check < 2 || check > 98) return false;
  let rest = 0;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    rest = c >= 65 ? (rest * 100 + c - 55) % 97 : (rest * 10 + c - 48) % 97;
  }
  return rest === 1;
}

const maskedIban = (iban: string) => `${'*'.repeat(iban.length - 4)}${iban.slice(-4)}`;

/** One candidate, masked when it is an IBAN: whole, or its first groups when a word written after it was read as one more group ("BE68 5390 0754 7034 EUR"). */
function maskIbanRun(run: string): string {
  const compact = run.replace(GROUP_SEPARATOR, '');
  const upper = compact.toUpperCase();
  const length = IBAN_LENGTHS.get(upper.slice(0, 2));
  // Not upper case: only a registry country's IBAN.
  if (upper !== compact && !length) return run;
  if (isIban(upper)) return maskedIban(compact);
  if (!length || length % 4 !== 0 || compact.length <= length) return run;
  const end = length + length / 4 - 1;
  return /^[\p{Zs}-]$/u.test(run[end]) && isIban(upper.slice(0, length)) ? `${maskedIban(compact.slice(0, length))}${run.slice(end)}` : run;
}

/** Text with every IBAN in it masked: "*" for each character but the last four, the spaces between groups dropped. */
export function maskIbans(text: string): string {
  if (text.length < 15 || !IBAN_START.test(text)) return text;
  return text.replace(IBAN_RUN, maskIbanRun);
}
