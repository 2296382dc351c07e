// The live dashboard in Debian's Chromium, through `payops serve`, against the real broker
// and a real database: numbers and charts move with published events, queue depth is
// polled, and both a lost broker and a lost web host are shown.
import amqp from 'amqplib';
import { execFileSync } from 'node:child_process';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

function nowEvent(type: string, i: number) {
  const risk = type.startsWith('risk.');
  return {
    specversion: '1.0',
    id: `e2e-${Date.now()}-${i}-${Math.random().toString(36).slice(2)}`,
    source: risk ? 'risk/engine' : 'psp/authorizer',
    type,
    time: new Date().toISOString(),
    data: risk
      ? { paymentId: `pay_${i}`, merchantId: 'm_1001', score: type === 'risk.blocked' ? 97 : 20, decision: type === 'risk.blocked' ? 'block' : 'approve' }
      : { paymentId: `pay_${i}`, merchantId: 'm_1001', amount: 1000 + i, currency: 'EUR', country: 'DE', ...(type === 'payment.declined' ? { declineCode: '51' } : {}) },
  };
}

function sendEvent(ch: amqp.ConfirmChannel, exchange: string, type: string, i: number): void {
  const e = nowEvent(type, i);
  ch.publish(exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
}

async function publish(exchange: string, count: number, types: string[]) {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < count; i++) sendEvent(ch, exchange, types[i % types.length], i);
  await ch.waitForConfirms();
  await conn.close();
}

/**
 * Events/s is the last complete second, so a single burst shows for one second only: traffic
 * keeps arriving, one round of `types` every 100 ms, until `seen()` holds, as live traffic does.
 * Returns how many events it published.
 */
async function publishUntil(exchange: string, types: string[], seen: () => Promise<boolean>, timeoutMs = 20_000): Promise<number> {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  const deadline = Date.now() + timeoutMs;
  let sent = 0;
  try {
    while (!(await seen())) {
      if (Date.now() > deadline) throw new Error(`still not seen after ${sent} events over ${timeoutMs} ms`);
      for (const type of types) sendEvent(ch, exchange, type, 10_000 + sent++);
      await ch.waitForConfirms();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await conn.close();
  }
  return sent;
}

async function fillWorkQueue(queue: string, count: number) {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(queue, { durable: false, autoDelete: false });
  for (let i = 0; i < count; i++) ch.sendToQueue(queue, Buffer.from(`job ${i}`));
  await ch.waitForConfirms();
  await conn.close();
}

async function deleteQueue(queue: string) {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  await ch.deleteQueue(queue).catch(() => undefined);
  await conn.close();
}

test('the dashboard shows live numbers, charts and queue depth from the real broker', async ({ consolePage: page, served }) => {
  await expect(page.getByRole('region', { name: 'Throughput' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Queue depth' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Alerts' })).toBeVisible();
  await expect(page.getByRole('figure', { name: /Throughput by event type/ })).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);

  await fillWorkQueue(served.watchQueue, 37);
  const types = ['payment.initiated', 'risk.scored', 'payment.authorized', 'payment.captured', 'payment.declined', 'risk.blocked'];
  await publish(served.exchange, 600, types);

  await expect(page.getByTestId('totals-events')).toHaveText(/600/);
  // 600 events: 100 authorized and 100 declined, so the approval rate is 50 %.
  await expect(page.getByTestId('kpi-approval-rate-value')).toHaveText(/50(\.0)?%/);
  await expect(page.getByTestId('kpi-decline-rate-value')).toHaveText(/50(\.0)?%/);
  await expect.poll(async () => Number(await page.getByTestId('throughput-chart').getAttribute('data-points'))).toBeGreaterThan(0);
  await expect(page.locator('[data-testid="queue-row"]', { hasText: served.watchQueue })).toContainText('37');
  await expect.poll(async () => Number(await page.getByTestId('queue-depth-chart').getAttribute('data-points'))).toBeGreaterThan(0);
  await page.screenshot({ path: 'test-results/dashboard-live.png', fullPage: true });

  // Traffic that keeps arriving shows as events per second, and moves the totals again.
  const eventsPerSecond = async () => Number((await page.getByTestId('kpi-events-per-second').getAttribute('data-value')) || 0);
  // The tile shows the last complete second: the burst above may still be it. Once it has passed,
  // only the trickle can move the tile.
  await expect.poll(eventsPerSecond, { timeout: 15_000 }).toBe(0);
  const trickled = await publishUntil(served.exchange, types, async () => (await eventsPerSecond()) > 0);
  expect(trickled).toBeGreaterThan(0);
  await publish(served.exchange, 300, types);
  await expect.poll(async () => Number((await page.getByTestId('totals-events').textContent())?.replace(/\D/g, ''))).toBe(900 + trickled);
  await deleteQueue(served.watchQueue);
});

test('the Stored line names conflicting duplicates (a stored source and id sent again with another body)', async ({ consolePage: page, served }) => {
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
  const e = nowEvent('payment.authorized', 1);
  const conflicting = { ...e, data: { ...e.data, amount: 99_999 } };
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  ch.publish(served.exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
  ch.publish(served.exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
  await ch.waitForConfirms();
  await conn.close();
  await expect(page.getByTestId('totals-duplicates')).toHaveText('1');
  // An ordinary duplicate: nothing conflicting to name.
  await expect(page.getByTestId('totals-conflicting')).toHaveCount(0);
  const again = await amqp.connect(AMQP_URL);
  const ch2 = await again.createConfirmChannel();
  ch2.publish(served.exchange, e.type, Buffer.from(JSON.stringify(conflicting)), { contentType: 'application/cloudevents+json' });
  await ch2.waitForConfirms();
  await again.close();
  await expect(page.getByTestId('totals-quarantined')).toHaveText('1');
  await expect(page.getByTestId('totals-conflicting')).toHaveText('1');
  await expect(page.getByTestId('totals-events')).toHaveText('1');
});

test('a lost broker connection is shown, and the console recovers by itself @broker-restart', async ({ consolePage: page, served }) => {
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
  execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
  try {
    await expect(page.getByTestId('connection-state')).toHaveText(/reconnecting|disconnected/i);
    await expect(page.getByTestId('connection-error')).toBeVisible();
    await page.screenshot({ path: 'test-results/dashboard-broker-lost.png', fullPage: true });
  } finally {
    execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
  }
  await expect(page.getByTestId('connection-state')).toHaveText(/^connected/i, { timeout: 60_000 });
  await publish(served.exchange, 10, ['payment.authorized']);
  await expect(page.getByTestId('totals-events')).toHaveText(/10/);
  void served;
});

test("the token leaves the address bar once the page is open; a reload gets in with the tab's stored token", async ({ consolePage: page, served }) => {
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
  expect(page.url()).toBe(served.url.replace(/\?token=[0-9a-f]+$/, ''));
  await page.reload();
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
  await expect(page.getByTestId('token-missing')).toHaveCount(0);
  expect(page.url()).toBe(served.url.replace(/\?token=[0-9a-f]+$/, ''));
});

test('a lost web host is shown as connection lost', async ({ consolePage: page, served }) => {
  await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
  served.process.kill('SIGTERM');
  await expect(page.getByTestId('connection-lost')).toBeVisible();
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'lost');
  await page.screenshot({ path: 'test-results/dashboard-host-lost.png', fullPage: true });
});

test('with the broker unreachable, the console offers demo mode, clearly labelled', async ({ page }) => {
  const served = await startConsole(['--amqp', 'amqp://guest:guest@127.0.0.1:1']);
  try {
    await page.goto(served.url);
    await expect(page.getByTestId('connection-state')).toHaveText(/reconnecting|disconnected|connecting/i);
    await expect(page.getByTestId('no-broker-hint')).toBeVisible();
    await page.getByTestId('dashboard-demo-start').click();
    await expect(page.getByTestId('demo-banner')).toBeVisible();
    await expect.poll(async () => Number(await page.getByTestId('kpi-events-per-second').getAttribute('data-value') || 0), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', /light|dark/);
    await page.screenshot({ path: 'test-results/dashboard-demo-theme.png', fullPage: true });
    expect(served.log()).not.toContain('guest:guest');
  } finally {
    await served.stop();
  }
});
