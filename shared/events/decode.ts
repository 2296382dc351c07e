import {
  CORE_ATTRIBUTES,
  EXTENSION_NAME,
  describeIssue,
  describeTimeProblem,
  disallowedCharacter,
  envelopeAccepted,
  isPrintableAscii,
  envelopeSchema,
  parseRfc3339,
  STRING_TYPE_NOTE,
  paymentDataAccepted,
  paymentDataSchema,
  riskDataAccepted,
  riskDataSchema,
  type Envelope,
  type PaymentData,
  type RiskData,
} from './schemas';
import { categoryOf, paymentDimensionsOf, type DecodeResult, type NormalizedEvent, type RawMessage, type RiskDecision } from './eventTypes';
import { MAX_JSON_DEPTH, nestedDeeperThan, nestingReason } from './jsonDepth';
import { compactEnvelope } from './storedEnvelope';
import { sourceProblem, uriProblem } from './uriReference';
import { canonicalUtcMs } from './canonicalTime';
import { base64Problem } from './base64Text';
import { repeatedMemberOf } from './repeatedMember';
import { httpHeaderValue } from './httpHeaderValue';

export { MAX_JSON_DEPTH } from './jsonDepth';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface DecodeOptions {
  maxBodyBytes?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// The AMQP binding's prefixes, whose header names are case-sensitive as AMQP's are (an upper-case
// name is an invalid attribute, quarantined as in structured mode), and the prefixes of bridges,
// whose header names are case-insensitive (ce-MyExt is the attribute myext). Only ce- values are
// percent-encoded: that is the HTTP binding's prefix; ce_ is the Kafka binding's, whose values
// are the attributes' strings as they are.
const BINARY_PREFIXES: { prefix: string; caseInsensitive: boolean; percentEncoded: boolean }[] = [
  { prefix: 'cloudEvents:', caseInsensitive: false, percentEncoded: false },
  { prefix: 'cloudEvents_', caseInsensitive: false, percentEncoded: false },
  { prefix: 'ce-', caseInsensitive: true, percentEncoded: true },
  { prefix: 'ce_', caseInsensitive: true, percentEncoded: false },
];
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The charset a content type declares when it is not UTF-8 (or its subset US-ASCII), else null.
 * JSON text is UTF-8 (RFC 8259 8.1: a charset parameter has no meaning for it); a producer that
 * declares another one most likely encoded its body in it, which the reason then says.
 */
function foreignCharset(contentType: string | null | undefined): string | null {
  const m = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  if (!m) return null;
  const charset = m[1].toLowerCase();
  return charset === 'utf-8' || charset === 'utf8' || charset === 'us-ascii' ? null : charset.slice(0, 40);
}

const UTF8_JSON = 'JSON is read as UTF-8 (RFC 8259 8.1)';

/** What a body refused as not UTF-8 or not JSON adds to its reason about its declared charset (failure path only). */
function charsetNote(contentType: string | null | undefined): string {
  const charset = foreignCharset(contentType);
  return charset === null ? '' : `: the content type declares charset ${charset}, but ${UTF8_JSON}`;
}

function isJsonMediaType(contentType: string | null | undefined): boolean {
  if (!contentType) return true;
  const base = contentType.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json') || base === 'text/json';
}

/**
 * The content type of a structured-mode message in the JSON format, single or batch. The AMQP
 * binding (3.2.3) lets such a message carry the attributes as cloudEvents: headers too; its body
 * stays the event (or the batch, which the console does not read: one event per message).
 */
const STRUCTURED_JSON_CONTENT_TYPE = /^\s*application\/cloudevents(-batch)?\+json\s*(;|$)/i;
const BATCH_JSON_CONTENT_TYPE = /^\s*application\/cloudevents-batch\+json\s*(;|$)/i;

/** AMQP 0-9-1 timestamps are POSIX seconds; one this large can only be milliseconds (after year 5000 as seconds). */
const TIMESTAMP_MS_FROM = 1e11;

/** UTF-8 bytes as their text, or null when they are not UTF-8. */
function utf8Text(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function headerText(value: unknown): unknown {
  // The CloudEvents AMQP binding carries a Timestamp attribute (`time`) as an AMQP timestamp,
  // which amqplib decodes as { '!': 'timestamp', value }: read as the RFC 3339 text it stands for.
  if (typeof value === 'object' && value !== null && (value as { '!'?: unknown })['!'] === 'timestamp') {
    const t = (value as { value?: unknown }).value;
    if (typeof t === 'number' && Number.isFinite(t)) {
      const at = new Date(t >= TIMESTAMP_MS_FROM ? t : t * 1000);
      if (!Number.isNaN(at.getTime())) return at.toISOString();
    }
  }
  return value;
}

interface BinaryModeAttributes {
  attrs: Record<string, unknown>;
  headerNames: string[];
  /**
   * Why the headers cannot be the attributes of a binary-mode event: a core attribute whose header
   * held bytes that are not UTF-8 text, or a header for data, which travels in the body.
   */
  refused: string | null;
}

/**
 * The CloudEvents attributes carried as AMQP headers (binary mode) by name, with the header each
 * came in, or null when there are none. Binary mode needs `specversion` among them.
 * A header of bytes (AMQP binary, amqplib's Buffer) is read as its UTF-8 text, which is how
 * bridges send strings as bytes; bytes that are not UTF-8 are an extension's Binary value, kept
 * in its canonical string form (base64), and make a core attribute, which is text, invalid.
 */
function binaryModeAttributes(headers: Record<string, unknown> | null | undefined): BinaryModeAttributes | null {
  if (!headers) return null;
  let attrs: Record<string, unknown> | null = null;
  const headerNames: string[] = [];
  let refused: string | null = null;
  for (const key of Object.keys(headers)) {
    for (const { prefix, caseInsensitive, percentEncoded } of BINARY_PREFIXES) {
      if (key.length > prefix.length && key.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase()) {
        attrs ??= {};
        const name = caseInsensitive ? key.slice(prefix.length).toLowerCase() : key.slice(prefix.length);
        if (name === 'data' || name === 'data_base64') {
          refused ??= `the header ${key} is not an attribute: binary mode carries the event's data in the body`;
          headerNames.push(key);
          break;
        }
        let value = headers[key];
        if (value instanceof Uint8Array) {
          const text = utf8Text(value);
          if (text === null && CORE_ATTRIBUTES.has(name)) {
            refused ??= `${name}: the header ${key.slice(0, 100)} holds bytes that are not UTF-8 text (only an extension attribute can be Binary)`;
          }
          value = text ?? toBase64(value);
        }
        if (percentEncoded && typeof value === 'string') {
          const decoded = httpHeaderValue(value);
          if (decoded.problem !== undefined) {
            refused ??= `${name.slice(0, 64)}: the header ${key.slice(0, 100)} is not percent-encoded as the CloudEvents HTTP binding writes it (3.1.3.2): ${decoded.problem}`;
          } else {
            value = decoded.text;
          }
        }
        attrs[name] = headerText(value);
        headerNames.push(key);
        break;
      }
    }
  }
  return attrs && { attrs, headerNames, refused };
}

const REPEATED_NOTE = 'repeated in the event object (a JSON reader keeps only one of its values, and which one differs between readers)';

function isJsonObject(parsed: unknown): parsed is Record<string, unknown> {
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
}

/** Whether a parsed body is meant as a structured-mode event (a CloudEvent always has specversion). */
function isStructuredEvent(parsed: unknown): boolean {
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && 'specversion' in parsed;
}

/** The quarantine reason of attributes sent as headers without the one that makes it binary mode. */
function missingSpecversionHeader(headerNames: string[]): DecodeResult {
  const shown = headerNames.slice(0, 5).join(', ') + (headerNames.length > 5 ? ', ...' : '');
  return fail(`missing required attribute specversion (binary mode: the message has the headers ${shown.slice(0, 200)} but no cloudEvents:specversion)`);
}

// btoa exists in browsers and in Node >= 16, so this file stays usable on both sides.
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Sources that are CloudEvents Strings and URI-references (a handful per deployment), so that
 * a source seen before is not read again character by character. Bounded as uriReference's own.
 */
const checkedSources = new Set<string>();
const CHECKED_SOURCES_MAX = 256;
const CHECKED_SOURCE_LENGTH_MAX = 256;

/** Whether `source` passes normalize's two checks of a source (remembered when it does). */
function sourceChecked(source: string): boolean {
  if (checkedSources.has(source)) return true;
  if (disallowedCharacter(source) !== null || sourceProblem(source) !== null) return false;
  if (source.length <= CHECKED_SOURCE_LENGTH_MAX) {
    if (checkedSources.size >= CHECKED_SOURCES_MAX) checkedSources.clear();
    checkedSources.add(source);
  }
  return true;
}

/**
 * Whether every attribute of `obj` (which envelopeAccepted accepted) passes the checks of
 * normalize's attribute loop, told without repeating what is already known: specversion is
 * "1.0", a known type (category not 'unknown') and a time in the canonical form (every character
 * read by canonicalUtcMs) are printable ASCII, and so is the usual content type; a source is
 * read once. False for anything it does not vouch for (extension attributes, dataschema,
 * data_base64): the loop then checks every attribute and names the first problem, as before.
 */
function attributesAlreadyChecked(obj: Record<string, unknown>, category: string): boolean {
  for (const key in obj) {
    switch (key) {
      case 'specversion':
      case 'data':
        break;
      case 'id':
      case 'subject': {
        const v = obj[key];
        if (typeof v === 'string' && !isPrintableAscii(v)) return false;
        break;
      }
      case 'source':
        if (!sourceChecked(obj.source as string)) return false;
        break;
      case 'type':
        if (category === 'unknown' && !isPrintableAscii(obj.type as string)) return false;
        break;
      case 'time': {
        const v = obj.time;
        if (typeof v === 'string' && canonicalUtcMs(v) === undefined && !isPrintableAscii(v)) return false;
        break;
      }
      case 'datacontenttype': {
        const v = obj.datacontenttype;
        if (typeof v === 'string' && v !== 'application/json' && !isPrintableAscii(v)) return false;
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

function fail(reason: string): DecodeResult {
  return { ok: false, reason };
}

/**
 * Validates a CloudEvent object (structured form) and flattens it, with its stored text
 * (storedEnvelope.ts). Never throws, like decodeMessage: the replay calls it directly.
 */
export function normalizeCloudEvent(ce: unknown): DecodeResult {
  try {
    return normalize(ce);
  } catch (err) {
    // Not expected (each check in normalize returns a reason), but an exception here would kill the
    // consumer thread before the message is acknowledged, then again at every restart.
    return fail(`event could not be decoded (${String((err as Error)?.message ?? err).slice(0, 120)})`);
  }
}

function normalize(ce: unknown): DecodeResult {
  if (typeof ce !== 'object' || ce === null || Array.isArray(ce)) {
    return fail('body is not a JSON object');
  }
  const obj = ce as Record<string, unknown>;
  // `data` is the only attribute that may nest (the others must be strings or scalars, checked
  // below without recursion); it is level 2, the event level 1. Checked before anything
  // recursive (zod, compactEnvelope's JSON.stringify) sees it.
  if (nestedDeeperThan(obj.data, MAX_JSON_DEPTH - 1)) return fail(`event is ${nestingReason()}`);
  if (!envelopeAccepted(obj)) {
    // zod would say 'must be "1.0"' of an absent one (null is absent in the JSON format).
    if (obj.specversion === undefined || obj.specversion === null) return fail('missing required attribute specversion');
    const envelope = envelopeSchema.safeParse(obj);
    if (!envelope.success) return fail(describeIssue('', envelope.error));
  }
  const category = categoryOf(obj.type as string);
  if (!attributesAlreadyChecked(obj, category)) for (const key of Object.keys(obj)) {
    // Every context attribute but data and data_base64 (Binary, checked as base64) is checked as a
    // String where it is one, source and dataschema as the URIs they are too.
    if (CORE_ATTRIBUTES.has(key)) {
      if (key === 'data_base64' && typeof obj.data_base64 === 'string') {
        const notBase64 = base64Problem(obj.data_base64);
        if (notBase64 !== null) return fail(`data_base64: not base64 (RFC 4648): ${notBase64}`);
      } else if (key !== 'data' && key !== 'data_base64' && typeof obj[key] === 'string') {
        const bad = disallowedCharacter(obj[key] as string);
        if (bad !== null) return fail(`${key}: ${bad} (${STRING_TYPE_NOTE})`);
        if (key === 'source') {
          const notUri = sourceProblem(obj.source as string);
          if (notUri !== null) return fail(`source: not a URI-reference (RFC 3986): ${notUri}`);
        } else if (key === 'dataschema') {
          const notUri = uriProblem(obj.dataschema as string, true);
          if (notUri !== null) return fail(`dataschema: not a URI (RFC 3986 section 3: a scheme, then an optional query and fragment): ${notUri}`);
        }
      }
      continue;
    }
    // Both problems of an attribute, in the spec's order (naming convention, then type system):
    // a bad name alone hid that the conformance case's 1.5 is no Integer either.
    const badValue = extensionValueProblem(obj[key]);
    if (!EXTENSION_NAME.test(key)) {
      return fail(`extension attribute name "${key.slice(0, 64)}" must be lower-case letters and digits only${badValue === null ? '' : `; ${badValue}`}`);
    }
    if (badValue !== null) return fail(`extension attribute ${key}: ${badValue}`);
    const v = obj[key];
    if (typeof v === 'string') {
      const bad = disallowedCharacter(v);
      if (bad !== null) return fail(`${key}: ${bad} (${STRING_TYPE_NOTE})`);
    }
  }
  const hasData = obj.data !== undefined && obj.data !== null;
  const hasBase64 = obj.data_base64 !== undefined && obj.data_base64 !== null;
  if (hasData && hasBase64) return fail('event has both data and data_base64');

  const e = obj as Envelope;
  const timeMs = e.time ? parseRfc3339(e.time) : null;
  if (e.time && timeMs === null) return fail(`time: ${describeTimeProblem(e.time)}`);
  const event: NormalizedEvent = {
    source: e.source,
    id: e.id,
    type: e.type,
    category,
    timeMs,
    subject: e.subject ?? null,
    paymentId: null,
    merchantId: null,
    amount: null,
    currency: null,
    country: null,
    method: null,
    cardBin: null,
    latencyMs: null,
    declineCode: null,
    score: null,
    decision: null,
    json: '',
  };
  if (category === 'unknown') return stored(event, obj);

  if (timeMs === null) return fail(`missing required attribute time (required for ${e.type})`);
  if (typeof obj.data !== 'object' || obj.data === null || Array.isArray(obj.data)) {
    return fail(`data: ${e.type} needs a JSON object as data, ${foundData(obj)}`);
  }
  const data = obj.data as Record<string, unknown>;
  if (category === 'payment') {
    if (!paymentDataAccepted(data)) {
      const parsed = paymentDataSchema.safeParse(data);
      if (!parsed.success) return fail(describeIssue('data', parsed.error));
    }
    const d = data as PaymentData;
    event.paymentId = d.paymentId;
    event.merchantId = d.merchantId;
    event.amount = withoutNegativeZero(d.amount);
    event.currency = d.currency;
    event.country = d.country ?? null;
    event.method = d.method ?? null;
    event.cardBin = d.cardBin ?? null;
    event.latencyMs = d.latencyMs === undefined ? null : withoutNegativeZero(d.latencyMs);
    event.declineCode = d.declineCode ?? null;
    if (d.issuer !== undefined || d.scheme !== undefined || d.acquirer !== undefined || d.mcc !== undefined || d.threeDS !== undefined || d.attempt !== undefined) {
      event.dimensions = paymentDimensionsOf(d);
    }
  } else {
    if (!riskDataAccepted(data)) {
      const parsed = riskDataSchema.safeParse(data);
      if (!parsed.success) return fail(describeIssue('data', parsed.error));
    }
    const d = data as RiskData;
    event.paymentId = d.paymentId;
    event.merchantId = d.merchantId;
    event.score = withoutNegativeZero(d.score);
    event.decision = d.decision as RiskDecision;
    event.country = d.country ?? null;
    event.amount = d.amount === undefined ? null : withoutNegativeZero(d.amount);
    event.currency = d.currency ?? null;
  }
  return stored(event, obj);
}

/**
 * -0 (a producer's "-0" or "-0.0") as 0: the store gives it back as 0, and the batch's events
 * (live metrics, captures, the alert evaluator) should hold what the store holds.
 */
function withoutNegativeZero(value: number): number {
  return value === 0 ? 0 : value;
}

function stored(event: NormalizedEvent, ce: Record<string, unknown>): DecodeResult {
  event.json = compactEnvelope(ce, event);
  return { ok: true, event };
}

/**
 * Decodes one transport message (structured or binary CloudEvents mode). Never throws:
 * anything that is not a valid event comes back as `{ ok: false, reason }` for quarantine.
 */
export function decodeMessage(raw: RawMessage, options: DecodeOptions = {}): DecodeResult {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (raw.body.byteLength > limit) {
    return { ok: false, reason: `body of ${raw.body.byteLength} bytes exceeds the limit of ${limit} bytes`, bodyLimit: limit };
  }
  const binary = raw.contentType && STRUCTURED_JSON_CONTENT_TYPE.test(raw.contentType) ? null : binaryModeAttributes(raw.headers);
  let text: string | null;
  try {
    text = utf8.decode(raw.body);
  } catch {
    text = null;
  }
  if (binary && 'specversion' in binary.attrs) return binary.refused !== null ? fail(binary.refused) : decodeBinaryMode(binary.attrs, raw, text);
  // Attribute headers without specversion: binary mode with that one header missing, unless the
  // body is a structured event (then stray headers, say a bridge's copies, do not change its verdict).
  if (text === null) return binary ? missingSpecversionHeader(binary.headerNames) : fail(`body is not valid UTF-8${charsetNote(raw.contentType)}`);

  if (text.length === 0) return binary ? missingSpecversionHeader(binary.headerNames) : fail('body is empty');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return binary ? missingSpecversionHeader(binary.headerNames) : fail(`body is not JSON (${(err as Error).message.slice(0, 120)})${charsetNote(raw.contentType)}`);
  }
  if (Array.isArray(parsed) && raw.contentType && BATCH_JSON_CONTENT_TYPE.test(raw.contentType)) {
    return fail(`body is a batch of ${parsed.length} event${parsed.length === 1 ? '' : 's'} (application/cloudevents-batch+json): the console reads one event per message`);
  }
  const repeated = isJsonObject(parsed) ? repeatedMemberOf(text, parsed) : null;
  const result = repeated !== null ? fail(`${repeated.slice(0, 64)}: ${REPEATED_NOTE}`) : normalizeCloudEvent(parsed);
  return !result.ok && binary && !isStructuredEvent(parsed) ? missingSpecversionHeader(binary.headerNames) : result;
}

/** What an event holds where its data object should be, in words (a quarantine reason). */
function foundData(obj: Record<string, unknown>): string {
  if (obj.data === undefined) {
    if (!('data_base64' in obj)) return 'found none';
    // Binary mode puts a body that is not UTF-8 text there; a producer may have put its JSON there.
    if (isUtf8Base64(obj.data_base64)) return 'found data_base64 (bytes): send the JSON object as data';
    const declared = typeof obj.datacontenttype === 'string' && isJsonMediaType(obj.datacontenttype) ? obj.datacontenttype : null;
    const charset = foreignCharset(declared);
    return charset === null ? 'found bytes that are not UTF-8 text' : `found bytes that are not UTF-8 text (the content type ${declared!.slice(0, 100)} declares charset ${charset}, but ${UTF8_JSON})`;
  }
  const d = obj.data;
  if (typeof d === 'string') {
    // Binary mode keeps a body declared as anything but JSON as text, even when it is JSON text.
    const declared = obj.datacontenttype;
    if (typeof declared === 'string' && !isJsonMediaType(declared)) {
      return `found text declared ${declared.slice(0, 100)} (JSON data needs application/json or a +json type)`;
    }
    return 'found text that is not JSON';
  }
  return `found ${Array.isArray(d) ? 'an array' : d === null ? 'null' : `a ${typeof d}`}`;
}

function isUtf8Base64(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    utf8.decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
    return true;
  } catch {
    return false;
  }
}

function decodeBinaryMode(attrs: Record<string, unknown>, raw: RawMessage, text: string | null): DecodeResult {
  const ce: Record<string, unknown> = { ...attrs };
  const contentType = (attrs.datacontenttype as string | undefined) ?? raw.contentType ?? undefined;
  if (contentType !== undefined) ce.datacontenttype = contentType;
  if (raw.body.byteLength > 0) {
    if (text !== null && isJsonMediaType(contentType)) {
      try {
        ce.data = JSON.parse(text);
      } catch (err) {
        const message = (err as Error).message.slice(0, 120);
        const charset = foreignCharset(contentType);
        return charset !== null
          ? fail(`data: the content type ${contentType!.slice(0, 100)} declares charset ${charset}, but ${UTF8_JSON}: does not parse (${message})`)
          : fail(`binary-mode data is declared JSON but does not parse (${message})`);
      }
    } else if (text !== null) {
      ce.data = text;
    } else {
      ce.data_base64 = toBase64(raw.body);
    }
  }
  return normalizeCloudEvent(ce);
}

const INTEGER_NOTE = `(a number is a CloudEvents Integer: a whole number from ${INT32_MIN} to ${INT32_MAX})`;

/** What makes `v` no extension attribute value (String, Boolean or Integer; null: absent), or null. */
function extensionValueProblem(v: unknown): string | null {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return null;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return `its value ${String(v).slice(0, 40)} is not an integer ${INTEGER_NOTE}`;
    return v >= INT32_MIN && v <= INT32_MAX ? null : `its value ${String(v).slice(0, 40)} is out of the Integer range ${INTEGER_NOTE}`;
  }
  return `its value is ${Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`} (an extension attribute is a string, boolean or integer)`;
}
