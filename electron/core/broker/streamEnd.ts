// Thread: any (its own AMQP connection).
// Where a stream queue ends, for `replay --from-stream --drain`. RabbitMQ 3.x reports no
// message count for a stream over AMQP 0.9.1, so a drain could only stop after a quiet time,
// and a delivery stall on a loaded broker longer than that quiet time ended it early (a CI run
// stored 22,419 of 60,000). The end is read as streamPeek.ts reads it, on a connection of its own.
import { amqpConnect } from './amqpConnect';
import { newestStreamOffset } from './streamPeek';

export interface StreamEndOptions {
  /** How long an empty stream is waited on before it is taken as empty. */
  waitMs: number;
}

/** The newest offset in `queue` (a stream), or null when it delivers nothing within `waitMs` (empty). */
export async function streamEndOffset(url: string, queue: string, options: StreamEndOptions): Promise<number | null> {
  const conn = await amqpConnect(url, { timeout: 5000 });
  conn.on('error', () => undefined);
  try {
    return await newestStreamOffset(conn, queue, options.waitMs);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
