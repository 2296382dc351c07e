import type { RawMessage } from '../../../shared/events/eventTypes';
import { MAX_JSON_DEPTH, nestedDeeperThan, nestingReason } from '../../../shared/events/jsonDepth';
import { parseRfc3339 } from '../../../shared/events/schemas';
import { repeatedMemberOf } from '../../../shared/events/repeatedMember';
import { decodeHeaders, encodeHeaders } from './headerCodec';

/**
 * One line of a capture: the message to decode, or why the line could not be read.
 * `line` is the 1-based physical line number (blank lines count but yield nothing);
 * `error` says what is wrong without repeating the line number.
 */
export type CaptureRecord =
  | {
      line: number;
      raw: RawMessage;
      /** A plain CloudEvent line as already parsed, so a replay need not parse it twice. */
      parsed?: { object: Record<string, unknown> };
    }
  | {
      line: number;
      error: string;
      /** The line's bytes (a copy), kept with its quarantine row as a refused message's body is. */
      bytes?: Uint8Array;
      /**
       * The file's last line, without a line end and unparseable: the file was cut mid-line (copied
       * or read while being written). A replay reports the capture truncated, as a cut gzip.
       */
      cut?: true;
    };

/**
 * The recorded form (EVENTS.md "Capture files"): what the console saw on the wire.
 * A message whose body is a canonical JSON object is stored as `event`; any other body
 * (a quarantined message, JSON with other spacing or key order) as `bodyBase64`, so
 * the bytes replay exactly. Byte-array header values are {"$base64": "..."}.
 */
export interface RecordedLineV1 {
  v: 1;
  arrivalMs: number;
  routingKey: string | null;
  headers: Record<string, unknown> | null;
  contentType: string | null;
  /** Why the console quarantined the message (informational; not read back). */
  reason?: string;
  event?: Record<string, unknown>;
  bodyBase64?: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MAX_ERROR_DETAIL = 160;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  }
  return true;
}

/**
 * Parses one line's bytes (without its newline). Returns null for a blank line.
 * Never throws: a bad line comes back as `{ line, error }`.
 */
export function parseCaptureLine(lineBytes: Uint8Array, line: number): CaptureRecord | null {
  const record = parseLine(lineBytes, line);
  // A line that cannot be read as a message is still what the file held: the quarantine keeps it.
  if (record && 'error' in record) record.bytes = Buffer.from(lineBytes);
  return record;
}

function parseLine(lineBytes: Uint8Array, line: number): CaptureRecord | null {
  let bytes = lineBytes;
  if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1); // CRLF files
  // A UTF-8 byte-order mark from a Windows editor is no part of the message: at line 1, or at the
  // start of a later file in captures joined with cat (it would be re-published with the body).
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (isBlank(bytes)) return null;

  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { line, error: 'not UTF-8 text' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { line, error: `not JSON (${(err as Error).message.slice(0, MAX_ERROR_DETAIL)})` };
  }
  if (!isPlainObject(parsed)) {
    return { line, error: `not a JSON object (found ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : typeof parsed})` };
  }
  // A CloudEvent always has specversion; a recorded line never does. (An extension
  // attribute named "v" is legal in a CloudEvent, so "v" alone does not decide.)
  if ('v' in parsed && !('specversion' in parsed)) return recordedLine(parsed, line);

  const time = typeof parsed.time === 'string' ? parseRfc3339(parsed.time) : null;
  return {
    line,
    // Copy: a view would pin the whole read chunk in memory for as long as the message lives.
    raw: { body: Buffer.from(bytes), headers: null, contentType: null, routingKey: null, arrivalMs: time ?? 0 },
    // The parse lost a repeated name: then the replay decodes the line itself, and refuses it.
    parsed: repeatedMemberOf(text, parsed) === null ? { object: parsed } : undefined,
  };
}

function recordedLine(rec: Record<string, unknown>, line: number): CaptureRecord {
  const bad = (what: string): CaptureRecord => ({ line, error: `recorded line: ${what}` });
  if (rec.v !== 1) return bad(`unsupported version ${JSON.stringify(rec.v)?.slice(0, 20)} (this reader knows v 1)`);
  const { arrivalMs, routingKey, headers, contentType, event, bodyBase64 } = rec;
  if (typeof arrivalMs !== 'number' || !Number.isFinite(arrivalMs)) return bad('arrivalMs must be a number (epoch ms)');
  if (routingKey != null && typeof routingKey !== 'string') return bad('routingKey must be a string or null');
  if (headers != null && !isPlainObject(headers)) return bad('headers must be an object or null');
  if (contentType != null && typeof contentType !== 'string') return bad('contentType must be a string or null');
  const hasEvent = event !== undefined;
  const hasBody = bodyBase64 !== undefined;
  if (hasEvent === hasBody) return bad('needs exactly one of event and bodyBase64');
  let body: Buffer;
  if (hasEvent) {
    if (!isPlainObject(event)) return bad('event must be a JSON object');
    // JSON.stringify is recursive: an event the decoder would refuse as too deep would overflow
    // the stack here, out of the reader, and end the whole replay at this line.
    if (nestedDeeperThan(event, MAX_JSON_DEPTH)) return bad(`event is ${nestingReason()}`);
    body = Buffer.from(JSON.stringify(event));
  } else {
    if (typeof bodyBase64 !== 'string' || !BASE64.test(bodyBase64)) return bad('bodyBase64 must be base64 text');
    body = Buffer.from(bodyBase64, 'base64');
  }
  return {
    line,
    raw: {
      body,
      headers: decodeHeaders((headers as Record<string, unknown> | null | undefined) ?? null),
      contentType: (contentType as string | null | undefined) ?? null,
      routingKey: (routingKey as string | null | undefined) ?? null,
      arrivalMs,
    },
  };
}

/** The body as an object when re-serialising it gives back exactly the same bytes. */
function canonicalJsonObject(body: Uint8Array): Record<string, unknown> | null {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return null;
  }
  if (text.length === 0 || text[0] !== '{') return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isPlainObject(parsed) && JSON.stringify(parsed) === text ? parsed : null;
  } catch {
    return null;
  }
}

/** The recorded-form line for a message (no trailing newline). */
export function formatRecordedLine(raw: RawMessage, decoded?: { ok: boolean; reason?: string }): string {
  const record: RecordedLineV1 = {
    v: 1,
    arrivalMs: Number.isFinite(raw.arrivalMs) ? raw.arrivalMs : 0,
    routingKey: raw.routingKey ?? null,
    headers: encodeHeaders(raw.headers),
    contentType: raw.contentType ?? null,
  };
  if (decoded && !decoded.ok && decoded.reason) record.reason = decoded.reason;
  const event = decoded?.ok === false ? null : canonicalJsonObject(raw.body);
  if (event) record.event = event;
  else record.bodyBase64 = Buffer.from(raw.body.buffer, raw.body.byteOffset, raw.body.byteLength).toString('base64');
  return JSON.stringify(record);
}
