// Test support for the metrics stream: the rules that make an alert fire within seconds of
// live traffic, events stamped with wall time (the live evaluator's clock), and clean-up.
import amqp from 'amqplib';
import fs from 'node:fs';
import path from 'node:path';
import { paymentEvent, riskEvent } from '../../bench/events';
import { AMQP_URL, type PublishItem } from './broker';

/** A decline-rate rule with short windows: pending at the first evaluation in a decline spike, firing at the next. */
export function writeFastDeclineRules(dir: string): string {
  const file = path.join(dir, 'fast-decline-rules.yaml');
  fs.writeFileSync(
    file,
    [
      'version: 1',
      'rules:',
      '  - name: decline-rate-high',
      '    description: More than 30 % of authorizations declined over 5 seconds (metrics stream test rule).',
      '    severity: critical',
      '    metric: decline_rate',
      '    condition:',
      '      above: 30%',
      '    window: 5s',
      '    for: 10s',
      '    keepFiringFor: 0s',
      '    minVolume: 50',
      '    noDataState: normal',
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * `total` events over `seconds` of wall time from `startMs`: the first eighth normal (10 %
 * declined), then a decline spike (60 %), the last eighth normal again; every fourth a
 * risk.scored. Alert rules are evaluated every 10 s of wall time: a spike of 30 s or more
 * meets at least two evaluations whatever the phase.
 */
export function declineSpikeTraffic(total: number, startMs: number, seconds: number): PublishItem[] {
  const items: PublishItem[] = [];
  for (let i = 0; i < total; i++) {
    const time = new Date(startMs + Math.floor((i / total) * seconds * 1000)).toISOString();
    const spike = i >= total / 8 && i < (7 * total) / 8;
    let e: Record<string, unknown>;
    if (i % 4 === 3) e = riskEvent('risk.scored', { time });
    else e = paymentEvent(i % 10 < (spike ? 6 : 1) ? 'payment.declined' : 'payment.authorized', { time });
    items.push({ body: JSON.stringify(e), routingKey: e.type as string });
  }
  return items;
}

export async function deleteQueues(names: string[], url = AMQP_URL): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    for (const name of names) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.deleteQueue(name).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Declares a stream queue (durable, x-queue-type stream), as a collector's --publish-metrics does. */
export async function createStream(stream: string, url = AMQP_URL): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    await ch.assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Publishes raw bodies straight to a stream queue (bad input for followers), with confirms. */
export async function publishToStream(stream: string, bodies: string[], url = AMQP_URL): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    for (const b of bodies) ch.sendToQueue(stream, Buffer.from(b), { persistent: true });
    await ch.waitForConfirms();
  } finally {
    await conn.close().catch(() => undefined);
  }
}
