import { z } from 'zod';
import { canonicalUtcMs, daysInMonth } from './canonicalTime';

// CloudEvents 1.0 attribute forms, strictly as the specification words them.
// RFC 3339 date-time with seconds; the offset hour and minute are range-checked below.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;
// RFC 2046 media type: type "/" subtype *(";" parameter), tokens per RFC 2045, a parameter
// value a token or a quoted-string, in which a backslash quotes the next character (RFC 822).
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED_STRING = '"(?:[^"\\\\]|\\\\.)*"';
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|${QUOTED_STRING}))*\\s*$`);

/**
 * An RFC 3339 date-time as epoch ms, or null when it is not one (or not a real instant: an
 * impossible calendar date such as 2026-02-30 is refused, never rolled over to March).
 */
export function parseRfc3339(value: string): number | null {
  return canonicalUtcMs(value) ?? parseRfc3339General(value);
}

// The shapes describeTimeProblem tells apart when a time is not RFC 3339 (failure path only).
const WITHOUT_SECONDS = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}([Zz]|[+-]\d{2}:\d{2})?$/;
const UP_TO_SECONDS = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?/;
const FORM = 'must be an RFC 3339 timestamp with seconds';

/**
 * Why `value`, which parseRfc3339 refused, is not a time, for a quarantine reason after
 * "time: ": which field is out of range, or which part of the form is missing or wrong. Only
 * called for a refused value, so it may take its time.
 */
export function describeTimeProblem(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 64)}...` : value;
  const m = RFC3339.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, sec, , , sign, oh, om] = m;
    if (+mo < 1 || +mo > 12) return `${shown} has month ${mo} (01-12)`;
    if (+d < 1 || +d > daysInMonth(+y, +mo)) return `${y}-${mo}-${d} is not a calendar date`;
    if (+h > 23) return `${shown} has hour ${h} (00-23)`;
    if (+mi > 59) return `${shown} has minute ${mi} (00-59)`;
    if (+sec > 60) return `${shown} has second ${sec} (00-59, 60 for a leap second)`;
    if (oh !== undefined && (+oh > 23 || +om > 59)) return `the offset ${sign}${oh}:${om} is out of range (hours 00-23, minutes 00-59)`;
    if (+sec === 60) return `${shown} has second 60, which only the last minute of a UTC day can have (a leap second)`;
    return FORM;
  }
  if (WITHOUT_SECONDS.test(value)) return `${FORM} (${shown} has no seconds)`;
  const head = UP_TO_SECONDS.exec(value);
  if (head) {
    const rest = value.slice(head[0].length);
    if (rest === '') return `${FORM} (${shown} has no offset: Z or +HH:MM / -HH:MM)`;
    return `${FORM} (${shown} ends in ${JSON.stringify(rest.slice(0, 16))}, not Z or an offset +HH:MM / -HH:MM)`;
  }
  return FORM;
}

/** Any RFC 3339 date-time with seconds (exported for the test that the fast path agrees with it). */
export function parseRfc3339General(value: string): number | null {
  const m = RFC3339.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, , , , oh, om] = m;
  if (+mo < 1 || +mo > 12 || +d < 1 || +d > 31 || +h > 23 || +mi > 59 || +s > 60) return null;
  if (oh !== undefined && (+oh > 23 || +om > 59)) return null;
  // Date.parse rolls an impossible day over (2025-02-29 to March 1): the date as written must exist.
  if (+d > daysInMonth(+y, +mo)) return null;
  const text = value.replace(/\.(\d{3})\d+/, '.$1');
  if (+s === 60) return leapSecondMs(text);
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

const DAY_MS = 86_400_000;

/**
 * A leap second (RFC 3339 5.7: 23:59:60 UTC, written in any offset), which Date cannot hold, as
 * the last second of its minute (as Java's Instant.parse reads it): it stays on its day, before
 * the next second. Null for a second 60 anywhere but the last minute of a UTC day.
 */
function leapSecondMs(text: string): number | null {
  const ms = Date.parse(text.replace(/:60(?=[.Zz+-])/, ':59'));
  if (!Number.isFinite(ms)) return null;
  return (((ms % DAY_MS) + DAY_MS) % DAY_MS) >= DAY_MS - 1000 ? ms : null;
}

const nonEmpty = z.string().min(1, 'must be a non-empty string');
const optionalNonEmpty = nonEmpty.nullish();

// `time` is only type-checked here; its RFC 3339 form is checked once, by parseRfc3339, in
// normalizeCloudEvent, which needs the parsed value anyway.
export const timeAttribute = z.string();

export const envelopeSchema = z.object({
  specversion: z.literal('1.0', { error: 'must be "1.0"' }),
  id: nonEmpty,
  source: nonEmpty,
  type: nonEmpty,
  time: timeAttribute.nullish(),
  subject: optionalNonEmpty,
  dataschema: optionalNonEmpty,
  datacontenttype: z
    .string()
    .regex(MEDIA_TYPE, 'must be an RFC 2046 media type')
    .nullish(),
  data_base64: z.string().nullish(),
});

export type Envelope = z.infer<typeof envelopeSchema> & { data?: unknown };

/** Text all of whose characters are printable ASCII (U+0020-U+007E): a CloudEvents String. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Whether `value` is printable ASCII only (disallowedCharacter's first test: then it allows it). */
export function isPrintableAscii(value: string): boolean {
  return PRINTABLE_ASCII.test(value);
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Why `value` is not a CloudEvents String (core spec, Type System: a sequence of allowable Unicode
 * characters, excluding the control characters U+0000-U+001F and U+007F-U+009F, noncharacters and
 * surrogates not used in a proper pair), naming the first such code point and its UTF-16 offset;
 * null when it is one. For context attributes only: `data` is the producer's, not a String.
 */
export function disallowedCharacter(value: string): string | null {
  // Nearly every attribute is printable ASCII, which a regular expression tells at a few
  // instructions a character (the loop below costs several times that).
  if (isPrintableAscii(value)) return null;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `holds the control character ${hex(c)} at offset ${i}`;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < value.length ? value.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) return `holds an unpaired surrogate ${hex(c)} at offset ${i}`;
      const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      if ((cp & 0xfffe) === 0xfffe) return `holds the noncharacter ${hex(cp)} at offset ${i}`;
      i++;
      continue;
    }
    if ((c >= 0xfdd0 && c <= 0xfdef) || c >= 0xfffe) return `holds the noncharacter ${hex(c)} at offset ${i}`;
  }
  return null;
}

/** Closes the quarantine reason of an attribute disallowedCharacter refused. */
export const STRING_TYPE_NOTE = 'CloudEvents String attributes exclude control characters, noncharacters and unpaired surrogates';

export const CORE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'specversion', 'id', 'source', 'type', 'time', 'subject', 'dataschema', 'datacontenttype', 'data', 'data_base64',
]);
export const EXTENSION_NAME = /^[a-z0-9]+$/;

export const THREE_DS_OUTCOMES = ['frictionless', 'challenged', 'failed', 'not_attempted'] as const;

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code (3 upper-case letters)');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166 alpha-2 code');

/**
 * Said of an amount past Number.MAX_SAFE_INTEGER: zod's integer check refuses it as "too big",
 * which read "must be an integer" to a producer who had sent the digits of one.
 */
export const UNSAFE_AMOUNT = 'past 2^53 - 1 (9007199254740991), the largest integer a JSON reader holds exactly: the amount as sent would not be kept to the minor unit';
const minorUnits = z.number().int({ error: (issue) => (issue.code === 'too_big' ? UNSAFE_AMOUNT : 'must be an integer in minor units') }).nonnegative();

export const paymentDataSchema = z.looseObject({
  paymentId: nonEmpty,
  merchantId: nonEmpty,
  amount: minorUnits,
  currency,
  method: z.string().optional(),
  country: country.optional(),
  cardBin: z.string().regex(/^\d{4,11}$/, 'must be 4 to 11 digits (a BIN or an IIN with the next digits, never a whole card number)').optional(),
  latencyMs: z.number().nonnegative().optional(),
  declineCode: z.string().optional(),
  reason: z.string().optional(),
  // The optional dimensions operators slice acceptance by (EVENTS.md).
  issuer: nonEmpty.optional(),
  scheme: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be a lower-case scheme name').optional(),
  acquirer: nonEmpty.optional(),
  mcc: z.string().regex(/^\d{4}$/, 'must be 4 digits (ISO 18245)').optional(),
  threeDS: z.enum(THREE_DS_OUTCOMES).optional(),
  attempt: z.number().int('must be an integer').min(1, 'must be >= 1').optional(),
});

export const riskDataSchema = z.looseObject({
  paymentId: nonEmpty,
  merchantId: nonEmpty,
  score: z.number().min(0).max(100),
  decision: z.enum(['approve', 'review', 'block']),
  rules: z.array(z.string()).optional(),
  reasons: z.array(z.string()).optional(),
  country: country.optional(),
  amount: minorUnits.optional(),
  currency: currency.optional(),
});

export type PaymentData = z.infer<typeof paymentDataSchema>;
export type RiskData = z.infer<typeof riskDataSchema>;

/** One readable line from the first zod issue: `data.amount: must be an integer in minor units`. */
export function describeIssue(prefix: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return missing ? `missing required attribute ${path}` : `${path}: ${issue.message}`;
}

// Fast predicates for the ingest hot path. Each accepts exactly what its zod schema above
// accepts (schemas.test.ts checks the pair on thousands of generated objects); zod stays the
// definition and writes the error message whenever a predicate says no.
const isNullish = (v: unknown): v is null | undefined => v === null || v === undefined;
const isNonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optionalNonEmptyOk = (v: unknown) => isNullish(v) || isNonEmpty(v);
const isMinorUnits = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
const CARD_BIN = /^\d{4,11}$/;
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';
const SCHEME = /^[a-z][a-z0-9_-]*$/;
const MCC = /^\d{4}$/;
const THREE_DS: ReadonlySet<unknown> = new Set(THREE_DS_OUTCOMES);
const optionalMatch = (v: unknown, re: RegExp) => v === undefined || (typeof v === 'string' && re.test(v));

function dimensionsAccepted(d: Record<string, unknown>): boolean {
  return (
    (d.issuer === undefined || isNonEmpty(d.issuer)) &&
    optionalMatch(d.scheme, SCHEME) &&
    (d.acquirer === undefined || isNonEmpty(d.acquirer)) &&
    optionalMatch(d.mcc, MCC) &&
    (d.threeDS === undefined || THREE_DS.has(d.threeDS)) &&
    (d.attempt === undefined || (typeof d.attempt === 'number' && Number.isSafeInteger(d.attempt) && d.attempt >= 1))
  );
}

/** The media type isMediaType last accepted: nearly every event names the same one. */
let lastMediaType = 'application/json';

/** Whether `value` is an RFC 2046 media type (MEDIA_TYPE), the one accepted last compared first (the expression costs ~400 instructions an event). */
function isMediaType(value: string): boolean {
  if (value === lastMediaType) return true;
  if (!MEDIA_TYPE.test(value)) return false;
  lastMediaType = value;
  return true;
}

export function envelopeAccepted(o: Record<string, unknown>): boolean {
  return (
    o.specversion === '1.0' &&
    isNonEmpty(o.id) &&
    isNonEmpty(o.source) &&
    isNonEmpty(o.type) &&
    (isNullish(o.time) || typeof o.time === 'string') &&
    optionalNonEmptyOk(o.subject) &&
    optionalNonEmptyOk(o.dataschema) &&
    (isNullish(o.datacontenttype) || (typeof o.datacontenttype === 'string' && isMediaType(o.datacontenttype))) &&
    (isNullish(o.data_base64) || typeof o.data_base64 === 'string')
  );
}

export function paymentDataAccepted(d: Record<string, unknown>): boolean {
  return (
    isNonEmpty(d.paymentId) &&
    isNonEmpty(d.merchantId) &&
    isMinorUnits(d.amount) &&
    typeof d.currency === 'string' && CURRENCY.test(d.currency) &&
    optionalString(d.method) &&
    (d.country === undefined || (typeof d.country === 'string' && COUNTRY.test(d.country))) &&
    (d.cardBin === undefined || (typeof d.cardBin === 'string' && CARD_BIN.test(d.cardBin))) &&
    (d.latencyMs === undefined || (typeof d.latencyMs === 'number' && Number.isFinite(d.latencyMs) && d.latencyMs >= 0)) &&
    optionalString(d.declineCode) &&
    optionalString(d.reason) &&
    dimensionsAccepted(d)
  );
}

const DECISIONS: ReadonlySet<unknown> = new Set(['approve', 'review', 'block']);
const stringArrayOrUndefined = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

export function riskDataAccepted(d: Record<string, unknown>): boolean {
  return (
    isNonEmpty(d.paymentId) &&
    isNonEmpty(d.merchantId) &&
    typeof d.score === 'number' && Number.isFinite(d.score) && d.score >= 0 && d.score <= 100 &&
    DECISIONS.has(d.decision) &&
    stringArrayOrUndefined(d.rules) &&
    stringArrayOrUndefined(d.reasons) &&
    (d.country === undefined || (typeof d.country === 'string' && COUNTRY.test(d.country))) &&
    (d.amount === undefined || isMinorUnits(d.amount)) &&
    (d.currency === undefined || (typeof d.currency === 'string' && CURRENCY.test(d.currency)))
  );
}
