// Thread: the consumer thread. A message that may be the one that ended the previous thread, or
// process, while it was decoded (a redelivery; on a stream, what a thread that ended had received
// already) is decoded alone, after the engine has counted, committed, that its decode begins
// (decodeAttemptGuard.ts), and the engine is told when it finished. A death in between leaves
// the count, naming that message and no other; at the limit the engine answers with a reason, and
// the message is posted as refused (quarantined unread). What comes after it waits behind it, in
// order: the engine acknowledges a committed batch with multiple=true up to its newest tag (a
// stream stores the offset after its newest message), which would take along one not posted yet.
import type { Remote } from '../../../shared/rpc';
import type { Delivery } from './brokerConsumer';
import type { DecodeAttemptControl } from './intakeProtocol';
import { redeliveryKey } from './redeliveryKey';
import { streamOffsetOf } from './streamOffsetHeader';

/**
 * How far past a stream delivery's offset the engine is told it has been received: one message in
 * about this many costs a message to the engine, and a thread started after one that ended decodes
 * at most this many more alone than it needed to.
 */
const RECEIVED_AHEAD = 1024;

/** Where deliveries go once through the gate (DeliveryChunker). */
export interface GateSink {
  add(d: Delivery): void;
  flush(): void;
  quarantine(d: Delivery, reason: string): boolean;
}

export interface GateEvents {
  /** The decode of `key` finished (it is posted): the engine forgets its count. */
  finished(key: string): void;
  /** Deliveries that could not be taken (BrokerConsumer.putBack). */
  putBack(items: readonly Delivery[], err: unknown): void;
  /** A stream's: deliveries up to `offset` may have been received (said before any of them is decoded). */
  received?(offset: number): void;
}

export class DecodeGate {
  private readonly waiting: Delivery[] = [];
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** The stream offset the engine was last told deliveries were received up to. */
  private receivedTo = -1;

  constructor(
    private readonly queue: string,
    private readonly sink: GateSink,
    private readonly attempts: Remote<DecodeAttemptControl>,
    private readonly events: GateEvents,
    /** A stream's offset up to which threads that ended before this one had received (null: none, or not a stream). */
    private readonly suspectThrough: number | null = null,
  ) {}

  /** Takes one delivery: nearly all go straight on (a first delivery, nothing waiting). */
  add(d: Delivery): void {
    if (this.events.received) this.sayReceived(d);
    if (!this.running && !this.suspect(d)) return this.sink.add(d);
    this.waiting.push(d);
    if (!this.running) void this.drain();
  }

  /** Resolves once every delivery taken has gone through. */
  idle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  private suspect(d: Delivery): boolean {
    if (d.redelivered) return true;
    if (this.suspectThrough === null) return false;
    const offset = streamOffsetOf(d.raw.headers);
    return offset !== null && offset <= this.suspectThrough;
  }

  /** Before anything received is decoded (a full chunk is decoded within add): the engine knows how far this thread got. */
  private sayReceived(d: Delivery): void {
    const offset = streamOffsetOf(d.raw.headers);
    if (offset === null || offset <= this.receivedTo) return;
    this.receivedTo = offset + RECEIVED_AHEAD;
    this.events.received!(this.receivedTo);
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let d = this.waiting.shift(); d !== undefined; d = this.waiting.shift()) {
      if (this.suspect(d)) await this.decodeCounted(d);
      else this.take(d);
    }
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async decodeCounted(d: Delivery): Promise<void> {
    // What came before it is posted first, decoded: a death now is this message's alone.
    this.sink.flush();
    const key = redeliveryKey(this.queue, d.raw.routingKey, d.raw.body);
    let refusal: string | null = null;
    try {
      refusal = await this.attempts.begin(key);
    } catch {
      // The engine did not answer (it is stopping): decoded uncounted, as before the guard.
    }
    if (refusal !== null) {
      if (!this.sink.quarantine(d, refusal)) this.events.putBack([d], new Error(refusal));
      return;
    }
    if (this.take(d)) this.sink.flush();
    this.events.finished(key);
  }

  /** False when it was put back. */
  private take(d: Delivery): boolean {
    try {
      this.sink.add(d);
      return true;
    } catch (err) {
      this.events.putBack([d], err);
      return false;
    }
  }
}
