// Test support: unique topology per test and publishing helpers against the real broker.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';

export const AMQP_URL = process.env.PAYOPS_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export interface TestTopology {
  exchange: string;
  queue: string;
}

export function uniqueTopology(prefix: string): TestTopology {
  const id = randomUUID().slice(0, 8);
  return { exchange: `t.${prefix}.${id}.x`, queue: `t.${prefix}.${id}.q` };
}

export interface PublishItem {
  body: Buffer | string;
  routingKey: string;
  headers?: Record<string, unknown>;
  contentType?: string;
}

/** Publishes with publisher confirms so the test knows the broker has every message. */
export async function publishAll(exchange: string, items: PublishItem[], url = AMQP_URL): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange(exchange, 'topic', { durable: true });
    for (const item of items) {
      const body = typeof item.body === 'string' ? Buffer.from(item.body) : item.body;
      if (!ch.publish(exchange, item.routingKey, body, {
        persistent: true,
        headers: item.headers,
        contentType: item.contentType ?? 'application/cloudevents+json',
      })) {
        await new Promise((resolve) => ch.once('drain', resolve));
      }
    }
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

/** Deletes the topology's queue, `moreQueues` (other consumers' queues on its exchange) and its exchange. */
export async function deleteTopology(t: TestTopology, url = AMQP_URL, moreQueues: readonly string[] = []): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    // A channel each: a refused delete closes its channel.
    for (const q of [t.queue, ...moreQueues]) await (await conn.createChannel()).deleteQueue(q).catch(() => undefined);
    await (await conn.createChannel()).deleteExchange(t.exchange).catch(() => undefined);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Creates the console's queue and bindings before publishing, so nothing is routed nowhere. */
export async function prepareQueue(t: TestTopology, bindings = ['payment.#', 'risk.#', '#'], url = AMQP_URL): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    await ch.assertExchange(t.exchange, 'topic', { durable: true });
    await ch.assertQueue(t.queue, { durable: true });
    for (const b of bindings) await ch.bindQueue(t.queue, t.exchange, b);
  } finally {
    await conn.close();
  }
}

/**
 * Publishes bodies in chunks with publisher confirms, reconnecting and re-sending the
 * unconfirmed chunk when the broker goes away (a re-sent message may arrive twice: the
 * store deduplicates by source and id). Paced to about `ratePerSec`.
 */
export async function publishResilient(
  exchange: string,
  items: PublishItem[],
  ratePerSec: number,
  url = AMQP_URL,
  chunk = 100,
  /** Told how many items the broker has confirmed so far, after each chunk. */
  onConfirmed?: (confirmed: number) => void,
): Promise<{ reconnects: number }> {
  let reconnects = 0;
  let conn: amqp.ChannelModel | null = null;
  let ch: amqp.ConfirmChannel | null = null;
  const started = Date.now();
  for (let i = 0; i < items.length; ) {
    try {
      if (!ch) {
        conn = await amqp.connect(url);
        conn.on('error', () => undefined);
        ch = await conn.createConfirmChannel();
        ch.on('error', () => undefined);
        await ch.assertExchange(exchange, 'topic', { durable: true });
      }
      const slice = items.slice(i, i + chunk);
      for (const item of slice) {
        ch.publish(exchange, item.routingKey, typeof item.body === 'string' ? Buffer.from(item.body) : item.body, {
          persistent: true,
          contentType: 'application/cloudevents+json',
        });
      }
      await ch.waitForConfirms();
      i += slice.length;
      onConfirmed?.(i);
      const due = started + (i / ratePerSec) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    } catch {
      reconnects += 1;
      await conn?.close().catch(() => undefined);
      conn = null;
      ch = null;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  await conn?.close().catch(() => undefined);
  return { reconnects };
}
