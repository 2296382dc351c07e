// Masking for everything that leaves the console (HTML, PDF, CSV, JSON): on by default.
// Card BINs keep their first two digits ("42****"); customer ids, e-mails, phone numbers,
// IBANs and credentials (passwords, passphrases, secrets, tokens, API, private, access and
// signing keys, authorization headers, webhook URLs) and card data (CVV, also named
// securityCode or csc; PIN, PIN block, track data) become "***"; any other field named in the
// list is replaced by a keyed hash that is stable within one export (so groups still add up)
// and cannot be reversed or matched across exports.
//
// Producers put such values in fields of any name too ("contact", "note", "callback"): in every
// value and free text, an e-mail address ("alice [at] example [dot] com" too), the user and password of a URL, a secret query
// parameter (token=, key=, signature= ...) or name: value (access_token: ..., "client_secret": "..."), a Bearer or Basic credential, an Authorization
// header's credential in any scheme, the path of a
// webhook URL (the path is its secret: hooks.slack.com/services/...), a JSON Web Token
// (eyJ...eyJ...), a PEM private key block, a secret with a published prefix (whsec_..., sk_live_..., xoxb-..., AKIA..., AQE...;
// secretText.ts lists them) and a PagerDuty integration key (in its events URL, or named routing/service key)
// become "***".
// A phone number in free text, written internationally ("+44 20 7946 0958") or after a word that
// names one ("tel: 0049 30 1234567"), becomes "***" (phoneText.ts).
// An IBAN (ISO 13616, its check passed) keeps its last four characters (ibanText.ts).
// A CloudEvent's data_base64 is decoded, masked the same way and encoded again; so is a base64
// token in any value that decodes to text holding a card number, a hex one and a hex dump
// ("34 31 31 31 ...": encodedText.ts); C-style escapes ("\x34\x31...") are read as the characters
// they encode, as a URL's are (panText.ts).
//
// Card numbers (PAN) are masked wherever they appear, in any field, at any depth, in free text
// too (alert keys, summaries, notes) and in the keys of a map, whatever the field is called: a
// run of 13 to 19 digits written as cards print them (one run, groups of four or Amex's and Diners' 4-6-5 and 4-6-4,
// spaces of any kind, dashes or dots between groups, mixed too: "4111 1111 1111 1111", "4111-1111-...", "4111 1111-1111.1111",
// the no-break space of a copied number; a colon, pipe, comma... when the groups are the whole list; also among other numbers; digits of any script, full-width "４１１１..." too) that starts with a card
// network's digit (2-6) and passes the Luhn check, as a string or a JSON number, becomes its
// first digits and its last four with "*" for each digit between ("41**********1111"). It keeps the first two digits
// (what a masked card BIN keeps, "41****"; the first six only when the operator's list cannot
// mask cardBin, never more than the six and four PCI DSS allows for display) and drops the
// separators. A field that names a card number (pan, cardNumber; number in a card object) is
// masked so whether it passes Luhn or not, and a card object's bin as cardBin is; in an object
// whose name holds "card" run together (cardholderinfo) or inside a card object, by their form
// (cardContextOf). Off only with
// masking (--no-mask).
import { createHmac, randomBytes } from 'node:crypto';
import { maskPrivateKeys, maskSecretsInText } from '../secretText';
import { maskEncodedTokens } from './encodedText';
import { maskIbans } from './ibanText';
import { maskPhones } from './phoneText';
import { isPan, maskCardNumber, maskPan, maskPans } from './panText';

export { isPan, maskPan, maskPans } from './panText';

/**
 * A function of a field name, remembered: a body repeats the same few names at every level and in
 * every element of its arrays. Forgotten past 10,000 names, so a body of distinct names costs no
 * more memory than that.
 */
function remembered<T>(of: (name: string) => T): (name: string) => T {
  const known = new Map<string, T>();
  return (name) => {
    let value = known.get(name);
    if (value === undefined) {
      if (known.size >= 10_000) known.clear();
      value = of(name);
      known.set(name, value);
    }
    return value;
  };
}

/** The default list (field names, compared case-insensitively without "_" or "-"). */
export const DEFAULT_MASK_FIELDS = ['cardBin', 'customerId', 'customer', 'email', 'phone', 'iban'] as const;
/**
 * Any field whose name contains one of these is masked as "***": personal data, and credentials
 * that a producer's metadata may carry (a report is shared with merchants and schemes).
 */
const REDACT_PATTERNS = [
  'customer', 'email', 'phone', 'msisdn', 'iban', 'password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'privatekey', 'accesskey', 'signingkey',
  'authorization', 'credential', 'webhook', 'cookie', 'cvv', 'cvc', 'securitycode', 'pinblock', 'track1', 'track2', 'trackdata',
];
/**
 * Names of a PagerDuty integration key: masked as "***" when the value is one (32 letters and
 * digits), so an AMQP routing key ("payment.declined") under the same name stays.
 */
const INTEGRATION_KEY_FIELDS = new Set(['routingkey', 'servicekey', 'integrationkey']);
const INTEGRATION_KEY_FORM = /^[A-Za-z0-9]{32}$/;
/** Whether a member of an event's data is a PagerDuty integration key (not the CSV's routing_key column: the AMQP one). */
const isIntegrationKey = (name: string, value: unknown): boolean =>
  typeof value === 'string' && value.length === 32 && INTEGRATION_KEY_FORM.test(value) && INTEGRATION_KEY_FIELDS.has(normalizeField(name));
/**
 * Names masked as "***" only when they are the whole name ("pin", not "shipping" or "pinned"; a
 * phone number as "mobile" or "tel", not "automobile" or "hotel").
 */
const REDACT_EXACT = new Set(['pin', 'pincode', 'csc', 'mobile', 'mobileno', 'mobilenumber', 'tel', 'telno', 'telnumber']);
const redacts = (n: string) => REDACT_EXACT.has(n) || REDACT_PATTERNS.some((p) => n.includes(p));
/** Names of a whole card number (PAN) at any depth: masked as one, whatever the value passes. */
const CARD_NUMBER_FIELDS = new Set(['pan', 'cardnumber', 'primaryaccountnumber']);
/** Names that join "card" to another word with nothing between ("paymentcard", "carddetails"). */
const JOINED_CARD_NAMES = new Set(
  ['payment', 'credit', 'debit', 'prepaid', 'gift', 'bank', 'virtual', 'saved', 'stored', 'funding']
    .flatMap((w) => [`${w}card`, `${w}cards`])
    .concat(['carddetails', 'carddetail', 'carddata', 'cardinfo', 'cardinformation']),
);
/**
 * An object holding a card's fields: its number and bin are card data whatever they hold. Its
 * name says card as a word ("card", "cards", "paymentCard", "payment_card", "card_details",
 * "CreditCard"), or is one of the joined names above. A word that merely ends in "card"
 * (scorecard, discard, postcard, wildcard) is not one; any other name holding "card" is read by
 * cardContextOf.
 */
const isCardObject = remembered((name: string): boolean =>
  JOINED_CARD_NAMES.has(normalizeField(name)) ||
  name
    .split(/[^\p{L}\p{N}]+|(?<=[\p{Ll}\p{N}])(?=\p{Lu})/u)
    .some((word) => {
      const w = normalizeField(word);
      return w === 'card' || w === 'cards';
    }));

/**
 * How sure masking is that an object holds a card: "word" (isCardObject: its number and bin are
 * card data whatever they hold), "named" (its name holds "card" run together with other words in
 * one case, "cardholderinfo", "BILLINGCARD", or it lies inside a card object: its number and bin
 * are card data when they have a card's form, so a scorecard's number 7 stays) or null.
 */
type CardContext = 'word' | 'named' | null;
const cardContextOf = (name: string, outer: CardContext): CardContext =>
  isCardObject(name) ? 'word' : outer !== null || normalizeField(name).includes('card') ? 'named' : null;
/** A card number's digits (separators allowed), a BIN's, a security code's. */
const PAN_FORM = /^(?:\p{Nd}[\p{Zs}.-]?){11,18}\p{Nd}$/u;
const BIN_FORM = /^\p{Nd}{6,8}$/u;
const CODE_FORM = /^\p{Nd}{3,4}$/u;
/** Short names of a card's security code (CVN, Canada's CVD, Amex's CID): "***" in a card object when 3-4 digits. */
const CARD_CODE_FIELDS = new Set(['code', 'cvn', 'cvd', 'cid', 'cav2']);

export interface MaskOptions {
  /** false only when the operator explicitly asked (--no-mask). */
  enabled: boolean;
  /** Extra fields on top of the defaults. */
  extraFields?: readonly string[];
}

/** Cyrillic and Greek letters that read as Latin ones in a field name ("еmail" with a Cyrillic е). */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', ı: 'i',
};

/**
 * A field name as masking compares it: compatibility forms and accents folded ("ｅｍａｉｌ",
 * "émail"), Cyrillic and Greek look-alikes read as the Latin letters they look like, lower case,
 * letters and digits only.
 */
export const normalizeField = remembered((name: string): string =>
  (/^[\x00-\x7f]*$/.test(name) ? name : name.normalize('NFKD'))
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\x00-\x7f]/g, (c) => LOOK_ALIKES[c] ?? '')
    .replace(/[^a-z0-9]/g, ''));

export class Masker {
  readonly enabled: boolean;
  readonly fields: string[];
  private readonly exact: Set<string>;
  private readonly key = randomBytes(32);

  constructor(options: MaskOptions) {
    this.enabled = options.enabled;
    this.fields = options.enabled ? [...new Set([...DEFAULT_MASK_FIELDS, ...(options.extraFields ?? [])])] : [];
    this.exact = new Set(this.fields.map(normalizeField));
  }

  /** Whether a field of this name is masked. */
  masks(field: string): boolean {
    if (!this.enabled) return false;
    const n = normalizeField(field);
    return this.exact.has(n) || redacts(n) || CARD_NUMBER_FIELDS.has(n);
  }

  /**
   * How a field of an object holds card data: "bin" (masked as cardBin), "number" (a whole card
   * number) or "code" (a security code, "***"); null for any other. A short name (bin, iin,
   * number, code) is card data only in a card object (cardContextOf; EVENTS.md: cardBin is a BIN,
   * a PAN is never exported whole).
   */
  private cardField(card: CardContext, field: string, value: unknown): 'bin' | 'number' | 'code' | null {
    const n = normalizeField(field);
    if (CARD_NUMBER_FIELDS.has(n)) return 'number';
    if (card === null) return null;
    const text = String(value);
    if (CARD_CODE_FIELDS.has(n)) return CODE_FORM.test(text) ? 'code' : null;
    const strong = card === 'word';
    if (n === 'bin' || n === 'iin') return strong || BIN_FORM.test(text) ? 'bin' : null;
    return n === 'number' && (strong || PAN_FORM.test(text)) ? 'number' : null;
  }

  /** The masked form of one value (unchanged when the field is not masked, but for card numbers and credentials in it). */
  value<T>(field: string, value: T): T | string {
    if (!this.enabled || value === null || value === undefined) return value;
    if (!this.masks(field)) return this.scrub(value);
    const n = normalizeField(field);
    if (n === 'cardbin') return maskCardBin(String(value));
    if (CARD_NUMBER_FIELDS.has(n)) return maskCardNumber(String(value), this.panKeep());
    if (redacts(n)) return '***';
    return this.hash(String(value));
  }

  hash(value: string): string {
    return `#${createHmac('sha256', this.key).update(value).digest('hex').slice(0, 10)}`;
  }

  /**
   * A value with every card number in it masked (a string's runs of digits, a number that is
   * one), and a string's IBANs, e-mail addresses and credentials (maskCredentials) and phone
   * numbers (maskPhones).
   */
  scrub<T>(value: T): T | string {
    if (!this.enabled) return value;
    if (typeof value === 'string') return maskEncodedTokens(maskPhones(maskCredentials(maskPans(maskIbans(maskPrivateKeys(value)), this.panKeep()))), this.scrubText);
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1e12) {
      const text = String(value);
      // Past 2^53 a JSON number was rounded when it was read (6212345678901234569 is
      // 6212345678901235000): a card number's Luhn check no longer holds, so 17-19 digits that
      // start as a card network's do are masked unchecked.
      if (isPan(text) || (!Number.isSafeInteger(value) && /^[2-6]\d{16,18}$/.test(text))) return maskPan(text, this.panKeep());
    }
    return value;
  }

  /**
   * Free text of a report (alert keys, summaries, notes, comments): each value of `values` (a
   * masked field's value -> its masked form) replaced where it stands as a whole word, then IBANs,
   * card numbers, e-mail addresses and credentials.
   */
  text(text: string, values: ReadonlyMap<string, string>): string {
    if (!this.enabled) return text;
    let out = text;
    for (const [value, masked] of [...values].sort((a, b) => b[0].length - a[0].length)) {
      if (!value || value === masked || !out.includes(value)) continue;
      out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(value)}(?![A-Za-z0-9_])`, 'g'), () => masked);
    }
    return this.scrubText(out);
  }

  /** scrub of a string (free text, what a base64 token decodes to). */
  private readonly scrubText = (text: string): string => this.scrub(text) as string;

  /** Digits of a card number kept at its start: as many as a masked BIN keeps. */
  private panKeep(): number {
    return this.masks('cardBin') ? 2 : 6;
  }

  /** A deep copy of a JSON value with every masked field (at any depth) masked, and every card number and credential. */
  deep(value: unknown, field = '', outer: CardContext = null): unknown {
    if (!this.enabled) return value;
    if (Array.isArray(value)) return value.map((v) => this.deep(v, field, outer));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      const context = cardContextOf(field, outer);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const card = v !== null && typeof v !== 'object' ? this.cardField(context, k, v) : null;
        const masked =
          card === 'bin' ? maskCardBin(String(v)) : card === 'number' ? maskCardNumber(String(v), this.panKeep()) : card === 'code' ? '***'
          : isIntegrationKey(k, v) ? '***'
          : this.masks(k) && (v === null || typeof v !== 'object') ? this.value(k, v) : this.masks(k) ? '***' : this.deep(v, k, context === null ? null : 'named');
        // A key is data too (a map keyed by e-mail or card number): scrubbed, and kept apart
        // from a sibling that masks to the same text ("***", "*** (2)").
        let key = this.scrub(k) as string;
        if (key !== k) for (let i = 2; Object.hasOwn(out, key) || Object.hasOwn(value, key); i++) key = `${this.scrub(k) as string} (${i})`;
        out[key] = masked;
      }
      return out;
    }
    return this.scrub(value);
  }

  /**
   * A stored CloudEvent's JSON text, masked (the envelope keeps its attributes; data is masked).
   * A `subject` equal to a masked field of its data (the payment id, with --mask paymentId) is
   * masked as that field is; card numbers are masked everywhere.
   */
  cloudEvent(json: string): Record<string, unknown> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return { unparsable: true };
    }
    const out = this.deep(parsed) as Record<string, unknown>;
    if (this.enabled && parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const { subject, data, data_base64: base64 } = parsed as Record<string, unknown>;
      if (typeof base64 === 'string') out.data_base64 = this.base64(base64);
      const field = typeof subject === 'string' ? this.maskedFieldHolding(data, subject) : null;
      if (field !== null) out.subject = this.value(field, subject);
    }
    return out;
  }

  /**
   * Base64 data (a CloudEvent's data_base64) with what it carries masked: UTF-8 text as free text
   * (JSON deep, as data is), other bytes read as Latin-1 so that ASCII card numbers, e-mail
   * addresses and credentials among them are masked too; encoded again.
   */
  base64(encoded: string): string {
    if (!this.enabled) return encoded;
    const bytes = Buffer.from(encoded, 'base64');
    let text: string | null = null;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = null;
    }
    if (text === null) {
      const latin1 = bytes.toString('latin1');
      const masked = this.scrub(latin1) as string;
      return masked === latin1 ? encoded : Buffer.from(masked, 'latin1').toString('base64');
    }
    let masked: string;
    try {
      const value: unknown = JSON.parse(text);
      masked = JSON.stringify(this.deep(value));
      if (masked === JSON.stringify(value)) return encoded;
    } catch {
      masked = this.scrub(text) as string;
    }
    return masked === text ? encoded : Buffer.from(masked, 'utf8').toString('base64');
  }

  /** The name of a masked field (at any depth of `value`) whose value is `text`, or null. */
  maskedFieldHolding(value: unknown, text: string): string | null {
    if (!this.enabled || !value || typeof value !== 'object') return null;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== null && typeof v === 'object') {
        const inner = this.maskedFieldHolding(v, text);
        if (inner !== null) return inner;
      } else if (this.masks(k) && v !== null && v !== undefined && String(v) === text) return k;
    }
    return null;
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Bounded (RFC 5321 lengths) so that a long run of letters costs linear time. Letters and
 * digits of any script (RFC 6531 addresses: "josé@exämple.de", "иван@пример.рф"), and the
 * full-width "＠" and "．" that read as "@" and "."; an "@" encoded in a URL ("alice%40example.com").
 */
const EMAIL_DOMAIN = String.raw`(?:[\p{L}\p{M}\p{N}-]{1,63}[.\uFF0E]){1,8}[\p{L}\p{M}]{2,24}(?![\p{L}\p{M}])`;
const EMAIL = new RegExp(String.raw`[\p{L}\p{M}\p{N}._%+-]{1,64}[@\uFF20]${EMAIL_DOMAIN}`, 'gu');
/** The same with the "@" encoded too: only for a text holding "%40" (the alternative costs each character of a long text a little more). */
const EMAIL_ENCODED = new RegExp(String.raw`[\p{L}\p{M}\p{N}._%+-]{1,64}(?:[@\uFF20]|%40)${EMAIL_DOMAIN}`, 'gu');
/**
 * An address written so that a harvester misses it: its "@" as "[at]", "(at)", "{at}" or "<at>"
 * (any case, blanks inside and around), or as an "@" with blanks on both sides; its dots as they
 * are, or as "[dot]" (bracketed alike) or the word "dot" between blanks. Only with such an "at":
 * "alice at example dot com" is read as words, and "@alice" as a mention.
 */
const SPELLED_AT = String.raw`(?:[ \t]{0,3}[[({<][ \t]{0,3}at[ \t]{0,3}[\])}>][ \t]{0,3}|[ \t]{1,3}[@\uFF20][ \t]{1,3})`;
const SPELLED_DOT = String.raw`(?:[ \t]{0,3}[[({<][ \t]{0,3}dot[ \t]{0,3}[\])}>][ \t]{0,3}|[ \t]{1,3}dot[ \t]{1,3}|[.\uFF0E])`;
const EMAIL_SPELLED = new RegExp(
  String.raw`[\p{L}\p{M}\p{N}._%+-]{1,64}${SPELLED_AT}(?:[\p{L}\p{M}\p{N}-]{1,63}${SPELLED_DOT}){1,8}[\p{L}\p{M}]{2,24}(?![\p{L}\p{M}])`,
  'giu',
);
/**
 * A URL's userinfo up to its "@" ("amqp://guest@", "amqp://ops:***@": kept), else an e-mail
 * address. A scheme starts only where no scheme character precedes it, and the userinfo holds no
 * "/", "?", "#", "@" or blank, so each character is read a bounded number of times.
 */
const URL_USERINFO_OR_EMAIL = new RegExp(String.raw`(?<![a-zA-Z0-9+.-])([a-zA-Z][a-zA-Z0-9+.-]{0,31}:\/\/[^\s/?#@]*@)|${EMAIL.source}`, 'gu');

/**
 * Text with its e-mail addresses masked as "***", except the user of a URL's userinfo
 * ("amqp://guest@rabbit.example.com": a broker's login, not a person's address; its password is
 * redactSecrets's). For log lines and error messages (redact.ts), which quote broker URLs.
 */
export function maskEmailsBesideUrls(text: string): string {
  if (!text.includes('@') && !text.includes('\uFF20')) return text;
  return text.replace(URL_USERINFO_OR_EMAIL, (match, userinfo: string | undefined) => userinfo ?? '***');
}

/** What EMAIL_SPELLED needs, looked for first: most text has neither and is not read again. */
const SPELLED_AT_MARK = /[[({<][ \t]{0,3}at[ \t]{0,3}[\])}>]|[ \t][@\uFF20][ \t]/i;
/** A URL's user and password ("https://user:pass@host"). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi;

/**
 * Text with its e-mail addresses (plain, with an encoded "@" or spelled: EMAIL_SPELLED), URL
 * credentials, webhook URL paths and the secrets of maskSecretsInText masked as "***". Text without any of their marks is returned at once (a CSV
 * export calls this for every cell).
 */
export function maskCredentials(text: string): string {
  const url = text.includes('://');
  const encodedAt = text.includes('%40');
  const at = encodedAt || text.includes('@') || text.includes('\uFF20');
  let out = text;
  if (url) out = out.replace(URL_USERINFO, '$1***@');
  out = maskSecretsInText(out);
  if (at) out = out.replace(encodedAt ? EMAIL_ENCODED : EMAIL, '***');
  if (SPELLED_AT_MARK.test(out)) out = out.replace(EMAIL_SPELLED, '***');
  return out;
}

export function maskCardBin(bin: string): string {
  const digits = bin.replace(/\D/g, '');
  return `${digits.slice(0, 2)}****`;
}
