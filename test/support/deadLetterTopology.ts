// A real dead-letter setup on the test broker: an exchange with two work queues that
// dead-letter to one dead-letter queue (through a fanout dead-letter exchange); messages are
// rejected from one and expire in the other, so the broker writes their x-death itself.
import amqp from 'amqplib';
import { randomUUID } from 'node:crypto';
import { AMQP_URL } from './broker';
import { waitFor } from './waitFor';

export interface DeadLetterTopology {
  exchange: string;
  rejectQueue: string;
  expireQueue: string;
  dlx: string;
  dlq: string;
}

export function deadLetterTopology(prefix: string): DeadLetterTopology {
  const id = randomUUID().slice(0, 8);
  const base = `t.${prefix}.${id}`;
  return { exchange: `${base}.x`, rejectQueue: `${base}.work`, expireQueue: `${base}.ttl`, dlx: `${base}.dlx`, dlq: `${base}.dlq` };
}

export function cloudEvent(id: string, type = 'payment.authorized'): Buffer {
  return Buffer.from(
    JSON.stringify({
      specversion: '1.0',
      id,
      source: 'test',
      type,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { paymentId: `p-${id}`, merchantId: 'm1', amount: 1000, currency: 'EUR', country: 'DE' },
    }),
  );
}

/**
 * Declares everything, dead-letters `rejected` ids by reject and `expired` ids by TTL, waits until
 * the DLQ holds them all. `encoding`: the bodies sent compressed, with their content-encoding.
 */
export async function fillDeadLetterQueue(
  t: DeadLetterTopology,
  rejected: string[],
  expired: string[],
  url = AMQP_URL,
  encoding?: { contentEncoding: string; encode(body: Buffer): Buffer },
): Promise<void> {
  const body = (id: string) => (encoding ? encoding.encode(cloudEvent(id)) : cloudEvent(id));
  const contentEncoding = encoding?.contentEncoding;
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertExchange(t.exchange, 'topic', { durable: false, autoDelete: false });
    await ch.assertExchange(t.dlx, 'fanout', { durable: false });
    await ch.assertQueue(t.dlq, { durable: false });
    await ch.bindQueue(t.dlq, t.dlx, '');
    await ch.assertQueue(t.rejectQueue, { durable: false, arguments: { 'x-dead-letter-exchange': t.dlx } });
    await ch.bindQueue(t.rejectQueue, t.exchange, 'payment.#');
    await ch.assertQueue(t.expireQueue, { durable: false, arguments: { 'x-dead-letter-exchange': t.dlx } });
    await ch.bindQueue(t.expireQueue, t.exchange, 'late.#');
    for (const id of rejected) ch.publish(t.exchange, `payment.authorized.${id}`, body(id), { messageId: id, contentType: 'application/cloudevents+json', contentEncoding });
    for (const id of expired) ch.publish(t.exchange, `late.${id}`, body(id), { messageId: id, contentType: 'application/cloudevents+json', contentEncoding, expiration: '1' });
    await ch.waitForConfirms();
    const consumer = await conn.createChannel();
    let n = 0;
    await consumer.consume(t.rejectQueue, (m) => {
      if (m && n < rejected.length) {
        n++;
        consumer.reject(m, false);
      }
    });
    await waitFor(async () => (await ch.checkQueue(t.dlq)).messageCount === rejected.length + expired.length, 'the dead-letter queue to fill', 15_000, 50);
    await consumer.close();
  } finally {
    await conn.close();
  }
}

export async function deleteDeadLetterTopology(t: DeadLetterTopology, url = AMQP_URL): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    for (const q of [t.rejectQueue, t.expireQueue, t.dlq]) await ch.deleteQueue(q);
    for (const x of [t.exchange, t.dlx]) await ch.deleteExchange(x);
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Takes everything in `queue` (acknowledging it) and returns the message ids, in order. */
export async function drainIds(queue: string, url = AMQP_URL): Promise<string[]> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    const ids: string[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) break;
      ids.push(String(m.properties.messageId));
    }
    return ids;
  } finally {
    await conn.close();
  }
}

export async function depth(queue: string, url = AMQP_URL): Promise<number> {
  const conn = await amqp.connect(url);
  try {
    return (await (await conn.createChannel()).checkQueue(queue)).messageCount;
  } finally {
    await conn.close();
  }
}
