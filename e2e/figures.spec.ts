// Issue 11 in Chromium, through `payops serve` against the real broker: what an operator
// sees is right. The status badge says "connected, nothing received" until events arrive,
// then "receiving"; a JPY amount (no minor unit) reads 13,367 JPY in the explorer and the
// timeline, and the amount filter takes major units of a chosen currency; the timeline's
// heading keeps the payment id's case (copy-paste gives the right id); a decline code says
// what it means; Settings says what is wrong in words, not zod's.
import amqp from 'amqplib';
import { AMQP_URL, expect, test } from './servedConsole';

async function publishEvents(exchange: string, events: { type: string }[]): Promise<void> {
  const conn = await amqp.connect(AMQP_URL);
  try {
    const ch = await conn.createConfirmChannel();
    for (const e of events) ch.publish(exchange, e.type, Buffer.from(JSON.stringify(e)), { contentType: 'application/cloudevents+json' });
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

const T = Date.now();
const event = (id: string, type: string, at: number, data: Record<string, unknown>) => ({
  specversion: '1.0',
  id,
  source: 'e2e/figures',
  type,
  time: new Date(T + at).toISOString(),
  data: { merchantId: 'm_e2e', country: 'JP', ...data },
});

test('status, money, payment ids, decline codes and Settings messages as an operator reads them', async ({ page, served }) => {
  test.setTimeout(120_000);
  await page.goto(served.url);
  const badge = page.getByTestId('session-badge');
  // Connected, and nothing has been published: never a green "LIVE".
  await expect(badge).toHaveAttribute('data-status', 'quiet');
  await expect(badge).toContainText(/nothing received for \d+s/);
  await expect(page.getByTestId('connection-queue')).toContainText(served.queue);

  const payment = 'pay_MixedCase_Xy7';
  await publishEvents(served.exchange, [
    event('e1', 'payment.initiated', 0, { paymentId: payment, amount: 13367, currency: 'JPY' }),
    event('e2', 'payment.authorized', 150, { paymentId: payment, amount: 13367, currency: 'JPY' }),
    event('e3', 'payment.authorized', 200, { paymentId: 'pay_eur_1', amount: 13367, currency: 'EUR' }),
    event('e4', 'payment.declined', 300, { paymentId: 'pay_kwd_1', amount: 1250, currency: 'KWD', declineCode: '51' }),
  ]);
  await expect(badge).toHaveAttribute('data-status', 'receiving');
  await expect(badge).toHaveText('LIVE · receiving');
  await expect(page.getByTestId('connection-last-event')).not.toHaveText('none yet');

  // Explorer: every amount in its own currency's decimals.
  await page.getByRole('link', { name: /^Explorer/ }).first().click();
  const table = page.getByRole('grid', { name: 'Events table' });
  const row = (p: string, type: string) => table.locator(`[data-testid="explorer-row"][data-payment="${p}"][data-type="${type}"]`);
  await expect(row(payment, 'payment.authorized')).toContainText('13,367 JPY');
  await expect(row('pay_eur_1', 'payment.authorized')).toContainText('133.67 EUR');
  await expect(row('pay_kwd_1', 'payment.declined')).toContainText('1.250 KWD');
  await expect(row('pay_kwd_1', 'payment.declined')).toContainText('51 Insufficient funds (soft)');
  await expect(table).not.toContainText('133.67 JPY');

  // The amount filter: major units of the chosen currency.
  await page.getByLabel('Currency', { exact: true }).fill('JPY');
  await page.getByTestId('filter-amount-min').fill('13000');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(table.getByTestId('explorer-row')).toHaveCount(2);
  await expect(row('pay_eur_1', 'payment.authorized')).toHaveCount(0);
  // More decimals than the currency has is refused, saying why.
  await page.getByTestId('filter-amount-min').fill('13000.5');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByRole('search', { name: 'Event filters' }).getByRole('alert')).toHaveText('amountMin: JPY has no minor unit: give a whole number');

  // The payment's timeline: its id exactly as stored, amounts in yen.
  await row(payment, 'payment.authorized').click();
  await page.getByTestId('open-timeline').click();
  const timeline = page.getByTestId('payment-timeline');
  await expect(timeline.getByTestId('timeline-payment-id')).toBeVisible();
  // innerText is what is displayed and copied: no upper-casing by the heading.
  expect(await timeline.getByTestId('timeline-payment-id').evaluate((el) => (el as HTMLElement).innerText)).toBe(payment);
  expect(await timeline.locator('h2').evaluate((el) => (el as HTMLElement).innerText)).toContain(payment);
  await expect(timeline.getByTestId('timeline-step').last()).toContainText('13,367 JPY');

  // Settings: an empty name says so in words.
  await page.getByRole('link', { name: /^Settings/ }).first().click();
  await page.getByTestId('profile-new').click();
  await page.getByLabel('Name').fill('');
  await page.getByTestId('profile-save').click();
  await expect(page.getByTestId('error-name')).toHaveText('required: give the profile a name');
  await expect(page.getByTestId('profile-form')).not.toContainText(/Too small|expected string/);
});
