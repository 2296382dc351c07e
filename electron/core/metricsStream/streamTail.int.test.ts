// Where a follower finds a stream's tail (its --drain check, and where it resumes). A copy of
// the broker's stream peek waited for 150 ms of quiet after the last chunk, so on a stream its
// collector publishes to more often than that (a batch every 100 ms at a steady rate) the
// answer never came. Real broker.
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, describe, expect, it } from 'vitest';
import { AMQP_URL } from '../../../test/support/broker';
import { deleteQueues } from '../../../test/support/metricsStreamKit';
import { streamTailOffset } from './streamTail';

const stream = `t.tail.${randomUUID().slice(0, 8)}.metrics`;
afterAll(() => deleteQueues([stream]));

describe('the tail of a stream a collector keeps publishing to', () => {
  it('is found while messages keep arriving every 50 ms, at or past the offset published before the question', async () => {
    const conn = await amqp.connect(AMQP_URL);
    try {
      const ch = await conn.createConfirmChannel();
      await ch.assertQueue(stream, { durable: true, arguments: { 'x-queue-type': 'stream' } });
      for (let i = 0; i < 20; i++) ch.sendToQueue(stream, Buffer.from(`m${i}`));
      await ch.waitForConfirms();
      let publishing = true;
      const publisher = (async () => {
        for (let i = 20; publishing; i++) {
          ch.sendToQueue(stream, Buffer.from(`m${i}`));
          await ch.waitForConfirms();
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const answer = await Promise.race([streamTailOffset(conn, stream), new Promise<'none'>((r) => setTimeout(() => r('none'), 15_000))]);
      publishing = false;
      await publisher;
      expect(answer).not.toBe('none');
      expect(answer).toBeGreaterThanOrEqual(19);
    } finally {
      await conn.close();
    }
  });
});
