// Two fresh queues nobody reads, five messages each: one whose messages carry an AMQP timestamp
// `ageSeconds` old (the management API then gives head_message_timestamp), one whose messages
// carry none. For the tests of the oldest waiting message's age.
import amqp from 'amqplib';
import { AMQP_URL } from './broker';

/** Fills both queues; returns the head message's timestamp (epoch seconds). */
export async function fillStampedAndPlain(stamped: string, plain: string, ageSeconds: number): Promise<number> {
  const c = await amqp.connect(AMQP_URL);
  const ch = await c.createConfirmChannel();
  for (const q of [stamped, plain]) await ch.assertQueue(q, { durable: false });
  const publishedAt = Math.floor(Date.now() / 1000) - ageSeconds;
  for (let i = 0; i < 5; i++) ch.sendToQueue(stamped, Buffer.from(`m${i}`), { timestamp: publishedAt + i });
  for (let i = 0; i < 5; i++) ch.sendToQueue(plain, Buffer.from(`m${i}`));
  await ch.waitForConfirms();
  await c.close();
  return publishedAt;
}

export async function deleteQueues(...queues: string[]): Promise<void> {
  const c = await amqp.connect(AMQP_URL);
  const ch = await c.createChannel();
  for (const q of queues) await ch.deleteQueue(q);
  await c.close();
}
