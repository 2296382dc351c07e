// Thread: the engine thread.
// Ingest from a RabbitMQ stream queue keeps its place in the database: every batch's
// transaction also stores the offset after its newest message (RabbitMQ puts each message's
// offset in its x-stream-offset header), and a session starts reading where the stored offset
// says. A crash between commit and acknowledgement re-reads nothing: exactly once without
// per-message acknowledgements (events are still idempotent by (source, id) beneath).
import type { BrokerConfig } from '../broker/brokerConfig';
import { streamOffsetOf } from '../broker/streamOffsetHeader';
import { messageDigest } from '../broker/streamStart';
import type { IncomingMessage } from '../store/eventWriter';
import type { Store } from '../store/store';

/** The newest stream offset in a batch, or null. */
export function newestStreamOffset(items: readonly IncomingMessage[]): number | null {
  return newestStreamMessage(items)?.offset ?? null;
}

/** The message with the newest stream offset in a batch, and that offset, or null. */
function newestStreamMessage(items: readonly IncomingMessage[]): { offset: number; item: IncomingMessage } | null {
  let newest: { offset: number; item: IncomingMessage } | null = null;
  for (const item of items) {
    const o = streamOffsetOf(item.raw.headers);
    if (o !== null && (newest === null || o > newest.offset)) newest = { offset: o, item };
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
  // With the offset, a digest of the newest message stored: resuming, the consumer checks that
  // the message at the stored place is still that one, i.e. the stream was not deleted and
  // created again under its name meanwhile (streamStart.ts).
  const digestKey = lastMessageKey(queue);
  let expected = stored;
  store.ingest.also((items) => {
    const newest = newestStreamMessage(items);
    if (newest === null) return;
    let restarted = false;
    if (expected !== null) {
      const first = oldestStreamOffset(items)!;
      if (first > expected) {
        log(
          `stream ${queue}: offsets ${expected}..${first - 1} are no longer in the stream (its retention removed them before this console read them): ` +
            `what they held was never stored; reading on from ${first}`,
        );
      }
      // Only a stream created again is read from below the stored place (the consumer said why).
      restarted = first < expected;
      expected = null;
    }
    if (restarted) store.streamOffsets.restart(queue, newest.offset + 1, Date.now());
    else store.streamOffsets.save(queue, newest.offset + 1, Date.now());
    store.meta.set(digestKey, messageDigest(newest.item.raw, newest.item.result));
  });
  if (stored === null) return broker;
  log(`stream ${queue}: resuming at offset ${stored}, stored with the events (asked: ${String(broker.streamOffset ?? 'next')})`);
  return resumeAtStoredOffset(store, broker);
}

/** For a stream queue: the broker config that reads on from the offset stored now (as it is when none is). Other queues: as they are. */
export function resumeAtStoredOffset<B extends BrokerConfig>(store: Store, broker: B): B {
  if (broker.queueType !== 'stream' || !broker.queue) return broker;
  const stored = store.streamOffsets.next(broker.queue);
  if (stored === null) return broker;
  return { ...broker, streamOffset: stored, streamResume: { next: stored, lastMessageDigest: store.meta.get(lastMessageKey(broker.queue)) } };
}

function lastMessageKey(queue: string) {
  return `stream_last_message:${queue}` as const;
}
