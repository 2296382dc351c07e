// Thread: the consumer thread. A message that may be the one that ended the previous thread, or
// process, while it was decoded (a redelivery; on a stream, what a thread that ended had received
// already) is decoded alone, after the engine has counted, committed, that its decode begins
// (decodeAttemptGuard.ts), and the engine is told when it finished. A death in between leaves
// the count, naming that message and no other; at the limit the engine answers with a reason, and
// the message is posted as refused (quarantined unread). A stream's thread has the engine commit
// how far it received before it decodes there, so a process started after one that died suspects
// what the dead one had received, as a thread started after one that ended does. What comes after it waits behind it, in
// order: the engine acknowledges a committed batch with multiple=true up to its newest tag (a
// stream stores the offset after its newest message), which would take along one not posted yet.
import type { Remote } from '../../../shared/rpc';
import type { Delivery } from './brokerConsumer';
import type { DecodeAttemptControl } from './intakeProtocol';
import { redeliveryKey } from './redeliveryKey';
import { streamOffsetOf } from './streamOffsetHeader';

/**
 * How far past a stream delivery's offset the engine is told, and commits, it has been received:
 * one message in about this many waits for that commit before it is decoded, and a thread (or
 * process) started after one that ended decodes at most this many more alone than it needed to.
 */
const RECEIVED_AHEAD = 1024;

/** Where deliveries go once through the gate (DeliveryChunker). */
export interface GateSink {
  add(d: Delivery): void;
  /** `decoded`: called once what it posts is decoded, before it is posted. */
  flush(decoded?: () => void): void;
  quarantine(d: Delivery, reason: string): boolean;
}

export interface GateEvents {
  /** The decode of `key` finished (it is posted): the engine forgets its count. */
  finished(key: string): void;
  /** Deliveries that could not be taken (BrokerConsumer.putBack). */
  putBack(items: readonly Delivery[], err: unknown): void;
}

/** A stream's gate: the offset up to which threads that ended before this one, or a process that died, had received (null: none). */
export interface StreamGate {
  suspectThrough: number | null;
}

export class DecodeGate {
  private readonly waiting: Delivery[] = [];
  private running = false;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly suspectThrough: number | null;
  /** A stream's offset up to which the engine has committed that deliveries were received. */
  private receivedTo: number;
  /** A mark asked for ahead (askAhead) has not been answered yet. */
  private asking = false;

  constructor(
    private readonly queue: string,
    private readonly sink: GateSink,
    private readonly attempts: Remote<DecodeAttemptControl>,
    private readonly events: GateEvents,
    /** Null: not a stream. */
    private readonly stream: StreamGate | null = null,
  ) {
    this.suspectThrough = stream?.suspectThrough ?? null;
    this.receivedTo = this.suspectThrough ?? -1;
  }

  /** Takes one delivery: nearly all go straight on (a first delivery within what the engine knows was received, nothing waiting). */
  add(d: Delivery): void {
    const offset = this.stream === null ? null : streamOffsetOf(d.raw.headers);
    if (!this.running && this.clear(d, offset)) {
      if (offset !== null) this.askAhead(offset);
      return this.sink.add(d);
    }
    this.waiting.push(d);
    if (!this.running) void this.drain();
  }

  /** Resolves once every delivery taken has gone through. */
  idle(): Promise<void> {
    return this.running ? new Promise((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  /** Neither suspect nor (a stream's) past the offset the engine has committed as received. */
  private clear(d: Delivery, offset: number | null): boolean {
    if (d.redelivered) return false;
    if (this.stream === null) return true;
    return offset === null || (offset <= this.receivedTo && (this.suspectThrough === null || offset > this.suspectThrough));
  }

  private suspect(d: Delivery, offset: number | null): boolean {
    return d.redelivered || (offset !== null && this.suspectThrough !== null && offset <= this.suspectThrough);
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let d = this.waiting.shift(); d !== undefined; d = this.waiting.shift()) {
      const offset = this.stream === null ? null : streamOffsetOf(d.raw.headers);
      // Before anything received there is decoded (a full chunk is decoded within add): committed, so that a process started after this one dies knows how far it got.
      if (offset !== null && offset > this.receivedTo) await this.sayReceived(offset + RECEIVED_AHEAD);
      if (this.suspect(d, offset)) await this.decodeCounted(d, offset);
      else this.take(d);
    }
    this.running = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /**
   * Past half of what the engine has committed as received, the next mark is asked for while this
   * thread goes on decoding: a thread the engine keeps up with never waits for a mark (a wait
   * queued behind a batch's commit left the engine without decoded messages after it).
   */
  private askAhead(offset: number): void {
    if (this.asking || offset <= this.receivedTo - RECEIVED_AHEAD / 2) return;
    this.asking = true;
    void this.sayReceived(this.receivedTo + RECEIVED_AHEAD).finally(() => (this.asking = false));
  }

  private async sayReceived(offset: number): Promise<void> {
    try {
      await this.attempts.received(offset);
    } catch {
      // The engine did not answer (it is stopping): decoded unmarked, as before the guard.
    }
    this.receivedTo = Math.max(this.receivedTo, offset);
  }

  private async decodeCounted(d: Delivery, offset: number | null): Promise<void> {
    // What came before it is posted first, decoded: a death now is this message's alone.
    this.sink.flush();
    const key = redeliveryKey(this.queue, d.raw.routingKey, d.raw.body);
    let refusal: string | null = null;
    try {
      refusal = await (offset === null ? this.attempts.begin(key) : this.attempts.beginRead({ key, offset }));
    } catch {
      // The engine did not answer (it is stopping): decoded uncounted, as before the guard.
    }
    if (refusal !== null) {
      if (!this.sink.quarantine(d, refusal)) this.events.putBack([d], new Error(refusal));
      return;
    }
    // Said finished before it is posted (the engine reads the two in order): a death while the
    // engine handles it is no decode's, and the guards counting what reaches the engine count it.
    let said = false;
    const finished = () => {
      said = true;
      this.events.finished(key);
    };
    if (this.take(d)) this.sink.flush(finished);
    if (!said) this.events.finished(key);
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
