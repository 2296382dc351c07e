// Thread: the engine thread.
// Ingest from a RabbitMQ stream queue keeps its place in the database: every batch's
// transaction also stores the offset after its newest message (RabbitMQ puts each message's
// offset in its x-stream-offset header), and a session starts reading where the stored offset
// says. A crash between commit and acknowledgement re-reads nothing: exactly once without
// per-message acknowledgements (events are still idempotent by (source, id) beneath).
import type { BrokerConfig } from '../broker/brokerConfig';
import { streamOffsetOf } from '../broker/streamOffsetHeader';
import type { IncomingMessage } from '../store/eventWriter';
import type { Store } from '../store/store';

/** The newest stream offset in a batch, or null. */
export function newestStreamOffset(items: readonly IncomingMessage[]): number | null {
  let newest: number | null = null;
  for (const item of items) {
    const o = streamOffsetOf(item.raw.headers);
    if (o !== null && (newest === null || o > newest)) newest = o;
  }
  return newest;
}

/** The oldest stream offset in a batch, or null. */
function oldestStreamOffset(items: readonly IncomingMessage[]): number | null {
  let oldest: number | null = null;
  for (const item of items) {
    const o = streamOffsetOf(item.raw.headers);
    if (o !== null && (oldest === null || o < oldest)) oldest = o;
  }
  return oldest;
}

/**
 * For a stream queue: stores the offset with every batch and returns the broker config that
 * resumes at the stored offset (when one is stored). Other queues: returned as they are.
 */
export function resumeStream<B extends BrokerConfig | null | undefined>(store: Store, broker: B, log: (line: string) => void): B {
  // A stream queue is always named (resolveConsoleQueue names the console's own queue).
  if (!broker || broker.queueType !== 'stream' || !broker.queue) return broker;
  const queue = broker.queue;
  const stored = store.streamOffsets.next(queue);
  // A console stopped longer than its stream keeps messages stored a place the stream's
  // retention has since removed: RabbitMQ starts it at the stream's first chunk (or, on 3.10
  // right after retention ran, at the next message to arrive), and the lost offsets went
  // unsaid. The first batch read says which, once.
  let expected = stored;
  store.ingest.also((items) => {
    const newest = newestStreamOffset(items);
    if (newest === null) return;
    if (expected !== null) {
      const first = oldestStreamOffset(items)!;
      if (first > expected) {
        log(
          `stream ${queue}: offsets ${expected}..${first - 1} are no longer in the stream (its retention removed them before this console read them): ` +
            `what they held was never stored; reading on from ${first}`,
        );
      }
      expected = null;
    }
    store.streamOffsets.save(queue, newest + 1, Date.now());
  });
  if (stored === null) return broker;
  log(`stream ${queue}: resuming at offset ${stored}, stored with the events (asked: ${String(broker.streamOffset ?? 'next')})`);
  return { ...broker, streamOffset: stored };
}
