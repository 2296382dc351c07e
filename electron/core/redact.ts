import { maskEncodedTokens } from './report/encodedText';
import { maskIbans } from './report/ibanText';
import { maskEmailsBesideUrls } from './report/masking';
import { maskPans } from './report/panText';
import { maskPhones } from './report/phoneText';
import { maskPrivateKeys, maskSecretsInText } from './secretText';

/**
 * Removes credentials from a broker URL (and from any text that quotes one), so that
 * logs, errors and the UI never show a password.
 */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    // 'amqp:/user:pw@host' parses, as a path without a host: read it as the typo it is.
    if (!u.host) throw new TypeError('no host');
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    // Not a URL (a typo such as 'amqp//user:pw@host'): whatever precedes an '@' may be a
    // password, with or without a user before it.
    // (A value, not free text: a password may hold spaces here. Each run starts after a '/' or
    // an '@', so a long value without one is read once.)
    return redactSecrets(url).replace(/(?<![^/@])[^/@]+@/g, (m) => (m.endsWith(':***@') ? m : '***@'));
  }
}

/**
 * `scheme://user:password@` in free text. The password is hidden to the end of the userinfo:
 * - up to its first `@`, without whitespace, and not into a further `://` (another URL);
 * - or, typed with raw spaces or tabs (a log line quoting what the operator typed), up to its
 *   first `@` on the same line, within 256 characters and before any `/`, `?` or `#` (where
 *   an authority ends), so a URL without a password is not read far into the text after it;
 * - then every further `...@` before the host's `/`, `?` or `#`: a password may hold a literal
 *   @ (URL parsers end it at the authority's last @).
 * A scheme starts only where no scheme character precedes it, so each character of a line is
 * read a bounded number of times (a long hostile line costs its length, not its square).
 */
const URL_USERINFO =
  /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,31}:\/\/[^:/@\s]*):(?:(?:(?!:\/\/)[^@\s])*|[^@\r\n/?#]{1,256})@(?:[^@\s/?#]*@)*/gi;

/**
 * Card numbers and IBANs as exports mask them (panText, ibanText), written plainly or encoded
 * (a URL's escapes, hex, base64): a log line quotes what producers sent (an alert's merchant, an
 * error's input).
 */
const maskAccountNumbers = (text: string): string => maskEncodedTokens(maskPans(maskIbans(text)), maskAccountNumbers);

/**
 * Replaces `user:password@` in any URL-looking text (error messages quote URLs verbatim), card
 * numbers and IBANs (maskAccountNumbers), the tokens and keys exports mask (maskSecretsInText:
 * Authorization credentials, secret name=value and name: value pairs, Bearer tokens, JWTs,
 * published-prefix keys, private key blocks), and e-mail addresses and phone numbers as exports
 * mask them in free text (a log line quotes a producer's reason, an alert's merchant, an error's
 * input). The user before a URL's host ("amqp://guest@rabbit.example.com") is no e-mail address:
 * it stays, as the broker's login an operator needs to read (maskEmailsBesideUrls).
 */
export function redactSecrets(text: string): string {
  return maskPhones(maskEmailsBesideUrls(maskSecretsInText(maskAccountNumbers(maskPrivateKeys(text.replace(URL_USERINFO, '$1:***@'))))));
}

/** `err` as text: an Error's message (its stack when asked), anything else as String gives it; never throws. */
export function errorText(err: unknown, withStack = false): string {
  try {
    if (err instanceof Error) return (withStack ? err.stack : undefined) ?? err.message;
    return String(err);
  } catch {
    // An object without a usable toString (Object.create(null)), a getter that throws.
    return 'an error that cannot be written as text';
  }
}

/** An Error whose message is safe to print: credentials stripped, no stack for operators. */
export function safeErrorMessage(err: unknown): string {
  return redactSecrets(errorText(err));
}
