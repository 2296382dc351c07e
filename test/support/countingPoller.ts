// Test-only: a queue statistics poller on a manual clock whose passive declares (real ones, on
// `conn`) are recorded by queue name, for tests that count what a poll costs the broker.
import type amqp from 'amqplib';
import type { ManagementClient } from '../../electron/core/broker/managementClient';
import { QueueDepthPoller } from '../../electron/core/broker/queueDepthPoller';
import { QueueStatsPoller } from '../../electron/core/broker/queueStatsPoller';
import { manualClock } from './waitFor';

export function countingPoller(queues: string[], conn: amqp.ChannelModel, management: ManagementClient) {
  const clock = manualClock();
  const passive = new QueueDepthPoller(queues, () => conn, () => undefined);
  const declared: string[] = [];
  const poller = new QueueStatsPoller({
    queues,
    management,
    passive: (q) => {
      declared.push(q);
      return passive.sample(q);
    },
    onSamples: () => undefined,
    now: clock.now,
    onStop: () => passive.stop(),
  });
  return { poller, clock, declared };
}
