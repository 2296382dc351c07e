// Card numbers (PAN) in free text and in fields that hold one: how exports find and mask them.
// maskPans reads a text once, character by character, and looks for a card at each group of digits
// among the few groups after it: a hostile body (a megabyte of digit groups, separators, other
// scripts' digits) costs its length, with no regular expression, object or string made per group.

/**
 * What the scanner needs to know of a UTF-16 code unit, learned the first time it is met:
 * 0 not yet known, a digit of any script as DIGIT + its value, a separator (any space of Unicode's
 * Zs, "-" or "."), a letter (glues a run of digits to a word), a high surrogate (a digit of another
 * plane may follow), a separator of a list (WEAK_CLASS + its kind: a full-width colon, comma...),
 * anything else.
 */
const UNKNOWN = 0;
const OTHER = 1;
const SEPARATOR = 2;
const LETTER = 3;
const HIGH_SURROGATE = 4;
/** A dash of Unicode's Pd (en dash, non-breaking hyphen, full-width hyphen...) or the minus sign: a dash between groups. */
const DASH = 5;
/** A format character (Cf: zero-width space, soft hyphen, word joiner, byte order mark...): not drawn, so skipped. */
const IGNORABLE = 6;
const DIGIT = 10;
const WEAK_CLASS = 20;
const unitClasses = new Uint8Array(65_536);
/** Digits beyond the first plane (Osmanya, mathematical, Adlam...): a code point -> its value, -1 for none. */
const astralDigits = new Map<number, number>();

/**
 * A digit's value: Unicode encodes each script's digits as a contiguous 0-9 run, so it is the
 * distance from the start of its run, modulo 10.
 */
function digitValue(codePoint: number): number {
  let start = codePoint;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start -= 1;
  return (codePoint - start) % 10;
}

function classify(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdbff) return HIGH_SURROGATE;
  const ch = String.fromCharCode(unit);
  if (/\p{Nd}/u.test(ch)) return DIGIT + digitValue(unit);
  if (/[\p{Zs}.]/u.test(ch)) return SEPARATOR;
  if (/[\p{Pd}\u2212]/u.test(ch)) return DASH;
  if (/\p{Cf}/u.test(ch)) return IGNORABLE;
  // A compatibility form of an ASCII separator (full-width "．", "：", "｜"...) parts groups as it does.
  const ascii = ch.normalize('NFKC');
  if (ascii.length === 1 && ascii !== ch && ascii.charCodeAt(0) < 128) {
    const kind = byteKind(ascii.charCodeAt(0));
    if (kind === STRONG) return SEPARATOR;
    if (kind >= WEAK_KINDS) return WEAK_CLASS + kind - WEAK_KINDS;
  }
  // A lone low surrogate is no letter: the half of a letter of another plane does not glue.
  return /\p{L}/u.test(ch) ? LETTER : OTHER;
}

function unitClass(unit: number): number {
  let c = unitClasses[unit];
  if (c === UNKNOWN) {
    c = classify(unit);
    unitClasses[unit] = c;
  }
  return c;
}

/** The value of the digit of another plane at text[at] (a high surrogate), or -1. */
function astralDigitAt(text: string, at: number): number {
  const codePoint = text.codePointAt(at)!;
  if (codePoint < 0x10000) return -1;
  let value = astralDigits.get(codePoint);
  if (value === undefined) {
    value = /\p{Nd}/u.test(String.fromCodePoint(codePoint)) ? digitValue(codePoint) : -1;
    astralDigits.set(codePoint, value);
  }
  return value;
}

/** The ASCII digits of a text's decimal digits of any script (other characters dropped). */
export function asciiDigits(text: string): string {
  let out = '';
  for (let k = 0; k < text.length; k++) {
    const unit = text.charCodeAt(k);
    if (unit >= 48 && unit <= 57) {
      out += text[k];
      continue;
    }
    if (unit < 128) continue;
    const c = unitClass(unit);
    if (c >= DIGIT) out += String(c - DIGIT);
    else if (c === HIGH_SURROGATE) {
      const value = astralDigitAt(text, k);
      if (value >= 0) out += String(value);
    }
  }
  return out;
}

/**
 * Whether these digits (separators ignored) are 13-19 long, start as the card networks' numbers
 * do (2: Mastercard 2-series and Mir, 16+ long, 3: Amex, JCB, Diners, 14+, 4: Visa, 5: Mastercard and Maestro,
 * 6: Discover, UnionPay, Maestro) and pass the Luhn check. The first digit keeps epoch
 * milliseconds (17..., 18...) and other long numbers out: one in ten of them passes Luhn.
 */
export function isPan(text: string): boolean {
  return isPanDigits(/^[\p{Nd}\p{Zs}.-]*$/u.test(text) ? asciiDigits(text) : text);
}

/** isPan of ASCII digits. */
function isPanDigits(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  const values = new Uint8Array(digits.length);
  for (let k = 0; k < digits.length; k++) values[k] = digits.charCodeAt(k) - 48;
  return isPanAt(values, 0, digits.length);
}

/**
 * isPan of `length` digit values from `from`. 2-series (Mastercard, Mir) numbers have 16-19
 * digits, 3-series (Amex, Diners, JCB) 14-19: so epoch milliseconds (13 digits until 2286) from
 * 2033 on are none.
 */
function isPanAt(values: Uint8Array, from: number, length: number): boolean {
  const first = values[from];
  if (length > 19 || first < 2 || first > 6 || length < (first === 2 ? 16 : first === 3 ? 14 : 13)) return false;
  let sum = 0;
  for (let i = 0; i < length; i++) {
    let d = values[from + length - 1 - i];
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card number as exports show it: its first `keep` digits (at most 6), "*" for each digit but the last four, then those four. */
export function maskPan(text: string, keep = 2): string {
  const digits = asciiDigits(text);
  const head = Math.min(keep, 6);
  return `${digits.slice(0, head)}${'*'.repeat(Math.max(0, digits.length - head - 4))}${digits.slice(-4)}`;
}

/**
 * The value of a field that holds a card number: masked as maskPan does when it is 12-19 digits
 * (separators allowed; Luhn or not, a mistyped number is still one), else "***" (a token, a
 * number masked another way: nothing of it is known to be safe).
 */
export function maskCardNumber(text: string, keep = 2): string {
  const digits = /^[\p{Nd}\p{Zs}.-]+$/u.test(text) ? asciiDigits(text) : '';
  return digits.length >= 12 && digits.length <= 19 ? maskPan(digits, keep) : '***';
}

/**
 * The groups of the run of digit groups being read (maskPans), in arrays kept between calls and
 * grown as a longer run needs: where each group starts and ends in the text, where its digits
 * start in `digits`, how many it has, and the kind of the separator before it (STRONG, or the
 * weak kind it holds: WEAK_KINDS and up).
 */
let groupStart = new Int32Array(64);
let groupEnd = new Int32Array(64);
let groupDigitsAt = new Int32Array(64);
let groupLength = new Int32Array(64);
let groupKind = new Uint8Array(64);
let digits = new Uint8Array(256);

function growGroups(): void {
  const grown = <T extends Int32Array | Uint8Array>(a: T): T => {
    const b = new (a.constructor as new (n: number) => T)(a.length * 2);
    b.set(a);
    return b;
  };
  groupStart = grown(groupStart);
  groupEnd = grown(groupEnd);
  groupDigitsAt = grown(groupDigitsAt);
  groupLength = grown(groupLength);
  groupKind = grown(groupKind);
}

/** Back to the first sizes, after a body of one very long run: its megabytes are not kept for the process's life. */
function releaseRunArrays(): void {
  groupStart = new Int32Array(64);
  groupEnd = new Int32Array(64);
  groupDigitsAt = new Int32Array(64);
  groupLength = new Int32Array(64);
  groupKind = new Uint8Array(64);
  digits = new Uint8Array(256);
}

function growDigits(): void {
  const b = new Uint8Array(digits.length * 2);
  b.set(digits);
  digits = b;
}

/**
 * Kinds of separator between a card's groups. A space (any of Unicode's, a URL's "%20" or "+"), a
 * dash (any of Unicode's, the minus sign) and a dot part a card as it is printed (STRONG); the
 * others part the numbers of a row or a list too (a tab, a line break, a comma, a slash, a
 * semicolon, a colon, a pipe, a tilde, a star, an underscore: WEAK_KINDS and up), so cardsOfRun
 * takes a card apart by them only when its groups are the whole list and written as a card's
 * (4-4-4-4, 4-4-4-4-3, 4-6-5, 4-6-4). Between two groups, a separator is up to three of them in a
 * row ("4111 - 1111", "4111, 1111", "4111 | 1111"), at most one of them weak (so "4111,,1111", an
 * empty cell, and "4111 **** **** 1111" part no card), and a card's separators may differ
 * ("4111 1111-1111.1111", retyped by hand).
 */
const STRONG = 10;
const WEAK_KINDS = 100;
/** A code unit that is no digit and no separator: a letter (glues a run of digits to a word), or anything else. */
const LETTER_UNIT = -2;
const NOT_PART = -1;

/** What an ASCII character is between digit groups: STRONG, a weak kind, LETTER_UNIT or NOT_PART. */
function byteKind(byte: number): number {
  switch (byte) {
    case 32: case 43: case 45: case 46: return STRONG;
    case 9: return WEAK_KINDS;
    case 10: case 13: return WEAK_KINDS + 1;
    case 44: return WEAK_KINDS + 2;
    case 47: return WEAK_KINDS + 3;
    case 59: return WEAK_KINDS + 4;
    case 58: return WEAK_KINDS + 5;
    case 124: return WEAK_KINDS + 6;
    case 126: return WEAK_KINDS + 7;
    case 42: return WEAK_KINDS + 8;
    case 95: return WEAK_KINDS + 9;
    default: return (byte | 32) >= 97 && (byte | 32) <= 122 ? LETTER_UNIT : NOT_PART;
  }
}

/** The byte that two hex digits at text[at] write, or -1. */
function hexByteAt(text: string, at: number): number {
  const high = hexValue(text.charCodeAt(at));
  const low = high < 0 ? -1 : hexValue(text.charCodeAt(at + 1));
  return low < 0 ? -1 : high * 16 + low;
}

function hexValue(unit: number): number {
  if (unit >= 48 && unit <= 57) return unit - 48;
  const lower = unit | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** How many code units what asciiAt read takes. */
let asciiWidth = 1;

/**
 * What the ASCII code unit text[k] starts (sets asciiWidth): byteKind, a digit's value, or a line
 * break of two units ("\r\n"). Escaped once in a log line or a JSON text, a tab and a line break are
 * "\\t", "\\n" and "\\r\\n"; encoded in a URL, any character is "%" and two hex digits.
 */
function asciiAt(text: string, k: number, unit: number): number {
  asciiWidth = 1;
  switch (unit) {
    case 13:
      if (text.charCodeAt(k + 1) === 10) asciiWidth = 2;
      return WEAK_KINDS + 1;
    case 37: {
      // A URL's escape is one character, whatever its hex letters: "%34%31..." are digits, "%20"
      // a space, and the "D" of "card%3D4111..." glues no number to a word.
      const byte = hexByteAt(text, k + 1);
      if (byte < 0) return NOT_PART;
      asciiWidth = 3;
      if (byte >= 48 && byte <= 57) return byte - 48;
      if (byte === 13 && text.charCodeAt(k + 3) === 37 && hexByteAt(text, k + 4) === 10) asciiWidth = 6;
      return byteKind(byte);
    }
    case 92: {
      // A C, JavaScript or JSON escape of an ASCII character ("\x34", "\u0034": bytes a log line or
      // a producer's string quotes), written once or escaped again ("\\x34" in JSON text): the
      // character it encodes, as a URL's escape is.
      let at = k + 1;
      while (text.charCodeAt(at) === 92 && at < k + 4) at += 1;
      const letter = text.charCodeAt(at);
      if (letter === 120 || letter === 117) {
        const hexAt = letter === 120 ? at + 1 : text.charCodeAt(at + 1) === 48 && text.charCodeAt(at + 2) === 48 ? at + 3 : -1;
        const byte = hexAt < 0 ? -1 : hexByteAt(text, hexAt);
        if (byte < 0 || byte > 127) return NOT_PART;
        asciiWidth = hexAt + 2 - k;
        return byte >= 48 && byte <= 57 ? byte - 48 : byteKind(byte);
      }
      const next = text.charCodeAt(k + 1);
      if (next !== 116 && next !== 110 && next !== 114) return NOT_PART;
      asciiWidth = next === 114 && text.startsWith('\\n', k + 2) ? 4 : 2;
      return next === 116 ? WEAK_KINDS : WEAK_KINDS + 1;
    }
    default:
      return byteKind(unit);
  }
}

const DIGIT_TEXT = '0123456789';
/** maskPan of `length` digit values of `digits` from `from`. */
function maskedDigits(from: number, length: number, keep: number): string {
  const head = Math.min(keep, 6);
  let out = '';
  for (let d = 0; d < head; d++) out += DIGIT_TEXT[digits[from + d]];
  out += '*'.repeat(Math.max(0, length - head - 4));
  for (let d = length - 4; d < length; d++) out += DIGIT_TEXT[digits[from + d]];
  return out;
}

/** The cards found in a text (maskPans): text[from, to) becomes masked. */
interface Found {
  from: number[];
  to: number[];
  masked: string[];
}

/**
 * The cards of one run of `count` groups (indices in the group arrays): the groups that are written
 * as a card number is printed and pass isPan, the longest such from each group on. A card's
 * grouping: one run of 13-19 digits; groups of four, the last one 1-4 long ("4111 1111 1111 1111",
 * "6759 6498 2643 8453 123"); 4-6-4 (Diners) or 4-6-5 (Amex). Apart by a weak separator, its groups
 * are the whole list: the separators before its first group and after its last are none of its
 * weak kinds. Never a group glued to a letter (a hex or base32 id's digits). A candidate is at most
 * five groups of at most 19 digits, so each group is read a bounded number of times.
 *
 * A card inside a UUID (an event id) needs no check of its own: a UUID's groups are 8-4-4-4-12, so
 * the only card-like groups in one are its three middle groups of four (12 digits, too few); its
 * first and last groups are either longer or glued to one of its hex letters.
 */
function cardsOfRun(count: number, gluedBefore: boolean, gluedAfter: boolean, keep: number, found: Found): void {
  const last = count - 1;
  const glued = (i: number) => (i === 0 && gluedBefore) || (i === last && gluedAfter);
  /** Whether the separator before group g is one of the weak kinds in `weak` (a bit per kind). */
  const among = (g: number, weak: number) => groupKind[g] >= WEAK_KINDS && (weak & (1 << (groupKind[g] - WEAK_KINDS))) !== 0;
  for (let i = 0; i <= last; i++) {
    if (glued(i)) continue;
    let total = 0;
    let end = -1;
    let endLength = 0;
    let weak = 0;
    for (let j = i; j <= last && !glued(j); j++) {
      const n = groupLength[j];
      // Groups before the last of a card: four digits each, or 4-6 (Diners, Amex).
      if (j > i && !(groupLength[j - 1] === 4 || (j === i + 2 && groupLength[i] === 4 && groupLength[i + 1] === 6))) break;
      if (j > i && groupKind[j] >= WEAK_KINDS) weak |= 1 << (groupKind[j] - WEAK_KINDS);
      total += n;
      if (total > 19) break;
      const amex = j === i + 2 && groupLength[i + 1] === 6;
      const grouped = j === i || (amex ? n === 4 || n === 5 : n <= 4 && groupLength[i + 1] === 4);
      // Apart by a weak separator: the whole list, written as a card is.
      const whole = weak === 0 ||
        ((i === 0 || !among(i, weak)) && (j === last || !among(j + 1, weak)) && (amex || n === 4 || (n === 3 && total === 19)));
      if (grouped && whole && total >= 13 && isPanAt(digits, groupDigitsAt[i], total)) {
        end = j;
        endLength = total;
      }
    }
    if (end < 0) continue;
    found.from.push(groupStart[i]);
    found.to.push(groupEnd[end]);
    found.masked.push(maskedDigits(groupDigitsAt[i], endLength, keep));
    i = end;
  }
}

/**
 * What any card maskPans finds holds: written in ASCII, 13 digits or more, four of them in a row
 * (the first group), then no letter and at most three separators (six characters) between two;
 * else a URL's escape, a C-style one ("\x34", "\u0034"), an escaped tab or line break, or a character beyond ASCII (another
 * script's digit, a space or dash of Unicode, an invisible character). Most text has none, and
 * is returned after these three regular expressions (each a quick scan), not read by the scanner.
 */
const ASCII_CARD = /\d{4}(?:[^A-Za-z0-9]{0,6}\d){9}/;
const ESCAPE = /%[0-7][0-9A-Fa-f]|\\(?:[nrt]|x[0-7][0-9A-Fa-f]|u00[0-7][0-9A-Fa-f])/;
const BEYOND_ASCII = /[^\x00-\x7f]/;
const mayHoldCard = (text: string): boolean => ASCII_CARD.test(text) || BEYOND_ASCII.test(text) || ESCAPE.test(text);

/**
 * Text with every card number in it masked (maskPan): runs of digit groups, each group apart from
 * the next by a separator (a space of any kind: the no-break space of a number copied from a web
 * page or a PDF, thin and ideographic spaces, a URL's encoded "%20" or "+"; a dash; a dot; a
 * separator of a list, such as a comma, a colon or a pipe, in its ASCII or full-width form), digits
 * of any script ("４１１１..." typed on a Japanese keyboard, Arabic-Indic "٤١١١..."), are read in one
 * pass and the cards among their groups found by cardsOfRun.
 */
export function maskPans(text: string, keep = 2): string {
  const length = text.length;
  if (length < 13 || !mayHoldCard(text)) return text;
  const found: Found = { from: [], to: [], masked: [] };
  let groups = 0; // in the current run
  let digitCount = 0; // of the current run
  let inGroup = false;
  let separatorEnd = -1; // where a separator right after a group ends: the run goes on if a digit is there
  let separatorKind = STRONG; // STRONG, or the weak kind the separator holds
  let separatorLength = 0; // how many separators in a row it is
  let letterBefore = false; // whether the code unit before the current one is a letter
  let unitBefore = OTHER; // the class of the code unit before the current run
  const endRun = () => {
    if (groups > 0 && digitCount >= 13) {
      const after = groupEnd[groups - 1];
      cardsOfRun(groups, unitBefore === LETTER, after < length && unitClass(text.charCodeAt(after)) === LETTER, keep, found);
    }
    groups = 0;
    digitCount = 0;
  };
  for (let k = 0; k < length; k++) {
    const unit = text.charCodeAt(k);
    // A digit's value (0-9), STRONG, a weak kind, LETTER_UNIT or NOT_PART; `width` code units.
    let what: number;
    let width = 1;
    if (unit >= 48 && unit <= 57) what = unit - 48;
    else if (unit < 128) {
      what = asciiAt(text, k, unit);
      width = asciiWidth;
    } else {
      const c = unitClass(unit);
      if (c >= WEAK_CLASS) what = WEAK_KINDS + c - WEAK_CLASS;
      else if (c >= DIGIT) what = c - DIGIT;
      else if (c === IGNORABLE) {
        // Not drawn: the group, or the separator, goes on past it.
        if (separatorEnd === k) separatorEnd = k + 1;
        letterBefore = false;
        continue;
      } else if (c === DASH || c === SEPARATOR) what = STRONG;
      else if (c === HIGH_SURROGATE) {
        what = astralDigitAt(text, k);
        if (what >= 0) width = 2;
        else what = NOT_PART;
      } else what = c === LETTER ? LETTER_UNIT : NOT_PART;
    }
    if (what >= 0 && what <= 9) {
      if (!inGroup) {
        if (separatorEnd === k && groups > 0) groupKind[groups] = separatorKind;
        else {
          endRun();
          unitBefore = letterBefore ? LETTER : OTHER;
        }
        if (groups === groupStart.length) growGroups();
        groupStart[groups] = k;
        groupDigitsAt[groups] = digitCount;
        groupLength[groups] = 0;
        groups += 1;
        inGroup = true;
      }
      if (digitCount === digits.length) growDigits();
      digits[digitCount++] = what;
      groupLength[groups - 1] += 1;
      k += width - 1;
      groupEnd[groups - 1] = k + 1;
      continue;
    }
    if (what >= STRONG) {
      const weak = what >= WEAK_KINDS;
      if (inGroup) {
        separatorEnd = k + width;
        separatorKind = what;
        separatorLength = 1;
      } else if (separatorEnd === k && separatorLength < 3 && !(weak && separatorKind >= WEAK_KINDS)) {
        // One more separator in a row ("4111 - 1111", "4111, 1111"): the sequence is weak if one of them is.
        separatorEnd = k + width;
        if (weak) separatorKind = what;
        separatorLength += 1;
      }
    }
    letterBefore = what === LETTER_UNIT;
    k += width - 1;
    inGroup = false;
  }
  endRun();
  if (groupStart.length > 65_536 || digits.length > 262_144) releaseRunArrays();
  if (found.from.length === 0) return text;
  const parts: string[] = [];
  let done = 0;
  for (let c = 0; c < found.from.length; c++) {
    parts.push(text.slice(done, found.from[c]), found.masked[c]);
    done = found.to[c];
  }
  parts.push(text.slice(done));
  return parts.join('');
}
