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

/**
 * For a stream queue: stores the offset with every batch and returns the broker config that
 * resumes at the stored offset (when one is stored). Other queues: returned as they are.
 */
export function resumeStream<B extends BrokerConfig | null | undefined>(store: Store, broker: B, log: (line: string) => void): B {
  // A stream queue is always named (resolveConsoleQueue names the console's own queue).
  if (!broker || broker.queueType !== 'stream' || !broker.queue) return broker;
  const queue = broker.queue;
  store.ingest.also((items) => {
    const newest = newestStreamOffset(items);
    if (newest !== null) store.streamOffsets.save(queue, newest + 1, Date.now());
  });
  const stored = store.streamOffsets.next(queue);
  if (stored === null) return broker;
  log(`stream ${queue}: resuming at offset ${stored}, stored with the events (asked: ${String(broker.streamOffset ?? 'next')})`);
  return { ...broker, streamOffset: stored, streamOffsetStored: true };
}
