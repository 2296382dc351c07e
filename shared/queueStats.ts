// What the console knows about a watched queue and the broker node beyond depth: the
// management plugin's figures (ready/unacked, message rates, node alarms) and the business
// time derived from them (delay a new message would see, time to drain, forecast).
import { z } from 'zod';

/** Per-second message rates; null when unknown (no management API, or no traffic yet). */
export interface QueueRates {
  publish: number | null;
  deliver: number | null;
  ack: number | null;
  redeliver: number | null;
}

/** Where a queue's figures came from: the management HTTP API, or a passive declare over AMQP. */
export type QueueStatsSource = 'management' | 'amqp';

/** When the depth, at its current trend (Holt's linear trend), crosses a limit. */
export interface QueueForecast {
  /** The limit crossed: the queue's x-max-length when it has one, else the configured threshold. */
  limit: number;
  limitKind: 'x-max-length' | 'threshold';
  /** Seconds from the sample until the forecast crosses the limit; null when it does not within the horizon. */
  crossInSeconds: number | null;
  /** Trend of depth, messages per second (smoothed). */
  trendPerSecond: number;
}

export interface QueueStatsExtra {
  vhost?: string;
  /** classic, quorum or stream; null when unknown (passive declare does not say). */
  type?: string | null;
  ready?: number | null;
  unacked?: number | null;
  /** Consumer utilisation 0..1 (the share of time consumers could take messages); null when unknown. */
  utilisation?: number | null;
  rates?: QueueRates;
  /** Little's law: depth over the drain (deliver) rate; null when nothing drains. */
  delaySeconds?: number | null;
  /** Depth over the net drain rate (deliver minus publish); null when the queue is not draining. */
  drainSeconds?: number | null;
  /**
   * Seconds the queue has held messages with consumers attached while none were delivered or
   * acknowledged (a stuck consumer); 0 while it drains or is empty; null when unknown (no
   * management rates) or without consumers.
   */
  stalledSeconds?: number | null;
  forecast?: QueueForecast | null;
  /**
   * Seconds the oldest waiting message has waited, measured: now minus the AMQP timestamp its
   * producer set (the management API's head_message_timestamp, classic queues). null when the
   * head message carries none (or without the management API): delaySeconds, estimated from
   * depth and rates, is then all there is.
   */
  oldestMessageAgeSeconds?: number | null;
  /**
   * Where oldestMessageAgeSeconds comes from: the management API's head_message_timestamp, or
   * (the console's own queue, without that figure) the consumer: the wait of the newest message
   * it was delivered, in the last 5 s, its delivery time minus its producer's AMQP timestamp.
   * Absent when there is no such figure.
   */
  oldestMessageAgeFrom?: 'management' | 'consumer';
  source?: QueueStatsSource;
  /** Why the figures are partial (e.g. "rates need the management plugin: ..."), null when complete. */
  note?: string | null;
}

/** The broker node as the management API reports it. */
export interface BrokerNodeHealth {
  at: number;
  node: string | null;
  memoryAlarm: boolean;
  diskAlarm: boolean;
  /** The broker blocks publishers (a memory or disk alarm is in force). */
  blockingPublishers: boolean;
  connections: number | null;
  channels: number | null;
  /** Set when the management API could not be read; the other fields are then stale or defaults. */
  error: string | null;
}

export const NODE_HEALTH_UNKNOWN: Omit<BrokerNodeHealth, 'at' | 'error'> = {
  node: null,
  memoryAlarm: false,
  diskAlarm: false,
  blockingPublishers: false,
  connections: null,
  channels: null,
};

// The management API's answers, validated once where they enter (they come from outside:
// a proxy or a different service on that port may answer anything).
const rateDetails = z.object({ rate: z.number() }).partial().nullish();
/** A count of messages, consumers, connections: a whole number (2.5 messages was taken as a depth). */
const count = z.number().int().nonnegative().nullish();

export const managementQueueSchema = z.object({
  name: z.string(),
  vhost: z.string(),
  type: z.string().nullish(),
  messages: count,
  messages_ready: count,
  messages_unacknowledged: count,
  consumers: count,
  consumer_utilisation: z.number().nullish(),
  consumer_capacity: z.number().nullish(),
  arguments: z.record(z.string(), z.unknown()).nullish(),
  /** The head message's AMQP timestamp, epoch seconds; null when it has none. Anything else reads as none. */
  head_message_timestamp: z.number().nullish().catch(null),
  message_stats: z
    .object({
      publish: count,
      publish_details: rateDetails,
      deliver_get: count,
      deliver_get_details: rateDetails,
      ack: count,
      ack_details: rateDetails,
      redeliver: count,
      redeliver_details: rateDetails,
    })
    .partial()
    .nullish(),
});
export type ManagementQueue = z.infer<typeof managementQueueSchema>;

export const managementOverviewSchema = z.object({
  node: z.string().nullish(),
  object_totals: z.object({ connections: count, channels: count }).partial().nullish(),
});

export const managementNodesSchema = z.array(
  z.object({ name: z.string(), mem_alarm: z.boolean().nullish(), disk_free_alarm: z.boolean().nullish() }),
);

/** One queue as `payops queues --json` prints it (issue 15's contract: keep the names). */
export interface QueueReport {
  name: string;
  vhost: string;
  type: string | null;
  messages: number | null;
  ready: number | null;
  unacked: number | null;
  consumers: number | null;
  utilisation: number | null;
  rates: QueueRates;
  delaySeconds: number | null;
  drainSeconds: number | null;
  source: QueueStatsSource;
  /** Added after issue 15: see QueueStatsExtra.oldestMessageAgeSeconds (null: delaySeconds is the estimate). */
  oldestMessageAgeSeconds: number | null;
}
