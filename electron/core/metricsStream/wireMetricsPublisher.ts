// Hooks a collector's engine to the metrics stream: the outbox is filled inside the store's
// transactions and published after each commit (and on a short timer, for alert saves and
// queue polls that happen between commits).
import { randomUUID } from 'node:crypto';
import type { BrokerConfig } from '../broker/brokerConfig';
import { newConsoleId } from '../broker/consoleQueue';
import type { Engine } from '../engine/engine';
import type { Store } from '../store/store';
import { MetricsPublisher } from './metricsPublisher';
import type { MetricsPublishConfig } from './metricsStreamConfig';
import { recordMetricsOutbox } from './outboxHooks';

const PUBLISH_EVERY_MS = 250;

/**
 * `broker`: the collector's own intake. A stream queue is re-read from the database's stored
 * offset after a restore (the same figures again); anything else brings new events.
 */
export function wireMetricsPublisher(engine: Engine, store: Store, config: MetricsPublishConfig, broker: Pick<BrokerConfig, 'url' | 'queueType'> | undefined, log: (line: string) => void): MetricsPublisher {
  const brokerUrl = broker?.url;
  const url = config.url ?? brokerUrl;
  if (!url) throw new Error('--publish-metrics needs a broker (--amqp)');
  const incarnation = randomUUID();
  const recordQueues = recordMetricsOutbox(store, broker?.queueType === 'stream' ? 'stream' : 'queue', Date.now, incarnation);
  const publisher = new MetricsPublisher({
    url,
    stream: config.stream,
    retention: config.retention,
    collector: store.meta.getOrCreate('console_id', newConsoleId),
    incarnation,
    store,
    log,
  });
  engine.onCommitted(() => publisher.kick());
  engine.onQueueSamples((samples) => {
    recordQueues(samples);
    publisher.kick();
  });
  const timer = setInterval(() => publisher.kick(), PUBLISH_EVERY_MS);
  timer.unref?.();
  // Registered after the alerting session's: its final saves are in the outbox before this runs.
  engine.onStop(async () => {
    clearInterval(timer);
    await publisher.stop();
  });
  publisher.kick();
  return publisher;
}
