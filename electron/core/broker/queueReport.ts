// `payops queues`: samples watched queues for a few seconds and reports each as the issue's
// contract says (shared/queueStats.ts QueueReport), through the management API when it
// answers and a passive declare otherwise.
import amqp from 'amqplib';
import { amqpConnect } from './amqpConnect';
import type { QueueDepth } from '../../../shared/metrics';
import type { QueueReport } from '../../../shared/queueStats';
import { redactUrl, safeErrorMessage } from '../redact';
import { BrokerUnreachableError, brokerRefusal } from './brokerErrors';
import { managementEndpoint } from './managementEndpoint';
import { validateBrokerUrl } from './brokerUrl';
import { QueueDepthPoller } from './queueDepthPoller';
import { QueueStatsPoller } from './queueStatsPoller';
import { managementClientFor } from './watchedQueues';

export interface QueueReportOptions {
  amqpUrl: string;
  /** Management API URL; undefined: derived from the AMQP URL; 'off': none. */
  managementUrl?: string;
  /** Queues to report; empty: every queue of the vhost (needs the management API). */
  queues: string[];
  sampleSeconds: number;
  log?: (line: string) => void;
}

export class QueueReportError extends Error {}

export async function reportQueues(options: QueueReportOptions): Promise<{ queues: QueueReport[]; notes: string[] }> {
  validateBrokerUrl(options.amqpUrl);
  // A management URL the operator typed is used or refused, never dropped in silence.
  const asked = options.managementUrl?.trim();
  if (asked && asked !== 'off') {
    try {
      managementEndpoint(options.amqpUrl, asked);
    } catch (err) {
      throw new QueueReportError(`--management: ${safeErrorMessage(err)}`);
    }
  }
  const management = managementClientFor({ url: options.amqpUrl, managementUrl: options.managementUrl }, options.log);
  let queues = options.queues;
  if (queues.length === 0) {
    if (!management) throw new QueueReportError('name the queues with --watch: listing them needs the management API');
    queues = await management.queueNames().catch((err: unknown) => {
      throw new QueueReportError(`name the queues with --watch: could not list them (${safeErrorMessage(err)})`);
    });
  }
  let conn: amqp.ChannelModel;
  try {
    conn = await amqpConnect(options.amqpUrl, { timeout: 5000 });
  } catch (err) {
    // Anything but a refusal (no one listening, a server that does not speak AMQP) is unreachable: exit 2.
    throw brokerRefusal(err, options.amqpUrl) ?? new BrokerUnreachableError(`cannot reach broker ${redactUrl(options.amqpUrl)}: ${safeErrorMessage(err)}`);
  }
  conn.on('error', () => undefined);
  const passive = new QueueDepthPoller(queues, () => conn, () => undefined);
  let latest: QueueDepth[] = [];
  const poller = new QueueStatsPoller({ queues, management, passive: (q) => passive.sample(q), onSamples: (s) => (latest = s) });
  try {
    const end = Date.now() + options.sampleSeconds * 1000;
    // One sample a second; the last one is reported (the broker's rates are over its own
    // statistics interval, the trend over the whole sampling).
    for (;;) {
      await poller.pollOnce();
      const left = end - Date.now();
      if (left <= 0) break;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, left)));
    }
  } finally {
    passive.stop();
    await conn.close().catch(() => undefined);
  }
  // An error is the queue's own ("queue not found"): named, so two missing queues are two notes.
  const notes = [...new Set(latest.map((s) => s.note ?? (s.error ? `${s.queue}: ${s.error}` : null)).filter((n): n is string => !!n))];
  return { queues: latest.map((s) => toReport(s, management?.endpoint.vhost ?? '/')), notes };
}

export function toReport(s: QueueDepth, vhost: string): QueueReport {
  const rates = s.rates ?? { publish: null, deliver: null, ack: null, redeliver: null };
  return {
    name: s.queue,
    vhost: s.vhost ?? vhost,
    type: s.type ?? null,
    messages: s.messages,
    ready: s.ready ?? null,
    unacked: s.unacked ?? null,
    consumers: s.consumers,
    utilisation: s.utilisation ?? null,
    rates: { publish: rates.publish, deliver: rates.deliver, ack: rates.ack, redeliver: rates.redeliver },
    delaySeconds: s.delaySeconds ?? null,
    drainSeconds: s.drainSeconds ?? null,
    source: s.source ?? 'amqp',
    oldestMessageAgeSeconds: s.oldestMessageAgeSeconds ?? null,
  };
}
