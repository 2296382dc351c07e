// Replay and capture in Debian's Chromium, through `payops serve` on the real broker and a
// real database: the shipped PaySim capture replays to the end at max speed, the REPLAY
// banner and the dashboard show it, pause/resume, speed and seek drive the replay clock,
// "Back to live" returns to LIVE; and live traffic recorded to a capture replays the same.
import amqp from 'amqplib';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { AMQP_URL, expect, test } from './servedConsole';

/** Events in electron/core/demo/paysim-demo.ndjson.gz (see its README). */
const DEMO_EVENTS = 39_509;

async function openReplayView(page: Page) {
  await page.getByTestId('nav-replay').click();
  await expect(page.getByTestId('replay-view')).toBeVisible();
  await expect(page.getByTestId('replay-open-demo')).toBeEnabled();
}

async function expectLive(page: Page) {
  await expect(page.getByTestId('session-badge')).toHaveAttribute('data-session', 'live');
  await expect(page.getByTestId('replay-banner')).toHaveCount(0);
}

function positionOf(page: Page): Promise<number> {
  return page.getByTestId('replay-position').getAttribute('data-value').then(Number);
}

test('the PaySim demo capture replays to the end at max speed, marked REPLAY, then back to live', async ({ consolePage: page }) => {
  await expect(page.getByTestId('session-badge')).toHaveAttribute('data-session', 'live');
  await openReplayView(page);
  // In the browser: no native dialog, and dropping explains that it needs the desktop app.
  await expect(page.getByTestId('replay-choose-file')).toHaveCount(0);
  await expect(page.getByTestId('replay-dropzone')).toContainText('needs the desktop app');

  await page.getByTestId('replay-speed-max').click();
  await expect(page.getByTestId('replay-speed-max')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('replay-speed-3600')).toHaveAttribute('aria-pressed', 'false');
  await page.getByTestId('replay-open-demo').click();

  const banner = page.getByTestId('replay-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('REPLAY');
  await expect(page.getByTestId('session-badge')).toHaveAttribute('data-session', 'replay');
  await expect(page.getByTestId('replay-file')).toContainText('paysim-demo.ndjson.gz');

  const progress = page.getByRole('progressbar', { name: 'Replay progress' });
  await expect(progress).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(progress).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('replay-progress-state')).toHaveText('done');
  await expect(page.getByTestId('replay-eta')).toHaveText('done');
  await expect(page.getByTestId('replay-bad-count')).toHaveText('0');
  await expect(page.getByTestId('replay-lines')).toHaveAttribute('data-value', String(DEMO_EVENTS));
  // The replay clock is event time (PaySim's November/December 2026), in the banner on every view.
  await expect(page.getByTestId('replay-clock')).toHaveText(/^2026-1[12]-\d\d \d\d:\d\d:\d\d$/);
  await expect(page.getByTestId('replay-banner-toggle')).toHaveCount(0); // done: nothing to pause
  await expect(page.getByTestId('replay-recent-item').first()).toContainText('paysim-demo.ndjson.gz');

  await page.getByTestId('nav-dashboard').click();
  await expect(banner).toBeVisible();
  await expect(page.getByTestId('replay-clock')).toHaveText(/^2026-1[12]-/);
  await expect(page.getByTestId('totals-events')).toHaveText(DEMO_EVENTS.toLocaleString('en-US'));
  await expect(page.getByTestId('totals-quarantined')).toHaveText('0');
  await expect(page.getByTestId('connection-state')).toHaveAttribute('data-state', 'replay');
  // The last event's age is read on the replay's clock (at the end: the newest event time), not
  // the wall clock, to which PaySim's December 2026 is days ago.
  await expect(page.getByTestId('connection-last-event')).toContainText('(just now)');

  await page.getByTestId('nav-alerts').click();
  await expect(banner).toBeVisible();

  // Back to live from the banner, on any view.
  await page.getByTestId('replay-banner-back-to-live').click();
  await expectLive(page);
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('totals-events')).toHaveText('0');
});

test('pause, resume, speed and seek drive the replay clock; Back to live from the Replay view', async ({ consolePage: page }) => {
  await openReplayView(page);
  await expect(page.getByTestId('replay-speed-3600')).toHaveAttribute('aria-pressed', 'true'); // the default
  await page.getByTestId('replay-start-paused').check();
  await page.getByTestId('replay-open-demo').click();
  await expect(page.getByTestId('session-badge')).toHaveAttribute('data-session', 'replay');
  const state = page.getByTestId('replay-progress-state');
  await expect(state).toHaveText('paused');
  await page.getByTestId('replay-banner-toggle').click();
  await expect(state).toHaveText('running');
  await expect(page.getByTestId('replay-banner')).toContainText('3600×');

  // Pause: the clock stops.
  await page.getByTestId('replay-pause').click();
  await expect(state).toHaveText('paused');
  await expect(page.getByTestId('replay-banner-toggle')).toHaveText('Resume replay');
  const paused = await positionOf(page);
  await page.waitForTimeout(1500);
  expect(await positionOf(page)).toBe(paused);

  // Resume: at x3600 an hour of event time passes every second.
  await page.getByTestId('replay-resume').click();
  await expect(state).toHaveText('running');
  await expect.poll(() => positionOf(page), { timeout: 15_000 }).toBeGreaterThan(paused + 1_800_000);

  // Speed change: x600, pressed, and shown in the banner.
  await page.getByTestId('replay-speed-600').click();
  await expect(page.getByTestId('replay-speed-600')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('replay-speed-3600')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('replay-banner')).toContainText('600×');

  // Pause from the banner, then seek forward by typing a time: the clock jumps there.
  await page.getByTestId('replay-banner-toggle').click();
  await expect(state).toHaveText('paused');
  const from = Number(await page.getByTestId('replay-position').getAttribute('data-value'));
  const target = from + 200 * 3_600_000;
  const d = new Date(target);
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  await page.getByTestId('replay-seek-time').fill(local);
  await page.getByTestId('replay-seek-go').click();
  await expect.poll(() => positionOf(page), { timeout: 30_000 }).toBeGreaterThanOrEqual(target - 1000);
  expect(await positionOf(page)).toBeLessThan(target + 3_600_000);
  await expect(page.getByTestId('replay-clock')).toHaveText(new RegExp(`^${local.slice(0, 10)} `));

  // Seek back to the start with the slider (keyboard: Home, committed on key up).
  const slider = page.getByTestId('replay-seek-slider');
  await expect(slider).toBeEnabled();
  await slider.focus();
  await slider.press('Home');
  await expect.poll(() => positionOf(page), { timeout: 30_000 }).toBeLessThan(from);
  await expect(state).toHaveText('paused');

  await page.getByTestId('replay-back-to-live').click();
  await expectLive(page);
  await expect(page.getByTestId('replay-session')).toHaveCount(0);
  await expect(page.getByTestId('capture-start')).toBeVisible();
});

function event(i: number) {
  return {
    specversion: '1.0',
    id: `e2e-cap-${Date.now()}-${i}-${Math.random().toString(36).slice(2)}`,
    source: 'psp/authorizer',
    type: i % 2 ? 'payment.authorized' : 'payment.initiated',
    time: new Date().toISOString(),
    data: { paymentId: `pay_${i}`, merchantId: 'm_1001', amount: 1000 + i, currency: 'EUR', country: 'DE' },
  };
}

test('records live traffic to a capture, stops, and replays the recording', async ({ consolePage: page, served }) => {
  await openReplayView(page);
  const file = path.join(served.dir, 'recorded.ndjson.gz');
  await page.getByTestId('capture-file').fill(file);
  await page.getByTestId('capture-max-mb').fill('50');
  await page.getByTestId('capture-start').click();
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-recording', 'true');

  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createConfirmChannel();
  for (let i = 0; i < 120; i++) {
    const e = event(i);
    ch.publish(served.exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
  }
  await ch.waitForConfirms();
  await conn.close();

  await expect(page.getByTestId('capture-lines')).toHaveText('120');
  await page.getByTestId('capture-stop').click();
  await expect(page.getByTestId('capture-status')).toHaveAttribute('data-recording', 'false');
  await expect(page.getByTestId('capture-stopped')).toContainText('120 lines');
  await expect(page.getByTestId('capture-stopped-because')).toContainText('stopped by the operator');

  await page.getByTestId('replay-speed-max').click();
  await page.getByTestId('replay-path').fill(file);
  await page.getByTestId('replay-open').click();
  await expect(page.getByRole('progressbar', { name: 'Replay progress' })).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('totals-events')).toHaveText('120');
  await page.getByTestId('replay-banner-back-to-live').click();
  await expectLive(page);
  await expect(page.getByTestId('totals-events')).toHaveText('120'); // the live database kept its own
});

test('a missing capture file is a clear error, and the session stays live', async ({ consolePage: page }) => {
  await openReplayView(page);
  await page.getByTestId('replay-path').fill('/nonexistent/capture.ndjson');
  await page.getByTestId('replay-open').click();
  await expect(page.getByTestId('replay-error')).toContainText('no capture file at /nonexistent/capture.ndjson');
  await expectLive(page);
});
