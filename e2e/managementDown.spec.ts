// Issue 15 in Chromium: a management API that answers badly (here 401, from a real HTTP server
// on loopback) gives a clear message in the queue panel, and ingest goes on: events published
// through the real broker are counted while the message shows.
import amqp from 'amqplib';
import { answers, startLoopbackHttp } from '../test/support/fakeManagementServer';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

test('a management API answering 401: the queue panel says why rates are missing, and events keep arriving', async ({ page }) => {
  test.setTimeout(90_000);
  const http = await startLoopbackHttp(answers.status(401, '{"error":"not_authorised","reason":"Login failed"}'));
  const served = await startConsole(['--management', http.url]);
  try {
    await page.goto(served.url);
    const note = page.getByTestId('queue-management-note');
    await expect(note).toContainText('rates need the management plugin');
    await expect(note).toContainText('HTTP 401');
    // The queues are still shown, from a passive declare.
    await expect(page.getByTestId('panel-queues').getByTestId('queue-table')).toContainText(served.queue);
    // A watched queue holding messages with no consumer: without rates nothing is known of its
    // draining (a dash, not "not draining"), and its delay says why there is none.
    const setup = await amqp.connect(AMQP_URL);
    try {
      const ch = await setup.createConfirmChannel();
      await ch.assertQueue(served.watchQueue, { durable: false });
      for (let i = 0; i < 5; i++) ch.sendToQueue(served.watchQueue, Buffer.from('x'));
      await ch.waitForConfirms();
    } finally {
      await setup.close();
    }
    const watched = page.getByTestId(`queue-row-${served.watchQueue}`);
    await expect(watched.getByTestId('queue-messages')).toContainText('5');
    await expect(watched.getByTestId('queue-drain')).toHaveText('—');
    await expect(watched.getByTestId('queue-delay')).toHaveText('no consumers');

    const conn = await amqp.connect(AMQP_URL);
    try {
      const ch = await conn.createConfirmChannel();
      for (let i = 0; i < 50; i++) {
        const e = { specversion: '1.0', id: `mgmt-${i}`, source: 'e2e/mgmt', type: 'payment.authorized', time: new Date().toISOString(), data: { paymentId: `p${i}`, merchantId: 'm_1', amount: 1000, currency: 'EUR', country: 'DE' } };
        ch.publish(served.exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
      }
      await ch.waitForConfirms();
    } finally {
      await conn.close();
    }
    await expect(page.getByTestId('totals-events')).toHaveText('50', { timeout: 30_000 });
    expect(http.requests.length).toBeGreaterThan(0);
    expect(served.log()).toMatch(/queue polling: .*HTTP 401/);
  } finally {
    await served.stop();
    await http.close();
  }
});
