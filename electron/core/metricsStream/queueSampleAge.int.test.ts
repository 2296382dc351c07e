// A queue sample's oldest message age travels the metrics stream: a follower's queue rules
// (queue_oldest_message_age_seconds) judge what the collector measured, not null. Real broker
// stream, real SQLite files.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { tempDir } from '../../../test/support/tempDir';
import { waitFor } from '../../../test/support/waitFor';
import { newConsoleId } from '../broker/consoleQueue';
import { openStore } from '../store/store';
import { MetricsFollower } from './metricsFollower';
import { MetricsPublisher } from './metricsPublisher';
import { recordMetricsOutbox } from './outboxHooks';
import { DEFAULT_STREAM_RETENTION } from './streamQueue';
import { AMQP_URL } from '../../../test/support/broker';

const dir = tempDir('payops-queue-age-');
const stream = `t.queueage.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

describe('queue samples on the metrics stream', () => {
  it("carry the oldest message's age (and keep it unknown where the collector did not measure it)", async () => {
    const collector = openStore(path.join(dir, 'collector.db'));
    const recordSamples = recordMetricsOutbox(collector, 'queue');
    const publisher = new MetricsPublisher({ url: AMQP_URL, stream, retention: DEFAULT_STREAM_RETENTION, collector: collector.meta.getOrCreate('console_id', newConsoleId), store: collector, log: () => undefined });
    const fstore = openStore(path.join(dir, 'follower.db'));
    const follower = new MetricsFollower({ url: AMQP_URL, stream, store: fstore, log: () => undefined, flushMs: 20 });
    try {
      const at = Date.now();
      recordSamples([
        { queue: 'payments.work', messages: 1200, consumers: 2, at, error: null, oldestMessageAgeSeconds: 87.5 },
        { queue: 'payments.retry', messages: 3, consumers: 1, at, error: null, oldestMessageAgeSeconds: null },
      ]);
      publisher.kick();
      await publisher.stop(20_000);
      await follower.start();
      await waitFor(() => follower.caughtUp(), 'the follower caught up', 20_000);
      const stored = fstore.queueSamples.inRange(at, at + 1, 10);
      expect(stored.map((s) => [s.queue, s.messages, s.oldestMessageAgeSeconds])).toEqual([
        ['payments.retry', 3, null],
        ['payments.work', 1200, 87.5],
      ]);
    } finally {
      await follower.stop();
      collector.close();
      fstore.close();
    }
  }, 30_000);
});
