// Where in a stream queue a delivery sits: RabbitMQ puts each message's offset in its
// x-stream-offset header (a number, a bigint, or amqplib's typed { value }).

/** The stream offset RabbitMQ gave a delivery, or null. */
export function streamOffsetOf(headers: Record<string, unknown> | null | undefined): number | null {
  const v = headers?.['x-stream-offset'];
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
  if (typeof v === 'bigint' && v >= 0n) return Number(v);
  if (v && typeof v === 'object' && 'value' in v) return streamOffsetOf({ 'x-stream-offset': (v as { value: unknown }).value });
  return null;
}
