// Issue 15 in Chromium, through `payops serve` against the real broker: events whose event
// time is two hours old keep arriving. The dashboard says they arrive (non-zero events/s, a
// moving arrivals chart), says they are late (the banner) and reads the arrival lag at its
// true size (about two hours, not capped); the queue panel shows the console's own queue
// with the management API's figures.
import amqp from 'amqplib';
import { AMQP_URL, expect, test } from './servedConsole';

const TWO_HOURS = 2 * 3_600_000;

/** Publishes events two hours old at about `perSecond` until stopped. */
function publishLate(exchange: string, perSecond: number): { stop: () => Promise<void> } {
  let stopped = false;
  const done = (async () => {
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    let n = 0;
    const started = Date.now();
    while (!stopped) {
      const due = Math.floor(((Date.now() - started) / 1000) * perSecond);
      for (; n < due; n++) {
        const e = { specversion: '1.0', id: `late-${n}`, source: 'e2e/late', type: 'payment.authorized', time: new Date(Date.now() - TWO_HOURS).toISOString(), data: { paymentId: `p${n}`, merchantId: 'm_late', amount: 1000, currency: 'EUR', country: 'DE' } };
        ch.publish(exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
      }
      await ch.waitForConfirms();
      await new Promise((r) => setTimeout(r, 50));
    }
    await conn.close();
  })();
  return { stop: async () => ((stopped = true), await done) };
}

test('events two hours old: events/s, a moving arrivals chart, the late banner, a lag of about two hours', async ({ page, served }) => {
  test.setTimeout(120_000);
  await page.goto(served.url);
  await expect(page.getByTestId('session-badge')).toHaveAttribute('data-status', 'quiet');
  const publisher = publishLate(served.exchange, 40);
  try {
    const banner = page.getByTestId('late-events-banner');
    await expect(banner).toBeVisible({ timeout: 30_000 });
    await expect(banner).toContainText(/receiving [\d.,]+ events\/s whose event time is 2\.0 h behind: backlog or producer clock/);

    const eps = page.getByTestId('kpi-events-per-second');
    await expect.poll(async () => Number(await eps.getAttribute('data-value')), { timeout: 15_000 }).toBeGreaterThan(0);

    const chart = page.getByTestId('arrival-chart');
    await expect.poll(async () => Number(await chart.getAttribute('data-total')), { timeout: 15_000 }).toBeGreaterThan(0);
    const end1 = Number(await chart.getAttribute('data-end'));
    await expect.poll(async () => Number(await chart.getAttribute('data-end')), { timeout: 15_000 }).toBeGreaterThan(end1);

    const lag = page.getByTestId('kpi-arrival-lag-p50');
    await expect.poll(async () => Number(await lag.getAttribute('data-value')) / TWO_HOURS, { timeout: 15_000 }).toBeGreaterThan(0.8);
    expect(Number(await lag.getAttribute('data-value')) / TWO_HOURS).toBeLessThan(1.25);
    await expect(page.getByTestId('kpi-arrival-lag-p50-value')).toHaveText(/^(1\.[6-9]|2\.[0-4]) h$/);

    // The queue panel watches the console's own queue by default, through the management API.
    const own = page.getByTestId(`queue-row-${served.queue}`);
    await expect(own).toBeVisible({ timeout: 15_000 });
    await expect(own).toHaveAttribute('data-source', 'management');
  } finally {
    await publisher.stop();
  }
});
