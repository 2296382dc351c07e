// What the consumer needs to know about the broker: the console queue, its bindings, and the
// other queues whose depth it watches.
import type { QueueType } from '../../../shared/profiles';

export interface BrokerConfig {
  /** amqp:// or amqps:// URL, credentials included (never logged: see redactUrl). */
  url: string;
  exchange: string;
  exchangeType: 'topic' | 'direct' | 'fanout' | 'headers';
  bindings: string[];
  queue: string;
  queueType: QueueType;
  prefetch: number;
  /** Other queues whose depth and consumers are polled. */
  watchQueues: string[];
  /** For stream queues: where to start reading ('first', 'last', 'next', an offset or a Date). */
  streamOffset?: string | number | Date;
  /** Connection attempts before giving up at start (reconnects after a first success retry forever). */
  initialRetries?: number;
}

export const DEFAULT_BROKER: Omit<BrokerConfig, 'url'> = {
  exchange: 'payments',
  exchangeType: 'topic',
  bindings: ['payment.#', 'risk.#'],
  queue: 'payops.console',
  queueType: 'classic',
  // Twice the default batch (5000): the broker keeps sending while a batch commits.
  prefetch: 10000,
  watchQueues: [],
};
