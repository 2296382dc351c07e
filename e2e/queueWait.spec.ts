// The queue panel in Chromium, against the real broker: a watched queue whose consumer holds
// its prefetch and acknowledges nothing, its messages stamped by their producer 2 minutes ago.
// The delay cell says how long the oldest has waited (measured) and that the consumer is stuck.
import amqp from 'amqplib';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

test('a stuck consumer on stamped messages: the oldest message\'s age and "stuck", not a dash', async ({ page }) => {
  test.setTimeout(120_000);
  const served = await startConsole();
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(served.watchQueue, { durable: false });
    const stampedAt = Math.floor(Date.now() / 1000) - 120;
    for (let i = 0; i < 20; i++) ch.sendToQueue(served.watchQueue, Buffer.from(`m${i}`), { timestamp: stampedAt });
    await ch.waitForConfirms();
    const consumer = await conn.createChannel();
    await consumer.prefetch(3);
    await consumer.consume(served.watchQueue, () => undefined, { noAck: false });

    await page.goto(served.url);
    const delay = page.getByTestId(`queue-row-${served.watchQueue}`).getByTestId('queue-delay');
    // The broker's rates show nothing delivered after its stats interval has passed.
    await expect(delay).toContainText(/\d\.\d min oldest/, { timeout: 60_000 });
    await expect(delay).toContainText('stuck: 1 consumer, 0 delivered/s', { timeout: 60_000 });
    await page.getByTestId('panel-queues').screenshot({ path: 'test-results/queue-wait-panel.png' });
  } finally {
    await conn.close().catch(() => undefined);
    await served.stop();
  }
});
