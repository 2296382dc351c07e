// Thread: any (its own AMQP connection).
// Where a stream queue ends, for `replay --from-stream --drain`. RabbitMQ 3.x reports no
// message count for a stream over AMQP 0.9.1 (queue.declare-ok says 0), so a drain could only
// stop after a quiet time, and a delivery stall on a loaded broker longer than that quiet time
// ended it early (a CI run stored 22,419 of 60,000). A consumer attached at `last` is sent the
// stream's last chunk: the newest offset it is delivered is the end when it attached, or before
// the end if more arrived meanwhile, never after it.
import { amqpConnect } from './amqpConnect';
import { streamOffsetOf } from './streamOffsetHeader';

export interface StreamEndOptions {
  /** How long an empty stream is waited on before it is taken as empty. */
  waitMs: number;
  /** Quiet after the first delivery that ends the probe (the last chunk arrives in one go). */
  settleMs?: number;
}

/** The newest offset in `queue` (a stream), or null when it delivers nothing within `waitMs` (empty). */
export async function streamEndOffset(url: string, queue: string, options: StreamEndOptions): Promise<number | null> {
  const settleMs = options.settleMs ?? 250;
  const conn = await amqpConnect(url, { timeout: 5000 });
  conn.on('error', () => undefined);
  try {
    const ch = await conn.createChannel();
    ch.on('error', () => undefined);
    // A stream consumer needs a prefetch and manual acknowledgements; acknowledging only
    // renews its credit (a stream keeps every message whatever its consumers do).
    await ch.prefetch(1000);
    let newest: number | null = null;
    await new Promise<void>((resolve, reject) => {
      let timer = setTimeout(resolve, options.waitMs);
      // A stream that keeps growing never goes quiet: stop waitMs after the first delivery anyway.
      let cap: NodeJS.Timeout | null = null;
      const done = () => {
        clearTimeout(timer);
        if (cap) clearTimeout(cap);
        resolve();
      };
      ch.consume(
        queue,
        (msg) => {
          if (!msg) return reject(new Error(`the broker cancelled the probe of stream "${queue}"`));
          const offset = streamOffsetOf(msg.properties.headers);
          if (offset !== null && (newest === null || offset > newest)) newest = offset;
          ch.ack(msg);
          clearTimeout(timer);
          timer = setTimeout(done, settleMs);
          cap ??= setTimeout(done, options.waitMs);
        },
        { noAck: false, arguments: { 'x-stream-offset': 'last' } },
      ).catch(reject);
    });
    return newest;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
