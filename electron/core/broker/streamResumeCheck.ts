// Thread: the consumer thread (the consumer's own connection).
// Where a stream resumes. A console stopped for longer than its stream keeps messages stored a
// place the stream's retention has since removed: RabbitMQ started it where the stream now
// begins, or (seen on 3.10 right after retention ran) delivered nothing, and either way the
// lost offsets went unsaid. Before attaching at a stored place the consumer reads the stream's
// first offset; past the stored one, it says which offsets were lost and attaches there.
import type { Channel, ChannelModel } from 'amqplib';
import { streamOffsetOf } from './streamOffsetHeader';

/** How long the probe waits for the stream's first message (an empty stream sends none). */
const PROBE_WAIT_MS = 1000;

/** The offset of the first message a consumer attached at `first` is sent, or null when none comes in time. */
async function probeFirst(conn: ChannelModel, queue: string): Promise<number | null> {
  const ch: Channel = await conn.createChannel();
  ch.on('error', () => undefined);
  try {
    await ch.prefetch(100);
    return await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => resolve(null), PROBE_WAIT_MS);
      ch.consume(
        queue,
        (msg) => {
          if (!msg) return resolve(null);
          const offset = streamOffsetOf(msg.properties.headers);
          if (offset === null) return;
          clearTimeout(timer);
          resolve(offset);
        },
        { noAck: false, arguments: { 'x-stream-offset': 'first' } },
      ).catch(reject);
    });
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/**
 * Where to attach instead of `stored`: the stream's first offset when its retention has removed
 * `stored` (said once, with the offsets lost), else `stored`. Only what a delivery proves is
 * acted on: a probe that sees nothing in time (an empty stream, a slow broker) changes nothing.
 */
export async function checkStreamResume(conn: ChannelModel, queue: string, stored: number, log: (line: string) => void): Promise<number> {
  if (stored <= 0) return stored;
  const first = await probeFirst(conn, queue);
  if (first === null || first <= stored) return stored;
  log(
    `stream ${queue}: offsets ${stored}..${first - 1} are no longer in the stream (its retention removed them before this console read them): ` +
      `what they held was never stored; reading on from ${first}`,
  );
  return first;
}
