// Polls watched queues through the management HTTP API when it answers (ready/unacked,
// consumer utilisation, publish/deliver/ack/redeliver rates, node alarms) and falls back to a
// passive declare over AMQP when it does not, saying why ("rates need the management
// plugin: ..."). A bad management answer is a note on the sample, never an exception: the
// poller runs beside ingest and must not stop it.
import type { QueueDepth } from '../../../shared/metrics';
import { NODE_HEALTH_UNKNOWN, type BrokerNodeHealth, type ManagementQueue, type QueueRates } from '../../../shared/queueStats';
import { isAbsentObject, ManagementError, type ManagementClient, type QueueEntry } from './managementClient';
import { HoltTrend, delaySeconds, drainSeconds, forecastOf, maxLengthOf, oldestMessageAge, stalledSeconds } from './queueBusinessTime';

export const RATES_NEED_MANAGEMENT = 'rates need the management plugin';

/**
 * Passive declares a poll may spend re-checking the API's figures. They run one after another
 * on one channel: one per empty queue made each poll as many round trips as watched queues.
 */
export const MAX_PASSIVE_CHECKS_PER_POLL = 4;
/**
 * How long after this poller first sees a queue its 0 may predate messages: the API lists a
 * queue declared moments ago with the statistics of its first emission (every 5 s), two of them.
 */
const NEW_QUEUE_MS = 10_000;
/**
 * How long a queue the API does not list, and a passive declare found missing, is taken as
 * missing without another declare: one of a missing queue closes its channel (404), and the
 * API lists a queue declared again by itself.
 */
const MISSING_RECHECK_MS = 30_000;

const RATES_UNKNOWN: QueueRates = { publish: null, deliver: null, ack: null, redeliver: null };

type ManagementSample = ReturnType<typeof fromManagement>;

export interface QueueStatsPollerOptions {
  queues: string[];
  /** The management API; null: passive declare only (and the samples say so). The poller's own: stop() closes it. */
  management: ManagementClient | null;
  /** Passive declare of one queue (QueueDepthPoller.sample). */
  passive: (queue: string) => Promise<QueueDepth>;
  onSamples: (samples: QueueDepth[]) => void;
  /**
   * Seconds the newest message delivered from `queue` to this console waited there (null: none
   * lately, or unstamped): the oldest message's age where the management API gives none.
   */
  deliveredWait?: (queue: string) => number | null;
  onNode?: (node: BrokerNodeHealth) => void;
  log?: (line: string) => void;
  intervalMs?: number;
  /** Depth the forecast watches for when a queue has no x-max-length. */
  forecastThreshold?: number;
  /** How often the node's alarms and totals are read (ms). */
  nodeEveryMs?: number;
  now?: () => number;
  /** Releases what the passive declare holds (its channel). */
  onStop?: () => void;
}

export class QueueStatsPoller {
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  /** Set by stop(), for good: a poll still waiting on the API or a declare then reports to nobody. */
  private stopped = false;
  private readonly trends = new Map<string, HoltTrend>();
  /** When each queue last showed progress (empty, delivering or acknowledging). */
  private readonly progressAt = new Map<string, number>();
  /** Each queue's cumulative delivered + acknowledged count at the previous poll. */
  private readonly progressCounts = new Map<string, number>();
  private lastNodeAt = 0;
  /** When this poller first saw each queue listed by the API. */
  private readonly firstSeenAt = new Map<string, number>();
  /** When each queue's API figures were last checked with a passive declare. */
  private readonly checkedAt = new Map<string, number>();
  /** Each queue's cumulative publish count at the previous poll. */
  private readonly publishCounts = new Map<string, number>();
  /** Queues whose API depth the last passive declare found behind (lower than) the queue's. */
  private readonly apiBehind = new Set<string>();
  /** When a passive declare last found each unlisted queue missing. */
  private readonly missingAt = new Map<string, number>();
  private lastLoggedError: string | null = null;
  private readonly now: () => number;
  node: BrokerNodeHealth | null = null;

  constructor(private readonly options: QueueStatsPollerOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.options.queues.length === 0 || this.timer || this.stopped) return;
    this.pollInBackground();
    this.timer = setInterval(() => this.pollInBackground(), this.options.intervalMs ?? 2000);
    this.timer.unref?.();
  }

  /** A poll nobody awaits: pollOnce does not reject, and this catch keeps it so should that change (Node exits on an unhandled rejection). */
  private pollInBackground(): void {
    this.pollOnce().catch((err: unknown) => this.reportFailure(err));
  }

  /**
   * Final: once it returns, no sink (onSamples, onNode, log) is called again. A poll under way
   * reports to nobody: the session that gave the sinks is going away. Its management request
   * is cancelled (the client is this poller's: closed here), so the poll ends at once instead
   * of at the request's timeout; a declare under way runs to its end.
   */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.options.management?.close();
    this.options.onStop?.();
  }

  /**
   * One poll. Never rejects: what failed is in the samples (error, note) and the log, and the
   * next poll runs as usual. Null while a poll is already running, or when the sinks threw.
   */
  async pollOnce(): Promise<QueueDepth[] | null> {
    if (this.polling || this.stopped) return null;
    this.polling = true;
    try {
      const samples = await this.sampleAll();
      if (this.stopped) return null;
      const mgmtError = samples.find((s) => s.source === 'amqp' && s.note)?.note ?? null;
      this.logOnce(mgmtError);
      this.options.onSamples(samples);
      await this.pollNode();
      return samples;
    } catch (err) {
      this.reportFailure(err);
      return null;
    } finally {
      this.polling = false;
    }
  }

  private reportFailure(err: unknown): void {
    if (this.stopped) return;
    try {
      this.options.log?.(`queue polling failed: ${describe(err)}`);
    } catch {
      // A log sink that throws has nowhere left to say so; the next poll still runs.
    }
  }

  private async pollNode(): Promise<void> {
    const client = this.options.management;
    if (!client || !this.options.onNode || this.stopped) return;
    const at = this.now();
    if (this.node && at - this.lastNodeAt < (this.options.nodeEveryMs ?? 5000)) return;
    this.lastNodeAt = at;
    try {
      const [overview, nodes] = await Promise.all([client.overview(), client.nodes()]);
      const memoryAlarm = nodes.some((n) => n.mem_alarm === true);
      const diskAlarm = nodes.some((n) => n.disk_free_alarm === true);
      this.node = {
        at,
        node: overview.node ?? null,
        memoryAlarm,
        diskAlarm,
        blockingPublishers: memoryAlarm || diskAlarm,
        connections: overview.object_totals?.connections ?? null,
        channels: overview.object_totals?.channels ?? null,
        error: null,
      };
    } catch (err) {
      this.node = { ...(this.node ?? { ...NODE_HEALTH_UNKNOWN }), at, error: describe(err) };
    }
    if (!this.stopped) this.options.onNode(this.node);
  }

  /** One request for all watched queues through the management API; a passive declare each when it fails. */
  private async sampleAll(): Promise<QueueDepth[]> {
    const client = this.options.management;
    const queues = this.options.queues;
    if (!client) return Promise.all(queues.map((q) => this.passiveSample(q, `${RATES_NEED_MANAGEMENT} (no management API configured)`)));
    const at = this.now();
    let found: Map<string, QueueEntry>;
    try {
      found = queues.length === 1 ? await this.one(client, queues[0]) : await client.queues(queues);
    } catch (err) {
      const note = `${RATES_NEED_MANAGEMENT}: ${describe(err)}`;
      return Promise.all(queues.map((q) => this.passiveSample(q, note)));
    }
    const listed = new Map<string, ManagementSample>();
    for (const queue of queues) {
      const q = found.get(queue);
      if (q) this.missingAt.delete(queue);
      if (q && !(q instanceof ManagementError)) listed.set(queue, fromManagement(q, at));
    }
    const checked = this.passiveChecksOf([...listed.values()], at);
    return Promise.all(
      queues.map(async (queue) => {
        const q = found.get(queue);
        if (!q) return this.notListed(queue, at);
        // Its entry alone could not be read: it alone falls back, the field named.
        if (q instanceof ManagementError) return this.passiveSample(queue, `${RATES_NEED_MANAGEMENT}: ${q.message}`);
        const sample = listed.get(queue)!;
        return this.withBusinessTime(checked.has(queue) ? await this.withPassiveDepth(sample) : sample);
      }),
    );
  }

  /**
   * Which queues' API figures a passive declare re-checks this poll: those that may hide
   * messages (mayHideMessages), at most MAX_PASSIVE_CHECKS_PER_POLL, the longest unchecked first
   * (the console's own queue first among equals), so each is reached in turn.
   */
  private passiveChecksOf(samples: ManagementSample[], at: number): Set<string> {
    const candidates = samples.filter((s) => this.mayHideMessages(s, at));
    const lastChecked = (queue: string): number => this.checkedAt.get(queue) ?? -1;
    candidates.sort((a, b) => lastChecked(a.queue) - lastChecked(b.queue));
    return new Set(candidates.slice(0, MAX_PASSIVE_CHECKS_PER_POLL).map((s) => s.queue));
  }

  /**
   * Whether the API's figures may hide waiting messages: a count missing (a queue before its
   * first statistics), or a depth of 0 that may predate them. Statistics are up to 5 s old,
   * so a 0 is worth a declare only where messages may have come since: a queue first seen
   * moments ago (declared, then published to), one the API shows publishes to (a rate, or a
   * count that moved), and one whose API depth the last declare found behind. An idle queue's
   * 0 is as current as the API can say. A stream's count is its retention, not a backlog: the
   * API's stands.
   */
  private mayHideMessages(sample: ManagementSample, at: number): boolean {
    const { queue, publishCount } = sample;
    const previousPublishes = this.publishCounts.get(queue);
    if (publishCount !== null) this.publishCounts.set(queue, publishCount);
    if (!this.firstSeenAt.has(queue)) this.firstSeenAt.set(queue, at);
    if (sample.messages === null || sample.consumers === null) return true;
    if (sample.messages !== 0 || sample.type === 'stream') return false;
    if (at - this.firstSeenAt.get(queue)! < NEW_QUEUE_MS || this.apiBehind.has(queue)) return true;
    return (sample.rates?.publish ?? 0) > 0 || (publishCount !== null && previousPublishes !== undefined && publishCount !== previousPublishes);
  }

  /**
   * The API learns of a queue a moment after it is declared: one it does not list is looked
   * for with a passive declare before it is called missing; once found missing, again only
   * every MISSING_RECHECK_MS (a queue deleted while watched is not declared for every poll).
   */
  private async notListed(queue: string, at: number): Promise<QueueDepth> {
    const notFound: QueueDepth = { queue, messages: null, consumers: null, at, error: 'queue not found', source: 'management', note: null };
    const missingSince = this.missingAt.get(queue);
    if (missingSince !== undefined && at - missingSince < MISSING_RECHECK_MS) return notFound;
    const passive = await this.options.passive(queue).catch(() => null);
    if (!passive || passive.error !== null || passive.messages === null) {
      if (passive?.error === 'queue not found') this.missingAt.set(queue, at);
      return notFound;
    }
    this.missingAt.delete(queue);
    return this.amqpSample(passive, null);
  }

  /**
   * The API lists a queue before its first statistics (up to 5 s after it was declared) with
   * no message or consumer count: the depth shown unknown, as if the queue were broken. The
   * two counts come from separate statistics, so one may be there without the other. And its
   * figures are what the queue last emitted (every 5 s): a queue published to since its last
   * emission reads 0, a backlog shown as an empty queue. The passive declare is current: the
   * messages it finds (ready ones, all it counts) replace a lower count from the API. The API's
   * unacknowledged figure is then as old as the count it replaced, and the declare has none:
   * unknown (null), not a stale number beside a current one; so are its rates.
   */
  private async withPassiveDepth(sample: ManagementSample): Promise<ManagementSample> {
    this.checkedAt.set(sample.queue, sample.at);
    const passive = await this.options.passive(sample.queue).catch(() => null);
    if (!passive || passive.error !== null) return sample;
    const found = passive.messages;
    // The declare's consumer count is current; the API's is as old as its statistics.
    const consumers = passive.consumers ?? sample.consumers;
    const behind = found !== null && (sample.messages === null || found > sample.messages);
    if (behind) this.apiBehind.add(sample.queue);
    else this.apiBehind.delete(sample.queue);
    if (!behind) return { ...sample, consumers };
    // The API's rates, utilisation and cumulative counts are as old as the depth they came
    // with: unknown for this sample (no delay or stall is judged on them), not stale figures.
    return { ...sample, messages: found, ready: found, unacked: null, consumers, utilisation: null, rates: { ...RATES_UNKNOWN }, progressCount: null, publishCount: null };
  }

  private async one(client: ManagementClient, queue: string): Promise<Map<string, QueueEntry>> {
    try {
      return new Map([[queue, await client.queue(queue)]]);
    } catch (err) {
      if (isAbsentObject(err)) return new Map();
      throw err;
    }
  }

  /** The fallback's own failure (a rejected passive declare) is that queue's error, beside the note saying why it fell back. */
  private async passiveSample(queue: string, note: string): Promise<QueueDepth> {
    const at = this.now();
    const passive = await this.options
      .passive(queue)
      .catch((err: unknown): QueueDepth => ({ queue, messages: null, consumers: null, at, error: `passive declare failed: ${describe(err)}` }));
    return this.amqpSample(passive, note);
  }

  /** A passive declare's depth and consumers as a sample: no rates, no type (the API's alone). */
  private amqpSample(passive: QueueDepth, note: string | null): QueueDepth {
    return this.withBusinessTime({
      ...passive,
      ready: null,
      unacked: null,
      utilisation: null,
      rates: { ...RATES_UNKNOWN },
      source: 'amqp',
      type: null,
      oldestMessageAgeSeconds: null,
      note,
    });
  }

  private withBusinessTime(s: QueueDepth & { maxLength?: number | null; progressCount?: number | null; publishCount?: number | null }): QueueDepth {
    const { maxLength = null, progressCount = null, publishCount: _publishCount, ...sample } = s;
    if (sample.messages === null) return { ...sample, delaySeconds: null, drainSeconds: null, stalledSeconds: null, forecast: null };
    // A stream keeps what it delivered (readers only move their offsets): its count is its
    // retention, not a backlog. Depth over the deliver rate read as a delay that grows with
    // the retention (queue-depth-growing fired on a reader that kept up), and a reader caught
    // up on an idle stream looked stuck. RabbitMQ 3.10 reports no reader's lag over AMQP.
    if (sample.type === 'stream') {
      return {
        ...sample,
        delaySeconds: null,
        drainSeconds: null,
        stalledSeconds: null,
        forecast: null,
        oldestMessageAgeSeconds: null,
        note: sample.note ?? `${sample.queue} is a stream: it keeps the messages it delivered, so its count is what its retention holds, not a backlog (no delay, drain time or stall)`,
      };
    }
    let trend = this.trends.get(sample.queue);
    if (!trend) {
      trend = new HoltTrend();
      this.trends.set(sample.queue, trend);
    }
    trend.add(sample.messages, sample.at);
    const rates = sample.rates;
    const moved = progressCount !== null && progressCount > (this.progressCounts.get(sample.queue) ?? Infinity);
    if (progressCount !== null) this.progressCounts.set(sample.queue, progressCount);
    const stall = stalledSeconds(sample, this.progressAt.get(sample.queue), moved);
    if (stall.progressAt === undefined) this.progressAt.delete(sample.queue);
    else this.progressAt.set(sample.queue, stall.progressAt);
    // Without the API's head timestamp (no API, or not a classic queue), what this console's
    // consumer last saw of the queue's head, if it consumes it: measured too, by another clock.
    const headAge = sample.oldestMessageAgeSeconds ?? null;
    const deliveredWait = headAge === null && sample.messages > 0 ? (this.options.deliveredWait?.(sample.queue) ?? null) : null;
    const age = headAge !== null ? { oldestMessageAgeFrom: 'management' as const } : deliveredWait !== null ? { oldestMessageAgeSeconds: deliveredWait, oldestMessageAgeFrom: 'consumer' as const } : {};
    return {
      ...sample,
      ...age,
      delaySeconds: delaySeconds(sample.messages, rates?.deliver ?? null),
      stalledSeconds: stall.seconds,
      drainSeconds: drainSeconds(sample.messages, rates?.publish ?? null, rates?.deliver ?? null),
      forecast: forecastOf(trend, maxLength, this.options.forecastThreshold ?? 10_000),
    };
  }

  private logOnce(error: string | null): void {
    if (error === this.lastLoggedError || this.stopped) return;
    this.lastLoggedError = error;
    if (error) this.options.log?.(`queue polling: ${error}; depth and consumers come from a passive declare`);
    else if (this.options.management) this.options.log?.('queue polling: management API answering');
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function fromManagement(
  q: ManagementQueue,
  at: number,
): QueueDepth & { maxLength: number | null; progressCount: number | null; publishCount: number | null } {
  const stats = q.message_stats ?? {};
  // The broker leaves message_stats (or a part of it) out until the queue has seen that kind
  // of traffic: absent is zero then, not unknown.
  const rate = (d: { rate?: number } | null | undefined): number => (typeof d?.rate === 'number' && Number.isFinite(d.rate) ? Math.max(0, d.rate) : 0);
  const rates: QueueRates = {
    publish: rate(stats.publish_details),
    deliver: rate(stats.deliver_get_details),
    ack: rate(stats.ack_details),
    redeliver: rate(stats.redeliver_details),
  };
  const utilisation = q.consumer_utilisation ?? q.consumer_capacity ?? null;
  return {
    queue: q.name,
    vhost: q.vhost,
    type: q.type ?? null,
    messages: q.messages ?? null,
    ready: q.messages_ready ?? null,
    unacked: q.messages_unacknowledged ?? null,
    consumers: q.consumers ?? null,
    // A share of time, 0..1: anything else is not a utilisation (unknown, not -400 %).
    utilisation: typeof utilisation === 'number' && utilisation >= 0 && utilisation <= 1 ? utilisation : null,
    rates,
    at,
    error: null,
    source: 'management',
    note: null,
    oldestMessageAgeSeconds: oldestMessageAge(q.head_message_timestamp, at),
    maxLength: maxLengthOf(q.arguments),
    progressCount: typeof stats.deliver_get === 'number' || typeof stats.ack === 'number' ? (stats.deliver_get ?? 0) + (stats.ack ?? 0) : null,
    publishCount: typeof stats.publish === 'number' ? stats.publish : null,
  };
}
