// Thread: the consumer thread. A body sent with the AMQP content-encoding property gzip or
// deflate (Spring AMQP's GZipPostProcessor and others compress JSON and say so there) is read
// decompressed: before, it was quarantined as "not valid UTF-8", which sent the operator looking
// for a charset problem. Decompressed at most to the body limit, so a small bomb cannot blow up.
// Any other content-encoding is left to the decoder as it is (kombu sends "utf-8" for JSON), and
// so is a body that does not start as its encoding says (a producer that labels every message).
import { gunzipSync, inflateSync } from 'node:zlib';
import { DEFAULT_MAX_BODY_BYTES, decodeMessage } from '../../../shared/events/decode';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';

export interface ReadBody {
  body: Uint8Array;
  /** Why the body cannot be read (its bytes are then the body as sent); null when it can. */
  refused: string | null;
}

const GZIP = /^\s*(x-)?gzip\s*$/i;
const DEFLATE = /^\s*deflate\s*$/i;

/** The body as the decoder is to read it: decompressed where its content-encoding says gzip or deflate. */
export function readableBody(body: Uint8Array, contentEncoding: string | null | undefined, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): ReadBody {
  if (!contentEncoding) return { body, refused: null };
  const gzip = GZIP.test(contentEncoding);
  // gzip starts 1f 8b; zlib's deflate 78 (a 32 KB window, as every producer writes it).
  if (gzip ? !(body[0] === 0x1f && body[1] === 0x8b) : !(DEFLATE.test(contentEncoding) && body[0] === 0x78)) return { body, refused: null };
  // A compressed body already over the limit is the decoder's to refuse for its size.
  if (body.byteLength > maxBodyBytes) return { body, refused: null };
  const name = gzip ? 'gzip' : 'deflate';
  try {
    const read = gzip ? gunzipSync(body, { maxOutputLength: maxBodyBytes }) : inflateSync(body, { maxOutputLength: maxBodyBytes });
    return { body: read, refused: null };
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { body, refused: `body sent with content-encoding ${name} is more than ${maxBodyBytes} bytes once decompressed, the limit` };
    }
    return { body, refused: `body sent with content-encoding ${name} could not be decompressed (${(err as Error).message.slice(0, 120)})` };
  }
}

/**
 * decodeMessage of a message as the consumer reads it (its body decompressed: readableBody),
 * for the readers beside it (dead-letter browsing, the sandbox dry run), with the raw message
 * holding the body read.
 */
export function decodeAsConsumed(raw: RawMessage, contentEncoding: string | null | undefined, maxBodyBytes?: number): { raw: RawMessage; decoded: DecodeResult } {
  const read = readableBody(raw.body, contentEncoding, maxBodyBytes);
  const readRaw = read.body === raw.body ? raw : { ...raw, body: read.body };
  return { raw: readRaw, decoded: read.refused !== null ? { ok: false, reason: read.refused } : decodeMessage(readRaw, { maxBodyBytes }) };
}
