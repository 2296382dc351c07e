// What the consumer needs to know about the broker: the console queue, its bindings, and the
// other queues whose depth it watches.
import type { QueueType } from '../../../shared/profiles';
import type { StreamResumeMark } from './streamStart';

export interface BrokerConfig {
  /** amqp:// or amqps:// URL, credentials included (never logged: see redactUrl). */
  url: string;
  exchange: string;
  exchangeType: 'topic' | 'direct' | 'fanout' | 'headers';
  bindings: string[];
  /**
   * The console's queue. Absent: this console's own queue, unique per installation
   * (payops.console.<host>.<id>, consoleQueue.ts), so two consoles never split the traffic.
   * A name given here may be shared on purpose: consoles on one classic or quorum queue
   * compete for its messages (each gets part), and the console says so.
   */
  queue?: string;
  queueType: QueueType;
  /**
   * The queue's x-expires in ms (0: none), so that a console never started again leaves
   * nothing behind. Absent: 24 h for the console's own queue, none for a queue named by the
   * operator (it is theirs to manage). Not for stream queues (their retention is x-max-age).
   */
  queueExpiresMs?: number;
  prefetch: number;
  /**
   * The management HTTP API (http://host:15672). Absent: derived from the AMQP URL's host
   * (managementEndpoint.ts); '' or 'off': none, depth by passive declare only.
   */
  managementUrl?: string;
  /** Other queues whose depth and consumers are polled (the console's own queue is always watched). */
  watchQueues: string[];
  /** For stream queues: where to start reading ('first', 'last', 'next', an offset or a Date). */
  streamOffset?: string | number | Date;
  /**
   * Set when `streamOffset` is the place stored in the database (streamResume.ts): the
   * consumer checks that the stream is still the one read there (streamStart.ts).
   */
  streamResume?: StreamResumeMark;
  /** Connection attempts before giving up at start (reconnects after a first success retry forever). */
  initialRetries?: number;
  /**
   * The queue exists and is read as it is (`replay --from-stream`): nothing is declared, no
   * exchange and no binding; a missing queue is an error.
   */
  existingQueue?: boolean;
}

/** A broker configuration whose queue is named: what the consumer declares and reads. */
export interface NamedQueueConfig extends BrokerConfig {
  queue: string;
  /** True when `queue` is this console's own default queue (consoleQueue.ts). */
  ownQueue?: boolean;
}

/** The default queue's x-expires: a console not started for a day leaves no queue behind. */
export const DEFAULT_QUEUE_EXPIRES_MS = 24 * 3_600_000;

/** The queue name every console used by default before issue 11 (shared, so they split the traffic). */
export const LEGACY_SHARED_QUEUE = 'payops.console';

export const DEFAULT_BROKER: Omit<BrokerConfig, 'url'> = {
  exchange: 'payments',
  exchangeType: 'topic',
  bindings: ['payment.#', 'risk.#'],
  queueType: 'classic',
  // Twice the default batch (5000): the broker keeps sending while a batch commits.
  prefetch: 10000,
  watchQueues: [],
};
