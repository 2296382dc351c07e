import type amqp from 'amqplib';
import { newestStreamOffset, peekStream } from '../broker/streamPeek';

/** How long an empty stream is waited on. */
const EMPTY_AFTER_MS = 1500;

/**
 * The highest offset a stream holds now, or null when it holds nothing (or cannot be read:
 * a follower asking whether it caught up, or where to resume, takes that as nothing to wait for).
 */
export async function streamTailOffset(model: amqp.ChannelModel, stream: string): Promise<number | null> {
  return newestStreamOffset(model, stream, EMPTY_AFTER_MS).catch(() => null);
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
