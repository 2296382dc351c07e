// The quarantine browser: what was refused, why, and its bytes shown safely (UTF-8 text when
// the body is valid UTF-8, else hex), size-capped. Keyset pages on (arrival_ms, seq).
import type { Database } from 'better-sqlite3';
import type { QuarantineBody, QuarantineCursor, QuarantinePage, QuarantineRow } from '../../../shared/explorer';

export const LIST_BODY_BYTES = 1024;
export const DETAIL_BODY_BYTES = 64 * 1024;

interface QuarantineRaw {
  seq: number;
  arrival_ms: number;
  reason: string;
  routing_key: string | null;
  headers: string | null;
  content_type: string | null;
  origin: string | null;
  size: number;
  body: Buffer;
}

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

function toRow(r: QuarantineRaw, cap: number): QuarantineRow {
  return {
    seq: r.seq,
    arrivalMs: r.arrival_ms,
    reason: r.reason,
    routingKey: r.routing_key,
    contentType: r.content_type,
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

export function quarantinePage(db: Database, options: QuarantineQueryOptions): QuarantinePage {
  const started = performance.now();
  const order = options.order ?? 'desc';
  const dir = order === 'desc' ? 'DESC' : 'ASC';
  const limit = Math.max(1, Math.min(500, Math.floor(options.limit ?? 100)));
  const conds: string[] = [];
  const args: unknown[] = [];
  if (options.from !== undefined) { conds.push('arrival_ms >= ?'); args.push(options.from); }
  if (options.to !== undefined) { conds.push('arrival_ms < ?'); args.push(options.to); }
  if (options.reason !== undefined) { conds.push("instr(lower(reason), lower(?)) > 0"); args.push(options.reason); }
  const c = options.cursor;
  if (c) {
    if (order === 'desc') conds.push('arrival_ms <= ?', '(arrival_ms < ? OR seq < ?)');
    else conds.push('arrival_ms >= ?', '(arrival_ms > ? OR seq > ?)');
    args.push(c.arrivalMs, c.arrivalMs, c.seq);
  }
  const rows = db
    .prepare(
      `SELECT seq, arrival_ms, reason, routing_key, headers, content_type, origin, length(body) AS size,
         substr(body, 1, ${LIST_BODY_BYTES}) AS body
       FROM quarantine INDEXED BY quarantine_arrival ${conds.length ? `WHERE ${conds.join(' AND ')}` : ''}
       ORDER BY arrival_ms ${dir}, seq ${dir} LIMIT ?`,
    )
    .all(...args, limit + 1) as QuarantineRaw[];
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return {
    rows: kept.map((r) => toRow(r, LIST_BODY_BYTES)),
    nextCursor: more && last ? { arrivalMs: last.arrival_ms, seq: last.seq } : null,
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

export function quarantineGet(db: Database, seq: number): QuarantineRow | null {
  const row = db
    .prepare(
      `SELECT seq, arrival_ms, reason, routing_key, headers, content_type, origin, length(body) AS size,
         substr(body, 1, ${DETAIL_BODY_BYTES}) AS body FROM quarantine WHERE seq = ?`,
    )
    .get(seq) as QuarantineRaw | undefined;
  return row ? toRow(row, DETAIL_BODY_BYTES) : null;
}
