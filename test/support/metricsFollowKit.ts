// A collector publishing its metrics to a stream and a follower of that stream, each on its own
// SQLite file, logging to one list: the pair the metrics stream's follower tests start from.
import path from 'node:path';
import { paymentEvent } from '../../bench/events';
import { AMQP_URL } from './broker';
import { incoming } from './storedTextKit';
import { newConsoleId } from '../../electron/core/broker/consoleQueue';
import { openStore } from '../../electron/core/store/store';
import { MetricsFollower } from '../../electron/core/metricsStream/metricsFollower';
import { MetricsPublisher } from '../../electron/core/metricsStream/metricsPublisher';
import { recordMetricsOutbox } from '../../electron/core/metricsStream/outboxHooks';
import { DEFAULT_STREAM_RETENTION } from '../../electron/core/metricsStream/streamQueue';

/** Collector `collector.db` and follower `follower.db` in `dir`, on `stream`. */
export function collectorAndFollower(dir: string, stream: string, name = '') {
  const store = openStore(path.join(dir, `collector${name}.db`));
  recordMetricsOutbox(store, 'queue');
  const logs: string[] = [];
  const publisher = new MetricsPublisher({ url: AMQP_URL, stream, retention: DEFAULT_STREAM_RETENTION, collector: store.meta.getOrCreate('console_id', newConsoleId), store, log: (l) => logs.push(l) });
  const fstore = openStore(path.join(dir, `follower${name}.db`));
  const follower = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: (l) => logs.push(l), flushMs: 20 });
  return {
    store,
    publisher,
    fstore,
    follower,
    logs,
    /** The collector stores `n` authorized payments (one metrics message once kicked). */
    commit(n: number): void {
      store.ingest.commit(Array.from({ length: n }, () => incoming(paymentEvent('payment.authorized'), Date.now())));
    },
    async close(): Promise<void> {
      await follower.stop();
      await publisher.stop(2000);
      store.close();
      fstore.close();
    },
  };
}
