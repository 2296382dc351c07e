/**
 * Where to start reading a RabbitMQ stream queue (the `x-stream-offset` consumer argument):
 * 'first' (the oldest message kept), 'last' (the last chunk written), 'next' (only new
 * messages), a numeric offset, or a time (ISO 8601, or epoch ms as `@1732339200000`).
 * RabbitMQ resolves a time to the first chunk written at or after it (second precision,
 * chunk granularity), so a few messages just before the time may be included.
 */
export function parseStreamOffset(value: string): 'first' | 'last' | 'next' | number | Date {
  const v = value.trim();
  if (v === 'first' || v === 'last' || v === 'next') return v;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^@\d+$/.test(v)) return new Date(Number(v.slice(1)));
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return new Date(t);
  }
  throw new RangeError(`offset must be first, last, next, a number, an ISO time or @epoch-ms (got ${JSON.stringify(value)})`);
}
