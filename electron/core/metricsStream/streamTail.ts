import type amqp from 'amqplib';
import { peekStream } from '../broker/streamPeek';

/** How long the last chunk may take to arrive once it starts, and how long an empty stream is waited on. */
const CHUNK_QUIET_MS = 150;
const EMPTY_AFTER_MS = 1500;

/**
 * The highest offset a stream holds now, or null when it holds nothing. RabbitMQ 3.10 has no
 * stream-stats command on AMQP 0.9.1: a consumer at 'last' receives the last chunk whole, and
 * its highest offset is the tail.
 */
export async function streamTailOffset(model: amqp.ChannelModel, stream: string): Promise<number | null> {
  const ch = await model.createChannel();
  ch.on('error', () => undefined);
  try {
    await ch.prefetch(10_000);
    let tail: number | null = null;
    await new Promise<void>((resolve) => {
      let timer = setTimeout(resolve, EMPTY_AFTER_MS);
      void ch
        .consume(
          stream,
          (msg) => {
            if (!msg) return;
            ch.ack(msg);
            const offset = Number(msg.properties.headers?.['x-stream-offset']);
            if (Number.isSafeInteger(offset)) tail = Math.max(tail ?? offset, offset);
            clearTimeout(timer);
            timer = setTimeout(resolve, CHUNK_QUIET_MS);
          },
          { noAck: false, arguments: { 'x-stream-offset': 'last' } },
        )
        .catch(() => resolve());
    });
    return tail;
  } finally {
    await ch.close().catch(() => undefined);
  }
}

/**
 * The body of the message at `offset` (or the stream's first one), or null when the stream does
 * not hold it (or nothing arrives within EMPTY_AFTER_MS). A consumer attached at an offset is
 * sent that offset's whole chunk, so the message is found among what the peek is sent.
 */
export async function streamMessageAt(model: amqp.ChannelModel, stream: string, offset: number | 'first'): Promise<Buffer | null> {
  const sent = await peekStream(model, stream, offset, offset === 'first' ? 1 : 10_000, EMPTY_AFTER_MS).catch(() => []);
  const hit = offset === 'first' ? sent[0] : sent.find((m) => m.offset === offset);
  return hit?.message.content ?? null;
}
