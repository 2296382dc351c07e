// Explorer end to end, in Debian's Chromium through `payops serve` against the real broker:
// the simulator's decline-spike fires the (short-window) decline alert; an operator filters
// the explorer to declines, opens an event and its payment's timeline, then exports an
// incident report (self-contained HTML) prefilled from the fired alert, and finds a binary
// message in the quarantine shown as hex.
import amqp from 'amqplib';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { AMQP_URL, expect, startConsole, test } from './servedConsole';

const BIN = path.resolve(__dirname, '..', 'bin', 'payops.js');
const RULES = path.resolve(__dirname, 'fixtures', 'decline-rules.yaml');
const RULE = 'decline-rate-high';

function simulate(exchange: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [BIN, 'simulate', '--amqp', AMQP_URL, '--exchange', exchange, '--scenario', 'decline-spike', '--rate', '300', '--for', '45', '--anomaly-after', '5', '--anomaly-for', '30', '--seed', '11'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`simulate exited ${code}: ${err}`))));
  });
}

/** One message that is not UTF-8, which the console must quarantine. */
async function publishBinary(exchange: string): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createConfirmChannel();
    ch.publish(exchange, 'payment.authorized', Buffer.from([0xff, 0xfe, 0x00, 0x42]), { headers: { 'x-origin': 'e2e' } });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

function firedAlerts(dbFile: string): { key: string; rule: string; firedAt: string | null }[] {
  return JSON.parse(execFileSync(process.execPath, [BIN, 'alerts', '--db', dbFile, '--json'], { encoding: 'utf8' }));
}

test('filter the explorer, open a payment timeline, export a report from a fired alert, browse the quarantine', async ({ page }) => {
  test.setTimeout(180_000);
  const served = await startConsole(['--rules', RULES]);
  try {
    const traffic = simulate(served.exchange);
    await page.goto(served.url);
    await expect(page.getByTestId('connection-state')).toHaveText(/connected/i);
    // Wait until the spike has fired the alert (the store says so, not the clock).
    await expect.poll(() => firedAlerts(served.dbFile).some((a) => a.rule === RULE && a.firedAt !== null), { timeout: 90_000, intervals: [2000] }).toBe(true);

    // Explorer: declines only.
    await page.getByRole('link', { name: /^Explorer/ }).first().click();
    await expect(page.getByRole('tab', { name: 'Events' })).toHaveAttribute('aria-selected', 'true');
    const table = page.getByRole('grid', { name: 'Events table' });
    await expect(table.getByTestId('explorer-row').first()).toBeVisible();
    await page.getByLabel('Event types').selectOption(['payment.declined']);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(table.getByTestId('explorer-row').first()).toHaveAttribute('data-type', 'payment.declined');
    const types = await table.getByTestId('explorer-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
    expect(types.length).toBeGreaterThan(5);
    expect(new Set(types)).toEqual(new Set(['payment.declined']));
    await expect(page.getByTestId('explorer-status')).toContainText('events');

    // Scrolling loads further pages (keyset), never the same row twice.
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(async () => (await page.getByTestId('explorer-status').textContent()) ?? '').toMatch(/\d/);

    // Detail: pretty and raw JSON of the event. The payment is read from the detail, not from
    // the row before the click: the virtual table may still be moving its window after the
    // scroll, so "the first row" can be another row by the time it is clicked.
    await table.getByTestId('explorer-row').first().click();
    const detail = page.getByRole('region', { name: 'Event detail' });
    const openTimeline = detail.getByTestId('open-timeline');
    await expect(openTimeline).toHaveText(/^Payment timeline \(.+\)$/);
    const paymentId = /\((.+)\)$/.exec((await openTimeline.textContent())!)![1];
    await expect(detail.getByTestId('event-json-pretty')).toContainText('"type": "payment.declined"');
    await detail.getByRole('tab', { name: 'Raw JSON' }).click();
    await expect(detail.getByTestId('event-json-raw')).toContainText('"type":"payment.declined"');

    // The payment's timeline: every event of the payment, in order, with the time between steps.
    await openTimeline.click();
    const timeline = page.getByRole('region', { name: `Payment timeline ${paymentId}` });
    const steps = timeline.getByTestId('timeline-step');
    await expect(steps.first()).toBeVisible();
    const stepTypes = await steps.evaluateAll((li) => li.map((l) => l.getAttribute('data-type')));
    expect(stepTypes).toContain('payment.declined');
    expect(stepTypes[0]).toBe('payment.initiated');
    await expect(steps.nth(1)).toContainText(/\+\d/);

    // Report from the fired alert: HTML, masked, written completely.
    await page.getByRole('tab', { name: 'Report' }).click();
    await page.getByLabel('From an alert').check();
    await expect(page.getByLabel('Alert', { exact: true })).toContainText(RULE);
    await page.getByLabel('Report format').selectOption('html');
    await expect(page.getByLabel('Mask sensitive fields')).toBeChecked();
    await page.getByLabel('Operator notes').fill('Issuer declines spiked during the e2e run.');
    await page.getByRole('button', { name: 'Export report' }).click();
    const job = page.getByTestId('report-job');
    await expect(job).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
    const file = (await page.getByTestId('report-file').textContent())!.trim();
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain(RULE);
    expect(html).toContain('Issuer declines spiked during the e2e run.');
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?!#|data:)[a-z]+:/i);

    // Other views link to a report for an alert: #/explorer/report?alert=KEY prefills it.
    const key = firedAlerts(served.dbFile).find((a) => a.rule === RULE)!.key;
    await page.evaluate((k) => (window.location.hash = `#/explorer/report?alert=${encodeURIComponent(k)}`), key);
    await expect(page.getByLabel('Alert', { exact: true })).toHaveValue(key);
    await expect(page.getByLabel('From an alert')).toBeChecked();

    // The same from the preview: figures for the alert's window.
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('report-preview')).toContainText('Decline rate');

    // Quarantine: the binary message, its reason, headers and body shown as hex.
    await publishBinary(served.exchange);
    await page.getByRole('tab', { name: 'Quarantine' }).click();
    const quarantined = page.getByRole('region', { name: 'Quarantined messages' }).getByTestId('quarantine-row');
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return quarantined.count();
    }, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect(quarantined.first()).toContainText('UTF-8');
    await quarantined.first().click();
    const body = page.getByRole('region', { name: 'Quarantined message' }).getByTestId('quarantine-body');
    await expect(body).toHaveAttribute('data-encoding', 'hex');
    await expect(body).toHaveText('ff fe 00 42');
    await expect(page.getByRole('region', { name: 'Quarantined message' }).getByLabel('Headers')).toContainText('x-origin');
    await traffic;
  } finally {
    await served.stop();
  }
});
