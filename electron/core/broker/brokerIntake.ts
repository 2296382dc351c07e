import { Worker } from 'node:worker_threads';
import type { ConnectionStatus, QueueDepth } from '../../../shared/metrics';
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import type { DecodeResult, RawMessage } from '../../../shared/events/eventTypes';
import { RpcPeer, type Remote } from '../../../shared/rpc';
import { countText } from '../../../shared/countText';
import type { NamedQueueConfig } from './brokerConfig';
import { redactUrl, safeErrorMessage } from '../redact';
import { workerScript } from '../threads/workerScript';
import { validateBrokerUrl } from './brokerUrl';
import type { AckToken } from './brokerConsumer';
import type { AckMessage, ConsumerThreadData, DeliveryChunk, DrainState, IntakeControl } from './intakeProtocol';
import type { DeliveryGuard, ReviewedDelivery } from './deliveryGuard';
import type { DecodeAttemptGuard } from './decodeAttemptGuard';
import { ThrottledLine } from './throttledLine';

/** An acknowledgement token of one consumer thread: `intake` tells a thread restarted since (its channel generations start again). */
export interface IntakeAckToken extends AckToken {
  intake: number;
}

export interface IntakeEvents {
  /**
   * `decoded`: decodeMessage(raw), done on the consumer thread (or a refusal of the redelivery
   * guard's). `alone`: commit it in a batch of its own (delivered three times before, never stored).
   */
  onDelivery(raw: RawMessage, redelivered: boolean, token: IntakeAckToken, decoded: DecodeResult, alone: boolean): void;
  onStatus(status: ConnectionStatus): void;
  /**
   * The consumer thread ended without being stopped (an uncaught exception, an exit): nothing
   * arrives any more, its connection is closed (the broker delivers again what it had not
   * acknowledged). `reason` says why; the status says so too ('disconnected').
   */
  onThreadStopped?(reason: string): void;
  onQueueSamples(samples: QueueDepth[]): void;
  /** The broker node's alarms and totals (management API), when it is configured. */
  onBrokerNode?(node: BrokerNodeHealth): void;
  log(line: string): void;
}

export class BrokerStartError extends Error {
  constructor(
    message: string,
    readonly kind: string,
  ) {
    super(message);
  }
}

/** A thread that has died answers nothing: do not hang a stop on it. */
const CONTROL_TIMEOUT_MS = 15_000;

/**
 * The engine's side of the consumer thread: deliveries arrive in chunks, decoded,
 * acknowledgements go back by delivery tag and channel generation, and the consumer thread
 * refuses those of a channel that has died. Receiving and decoding thus run beside commits.
 */
export class BrokerIntake {
  private static started = 0;
  /** Tells this thread's acknowledgement tokens from those of a thread it replaced. */
  private readonly id = ++BrokerIntake.started;
  private readonly worker: Worker;
  private stopping = false;
  private exited = false;
  /** What the thread threw, when it ended on an uncaught exception. */
  private failure: string | null = null;
  private readonly staleAckLine: ThrottledLine;
  private readonly peer: RpcPeer;
  private readonly control: Remote<IntakeControl>;
  private readonly started: Promise<void>;
  status: ConnectionStatus;

  constructor(
    config: NamedQueueConfig,
    private readonly events: IntakeEvents,
    /** The body size past which a message is quarantined unread (decodeMessage's limit). */
    maxBodyBytes?: number,
    /** Counts what comes again in the database (classic queues and streams count none): null for none. */
    private readonly guard: DeliveryGuard | null = null,
    /** Counts the consumer thread's decodes of what may have ended the thread before it (null: none). */
    decodeGuard: DecodeAttemptGuard | null = null,
  ) {
    validateBrokerUrl(config.url);
    guard?.started?.();
    this.staleAckLine = new ThrottledLine(events.log);
    this.status = { state: 'connecting', url: redactUrl(config.url), since: Date.now(), attempts: 0, lastError: null };
    const script = workerScript(__filename, 'consumerThread');
    const workerData: ConsumerThreadData = { queue: config, maxBodyBytes, countsDecodes: decodeGuard !== null, suspectThrough: decodeGuard?.receivedTo ?? null };
    this.worker = new Worker(script.file, { ...script.options, workerData, resourceLimits: { maxYoungGenerationSizeMb: 32 } });
    this.peer = new RpcPeer(this.worker);
    this.control = this.peer.remote<IntakeControl>('intake');
    this.peer.on('deliveries', (chunk) => this.deliver(chunk as DeliveryChunk));
    this.peer.on('status', (s) => {
      this.status = s as ConnectionStatus;
      events.onStatus(this.status);
    });
    this.peer.on('queues', (samples) => events.onQueueSamples(samples as QueueDepth[]));
    this.peer.on('node', (node) => events.onBrokerNode?.(node as BrokerNodeHealth));
    this.peer.on('log', (line) => events.log(line as string));
    if (decodeGuard) {
      this.peer.serve('decodeAttempts', decodeGuard);
      this.peer.on('decodeFinished', (key) => decodeGuard.finished(String(key)));
    }
    this.started = new Promise((resolve, reject) => {
      this.peer.on('ready', () => resolve());
      this.peer.on('fatal', (f) => {
        const { error, kind } = f as { error: string; kind: string };
        reject(new BrokerStartError(error, kind));
      });
      this.worker.on('error', (err) => {
        this.failure = safeErrorMessage(err);
        events.log(`consumer thread failed: ${this.failure}`);
        reject(new BrokerStartError(this.failure, 'Error'));
      });
      this.worker.on('exit', (code) => {
        this.exited = true;
        this.peer.close('the consumer thread has stopped');
        if (this.stopping) return;
        const reason = this.failure !== null ? `uncaught exception: ${this.failure}` : `the thread exited (code ${code})`;
        reject(new BrokerStartError(`consumer thread stopped: ${reason}`, 'Error'));
        this.threadStopped(reason);
      });
    });
    this.started.catch(() => undefined);
  }

  /** Resolves once connected; rejects after the start retry budget (BrokerUnreachableError inside). */
  start(): Promise<void> {
    return this.started;
  }

  /** False when the thread has ended, or `token` is of one this one replaced: its channel is gone, the broker delivers those messages again. */
  ackUpTo(token: IntakeAckToken, count: number): boolean {
    if (token.intake !== this.id || this.exited) {
      this.staleAckLine.say(`${countText(count, 'message')} stored, received by a consumer thread that has stopped: not acknowledged (the broker delivers them again; stored once)`);
      return false;
    }
    this.peer.emit('ack', { generation: token.generation, tag: token.tag, count } satisfies AckMessage);
    return true;
  }

  drainState(): Promise<DrainState | null> {
    return this.bounded(this.control.drainState());
  }

  /** Stops new deliveries; everything already received has arrived here when this resolves. */
  async pause(): Promise<void> {
    await this.bounded(this.control.pause());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.bounded(this.control.stop());
    await this.worker.terminate();
  }

  private threadStopped(reason: string): void {
    this.status = { ...this.status, state: 'disconnected', since: Date.now(), lastError: `consumer thread stopped: ${reason}` };
    this.events.onStatus(this.status);
    this.events.onThreadStopped?.(reason);
  }

  private bounded<T>(call: Promise<T>): Promise<T | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), CONTROL_TIMEOUT_MS);
      timer.unref();
      call.then(
        (v) => resolve(v),
        () => resolve(null),
      ).finally(() => clearTimeout(timer));
    });
  }

  private deliver(chunk: DeliveryChunk): void {
    // What comes again is counted, and committed, before it is handed on: a process that ends
    // while handling it has counted it (DeliveryGuard). Nearly every chunk goes straight on:
    // this is ingest's critical path.
    if (this.guard?.reviews(chunk)) return this.deliverCounted(chunk, this.guard);
    const { offsets } = chunk;
    for (let i = 0; i < chunk.tags.length; i++) {
      this.events.onDelivery(
        rawAt(chunk, offsets, i),
        chunk.redelivered[i] === 1,
        { generation: chunk.generation, tag: chunk.tags[i], intake: this.id },
        chunk.decoded[i],
        false,
      );
    }
  }

  private deliverCounted(chunk: DeliveryChunk, guard: DeliveryGuard): void {
    const { offsets } = chunk;
    const items: ReviewedDelivery[] = [];
    for (let i = 0; i < chunk.tags.length; i++) {
      items.push({ raw: rawAt(chunk, offsets, i), redelivered: chunk.redelivered[i] === 1, decoded: chunk.decoded[i] });
    }
    guard.review(items);
    items.forEach((d, i) => {
      guard.handOn(d);
      this.events.onDelivery(d.raw, d.redelivered, { generation: chunk.generation, tag: chunk.tags[i], intake: this.id }, d.decoded, d.alone === true);
    });
  }
}

/** Delivery `i` of a chunk, its body a view of the chunk's buffer. */
function rawAt(chunk: DeliveryChunk, offsets: Uint32Array, i: number): RawMessage {
  return {
    body: Buffer.from(chunk.bodies, offsets[i], offsets[i + 1] - offsets[i]),
    routingKey: chunk.routingKeys[i],
    contentType: chunk.contentTypes[i],
    headers: chunk.headers[i],
    arrivalMs: chunk.arrivalMs[i],
  };
}
