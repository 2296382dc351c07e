// Which queues the consumer thread watches and how: the console's own queue first (so the
// queue panel is never empty when connected), then the operator's watch list, through the
// management API when there is one and a passive declare otherwise.
import type { ChannelModel } from 'amqplib';
import type { QueueDepth } from '../../../shared/metrics';
import type { BrokerNodeHealth } from '../../../shared/queueStats';
import { safeErrorMessage } from '../redact';
import type { NamedQueueConfig } from './brokerConfig';
import { ManagementClient } from './managementClient';
import { managementEndpoint } from './managementEndpoint';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';

export function watchedQueueNames(config: Pick<NamedQueueConfig, 'queue' | 'watchQueues'>): string[] {
  return [...new Set([config.queue, ...config.watchQueues])];
}

/** The management client of a broker config, or null when it is switched off ('' / 'off') or its URL is unusable (logged). */
export function managementClientFor(config: Pick<NamedQueueConfig, 'url' | 'managementUrl'>, log?: (line: string) => void): ManagementClient | null {
  const setting = config.managementUrl?.trim();
  if (setting === '' || setting === 'off') return null;
  try {
    return new ManagementClient(managementEndpoint(config.url, setting));
  } catch (err) {
    log?.(`management API not used: ${safeErrorMessage(err)}`);
    return null;
  }
}

export function queueStatsPollerFor(
  config: NamedQueueConfig,
  connection: () => ChannelModel | null,
  sinks: { onSamples: (samples: QueueDepth[]) => void; onNode: (node: BrokerNodeHealth) => void; log: (line: string) => void },
  intervalMs = 2000,
  /** The console's consumer of config.queue: the newest delivery's wait there (BrokerConsumer.deliveredWait). */
  deliveredWait?: () => number | null,
): QueueStatsPoller {
  const queues = watchedQueueNames(config);
  const passive = new QueueDepthPoller(queues, connection, () => undefined);
  const poller = new QueueStatsPoller({
    queues,
    management: managementClientFor(config, sinks.log),
    passive: (q) => passive.sample(q),
    onSamples: sinks.onSamples,
    deliveredWait: deliveredWait && ((queue) => (queue === config.queue ? deliveredWait() : null)),
    onNode: sinks.onNode,
    log: sinks.log,
    intervalMs,
    onStop: () => passive.stop(),
  });
  return poller;
}
