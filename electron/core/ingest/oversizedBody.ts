// A body over the size limit is quarantined unread; whole, a few of them (a log file published
// to the exchange by mistake) would weigh on the database as much as millions of events. Its
// quarantine row keeps the first bytes, enough to see what it was, and the reason says it was cut.
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';

/**
 * The most of an oversized body a quarantine row keeps: what the quarantine's detail view shows
 * of a body (DETAIL_BODY_BYTES, electron/core/explorer/quarantineQuery.ts). A limit set lower
 * keeps the limit: a refused body never takes more room than an accepted one could.
 */
export const OVERSIZED_BODY_KEPT_BYTES = 64 * 1024;

/**
 * For a body refused for its size (`bodyLimit`), cuts `raw.body` to the bytes its quarantine row
 * keeps (a copy: the whole body's memory is let go) and returns the refusal saying so; any other
 * result as it is.
 */
export function cutOversizedBody(raw: RawMessage, result: DecodeResult): DecodeResult {
  if (result.ok || result.bodyLimit === undefined) return result;
  const kept = Math.min(OVERSIZED_BODY_KEPT_BYTES, result.bodyLimit);
  if (raw.body.byteLength <= kept) return result;
  raw.body = new Uint8Array(raw.body.subarray(0, kept));
  return { ok: false, reason: `${result.reason} (cut: the quarantine keeps its first ${kept} bytes)` };
}
