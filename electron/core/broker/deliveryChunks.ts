// Thread: the consumer thread. Deliveries cross to the engine thread in chunks (one per burst
// of frames, at most CHUNK_MESSAGES or about 1 MiB), decoded here: the engine thread is
// ingest's critical path. Nothing lost: a chunk that cannot be posted (the structured clone
// refusing a header value, a closing port) is not dropped: its messages are put back on the
// queue, or a stream re-read from them, since the engine's next multiple=true ack would
// otherwise take them along, never stored.
import { decodeMessage } from '../../../shared/events/decode';
import { readableBody } from './bodyEncoding';
import type { Delivery } from './brokerConsumer';
import { streamOffsetOf } from './streamOffsetHeader';
import type { DeliveryChunk } from './intakeProtocol';

const CHUNK_MESSAGES = 512;
const CHUNK_BYTES = 1 << 20;

/** Where chunks go: the engine thread's port (the consumer thread's RPC peer). */
export interface ChunkSink {
  /** Sends a chunk, its bodies transferred. */
  post(chunk: DeliveryChunk, transfer: ArrayBuffer[]): void;
  /** Deliveries that could not be posted, and why (BrokerConsumer.putBack). */
  putBack(items: readonly Delivery[], err: unknown): void;
  /**
   * False for a delivery no longer to be posted: a stream's, after one put back on its
   * channel, which comes again on the next (BrokerConsumer.wanted). Asked before each post.
   */
  wanted?(d: Delivery): boolean;
}

export class DeliveryChunker {
  private pending: Delivery[] = [];
  private pendingBytes = 0;
  private flushScheduled = false;
  /** Deliveries whose body could not be decompressed (bodyEncoding.ts), and why: quarantined with that reason. */
  private readonly unreadable = new WeakMap<Delivery, string>();

  constructor(
    private readonly sink: ChunkSink,
    /** decodeMessage's body limit. */
    private readonly maxBodyBytes?: number,
  ) {}

  /** Takes one delivery; posts at once when the chunk is full, else after the current socket read. */
  add(d: Delivery): void {
    // A gzip or deflate body is read decompressed from here on (its size counted as such).
    const read = readableBody(d.raw.body, d.contentEncoding, this.maxBodyBytes);
    d.raw.body = read.body;
    if (read.refused !== null) this.unreadable.set(d, read.refused);
    this.pending.push(d);
    this.pendingBytes += d.raw.body.byteLength;
    if (this.pending.length >= CHUNK_MESSAGES || this.pendingBytes > CHUNK_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After the current socket read: one chunk per burst of frames.
      setImmediate(() => this.flush());
    }
  }

  /** Posts everything taken so far; `decoded` is called once it is decoded, before it is posted. */
  flush(decoded?: () => void): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // A chunk holds one channel's deliveries only: split where the generation changes.
    let start = 0;
    for (let i = 1; i <= batch.length; i++) {
      if (i === batch.length || batch[i].ack.generation !== batch[start].ack.generation) {
        this.postOrPutBack(batch.slice(start, i), decoded);
        start = i;
      }
    }
    this.pendingBytes = 0;
  }

  /**
   * Posts a chunk; when that throws, each of its messages alone, so that only those that fail
   * alone are put back (one bad message must not send 511 others round again). Never throws:
   * it runs from amqplib's dispatch and from setImmediate.
   */
  private postOrPutBack(all: Delivery[], decoded?: () => void): void {
    const items = this.wantedOf(all);
    if (items.length === 0) return;
    try {
      this.postChunk(items, undefined, decoded);
      return;
    } catch (err) {
      if (items.length === 1) return this.sink.putBack(items, err);
    }
    for (const d of items) {
      // A stream message put back before this one is read again from there: this one comes
      // again after it, and posted now it would move the stored place past it.
      if (this.wantedOf([d]).length === 0) continue;
      try {
        this.postChunk([d]);
      } catch (err) {
        // At once, before a later message's ack (multiple) could take it along.
        this.sink.putBack([d], err);
      }
    }
  }

  private wantedOf(items: Delivery[]): Delivery[] {
    const wanted = this.sink.wanted;
    return wanted ? items.filter((d) => wanted.call(this.sink, d)) : items;
  }

  /**
   * Posts one delivery the consumer gave up on (BrokerConsumer.putBack, after repeated
   * failures) as refused, for the engine to quarantine with `reason`: with its headers, or
   * without them when they are what cannot be posted. False when even that fails.
   */
  quarantine(d: Delivery, reason: string): boolean {
    for (const keepHeaders of [true, false]) {
      try {
        this.postChunk([d], { reason, keepHeaders });
        return true;
      } catch {
        // Tried again without the headers, then given up.
      }
    }
    return false;
  }

  private postChunk(items: Delivery[], refused?: { reason: string; keepHeaders: boolean }, decoded?: () => void): void {
    const n = items.length;
    const size = items.reduce((s, d) => s + d.raw.body.byteLength, 0);
    const bodies = new ArrayBuffer(size);
    const view = new Uint8Array(bodies);
    const offsets = new Uint32Array(n + 1);
    const chunk: DeliveryChunk = {
      generation: items[0].ack.generation,
      bodies,
      offsets,
      tags: new Float64Array(n),
      arrivalMs: new Float64Array(n),
      redelivered: new Uint8Array(n),
      routingKeys: new Array(n),
      contentTypes: new Array(n),
      headers: new Array(n),
      decoded: new Array(n),
    };
    let at = 0;
    for (let i = 0; i < n; i++) {
      const d = items[i];
      offsets[i] = at;
      view.set(d.raw.body, at);
      at += d.raw.body.byteLength;
      chunk.tags[i] = d.ack.tag;
      chunk.arrivalMs[i] = d.raw.arrivalMs;
      chunk.redelivered[i] = d.redelivered ? 1 : 0;
      chunk.routingKeys[i] = d.raw.routingKey ?? '';
      chunk.contentTypes[i] = d.raw.contentType ?? null;
      chunk.headers[i] = refused?.keepHeaders === false ? offsetOnly(d) : ((d.raw.headers as Record<string, unknown> | null) ?? null);
      const reason = refused?.reason ?? this.unreadable.get(d);
      chunk.decoded[i] = reason !== undefined ? { ok: false, reason } : decodeMessage(d.raw, { maxBodyBytes: this.maxBodyBytes });
    }
    offsets[n] = at;
    decoded?.();
    this.sink.post(chunk, [bodies]);
  }
}

/**
 * The headers kept of a delivery whose headers cannot be posted: a stream message's offset
 * alone (a number), which the engine stores its place in the stream by. Without it, a batch
 * holding only this message stored no place, and every restart read it again and quarantined
 * it once more.
 */
function offsetOnly(d: Delivery): Record<string, unknown> | null {
  const offset = streamOffsetOf(d.raw.headers);
  return offset === null ? null : { 'x-stream-offset': offset };
}
