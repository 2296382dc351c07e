// Thread: any (on a connection the caller owns; each peek opens a channel of its own).
// What a stream consumer attached at an offset is sent first. RabbitMQ 3.x reports no message
// count for a stream over AMQP 0.9.1 (queue.declare-ok says 0), so where a stream ends, and
// which message sits at an offset, can only be learned by attaching a consumer there. One
// attached at `last` is sent the stream's last chunk: the newest offset it is delivered is the
// end when it attached, or before the end if more arrived meanwhile, never after it.
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { streamOffsetOf } from './streamOffsetHeader';

/** How long an empty stream is waited on before it is taken as empty. */
export const EMPTY_STREAM_WAIT_MS = 3000;

export interface PeekedMessage {
  offset: number;
  message: ConsumeMessage;
}

/**
 * The deliveries a consumer attached at `at` is sent until `settleMs` of quiet (or `waitMs`
 * with nothing at all), at most `max` of them; a stream that keeps growing never goes quiet,
 * so the peek ends `waitMs + settleMs` after it began whatever arrives.
 */
export async function peekStream(conn: ChannelModel, queue: string, at: number | 'first' | 'last', max: number, waitMs = EMPTY_STREAM_WAIT_MS, settleMs = 250): Promise<PeekedMessage[]> {
  const ch = await conn.createChannel();
  ch.on('error', () => undefined);
  try {
    // A stream consumer needs a prefetch and manual acknowledgements (they only renew its credit).
    await ch.prefetch(Math.max(max, 100));
    const got: PeekedMessage[] = [];
    await new Promise<void>((resolve, reject) => {
      let timer = setTimeout(resolve, waitMs);
      const cap = setTimeout(resolve, waitMs + settleMs);
      const done = () => {
        clearTimeout(timer);
        clearTimeout(cap);
        resolve();
      };
      ch.consume(
        queue,
        (msg) => {
          if (!msg) return reject(new Error(`the broker cancelled the probe of stream "${queue}"`));
          const offset = streamOffsetOf(msg.properties.headers);
          if (offset !== null && got.length < max) got.push({ offset, message: msg });
          ch.ack(msg);
          clearTimeout(timer);
          timer = setTimeout(done, settleMs);
          if (got.length >= max) done();
        },
        { noAck: false, arguments: { 'x-stream-offset': at } },
      ).catch(reject);
    });
    return got;
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/** The stream's newest offset (its last chunk's), or null when it delivers nothing within `waitMs` (empty). */
export async function newestStreamOffset(conn: ChannelModel, queue: string, waitMs = EMPTY_STREAM_WAIT_MS): Promise<number | null> {
  const last = await peekStream(conn, queue, 'last', 10_000, waitMs);
  return last.length ? Math.max(...last.map((m) => m.offset)) : null;
}
