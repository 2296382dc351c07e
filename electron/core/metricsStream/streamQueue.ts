import type { Channel, Options } from 'amqplib';

/** How long and how much a metrics stream keeps (RabbitMQ's x-max-age and x-max-length-bytes). */
export interface StreamRetention {
  /** RabbitMQ age: a number and a unit, Y M D h m s (e.g. "7D"). */
  maxAge: string;
  maxLengthBytes: number;
}

export const DEFAULT_STREAM_RETENTION: StreamRetention = { maxAge: '7D', maxLengthBytes: 2_000_000_000 };

/** Refuses an age RabbitMQ would refuse, naming it, before anything connects. */
export function checkMaxAge(value: string): string {
  if (!/^\d+(Y|M|D|h|m|s)$/.test(value)) throw new RangeError(`stream max age must be a number and one of Y M D h m s, like 7D or 12h (got ${JSON.stringify(value)})`);
  return value;
}

/**
 * Declares the stream queue (durable, x-queue-type stream, the retention). A stream declared
 * before with another retention is used as it is (the broker refuses to redeclare it): the
 * returned note says so.
 */
export async function declareMetricsStream(openChannel: () => Promise<Channel>, name: string, retention: StreamRetention): Promise<string | null> {
  const options: Options.AssertQueue = {
    durable: true,
    arguments: { 'x-queue-type': 'stream', 'x-max-age': retention.maxAge, 'x-max-length-bytes': retention.maxLengthBytes },
  };
  const ch = await openChannel();
  try {
    await ch.assertQueue(name, options);
    return null;
  } catch (err) {
    if ((err as { code?: number }).code !== 406) throw err;
    const again = await openChannel();
    try {
      await again.checkQueue(name);
    } finally {
      await again.close().catch(() => undefined);
    }
    return `stream ${name} exists with other settings (${(err as Error).message.replace(/^.*PRECONDITION_FAILED - /, '')}); publishing to it as it is`;
  } finally {
    await ch.close().catch(() => undefined);
  }
}
