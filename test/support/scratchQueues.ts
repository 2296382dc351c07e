// Test support: a vitest file's scratch queues on the real broker. Apart from broker.ts, which
// the Playwright specs import too (Playwright cannot load vitest).
import amqp from 'amqplib';
import { afterAll, beforeAll } from 'vitest';
import { AMQP_URL } from './broker';

/**
 * A test file's connection to the broker and its scratch queues (not durable), queue i holding
 * `messages(i)` messages: declared before the file's tests, deleted (and the connection closed)
 * after them. `conn()` is the connection, for pollers that open channels on it.
 */
export function scratchQueues(queues: readonly string[], messages: (i: number) => number = () => 0, url = AMQP_URL): { conn: () => amqp.ChannelModel } {
  let conn: amqp.ChannelModel | null = null;
  beforeAll(async () => {
    conn = await amqp.connect(url);
    const ch = await conn.createConfirmChannel();
    for (const [i, q] of queues.entries()) {
      await ch.assertQueue(q, { durable: false });
      for (let n = 0; n < messages(i); n++) ch.sendToQueue(q, Buffer.from(`m${n}`));
    }
    await ch.waitForConfirms();
    await ch.close();
  });
  afterAll(async () => {
    if (!conn) return;
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q);
    await conn.close();
  });
  return {
    conn: () => {
      if (!conn) throw new Error('scratchQueues: used before its beforeAll ran');
      return conn;
    },
  };
}
