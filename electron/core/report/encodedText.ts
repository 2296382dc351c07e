// Text encoded inside a value (a base64 or hex token: a producer's encoded field, bytes quoted in
// a log line) that holds a card number: decoded, masked as the text around it is, encoded again in
// its own form. Any other token (an id, a hash, bytes that are no text) stays.
import { isUtf8 } from 'node:buffer';

/** What mayEncodeCardDigits looks for, anywhere in a text: most texts have none and are returned at once. */
const CARD_DIGITS_BASE64 = /[CILMNO][A-Za-z0-9+/_-]{3}[CILMNO][A-Za-z0-9+/_-]{3}[CILMNO][A-Za-z0-9+/_-]{3}[CILMNO]/;
/**
 * A base64 token as a whole word: 20 characters or more (15 bytes: a card number's 13-19 digits
 * take 20-28), of the standard or the URL-safe alphabet, padded or not. Its start is where no
 * such character is before it, so each character of a text is read a bounded number of times.
 */
const BASE64_TOKEN = /(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/=_-])/g;

/**
 * Whether base64 text may encode a card number's digits: each 4 characters encode 3 bytes, and
 * the first of them is the first byte's top 6 bits, "M", "N" or "O" for an ASCII digit ("C" for
 * a tab or line break, "I" a space, "L" a dash, dot, comma or slash). A card's 13-19 digits
 * (separators between its groups or not) hold 4 whole groups of 3 bytes or more, so 4 such
 * characters in a row at the group starts; ids, hashes and UUIDs seldom have them, and are not
 * decoded.
 */
function mayEncodeCardDigits(body: string): boolean {
  let run = 0;
  for (let k = 0; k < body.length; k += 4) {
    const c = body.charCodeAt(k);
    if (c === 77 || c === 78 || c === 79 || c === 67 || c === 73 || c === 76) {
      if (++run === 4) return true;
    } else run = 0;
  }
  return false;
}

/**
 * A token's decoded bytes as `mask` leaves them, when they are UTF-8 text it changes; null when
 * they are no text or hold nothing to mask (the token then stays as it is). Checked, not decoded
 * with { fatal: true }: most tokens are ids and hashes, no text, and an exception for each costs
 * more than the export's other masking of the value.
 */
function maskedText(bytes: Buffer, mask: (decoded: string) => string): string | null {
  if (!isUtf8(bytes)) return null;
  const decoded = bytes.toString('utf8');
  const masked = mask(decoded);
  return masked === decoded ? null : masked;
}

/**
 * Text with each base64 token that decodes to UTF-8 text holding a card number ("NDExMTEx..." for
 * "4111111111111111", alone or in JSON or a note) decoded, masked by `mask` (so are the e-mail
 * addresses and credentials beside it) and encoded again in its own alphabet and padding, as a
 * CloudEvent's data_base64 is.
 * Any other token (an id, a hash, bytes that are no text) stays. What a token decodes to is 3/4
 * of its length, so masking what it holds, tokens in it too, costs the text's length overall.
 */
function maskBase64Tokens(text: string, mask: (decoded: string) => string): string {
  if (text.length < 20 || !CARD_DIGITS_BASE64.test(text)) return text;
  return text.replace(BASE64_TOKEN, (token) => {
    const urlSafe = /[-_]/.test(token);
    const body = token.endsWith('=') ? token.replace(/=+$/, '') : token;
    if ((urlSafe && /[+/]/.test(body)) || body.length % 4 === 1 || !mayEncodeCardDigits(body)) return token;
    const masked = maskedText(Buffer.from(body, urlSafe ? 'base64url' : 'base64'), mask);
    if (masked === null) return token;
    const encoded = Buffer.from(masked, 'utf8').toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
    return body.length === token.length ? encoded : encoded.padEnd(Math.ceil(encoded.length / 4) * 4, '=');
  });
}

/** Four ASCII digits hex-encoded in a row ("34313131"), as each group of a card's digits is: a text without them holds no such card. */
const HEX_DIGITS_RUN = /3\d3\d3\d3\d/;
/** A hex token as a whole word (after a "0x" too): 13 bytes or more (a card's 13-19 digits), of one case. */
const HEX_TOKEN = /(?<=^|[^0-9A-Za-z]|0x)(?:(?:[0-9a-f]{2}){13,}|(?:[0-9A-F]{2}){13,})(?![0-9A-Za-z])/g;

/**
 * Text with each hex token that decodes to UTF-8 text holding a card number ("34313131..." for
 * "4111...", the ASCII digits of a card hex-encoded, a space "20" or dash "2d" between groups)
 * decoded, masked by `mask` and encoded again in its case.
 */
function maskHexTokens(text: string, mask: (decoded: string) => string): string {
  if (text.length < 26 || !HEX_DIGITS_RUN.test(text)) return text;
  return text.replace(HEX_TOKEN, (token) => {
    if (!HEX_DIGITS_RUN.test(token)) return token;
    const masked = maskedText(Buffer.from(token, 'hex'), mask);
    if (masked === null) return token;
    const encoded = Buffer.from(masked, 'utf8').toString('hex');
    return /[A-F]/.test(token) ? encoded.toUpperCase() : encoded;
  });
}

/** Four ASCII digits hex-encoded as a dump writes bytes ("34 31 31 31", "34:31:31:31"): a dump without them holds no card. */
const DUMP_DIGITS_RUN = /3\d(?: {1,2}|[:-])3\d(?: {1,2}|[:-])3\d(?: {1,2}|[:-])3\d/;
/**
 * A hex dump as a whole word: 13 bytes or more (a card's 13-19 digits), each two hex digits of one
 * case, apart by one kind of separator throughout: spaces (two between halves of a line, as
 * `hexdump -C` writes them), colons or dashes. Its start is where no hex digit or separator of a
 * dump is before it (an offset column before it is part of no dump), so each character is read a
 * bounded number of times.
 */
const HEX_DUMP = new RegExp(
  String.raw`(?<![0-9A-Za-z:-])(?:` +
    ['[0-9a-f]', '[0-9A-F]'].flatMap((hex) => [' {1,2}', ':', '-'].map((separator) => String.raw`(?:${hex}{2}${separator}){12,}${hex}{2}`)).join('|') +
    String.raw`)(?![0-9A-Za-z])`,
  'g',
);

/**
 * Text with each hex dump that decodes to UTF-8 text holding a card number ("34 31 31 31 ...",
 * "34:31:31:31:...": a producer's or a log line's dump of the bytes) decoded, masked by `mask` and
 * written again as a dump in its case, its bytes apart by its separator (one space for spaces).
 */
function maskHexDumps(text: string, mask: (decoded: string) => string): string {
  if (text.length < 38 || !DUMP_DIGITS_RUN.test(text)) return text;
  return text.replace(HEX_DUMP, (dump: string) => {
    if (!DUMP_DIGITS_RUN.test(dump)) return dump;
    const separator = dump[2];
    const masked = maskedText(Buffer.from(dump.replace(/[ :-]/g, ''), 'hex'), mask);
    if (masked === null) return dump;
    const hex = Buffer.from(masked, 'utf8').toString('hex').match(/../g)!.join(separator);
    return /[A-F]/.test(dump) ? hex.toUpperCase() : hex;
  });
}

/** Text with its base64 and hex tokens, and its hex dumps, that hold a card number masked by `mask` (what the rest of the text is masked by). */
export function maskEncodedTokens(text: string, mask: (decoded: string) => string): string {
  return maskBase64Tokens(maskHexTokens(maskHexDumps(text, mask), mask), mask);
}
