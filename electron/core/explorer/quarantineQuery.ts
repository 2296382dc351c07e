// The quarantine browser: what was refused, why, and its bytes shown safely (UTF-8 text when
// the body is valid UTF-8, else hex), size-capped. Keyset pages on (arrival_ms, seq).
import type { QuarantineBody, QuarantineCursor, QuarantinePage, QuarantineRow } from '../../../shared/explorer';
import type { StoredQuarantine } from '../store/quarantineRepository';
import type { ReadStore } from '../store/store';

export const LIST_BODY_BYTES = 1024;
export const DETAIL_BODY_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text when it is UTF-8 (cut at a character boundary), else as hex; at most `cap` bytes shown. */
export function describeBody(body: Buffer, size: number, cap: number): QuarantineBody {
  const shown = body.subarray(0, Math.min(cap, body.length));
  let textual: string | null = null;
  try {
    // A body cut short may end inside a multi-byte character: decode up to the last whole one.
    textual = utf8.decode(size > shown.length ? trimToCharBoundary(shown) : shown);
  } catch {
    textual = null;
  }
  // Text with control characters other than tab/newline/CR is shown as hex too.
  if (textual !== null && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(textual)) {
    return { encoding: 'utf8', text: textual, size, truncated: size > cap };
  }
  const hex = shown.toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return { encoding: 'hex', text: hex, size, truncated: size > cap };
}

/** Drops a trailing partial UTF-8 sequence so a cut body still decodes. */
function trimToCharBoundary(b: Buffer): Buffer {
  let end = b.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const byte = b[end - back];
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (need > back) end -= back;
    break;
  }
  return b.subarray(0, end);
}

function parseHeaders(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { value: v };
  } catch {
    return { unparsed: text.slice(0, 4096) };
  }
}

function toRow(r: StoredQuarantine, cap: number): QuarantineRow {
  return {
    seq: r.seq,
    arrivalMs: r.arrivalMs,
    reason: r.reason,
    routingKey: r.routingKey,
    contentType: r.contentType,
    origin: r.origin,
    headers: parseHeaders(r.headers),
    body: describeBody(Buffer.from(r.body), r.size, cap),
  };
}

export interface QuarantineQueryOptions {
  from?: number;
  to?: number;
  reason?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: QuarantineCursor | null;
}

export function quarantinePage(store: ReadStore, options: QuarantineQueryOptions): QuarantinePage {
  const started = performance.now();
  const limit = Math.max(1, Math.min(500, Math.floor(options.limit ?? 100)));
  const range = { from: options.from, to: options.to, reason: options.reason, order: options.order ?? 'desc', cursor: options.cursor };
  const rows = store.quarantine.page(range, limit + 1, LIST_BODY_BYTES);
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    rows: kept.map((r) => toRow(r, LIST_BODY_BYTES)),
    nextCursor: more && last ? { arrivalMs: last.arrivalMs, seq: last.seq } : null,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

export function quarantineGet(store: ReadStore, seq: number): QuarantineRow | null {
  const row = store.quarantine.get(seq, DETAIL_BODY_BYTES);
  return row ? toRow(row, DETAIL_BODY_BYTES) : null;
}
